// Speed of the wasm build in headless Chromium: runs every benches/browser/<lab>.mjs against the
// real page and prints one line per figure. `scripts/bench.sh` runs it after the native benches
// and the peers, so all figures of one run sit together. Usage: node benches/browser.mjs [lab...]
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openBrowser } from "../tests/e2e/harness.mjs";

const dir = join(dirname(fileURLToPath(import.meta.url)), "browser");
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, "")));

const browser = await openBrowser();
const version = await (async () => {
  const { page, close } = await browser.open("#/coin");
  const v = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0]);
  await close();
  return v;
})();
console.log(`wasm (simd128) in headless ${version}`);
try {
  for (const file of files) {
    const { bench } = await import(pathToFileURL(join(dir, file)).href);
    const log = (name, value, unit, note = "") =>
      console.log(`  ${name.padEnd(34)} ${String(value).padStart(10)} ${unit.padEnd(6)} ${note}`);
    console.log(`${file.replace(/\.mjs$/, "")}:`);
    await bench({ open: browser.open, log });
  }
} finally {
  await browser.close();
}
