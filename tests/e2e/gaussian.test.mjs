// The bivariate Gaussian lab driven as a student would: real mouse drags on the sliders and on
// the line x = x₀, keys, closed-form conditionals, sampling, links, and refused values.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.gaussian.snapshot());
const MAIN = ".gauss-main canvas";
const SLICE = "figure:nth-of-type(2) canvas";
const near = (a, b, tol = 1e-12) => Math.abs(a - b) <= tol;

async function dragSlider(page, param, fromShare, toShare) {
  const box = await page.locator(`input[data-param=${param}]`).boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * fromShare, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((fromShare + toShare) / 2), y, { steps: 3 });
  await page.mouse.move(box.x + box.width * toShare, y, { steps: 3 });
  await page.mouse.up();
  await nextFrames(page);
}

test("the conditional mean and spread match the closed forms", async () => {
  const { page, problems, close } = await browser.open("#/gaussian");
  const s = await page.evaluate(() => {
    const lab = window.genplay.labs.gaussian;
    lab.set("mu_x", 1);
    lab.set("mu_y", -0.5);
    lab.set("sigma_x", 2);
    lab.set("sigma_y", 1.5);
    lab.set("rho", -0.6);
    lab.set("x0", 3);
    return lab.snapshot();
  });
  // μy|x0 = −0.5 + (−0.6)(1.5/2)(3 − 1) = −1.4; σy|x0 = 1.5 √(1 − 0.36) = 1.2.
  assert.ok(near(s.conditional_mean, -1.4), `mean ${s.conditional_mean}`);
  assert.ok(near(s.conditional_sd, 1.2), `sd ${s.conditional_sd}`);
  assert.deepEqual(s.mean, [1, -0.5]);
  assert.ok(near(s.cov[0][0], 4) && near(s.cov[1][1], 2.25));
  assert.ok(near(s.cov[0][1], -1.8) && near(s.cov[1][0], -1.8));
  assert.ok(near(s.regression.slope, -0.45));
  assert.ok(near(s.inside_1_sigma, 1 - Math.exp(-0.5), 1e-12));
  await nextFrames(page);
  const formulas = await page.textContent(".gauss-formulas");
  assert.match(formulas, /−1\.400/, "the formula shows the conditional mean");
  assert.match(formulas, /1\.200/, "the formula shows the conditional sd");
  assert.deepEqual(problems, []);
  await close();
});

test("dragging each slider with the mouse changes the snapshot and the drawing", async () => {
  const { page, problems, close } = await browser.open("#/gaussian");
  await page.evaluate(() => window.genplay.labs.gaussian.step(300));
  await nextFrames(page);
  for (const [param, field] of [
    ["mu_x", "mu_x"],
    ["mu_y", "mu_y"],
    ["sigma_x", "sigma_x"],
    ["sigma_y", "sigma_y"],
    ["rho", "rho"],
    ["x0", "x0"],
  ]) {
    const before = await snapshot(page);
    const pictures = [await canvasDigest(page, MAIN), await canvasDigest(page, SLICE)];
    await dragSlider(page, param, 0.5, 0.15);
    const s = await snapshot(page);
    assert.notEqual(s[field], before[field], `${param} changed`);
    assert.equal(s.n_samples, 300, "the samples are kept (redrawn under the new parameters)");
    const after = [await canvasDigest(page, MAIN), await canvasDigest(page, SLICE)];
    assert.notEqual(after[0], pictures[0], `${param} redrew the joint density`);
    assert.notEqual(after[1], pictures[1], `${param} redrew the slice`);
    const shown = await page.textContent(`output[for^=${param}-]`);
    assert.equal(shown, s[field].toFixed(2));
  }
  const s = await snapshot(page);
  assert.ok(s.rho < -0.5, `rho dragged to the left: ${s.rho}`);
  assert.deepEqual(problems, []);
  await close();
});

