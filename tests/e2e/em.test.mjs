// The EM lab driven as a student would: E- and M-step buttons, real mouse clicks that add and
// inspect points, the BIC button, a shared link, and the automation API's refusals of bad values.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames, canvasDigest, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const snapshot = (page) => page.evaluate(() => window.genplay.labs.em.snapshot());
const MAIN = ".em-main canvas";

/** Starts counting the page's animation frames; the function returned stops and resolves to
 * the gaps between them, in ms. */
async function countFrames(page) {
  await page.evaluate(() => {
    const frames = { times: [], on: true };
    const tick = (t) => {
      frames.times.push(t);
      if (frames.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.frameCount = frames;
  });
  return () =>
    page.evaluate(() => {
      const { times } = window.frameCount;
      window.frameCount.on = false;
      return times.slice(1).map((t, i) => t - times[i]);
    });
}

/** Gives the lab `n` points in three clusters (a fixed pattern, no randomness), as large data
 * come in. */
function threeClusters(page, n) {
  return page.evaluate((n) => {
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      const t = (i * 0.6180339887) % 1;
      const u = (i * 0.7548776662) % 1;
      xs[i] = 4 * c + Math.sqrt(-2 * Math.log(t + 1e-9)) * Math.cos(2 * Math.PI * u);
      ys[i] = 2 * (c % 2) + Math.sqrt(-2 * Math.log(t + 1e-9)) * Math.sin(2 * Math.PI * u);
    }
    window.genplay.labs.em.set_points_xy(xs, ys);
  }, n);
}

test("an E-step then an M-step change the next half-step, the colours and the ellipses", async () => {
  const { page, problems, close } = await browser.open("#/em");
  await page.emulateMedia({ reducedMotion: "reduce" });
  await nextFrames(page);
  await screenshot(page, "em-start");
  const start = await snapshot(page);
  assert.equal(start.next_half_step, "E");
  assert.equal(start.n_points, 600);
  assert.match(await page.textContent(".em-next"), /Next: E-step — compute responsibilities/);
  const before = await canvasDigest(page, MAIN);

  await page.getByRole("button", { name: "E-step", exact: true }).click();
  await nextFrames(page);
  const afterE = await snapshot(page);
  assert.equal(afterE.next_half_step, "M");
  assert.deepEqual(afterE.means, start.means, "the E-step does not move the means");
  assert.equal(afterE.lower_bound_history.length, 1);
  assert.match(await page.textContent(".em-next"), /Next: M-step — refit weights/);
  const colouredDigest = await canvasDigest(page, MAIN);
  assert.notEqual(colouredDigest, before, "the points took their responsibility colours");

  await page.getByRole("button", { name: "M-step", exact: true }).click();
  await nextFrames(page);
  const afterM = await snapshot(page);
  assert.equal(afterM.next_half_step, "E");
  assert.equal(afterM.n_iter, 1);
  assert.notDeepEqual(afterM.means, start.means, "the M-step moved the means");
  assert.notEqual(await canvasDigest(page, MAIN), colouredDigest, "the ellipses moved");
  const weightSum = afterM.weights.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(weightSum - 1) < 1e-12, `weights sum to ${weightSum}`);

  await page.evaluate(() => window.genplay.labs.em.step(4));
  await page.evaluate(() => scrollTo(0, 0));
  await nextFrames(page);
  await screenshot(page, "em-after-steps");
  assert.deepEqual(problems, []);
  await close();
});

