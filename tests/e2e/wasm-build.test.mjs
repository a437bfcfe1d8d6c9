// The two builds of the WebAssembly module (scripts/build-wasm.sh, www/ui/wasm-build.js):
// Chromium validates relaxed SIMD, so the page runs the build whose matrix products use its
// fused multiply-add; the plain simd128 build, which browsers without it get, trains the same
// run to within rounding. Each page's training worker runs the page's own build: its losses
// equal the page's step(n) bitwise.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// f32x4.relaxed_madd(a, a, c) for a = 1 + 2⁻¹², c = -(1 + 2⁻¹¹): fused, 2⁻²⁴; as a product
// rounded and then a sum, 0. Where the processor has no fused multiply-add V8 takes the second.
const FUSED_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 125, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 31, 1,
  29, 0, 67, 0, 8, 128, 63, 253, 19, 67, 0, 8, 128, 63, 253, 19, 67, 0, 16, 128, 191, 253, 19, 253,
  133, 2, 253, 31, 0, 11,
];
const ITERATIONS = 200;

/** Plays the GAN in its worker to at least ITERATIONS, then steps the same seed on the page. */
async function run(build) {
  const { page, problems, close } = await browser.open("#/gan?seed=7", { build });
  const chosen = await page.evaluate(() => window.genplay.build);
  const fusing = await page.evaluate(
    (bytes) =>
      new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes))).exports.f() !== 0,
    FUSED_PROBE,
  );
  const badge = await page.locator(".backend-badge").textContent();
  const loaded = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((e) => new URL(e.name).pathname)
      .filter((path) => path.startsWith("/pkg/training/") && path.endsWith("_bg.wasm")),
  );
  await page.getByRole("button", { name: /Play/ }).click();
  const end = Date.now() + 30_000;
  let played;
  for (;;) {
    played = await page.evaluate(() => window.genplay.labs.gan.snapshot());
    if (played.trainer === "worker" && played.iteration >= ITERATIONS) break;
    assert.ok(Date.now() < end, `the worker reached ${played.iteration} iterations`);
    await sleep(100);
  }
  await page.getByRole("button", { name: /Pause/ }).click();
  await sleep(300);
  const stepped = await page.evaluate(async (n) => {
    const gan = window.genplay.labs.gan;
    gan.reset(7);
    await gan.step(n);
    return gan.snapshot().d_loss_history;
  }, ITERATIONS);
  assert.deepEqual(problems, []);
  await close();
  return {
    chosen,
    fusing,
    loaded,
    badge,
    worker: played.d_loss_history.slice(0, ITERATIONS),
    stepped,
  };
}

test("the page runs the relaxed-SIMD build, and the plain build follows its run to within rounding", async () => {
  const fused = await run(undefined);
  const plain = await run("simd128");
  assert.equal(fused.chosen, "relaxed-simd");
  assert.deepEqual(fused.loaded, ["/pkg/training/relaxed/genplay_bg.wasm"]);
  assert.match(fused.badge, /Running on the CPU · WebAssembly with relaxed SIMD/);
  assert.equal(plain.chosen, "simd128");
  assert.match(plain.badge, /Running on the CPU · WebAssembly with SIMD/);
  assert.deepEqual(plain.loaded, ["/pkg/training/genplay_bg.wasm"]);
  // The worker got the page's build: the same numbers to the last bit.
  assert.deepEqual(fused.worker, fused.stepped);
  assert.deepEqual(plain.worker, plain.stepped);
  // A fused multiply-add rounds once where the plain build rounds twice: for the first 50
  // iterations the runs part in the last bits only (so the fused kernel is the one that ran;
  // without a fused multiply-add in the processor they are the same).
  // A GAN's game then amplifies them, as any one-ulp change (measured: 1e-6 by iteration 95,
  // 1e-3 by 110), so later the two are different runs of the same game.
  assert.equal(fused.stepped.length, ITERATIONS);
  const gaps = fused.stepped.map((loss, i) => Math.abs(loss - plain.stepped[i]) / plain.stepped[i]);
  const early = gaps.slice(0, 50);
  assert.equal(
    early.some((gap) => gap > 0),
    fused.fusing,
    fused.fusing
      ? "the fused build's losses differ from the plain one's somewhere"
      : "without a fused multiply-add the two builds compute alike",
  );
  assert.ok(Math.max(...early) < 1e-6, `the largest early relative gap is ${Math.max(...early)}`);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [late, latePlain] = [fused.stepped.slice(100), plain.stepped.slice(100)];
  assert.ok(
    Math.abs(mean(late) - mean(latePlain)) < 0.05 * mean(latePlain),
    `mean late losses ${mean(late)} and ${mean(latePlain)}`,
  );
});

test("a first visit fetches only the module its lab needs, within the page's budget, and the other labs work after", async () => {
  const { gzipSync } = await import("node:zlib");
  const expected = {
    "#/coin": "/pkg/genplay_bg.wasm",
    "#/gan": "/pkg/training/relaxed/genplay_bg.wasm",
  };
  for (const [hash, module] of Object.entries(expected)) {
    const { page, fetched, problems, close } = await browser.open(hash);
    const files = await fetched();
    const modules = files
      .map((f) => new URL(f.url).pathname)
      .filter((path) => path.endsWith("_bg.wasm"));
    assert.deepEqual(modules, [module], `${hash} fetched these modules by genplay.ready`);
    // The budget of issue 13 for the page at genplay.ready, gzipped file by file.
    const kb = files.reduce((sum, f) => sum + gzipSync(f.body, { level: 9 }).length, 0) / 1024;
    if (hash === "#/coin")
      assert.ok(kb <= 400, `#/coin weighs ${kb.toFixed(1)} KB gzipped at ready`);
    // The labs of the other module, loaded after genplay.ready, step too.
    const iterations = await page.evaluate(async () => {
      const { coin, gan } = window.genplay.labs;
      await coin.step(5);
      await gan.step(3);
      return [coin.snapshot().n_batches, gan.snapshot().iteration];
    });
    assert.deepEqual(iterations, [5, 3]);
    assert.deepEqual(problems, []);
    await close();
  }
});
