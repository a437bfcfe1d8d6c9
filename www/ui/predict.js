// Predict, then reveal: one question per lab, asked in the course text before the lab shows the
// answer. The student picks an option; this module then sets the lab up through its public API
// (window.genplay.labs.<lab>, the same object the tests and the console use), runs the step the
// question is about, reads the lab's snapshots before and after, and says which option held,
// with the numbers. It owns the questions' logic; their words are in the course texts
// (ui.predict.questions.<id>: the question, its options and the explanation).
import { el } from "./controls.js";

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** `n` steps in chunks, yielding to the page between them, so a long run does not freeze it. */
async function steps(lab, n, chunk = 100) {
  for (let done = 0; done < n; done += chunk) {
    await lab.step(Math.min(chunk, n - done));
    await new Promise((next) => setTimeout(next));
  }
}

/**
 * The questions: the lab, the course section that asks it, the order the options are shown in
 * (so that the right answer is not always the first), and `run(lab)`, which sets the lab
 * up, runs the step and resolves to `{held, numbers}`: the index of the option that came true and the
 * values the explanation quotes.
 */
export const QUESTIONS = [
  {
    id: "coin",
    lab: "coin",
    order: [1, 0, 2],
    section: "basics",
    async run(lab) {
      lab.set("p", 0.3);
      lab.set("batch_n", 10);
      lab.reset(42);
      await lab.step(100);
      const { frequency, n_flips } = lab.snapshot();
      const gap = Math.abs(frequency - 0.3);
      return {
        held: gap < 1e-12 ? 1 : gap < 0.05 ? 0 : 2,
        numbers: { frequency, flips: n_flips, sd: Math.sqrt((0.3 * 0.7) / n_flips) },
      };
    },
  },
  {
    id: "joint",
    lab: "joint",
    order: [1, 2, 0],
    section: "two-coins",
    async run(lab) {
      lab.set("p_x", 0.3);
      lab.set("p_y_given_x", [0.9, 0.2]);
      const before = lab.snapshot().mutual_information_bits;
      lab.set("p_y_given_x", [0.4, 0.4]);
      const after = lab.snapshot().mutual_information_bits;
      return { held: Math.abs(after) < 1e-12 ? 0 : 1, numbers: { before, after } };
    },
  },
  {
    id: "gaussian",
    lab: "gaussian",
    order: [2, 1, 0],
    section: "q6",
    async run(lab) {
      for (const [name, value] of Object.entries({
        mu_x: 0,
        mu_y: 0,
        sigma_x: 1.5,
        sigma_y: 1,
        rho: 0.7,
        x0: 0,
      }))
        lab.set(name, value);
      const before = lab.snapshot().conditional_mean;
      lab.set("x0", 2);
      const after = lab.snapshot().conditional_mean;
      const moved = after - before;
      const held =
        Math.abs(moved - (0.7 / 1.5) * 2) < 1e-9 ? 0 : Math.abs(moved - 2) < 1e-9 ? 1 : 2;
      return { held, numbers: { before, after, moved } };
    },
  },
  {
    id: "em",
    lab: "em",
    order: [1, 2, 0, 3],
    section: "q5",
    async run(lab) {
      lab.set("preset", "blobs");
      lab.set("k", 3);
      lab.reset(7);
      await lab.step(1); // the first E-step: the responsibilities the M-step will use
      const before = lab.snapshot().means[0];
      const points = lab.points();
      // The M-step's mean for component 1, worked out here from the E-step's responsibilities.
      let total = 0;
      const sum = [0, 0];
      for (const [x, y] of points) {
        const r = lab.inspect(x, y).responsibilities[0];
        total += r;
        sum[0] += r * x;
        sum[1] += r * y;
      }
      const weighted = [sum[0] / total, sum[1] / total];
      const nearest = points.reduce((best, p) =>
        Math.hypot(p[0] - before[0], p[1] - before[1]) <
        Math.hypot(best[0] - before[0], best[1] - before[1])
          ? p
          : best,
      );
      await lab.step(1); // the M-step
      const after = lab.snapshot().means[0];
      const near = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]) < 1e-6;
      const held = near(after, weighted)
        ? 0
        : near(after, nearest)
          ? 1
          : near(after, before)
            ? 2
            : 3;
      return { held, numbers: { before, after, weighted, points: points.length } };
    },
  },
  {
    id: "gan",
    lab: "gan",
    order: [1, 0, 2],
    section: "gan",
    async run(lab) {
      lab.set("preset", "healthy");
      lab.set("target", "ring");
      lab.reset(7);
      await lab.step(10); // the distance is measured every 10 iterations
      const before = lab.snapshot().distance;
      await steps(lab, 1490);
      const after = lab.snapshot().distance;
      const held = after < 0.8 * before ? 0 : after > 1.25 * before ? 2 : 1;
      return { held, numbers: { before, after } };
    },
  },
  {
    id: "vae",
    lab: "vae",
    order: [1, 2, 0],
    section: "vae",
    async run(lab) {
      lab.set("target", "ring");
      lab.set("beta", 20);
      lab.reset(1);
      await steps(lab, 1000);
      const s = lab.snapshot();
      const spread = mean(s.latent_std_devs.flat());
      const distance = mean(s.latent_means.map((m) => Math.hypot(...m)));
      const held = spread > 0.8 && distance < 0.3 ? 0 : spread < 0.5 ? 1 : 2;
      return { held, numbers: { spread, distance, kl: s.kl } };
    },
  },
  {
    id: "diffusion",
    lab: "diffusion",
    order: [1, 0, 2],
    section: "q2",
    async run(lab) {
      lab.set("target", "ring");
      lab.set("objective", "ddpm");
      lab.set("schedule", "cosine");
      lab.set("timesteps", 100);
      lab.set("t", 100);
      const { mean_factor, forward_samples } = lab.snapshot();
      const spread = Math.sqrt(mean(forward_samples.map(([x, y]) => (x * x + y * y) / 2)));
      const held = mean_factor < 0.01 && Math.abs(spread - 1) < 0.15 ? 0 : spread < 0.3 ? 2 : 1;
      return { held, numbers: { mean: mean_factor, spread } };
    },
  },
  {
    id: "classify",
    lab: "classify",
    order: [1, 0, 2],
    section: "q6",
    async run(lab) {
      lab.set("preset", "different_covariances");
      lab.set("family", "qda");
      const qda = lab.snapshot().covariances;
      lab.set("family", "lda");
      const lda = lab.snapshot().covariances;
      const gap = (c) => Math.max(...c[0].flat().map((v, i) => Math.abs(v - c[1].flat()[i])));
      return { held: gap(lda) < 1e-12 ? 0 : 1, numbers: { qdaGap: gap(qda), ldaGap: gap(lda) } };
    },
  },
];

