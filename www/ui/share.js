// The Share dialog: a teacher ticks the controls and sections a class should not see, and gets
// the lab's link with `&hide=...` to copy, and its QR code (drawn here, www/ui/qr.js) to show on
// a projector. A modal <dialog>: Tab moves through it, Escape closes it, and it fits a phone.
import { el, button } from "./controls.js";
import { hideable } from "./classroom.js";
import { qrModules, drawQr } from "./qr.js";

/**
 * Opens the dialog for the lab page `root` (its `schema`). `linkFor(hidden)` is the full address
 * of the lab's run with those names hidden; `hidden` the names hidden now.
 */
export function openShare(root, schema, { linkFor, hidden = [] }) {
  const names = hideable(root, schema);
  const chosen = new Set(hidden.filter((n) => names.has(n)));
  const field = el("input", {
    type: "text",
    readonly: true,
    class: "share-link",
    "aria-label": "The link to share",
  });
  const canvas = el("canvas", { class: "share-qr", role: "img" });
  const qrNote = el("p", { class: "hint" });
  const status = el("p", { class: "message", role: "status", "aria-live": "polite" });

  const update = () => {
    const link = linkFor([...chosen]);
    field.value = link;
    const modules = qrModules(link);
    canvas.hidden = !modules;
    if (modules) {
      drawQr(canvas, modules, modules.length > 60 ? 3 : 4);
      canvas.setAttribute("aria-label", `QR code of the link ${link}`);
      qrNote.textContent = "Scan it to open this lab as the class will see it.";
    } else {
      qrNote.textContent = `The link has ${link.length} characters, too many for a QR code (at most 2,953): copy it instead.`;
    }
  };

  const boxes = [...names].map(([name, { label }]) =>
    el(
      "label",
      { class: "share-choice" },
      el("input", {
        type: "checkbox",
        name,
        "data-hide": name,
        checked: chosen.has(name),
        onchange: (event) => {
          if (event.target.checked) chosen.add(name);
          else chosen.delete(name);
          update();
        },
      }),
      ` ${label} `,
      el("code", {}, name),
    ),
  );
  const dialog = el(
    "dialog",
    { class: "share-dialog", "aria-labelledby": "share-title" },
    el("h2", { id: "share-title" }, "Share this lab"),
    el(
      "p",
      {},
      "The link opens this run as it is now. Tick what a class should not see; the page they open keeps a “Show all controls” button.",
    ),
    el("fieldset", { class: "share-choices" }, el("legend", {}, "Hide"), ...boxes),
    field,
    el(
      "div",
      { class: "io-buttons" },
      button("Copy link", async () => {
        field.select();
        try {
          await navigator.clipboard.writeText(field.value);
          status.textContent = "The link is copied.";
        } catch {
          status.textContent =
            "Copying was not allowed here: the link is selected, copy it with Ctrl+C.";
        }
      }),
      button("Close", () => dialog.close()),
    ),
    status,
    canvas,
    qrNote,
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  update();
  dialog.showModal();
  return dialog;
}
