// EM, one iteration (E + M), 2-D, full covariance, over N = 1,000 … 1,000,000 points × K = 3, 8
// and 16 components, every tool from the same points and the same start, interleaved size by
// size: genplay native (`cargo bench --bench em -- grid-one N K`, which also writes the problem),
// scikit-learn (benches/peers/em_sklearn.py grid-one), and genplay's wasm in headless Chromium
// through the EM lab (the same points, served to the page from the files the native run wrote).
// Each figure is a median over about a second of iterations (5 to 30).
//
// Writes target/bench/em-grid.json (the raw figures, the machine's CPU, the tools' versions),
// prints a table with every genplay figure as a ratio to scikit-learn's from the same size, and
// checks that genplay's mean log-likelihood after 10 iterations equals scikit-learn's within
// 1e-6 relative. `--quick` runs the smallest size only (the test command's check that the
// harness still works); it fails when a tool gave no figure or the log-likelihoods differ.
//   node benches/em-grid.mjs [--quick]      (BENCH_PYTHON: a Python with numpy and scikit-learn)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { openBrowser } from "../tests/e2e/harness.mjs";

const QUICK = process.argv.includes("--quick");
const SIZES = QUICK ? [1_000] : [1_000, 10_000, 100_000, 1_000_000];
const COMPONENTS = QUICK ? [3] : [3, 8, 16];
const LIKELIHOOD_TOLERANCE = 1e-6;
const repo = new URL("..", import.meta.url).pathname;
const python = process.env.BENCH_PYTHON ?? join(repo, "target/bench-venv/bin/python");
const grid = join(repo, "target/em_bench/grid");

/** Runs a command and returns the JSON object on the last line it printed. */
function jsonLine(command, args, env = process.env) {
  const out = execFileSync(command, args, { cwd: repo, env, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1));
}

// The peers run without the OpenBLAS overrides some of these machines set (they slow numpy).
const peerEnv = { ...process.env };
delete peerEnv.OPENBLAS_CORETYPE;
delete peerEnv.OPENBLAS_L2_SIZE;

const browser = await openBrowser();
const { page, close } = await browser.open("#/em");
await page.context().route("**/bench-grid/*.f64", (route) =>
  route.fulfill({
    contentType: "application/octet-stream",
    body: readFileSync(
      join(grid, route.request().url().split("/").at(-1).replace(".f64", ""), "points.f64"),
    ),
  }),
);
const chromium = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0]);

/** One size in the page: the lab fits the served points from the same start (k-means++, seed 7). */
function wasmFigure(n, k) {
  return page.evaluate(
    async ({ n, k }) => {
      const xy = new Float64Array(await (await fetch(`bench-grid/n${n}_k${k}.f64`)).arrayBuffer());
      const xs = new Float64Array(n);
      const ys = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        xs[i] = xy[2 * i];
        ys[i] = xy[2 * i + 1];
      }
      const em = window.genplay.labs.em;
      em.set("covariance_type", "full");
      em.set("init", "kmeans++");
      em.set("seed", 7);
      em.set("k", k);
      em.set_points_xy(xs, ys);
      // A full iteration is two half-steps.
      em.step(20);
      const logLikelihood = em.snapshot().lower_bound_history[9];
      const time = (count) => {
        const t = performance.now();
        em.step(2 * count);
        return (performance.now() - t) / count;
      };
      // As benches/em.rs: a millisecond or more per sample, 5 to 15 samples.
      time(1);
      const first = Math.max(time(1), 1e-4);
      const perSample = Math.ceil(1 / first);
      const samples = Math.min(15, Math.max(5, Math.floor(1000 / (first * perSample))));
      const times = Array.from({ length: samples }, () => time(perSample)).sort((a, b) => a - b);
      // Every timed call must have iterated (a converged run that stopped would time nothing).
      const iterated = em.snapshot().n_iter === 12 + samples * perSample;
      return { ms: times[Math.floor(samples / 2)], samples, logLikelihood, iterated };
    },
    { n, k },
  );
}

