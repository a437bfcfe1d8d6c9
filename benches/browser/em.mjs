// One EM iteration (E-step + M-step) in wasm in headless Chromium: N = 100,000 2-D points,
// K = 8, full covariances, the fast kernel without stored responsibilities (the lab switches
// them off above 20,000 points). The data are like benches/em.rs's: eight tilted blobs on a
// circle of radius 6. Prints the median over 30 timed iterations after 5 warm-up ones and its
// ratio to scikit-learn's time, which benches/peers/em_sklearn.py measures natively earlier in the
// same `scripts/bench.sh` run and leaves in target/em_bench/sklearn_ms.txt. Then the CPU against
// the GPU per iteration at N = 10,000, 100,000 and 1,000,000 (K = 8, full), measured as the lab's
// Scale view measures it (`labs.em.scale`), with the adapter's name.
import { readFileSync } from "node:fs";

const N = 100_000;
const K = 8;
const WARM_UP = 20;
const TIMED = 30;
const GPU_SIZES = [10_000, 100_000, 1_000_000];

function sklearnMs() {
  try {
    return Number(
      readFileSync(new URL("../../target/em_bench/sklearn_ms.txt", import.meta.url), "utf8"),
    );
  } catch {
    return null;
  }
}

export async function bench({ open, log }) {
  const { page, close } = await open("#/em");
  const result = await page.evaluate(
    ({ N, K, WARM_UP, TIMED }) => {
      // A small seeded generator (mulberry32) and Box–Muller: the same points every run.
      let state = 2024;
      const uniform = () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const normal = () =>
        Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
      const xs = new Float64Array(N);
      const ys = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        const k = Math.floor(uniform() * K);
        const angle = (2 * Math.PI * k) / K;
        const c = (0.3 * (k - 3.5)) / 3.5;
        // Covariance [[1, c], [c, 0.6]] through its Cholesky factor.
        const z1 = normal();
        const z2 = normal();
        const l21 = c;
        const l22 = Math.sqrt(0.6 - c * c);
        xs[i] = 6 * Math.cos(angle) + z1;
        ys[i] = 6 * Math.sin(angle) + l21 * z1 + l22 * z2;
      }
      const em = window.genplay.labs.em;
      em.set("covariance_type", "full");
      em.set("init", "kmeans++");
      em.set("seed", 7);
      em.set("k", K);
      em.set_points_xy(xs, ys);
      const s = em.snapshot();
      const times = [];
      for (let i = 0; i < WARM_UP + TIMED; i++) {
        const t = performance.now();
        em.step(2);
        times.push(performance.now() - t);
      }
      const timed = times.slice(WARM_UP).sort((a, b) => a - b);
      return {
        median: timed[Math.floor(TIMED / 2)],
        n: s.n_points,
        k: s.k,
        kept: s.keep_responsibilities,
      };
    },
    { N, K, WARM_UP, TIMED },
  );
  if (result.n !== N || result.k !== K || result.kept)
    throw new Error(`unexpected set-up: ${JSON.stringify(result)}`);
  const peer = sklearnMs();
  log(
    "em_iteration_wasm_ms",
    result.median.toFixed(2),
    "ms",
    `N=${N} K=${K} full, median of ${TIMED}; ` +
      (peer
        ? `scikit-learn ${peer.toFixed(1)} ms in this run → ${(peer / result.median).toFixed(1)}× faster (goal ≥ 10×)`
        : "scikit-learn not measured in this run (scripts/bench.sh measures it first)"),
  );

  // The lab's K = 8 and full covariances carry over to the Scale view's probes.
  const scale = await page.evaluate(async (sizes) => {
    const em = window.genplay.labs.em;
    const rows = await em.scale(sizes);
    const s = em.snapshot();
    return { rows, adapter: s.gpu_adapter, note: s.backend_note, k: s.k };
  }, GPU_SIZES);
  const adapter = scale.adapter
    ? scale.adapter.name +
      (scale.adapter.fallback ? " (software adapter: correctness, not speed)" : "")
    : null;
  for (const r of scale.rows) {
    const size = `N=${r.n} K=${scale.k} full`;
    log(`em_iteration_cpu_ms_${r.n}`, r.cpu_ms.toFixed(2), "ms", `${size}, wasm on the CPU`);
    log(
      `em_iteration_gpu_ms_${r.n}`,
      r.gpu_ms === null ? "–" : r.gpu_ms.toFixed(2),
      "ms",
      r.gpu_ms === null
        ? `${size}, no GPU: ${scale.note}`
        : `${size}, E-step on ${adapter}, M-step on the CPU`,
    );
  }
  await close();
}
