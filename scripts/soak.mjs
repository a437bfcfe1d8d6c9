// `make soak`: a lecture's worth of training. Each lab that trains (the GAN, the VAE, and any
// later one with the same API) plays at full speed ("max", every layer on, training in its Web
// Worker) for SOAK_MINUTES minutes (10 by default) in headless Chromium, and the script reports:
// - that no number became non-finite: the snapshot's losses, distances, histories and points,
//   read every 5 s;
// - the wasm memory of the page and of the training worker after the first minute and at the end
//   (goal: within ±5 %);
// - the frame rate over each second (median and worst) and the longest gap between two frames.
// It writes target/soak.json and exits non-zero when a number was non-finite or memory grew out
// of bounds, so that a leak or a blow-up is a failure, not a figure.
import { writeFile, mkdir } from "node:fs/promises";
import { openBrowser } from "../tests/e2e/harness.mjs";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const LABS = (process.env.SOAK_LABS ?? "gan,vae,diffusion").split(",");
const SAMPLE_MS = 5000;
const MEMORY_GOAL = 0.05;

/** Every number in a snapshot (nested arrays and objects), and how many are not finite. */
function nonFinite(value, path = "", found = []) {
  if (typeof value === "number" && !Number.isFinite(value)) found.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => nonFinite(v, `${path}[${i}]`, found));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) nonFinite(v, path ? `${path}.${k}` : k, found);
  }
  return found;
}

/** The wasm memory, in bytes, of the page's instance and of its training worker(s). */
async function memory(page) {
  const own = await page.evaluate(() => window.genplay.debug.memory());
  const workers = await Promise.all(
    page.workers().map((w) => w.evaluate(() => self.genplay?.memory?.buffer.byteLength ?? 0)),
  );
  return { page: own, worker: workers.reduce((a, b) => a + b, 0) };
}

// SOAK_FOLDER serves a copy of www/ and pkg/ (so that editing the checkout meanwhile changes nothing).
const browser = await openBrowser({ folder: process.env.SOAK_FOLDER });
const results = [];
try {
  for (const name of LABS) {
    const { page, problems, close } = await browser.open(`#/${name}`);
    if (!(await page.evaluate((n) => n in window.genplay.labs, name))) {
      console.log(`${name}: no such lab here, skipped`);
      await close();
      continue;
    }
    await page.evaluate((n) => window.genplay.labs[n].set("speed", "max"), name);
    // Frames are counted in the page: each second's count, and the longest gap.
    await page.evaluate(() => {
      const f = (window.soakFrames = { perSecond: [], worstGap: 0, count: 0, last: 0, start: 0 });
      const tick = (now) => {
        if (f.last) f.worstGap = Math.max(f.worstGap, now - f.last);
        f.last = now;
        if (!f.start) f.start = now;
        f.count++;
        if (now - f.start >= 1000) {
          f.perSecond.push((f.count * 1000) / (now - f.start));
          f.start = now;
          f.count = 0;
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.getByRole("button", { name: /Play/ }).click();
    const start = Date.now();
    let afterMinute = null;
    let bad = [];
    let samples = 0;
    while (Date.now() - start < MINUTES * 60_000) {
      await page.waitForTimeout(SAMPLE_MS);
      const snapshot = await page.evaluate((n) => window.genplay.labs[n].snapshot(), name);
      samples++;
      bad = bad.concat(nonFinite(snapshot).map((p) => `${snapshot.iteration}: ${p}`));
      if (snapshot.diverged) bad.push(`${snapshot.iteration}: diverged: ${snapshot.diverged}`);
      if (!afterMinute && Date.now() - start >= 60_000) afterMinute = await memory(page);
    }
    const end = await memory(page);
    const snapshot = await page.evaluate((n) => window.genplay.labs[n].snapshot(), name);
    const frames = await page.evaluate(() => window.soakFrames);
    await page.getByRole("button", { name: /Pause/ }).click();
    // The first second counts the page settling in; the rest is the soak.
    const fps = frames.perSecond.slice(1).sort((a, b) => a - b);
    afterMinute ??= end;
    const growth = (k) => (afterMinute[k] ? end[k] / afterMinute[k] - 1 : 0);
    const result = {
      lab: name,
      minutes: MINUTES,
      iterations: snapshot.iteration,
      trainer: snapshot.trainer,
      samples,
      non_finite: bad.slice(0, 20),
      memory_after_1_min: afterMinute,
      memory_at_end: end,
      memory_growth: { page: growth("page"), worker: growth("worker") },
      fps_median: fps[Math.floor(fps.length / 2)],
      fps_worst: fps[0],
      worst_gap_ms: frames.worstGap,
      problems,
    };
    results.push(result);
    const mb = (b) => (b / 2 ** 20).toFixed(1);
    console.log(
      `${name}: ${MINUTES} min, ${snapshot.iteration} iterations (trained in the ${snapshot.trainer}); ` +
        `non-finite: ${bad.length === 0 ? "none" : bad.slice(0, 3).join("; ")}; ` +
        `memory page ${mb(afterMinute.page)} → ${mb(end.page)} MB, ` +
        `worker ${mb(afterMinute.worker)} → ${mb(end.worker)} MB ` +
        `(${(100 * result.memory_growth.page).toFixed(1)} % / ${(100 * result.memory_growth.worker).toFixed(1)} %); ` +
        `frames/s median ${result.fps_median?.toFixed(1)}, worst second ${result.fps_worst?.toFixed(1)}, ` +
        `longest gap ${frames.worstGap.toFixed(0)} ms`,
    );
    await close();
  }
} finally {
  await browser.close();
}
await mkdir("target", { recursive: true });
await writeFile(
  "target/soak.json",
  JSON.stringify({ date: new Date().toISOString(), results }, null, 2),
);
const failed = results.filter(
  (r) =>
    r.non_finite.length > 0 ||
    r.problems.length > 0 ||
    Math.abs(r.memory_growth.page) > MEMORY_GOAL ||
    Math.abs(r.memory_growth.worker) > MEMORY_GOAL,
);
if (failed.length > 0) {
  console.error(`soak failed for: ${failed.map((r) => r.lab).join(", ")}`);
  process.exit(1);
}
