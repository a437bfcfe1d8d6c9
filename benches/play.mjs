// Play at full speed in a lab that trains (benches/browser/gan.mjs, vae.mjs): once the training
// worker holds the run, animation frames are counted for `ms` with every layer on, beside the
// iterations trained live; the figures are logged against the goals (live training at
// least 80 % of step(n)'s rate measured in the same run; at least 55 frames per second with no
// gap between frames above 35 ms).
const LIVE_GOAL = 0.8;
const FPS_GOAL = 55;
const GAP_GOAL_MS = 35;

/** Presses Play and measures; resolves to {fps, worst, perSecond, trainer}. */
export async function measurePlay(page, name, ms) {
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(
    (name) => window.genplay.labs[name].snapshot().trainer === "worker",
    name,
  );
  return page.evaluate(
    ({ name, ms }) =>
      new Promise((done) => {
        const lab = window.genplay.labs[name];
        const times = [];
        const startIteration = lab.snapshot().iteration;
        const t0 = performance.now();
        const tick = (now) => {
          times.push(now);
          if (now - t0 < ms) requestAnimationFrame(tick);
          else {
            let worst = 0;
            for (let i = 1; i < times.length; i++) worst = Math.max(worst, times[i] - times[i - 1]);
            const s = lab.snapshot();
            done({
              fps: (times.length - 1) / ((times.at(-1) - times[0]) / 1000),
              worst,
              perSecond: (s.iteration - startIteration) / ((performance.now() - t0) / 1000),
              trainer: s.trainer,
            });
          }
        };
        requestAnimationFrame(tick);
      }),
    { name, ms },
  );
}

/** Logs what measurePlay measured, `stepRate` being step(n)'s iterations per second. */
export function logPlay(log, name, play, stepRate) {
  const ratio = play.perSecond / stepRate;
  const met = (ok) => (ok ? "met" : "not met");
  log(
    `${name}_play_fps`,
    play.fps.toFixed(1),
    "fps",
    `playing at max, every layer on, training in the ${play.trainer}; goal ≥ ${FPS_GOAL}: ${met(play.fps >= FPS_GOAL)}`,
  );
  log(
    `${name}_play_iterations_per_s`,
    Math.round(play.perSecond),
    "it/s",
    "achieved live while drawing",
  );
  log(
    `${name}_play_live_to_step`,
    `${(100 * ratio).toFixed(0)} %`,
    "",
    `live ÷ step(n) (${Math.round(stepRate)} it/s); goal ≥ ${100 * LIVE_GOAL} %: ${met(ratio >= LIVE_GOAL)}`,
  );
  log(
    `${name}_play_worst_frame_gap_ms`,
    play.worst.toFixed(1),
    "ms",
    `longest time between two frames; goal ≤ ${GAP_GOAL_MS}: ${met(play.worst <= GAP_GOAL_MS)}`,
  );
}

/**
 * Input latency while `name` plays: `count` real key presses and mouse clicks on the lab's
 * heading, each timed from the event's timeStamp to its listener (the page's thread must be free
 * to answer within a frame); logs the medians and the worst.
 */
export async function logInputLatency(page, log, name, count = 20) {
  await page.evaluate(() => {
    window.__latency = { key: [], click: [] };
    addEventListener("keydown", (e) => {
      if (e.key === "x") window.__latency.key.push(performance.now() - e.timeStamp);
    });
    document.querySelector(".lab-head h2").addEventListener("click", (e) => {
      window.__latency.click.push(performance.now() - e.timeStamp);
    });
  });
  const heading = await page.locator(".lab-head h2").boundingBox();
  for (let i = 0; i < count; i++) {
    await page.keyboard.press("x");
    await page.mouse.click(heading.x + 20, heading.y + heading.height / 2);
    await page.waitForTimeout(37);
  }
  const latency = await page.evaluate(() => window.__latency);
  const playing = await page.evaluate((name) => window.genplay.labs[name].snapshot().playing, name);
  if (!playing) throw new Error(`the ${name} lab stopped playing during the latency measurement`);
  for (const [kind, values] of [
    ["keydown", latency.key],
    ["click", latency.click],
  ]) {
    const sorted = [...values].sort((a, b) => a - b);
    log(
      `${name}_${kind}_latency_ms`,
      sorted[Math.floor(sorted.length / 2)].toFixed(1),
      "ms",
      `median of ${values.length}, worst ${sorted.at(-1).toFixed(1)} ms, while playing`,
    );
  }
}
