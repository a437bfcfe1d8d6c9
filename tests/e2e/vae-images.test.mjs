// The VAE lab on images, driven as a student would: pick the handwritten digits, Step (the
// iteration, the latent map and the decoded grid change), the β slider and the posterior-collapse
// preset, two originals clicked for the interpolation, a click on the latent map decoded big, the
// glyphs, a link that reopens an image run, and screenshots of the image lab on a desktop and a
// phone (element by element, so each view can be looked at).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot, screenshotDir } from "./harness.mjs";
import { join } from "node:path";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const vae = (page, body, arg) => page.evaluate(body, arg);
const snapshot = (page) => vae(page, () => window.genplay.labs.vae.snapshot());
const LATENT = ".vae-latent .canvas-box canvas";
const GRID = "canvas[aria-label^='A 15 by 15 grid']";
const PAIRS = "canvas[aria-label^='Rows of original images']";
const PATH = "canvas[aria-label^='Images decoded at ten']";
const DIGITS = "#/vae?target=digits&hidden_layers=1&hidden_units=128&batch_size=128";

test("picking the digits and Step change the iteration, the latent map and the decoded grid", async () => {
  const { page, problems, close } = await browser.open("#/vae");
  await page.selectOption("select[data-param='target']", "digits");
  await nextFrames(page);
  const start = await snapshot(page);
  assert.equal(start.target, "digits");
  assert.deepEqual(start.image_size, [8, 8]);
  assert.equal(start.labels.length, 500);
  assert.equal(start.latent_means.length, 500);
  assert.equal(start.decoded_grid.images.length, 225);
  assert.equal(start.decoded_grid.images[0].length, 64);
  assert.equal(start.reconstructions.length, 32);
  assert.equal(await page.locator(".vae-data").isVisible(), false, "the points' view leaves");
  const digests = [await canvasDigest(page, LATENT), await canvasDigest(page, GRID)];
  await page.getByRole("button", { name: "One iteration" }).click();
  await nextFrames(page);
  const one = await snapshot(page);
  assert.equal(one.iteration, 1);
  assert.notDeepEqual(one.latent_means, start.latent_means);
  assert.notDeepEqual(one.decoded_grid.images, start.decoded_grid.images);
  assert.notEqual(await canvasDigest(page, LATENT), digests[0], "the latent map changed");
  assert.notEqual(await canvasDigest(page, GRID), digests[1], "the decoded grid changed");
  // An untrained Bernoulli decoder: about ln 2 nats per pixel.
  assert.ok(one.reconstruction_error > 0.6, `BCE per pixel ${one.reconstruction_error}`);
  assert.deepEqual(problems, []);
  await close();
});

test("the β slider and the posterior-collapse preset change β live, and β = 50 drives the KL near 0", async () => {
  const { page, problems, close } = await browser.open(DIGITS);
  await vae(page, () => window.genplay.labs.vae.step(500));
  const before = await snapshot(page);
  const input = page.locator('input[data-param="beta"]');
  await input.focus();
  await page.keyboard.press("ArrowLeft");
  const s = await snapshot(page);
  assert.equal(s.beta, 0.5, "one notch left of 1 on the slider");
  assert.equal(s.iteration, 500, "β applies live: the run goes on");
  await page.getByRole("button", { name: /Posterior collapse/ }).click();
  assert.equal((await snapshot(page)).beta, 50);
  await vae(page, () => window.genplay.labs.vae.step(1500));
  const t = await snapshot(page);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [klBefore, klAfter] = [mean(before.kl_history.slice(-50)), mean(t.kl_history.slice(-50))];
  assert.ok(klBefore > 1, `β = 1 uses the latent: KL ${klBefore}`);
  assert.ok(klAfter < 0.05, `β = 50 collapses the posterior: KL ${klBefore} → ${klAfter}`);
  assert.deepEqual(problems, []);
  await close();
});

