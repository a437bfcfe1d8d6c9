// The VAE lab driven as a student would: Step, Play, the β slider dragged with the mouse, the
// layer check boxes, the divergence guard and its Reset, a shared link, the automation API's
// refusals, and screenshots on a desktop and a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.vae.snapshot());
const DATA = ".vae-data canvas";
const LATENT = ".vae-latent .canvas-box canvas";
const top = (page) => page.evaluate(() => scrollTo(0, 0));
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

test("Step runs one iteration and redraws every view", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  await nextFrames(page);
  await screenshot(page, "vae-start");
  const start = await snapshot(page);
  assert.equal(start.iteration, 0);
  assert.equal(start.beta, 1);
  assert.equal(start.latent_dim, 2);
  assert.equal(start.target, "ring");
  assert.equal(start.real_samples.length, 256);
  assert.equal(start.reconstructions.length, 256);
  assert.equal(start.prior_samples.length, 256);
  assert.equal(start.elbo_history.length, 0);
  const digests = [await canvasDigest(page, DATA), await canvasDigest(page, LATENT)];
  await page.getByRole("button", { name: "One iteration" }).click();
  await nextFrames(page);
  const one = await snapshot(page);
  assert.equal(one.iteration, 1);
  assert.equal(one.elbo_history.length, 1);
  assert.ok(
    Math.abs(one.elbo_history[0] - (one.reconstruction_history[0] - one.kl_history[0])) < 1e-4,
    "ELBO = reconstruction − KL",
  );
  assert.notDeepEqual(one.reconstructions, start.reconstructions);
  assert.notEqual(await canvasDigest(page, DATA), digests[0], "the data view changed");
  assert.notEqual(await canvasDigest(page, LATENT), digests[1], "the latent view changed");
  assert.equal(await page.textContent("[data-readout=iteration]"), "1");

  const digest = await canvasDigest(page, DATA);
  await page.getByRole("button", { name: "New draws from the prior" }).click();
  await nextFrames(page);
  const redrawn = await snapshot(page);
  assert.notDeepEqual(redrawn.prior_samples, one.prior_samples, "fresh prior draws");
  assert.equal(redrawn.iteration, 1, "redrawing does not train");
  assert.deepEqual(redrawn.reconstructions, one.reconstructions);
  assert.notEqual(await canvasDigest(page, DATA), digest, "the new data is drawn");
  assert.deepEqual(problems, []);
  await close();
});

test("Play raises the ELBO over a few hundred iterations", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  await page.evaluate(() => window.genplay.labs.vae.set("speed", "max"));
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.vae.snapshot().iteration >= 600);
  await page.getByRole("button", { name: /Pause/ }).click();
  const s = await snapshot(page);
  assert.equal(s.playing, false);
  const e = s.elbo_history;
  const early = mean(e.slice(0, 20));
  const late = mean(e.slice(-50));
  assert.ok(late > early + 5, `ELBO ${early} → ${late}`);
  assert.ok(s.reconstruction_error < 0.3, `mean distance x → x̂ ${s.reconstruction_error}`);
  await page.evaluate(() => window.genplay.labs.vae.step(1400));
  await top(page);
  await nextFrames(page);
  await screenshot(page, "vae-trained");
  assert.deepEqual(problems, []);
  await close();
});

test("dragging the β slider with the mouse changes β, and a large β drives the KL to 0", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  await page.evaluate(() => window.genplay.labs.vae.step(400));
  const before = await snapshot(page);
  const klBefore = mean(before.kl_history.slice(-50));
  const input = page.locator('input[data-param="beta"]');
  await input.scrollIntoViewIfNeeded();
  const box = await input.boundingBox();
  const y = box.y + box.height / 2;
  // The thumb sits at index 6 of 0–12 (β = 1), the middle; drag it to the right end (β = 100).
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.75, y, { steps: 4 });
  await page.mouse.move(box.x + box.width + 20, y, { steps: 4 });
  await page.mouse.up();
  const s = await snapshot(page);
  assert.equal(s.beta, 100);
  assert.equal(s.iteration, 400, "β applies live: the run goes on");
  assert.match(await page.textContent("[data-readout=beta]"), /^100$/);
  await page.evaluate(() => window.genplay.labs.vae.step(600));
  const t = await snapshot(page);
  const klAfter = mean(t.kl_history.slice(-50));
  assert.ok(klBefore > 1, `β = 1 uses the latent: KL ${klBefore}`);
  assert.ok(klAfter < 0.1, `β = 100 collapses the posterior: KL ${klBefore} → ${klAfter}`);
  assert.deepEqual(problems, []);
  await close();
});