/**
 * The form for one question, in the course's words. Pressing "Check in the lab" (or Enter on a
 * chosen option) runs the lab's step and writes whether the prediction held.
 */
export function predictForm(question, words, labName) {
  const text = words.questions[question.id];
  const name = `predict-${question.id}-choice`;
  const verdict = el("div", { class: "predict-verdict", "aria-live": "polite" });
  const form = el(
    "form",
    {
      class: "predict",
      id: `predict-${question.id}`,
      "data-predict": question.id,
      "data-lab": question.lab,
      onsubmit: async (event) => {
        event.preventDefault();
        const chosen = form.querySelector(`input[name="${name}"]:checked`);
        if (!chosen) {
          verdict.replaceChildren(el("p", {}, words.pickFirst));
          return;
        }
        const lab = window.genplay?.labs?.[question.lab];
        if (!lab) {
          verdict.replaceChildren(el("p", {}, words.notLoaded));
          return;
        }
        const button = form.querySelector("button");
        button.disabled = true;
        verdict.replaceChildren(el("p", {}, words.running(labName)));
        // Let the page draw "running" before a step that may take a second or two.
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
        let result;
        try {
          result = await question.run(lab);
        } catch (error) {
          verdict.replaceChildren(el("p", {}, String(error.message ?? error)));
          return;
        } finally {
          button.disabled = false;
        }
        const { held, numbers } = result;
        const right = Number(chosen.value) === held;
        form.dataset.held = String(held);
        form.dataset.right = String(right);
        verdict.replaceChildren(
          el(
            "p",
            { class: right ? "predict-right" : "predict-wrong" },
            right ? words.held : words.missed,
          ),
          el("p", {}, text.explain(numbers, text.options[held])),
          el(
            "p",
            {},
            el("a", { href: `#/${question.lab}`, "data-lab": question.lab }, words.open(labName)),
          ),
        );
      },
    },
    el(
      "fieldset",
      {},
      el("legend", {}, el("strong", {}, `${words.title}: `), text.question),
      ...question.order.map((i) =>
        el(
          "label",
          { class: "predict-option" },
          el("input", { type: "radio", name, value: String(i) }),
          " ",
          text.options[i],
        ),
      ),
      el("button", { type: "submit", class: "btn primary" }, words.check(labName)),
    ),
    verdict,
  );
  return form;
}
