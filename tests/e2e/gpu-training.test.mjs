// The GAN, VAE (on points and on the digits) and diffusion labs on the GPU, in headless Chromium's
// software WebGPU (SwiftShader): a run on
// the GPU gives the CPU's losses for the same link, the badge says where it runs and on what,
// Play trains on the GPU without holding up the page's frames, a link replays on the GPU, and a
// device lost mid-run leaves the lab on the CPU with its run. Batches of 64 keep SwiftShader
// (which runs the kernels on the CPU) quick.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page, lab) => page.evaluate((lab) => window.genplay.labs[lab].snapshot(), lab);

/** The largest relative difference between two loss curves (losses near 0 compared to 0.01). */
function worst(a, b) {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 0.01)));
}

/** Waits until the lab's iteration count stops changing for 1.5 s (the last run on the GPU has
 * landed: on a loaded machine one of SwiftShader's runs can take longer than a poll). */
async function settled(page, lab) {
  let [last, same] = [-1, 0];
  for (;;) {
    const now = (await snapshot(page, lab)).iteration;
    same = now === last ? same + 1 : 0;
    if (same === 3) return now;
    last = now;
    await page.waitForTimeout(500);
  }
}

/** Frames drawn during `ms` milliseconds. */
const framesDuring = (page, ms) =>
  page.evaluate(
    (ms) =>
      new Promise((ok) => {
        let frames = 0;
        const end = performance.now() + ms;
        const tick = () =>
          performance.now() < end ? (frames++, requestAnimationFrame(tick)) : ok(frames);
        requestAnimationFrame(tick);
      }),
    ms,
  );

// Each case: the lab, the settings of its link before the batch, the curves compared.
const cases = {
  gan: { curves: ["d_loss_history", "g_loss_history"], screenshot: "gan-gpu" },
  vae: { curves: ["elbo_history", "kl_history"], screenshot: "vae-gpu" },
  // The VAE on the real digits, through the Bernoulli likelihood.
  "vae on images": {
    lab: "vae",
    settings: "target=digits&hidden_layers=1&hidden_units=64&",
    curves: ["elbo_history", "reconstruction_history", "kl_history"],
    screenshot: "vae-images-gpu",
  },
  diffusion: { curves: ["loss_history"], screenshot: "diffusion-gpu" },
};

for (const [name, { lab = name, settings = "", curves, screenshot: shot }] of Object.entries(
  cases,
)) {
  test(`${name} on the GPU: step(20) gives the CPU's losses for the same link, and the badge says so`, async () => {
    const { page, problems, close } = await browser.open(`#/${lab}?${settings}batch_size=64`);
    const ready = await snapshot(page, lab);
    assert.equal(ready.backend, "cpu", "auto keeps a software adapter on the CPU");
    assert.match(ready.backend_note, /software adapter/);
    await page.evaluate((lab) => window.genplay.labs[lab].set("backend", "gpu"), lab);
    const count = await page.evaluate((lab) => window.genplay.labs[lab].step(20), lab);
    assert.equal(count, 20);
    await nextFrames(page);
    const gpu = await snapshot(page, lab);
    assert.equal(gpu.backend, "gpu");
    assert.equal(gpu.gpu_adapter.fallback, true);
    assert.ok(gpu.gpu_adapter.name.length > 0);
    assert.ok(gpu.step_ms > 0, "the time per step is measured");
    const badge = page.locator(".backend-badge");
    assert.equal(await badge.getAttribute("data-backend"), "gpu");
    const text = await badge.textContent();
    assert.match(text, /Running on the GPU/);
    assert.ok(text.includes(gpu.gpu_adapter.name), text);
    await page.waitForFunction(() => location.hash.includes("iterations=20"));
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /backend=gpu/);
    await screenshot(page, shot);
    await page.setViewportSize({ width: 390, height: 844 });
    await nextFrames(page);
    await screenshot(page, `${shot}-phone`);

    // The same link on the CPU, replayed there.
    const cpu = await browser.open(hash.replace("backend=gpu", "backend=cpu"));
    await cpu.page.waitForFunction(
      (lab) => window.genplay.labs[lab].snapshot().iteration === 20,
      lab,
    );
    const onCpu = await snapshot(cpu.page, lab);
    assert.equal(onCpu.backend, "cpu");
    for (const curve of curves) {
      const error = worst(gpu[curve], onCpu[curve]);
      console.log(
        `${name} ${curve}: GPU vs CPU over 20 iterations, max relative error ${error.toExponential(1)}`,
      );
      assert.ok(error < 1e-3, `${curve} differs by ${error}`);
    }
    assert.deepEqual(cpu.problems, []);
    await cpu.close();

    // And the link as it is replays on the GPU.
    const replayed = await browser.open(hash);
    await replayed.page.waitForFunction(
      (lab) => window.genplay.labs[lab].snapshot().iteration === 20,
      lab,
    );
    const again = await snapshot(replayed.page, lab);
    assert.equal(again.backend, "gpu");
    for (const curve of curves) assert.ok(worst(again[curve], gpu[curve]) < 1e-6, curve);
    assert.deepEqual(replayed.problems, []);
    await replayed.close();
    assert.deepEqual(problems, []);
    await close();
  });

  test(`${name} on the GPU: Play keeps the frames coming, and a lost device falls back keeping the run`, async () => {
    const { page, problems, close } = await browser.open(
      `#/${lab}?${settings}batch_size=64&backend=gpu`,
    );
    assert.equal((await snapshot(page, lab)).backend, "gpu");
    await page.getByRole("button", { name: /Play/ }).first().click();
    const frames = await framesDuring(page, 3000);
    assert.ok(frames > 30, `only ${frames} frames in 3 s while training on the GPU`);
    await page.waitForFunction((lab) => window.genplay.labs[lab].snapshot().iteration >= 3, lab);
    await page.getByRole("button", { name: /Pause/ }).first().click();
    const iteration = await settled(page, lab);
    assert.ok(iteration >= 3);
    const before = await snapshot(page, lab);
    assert.equal(before.backend, "gpu");

    await page.evaluate(() => window.genplay.debug.loseGpu());
    const count = await page.evaluate((lab) => window.genplay.labs[lab].step(5), lab);
    assert.equal(count, iteration, "the step that met the lost device trained nothing");
    await nextFrames(page);
    const lost = await snapshot(page, lab);
    assert.equal(lost.backend, "cpu");
    assert.match(lost.backend_note, /lost|destroyed/);
    assert.match(lost.backend_note, new RegExp(`goes on from iteration ${iteration}`));
    assert.equal(lost.iteration, iteration);
    for (const curve of curves) assert.deepEqual(lost[curve], before[curve], curve);
    const badge = page.locator(".backend-badge");
    assert.equal(await badge.getAttribute("data-backend"), "cpu");
    assert.match(await badge.textContent(), /Running on the CPU/);
    // The run goes on, on the CPU; the GPU is refused from now on, with the reason.
    assert.equal(
      await page.evaluate((lab) => window.genplay.labs[lab].step(2), lab),
      iteration + 2,
    );
    const refusal = await page.evaluate((lab) => {
      try {
        window.genplay.labs[lab].set("backend", "gpu");
      } catch (error) {
        return error.message;
      }
    }, lab);
    assert.match(refusal, /backend = "gpu" is not allowed here: the GPU was lost/);
    assert.deepEqual(problems, []);
    await close();
  });
}
