// The diffusion lab driven as a student would: t dragged with the mouse and moved with the
// keyboard, Step and the six narrated sub-steps, the reverse process run, paused and scrubbed,
// the automation API's refusals, a shared link, Play in the worker, and screenshots on a desktop
// and a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.diffusion.snapshot());
const FORWARD = ".diff-forward canvas";
const REVERSE = ".diff-reverse canvas";
const NARRATE = ".diff-narrate canvas";
const top = (page) => page.evaluate(() => scrollTo(0, 0));

test("dragging t with the mouse and moving it with the keyboard diffuses the cloud", async () => {
  const { page, problems, close } = await browser.open("#/diffusion");
  await nextFrames(page);
  const start = await snapshot(page);
  assert.equal(start.t, 25);
  assert.equal(start.config.timesteps, 100);
  assert.equal(start.forward_samples.length, 512);
  assert.ok(Math.abs(start.mean_factor ** 2 - start.alpha_bar) < 1e-9, "mean factor = √ᾱ_t");
  assert.ok(Math.abs(start.noise_variance - (1 - start.alpha_bar)) < 1e-9, "variance = 1 − ᾱ_t");
  const digest = await canvasDigest(page, FORWARD);

  // A real mouse drag of the t slider to its right end: t = T, nothing but noise.
  const slider = page.locator(".diff-t input[type=range]");
  const box = await slider.boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width + 20, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await nextFrames(page);
  const end = await snapshot(page);
  assert.equal(end.t, 100);
  assert.ok(end.alpha_bar < 1e-3, `ᾱ_T = ${end.alpha_bar}`);
  assert.notDeepEqual(end.forward_samples, start.forward_samples, "the cloud moved");
  assert.notEqual(await canvasDigest(page, FORWARD), digest, "the forward view was redrawn");
  // At t = T the cloud is N(0, I): its spread is about 1 (it was the ring's, about 0.6, at t = 0).
  const spread = Math.sqrt(end.forward_samples.reduce((a, [x, y]) => a + x * x + y * y, 0) / 1024);
  assert.ok(Math.abs(spread - 1) < 0.1, `spread at t = T ${spread}`);
  assert.match(await page.textContent(".diff-formula"), /t = 100 of 100/);

  // The keyboard: ← moves one step back, Home to the data.
  await slider.focus();
  await page.keyboard.press("ArrowLeft");
  await nextFrames(page);
  assert.equal((await snapshot(page)).t, 99);
  await page.keyboard.press("Home");
  await nextFrames(page);
  const data = await snapshot(page);
  assert.equal(data.t, 0);
  assert.deepEqual(data.forward_samples, data.real_samples, "at t = 0 the cloud is the data");
  assert.equal(await page.textContent("[data-readout=t]"), "0 of 100");
  assert.deepEqual(problems, []);
  await close();
});

test("Step and the narrated sub-steps train one iteration each, explained", async () => {
  const { page, problems, close } = await browser.open("#/diffusion");
  await nextFrames(page);
  const start = await snapshot(page);
  assert.equal(start.iteration, 0);
  assert.equal(start.distance_history.length, 1, "the untrained model's distance");
  await page.getByRole("button", { name: "One iteration" }).click();
  await nextFrames(page);
  const one = await snapshot(page);
  assert.equal(one.iteration, 1);
  assert.equal(one.loss_history.length, 1);
  assert.equal(await page.textContent("[data-readout=iteration]"), "1");

  const names = ["sample_t", "sample_noise", "form_x_t", "predict", "loss", "update"];
  const digest = await canvasDigest(page, NARRATE);
  for (const [i, name] of names.entries()) {
    // The button, then the key N, in turns.
    if (i % 2 === 0) await page.getByRole("button", { name: "Next sub-step" }).first().click();
    else await page.keyboard.press("n");
    await nextFrames(page);
    const s = await snapshot(page);
    assert.equal(s.batch.sub_step, name);
    assert.equal(s.iteration, name === "update" ? 2 : 1, `after ${name}`);
    assert.equal(await page.textContent(".diff-narration"), s.batch.narration);
    assert.equal(
      await page.getAttribute(`.diff-sub-steps li[data-sub-step=${name}]`, "aria-current"),
      "",
    );
    if (name === "form_x_t") {
      const [x0, eps, xt] = [s.batch.data[0], s.batch.noise[0], s.batch.noisy[0]];
      const u = s.batch.times[0];
      assert.ok(u > 0 && u <= 1, `t/T = ${u}`);
      // x_t = m x₀ + s ε with m² + s² = 1 (DDPM): its norm sits between the two.
      assert.ok(Number.isFinite(xt[0] + xt[1] + x0[0] + eps[0]));
      assert.deepEqual(s.batch.targets[0], eps, "DDPM's target is the noise");
    }
  }
  assert.notEqual(await canvasDigest(page, NARRATE), digest, "the narrated view drew the batch");
  const narrated = await snapshot(page);
  assert.equal(narrated.loss_history.length, 2);
  assert.match(narrated.batch.narration, /Adam/);
  assert.deepEqual(problems, []);
  await close();
});

