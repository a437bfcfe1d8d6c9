// The VAE lab in wasm in headless Chromium, default configuration (2-D latent, encoder and
// decoder 2×64 LeakyReLU, batch 256, Adam, β = 1) on the ring:
// - training speed through the lab's step(n): iterations per second, median of 9 timed batches
//   of 200 iterations after 200 warm-up ones;
// - playing at full speed ("max") with every layer on, for 3 s (benches/play.mjs): animation
//   frames per second, the longest gap between two, and the iterations per second achieved live
//   (in the training worker) while drawing all three views, against step(n)'s;
// - the peer: TensorFlow.js 4.22 on its wasm and cpu backends, the same networks (2 → 2×64
//   LeakyReLU 0.2 → μ, log σ² of a 2-D latent; 2 → 2×64 → 2 means, with two learned
//   log-variances), loss (the Gaussian negative log-likelihood plus the closed-form KL, averaged
//   over the batch) and Adam, in the same page session, interleaved with genplay's runs (5 rounds
//   of genplay 200 iterations, TF.js wasm 20 and cpu 5; medians). TF.js gets a ready-made batch
//   and draws only ε; genplay draws both in each step. (The 64-32-2 network is not a shape
//   the lab builds: its hidden layers share one width.)
import { measurePlay, logPlay } from "../play.mjs";
import { tfjsInstalled, loadTfjs } from "../tfjs.mjs";

const WARM_UP = 200;
const BATCH = 200;
const BATCHES = 9;
const PLAY_MS = 3000;
const ROUNDS = 5;
const TF_STEPS = { wasm: 20, cpu: 5 };

export async function bench({ open, log, compare }) {
  // Without the Content-Security-Policy, for TensorFlow.js (see benches/tfjs.mjs).
  const { page, close } = await open("#/vae", { bypassCSP: true });
  const speed = await page.evaluate(
    ({ WARM_UP, BATCH, BATCHES }) => {
      const vae = window.genplay.labs.vae;
      vae.reset(1);
      vae.step(WARM_UP);
      const rates = [];
      for (let i = 0; i < BATCHES; i++) {
        const t = performance.now();
        vae.step(BATCH);
        rates.push((BATCH * 1000) / (performance.now() - t));
      }
      rates.sort((a, b) => a - b);
      return { median: rates[Math.floor(BATCHES / 2)], config: vae.snapshot().config };
    },
    { WARM_UP, BATCH, BATCHES },
  );
  const c = speed.config;
  if (
    c.hidden_units !== 64 ||
    c.hidden_layers !== 2 ||
    c.batch_size !== 256 ||
    c.latent_dim !== 2 ||
    c.beta !== 1
  )
    throw new Error(`unexpected configuration: ${JSON.stringify(c)}`);
  log(
    "vae_iterations_per_s_wasm",
    Math.round(speed.median),
    "it/s",
    `default: latent 2, 2×64 encoder and decoder, batch 256, Adam; median of ${BATCHES}×${BATCH}`,
  );

  if (!tfjsInstalled()) {
    log(
      "vae_iterations_per_s_tfjs",
      "–",
      "it/s",
      "TensorFlow.js not installed (scripts/bench.sh installs it)",
    );
  } else {
    const version = await loadTfjs(page);
    const peer = await tfjsPeer(page);
    for (const backend of ["wasm", "cpu"])
      compare({
        name: `vae_iterations_per_s_vs_tfjs_${backend}`,
        workload: "VAE step on points, latent 2, 2×64, batch 256, Adam",
        genplay: peer.genplay,
        peer: `TensorFlow.js ${version} ${backend}`,
        theirs: peer[backend],
        unit: "it/s",
      });
  }

  await page.evaluate(() => {
    const vae = window.genplay.labs.vae;
    vae.reset(1);
    vae.set("speed", "max");
  });
  logPlay(log, "vae", await measurePlay(page, "vae", PLAY_MS), speed.median);
  await close();
}

/** TF.js's wasm and cpu backends against genplay's step(n), interleaved; resolves to the
 * medians of the three. */
function tfjsPeer(page) {
  return page.evaluate(
    async ({ ROUNDS, TF_STEPS, BATCH }) => {
      const tf = window.tf;
      const [rows, latent] = [256, 2];
      const { mlp } = window.peer;
      /** One VAE iteration on the current backend, built there. */
      const build = () => {
        const encoder = mlp([2, 64, 64, 2 * latent]);
        const decoder = mlp([latent, 64, 64, 2]);
        const logVariance = tf.variable(tf.fill([2], -4.6));
        const optimizer = tf.train.adam(3e-3);
        const x = tf.randomNormal([rows, 2]);
        const vars = [...encoder.vars, ...decoder.vars, logVariance];
        return () =>
          tf.tidy(() => {
            const eps = tf.randomNormal([rows, latent]);
            const cost = optimizer.minimize(
              () => {
                const encoded = encoder.apply(x);
                const mean = encoded.slice([0, 0], [rows, latent]);
                const logVar = encoded.slice([0, latent], [rows, latent]);
                const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
                const d = tf.sub(x, decoder.apply(z));
                // −log N(x; m, s²) per point, without its constant, and KL(q ‖ N(0, I)).
                const nll = tf.mul(
                  0.5,
                  tf.sum(tf.add(tf.div(tf.square(d), tf.exp(logVariance)), logVariance), 1),
                );
                const kl = tf.mul(
                  0.5,
                  tf.sum(tf.sub(tf.add(tf.square(mean), tf.exp(logVar)), tf.add(logVar, 1)), 1),
                );
                return tf.mean(tf.add(nll, kl));
              },
              true,
              vars,
            );
            return cost.dataSync()[0];
          });
      };
      return window.peer.interleave(window.genplay.labs.vae, build, {
        rounds: ROUNDS,
        steps: BATCH,
        theirs: TF_STEPS,
      });
    },
    { ROUNDS, TF_STEPS, BATCH },
  );
}
