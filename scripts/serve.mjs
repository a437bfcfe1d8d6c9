// A tiny static server for the playground: "/" is www/, "/pkg/" is the generated wasm glue.
// Bound to 127.0.0.1 only. Used by `make serve` and by the browser tests (with port 0).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(import.meta.url), "../..");

/** What a server of `folder` (a checkout, or a copy of its www/ and pkg/) serves where. */
const rootsOf = (folder) => [
  ["/pkg/", join(folder, "pkg")],
  ["/", join(folder, "www")],
];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function fileFor(roots, urlPath) {
  const path = decodeURIComponent(urlPath.split("?")[0]);
  for (const [prefix, dir] of roots) {
    if (!path.startsWith(prefix)) continue;
    let rest = path.slice(prefix.length) || "index.html";
    if (rest.endsWith("/")) rest += "index.html";
    const file = normalize(join(dir, rest));
    // Never serve anything outside the two folders.
    return file.startsWith(dir) ? file : null;
  }
  return null;
}

/** `folder`: what to serve (this checkout unless a test serves a copy, as a new release). */
export function startServer({ port = 8000, host = "127.0.0.1", folder = repo } = {}) {
  const roots = rootsOf(folder);
  const server = createServer(async (req, res) => {
    const file = fileFor(roots, req.url);
    try {
      if (!file) throw new Error("outside");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": types[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`not found: ${req.url}\n`);
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const port = i > 0 ? Number(process.argv[i + 1]) : 8000;
  const server = await startServer({ port });
  const { port: bound } = server.address();
  console.log(`genplay is served at http://127.0.0.1:${bound}/  (Ctrl+C stops it)`);
}
