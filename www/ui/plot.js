// Canvas charts shared by every lab: crisp on high-DPI screens, resized with their box, with
// labelled axes and ticks. Drawing calls batch by colour (one path per colour) and draw points as
// small squares, which keeps dense scatters fast in software-rendered browsers too.

/** Okabe–Ito colours: distinguishable with every common form of colour blindness. */
export const colors = {
  orange: "#E69F00",
  sky: "#56B4E9",
  green: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  purple: "#CC79A7",
  ink: "#1d2433",
  muted: "#5f6675",
  grid: "#e6e8ef",
};

/** The eight series colours in the order labs use them. */
export const series = [
  colors.blue,
  colors.orange,
  colors.green,
  colors.vermillion,
  colors.purple,
  colors.sky,
  colors.yellow,
  colors.ink,
];

/**
 * Colours for up to 16 mixture components: the eight series colours, then eight of Paul Tol's
 * "muted" scheme, the ones least like the first eight. Sixteen colours cannot all stay apart
 * for every reader (a few pairs are close), so a lab that shows more than eight also numbers
 * them.
 */
export const componentColors = [
  ...series,
  "#332288",
  "#882255",
  "#999933",
  "#CC6677",
  "#44AA99",
  "#DDCC77",
  "#117733",
  "#AA4499",
];

/** Tick values at 1, 2 or 5 times a power of ten, about `count` of them across [min, max]. */
function niceTicks(min, max, count = 5) {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return ticks;
}

/** A compact, readable number: 12,345 · 0.25 · 1.2e-7. */
export function formatNumber(v, digits = 3) {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en-US");
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return Number(v.toFixed(digits)).toString();
}

function formatTick(v, log) {
  if (log) {
    if (v >= 1e6) return `${v / 1e6}M`;
    if (v >= 1e3) return `${v / 1e3}k`;
  }
  return formatNumber(v, 3);
}

/** The semi-axes (standard deviations) and angle of a 2×2 covariance's principal axes. */
function ellipseAxes(c) {
  const [a, b, d] = [c[0][0], c[0][1], c[1][1]];
  const mean = (a + d) / 2;
  const spread = Math.sqrt(((a - d) / 2) ** 2 + b * b);
  const major = mean + spread;
  const minor = Math.max(mean - spread, 0);
  const angle = Math.abs(b) < 1e-15 && a >= d ? 0 : Math.atan2(major - a, b);
  return [Math.sqrt(major), Math.sqrt(minor), angle];
}

