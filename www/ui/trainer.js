// What every lab that trains shares (the GAN and the VAE, later the diffusion lab): Play within
// the frame's compute budget, a link's iterations replayed over the next frames, the meter of
// iterations per second, and the divergence box with its own Reset.
//
// The lab's handle must have `step(n)` (train n iterations; a divergence stops training and is
// recorded, not thrown), `advance(n)`, `progress()` and `diverged()` (the message, or undefined).
//
// On the GPU (`core.onGpu`) nothing may wait for the GPU: each frame starts at most one run of
// iterations (`core.step(n)`, a Promise) and never a second while one is on its way; the page
// draws from the last read-back meanwhile. "max" sizes each run so that it takes about a frame.
import { el, button } from "./controls.js";

/** The time a run of iterations on the GPU aims at when Play is at "max", in ms. */
const GPU_FRAME_MS = 16;
/** The most iterations one run on the GPU may hold (its numbers are drawn on the CPU first). */
const GPU_MAX_CHUNK = 2000;

/**
 * @param {{ core: object, app: object, chunk?: number, unit?: string }} options
 * `chunk`: iterations per call into wasm while playing at full speed on the CPU (a few keep the
 * per-call overhead small; one keeps the frame budget exact).
 */
export function trainer({ core, app, chunk = 1, unit = "iterations" }) {
  const lab = core.lab;
  let replayLeft = 0;
  let meter = { at: performance.now(), count: lab.progress(), perSecond: 0 };
  // On the GPU: the run on its way (a Promise) or null, whether one landed since the last frame,
  // and how many iterations the next "max" run holds (it adapts to the time the last one took).
  let inFlight = null;
  let landed = false;
  let gpuChunk = 1;

  const alarm = el("div", { class: "train-alarm", role: "alert", hidden: true });

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
    /** Restarts the meter (when Play starts). */
    restartMeter() {
      meter = { at: performance.now(), count: lab.progress(), perSecond: 0 };
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
      if (playing && play) {
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
