// The page never dies: every lab's `set` is fed every parameter with hostile values (wrong types,
// NaN, infinities, huge and negative numbers, empty and ragged arrays), then stepped and reset.
// Each call may refuse with an Error, but nothing may panic inside wasm, log an error, or leave a
// lab whose snapshot and step stop working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

test("hostile set values are refused cleanly in every lab", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  const report = await page.evaluate(async () => {
    const hostile = [
      NaN,
      Infinity,
      -Infinity,
      -1,
      0,
      1e308,
      -1e308,
      2 ** 53,
      0.5,
      "",
      "bogus",
      null,
      undefined,
      true,
      {},
      [],
      [NaN, 1],
      [[1]],
      [[NaN, 0]],
      [[1, 2, 3, 4]],
      [0.5, 0.5, 0.5],
    ];
    const out = {};
    for (const [name, lab] of Object.entries(window.genplay.labs)) {
      let names = [];
      try {
        lab.set("no_such_parameter", 1);
      } catch (error) {
        const list = error.message.split("Parameters: ")[1] ?? "";
        names = [...list.matchAll(/(?:^|; )([a-z_0-9]+) \(/g)].map((m) => m[1]);
      }
      let refused = 0;
      for (const param of names) {
        for (const value of hostile) {
          try {
            await lab.set(param, value);
          } catch (error) {
            if (!(error instanceof Error) || !error.message.includes(param)) {
              throw new Error(`${name}.set(${param}, ${String(value)}): unclear refusal: ${error}`);
            }
            refused++;
          }
        }
      }
      await lab.reset(1);
      await lab.step(1);
      const snapshot = lab.snapshot();
      out[name] = { names: names.length, refused, snapshot: typeof snapshot === "object" };
    }
    return out;
  });
  for (const [name, r] of Object.entries(report)) {
    assert.ok(r.names >= 3, `${name} lists its parameters (${r.names})`);
    assert.ok(r.refused > r.names, `${name} refused hostile values (${r.refused})`);
    assert.equal(r.snapshot, true, `${name} still answers snapshot()`);
  }
  assert.deepEqual(problems, []);
  await close();
});
