// What every lab shares besides the transport: the page skeleton (title, lede, controls, views)
// and the checked `set(name, value)` of the automation API.
import { el } from "./controls.js";
import { runtime } from "./runtime.js";
import { settingsControls } from "./settings.js";
import { transport } from "./transport.js";

/**
 * Builds the checked setter behind `labs.<name>.set(name, value)`.
 * `specs` maps each parameter to {type, allowed, apply}; type is "number", "integer", "string",
 * "pair" (two numbers), "boolean" or "array". Type errors are caught here; ranges are checked by the Rust
 * core, whose messages also say what is allowed. Either way the error names the parameter and
 * nothing changes.
 */
export function checkedSetter(labName, specs) {
  const list = () =>
    Object.entries(specs)
      .map(([name, spec]) => `${name} (${spec.allowed})`)
      .join("; ");
  return function set(name, value) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : null;
    if (!spec) {
      throw new Error(`${labName} has no parameter "${name}". Parameters: ${list()}`);
    }
    const wrong = typeProblem(spec.type, value);
    if (wrong) {
      throw new Error(
        `${name} = ${JSON.stringify(value)} is not allowed (${wrong}): ${name} must be ${spec.allowed}`,
      );
    }
    return spec.apply(value);
  };
}

function typeProblem(type, value) {
  const isNumber = (v) => typeof v === "number";
  switch (type) {
    case "number":
      return isNumber(value) ? null : `a ${typeof value}, not a number`;
    case "integer":
      if (!isNumber(value)) return `a ${typeof value}, not a number`;
      return Number.isInteger(value) ? null : "not a whole number";
    case "string":
      return typeof value === "string" ? null : `a ${typeof value}, not a string`;
    case "pair":
      return Array.isArray(value) && value.length === 2 && value.every(isNumber)
        ? null
        : "not a pair of numbers";
    case "boolean":
      return typeof value === "boolean" ? null : `a ${typeof value}, not true or false`;
    case "array":
      return Array.isArray(value) ? null : "not an array";
    default:
      return null;
  }
}

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
 * A parameter whose value must be one of `choices` (a speed, say); `unit` is written after the
 * list in the message. `apply(value, index)` takes an accepted value.
 */
export function oneOf(name, choices, unit, apply) {
  const spec = {
    type: "any",
    allowed: `one of ${choices.map((c) => (typeof c === "string" ? JSON.stringify(c) : c)).join(", ")}${unit ? ` (${unit})` : ""}`,
    apply: (value) => {
      const index = choices.indexOf(value);
      if (index < 0) {
        throw new Error(
          `${name} = ${JSON.stringify(value)} is not allowed: ${name} must be ${spec.allowed}`,
        );
      }
      apply(value, index);
    },
  };
  return spec;
}

/** The `seed` parameter every lab has: a new seed starts a new run through `reset(seed)`. */
export function seedSpec(reset, note = "") {
  return {
    type: "integer",
    allowed: `a whole number from 0 to 4294967295${note ? ` (${note})` : ""}`,
    apply: (value) => reset(value),
  };
}

/**
 * Paces Play for labs that draw at a steady rate: `take(...)` returns how many whole units (flips,
 * pairs, samples) are due this frame and carries the fraction over. A frame after a pause or a
 * hidden tab counts at most 0.1 s, so nothing bursts. At the run's cap it pauses with a message.
 */
export function pacer(noun) {
  let due = 0;
  return {
    clear() {
      due = 0;
    },
    take({ rate, dt, count, max, transport, message }) {
      if (count >= max) {
        transport.setPlaying(false);
        message.show(
          `This run reached ${max.toLocaleString("en-US")} ${noun}, the most one run holds. Reset to start a new run.`,
          { sticky: true },
        );
        return 0;
      }
      due += rate * Math.min(dt, 0.1);
      const whole = Math.floor(due);
      due -= whole;
      return whole;
    },
  };
}

/**
 * Collects the refusals while a link's settings are applied: `attempt(action)` runs one setting,
 * and `errors` lists the messages of those refused (the shell shows them in its banner).
 */
export function refusals() {
  const errors = [];
  return {
    errors,
    attempt(action) {
      try {
        action();
      } catch (error) {
        errors.push(error.message);
      }
    },
  };
}

/**
 * What every lab shares, built from its wasm handle and the handle's schema: the handle itself
 * (as `core.lab`, which survives a panic: after one, `revive()` builds a new handle from the last
 * link and `core.lab` points to it), the settings' current values, the automation API's `set`,
 * `reset`, `step`, `snapshot` and `schema`, links, and the generated controls and run bar.
 *
 * `create(wasm)` makes the handle. `onChange(listener)` registers `listener(name, applied)`,
 * called after every accepted change: a setting (`applied` is "live" or "rebuild"), a reset
 * ("rebuild"), a step or a link (`name` null).
 */
export function labCore({ app, create }) {
  let handle = create(runtime.wasm);
  const schema = handle.schema();
  const entries = Object.fromEntries(schema.settings.map((e) => [e.name, e]));
  let values = handle.values();
  let lastLink = handle.link();
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
    for (const listener of listeners) listener(name, applied);
    mounted?.settings.show(values);
    mounted?.bar.show(values);
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
    step(n = schema.step.default) {
      try {
        return handle.step(n);
      } finally {
        changed(null, null);
      }
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
      lastLink = handle.link();
      return lastLink;
    },
    /** Applies a link's parameters (an object); returns `{refused, replay}`. */
    applyLink(params) {
      const outcome = handle.apply_link(Object.entries(params));
      changed(null, "link");
      return outcome;
    },
    /** After a panic, in the fresh instance: a new handle restored from the last link. */
    revive() {
      handle = create(runtime.wasm);
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
        randomSeed: () => runtime.wasm.randomSeed(),
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
      mounted = { bar, settings };
      return mounted;
    },
    unmount() {
      if (values.playing) core.set("playing", false);
      mounted = null;
    },
    /** The automation API: `schema`, `snapshot`, `step`, `reset`, `set`, and `extra`. */
    api(extra = {}) {
      return {
        schema: () => schema,
        snapshot: () => handle.snapshot(),
        step: (n) => core.step(n),
        reset: (seed) => core.reset(seed),
        set: (name, value) => core.set(name, value),
        ...extra,
      };
    },
  };
  return core;
}
