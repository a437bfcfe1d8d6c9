// The diffusion lab in wasm in headless Chromium, on the ring:
// - one training step of the network (3 hidden layers × 128, batch 256, Adam, DDPM):
//   steps per second through the lab's step(n), median of 9 timed runs of 200 iterations, each
//   from a fresh reset (iterations 2 to 201: no distance measurement, which runs every 250);
// - the same with the distance measurements included (1,000 iterations: four reverse passes);
// - a full reverse pass, sample() of 512 points × 100 steps, median of 5, on that network and on
//   the default 3×64;
// - the peer: TensorFlow.js 4.22 on its wasm backend (SIMD, no threads: the page is not
//   cross-origin isolated), the same network (18 → 3×128 LeakyReLU 0.2 → 2), batch 256, Adam,
//   mean squared error, in the same page session, interleaved with genplay's runs (5 rounds of
//   genplay 200 steps, then TF.js 40 steps; medians). TF.js gets its inputs ready-made, genplay
//   draws its batch, times and noise inside each step;
// - playing at full speed (benches/play.mjs) at the defaults: frames per second and the
//   iterations trained live in the worker.
// TF.js is loaded from node_modules into the page (benches/tfjs.mjs).
import { measurePlay, logPlay } from "../play.mjs";
import { tfjsInstalled, loadTfjs } from "../tfjs.mjs";
const ROUNDS = 5;
const TF_STEPS = 40;

const BATCH = 200;
const RUNS = 9;
const PASSES = 5;
const PASS_GOAL_MS = 1000;
const PLAY_MS = 3000;

export async function bench({ open, log, compare }) {
  // Without the Content-Security-Policy, for TensorFlow.js (see benches/tfjs.mjs).
  const { page, close } = await open("#/diffusion", { bypassCSP: true });
  const figures = await page.evaluate(
    ({ BATCH, RUNS, PASSES }) => {
      const lab = window.genplay.labs.diffusion;
      const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const passMs = () => {
        const times = [];
        for (let i = 0; i < PASSES; i++) {
          const t = performance.now();
          lab.sample();
          times.push(performance.now() - t);
        }
        return median(times);
      };
      const defaultPass = passMs();
      lab.set("hidden_units", 128);
      lab.set("hidden_layers", 3);
      lab.set("batch_size", 256);
      const rates = [];
      for (let i = 0; i < RUNS; i++) {
        lab.reset(1);
        lab.step(1);
        const t = performance.now();
        lab.step(BATCH);
        rates.push((BATCH * 1000) / (performance.now() - t));
      }
      lab.reset(1);
      const t = performance.now();
      lab.step(1000);
      const withDistance = 1000000 / (performance.now() - t);
      return {
        steps: median(rates),
        withDistance,
        pass: passMs(),
        defaultPass,
        config: lab.snapshot().config,
      };
    },
    { BATCH, RUNS, PASSES },
  );
  const c = figures.config;
  if (
    c.hidden_units !== 128 ||
    c.hidden_layers !== 3 ||
    c.batch_size !== 256 ||
    c.objective !== "ddpm" ||
    c.sampling_steps !== 100
  )
    throw new Error(`unexpected configuration: ${JSON.stringify(c)}`);
  log(
    "diffusion_steps_per_s_wasm",
    Math.round(figures.steps),
    "it/s",
    `3×128 LeakyReLU, batch 256, Adam, DDPM; median of ${RUNS}×${BATCH}`,
  );
  log(
    "diffusion_steps_per_s_with_distance",
    Math.round(figures.withDistance),
    "it/s",
    "same, 1,000 iterations with the reverse pass and distance every 250",
  );
  const met = (ok) => (ok ? "met" : "not met");
  log(
    "diffusion_reverse_pass_ms",
    figures.pass.toFixed(0),
    "ms",
    `sample(): 512 points × 100 DDPM steps, 3×128; goal ≤ ${PASS_GOAL_MS}: ${met(figures.pass <= PASS_GOAL_MS)}`,
  );
  log(
    "diffusion_reverse_pass_default_ms",
    figures.defaultPass.toFixed(0),
    "ms",
    "same on the default 3×64 network",
  );

  if (!tfjsInstalled()) {
    log(
      "diffusion_steps_per_s_tfjs_wasm",
      "–",
      "it/s",
      "TensorFlow.js not installed (scripts/bench.sh installs it)",
    );
  } else {
    const peer = await tfjsPeer(page);
    log(
      "diffusion_steps_per_s_tfjs_wasm",
      Math.round(peer.tf),
      "it/s",
      `TensorFlow.js ${peer.version} wasm backend, same network; median of ${ROUNDS}×${TF_STEPS}`,
    );
    compare({
      name: "diffusion_steps_per_s_interleaved",
      workload: "diffusion step, 3×128, batch 256, Adam",
      genplay: peer.genplay,
      peer: `TensorFlow.js ${peer.version} wasm`,
      theirs: peer.tf,
      unit: "it/s",
      goal: 10,
    });
  }

  const defaults = await page.evaluate(() => {
    const lab = window.genplay.labs.diffusion;
    lab.set("hidden_units", 64);
    lab.reset(1);
    lab.step(1);
    const t = performance.now();
    lab.step(200);
    lab.set("speed", "max");
    return (200 * 1000) / (performance.now() - t);
  });
  logPlay(log, "diffusion", await measurePlay(page, "diffusion", PLAY_MS), defaults);
  await close();
}

/** TF.js's wasm backend against genplay's step, interleaved; resolves to medians of both. */
async function tfjsPeer(page) {
  const version = await loadTfjs(page);
  const figures = await page.evaluate(
    async ({ ROUNDS, TF_STEPS, BATCH }) => {
      const tf = window.tf;
      const build = () => {
        const model = tf.sequential();
        for (let i = 0; i < 3; i++)
          model.add(tf.layers.dense({ units: 128, inputShape: i ? undefined : [18] }));
        model.add(tf.layers.dense({ units: 2 }));
        // LeakyReLU 0.2 between the dense layers, as genplay's network.
        const layers = model.layers;
        const net = (x) => {
          let h = x;
          for (let i = 0; i < layers.length; i++) {
            h = layers[i].apply(h);
            if (i < layers.length - 1) h = tf.leakyRelu(h, 0.2);
          }
          return h;
        };
        const optimizer = tf.train.adam(3e-3);
        const x = tf.randomNormal([256, 18]);
        const y = tf.randomNormal([256, 2]);
        return () =>
          tf.tidy(() => {
            const cost = optimizer.minimize(() => tf.losses.meanSquaredError(y, net(x)), true);
            return cost.dataSync()[0];
          });
      };
      const lab = window.genplay.labs.diffusion;
      lab.set("hidden_units", 128);
      return window.peer.interleave(lab, build, {
        rounds: ROUNDS,
        steps: BATCH,
        theirs: { wasm: TF_STEPS },
      });
    },
    { ROUNDS, TF_STEPS, BATCH },
  );
  return { genplay: figures.genplay, tf: figures.wasm, version };
}