test("the lower bound never decreases over 30 iterations, and Play stops at convergence", async () => {
  const { page, problems, close } = await browser.open("#/em");
  const history = await page.evaluate(() => {
    const em = window.genplay.labs.em;
    em.set("preset", "overlapping");
    em.set("k", 3);
    em.step(60);
    return em.snapshot().lower_bound_history;
  });
  assert.equal(history.length, 30);
  for (let i = 1; i < history.length; i++) {
    assert.ok(
      history[i] >= history[i - 1] - 1e-12,
      `iteration ${i + 1}: ${history[i - 1]} → ${history[i]}`,
    );
  }
  assert.ok(history[29] > history[0], "the fit improved");

  await page.evaluate(() => {
    const em = window.genplay.labs.em;
    em.set("preset", "blobs");
    em.set("speed", 100);
  });
  await page.getByRole("button", { name: /Play/ }).click();
  await page.waitForFunction(() => window.genplay.labs.em.snapshot().converged);
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.playing, false, "Play stops at convergence");
  assert.match(
    await page.textContent(".message"),
    new RegExp(`Converged after ${s.n_iter} iteration`),
  );
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.evaluate(() => scrollTo(0, 0));
  await nextFrames(page);
  await screenshot(page, "em-converged");
  assert.deepEqual(problems, []);
  await close();
});

test("a real click in add mode adds a point at the clicked data coordinates", async () => {
  const { page, problems, close } = await browser.open("#/em");
  await page.getByLabel("adds a point").check();
  assert.equal((await snapshot(page)).click_mode, "add");
  const before = await snapshot(page);
  const box = await page.locator(MAIN).boundingBox();
  const mapped = await page.evaluate(() => window.genplay.labs.em.pixelOf(1, 2));
  await page.mouse.click(box.x + mapped[0], box.y + mapped[1]);
  await nextFrames(page);
  const after = await snapshot(page);
  assert.equal(after.n_points, before.n_points + 1);
  assert.equal(after.preset, "custom");
  assert.equal(after.n_iter, 0, "adding a point restarts EM");
  const added = await page.evaluate(() => window.genplay.labs.em.points().at(-1));
  assert.ok(Math.abs(added[0] - 1) <= 0.05 && Math.abs(added[1] - 2) <= 0.05, `added ${added}`);
  assert.match(await page.textContent(".message"), /Point added: EM restarted/);
  assert.deepEqual(problems, []);
  await close();
});

test("inspect mode shows the responsibility table, whose responsibilities sum to 1", async () => {
  const { page, problems, close } = await browser.open("#/em");
  await page.evaluate(() => window.genplay.labs.em.step(3));
  await nextFrames(page);
  // Click exactly on a data point of the overlapping region between two blobs.
  const [x, y] = await page.evaluate(() => window.genplay.labs.em.points()[5]);
  const box = await page.locator(MAIN).boundingBox();
  const mapped = await page.evaluate(([x, y]) => window.genplay.labs.em.pixelOf(x, y), [x, y]);
  await page.mouse.click(box.x + mapped[0], box.y + mapped[1]);
  await nextFrames(page);
  const cells = await page.$$eval(".em-resp td[data-r]", (tds) =>
    tds.map((td) => ({ text: Number(td.textContent), value: Number(td.dataset.r) })),
  );
  assert.equal(cells.length, 3);
  const sumShown = cells.reduce((a, c) => a + c.text, 0);
  const sumExact = cells.reduce((a, c) => a + c.value, 0);
  assert.ok(Math.abs(sumShown - 1) <= 2e-4, `shown responsibilities sum to ${sumShown}`);
  assert.ok(Math.abs(sumExact - 1) < 1e-12, `exact responsibilities sum to ${sumExact}`);
  const s = await snapshot(page);
  const e = s.inspected;
  assert.deepEqual(e.point, [x, y]);
  // r_k = π_k N_k / Σ with Σ = Σ_j π_j N_j: recompute from the table's own numbers.
  const normaliser = e.weighted_densities.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(normaliser - e.normaliser) <= 1e-12 * normaliser);
  e.weights.forEach((w, k) => {
    assert.ok(Math.abs(w * e.densities[k] - e.weighted_densities[k]) <= 1e-12 * normaliser);
    assert.ok(Math.abs(e.weighted_densities[k] / normaliser - e.responsibilities[k]) < 1e-9);
  });
  assert.deepEqual(problems, []);
  await close();
});

