// The app shell: loads the wasm module, creates every lab, routes #/<lab> to the visible one,
// keeps the URL in step with the run (so a link reproduces it), and owns the animation loop,
// which gives each frame's compute a fixed budget so input is answered within a frame.
import { el, button } from "./ui/controls.js";
import { runtime, useModule, recoverFromPanic } from "./ui/runtime.js";
import { loadCharts } from "./ui/chart.js";
import { keepForOffline } from "./ui/offline.js";
import { keyboardScrollable } from "./ui/scrollable.js";
import { announcer } from "./ui/announce.js";

/**
 * Every lab in menu order. Entries with `page` are reading pages, not labs: their module's
 * `render(root, params)` draws them once.
 */
const LABS = [
  { name: "learn", title: "Learn", page: () => import("./pages/learn.js") },
  { name: "coin", title: "Coin", load: () => import("./labs/coin.js") },
  {
    name: "joint",
    title: "Joint",
    load: () => import("./labs/joint.js"),
  },
  {
    name: "gaussian",
    title: "Gaussian",
    load: () => import("./labs/gaussian.js"),
  },
  { name: "em", title: "EM", load: () => import("./labs/em.js") },
  { name: "gan", title: "GAN", load: () => import("./labs/gan.js") },
  {
    name: "vae",
    title: "VAE",
    load: () => import("./labs/vae.js"),
  },
  {
    name: "diffusion",
    title: "Diffusion",
    load: () => import("./labs/diffusion.js"),
  },
  {
    name: "classify",
    title: "Classify",
    load: () => import("./labs/classify.js"),
  },
];

/** The time each frame may spend computing, in milliseconds; drawing comes on top of it. */
const FRAME_BUDGET_MS = 8;

const labs = {};
const main = document.getElementById("lab");
const announce = announcer();
const banner = document.getElementById("banner");
let current = null; // the visible lab object, if built
let routes = 0; // counts route() calls, so one that waited for a lab's code knows it was overtaken
let urlTimer = 0;
let hidden = []; // the names a classroom link (`&hide=`) hides on the visible lab

const app = {
  /** Labs call this when their state changes; the URL follows at most twice a second. */
  stateChanged() {
    if (!current || urlTimer) return;
    urlTimer = setTimeout(() => {
      urlTimer = 0;
      // Only while the address still names this lab: a reader who has just gone to another one
      // (its route not run yet) must not be sent back.
      if (current && parseHash().name === current.name)
        history.replaceState(null, "", hashFor(current.name, withHide(current.link())));
    }, 500);
  },
};

function hashFor(name, pairs) {
  const query = new URLSearchParams();
  for (const [k, v] of pairs) query.set(k, String(v));
  const q = query.toString();
  return `#/${name}${q ? `?${q}` : ""}`;
}

/** A lab's link with its classroom `hide=` list (www/ui/classroom.js), when it has one. */
function withHide(pairs, names = hidden) {
  return names.length ? [...pairs, ["hide", names.join(",")]] : pairs;
}

/**
 * After a lab is drawn: its Data and model panel and PNG buttons (www/ui/io.js), then the
 * hiding a classroom link asks for. Loaded after the first draw, so a first visit waits for
 * neither; `genplay.tools` resolves once they are there.
 */
async function attachTools(turn, lab, hide, refused) {
  const [{ attachIo }, classroom] = await Promise.all([
    import("./ui/io.js"),
    hide === undefined ? null : import("./ui/classroom.js"),
  ]);
  if (turn !== routes || current !== lab) return;
  const share = () =>
    import("./ui/share.js").then(({ openShare }) =>
      openShare(main, lab.core.schema, {
        hidden,
        linkFor: (names) =>
          `${location.origin}${location.pathname}${hashFor(lab.name, withHide(lab.link(), names))}`,
      }),
    );
  attachIo(main, lab, { share });
  if (classroom) {
    const outcome = classroom.applyHide(main, lab.core.schema, hide);
    hidden = outcome.hidden;
    showBanner([...refused, ...outcome.refused]);
    history.replaceState(null, "", hashFor(lab.name, withHide(lab.link())));
  }
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [name, query = ""] = raw.split("?");
  return { name: name || "coin", params: Object.fromEntries(new URLSearchParams(query)) };
}

function showBanner(messages) {
  banner.replaceChildren(...messages.map((m) => el("p", {}, m)));
  banner.hidden = messages.length === 0;
}