test("dragging the line x = x0 on the plot moves the slice", async () => {
  const { page, problems, close } = await browser.open("#/gaussian");
  const s0 = await snapshot(page);
  const before = await canvasDigest(page, SLICE);
  const box = await page.locator(MAIN).boundingBox();
  // Press on the plot (the line jumps there), then drag it to the left.
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.6, y);
  await page.mouse.down();
  const afterDown = await snapshot(page);
  await page.mouse.move(box.x + box.width * 0.45, y, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 4 });
  await page.mouse.up();
  await nextFrames(page);
  const s = await snapshot(page);
  assert.notEqual(afterDown.x0, s0.x0, "pressing on the plot puts the line there");
  assert.ok(s.x0 < afterDown.x0 - 1, `x0 moved left: ${afterDown.x0} → ${s.x0}`);
  const expectedMean = s.mu_y + s.rho * (s.sigma_y / s.sigma_x) * (s.x0 - s.mu_x);
  assert.ok(near(s.conditional_mean, expectedMean, 1e-12));
  assert.notEqual(await canvasDigest(page, SLICE), before, "the slice was redrawn");
  // Keyboard on the focused plot: → moves x0 by 0.1, PageDown by 1.
  await page.focus(MAIN);
  await page.keyboard.press("ArrowRight");
  assert.ok(near((await snapshot(page)).x0, Math.round((s.x0 + 0.1) * 100) / 100, 1e-9));
  await page.keyboard.press("PageDown");
  assert.ok(near((await snapshot(page)).x0, Math.round((s.x0 + 0.1 - 1) * 100) / 100, 1e-9));
  assert.deepEqual(problems, []);
  await close();
});

test("keyboard moves the focused sliders", async () => {
  const { page, close } = await browser.open("#/gaussian");
  await page.focus("input[data-param=rho]");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  assert.ok(near((await snapshot(page)).rho, 0.68, 1e-12));
  await page.focus("input[data-param=sigma_y]");
  await page.keyboard.press("ArrowRight");
  assert.ok(near((await snapshot(page)).sigma_y, 1.05, 1e-12));
  await page.focus("input[data-param=x0]");
  await page.keyboard.press("ArrowLeft");
  assert.ok(near((await snapshot(page)).x0, 1.45, 1e-12));
  await close();
});

test("samples follow the distribution; Play, Step and Reset", async () => {
  const { page, problems, close } = await browser.open("#/gaussian");
  await page.getByRole("button", { name: /Step/ }).click();
  assert.equal((await snapshot(page)).n_samples, 20);
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.gaussian.snapshot().n_samples >= 30);
  await page.getByRole("button", { name: /Pause/ }).click();
  const s = await page.evaluate(() => {
    const lab = window.genplay.labs.gaussian;
    lab.reset(4);
    lab.step(20000);
    return lab.snapshot();
  });
  assert.equal(s.samples.length, 20000);
  const n = s.samples.length;
  const mx = s.samples.reduce((a, [x]) => a + x, 0) / n;
  const my = s.samples.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = s.samples.reduce((a, [x]) => a + (x - mx) ** 2, 0) / n;
  const syy = s.samples.reduce((a, [, y]) => a + (y - my) ** 2, 0) / n;
  const sxy = s.samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / n;
  // Standard errors with n = 20,000: mean σ/√n ≈ 0.011 (σx = 1.5); correlation ≈ (1 − ρ²)/√n ≈ 0.004.
  assert.ok(Math.abs(mx - s.mu_x) < 0.05, `mean x ${mx}`);
  assert.ok(Math.abs(my - s.mu_y) < 0.035, `mean y ${my}`);
  assert.ok(Math.abs(Math.sqrt(sxx) - s.sigma_x) < 0.04, `sd x ${Math.sqrt(sxx)}`);
  assert.ok(Math.abs(sxy / Math.sqrt(sxx * syy) - s.rho) < 0.02, "sample correlation");
  // The same seed gives the same samples.
  const again = await page.evaluate(() => {
    const lab = window.genplay.labs.gaussian;
    lab.reset(4);
    lab.step(20000);
    return lab.snapshot().samples;
  });
  assert.deepEqual(again, s.samples);
  await page.locator("body").press("r");
  assert.equal((await snapshot(page)).n_samples, 0);
  assert.deepEqual(problems, []);
  await close();
});

