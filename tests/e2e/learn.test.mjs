// The course page at #/learn, read as a student would: both languages render with no error, each
// of the article's seven questions has an answer, the language toggle works by mouse and by
// keyboard, every "Try it" link leads to a real route, and the corrected two-coin tables hold
// numbers that add up (checked against an independent computation here).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openBrowser, screenshot, screenshotDir } from "./harness.mjs";

const LANGS = ["en", "zh"];
const QUESTIONS = [1, 2, 3, 4, 5, 6, 7];
const LABS = ["coin", "joint", "gaussian", "em", "gan", "vae", "diffusion", "classify"];
const SECTIONS = ["q1", "basics", "two-coins", "q2", "q3", "gan", "vae", "q4", "q5", "q6", "q7"];
// The source article's mistakes the page corrects, written out: one missing from either language fails.
const CORRECTIONS = [
  "families",
  "generator-output",
  "discriminator",
  "balance",
  "vae-prior",
  "vae-quality",
  "random-variable",
  "joint-definition",
  "joint-independent",
  "conditional-later",
  "fair-coin",
  "two-coin-formula",
  "formula-vs-prose",
  "coin-vs-outcome",
  "video-editing",
  "unanswered",
];
const CJK = /[\u4e00-\u9fff]/;
let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const language = (page) => page.getAttribute("article.learn", "data-lang");
const waitForLanguage = (page, code) =>
  page.waitForFunction((c) => document.querySelector("article.learn")?.dataset.lang === c, code);

test("#/learn defaults to English and ?lang=zh gives Chinese, with no console error", async () => {
  for (const [hash, code, htmlLang] of [
    ["#/learn", "en", "en"],
    ["#/learn?lang=en", "en", "en"],
    ["#/learn?lang=zh", "zh", "zh-Hans"],
  ]) {
    const { page, problems, close } = await browser.open(hash);
    await page.waitForSelector("article.learn");
    assert.equal(await language(page), code, hash);
    assert.equal(await page.getAttribute("article.learn", "lang"), htmlLang, hash);
    const title = await page.textContent("main h2");
    assert.equal(CJK.test(title), code === "zh", `${hash} title “${title}”`);
    assert.equal(await page.getAttribute(`#labs-nav a[data-lab=learn]`, "aria-current"), "page");
    assert.deepEqual(problems, [], hash);
    await close();
  }
});

test("each of the seven questions has a section with a real answer, in both languages", async () => {
  const lengths = {};
  for (const code of LANGS) {
    const { page, problems, close } = await browser.open(`#/learn?lang=${code}`);
    await page.waitForSelector("article.learn");
    for (const n of QUESTIONS) {
      const found = await page.$eval(`section#q${n}`, (s) => ({
        question: s.dataset.question,
        heading: s.querySelector("h3").textContent.trim(),
        answer: s.querySelector(".answer").textContent.replace(/\s+/g, " ").trim(),
        tries: [...s.querySelectorAll("p.try")].map((p) => p.textContent),
      }));
      assert.equal(found.question, String(n));
      assert.ok(found.heading.length > 5, `q${n} ${code} heading “${found.heading}”`);
      assert.equal(CJK.test(found.answer), code === "zh", `q${n} answer is in ${code}`);
      assert.ok(found.tries.length >= 1, `q${n} ${code} has a Try it line`);
      lengths[`${code}-q${n}`] = found.answer.length;
      // Chinese needs about a third as many characters as English for the same content.
      assert.ok(
        found.answer.length > (code === "zh" ? 150 : 400),
        `q${n} ${code}: ${found.answer}`,
      );
    }
    // The table of contents lists the corrections box, every section (written out here, so that
    // a section dropped from the outline fails) and the glossary.
    const toc = await page.$$eval(".learn-toc a", (links) => links.map((a) => a.dataset.section));
    const sections = await page.$$eval("article .learn-section", (s) => s.map((x) => x.id));
    assert.deepEqual(sections, SECTIONS, code);
    assert.deepEqual(toc, ["corrections", ...SECTIONS, "notation"]);
    // Every correction of the source article, each with real text in this language.
    const corrections = await page.$$eval(".learn-corrections li", (items) =>
      items.map((li) => ({ id: li.dataset.correction, text: li.textContent.trim() })),
    );
    assert.deepEqual(
      corrections.map((c) => c.id),
      CORRECTIONS,
      code,
    );
    for (const { id, text } of corrections) {
      assert.ok(text.length > (code === "zh" ? 30 : 80), `${code} correction ${id}: “${text}”`);
      assert.equal(CJK.test(text), code === "zh", `${code} correction ${id} is in ${code}`);
    }
    assert.deepEqual(problems, [], code);
    await close();
  }
  // The two languages carry the same sections, so neither is a stub of the other.
  for (const n of QUESTIONS) assert.ok(lengths[`zh-q${n}`] > 0.2 * lengths[`en-q${n}`], `q${n}`);
});

