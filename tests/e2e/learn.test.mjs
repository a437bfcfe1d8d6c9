// The course page at #/learn, read as a student would: both languages render with no error, each
// of the article's seven questions has an answer, the language toggle works by mouse and by
// keyboard, every "Try it" link leads to a real route, and the corrected two-coin tables hold
// numbers that add up (checked against an independent computation here).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, screenshot } from "./harness.mjs";

const LANGS = ["en", "zh"];
const QUESTIONS = [1, 2, 3, 4, 5, 6, 7];
const LABS = ["coin", "joint", "gaussian", "em", "gan", "vae", "classify"];
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
    // The table of contents lists the corrections box and every section, and says which is Qn.
    const toc = await page.$$eval(".learn-toc a", (links) => links.map((a) => a.dataset.section));
    const sections = await page.$$eval("article .learn-section", (s) => s.map((x) => x.id));
    assert.deepEqual(toc, ["corrections", ...sections]);
    const corrections = await page.$$eval(".learn-corrections li", (items) => items.length);
    assert.ok(corrections >= 6, `${corrections} corrections listed`);
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
    await page.waitForFunction(() => location.hash.startsWith("#/coin"));
    assert.match(await page.textContent("main h2"), /coin/i);
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
      assert.deepEqual(problems, [], `${code} ${label}`);
      await close();
    }
  }
});
