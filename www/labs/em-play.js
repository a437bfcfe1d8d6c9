// EM's Play on large data in a Web Worker (www/ui/em-worker.js): at a million points one
// iteration takes tens of milliseconds, which on the page's thread would hold up every frame.
// The worker iterates a copy of the run and hands back where it stands (the lab's
// `export_state`, about a kilobyte at K = 8: the mixture, the lower bounds so far, the counts);
// the page's run imports it and draws. The page's run stays the one the API, the views and links read.
//
// Whatever changes the page's run otherwise (a setting, a half-step, new data) makes the
// worker's copy stale: a run on its way then lands on the old copy and is dropped, and the next
// takes the page's state (and its points, when the data changed) with it. EM's own errors (a
// component that collapses, say) stop Play with the core's message, as on the page. A worker
// that crashes is replaced from the page's run, with a message; after a few crashes in a row,
// or where no worker can start or load, Play iterates on the page again and `note` says why.
import { runtime } from "../ui/runtime.js";
import { workerHealth } from "../ui/worker-health.js";

/** From this many points on (on the CPU), Play iterates in the worker. */
export const WORKER_PLAY_POINTS = 100_000;
/** How long one run in the worker iterates at most (at least one iteration): about a frame. */
const RUN_MS = 16;
/** The most iterations due at once (a slow machine does not build up a backlog). */
const MAX_DUE = 1000;
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
  // The data's size and dimension, read again at each rebuild (a snapshot costs a copy).
  let { n_points: nPoints, dimension } = lab.snapshot();
  const health = workerHealth({
    name: "EM worker",
    subject: "Play iterates",
    className: "hint em-play-note",
  });

  /** Whether the run is one Play should iterate in a worker: large data, on the CPU. */
  const large = () => nPoints >= WORKER_PLAY_POINTS && !core.onGpu;

  /** Says, for large data, where Play iterates and why (nothing for small data). */
  const showNote = () =>
    health.show(
      large(),
      `With ${nPoints.toLocaleString("en")} points, Play iterates in a background worker: ` +
        "the page stays live.",
    );

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
      ({ n_points: nPoints, dimension } = lab.snapshot());
      // New data or a new start: a worker that kept crashing gets another chance.
      health.forgive();
    }
  });

  function end() {
    if (!worker) return;
    worker.terminate();
    runtime.workers.live--;
    worker = null;
    onTheWay = false;
    hasData = false;
    touched();
  }

  /** The worker crashed (`loading`: it could not load its module): end it, say so. */
  function failed(why, loading) {
    end();
    const text = health.crashed(why, loading, `from half-step ${lab.progress()}`);
    showNote();
    message()?.show(text, { error: true });
  }

  function start() {
    if (worker) return true;
    if (health.reason()) return false;
    let mine;
    try {
      mine = new Worker(new URL("../ui/em-worker.js", import.meta.url), { type: "module" });
    } catch (error) {
      health.cannotStart(error);
      return false;
    }
    worker = mine;
    runtime.workers.live++;
    runtime.workers.started++;
    mine.onmessage = ({ data }) => {
      if (worker !== mine) return;
      if (data.type === "failed") return failed(data.message, data.loading);
      onTheWay = false;
      if (data.id !== epoch) return;
      health.ran();
      runtime.workers.runs++;
      if (data.error) {
        // EM's own error there is the page's too: Play stops with it, and the page's run stays
        // where the last result left it (a half-step from the page reaches the same error).
        synced = false;
        if (core.values.playing) core.set("playing", false);
        message()?.show(data.error, { error: true });
        return;
      }
      // A result the page has not drawn yet: no frame came since (a hidden tab, say).
      const undrawn = result !== null;
      result = data;
      due = Math.max(0, due - data.done);
      if (!undrawn && !data.converged) send();
    };
    mine.onerror = (event) => {
      event.preventDefault();
      if (worker === mine) failed(event.message || "it could not start", true);
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
        // A step under way on the GPU, say: this frame iterates on the page.
        return false;
      }
      const points = hasData ? null : lab.all_points();
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
    note: health.note,
    /** Whether Play iterates in the worker now (large data on the CPU, a worker at hand); keeps
     * the note saying why not where it cannot. */
    wanted() {
      showNote();
      return large() && health.reason() === null;
    },
    /** Where Play iterates now: "worker" while one holds the run, else "main". */
    get where() {
      return worker && synced ? "worker" : "main";
    },
    /** Why Play iterates on the page's thread although the run is large, or null. */
    get whyNot() {
      return large() ? health.reason() : null;
    },
    /** Whether a run is on its way or its result waits to be imported (after Pause, say). */
    get pending() {
      return onTheWay || result !== null;
    },
    /**
     * A frame of Play (or after it, while a run is still on its way): imports the last result
     * and, while playing, starts the next run when iterations are due. The page's run must be
     * between two iterations. Returns the iterations imported, or null when this frame must
     * iterate on the page (no worker could start, or the run cannot travel now).
     */
    frame(dt, playing) {
      if (!start()) return null;
      if (playing) due = Math.min(due + core.values.speed * Math.min(dt, 0.1), MAX_DUE);
      let done = 0;
      if (result) {
        const { state, done: imported } = result;
        result = null;
        try {
          lab.import_state(new Uint8Array(state));
          done = imported;
        } catch (error) {
          // Not expected (the copy had the page's settings): the worker goes, the run stays.
          failed(`its result did not fit the run: ${error.message}`, false);
          return null;
        }
        landed();
      }
      if (!send() && done === 0) return null;
      return done;
    },
    /** Ends the worker on purpose (`genplay.debug.killWorker()`), as a crash would; `how` =
     * "panic" makes its module panic instead. */
    kill(how = "terminate") {
      if (!worker) return;
      if (how === "panic") worker.postMessage({ type: "panic" });
      else failed("it was ended (genplay.debug.killWorker())", false);
    },
    /** When the lab leaves the screen, or its run has converged: the worker ends. */
    release: end,
  };
}
