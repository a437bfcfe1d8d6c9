// Shared form controls: every control has a visible label tied to it (so it has an accessible
// name), works from the keyboard, and shows its current value next to it.

let nextId = 0;
const uid = (stem) => `${stem}-${++nextId}`;

/** Creates an element with attributes and children in one call. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "html") node.innerHTML = value;
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (key === "style") node.style.cssText = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/**
 * A labelled range slider with its value written beside it.
 * `onInput(value)` fires while dragging and on arrow keys; `format` writes the value.
 */
export function slider({ name, label, min, max, step, value, format = String, hint, onInput }) {
  const id = uid(name);
  const input = el("input", {
    id,
    type: "range",
    name,
    min,
    max,
    step,
    value,
    "data-param": name,
  });
  const output = el("output", { for: id, class: "value" }, format(value));
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  input.addEventListener("input", () => {
    const v = Number(input.value);
    output.textContent = format(v);
    onInput(v);
  });
  const root = el(
    "div",
    { class: "control slider" },
    el("label", { for: id }, label),
    output,
    input,
    hint ? el("small", { id: hintId, class: "hint" }, hint) : null,
  );
  return {
    root,
    input,
    /** Shows a value set from elsewhere (the API, a URL) without firing onInput. */
    show(v) {
      input.value = v;
      output.textContent = format(v);
    },
  };
}

/** A labelled drop-down list. `options` is [[value, text], ...]. */
export function select({ name, label, options, value, onChange }) {
  const id = uid(name);
  const input = el(
    "select",
    { id, name, "data-param": name, onchange: () => onChange(input.value) },
    options.map(([v, text]) => el("option", { value: v }, text)),
  );
  input.value = value;
  return {
    root: el("div", { class: "control select" }, el("label", { for: id }, label), input),
    input,
    show(v) {
      input.value = v;
    },
  };
}

/** A button with a visible text label and an optional keyboard shortcut in its title. */
export function button(label, onClick, { key, kind = "", title } = {}) {
  return el(
    "button",
    {
      type: "button",
      class: `btn ${kind}`,
      onclick: onClick,
      title: title ?? (key ? `${label} (key: ${key})` : undefined),
      "aria-keyshortcuts": key,
    },
    label,
  );
}

/**
 * A definition list of live numbers. `rows` is [[key, label, title?], ...]; returns an object
 * with `set(key, text)`.
 */
export function readouts(rows, { caption } = {}) {
  const cells = {};
  const list = el(
    "dl",
    { class: "readouts" },
    rows.map(([key, label, title]) => {
      cells[key] = el("dd", { "data-readout": key });
      return el("div", { class: "readout", title }, el("dt", {}, label), cells[key]);
    }),
  );
  const root = caption
    ? el("section", { class: "readout-box" }, el("h3", {}, caption), list)
    : list;
  return {
    root,
    set(key, text) {
      if (cells[key].textContent !== text) cells[key].textContent = text;
    },
  };
}

/** A polite live region for messages (errors included) that screen readers announce. */
export function messageLine() {
  const root = el("p", { class: "message", role: "status", "aria-live": "polite" });
  let timer = 0;
  const line = {
    root,
    show(text, { error = false, sticky = false } = {}) {
      clearTimeout(timer);
      root.textContent = text;
      root.classList.toggle("error", error);
      if (!sticky) timer = setTimeout(() => (root.textContent = ""), 8000);
    },
    /** Runs a user action; a refusal is shown here instead of escaping (nothing changed). */
    guard(action) {
      try {
        const result = action();
        // Work on the GPU answers later: its failure is shown the same way.
        if (typeof result?.then === "function")
          result.catch((error) => line.show(error.message, { error: true }));
      } catch (error) {
        line.show(error.message, { error: true });
      }
    },
  };
  return line;
}

/**
 * A titled group of check boxes (a plot's layers, say). `items` is [[name, label], ...];
 * `onChange(name, checked)` fires on a click or Space. Returns the group and its boxes by name.
 */
export function checkboxes({ legend, items, checked, onChange }) {
  const boxes = {};
  const root = el(
    "fieldset",
    { class: "checkboxes" },
    el("legend", {}, legend),
    ...items.map(([name, label]) => {
      boxes[name] = el("input", {
        type: "checkbox",
        name,
        checked: checked(name),
        onchange: () => onChange(name, boxes[name].checked),
      });
      return el("label", {}, boxes[name], ` ${label}`);
    }),
  );
  return { root, boxes };
}
