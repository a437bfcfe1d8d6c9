// Accessibility: axe-core (npm) checks every route at desktop and phone width, after the lab has
// been used a little (a step, so its results are on screen), and finds no "serious" or
// "critical" violation. The course page is checked in both of its languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { nextFrames, openBrowser } from "./harness.mjs";

const ROUTES = [
  "diffusion",
  "learn",
  "learn?lang=zh",
  "coin",
  "joint",
  "gaussian",
  "em",
  "gan",
  "vae",
  "classify",
];
const VIEWPORTS = [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
];
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core"), "utf8");
let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

/** axe's serious and critical violations on the page, one line per rule with its elements. */
async function seriousViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ["violations"] });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

for (const [label, viewport] of VIEWPORTS) {
  test(`axe finds no serious violation on any route, ${label}`, async () => {
    const found = [];
    for (const route of ROUTES) {
      const { page, problems, close } = await browser.open(`#/${route}`, { viewport });
      const name = route.split("?")[0];
      if (name !== "learn") await page.evaluate((n) => window.genplay.labs[n].step(1), name);
      await nextFrames(page);
      for (const line of await seriousViolations(page)) found.push(`#/${route}: ${line}`);
      assert.deepEqual(problems, [], route);
      await close();
    }
    assert.deepEqual(found, []);
  });
}

test("every lab announces its run in the polite live region, once the steps settle", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  const region = await page.$eval("#announcer", (n) => [n.getAttribute("aria-live"), n.role]);
  assert.deepEqual(region, ["polite", "status"]);
  const heard = {};
  for (const lab of ["coin", "joint", "gaussian", "em", "gan", "vae", "diffusion", "classify"]) {
    await page.evaluate((name) => (location.hash = `#/${name}`), lab);
    await page.waitForFunction(
      (name) => document.querySelector("#labs-nav a[aria-current=page]")?.dataset.lab === name,
      lab,
    );
    await nextFrames(page);
    const before = await page.textContent("#announcer");
    // Three presses in a row: one sentence, after the last.
    for (let i = 0; i < 3; i++) await page.keyboard.press("s");
    await page.waitForFunction(
      (text) => document.querySelector("#announcer").textContent !== text,
      before,
    );
    heard[lab] = await page.textContent("#announcer");
  }
  assert.match(heard.coin, /^Coin: \d+ flips: \d+ heads, frequency 0\.\d{3}\.$/);
  assert.match(heard.joint, /^Joint: \d+ pairs sampled; mutual information [\d.]+ bits\.$/);
  assert.match(heard.gaussian, /^Gaussian: \d+ samples: [\d.]+% inside the 1σ ellipse/);
  // S on the EM lab takes a half-step: three are E, M, E.
  assert.match(heard.em, /^EM: E-step done, iteration 1: lower bound −?\d+\.\d{3}\.$/);
  assert.match(heard.gan, /^GAN: iteration 3: distance \d\.\d{3}, D loss/);
  assert.match(heard.vae, /^VAE: iteration 3: ELBO −?\d/);
  assert.match(heard.diffusion, /^Diffusion: iteration 3: loss \d+\.\d{3}/);
  assert.match(heard.classify, /^Classify: .+ fitted to \d+ points: accuracy [\d.]+%/);
  assert.deepEqual(problems, []);
  await close();
});

test("the planes that answer clicks answer the keyboard: arrows move a cursor, Enter clicks", async () => {
  const { page, problems, close } = await browser.open("#/em");
  await page.evaluate(() => window.genplay.labs.em.set("click_mode", "add"));
  const before = await page.evaluate(() => window.genplay.labs.em.snapshot().n_points);
  await page.focus('canvas[aria-label^="The data coloured"]');
  assert.equal(await page.isVisible(".key-cursor"), true, "the cursor shows on focus");
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  const readout = await page.textContent(".key-cursor-readout");
  assert.match(readout, /^x₁ = −?\d+\.\d\d, x₂ = −?\d+\.\d\d$/);
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => window.genplay.labs.em.snapshot().n_points), before + 1);
  await page.keyboard.press("Tab");
  assert.equal(await page.isVisible(".key-cursor"), false, "and hides when focus leaves");
  assert.deepEqual(problems, []);
  await close();

  // The GAN's drawn target: Enter where the cursor starts (the middle of the axes), then two
  // big steps right.
  const gan = await browser.open("#/gan");
  await gan.page.evaluate(() => window.genplay.labs.gan.start_drawing());
  await gan.page.focus('#lab .view canvas[tabindex="0"]');
  await gan.page.keyboard.press("Enter");
  for (let i = 0; i < 2; i++) await gan.page.keyboard.press("Shift+ArrowRight");
  await gan.page.keyboard.press("Enter");
  await gan.page.evaluate(() => window.genplay.labs.gan.finish_drawing());
  const drawn = await gan.page.evaluate(() => window.genplay.labs.gan.snapshot().drawn_points);
  assert.equal(drawn.length, 2);
  assert.ok(Math.hypot(...drawn[0]) < 0.02, `the first point is the middle: ${drawn[0]}`);
  assert.ok(drawn[1][0] > drawn[0][0] + 0.5 && Math.abs(drawn[1][1] - drawn[0][1]) < 0.01);
  assert.deepEqual(gan.problems, []);
  await gan.close();

  // The VAE's latent plane: up from the middle, Enter decodes there.
  const vae = await browser.open("#/vae");
  await vae.page.focus('canvas[aria-label^="The latent plane"]');
  for (let i = 0; i < 5; i++) await vae.page.keyboard.press("ArrowUp");
  await vae.page.keyboard.press("Enter");
  const probe = await vae.page.evaluate(() => window.genplay.labs.vae.snapshot().probe);
  assert.ok(probe && Math.abs(probe.z[0]) < 0.05 && probe.z[1] > 0.2, JSON.stringify(probe));
  assert.deepEqual(vae.problems, []);
  await vae.close();
});
