// Classroom links: `&hide=name,name` hides controls and sections of a lab page, so that a class
// sees only what its teacher left. The names come from the lab's schema: a setting with a
// control of its own (`learning_rate`), a group of settings (`Training`, `layers`), plus
// `data_and_model` (the import and export panel). A name the lab does not have is refused with
// a message and ignored. A "Show all controls" button always stays, so nothing is locked away.
import { el, button } from "./controls.js";

/** The page elements each hideable name stands for, in the lab page `root`. */
export function hideable(root, schema) {
  const found = new Map();
  const add = (name, label, nodes) => {
    const list = [...nodes].filter(Boolean);
    if (list.length && !found.has(name)) found.set(name, { label, nodes: list });
  };
  const groups = [...new Set(schema.settings.map((s) => s.group))];
  for (const group of groups)
    add(
      group,
      `the ${group} section`,
      root.querySelectorAll(`[data-group="${CSS.escape(group)}"]`),
    );
  const layers = root.querySelector("fieldset.checkboxes");
  add("layers", "the layers to show", [layers]);
  for (const s of schema.settings) {
    // A generated control, or a lab's own control of the setting (the GAN's paired learning
    // rates), or one layer's check box.
    const box = root.querySelector(`[data-setting="${CSS.escape(s.name)}"]`);
    const input = root.querySelector(`[data-param="${CSS.escape(s.name)}"]`);
    add(s.name, s.label, [box ?? input?.closest(".control, label")]);
  }
  add("data_and_model", "the Data and model panel", root.querySelectorAll(".io-panel"));
  return found;
}

/**
 * Hides the names in `text` ("name,name") on the lab page `root`; returns `{hidden, refused}`:
 * the names hidden, and one message per name refused. Adds the "Show all controls" button when
 * anything is hidden.
 */
export function applyHide(root, schema, text) {
  const names = text
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const known = hideable(root, schema);
  const hidden = [];
  const refused = [];
  for (const name of names) {
    const entry = known.get(name);
    if (!entry) {
      refused.push(
        `hide = ${name}: the ${schema.lab} lab has no control or section called “${name}”; ` +
          `it can hide ${[...known.keys()].join(", ")}`,
      );
      continue;
    }
    if (hidden.includes(name)) continue;
    hidden.push(name);
    for (const node of entry.nodes) {
      node.hidden = true;
      node.classList.add("classroom-hidden");
    }
  }
  if (hidden.length) {
    const count = hidden.length;
    const note = el(
      "p",
      { class: "classroom-note" },
      `Your teacher hid ${count} control${count === 1 ? "" : "s"} or section${count === 1 ? "" : "s"} on this page. `,
    );
    const toggle = button("Show all controls", () => {
      const showing = toggle.getAttribute("aria-pressed") === "true";
      for (const node of root.querySelectorAll(".classroom-hidden")) node.hidden = showing;
      toggle.setAttribute("aria-pressed", String(!showing));
      toggle.textContent = showing ? "Show all controls" : "Hide them again";
    });
    toggle.setAttribute("aria-pressed", "false");
    toggle.classList.add("show-all");
    note.append(toggle);
    (root.querySelector(".controls") ?? root).prepend(note);
  }
  return { hidden, refused };
}
