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
/** Whether TensorFlow.js's webgpu backend is installed too. */
const webgpuInstalled = () => existsSync(join(TFJS, "tfjs-backend-webgpu"));

/** Loads TF.js with its wasm backend (and the cpu one it ships) into `page`; resolves to the
 * version. `window.tf` is then ready on the wasm backend, and `window.peer` holds what the
 * peers share: `mlp(sizes)`, a network of dense layers with LeakyReLU 0.2 between them as
 * genplay's, and `interleave(lab, build, {rounds, steps, theirs})`, which builds one training
 * step on each backend named in `theirs` (`build()` on that backend) and times, `rounds` times
 * over, `lab.step(steps)` then each backend's step `theirs[backend]` times; it resolves to the
 * medians in iterations per second, `{genplay, wasm, cpu}` (and `webgpu` after tfjsWebgpu). */
export async function loadTfjs(page) {
  const files = {
    "tf.min.js": "tfjs/dist/tf.min.js",
    "tf-backend-wasm.min.js": "tfjs-backend-wasm/dist/tf-backend-wasm.min.js",
    "tf-backend-webgpu.min.js": "tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js",
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
    const tf = window.tf;
    tf.wasm.setWasmPaths(`${location.origin}/tfjs-peer/`);
    await tf.setBackend("wasm");
    await tf.ready();
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    window.peer = {
      mlp(sizes) {
        const layers = [];
        for (let i = 1; i < sizes.length; i++) {
          const [fanIn, fanOut] = [sizes[i - 1], sizes[i]];
          layers.push([
            tf.variable(tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn))),
            tf.variable(tf.zeros([fanOut])),
          ]);
        }
        return {
          vars: layers.flat(),
          apply(x) {
            let h = x;
            layers.forEach(([w, b], i) => {
              h = tf.add(tf.matMul(h, w), b);
              if (i < layers.length - 1) h = tf.leakyRelu(h, 0.2);
            });
            return h;
          },
        };
      },
      async interleave(lab, build, { rounds, steps, theirs }) {
        const step = {};
        for (const backend of Object.keys(theirs)) {
          await tf.setBackend(backend);
          step[backend] = build();
          for (let i = 0; i < 3; i++) step[backend]();
        }
        const rates = { genplay: [] };
        for (let round = 0; round < rounds; round++) {
          lab.reset(1);
          lab.step(1);
          let t = performance.now();
          lab.step(steps);
          rates.genplay.push((steps * 1000) / (performance.now() - t));
          for (const [backend, count] of Object.entries(theirs)) {
            await tf.setBackend(backend);
            // One untimed step after the switch: data moved between backends stay moved.
            step[backend]();
            t = performance.now();
            for (let i = 0; i < count; i++) step[backend]();
            (rates[backend] ??= []).push((count * 1000) / (performance.now() - t));
          }
        }
        await tf.setBackend("wasm");
        return Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
      },
    };
    return tf.version.tfjs;
  });
}

/** After loadTfjs: adds TF.js's webgpu backend where it is installed and the browser has
 * WebGPU, and resolves to its adapter, `{name, software}` (null where it cannot start). The
 * backend then stays registered, so a bench calls this after its other figures. */
export async function tfjsWebgpu(page) {
  if (!webgpuInstalled() || !(await page.evaluate(() => "gpu" in navigator))) return null;
  await page.addScriptTag({ url: "/tfjs-peer/tf-backend-webgpu.min.js" });
  return page.evaluate(async () => {
    const tf = window.tf;
    let adapter = null;
    if (await tf.setBackend("webgpu").catch(() => false)) {
      await tf.ready();
      const info = (await navigator.gpu.requestAdapter())?.info ?? {};
      adapter = {
        name: [info.vendor, info.architecture, info.description].filter(Boolean).join(" "),
        software: Boolean(info.isFallbackAdapter) || /swiftshader|llvmpipe/i.test(info.vendor),
      };
    }
    await tf.setBackend("wasm");
    return adapter;
  });
}
