// The page's Content-Security-Policy: it is declared, it is strict (scripts only from the page's
// own origin, WebAssembly allowed, no eval, no inline script, no other host to connect to), and
// the browser enforces it. That every lab works under it is checked by every other browser test:
// the harness reports any violation as a problem.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

test("the page declares a strict Content-Security-Policy", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  const directives = Object.fromEntries(
    policy.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
  assert.deepEqual(directives["default-src"], ["'self'"]);
  assert.deepEqual(directives["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives["connect-src"], ["'self'"]);
  assert.deepEqual(directives["object-src"], ["'none'"]);
  assert.ok(!policy.includes("'unsafe-eval'") && !policy.includes("'unsafe-inline'"), policy);
  assert.deepEqual(problems, []);
  await close();
});

// eval cannot be tried from here: code the test runs through the DevTools protocol is exempt from
// the policy. The first test checks the policy has no 'unsafe-eval'.
test("the browser enforces it: no inline script, no style attribute, no other host", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  const outcome = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.inlineRan = true";
    document.head.append(script);
    const elsewhere = await fetch("http://192.0.2.1/").then(
      () => "fetched",
      () => "refused",
    );
    const styled = document.createElement("p");
    styled.setAttribute("style", "color: red");
    document.body.append(styled);
    const styleRan = getComputedStyle(styled).color === "rgb(255, 0, 0)";
    styled.remove();
    return { inline: window.inlineRan === true, elsewhere, styleRan };
  });
  assert.deepEqual(outcome, {
    inline: false,
    elsewhere: "refused",
    styleRan: false,
  });
  // Each refusal was reported as a violation (the events come a task or two later).
  const violations = () => problems.filter((p) => p.includes("CSP violation"));
  for (let i = 0; i < 40 && violations().length < 3; i++) await page.waitForTimeout(50);
  for (const directive of ["script-src", "connect-src", "style-src"]) {
    assert.ok(
      violations().some((v) => v.includes(directive)),
      `${directive}: ${violations().join(" | ")}`,
    );
  }
  await close();
});

test("a link's values are shown as text, never run as markup", async () => {
  const hostile = encodeURIComponent('<img src=x onerror="window.pwned=1">');
  const { page, problems, close } = await browser.open(`#/gan?target=${hostile}&seed=${hostile}`);
  const banner = await page.textContent("#banner");
  assert.match(banner, /target = "<img src=x onerror=/);
  assert.equal(await page.$$eval("#banner img, main img", (n) => n.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(problems, []);
  await close();
});