function renderNav(active) {
  for (const link of document.querySelectorAll("#labs-nav a")) {
    const on = link.dataset.lab === active;
    link.classList.toggle("active", on);
    if (on) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
    if (on) revealInMenu(link);
  }
}

/** On a narrow screen the menu scrolls sideways: bring the current lab's tab into view. */
function revealInMenu(link) {
  const nav = link.parentElement;
  const left = link.offsetLeft - nav.offsetLeft;
  const right = left + link.offsetWidth;
  if (left < nav.scrollLeft || right > nav.scrollLeft + nav.clientWidth) {
    nav.scrollLeft = Math.max(0, right - nav.clientWidth + 12);
  }
}

/** Loads a lab's code (and the wasm module of its handle) and creates the lab, once; resolves
 * when its API is there. */
function loadLab(entry) {
  entry.loading ??= entry.load().then(async (module) => {
    await useModule(module.wasmModule ?? "basic");
    labs[entry.name] = module.createLab({ app });
    window.genplay.labs[entry.name] = labs[entry.name].api;
  });
  return entry.loading;
}

/** Shows the lab (or page) the address names; the returned Promise settles once it is drawn. */
async function route() {
  const turn = ++routes;
  const { name, params } = parseHash();
  const entry = LABS.find((l) => l.name === name);
  current?.unmount();
  current = null;
  main.replaceChildren();
  renderNav(name);
  if (!entry) {
    showBanner([]);
    main.append(
      el(
        "section",
        { class: "lab placeholder" },
        el("h2", {}, "No lab here"),
        el(
          "p",
          {},
          `There is no lab called “${name}”. Pick one from the menu above, or start with `,
          el("a", { href: "#/coin" }, "the coin"),
          ".",
        ),
      ),
    );
    document.title = "genplay";
    return;
  }
  document.title = `${entry.title} · genplay`;
  if (entry.page) {
    showBanner([]);
    return entry.page().then((module) => module.render(main, params));
  }
  if (!labs[name]) {
    showBanner([]);
    main.append(el("p", { class: "loading" }, `Loading the ${entry.title} lab…`));
    await loadLab(entry);
    // The reader may have moved on (or edited the address) while the lab loaded.
    if (turn !== routes) return;
    main.replaceChildren();
  }
  current = labs[name];
  hidden = [];
  current.mount(main);
  // Every lab has a predict-first question in the course (www/ui/predict.js): the way back to it.
  main
    .querySelector(".lab-head")
    ?.append(
      el(
        "p",
        { class: "lab-predict" },
        el("a", { href: `#/learn?section=predict-${name}` }, "Predict first"),
        ": a question on this lab in the course, checked by running it here.",
      ),
    );
  const { hide, ...settings } = params;
  const refused = current
    .applyUrlState(settings)
    .map((m) => `This link's setting was not used: ${m}`);
  showBanner(refused);
  current.markDirty();
  current.frame(0);
  history.replaceState(null, "", hashFor(name, current.link()));
  window.genplay.tools = attachTools(turn, current, hide, refused);
}

function isTyping(target) {
  return (
    target instanceof HTMLElement &&
    target.matches("input:not([type=range]), select, textarea, [contenteditable]")
  );
}

