// What a screen reader hears as a lab runs: one polite live region for the whole page, into which
// the shell puts one short sentence about the visible lab when its run moves ("E-step done: lower
// bound −2.314", "iteration 500: distance 0.041"). A burst of steps (a key held down) is one
// sentence, said once the steps stop; while a lab plays it speaks at most every ten seconds, so
// the reader hears the run without being flooded.
import { el } from "./controls.js";

/** How long the run must rest after a change before it is announced, in ms. */
const SETTLE_MS = 400;
/** The least time between two announcements while a lab plays, in ms. */
const PLAYING_EVERY_MS = 10_000;

const number = (x, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? "not yet known"
    : x.toFixed(digits).replace("-", "−");
const last = (list) => list?.[list.length - 1];
const percent = (x) =>
  x === null || x === undefined ? "not yet known" : `${(100 * x).toFixed(1)}%`;

/** The label the schema gives a choice's value. */
const choiceLabel = (core, name, value) =>
  core.entries[name]?.choices?.find((c) => c.value === value)?.label ?? String(value);

/** One sentence per lab about where its run is, from its snapshot. */
const SENTENCES = {
  coin: (s) => `${s.n_flips} flips: ${s.heads} heads, frequency ${number(s.frequency)}`,
  joint: (s) =>
    `${s.n_samples} pairs sampled; mutual information ${number(s.mutual_information_bits, 4)} bits`,
  gaussian: (s) =>
    `${s.n_samples} samples: ${percent(s.inside_1_sigma)} inside the 1σ ellipse, ` +
    `${percent(s.inside_2_sigma)} inside 2σ`,
  em: (s) => {
    if (s.problem) return `EM is not running: ${s.problem}`;
    if (s.half_steps === 0) return "EM is at its start: no E-step yet";
    const done = s.next_half_step === "M" ? "E-step" : "M-step";
    const state = s.converged ? ", converged" : "";
    return `${done} done, iteration ${s.n_iter}: lower bound ${number(last(s.lower_bound_history))}${state}`;
  },
  gan: (s) =>
    s.diverged
      ? `Training stopped: ${s.diverged}`
      : `iteration ${s.iteration}: distance ${number(s.distance)}, ` +
        `D loss ${number(s.d_loss)}, G loss ${number(s.g_loss)}`,
  vae: (s) =>
    s.diverged
      ? `Training stopped: ${s.diverged}`
      : `iteration ${s.iteration}: ELBO ${number(s.elbo)}, reconstruction ${number(s.reconstruction)}, ` +
        `KL ${number(s.kl)}`,
  diffusion: (s) =>
    s.diverged
      ? `Training stopped: ${s.diverged}`
      : `iteration ${s.iteration}: loss ${number(last(s.loss_history))}` +
        (s.distance_history?.length ? `, distance ${number(last(s.distance_history))}` : ""),
  classify: (s, core) =>
    `${choiceLabel(core, "family", s.family)} fitted to ${s.n_points} points: accuracy ${percent(s.accuracy)}` +
    (s.logistic_steps ? `; logistic regression after ${s.logistic_steps} steps` : ""),
};

/**
 * A lab without its own sentence (a new one) says how far its run is, and its distance to the
 * target if it has one.
 */
function anySentence(s) {
  const distance = last(s.distance_history);
  const where = s.iteration !== undefined ? `iteration ${s.iteration}` : "the run moved";
  return distance === undefined ? where : `${where}: distance ${number(distance)}`;
}

/**
 * The live region, and `check(lab, labTitle)`, called every frame with the visible lab (or null)
 * and its menu title.
 */
export function announcer() {
  const region = el("p", {
    id: "announcer",
    class: "visually-hidden",
    role: "status",
    "aria-live": "polite",
  });
  document.body.append(region);
  let watched = null; // {name, progress, changedAt, spokenAt, pending}
  let title = "";
  const say = (lab) => {
    const snapshot = lab.core.lab.snapshot();
    const sentence = (SENTENCES[lab.name] ?? anySentence)(snapshot, lab.core);
    region.textContent = `${title}: ${sentence}.`;
  };
  return {
    region,
    check(lab, labTitle, now = performance.now()) {
      title = labTitle;
      if (!lab?.core) {
        watched = null;
        return;
      }
      const progress = lab.core.lab.progress();
      if (watched?.name !== lab.name) {
        // A lab just shown is described by its own page; only what happens next is spoken.
        watched = { name: lab.name, progress, changedAt: now, spokenAt: now, pending: false };
        return;
      }
      if (progress !== watched.progress) {
        watched.progress = progress;
        watched.changedAt = now;
        watched.pending = true;
      }
      if (!watched.pending) return;
      const playing = lab.core.values.playing === true;
      const due = playing
        ? now - watched.spokenAt >= PLAYING_EVERY_MS
        : now - watched.changedAt >= SETTLE_MS;
      if (!due) return;
      watched.pending = false;
      watched.spokenAt = now;
      say(lab);
    },
  };
}
