// What every lab shares: the page skeleton (title, lede, controls, views), Play for labs that
// sample at a steady rate, and the lab core built from the lab's schema (its handle, settings,
// automation API, links and generated controls).
import { el } from "./controls.js";
import { runtime } from "./runtime.js";
import { settingsControls } from "./settings.js";
import { transport } from "./transport.js";

/**
 * The skeleton of a lab page: a heading with a one-paragraph lede, a controls column, a grid of
 * views, and a numbers panel (beside the controls on a desktop, after the views on a phone, so
 * that a phone shows the sliders and then at once what they change). Labs whose controls are a
 * long list of settings pass `plotFirstOnPhone`: a phone then shows the main view first, the
 * controls under it, then the other views. Returns the parts.
 */
export function labPage({ title, lede, plotFirstOnPhone = false }) {
  const controls = el("aside", { class: "panel controls", "aria-label": "Controls" });
  const views = el("div", { class: "views" });
  const numbers = el("aside", { class: "panel numbers", "aria-label": "Numbers" });
  const root = el(
    "section",
    { class: "lab" },
    el(
      "header",
      { class: "lab-head" },
      el("h2", {}, title),
      el("p", { class: "lede", html: lede }),
    ),
    el(
      "div",
      { class: `lab-body${plotFirstOnPhone ? " plot-first" : ""}` },
      controls,
      views,
      numbers,
    ),
  );
  return { root, controls, views, numbers };
}

/** A titled panel of text or a table (no canvas), with the view class `className`. */
export function textView(title, className, ...content) {
  return el(
    "figure",
    { class: `panel view${className ? ` ${className}` : ""}` },
    el("figcaption", {}, title),
    ...content,
  );
}

/** One explained view: a titled figure holding a canvas, with its explanation underneath. */
export function view({ title, explain, canvasLabel, tall = false }) {
  const canvas = el("canvas", { role: "img", "aria-label": canvasLabel ?? title });
  const root = el(
    "figure",
    { class: `panel view${tall ? " tall" : ""}` },
    el("figcaption", {}, title),
    el("div", { class: "canvas-box" }, canvas),
    explain ? el("div", { class: "explain", html: explain }) : null,
  );
  return { root, canvas };
}

/**
 * Play for labs that sample at a steady rate (the coin, the joint table, the Gaussian): each
 * frame advances the run by what the speed setting asks for (per second, times `perUnit()`
 * units of progress each), carrying the fraction over. A frame after a pause or a hidden tab
 * counts at most 0.1 s, so nothing bursts. At the run's cap Play stops with a message. `frame`
 * returns whether the run advanced.
 */
export function steadyPlay({ core, app, noun, perUnit = () => 1 }) {
  let due = 0;
  const max = core.schema.progress.max;
  core.onChange((name) => {
    if (name === "seed" || name === "playing") due = 0;
  });
  return {
    frame(dt, message) {
      if (!core.values.playing) return false;
      if (core.lab.progress() >= max) {
        core.set("playing", false);
        message?.show(
          `This run reached ${max.toLocaleString("en-US")} ${noun}, the most one run holds. Reset to start a new run.`,
          { sticky: true },
        );
        return false;
      }
      due += core.values.speed * perUnit() * Math.min(dt, 0.1);
      const whole = Math.floor(due);
      due -= whole;
      if (whole > 0) {
        core.lab.advance(whole);
        app.stateChanged();
      }
      return whole > 0;
    },
  };
}

/**
 * Drives a step begun on the GPU (`handle.gpu_begin(n)` returned true) to its end; resolves to
 * what the step returns. The browser cannot wait for the GPU, so each read-back is awaited.
 */
export async function finishOnGpu(handle) {
  let done;
  while ((done = handle.gpu_continue()) === undefined) await handle.gpu_ready();
  return done;
}

/**
 * A model file as JSON a person can read: one line per field and per array of the model
 * (written whole, a network's weights would be thousands of lines of one number each).
 */
