// Speed of the wasm build in headless Chromium: runs every benches/browser/<lab>.mjs against the
// real page and prints one line per figure. `scripts/bench.sh` runs it after the native benches
// and the peers, so all figures of one run sit together. Usage: node benches/browser.mjs [lab...]
//
// Each bench gets `log(name, value, unit, note)` for a figure and `compare({name, workload,
// genplay, peer, theirs, unit, goal})` for genplay beside a peer measured in the same run
// (rates, higher is better; `goal` the ratio aimed at, if any). At the end a summary table
// gives every comparison as a ratio, and target/bench/browser.json keeps every raw figure with
// the machine's CPU model and the tools' versions.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openBrowser } from "../tests/e2e/harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, "browser");
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, "")));

const browser = await openBrowser();
const { version, build } = await (async () => {
  const { page, close } = await browser.open("#/coin");
  const found = await page.evaluate(() => ({
    version: navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0],
    build: window.genplay.build,
  }));
  await close();
  return found;
})();
const figures = [];
const comparisons = [];
const line = (name, value, unit, note) =>
  console.log(`  ${name.padEnd(34)} ${String(value).padStart(10)} ${unit.padEnd(6)} ${note}`);
console.log(`wasm (the ${build} build) in headless ${version}`);
try {
  for (const file of files) {
    const { bench } = await import(pathToFileURL(join(dir, file)).href);
    const group = file.replace(/\.mjs$/, "");
    const log = (name, value, unit, note = "") => {
      figures.push({ bench: group, name, value, unit, note });
      line(name, value, unit, note);
    };
    const compare = ({ name, workload, genplay, peer, theirs, unit, goal = null }) => {
      const ratio = genplay / theirs;
      comparisons.push({ bench: group, name, workload, genplay, peer, theirs, unit, ratio, goal });
      const verdict =
        goal === null ? "" : `; goal ≥ ${goal}×: ${ratio >= goal ? "met" : "not met"}`;
      log(
        name,
        Math.round(genplay),
        unit,
        `genplay, interleaved with ${peer} (${Math.round(theirs)} ${unit}): ${ratio.toFixed(1)}×${verdict}`,
      );
    };
    console.log(`${group}:`);
    await bench({ open: browser.open, log, compare });
  }
} finally {
  await browser.close();
}

if (comparisons.length > 0) {
  console.log("\nSummary: genplay beside its peers, each pair measured interleaved in this run");
  console.log("| workload | genplay | peer | peer's figure | ratio | goal |");
  console.log("|---|---|---|---|---|---|");
  for (const c of comparisons) {
    const goal =
      c.goal === null ? "–" : `≥ ${c.goal}×: ${c.ratio >= c.goal ? "met" : "**not met**"}`;
    console.log(
      `| ${c.workload} | ${Math.round(c.genplay)} ${c.unit} | ${c.peer} | ${Math.round(c.theirs)} ${c.unit} | ${c.ratio.toFixed(1)}× | ${goal} |`,
    );
  }
}
const out = join(here, "../target/bench");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "browser.json"),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      browser: `headless ${version}`,
      wasm_build: build,
      node: process.version,
      figures,
      comparisons,
    },
    null,
    2,
  ) + "\n",
);
console.log(`raw figures: target/bench/browser.json`);
