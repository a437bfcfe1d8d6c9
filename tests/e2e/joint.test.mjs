// The two-coins lab driven as a student would: real mouse drags on sliders and tiles, keys on
// sliders and tiles, closed-form numbers, sampling that converges, links, and refused values.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.joint.snapshot());
const close2 = (a, b, tol = 1e-12) => Math.abs(a - b) <= tol;
const assertTable = (got, want, tol, what) =>
  got.forEach((row, i) =>
    row.forEach((v, j) =>
      assert.ok(close2(v, want[i][j], tol), `${what}[${i}][${j}] = ${v}, expected ${want[i][j]}`),
    ),
  );
const MARGINALS = ".joint-bars:nth-of-type(2) canvas";
const CONDITIONALS = ".joint-bars:nth-of-type(3) canvas";

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

test("the closed form: p_x = 0.3 and [0.9, 0.2] give the expected table and everything read off it", async () => {
  const { page, problems, close } = await browser.open("#/joint");
  const s = await page.evaluate(() => {
    const lab = window.genplay.labs.joint;
    lab.set("p_x", 0.3);
    lab.set("p_y_given_x", [0.9, 0.2]);
    return lab.snapshot();
  });
  assertTable(
    s.joint,
    [
      [0.27, 0.03],
      [0.14, 0.56],
    ],
    1e-12,
    "joint",
  );
  assert.ok(close2(s.marginal_x[0], 0.3) && close2(s.marginal_x[1], 0.7));
  assert.ok(close2(s.marginal_y[0], 0.41) && close2(s.marginal_y[1], 0.59));
  assertTable(
    s.conditional_y_given_x,
    [
      [0.9, 0.1],
      [0.2, 0.8],
    ],
    1e-12,
    "P(Y | X)",
  );
  // Bayes: P(X = H | Y = H) = 0.27 / 0.41, P(X = H | Y = T) = 0.03 / 0.59.
  assertTable(
    s.conditional_x_given_y,
    [
      [0.27 / 0.41, 0.14 / 0.41],
      [0.03 / 0.59, 0.56 / 0.59],
    ],
    1e-12,
    "P(X | Y)",
  );
  const mi =
    0.27 * Math.log2(0.27 / (0.3 * 0.41)) +
    0.03 * Math.log2(0.03 / (0.3 * 0.59)) +
    0.14 * Math.log2(0.14 / (0.7 * 0.41)) +
    0.56 * Math.log2(0.56 / (0.7 * 0.59));
  assert.ok(close2(s.mutual_information_bits, mi, 1e-12), `I = ${s.mutual_information_bits}`);
  assert.equal(s.independent, false);
  assert.deepEqual(
    s.article_row_sums.map((v) => v.toFixed(2)),
    ["0.60", "0.70"],
  );
  await nextFrames(page);
  assert.match(
    await page.textContent(".article-note"),
    /2p = 0\.60.*1 − p = 0\.70/s,
    "the note shows the article's row sums with the current p",
  );
  // Making Y ignore X gives an independent table with zero mutual information.
  await page.getByRole("button", { name: "Make Y ignore X" }).click();
  const t = await snapshot(page);
  assert.equal(t.independent, true);
  assert.ok(t.mutual_information_bits < 1e-12);
  assertTable(t.joint, t.product_of_marginals, 1e-12, "independent joint");
  assert.deepEqual(problems, []);
  await close();
});

test("dragging each slider with the mouse changes the table and the pictures", async () => {
  const { page, problems, close } = await browser.open("#/joint");
  for (const [param, check, cell] of [
    ["p_x", (s) => s.p_x > 0.7, "00"],
    ["p_y_given_x_heads", (s) => s.p_y_given_x[0] > 0.7 && s.p_y_given_x[1] === 0.2, "00"],
    ["p_y_given_x_tails", (s) => s.p_y_given_x[1] > 0.7, "10"],
  ]) {
    const before = await snapshot(page);
    const pictures = [await canvasDigest(page, MARGINALS), await canvasDigest(page, CONDITIONALS)];
    const tile = await page.locator(`[data-cell='${cell}']`).boundingBox();
    await dragSlider(page, param, 0.5, 0.85);
    const s = await snapshot(page);
    assert.ok(check(s), `${param} after the drag: ${JSON.stringify(s.p_y_given_x)}, ${s.p_x}`);
    assert.notDeepEqual(s.joint, before.joint, `${param} changed the table`);
    const changedPictures = [
      await canvasDigest(page, MARGINALS),
      await canvasDigest(page, CONDITIONALS),
    ];
    assert.ok(
      changedPictures[0] !== pictures[0] || changedPictures[1] !== pictures[1],
      `${param} redrew the bars`,
    );
    assert.notDeepEqual(
      await page.locator("[data-cell='00']").boundingBox(),
      tile,
      "the mosaic moved",
    );
    const sum = s.joint.flat().reduce((a, b) => a + b, 0);
    assert.ok(close2(sum, 1, 1e-12));
  }
  assert.deepEqual(problems, []);
  await close();
});

