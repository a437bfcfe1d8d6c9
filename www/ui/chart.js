// The labs' curve charts (losses, distances, bounds, frequencies), drawn by plotters in the
// charts module (charts/, a WebAssembly module of its own, pkg/genplay_charts.js): the page
// loads it once it is ready, so the charts add nothing to what the page needs before it can be
// used, and a chart asked to draw before it arrives draws when it does. The dense planes and heat
// maps stay in plot.js. Each chart can be saved as SVG (`svgOf(canvas)`, io.js's SVG button) as
// well as PNG.

let charts = null;
const pending = new Set();
/** Resolves once the charts module is loaded (the page starts it when it is ready). */
let loading = null;
export function loadCharts() {
  loading ??= import("../pkg/genplay_charts.js").then(async (module) => {
    await module.default();
    charts = module;
    for (const chart of pending) chart.redraw();
    pending.clear();
  });
  return loading;
}

const svgs = new WeakMap();
/** A function giving the SVG of the chart on `canvas`, or undefined for a canvas without one. */
export const svgOf = (canvas) => svgs.get(canvas);

export class CurveChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{xLabel: string, yLabel?: string, xLog?: boolean, yLog?: boolean}} axes
   */
  constructor(canvas, { xLabel, yLabel = "", xLog = false, yLog = false }) {
    this.canvas = canvas;
    this.axes = { xLabel, yLabel, xLog, yLog };
    this.spec = null;
    svgs.set(canvas, () => this.svg());
  }

  /**
   * Draws `spec` = {x: [min, max], y: [min, max], series: [...], notes: [{x, y, text}]}, each
   * series {kind: "line", label?, color, width, dashed?, xs, ys}, {kind: "points", label?,
   * color, radius, xs, ys}, {kind: "bars", label?, color, halfWidth, xs, ys} or {kind: "band",
   * label?, color, xs, lower, upper}, in order; a
   * label puts it in the legend. The numbers are copied at once: they may be views into the
   * wasm's memory, which a later call can move.
   */
  draw(spec) {
    const copy = (values) => (values ? Float64Array.from(values) : values);
    this.spec = {
      ...spec,
      series: (spec.series ?? []).map((s) => ({
        ...s,
        xs: copy(s.xs),
        ys: copy(s.ys),
        lower: copy(s.lower),
        upper: copy(s.upper),
      })),
    };
    this.redraw();
  }

  redraw() {
    if (!this.spec) return;
    if (!charts) {
      pending.add(this);
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    const chart = this.build();
    try {
      chart.draw(this.canvas, dpr);
    } finally {
      chart.free();
    }
  }

  /** The chart as an SVG document at the canvas's CSS size. */
  svg() {
    if (!charts || !this.spec) throw new Error("the chart has not been drawn yet");
    const chart = this.build();
    try {
      return chart.svg(
        Math.max(1, Math.round(this.canvas.clientWidth)),
        Math.max(1, Math.round(this.canvas.clientHeight)),
      );
    } finally {
      chart.free();
    }
  }

  build() {
    const { xLabel, yLabel, xLog, yLog } = this.axes;
    const { x, y, series = [], notes = [] } = this.spec;
    const chart = new charts.Chart(xLabel, yLabel);
    chart.x_range(x[0], x[1], xLog);
    chart.y_range(y[0], y[1], yLog);
    for (const s of series) {
      const label = s.label ?? undefined;
      if (s.kind === "band") chart.band(label, s.color, s.xs, s.lower, s.upper);
      else if (s.kind === "points") chart.points(label, s.color, s.radius, s.xs, s.ys);
      else if (s.kind === "bars") chart.bars(label, s.color, s.halfWidth, s.xs, s.ys);
      else chart.line(label, s.color, s.width ?? 2, Boolean(s.dashed), s.xs, s.ys);
    }
    for (const n of notes) chart.note(n.x, n.y, n.text);
    return chart;
  }
}
