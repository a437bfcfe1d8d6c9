// The curve charts drawn by plotters (www/ui/chart.js, the charts module from charts/): every
// lab's curve chart draws its series in its colour where the data are, under the page's
// Content-Security-Policy; a chart asked to draw before the module arrives draws when it does;
// the SVG button saves the same chart as an SVG document with its axes, legend and data.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openBrowser, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

/** Pixels of `canvas` within 40 of the colour `hex` on every channel. */
const pixelsOf = (page, figureIndex, hex) =>
  page.evaluate(
    ({ figureIndex, hex }) => {
      const figures = [...document.querySelectorAll("figure.view")].filter((f) =>
        f.querySelector("canvas"),
      );
      const canvas = figures[figureIndex].querySelector("canvas");
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (want.every((c, k) => Math.abs(data[i + k] - c) < 40) && data[i + 3] > 200) n++;
      return n;
    },
    { figureIndex, hex },
  );

/** The index among the page's figures of the one titled `title`. */
const figureIndex = (page, title) =>
  page.evaluate(
    (title) =>
      [...document.querySelectorAll("figure.view")]
        .filter((f) => f.querySelector("canvas"))
        .findIndex((f) => f.querySelector("figcaption").textContent.startsWith(title)),
    title,
  );

const cases = [
  { lab: "coin", title: "Running frequency", run: "coin.step(300)", color: "#D55E00" },
  { lab: "gan", title: "Losses over iterations", run: "gan.step(40)", color: "#0072B2" },
  { lab: "em", title: "Lower bound per iteration", run: "em.step(8)", color: "#0072B2" },
  { lab: "em", title: "Choosing K: BIC", run: "em.bic()", color: "#D55E00" },
  { lab: "diffusion", title: "Loss over iterations", run: "diffusion.step(30)", color: "#1D2433" },
  { lab: "vae", title: "The ELBO and its two terms", run: "vae.step(40)", color: "#E69F00" },
];

for (const { lab, title, run, color } of cases) {
  test(`${lab}: “${title}” is drawn by plotters, its series appearing once there are data`, async () => {
    const { page, problems, close } = await browser.open(`#/${lab}`);
    const index = await figureIndex(page, title);
    assert.ok(index >= 0, `no figure “${title}”`);
    const hasSvg = await page
      .locator("figure.view")
      .filter({ hasText: title })
      .locator(".svg-button")
      .count();
    assert.equal(hasSvg, 1, "the chart offers SVG");
    const before = await pixelsOf(page, index, color);
    await page.evaluate(`window.genplay.labs.${run}`);
    await page.waitForTimeout(100);
    const after = await pixelsOf(page, index, color);
    assert.ok(after > before + 30, `${color} pixels: ${before} before, ${after} after`);
    assert.deepEqual(problems, []);
    await close();
  });
}

test("the SVG button saves the chart as SVG: its axes, legend and data", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.evaluate(() => window.genplay.labs.gan.step(25));
  const figure = page.locator("figure.view").filter({ hasText: "Losses over iterations" });
  const download = page.waitForEvent("download");
  await figure.locator(".svg-button").click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^genplay-gan-.+\.svg$/);
  const svg = await readFile(await file.path(), "utf8");
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  for (const text of ["iteration", "loss", "D loss", "G loss"]) assert.ok(svg.includes(text), text);
  // The D loss: a polyline in its colour with a point per iteration recorded (25), and one for
  // its legend entry.
  const lines = [...svg.matchAll(/<polyline[^>]*stroke="#0072B2"[^>]*points="([^"]*)"/g)].map(
    (m) => m[1].trim().split(/\s+/).length,
  );
  assert.deepEqual(
    lines.sort((a, b) => a - b),
    [2, 25],
    `polylines: ${lines}`,
  );
  assert.deepEqual(problems, []);
  await close();
});

test("the curve charts read at a phone's width", async () => {
  const { page, problems, close } = await browser.open("#/gan", {
    viewport: { width: 390, height: 844 },
  });
  await page.evaluate(() => window.genplay.labs.gan.step(200));
  await page.waitForTimeout(100);
  await page
    .locator("figure.view")
    .filter({ hasText: "Losses over iterations" })
    .screenshot({
      path: `${(await import("./harness.mjs")).screenshotDir}/chart-gan-loss-phone.png`,
    });
  assert.deepEqual(problems, []);
  await close();
});
