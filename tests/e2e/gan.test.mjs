// The GAN lab driven as a student would: the three step buttons, the layer check boxes, the
// narrated sub-steps, Play, the divergence guard and its Reset, a drawing made with real mouse
// strokes, a shared link, and the automation API's refusals of bad values.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.gan.snapshot());
const PLANE = ".gan-plane canvas";
const top = (page) => page.evaluate(() => scrollTo(0, 0));

test("Train D only, Train G only and One iteration train the right network and redraw", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await nextFrames(page);
  await screenshot(page, "gan-start");
  const start = await snapshot(page);
  assert.equal(start.iteration, 0);
  assert.equal(start.config.hidden_units, 64);
  assert.equal(start.config.batch_size, 256);
  assert.equal(start.real_samples.length, 256);

  let digest = await canvasDigest(page, PLANE);
  await page.getByRole("button", { name: "Train D only" }).click();
  await nextFrames(page);
  const afterD = await snapshot(page);
  assert.notEqual(afterD.d_parameter_sum, start.d_parameter_sum, "D's weights moved");
  assert.equal(afterD.g_parameter_sum, start.g_parameter_sum, "G's weights did not");
  assert.equal(afterD.iteration, 0, "a lone D step is not an iteration");
  assert.deepEqual([afterD.d_updates, afterD.g_updates], [1, 0]);
  assert.notEqual(await canvasDigest(page, PLANE), digest, "the heat map and batch changed");

  digest = await canvasDigest(page, PLANE);
  await page.getByRole("button", { name: "Train G only" }).click();
  await nextFrames(page);
  const afterG = await snapshot(page);
  assert.equal(afterG.d_parameter_sum, afterD.d_parameter_sum, "D's weights did not move");
  assert.notEqual(afterG.g_parameter_sum, afterD.g_parameter_sum, "G's weights moved");
  assert.deepEqual([afterG.d_updates, afterG.g_updates], [1, 1]);
  assert.ok(Number.isFinite(afterG.g_loss));
  assert.notEqual(await canvasDigest(page, PLANE), digest, "fakes, arrows and manifold moved");

  digest = await canvasDigest(page, PLANE);
  await page.getByRole("button", { name: "One iteration" }).click();
  await nextFrames(page);
  const afterI = await snapshot(page);
  assert.equal(afterI.iteration, 1);
  assert.deepEqual([afterI.d_updates, afterI.g_updates], [2, 2], "one D and one G step");
  assert.notEqual(afterI.d_parameter_sum, afterG.d_parameter_sum);
  assert.notEqual(afterI.g_parameter_sum, afterG.g_parameter_sum);
  assert.equal(afterI.d_loss_history.length, 1);
  assert.notEqual(await canvasDigest(page, PLANE), digest);
  assert.equal(await page.textContent("[data-readout=iteration]"), "1");
  assert.deepEqual(problems, []);
  await close();
});

test("every layer check box changes the drawing when switched, also from the keyboard", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.evaluate(() => window.genplay.labs.gan.step(40));
  await nextFrames(page);
  const labels = {
    show_heatmap: "Discriminator's belief D(x) (heat map)",
    show_real: "Real samples",
    show_fake: "Generated samples",
    show_gradients: "Generator's gradients (arrows)",
    show_manifold: "Generator's manifold (warped noise grid)",
  };
  for (const [name, label] of Object.entries(labels)) {
    const box = page.getByLabel(label, { exact: true });
    const on = await canvasDigest(page, PLANE);
    await box.click();
    await nextFrames(page);
    assert.equal((await snapshot(page)).layers[name], false, `${name} off`);
    const off = await canvasDigest(page, PLANE);
    assert.notEqual(off, on, `switching off ${name} changes the drawing`);
    await box.focus();
    await page.keyboard.press("Space");
    await nextFrames(page);
    assert.equal((await snapshot(page)).layers[name], true, `${name} back on by keyboard`);
    assert.equal(await canvasDigest(page, PLANE), on, `${name} back on restores the drawing`);
  }
  assert.deepEqual(problems, []);
  await close();
});

