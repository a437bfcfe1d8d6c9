// The page's weight and readiness, per route: every byte the browser fetched by the time
// `genplay.ready` resolves (a first visit, fresh context), gzipped file by file as a server would
// send it, and the time from navigation to `genplay.ready`, the median of 3 first visits.
// Goals: at most 400 KB and at most 1 s.
import { gzipSync } from "node:zlib";

const BUDGET_KB = 400;
const READY_GOAL_MS = 1000;
const VISITS = 3;
const ROUTES = ["coin", "joint", "gaussian", "em", "gan", "vae", "classify", "diffusion", "learn"];

export async function bench({ open, log }) {
  const kb = (n) => (n / 1024).toFixed(1);
  const met = (ok) => (ok ? "met" : "NOT met");
  for (const route of ROUTES) {
    const ready = [];
    let files = [];
    for (let visit = 0; visit < VISITS; visit++) {
      const { page, fetched, close } = await open(`#/${route}`);
      ready.push(await page.evaluate(() => window.genplay.readyAt));
      if (visit === 0) files = await fetched();
      await close();
    }
    const kinds = { wasm: 0, js: 0, css: 0, other: 0 };
    for (const { url, body } of files) {
      const gz = gzipSync(body, { level: 9 }).length;
      const kind = url.endsWith(".wasm")
        ? "wasm"
        : url.endsWith(".js")
          ? "js"
          : url.endsWith(".css")
            ? "css"
            : "other";
      kinds[kind] += gz;
    }
    const total = Object.values(kinds).reduce((a, b) => a + b, 0);
    log(
      `page_weight_at_ready_${route}`,
      kb(total),
      "KB gz",
      `wasm ${kb(kinds.wasm)}, JS ${kb(kinds.js)}, CSS ${kb(kinds.css)}, other ${kb(kinds.other)} ` +
        `(${files.length} files; goal ≤ ${BUDGET_KB} KB: ${met(total / 1024 <= BUDGET_KB)})`,
    );
    const median = ready.sort((a, b) => a - b)[Math.floor(VISITS / 2)];
    log(
      `ready_ms_${route}`,
      median.toFixed(0),
      "ms",
      `navigation to genplay.ready, median of ${VISITS} first visits; goal ≤ ${READY_GOAL_MS}: ${met(median <= READY_GOAL_MS)}`,
    );
  }
}
