// What a lab page brings in and takes out, for every lab alike: a "Data and model" panel under
// the controls (your own points from a CSV file, by the file picker or dropped on the views;
// the data as CSV, the snapshot as JSON, the trained model as JSON and back), a PNG button on
// every chart (and an SVG one on the curve charts, drawn by plotters), and the Share button (www/ui/share.js, loaded when pressed). What a lab offers
// is asked of its handle: only labs with a points setting have `import_csv`, only labs with a
// model to keep `export_model`. File contents are only ever shown as text.
import { el, button, messageLine } from "./controls.js";
import { svgOf } from "./chart.js";

/** Saves `blob` as `name` through a temporary `<a download>`. */
function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name's part from a view's title ("Loss curves" → "loss-curves"). */
const slug = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "chart";

/** The lab's data as rows: its own points where it has them, else the samples it shows. */
function dataRows(api) {
  if (api.points) return api.points().map((r) => (r.length === 1 ? [r[0], 0] : r));
  const s = api.snapshot();
  return s.drawn_points?.length ? s.drawn_points : (s.real_samples ?? []);
}

/** Reads a picked or dropped file as text (refusing what is plainly not text). */
async function readText(file) {
  if (file.size > 24e6)
    throw new Error(`${file.name} has ${file.size} bytes: give a file of at most 24000000 bytes`);
  return file.text();
}

/**
 * A button that opens the file picker. Its file input is never placed on the page (the button
 * is what one tabs to and what a screen reader names); a click on a detached input still opens
 * the picker.
 */
function filePicker(label, accept, onFile) {
  const input = el("input", { type: "file", accept });
  input.addEventListener("change", () => {
    const [file] = input.files;
    input.value = "";
    if (file) onFile(file);
  });
  return button(label, () => input.click());
}

/**
 * Adds the panel, the PNG buttons and the drop target to the lab page in `root`. `lab` is the
 * app's lab object (`name`, `core`, `api`); `share()` opens the Share dialog.
 */
export function attachIo(root, lab, { share }) {
  const { core, api, name } = lab;
  const handle = core.lab;
  const message = messageLine();
  const scaling = el("p", { class: "io-scaling hint" });
  scaling.hidden = true;
  const takesPoints = typeof handle.import_csv === "function";
  const keepsModel = typeof handle.export_model === "function";

  const importCsv = async (file) => {
    try {
      const r = api.import_csv(await readText(file));
      const classes = r.classes
        ? ` in ${r.classes} class${r.classes === 1 ? "" : "es"}` +
          (r.class_names.length
            ? ` (${r.class_names.map((n, i) => `${i} = ${n}`).join(", ")})`
            : "")
        : "";
      message.show(`${file.name}: ${r.rows} points${classes} are the lab's ${r.setting} now.`, {
        sticky: true,
      });
      scaling.textContent = [`Imported ${file.name}: ${r.scaling}.`, ...r.notes].join(" ");
      scaling.hidden = false;
    } catch (error) {
      message.show(`${file.name} was not imported: ${error.message}. The data stay as they were.`, {
        error: true,
        sticky: true,
      });
    }
  };
  const importModel = async (file) => {
    try {
      api.import_model(await readText(file));
      message.show(`${file.name}: the model is restored; training goes on from it.`, {
        sticky: true,
      });
    } catch (error) {
      message.show(`${file.name} was not imported: ${error.message}. Nothing changed.`, {
        error: true,
        sticky: true,
      });
    }
  };
  const guarded = (action) => () => message.guard(action);

  const csvPicker = takesPoints
    ? filePicker("Import CSV…", ".csv,.tsv,.txt,text/csv", importCsv)
    : null;
  const modelPicker = keepsModel
    ? filePicker("Import model…", ".json,application/json", importModel)
    : null;
  const panel = el(
    "section",
    {
      class: "settings-group io-panel",
      "data-group": "data_and_model",
      "aria-label": "Data and model",
    },
    el("h3", {}, "Data and model"),
    takesPoints
      ? el(
          "p",
          { class: "hint" },
          "Your own 2-D points: a CSV file with x, y (and a class) on each line, picked here or dropped on the charts.",
        )
      : null,
    el(
      "div",
      { class: "io-buttons" },
      csvPicker,
      takesPoints
        ? button(
            "Data (CSV)",
            guarded(() => {
              const rows = dataRows(api);
              const columns = rows[0]?.length === 3 ? 3 : 2;
              const flat = Float64Array.from(rows.flatMap((r) => r.slice(0, columns)));
              const text = core.wasm.pointsCsv(flat, columns);
              download(`genplay-${name}-data.csv`, new Blob([text], { type: "text/csv" }));
            }),
          )
        : null,
      button(
        "Snapshot (JSON)",
        guarded(() => {
          const text = `${JSON.stringify(api.snapshot(), null, 1)}\n`;
          download(`genplay-${name}-snapshot.json`, new Blob([text], { type: "application/json" }));
        }),
      ),
      keepsModel
        ? button(
            "Model (JSON)",
            guarded(() => {
              const text = api.export_model();
              download(
                `genplay-${name}-model.json`,
                new Blob([text], { type: "application/json" }),
              );
            }),
          )
        : null,
      modelPicker,
      button("Share…", () => share(), { kind: "share-button" }),
    ),
    scaling,
    message.root,
  );
  root.querySelector(".controls")?.append(panel);

  // Every chart and plane as PNG, and each curve chart (www/ui/chart.js, drawn by plotters,
  // which writes SVG too) as SVG: buttons in each canvas view's caption.
  for (const figure of root.querySelectorAll("figure.view")) {
    const canvas = figure.querySelector("canvas");
    const caption = figure.querySelector("figcaption");
    if (!canvas || !caption) continue;
    const title = caption.textContent.trim();
    const file = (kind) => `genplay-${name}-${slug(title)}.${kind}`;
    const save = (kind, onclick) =>
      el(
        "button",
        {
          type: "button",
          class: `btn ${kind}-button`,
          "aria-label": `Save “${title}” as ${kind.toUpperCase()}`,
          title: `Save “${title}” as ${kind.toUpperCase()}`,
          onclick,
        },
        kind.toUpperCase(),
      );
    caption.append(save("png", () => canvas.toBlob((blob) => blob && download(file("png"), blob))));
    const svg = svgOf(canvas);
    if (svg)
      caption.append(
        save(
          "svg",
          guarded(() => download(file("svg"), new Blob([svg()], { type: "image/svg+xml" }))),
        ),
      );
  }

  // A CSV dropped anywhere on the views.
  const views = root.querySelector(".views");
  if (takesPoints && views) {
    views.addEventListener("dragover", (event) => {
      if (![...event.dataTransfer.types].includes("Files")) return;
      event.preventDefault();
      views.classList.add("drop-target");
    });
    views.addEventListener("dragleave", () => views.classList.remove("drop-target"));
    views.addEventListener("drop", (event) => {
      const [file] = event.dataTransfer.files;
      if (!file) return;
      event.preventDefault();
      views.classList.remove("drop-target");
      importCsv(file);
    });
  }
  return { panel, message };
}