test("the formulas are MathML that the browser lays out", async () => {
  const { page, problems, close } = await browser.open("#/learn?lang=en");
  await page.waitForSelector("article.learn");
  const math = await page.$$eval("section#q5 math", (nodes) =>
    nodes.map((m) => ({
      mathml: m instanceof MathMLElement,
      width: m.getBoundingClientRect().width,
      height: m.getBoundingClientRect().height,
    })),
  );
  assert.ok(math.length >= 5, `${math.length} formulas in the EM section`);
  for (const m of math) {
    assert.ok(m.mathml, "a MathML element");
    assert.ok(m.width > 10 && m.height > 8, `laid out at ${m.width}×${m.height}`);
  }
  // The responsibilities formula is a fraction whose numerator and denominator both hold π·𝒩.
  const fraction = await page.$eval("section#q5 ol > li:nth-child(2) mfrac", (f) => [
    f.children[0].textContent,
    f.children[1].textContent,
  ]);
  assert.match(fraction[0], /π.*𝒩/);
  assert.match(fraction[1], /∑.*π.*𝒩/);
  assert.deepEqual(problems, []);
  await close();
});

test("the language toggle switches with a real click and keeps the toggle focused", async () => {
  const { page, problems, close } = await browser.open("#/learn");
  await page.waitForSelector("article.learn");
  assert.equal(await page.getAttribute(".learn-lang a[data-lang=en]", "aria-current"), "true");
  const box = await page.locator(".learn-lang a[data-lang=zh]").boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await waitForLanguage(page, "zh");
  assert.match(await page.evaluate(() => location.hash), /^#\/learn\?lang=zh$/);
  assert.equal(await page.getAttribute(".learn-lang a[data-lang=zh]", "aria-current"), "true");
  assert.equal(await page.getAttribute(".learn-lang a[data-lang=en]", "aria-current"), null);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.lang), "zh");
  await page.click(".learn-lang a[data-lang=en]");
  await waitForLanguage(page, "en");
  assert.deepEqual(problems, []);
  await close();
});

test("the language toggle works from the keyboard: Tab to it, Enter, and back", async () => {
  const { page, problems, close } = await browser.open("#/learn");
  await page.waitForSelector("article.learn");
  let presses = 0;
  while (!(await page.evaluate(() => document.activeElement?.dataset.lang === "zh"))) {
    await page.keyboard.press("Tab");
    presses += 1;
    assert.ok(presses < 30, "the Chinese option is reachable with Tab");
  }
  await page.keyboard.press("Enter");
  await waitForLanguage(page, "zh");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.lang), "zh");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.lang), "en");
  await page.keyboard.press("Enter");
  await waitForLanguage(page, "en");
  assert.match(await page.evaluate(() => location.hash), /lang=en/);
  assert.deepEqual(problems, []);
  await close();
});