test("clicking two originals shows their interpolation, and a click on the map decodes it big", async () => {
  const { page, problems, close } = await browser.open(DIGITS);
  await vae(page, () => window.genplay.labs.vae.step(1000));
  await nextFrames(page);
  const pathDigest = await canvasDigest(page, PATH);
  const pairs = page.locator(PAIRS);
  await pairs.scrollIntoViewIfNeeded();
  const box = await pairs.boundingBox();
  const { width } = await pairs.evaluate((c) => ({ width: c.width }));
  const scale = box.width / width; // CSS pixels per image pixel
  // Image i of the first block sits at column i: 1 + i·(8 + 1) image pixels from the left.
  const clickImage = (i, row) =>
    page.mouse.click(box.x + (1 + i * 9 + 4) * scale, box.y + (1 + row * 9 + 4) * scale);
  await clickImage(5, 0);
  await clickImage(12, 1); // the reconstruction's row picks its original too
  await nextFrames(page);
  const s = await snapshot(page);
  assert.deepEqual([s.interpolation.from, s.interpolation.to], [5, 12]);
  assert.equal(s.interpolation.images.length, 10);
  assert.notEqual(await canvasDigest(page, PATH), pathDigest, "the interpolation is redrawn");
  assert.match(
    await page.textContent(".vae-path-note"),
    /From image 5 \(a 5\) to image 12 \(a 2\)/,
  );

  const canvas = page.locator(LATENT);
  await canvas.scrollIntoViewIfNeeded();
  const latent = await canvas.boundingBox();
  const [px, py] = await vae(page, () => window.genplay.labs.vae.latentPixelOf(-1, 0.5));
  await page.mouse.click(latent.x + px, latent.y + py);
  await nextFrames(page);
  const t = await snapshot(page);
  assert.ok(
    Math.abs(t.probe.z[0] + 1) < 0.03 && Math.abs(t.probe.z[1] - 0.5) < 0.03,
    `${t.probe.z}`,
  );
  assert.equal(t.probe.x.length, 64, "the decoding is an image");
  assert.ok(await page.locator(".vae-probe canvas").isVisible(), "shown big");
  assert.deepEqual(problems, []);
  await close();
});

test("the glyphs train as 28×28 images and a link reopens the image run", async () => {
  const { page, problems, close } = await browser.open(
    "#/vae?target=glyphs&hidden_layers=1&hidden_units=64&batch_size=32&interpolate=3,7",
  );
  await vae(page, () => window.genplay.labs.vae.step(30));
  const s = await snapshot(page);
  assert.deepEqual(s.image_size, [28, 28]);
  assert.equal(s.decoded_grid.images[0].length, 784);
  assert.deepEqual([s.interpolation.from, s.interpolation.to], [3, 7]);
  await page.waitForFunction(() => location.hash.includes("iterations=30"));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /target=glyphs/);
  assert.match(hash, /interpolate=3%2C7|interpolate=3,7/);
  const { page: again, close: closeAgain } = await browser.open(hash);
  await again.waitForFunction(() => window.genplay.labs.vae.snapshot().iteration === 30);
  const t = await snapshot(again);
  assert.deepEqual(t.elbo_history, s.elbo_history, "the same run");
  assert.deepEqual(t.interpolation, s.interpolation);
  await closeAgain();
  assert.deepEqual(problems, []);
  await close();
});

test("the narrated step trains one iteration and tells its five parts with its own numbers", async () => {
  const { page, problems, close } = await browser.open(DIGITS);
  await vae(page, () => window.genplay.labs.vae.step(20));
  const narrate = page.getByRole("button", { name: "Narrated step" });
  await narrate.scrollIntoViewIfNeeded();
  await narrate.click();
  const s = await snapshot(page);
  assert.equal(s.iteration, 21, "one iteration, as Step");
  const n = s.narration;
  assert.equal(n.iteration, 21);
  assert.ok(Math.abs(n.z[0] - (n.mean[0] + n.std_dev[0] * n.noise[0])) < 1e-5, "z = μ + σ·ε");
  assert.ok(Math.abs(n.loss - (-n.reconstruction + n.beta * n.kl)) < 1e-3);
  assert.equal(await page.locator(".vae-narrate li").count(), 1);
  assert.match(await page.textContent(".vae-narrate li"), /^Encode\. .*μ\(x\) = \(/);
  const next = page.getByRole("button", { name: "Next part" });
  for (let i = 0; i < 4; i++) await next.click();
  const parts = await page.locator(".vae-narrate li strong").allTextContents();
  assert.deepEqual(parts, [
    "Encode. ",
    "Sample ε. ",
    "Decode. ",
    "The two loss terms. ",
    "Update. ",
  ]);
  assert.match(await page.locator(".vae-narrate li").last().textContent(), /Iteration 21 is done/);
  assert.ok(await next.isDisabled(), "the last part ends the narration");
  assert.equal((await snapshot(page)).iteration, 21, "telling trains nothing more");
  assert.deepEqual(problems, []);
  await close();
});

test("screenshots of the trained digits lab at 1280 px and 390 px wide", async () => {
  for (const [name, width] of [
    ["desktop", 1280],
    ["phone", 390],
  ]) {
    const { page, problems, close } = await browser.open(DIGITS, {
      viewport: { width, height: 900 },
    });
    await vae(page, () => window.genplay.labs.vae.step(3000));
    await vae(page, () => window.genplay.labs.vae.set("probe", [0.5, -0.5]));
    await nextFrames(page);
    await screenshot(page, `vae-digits-${name}`);
    const views = page.locator(".views > figure:visible");
    for (let i = 0; i < (await views.count()); i++)
      await views
        .nth(i)
        .screenshot({ path: join(screenshotDir, `vae-digits-${name}-view-${i}.png`) });
    assert.deepEqual(problems, []);
    await close();
  }
});
