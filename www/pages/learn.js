// The course page at #/learn: one reading text in English or Chinese (#/learn?lang=zh), with a
// table of contents, a box listing how it corrects its source article, and a "Try it" link from
// each section to the lab that lets the student touch the idea, and a glossary of every symbol
// the formulas use. The words live in course-en.js and course-zh.js; this module owns the outline
// both must follow (sections, corrections, glossary), the language toggle, and the two-coin
// example's numbers, which it computes rather than trusting hand-typed ones.
import { el } from "../ui/controls.js";
import { GLOSSARY, glossarySymbols } from "./course-math.js";
import { TOUR, savedTour, startTour } from "../ui/tour.js";
import { QUESTIONS, predictForm } from "../ui/predict.js";
import en from "./course-en.js";
import zh from "./course-zh.js";

/** The languages, in toggle order; the first is the default. */
const LANGUAGES = [
  { code: "en", label: "English", htmlLang: "en", course: en },
  { code: "zh", label: "中文", htmlLang: "zh-Hans", course: zh },
];

/**
 * The sections in reading order, the article's question each one answers (if any), and the labs
 * it sends the student to, each as the lab's route with the settings the "Try it" line talks about
 * (a link holds a lab's whole state, so "vae?iterations=2000" opens a trained VAE). Both languages
 * must have exactly these ids and, per section, a "Try it" line for exactly these labs.
 */
export const OUTLINE = [
  {
    id: "q1",
    question: 1,
    labs: ["coin", "vae?iterations=2000", "em?steps=60", "gaussian?x0=2.5"],
  },
  { id: "basics", labs: ["coin", "joint"] },
  { id: "two-coins", labs: ["joint"] },
  { id: "q2", question: 2, labs: ["gaussian", "em", "diffusion?iterations=2000"] },
  {
    id: "q3",
    question: 3,
    labs: [
      "em",
      "classify",
      "gan?preset=mode_collapse&seed=7&iterations=3000",
      "vae?beta=20&iterations=2000",
    ],
  },
  { id: "gan", labs: ["gan"] },
  { id: "vae", labs: ["vae"] },
  { id: "q4", question: 4, labs: ["coin", "classify"] },
  { id: "q5", question: 5, labs: ["em"] },
  { id: "q6", question: 6, labs: ["classify", "gaussian"] },
  { id: "q7", question: 7, labs: ["em", "vae"] },
];

/** The lab a link in the outline goes to: "vae?beta=20" → "vae". */
const labOf = (link) => link.split("?")[0];

/**
 * The source article's mistakes that the corrections box lists, in order; each language gives
 * one entry per id, so a correction missing from one language is reported.
 */
