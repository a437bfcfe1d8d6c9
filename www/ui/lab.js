// What every lab shares besides the transport: the page skeleton (title, lede, controls, views)
// and the checked `set(name, value)` of the automation API.
import { el } from "./controls.js";

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
 * that a phone shows the sliders and then at once what they change). Returns the parts.
 */
export function labPage({ title, lede }) {
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
    el("div", { class: "lab-body" }, controls, views, numbers),
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