test("slow motion narrates the six sub-steps of each network, and the plot follows", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.evaluate(() => window.genplay.labs.gan.step(20));
  await nextFrames(page);
  const texts = {
    discriminator: [
      "Draw a batch of noise and a batch of real samples.",
      "The generator turns the noise into fake samples.",
      "The discriminator scores the real and the fake samples.",
      "The discriminator's loss: how far it is from calling real real and fake fake.",
      "Backpropagate the loss to every weight of the discriminator.",
      "The optimizer nudges the discriminator's weights downhill; the generator is untouched.",
    ],
    generator: [
      "Draw a fresh batch of noise.",
      "The generator turns the noise into fake samples.",
      "The discriminator scores the fake samples.",
      "The generator's loss: how clearly the discriminator sees through the fakes.",
      "Backpropagate through the frozen discriminator to each fake point (the arrows), then into the generator's weights.",
      "The optimizer nudges the generator's weights; the discriminator is untouched.",
    ],
  };
  const names = ["sample_noise", "generate", "classify", "compute_loss", "backpropagate", "update"];
  // Sub-steps whose result is drawn: the noise, the fakes, the verdicts, the arrows, the update.
  const drawn = {
    discriminator: ["sample_noise", "generate", "classify", "update"],
    generator: ["sample_noise", "generate", "classify", "backpropagate", "update"],
  };
  const nextButton = page.getByRole("button", { name: "Next sub-step" });
  let digest = await canvasDigest(page, PLANE);
  for (const phase of ["discriminator", "generator"]) {
    for (let i = 0; i < 6; i++) {
      await nextButton.click();
      await nextFrames(page);
      const s = await snapshot(page);
      assert.equal(s.last_sub_step.phase, phase);
      assert.equal(s.last_sub_step.sub_step, names[i]);
      assert.equal(s.last_sub_step.narration, texts[phase][i]);
      assert.match(
        await page.textContent(".gan-narration-text"),
        new RegExp(escape(texts[phase][i])),
      );
      assert.equal(
        await page.getAttribute(".gan-sub-steps li.current", "data-sub-step"),
        names[i],
        "the current sub-step is highlighted",
      );
      const now = await canvasDigest(page, PLANE);
      if (drawn[phase].includes(names[i]))
        assert.notEqual(now, digest, `${phase} ${names[i]} changes the plot`);
      digest = now;
      if (phase === "discriminator" && i === 0) await screenshot(page, "gan-narrated-noise");
      if (phase === "generator" && i === 4) {
        await top(page);
        await screenshot(page, "gan-narrated-arrows");
      }
    }
  }
  assert.equal((await snapshot(page)).iteration, 21, "twelve sub-steps make one iteration");
  assert.deepEqual(problems, []);
  await close();
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("Play trains: the distance to the ring falls over a few hundred iterations", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.evaluate(() => window.genplay.labs.gan.set("speed", "max"));
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.gan.snapshot().iteration >= 150);
  await top(page);
  await screenshot(page, "gan-mid-training");
  await page.waitForFunction(() => window.genplay.labs.gan.snapshot().iteration >= 500);
  await page.getByRole("button", { name: /Pause/ }).click();
  const s = await snapshot(page);
  assert.equal(s.playing, false);
  const d = s.distance_history;
  assert.ok(d.length >= 500);
  assert.ok(d[0] > 0.4, `starts far from the ring (${d[0]})`);
  assert.ok(d.at(-1) < 0.5 * d[0], `distance ${d[0]} → ${d.at(-1)}`);
  assert.match(await page.textContent("[data-readout=rate]"), /–/, "no speed shown when paused");

  await page.evaluate(() => window.genplay.labs.gan.step(2500));
  const done = await snapshot(page);
  assert.ok(done.distance < 0.1, `converged distance ${done.distance}`);
  await top(page);
  await nextFrames(page);
  await screenshot(page, "gan-converged");
  assert.deepEqual(problems, []);
  await close();
});

test("a huge learning rate trips the divergence guard: Play stops, the message shows, Reset recovers", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.evaluate(() => {
    const gan = window.genplay.labs.gan;
    gan.set("optimizer", "sgd");
    gan.set("learning_rate", 10);
    gan.set("speed", "max");
  });
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.gan.snapshot().diverged !== null);
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.playing, false, "Play stopped");
  assert.match(
    s.diverged,
    /^training diverged at iteration \d+: .*lower the learning rate \(now 10\) and press Reset$/,
  );
  const alarm = page.getByRole("alert");
  assert.match(
    await alarm.textContent(),
    /Training diverged\..*lower the learning rate \(now 10\)/,
  );
  assert.equal(await page.getByRole("button", { name: /Pause/ }).count(), 0);
  await top(page);
  await screenshot(page, "gan-diverged");

  await page.evaluate(() => window.genplay.labs.gan.set("learning_rate", 0.001));
  await alarm.getByRole("button", { name: /Reset/ }).click();
  await nextFrames(page);
  const r = await snapshot(page);
  assert.equal(r.diverged, null);
  assert.equal(r.iteration, 0);
  assert.equal(await page.getByRole("alert").isVisible(), false);
  await page.evaluate(() => window.genplay.labs.gan.step(30));
  const t = await snapshot(page);
  assert.equal(t.iteration, 30);
  assert.equal(t.diverged, null);
  assert.ok(t.d_loss_history.every(Number.isFinite));
  assert.deepEqual(problems, []);
  await close();
});