export const CORRECTIONS = [
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

/** The bias of the first coin in the worked example: the article's p. */
export const EXAMPLE_P = 0.3;

/**
 * The two-coin example for P(X = H) = p. Rows are X = H, T; columns are Y = H, T.
 * `asWritten` is the article's formula taken literally (rows sum to 2p and 1 − p);
 * `conditional` is the corrected P(Y | X): a fair coin after heads, the same biased coin after tails.
 */
export function twoCoins(p) {
  const q = 1 - p;
  const asWritten = [
    [p, p],
    [q / 2, q / 2],
  ];
  const conditional = [
    [0.5, 0.5],
    [p, q],
  ];
  const marginalX = [p, q];
  const joint = conditional.map((row, x) => row.map((value) => marginalX[x] * value));
  const marginalY = [0, 1].map((y) => joint[0][y] + joint[1][y]);
  let information = 0;
  for (const x of [0, 1]) {
    for (const y of [0, 1]) {
      const both = joint[x][y];
      if (both > 0) information += both * Math.log2(both / (marginalX[x] * marginalY[y]));
    }
  }
  return {
    p,
    asWritten,
    conditional,
    joint,
    marginalX,
    marginalY,
    posteriorHeads: joint[0][0] / marginalY[0],
    information,
  };
}

/** Three decimals at most, trailing zeros dropped: 0.15, 0.6, 0.417. */
const show = (value) => String(Number(value.toFixed(3)));

/** Problems with a course text against the outline; an empty list when it follows it. */
export function outlineProblems(course) {
  const problems = [];
  const same = (what, given, wanted) => {
    const missing = wanted.filter((key) => !given.includes(key));
    const extra = given.filter((key) => !wanted.includes(key));
    if (missing.length) problems.push(`${what} lacks ${missing.join(", ")}`);
    if (extra.length) problems.push(`${what} has unknown ${extra.join(", ")}`);
  };
  same("the corrections box", Object.keys(course.ui.corrections ?? {}), CORRECTIONS);
  same(
    "the predict-first questions",
    Object.keys(course.ui.predict?.questions ?? {}),
    QUESTIONS.map((q) => q.id),
  );
  same(
    "the tour's stops",
    Object.keys(course.ui.tour?.stops ?? {}),
    TOUR.map((s) => s.lab),
  );
  same(
    "the glossary",
    Object.keys(course.ui.glossary ?? {}),
    GLOSSARY.map((entry) => entry.id),
  );
  for (const { id, labs: links } of OUTLINE) {
    const labs = links.map(labOf);
    const section = course.sections[id];
    if (!section?.title || !section?.html) {
      problems.push(`section “${id}” has no title or text`);
      continue;
    }
    const given = Object.keys(section.try ?? {}).sort();
    if (given.join() !== [...labs].sort().join()) {
      problems.push(
        `section “${id}” tries labs ${given.join(", ")}, the outline says ${labs.join(", ")}`,
      );
    }
  }
  for (const id of Object.keys(course.sections)) {
    if (!OUTLINE.some((s) => s.id === id)) problems.push(`section “${id}” is not in the outline`);
  }
  return problems;
}

for (const { code, course } of LANGUAGES) {
  for (const problem of outlineProblems(course)) console.error(`course-${code}.js: ${problem}`);
}

// After a language switch made from the toggle, focus goes back to the toggle (the switch
// redraws the page, which would otherwise drop keyboard focus to the top of the document).
let refocusToggle = false;

/** Draws the course into `root` in the language `params.lang` names (English by default). */
export function render(root, params = {}) {
  const language = LANGUAGES.find((l) => l.code === params.lang) ?? LANGUAGES[0];
  const { course } = language;
  const { ui } = course;
  document.title = `${ui.title} · genplay`;
  const hrefFor = (section) =>
    `#/learn?lang=${language.code}${section ? `&section=${encodeURIComponent(section)}` : ""}`;

  const article = el(
    "article",
    { class: "learn", lang: language.htmlLang, "data-lang": language.code },
    // The toggle comes first and stays in view as the page scrolls (it is sticky), so a reader can
    // switch language in the middle of a section, and the switch keeps the place.
    languageToggle(language, ui.language),
    el(
      "header",
      { class: "learn-head" },
      el("h2", {}, ui.title),
      el("p", { class: "lede" }, ui.lede),
      tourLink(language.code, ui.tour),
    ),
    el(
      "div",
      { class: "learn-body" },
      tableOfContents(course, hrefFor),
      el(
        "div",
        { class: "learn-text" },
        el(
          "aside",
          { class: "learn-corrections", id: "corrections", "aria-labelledby": "corrections-title" },
          el("h3", { id: "corrections-title" }, ui.correctionsTitle),
          el(
            "ul",
            {},
            ...CORRECTIONS.map((id) =>
              el("li", { "data-correction": id, html: ui.corrections[id] ?? "" }),
            ),
          ),
        ),
        ...OUTLINE.map((entry) => section(entry, course)),
        glossary(ui),
      ),
    ),
  );
  fillTwoCoins(article, ui.twoCoins);
  for (const symbol of undefinedSymbols(article)) {
    console.error(`course-${language.code}.js: the symbol “${symbol}” is not in the glossary`);
  }
  for (const link of article.querySelectorAll("a[data-section]")) {
    link.setAttribute("href", hrefFor(link.dataset.section));
  }
  article.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[data-section]");
    if (!link) return;
    event.preventDefault();
    history.replaceState(null, "", link.getAttribute("href"));
    goTo(article, link.dataset.section, true);
  });
  root.replaceChildren(article);
  stickBelowMenuBar(article);

  if (params.tour === "1") {
    startTour(language.code);
    return;
  }
  if (refocusToggle) {
    refocusToggle = false;
    // The switch keeps the reader's place (the toggle's link named the section in view) and the
    // keyboard focus on the toggle, so the same key press switches back.
    article
      .querySelector(`.learn-lang a[data-lang=${language.code}]`)
      .focus({ preventScroll: true });
    if (params.section) goTo(article, params.section, false, false);
  } else if (params.section) goTo(article, params.section, false);
}

/**
 * Tells the CSS how tall the site's sticky menu bar is (it wraps to two lines on a phone), so that
 * the sticky language toggle sits just under it.
 */
