// The app shell: every route renders (a lab or a clear placeholder) with no error and no request
// to another host, on a desktop and on a 360 px phone; a screenshot of each is kept for a person.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, screenshot } from "./harness.mjs";

// The eight labs, written out: a lab that fails to register must fail these tests, not drop out
// of them.
const ROUTES = ["coin", "joint", "gaussian", "em", "gan", "vae", "diffusion", "classify"];
let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

test("every route renders without errors, on desktop and phone", async () => {
  for (const [label, viewport] of [
    ["desktop", { width: 1280, height: 900 }],
    ["phone", { width: 360, height: 740 }],
  ]) {
    for (const route of ROUTES) {
      const { page, problems, close } = await browser.open(`#/${route}`, { viewport });
      const heading = await page.textContent("main h2");
      assert.ok(heading && heading.length > 3, `${route} has a heading`);
      const active = await page.getAttribute(`#labs-nav a[data-lab=${route}]`, "aria-current");
      assert.equal(active, "page", `${route} is marked in the menu`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${route} on ${label} scrolls sideways by ${overflow}px`);
      await screenshot(page, `${route}-${label}`);
      assert.deepEqual(problems, [], `${route} on ${label}`);
      await close();
    }
  }
});

test("every control of each of the eight labs has an accessible name and is reachable by Tab", async () => {
  const { page, close } = await browser.open("#/coin");
  const built = await page.evaluate(() => Object.keys(window.genplay.labs));
  await close();
  for (const lab of ROUTES) {
    assert.ok(built.includes(lab), `${lab} is not in window.genplay.labs (${built.join(", ")})`);
  }
  for (const lab of ROUTES) {
    const { page, close } = await browser.open(`#/${lab}`);
    const unnamed = await page.$$eval(
      "main input, main select, main button, main textarea",
      (nodes) =>
        nodes
          .filter((n) => {
            const label = n.labels?.length ? [...n.labels].map((l) => l.textContent).join("") : "";
            const name =
              (n.getAttribute("aria-label") ?? "") +
              label +
              (n.tagName === "BUTTON" ? n.textContent : "");
            return name.trim() === "" || n.tabIndex < 0;
          })
          .map((n) => n.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unnamed, [], `${lab}: controls without a name or out of the Tab order`);
    await close();
  }
});

test("an unknown route shows a way back, not a broken page", async () => {
  const { page, problems, close } = await browser.open("#/nonsense");
  assert.match(await page.textContent("main"), /no lab called “nonsense”/i);
  await page.click("main a[href='#/coin']");
  await page.waitForFunction(() => location.hash.startsWith("#/coin"));
  assert.match(await page.textContent("main h2"), /coin/i);
  assert.deepEqual(problems, []);
  await close();
});

test("the labs API lists each of the eight labs with the five methods", async () => {
  const { page, close } = await browser.open("#/coin");
  const shape = await page.evaluate(() =>
    Object.fromEntries(
      Object.entries(window.genplay.labs).map(([name, lab]) => [
        name,
        ["snapshot", "step", "reset", "set", "schema"].every((m) => typeof lab[m] === "function"),
      ]),
    ),
  );
  for (const lab of ROUTES) {
    assert.equal(
      shape[lab],
      true,
      `${lab}: missing or lacking a method in ${JSON.stringify(shape)}`,
    );
  }
  assert.ok(Object.values(shape).every(Boolean), JSON.stringify(shape));
  await close();
});
