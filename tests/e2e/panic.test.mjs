// A Rust panic traps the wasm module; the page must survive it: an error panel shows the panic's
// message, a fresh instance is loaded, and the lab comes back with the settings it had.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

test("a forced panic shows the error panel and the lab comes back with the same settings", async () => {
  const { page, problems, close } = await browser.open("#/gaussian?rho=-0.4&sigma_x=2&seed=5");
  await page.evaluate(() => {
    const lab = window.genplay.labs.gaussian;
    lab.set("mu_y", 1.5);
    lab.step(40);
  });
  await page.waitForFunction(() => location.hash.includes("mu_y=1.5"));
  const before = await page.evaluate(() => window.genplay.labs.gaussian.snapshot());
  assert.equal(await page.isVisible("#panic"), false, "no panel before a panic");

  await page.evaluate(() => window.genplay.debug.panic());
  assert.equal(await page.isVisible("#panic"), true, "the error panel is shown");
  const panel = await page.textContent("#panic");
  assert.match(panel, /a panic on purpose in the gaussian lab/);
  assert.match(panel, /restarted from its link/);
  await nextFrames(page);
  await screenshot(page, "panic-panel");

  const after = await page.evaluate(() => window.genplay.labs.gaussian.snapshot());
  for (const key of ["mu_x", "mu_y", "sigma_x", "sigma_y", "rho", "x0", "seed", "n_samples"])
    assert.equal(after[key], before[key], key);
  // The lab is usable again: it steps, sets and draws, with no error.
  const stepped = await page.evaluate(() => {
    const lab = window.genplay.labs.gaussian;
    lab.step(10);
    lab.set("rho", 0.2);
    return lab.snapshot();
  });
  assert.equal(stepped.n_samples, before.n_samples + 10);
  assert.equal(stepped.rho, 0.2);
  await page.getByRole("button", { name: /Step/ }).click();
  await nextFrames(page);
  assert.equal(
    await page.evaluate(() => window.genplay.labs.gaussian.snapshot().n_samples),
    before.n_samples + 30,
  );
  // Every other lab was rebuilt in the new instance too.
  const flips = await page.evaluate(() => window.genplay.labs.coin.step(2));
  assert.equal(flips, 20);
  await page.getByRole("button", { name: "Dismiss" }).click();
  assert.equal(await page.isVisible("#panic"), false);
  assert.deepEqual(problems, []);
  await close();
});

test("a lab that trains comes back from a panic with its settings and its iterations", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.evaluate(() => {
    const gan = window.genplay.labs.gan;
    gan.set("hidden_units", 32);
    gan.set("g_learning_rate", 0.002);
    gan.step(30);
  });
  await page.waitForFunction(() => location.hash.includes("iterations=30"));
  const before = await page.evaluate(() => window.genplay.labs.gan.snapshot());
  await page.evaluate(() => window.genplay.debug.panic());
  assert.match(await page.textContent("#panic"), /a panic on purpose in the gan lab/);
  // The link's iterations replay over the next frames.
  await page.waitForFunction(() => window.genplay.labs.gan.snapshot().iteration === 30);
  const after = await page.evaluate(() => window.genplay.labs.gan.snapshot());
  assert.deepEqual(after.config, before.config);
  assert.equal(after.link_learning_rates, false);
  assert.deepEqual(after.g_loss_history, before.g_loss_history, "the same run, replayed");
  assert.deepEqual(problems, []);
  await close();
});

test("every lab comes back from a panic exactly as it was, and goes on", async () => {
  for (const name of ["coin", "joint", "gaussian", "em", "gan", "vae", "diffusion", "classify"]) {
    const { page, problems, close } = await browser.open(`#/${name}?seed=3`);
    const before = await page.evaluate((name) => {
      const lab = window.genplay.labs[name];
      lab.step(3);
      return JSON.stringify({ ...lab.snapshot(), step_ms: null });
    }, name);
    await page.evaluate(() => window.genplay.debug.panic());
    assert.equal(await page.isVisible("#panic"), true, `${name}: the error panel is shown`);
    // A lab that trains replays its iterations over a few frames; the time per step (a
    // measurement, not the run) starts again.
    await page.waitForFunction(
      ({ name, before }) =>
        JSON.stringify({ ...window.genplay.labs[name].snapshot(), step_ms: null }) === before,
      { name, before },
      { timeout: 20_000 },
    );
    const moved = await page.evaluate(async (name) => {
      const lab = window.genplay.labs[name];
      const was = JSON.stringify(lab.snapshot());
      await lab.step(1);
      return JSON.stringify(lab.snapshot()) !== was;
    }, name);
    assert.ok(moved, `${name} steps after the recovery`);
    assert.deepEqual(problems, [], name);
    await close();
  }
});

test("a panic while the training labs' module is still on its way: both modules come back and its labs load", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  // The training module arrives 1.5 s late, so the panic comes while it is on its way.
  await page.context().route("**/pkg/training/**/genplay_bg.wasm", async (route) => {
    await new Promise((ok) => setTimeout(ok, 1500));
    await route.continue();
  });
  await page.reload();
  await page.evaluate(() => window.genplay.ready);
  assert.equal(
    await page.evaluate(() => "gan" in window.genplay.labs),
    false,
    "the GAN lab waits for its module",
  );
  // Once the labs' code is in, the training module is being fetched.
  await page.waitForTimeout(400);
  await page.evaluate(() => window.genplay.debug.panic());
  await page.evaluate(() => window.genplay.loaded);
  const counts = await page.evaluate(async () => {
    const { coin, gan } = window.genplay.labs;
    coin.step(2);
    await gan.step(3);
    return [coin.snapshot().n_batches, gan.snapshot().iteration];
  });
  assert.deepEqual(counts, [2, 3]);
  await page.evaluate(() => (location.hash = "#/gan"));
  await page.getByRole("button", { name: /Play/ }).waitFor();
  assert.deepEqual(problems, []);
  await close();
});