let menuBarWatch = null;
function stickBelowMenuBar(article) {
  const bar = document.querySelector("header.top");
  if (!bar) return;
  // One observer for the page's life; it writes to whichever article is on screen.
  menuBarWatch ??= new ResizeObserver(() => {
    document
      .querySelector("article.learn")
      ?.style.setProperty("--menu-bar", `${bar.offsetHeight}px`);
  });
  menuBarWatch.observe(bar);
  article.style.setProperty("--menu-bar", `${bar.offsetHeight}px`);
}

/**
 * The section (or the corrections box, or the glossary) the reader is in: the last one whose top
 * has scrolled up to the sticky menu bar or past it; null at the top of the page, before the first.
 */
function sectionInView(article) {
  const bar = document.querySelector("header.top")?.getBoundingClientRect().bottom ?? 0;
  let current = null;
  for (const part of article.querySelectorAll(".learn-text > [id]")) {
    if (part.getBoundingClientRect().top <= bar + 40) current = part.id;
  }
  return current;
}

/** Every <mi> of the text's formulas that the glossary does not define (the glossary's own skipped). */
export function undefinedSymbols(root) {
  const defined = new Set(GLOSSARY.flatMap((entry) => entry.symbols));
  const used = [...root.querySelectorAll(".learn-text mi")]
    .filter((node) => !node.closest(".learn-glossary"))
    .map((node) => node.textContent.trim());
  return [...new Set(used)].filter((symbol) => !defined.has(symbol));
}

/** The link that starts the guided tour, or resumes it where it was left. */
function tourLink(code, words) {
  const saved = savedTour();
  return el(
    "p",
    { class: "learn-tour" },
    el(
      "a",
      { href: `#/learn?lang=${code}&tour=1`, "data-tour-start": saved ? "resume" : "start" },
      saved ? words.resume(saved.stop + 1, TOUR.length) : words.start,
      " (#/learn?tour=1)",
    ),
  );
}

function languageToggle(current, label) {
  return el(
    "nav",
    { class: "learn-lang", "aria-label": label },
    ...LANGUAGES.map((l) =>
      el(
        "a",
        {
          href: `#/learn?lang=${l.code}`,
          lang: l.htmlLang,
          hreflang: l.htmlLang,
          "data-lang": l.code,
          "aria-current": l === current ? "true" : undefined,
          onclick: (event) => {
            refocusToggle = true;
            // Named now, as the link is followed, so that the other language opens at the same place.
            const place = sectionInView(event.currentTarget.closest("article"));
            event.currentTarget.setAttribute(
              "href",
              `#/learn?lang=${l.code}${place ? `&section=${encodeURIComponent(place)}` : ""}`,
            );
          },
        },
        l.label,
      ),
    ),
  );
}

function tableOfContents(course, hrefFor) {
  const { ui } = course;
  return el(
    "nav",
    { class: "learn-toc", "aria-labelledby": "learn-toc-title" },
    el("h3", { id: "learn-toc-title" }, ui.contents),
    el(
      "ol",
      {},
      el("li", {}, el("a", { "data-section": "corrections" }, ui.correctionsTitle)),
      ...OUTLINE.map(({ id, question }) =>
        el(
          "li",
          {},
          el(
            "a",
            { "data-section": id },
            question ? el("span", { class: "qnum" }, ui.question(question)) : null,
            course.sections[id].title,
          ),
        ),
      ),
      el("li", {}, el("a", { "data-section": "notation" }, ui.glossaryTitle)),
    ),
  );
}

/** The notation list: every symbol of the formulas with its meaning, in the page's language. */
function glossary(ui) {
  return el(
    "section",
    { class: "learn-glossary", id: "notation", "aria-labelledby": "notation-title" },
    el("h3", { id: "notation-title", tabindex: "-1" }, ui.glossaryTitle),
    el(
      "dl",
      {},
      ...GLOSSARY.map(({ id, symbols }) =>
        el(
          "div",
          { "data-glossary": id, "data-symbols": JSON.stringify(symbols) },
          el("dt", { html: glossarySymbols(symbols) }),
          el("dd", { html: ui.glossary[id] ?? "" }),
        ),
      ),
    ),
  );
}

