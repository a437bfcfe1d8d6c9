// Offline use: after one visit the service worker (www/sw.js) holds every file, so a reload with
// the network cut off (Playwright's offline mode) still runs every lab, the course page and the
// training worker; a new service worker takes over and deletes the old copies; and the page is
// installable (its manifest and icons load).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { openBrowser } from "./harness.mjs";

const LABS = ["coin", "joint", "gaussian", "em", "gan", "vae", "diffusion", "classify"];
const repo = new URL("../..", import.meta.url).pathname;
let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** Whether the page shows lab `name` (run in the page). */
const shows = (name) =>
  document.querySelector("#labs-nav a[aria-current=page]")?.dataset.lab === name &&
  document.querySelector("main .lab-head") !== null;

/** The FILES list written in www/sw.js. */
async function cachedList() {
  const source = await readFile(join(repo, "www/sw.js"), "utf8");
  const list = source.match(/const FILES = \[([^\]]*)\]/)[1];
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

test("the service worker's list names every file the page can load", async () => {
  const listed = await cachedList();
  const www = (await filesUnder(join(repo, "www"))).map((f) => relative(join(repo, "www"), f));
  const expected = [
    "./",
    ...www.filter((f) => f !== "sw.js"),
    "pkg/genplay.js",
    "pkg/genplay_bg.wasm",
    "pkg/training/genplay.js",
    "pkg/training/genplay_bg.wasm",
    "pkg/training/relaxed/genplay.js",
    "pkg/training/relaxed/genplay_bg.wasm",
    "pkg/genplay_charts.js",
    "pkg/genplay_charts_bg.wasm",
  ];
  assert.deepEqual([...listed].sort(), expected.sort());
});

test("after one visit, every lab works with the network off", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  assert.equal(await page.evaluate(() => window.genplay.offline), true);
  await page.context().setOffline(true);
  await page.reload();
  await page.evaluate(() => window.genplay.loaded);
  for (const lab of LABS) {
    await page.evaluate((name) => (location.hash = `#/${name}`), lab);
    await page.waitForFunction(shows, lab, { timeout: 10_000 });
    const moved = await page.evaluate(async (name) => {
      const handle = window.genplay.labs[name];
      const before = JSON.stringify(handle.snapshot());
      await handle.step(1);
      return JSON.stringify(handle.snapshot()) !== before;
    }, lab);
    assert.ok(moved, `${lab}: step(1) changed its snapshot offline`);
  }
  // The GAN's Play trains in a Web Worker, whose module and wasm come from the cache too.
  await page.evaluate(() => (location.hash = "#/gan"));
  await page.waitForFunction(shows, "gan");
  const start = await page.evaluate(() => window.genplay.labs.gan.snapshot().iteration);
  await page.keyboard.press("Space");
  // Play trains on the page's thread until the worker has loaded, then in the worker.
  await page.waitForFunction(
    (from) =>
      window.genplay.debug.workers().runs > 0 &&
      window.genplay.labs.gan.snapshot().iteration > from,
    start,
  );
  await page.keyboard.press("Space");
  await page.evaluate(() => (location.hash = "#/learn"));
  await page.waitForSelector("main .learn");
  await page.context().setOffline(false);
  assert.deepEqual(problems, []);
  await close();
});

test("a new release takes over: its files are served online and kept for offline", async () => {
  // A copy of the playground, served on its own, that the test then "releases" anew.
  const folder = await mkdtemp(join(tmpdir(), "genplay-release-"));
  await cp(join(repo, "www"), join(folder, "www"), { recursive: true });
  await cp(join(repo, "pkg"), join(folder, "pkg"), { recursive: true });
  const release = await openBrowser({ folder });
  try {
    const { page, problems, close } = await release.open("#/coin");
    assert.equal(await page.evaluate(() => window.genplay.offline), true);
    // The cache is named in sw.js (a release renames it).
    const sw = join(folder, "www/sw.js");
    const source = await readFile(sw, "utf8");
    const cache = source.match(/const CACHE = "([^"]+)"/)[1];
    const next = `${cache}-next`;
    assert.deepEqual(await page.evaluate(() => caches.keys()), [cache]);
    // The next release: a new sw.js (its cache renamed) and a changed page.
    await writeFile(sw, source.replace(`"${cache}"`, `"${next}"`));
    const index = join(folder, "www/index.html");
    await writeFile(
      index,
      (await readFile(index, "utf8")).replace(
        "<title>",
        '<meta name="release" content="2" />\n<title>',
      ),
    );
    await page.reload();
    await page.evaluate(() => window.genplay.offline);
    const release2 = () => document.querySelector("meta[name=release]")?.content ?? "1";
    assert.equal(await page.evaluate(release2), "2", "online, the page is the new release's");
    const keys = await page.evaluate(async (next) => {
      for (let i = 0; i < 200 && (await caches.keys()).join() !== next; i++) {
        await new Promise((ok) => setTimeout(ok, 50));
      }
      return caches.keys();
    }, next);
    assert.deepEqual(keys, [next], "the old release's copy is deleted");
    await page.context().setOffline(true);
    await page.reload();
    await page.evaluate(() => window.genplay.ready);
    assert.equal(await page.evaluate(release2), "2", "offline, the copy is the new release's");
    const flips = await page.evaluate(() => {
      const coin = window.genplay.labs.coin;
      coin.step(5);
      return coin.snapshot().n_flips;
    });
    assert.ok(flips > 0, "the coin lab runs offline");
    await page.context().setOffline(false);
    assert.deepEqual(problems, []);
    await close();
  } finally {
    await release.close();
    await rm(folder, { recursive: true, force: true });
  }
});

test("the page is installable: a manifest with icons that load", async () => {
  const { page, problems, close } = await browser.open("#/coin");
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector("link[rel=manifest]").href;
    const m = await (await fetch(href)).json();
    const icons = await Promise.all(
      m.icons.map(async (icon) => {
        const response = await fetch(new URL(icon.src, href));
        const blob = await response.blob();
        const bitmap = await createImageBitmap(blob).catch(() => null);
        return { src: icon.src, ok: response.ok, type: blob.type, width: bitmap?.width ?? null };
      }),
    );
    return { name: m.name, start_url: m.start_url, display: m.display, icons };
  });
  assert.equal(manifest.display, "standalone");
  assert.match(manifest.start_url, /#\/coin$/);
  for (const icon of manifest.icons) assert.ok(icon.ok, `${icon.src} loads`);
  assert.deepEqual(
    manifest.icons.filter((i) => i.type === "image/png").map((i) => i.width),
    [192, 512],
  );
  assert.deepEqual(problems, []);
  await close();
});
