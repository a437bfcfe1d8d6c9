import { openBrowser } from "./tests/e2e/harness.mjs";
const browser = await openBrowser();
const { page, problems, close } = await browser.open("#/coin");
console.log("offline", await page.evaluate(() => window.genplay.offline));
await page.context().setOffline(true);
await page.reload();
await page.evaluate(() => window.genplay.loaded);
page.on("console", (m) => console.log("console:", m.type(), m.text()));
for (const lab of ["coin","joint","gaussian","em","gan","vae","classify","diffusion"]) {
  await page.evaluate((name) => (location.hash = `#/${name}`), lab);
  await page.waitForTimeout(800);
  await page.evaluate(async (name) => { await window.genplay.labs[name].step(1); }, lab);
}
await page.evaluate(() => (location.hash = "#/gan"));
await page.waitForTimeout(800);
console.log("active", await page.evaluate(() => document.activeElement?.outerHTML?.slice(0,120)));
const start = await page.evaluate(() => window.genplay.labs.gan.snapshot().iteration);
await page.keyboard.press("Space");
await page.waitForTimeout(4000);
console.log(await page.evaluate(() => [window.genplay.debug.workers(), window.genplay.labs.gan.snapshot().iteration, window.genplay.labs.gan.snapshot().playing, window.genplay.labs.gan.snapshot().trainer, window.genplay.labs.gan.snapshot().trainer_note]), start);
console.log(problems);
await close(); await browser.close();
