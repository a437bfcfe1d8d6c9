// The VAE on images in wasm in headless Chromium, the speed goal: 28×28 glyphs, a
// 784-256-2 encoder (784 → 256 LeakyReLU → μ, log σ² of a 2-D latent) and its mirrored decoder
// (2 → 256 LeakyReLU → 784 Bernoulli logits), batch 64, Adam:
// - steps per second through the lab's step(n), median of 7 timed runs of 100 iterations;
// - the peer: TensorFlow.js 4.22 on its wasm backend (SIMD, no threads: the page is not
//   cross-origin isolated), the same networks, loss (binary cross-entropy on the logits summed
//   over pixels, plus the closed-form KL, averaged over the batch) and optimizer, in the same
//   page session, interleaved with genplay's runs (5 rounds of genplay 100 steps, then TF.js 10
//   steps; medians). TF.js gets a ready-made batch and draws only ε; genplay draws its batch of
//   glyphs and ε inside each step. The goal: genplay at least 12× TF.js;
// - playing at full speed on that network (benches/play.mjs): frames per second, the
//   iterations trained live in the worker, and the latency of key presses and clicks.
// TF.js is loaded from node_modules into the page (benches/tfjs.mjs).
import { measurePlay, logPlay, logInputLatency } from "../play.mjs";
import { tfjsInstalled, loadTfjs } from "../tfjs.mjs";

export const LINK =
  "#/vae?target=glyphs&hidden_layers=1&hidden_units=256&latent_dim=2&batch_size=64&learning_rate=0.001";
const RUNS = 7;
const STEPS = 100;
const ROUNDS = 5;
const TF_STEPS = 10;
const GOAL = 12;
const PLAY_MS = 3000;

export async function bench({ open, log, compare }) {
  // Without the Content-Security-Policy, for TensorFlow.js (see benches/tfjs.mjs).
  const { page, close } = await open(LINK, { bypassCSP: true });
  const figures = await page.evaluate(
    ({ RUNS, STEPS }) => {
      const lab = window.genplay.labs.vae;
      const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const rates = [];
      for (let i = 0; i < RUNS; i++) {
        lab.reset(1);
        lab.step(1);
        const t = performance.now();
        lab.step(STEPS);
        rates.push((STEPS * 1000) / (performance.now() - t));
      }
      return { steps: median(rates), config: lab.snapshot().config };
    },
    { RUNS, STEPS },
  );
  const c = figures.config;
  if (
    c.target !== "glyphs" ||
    c.hidden_units !== 256 ||
    c.hidden_layers !== 1 ||
    c.batch_size !== 64
  )
    throw new Error(`unexpected configuration: ${JSON.stringify(c)}`);
  log(
    "vae_images_steps_per_s_wasm",
    Math.round(figures.steps),
    "it/s",
    `glyphs 28×28, 784-256-2 encoder and decoder, batch 64, Adam; median of ${RUNS}×${STEPS}`,
  );
  if (!tfjsInstalled()) {
    log(
      "vae_images_steps_per_s_tfjs_wasm",
      "–",
      "it/s",
      "TensorFlow.js not installed (scripts/bench.sh installs it)",
    );
  } else {
    const peer = await tfjsPeer(page);
    log(
      "vae_images_steps_per_s_tfjs_wasm",
      peer.tf.toFixed(1),
      "it/s",
      `TensorFlow.js ${peer.version} wasm backend, same networks and loss; median of ${ROUNDS}×${TF_STEPS}`,
    );
    compare({
      name: "vae_images_steps_per_s_interleaved",
      workload: "image VAE step, 784-256-2, glyphs, batch 64, Adam",
      genplay: peer.genplay,
      peer: `TensorFlow.js ${peer.version} wasm`,
      theirs: peer.tf,
      unit: "it/s",
      goal: GOAL,
    });
  }
  await page.evaluate(() => window.genplay.labs.vae.set("speed", "max"));
  logPlay(log, "vae_images", await measurePlay(page, "vae", PLAY_MS), figures.steps);
  await logInputLatency(page, log, "vae");
  await close();
}

/** TF.js's wasm backend against genplay's step, interleaved; resolves to medians of both. */
async function tfjsPeer(page) {
  const version = await loadTfjs(page);
  const figures = await page.evaluate(
    async ({ ROUNDS, TF_STEPS, STEPS }) => {
      const tf = window.tf;
      const [B, D, H, L] = [64, 784, 256, 2];
      const build = () => {
        const dense = (inputs, units) => tf.layers.dense({ units, inputShape: [inputs] });
        const encoder = [dense(D, H), dense(H, 2 * L)];
        const decoder = [dense(L, H), dense(H, D)];
        const run = ([hidden, out], x) => out.apply(tf.leakyRelu(hidden.apply(x), 0.2));
        // The layers make their weights on first use: before minimize(), which trains them.
        tf.tidy(() => [run(encoder, tf.zeros([1, D])), run(decoder, tf.zeros([1, L]))]);
        // A batch of grey levels in [0, 1], ready-made.
        const x = tf.randomUniform([B, D]);
        const optimizer = tf.train.adam(1e-3);
        const loss = () => {
          const encoded = run(encoder, x);
          const mean = encoded.slice([0, 0], [B, L]);
          const logVariance = encoded.slice([0, L], [B, L]);
          const z = mean.add(tf.exp(logVariance.mul(0.5)).mul(tf.randomNormal([B, L])));
          const logits = run(decoder, z);
          // Binary cross-entropy on the logits: softplus(l) − x·l, summed over the pixels.
          const bce = tf.sum(tf.softplus(logits).sub(x.mul(logits)));
          const kl = tf.sum(
            tf.square(mean).add(tf.exp(logVariance)).sub(1).sub(logVariance).mul(0.5),
          );
          return bce.add(kl).div(B);
        };
        return () => tf.tidy(() => optimizer.minimize(loss, true).dataSync()[0]);
      };
      return window.peer.interleave(window.genplay.labs.vae, build, {
        rounds: ROUNDS,
        steps: STEPS,
        theirs: { wasm: TF_STEPS },
      });
    },
    { ROUNDS, TF_STEPS, STEPS },
  );
  return { genplay: figures.genplay, tf: figures.wasm, version };
}
