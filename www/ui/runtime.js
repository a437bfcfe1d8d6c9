// The WebAssembly runtime the labs' handles live in: the crate's two modules (www/ui/wasm-build.js),
// each loaded the first time a lab needs it and each with its own GPU device, and the recovery
// from a Rust panic.
//
// A panic traps its module: every handle in it is unusable from then on (wasm-bindgen keeps
// its borrow flags set), so pressing Reset cannot help. The Rust panic hook first reports the
// message here (`genplay.reportPanic`); the page then shows it in an error panel, loads a fresh
// instance of every module it had (a second import under another URL is a second, independent
// instance) and asks every lab to rebuild its handle from its last link.

import { BASIC, BUILDS, chooseBuild } from "./wasm-build.js";

export const runtime = {
  /** Which build of the training module runs (www/ui/wasm-build.js): "relaxed-simd" or
   * "simd128". */
  build: chooseBuild(),
  /** The loaded modules of the current instance, by name ("basic", "training"): each
   * `{wasm, memory, build, gpu}`, where `wasm` holds the exports (classes such as `GanLab`,
   * and `randomSeed`), `memory` the module's memory (`make soak` watches its size), and `gpu`
   * its GPU: `{device}` (a `GpuDevice` of that module) or `{reason}` there is none. */
  modules: {},
  /** How many instances have been loaded; more than one means a panic was survived. */
  generation: 1,
  /** While a recovery runs: its Promise (labs skip their frames meanwhile). */
  recovering: null,
  /** The message of the last panic, or null. */
  lastPanic: null,
  /** The labs' training workers (www/ui/trainer.js): how many are alive, were started and
   * returned runs, and whether they are turned off (`genplay.debug.noWorker()`). */
  workers: { live: 0, started: 0, runs: 0, disabled: false },
};

/** The modules being loaded or loaded in the current instance, by name: their Promises. */
let loading = {};

/** How long the page waits for a GPU adapter before it goes on without one. */
const GPU_TIMEOUT_MS = 4000;

/** What the browser says of its adapter, for adapters that give wgpu no name (SwiftShader). */
async function adapterName() {
  try {
    const info = (await navigator.gpu.requestAdapter())?.info;
    return info ? [info.description, info.vendor, info.architecture].filter(Boolean).join(" ") : "";
  } catch {
    return "";
  }
}

/**
 * Asks the browser for a GPU device (WebGPU) for the module `wasm`; a device belongs to the
 * module that asked for it. Never throws: without one, the result's `reason` says why.
 */
async function probeGpu(wasm) {
  if (!("gpu" in navigator)) return { reason: "this browser has no WebGPU" };
  const timeout = new Promise((_, fail) =>
    setTimeout(() => fail(new Error("the GPU adapter did not answer in time")), GPU_TIMEOUT_MS),
  );
  try {
    const device = await Promise.race([wasm.GpuDevice.acquire(), timeout]);
    device.name_from_page(await adapterName());
    return { device };
  } catch (error) {
    return { reason: String(error?.message ?? error) };
  }
}

/** Loads a fresh instance of the module `name` with its GPU device. */
async function loadModule(name) {
  const generation = runtime.generation;
  const load = async (build) => {
    const glue = name === "basic" ? BASIC : BUILDS[build];
    const url = generation === 1 ? glue : `${glue}?instance=${generation}`;
    const wasm = await import(url);
    const { memory } = await wasm.default();
    // Before any lab: a link may ask for the GPU.
    return { wasm, memory, build, gpu: await probeGpu(wasm) };
  };
  let module;
  if (name === "basic") {
    module = await load("simd128");
  } else {
    try {
      module = await load(runtime.build);
    } catch (error) {
      // A browser that validates the probe but refuses the build still gets the plain one.
      if (runtime.build === "simd128") throw error;
      runtime.build = "simd128";
      module = await load(runtime.build);
    }
  }
  // A panic's recovery began meanwhile: the fresh instance's module is the one to use.
  if (generation !== runtime.generation) return useModule(name);
  runtime.modules[name] = module;
  return module;
}

/** Resolves to the module `name` of the current instance, loading it the first time. */
export function useModule(name) {
  loading[name] ??= loadModule(name);
  return loading[name];
}

/**
 * Handles a reported panic once: `onPanic(message)` shows it, then `revive()` (after a fresh
 * instance of every loaded module is loaded) rebuilds the labs. Returns the recovery's Promise.
 */
export function recoverFromPanic(message, { onPanic, revive }) {
  runtime.lastPanic = message;
  onPanic(message);
  if (!runtime.recovering) {
    runtime.recovering = (async () => {
      // Let the trap unwind to whoever called into the module first.
      await new Promise((ok) => setTimeout(ok, 0));
      // Each module is replaced as its fresh instance arrives: until then the old one answers
      // (the labs skip their frames meanwhile), so nothing finds a module missing.
      const names = Object.keys(loading);
      runtime.generation++;
      loading = {};
      await Promise.all(names.map(useModule));
      await revive();
    })().finally(() => {
      runtime.recovering = null;
    });
  }
  return runtime.recovering;
}