test("invalid sets throw a message naming the problem and change nothing", async () => {
  const { page, problems, close } = await browser.open("#/em");
  const result = await page.evaluate(() => {
    const em = window.genplay.labs.em;
    em.set("points", [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      [0.5, 0.5],
    ]);
    em.step(3);
    const before = JSON.stringify(em.snapshot());
    const attempts = [
      ["k", 0],
      ["k", 17],
      ["k", 6],
      ["covariance_type", "bogus"],
      ["init", "kmeans"],
      ["preset", "moons"],
      [
        "points",
        [
          [0, 0],
          [1, 1],
          [2, 2],
          [NaN, 3],
        ],
      ],
      ["points", [[0, 0], [1]]],
      ["points", []],
      ["colour", 1],
      ["speed", 7],
    ];
    const messages = attempts.map(([name, value]) => {
      try {
        em.set(name, value);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : `not an Error: ${error}`;
      }
    });
    return { messages, unchanged: JSON.stringify(em.snapshot()) === before };
  });
  assert.equal(result.unchanged, true);
  const [k0, k17, k6, cov, init, preset, nan, ragged, empty, unknown, speed] = result.messages;
  assert.match(k0, /k = 0 is not allowed: k must be a whole number from 1 to 16/);
  assert.match(k17, /k = 17 is not allowed/);
  assert.match(k6, /k = 6 but there are only 5 points; choose k ≤ 5 or add points/);
  assert.match(cov, /covariance_type = "bogus" is not allowed: .*"full", "diag", "spherical"/);
  assert.match(init, /init = "kmeans" is not allowed/);
  assert.match(preset, /preset = "moons" is not allowed: preset must be one of "blobs"/);
  assert.match(nan, /row 3/);
  assert.match(ragged, /points row 1 .* every row must be \[x, y\], 2 numbers/);
  assert.match(empty, /the data set is empty/);
  assert.match(unknown, /em has no parameter "colour"/);
  assert.match(speed, /speed = 7 is not allowed/);
  assert.deepEqual(problems, []);
  await close();
});

test("a link reproduces a run: preset, K, covariance type, start, seed and half-steps", async () => {
  const { page, close } = await browser.open("#/em");
  await page.evaluate(() => {
    const em = window.genplay.labs.em;
    em.set("preset", "anisotropic");
    em.set("k", 2);
    em.set("covariance_type", "diag");
    em.set("init", "kmeans++");
    em.set("seed", 11);
    em.step(5);
  });
  await page.waitForFunction(() => location.hash.includes("steps=5"));
  const hash = await page.evaluate(() => location.hash);
  assert.match(
    hash,
    /preset=anisotropic&k=2&covariance_type=diag&init=kmeans%2B%2B&seed=11&steps=5/,
  );
  const original = await snapshot(page);
  await close();

  const copy = await browser.open(hash);
  const s = await snapshot(copy.page);
  for (const key of ["preset", "k", "covariance_type", "init", "seed", "half_steps", "n_iter"]) {
    assert.deepEqual(s[key], original[key], key);
  }
  assert.deepEqual(s.means, original.means);
  assert.deepEqual(s.lower_bound_history, original.lower_bound_history);
  assert.deepEqual(copy.problems, []);
  await copy.close();

  const bad = await browser.open("#/em?k=20&covariance_type=diag");
  const t = await snapshot(bad.page);
  assert.equal(t.k, 3, "the refused k leaves the default");
  assert.equal(t.covariance_type, "diag", "the valid setting is still used");
  assert.match(await bad.page.textContent("#banner"), /k = 20 is not allowed/);
  await bad.close();
});

test("the BIC button draws the chart with its minimum at K = 3 for the blobs", async () => {
  const { page, problems, close } = await browser.open("#/em");
  const canvas = "figure:has(.em-bic-action) canvas";
  const before = await canvasDigest(page, canvas);
  await page.getByRole("button", { name: /Compare K = 1…16 by BIC/ }).click();
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.bic.length, 16);
  assert.equal(s.bic_best_k, 3);
  assert.notEqual(await canvasDigest(page, canvas), before, "the chart was drawn");
  // BIC = -2 log L + p log N, with p = 6K - 1 free numbers for full 2-D covariances.
  for (const b of s.bic) {
    assert.equal(b.n_parameters, 6 * b.k - 1);
    const expected = -2 * b.mean_log_likelihood * 600 + b.n_parameters * Math.log(600);
    assert.ok(Math.abs(b.bic - expected) < 1e-6 * Math.abs(expected), `K = ${b.k}`);
  }
  assert.deepEqual(problems, []);
  await close();
});

