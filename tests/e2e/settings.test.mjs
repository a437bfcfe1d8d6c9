// The controls are generated from each lab's schema: every entry that asks for a control has one
// on the page, carrying the entry's label, and every slider's range and step are the entry's (an
// excluded end moves in by one step; a ladder slider steps through values inside the range).
// Moving a generated control by keyboard sets exactly the value it shows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser } from "./harness.mjs";

const LABS = ["coin", "joint", "gaussian", "em", "gan", "vae", "diffusion", "classify"];
let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

test("every generated control carries its entry's label, range and step", async () => {
  for (const lab of LABS) {
    const { page, problems, close } = await browser.open(`#/${lab}`);
    const report = await page.evaluate((name) => {
      const schema = window.genplay.labs[name].schema();
      const out = { checked: 0, problems: [] };
      const fail = (entry, why) => out.problems.push(`${name}.${entry.name}: ${why}`);
      const labelOf = (input) =>
        [...(input.labels ?? [])].map((l) => l.textContent).join(" ") +
        (input.closest("fieldset")?.querySelector("legend")?.textContent ?? "");
      const inRange = (entry, v) =>
        (entry.min_exclusive ? v > entry.min : v >= entry.min) &&
        (entry.max_exclusive ? v < entry.max : v <= entry.max);
      for (const entry of schema.settings) {
        if (entry.control === "custom" || entry.group === "run") continue;
        const params =
          entry.kind === "tuple"
            ? entry.items.map((item) => [`${entry.name}_${item.name}`, item.label])
            : [[entry.name, entry.label]];
        for (const [param, label] of params) {
          const input = document.querySelector(`main [data-param="${param}"]`);
          if (!input) {
            fail(entry, `no control [data-param=${param}] on the page`);
            continue;
          }
          out.checked++;
          if (!labelOf(input).includes(label))
            fail(entry, `its label reads "${labelOf(input)}", not "${label}"`);
          if (input.type !== "range") continue;
          const [min, max, step] = [input.min, input.max, input.step].map(Number);
          if (entry.ladder) {
            if (min !== 0 || max !== entry.ladder.length - 1 || step !== 1)
              fail(entry, `ladder slider ${min}..${max} step ${step}`);
            if (!entry.ladder.every((v) => inRange(entry, v)))
              fail(entry, `ladder ${entry.ladder} leaves ${entry.allowed}`);
          } else if (entry.kind === "tuple") {
            const item = entry.items.find((i) => `${entry.name}_${i.name}` === param);
            if (min !== item.min || max !== item.max) fail(entry, `slider ${min}..${max}`);
          } else {
            const lo = entry.min + (entry.min_exclusive ? entry.step : 0);
            const hi = entry.max - (entry.max_exclusive ? entry.step : 0);
            if (Math.abs(min - lo) > 1e-9 || Math.abs(max - hi) > 1e-9 || step !== entry.step)
              fail(entry, `slider ${min}..${max} step ${step}, entry ${entry.allowed}`);
          }
        }
      }
      return out;
    }, lab);
    assert.deepEqual(report.problems, [], lab);
    assert.ok(report.checked >= 2, `${lab} has generated controls (${report.checked})`);
    assert.deepEqual(problems, [], lab);
    await close();
  }
});

test("a generated slider moved by keyboard sets the value it shows", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  const before = await page.evaluate(() => window.genplay.labs.gan.snapshot().config.batch_size);
  await page.focus("input[data-param=batch_size]");
  await page.keyboard.press("ArrowRight");
  const after = await page.evaluate(() => window.genplay.labs.gan.snapshot().config.batch_size);
  assert.equal(before, 256);
  assert.equal(after, 512, "the ladder's next value");
  const shown = await page.textContent("[data-setting=batch_size] output");
  assert.equal(shown, "512");
  // A select sets the choice's API value, whatever its label says.
  await page.selectOption("select[data-param=loss]", "hinge");
  assert.equal(await page.evaluate(() => window.genplay.labs.gan.snapshot().config.loss), "hinge");
  assert.deepEqual(problems, []);
  await close();
});
