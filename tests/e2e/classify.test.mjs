// The Classify lab driven as a student would: family and prior changes seen in the boundary,
// a real slider drag, real clicks that add points, the Bayes'-rule inspector, refused settings,
// links, and screenshots on a desktop and a phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const MAIN = ".classify-main canvas";
const snapshot = (page) => page.evaluate(() => window.genplay.labs.classify.snapshot());

/** Where along the segment from class 0's mean to class 1's the LDA log-odds cross 0 (0 to 1). */
function crossing(s) {
  const [m0, m1] = s.means;
  const f = (t) =>
    s.lda_weights[0] * (m0[0] + t * (m1[0] - m0[0])) +
    s.lda_weights[1] * (m0[1] + t * (m1[1] - m0[1])) +
    s.lda_bias;
  // f is linear in t.
  return -f(0) / (f(1) - f(0));
}

test("switching the family changes the boundary and the snapshot", async () => {
  const { page, problems, close } = await browser.open("#/classify?preset=different_covariances");
  await nextFrames(page);
  const qda = await snapshot(page);
  assert.equal(qda.family, "qda");
  const before = await canvasDigest(page, MAIN);
  await page.selectOption("select[data-param=family]", "lda");
  await nextFrames(page);
  const lda = await snapshot(page);
  assert.equal(lda.family, "lda");
  // LDA shares one covariance: both classes report the same matrix; QDA's differ.
  assert.deepEqual(lda.covariances[0], lda.covariances[1]);
  assert.notDeepEqual(qda.covariances[0], qda.covariances[1]);
  assert.equal(qda.n_parameters, 1 + 2 * 5);
  assert.equal(lda.n_parameters, 1 + 2 * 2 + 3);
  assert.ok(qda.accuracy > lda.accuracy, `QDA ${qda.accuracy} vs LDA ${lda.accuracy}`);
  assert.notEqual(await canvasDigest(page, MAIN), before, "the drawing changed");
  await page.selectOption("select[data-param=family]", "mixture");
  await nextFrames(page);
  const mixture = await page.evaluate(() => {
    const lab = window.genplay.labs.classify;
    lab.set("components", 3);
    lab.step(100);
    return lab.snapshot();
  });
  assert.equal(mixture.family, "mixture");
  assert.equal(mixture.components, 3);
  assert.equal(mixture.class_densities[0].means.length, 3);
  assert.equal(mixture.em_iterations, 100);
  assert.equal(mixture.n_parameters, 1 + 2 * (2 + 3 * 5));
  assert.deepEqual(problems, []);
  await close();
});

test("dragging the prior slider moves the boundary toward the less likely class", async () => {
  const { page, problems, close } = await browser.open(
    "#/classify?preset=two_gaussians&family=lda",
  );
  await nextFrames(page);
  const start = await snapshot(page);
  assert.equal(start.prior, "counts");
  const box = await page.locator("input[data-param=prior]").boundingBox();
  const y = box.y + box.height / 2;
  // From the middle (0.5) to near the left end: P(class 1) drops to about 0.1.
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.09, y, { steps: 4 });
  await page.mouse.up();
  await nextFrames(page);
  const moved = await snapshot(page);
  assert.ok(typeof moved.prior === "number" && moved.prior < 0.2, `prior ${moved.prior}`);
  assert.ok(Math.abs(moved.priors[1] - moved.prior) < 1e-12);
  // The boundary slides toward class 1's mean (crossing nearer 1), and the intercept shifts by
  // exactly ln(P1/P0) − ln(counts ratio).
  assert.ok(crossing(moved) > crossing(start) + 0.1, `${crossing(start)} → ${crossing(moved)}`);
  const expectedShift =
    Math.log(moved.prior / (1 - moved.prior)) - Math.log(start.priors[1] / start.priors[0]);
  assert.ok(Math.abs(moved.lda_bias - start.lda_bias - expectedShift) < 1e-9);
  assert.equal(await page.isChecked("input[data-param=prior_counts]"), false);
  assert.deepEqual(problems, []);
  await close();
});

