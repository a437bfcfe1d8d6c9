// The VAE lab's narrated step: one training iteration (the same as a Step's) followed through
// the first example of its batch, told in five parts the student steps through: encode, sample
// ε, decode, the two loss terms, update. The numbers are the iteration's own (from the lab's
// `narrated_step`); for images the example and its decoding are drawn beside the text.
import { el, button } from "../ui/controls.js";
import { textView } from "../ui/lab.js";
import { mosaic } from "./vae-images.js";

const PARTS = ["Encode", "Sample ε", "Decode", "The two loss terms", "Update"];

const number = (v) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3)).replace("-", "−");
const vector = (xs) => `(${Array.from(xs, number).join(", ")})`;

/** The narration panel; `run()` makes the lab take a narrated step and returns its trace. */
export function narration({ run }) {
  const list = el("ol", { class: "vae-narrate", "aria-live": "polite" });
  const canvas = (label) => el("canvas", { class: "mosaic", role: "img", "aria-label": label });
  const original = canvas("The batch's first image");
  const decoded = canvas("Its decoding");
  const pictures = el(
    "div",
    { class: "vae-narrate-pictures" },
    el("figure", {}, original, el("figcaption", {}, "x")),
    el("figure", {}, decoded, el("figcaption", {}, "x̂, decoded")),
  );
  let trace = null;
  let size = null;
  let part = 0;
  const next = button("Next part", () => show(part + 1), {
    title: "Tell the next part of the iteration",
  });
  const start = button("Narrated step", () => {
    const got = run();
    if (got) ({ trace, size } = got);
    show(0);
  });
  const root = textView(
    "One training step, narrated",
    "vae-narration",
    el(
      "p",
      { class: "hint" },
      "“Narrated step” trains one iteration, as “One iteration” does, then tells it part by " +
        "part for the first example of its batch.",
    ),
    el("div", { class: "buttons" }, start, next),
    list,
    pictures,
  );

  function text(i) {
    const t = trace;
    const image = size !== null;
    switch (i) {
      case 0:
        return `The batch's first example x goes through the encoder: μ(x) = ${vector(t.mean)} and σ(x) = ${vector(t.std_dev)}, the Gaussian q(z | x) it is encoded to.`;
      case 1:
        return `ε = ${vector(t.noise)} is drawn from N(0, I), and z = μ + σ·ε = ${vector(t.z)}: written this way (the reparameterisation), z moves smoothly with μ and σ, so the gradient reaches the encoder.`;
      case 2:
        return image
          ? "The decoder maps z to the image x̂ (right): the mean of p(x | z), one Bernoulli probability per pixel."
          : `The decoder maps z to x̂ = ${vector(t.decoded)}, the mean of p(x | z), next to x = ${vector(t.x)}.`;
      case 3:
        return `Over the whole batch: the reconstruction term E[log p(x | z)] = ${number(t.reconstruction)} and KL(q(z | x) ‖ N(0, I)) = ${number(t.kl)} (both per example). Training minimises −reconstruction + β·KL = ${number(t.loss)}, with β = ${number(t.beta)}.`;
      default:
        return `Backpropagation gives the loss's gradient (its norm: ${number(t.encoder_grad_norm)} for the encoder, ${number(t.decoder_grad_norm)} for the decoder), and Adam moves every weight a little against it. Iteration ${t.iteration} is done.`;
    }
  }

  function show(i) {
    part = Math.min(i, PARTS.length - 1);
    next.disabled = !trace || part >= PARTS.length - 1;
    list.replaceChildren(
      ...(trace
        ? PARTS.slice(0, part + 1).map((name, k) =>
            el(
              "li",
              { class: k === part ? "current" : "" },
              el("strong", {}, `${name}. `),
              text(k),
            ),
          )
        : []),
    );
    pictures.style.display = trace && size ? "" : "none";
    if (trace && size) {
      mosaic(original, trace.x, size, 1, 1);
      // The decoding appears with its part.
      mosaic(decoded, part >= 2 ? trace.decoded : new Float32Array(size[0] * size[1]), size, 1, 1);
    }
  }
  show(0);

  return {
    root,
    /** Forgets the narrated iteration (the run was rebuilt). */
    clear() {
      trace = null;
      show(0);
    },
  };
}
