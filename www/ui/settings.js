// The controls generated from a lab's schema: a slider, a drop-down list, radio buttons or a
// check box for every setting whose schema entry asks for one, under the entry's heading, with
// the entry's label, help, range and step. A lab adds nothing here; a new setting in the Rust
// schema appears by itself.
import { el, slider, select, checkboxes } from "./controls.js";
import { formatNumber } from "./plot.js";

let nextId = 0;

/** Decimals that a step of `step` needs (0.05 → 2, 1 → 0). */
function decimalsOf(step) {
  const text = String(step);
  return text.includes("e-") ? Number(text.split("e-")[1]) : (text.split(".")[1] ?? "").length;
}

/** The ladder position nearest to `v` (on a log scale for positive ladders). */
export function nearestIndex(ladder, v) {
  const log = ladder[0] > 0;
  const key = (x) => (log ? Math.log(Math.max(x, 1e-300)) : x);
  let best = 0;
  for (let i = 1; i < ladder.length; i++)
    if (Math.abs(key(ladder[i]) - key(v)) < Math.abs(key(ladder[best]) - key(v))) best = i;
  return best;
}

/** A slider's own range for an entry: an excluded end moves in by one step. */
export function sliderRange(entry) {
  const min = entry.min + (entry.min_exclusive ? entry.step : 0);
  const max = entry.max - (entry.max_exclusive ? entry.step : 0);
  const digits = decimalsOf(entry.step);
  return { min: Number(min.toFixed(digits)), max: Number(max.toFixed(digits)), step: entry.step };
}

function numberControl(entry, value, onSet, format) {
  // A setting that does not apply now (SGD's momentum under Adam) has the value null.
  const show =
    format ?? ((v) => (v === null ? "–" : formatNumber(v, Math.max(2, decimalsOf(entry.step)))));
  if (entry.ladder) {
    const ladder = entry.ladder;
    const control = slider({
      name: entry.name,
      label: entry.label,
      min: 0,
      max: ladder.length - 1,
      step: 1,
      value: value === null ? 0 : nearestIndex(ladder, value),
      format: (i) => show(ladder[i]),
      hint: entry.help,
      onInput: (i) => onSet(entry.name, ladder[i]),
    });
    control.input.dataset.ladder = "true";
    return {
      root: control.root,
      input: control.input,
      // The slider snaps to its ladder; the value beside it is the exact one.
      show: (v) => {
        control.show(v === null ? 0 : nearestIndex(ladder, v));
        control.root.querySelector("output").textContent = show(v);
      },
    };
  }
  const range = sliderRange(entry);
  const control = slider({
    name: entry.name,
    label: entry.label,
    ...range,
    value,
    format: show,
    hint: entry.help,
    onInput: (v) => onSet(entry.name, v),
  });
  return control;
}

/** One slider per number of a tuple (`p_y_given_x_heads`, `p_y_given_x_tails`). */
function tupleControls(entry, value, onSet, format) {
  let current = [...value];
  const parts = entry.items.map((item, i) =>
    slider({
      name: `${entry.name}_${item.name}`,
      label: item.label,
      min: item.min,
      max: item.max,
      step: 0.01,
      value: current[i],
      format: format ?? ((v) => formatNumber(v, 3)),
      onInput: (v) => {
        const next = [...current];
        next[i] = v;
        onSet(entry.name, next);
      },
    }),
  );
  return {
    root: el("div", { class: "control-tuple" }, ...parts.map((p) => p.root)),
    show: (v) => {
      current = [...v];
      parts.forEach((p, i) => p.show(v[i]));
    },
  };
}

function choiceControl(entry, value, onSet) {
  const byText = new Map(entry.choices.map((c) => [String(c.value), c.value]));
  if (entry.control === "radio") {
    const group = `${entry.name}-${++nextId}`;
    const inputs = entry.choices.map((c) =>
      el("input", {
        type: "radio",
        name: group,
        value: String(c.value),
        "data-param": entry.name,
        checked: c.value === value,
        onchange: (event) => onSet(entry.name, byText.get(event.target.value)),
      }),
    );
    return {
      root: el(
        "fieldset",
        { class: "control radio" },
        el("legend", {}, entry.label),
        ...inputs.map((input, i) => el("label", {}, input, ` ${entry.choices[i].label}`)),
        entry.help ? el("small", { class: "hint" }, entry.help) : null,
      ),
      show: (v) => inputs.forEach((input) => (input.checked = input.value === String(v))),
    };
  }
  const control = select({
    name: entry.name,
    label: entry.label,
    options: entry.choices.map((c) => [String(c.value), c.label]),
    value: String(value),
    onChange: (text) => onSet(entry.name, byText.get(text)),
  });
  if (entry.help) control.root.append(el("small", { class: "hint" }, entry.help));
  return { root: control.root, input: control.input, show: (v) => control.show(String(v)) };
}

function booleanControl(entry, value, onSet) {
  const input = el("input", {
    type: "checkbox",
    "data-param": entry.name,
    checked: value,
    onchange: () => onSet(entry.name, input.checked),
  });
  return {
    root: el(
      "div",
      { class: "control check" },
      el("label", {}, input, ` ${entry.label}`),
      entry.help ? el("small", { class: "hint" }, entry.help) : null,
    ),
    input,
    show: (v) => (input.checked = v),
  };
}

/**
 * Builds the controls of `schema` for the current `values`. `onSet(name, value)` runs on every
 * input; `format[name]` writes a number beside its slider; `legends[group]` titles a group of
 * check boxes (the "layers" group: a plot's layers). Returns `{groups, controls, show(values)}`:
 * one element per heading (in schema order) for the lab to place, and the controls by name.
 */
export function settingsControls(schema, values, { onSet, format = {}, legends = {} }) {
  const controls = {};
  const groups = {};
  const generated = schema.settings.filter((e) => e.control !== "custom" && e.group !== "run");
  for (const entry of generated) {
    const value = values[entry.name];
    let control;
    if (entry.kind === "boolean" && entry.group === "layers") continue;
    if (entry.kind === "tuple") control = tupleControls(entry, value, onSet, format[entry.name]);
    else if (entry.kind === "number" || entry.kind === "integer")
      control = numberControl(entry, value, onSet, format[entry.name]);
    else if (entry.kind === "choice") control = choiceControl(entry, value, onSet);
    else if (entry.kind === "boolean") control = booleanControl(entry, value, onSet);
    else continue;
    control.root.dataset.setting = entry.name;
    controls[entry.name] = control;
    groups[entry.group] ??= el(
      "section",
      { class: "settings-group", "data-group": entry.group },
      entry.group ? el("h3", {}, entry.group) : null,
    );
    groups[entry.group].append(control.root);
  }
  const layers = generated.filter((e) => e.kind === "boolean" && e.group === "layers");
  if (layers.length) {
    const { root, boxes } = checkboxes({
      legend: legends.layers ?? "Show",
      items: layers.map((e) => [e.name, e.label]),
      checked: (name) => values[name],
      onChange: (name, on) => onSet(name, on),
    });
    for (const entry of layers) {
      boxes[entry.name].dataset.param = entry.name;
      controls[entry.name] = { root, show: (v) => (boxes[entry.name].checked = v) };
    }
    groups.layers = root;
  }
  return {
    groups,
    controls,
    /** Shows values set from elsewhere (the API, a link, a preset) without firing `onSet`. */
    show(next) {
      for (const [name, control] of Object.entries(controls))
        if (name in next) control.show(next[name]);
    },
  };
}