test("invalid set calls throw the core's message and change nothing", async () => {
  const { page, problems, close } = await browser.open("#/gaussian");
  const result = await page.evaluate(() => {
    const lab = window.genplay.labs.gaussian;
    lab.step(10);
    const before = JSON.stringify(lab.snapshot());
    const attempts = [
      ["rho", 1],
      ["rho", -1.5],
      ["rho", NaN],
      ["sigma_x", 0],
      ["sigma_y", -1],
      ["mu_x", 9],
      ["mu_y", "1"],
      ["x0", 7],
      ["x0", Infinity],
      ["seed", 1.5],
      ["speed", 7],
      ["sigma", 1],
    ];
    const messages = attempts.map(([name, value]) => {
      try {
        lab.set(name, value);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : `not an Error: ${error}`;
      }
    });
    return { messages, unchanged: JSON.stringify(lab.snapshot()) === before };
  });
  assert.equal(result.unchanged, true);
  const [rho1, rho2, rhoNaN, sx, sy, mx, myText, x0, x0inf, seed, speed, unknown] = result.messages;
  for (const m of [rho1, rho2, rhoNaN])
    assert.match(m, /^rho = .* rho must be a number strictly between -1 and 1/);
  assert.match(sx, /sigma_x = 0 is not allowed: sigma_x must be a number above 0 and at most 4/);
  assert.match(sy, /sigma_y = -1 is not allowed/);
  assert.match(mx, /mu_x = 9 is not allowed: mu_x must be a number from -4 to 4/);
  assert.match(myText, /mu_y = "1" is not allowed \(a string, not a number\)/);
  assert.match(x0, /x0 = 7 is not allowed: x0 must be a number from -5 to 5/);
  assert.match(x0inf, /x0 = Infinity is not allowed/);
  assert.match(seed, /seed .*not a whole number/);
  assert.match(speed, /speed .* one of 1, 2, 5/);
  assert.match(unknown, /no parameter "sigma".*sigma_x/);
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces a run, and the URL follows changes", async () => {
  const { page, close } = await browser.open(
    "#/gaussian?mu_x=0.5&mu_y=-1&sigma_x=1&sigma_y=2&rho=-0.3&x0=-2&seed=8&samples=150",
  );
  const s = await snapshot(page);
  assert.deepEqual(
    [s.mu_x, s.mu_y, s.sigma_x, s.sigma_y, s.rho, s.x0, s.seed, s.n_samples],
    [0.5, -1, 1, 2, -0.3, -2, 8, 150],
  );
  await page.evaluate(() => window.genplay.labs.gaussian.set("rho", 0.25));
  await page.waitForFunction(() => location.hash.includes("rho=0.25"));
  const hash = await page.evaluate(() => location.hash);
  await close();
  const again = await browser.open(hash);
  const t = await snapshot(again.page);
  assert.equal(t.rho, 0.25);
  assert.equal(t.samples.length, 150);
  const replayed = await again.page.evaluate(() => {
    const lab = window.genplay.labs.gaussian;
    lab.reset(8);
    lab.step(150);
    return lab.snapshot().samples;
  });
  assert.deepEqual(t.samples, replayed, "the link's samples are the seed's first 150");
  await again.close();

  const bad = await browser.open("#/gaussian?rho=1&sigma_x=0.8");
  const u = await snapshot(bad.page);
  assert.equal(u.rho, 0.7, "the refused rho leaves the default");
  assert.equal(u.sigma_x, 0.8);
  assert.match(await bad.page.textContent("#banner"), /rho = 1 is not allowed/);
  assert.deepEqual(bad.problems, []);
  await bad.close();
});

test("screenshots: desktop and a 360 px phone, no sideways scroll", async () => {
  for (const [name, viewport] of [
    ["gaussian-desktop", { width: 1280, height: 900 }],
    ["gaussian-phone", { width: 360, height: 800 }],
  ]) {
    const { page, problems, close } = await browser.open("#/gaussian", { viewport });
    await page.evaluate(() => window.genplay.labs.gaussian.step(1500));
    await nextFrames(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `${name}: page is ${width} px wide`);
    await screenshot(page, name);
    assert.deepEqual(problems, []);
    await close();
  }
});
