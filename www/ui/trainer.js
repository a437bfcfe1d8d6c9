// What every lab that trains shares (the GAN and the VAE, later the diffusion lab): Play within
// the frame's compute budget, a link's iterations replayed over the next frames, the meter of
// iterations per second, and the divergence box with its own Reset.
//
// The lab's handle must have `step(n)` (train n iterations; a divergence stops training and is
// recorded, not thrown), `advance(n)`, `progress()`, `diverged()` (the message, or undefined),
// `export_state()` and `import_state(bytes)`.
//
// Work that happens elsewhere never blocks the page: each frame starts at most a run of
// iterations there and draws from the last result meanwhile.
// - On the GPU (`core.onGpu`): one run at a time (`core.step(n)`, a Promise); "max" sizes each
//   run so that it takes about a frame.
// - On the CPU, Play trains in a Web Worker (www/ui/train-worker.js) with its own wasm instance,
//   on a copy of the run: each result (the copy's whole training state) is imported into the
//   page's handle, the run the views are drawn from. At "max" three runs of about a frame each are
//   on their way, so the worker trains the next while the page draws the last. Whatever changes
//   the page's copy otherwise (a setting, a reset, step(n), a link, a lone network step) makes the
//   worker's copy stale: a run on its way then lands on the old copy and is dropped, and the next
//   run takes the page's state with it. Where no worker can start, Play trains on the page's
//   thread within the frame's budget and `note` says why; a worker that fails is replaced.
// A link's replay and the API's step(n) stay on the page's thread (synchronous, as they were).
import { el, button } from "./controls.js";
import { runtime } from "./runtime.js";
import { workerHealth } from "./worker-health.js";

/** The time a run of iterations on the GPU aims at when Play is at "max", in ms. */
const GPU_FRAME_MS = 16;
/** The most iterations one run on the GPU may hold (its numbers are drawn on the CPU first). */
const GPU_MAX_CHUNK = 2000;
/** How long a worker's run at "max" trains, in ms: about a frame, so each frame gets a result. */
const WORKER_RUN_MS = 16;
/**
 * Runs on their way to the worker at "max": one training, the others waiting there, so that the
 * worker goes on while the page is busy drawing for up to two runs' time before it can send
 * the next (with two, a frame that took more than 16 ms left the worker idle).
 */
const WORKER_PIPELINE = 3;
/** Settings that change what the page shows or how Play runs, not the run itself. */
const NOT_THE_RUN = /^(speed|playing|slow_motion|probe|backend|show_\w+)$/;

/**
 * @param {{ core: object, app: object, chunk?: number, unit?: string, runMs?: () => number }} options
 * `chunk`: iterations per call into wasm while playing at full speed on the CPU (a few keep the
 * per-call overhead small; one keeps the frame budget exact). `runMs`: how long a worker's run
 * at "max" trains (a lab whose state or views are large asks for fewer, longer runs, so that
 * importing them leaves the page's frames free).
 */
