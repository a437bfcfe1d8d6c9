// How a lab's Web Worker is doing, for the two kinds of worker that carry a copy of a run (the
// training worker, www/ui/trainer.js, and EM's, www/labs/em-play.js): its crashes in a row, why
// Play stays on the page's thread instead (a worker that cannot start or load, one that kept
// crashing, or workers turned off by `genplay.debug.noWorker()`), and the line that says so.
import { el } from "./controls.js";
import { runtime } from "./runtime.js";

/** Crashes in a row after which Play stays on the page's thread. */
const RETRIES = 3;

/**
 * @param {{ name: string, subject: string, className: string }} options `name` is the worker's
 * in messages ("training worker"), `subject` begins the note ("Training runs", "Play
 * iterates"); `className` styles it.
 */
export function workerHealth({ name, subject, className }) {
  let failures = 0;
  // Why Play stays on the page's thread; `forgivable` while only crashes put it there.
  let fallback = null;
  let forgivable = false;
  const note = el("p", { class: className, role: "status", hidden: true });

  const reason = () =>
    fallback ??
    (runtime.workers.disabled ? "workers are turned off (genplay.debug.noWorker())" : null);

  return {
    note,
    /** Why no worker may be used now, or null. */
    reason,
    /** No worker can be made here at all (`new Worker` threw). */
    cannotStart(error) {
      fallback = `this browser cannot start a worker (${error?.message ?? error})`;
      forgivable = false;
    },
    /** A run came back: the crashes in a row start again from 0. */
    ran() {
      failures = 0;
    },
    /**
     * The worker crashed (`loading`: its module could not load, which a new one would not
     * change); returns the message to show, which says whether a new worker goes on and `from`
     * where ("from iteration 120").
     */
    crashed(why, loading, from) {
      failures = loading ? RETRIES : failures + 1;
      if (failures >= RETRIES && !fallback) {
        fallback = loading
          ? `the worker could not load (${why})`
          : `the worker kept failing (${why})`;
        forgivable = !loading;
      }
      return fallback
        ? `The ${name} stopped (${why}); Play goes on here, ${from}.`
        : `The ${name} stopped (${why}); a new one goes on ${from}.`;
    },
    /** New data or settings: a worker that only kept crashing gets another chance. */
    forgive() {
      failures = 0;
      if (forgivable) fallback = null;
      forgivable = false;
    },
    /**
     * Shows the note: why Play stays on the page's thread, or else `otherwise` (null: nothing);
     * `relevant` false hides it (a run that would not use a worker anyway).
     */
    show(relevant = true, otherwise = null) {
      const why = relevant ? reason() : null;
      const text = why
        ? `${subject} on the page's own thread: ${why}.`
        : relevant
          ? otherwise
          : null;
      note.hidden = !text;
      if (text && note.textContent !== text) note.textContent = text;
    },
  };
}
