// The coin lab driven as a student would: real mouse drags and key presses, Play and Step, a
// shared link, and the automation API's refusals of bad values.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.coin.snapshot());
const FREQUENCY = "figure:nth-of-type(2) canvas";
const HISTOGRAM = "figure:nth-of-type(3) canvas";

test("dragging the p slider with the mouse changes p and both charts", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  await page.evaluate(() => window.genplay.labs.coin.step(50));
  await nextFrames(page);
  const before = [await canvasDigest(page, FREQUENCY), await canvasDigest(page, HISTOGRAM)];
  const box = await page.locator("input[data-param=p]").boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.35, y, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.2, y, { steps: 4 });
  await page.mouse.up();
  await nextFrames(page);
  const s = await snapshot(page);
  assert.ok(s.p > 0.1 && s.p < 0.3, `p after the drag: ${s.p}`);
  assert.equal(s.n_flips, 500, "dragging p keeps the flips (it replays them)");
  assert.ok(s.frequency < 0.35, `frequency follows the new p: ${s.frequency}`);
  const after = [await canvasDigest(page, FREQUENCY), await canvasDigest(page, HISTOGRAM)];
  assert.notEqual(after[0], before[0], "the frequency chart was redrawn");
  assert.notEqual(after[1], before[1], "the histogram was redrawn");
  assert.equal(await page.textContent("output[for^=p-]"), s.p.toFixed(2));
  assert.deepEqual(problems, []);
  await close();
});

test("arrow keys and Page keys move the focused slider", async () => {
  const { page, close } = await browser.open("#/coin");
  await page.focus("input[data-param=p]");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  assert.equal((await snapshot(page)).p, 0.53);
  await page.keyboard.press("ArrowLeft");
  assert.equal((await snapshot(page)).p, 0.52);
  await page.focus("input[data-param=batch_n]");
  await page.keyboard.press("ArrowUp");
  assert.equal((await snapshot(page)).batch_n, 11);
  await close();
});

test("Play flips coins until Pause; Step and the S key flip one batch", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.coin.snapshot().n_flips >= 30);
  await page.getByRole("button", { name: /Pause/ }).click();
  const paused = (await snapshot(page)).n_flips;
  await page.waitForTimeout(300);
  assert.equal((await snapshot(page)).n_flips, paused, "no flips while paused");
  await page.getByRole("button", { name: /Step/ }).click();
  assert.equal((await snapshot(page)).n_flips, paused + 10);
  await page.locator("body").press("s");
  assert.equal((await snapshot(page)).n_batches >= 1, true);
  assert.equal((await snapshot(page)).n_flips, paused + 20);
  await page.locator("body").press("Space");
  await page.waitForFunction((n) => window.genplay.labs.coin.snapshot().n_flips > n, paused + 20);
  await page.locator("body").press("Space");
  await screenshot(page, "coin-after-play");
  assert.deepEqual(problems, []);
  await close();
});

test("the same seed gives the same flips as the native build", async () => {
  const { page, close } = await browser.open("#/coin");
  const run = () =>
    page.evaluate(() => {
      const coin = window.genplay.labs.coin;
      coin.set("p", 0.5);
      coin.set("batch_n", 10);
      coin.reset(42);
      coin.step(100);
      return coin.snapshot();
    });
  const a = await run();
  const b = await run();
  // The same numbers are asserted natively in tests/coin_determinism.rs.
  assert.equal(a.heads, 491);
  assert.deepEqual(a.histogram, [2, 0, 3, 18, 18, 21, 19, 12, 7, 0, 0]);
  assert.deepEqual(a, b);
  const pmfSum = a.pmf.reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(pmfSum - 1) < 1e-12);
  assert.ok(Math.abs(a.entropy_bits - 1) < 1e-12);
  await close();
});

test("invalid set calls throw an error naming the parameter and change nothing", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  const result = await page.evaluate(() => {
    const coin = window.genplay.labs.coin;
    coin.step(3);
    const before = JSON.stringify(coin.snapshot());
    const attempts = [
      ["p", 1.5],
      ["p", -0.1],
      ["p", NaN],
      ["p", "0.3"],
      ["batch_n", 0],
      ["batch_n", 2.5],
      ["batch_n", 500],
      ["seed", -1],
      ["speed", 3],
      ["colour", 1],
    ];
    const messages = attempts.map(([name, value]) => {
      try {
        coin.set(name, value);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : `not an Error: ${error}`;
      }
    });
    return { messages, unchanged: JSON.stringify(coin.snapshot()) === before };
  });
  assert.equal(result.unchanged, true);
  const [p1, p2, p3, p4, n1, n2, n3, seed, speed, unknown] = result.messages;
  for (const m of [p1, p2, p3, p4]) assert.match(m, /^p = .* p must be a number from 0 to 1/);
  for (const m of [n1, n2, n3]) assert.match(m, /batch_n .*whole number from 1 to 200/);
  assert.match(seed, /seed .* from 0 to 4294967295/);
  assert.match(speed, /speed .* one of 1, 2, 5/);
  assert.match(unknown, /no parameter "colour".*p \(a number from 0 to 1\)/);
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces a run, and a bad link value is refused with a message", async () => {
  const { page, close } = await browser.open("#/coin?p=0.3&batch_n=5&seed=9&flips=500");
  const s = await snapshot(page);
  assert.equal(s.p, 0.3);
  assert.equal(s.batch_n, 5);
  assert.equal(s.seed, 9);
  assert.equal(s.n_flips, 500);
  assert.equal(s.n_batches, 100);
  const same = await page.evaluate(() => {
    const coin = window.genplay.labs.coin;
    coin.reset(9);
    coin.step(100);
    return coin.snapshot().heads;
  });
  assert.equal(same, s.heads);
  await close();

  const bad = await browser.open("#/coin?p=7&batch_n=4");
  const t = await snapshot(bad.page);
  assert.equal(t.p, 0.5, "the refused p leaves the default");
  assert.equal(t.batch_n, 4, "the valid setting is still used");
  assert.match(
    await bad.page.textContent("#banner"),
    /p = 7 is not allowed: p must be a number from 0 to 1/,
  );
  assert.deepEqual(bad.problems, []);
  await bad.close();
});

test("the URL follows the run so a copied link reproduces it", async () => {
  const { page, close } = await browser.open("#/coin");
  await page.evaluate(() => {
    window.genplay.labs.coin.set("p", 0.7);
    window.genplay.labs.coin.step(4);
  });
  await page.waitForFunction(() => location.hash.includes("flips=40"));
  assert.match(
    await page.evaluate(() => location.hash),
    /#\/coin\?p=0\.7&batch_n=10&seed=42&flips=40/,
  );
  await close();
});
