// The EM lab's Scale view: time per EM iteration on the CPU and on the GPU against the number of
// points N, measured live in this browser, so the crossover (where the GPU starts to win) can be
// seen. Each size runs on a probe, a separate EM lab (src/labs/em.rs `scale_probe`) with N points
// of the blobs preset and the lab's K, covariance type, start and seed, so the student's own run
// is left alone.
import { el, button } from "../ui/controls.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { finishOnGpu, view } from "../ui/lab.js";
import { runtime } from "../ui/runtime.js";

/** The sizes the button measures: 1,000 to 1,000,000 points, about three per decade. */
export const SCALE_SIZES = [1000, 3000, 10000, 30000, 100000, 300000, 1000000];
/** Iterations are timed in batches of at least this many ms (the browser's clock is coarse)... */
const BATCH_MS = 20;
/** ...of at most this many iterations; each time is the median of REPEATS batches. */
const MAX_BATCH = 1024;
const REPEATS = 3;

/** `count` EM iterations (E-step and M-step) of `handle` on its active backend. */
function iterations(handle, count) {
  return handle.gpu_begin(2 * count) ? finishOnGpu(handle) : handle.step(2 * count);
}

async function batchMs(handle, count) {
  const start = performance.now();
  await iterations(handle, count);
  return performance.now() - start;
}

/**
 * The time of one iteration, in ms: after one untimed (the GPU builds its passes), the median
 * of REPEATS batches, each long enough for the browser's clock (which counts in 0.1 ms steps).
 */
async function msPerIteration(handle) {
  await iterations(handle, 1);
  let count = 1;
  let ms = await batchMs(handle, count);
  while (ms < BATCH_MS && count < MAX_BATCH) {
    count *= 4;
    ms = await batchMs(handle, count);
  }
  const times = [ms / count];
  while (times.length < REPEATS) times.push((await batchMs(handle, count)) / count);
  times.sort((a, b) => a - b);
  return times[Math.floor(REPEATS / 2)];
}

/**
 * Times one EM iteration at each of `sizes` on the CPU and, when there is one, on the GPU.
 * Resolves to `{rows: [{n, cpu_ms, gpu_ms}], k, adapter, reason}`: `gpu_ms` is null without a
 * usable GPU, and `reason` then says why. `onProgress(n, sofar)` is told each size before it
 * runs, with the result so far (to draw it).
 */
export async function measureScale(lab, sizes, onProgress = () => {}) {
  const rows = [];
  let adapter = null;
  // The EM lab's handle is in the basic module (www/ui/wasm-build.js), and so is its GPU (read
  // at each size: a panic's recovery replaces it).
  const gpu = () => runtime.modules.basic.gpu;
  let reason = gpu().device ? null : gpu().reason;
  let k = null;
  for (const n of sizes) {
    onProgress(n, { rows, k, adapter, reason });
    // Lets the page show the progress between sizes (a size takes up to a second).
    await new Promise((ok) => setTimeout(ok, 0));
    const probe = lab.scale_probe(n);
    try {
      const { device, reason: why } = gpu();
      if (device) probe.use_gpu(device);
      else probe.no_gpu(why);
      k = probe.value("k");
      const cpu_ms = await msPerIteration(probe);
      let gpu_ms = null;
      if (!reason) {
        try {
          probe.set("backend", "gpu");
          gpu_ms = await msPerIteration(probe);
          const report = probe.backend_report();
          adapter = report.gpu_adapter;
          // A GPU that failed during the timing sent the probe back to the CPU: no GPU time.
          if (report.backend !== "gpu") [gpu_ms, reason] = [null, report.backend_note];
        } catch (error) {
          reason = error.message;
        }
      }
      rows.push({ n, cpu_ms, gpu_ms });
    } finally {
      probe.free();
    }
  }
  return { rows, k, adapter, reason };
}

/** Where the GPU line crosses below the CPU line, interpolated on the log-log plot, or null. */
export function crossover(rows) {
  const timed = rows.filter((r) => r.gpu_ms !== null);
  for (let i = 0; i + 1 < timed.length; i++) {
    const d0 = Math.log(timed[i].gpu_ms / timed[i].cpu_ms);
    const d1 = Math.log(timed[i + 1].gpu_ms / timed[i + 1].cpu_ms);
    if (d0 > 0 && d1 <= 0) {
      const t = d0 / (d0 - d1);
      return Math.exp(Math.log(timed[i].n) + t * Math.log(timed[i + 1].n / timed[i].n));
    }
  }
  return null;
}

/**
 * The Scale view: its explanation, the "Measure the crossover" button (which calls `measure`),
 * a status line and the chart. Returns `{root, draw(result), busy(text)}`.
 */