test("invalid sets throw a message naming the problem and change nothing", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  const result = await page.evaluate(() => {
    const gan = window.genplay.labs.gan;
    gan.set("hidden_units", 32);
    gan.step(5);
    const before = JSON.stringify(gan.snapshot());
    const attempts = [
      ["batch_size", 0],
      ["hidden_units", 129],
      ["loss", "bogus"],
      ["drawn_points", []],
      ["target", "drawn"],
      ["colour", 1],
      ["learning_rate", NaN],
      ["d_learning_rate", 11],
      ["d_steps", 11],
      ["noise_dim", 3],
      ["target", "circle"],
      ["drawn_points", [[2, 0]]],
      ["drawn_points", [[0, 0], [1]]],
      ["speed", 7],
      ["hidden_layers", 1.5],
      ["preset", "collapse"],
    ];
    const messages = attempts.map(([name, value]) => {
      try {
        gan.set(name, value);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : `not an Error: ${error}`;
      }
    });
    return { messages, unchanged: JSON.stringify(gan.snapshot()) === before };
  });
  assert.equal(result.unchanged, true);
  const m = result.messages;
  assert.match(
    m[0],
    /batch_size = 0 is not allowed: batch_size must be a whole number from 1 to 16384/,
  );
  assert.match(
    m[1],
    /hidden_units = 129 is not allowed: hidden_units must be a whole number from 1 to 128/,
  );
  assert.match(
    m[2],
    /loss = "bogus" is not allowed: loss must be one of "nonsaturating", "minimax", "lsgan", "hinge"/,
  );
  assert.match(m[3], /the drawing has no points: draw at least one point/);
  assert.match(m[4], /the drawing has no points/);
  assert.match(m[5], /gan has no parameter "colour"/);
  assert.match(
    m[6],
    /learning_rate = NaN is not allowed: learning_rate must be a number above 0 and at most 10/,
  );
  assert.match(m[7], /d_learning_rate = 11 is not allowed/);
  assert.match(m[8], /d_steps = 11 is not allowed: d_steps must be a whole number from 1 to 10/);
  assert.match(m[9], /noise_dim = 3 is not allowed/);
  assert.match(
    m[10],
    /target = "circle" is not allowed: target must be one of "ring", "grid", "moons", "spiral", "line"/,
  );
  assert.match(
    m[11],
    /drawn_points row 0 has a coordinate 2 outside the plane: .* from -1.5 to 1.5/,
  );
  assert.match(m[12], /drawn_points row 1 .* every row must be \[x, y\]/);
  assert.match(m[13], /speed = 7 is not allowed/);
  assert.match(m[14], /hidden_layers = 1.5 is not allowed \(not a whole number\)/);
  assert.match(
    m[15],
    /preset = "collapse" is not allowed: preset must be one of "healthy", "mode_collapse"/,
  );
  assert.deepEqual(problems, []);
  await close();
});

test("the same seed gives the same losses; another seed does not", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  const runs = await page.evaluate(() => {
    const gan = window.genplay.labs.gan;
    const run = (seed) => {
      gan.reset(seed);
      gan.step(60);
      const s = gan.snapshot();
      return [s.d_loss_history, s.g_loss_history, s.distance_history, s.fake_samples];
    };
    return [run(5), run(5), run(6)];
  });
  assert.equal(runs[0][0].length, 60);
  assert.deepEqual(runs[1], runs[0]);
  assert.notDeepEqual(runs[2][0], runs[0][0]);
  assert.deepEqual(problems, []);
  await close();
});

test("a preset shows its explanation and its settings", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.getByLabel("Preset", { exact: true }).selectOption("mode_collapse");
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.preset, "mode_collapse");
  assert.equal(s.config.noise_dim, 1);
  assert.equal(s.config.g_steps, 5);
  assert.match(await page.textContent(".gan-preset-note"), /all its samples pile onto one mode/);
  assert.match(await page.textContent(".message"), /rebuilt from seed 1/);
  assert.deepEqual(problems, []);
  await close();
});

