// The page's weight: every byte the browser fetched by the time `genplay.ready` resolves on
// #/coin (a first visit), gzipped file by file as a server would send it. Goal: at most 400 KB.
import { gzipSync } from "node:zlib";

const BUDGET_KB = 400;

export async function bench({ open, log }) {
  const { fetched, close } = await open("#/coin");
  const files = await fetched();
  await close();
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
  const kb = (n) => (n / 1024).toFixed(1);
  log(
    "page_weight_at_ready_coin",
    kb(total),
    "KB gz",
    `wasm ${kb(kinds.wasm)}, JS ${kb(kinds.js)}, CSS ${kb(kinds.css)}, other ${kb(kinds.other)} ` +
      `(${files.length} files; goal ≤ ${BUDGET_KB} KB: ${total / 1024 <= BUDGET_KB ? "met" : "NOT met"})`,
  );
}
