// The EM lab's GPU path in the browser: on Chromium's software WebGPU adapter (SwiftShader) the
// E-steps run on the GPU and give the CPU's numbers; the badge says where EM runs; the Scale
// view times both; a lost device sends the lab back to the CPU with its run; and a browser
// without WebGPU stays on the CPU and says why.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.em.snapshot());
const badge = (page) => page.textContent(".backend-badge");

/** The largest relative error of `gpu` against `cpu`, entry by entry (nested arrays). */
function largestRelative(cpu, gpu) {
  if (Array.isArray(cpu)) return Math.max(0, ...cpu.map((c, i) => largestRelative(c, gpu[i])));
  if (cpu === 0) {
    assert.equal(gpu, 0, "an entry that is 0 on the CPU");
    return 0;
  }
  return Math.abs(gpu - cpu) / Math.abs(cpu);
}

test("on SwiftShader, backend gpu runs EM's E-steps on the GPU and matches the CPU run", async () => {
  const { page, problems, close } = await browser.open(
    "#/em?preset=anisotropic&k=3&covariance_type=full&init=kmeans%2B%2B&seed=11",
  );
  const start = await snapshot(page);
  assert.equal(start.gpu_adapter.fallback, true, "SwiftShader is a software adapter");
  assert.equal(start.backend, "cpu", "auto avoids a software adapter");
  assert.match(start.backend_note, /software adapter/);

  const onGpu = await page.evaluate(async () => {
    const em = window.genplay.labs.em;
    em.set("backend", "gpu");
    const returned = await em.step(20);
    return { returned, s: em.snapshot() };
  });
  assert.equal(onGpu.returned, 20);
  const g = onGpu.s;
  assert.equal(g.backend, "gpu");
  assert.equal(g.gpu_adapter.fallback, true);
  assert.equal(g.n_iter, 10);
  assert.ok(g.step_ms > 0, `step_ms ${g.step_ms}`);
  await nextFrames(page);
  const text = await badge(page);
  assert.match(text, /Running on the GPU/);
  assert.ok(text.includes(g.gpu_adapter.name), text);
  assert.match(text, /software/);
  assert.equal(await page.getAttribute(".backend-badge", "data-backend"), "gpu");
  await screenshot(page, "em-gpu");

  // The same link on the CPU: the same start (reset to the seed), the same 20 half-steps.
  const c = await page.evaluate(() => {
    const em = window.genplay.labs.em;
    em.set("backend", "cpu");
    em.reset(11);
    em.step(20);
    return em.snapshot();
  });
  assert.equal(c.backend, "cpu");
  for (const name of ["weights", "means", "covariances"]) {
    const error = largestRelative(c[name], g[name]);
    assert.ok(error <= 1e-4, `${name}: ${error}`);
  }
  const lb = largestRelative(c.lower_bound_history.at(-1), g.lower_bound_history.at(-1));
  assert.ok(lb <= 1e-5, `lower bound: ${lb}`);
  assert.deepEqual(problems, []);
  await close();
});

test("the Scale view times the CPU and the GPU per iteration and draws both", async () => {
  const { page, problems, close } = await browser.open("#/em");
  const rows = await page.evaluate(() => window.genplay.labs.em.scale([1000, 4000]));
  assert.deepEqual(
    rows.map((r) => r.n),
    [1000, 4000],
  );
  for (const r of rows) {
    assert.ok(r.cpu_ms > 0, `cpu_ms ${r.cpu_ms}`);
    assert.ok(r.gpu_ms > 0, `gpu_ms ${r.gpu_ms}`);
  }
  await nextFrames(page);
  const status = await page.textContent(".em-scale-status");
  assert.match(status, /software adapter \(.*\): its times measure correctness, not speed/);
  assert.equal((await snapshot(page)).backend, "cpu", "the student's own run is left alone");
  await page.$eval(".em-scale", (e) => e.scrollIntoView());
  await screenshot(page, "em-scale");
  await page.setViewportSize({ width: 390, height: 844 });
  await nextFrames(page);
  await page.$eval(".em-scale", (e) => e.scrollIntoView());
  await screenshot(page, "em-scale-phone");
  assert.deepEqual(problems, []);
  await close();
});

test("a GPU lost mid-run sends the lab back to the CPU, its run kept, and the badge says why", async () => {
  const { page, problems, close } = await browser.open("#/em");
  const before = await page.evaluate(async () => {
    const em = window.genplay.labs.em;
    em.set("backend", "gpu");
    await em.step(6);
    return em.snapshot();
  });
  assert.equal(before.backend, "gpu");
  const after = await page.evaluate(async () => {
    window.genplay.debug.loseGpu();
    await window.genplay.labs.em.step(2);
    return window.genplay.labs.em.snapshot();
  });
  assert.equal(after.backend, "cpu");
  assert.match(after.backend_note, /the GPU was lost/);
  assert.equal(after.half_steps, 6, "the E-step that never came back is not counted");
  for (const kept of ["weights", "means", "covariances", "lower_bound_history", "n_iter"])
    assert.deepEqual(after[kept], before[kept], kept);
  await nextFrames(page);
  const text = await badge(page);
  assert.match(text, /Running on the CPU/);
  assert.match(text, /the GPU was lost/);
  // The run goes on, on the CPU.
  const on = await page.evaluate(() => {
    window.genplay.labs.em.step(2);
    return window.genplay.labs.em.snapshot();
  });
  assert.equal(on.half_steps, 8);
  assert.deepEqual(problems, []);
  await close();
});

test("Play on the GPU steps one iteration at a time and stops at convergence", async () => {
  const { page, problems, close } = await browser.open("#/em?speed=100");
  await page.evaluate(() => window.genplay.labs.em.set("backend", "gpu"));
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.em.snapshot().converged, null, {
    timeout: 30_000,
  });
  await page.waitForFunction(() => !window.genplay.labs.em.snapshot().playing);
  const s = await snapshot(page);
  assert.equal(s.backend, "gpu");
  assert.equal(s.next_half_step, "E", "Play runs whole iterations");
  assert.deepEqual(problems, []);
  await close();
});

test("without WebGPU the lab stays on the CPU, refuses gpu with the reason, and the badge says it", async () => {
  const plain = await openBrowser({ webgpu: false });
  try {
    const { page, problems, close } = await plain.open("#/em");
    const s = await snapshot(page);
    assert.equal(s.backend, "cpu");
    assert.equal(s.gpu_adapter, null);
    const reason = s.backend_note;
    assert.ok(reason, "the note says why");
    const refused = await page.evaluate(() => {
      try {
        window.genplay.labs.em.set("backend", "gpu");
        return null;
      } catch (error) {
        return error.message;
      }
    });
    assert.ok(refused?.includes("backend"), refused);
    assert.ok(refused.includes(reason), `${refused} names ${reason}`);
    assert.equal((await snapshot(page)).backend, "cpu");
    await nextFrames(page);
    const text = await badge(page);
    assert.match(text, /Running on the CPU/);
    assert.ok(text.includes(reason), text);
    const rows = await page.evaluate(() => window.genplay.labs.em.scale([1000]));
    assert.equal(rows[0].gpu_ms, null);
    assert.ok(rows[0].cpu_ms > 0);
    await nextFrames(page);
    assert.match(await page.textContent(".em-scale-status"), /CPU only/);
    await screenshot(page, "em-no-webgpu");
    assert.deepEqual(problems, []);
    await close();
  } finally {
    await plain.close();
  }
});
