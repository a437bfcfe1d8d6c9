// What every lab that trains shares (the GAN and the VAE, later the diffusion lab): Play within
// the frame's compute budget, a link's iterations replayed over the next frames, the meter of
// iterations per second, and the divergence box with its own Reset.
//
// The lab's handle must have `step(n)` (train n iterations; a divergence stops training and is
// recorded, not thrown), `advance(n)`, `progress()` and `diverged()` (the message, or undefined).
import { el, button } from "./controls.js";

/**
 * @param {{ core: object, app: object, chunk?: number, unit?: string }} options
 * `chunk`: iterations per call into wasm while playing at full speed (a few keep the per-call
 * overhead small; one keeps the frame budget exact).
 */
export function trainer({ core, app, chunk = 1, unit = "iterations" }) {
  const lab = core.lab;
  let replayLeft = 0;
  let meter = { at: performance.now(), count: lab.progress(), perSecond: 0 };

  const alarm = el("div", { class: "train-alarm", role: "alert", hidden: true });

  const t = {
    alarm,
    /** Iterations a link still asks for. */
    get replaying() {
      return replayLeft;
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
     * per frame or "max" for as many as fit. Returns whether any iteration ran; stops Play when
     * training diverges.
     */
    frame(deadline, message, { play = true } = {}) {
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
        const now = performance.now();
        if (now - meter.at > 500) {
          const count = lab.progress();
          meter = {
            at: now,
            count,
            perSecond: ((count - meter.count) * 1000) / (now - meter.at),
          };
        }
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
