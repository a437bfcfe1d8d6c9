// The GAN lab in wasm in headless Chromium, default configuration (2×64 LeakyReLU networks,
// batch 256, one D and one G step per iteration, Adam) on the ring:
// - training speed through the lab's step(n): iterations per second, median of 9 timed batches
//   of 200 iterations after 200 warm-up ones (goal ≥ 600 it/s; the core runs 740–860 it/s natively);
// - playing at full speed ("max") with every layer on, for 3 s (benches/play.mjs): animation
//   frames per second, the iterations per second achieved live (in the training worker) against
//   step(n)'s, and the longest gap between two frames;
// - input latency while playing: from a real key press or mouse click (event.timeStamp) to its
//   handler running, median and worst of 20 each;
// - the peers: TensorFlow.js 4.22 on its wasm backend (SIMD, no threads: the page is not
//   cross-origin isolated) and on its cpu backend (plain JavaScript), the same networks (2 → 2×64
//   LeakyReLU 0.2 → 2 and 2 → 2×64 → 1), non-saturating loss, Adam (β₁ 0.5), batch 256, one D and
//   one G step per iteration with the losses read back, in the same page session, interleaved
//   with genplay's runs (5 rounds of genplay 200 iterations, TF.js wasm 20 and cpu 5; medians).
//   TF.js gets a ready-made real batch and draws only its noise; genplay draws both in each step.
//   The goal: genplay at least 12× TF.js's wasm backend. Then, in rounds of their own, TF.js's
//   webgpu backend (5 steps a round) where the browser has WebGPU (headless Chromium here:
//   SwiftShader, a software adapter, so its figure shows the path, not a GPU's speed).
import { readFileSync } from "node:fs";
import { measurePlay, logPlay, logInputLatency } from "../play.mjs";
import { tfjsInstalled, loadTfjs, tfjsWebgpu } from "../tfjs.mjs";

const WARM_UP = 200;
const BATCH = 200;
const BATCHES = 9;
const PLAY_MS = 3000;
const INPUTS = 20;

/** PyTorch's figure, left by benches/peers/gan_torch.py earlier in the same bench run. */
function torchItsPerSecond() {
  try {
    return Number(
      readFileSync(new URL("../../target/gan_bench/torch_its.txt", import.meta.url), "utf8"),
    );
  } catch {
    return null;
  }
}

const ROUNDS = 5;
const TF_STEPS = { wasm: 20, cpu: 5 };