test("a real click adds a point of the selected class where it was clicked", async () => {
  const { page, problems, close } = await browser.open("#/classify");
  await page.selectOption("select[data-param=click_class]", "2");
  const before = await snapshot(page);
  const box = await page.locator(MAIN).boundingBox();
  const [px, py] = await page.evaluate(() => window.genplay.labs.classify.pixelOf(1.5, -2));
  await page.mouse.click(box.x + px, box.y + py);
  await nextFrames(page);
  const after = await snapshot(page);
  assert.equal(after.n_points, before.n_points + 1);
  assert.equal(after.preset, "custom");
  assert.equal(after.n_classes, 3, "class 2 made a third class");
  const added = await page.evaluate(() => window.genplay.labs.classify.points().at(-1));
  assert.ok(Math.abs(added[0] - 1.5) <= 0.05 && Math.abs(added[1] + 2) <= 0.05, `${added}`);
  assert.equal(added[2], 2);
  // One point is too few for a covariance: the note says it was regularised.
  assert.ok(
    after.notes.some((n) => n.includes("class 2") && n.includes("reg_covar")),
    after.notes,
  );
  assert.match(await page.textContent(".classify-notes"), /class 2 has 1 point/);
  assert.deepEqual(problems, []);
  await close();
});

test("the Bayes'-rule inspector shows posteriors that sum to 1", async () => {
  const { page, problems, close } = await browser.open("#/classify?preset=three_classes");
  const box = await page.locator(MAIN).boundingBox();
  const [px, py] = await page.evaluate(() => window.genplay.labs.classify.pixelOf(0.2, 0.1));
  await page.mouse.move(box.x + px, box.y + py);
  await nextFrames(page);
  const cells = await page.$$eval(".classify-table td[data-posterior]", (tds) =>
    tds.map((td) => ({ text: Number(td.textContent), value: Number(td.dataset.posterior) })),
  );
  assert.equal(cells.length, 3);
  const exact = cells.reduce((a, c) => a + c.value, 0);
  const shown = cells.reduce((a, c) => a + c.text, 0);
  assert.ok(Math.abs(exact - 1) < 1e-12, `exact sum ${exact}`);
  assert.ok(Math.abs(shown - 1) <= 2e-4, `shown sum ${shown}`);
  const s = await snapshot(page);
  assert.ok(
    Math.abs(s.inspected.point[0] - 0.2) <= 0.05 && Math.abs(s.inspected.point[1] - 0.1) <= 0.05,
  );
  // Bayes' rule by hand from the shown numbers: P(y|x) = P(y)p(x|y) / Σ.
  for (let k = 0; k < 3; k++) {
    const byHand = (s.inspected.priors[k] * s.inspected.likelihoods[k]) / s.inspected.evidence;
    assert.ok(Math.abs(byHand - s.inspected.posteriors[k]) < 1e-9);
  }
  assert.ok(await page.locator(".classify-formula math").count());
  // Keyboard: the arrow keys move the inspector.
  await page.focus(MAIN);
  await page.keyboard.press("ArrowRight");
  await nextFrames(page);
  const moved = await snapshot(page);
  assert.ok(Math.abs(moved.inspected.point[0] - s.inspected.point[0] - 0.1) < 0.011);
  assert.deepEqual(problems, []);
  await close();
});