export function scaleView({ measure }) {
  const v = view({
    title: "Scale: CPU or GPU?",
    canvasLabel: "Time per EM iteration against the number of points, CPU and GPU, log axes",
    explain:
      "Each point is the median time of one EM iteration (an E-step and an M-step) on N points " +
      "of the blobs preset with this lab's K, measured in this browser. CPU: this page's " +
      "WebAssembly. GPU: the E-step as a WebGPU kernel (one pass over the points, which stay on " +
      "the GPU, and a read-back of K × 6 sums), then the M-step on the CPU. The GPU pays a fixed " +
      "cost per iteration (sending the parameters, waiting for the result) and little per " +
      "point, so it loses on small N and wins on large N: the crossover is where the lines " +
      "cross. A software adapter (SwiftShader, when the browser has no GPU) runs the GPU's " +
      "code on the CPU: it shows that the GPU path gives the same numbers, not its speed.",
  });
  v.root.classList.add("em-scale");
  const status = el("p", { class: "em-scale-status", role: "status", "aria-live": "polite" });
  const run = button("Measure the crossover", () => measure(), {
    title: "Time one EM iteration at N = 1,000 to 1,000,000 on the CPU and on the GPU",
  });
  v.root.insertBefore(
    el("div", { class: "em-bic-action" }, run, status),
    v.root.querySelector(".canvas-box"),
  );
  const plot = new Plot(v.canvas, {
    x: [700, 1.4e6],
    y: [0.1, 100],
    xLog: true,
    yLog: true,
    xLabel: "points N",
    yLabel: "ms per iteration",
  });
  let last = null;
  let measuring = false; // while a measurement runs the status line shows its progress

  function draw(result = last) {
    last = result;
    const rows = result?.rows ?? [];
    const times = rows.flatMap((r) => [r.cpu_ms, r.gpu_ms]).filter((t) => t !== null && t > 0);
    // A decade of room above the highest time for the legend.
    const lo = times.length ? Math.min(...times) / 2 : 0.1;
    const hi = times.length ? Math.max(...times) * 10 : 100;
    plot.setDomain([700, 1.4e6], [lo, hi]);
    plot.clear();
    plot.axes();
    if (!rows.length) {
      plot.text(Math.sqrt(700 * 1.4e6), Math.sqrt(lo * hi), "Press “Measure the crossover”", {
        align: "center",
      });
      return;
    }
    const gpuRows = rows.filter((r) => r.gpu_ms !== null);
    const at = crossover(rows);
    plot.clip();
    if (at !== null) plot.vline(at, colors.muted);
    const series = [
      [rows, "cpu_ms", colors.blue],
      [gpuRows, "gpu_ms", colors.vermillion],
    ];
    for (const [list, key, color] of series) {
      const xs = list.map((r) => r.n);
      const ys = list.map((r) => r[key]);
      plot.line(xs, ys, color, { width: 2 });
      plot.points(xs, ys, color, { size: 6, round: true });
    }
    plot.unclip();
    const gpuName = result.adapter
      ? `GPU: ${result.adapter.name}${result.adapter.fallback ? " (software)" : ""}`
      : "GPU";
    const legend = [{ label: "CPU (WebAssembly)", color: colors.blue, kind: "line" }];
    if (gpuRows.length) legend.push({ label: gpuName, color: colors.vermillion, kind: "line" });
    if (at !== null)
      legend.push({
        label: `crossover ≈ ${formatNumber(Math.round(at))} points`,
        color: colors.muted,
        kind: "line",
        dash: [6, 4],
      });
    plot.legend(legend, { corner: "left" });
    if (!measuring) status.textContent = summary(result, at);
  }

  function summary(result, at) {
    const { rows, reason, adapter, k } = result;
    const last = rows[rows.length - 1];
    const span =
      rows.length === 1
        ? formatNumber(last.n)
        : `${formatNumber(rows[0].n)} to ${formatNumber(last.n)}`;
    const measured = `Measured at K = ${k}, N = ${span}.`;
    if (!rows.some((r) => r.gpu_ms !== null))
      return `${measured} CPU only: ${reason ?? "no GPU"}, so there is no GPU curve.`;
    const software = adapter?.fallback
      ? ` The GPU here is a software adapter (${adapter.name}): its times measure ` +
        "correctness, not speed."
      : "";
    if (at !== null)
      return `${measured} The GPU overtakes the CPU at about N = ${formatNumber(Math.round(at))}.${software}`;
    const faster = rows.every((r) => r.gpu_ms !== null && r.gpu_ms < r.cpu_ms);
    return (
      `${measured} ` +
      (faster
        ? `The GPU is faster at every N measured.`
        : `The GPU did not overtake the CPU up to N = ${formatNumber(last.n)}.`) +
      software
    );
  }

  return {
    root: v.root,
    draw,
    busy(text) {
      measuring = text !== null;
      run.disabled = measuring;
      if (measuring) status.textContent = text;
    },
  };
}
