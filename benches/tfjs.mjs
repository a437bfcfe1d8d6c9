// TensorFlow.js, the browser peer of the training benches (benches/browser/gan.mjs,
// diffusion.mjs, …), loaded from node_modules into the bench's page: no CDN, and the page's own
// origin serves its scripts and .wasm files (a route of the page's context, which also answers
// the service worker). scripts/bench.sh installs it; the tests never need it.
//
// TensorFlow.js evaluates strings as code, which the page's Content-Security-Policy refuses: a
// bench that loads it opens its page with `{ bypassCSP: true }` (genplay's own code runs under
// the policy in every browser test).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const TFJS = join(dirname(fileURLToPath(import.meta.url)), "../node_modules/@tensorflow");

/** Whether TensorFlow.js and its wasm backend are installed. */
export const tfjsInstalled = () => existsSync(join(TFJS, "tfjs-backend-wasm"));

/** Loads TF.js with its wasm backend (and the cpu one it ships) into `page`; resolves to the
 * version. `window.tf` is then ready on the wasm backend. */
export async function loadTfjs(page) {
  const files = {
    "tf.min.js": "tfjs/dist/tf.min.js",
    "tf-backend-wasm.min.js": "tfjs-backend-wasm/dist/tf-backend-wasm.min.js",
  };
  await page.context().route("**/tfjs-peer/*", (route) => {
    const name = new URL(route.request().url()).pathname.split("/").pop();
    route.fulfill({
      contentType: name.endsWith(".wasm") ? "application/wasm" : "text/javascript",
      body: readFileSync(join(TFJS, files[name] ?? `tfjs-backend-wasm/dist/${name}`)),
    });
  });
  await page.addScriptTag({ url: "/tfjs-peer/tf.min.js" });
  await page.addScriptTag({ url: "/tfjs-peer/tf-backend-wasm.min.js" });
  return page.evaluate(async () => {
    window.tf.wasm.setWasmPaths(`${location.origin}/tfjs-peer/`);
    await window.tf.setBackend("wasm");
    await window.tf.ready();
    return window.tf.version.tfjs;
  });
}
