// The WebAssembly runtime every lab's handle lives in, and its recovery from a Rust panic.
//
// A panic traps the module: every handle in it is unusable from then on (wasm-bindgen keeps
// its borrow flags set), so pressing Reset cannot help. The Rust panic hook first reports the
// message here (`genplay.reportPanic`); the page then shows it in an error panel, loads a fresh
// instance of the module (a second import under another URL is a second, independent instance)
// and asks every lab to rebuild its handle from its last link.

const GLUE = "../pkg/genplay.js";

export const runtime = {
  /** The current instance's exports (classes such as `GanLab`, and `randomSeed`). */
  wasm: null,
  /** How many instances have been loaded; more than one means a panic was survived. */
  generation: 0,
  /** While a recovery runs: its Promise (labs skip their frames meanwhile). */
  recovering: null,
  /** The message of the last panic, or null. */
  lastPanic: null,
};

/** Loads a fresh instance of the wasm module and makes it current. */
export async function loadInstance() {
  runtime.generation++;
  const url = runtime.generation === 1 ? GLUE : `${GLUE}?instance=${runtime.generation}`;
  const glue = await import(url);
  await glue.default();
  runtime.wasm = glue;
  return glue;
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
      await revive();
    })().finally(() => {
      runtime.recovering = null;
    });
  }
  return runtime.recovering;
}