test("the 1-D view and a phone screen", async () => {
  const { page, problems, close } = await browser.open("#/em?preset=1d&k=3&steps=9");
  await page.emulateMedia({ reducedMotion: "reduce" });
  await nextFrames(page);
  const s = await snapshot(page);
  assert.equal(s.dimension, 1);
  assert.equal(s.means[0].length, 1);
  await screenshot(page, "em-1d");
  await close();

  const phone = await browser.open("#/em?steps=6", { viewport: { width: 360, height: 780 } });
  await phone.page.emulateMedia({ reducedMotion: "reduce" });
  await nextFrames(phone.page);
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, "no sideways scrolling on a 360 px phone");
  await screenshot(phone.page, "em-phone");
  assert.deepEqual(problems, []);
  assert.deepEqual(phone.problems, []);
  await phone.close();
});

test("on large data the BIC scan runs in a worker: the page keeps drawing, the scores are the page's own, a change stops it", async () => {
  const { page, problems, close } = await browser.open("#/em");
  await threeClusters(page, 60_000);
  await nextFrames(page);
  const button = page.getByRole("button", { name: /Compare K = 1…16 by BIC/ });
  await button.click();
  await page.waitForFunction(() => /background worker/.test(document.body.textContent));
  assert.equal(await button.isDisabled(), true, "the button waits for the scan");
  // The page's frames go on while the worker fits sixteen mixtures (a few seconds here).
  const stop = await countFrames(page);
  const scores = await page.evaluate(() => window.genplay.labs.em.bic());
  const gaps = await stop();
  assert.ok(gaps.length > 10, `${gaps.length} frames were drawn during the scan`);
  assert.ok(
    Math.max(...gaps) < 150,
    `the longest frame gap during the scan was ${Math.max(...gaps)} ms`,
  );
  assert.equal(scores.length, 16);
  await page.waitForFunction(() => window.genplay.labs.em.snapshot().bic !== null);
  const kept = await snapshot(page);
  assert.deepEqual(kept.bic, scores, "the lab holds the worker's scores");
  assert.equal(kept.bic_best_k, 3);
  assert.equal(await button.isDisabled(), false);
  // Where no worker can start, the scan runs on the page, to the same numbers, bit for bit.
  const here = await page.evaluate(() => {
    const real = window.Worker;
    window.Worker = function () {
      throw new Error("no workers here");
    };
    try {
      return window.genplay.labs.em.bic();
    } finally {
      window.Worker = real;
    }
  });
  assert.ok(Array.isArray(here), "without a worker bic() answers at once");
  assert.deepEqual(here, scores);
  // A worker that fails once started hands the scan to the page: the same scores again.
  await page.context().route("**/ui/em-worker.js", (route) =>
    route.fulfill({
      contentType: "text/javascript",
      body: "throw new Error('a broken worker');",
    }),
  );
  const fallback = await page.evaluate(() => window.genplay.labs.em.bic());
  assert.deepEqual(fallback, scores);
  await page.context().unroute("**/ui/em-worker.js");
  // A change of the run stops a scan on its way: its Promise says why, and no scores are kept.
  const stopped = await page.evaluate(async () => {
    const em = window.genplay.labs.em;
    const scan = em.bic();
    em.set("k", 4);
    return scan.then(
      () => "resolved",
      (error) => error.message,
    );
  });
  assert.match(stopped, /The BIC scan was stopped: the data or the settings changed/);
  assert.equal((await snapshot(page)).bic, null);
  assert.deepEqual(problems, []);
  await close();
});