test("a click in the latent space decodes that point, shown in both views", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  await page.evaluate(() => window.genplay.labs.vae.step(300));
  await nextFrames(page);
  const [latentDigest, dataDigest] = [
    await canvasDigest(page, LATENT),
    await canvasDigest(page, DATA),
  ];
  const canvas = page.locator(LATENT);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const [px, py] = await page.evaluate(() => window.genplay.labs.vae.latentPixelOf(1, -0.5));
  await page.mouse.click(box.x + px, box.y + py);
  await nextFrames(page);
  const s = await snapshot(page);
  assert.ok(s.probe, "a point was picked");
  assert.ok(
    Math.abs(s.probe.z[0] - 1) < 0.03 && Math.abs(s.probe.z[1] + 0.5) < 0.03,
    `${s.probe.z}`,
  );
  assert.equal(s.probe.x.length, 2);
  assert.notEqual(await canvasDigest(page, LATENT), latentDigest, "the latent view marks it");
  assert.notEqual(await canvasDigest(page, DATA), dataDigest, "the data view shows its decoding");
  await page.evaluate(() => window.genplay.labs.vae.step(50));
  const t = await snapshot(page);
  assert.deepEqual(t.probe.z, s.probe.z);
  assert.notDeepEqual(t.probe.x, s.probe.x, "the decoding follows training");
  await page.evaluate(() => window.genplay.labs.vae.set("probe", null));
  assert.equal((await snapshot(page)).probe, null);
  assert.deepEqual(problems, []);
  await close();
});

test("every layer check box changes the drawing when switched", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  await page.evaluate(() => window.genplay.labs.vae.step(100));
  await nextFrames(page);
  const labels = {
    show_data: ["Data points (coloured by direction)", DATA],
    show_reconstructions: ["Reconstructions (line from each point)", DATA],
    show_prior_samples: ["New data: decoded draws from the prior", DATA],
    show_manifold: ["Decoder manifold (decoded latent grid)", DATA],
    show_sigma: ["Encoder spread σ (ellipses, latent view)", LATENT],
  };
  for (const [name, [label, canvas]] of Object.entries(labels)) {
    const box = page.getByLabel(label, { exact: true });
    const on = await canvasDigest(page, canvas);
    await box.click();
    await nextFrames(page);
    assert.equal((await snapshot(page)).layers[name], false, `${name} off`);
    assert.notEqual(await canvasDigest(page, canvas), on, `switching off ${name} changes it`);
    await box.focus();
    await page.keyboard.press("Space");
    await nextFrames(page);
    assert.equal((await snapshot(page)).layers[name], true, `${name} back on by keyboard`);
    assert.equal(await canvasDigest(page, canvas), on, `${name} back on restores the drawing`);
  }
  assert.deepEqual(problems, []);
  await close();
});

test("invalid sets throw a message naming the parameter and change nothing", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  const result = await page.evaluate(() => {
    const vae = window.genplay.labs.vae;
    vae.step(5);
    const before = JSON.stringify(vae.snapshot());
    const attempts = [
      ["beta", -1],
      ["latent_dim", 17],
      ["hidden_units", 0],
      ["colour", 1],
      ["learning_rate", NaN],
      ["target", "circle"],
      ["batch_size", 20000],
      ["hidden_layers", 1.5],
      ["beta", "big"],
      ["speed", 7],
      ["probe", [1, 2, 3]],
      ["probe", "centre"],
    ];
    const messages = attempts.map(([name, value]) => {
      try {
        vae.set(name, value);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : `not an Error: ${error}`;
      }
    });
    return { messages, unchanged: JSON.stringify(vae.snapshot()) === before };
  });
  assert.equal(result.unchanged, true);
  const m = result.messages;
  assert.match(m[0], /beta = -1 is not allowed: beta must be a number from 0 to 100/);
  assert.match(
    m[1],
    /latent_dim = 17 is not allowed: latent_dim must be a whole number from 1 to 16/,
  );
  assert.match(
    m[2],
    /hidden_units = 0 is not allowed: hidden_units must be a whole number from 1 to 1024/,
  );
  assert.match(m[3], /vae has no parameter "colour"/);
  assert.match(
    m[4],
    /learning_rate = NaN is not allowed: learning_rate must be a number above 0 and at most 10/,
  );
  assert.match(
    m[5],
    /target = "circle" is not allowed: target must be one of "digits", "glyphs", "ring", "grid", "moons", "spiral", "line"/,
  );
  assert.match(m[6], /batch_size = 20000 is not allowed/);
  assert.match(m[7], /hidden_layers = 1.5 is not allowed \(not a whole number\)/);
  assert.match(m[8], /beta = "big" is not allowed \(a string, not a number\)/);
  assert.match(m[9], /speed = 7 is not allowed/);
  assert.match(
    m[10],
    /probe = \[1, 2, 3\] is not allowed: probe must be 2 finite numbers \(a point of the 2-D latent space\), or null/,
  );
  assert.match(m[11], /probe = "centre" is not allowed/);
  assert.deepEqual(problems, []);
  await close();
});