function modelJson(file) {
  const lines = (object, indent) =>
    Object.entries(object).map(([k, v]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const { model, ...rest } = file;
  const head = lines(rest, "  ");
  const body = lines(model, "    ");
  return `{\n${head.join(",\n")},\n  "model": {\n${body.join(",\n")}\n  }\n}\n`;
}

/**
 * What every lab shares, built from its wasm handle and the handle's schema: the handle itself
 * (as `core.lab`, which survives a panic: after one, `revive()` builds a new handle from the last
 * link and `core.lab` points to it), the settings' current values, the automation API's `set`,
 * `reset`, `step`, `snapshot` and `schema`, links, and the generated controls and run bar.
 *
 * `create(wasm)` makes the handle from the exports of the module `module` (www/ui/wasm-build.js),
 * which must be loaded (`useModule`). `onChange(listener)` registers `listener(name, applied)`,
 * called after every accepted change: a setting (`applied` is "live" or "rebuild"), a reset
 * ("rebuild"), a step or a link (`name` null).
 */
export function labCore({ app, create, module = "basic" }) {
  /** The lab's module in the current instance. */
  const own = () => runtime.modules[module];
  /** A new handle in the current instance, told about its module's GPU. */
  const fresh = () => {
    const { wasm, gpu } = own();
    const h = create(wasm);
    if (gpu.device) h.use_gpu(gpu.device);
    else h.no_gpu(gpu.reason);
    return h;
  };
  let handle = fresh();
  const schema = handle.schema();
  const entries = Object.fromEntries(schema.settings.map((e) => [e.name, e]));
  let values = handle.values();
  // Progress a lab still has to replay (a link's iterations, over the next frames) counts as
  // done in its link, so a link copied (or a panic met) mid-replay still names the whole run.
  let pending = () => 0;
  const readLink = () => {
    const link = handle.link();
    const extra = pending();
    if (extra > 0) {
      const last = link[link.length - 1];
      last[1] = String(Number(last[1]) + extra);
    }
    return link;
  };
  let lastLink = readLink();
  // The backend a lab with a GPU path runs on ({backend, backend_note, gpu_adapter, step_ms}).
  let backend = handle.backend_report();
  const listeners = [];
  let mounted = null; // {bar, settings} of the page on screen

  const lab = new Proxy(
    {},
    {
      get(_, key) {
        const member = handle[key];
        return typeof member === "function" ? member.bind(handle) : member;
      },
    },
  );

  function changed(name, applied) {
    values = handle.values();
    backend = handle.backend_report();
    // Kept fresh so that a panic loses nothing set since: the address follows only twice a second.
    lastLink = readLink();
    for (const listener of listeners) listener(name, applied);
    mounted?.settings.show(values);
    mounted?.bar.show(values);
    mounted?.showBackend();
    app.stateChanged();
  }

  const speedValues = entries.speed?.choices.map((c) => c.value) ?? [];
  const speedLabel = (v) => entries.speed?.choices.find((c) => c.value === v)?.label ?? String(v);

  const core = {
    schema,
    entries,
    lab,
    get values() {
      return values;
    },
    /** The exports of the lab's module in the current instance (`pointsCsv`, say). */
    get wasm() {
      return own().wasm;
    },
    /** The link as last read, still there after a panic has made the handle unusable. */
    get lastLink() {
      return lastLink;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    /** `set(name, value)` of the API: refused with the schema's message, or applied. */
    set(name, value) {
      const applied = handle.set(name, value);
      changed(name, applied);
      return applied;
    },
    reset(seed = values.seed) {
      handle.reset(seed);
      changed("seed", "rebuild");
    },
    /** Whether the lab's work runs on the GPU now. */
    get onGpu() {
      return backend?.backend === "gpu";
    },
    /**
     * `step(n)`: at once on the CPU; on the GPU a Promise (a browser cannot wait for the GPU),
     * which resolves to what the step returns once the GPU's results are back.
     */
    step(n = schema.step.default) {
      const start = performance.now();
      // The time per step goes to the lab's backend report (when a step did any work).
      const timed = () => {
        if (n > 0 && backend) handle.record_step_ms((performance.now() - start) / n);
        changed(null, null);
      };
      let started;
      try {
        started = handle.gpu_begin(n);
      } catch (error) {
        changed(null, null);
        throw error;
      }
      if (!started) {
        try {
          return handle.step(n);
        } finally {
          timed();
        }
      }
      return finishOnGpu(handle).finally(timed);
    },
    /**
     * After an action of the lab's own that changed its run outside `set` (a point clicked in,
     * say): re-reads the values, tells the listeners (`name` and `applied` as for a setting),
     * and updates the controls and the URL.
     */
    refresh(name = null, applied = null) {
      changed(name, applied);
    },
    /** The run's link as `[[name, text], ...]`. */
    link() {
      lastLink = readLink();
      return lastLink;
    },
    /**
     * The link for a copy of the run in a Web Worker: without the progress (the copy's state,
     * or the work it is given, holds it) and without the compute setting (a worker has no GPU).
     */
    workerLink() {
      return core.link().filter(([name]) => name !== schema.progress.name && name !== "backend");
    },
    /**
     * `import_csv(text)` of the API: a CSV file's points into the lab's points setting;
     * returns `{rows, classes, class_names, setting, scaling, scale, center, notes}`, or
     * throws with the line and column at fault (and nothing changes).
     */
    importCsv(text) {
      const imported = handle.import_csv(String(text));
      changed(imported.setting, "rebuild");
      return imported;
    },
    /** `export_model()` of the API: the trained model as JSON text (www/ui/io.js writes it). */
    exportModel() {
      return modelJson(handle.export_model());
    },
    /** `import_model(json)` of the API: restores a model file (its text or parsed object). */
    importModel(json) {
      let file = json;
      if (typeof json === "string") {
        try {
          file = JSON.parse(json);
        } catch (error) {
          throw new Error(`this file is not JSON, so it is no model file: ${error.message}`);
        }
      }
      handle.import_model(file);
      // As a link does: the run was replaced, so a replay, a narration or Play no longer apply.
      changed(null, "link");
    },
    /** Applies a link's parameters (an object); returns `{refused, replay}`. */
    applyLink(params) {
      const outcome = handle.apply_link(Object.entries(params));
      changed(null, "link");
      return outcome;
    },
    /** After a panic, in the fresh instance: a new handle restored from the last link. */
    revive() {
      handle = fresh();
      const outcome = handle.apply_link(lastLink);
      changed(null, "link");
      return outcome;
    },
    /**
     * Builds the run bar and the generated controls for a page; refusals go to `message`.
     * `intercept[name](value)` may take a control's input itself (and return true), for a lab
     * whose control does more than set its value. Returns `{bar, settings}`: place `bar.root`
     * and `settings.groups[heading]` (or `settings.controls[name].root`) on the page.
     */
    mount({ message, stepLabel, onStep, onPlay, format, legends, intercept = {} }) {
      const guard = (action) => message.guard(action);
      const bar = transport({
        speeds: speedValues,
        speedIndex: Math.max(0, speedValues.indexOf(values.speed)),
        speedLabel,
        stepLabel,
        seed: values.seed,
        seedMin: entries.seed.min,
        seedMax: entries.seed.max,
        onPlay: (on) =>
          guard(() => {
            core.set("playing", on);
            onPlay?.(on);
          }),
        onStep: () => guard(() => (onStep ? onStep() : core.step())),
        onReset: (seed) => guard(() => core.reset(seed)),
        onSpeed: (v) => guard(() => core.set("speed", v)),
        randomSeed: () => own().wasm.randomSeed(),
      });
      bar.show(values);
      const settings = settingsControls(schema, values, {
        onSet: (name, value) =>
          guard(() => {
            if (!intercept[name]?.(value)) core.set(name, value);
          }),
        format,
        legends,
      });
      settings.show(values);
      // A lab with a GPU path says where it computes, and why not on the GPU when it does not.
      const badge = entries.backend
        ? el("p", { class: "backend-badge", role: "status", "aria-live": "polite" })
        : null;
      settings.groups.Compute?.append(badge);
      const showBackend = () => {
        if (!badge || !backend) return;
        const where = backend.backend === "gpu" ? "GPU" : "CPU";
        const adapter = backend.gpu_adapter
          ? ` · ${backend.gpu_adapter.name}${backend.gpu_adapter.fallback ? " (software)" : ""}`
          : "";
        // On the CPU, which build of the module computes (www/ui/wasm-build.js).
        const build = own().build === "relaxed-simd" ? "relaxed SIMD (fused multiply-add)" : "SIMD";
        const cpu = ` · WebAssembly with ${build}`;
        const timing = backend.step_ms === null ? "" : ` · ${backend.step_ms.toFixed(2)} ms/step`;
        badge.dataset.backend = backend.backend;
        badge.replaceChildren(
          el("strong", {}, `Running on the ${where}`),
          backend.backend === "gpu" ? adapter : cpu,
          timing,
          backend.backend_note ? el("span", { class: "hint" }, backend.backend_note) : null,
        );
      };
      mounted = { bar, settings, showBackend, badge };
      showBackend();
      return mounted;
    },
    unmount() {
      if (values.playing) core.set("playing", false);
      mounted = null;
    },
    /**
     * What the app needs of a lab for links and panics: the core, `link()`, `applyUrlState(params)`
     * (returns the refusals) and `revive()`. `replay(count)`, given for labs that replay a link
     * over frames, receives the progress still to replay, and `replaying()` says how much is left.
     */
    appMembers(replay = () => {}, replaying = () => 0) {
      pending = replaying;
      return {
        core,
        link: () => core.link(),
        applyUrlState(params) {
          const outcome = core.applyLink(params);
          replay(outcome.replay);
          return outcome.refused;
        },
        revive: () => replay(core.revive().replay),
      };
    },
    /** The automation API: `schema`, `snapshot`, `step`, `reset`, `set`, and `extra`. */
    api(extra = {}) {
      return {
        schema: () => schema,
        snapshot: () => handle.snapshot(),
        step: (n) => core.step(n),
        reset: (seed) => core.reset(seed),
        set: (name, value) => core.set(name, value),
        import_csv: (text) => core.importCsv(text),
        export_model: () => core.exportModel(),
        import_model: (json) => core.importModel(json),
        ...extra,
      };
    },
  };
  return core;
}