test("on large data Play iterates in a worker: the page keeps drawing, the run is the page's own to the bit, Pause stops it, a killed worker is replaced", async () => {
  const { page, problems, close } = await browser.open("#/em");
  // 300,000 points, fitted with K = 8 at full speed.
  await page.evaluate(() => {
    const em = window.genplay.labs.em;
    em.set("k", 8);
    em.set("speed", 1000);
  });
  await threeClusters(page, 300_000);
  await nextFrames(page);
  const stop = await countFrames(page);
  const where = await page.evaluate(async () => {
    const em = window.genplay.labs.em;
    em.set("playing", true);
    const where = new Set();
    await new Promise((resolve) => {
      const check = () => {
        const s = em.snapshot();
        where.add(s.trainer);
        if (s.n_iter >= 12 || !s.playing) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    em.set("playing", false);
    return [...where];
  });
  const played = { where, gaps: await stop() };
  assert.ok(played.where.includes("worker"), `Play iterated in: ${played.where}`);
  assert.match(
    await page.textContent(".em-play-note"),
    /With 300,000 points, Play iterates in a background worker/,
  );
  assert.ok(played.gaps.length > 10, `${played.gaps.length} frames were drawn while playing`);
  const longest = Math.max(...played.gaps);
  assert.ok(longest < 150, `the longest frame gap while playing was ${longest} ms`);
  // After Pause at most the run on its way lands; then nothing moves.
  await page.waitForTimeout(200);
  const paused = await snapshot(page);
  assert.ok(paused.n_iter >= 12 || paused.converged, `${paused.n_iter} iterations were played`);
  await page.waitForTimeout(300);
  assert.equal((await snapshot(page)).half_steps, paused.half_steps, "Pause stops the worker");
  // The same half-steps on the page's thread give the same run, to the last bit.
  const here = await page.evaluate((n) => {
    const em = window.genplay.labs.em;
    em.reset();
    em.step(n);
    return em.snapshot();
  }, paused.half_steps);
  for (const field of ["lower_bound_history", "weights", "means", "covariances", "n_iter"])
    assert.deepEqual(here[field], paused[field], field);
  // A worker that dies is replaced from the page's run, with a message, and Play goes on.
  // (A new run at 10 iterations per second: it converges after about 14.)
  await page.evaluate(() => {
    const em = window.genplay.labs.em;
    em.set("seed", 8);
    em.set("speed", 10);
    em.set("playing", true);
  });
  await page.waitForFunction(() => {
    const s = window.genplay.labs.em.snapshot();
    return s.trainer === "worker" && s.half_steps >= 2;
  });
  const before = (await snapshot(page)).half_steps;
  await page.evaluate(() => window.genplay.debug.killWorker());
  await page.waitForFunction(() => /The EM worker stopped/.test(document.body.textContent));
  await page.waitForFunction((n) => window.genplay.labs.em.snapshot().half_steps > n + 4, before);
  assert.equal((await snapshot(page)).trainer, "worker");
  // So is one whose module panics, and the workers' count sees both.
  const started = (await page.evaluate(() => window.genplay.debug.workers())).started;
  const panicked = (await snapshot(page)).half_steps;
  await page.evaluate(() => window.genplay.debug.killWorker("panic"));
  await page.waitForFunction((n) => window.genplay.labs.em.snapshot().half_steps > n + 4, panicked);
  assert.match(await page.textContent("body"), /The EM worker stopped \(.*panic/i);
  assert.equal((await page.evaluate(() => window.genplay.debug.workers())).started, started + 1);
  // Leaving the lab ends its worker: the iterations do not go on behind #/coin.
  const ended = await page.evaluate(async () => {
    let ended = 0;
    const terminate = Worker.prototype.terminate;
    Worker.prototype.terminate = function () {
      ended++;
      return terminate.call(this);
    };
    location.hash = "#/coin";
    await new Promise((resolve) => setTimeout(resolve, 200));
    Worker.prototype.terminate = terminate;
    return ended;
  });
  assert.equal(ended, 1, "leaving #/em ends its worker");
  assert.deepEqual(problems, []);
  await close();
});