document.addEventListener("keydown", (event) => {
  if (!current || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
  // Space on a focused button presses that button; leave it alone.
  if (event.key === " " && event.target instanceof HTMLButtonElement) return;
  if (current.keys(event)) event.preventDefault();
});

let last = performance.now();
function loop(now) {
  const dt = Math.max(0, (now - last) / 1000);
  last = now;
  try {
    // While a fresh wasm instance loads after a panic, the old handles must not be touched.
    if (!runtime.recovering) {
      current?.frame(dt, performance.now() + FRAME_BUDGET_MS);
      announce.check(current, LABS.find((l) => l.name === current?.name)?.title);
    }
  } catch (error) {
    // A lab's failure is reported, never allowed to stop the page (a panic recovers by itself).
    console.warn(error);
    if (!runtime.recovering)
      showBanner([`Something went wrong in this lab: ${error.message}. Press Reset to recover.`]);
  }
  requestAnimationFrame(loop);
}

/** The error panel a Rust panic opens: what happened, and that the lab was restored. */
const panicPanel = el("div", { id: "panic", class: "panic", role: "alert", hidden: true });

function showPanic(message) {
  panicPanel.replaceChildren(
    el("strong", {}, "Something broke inside the lab. "),
    el("span", {}, "This is a bug in genplay, not something you did. The message was: "),
    el("code", {}, message),
    el(
      "p",
      {},
      "The lab is being restarted from its link, with your settings. ",
      button("Dismiss", () => (panicPanel.hidden = true)),
    ),
  );
  panicPanel.hidden = false;
}

/** In the fresh instance after a panic: every lab rebuilds its handle, the visible one from
 * the address. */
async function revive() {
  // The address may be half a second behind the lab: restore the visible lab from its own link.
  if (current) history.replaceState(null, "", hashFor(current.name, current.core.lastLink));
  for (const lab of Object.values(labs)) lab.revive();
  await route();
  panicPanel.querySelector("p")?.replaceChildren(
    "The lab was restarted from its link, with your settings. ",
    button("Dismiss", () => (panicPanel.hidden = true)),
  );
}

window.genplay = {
  labs: {},
  ready: null,
  /** The build of the training labs' WebAssembly module: "relaxed-simd" (fused multiply-add)
   * or "simd128" (www/ui/wasm-build.js). */
  get build() {
    return runtime.build;
  },
  /** Called by the Rust panic hook just before the module traps. */
  reportPanic: (message) => recoverFromPanic(message, { onPanic: showPanic, revive }),
  debug: {
    /** Ends the page's GPU devices (one per module) on purpose, as a driver reset would; the
     * labs on them move back to the CPU at their next step, keeping their runs. */
    loseGpu() {
      for (const { gpu } of Object.values(runtime.modules)) gpu.device?.destroy();
    },
    /** From now on Play trains on the page's thread, as where no Web Worker can start (the
     * labs say so); labs whose worker already runs keep it until they leave the screen. */
    noWorker() {
      runtime.workers.disabled = true;
    },
    /** Ends the visible lab's training worker on purpose, as a crash would (`how` = "panic":
     * by a Rust panic inside it); it is restarted from the lab's run, with a message. */
    killWorker(how = "terminate") {
      if (!current?.killWorker)
        throw new Error("debug.killWorker() needs a lab that trains on screen");
      current.killWorker(how);
    },
    /** The page's wasm memory in bytes, all modules together (`make soak` watches it). */
    memory() {
      return Object.values(runtime.modules).reduce((sum, m) => sum + m.memory.buffer.byteLength, 0);
    },
    /** How many training workers are alive, were started, and returned runs. */
    workers() {
      const { live, started, runs } = runtime.workers;
      return { live, started, runs };
    },
    /** Makes the visible lab's handle panic on purpose; resolves once the lab is restored. */
    panic() {
      if (!current?.core) throw new Error("debug.panic() needs a lab on screen");
      try {
        current.core.lab.debug_panic();
      } catch {
        // The trap itself: the panic hook has already started the recovery.
      }
      return runtime.recovering;
    },
  },
};

function buildNav() {
  const nav = document.getElementById("labs-nav");
  nav.replaceChildren(
    ...LABS.map((l) => el("a", { href: `#/${l.name}`, "data-lab": l.name }, l.title)),
  );
}

/** A tour in progress (www/ui/tour.js keeps it in localStorage) keeps its bar over a reload. */
function resumeTour() {
  try {
    if (JSON.parse(localStorage.getItem("genplay.tour"))?.active) import("./ui/tour.js");
  } catch {
    // No storage, or not ours to read: there is no tour to resume.
  }
}

async function start() {
  buildNav();
  keyboardScrollable(main);
  document.body.insertBefore(panicPanel, main);
  addEventListener("hashchange", route);
  // Only the visible lab's code is fetched before it is drawn; the others follow at once after
  // (genplay.loaded), so a first visit waits for what it shows and no more.
  await route();
  window.genplay.readyAt = performance.now();
  resumeTour();
  requestAnimationFrame(loop);
}

window.genplay.ready = start();
// The charts module (www/ui/chart.js) follows the page's own: charts drawn before it arrives
// draw when it does.
window.genplay.loaded = window.genplay.ready.then(() =>
  Promise.all([loadCharts(), ...LABS.filter((l) => l.load).map(loadLab)]),
);
window.genplay.offline = keepForOffline(window.genplay.loaded);
window.genplay.ready.catch((error) => {
  main.replaceChildren(
    el(
      "section",
      { class: "lab placeholder" },
      el("h2", {}, "The playground could not start"),
      el("p", {}, String(error?.message ?? error)),
      el(
        "p",
        {},
        "Build it with `make serve` (it compiles the WebAssembly into pkg/), then reload.",
      ),
    ),
  );
});
