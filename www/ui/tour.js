// The guided tour (#/learn?tour=1): the seven labs in menu order, one stop each, with a bar under
// the menu that says where the student is (stop n of 7), what to try there, which section of the
// course explains it, and Previous / Next / Leave buttons (ordinary buttons, so Tab and Enter work).
// The stop is kept in localStorage, so a tour that was left (or a reloaded page) resumes where it
// stopped: the course page's tour link says "Resume". This module owns the tour and its bar; the
// labs know nothing of it, and the words come from the course texts (ui.tour).
import { el } from "./controls.js";
import en from "../pages/course-en.js";
import zh from "../pages/course-zh.js";

/** The stops in order: a lab, and the course section that explains what it shows. */
export const TOUR = [
  { lab: "coin", section: "basics" },
  { lab: "joint", section: "two-coins" },
  { lab: "gaussian", section: "q6" },
  { lab: "em", section: "q5" },
  { lab: "gan", section: "gan" },
  { lab: "vae", section: "vae" },
  { lab: "classify", section: "q6" },
];

const COURSES = { en, zh };
const HTML_LANG = { en: "en", zh: "zh-Hans" };
const KEY = "genplay.tour";

/** The stored tour ({lang, stop, active}), or null when there is none (or it is not readable). */
export function savedTour() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY));
    if (COURSES[s?.lang] && Number.isInteger(s.stop) && s.stop >= 0 && s.stop < TOUR.length) {
      return s;
    }
  } catch {
    // No storage (a private window may refuse it): the tour still runs, it just cannot resume.
  }
  return null;
}

function store(value) {
  try {
    if (value) localStorage.setItem(KEY, JSON.stringify(value));
    else localStorage.removeItem(KEY);
  } catch {
    // As above: without storage the tour forgets its place on reload, nothing worse.
  }
}

let tour = savedTour();
let bar = null;

/**
 * Starts the tour in `lang`, or resumes it at the stop where it was left, and opens that stop's
 * lab. The course page's address is replaced, not kept, so Back from the first lab does not land
 * on #/learn?tour=1 and bounce forward again.
 */
export function startTour(lang) {
  tour = { lang, stop: savedTour()?.stop ?? 0, active: true };
  store(tour);
  location.replace(`#/${TOUR[tour.stop].lab}`);
}

function go(stop) {
  tour.stop = stop;
  store(tour);
  location.hash = `#/${TOUR[stop].lab}`;
}

function leave() {
  tour.active = false;
  store(tour);
  update();
  // The bar (and the button just pressed) is gone: the lab takes the focus.
  document.getElementById("lab")?.focus();
}

function finish() {
  const { lang } = tour;
  tour = null;
  store(null);
  location.hash = `#/learn?lang=${lang}`;
}

/** Shows the bar on a lab during an active tour; a lab opened from the menu becomes the stop. */
function update() {
  const name = location.hash.replace(/^#\/?/, "").split("?")[0];
  const at = TOUR.findIndex((stop) => stop.lab === name);
  if (!tour?.active || at < 0) {
    if (bar) bar.hidden = true;
    return;
  }
  if (at !== tour.stop) {
    tour.stop = at;
    store(tour);
  }
  draw();
}

function draw() {
  const { ui } = COURSES[tour.lang];
  const words = ui.tour;
  const stop = TOUR[tour.stop];
  const last = tour.stop === TOUR.length - 1;
  bar ??= build();
  bar.hidden = false;
  bar.lang = HTML_LANG[tour.lang];
  bar.setAttribute("aria-label", words.label);
  bar.dataset.stop = String(tour.stop + 1);
  bar.querySelector(".tour-progress").textContent = words.progress(
    tour.stop + 1,
    TOUR.length,
    ui.labNames[stop.lab],
  );
  bar.querySelector(".tour-steps").replaceChildren(
    ...TOUR.map((s, i) =>
      el(
        "li",
        {
          class: i < tour.stop ? "done" : undefined,
          "aria-current": i === tour.stop ? "step" : undefined,
          title: ui.labNames[s.lab],
        },
        el("span", { class: "visually-hidden" }, ui.labNames[s.lab]),
      ),
    ),
  );
  const section = COURSES[tour.lang].sections[stop.section];
  bar.querySelector(".tour-note").replaceChildren(
    words.stops[stop.lab],
    " ",
    el(
      "a",
      { href: `#/learn?lang=${tour.lang}&section=${stop.section}` },
      words.read(section.title),
    ),
    " · ",
    // The lab's predict-first question, in the course text.
    el(
      "a",
      { href: `#/learn?lang=${tour.lang}&section=predict-${stop.lab}`, "data-tour-predict": "" },
      ui.predict.link,
    ),
  );
  // The buttons stay the same elements, so the one just pressed keeps the keyboard focus.
  const previous = bar.querySelector("[data-tour=previous]");
  previous.textContent = words.previous;
  previous.setAttribute("aria-disabled", String(tour.stop === 0));
  bar.querySelector("[data-tour=next]").textContent = last ? words.finish : words.next;
  bar.querySelector("[data-tour=leave]").textContent = words.leave;
}

function build() {
  const node = el(
    "nav",
    { class: "tour-bar", id: "tour" },
    el("p", { class: "tour-progress", "aria-live": "polite" }),
    el("ol", { class: "tour-steps" }),
    el("p", { class: "tour-note" }),
    el(
      "div",
      { class: "tour-buttons" },
      el("button", {
        type: "button",
        class: "btn",
        "data-tour": "previous",
        onclick: () => tour.stop > 0 && go(tour.stop - 1),
      }),
      el("button", {
        type: "button",
        class: "btn primary",
        "data-tour": "next",
        onclick: () => (tour.stop === TOUR.length - 1 ? finish() : go(tour.stop + 1)),
      }),
      el("button", { type: "button", class: "btn", "data-tour": "leave", onclick: leave }),
    ),
  );
  document.querySelector("header.top").after(node);
  return node;
}

addEventListener("hashchange", update);
update();
