// The EM lab's worker: a module Web Worker with its own instance of the basic labs' wasm module
// (www/ui/wasm-build.js), for the work on large data that would stall the page's frames
// (www/labs/em.js): the BIC scan, and Play's iterations (www/labs/em-play.js). Messages:
//
//   {type: "scan", link, dimension, points}  fits K = 1, 2, ... to convergence on a copy of the
//       data (the run's settings as a link without its progress; `dimension` coordinates per
//       point, interleaved, transferred), and answers {type: "scanned", scores}
//   {type: "load", link, dimension, points, state}  the run to play: its settings and, when its
//       data changed since the last load, its points (else null), and where it stands (the
//       lab's `export_state`, transferred)
//   {type: "run", id, iterations, ms}  whole iterations, up to `iterations` or until `ms` have
//       passed (at least one) or EM has converged, then answers
//       {type: "ran", id, state, done, converged}, or {type: "ran", id, error} when EM itself
//       failed (the core's message; the page stops Play with it)
//   {type: "panic"}  makes the module panic on purpose (genplay.debug.killWorker("panic"))
//
// A call that fails otherwise answers {type: "failed", message, loading} (`loading`: the module
// could not load); the worker then takes nothing more (the module may have trapped), and the
// page carries on itself.
//
// The same module and the same numbers in, so the scores and the iterations are the page's own
// to the last bit.
import { BASIC } from "./wasm-build.js";

let panic = null;
// The Rust panic hook reports to `genplay.reportPanic` (src/web/mod.rs): kept for the page.
self.genplay = {
  reportPanic(message) {
    panic = message;
  },
};

// Loaded inside the handler: a message that comes while a top-level await waits is lost.
const loading = import(BASIC).then(async (wasm) => {
  await wasm.default();
  return wasm;
});

/** A lab on the CPU with the link's settings and these points. */
function labOf(wasm, { link, dimension, points }) {
  const lab = new wasm.EmLab(0);
  lab.no_gpu("the EM lab's worker computes on the CPU");
  lab.apply_link(link);
  lab.set_points_flat(dimension, points);
  return lab;
}

let played = null; // the run Play iterates here
let queue = Promise.resolve();

self.onmessage = ({ data }) => {
  // One message at a time, in order, each after the module has loaded.
  queue = queue.then(async () => {
    let wasm;
    try {
      wasm = await loading;
    } catch (error) {
      postMessage({ type: "failed", loading: true, message: String(error?.message ?? error) });
      self.close();
      return;
    }
    try {
      if (data.type === "scan") {
        postMessage({ type: "scanned", scores: labOf(wasm, data).information_criteria() });
      } else if (data.type === "load") {
        if (data.points) {
          played?.free();
          played = labOf(wasm, data);
        } else if (!played) {
          throw new Error("a run to play came without its points");
        }
        played.import_state(new Uint8Array(data.state));
      } else if (data.type === "run") {
        run(data);
      } else if (data.type === "panic") {
        (played ?? new wasm.EmLab(0)).debug_panic();
      }
    } catch (error) {
      postMessage({
        type: "failed",
        loading: false,
        message: panic ?? String(error?.message ?? error),
      });
      self.close();
    }
  });
};

function run({ id, iterations, ms }) {
  const start = performance.now();
  let done = 0;
  while (
    done < iterations &&
    !played.converged() &&
    (done === 0 || performance.now() - start < ms)
  ) {
    try {
      played.step(2);
    } catch (error) {
      // A panic traps the module: the handler above ends this worker.
      if (panic) throw error;
      return postMessage({ type: "ran", id, error: String(error?.message ?? error) });
    }
    done++;
  }
  const state = played.export_state();
  postMessage({ type: "ran", id, state: state.buffer, done, converged: played.converged() }, [
    state.buffer,
  ]);
}
