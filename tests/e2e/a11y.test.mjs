// Accessibility: axe-core (npm) checks every route at desktop and phone width, after the lab has
// been used a little (a step, so its results are on screen), and finds no "serious" or
// "critical" violation. The course page is checked in both of its languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { nextFrames, openBrowser } from "./harness.mjs";

const ROUTES = [
  "learn",
  "learn?lang=zh",
  "coin",
  "joint",
  "gaussian",
  "em",
  "gan",
  "vae",
  "classify",
];
const VIEWPORTS = [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
];
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core"), "utf8");
let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

/** axe's serious and critical violations on the page, one line per rule with its elements. */
async function seriousViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ["violations"] });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

for (const [label, viewport] of VIEWPORTS) {
  test(`axe finds no serious violation on any route, ${label}`, async () => {
    const found = [];
    for (const route of ROUTES) {
      const { page, problems, close } = await browser.open(`#/${route}`, { viewport });
      const name = route.split("?")[0];
      if (name !== "learn") await page.evaluate((n) => window.genplay.labs[n].step(1), name);
      await nextFrames(page);
      for (const line of await seriousViolations(page)) found.push(`#/${route}: ${line}`);
      assert.deepEqual(problems, [], route);
      await close();
    }
    assert.deepEqual(found, []);
  });
}