export class Plot {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{x: number[], y: number[], xLabel?: string, yLabel?: string, xLog?: boolean,
   *          yLog?: boolean, equalAspect?: boolean, xTickLabels?: [number, string][]}} options
   * `xTickLabels` names categories on the x-axis (for example [[0, "H"], [1, "T"]]) in place of
   * numeric ticks.
   */
  constructor(canvas, options) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.options = { xLog: false, yLog: false, equalAspect: false, ...options };
    this.margin = { left: options.yLabel ? 52 : 36, right: 12, top: 10, bottom: 40 };
    this.setDomain(options.x, options.y);
    this.width = 0;
    this.height = 0;
  }

  setDomain(x, y) {
    this.x = [...x];
    this.y = [...y];
  }

  /** Matches the canvas's pixel size to its box; returns true when the size changed. */
  resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth));
    const h = Math.max(1, Math.round(this.canvas.clientHeight));
    const changed = w !== this.width || h !== this.height || this.dpr !== dpr;
    if (changed) {
      this.width = w;
      this.height = h;
      this.dpr = dpr;
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.layout();
    return changed;
  }

  /** The plotting rectangle in CSS pixels; square data units when equalAspect is set. */
  layout() {
    const m = this.margin;
    let left = m.left;
    let top = m.top;
    let w = this.width - m.left - m.right;
    let h = this.height - m.top - m.bottom;
    if (this.options.equalAspect) {
      const unitsX = this.x[1] - this.x[0];
      const unitsY = this.y[1] - this.y[0];
      const scale = Math.min(w / unitsX, h / unitsY);
      left += (w - unitsX * scale) / 2;
      top += (h - unitsY * scale) / 2;
      w = unitsX * scale;
      h = unitsY * scale;
    }
    this.rect = { left, top, w: Math.max(w, 1), h: Math.max(h, 1) };
  }

  tx(v) {
    return this.options.xLog ? Math.log10(Math.max(v, 1e-300)) : v;
  }

  ty(v) {
    return this.options.yLog ? Math.log10(Math.max(v, 1e-300)) : v;
  }

  /** Data x to CSS pixels. */
  sx(v) {
    // No array per call: every dot of a frame comes through here.
    const a = this.tx(this.x[0]);
    const b = this.tx(this.x[1]);
    return this.rect.left + ((this.tx(v) - a) / (b - a)) * this.rect.w;
  }

  /** Data y to CSS pixels. */
  sy(v) {
    const a = this.ty(this.y[0]);
    const b = this.ty(this.y[1]);
    return this.rect.top + (1 - (this.ty(v) - a) / (b - a)) * this.rect.h;
  }

  /** CSS pixels (relative to the canvas) back to data coordinates. */
  invert(px, py) {
    const [a, b] = this.x.map((d) => this.tx(d));
    let x = a + ((px - this.rect.left) / this.rect.w) * (b - a);
    if (this.options.xLog) x = 10 ** x;
    const [c, d] = this.y.map((v) => this.ty(v));
    let y = c + (1 - (py - this.rect.top) / this.rect.h) * (d - c);
    if (this.options.yLog) y = 10 ** y;
    return [x, y];
  }

  clear() {
    this.resize();
    this.ctx.clearRect(0, 0, this.width, this.height);
  }

  xTicks() {
    if (this.options.xTickLabels) return this.options.xTickLabels.map(([v]) => v);
    if (!this.options.xLog) return niceTicks(this.x[0], this.x[1], this.width < 360 ? 4 : 6);
    const ticks = [];
    for (let e = Math.ceil(Math.log10(this.x[0])); 10 ** e <= this.x[1]; e++) ticks.push(10 ** e);
    return ticks;
  }

  /** Powers of ten across [min, max] (with 2× and 5× between when there are fewer than 3). */
  static logTicks(min, max) {
    const ticks = [];
    for (let e = Math.ceil(Math.log10(min)); 10 ** e <= max; e++) ticks.push(10 ** e);
    if (ticks.length >= 3) return ticks;
    const fine = [];
    for (let e = Math.floor(Math.log10(min)); 10 ** e <= max; e++)
      for (const m of [1, 2, 5])
        if (m * 10 ** e >= min && m * 10 ** e <= max) fine.push(m * 10 ** e);
    return fine;
  }

  yTicks() {
    if (this.options.yLog) return Plot.logTicks(this.y[0], this.y[1]);
    return niceTicks(this.y[0], this.y[1], this.height < 220 ? 3 : 5);
  }

  /** Grid, ticks and axis labels. */
  axes() {
    const { ctx, rect } = this;
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    ctx.lineWidth = 1;
    ctx.strokeStyle = colors.grid;
    ctx.fillStyle = colors.muted;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const t of this.xTicks()) {
      const x = Math.round(this.sx(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, rect.top);
      ctx.lineTo(x, rect.top + rect.h);
      ctx.stroke();
      const named = this.options.xTickLabels?.find(([v]) => v === t);
      ctx.fillText(named ? named[1] : formatTick(t, this.options.xLog), x, rect.top + rect.h + 4);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const t of this.yTicks()) {
      const y = Math.round(this.sy(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(rect.left, y);
      ctx.lineTo(rect.left + rect.w, y);
      ctx.stroke();
      ctx.fillText(formatTick(t, false), rect.left - 5, y);
    }
    ctx.strokeStyle = colors.muted;
    ctx.strokeRect(rect.left + 0.5, rect.top + 0.5, rect.w - 1, rect.h - 1);
    ctx.fillStyle = colors.ink;
    ctx.font = "13px system-ui, sans-serif";
    if (this.options.xLabel) {
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      ctx.fillText(this.options.xLabel, rect.left + rect.w / 2, this.height - 2);
    }
    if (this.options.yLabel) {
      ctx.translate(12, rect.top + rect.h / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(this.options.yLabel, 0, 0);
    }
    ctx.restore();
  }

  /** Restricts the following drawing to the plotting rectangle until `unclip()`. */
  clip() {
    const { ctx, rect } = this;
    ctx.save();
    ctx.beginPath();
    ctx.rect(rect.left, rect.top, rect.w, rect.h);
    ctx.clip();
  }

  unclip() {
    this.ctx.restore();
  }

  line(xs, ys, color, { width = 2, dash = [] } = {}) {
    const { ctx } = this;
    if (xs.length === 0) return;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.lineJoin = "round";
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(this.sx(xs[0]), this.sy(ys[0]));
    for (let i = 1; i < xs.length; i++) ctx.lineTo(this.sx(xs[i]), this.sy(ys[i]));
    ctx.stroke();
    ctx.restore();
  }

  /** A shaded area between `lo` and `hi` over `xs`. */
  band(xs, lo, hi, color) {
    const { ctx } = this;
    if (xs.length === 0) return;
    ctx.save();
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(this.sx(xs[0]), this.sy(hi[0]));
    for (let i = 1; i < xs.length; i++) ctx.lineTo(this.sx(xs[i]), this.sy(hi[i]));
    for (let i = xs.length - 1; i >= 0; i--) ctx.lineTo(this.sx(xs[i]), this.sy(lo[i]));
    ctx.closePath();
    ctx.fill();
    ctx.restore();
  }

  /** Vertical bars centred on `centers`, `width` data units wide, from y = 0. */
  bars(centers, heights, width, color) {
    const { ctx } = this;
    ctx.fillStyle = color;
    const y0 = this.sy(0);
    for (let i = 0; i < centers.length; i++) {
      const left = this.sx(centers[i] - width / 2);
      const right = this.sx(centers[i] + width / 2);
      const top = this.sy(heights[i]);
      ctx.fillRect(left, top, Math.max(right - left, 1), y0 - top);
    }
  }

  /** Small filled squares (or circles when `round`), all in one colour. */
  points(xs, ys, color, { size = 3, round = false, alpha = 1 } = {}) {
    const { ctx } = this;
    ctx.save();
    ctx.globalAlpha = alpha;
    ctx.fillStyle = color;
    const half = size / 2;
    if (round) {
      ctx.beginPath();
      for (let i = 0; i < xs.length; i++) {
        const x = this.sx(xs[i]);
        const y = this.sy(ys[i]);
        ctx.moveTo(x + half, y);
        ctx.arc(x, y, half, 0, Math.PI * 2);
      }
      ctx.fill();
    } else {
      for (let i = 0; i < xs.length; i++) {
        ctx.fillRect(this.sx(xs[i]) - half, this.sy(ys[i]) - half, size, size);
      }
    }
    ctx.restore();
  }

  hline(y, color, { dash = [6, 4], width = 1.5 } = {}) {
    this.line(this.x, [y, y], color, { dash, width });
  }

  vline(x, color, { dash = [6, 4], width = 1.5 } = {}) {
    this.line([x, x], this.y, color, { dash, width });
  }

  /**
   * A field of values over the plotting rectangle, row 0 at the top, drawn through an
   * ImageData (one pixel per cell) scaled up smoothly.
   * @param {ArrayLike<number>} values row-major, nx columns × ny rows, row 0 = largest y
   * @param {(v: number) => [number, number, number]} colormap
   */
  heatmap(values, nx, ny, colormap, { alpha = 1 } = {}) {
    if (!this.scratch || this.scratch.width !== nx || this.scratch.height !== ny) {
      this.scratch = new OffscreenCanvas(nx, ny);
    }
    const sctx = this.scratch.getContext("2d");
    const image = sctx.createImageData(nx, ny);
    for (let i = 0; i < nx * ny; i++) {
      const [r, g, b] = colormap(values[i]);
      image.data[4 * i] = r;
      image.data[4 * i + 1] = g;
      image.data[4 * i + 2] = b;
      image.data[4 * i + 3] = 255;
    }
    sctx.putImageData(image, 0, 0);
    const { ctx, rect } = this;
    ctx.save();
    ctx.globalAlpha = alpha;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.scratch, rect.left, rect.top, rect.w, rect.h);
    ctx.restore();
  }

  /** A legend in the top-right (or top-left) corner: [{label, color, kind: "line"|"box"|"dot"}]. */
  legend(items, { corner = "right" } = {}) {
    const { ctx, rect } = this;
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    const w = Math.max(...items.map((i) => ctx.measureText(i.label).width)) + 30;
    const h = items.length * 17 + 6;
    const left = corner === "right" ? rect.left + rect.w - w - 6 : rect.left + 6;
    const top = rect.top + 6;
    ctx.fillStyle = "rgba(255,255,255,0.88)";
    ctx.fillRect(left, top, w, h);
    items.forEach((item, i) => {
      const y = top + 12 + i * 17;
      ctx.fillStyle = item.color;
      ctx.strokeStyle = item.color;
      if (item.kind === "line") {
        ctx.lineWidth = 2;
        ctx.setLineDash(item.dash ?? []);
        ctx.beginPath();
        ctx.moveTo(left + 5, y);
        ctx.lineTo(left + 21, y);
        ctx.stroke();
        ctx.setLineDash([]);
      } else if (item.kind === "dot") {
        ctx.beginPath();
        ctx.arc(left + 13, y, 4, 0, Math.PI * 2);
        ctx.fill();
      } else {
        ctx.fillRect(left + 6, y - 5, 14, 10);
      }
      ctx.fillStyle = colors.ink;
      ctx.textBaseline = "middle";
      ctx.fillText(item.label, left + 26, y);
    });
    ctx.restore();
  }

  /**
   * The k-σ ellipse {v : (v − μ)ᵀ Σ⁻¹ (v − μ) = k²} of a 2-D Gaussian (needs equalAspect), drawn
   * over a white halo so the outline stays visible over points of its own colour.
   */
  covarianceEllipse(mean, cov, sigmas, color, { dash = [], width = 2 } = {}) {
    const [major, minor, angle] = ellipseAxes(cov);
    const scale = this.rect.w / (this.x[1] - this.x[0]);
    const { ctx } = this;
    ctx.save();
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.ellipse(
      this.sx(mean[0]),
      this.sy(mean[1]),
      Math.max(sigmas * major * scale, 0.5),
      Math.max(sigmas * minor * scale, 0.5),
      -angle,
      0,
      Math.PI * 2,
    );
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.lineWidth = width + 3;
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.stroke();
    ctx.restore();
  }

  text(x, y, label, { color = colors.ink, align = "left", baseline = "middle", font } = {}) {
    const { ctx } = this;
    ctx.save();
    ctx.font = font ?? "12px system-ui, sans-serif";
    ctx.fillStyle = color;
    ctx.textAlign = align;
    ctx.textBaseline = baseline;
    ctx.fillText(label, this.sx(x), this.sy(y));
    ctx.restore();
  }
}