test("a drawing made with real mouse strokes becomes the target and is learnt", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.getByLabel("Real data (target)").selectOption("drawn");
  await page.getByRole("button", { name: "Done: train on it" }).click();
  assert.match(await page.textContent(".message"), /the drawing has no points/);
  assert.equal((await snapshot(page)).config.target, "ring", "an empty drawing changes nothing");

  await page.locator(PLANE).scrollIntoViewIfNeeded();
  const box = await page.locator(PLANE).boundingBox();
  const pixel = (x, y) => page.evaluate(([x, y]) => window.genplay.labs.gan.pixelOf(x, y), [x, y]);
  // Two strokes: a horizontal bar at y = 0.5 and a vertical one at x = -0.5.
  for (const [from, to] of [
    [
      [-0.8, 0.5],
      [0.8, 0.5],
    ],
    [
      [-0.5, -0.8],
      [-0.5, 0.3],
    ],
  ]) {
    const [x0, y0] = await pixel(...from);
    const [x1, y1] = await pixel(...to);
    await page.mouse.move(box.x + x0, box.y + y0);
    await page.mouse.down();
    await page.mouse.move(box.x + x1, box.y + y1, { steps: 40 });
    await page.mouse.up();
  }
  await nextFrames(page);
  const drawing = (await snapshot(page)).drawing;
  assert.ok(drawing.length >= 40, `${drawing.length} points drawn`);
  for (const [x, y] of drawing) {
    const onBar = Math.abs(y - 0.5) < 0.03 && x > -0.83 && x < 0.83;
    const onPost = Math.abs(x + 0.5) < 0.03 && y > -0.83 && y < 0.33;
    assert.ok(onBar || onPost, `(${x}, ${y}) lies on a stroke`);
  }
  await top(page);
  await screenshot(page, "gan-drawing");
  await page.getByRole("button", { name: "Done: train on it" }).click();
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.config.target, "drawn");
  assert.equal(s.drawn_points.length, drawing.length);
  s.drawn_points.forEach(([x, y], i) => {
    // The core stores f32: equal to the drawn three-decimal values within its precision.
    assert.ok(Math.abs(x - drawing[i][0]) < 1e-6 && Math.abs(y - drawing[i][1]) < 1e-6);
  });
  assert.equal(s.drawing, null);
  await page.evaluate(() => window.genplay.labs.gan.step(800));
  const t = await snapshot(page);
  assert.ok(t.distance < 0.5 * t.distance_history[0], `${t.distance_history[0]} → ${t.distance}`);
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces a run: settings, seed and iterations replayed", async () => {
  const { page, close } = await browser.open("#/gan");
  await page.evaluate(() => {
    const gan = window.genplay.labs.gan;
    gan.set("target", "moons");
    gan.set("hidden_units", 32);
    gan.set("loss", "lsgan");
    gan.set("batch_size", 128);
    gan.set("seed", 9);
    gan.set("d_learning_rate", 0.002);
    gan.step(40);
  });
  await page.waitForFunction(() => location.hash.includes("iterations=40"));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /target=moons/);
  assert.match(hash, /loss=lsgan/);
  const original = await snapshot(page);
  await close();

  const copy = await browser.open(hash);
  await copy.page.waitForFunction(() => window.genplay.labs.gan.snapshot().iteration === 40);
  const s = await snapshot(copy.page);
  assert.deepEqual(s.config, original.config);
  assert.deepEqual(s.d_loss_history, original.d_loss_history);
  assert.deepEqual(s.fake_samples, original.fake_samples);
  assert.equal(s.link_learning_rates, false, "different rates unlink the sliders");
  assert.deepEqual(copy.problems, []);
  await copy.close();

  const bad = await browser.open("#/gan?hidden_units=500&loss=hinge");
  const t = await snapshot(bad.page);
  assert.equal(t.config.hidden_units, 64, "the refused setting leaves the default");
  assert.equal(t.config.loss, "hinge", "the valid setting is still used");
  assert.match(await bad.page.textContent("#banner"), /hidden_units = 500 is not allowed/);
  await bad.close();
});

test("a phone screen: no sideways scroll, the plane and its legend fit", async () => {
  const phone = await browser.open("#/gan?iterations=300", {
    viewport: { width: 360, height: 780 },
  });
  await phone.page.waitForFunction(() => window.genplay.labs.gan.snapshot().iteration === 300);
  await nextFrames(phone.page);
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, "no sideways scrolling on a 360 px phone");
  await screenshot(phone.page, "gan-phone");
  assert.deepEqual(phone.problems, []);
  await phone.close();
});