test("the reverse process runs, pauses and scrubs, and sample() returns its points", async () => {
  const { page, problems, close } = await browser.open("#/diffusion");
  await page.evaluate(() => window.genplay.labs.diffusion.step(300));
  await page.getByRole("button", { name: "Run the reverse process" }).click();
  await nextFrames(page);
  const running = await snapshot(page);
  assert.equal(running.reverse_view.steps, 100);
  assert.equal(running.samples.length, 512);
  assert.equal(running.trajectories.length, 16);
  assert.equal(running.trajectories[0].length, 101);
  assert.deepEqual(running.trajectories[3][100], running.samples[3], "a path ends at its sample");
  await page.getByRole("button", { name: "Hold this step" }).click();
  await nextFrames(page);
  const paused = await snapshot(page);
  assert.equal(paused.reverse_view.playing, false);
  assert.ok(paused.reverse_view.step < 100, `paused at step ${paused.reverse_view.step}`);
  await nextFrames(page);
  assert.equal((await snapshot(page)).reverse_view.step, paused.reverse_view.step, "it stays");

  // Scrub with the keyboard: Home is the noise, → one step on.
  const scrub = page.locator(".diff-reverse-controls input[type=range]");
  await scrub.focus();
  await page.keyboard.press("Home");
  await nextFrames(page);
  assert.equal((await snapshot(page)).reverse_view.step, 0);
  const atNoise = await canvasDigest(page, REVERSE);
  await page.keyboard.press("End");
  await nextFrames(page);
  assert.equal((await snapshot(page)).reverse_view.step, 100);
  assert.notEqual(await canvasDigest(page, REVERSE), atNoise, "the scrubbed step is drawn");
  assert.match(await page.textContent(".diff-reverse-status"), /Step 100 of 100/);

  // DDIM is deterministic: sample() twice gives the same points; DDPM's pass is seeded too.
  const [a, b] = await page.evaluate(() => {
    const lab = window.genplay.labs.diffusion;
    lab.set("sampler", "ddim");
    lab.set("sampling_steps", 20);
    return [lab.sample(), lab.sample()];
  });
  assert.deepEqual(a, b);
  assert.equal(a.length, 512);
  const ddim = await snapshot(page);
  assert.equal(ddim.reverse_view.steps, 20);
  assert.deepEqual(ddim.samples, a);
  assert.deepEqual(problems, []);
  await close();
});

test("refusals name the parameter and say what is allowed", async () => {
  const { page, problems, close } = await browser.open("#/diffusion");
  const refused = (name, v) =>
    page.evaluate(
      ([name, v]) => {
        try {
          window.genplay.labs.diffusion.set(name, v);
          return null;
        } catch (e) {
          return e.message;
        }
      },
      [name, v],
    );
  assert.match(
    await refused("sampler", "euler"),
    /^sampler = "euler" is not allowed: sampler must be "ddpm" or "ddim" while objective is "ddpm"/,
  );
  assert.equal(
    await refused("sampling_steps", 500),
    "sampling_steps = 500 is not allowed: sampling_steps must be a whole number from 1 to timesteps (now 100)",
  );
  assert.equal(
    await refused("t", 101),
    "t = 101 is not allowed: t must be a whole number from 0 to timesteps (now 100)",
  );
  assert.match(await refused("timesteps", 5), /^timesteps = 5 is not allowed: .*from 10 to 1000/);
  assert.match(await refused("objective", "score"), /^objective = "score" is not allowed/);
  const s = await snapshot(page);
  assert.equal(s.config.sampler, "ddpm", "nothing changed");
  // Flow matching takes Euler with it, and refuses DDPM's samplers.
  await page.evaluate(() => window.genplay.labs.diffusion.set("objective", "flow_matching"));
  assert.equal((await snapshot(page)).config.sampler, "euler");
  assert.match(await refused("sampler", "ddim"), /sampler must be "euler" while objective/);
  // A refused slider value is shown on the page, not thrown into the console.
  await page.evaluate(() => window.genplay.labs.diffusion.set("timesteps", 50));
  assert.equal((await snapshot(page)).t, 13, "t keeps its place along T (25 of 100 → 13 of 50)");
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces a run: settings, seed and iterations replayed", async () => {
  const { page, close } = await browser.open("#/diffusion");
  await page.evaluate(() => {
    const lab = window.genplay.labs.diffusion;
    lab.set("target", "moons");
    lab.set("objective", "flow_matching");
    lab.set("timesteps", 50);
    lab.set("sampling_steps", 25);
    lab.set("hidden_units", 32);
    lab.set("batch_size", 128);
    lab.set("seed", 9);
    lab.set("t", 40);
    lab.step(260);
  });
  await page.waitForFunction(() => location.hash.includes("iterations=260"));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /objective=flow_matching/);
  assert.match(hash, /timesteps=50/);
  assert.match(hash, /t=40/);
  const original = await snapshot(page);
  await close();

  const copy = await browser.open(hash);
  await copy.page.waitForFunction(() => window.genplay.labs.diffusion.snapshot().iteration === 260);
  const s = await snapshot(copy.page);
  assert.deepEqual(s.config, original.config);
  assert.equal(s.t, 40);
  assert.deepEqual(s.loss_history, original.loss_history);
  assert.deepEqual(s.distance_history, original.distance_history);
  assert.deepEqual(s.samples, original.samples);
  assert.deepEqual(copy.problems, []);
  await copy.close();

  const bad = await browser.open("#/diffusion?sampler=euler&target=spiral");
  const t = await snapshot(bad.page);
  assert.equal(t.config.sampler, "ddpm", "the refused setting leaves the default");
  assert.equal(t.target, "spiral", "the valid setting is still used");
  assert.match(await bad.page.textContent("#banner"), /sampler = "euler" is not allowed/);
  await bad.close();
});

