// The two builds of the module side by side (scripts/build-wasm.sh, www/ui/wasm-build.js): each
// training lab's step(n) in a page on the relaxed-SIMD build (the one Chromium loads) and in a
// page on the plain simd128 build (the one browsers without relaxed SIMD load), interleaved:
// 7 rounds of each page in turn, medians. The ratio is what the fused multiply-add in the
// matrix products (src/nn/matmul.rs) gives; the workloads are the TensorFlow.js comparisons'.
import { LINK as VAE_IMAGES } from "./vae-images.mjs";

const ROUNDS = 7;
const WORKLOADS = [
  {
    name: "builds_gan",
    workload: "GAN iteration, 2×64, batch 256",
    link: "#/gan",
    lab: "gan",
    steps: 200,
  },
  {
    name: "builds_vae_images",
    workload: "image VAE step, 784-256-2, glyphs, batch 64",
    link: VAE_IMAGES,
    lab: "vae",
    steps: 40,
  },
  {
    name: "builds_diffusion",
    workload: "diffusion step, 3×128, batch 256",
    link: "#/diffusion?hidden_layers=3&hidden_units=128&batch_size=256",
    lab: "diffusion",
    steps: 100,
  },
];

/** One timed round of `steps` iterations in `page`, from a fresh reset: iterations per second. */
const round = (page, { lab, steps }) =>
  page.evaluate(
    async ({ lab, steps }) => {
      const handle = window.genplay.labs[lab];
      handle.reset(1);
      await handle.step(1);
      const t = performance.now();
      await handle.step(steps);
      return (steps * 1000) / (performance.now() - t);
    },
    { lab, steps },
  );

export async function bench({ open, compare }) {
  for (const w of WORKLOADS) {
    const pages = {
      fused: await open(w.link),
      plain: await open(w.link, { build: "simd128" }),
    };
    const builds = await Promise.all(
      Object.values(pages).map(({ page }) => page.evaluate(() => window.genplay.build)),
    );
    if (builds.join() !== "relaxed-simd,simd128")
      throw new Error(`the pages run the builds ${builds.join(" and ")}`);
    const rates = { fused: [], plain: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const [build, { page }] of Object.entries(pages))
        rates[build].push(await round(page, w));
    }
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    compare({
      name: w.name,
      workload: w.workload,
      genplay: median(rates.fused),
      peer: "genplay's simd128 build",
      theirs: median(rates.plain),
      unit: "it/s",
    });
    for (const { close } of Object.values(pages)) await close();
  }
}
