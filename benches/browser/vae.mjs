// The VAE lab in wasm in headless Chromium, default configuration (2-D latent, encoder and
// decoder 2×64 LeakyReLU, batch 256, Adam, β = 1) on the ring:
// - training speed through the lab's step(n): iterations per second, median of 9 timed batches
//   of 200 iterations after 200 warm-up ones;
// - playing at full speed ("max") with every layer on, for 3 s (benches/play.mjs): animation
//   frames per second, the longest gap between two, and the iterations per second achieved live
//   (in the training worker) while drawing all three views, against step(n)'s.
import { measurePlay, logPlay } from "../play.mjs";

const WARM_UP = 200;
const BATCH = 200;
const BATCHES = 9;
const PLAY_MS = 3000;

export async function bench({ open, log }) {
  const { page, close } = await open("#/vae");
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

  await page.evaluate(() => {
    const vae = window.genplay.labs.vae;
    vae.reset(1);
    vae.set("speed", "max");
  });
  logPlay(log, "vae", await measurePlay(page, "vae", PLAY_MS), speed.median);
  await close();
}
