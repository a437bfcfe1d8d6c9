// The training worker: a module Web Worker with its own instance of the wasm module, which
// trains a copy of a lab's run (the GAN's, the VAE's, the diffusion lab's) while the page draws, on the second core.
// The page (www/ui/trainer.js) owns the run; this copy follows it:
//
//   {type: "load", kind, link, points, state}  the run as the page holds it: its settings (a link
//                                              without its progress), a drawing's points, and its
//                                              training state (an ArrayBuffer); the lab is
//                                              rebuilt only when the settings differ
//   {type: "run", id, n} or {id, ms, chunk}    trains n iterations, or for about ms milliseconds
//                                              (chunk iterations at a time), then posts
//   {type: "ran", id, state, count, diverged}  the state (transferred), the iteration count and
//                                              the divergence message or null
//
// {type: "panic"} makes the module panic on purpose (a test hook). It posts {type: "ready"} once
// its module is loaded, and {type: "failed", loading, message}
// when it cannot load or when a call failed (a panic traps the module: the page then ends this
// worker and starts another from its own copy).
import { BUILDS, chooseBuild } from "./wasm-build.js";

const wasm = await import(BUILDS[chooseBuild(new URL(location.href).searchParams.get("build"))]);

const CLASSES = { gan: "GanLab", vae: "VaeLab", diffusion: "DiffusionLab" };

let lab = null;
let settingsKey = null;
let panic = null;

// The Rust panic hook reports to `genplay.reportPanic` (src/web/mod.rs): kept for the page.
self.genplay = {
  reportPanic(message) {
    panic = message;
  },
};

const fail = (loading, error) =>
  postMessage({ type: "failed", loading, message: panic ?? String(error?.message ?? error) });

let queue = wasm.default().then(
  (exports) => {
    // For `make soak`, which reads this worker's memory through the DevTools protocol.
    self.genplay.memory = exports.memory;
    postMessage({ type: "ready" });
  },
  (error) => {
    fail(true, error);
    self.close();
  },
);

// The VAE's real digits (www/data/digits.bin), fetched the first time a run on them is loaded.
let digits = null;
const needsDigits = ({ kind, link }) =>
  kind === "vae" && link.some(([name, value]) => name === "target" && value === "digits");

self.onmessage = ({ data }) => {
  // One message at a time, in order, each after the module has loaded.
  queue = queue.then(async () => {
    try {
      if (data.type === "load" && needsDigits(data)) {
        digits ??= fetch(new URL("../data/digits.bin", import.meta.url))
          .then((r) => r.arrayBuffer())
          .then((bytes) => wasm.provide_digits(new Uint8Array(bytes)));
        await digits;
      }
      if (data.type === "load") load(data);
      else if (data.type === "run") run(data);
      // `genplay.debug.killWorker("panic")`: a Rust panic here, as a bug would cause.
      else if (data.type === "panic") lab.debug_panic();
    } catch (error) {
      fail(false, error);
      // The module may have trapped: nothing more is run here.
      self.close();
    }
  });
};

function load({ kind, link, points, state }) {
  const key = JSON.stringify([kind, link, points ? Array.from(points) : null]);
  if (!lab || key !== settingsKey) {
    lab?.free();
    lab = new wasm[CLASSES[kind]](1);
    // The points first: a link of more points than it carries says target=drawn without them.
    if (points) {
      const rows = [];
      for (let i = 0; i < points.length; i += 2) rows.push([points[i], points[i + 1]]);
      lab.set("drawn_points", rows);
    }
    const { refused } = lab.apply_link(link);
    if (refused.length) throw new Error(`the worker could not take the run's settings: ${refused}`);
    settingsKey = key;
  }
  lab.import_state(new Uint8Array(state));
}

function run({ id, n, ms, chunk = 1 }) {
  const start = performance.now();
  if (n !== undefined) lab.step(n);
  else
    do lab.step(chunk);
    while (performance.now() - start < ms && !lab.diverged());
  const state = lab.export_state();
  postMessage(
    {
      type: "ran",
      id,
      state: state.buffer,
      count: lab.progress(),
      diverged: lab.diverged() ?? null,
    },
    [state.buffer],
  );
}
