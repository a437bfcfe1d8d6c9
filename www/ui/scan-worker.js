// The BIC scan's worker: a module Web Worker with its own instance of the basic labs' wasm module
// (www/ui/wasm-build.js), which fits K = 1, 2, ... to convergence on a copy of the EM lab's data,
// so that a scan of large data never stalls the page (www/labs/em.js). One message, one answer:
//
//   {link, dimension, points}  the run's settings (a link without its progress) and its data,
//                              `dimension` coordinates per point, interleaved (transferred)
//   {scores} or {failed}       what `information_criteria` gives, or why there is none
//
// The same module and the same numbers in, so the scores are the page's own to the last bit.
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

self.onmessage = async ({ data }) => {
  try {
    const wasm = await loading;
    const lab = new wasm.EmLab(0);
    lab.no_gpu("the BIC scan's worker computes on the CPU");
    lab.apply_link(data.link);
    lab.set_points_flat(data.dimension, data.points);
    postMessage({ scores: lab.information_criteria() });
  } catch (error) {
    postMessage({ failed: panic ?? String(error?.message ?? error) });
  }
};
