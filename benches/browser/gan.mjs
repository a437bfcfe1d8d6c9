// The GAN lab in wasm in headless Chromium, default configuration (2×64 LeakyReLU networks,
// batch 256, one D and one G step per iteration, Adam) on the ring:
// - training speed through the lab's step(n): iterations per second, median of 9 timed batches
//   of 200 iterations after 200 warm-up ones (goal ≥ 600 it/s; the core runs 740–860 it/s natively);
// - playing at full speed ("max") with every layer on, for 3 s (benches/play.mjs): animation
//   frames per second, the iterations per second achieved live (in the training worker) against
//   step(n)'s, and the longest gap between two frames;
// - input latency while playing: from a real key press or mouse click (event.timeStamp) to its
//   handler running, median and worst of 20 each.
import { readFileSync } from "node:fs";
import { measurePlay, logPlay } from "../play.mjs";

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

export async function bench({ open, log }) {
  const { page, close } = await open("#/gan");
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

  // Input latency while playing: listeners record now − event.timeStamp for real inputs.
  await page.evaluate(() => {
    window.__latency = { key: [], click: [] };
    addEventListener("keydown", (e) => {
      if (e.key === "x") window.__latency.key.push(performance.now() - e.timeStamp);
    });
    document.querySelector(".lab-head h2").addEventListener("click", (e) => {
      window.__latency.click.push(performance.now() - e.timeStamp);
    });
  });
  const heading = await page.locator(".lab-head h2").boundingBox();
  for (let i = 0; i < INPUTS; i++) {
    await page.keyboard.press("x");
    await page.mouse.click(heading.x + 20, heading.y + heading.height / 2);
    await page.waitForTimeout(37);
  }
  const latency = await page.evaluate(() => window.__latency);
  const stillPlaying = await page.evaluate(() => window.genplay.labs.gan.snapshot().playing);
  if (!stillPlaying) throw new Error("the lab stopped playing during the latency measurement");
  const summary = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${sorted[Math.floor(sorted.length / 2)].toFixed(1)}`;
  };
  log(
    "gan_keydown_latency_ms",
    summary(latency.key),
    "ms",
    `median of ${latency.key.length}, worst ${Math.max(...latency.key).toFixed(1)} ms, while playing`,
  );
  log(
    "gan_click_latency_ms",
    summary(latency.click),
    "ms",
    `median of ${latency.click.length}, worst ${Math.max(...latency.click).toFixed(1)} ms, while playing`,
  );
  await close();
}