export function trainer({
  core,
  app,
  chunk = 1,
  unit = "iterations",
  runMs = () => WORKER_RUN_MS,
}) {
  const lab = core.lab;
  let replayLeft = 0;
  let meter = { at: performance.now(), count: lab.progress(), perSecond: 0 };
  // On the GPU: the run on its way (a Promise) or null, whether one landed since the last frame,
  // and how many iterations the next "max" run holds (it adapts to the time the last one took).
  let inFlight = null;
  let landed = false;
  let gpuChunk = 1;

  const alarm = el("div", { class: "train-alarm", role: "alert", hidden: true });
  /** The worker's crashes, and the note that says, while Play cannot train in a worker, that it
   * trains on the page's thread and why. */
  const health = workerHealth({
    name: "training worker",
    subject: "Training runs",
    className: "hint train-note",
  });

  // The worker: {worker, ready} while one exists, its runs on their way, whether its copy is the
  // page's (the epoch counts the page's changes; a result of an older one is dropped), and the
  // last result not yet imported.
  let engine = null;
  let onTheWay = 0;
  let synced = false;
  let epoch = 0;
  let result = null;

  /** The page's copy changed: the worker's is stale. */
  function touched() {
    synced = false;
    epoch++;
    result = null;
  }
  core.onChange((name) => {
    if (!NOT_THE_RUN.test(name ?? "")) touched();
  });

  /** Ends the worker (a run on its way is lost: the page's copy never saw it). */
  function endWorker() {
    if (!engine) return;
    engine.worker.terminate();
    runtime.workers.live--;
    engine = null;
    onTheWay = 0;
    touched();
  }

  /** A worker failed or died: the next frame starts another from the page's copy. */
  function failed(message, why, loading) {
    endWorker();
    const text = health.crashed(why, loading, `from iteration ${lab.progress()}`);
    health.show();
    message?.show(text, { error: true });
  }

  /** Starts a worker unless one exists; false when none can start (Play trains here then). */
  function startWorker(message) {
    // A worker of another build (the page fell back to the plain one after a panic) would no
    // longer compute as the page does.
    if (engine && engine.build !== runtime.build) endWorker();
    if (engine) return true;
    if (health.reason()) {
      health.show();
      return false;
    }
    let worker;
    try {
      const url = new URL("./train-worker.js", import.meta.url);
      // The page's own build: the run moves between the two, so they must compute alike.
      url.searchParams.set("build", runtime.build);
      worker = new Worker(url, { type: "module" });
    } catch (error) {
      health.cannotStart(error);
      health.show();
      return false;
    }
    const mine = { worker, ready: false, build: runtime.build };
    engine = mine;
    runtime.workers.live++;
    runtime.workers.started++;
    touched();
    worker.onmessage = ({ data }) => {
      if (engine !== mine) return;
      if (data.type === "ready") {
        mine.ready = true;
      } else if (data.type === "failed") {
        failed(mine.message, data.message, data.loading);
      } else if (data.type === "ran") {
        onTheWay--;
        runtime.workers.runs++;
        health.ran();
        // A result the page has not drawn yet: no frame came since (a hidden tab, say).
        const undrawn = result !== null;
        if (data.id === epoch) result = data;
        // At "max", the next run at once: the worker never waits for the page's frame, but it
        // stops when the page stops drawing.
        if (!undrawn && core.values.playing && core.values.speed === "max") sendRuns();
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (engine === mine) failed(mine.message, event.message || "it could not start", !mine.ready);
    };
    mine.message = message;
    return true;
  }

  /** Sends the page's run to the worker if its copy is stale; false when it cannot be sent. */
  function sync() {
    if (synced) return true;
    let state;
    try {
      state = lab.export_state();
    } catch {
      // A narrated step half done: the page's thread finishes it first.
      return false;
    }
    // A drawing's points travel whole, beside a link that holds few.
    const link = core.workerLink();
    const points = core.values.target === "drawn" ? lab.drawn_points() : null;
    engine.worker.postMessage(
      { type: "load", kind: core.schema.lab, link, points, state: state.buffer },
      [state.buffer],
    );
    synced = true;
    return true;
  }

  /** Sends the runs Play asks for: at "max" until WORKER_PIPELINE are on their way, else one per frame. */
  function sendRuns() {
    const { speed } = core.values;
    const most = speed === "max" ? WORKER_PIPELINE : 1;
    while (onTheWay < most && !lab.diverged() && sync()) {
      const run = speed === "max" ? { ms: runMs(), chunk } : { n: speed };
      engine.worker.postMessage({ type: "run", id: epoch, ...run });
      onTheWay++;
    }
  }

  /**
   * A frame of Play in the worker: imports the last result, starts the next runs. Returns
   * whether a result was imported, or null when the worker cannot take this frame (not loaded
   * yet, or a narrated step to finish here).
   */
  function workerFrame(message, playNow) {
    if (!playNow && !engine) return false;
    if (!startWorker(message) || !engine.ready) return null;
    engine.message = message;
    let trained = false;
    if (result) {
      lab.import_state(new Uint8Array(result.state));
      result = null;
      trained = true;
      if (lab.diverged()) core.set("playing", false);
    }
    if (playNow) {
      sendRuns();
      // Nothing could be sent (a narrated step half done): this frame trains here.
      if (onTheWay === 0 && !trained) return null;
    }
    return trained;
  }

  function updateMeter() {
    const now = performance.now();
    if (now - meter.at > 500) {
      const count = lab.progress();
      meter = { at: now, count, perSecond: ((count - meter.count) * 1000) / (now - meter.at) };
    }
  }

  /** Starts `n` iterations on the GPU; `done(ms)` runs once they are back. */
  function startOnGpu(n, message, done) {
    const start = performance.now();
    inFlight = Promise.resolve(core.step(n))
      .then(() => done(performance.now() - start))
      .catch((error) => {
        replayLeft = 0;
        if (core.values.playing) core.set("playing", false);
        message?.show(String(error?.message ?? error), { error: true });
      })
      .finally(() => {
        inFlight = null;
        landed = true;
        app.stateChanged();
      });
  }

  /**
   * The next "max" run's length from the time the last one took, aiming at about a frame. A
   * read-back comes a frame later at the soonest, so runs that took little more than that grow.
   */
  function adapt(n, ms) {
    if (ms < 1.25 * GPU_FRAME_MS) gpuChunk = Math.min(GPU_MAX_CHUNK, 2 * n);
    else if (ms > 2 * GPU_FRAME_MS)
      gpuChunk = Math.max(1, Math.floor((n * 1.5 * GPU_FRAME_MS) / ms));
    else gpuChunk = n;
  }

  /** A frame on the GPU: starts the next run unless one is on its way. */
  function gpuFrame(message, play) {
    const trained = landed;
    landed = false;
    if (!inFlight && replayLeft > 0) {
      const n = Math.min(replayLeft, gpuChunk);
      replayLeft -= n;
      startOnGpu(n, message, (ms) => {
        adapt(n, ms);
        if (lab.diverged()) replayLeft = 0;
        if (replayLeft === 0) message?.show(`Replayed the link's ${lab.progress()} ${unit}.`);
      });
    }
    const { playing, speed } = core.values;
    if (!inFlight && playing && play) {
      const n = speed === "max" ? gpuChunk : speed;
      startOnGpu(n, message, (ms) => {
        if (speed === "max") adapt(n, ms);
        if (lab.diverged()) core.set("playing", false);
      });
    }
    if (playing && play) updateMeter();
    return trained;
  }

  const t = {
    alarm,
    note: health.note,
    /** Where Play trains on the CPU now: "worker" while a loaded worker holds a copy of the
     * run, else "main" (the page's thread). */
    get trainer() {
      return engine?.ready ? "worker" : "main";
    },
    /** Why Play trains on the page's thread, or null (also while a worker still runs). */
    get trainerNote() {
      return engine ? null : health.reason();
    },
    /** The page's copy changed outside the core (a lone network step, new prior draws). */
    touched,
    /**
     * Ends the worker on purpose (`genplay.debug.killWorker()`), or makes its module panic
     * (`how` = "panic"); either way the next frame starts another.
     */
    killWorker(message, how = "terminate") {
      if (!engine) return;
      if (how === "panic") engine.worker.postMessage({ type: "panic" });
      else failed(message, "it was ended (genplay.debug.killWorker())", false);
    },
    /** When the lab leaves the screen: its worker ends (Play is off; a new one starts later). */
    release() {
      endWorker();
    },
    /** Iterations a link still asks for. */
    get replaying() {
      return replayLeft;
    },
    /** Whether a run of iterations is on its way on the GPU. */
    get busy() {
      return inFlight !== null;
    },
    /** Replays `count` more iterations of an opened link over the next frames. */
    replay(count, message) {
      replayLeft = count;
      if (count > 0) message?.show(`Replaying the link's ${lab.progress() + count} ${unit}…`);
    },
    /** Forgets a replay (after a rebuild, the link's iterations no longer apply). */
    stop() {
      replayLeft = 0;
    },
    /**
     * What Play does first in every lab that trains: the meter starts again, and a diverged run
     * does not play (its message says what to do).
     */
    played(on, message) {
      meter = { at: performance.now(), count: lab.progress(), perSecond: 0 };
      if (on && lab.diverged()) {
        core.set("playing", false);
        message.show("Training diverged: press Reset (after lowering the learning rate).", {
          error: true,
        });
      }
    },
    /** Iterations per second while playing, measured over the last half second or so. */
    get perSecond() {
      return meter.perSecond;
    },
    /**
     * Trains until `deadline`: first what a link still asks for, then (unless `play` is false:
     * a lab that narrates or draws instead) what Play asks for: the speed setting, iterations
     * per frame or "max" for as many as fit. On the GPU it starts one run instead (see above).
     * Returns whether any iteration ran (on the GPU: whether a run landed); stops Play when
     * training diverges.
     */
    frame(deadline, message, { play = true } = {}) {
      if (core.onGpu || inFlight) {
        const trained = gpuFrame(message, play);
        if (trained) app.stateChanged();
        return trained;
      }
      let trained = false;
      if (replayLeft > 0) {
        touched();
        do {
          const n = Math.min(replayLeft, chunk);
          lab.advance(n);
          replayLeft -= n;
        } while (replayLeft > 0 && performance.now() < deadline && !lab.diverged());
        if (lab.diverged()) replayLeft = 0;
        if (replayLeft === 0) message?.show(`Replayed the link's ${lab.progress()} ${unit}.`);
        trained = true;
      }
      const { playing, speed } = core.values;
      const playNow = playing && play;
      // After Pause, a result on its way still lands.
      const worker = replayLeft === 0 && (playNow || result || onTheWay > 0);
      const fromWorker = worker ? workerFrame(message, playNow) : null;
      if (fromWorker !== null) {
        trained ||= fromWorker;
        if (playNow) updateMeter();
      } else if (playNow) {
        touched();
        const wanted = speed === "max" ? Infinity : speed;
        let done = 0;
        while (done < wanted && performance.now() < deadline && !lab.diverged()) {
          const n = Math.min(wanted - done, chunk);
          lab.step(n);
          done += n;
        }
        trained ||= done > 0;
        updateMeter();
        if (lab.diverged()) core.set("playing", false);
      }
      if (trained) app.stateChanged();
      return trained;
    },
    /** Shows the divergence box while training has diverged, with a Reset that recovers. */
    drawAlarm(onReset) {
      const message = lab.diverged();
      if (!message) {
        alarm.hidden = true;
        return;
      }
      if (alarm.dataset.message === message && !alarm.hidden) return;
      alarm.dataset.message = message;
      alarm.replaceChildren(
        el("strong", {}, "Training diverged. "),
        el("span", {}, `${message[0].toUpperCase()}${message.slice(1)}.`),
        " ",
        button("↺ Reset", onReset),
      );
      alarm.hidden = false;
    },
  };
  return t;
}
