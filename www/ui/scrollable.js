// Keyboard access to what scrolls sideways: a wide formula or table on a phone scrolls inside its
// box, and a box that scrolls must be reachable by Tab so that the arrow keys can scroll it. Such
// boxes get tabindex=0 while their content overflows, and lose it when it fits again (a formula
// that fits is no tab stop).

/** The boxes style.css lets scroll sideways (overflow-x: auto). */
const SCROLLERS = [
  ".formula",
  ".table-scroll",
  ".article-note blockquote",
  ".gauss-lab .explain p",
  ".gauss-formulas",
  ".gauss-formulas math[display='block']",
  ".em-table",
  ".classify-table-box",
  ".classify-formula",
  ".classify-compare math",
].join(", ");

/** Keeps every sideways-scrolling box under `root` focusable while it overflows. */
export function keyboardScrollable(root) {
  let queued = false;
  const update = () => {
    queued = false;
    for (const box of root.querySelectorAll(SCROLLERS)) {
      const overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "";
      } else if (!overflows && "scrollFocus" in box.dataset) {
        // Only a tab stop this module added goes; one the markup asked for stays.
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    }
  };
  const queue = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(update);
  };
  new MutationObserver(queue).observe(root, { childList: true, subtree: true });
  addEventListener("resize", queue);
  queue();
  return update;
}
