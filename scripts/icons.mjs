// Draws the installable app's PNG icons (www/icon-192.png, www/icon-512.png) from www/icon.svg
// in headless Chromium, so the committed PNGs always match the SVG. Run after changing the SVG:
//   node scripts/icons.mjs
import { chromium } from "playwright-core";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const www = resolve(fileURLToPath(import.meta.url), "../../www");
const svg = await readFile(join(www, "icon.svg"), "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
  );
  await page.screenshot({ path: join(www, `icon-${size}.png`), omitBackground: true });
  await page.close();
}
await browser.close();
