// The service worker that lets the playground work offline after the first visit. It owns the
// offline cache: at install it stores every file the page can load (the shell, every lab's and
// page's module, the worker, the wasm modules and their glue), and it answers requests
// network-first, so an online visit always gets the newest files (and refreshes the cache), and
// an offline one gets the cached copy.
//
// Network-first, rather than cache-first, is what makes a new version take over cleanly: nothing
// old is served while the server can be reached, so a page never mixes two versions' modules.
// A changed sw.js (a new CACHE name) installs beside the old one, takes over at once, and deletes
// the old caches.

const CACHE = "genplay-v3";

/** Every file the page may fetch, relative to this script. tests/e2e/offline.test.mjs checks it. */
const FILES = [
  "./",
  "index.html",
  "style.css",
  "app.js",
  "manifest.webmanifest",
  "icon.svg",
  "icon-192.png",
  "icon-512.png",
  "data/digits-ATTRIBUTION.txt",
  "data/digits.bin",
  "labs/classify.js",
  "labs/coin.js",
  "labs/diffusion.js",
  "labs/em-play.js",
  "labs/em-scale.js",
  "labs/em.js",
  "labs/gan.js",
  "labs/gaussian.js",
  "labs/joint.js",
  "labs/vae-images.js",
  "labs/vae-narrate.js",
  "labs/vae.js",
  "pages/course-en.js",
  "pages/course-math.js",
  "pages/course-zh.js",
  "pages/learn.js",
  "ui/announce.js",
  "ui/bayes-table.js",
  "ui/chart.js",
  "ui/classroom.js",
  "ui/controls.js",
  "ui/em-worker.js",
  "ui/io.js",
  "ui/keyboard-pointer.js",
  "ui/lab.js",
  "ui/offline.js",
  "ui/plot.js",
  "ui/predict.js",
  "ui/qr.js",
  "ui/runtime.js",
  "ui/scrollable.js",
  "ui/settings.js",
  "ui/share.js",
  "ui/tour.js",
  "ui/train-worker.js",
  "ui/trainer.js",
  "ui/transport.js",
  "ui/wasm-build.js",
  "ui/worker-health.js",
  "pkg/genplay.js",
  "pkg/genplay_bg.wasm",
  "pkg/training/genplay.js",
  "pkg/training/genplay_bg.wasm",
  "pkg/training/relaxed/genplay.js",
  "pkg/training/relaxed/genplay_bg.wasm",
  "pkg/genplay_charts.js",
  "pkg/genplay_charts_bg.wasm",
];

self.addEventListener("install", (event) => {
  // `cache: "reload"` skips the HTTP cache, so the stored copies are the server's current ones.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fromNetworkElseCache(request));
});

async function fromNetworkElseCache(request) {
  const cache = await caches.open(CACHE);
  // Every address of the page itself (its hash never reaches the server) is the cached shell.
  // The query never changes a file (a fresh wasm instance after a panic imports the glue as
  // `genplay.js?instance=2`, a worker loads as `train-worker.js?build=…`), so the copy is kept
  // under the address without it: one copy per file, the newest, which loads offline too.
  const url = new URL(request.url);
  url.search = "";
  const key = request.mode === "navigate" ? "./" : url.href;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}
