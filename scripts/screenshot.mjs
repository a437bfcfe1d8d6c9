// Screenshot one route of the playground, for a person to look at:
//   node scripts/screenshot.mjs "#/gaussian?rho=0.9" 360 /tmp/gaussian-phone.png
// (width in CSS pixels; the page is captured whole). Needs `scripts/build-wasm.sh` first.
import { openBrowser } from "../tests/e2e/harness.mjs";

const [hash = "#/coin", width = "1280", out = "screenshot.png"] = process.argv.slice(2);
const browser = await openBrowser();
try {
  const { page, problems, close } = await browser.open(hash, {
    viewport: { width: Number(width), height: 900 },
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: out, fullPage: true });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  console.log(`wrote ${out}${overflow > 0 ? ` (the page scrolls sideways by ${overflow}px)` : ""}`);
  for (const p of problems) console.log(p);
  await close();
} finally {
  await browser.close();
}
