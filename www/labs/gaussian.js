// The bivariate Gaussian lab (#/gaussian): drag the means, spreads and correlation ρ of a 2-D
// normal distribution, and a line x = x₀ that slices it; beside it, the conditional p(y | x₀)
// against the marginal p(y), with its mean and spread written out as formulas.
import { el, readouts, messageLine } from "../ui/controls.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { labCore, labPage, view, steadyPlay } from "../ui/lab.js";

/** The plotted square, in data units, for x and y alike. */
const DOMAIN = [-5, 5];
const GRID = 120;
/** Samples within this distance of x₀ count towards the histogram of y near x₀. */
const SLAB = 0.25;
const PARAMETERS = ["mu_x", "mu_y", "sigma_x", "sigma_y", "rho"];

/** White to deep blue: density rises with darkness, readable with every colour vision. */
const RAMP = [
  [255, 255, 255],
  [222, 238, 248],
  [160, 203, 232],
  [88, 152, 202],
  [30, 94, 160],
];
function ramp(t) {
  const u = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(u));
  const f = u - i;
  return RAMP[i].map((c, k) => Math.round(c + f * (RAMP[i + 1][k] - c)));
}

const normalDensity = (x, mean, sd) =>
  Math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
const fixed = (v) => v.toFixed(2);
/** A number as a formula writes it, with a true minus sign. */
const math = (v, digits = 2) => v.toFixed(digits).replace("-", "−");
/** A number for a MathML formula: negatives in brackets so "− (−1.20)" reads right. */
const mnSigned = (v) =>
  v < 0 ? `<mo>(</mo><mn>${fixed(v)}</mn><mo>)</mo>` : `<mn>${fixed(v)}</mn>`;
const sub = (base, index) => `<msub><mi>${base}</mi><mi>${index}</mi></msub>`;

