// The EM lab (#/em): fit a Gaussian mixture with EM one half-step at a time. Points are coloured
// by their responsibilities, each component shows its mean and 1σ/2σ ellipses, the lower bound
// climbs in its own chart, BIC suggests K, and clicking a point shows the arithmetic behind its
// colour. 1-D data (the "1-D" preset) switch the main view to a histogram with the densities.
// The E-steps run on the CPU or the GPU (the "Compute" setting and its badge; a step on the GPU
// is a Promise), and the Scale view times both against N (em-scale.js).
// The settings, their controls and links come from the lab's schema (src/labs/em.rs).
import { keyboardPointer } from "../ui/keyboard-pointer.js";
import { el, button, readouts, messageLine } from "../ui/controls.js";
import { bayesTable } from "../ui/bayes-table.js";
import { Plot, colors, componentColors, formatNumber } from "../ui/plot.js";
import { CurveChart } from "../ui/chart.js";
import { labCore, labPage, textView, view } from "../ui/lab.js";
import { SCALE_SIZES, measureScale, scaleView } from "./em-scale.js";
import { playInWorker } from "./em-play.js";

const NO_COLOUR = [150, 156, 168]; // points before the first E-step
const ANIMATION_MS = 250;
const PICK_RADIUS_PX = 14;

const rgb = componentColors.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

/** Blended colour Σ_k r_k · colour_k of one point, from the m×K responsibilities. */
function blend(resp, i, k) {
  if (resp.length === 0) return NO_COLOUR;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let c = 0; c < k; c++) {
    const w = resp[i * k + c];
    r += w * rgb[c][0];
    g += w * rgb[c][1];
    b += w * rgb[c][2];
  }
  return [r, g, b];
}

