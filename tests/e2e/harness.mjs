// Shared set-up for the browser tests: serves the playground on a free loopback port, starts
// Debian's headless Chromium through playwright-core, and records every console error and failed
// request so each test can assert there were none.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/serve.mjs";

export const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), "screenshots");
mkdirSync(screenshotDir, { recursive: true });

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-webgpu",
];

/**
 * Starts the server and the browser; returns helpers and a `close()`. With `webgpu: false` the
 * browser starts without `--enable-unsafe-webgpu`, as one without WebGPU; `folder` serves a copy
 * of the playground (www/ and pkg/) instead of this checkout.
 */
export async function openBrowser({ webgpu = true, folder } = {}) {
  const server = await startServer({ port: 0, folder });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_FLAGS.filter((flag) => webgpu || flag !== "--enable-unsafe-webgpu"),
  });

  /**
   * A fresh page at `hash`, waited until every lab is loaded (genplay.loaded); `problems`
   * collects errors, and `fetched()` the responses the page had when it was ready
   * (`{url, body}`, for the page-weight bench).
   */
  async function open(
    hash,
    { viewport = { width: 1280, height: 900 }, bypassCSP = false, build } = {},
  ) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, bypassCSP });
    // `build` ("simd128"): the page loads that build of the module (www/ui/wasm-build.js).
    if (build) await context.addInitScript((b) => (self.genplayWasmBuild = b), build);
    // A Content-Security-Policy violation is a problem like a console error: every test checks
    // that the page and what it did ran under the policy.
    await context.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`),
      ),
    );
    const page = await context.newPage();
    const problems = [];
    const responses = [];
    page.on("response", (r) => responses.push(r));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => {
      // A reload cancels the browser's fetch of the tab's icon when it is still on its way:
      // nothing the page asked for, and nothing lost.
      if (r.url().endsWith("/icon.svg") && r.failure()?.errorText === "net::ERR_ABORTED") return;
      problems.push(`request failed: ${r.url()}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on("request", (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith("data:")) {
        problems.push(`request to another host: ${r.url()}`);
      }
    });
    await page.goto(base + hash);
    await page.evaluate(() => window.genplay.ready);
    // What the page had fetched when it was ready (the other labs load right after).
    const atReady = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.responseEnd <= window.genplay.readyAt)
        .map((e) => e.name),
    );
    await page.evaluate(() => window.genplay.loaded);
    const fetched = () =>
      Promise.all(
        responses
          .filter((r) => r.url() === base || atReady.includes(r.url()))
          .map(async (r) => ({ url: r.url(), body: await r.body() })),
      );
    return { page, problems, fetched, close: () => context.close() };
  }

  return {
    base,
    open,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** Waits two animation frames, so that whatever changed has been drawn. */
export function nextFrames(page) {
  return page.evaluate(
    () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok()))),
  );
}

/** A fingerprint of a canvas's pixels, to tell whether a drawing changed. */
export function canvasDigest(page, selector) {
  return page.$eval(selector, (canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    for (let i = 0; i < data.length; i += 7) hash = (hash * 31 + data[i]) | 0;
    return hash;
  });
}

export function screenshot(page, name) {
  return page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
