// EM's Play on large data in a Web Worker (www/ui/em-worker.js): at a million points one
// iteration takes tens of milliseconds, which on the page's thread would hold up every frame.
// The worker iterates a copy of the run and hands back where it stands (the lab's
// `export_state`, a few hundred bytes: the mixture, the lower bounds, the counts); the page's
// run imports it and draws. The page's run stays the one the API, the views and links read.
//
// Whatever changes the page's run otherwise (a setting, a half-step, new data) makes the
// worker's copy stale: a run on its way then lands on the old copy and is dropped, and the next
// takes the page's state (and its points, when the data changed) with it. A worker that fails is
// replaced from the page's run, with a message; after a few failures, or where no worker can
// start, Play iterates on the page again and `note` says why.
import { el } from "../ui/controls.js";
import { runtime } from "../ui/runtime.js";

/** From this many points on (on the CPU), Play iterates in the worker. */
export const WORKER_PLAY_POINTS = 100_000;
/** How long one run in the worker iterates at most (at least one iteration): about a frame. */
const RUN_MS = 16;
/** The most iterations due at once (a slow machine does not build up a backlog). */
const MAX_DUE = 1000;
/** Failures in a row after which Play stays on the page's thread. */
const RETRIES = 3;
/** Settings that change what the page shows or how Play runs, not the run itself. */
const NOT_THE_RUN = /^(speed|playing|show_truth|click_mode)$/;

/**
 * @param {{ core: object, message: () => object | null, landed: () => void }} options
 * `message()`: the lab's message line (null off screen); `landed()`: called after the page's
 * run imported iterations from the worker.
 */
export function playInWorker({ core, message, landed }) {
  const lab = core.lab;
  let worker = null;
  let epoch = 0; // counts the page's changes of its run: a result of an older one is dropped
  let synced = false; // whether the worker's copy is the page's run
  let hasData = false; // whether the worker holds the page's data
  let onTheWay = false;
  let result = null; // the last result, not imported yet
  let due = 0; // iterations Play owes at its speed
  let failures = 0;
  let fallback = null; // why Play iterates on the page's thread (null while it need not)
  let nPoints = lab.snapshot().n_points;

  const note = el("p", { class: "hint train-note", role: "status", hidden: true });

  function touched() {
    synced = false;
    epoch++;
    result = null;
  }

  core.onChange((name, applied) => {
    if (name === "playing") due = 0;
    if (NOT_THE_RUN.test(name ?? "")) return;
    touched();
    if (applied === "rebuild" || applied === "link") {
      hasData = false;
      nPoints = lab.snapshot().n_points;
    }
  });

  function end() {
    if (!worker) return;
    worker.terminate();
    worker = null;
    onTheWay = false;
    hasData = false;
    touched();
  }

  function failed(why) {
    end();
    failures++;
    if (failures >= RETRIES) {
      fallback = `the worker kept failing (${why})`;
      note.hidden = false;
      note.textContent = `Play iterates on the page's own thread: ${fallback}.`;
    }
    message()?.show(
      `The EM worker stopped (${why}); Play goes on ${fallback ? "here" : "in a new one"}, ` +
        `from half-step ${lab.progress()}.`,
      { error: true },
    );
  }

  function start() {
    if (worker) return true;
    if (fallback || runtime.workers.disabled) return false;
    let mine;
    try {
      mine = new Worker(new URL("../ui/em-worker.js", import.meta.url), { type: "module" });
    } catch (error) {
      fallback = `this browser cannot start a worker (${error?.message ?? error})`;
      note.hidden = false;
      note.textContent = `Play iterates on the page's own thread: ${fallback}.`;
      return false;
    }
    worker = mine;
    mine.onmessage = ({ data }) => {
      if (worker !== mine) return;
      if (data.type === "failed") return failed(data.message);
      onTheWay = false;
      if (data.id !== epoch) return;
      failures = 0;
      // A result the page has not drawn yet: no frame came since (a hidden tab, say).
      const undrawn = result !== null;
      result = data;
      due = Math.max(0, due - data.done);
      if (!undrawn && !data.converged) send();
    };
    mine.onerror = (event) => {
      event.preventDefault();
      if (worker === mine) failed(event.message || "it could not start");
    };
    return true;
  }

  /** Sends the next run if Play owes iterations; false when the page's run cannot travel now. */
  function send() {
    if (onTheWay || !core.values.playing || due < 1) return true;
    if (!synced) {
      let state;
      try {
        state = lab.export_state();
      } catch {
        // Between an E-step and its M-step: the page does the M-step first.
        return false;
      }
      const points = hasData ? null : lab.all_points();
      const dimension = lab.snapshot().dimension;
      const transfer = points ? [state.buffer, points.buffer] : [state.buffer];
      worker.postMessage(
        { type: "load", link: core.workerLink(), dimension, points, state: state.buffer },
        transfer,
      );
      synced = true;
      hasData = true;
    }
    worker.postMessage({ type: "run", id: epoch, iterations: Math.floor(due), ms: RUN_MS });
    onTheWay = true;
    return true;
  }

  return {
    note,
    /** Whether Play iterates in the worker now (large data on the CPU, a worker at hand). */
    wanted() {
      return nPoints >= WORKER_PLAY_POINTS && !core.onGpu && !fallback && !runtime.workers.disabled;
    },
    /** Where Play iterates now: "worker" while one holds the run, else "main". */
    get where() {
      return worker && synced ? "worker" : "main";
    },
    /** Why Play iterates on the page's thread, or null. */
    get whyNot() {
      return fallback;
    },
    /** Whether a run is on its way or its result waits to be imported (after Pause, say). */
    get pending() {
      return onTheWay || result !== null;
    },
    /**
     * A frame of Play (or after it, while a run is still on its way): imports the last result
     * and, while playing, starts the next run when iterations are due. Returns the iterations
     * imported, or null when this frame must iterate on the page (no worker can start, or an
     * iteration is half done).
     */
    frame(dt, playing) {
      if (!start()) return null;
      if (playing) due = Math.min(due + core.values.speed * Math.min(dt, 0.1), MAX_DUE);
      let done = 0;
      if (result) {
        lab.import_state(new Uint8Array(result.state));
        done = result.done;
        result = null;
        landed();
      }
      if (!send() && done === 0) return null;
      return done;
    },
    /** Ends the worker on purpose (`genplay.debug.killWorker()`), as a crash would. */
    kill() {
      if (worker) failed("it was ended (genplay.debug.killWorker())");
    },
    /** When the lab leaves the screen, or Play stops for good: the worker ends. */
    release: end,
  };
}