test("Play trains in the worker and learns the ring; screenshots on a desktop and a phone", async () => {
  const { page, problems, close } = await browser.open("#/diffusion");
  await page.evaluate(() => window.genplay.labs.diffusion.set("speed", "max"));
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.diffusion.snapshot().iteration >= 1000, {
    timeout: 60_000,
  });
  const playing = await snapshot(page);
  await page.getByRole("button", { name: /Pause/ }).click();
  assert.equal(playing.trainer, "worker");
  await nextFrames(page);
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.playing, false);
  const first = s.distance_history[0];
  const last = s.distance_history[s.distance_history.length - 1];
  assert.ok(last < first / 4, `distance ${first} → ${last}`);
  assert.equal(s.sampling_steps_taken, 100, "pausing runs the paths again");
  await page.evaluate(() => window.genplay.labs.diffusion.set("t", 10));
  await page.getByRole("button", { name: "Run the reverse process" }).click();
  await page.waitForTimeout(1500);
  await page.getByRole("button", { name: "Hold this step" }).click();
  await top(page);
  await nextFrames(page);
  await screenshot(page, "diffusion-trained-1280");
  assert.deepEqual(problems, []);
  await close();

  const phone = await browser.open("#/diffusion?iterations=500&t=50", {
    viewport: { width: 390, height: 844 },
  });
  await phone.page.waitForFunction(
    () => window.genplay.labs.diffusion.snapshot().iteration === 500,
  );
  await nextFrames(phone.page);
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, "no sideways scrolling on a 390 px phone");
  const [forwardTop, controlsTop] = await phone.page.evaluate(() => [
    document.querySelector(".diff-forward").getBoundingClientRect().top,
    document.querySelector(".lab .controls").getBoundingClientRect().top,
  ]);
  assert.ok(forwardTop < controlsTop, "the forward view comes before the settings on a phone");
  await screenshot(phone.page, "diffusion-trained-390");
  assert.deepEqual(phone.problems, []);
  await phone.close();
});

test("drawing a target with the mouse on the forward view trains on the drawing", async () => {
  const { page, problems, close } = await browser.open("#/diffusion");
  await page.selectOption("select[data-param=target]", "drawn");
  await nextFrames(page);
  assert.equal((await snapshot(page)).t, 0, "the forward view shows the data while drawing");
  const box = await page.locator(FORWARD).boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx - 60, cy);
  await page.mouse.down();
  for (let i = 0; i <= 20; i++) await page.mouse.move(cx - 60 + 6 * i, cy - 2 * i);
  await page.mouse.up();
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.target, "drawn");
  assert.ok(s.drawn_points.length >= 15, `${s.drawn_points.length} points drawn`);
  // Drawn left to right and upwards: the points run from x < 0 to x > 0, rising.
  const first = s.drawn_points[0];
  const last = s.drawn_points[s.drawn_points.length - 1];
  assert.ok(first[0] < 0 && last[0] > 0 && last[1] > first[1], JSON.stringify([first, last]));
  assert.equal(s.iteration, 0);
  await page.evaluate(() => window.genplay.labs.diffusion.step(20));
  assert.equal((await snapshot(page)).iteration, 20);
  assert.deepEqual(problems, []);
  await close();
});