function section({ id, question, labs: links }, course) {
  const { ui } = course;
  const text = course.sections[id];
  return el(
    "section",
    {
      id,
      class: "learn-section",
      "data-question": question,
      "aria-labelledby": `${id}-title`,
    },
    el(
      "h3",
      { id: `${id}-title`, tabindex: "-1" },
      question ? el("span", { class: "qnum" }, ui.question(question)) : null,
      text.title,
    ),
    el("div", { class: "answer", html: text.html }),
    ...QUESTIONS.filter((q) => q.section === id).map((q) =>
      predictForm(q, ui.predict, ui.labNames[q.lab]),
    ),
    ...links.map((link) => {
      const lab = labOf(link);
      return el(
        "p",
        { class: "try" },
        el("strong", {}, `${ui.tryIt}: `),
        el("a", { href: `#/${link}`, "data-lab": lab }, `${ui.labNames[lab]} (#/${link})`),
        " — ",
        text.try[lab],
      );
    }),
  );
}

/**
 * Scrolls a section (or the corrections box, or the glossary) into view and, unless told not to,
 * moves keyboard focus to its heading.
 */
function goTo(article, id, smooth, focus = true) {
  const target = article.querySelector(`#${CSS.escape(id)}`);
  if (!target) return;
  const heading = target.querySelector("h3") ?? target;
  if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  requestAnimationFrame(() => {
    target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    if (focus) heading.focus({ preventScroll: true });
  });
}

/** Puts the computed two-coin tables and sentences where the text left their placeholders. */
function fillTwoCoins(article, words) {
  const example = twoCoins(EXAMPLE_P);
  const faces = [words.heads, words.tails];
  const place = (kind, node) => {
    const slot = article.querySelector(`[data-two-coins=${kind}]`);
    if (slot) slot.replaceChildren(node);
  };
  place(
    "as-written",
    coinTable({
      kind: "as-written",
      caption: words.asWrittenCaption(show(example.p)),
      rows: example.asWritten,
      faces,
      words,
      rowSums: true,
    }),
  );
  place(
    "conditional",
    coinTable({
      kind: "conditional",
      caption: words.conditionalCaption(show(example.p)),
      rows: example.conditional,
      faces,
      words,
      rowSums: true,
    }),
  );
  place(
    "joint",
    coinTable({
      kind: "joint",
      caption: words.jointCaption(show(example.p)),
      rows: example.joint,
      faces,
      words,
      marginals: { x: example.marginalX, y: example.marginalY },
    }),
  );
  place("bayes", words.bayes(show(example.posteriorHeads), show(example.marginalY[0])));
  place("information", words.information(show(example.information)));
}

/** One 2×2 table of the two-coin example; every number cell keeps its exact value in data-value. */
function coinTable({ kind, caption, rows, faces, words, rowSums = false, marginals = null }) {
  const cell = (value, extra = {}) =>
    el("td", { "data-value": String(value), ...extra }, show(value));
  const head = [
    el("th", { scope: "col" }, `${words.firstCoin} ╲ Y`),
    ...faces.map((face) => el("th", { scope: "col" }, `Y = ${face}`)),
    rowSums ? el("th", { scope: "col" }, words.rowSum) : null,
    marginals ? el("th", { scope: "col" }, words.marginalX) : null,
  ];
  const body = rows.map((row, x) =>
    el(
      "tr",
      { "data-row": x === 0 ? "H" : "T" },
      el("th", { scope: "row" }, `X = ${faces[x]}`),
      ...row.map((value) => cell(value)),
      rowSums
        ? cell(row[0] + row[1], {
            class: Math.abs(row[0] + row[1] - 1) < 1e-12 ? "sum ok" : "sum wrong",
            "data-sum": "",
          })
        : null,
      marginals ? cell(marginals.x[x], { class: "marginal" }) : null,
    ),
  );
  const foot = marginals
    ? el(
        "tr",
        { "data-row": "marginal" },
        el("th", { scope: "row" }, words.marginalY),
        ...marginals.y.map((value) => cell(value, { class: "marginal" })),
        cell(
          rows.flat().reduce((a, b) => a + b, 0),
          { class: "sum ok", "data-total": "" },
        ),
      )
    : null;
  const captionId = `two-coins-${kind}-caption`;
  return el(
    "figure",
    { class: "coin-figure" },
    el("figcaption", { id: captionId }, caption),
    el(
      "div",
      { class: "table-scroll" },
      el(
        "table",
        { class: `coin-table ${kind}`, "data-table": kind, "aria-labelledby": captionId },
        el("thead", {}, el("tr", {}, ...head)),
        el("tbody", {}, ...body, foot),
      ),
    ),
  );
}
