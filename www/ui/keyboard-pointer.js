// The keyboard's way to point at a plane: a canvas that answers clicks (adding a point, drawing a
// target, probing the latent space) becomes a tab stop with a cursor. The arrow keys move the
// cursor (Shift: in bigger steps); Enter clicks where it is, by sending the canvas the same
// pointer events a mouse would, so every lab's own click handling serves the keyboard too.
// The cursor's coordinates are written beside it and in the canvas's description.
import { el } from "./controls.js";

let planes = 0;

/** One arrow press moves the cursor by this fraction of the canvas's width (Shift: five times). */
const STEP = 0.02;

/**
 * `plot()` is the canvas's Plot (www/ui/plot.js): the cursor starts in the middle of its axes,
 * stays inside them and reads their coordinates; `names` are the axes' names and `action` what
 * Enter does. Returns nothing; the cursor lives as long as the canvas.
 */
export function keyboardPointer(canvas, { plot, names = ["x₁", "x₂"], action = "click" }) {
  canvas.tabIndex = 0;
  const hint = el(
    "span",
    { class: "visually-hidden", id: `plane-keys-${++planes}` },
    `Arrow keys move a cursor over this plot, Enter to ${action} there.`,
  );
  const cursor = el("div", { class: "key-cursor", "aria-hidden": "true", hidden: true });
  const readout = el("span", { class: "key-cursor-readout" });
  cursor.append(readout);
  canvas.after(hint, cursor);
  canvas.setAttribute("aria-describedby", hint.id);
  // In CSS pixels from the canvas's top left; the middle until moved.
  let at = null;

  const place = () => {
    const { left, top, w, h } = plot().rect;
    at ??= [left + w / 2, top + h / 2];
    at = [Math.min(left + w, Math.max(left, at[0])), Math.min(top + h, Math.max(top, at[1]))];
    cursor.style.left = `${canvas.offsetLeft + at[0]}px`;
    cursor.style.top = `${canvas.offsetTop + at[1]}px`;
    // On the right half the readout goes to the cursor's left, so a phone's edge never cuts it.
    cursor.classList.toggle("flip", at[0] > left + w / 2);
    const [x, y] = plot().invert(at[0], at[1]);
    const show = (v) => v.toFixed(2).replace("-", "−");
    const text = `${names[0]} = ${show(x)}, ${names[1]} = ${show(y)}`;
    readout.textContent = text;
    hint.textContent = `Cursor at ${text}. Arrow keys move it, Enter to ${action} there.`;
  };
  const send = (type) => {
    const box = canvas.getBoundingClientRect();
    canvas.dispatchEvent(
      new PointerEvent(type, {
        bubbles: true,
        cancelable: true,
        pointerId: 1,
        pointerType: "mouse",
        isPrimary: true,
        button: 0,
        buttons: type === "pointerup" ? 0 : 1,
        clientX: box.left + at[0],
        clientY: box.top + at[1],
      }),
    );
  };

  canvas.addEventListener("focus", () => {
    cursor.hidden = false;
    place();
  });
  canvas.addEventListener("blur", () => (cursor.hidden = true));
  canvas.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === "Enter") {
      place();
      send("pointerdown");
      send("pointerup");
    } else if (moves[event.key]) {
      const step = canvas.getBoundingClientRect().width * STEP * (event.shiftKey ? 5 : 1);
      at = [at[0] + moves[event.key][0] * step, at[1] + moves[event.key][1] * step];
      place();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  });
}
