// The transport bar every lab shares: Play/Pause, Step, Reset, a speed slider and the seed.
// Keyboard: Space plays or pauses, S steps, R resets (when focus is not in a text field).
import { el, button, slider } from "./controls.js";

/**
 * @param {{
 *   speeds: number[], speedIndex: number, speedLabel: (v: number) => string,
 *   stepLabel: string, seed: number,
 *   onPlay: (playing: boolean) => void, onStep: () => void, onReset: (seed: number) => void,
 *   onSpeed: (value: number) => void, randomSeed: () => number,
 * }} options
 * A seed that is not allowed (an empty box reads as NaN) goes to `onReset` all the same: the
 * lab refuses it with the message that says what is allowed.
 */
export function transport(options) {
  let playing = false;
  const play = button("▶ Play", () => setPlaying(!playing), { key: "Space", kind: "primary" });
  play.setAttribute("aria-pressed", "false");
  const step = button(options.stepLabel, () => options.onStep(), { key: "S" });
  const reset = button("↺ Reset", () => resetWith(readSeed()), { key: "R" });
  const speed = slider({
    name: "speed",
    label: "Speed",
    min: 0,
    max: options.speeds.length - 1,
    step: 1,
    value: options.speedIndex,
    format: (i) => options.speedLabel(options.speeds[i]),
    onInput: (i) => options.onSpeed(options.speeds[i]),
  });
  const seedId = `seed-${Math.random().toString(36).slice(2, 8)}`;
  const seedInput = el("input", {
    id: seedId,
    type: "number",
    min: options.seedMin ?? 0,
    max: options.seedMax ?? 4294967295,
    step: 1,
    value: options.seed,
    inputmode: "numeric",
    "data-param": "seed",
  });
  seedInput.addEventListener("change", () => resetWith(readSeed()));
  const dice = button("Random", () => resetWith(options.randomSeed()), {
    title: "Pick a new random seed and start a new run",
  });

  function readSeed() {
    return seedInput.value.trim() === "" ? NaN : Number(seedInput.value);
  }

  function resetWith(seed) {
    if (Number.isFinite(seed)) seedInput.value = seed;
    options.onReset(seed);
  }

  function showPlaying(next) {
    playing = next;
    play.textContent = playing ? "‖ Pause" : "▶ Play";
    play.setAttribute("aria-pressed", String(playing));
  }

  function setPlaying(next) {
    showPlaying(next);
    options.onPlay(playing);
  }

  const root = el(
    "div",
    { class: "transport", role: "group", "aria-label": "Run controls" },
    el("div", { class: "buttons" }, play, step, reset),
    speed.root,
    el(
      "div",
      { class: "control seed" },
      el("label", { for: seedId }, "Seed"),
      el("div", { class: "seed-row" }, seedInput, dice),
    ),
  );

  return {
    root,
    get playing() {
      return playing;
    },
    setPlaying,
    showSeed(seed) {
      seedInput.value = seed;
    },
    showSpeed(index) {
      speed.show(index);
    },
    /** Shows a lab's run settings (`seed`, `speed`, `playing`) without firing any callback. */
    show(values) {
      if ("seed" in values) seedInput.value = values.seed;
      if ("speed" in values) speed.show(options.speeds.indexOf(values.speed));
      if ("playing" in values) showPlaying(values.playing);
    },
    /** Global shortcuts, dispatched by the app to the visible lab. */
    handleKey(event) {
      const k = event.key.toLowerCase();
      if (k === " ") setPlaying(!playing);
      else if (k === "s") options.onStep();
      else if (k === "r") resetWith(readSeed());
      else return false;
      return true;
    },
  };
}