test("a huge learning rate trips the divergence guard: Play stops, the message shows, Reset recovers", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  await page.evaluate(() => {
    const vae = window.genplay.labs.vae;
    vae.set("learning_rate", 10);
    vae.set("speed", "max");
  });
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.vae.snapshot().diverged !== null);
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.playing, false, "Play stopped");
  assert.match(
    s.diverged,
    /^training diverged at iteration \d+: .*lower the learning rate \(now 10\) and press Reset$/,
  );
  const alarm = page.getByRole("alert");
  assert.match(await alarm.textContent(), /Training diverged\..*lower the learning rate/);
  await top(page);
  await screenshot(page, "vae-diverged");

  await page.evaluate(() => window.genplay.labs.vae.set("learning_rate", 0.003));
  await alarm.getByRole("button", { name: /Reset/ }).click();
  await nextFrames(page);
  const r = await snapshot(page);
  assert.equal(r.diverged, null);
  assert.equal(r.iteration, 0);
  assert.equal(await page.getByRole("alert").isVisible(), false);
  await page.evaluate(() => window.genplay.labs.vae.step(30));
  const t = await snapshot(page);
  assert.equal(t.iteration, 30);
  assert.ok(t.elbo_history.every(Number.isFinite));
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces a run: settings, seed and iterations replayed", async () => {
  const { page, close } = await browser.open("#/vae");
  await page.evaluate(() => {
    const vae = window.genplay.labs.vae;
    vae.set("target", "moons");
    vae.set("hidden_units", 32);
    vae.set("latent_dim", 1);
    vae.set("batch_size", 128);
    vae.set("seed", 9);
    vae.set("beta", 0.5);
    vae.set("learning_rate", 0.01);
    vae.step(60);
  });
  await page.waitForFunction(() => location.hash.includes("iterations=60"));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /target=moons/);
  assert.match(hash, /beta=0.5/);
  assert.match(hash, /latent_dim=1/);
  const original = await snapshot(page);
  await close();

  const copy = await browser.open(hash);
  await copy.page.waitForFunction(() => window.genplay.labs.vae.snapshot().iteration === 60);
  const s = await snapshot(copy.page);
  assert.deepEqual(s.config, original.config);
  assert.deepEqual(s.elbo_history, original.elbo_history);
  assert.deepEqual(s.prior_samples, original.prior_samples);
  assert.deepEqual(copy.problems, []);
  await copy.close();

  const bad = await browser.open("#/vae?latent_dim=17&target=spiral");
  const t = await snapshot(bad.page);
  assert.equal(t.latent_dim, 2, "the refused setting leaves the default");
  assert.equal(t.target, "spiral", "the valid setting is still used");
  assert.match(await bad.page.textContent("#banner"), /latent_dim = 17 is not allowed/);
  await bad.close();
});

test("a phone screen: no sideways scroll, the data view comes first", async () => {
  const phone = await browser.open("#/vae?iterations=800", {
    viewport: { width: 360, height: 780 },
  });
  await phone.page.waitForFunction(() => window.genplay.labs.vae.snapshot().iteration === 800);
  await nextFrames(phone.page);
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, "no sideways scrolling on a 360 px phone");
  const [dataTop, controlsTop] = await phone.page.evaluate(() => [
    document.querySelector(".vae-data").getBoundingClientRect().top,
    document.querySelector(".lab .controls").getBoundingClientRect().top,
  ]);
  assert.ok(dataTop < controlsTop, "the data view comes before the settings on a phone");
  await screenshot(phone.page, "vae-phone");
  assert.deepEqual(phone.problems, []);
  await phone.close();
});