export async function bench({ open, log, compare }) {
  // Without the Content-Security-Policy, for TensorFlow.js (see benches/tfjs.mjs).
  const { page, close } = await open("#/gan", { bypassCSP: true });
  const speed = await page.evaluate(
    ({ WARM_UP, BATCH, BATCHES }) => {
      const gan = window.genplay.labs.gan;
      gan.reset(1);
      gan.step(WARM_UP);
      const rates = [];
      for (let i = 0; i < BATCHES; i++) {
        const t = performance.now();
        gan.step(BATCH);
        rates.push((BATCH * 1000) / (performance.now() - t));
      }
      rates.sort((a, b) => a - b);
      const c = gan.snapshot().config;
      return { median: rates[Math.floor(BATCHES / 2)], config: c };
    },
    { WARM_UP, BATCH, BATCHES },
  );
  const c = speed.config;
  if (
    c.hidden_units !== 64 ||
    c.hidden_layers !== 2 ||
    c.batch_size !== 256 ||
    c.optimizer !== "adam"
  )
    throw new Error(`unexpected configuration: ${JSON.stringify(c)}`);
  const torch = torchItsPerSecond();
  log(
    "gan_iterations_per_s_wasm",
    Math.round(speed.median),
    "it/s",
    `default 2×64, batch 256, 1 D + 1 G, Adam; median of ${BATCHES}×${BATCH}; ` +
      (torch
        ? `PyTorch CPU 1 thread ${Math.round(torch)} it/s in this run → ${(speed.median / torch).toFixed(2)}× (goal ≥ 1×)`
        : "PyTorch not measured in this run (scripts/bench.sh measures it first)"),
  );

  let version = null;
  if (!tfjsInstalled()) {
    log(
      "gan_iterations_per_s_tfjs",
      "–",
      "it/s",
      "TensorFlow.js not installed (scripts/bench.sh installs it)",
    );
  } else {
    version = await loadTfjs(page);
    const peer = await tfjsPeer(page, TF_STEPS);
    for (const backend of ["wasm", "cpu"]) {
      compare({
        name: `gan_iterations_per_s_vs_tfjs_${backend}`,
        workload: "GAN iteration (1 D + 1 G step), 2×64, batch 256, Adam",
        genplay: peer.genplay,
        peer: `TensorFlow.js ${version} ${backend}`,
        theirs: peer[backend],
        unit: "it/s",
        goal: backend === "wasm" ? 12 : null,
      });
    }
  }

  // Full speed, every layer on, through the real Play button.
  await page.evaluate(() => {
    const gan = window.genplay.labs.gan;
    gan.reset(1);
    gan.set("speed", "max");
    for (const layer of [
      "show_heatmap",
      "show_real",
      "show_fake",
      "show_gradients",
      "show_manifold",
    ])
      gan.set(layer, true);
  });
  logPlay(log, "gan", await measurePlay(page, "gan", PLAY_MS), speed.median);

  // Input latency while playing: from a real key press or click to its handler.
  await logInputLatency(page, log, "gan", INPUTS);
  if (tfjsInstalled()) {
    // The webgpu backend last, in rounds of its own, so that its tensors never move through
    // the others' timed steps and its device is not in the page while the lab plays. On a software adapter (SwiftShader) it runs the GPU's code on the
    // CPU: a figure of the path, not of a GPU.
    const webgpu = await tfjsWebgpu(page);
    if (webgpu) {
      const onGpu = await tfjsPeer(page, { webgpu: TF_STEPS.cpu });
      compare({
        name: "gan_iterations_per_s_vs_tfjs_webgpu",
        workload: "GAN iteration (1 D + 1 G step), 2×64, batch 256, Adam",
        genplay: onGpu.genplay,
        peer: `TensorFlow.js ${version} webgpu on ${webgpu.name}${webgpu.software ? " (a software adapter)" : ""}`,
        theirs: onGpu.webgpu,
        unit: "it/s",
      });
    }
  }
  await close();
}

/** TF.js's backends named in `steps` (with the steps each times per round) against genplay's
 * step(n), interleaved; resolves to the medians. */
function tfjsPeer(page, steps) {
  return page.evaluate(
    async ({ ROUNDS, steps, BATCH }) => {
      const tf = window.tf;
      const rows = 256;
      const { mlp } = window.peer;
      /** One GAN iteration on the current backend, built there. */
      const build = () => {
        const generator = mlp([2, 64, 64, 2]);
        const discriminator = mlp([2, 64, 64, 1]);
        const adam = () => tf.train.adam(1e-3, 0.5, 0.999);
        const [dOptimizer, gOptimizer] = [adam(), adam()];
        const real = tf.randomNormal([rows, 2]);
        const [ones, zeros] = [tf.ones([rows, 1]), tf.zeros([rows, 1])];
        const bce = (labels, logits) => tf.losses.sigmoidCrossEntropy(labels, logits);
        return () =>
          tf.tidy(() => {
            const z = tf.randomNormal([rows, 2]);
            const d = dOptimizer.minimize(
              () =>
                tf.add(
                  bce(ones, discriminator.apply(real)),
                  bce(zeros, discriminator.apply(generator.apply(z))),
                ),
              true,
              discriminator.vars,
            );
            const g = gOptimizer.minimize(
              () => bce(ones, discriminator.apply(generator.apply(tf.randomNormal([rows, 2])))),
              true,
              generator.vars,
            );
            return [d.dataSync()[0], g.dataSync()[0]];
          });
      };
      return window.peer.interleave(window.genplay.labs.gan, build, {
        rounds: ROUNDS,
        steps: BATCH,
        theirs: steps,
      });
    },
    { ROUNDS, steps, BATCH },
  );
}