const rows = [];
const problems = [];
try {
  for (const n of SIZES) {
    for (const k of COMPONENTS) {
      const native = jsonLine("cargo", [
        "bench",
        // The quick check needs a figure, not a fast one: the test build's profile compiles in
        // seconds where the release build takes minutes.
        ...(QUICK ? ["--profile", "dev"] : []),
        "--quiet",
        "--bench",
        "em",
        "--",
        "grid-one",
        `${n}`,
        `${k}`,
      ]);
      const sklearn = jsonLine(
        python,
        ["benches/peers/em_sklearn.py", "grid-one", join(grid, `n${n}_k${k}`)],
        peerEnv,
      );
      const wasm = await wasmFigure(n, k);
      const row = {
        n,
        k,
        native_ms: native.ms,
        sklearn_ms: sklearn.ms,
        wasm_ms: wasm.ms,
        native_log_likelihood: native.log_likelihood_after_10,
        sklearn_log_likelihood: sklearn.log_likelihood_after_10,
        wasm_log_likelihood: wasm.logLikelihood,
      };
      rows.push(row);
      if (!wasm.iterated) problems.push(`N=${n} K=${k}: the lab stopped iterating while timed`);
      for (const tool of ["native", "wasm"]) {
        const ours = row[`${tool}_log_likelihood`];
        const relative =
          Math.abs(ours - row.sklearn_log_likelihood) / Math.abs(row.sklearn_log_likelihood);
        if (!(relative <= LIKELIHOOD_TOLERANCE))
          problems.push(
            `N=${n} K=${k}: genplay ${tool}'s log-likelihood after 10 iterations ${ours} differs from scikit-learn's ${row.sklearn_log_likelihood} by ${relative.toExponential(2)} (allowed ${LIKELIHOOD_TOLERANCE})`,
          );
      }
      for (const [name, v] of Object.entries({
        native: row.native_ms,
        sklearn: row.sklearn_ms,
        wasm: row.wasm_ms,
      })) {
        if (v !== null && !(v > 0)) problems.push(`N=${n} K=${k}: ${name} gave no figure`);
      }
    }
  }
} finally {
  await close();
  await browser.close();
}

const sklearnVersion = execFileSync(
  python,
  ["-c", "import sklearn, numpy; print(sklearn.__version__, numpy.__version__)"],
  { encoding: "utf8", env: peerEnv },
)
  .trim()
  .split(" ");
const report = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length },
  tools: {
    genplay: "native (cargo bench, release) and wasm (simd128)",
    chromium,
    rustc: execFileSync("rustc", ["--version"], { encoding: "utf8" }).trim(),
    "scikit-learn": sklearnVersion[0],
    numpy: sklearnVersion[1],
  },
  workload: "EM, one iteration (E + M), 2-D, full covariance, same points and start; median ms",
  rows,
};
mkdirSync(join(repo, "target/bench"), { recursive: true });
writeFileSync(join(repo, "target/bench/em-grid.json"), `${JSON.stringify(report, null, 2)}\n`);

const f = (v) => (v < 10 ? v.toFixed(3) : v.toFixed(1));
const ratio = (peer, ours) => `${(peer / ours).toFixed(1)}×`;
console.log(
  `EM iteration, ms (median), ${report.machine.cpu}, ${chromium}, scikit-learn ${sklearnVersion[0]}`,
);
console.log(
  "       N   K   scikit-learn   genplay native   (× faster)   genplay wasm   (× faster)",
);
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(8)} ${String(r.k).padStart(3)} ${f(r.sklearn_ms).padStart(14)} ` +
      `${f(r.native_ms).padStart(16)} ${ratio(r.sklearn_ms, r.native_ms).padStart(12)} ` +
      `${f(r.wasm_ms).padStart(14)} ${ratio(r.sklearn_ms, r.wasm_ms).padStart(12)}`,
  );
}
console.log("raw figures: target/bench/em-grid.json");
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
