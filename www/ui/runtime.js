// The WebAssembly runtime every lab's handle lives in, and its recovery from a Rust panic.
//
// A panic traps the module: every handle in it is unusable from then on (wasm-bindgen keeps
// its borrow flags set), so pressing Reset cannot help. The Rust panic hook first reports the
// message here (`genplay.reportPanic`); the page then shows it in an error panel, loads a fresh
// instance of the module (a second import under another URL is a second, independent instance)
// and asks every lab to rebuild its handle from its last link.

import { BUILDS, chooseBuild } from "./wasm-build.js";

export const runtime = {
  /** Which build of the module runs (www/ui/wasm-build.js): "relaxed-simd" or "simd128". */
  build: null,
  /** The current instance's exports (classes such as `GanLab`, and `randomSeed`). */
  wasm: null,
  /** The current instance's memory (`make soak` watches its size). */
  memory: null,
  /** How many instances have been loaded; more than one means a panic was survived. */
  generation: 0,
  /** While a recovery runs: its Promise (labs skip their frames meanwhile). */
  recovering: null,
  /** The message of the last panic, or null. */
  lastPanic: null,
  /** The page's GPU: `{device}` (a `GpuDevice` of the current instance) or `{reason}`. */
  gpu: { reason: "the page has not asked for a GPU yet" },
  /** The labs' training workers (www/ui/trainer.js): how many are alive, were started and
   * returned runs, and whether they are turned off (`genplay.debug.noWorker()`). */
  workers: { live: 0, started: 0, runs: 0, disabled: false },
};

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
 * Asks the browser for a GPU device (WebGPU) in the current instance, once; labs that can use
 * it then read `runtime.gpu`. Never throws: without one, `runtime.gpu.reason` says why.
 */
export async function probeGpu() {
  if (!("gpu" in navigator)) {
    runtime.gpu = { reason: "this browser has no WebGPU" };
    return runtime.gpu;
  }
  const timeout = new Promise((_, fail) =>
    setTimeout(() => fail(new Error("the GPU adapter did not answer in time")), GPU_TIMEOUT_MS),
  );
  try {
    const device = await Promise.race([runtime.wasm.GpuDevice.acquire(), timeout]);
    device.name_from_page(await adapterName());
    runtime.gpu = { device };
  } catch (error) {
    runtime.gpu = { reason: String(error?.message ?? error) };
  }
  return runtime.gpu;
}

/** Loads a fresh instance of the wasm module and makes it current. */
export async function loadInstance() {
  runtime.generation++;
  runtime.build ??= chooseBuild();
  const load = async (build) => {
    const glue = BUILDS[build];
    const url = runtime.generation === 1 ? glue : `${glue}?instance=${runtime.generation}`;
    const module = await import(url);
    runtime.memory = (await module.default()).memory;
    return module;
  };
  try {
    runtime.wasm = await load(runtime.build);
  } catch (error) {
    // A browser that validates the probe but refuses the build still gets the plain one.
    if (runtime.build === "simd128") throw error;
    runtime.build = "simd128";
    runtime.wasm = await load(runtime.build);
  }
  return runtime.wasm;
}

/**
 * Handles a reported panic once: `onPanic(message)` shows it, then `revive()` (after a fresh
 * instance is loaded) rebuilds the labs. Returns the recovery's Promise.
 */
export function recoverFromPanic(message, { onPanic, revive }) {
  runtime.lastPanic = message;
  onPanic(message);
  if (!runtime.recovering) {
    runtime.recovering = (async () => {
      // Let the trap unwind to whoever called into the module first.
      await new Promise((ok) => setTimeout(ok, 0));
      await loadInstance();
      // A device belongs to the instance that asked for it: the fresh one asks again.
      await probeGpu();
      await revive();
    })().finally(() => {
      runtime.recovering = null;
    });
  }
  return runtime.recovering;
}