test("dragging a tile up raises its cell, rescales the rest, and moves the sliders", async () => {
  const { page, problems, close } = await browser.open("#/joint");
  const before = await snapshot(page);
  const tile = await page.locator("[data-cell='11']").boundingBox();
  const x = tile.x + tile.width / 2;
  const y = tile.y + tile.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y - 20, { steps: 3 });
  await page.mouse.move(x, y - 40, { steps: 3 });
  await page.mouse.up();
  await nextFrames(page);
  const s = await snapshot(page);
  assert.ok(s.joint[1][1] > before.joint[1][1] + 0.05, `T,T rose: ${s.joint[1][1]}`);
  // The other three keep their ratios: 0.27 : 0.03 : 0.14.
  assert.ok(close2(s.joint[0][0] / s.joint[0][1], 9, 1e-9));
  assert.ok(close2(s.joint[0][0] / s.joint[1][0], 0.27 / 0.14, 1e-9));
  assert.ok(
    close2(
      s.joint.flat().reduce((a, b) => a + b, 0),
      1,
      1e-12,
    ),
  );
  // The sliders show the parameters the new table implies.
  assert.ok(close2(s.p_x, s.joint[0][0] + s.joint[0][1], 1e-12));
  assert.ok(close2(s.p_y_given_x[1], s.joint[1][0] / s.marginal_x[1], 1e-12));
  const shown = Number(await page.inputValue("input[data-param=p_x]"));
  assert.ok(Math.abs(shown - s.p_x) <= 0.005, `p_x slider shows ${shown} for ${s.p_x}`);
  assert.deepEqual(problems, []);
  await close();
});

test("keyboard: arrows move a focused slider and a focused tile", async () => {
  const { page, close } = await browser.open("#/joint");
  await page.focus("input[data-param=p_x]");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.ok(close2((await snapshot(page)).p_x, 0.32, 1e-12));
  await page.focus("input[data-param=p_y_given_x_tails]");
  await page.keyboard.press("ArrowLeft");
  assert.ok(close2((await snapshot(page)).p_y_given_x[1], 0.19, 1e-12));
  await page.focus("[data-cell='00']");
  const before = (await snapshot(page)).joint[0][0];
  await page.keyboard.press("ArrowUp");
  assert.ok(close2((await snapshot(page)).joint[0][0], Math.round((before + 0.01) * 1e4) / 1e4));
  await page.keyboard.press("PageDown");
  const after = (await snapshot(page)).joint[0][0];
  assert.ok(close2(after, Math.round((before + 0.01 - 0.1) * 1e4) / 1e4, 1e-12), `${after}`);
  await page.keyboard.press("Home");
  const zero = await snapshot(page);
  assert.equal(zero.joint[0][0], 0);
  assert.equal(zero.p_y_given_x[0], 0, "P(Y = H | X = H) follows the emptied cell");
  await close();
});

test("a zero-probability condition is drawn as undefined, not NaN", async () => {
  const { page, problems, close } = await browser.open("#/joint");
  const s = await page.evaluate(() => {
    const lab = window.genplay.labs.joint;
    lab.set("p_x", 0);
    return lab.snapshot();
  });
  assert.equal(s.conditional_y_given_x[0], null);
  assert.deepEqual(s.conditional_y_given_x[1], [0.2, 0.8]);
  assert.match(s.undefined.join(" "), /undefined/);
  await nextFrames(page);
  assert.doesNotMatch(await page.textContent("main"), /NaN/);
  // The words are drawn on the canvas; check that the row shows its dashed outline, not bars.
  const t = await page.evaluate(() => {
    const lab = window.genplay.labs.joint;
    lab.set("p_x", 0.5);
    lab.set("p_y_given_x", [0, 0]);
    return lab.snapshot();
  });
  assert.equal(t.marginal_y[0], 0);
  assert.equal(t.conditional_x_given_y[0], null, "P(X | Y = H) is undefined when P(Y = H) = 0");
  assert.deepEqual(t.conditional_x_given_y[1], [0.5, 0.5]);
  await nextFrames(page);
  assert.match(await page.textContent("main"), /P\(Y = H\) = 0/);
  assert.doesNotMatch(await page.textContent("main"), /NaN/);
  assert.deepEqual(problems, []);
  await close();
});