test("refused settings throw and change nothing", async () => {
  const { page, problems, close } = await browser.open("#/classify");
  const result = await page.evaluate(() => {
    const lab = window.genplay.labs.classify;
    const before = JSON.stringify(lab.snapshot());
    const attempts = [
      () => lab.set("family", "bogus"),
      () => lab.set("components", 0),
      () => lab.set("prior", 1.5),
      () =>
        lab.set("points", [
          [0, 0, 0],
          [1, 1, 1],
          [NaN, 0, 0],
        ]),
      () => lab.set("nonsense", 1),
      () => lab.set("preset", "spirals"),
      () => lab.set("points", [[0, 0, 7]]),
    ];
    const messages = attempts.map((attempt) => {
      try {
        attempt();
        return null;
      } catch (error) {
        return error.message;
      }
    });
    return { messages, same: JSON.stringify(lab.snapshot()) === before };
  });
  const [family, components, prior, nan, unknown, preset, label] = result.messages;
  assert.match(family, /family = "bogus" is not allowed.*naive_bayes/);
  assert.match(components, /components = 0 is not allowed.*from 1 to 4/);
  assert.match(prior, /prior = 1.5 is not allowed/);
  assert.match(nan, /row 2/);
  assert.match(unknown, /no parameter "nonsense"/);
  assert.match(preset, /preset = "spirals"/);
  assert.match(label, /row 0 has class 7/);
  assert.ok(result.same, "nothing changed");
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces the lab", async () => {
  const { page, problems, close } = await browser.open("#/classify");
  await page.evaluate(() => {
    const lab = window.genplay.labs.classify;
    lab.set("points", [
      [-2, -1, 0],
      [-1.5, -0.5, 0],
      [-2.2, 0.3, 0],
      [-1, -1.2, 0],
      [2, 1, 1],
      [1.4, 0.2, 1],
      [2.5, 1.7, 1],
      [1.1, 1.9, 1],
    ]);
    lab.set("family", "mixture");
    lab.set("components", 2);
    lab.set("prior", 0.3);
    lab.set("smoothing", true);
    lab.set("show_ellipses", false);
    lab.step(7);
  });
  await page.waitForFunction(() => location.hash.includes("steps=7"));
  const hash = await page.evaluate(() => location.hash);
  const first = await snapshot(page);
  const again = await browser.open(hash);
  const second = await snapshot(again.page);
  for (const key of [
    "preset",
    "family",
    "components",
    "prior",
    "smoothing",
    "n_points",
    "seed",
    "steps",
  ])
    assert.deepEqual(second[key], first[key], key);
  assert.deepEqual(second.layers, first.layers);
  assert.deepEqual(second.class_densities, first.class_densities);
  assert.equal(second.log_loss, first.log_loss);
  assert.deepEqual(problems, []);
  assert.deepEqual(again.problems, []);
  await again.close();
  await close();
});

test("screenshots on a desktop and a 360 px phone, without sideways scrolling", async () => {
  const desktop = await browser.open("#/classify?preset=moons&family=mixture&components=3");
  await desktop.page.evaluate(() => {
    const lab = window.genplay.labs.classify;
    lab.set("show_lines", true);
    lab.step(60);
    lab.inspect(0.4, 0.2);
  });
  await nextFrames(desktop.page);
  await screenshot(desktop.page, "classify-desktop");
  assert.deepEqual(desktop.problems, []);
  await desktop.close();
  const phone = await browser.open("#/classify?preset=two_gaussians&family=lda", {
    viewport: { width: 360, height: 780 },
  });
  await phone.page.evaluate(() => window.genplay.labs.classify.step(40));
  await nextFrames(phone.page);
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `sideways scroll of ${overflow}px`);
  await screenshot(phone.page, "classify-phone");
  assert.deepEqual(phone.problems, []);
  await phone.close();
});

test("Clear, then clicks build a data set from nothing, with the degenerate cases named", async () => {
  const { page, problems, close } = await browser.open("#/classify");
  await page.getByRole("button", { name: "Clear points" }).click();
  await nextFrames(page);
  const empty = await snapshot(page);
  assert.equal(empty.n_points, 0);
  assert.match(empty.problem, /no points/);
  assert.equal(empty.accuracy, null);
  const box = await page.locator(MAIN).boundingBox();
  const click = async (x, y) => {
    const [px, py] = await page.evaluate(
      ([x, y]) => window.genplay.labs.classify.pixelOf(x, y),
      [x, y],
    );
    await page.mouse.click(box.x + px, box.y + py);
  };
  await click(-2, 0);
  await nextFrames(page);
  const one = await snapshot(page);
  assert.equal(one.problem, null);
  assert.deepEqual(one.priors, [1, 0]);
  assert.ok(
    one.notes.some((n) => n.startsWith("class 1 has no points")),
    one.notes,
  );
  await page.selectOption("select[data-param=click_class]", "1");
  await click(2, 0);
  await click(2.5, 1);
  await click(1.5, -1);
  await nextFrames(page);
  const four = await snapshot(page);
  assert.deepEqual(four.counts, [1, 3]);
  assert.equal(four.accuracy, 1);
  // Class 0 has one point: regularised; class 1 has the 3 a full covariance needs.
  assert.ok(
    four.notes.some((n) => n.startsWith("class 0 has 1 point")),
    four.notes,
  );
  assert.ok(!four.notes.some((n) => n.startsWith("class 1")), four.notes);
  assert.deepEqual(problems, []);
  await close();
});