function normalDensity(x, mean, variance) {
  return Math.exp(-((x - mean) ** 2) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
}

const lerp = (a, b, t) => a + (b - a) * t;
const lerpDeep = (a, b, t) =>
  Array.isArray(a) ? a.map((v, i) => lerpDeep(v, b[i], t)) : lerp(a, b, t);

/**
 * From this many points on, the BIC scan runs in a Web Worker (www/ui/em-worker.js): it fits a
 * mixture to convergence for every K up to 16, 2.1 s at 100,000 points on a 2-core machine,
 * which would stall the page's frames; below, it takes under about 0.15 s and runs here, at once.
 */
const WORKER_SCAN_POINTS = 5_000;

/** A BIC score as the numbers `keep_information_criteria` takes. */
const scoreRow = (s) => [s.k, s.bic, s.aic, s.mean_log_likelihood, s.n_parameters, +s.converged];

/** Changes after which the plotted rectangle is fitted to the data again (a click keeps it). */
const NEW_DATA = new Set(["preset", "points", "seed"]);

export function createLab({ app }) {
  const core = labCore({ app, create: (wasm) => new wasm.EmLab(7) });
  const lab = core.lab;
  const kMax = core.entries.k.max;
  let dueIterations = 0;
  let dirty = true;
  let dataVersion = 0; // bumps whenever points or colours change, so the point layer is redrawn
  let domain = null; // the 2-D view's data rectangle, kept while points are clicked in
  let shown = null; // the parameters being drawn (mid-animation) and where they are heading
  let ui = null;
  let inFlight = null; // the Promise of a step running on the GPU: no other step starts meanwhile
  let scale = null; // the Scale view's measurement: the last one, or the one running so far
  let measuring = null; // its Promise while it runs
  let scanning = null; // the BIC scan in a worker while it runs: {worker, count, promise, reject}

  const reducedMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;
  // Play on large data iterates in a worker (em-play.js); registered before the listener below,
  // so that a restart stops Play only after the worker's copy is marked stale.
  const play = playInWorker({
    core,
    message: () => ui?.message ?? null,
    landed: () => {
      dirty = true;
      dataVersion++;
      app.stateChanged();
    },
  });

  core.onChange((name, applied) => {
    dirty = true;
    dataVersion++;
    if (applied !== "rebuild" && applied !== "link") return;
    // EM started again: the old animation, the iterations due and a scan of the old run no
    // longer apply.
    stopScan("the data or the settings changed before it finished");
    dueIterations = 0;
    shown = null;
    if (NEW_DATA.has(name) || applied === "link") fitDomain();
    if (core.values.playing) core.set("playing", false);
    announceRestart(name, applied);
  });

  /** Says what restarted EM (or, when it cannot start, why not). */
  function announceRestart(name, applied) {
    if (!ui) return;
    const s = lab.snapshot();
    if (s.problem) return ui.message.show(s.problem, { error: true, sticky: true });
    if (applied === "link") return ui.message.show("");
    const how =
      {
        preset: s.preset === "custom" ? "Your own points" : `New data (${s.preset})`,
        points: `${formatNumber(s.n_points)} new points`,
        seed: `seed = ${s.seed}`,
        add_point: "Point added",
      }[name] ?? `${name} = ${core.values[name]}`;
    ui.message.show(
      `${how}: EM restarted from a fresh ${s.init === "random" ? "random" : "k-means++"} start ` +
        `(K = ${s.k}, ${s.covariance_type} covariances).`,
    );
  }

  function fitDomain() {
    const s = lab.snapshot();
    if (s.dimension !== 2 || s.n_points === 0) {
      domain = s.dimension === 2 && s.n_points === 0 ? domain : null;
      return;
    }
    const p = lab.drawn_points();
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < p.length; i += 2) {
      x0 = Math.min(x0, p[i]);
      x1 = Math.max(x1, p[i]);
      y0 = Math.min(y0, p[i + 1]);
      y1 = Math.max(y1, p[i + 1]);
    }
    const pad = 0.12 * Math.max(x1 - x0, y1 - y0, 2);
    domain = { x: [x0 - pad, x1 + pad], y: [y0 - pad, y1 + pad] };
  }

  /**
   * `n` half-steps through the core: done at once on the CPU; on the GPU a Promise, and until it
   * settles no other step starts (a later call waits for it, then runs).
   */
  function stepBy(n) {
    if (inFlight) return inFlight.then(() => stepBy(n));
    const result = core.step(n);
    if (!(result instanceof Promise)) return result;
    inFlight = result.finally(() => {
      inFlight = null;
      dirty = true;
      dataVersion++;
    });
    return inFlight;
  }

  /** A step the student asked for (a button, a key): its errors, now or later, go to the page. */
  function stepFromPage(n, then = () => {}) {
    if (inFlight) return; // the GPU is still on the last one
    const report = (error) => ui?.message.show(error.message, { error: true });
    const result = stepBy(n);
    if (result instanceof Promise) result.then(then, report);
    else then();
  }

  /** Ends a scan running in a worker; its Promise rejects with `why` (an "AbortError"). */
  function stopScan(why) {
    if (!scanning) return;
    scanning.worker.terminate();
    const error = new Error(`The BIC scan was stopped: ${why}.`);
    error.name = "AbortError";
    scanning.reject(error);
    scanning = null;
    ui?.showScan(error.message);
  }

  /** The BIC scan on the page's thread: the scores at once. */
  function scanHere() {
    const scores = lab.information_criteria();
    dirty = true;
    return scores;
  }

  /**
   * Runs the BIC scan in a worker on a copy of the data; resolves to the scores, which the lab
   * then holds as if it had scanned them itself. Null where no worker can start; a worker that
   * fails hands the scan to the page's thread.
   */
  function scanInWorker(count, dimension) {
    if (scanning) return scanning.promise;
    let worker;
    try {
      worker = new Worker(new URL("../ui/em-worker.js", import.meta.url), { type: "module" });
    } catch {
      return null;
    }
    const points = lab.all_points();
    const link = core.workerLink();
    const mine = { worker, count };
    mine.promise = new Promise((resolve, reject) => {
      mine.reject = reject;
      const end = () => {
        worker.terminate();
        scanning = null;
        ui?.showScan();
      };
      // Settles with what `work()` gives or throws.
      const settle = (work) => {
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      };
      worker.onmessage = ({ data }) => {
        if (scanning !== mine) return;
        end();
        // A scan that failed there (the data, say) fails here too, with the page's message.
        if (data.type === "failed") return settle(scanHere);
        settle(() => {
          lab.keep_information_criteria(Float64Array.from(data.scores.flatMap(scoreRow)));
          dirty = true;
          return data.scores;
        });
      };
      worker.onerror = (event) => {
        event.preventDefault();
        if (scanning !== mine) return;
        end();
        settle(scanHere);
      };
    });
    scanning = mine;
    worker.postMessage({ type: "scan", link, dimension, points }, [points.buffer]);
    ui?.showScan();
    return mine.promise;
  }

  /** Runs the Scale measurement (one at a time), draws it and resolves to its rows. */
  function measure(sizes = SCALE_SIZES) {
    if (measuring) return measuring;
    if (core.values.playing) core.set("playing", false);
    ui?.scale.busy("Measuring…");
    measuring = measureScale(lab, sizes, (n, sofar) => {
      ui?.scale.busy(`Measuring N = ${formatNumber(n)} on the CPU and the GPU…`);
      // What is measured so far is drawn as it comes.
      if (sofar.rows.length) scale = sofar;
      ui?.scale.draw(scale);
    })
      .then((result) => {
        scale = result;
        return result.rows;
      })
      .finally(() => {
        measuring = null;
        ui?.scale.busy(null);
        ui?.scale.draw(scale);
      });
    return measuring;
  }

  const api = core.api({
    /** The lab's snapshot, with where Play iterates (`trainer`: "worker" or "main") and why
     * not in a worker (`trainer_note`, or null). */
    snapshot: () => ({ ...lab.snapshot(), trainer: play.where, trainer_note: play.whyNot }),
    /** `step(n)`: a number at once on the CPU, a Promise of it when the E-steps run on the GPU. */
    step: (n) => stepBy(n),
    /**
     * Times one EM iteration at each of `sizes` (N from 1,000 to 1,000,000 by default) on the CPU
     * and the GPU, as the Scale view's button does; resolves to `[{n, cpu_ms, gpu_ms}]`
     * (`gpu_ms` null without a usable GPU).
     */
    scale: (sizes = SCALE_SIZES) => measure(sizes),
    /** Large data for the benchmark: two columns of coordinates (typed arrays are fine). */
    set_points_xy(xs, ys) {
      lab.set_points_xy(Float64Array.from(xs), Float64Array.from(ys));
      core.refresh("points", "rebuild");
    },
    /** Adds one point as a click in "add" mode does (EM restarts). */
    add_point(x, y) {
      addPoint(x, y);
    },
    /** Removes every point; EM waits until there are at least K. */
    clear() {
      lab.clear_points();
      core.refresh("clear", "rebuild");
    },
    /** The responsibility arithmetic for (x, y) under the current mixture; also shows it. */
    inspect(x, y) {
      const e = lab.inspect(x, y);
      dirty = true;
      return e;
    },
    /** Every point, as [[x, y], ...] in 2-D and [[x], ...] in 1-D. */
    points() {
      const s = lab.snapshot();
      const p = lab.all_points();
      const rows = [];
      for (let i = 0; i < p.length; i += s.dimension)
        rows.push(Array.from(p.slice(i, i + s.dimension)));
      return rows;
    },
    /** Where the data point (x, y) is drawn on the main canvas, in CSS pixels (for tests). */
    pixelOf(x, y) {
      if (!ui) throw new Error("the EM lab is not on screen: open #/em first");
      return [ui.mainPlot.sx(x), ui.mainPlot.sy(y)];
    },
    /**
     * Fits K = 1 to the largest K and scores each by BIC (as the button does); returns the
     * scores, or, from WORKER_SCAN_POINTS points on, a Promise of them (the scan runs in a Web
     * Worker while the page goes on).
     */
    bic() {
      const { n_points, dimension } = lab.snapshot();
      if (n_points >= WORKER_SCAN_POINTS) {
        const scan = scanInWorker(n_points, dimension);
        if (scan) return scan;
      }
      return scanHere();
    },
  });

  function addPoint(x, y) {
    // Three decimals: the point then survives a trip through the URL unchanged.
    const round = (v) => Number(v.toFixed(3));
    lab.add_point(round(x), round(y));
    core.refresh("add_point", "rebuild");
  }

  function mount(root) {
    const page = labPage({
      plotFirstOnPhone: true,
      title: "EM: fitting a Gaussian mixture, one half-step at a time",
      lede:
        "A Gaussian mixture says each point came from one of <var>K</var> bell-shaped " +
        "components, but not which. EM alternates two half-steps: the <strong>E-step</strong> " +
        "colours every point by how much each component explains it (its responsibilities), and " +
        "the <strong>M-step</strong> refits every component to the points it is responsible for. " +
        "Each round can only raise the fit (the lower bound). Step through it, or press Play.",
    });
    page.root.classList.add("em-lab");
    const message = messageLine();
    const guarded = (action) => message.guard(action);
    const { bar, settings } = core.mount({
      message,
      stepLabel: "Half-step",
      onStep: () => stepFromPage(1),
      onPlay: (playing) => {
        dueIterations = 0;
        if (playing && lab.converged()) {
          bar.setPlaying(false);
          message.show("Already converged: change K, the start or the data, or press Reset.");
        }
      },
      format: { k: String },
    });
    const clear = button("Clear points", () => guarded(() => api.clear()), {
      title: "Remove every point, then click in your own (Click adds a point)",
    });
    // Clearing belongs with the data set it empties.
    settings.controls.preset.root.after(el("div", { class: "control em-row" }, clear));
    const next = el("div", { class: "em-next", role: "status", "aria-live": "polite" });
    const eButton = button("E-step", () => guarded(() => halfStep("E")), {
      title: "Compute every point's responsibilities under the current components",
    });
    const mButton = button("M-step", () => guarded(() => halfStep("M")), {
      title: "Refit weights, means and covariances from the responsibilities",
    });
    const iterate = button("Full iteration", () => guarded(() => fullIteration()), {
      title: "Finish the current iteration: E-step (if due) and M-step",
      key: "I",
    });
    // A scan stopped by a change is said by its status line; the change's own note stays.
    const scanFromPage = () =>
      Promise.resolve(api.bic()).catch((error) => {
        if (error.name !== "AbortError") throw error;
      });
    const bicButton = button(`Compare K = 1…${kMax} by BIC`, () => guarded(scanFromPage), {
      title: `Fit every K from 1 to ${kMax} to convergence and score each with BIC`,
    });
    const numbers = readouts(
      [
        ["points", "Points N"],
        ["iteration", "Iterations done"],
        ["half_steps", "Half-steps done"],
        ["lower_bound", "Lower bound", "mean log-likelihood per point, (1/N) Σ log p(xᵢ)"],
        ["converged", "Converged?", "the last iteration raised the lower bound by less than 0.001"],
        ["weights", "Weights π", "the share of points each component is responsible for"],
      ],
      { caption: "Numbers" },
    );
    page.controls.append(
      settings.groups.Data,
      settings.groups.Model,
      el(
        "p",
        { class: "hint em-note" },
        "Changing the data, K, the covariance type, the start or the seed restarts EM from a " +
          "fresh start.",
      ),
      el("h3", { class: "em-h" }, "Run EM"),
      next,
      el("div", { class: "buttons" }, eButton, mButton, iterate),
      bar.root,
      play.note,
      message.root,
      settings.groups.Compute,
    );
    page.numbers.append(numbers.root);

    const mainView = view({
      title: "Points coloured by responsibility",
      canvasLabel: "The data coloured by responsibilities, with the fitted components",
      explain: " ",
      tall: true,
    });
    mainView.root.classList.add("em-main");
    const table = el("div", { class: "em-table" });
    const inspectView = textView(
      "Why this colour? One point's responsibilities",
      "em-inspect",
      table,
    );
    const boundView = view({
      title: "Lower bound per iteration",
      canvasLabel: "Line chart of the lower bound (mean log-likelihood per point) per iteration",
      explain:
        "The mean log-likelihood per point, " +
        "<math><mfrac><mn>1</mn><mi>N</mi></mfrac><msub><mo>∑</mo><mi>i</mi></msub><mi>log</mi><mi>p</mi><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>)</mo></math>" +
        ", measured at each E-step. EM never lowers it; when one iteration raises it by less " +
        "than 0.001 the run has converged (often at a local optimum: try another seed).",
    });
    const bicView = view({
      title: "Choosing K: BIC",
      canvasLabel: `Bar chart of BIC for K = 1 to ${kMax}, the lowest marked`,
      explain:
        "BIC = −2 log L + p log N rewards fit (log L) but charges for the p free numbers of the " +
        "model, so it does not simply prefer more components. The lowest bar is BIC's choice of " +
        "K. Each K is fitted to convergence from the current start and seed.",
    });
    const bicStatus = el("p", { class: "hint", role: "status" });
    const bicBox = el("div", { class: "em-bic-action" }, bicButton, bicStatus);
    bicView.root.insertBefore(bicBox, bicView.root.querySelector(".canvas-box"));
    const scaleSection = scaleView({
      measure: () => measure().catch((error) => ui?.message.show(error.message, { error: true })),
    });
    page.views.append(mainView.root, inspectView, boundView.root, bicView.root, scaleSection.root);
    root.append(page.root);

    ui = {
      transport: bar,
      message,
      numbers,
      next,
      eButton,
      mButton,
      table,
      mainView,
      mainPlot: new Plot(mainView.canvas, {
        x: [-10, 10],
        y: [-10, 10],
        xLabel: "x₁",
        yLabel: "x₂",
        equalAspect: true,
      }),
      boundPlot: new CurveChart(boundView.canvas, { xLabel: "iteration", yLabel: "lower bound" }),
      bicPlot: new CurveChart(bicView.canvas, { xLabel: "K", yLabel: "BIC" }),
      layer: null,
      scale: scaleSection,
    };
    /** Shows whether a scan runs in the worker (the button waits for it meanwhile), else `note`. */
    ui.showScan = (note = "") => {
      bicButton.disabled = scanning !== null;
      bicStatus.textContent = scanning
        ? `Fitting K = 1…${kMax} to ${formatNumber(scanning.count)} points in a ` +
          "background worker: the page stays live, and changing the data or a setting stops it."
        : note;
    };
    ui.showScan();
    if (measuring) scaleSection.busy("Measuring…");
    mainView.canvas.style.touchAction = "none";
    mainView.canvas.addEventListener("pointerdown", onPointer);
    keyboardPointer(mainView.canvas, {
      plot: () => ui.mainPlot,
      action: "add or inspect a point (as the click setting says)",
    });

    fitDomain();
    dirty = true;
  }

  function halfStep(which) {
    const due = lab.next_is_e_step() ? "E" : "M";
    if (which !== due) throw new Error(`The ${due}-step comes first: EM alternates E and M.`);
    stepFromPage(1);
  }

  function fullIteration() {
    stepFromPage(lab.next_is_e_step() ? 2 : 1, announceConvergence);
  }

  function announceConvergence() {
    if (!ui || !lab.converged()) return;
    const s = lab.snapshot();
    ui.message.show(
      `Converged after ${s.n_iter} iteration${s.n_iter === 1 ? "" : "s"}: the last one raised ` +
        "the lower bound by less than 0.001.",
      { sticky: true },
    );
  }

  function onPointer(event) {
    const plot = ui.mainPlot;
    const box = event.currentTarget.getBoundingClientRect();
    const px = event.clientX - box.left;
    const py = event.clientY - box.top;
    const r = plot.rect;
    if (px < r.left || px > r.left + r.w || py < r.top || py > r.top + r.h) return;
    const [x, y] = plot.invert(px, py);
    const s = lab.snapshot();
    try {
      if (core.values.click_mode === "add") {
        addPoint(x, s.dimension === 1 ? 0 : y);
        return;
      }
      const hit = nearestPoint(px, py, s.dimension);
      if (!hit) {
        ui.message.show(
          "No point there: click on a point to inspect it, or choose “adds a point” to add one.",
        );
        return;
      }
      api.inspect(hit[0], hit[1]);
    } catch (error) {
      ui.message.show(error.message, { error: true });
    }
  }

  /** The drawn point nearest to the pixel (px, py) within PICK_RADIUS_PX, as data coordinates. */
  function nearestPoint(px, py, dimension) {
    const plot = ui.mainPlot;
    const p = lab.drawn_points();
    let best = null;
    let bestD = PICK_RADIUS_PX ** 2;
    const rugY = plot.rect.top + plot.rect.h - 8;
    for (let i = 0; i < p.length; i += dimension) {
      const dx = plot.sx(p[i]) - px;
      const dy = (dimension === 2 ? plot.sy(p[i + 1]) : rugY) - py;
      const d = dimension === 2 ? dx * dx + dy * dy : dx * dx;
      if (d < bestD) {
        bestD = d;
        best = dimension === 2 ? [p[i], p[i + 1]] : [p[i], 0];
      }
    }
    return best;
  }

  function unmount() {
    stopScan("the lab was left");
    play.release();
    core.unmount();
    ui = null;
  }

  /**
   * Plays whole iterations at the chosen speed: on large data in the worker (em-play.js), else
   * here within the frame's compute budget.
   */
  function frame(dt, deadline = performance.now() + 8) {
    if (!ui) return;
    const wanted = play.wanted();
    if (!wanted) play.release();
    const { playing } = core.values;
    // After Pause, a run on its way still lands.
    const inWorker = !inFlight && lab.running() && wanted && (playing || play.pending);
    // An iteration half done (a half-step of the student's) is finished here: a run travels
    // between two iterations.
    if (inWorker && playing && !lab.next_is_e_step()) stepBy(1);
    const fromWorker = inWorker ? play.frame(dt, playing) : null;
    if (fromWorker !== null) {
      if (playing && lab.converged()) {
        ui.transport.setPlaying(false);
        announceConvergence();
        // Play cannot go on from a converged run: its copy (up to a million points) goes.
        play.release();
      }
    } else if (playing) {
      if (!lab.running()) {
        ui.transport.setPlaying(false);
      } else if (!inFlight) {
        dueIterations = Math.min(dueIterations + core.values.speed * Math.min(dt, 0.1), 1000);
        let did = false;
        while (dueIterations >= 1 && performance.now() < deadline && !lab.converged()) {
          const result = stepBy(lab.next_is_e_step() ? 2 : 1);
          dueIterations -= 1;
          did = true;
          // On the GPU one iteration at a time: the next frame goes on once it is back.
          if (result instanceof Promise) {
            result.catch((error) => ui?.message.show(error.message, { error: true }));
            break;
          }
        }
        if (did) {
          dirty = true;
          dataVersion++;
          app.stateChanged();
        }
        if (lab.converged()) {
          ui.transport.setPlaying(false);
          announceConvergence();
        }
      }
    }
    if (dirty || shown?.animating) draw();
  }

  /** The parameters to draw now: animated from the previous ones over ~250 ms. */
  function displayed(s) {
    const target = { means: s.means, covariances: s.covariances };
    const now = performance.now();
    const sameShape = shown && shown.to.means.length === target.means.length;
    if (!sameShape) {
      shown = { from: target, to: target, t0: now, animating: false };
    } else if (JSON.stringify(shown.to) !== JSON.stringify(target)) {
      const current = interpolate(now);
      const fast = core.values.playing && core.values.speed > 10;
      shown = { from: current, to: target, t0: now, animating: !reducedMotion() && !fast };
    }
    return interpolate(now);
  }

  function interpolate(now) {
    if (!shown.animating) return shown.to;
    const t = Math.min(1, (now - shown.t0) / ANIMATION_MS);
    if (t >= 1) shown.animating = false;
    const ease = t * (2 - t);
    return {
      means: lerpDeep(shown.from.means, shown.to.means, ease),
      covariances: lerpDeep(shown.from.covariances, shown.to.covariances, ease),
    };
  }

  function draw() {
    dirty = false;
    const s = lab.snapshot();
    drawNumbers(s);
    drawNext(s);
    const params = s.means.length ? displayed(s) : null;
    if (s.dimension === 2) drawPlane(s, params);
    else drawLine(s, params);
    explainMain(s);
    drawInspector(s);
    drawBound(s);
    drawBic(s);
    ui.scale.draw(scale);
  }

  function drawNumbers(s) {
    const n = ui.numbers;
    const history = s.lower_bound_history;
    n.set("points", formatNumber(s.n_points));
    n.set("iteration", String(s.n_iter));
    n.set("half_steps", String(s.half_steps));
    n.set("lower_bound", history.length ? history[history.length - 1].toFixed(4) : "–");
    n.set("converged", s.converged ? `yes, after ${s.n_iter} iterations` : "not yet");
    n.set("weights", s.weights.map((w) => w.toFixed(2)).join(" · ") || "–");
  }

  function drawNext(s) {
    const isE = s.next_half_step === "E";
    const { next, eButton, mButton } = ui;
    eButton.disabled = s.next_half_step !== "E";
    mButton.disabled = s.next_half_step !== "M";
    next.classList.toggle("m", s.next_half_step === "M");
    if (!s.next_half_step) {
      next.replaceChildren(
        el("strong", {}, "EM is waiting for data"),
        el("span", {}, s.problem ?? ""),
      );
      return;
    }
    next.replaceChildren(
      el(
        "strong",
        {},
        isE
          ? "Next: E-step — compute responsibilities"
          : "Next: M-step — refit weights, means, covariances",
      ),
      el(
        "span",
        {},
        isE
          ? "Each point splits itself among the components in proportion to πₖ·N(x | μₖ, Σₖ); its colour shows the split."
          : "Each component takes the points' responsibilities as weights and moves its mean, shape and weight to fit them.",
      ),
    );
  }

  function explainMain(s) {
    const caption = ui.mainView.root.querySelector("figcaption");
    const explain = ui.mainView.root.querySelector(".explain");
    const key = `${s.dimension}|${s.keep_responsibilities}`;
    if (explain.dataset.key === key) return;
    explain.dataset.key = key;
    const large = s.keep_responsibilities
      ? ""
      : " With this many points only an evenly spaced sample of 20,000 is drawn, coloured " +
        "under the mixture the last E-step used.";
    if (s.dimension === 2) {
      caption.textContent = "Points coloured by responsibility";
      explain.innerHTML =
        "Each component has a colour; each point's colour mixes them in proportion to its " +
        "responsibilities <math><msub><mi>r</mi><mi>k</mi></msub></math> from the last E-step " +
        "(grey: no E-step yet). Diamonds are the means; solid and dashed ellipses enclose 1σ " +
        "and 2σ of each component. Dashed grey: the mixture that generated the data." +
        large;
    } else {
      caption.textContent = "1-D data: histogram and fitted densities";
      explain.innerHTML =
        "Grey bars: the data's histogram, scaled as a density. Coloured curves: each " +
        "component's weighted density <math><msub><mi>π</mi><mi>k</mi></msub><mi>N</mi><mo>(</mo><mi>x</mi><mo>|</mo><msub><mi>μ</mi><mi>k</mi></msub><mo>,</mo><msubsup><mi>σ</mi><mi>k</mi><mn>2</mn></msubsup><mo>)</mo></math>; " +
        "black: their sum, the mixture density. The ticks along the bottom are the points, " +
        "coloured by their responsibilities. This is the 1-D preset, a genuine 1-D data set " +
        "(clearer than projecting 2-D data, whose components would overlap).";
    }
  }

  /** The 2-D view: blended points through an ImageData layer, ellipses and means on top. */
  function drawPlane(s, params) {
    const plot = ui.mainPlot;
    const d = domain ?? { x: [-10, 10], y: [-10, 10] };
    plot.options.equalAspect = true;
    plot.options.xLabel = "x₁";
    plot.options.yLabel = "x₂";
    plot.setDomain(d.x, d.y);
    plot.clear();
    plot.axes();
    plot.clip();
    drawPointLayer(plot, s);
    if (core.values.show_truth && s.truth) {
      for (let c = 0; c < s.truth.means.length; c++) {
        plot.covarianceEllipse(s.truth.means[c], s.truth.covariances[c], 2, colors.muted, {
          dash: [5, 4],
          width: 1.5,
        });
      }
    }
    if (params) {
      params.means.forEach((mean, c) => {
        const color = componentColors[c];
        plot.covarianceEllipse(mean, params.covariances[c], 1, color, { width: 2.5 });
        plot.covarianceEllipse(mean, params.covariances[c], 2, color, { dash: [7, 5] });
        // Beyond eight components some colours are alike: the numbers (those of the inspector's
        // table) tell them apart.
        marker(plot, mean, color, params.means.length > 8 ? String(c + 1) : null);
      });
    }
    if (s.inspected) {
      const [ix, iy] = s.inspected.point;
      const { ctx } = plot;
      ctx.save();
      ctx.strokeStyle = colors.ink;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(plot.sx(ix), plot.sy(iy), 8, 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
    }
    plot.unclip();
    if (s.n_points === 0) {
      plot.text((d.x[0] + d.x[1]) / 2, (d.y[0] + d.y[1]) / 2, "No points: click to add some", {
        align: "center",
        font: "15px system-ui, sans-serif",
      });
    }
    const legend = [];
    if (params) {
      legend.push({ label: "fitted 1σ ellipse", color: colors.ink, kind: "line" });
      legend.push({ label: "fitted 2σ ellipse", color: colors.ink, kind: "line", dash: [7, 5] });
    }
    if (core.values.show_truth && s.truth)
      legend.push({ label: "true mixture (2σ)", color: colors.muted, kind: "line", dash: [5, 4] });
    if (legend.length) plot.legend(legend);
  }

  /**
   * Draws the points as small squares of their blended colours: written into an ImageData once
   * per change of data or colours (cost linear in N, no per-point canvas calls), then blitted.
   */
  function drawPointLayer(plot, s) {
    const dpr = plot.dpr;
    const key = `${dataVersion}|${plot.canvas.width}x${plot.canvas.height}|${plot.x}|${plot.y}`;
    if (!ui.layer || ui.layer.key !== key) {
      const w = plot.canvas.width;
      const h = plot.canvas.height;
      // The last layer's buffers when the size is the same (Play redraws it at every iteration).
      const same = ui.layer?.image.width === w && ui.layer.image.height === h;
      const image = same ? ui.layer.image : new ImageData(w, h);
      const canvas = same ? ui.layer.canvas : new OffscreenCanvas(w, h);
      const pixels = image.data;
      if (same) pixels.fill(0);
      const p = lab.drawn_points();
      const resp = lab.drawn_responsibilities();
      const k = s.k;
      const m = p.length / 2;
      const size = Math.max(1, Math.round((m <= 1000 ? 6 : m <= 10000 ? 4 : 2) * dpr));
      const half = Math.floor(size / 2);
      for (let i = 0; i < m; i++) {
        const cx = Math.round(plot.sx(p[2 * i]) * dpr) - half;
        const cy = Math.round(plot.sy(p[2 * i + 1]) * dpr) - half;
        const [r, g, b] = blend(resp, i, k);
        for (let y = Math.max(cy, 0); y < Math.min(cy + size, h); y++) {
          for (let x = Math.max(cx, 0); x < Math.min(cx + size, w); x++) {
            const o = 4 * (y * w + x);
            pixels[o] = r;
            pixels[o + 1] = g;
            pixels[o + 2] = b;
            pixels[o + 3] = 235;
          }
        }
      }
      canvas.getContext("2d").putImageData(image, 0, 0);
      ui.layer = { key, canvas, image };
    }
    plot.ctx.drawImage(ui.layer.canvas, 0, 0, plot.width, plot.height);
  }

  /** A component's mean: a diamond in its colour, with `label` beside it when given. */
  function marker(plot, mean, color, label) {
    const { ctx } = plot;
    const x = plot.sx(mean[0]);
    const y = plot.sy(mean[1]);
    ctx.save();
    ctx.fillStyle = color;
    ctx.strokeStyle = colors.ink;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x, y - 8);
    ctx.lineTo(x + 8, y);
    ctx.lineTo(x, y + 8);
    ctx.lineTo(x - 8, y);
    ctx.closePath();
    ctx.stroke();
    ctx.fill();
    if (label) {
      ctx.font = "bold 12px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(label, x + 10, y - 8);
      ctx.fillStyle = colors.ink;
      ctx.fillText(label, x + 10, y - 8);
    }
    ctx.restore();
  }

  /** The 1-D view: histogram, each weighted component density, the mixture, and a coloured rug. */
  function drawLine(s, params) {
    const plot = ui.mainPlot;
    const xs = lab.xs();
    let lo = -10;
    let hi = 10;
    if (xs.length) {
      lo = Math.min(...xs);
      hi = Math.max(...xs);
      const pad = 0.1 * Math.max(hi - lo, 2);
      lo -= pad;
      hi += pad;
    }
    const bins = Math.max(8, Math.min(50, Math.round(Math.sqrt(xs.length) * 1.5)));
    const width = (hi - lo) / bins;
    const counts = new Array(bins).fill(0);
    for (const x of xs) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
    const heights = counts.map((c) => (xs.length ? c / (xs.length * width) : 0));
    const grid = Array.from({ length: 241 }, (_, i) => lo + ((hi - lo) * i) / 240);
    const components = params
      ? params.means.map((m, c) =>
          grid.map((x) => s.weights[c] * normalDensity(x, m[0], params.covariances[c][0][0])),
        )
      : [];
    const mixture = grid.map((_, i) => components.reduce((a, comp) => a + comp[i], 0));
    const truth =
      core.values.show_truth && s.truth
        ? grid.map((x) =>
            s.truth.weights.reduce(
              (a, w, c) =>
                a + w * normalDensity(x, s.truth.means[c][0], s.truth.covariances[c][0][0]),
              0,
            ),
          )
        : null;
    const top = Math.max(0.05, ...heights, ...mixture, ...(truth ?? [])) * 1.12;
    plot.options.equalAspect = false;
    plot.options.xLabel = "x";
    plot.options.yLabel = "density";
    plot.setDomain([lo, hi], [0, top]);
    plot.clear();
    plot.axes();
    plot.clip();
    plot.bars(
      counts.map((_, i) => lo + (i + 0.5) * width),
      heights,
      width * 0.95,
      "rgba(95,102,117,0.25)",
    );
    if (truth) plot.line(grid, truth, colors.muted, { width: 1.5, dash: [5, 4] });
    components.forEach((comp, c) => plot.line(grid, comp, componentColors[c], { width: 2.5 }));
    if (params) plot.line(grid, mixture, colors.ink, { width: 2 });
    // The rug: one tick per point under the curves, in its blended colour.
    const resp = lab.drawn_responsibilities();
    const { ctx } = plot;
    const base = plot.rect.top + plot.rect.h;
    const p = lab.drawn_points();
    for (let i = 0; i < p.length; i++) {
      const [r, g, b] = blend(resp, i, s.k);
      ctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
      ctx.fillRect(plot.sx(p[i]) - 1, base - 16, 2, 14);
    }
    if (s.inspected) {
      ctx.strokeStyle = colors.ink;
      ctx.lineWidth = 2;
      ctx.strokeRect(plot.sx(s.inspected.point[0]) - 4, base - 19, 8, 20);
    }
    plot.unclip();
    const legend = [
      { label: "histogram of the data", color: "rgba(95,102,117,0.45)", kind: "box" },
    ];
    if (params) {
      legend.push({
        label: "πₖ·N(x | μₖ, σₖ²), one per component",
        color: componentColors[0],
        kind: "line",
      });
      legend.push({ label: "mixture p(x) = Σ of them", color: colors.ink, kind: "line" });
    }
    if (truth)
      legend.push({ label: "true mixture", color: colors.muted, kind: "line", dash: [5, 4] });
    plot.legend(legend);
  }

  /** The responsibility table of the inspected point, with the actual numbers. */
  function drawInspector(s) {
    const { table } = ui;
    if (!s.inspected || !s.means.length) {
      table.replaceChildren(
        el(
          "p",
          { class: "em-empty" },
          s.means.length
            ? "Click a point in the plot (with “A click on the plot: inspects a point”): this " +
                "panel shows the numbers that give it its colour."
            : "No mixture yet.",
        ),
      );
      return;
    }
    const e = s.inspected;
    const point = e.point.map((v) => formatNumber(v, 3)).join(", ");
    const when =
      s.next_half_step === "M"
        ? "under the parameters the last E-step used (the colours show these)"
        : "under the current parameters (what the next E-step will compute)";
    const resp = bayesTable({
      prefix: "em",
      tableClass: "em-resp",
      heads: [
        "k",
        "<math><msub><mi>π</mi><mi>k</mi></msub></math>",
        "<math><mi>N</mi><mo>(</mo><mi>x</mi><mo>|</mo><msub><mi>μ</mi><mi>k</mi></msub><mo>,</mo><msub><mi>Σ</mi><mi>k</mi></msub><mo>)</mo></math>",
        "<math><msub><mi>π</mi><mi>k</mi></msub><mi>N</mi></math>",
        "<math><msub><mi>r</mi><mi>k</mi></msub><mo>=</mo><mfrac><mrow><msub><mi>π</mi><mi>k</mi></msub><mi>N</mi></mrow><mi>Σ</mi></mfrac></math>",
      ],
      rows: e.weights.map((w, c) => ({
        label: [
          el("span", { class: "em-swatch", style: `background:${componentColors[c]}` }),
          String(c + 1),
        ],
        weight: w,
        density: e.densities[c],
        product: e.weighted_densities[c],
        share: e.responsibilities[c],
      })),
      sumLabel: "Σ = p(x), the normaliser",
      sum: e.normaliser,
      shareKey: "r",
      sumKey: "normaliser",
    });
    table.replaceChildren(
      el("p", {}, `Point x = (${point}), ${when}:`),
      resp,
      el(
        "p",
        { class: "hint" },
        "Each component's weighted density πₖ·N is divided by their sum Σ, so the " +
          "responsibilities add up to 1. The point's colour mixes the component colours in " +
          "these proportions.",
      ),
    );
  }

  function drawBound(s) {
    const history = s.lower_bound_history;
    const iterations = history.map((_, i) => i + 1);
    let lo = Math.min(...history);
    let hi = Math.max(...history);
    if (!history.length) [lo, hi] = [-5, 0];
    const pad = Math.max((hi - lo) * 0.12, 0.05);
    const xMax = Math.max(5, history.length);
    const notes = [];
    if (!history.length)
      notes.push({
        x: (1 + xMax) / 2,
        y: (lo + hi) / 2,
        text: "Take an E-step to measure the fit",
      });
    else if (s.converged)
      notes.push({
        x: (1 + xMax) / 2,
        y: lo - pad,
        text: `converged after ${s.n_iter} iterations`,
      });
    ui.boundPlot.draw({
      x: [1, xMax],
      y: [lo - 2 * pad, hi + pad],
      series: [
        { kind: "line", color: colors.blue, width: 2, xs: iterations, ys: history },
        {
          kind: "points",
          color: colors.blue,
          radius: history.length > 40 ? 1.5 : 3,
          xs: iterations,
          ys: history,
        },
      ],
      notes,
    });
  }

  function drawBic(s) {
    const { bic } = s;
    if (!bic) {
      ui.bicPlot.draw({
        x: [0.5, kMax + 0.5],
        y: [0, 1],
        notes: [{ x: (kMax + 1) / 2, y: 0.5, text: `Press “Compare K = 1…${kMax} by BIC”` }],
      });
      return;
    }
    const values = bic.map((b) => b.bic);
    const best = bic.reduce((a, b) => (b.bic < a.bic ? b : a));
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = Math.max((hi - lo) * 0.08, 1);
    const others = bic.filter((b) => b.k !== best.k);
    // Bars start at the bottom of the range: BIC's scale is arbitrary; differences matter.
    ui.bicPlot.draw({
      x: [0.5, bic.length + 0.5],
      y: [lo - 4 * pad, hi + pad],
      series: [
        {
          kind: "bars",
          label: `lowest BIC: K = ${best.k}`,
          color: colors.vermillion,
          halfWidth: 0.35,
          xs: [best.k],
          ys: [best.bic],
        },
        {
          kind: "bars",
          label: "other K",
          color: colors.sky,
          halfWidth: 0.35,
          xs: others.map((b) => b.k),
          ys: others.map((b) => b.bic),
        },
      ],
    });
  }

  /**
   * Applies a link; returns the messages of the values refused. Links carry your own points
   * only up to a limit, so a link that says "custom" without points opens the data set already
   * shown (as links always did) and says why.
   */
  function applyUrlState(params) {
    const withoutPoints = params.preset === "custom" && params.points === undefined;
    const { preset, ...others } = params;
    const { refused } = core.applyLink(withoutPoints ? others : params);
    if (withoutPoints)
      refused.push(
        `preset = ${preset}: the link holds no points (a link carries at most ` +
          `${core.entries.points.link_rows} of your own points)`,
      );
    return refused;
  }

  return {
    name: "em",
    title: "EM",
    api,
    mount,
    unmount,
    frame,
    killWorker: (how) => play.kill(how),
    markDirty: () => {
      dirty = true;
      dataVersion++;
    },
    keys(event) {
      if (!ui) return false;
      if (event.key.toLowerCase() === "i") {
        try {
          fullIteration();
        } catch (error) {
          ui.message.show(error.message, { error: true });
        }
        return true;
      }
      return ui.transport.handleKey(event);
    },
    ...core.appMembers(),
    applyUrlState,
  };
}