export function createLab({ app }) {
  const core = labCore({ app, create: (wasm) => new wasm.GaussianLab(11) });
  const gauss = core.lab;
  const player = steadyPlay({ core, app, noun: "samples" });
  let dirty = true;
  let ui = null;
  let gridCache = null; // {key, values, max}: the heatmap is recomputed only when the parameters change

  core.onChange(() => (dirty = true));

  const readSamples = () => Float64Array.from(gauss.samples());

  const api = core.api({
    snapshot() {
      const flat = readSamples();
      const samples = [];
      for (let i = 0; i < flat.length; i += 2) samples.push([flat[i], flat[i + 1]]);
      return { ...gauss.snapshot(), samples };
    },
  });

  function mount(root) {
    const page = labPage({
      title: "A bivariate Gaussian: slice it at x = x₀",
      lede:
        "Two numbers <var>x</var> and <var>y</var> drawn together from a 2-D normal distribution. " +
        "The correlation <var>ρ</var> tilts the cloud. Drag the red line <var>x</var> = <var>x</var>₀ " +
        "across the plot: the points near the line follow the <strong>conditional</strong> " +
        "distribution <var>p</var>(<var>y</var> | <var>x</var>₀), which is narrower than the " +
        "<strong>marginal</strong> <var>p</var>(<var>y</var>) whenever <var>ρ</var> ≠ 0.",
    });
    const message = messageLine();
    const guarded = (action) => message.guard(action);
    const { bar, settings } = core.mount({
      message,
      stepLabel: `Step: ${core.schema.step.default} samples`,
      format: Object.fromEntries(
        ["mu_x", "mu_y", "sigma_x", "sigma_y", "rho", "x0"].map((n) => [n, fixed]),
      ),
    });
    const numbers = readouts(
      [
        ["n", "Samples"],
        ["cmean", "Conditional mean μy|x₀"],
        ["csd", "Conditional spread σy|x₀"],
        ["slope", "Regression slope ρ σy/σx"],
        ["near", "Samples near x₀", `samples with |x − x₀| < ${SLAB}`],
      ],
      { caption: "Numbers" },
    );
    page.controls.append(settings.groups.Distribution, bar.root, message.root, numbers.root);

    const mainView = view({
      title: "Joint density p(x, y), with the marginals on the edges",
      canvasLabel:
        "Heatmap of the joint density with 1σ and 2σ ellipses, samples, the regression line and a draggable line x = x₀",
      tall: true,
      explain:
        "Darker blue = higher density. The ellipses hold 39% (1σ) and 86% (2σ) of the probability; " +
        "in two dimensions these are less than the 68% and 95% of one dimension. The green dashed " +
        "line is the regression line <math><mi>E</mi><mo>[</mo><mi>y</mi><mo>|</mo><mi>x</mi><mo>]</mo></math>: " +
        "the average <var>y</var> for each <var>x</var>. It is flatter than the ellipse's long axis " +
        "(regression to the mean). Strips on the top and right edges show the marginals " +
        "<var>p</var>(<var>x</var>) and <var>p</var>(<var>y</var>), which ignore <var>ρ</var>. " +
        "Drag the red line (or focus the plot and press ← →) to slice at a different " +
        "<var>x</var>₀.",
    });
    mainView.root.classList.add("gauss-main");
    mainView.canvas.setAttribute("tabindex", "0");
    const conditionalView = view({
      title: "Slice: p(y | x₀) against p(y)",
      canvasLabel: "The conditional density of y given x₀ and the marginal density of y",
    });
    const formulas = el("div", { class: "explain gauss-formulas" });
    conditionalView.root.append(formulas);
    page.views.append(mainView.root, conditionalView.root);
    page.root.classList.add("gauss-lab");
    root.append(page.root);

    const main = new Plot(mainView.canvas, {
      x: DOMAIN,
      y: DOMAIN,
      xLabel: "x",
      yLabel: "y",
      equalAspect: true,
    });
    // Room on the top and right for the marginal strips.
    main.margin = { left: 40, right: 58, top: 52, bottom: 36 };
    ui = {
      transport: bar,
      message,
      numbers,
      formulas,
      main,
      conditional: new Plot(conditionalView.canvas, {
        x: DOMAIN,
        y: [0, 1],
        xLabel: "y",
        yLabel: "density",
      }),
    };
    attachSlicing(mainView.canvas, main, guarded);
    dirty = true;
  }

  /** Pointer drags and arrow keys on the main plot move x₀. */
  function attachSlicing(canvas, plot, guarded) {
    let dragging = false;
    const moveTo = (clientX, clientY) => {
      const box = canvas.getBoundingClientRect();
      const [x] = plot.invert(clientX - box.left, clientY - box.top);
      const v = Math.round(Math.min(DOMAIN[1], Math.max(DOMAIN[0], x)) * 100) / 100;
      guarded(() => api.set("x0", v));
    };
    canvas.addEventListener("pointerdown", (e) => {
      dragging = true;
      canvas.setPointerCapture(e.pointerId);
      canvas.focus({ preventScroll: true });
      moveTo(e.clientX, e.clientY);
      e.preventDefault();
    });
    canvas.addEventListener("pointermove", (e) => dragging && moveTo(e.clientX, e.clientY));
    canvas.addEventListener("pointerup", () => (dragging = false));
    canvas.addEventListener("pointercancel", () => (dragging = false));
    canvas.addEventListener("keydown", (e) => {
      const moves = { ArrowRight: 0.1, ArrowUp: 0.1, ArrowLeft: -0.1, ArrowDown: -0.1 };
      const pages = { PageUp: 1, PageDown: -1 };
      const step = moves[e.key] ?? pages[e.key];
      if (step === undefined) return;
      const x0 = gauss.snapshot().x0;
      const v = Math.round(Math.min(DOMAIN[1], Math.max(DOMAIN[0], x0 + step)) * 100) / 100;
      guarded(() => api.set("x0", v));
      e.preventDefault();
      e.stopPropagation();
    });
  }

  function unmount() {
    core.unmount();
    ui = null;
  }

  function frame(dt) {
    if (!ui) return;
    if (player.frame(dt, ui.message)) dirty = true;
    if (dirty) draw();
  }

  function draw() {
    dirty = false;
    const s = gauss.snapshot();
    const samples = readSamples();
    let near = 0;
    for (let i = 0; i < samples.length; i += 2) if (Math.abs(samples[i] - s.x0) < SLAB) near++;
    drawMain(s, samples);
    drawConditional(s, samples);
    drawFormulas(s);
    ui.numbers.set("n", formatNumber(s.n_samples));
    ui.numbers.set("cmean", s.conditional_mean.toFixed(3));
    ui.numbers.set("csd", s.conditional_sd.toFixed(3));
    ui.numbers.set("slope", s.regression.slope.toFixed(3));
    ui.numbers.set("near", formatNumber(near));
  }

  function densityGrid(s) {
    const key = PARAMETERS.map((p) => s[p]).join(",");
    if (gridCache?.key !== key) {
      const values = gauss.density_grid(DOMAIN[0], DOMAIN[1], DOMAIN[0], DOMAIN[1], GRID, GRID);
      // The peak density sits at the mean; scaling by it keeps the colours comparable.
      const peak = 1 / (2 * Math.PI * s.sigma_x * s.sigma_y * Math.sqrt(1 - s.rho * s.rho));
      gridCache = { key, values, peak };
    }
    return gridCache;
  }

  function drawMain(s, samples) {
    const plot = ui.main;
    plot.clear();
    const grid = densityGrid(s);
    plot.heatmap(grid.values, GRID, GRID, (v) => ramp(v / grid.peak));
    plot.axes();
    plot.clip();
    const { ctx } = plot;
    // Samples first, so the lines and labels stay readable on top of them.
    const xs = [];
    const ys = [];
    for (let i = 0; i < samples.length; i += 2) {
      xs.push(samples[i]);
      ys.push(samples[i + 1]);
    }
    plot.points(xs, ys, colors.ink, { size: 3, alpha: samples.length > 4000 ? 0.35 : 0.7 });
    for (const [k, label] of [
      [1, "39%"],
      [2, "86%"],
    ]) {
      const e = gauss.ellipse(k, 96);
      const ex = [];
      const ey = [];
      for (let i = 0; i < e.length; i += 2) {
        ex.push(e[i]);
        ey.push(e[i + 1]);
      }
      ex.push(ex[0]);
      ey.push(ey[0]);
      plot.line(ex, ey, "#ffffff", { width: 4 });
      plot.line(ex, ey, colors.ink, { width: 1.6 });
      // The 2σ label above its ellipse's highest point, the 1σ label below its lowest, so the
      // two never meet and neither covers the cloud's centre.
      let end = 0;
      for (let i = 1; i < ey.length; i++) if (k === 2 ? ey[i] > ey[end] : ey[i] < ey[end]) end = i;
      const lx = plot.sx(ex[end]);
      const ly = plot.sy(ey[end]) + (k === 2 ? -9 : 10);
      ctx.save();
      ctx.font = "bold 12px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#fff";
      ctx.strokeText(`${k}σ: ${label}`, lx, ly);
      ctx.fillStyle = colors.ink;
      ctx.fillText(`${k}σ: ${label}`, lx, ly);
      ctx.restore();
    }
    const { slope, intercept } = s.regression;
    plot.line(
      DOMAIN,
      DOMAIN.map((x) => intercept + slope * x),
      colors.green,
      {
        width: 2.5,
        dash: [8, 5],
      },
    );
    // The slice x = x₀, with the conditional mean ± one conditional sd marked on it.
    plot.vline(s.x0, colors.vermillion, { dash: [], width: 2.5 });
    plot.line(
      [s.x0, s.x0],
      [s.conditional_mean - s.conditional_sd, s.conditional_mean + s.conditional_sd],
      colors.vermillion,
      { width: 7 },
    );
    plot.points([s.x0], [s.conditional_mean], "#fff", { size: 7, round: true });
    plot.unclip();
    plot.legend(
      [
        { label: "E[y | x]", color: colors.green, kind: "line", dash: [8, 5] },
        { label: `x₀ = ${fixed(s.x0)}, ±σy|x₀`, color: colors.vermillion, kind: "line" },
      ],
      { corner: "left" },
    );
    drawStrips(s);
  }

  /** The marginal p(x) above the plot and p(y) (with p(y | x₀)) to its right. */
  function drawStrips(s) {
    const plot = ui.main;
    const { ctx, rect } = plot;
    const depth = 40;
    const steps = 160;
    const at = (i) => DOMAIN[0] + ((DOMAIN[1] - DOMAIN[0]) * i) / steps;
    const curve = (mean, sd, scale, toPoint) => {
      ctx.beginPath();
      for (let i = 0; i <= steps; i++) {
        const [px, py] = toPoint(at(i), Math.min(1, normalDensity(at(i), mean, sd) * scale));
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
    };
    // Both strips share one density scale, so taller means denser across them.
    const scale =
      1 /
      Math.max(
        normalDensity(0, 0, s.sigma_x),
        normalDensity(0, 0, s.sigma_y),
        normalDensity(0, 0, s.conditional_sd),
      );
    const base = rect.top - 4;
    const right = rect.left + rect.w + 4;
    ctx.save();
    ctx.lineWidth = 2;
    // p(x) on top.
    curve(s.mu_x, s.sigma_x, scale, (x, h) => [plot.sx(x), base - h * depth]);
    ctx.lineTo(plot.sx(DOMAIN[1]), base);
    ctx.lineTo(plot.sx(DOMAIN[0]), base);
    ctx.fillStyle = "rgba(0,114,178,0.25)";
    ctx.fill();
    curve(s.mu_x, s.sigma_x, scale, (x, h) => [plot.sx(x), base - h * depth]);
    ctx.strokeStyle = colors.blue;
    ctx.stroke();
    // p(y) and p(y | x₀) on the right.
    curve(s.mu_y, s.sigma_y, scale, (y, h) => [right + h * depth, plot.sy(y)]);
    ctx.lineTo(right, plot.sy(DOMAIN[1]));
    ctx.lineTo(right, plot.sy(DOMAIN[0]));
    ctx.fillStyle = "rgba(0,114,178,0.25)";
    ctx.fill();
    curve(s.mu_y, s.sigma_y, scale, (y, h) => [right + h * depth, plot.sy(y)]);
    ctx.strokeStyle = colors.blue;
    ctx.stroke();
    curve(s.conditional_mean, s.conditional_sd, scale, (y, h) => [right + h * depth, plot.sy(y)]);
    ctx.strokeStyle = colors.vermillion;
    ctx.stroke();
    // x₀ marked on the top strip.
    ctx.strokeStyle = colors.vermillion;
    ctx.beginPath();
    ctx.moveTo(plot.sx(s.x0), base);
    ctx.lineTo(plot.sx(s.x0), base - depth);
    ctx.stroke();
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = colors.blue;
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText("p(x)", rect.left + 2, rect.top - depth - 8);
    ctx.textAlign = "left";
    ctx.fillText("p(y)", right + 2, rect.top - 30);
    ctx.fillStyle = colors.vermillion;
    ctx.fillText("p(y|x₀)", right + 2, rect.top - 16);
    ctx.restore();
  }

  function drawConditional(s, samples) {
    const plot = ui.conditional;
    const steps = 200;
    const ys = [];
    const conditional = [];
    const marginal = [];
    for (let i = 0; i <= steps; i++) {
      const y = DOMAIN[0] + ((DOMAIN[1] - DOMAIN[0]) * i) / steps;
      ys.push(y);
      conditional.push(normalDensity(y, s.conditional_mean, s.conditional_sd));
      marginal.push(normalDensity(y, s.mu_y, s.sigma_y));
    }
    // The samples whose x lies near x₀, as a density histogram of their y.
    const width = 0.5;
    const bins = new Array((DOMAIN[1] - DOMAIN[0]) / width).fill(0);
    let near = 0;
    for (let i = 0; i < samples.length; i += 2) {
      if (Math.abs(samples[i] - s.x0) >= SLAB) continue;
      const b = Math.floor((samples[i + 1] - DOMAIN[0]) / width);
      if (b >= 0 && b < bins.length) bins[b]++;
      near++;
    }
    const heights = bins.map((c) => (near ? c / (near * width) : 0));
    // Headroom above the peak keeps the legend clear of the curves.
    const top = Math.max(...conditional, ...marginal, ...heights) * 1.6;
    plot.setDomain(DOMAIN, [0, top]);
    plot.clear();
    plot.axes();
    plot.clip();
    if (near > 0)
      plot.bars(
        bins.map((_, i) => DOMAIN[0] + (i + 0.5) * width),
        heights,
        width * 0.9,
        "rgba(86,180,233,0.55)",
      );
    plot.band(
      ys,
      ys.map(() => 0),
      conditional,
      "rgba(213,94,0,0.15)",
    );
    plot.line(ys, marginal, colors.blue, { width: 2, dash: [6, 4] });
    plot.line(ys, conditional, colors.vermillion, { width: 2.5 });
    plot.vline(s.conditional_mean, colors.vermillion, { width: 1 });
    plot.unclip();
    plot.legend([
      { label: `p(y | x₀ = ${fixed(s.x0)})`, color: colors.vermillion, kind: "line" },
      { label: "p(y), ignoring x", color: colors.blue, kind: "line", dash: [6, 4] },
      { label: `samples with |x − x₀| < ${SLAB} (${near})`, color: colors.sky, kind: "box" },
    ]);
  }

  function drawFormulas(s) {
    const shift = s.x0 - s.mu_x;
    ui.formulas.innerHTML =
      "<p>Given <var>x</var> = <var>x</var>₀, <var>y</var> is again normal. Its mean moves along the " +
      "regression line and its spread shrinks by √(1 − ρ²), whatever <var>x</var>₀ is:</p>" +
      "<p><math display='block'>" +
      `<msub><mi>μ</mi><mrow><mi>y</mi><mo>|</mo>${sub("x", "0")}</mrow></msub><mo>=</mo>` +
      `${sub("μ", "y")}<mo>+</mo><mi>ρ</mi><mfrac>${sub("σ", "y")}${sub("σ", "x")}</mfrac>` +
      `<mo>(</mo>${sub("x", "0")}<mo>−</mo>${sub("μ", "x")}<mo>)</mo><mo>=</mo>` +
      `${mnSigned(s.mu_y)}<mo>+</mo>${mnSigned(s.rho)}<mo>·</mo><mfrac><mn>${fixed(s.sigma_y)}</mn><mn>${fixed(s.sigma_x)}</mn></mfrac>` +
      `<mo>·</mo><mo>(</mo>${mnSigned(s.x0)}<mo>−</mo>${mnSigned(s.mu_x)}<mo>)</mo><mo>=</mo><mn>${math(s.conditional_mean, 3)}</mn>` +
      "</math></p>" +
      "<p><math display='block'>" +
      `<msub><mi>σ</mi><mrow><mi>y</mi><mo>|</mo>${sub("x", "0")}</mrow></msub><mo>=</mo>` +
      `${sub("σ", "y")}<msqrt><mn>1</mn><mo>−</mo><msup><mi>ρ</mi><mn>2</mn></msup></msqrt><mo>=</mo>` +
      `<mn>${fixed(s.sigma_y)}</mn><msqrt><mn>1</mn><mo>−</mo><msup>${mnSigned(s.rho)}<mn>2</mn></msup></msqrt>` +
      `<mo>=</mo><mn>${s.conditional_sd.toFixed(3)}</mn></math></p>` +
      `<p>Here x₀ is ${fixed(Math.abs(shift))} ${shift >= 0 ? "right" : "left"} of μx, so the ` +
      `conditional mean sits ${fixed(Math.abs(s.conditional_mean - s.mu_y))} ${s.conditional_mean >= s.mu_y ? "above" : "below"} μy, ` +
      `and the spread is ${Math.round((100 * s.conditional_sd) / s.sigma_y)}% of σy. ` +
      "Blue bars: the sampled points whose <var>x</var> lies near <var>x</var>₀; with more samples they " +
      "fill the red curve, not the blue one.</p>";
  }

  return {
    name: "gaussian",
    title: "Gaussian",
    api,
    mount,
    unmount,
    frame,
    markDirty: () => (dirty = true),
    keys: (event) => ui?.transport.handleKey(event) ?? false,
    ...core.appMembers(),
  };
}