test("every lab link points to a route the menu has, and every lab is linked", async () => {
  for (const code of LANGS) {
    const { page, problems, close } = await browser.open(`#/learn?lang=${code}`);
    await page.waitForSelector("article.learn");
    const routes = await page.$$eval("#labs-nav a[data-lab]", (a) => a.map((x) => x.dataset.lab));
    const targets = await page.$$eval("main a[href]", (a) => a.map((x) => x.getAttribute("href")));
    assert.ok(targets.length > 20);
    for (const href of targets) {
      assert.match(href, /^#\//, `in-app link ${href}`);
      const route = href.slice(2).split("?")[0];
      assert.ok(routes.includes(route), `${href} goes to a route the menu has`);
    }
    const tried = await page.$$eval("p.try a", (a) => a.map((x) => x.dataset.lab));
    assert.deepEqual([...new Set(tried)].sort(), [...LABS].sort());
    const tries = await page.$$eval("p.try", (p) => p.map((x) => x.textContent));
    for (const line of tries) assert.ok(line.split("—")[1]?.trim().length > 20, line);
    // Following a Try it link opens that lab (or its coming-soon page) with a heading.
    await page.click("section#q1 p.try a[data-lab=coin]");
    // The route changes on hashchange, a task after the click: wait for the lab's heading.
    await page.waitForFunction(() => /coin/i.test(document.querySelector("main h2")?.textContent));
    assert.deepEqual(problems, [], code);
    await close();
  }
});

test("a contents link scrolls to its section and moves focus there", async () => {
  const { page, problems, close } = await browser.open("#/learn?lang=en", {
    viewport: { width: 1280, height: 800 },
  });
  await page.waitForSelector("article.learn");
  await page.click(".learn-toc a[data-section=q5]");
  await page.waitForFunction(() => document.activeElement?.id === "q5-title");
  await page.waitForFunction(() => {
    const top = document.getElementById("q5").getBoundingClientRect().top;
    return top > 0 && top < 200;
  });
  assert.match(await page.evaluate(() => location.hash), /^#\/learn\?lang=en&section=q5$/);
  // The same address, opened afresh, lands on the same section.
  const again = await browser.open("#/learn?lang=zh&section=q6");
  await again.page.waitForFunction(() => document.activeElement?.id === "q6-title");
  assert.deepEqual(again.problems, []);
  await again.close();
  assert.deepEqual(problems, []);
  await close();
});

test("the two-coin tables: the article's rows sum to 2p and 1 − p, the corrected ones to 1", async () => {
  // Independent of the page's code: the article's p, a fair second coin after heads and the same
  // biased coin after tails.
  const p = 0.3;
  const conditional = [
    [0.5, 0.5],
    [p, 1 - p],
  ];
  const joint = conditional.map((row, x) => row.map((v) => v * [p, 1 - p][x]));
  const marginalY = [joint[0][0] + joint[1][0], joint[0][1] + joint[1][1]];
  const close12 = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

  for (const code of LANGS) {
    const { page, problems, close } = await browser.open(`#/learn?lang=${code}`);
    await page.waitForSelector("article.learn");
    const table = (kind) =>
      page.$$eval(`table[data-table=${kind}] tbody tr`, (rows) =>
        rows.map((r) => ({
          row: r.dataset.row,
          values: [...r.querySelectorAll("td:not(.sum):not(.marginal)")].map((c) =>
            Number(c.dataset.value),
          ),
          shown: [...r.querySelectorAll("td")].map((c) => c.textContent),
          sum: r.querySelector("td[data-sum]")?.dataset.value,
          sumClass: r.querySelector("td[data-sum]")?.className,
          marginals: [...r.querySelectorAll("td.marginal")].map((c) => Number(c.dataset.value)),
          total: r.querySelector("td[data-total]")?.dataset.value,
        })),
      );

    const written = await table("as-written");
    assert.deepEqual(
      written.map((r) => r.row),
      ["H", "T"],
    );
    close12(written[0].values[0] + written[0].values[1], 2 * p, "as written, row X=H");
    close12(written[1].values[0] + written[1].values[1], 1 - p, "as written, row X=T");
    assert.equal(written[0].shown.at(-1), "0.6");
    assert.equal(written[1].shown.at(-1), "0.7");
    assert.ok(
      written.every((r) => r.sumClass.includes("wrong")),
      "wrong sums are marked",
    );

    const corrected = await table("conditional");
    corrected.forEach((r, x) => {
      close12(r.values[0] + r.values[1], 1, `corrected row ${r.row}`);
      close12(Number(r.sum), 1, `shown sum of row ${r.row}`);
      assert.equal(r.shown.at(-1), "1");
      r.values.forEach((v, y) => close12(v, conditional[x][y], `P(Y | X) cell ${x},${y}`));
    });

    const jointRows = await table("joint");
    const cells = jointRows.slice(0, 2).map((r) => r.values);
    cells.forEach((row, x) => row.forEach((v, y) => close12(v, joint[x][y], `joint ${x},${y}`)));
    close12(
      cells.flat().reduce((a, b) => a + b),
      1,
      "joint total",
    );
    close12(Number(jointRows[2].total), 1, "shown joint total");
    close12(jointRows[0].marginals[0], p, "P(X=H)");
    jointRows[2].marginals.forEach((v, y) => close12(v, marginalY[y], `P(Y=${y})`));
    assert.deepEqual(jointRows[0].shown.slice(0, 2), ["0.15", "0.15"]);
    assert.deepEqual(jointRows[1].shown.slice(0, 2), ["0.21", "0.49"]);

    const bayes = await page.textContent("[data-two-coins=bayes]");
    assert.ok(bayes.includes(String(Number((joint[0][0] / marginalY[0]).toFixed(3)))), bayes);
    assert.ok(bayes.includes("0.36"), bayes);
    const info = await page.textContent("[data-two-coins=information]");
    const bits = Number(info.match(/0\.\d+/)[0]);
    assert.ok(bits > 0.02 && bits < 0.03, `mutual information ${bits} bits`);
    assert.deepEqual(problems, [], code);
    await close();
  }
});

test("desktop and 360 px phone, both languages: no sideways scroll; screenshots kept", async () => {
  for (const [label, viewport] of [
    ["desktop", { width: 1280, height: 900 }],
    ["phone", { width: 360, height: 740 }],
  ]) {
    for (const code of LANGS) {
      const { page, problems, close } = await browser.open(`#/learn?lang=${code}`, { viewport });
      await page.waitForSelector("article.learn");
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `learn ${code} on ${label} scrolls sideways by ${overflow}px`);
      // Readable measure: a paragraph of the text is at most about 75 characters wide.
      const measure = await page.$eval("section#q1 .answer p", (p) => {
        const probe = document.createElement("span");
        probe.textContent = "0".repeat(10);
        p.append(probe);
        const ch = probe.getBoundingClientRect().width / 10;
        probe.remove();
        return p.getBoundingClientRect().width / ch;
      });
      assert.ok(measure <= 80, `line length ${measure.toFixed(0)}ch on ${label}`);
      await screenshot(page, `learn-${code}-${label}`);
      // Each corrected section, the glossary and each predict-first question on its own, for a
      // person to read (tests/e2e/screenshots/learn-<lang>-<device>-<part>.png).
      for (const part of ["corrections", ...SECTIONS, "notation"]) {
        await page
          .locator(`#${part}`)
          .screenshot({ path: join(screenshotDir, `learn-${code}-${label}-${part}.png`) });
      }
      for (const lab of LABS) {
        await page
          .locator(`#predict-${lab}`)
          .screenshot({ path: join(screenshotDir, `learn-${code}-${label}-predict-${lab}.png`) });
      }
      assert.deepEqual(problems, [], `${code} ${label}`);
      await close();
    }
  }
});

test("every identifier in the formulas is defined in the glossary, in both languages", async () => {
  const glossaries = {};
  for (const code of LANGS) {
    const { page, problems, close } = await browser.open(`#/learn?lang=${code}`);
    await page.waitForSelector("article.learn");
    const found = await page.evaluate(() => {
      const used = {};
      for (const mi of document.querySelectorAll(".learn-text mi")) {
        if (mi.closest(".learn-glossary")) continue;
        const symbol = mi.textContent.trim();
        used[symbol] ??= mi.closest("section, aside")?.id;
      }
      const entries = [...document.querySelectorAll(".learn-glossary [data-glossary]")].map(
        (entry) => ({
          id: entry.dataset.glossary,
          symbols: JSON.parse(entry.dataset.symbols),
          shown: [...entry.querySelectorAll("dt mi")].map((mi) => mi.textContent),
          meaning: entry.querySelector("dd").textContent.trim(),
        }),
      );
      return { used, entries, total: document.querySelectorAll(".learn-text math").length };
    });
    assert.ok(found.total > 60, `${found.total} formulas`);
    const defined = new Map();
    for (const entry of found.entries) {
      assert.ok(entry.meaning.length > (code === "zh" ? 4 : 10), `${code} ${entry.id}`);
      assert.equal(CJK.test(entry.meaning), code === "zh", `${code} ${entry.id} is in ${code}`);
      for (const symbol of entry.symbols) {
        // One meaning per symbol: a letter defined twice is the clash a student trips on.
        assert.ok(!defined.has(symbol), `“${symbol}” is defined twice`);
        defined.set(symbol, entry.id);
      }
    }
    // Multi-letter names (log, det, arg max, …) are in a single <mi> each, so the walk sees them whole.
    const undefinedSymbols = Object.entries(found.used).filter(([symbol]) => !defined.has(symbol));
    assert.deepEqual(undefinedSymbols, [], `${code}: used in a formula, not in the glossary`);
    const unused = [...defined.keys()].filter((symbol) => !(symbol in found.used));
    assert.deepEqual(unused, [], `${code}: in the glossary, used by no formula`);
    // The notation: the energy's normaliser is not Z (the latent is z), and N, ℒ, f, w, b are defined.
    for (const symbol of ["N", "ℒ", "f", "w", "b", "C"]) assert.ok(defined.has(symbol), symbol);
    glossaries[code] = found.entries.map((e) => e.id);
    assert.deepEqual(problems, [], code);
    await close();
  }
  assert.deepEqual(glossaries.zh, glossaries.en);
});

test("the issue's derivations and additions are on the page in both languages", async () => {
  for (const code of LANGS) {
    const { page, problems, close } = await browser.open(`#/learn?lang=${code}`);
    await page.waitForSelector("article.learn");
    const maths = (id) =>
      page.$$eval(`section#${id} .answer math`, (nodes) =>
        nodes.map((m) => m.textContent.replace(/\s+/g, "")),
      );
    const has = (list, piece, what) =>
      assert.ok(
        list.some((m) => m.includes(piece)),
        `${code} ${what}: no formula has ${piece}`,
      );
    const q5 = await maths("q5");
    has(q5, "logp(x|θ)=ℒ(q,θ)+KL(q(z)‖p(z|x,θ))", "EM decomposition");
    has(q5, "argmaxθ", "M-step as the expected complete-data log-likelihood");
    has(q5, "argminj", "k-means as hard EM");
    has(q5, "BIC=−2ℓ", "BIC");
    has(q5, "∑k=1Kπk𝒩(x|μk,Σk)", "the mixture density shown");
    const vae = await maths("vae");
    has(vae, "logpθ(x)=ℒ(θ,φ;x)+KL(qφ(z|x)‖pθ(z|x))", "the same identity in the VAE");
    const gan = await maths("gan");
    has(gan, "V(D*,G)=2JSD(pdata‖pG)−log4", "the GAN at the optimal discriminator");
    const q2 = await maths("q2");
    has(q2, "pθ(xt−1|xt)=𝒩(xt−1|μθ(xt,t)", "diffusion's learned reverse step");
    has(q2, "Lsimple(θ)", "diffusion's loss");
    has(q2, "x=f(z)", "the flow's direction");
    has(q2, "Cθ=∫", "the energy's normaliser");
    const q4 = await maths("q4");
    has(q4, "∏n=1Np(xn|θ)", "the likelihood's product up to N");
    const q3 = await maths("q3");
    has(q3, "KL(pdata‖pθ)", "forward KL");
    has(q3, "KL(pθ‖pdata)", "reverse KL");
    // The energy-based row of the table, and the places in the labs named in the text.
    const rows = await page.$$eval("section#q3 tr[data-model]", (r) =>
      r.map((x) => x.dataset.model),
    );
    assert.ok(rows.includes("ebm"), `${code} table rows ${rows}`);
    const q3Text = await page.textContent("section#q3 .answer");
    assert.ok(
      q3Text.includes("mode_collapse") && /β\s*=\s*20/.test(q3Text),
      `${code} Q3 names the labs`,
    );
    assert.deepEqual(problems, [], code);
    await close();
  }
});

test("the language switch keeps the reader's place, by mouse and by keyboard", async () => {
  const { page, problems, close } = await browser.open("#/learn?lang=en&section=q5");
  await page.waitForFunction(() => document.activeElement?.id === "q5-title");
  // Read on a little way into the section, as a reader would.
  await page.evaluate(() => window.scrollBy(0, 300));
  // The toggle is sticky, so it is on screen here and the click does not scroll.
  const before = await page.evaluate(() => window.scrollY);
  const box = await page.locator(".learn-lang a[data-lang=zh]").boundingBox();
  assert.ok(box.y > 0 && box.y < 200, `the toggle is in view at y = ${box.y}`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await waitForLanguage(page, "zh");
  assert.ok(before > 1000, `scrolled to ${before}`);
  assert.match(await page.evaluate(() => location.hash), /^#\/learn\?lang=zh&section=q5$/);
  await page.waitForFunction(() => {
    const top = document.getElementById("q5").getBoundingClientRect().top;
    return top > -5 && top < 200;
  });
  assert.equal(await page.evaluate(() => document.activeElement.dataset.lang), "zh");
  // Back with the keyboard: the toggle kept the focus, so Shift+Tab and Enter switch back.
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.lang), "en");
  await page.keyboard.press("Enter");
  await waitForLanguage(page, "en");
  assert.match(await page.evaluate(() => location.hash), /^#\/learn\?lang=en&section=q5$/);
  await page.waitForFunction(() => {
    const top = document.getElementById("q5").getBoundingClientRect().top;
    return top > -5 && top < 200;
  });
  assert.deepEqual(problems, []);
  await close();
});

// Every link of the course that carries settings, with what the lab must show once it is open: a
// link whose lab state is not what its sentence promises fails here. A new link without an entry
// fails too.
const RING_MODES = Array.from({ length: 8 }, (_, k) => [
  0.8 * Math.cos((2 * Math.PI * k) / 8),
  0.8 * Math.sin((2 * Math.PI * k) / 8),
]);
const modesCovered = (points) =>
  RING_MODES.filter(
    ([mx, my]) =>
      points.filter(([x, y]) => Math.hypot(x - mx, y - my) < 0.2).length >= 0.05 * points.length,
  ).length;
const meanRadius = (points) =>
  points.reduce((sum, [x, y]) => sum + Math.hypot(x, y), 0) / points.length;
const EXERCISE_SMALL =
  "#/classify?preset=custom&points=-1.32,0.15,0;-1.97,0.97,0;-1.26,-1.03,0;-0.96,-0.36,0;-1.12,-0.73,0;1.47,1.31,1;0.78,-0.47,1;0.55,0.12,1;2.49,1.88,1;1.93,1.43,1&family=lda&show=heatmap,boundary,ellipses,points,lines,unusual&steps=5000";
const EXERCISE_LARGE =
  "#/classify?preset=two_gaussians&seed=7&family=lda&show=heatmap,boundary,ellipses,points,lines,unusual&steps=5000";
const replayed = (page, lab) =>
  page.waitForFunction((l) => window.genplay.labs[l].snapshot().replaying === 0, lab, {
    timeout: 180000,
  });
const DEEP_LINKS = {
  "#/vae?iterations=2000": async (page) => {
    await replayed(page, "vae");
    const s = await page.evaluate(() => window.genplay.labs.vae.snapshot());
    assert.equal(s.iteration, 2000);
    assert.equal(s.layers.show_prior_samples, true);
    // New data: the decoded prior draws lie out on the ring (radius 0.8), not in a lump.
    assert.ok(meanRadius(s.prior_samples) > 0.5, `prior samples at ${meanRadius(s.prior_samples)}`);
  },
  "#/diffusion?iterations=2000": async (page) => {
    await replayed(page, "diffusion");
    const s = await page.evaluate(() => window.genplay.labs.diffusion.snapshot());
    assert.equal(s.iteration, 2000);
    assert.equal(s.samples_iteration, 2000);
    // The reverse process turns noise into the ring: most modes are covered, and the distance
    // fell far below the untrained network's.
    assert.ok(modesCovered(s.samples) >= 6, `modes covered ${modesCovered(s.samples)}`);
    assert.ok(
      s.distance < s.distance_history[0] / 5,
      `distance ${s.distance_history[0]} → ${s.distance}`,
    );
  },
  "#/em?steps=60": async (page) => {
    const s = await page.evaluate(() => window.genplay.labs.em.snapshot());
    assert.equal(s.half_steps, 60);
    assert.ok(s.converged, "the fit has converged");
    // Clicking a point shows p(x): high at a cluster, far lower between two clusters.
    const [a, b] = s.means;
    const at = (x, y) => page.evaluate(([x, y]) => window.genplay.labs.em.inspect(x, y), [x, y]);
    const inside = await at(a[0], a[1]);
    const between = await at((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
    assert.ok(
      inside.normaliser > 100 * between.normaliser,
      `${inside.normaliser} vs ${between.normaliser}`,
    );
  },
  "#/gaussian?x0=2.5": async (page) => {
    const s = await page.evaluate(() => window.genplay.labs.gaussian.snapshot());
    assert.equal(s.x0, 2.5);
    // μy + ρ σy/σx (x₀ − μx) with the defaults μ = 0, σx = 1.5, σy = 1, ρ = 0.7.
    assert.ok(Math.abs(s.conditional_mean - (0.7 / 1.5) * 2.5) < 1e-12, `${s.conditional_mean}`);
    assert.ok(Math.abs(s.conditional_sd - Math.sqrt(1 - 0.49)) < 1e-12, `${s.conditional_sd}`);
  },
  "#/gan?preset=mode_collapse&seed=7&iterations=3000": async (page) => {
    await replayed(page, "gan");
    const s = await page.evaluate(() => window.genplay.labs.gan.snapshot());
    assert.equal(s.preset, "mode_collapse");
    assert.equal(s.iteration, 3000);
    assert.equal(modesCovered(s.real_samples), 8, "the real data cover the ring");
    const fakes = modesCovered(s.fake_samples);
    assert.ok(fakes <= 2, `the fakes cover ${fakes} of 8 modes`);
  },
  "#/vae?beta=20&iterations=2000": async (page) => {
    await replayed(page, "vae");
    const s = await page.evaluate(() => window.genplay.labs.vae.snapshot());
    assert.equal(s.beta, 20);
    assert.equal(s.iteration, 2000);
    // The encodings sit on the prior (σ near 1, KL near 0) and the decoded draws shrink to the middle.
    assert.ok(s.kl < 0.05, `KL ${s.kl}`);
    assert.ok(meanRadius(s.prior_samples) < 0.2, `prior samples at ${meanRadius(s.prior_samples)}`);
  },
  [EXERCISE_SMALL]: async (page) => {
    const s = await page.evaluate(() => window.genplay.labs.classify.snapshot());
    assert.equal(s.preset, "custom");
    assert.equal(s.n_points, 10);
    assert.equal(s.family, "lda");
    assert.equal(s.layers.show_lines, true);
    // Both lines get all ten training points right, yet they are about 18° apart.
    assert.equal(s.lda_accuracy, 1);
    assert.equal(s.logistic_steps, 5000);
    assert.equal(s.logistic_accuracy, 1);
    assert.equal(Math.round(s.angle_lda_logistic), 17);
    assert.equal(Math.round(s.angle_lda_logistic_optimum), 18);
  },
  [EXERCISE_LARGE]: async (page) => {
    const s = await page.evaluate(() => window.genplay.labs.classify.snapshot());
    assert.equal(s.preset, "two_gaussians");
    assert.equal(s.n_points, 200);
    assert.equal(s.layers.show_lines, true);
    assert.ok(s.angle_lda_logistic_optimum < 0.2, `${s.angle_lda_logistic_optimum}°`);
    assert.ok(s.angle_lda_logistic < 0.2, `${s.angle_lda_logistic}°`);
    assert.equal(s.lda_accuracy, 0.895);
    assert.equal(s.logistic_accuracy, 0.895);
  },
};

test("every link with settings opens the lab in the state its sentence describes", async () => {
  for (const code of LANGS) {
    const { page, close } = await browser.open(`#/learn?lang=${code}`);
    await page.waitForSelector("article.learn");
    const links = await page.$$eval(".learn-text a[href*='?']", (a) =>
      a.map((x) => x.getAttribute("href")).filter((href) => !href.startsWith("#/learn")),
    );
    assert.deepEqual([...new Set(links)].sort(), Object.keys(DEEP_LINKS).sort(), code);
    await close();
  }
  for (const [href, check] of Object.entries(DEEP_LINKS)) {
    const { page, problems, close } = await browser.open(href);
    await check(page);
    assert.deepEqual(problems, [], href);
    await close();
  }
});

test("the Q6 exercise's accuracies are the ones the Classify lab gives", async () => {
  // Fresh points from the same two Gaussians (the preset with other seeds) score each fitted line.
  const { page, problems, close } = await browser.open(EXERCISE_SMALL);
  const measured = await page.evaluate(() => {
    const lab = window.genplay.labs.classify;
    const small = lab.snapshot();
    const fresh = (preset) => {
      lab.set("preset", preset);
      const points = [];
      for (const seed of [101, 102, 103, 104, 105]) {
        lab.set("seed", seed);
        points.push(...lab.points());
      }
      return points;
    };
    const score = (points, w, b) =>
      points.filter(([x, y, c]) => (w[0] * x + w[1] * y + b > 0 ? 1 : 0) === c).length /
      points.length;
    const both = (points, s) => [
      score(points, s.lda_weights, s.lda_bias),
      score(points, s.logistic_optimum_weights, s.logistic_optimum_bias),
    ];
    const gaussians = fresh("two_gaussians");
    const result = { small: both(gaussians, small), fresh: gaussians.length };
    // The 200 points of seed 7, whole and as twenty disjoint sets of five points per class.
    lab.set("preset", "two_gaussians");
    lab.set("seed", 7);
    const all = lab.points();
    lab.set("points", all);
    result.large = both(gaussians, lab.snapshot());
    const sums = [0, 0];
    const [zeros, ones] = [0, 1].map((c) => all.filter((p) => p[2] === c));
    for (let i = 0; i < 20; i += 1) {
      lab.set("points", [...zeros.slice(5 * i, 5 * i + 5), ...ones.slice(5 * i, 5 * i + 5)]);
      both(gaussians, lab.snapshot()).forEach((v, j) => (sums[j] += v / 20));
    }
    result.average = sums;
    const moons = fresh("moons");
    lab.set("preset", "moons");
    lab.set("seed", 7);
    lab.set("points", lab.points());
    result.moons = both(moons, lab.snapshot());
    return result;
  });
  assert.equal(measured.fresh, 1000);
  const percent = (v) => `${(100 * v).toFixed(1)}%`;
  const claims = [
    ...measured.small,
    ...measured.average,
    ...measured.large,
    ...[...measured.moons].reverse(),
  ].map(percent);
  // What the text says, in its order: 10 points (LDA, logistic), the twenty sets, all 200 points,
  // then the moons (logistic first).
  assert.deepEqual(claims, [
    "88.5%",
    "88.0%",
    "84.6%",
    "83.5%",
    "87.7%",
    "87.8%",
    "87.3%",
    "86.1%",
  ]);
  // On small sets LDA is ahead; on the moons, with all the points, logistic regression is.
  assert.ok(measured.average[0] > measured.average[1]);
  assert.ok(measured.moons[1] > measured.moons[0]);
  assert.deepEqual(problems, []);
  await close();
  for (const code of LANGS) {
    const { page, close } = await browser.open(`#/learn?lang=${code}`);
    const text = await page.textContent("section#q6 .answer");
    let from = 0;
    for (const claim of claims) {
      const at = text.indexOf(claim, from);
      assert.ok(at >= 0, `${code} Q6 says ${claim} (in this order)`);
      from = at + claim.length;
    }
    await close();
  }
});

// The tour's stops, written out: the seven labs in menu order.
const TOUR_STOPS = ["coin", "joint", "gaussian", "em", "gan", "vae", "classify"];
const routeName = (page) => page.evaluate(() => location.hash.slice(2).split("?")[0]);
const tourStop = (page) => page.getAttribute("#tour", "data-stop").then(Number);
const waitForStop = (page, lab, n) =>
  page.waitForFunction(
    ([lab, n]) =>
      location.hash.startsWith(`#/${lab}`) &&
      document.getElementById("tour")?.dataset.stop === String(n) &&
      !document.getElementById("tour").hidden,
    [lab, n],
  );

test("the guided tour goes through every lab by keyboard, forward and back, and returns to the course", async () => {
  const { page, problems, close } = await browser.open("#/learn?tour=1");
  await waitForStop(page, "coin", 1);
  // Tab from the top of the page to the tour's Next button.
  let presses = 0;
  while (!(await page.evaluate(() => document.activeElement?.dataset.tour === "next"))) {
    await page.keyboard.press("Tab");
    presses += 1;
    assert.ok(presses < 40, "the tour's Next button is reachable with Tab");
  }
  assert.equal(await page.getAttribute("[data-tour=previous]", "aria-disabled"), "true");
  for (let i = 1; i < TOUR_STOPS.length; i += 1) {
    await page.keyboard.press("Enter");
    await waitForStop(page, TOUR_STOPS[i], i + 1);
    assert.equal(await routeName(page), TOUR_STOPS[i]);
    assert.match(await page.textContent(".tour-progress"), new RegExp(`stop ${i + 1} of 7`));
    const steps = await page.$$eval(".tour-steps li", (li) =>
      li.map((x) => x.getAttribute("aria-current") ?? (x.className || "-")),
    );
    assert.equal(steps.length, 7);
    assert.equal(steps.indexOf("step"), i, `progress ${steps}`);
    assert.ok((await page.textContent("main h2")).length > 3, `${TOUR_STOPS[i]} is drawn`);
    // The pressed button keeps the focus, so Enter again goes on.
    assert.equal(await page.evaluate(() => document.activeElement.dataset.tour), "next");
    if (i === 2) {
      // Back one stop with Shift+Tab and Enter on Previous, then forward again.
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Enter");
      await waitForStop(page, "joint", 2);
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await waitForStop(page, "gaussian", 3);
    }
  }
  // The last stop finishes the tour and comes back to the course.
  assert.match(await page.textContent("[data-tour=next]"), /back to the course/);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#/learn?lang=en");
  await page.waitForSelector("article.learn");
  assert.equal(await page.isHidden("#tour"), true);
  assert.equal(await page.getAttribute("[data-tour-start]", "data-tour-start"), "start");
  assert.equal(await page.evaluate(() => localStorage.getItem("genplay.tour")), null);
  assert.deepEqual(problems, []);
  await close();
});

test("the tour can be left and resumed where it stopped, in Chinese too", async () => {
  const { page, problems, close } = await browser.open("#/learn?lang=zh&tour=1");
  await waitForStop(page, "coin", 1);
  assert.match(await page.textContent(".tour-progress"), /第 1 站/);
  assert.equal(await page.getAttribute("#tour", "lang"), "zh-Hans");
  await page.click("[data-tour=next]");
  await waitForStop(page, "joint", 2);
  await page.click("[data-tour=next]");
  await waitForStop(page, "gaussian", 3);
  await page.click("[data-tour=leave]");
  assert.equal(await page.isHidden("#tour"), true);
  // Elsewhere the bar stays away; a reload keeps the place.
  await page.evaluate(() => (location.hash = "#/em"));
  await page.waitForSelector("main h2");
  assert.equal(await page.isHidden("#tour"), true);
  await page.reload();
  await page.evaluate(() => window.genplay.ready);
  await page.evaluate(() => (location.hash = "#/learn?lang=zh"));
  await page.waitForSelector("article.learn[data-lang=zh]");
  const resume = page.locator("[data-tour-start]");
  assert.equal(await resume.getAttribute("data-tour-start"), "resume");
  assert.match(await resume.textContent(), /第 3 站/);
  await resume.click();
  await waitForStop(page, "gaussian", 3);
  assert.equal(await tourStop(page), 3);
  assert.match(await page.textContent(".tour-progress"), /第 3 站.*高斯实验/);
  assert.deepEqual(problems, []);
  await close();
});

// The predict-first questions, one per lab, and what the lab's snapshot must show once the
// question's step has run (the answer the question calls right).
const PREDICT = {
  coin: (s) => s.n_flips === 1000 && Math.abs(s.frequency - 0.3) < 0.05 && s.frequency !== 0.3,
  joint: (s) => Math.abs(s.mutual_information_bits) < 1e-12 && s.p_y_given_x.join() === "0.4,0.4",
  gaussian: (s) => s.x0 === 2 && Math.abs(s.conditional_mean - (0.7 / 1.5) * 2) < 1e-12,
  em: (s) => s.half_steps === 2 && s.next_half_step === "E" && s.k === 3,
  gan: (s) => s.iteration === 1500 && s.preset === "healthy" && s.distance < 0.1,
  vae: (s) => s.iteration === 1000 && s.beta === 20 && s.kl < 0.05,
  diffusion: (s) => s.t === 100 && s.config.schedule === "cosine" && s.mean_factor < 0.01,
  classify: (s) =>
    s.family === "lda" && s.covariances[0].flat().join() === s.covariances[1].flat().join(),
};

test("every predict-first question is answered by keyboard, and its lab then runs the step", async () => {
  for (const code of LANGS) {
    const { page, problems, close } = await browser.open(`#/learn?lang=${code}`);
    await page.waitForSelector("article.learn");
    const forms = await page.$$eval("form.predict", (f) =>
      f.map((x) => ({
        id: x.dataset.predict,
        section: x.closest("section").id,
        options: x.querySelectorAll("input[type=radio]").length,
      })),
    );
    assert.deepEqual(forms.map((f) => f.id).sort(), Object.keys(PREDICT).sort(), code);
    for (const { id, options } of forms) {
      assert.ok(options >= 3, `${id} has ${options} options`);
      const lab = await page.getAttribute(`#predict-${id}`, "data-lab");
      // The right answer, found by value (the options are shown shuffled): Tab to the group,
      // arrow keys to the option, Enter to check.
      const right = await page.$eval(`#predict-${id}`, (form) =>
        [...form.querySelectorAll("input[type=radio]")].findIndex((r) => r.value === "0"),
      );
      await page.focus(`#predict-${id} input[type=radio]`);
      await page.keyboard.press("Space");
      for (let i = 0; i < right; i += 1) await page.keyboard.press("ArrowDown");
      assert.equal(
        await page.$eval(`#predict-${id} input:checked`, (r) => r.value),
        "0",
        `${id}: the keyboard chose the right option`,
      );
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        (id) => document.getElementById(`predict-${id}`).dataset.held !== undefined,
        id,
        { timeout: 60000 },
      );
      const form = await page.$eval(`#predict-${id}`, (f) => ({
        held: f.dataset.held,
        right: f.dataset.right,
        verdict: f.querySelector(".predict-verdict").textContent,
      }));
      assert.equal(form.held, "0", `${code} ${id}: ${form.verdict}`);
      assert.equal(form.right, "true");
      assert.equal(CJK.test(form.verdict), code === "zh", form.verdict);
      const snapshot = await page.evaluate((lab) => window.genplay.labs[lab].snapshot(), lab);
      assert.ok(PREDICT[id](snapshot), `${code} ${id}: the lab's snapshot after the step`);
    }
    // A wrong pick is told so.
    await page.check("#predict-coin input[value='1']");
    await page.click("#predict-coin button");
    await page.waitForFunction(
      () => document.getElementById("predict-coin").dataset.right === "false",
    );
    if (code === "en") await screenshot(page, "learn-predict-answered");
    assert.deepEqual(problems, [], code);
    await close();
  }
  // Reachable from a lab: the tour bar links to the lab's question, which opens focused.
  const { page, problems, close } = await browser.open("#/learn?lang=zh&tour=1");
  await waitForStop(page, "coin", 1);
  await page.click("[data-tour=next]");
  await waitForStop(page, "joint", 2);
  await page.click("[data-tour-predict]");
  await page.waitForFunction(() => document.activeElement?.id === "predict-joint");
  assert.match(await page.evaluate(() => location.hash), /lang=zh&section=predict-joint/);
  assert.deepEqual(problems, []);
  await close();
});

test("every lab links to its predict-first question, which the link brings into view", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  for (const lab of Object.keys(PREDICT)) {
    await page.goto(`${page.url().split("#")[0]}#/${lab}`);
    // A hash change redraws the page: wait for this lab's link, not the last lab's.
    await page.click(`.lab-head a[href="#/learn?section=predict-${lab}"]`);
    const form = page.locator(`#predict-${lab}`);
    await form.waitFor();
    await page.waitForFunction((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return r.top >= 0 && r.top < innerHeight;
    }, `predict-${lab}`);
    assert.equal(await form.getAttribute("data-lab"), lab);
  }
  assert.deepEqual(problems, []);
  await close();
});

test("a lab reloaded in the middle of a tour keeps the tour's bar at its stop", async () => {
  const { page, problems, close } = await browser.open("#/learn?tour=1");
  await waitForStop(page, "coin", 1);
  await page.click("[data-tour=next]");
  await waitForStop(page, "joint", 2);
  await page.reload();
  await page.evaluate(() => window.genplay.ready);
  await waitForStop(page, "joint", 2);
  await page.click("[data-tour=next]");
  await waitForStop(page, "gaussian", 3);
  assert.deepEqual(problems, []);
  await close();
});