test("sampled pairs converge on the joint table; Play, Step and Reset", async () => {
  const { page, problems, close } = await browser.open("#/joint");
  await page.getByRole("button", { name: /Step/ }).click();
  assert.equal((await snapshot(page)).n_samples, 10);
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.joint.snapshot().n_samples >= 40);
  await page.getByRole("button", { name: /Pause/ }).click();
  const s = await page.evaluate(() => {
    const lab = window.genplay.labs.joint;
    lab.reset(5);
    lab.step(100);
    const small = lab.snapshot();
    lab.step(199900);
    return { small, large: lab.snapshot() };
  });
  const gap = (t) =>
    Math.max(
      ...t.joint.flatMap((row, x) => row.map((p, y) => Math.abs(p - t.empirical_joint[x][y]))),
    );
  assert.equal(s.large.n_samples, 200000);
  // 4 standard errors of a share near 0.5 after 200,000 pairs: 4 · √(0.25 / 200000) ≈ 0.0045.
  assert.ok(gap(s.large) < 0.0045, `gap after 200,000 pairs: ${gap(s.large)}`);
  assert.ok(gap(s.large) < gap(s.small), "more pairs, smaller gap");
  const counts = s.large.counts.flat().reduce((a, b) => a + b, 0);
  assert.equal(counts, 200000);
  // Changing the table re-counts the same draws: the count stays, the shares follow.
  const t = await page.evaluate(() => {
    const lab = window.genplay.labs.joint;
    lab.set("p_x", 0.8);
    return lab.snapshot();
  });
  assert.equal(t.n_samples, 200000);
  assert.ok(gap(t) < 0.0045);
  await page.locator("body").press("r");
  assert.equal((await snapshot(page)).n_samples, 0);
  assert.equal((await snapshot(page)).empirical_joint, null);
  assert.deepEqual(problems, []);
  await close();
});

test("invalid set calls throw, name the parameter, and change nothing", async () => {
  const { page, problems, close } = await browser.open("#/joint");
  const result = await page.evaluate(() => {
    const lab = window.genplay.labs.joint;
    lab.step(30);
    const before = JSON.stringify(lab.snapshot());
    const attempts = [
      ["p_x", NaN],
      ["p_x", 1.2],
      ["p_x", "0.3"],
      ["p_y_given_x", [0.5, -0.1]],
      ["p_y_given_x", [0.5]],
      ["p_y_given_x", 0.5],
      ["cell", [2, 0, 0.5]],
      ["cell", [0, 0, 1.5]],
      ["cell", [0, 0]],
      ["seed", -1],
      ["speed", 3],
      ["colour", 1],
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
  const [nan, high, text, negative, short, scalar, cellX, cellV, cellShort, seed, speed, unknown] =
    result.messages;
  for (const m of [nan, high]) assert.match(m, /^p_x = .* p_x must be a number from 0 to 1/);
  assert.match(text, /p_x = "0.3" is not allowed \(a string, not a number\)/);
  assert.match(negative, /p_y_given_x_tails = -0.1 is not allowed/);
  for (const m of [short, scalar]) assert.match(m, /p_y_given_x .*not a pair of numbers/);
  assert.match(cellX, /cell_x = 2 is not allowed: cell_x must be 0 or 1/);
  assert.match(cellV, /cell_value = 1.5 is not allowed: cell_value must be a number from 0 to 1/);
  assert.match(cellShort, /cell = \[0, 0\] is not allowed/);
  assert.match(seed, /seed .* from 0 to 4294967295/);
  assert.match(speed, /speed .* one of 1, 2, 5/);
  assert.match(unknown, /no parameter "colour".*p_x/);
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces a run, and the URL follows changes", async () => {
  const { page, close } = await browser.open(
    "#/joint?p_x=0.6&p_y_given_x=0.25,0.75&seed=3&pairs=500",
  );
  const s = await snapshot(page);
  assert.equal(s.p_x, 0.6);
  assert.deepEqual(s.p_y_given_x, [0.25, 0.75]);
  assert.equal(s.seed, 3);
  assert.equal(s.n_samples, 500);
  const again = await page.evaluate(() => {
    const lab = window.genplay.labs.joint;
    lab.reset(3);
    lab.step(500);
    return lab.snapshot().counts;
  });
  assert.deepEqual(again, s.counts);
  await page.evaluate(() => window.genplay.labs.joint.set("p_x", 0.45));
  await page.waitForFunction(() => location.hash.includes("p_x=0.45"));
  assert.match(
    await page.evaluate(() => location.hash),
    /#\/joint\?p_x=0\.45&p_y_given_x=0\.25%2C0\.75&seed=3&pairs=500/,
  );
  await close();

  const bad = await browser.open("#/joint?p_x=4&p_y_given_x=0.5,0.5");
  const t = await snapshot(bad.page);
  assert.equal(t.p_x, 0.3, "the refused p_x leaves the default");
  assert.deepEqual(t.p_y_given_x, [0.5, 0.5]);
  assert.match(await bad.page.textContent("#banner"), /p_x = 4 is not allowed/);
  assert.deepEqual(bad.problems, []);
  await bad.close();
});

test("screenshots: desktop and a 360 px phone, no sideways scroll", async () => {
  for (const [name, viewport] of [
    ["joint-desktop", { width: 1280, height: 900 }],
    ["joint-phone", { width: 360, height: 800 }],
  ]) {
    const { page, problems, close } = await browser.open("#/joint", { viewport });
    await page.evaluate(() => window.genplay.labs.joint.step(400));
    await nextFrames(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `${name}: page is ${width} px wide`);
    await screenshot(page, name);
    assert.deepEqual(problems, []);
    await close();
  }
});
