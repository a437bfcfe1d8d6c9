// The Classify lab (#/classify): generative classifiers. Each class gets a prior P(y) and a
// density p(x | y) (a Gaussian of one of three shapes, or a mixture fitted by EM); Bayes' rule
// turns them into the posterior P(y | x), shown as a heatmap with its decision boundary. Hover
// to see Bayes' rule with the numbers; compare LDA's closed-form line with logistic regression
// fitted by gradient descent. The settings, their controls and links come from the lab's schema
// (src/labs/classify.rs); this page owns its views, the prior's two-part control and the clicks.
import { el, slider, button, readouts, messageLine } from "../ui/controls.js";
import { bayesTable, sig } from "../ui/bayes-table.js";
import { Plot, colors, series, formatNumber } from "../ui/plot.js";
import { labCore, labPage, textView, view } from "../ui/lab.js";
import { sliderRange } from "../ui/settings.js";

const DOMAIN = [-5, 5];
const GRID = 100;
/** Points along the slice through the cursor. */
const SLICE_POINTS = 200;
const STEP_SIZE = 10;
/** p(x) below this density marks a point as unlike every class. */
const UNUSUAL_DENSITY = 1e-3;
/** Marker shapes by class, so that colour is not the only cue. */
const SHAPES = ["circle", "square", "triangle", "diamond"];
const SHAPE_GLYPHS = ["●", "■", "▲", "◆"];
const classColor = (c) => series[c];
const rgb = series.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

/**
 * Line segments where a field on the grid of cell centres crosses 0 (marching squares with
 * linear interpolation), in data coordinates. `value(ix, iy)` reads the field; row 0 = lowest y.
 */
function zeroContour(value, nx, ny, xAt, yAt) {
  const segments = [];
  const cross = (x0, y0, v0, x1, y1, v1) => {
    const t = v0 / (v0 - v1);
    return [x0 + t * (x1 - x0), y0 + t * (y1 - y0)];
  };
  for (let iy = 0; iy < ny - 1; iy++) {
    for (let ix = 0; ix < nx - 1; ix++) {
      const corners = [
        [xAt(ix), yAt(iy), value(ix, iy)],
        [xAt(ix + 1), yAt(iy), value(ix + 1, iy)],
        [xAt(ix + 1), yAt(iy + 1), value(ix + 1, iy + 1)],
        [xAt(ix), yAt(iy + 1), value(ix, iy + 1)],
      ];
      const hits = [];
      for (let e = 0; e < 4; e++) {
        const [xa, ya, va] = corners[e];
        const [xb, yb, vb] = corners[(e + 1) % 4];
        if (va > 0 !== vb > 0) hits.push(cross(xa, ya, va, xb, yb, vb));
      }
      if (hits.length === 2) segments.push(hits);
      else if (hits.length === 4) segments.push([hits[0], hits[1]], [hits[2], hits[3]]);
    }
  }
  return segments;
}

/** The two ends of the line w·x + b = 0 across the plotted square, or null when w = 0. */
function lineEnds(w, b) {
  if (!w || Math.hypot(w[0], w[1]) < 1e-12) return null;
  if (Math.abs(w[1]) > Math.abs(w[0])) return DOMAIN.map((x) => [x, -(b + w[0] * x) / w[1]]);
  return DOMAIN.map((y) => [-(b + w[1] * y) / w[0], y]);
}

function drawMarker(ctx, x, y, shape, size) {
  ctx.beginPath();
  if (shape === "circle") ctx.arc(x, y, size, 0, Math.PI * 2);
  else if (shape === "square") ctx.rect(x - size * 0.9, y - size * 0.9, size * 1.8, size * 1.8);
  else if (shape === "triangle") {
    ctx.moveTo(x, y - size * 1.2);
    ctx.lineTo(x + size * 1.1, y + size * 0.8);
    ctx.lineTo(x - size * 1.1, y + size * 0.8);
    ctx.closePath();
  } else {
    ctx.moveTo(x, y - size * 1.25);
    ctx.lineTo(x + size * 1.1, y);
    ctx.lineTo(x, y + size * 1.25);
    ctx.lineTo(x - size * 1.1, y);
    ctx.closePath();
  }
  ctx.fill();
  ctx.stroke();
}

/** A labelled checkbox. */
function checkbox({ name, label, checked, onChange }) {
  const input = el("input", { type: "checkbox", name, "data-param": name });
  input.checked = checked;
  input.addEventListener("change", () => onChange(input.checked));
  return {
    root: el("label", { class: "control check" }, input, ` ${label}`),
    input,
    show(v) {
      input.checked = v;
    },
  };
}

const mi = (v) => `<mi>${v}</mi>`;
const mn = (v) => `<mn>${v}</mn>`;

export function createLab({ app }) {
  const core = labCore({ app, create: (wasm) => new wasm.ClassifyLab(7) });
  const lab = core.lab;
  let due = 0;
  let dirty = true;
  let ui = null;
  let inspected = [0.5, 0.5];
  let gridCache = null;
  /** Whether a layer of the main plot is shown (`show_heatmap`, ...). */
  const layer = (name) => core.values[`show_${name}`];

  core.onChange((name, applied) => {
    if (name === "seed") due = 0;
    // A view setting leaves the fit alone; everything else may have changed it.
    if (applied !== "live") gridCache = null;
    dirty = true;
  });

  /** The points as [x, y, class] rows. */
  function pointRows() {
    const p = lab.points();
    const rows = [];
    for (let i = 0; i < p.length; i += 3) rows.push([p[i], p[i + 1], p[i + 2]]);
    return rows;
  }

  const api = core.api({
    snapshot() {
      return {
        ...lab.snapshot(),
        inspected: inspected ? lab.explain(inspected[0], inspected[1]) : null,
      };
    },
    points: pointRows,
    /** The main plot's pixel (relative to its canvas) of data point (x, y); null off screen. */
    pixelOf(x, y) {
      return ui ? [ui.main.sx(x), ui.main.sy(y)] : null;
    },
    /** Moves the Bayes'-rule inspector to (x, y). */
    inspect(x, y) {
      lab.explain(x, y);
      inspected = [x, y];
      dirty = true;
    },
  });

  /**
   * The prior's own control: a check box "from the class counts" and a slider for P(class 1)
   * (dragging it replaces the counts), one setting `prior` that is a number or "counts".
   */
  function priorControl(guard) {
    const entry = core.entries.prior;
    const priorSlider = slider({
      name: "prior",
      label: entry.label,
      ...sliderRange(entry),
      value: 0.5,
      format: (v) => v.toFixed(2),
      hint: entry.help,
      onInput: (v) => guard(() => core.set("prior", v)),
    });
    const priorCounts = checkbox({
      name: "prior_counts",
      label: "Prior P(y) from the class counts",
      checked: true,
      onChange: (on) =>
        guard(() => core.set("prior", on ? "counts" : Number(priorSlider.input.value))),
    });
    return {
      roots: [priorCounts.root, priorSlider.root],
      show({ prior, classes }) {
        const counts = prior === "counts";
        priorCounts.show(counts);
        if (!counts) priorSlider.show(prior);
        priorSlider.input.disabled = classes !== 2;
        priorCounts.input.disabled = classes !== 2;
      },
    };
  }

  function mount(root) {
    const page = labPage({
      plotFirstOnPhone: true,
      title: "Classify with a generative model",
      lede:
        "Fit each class's <strong>prior</strong> <var>P</var>(<var>y</var>) and its " +
        "<strong>class-conditional density</strong> <var>p</var>(<var>x</var> | <var>y</var>), " +
        "then classify a new point by <strong>Bayes' rule</strong>: the class with the largest " +
        "<var>P</var>(<var>y</var>) <var>p</var>(<var>x</var> | <var>y</var>) wins. Change the " +
        "shape of the densities, the prior, or the points, and watch the boundary move.",
    });
    const message = messageLine();
    const guard = (action) => message.guard(action);
    const { bar, settings } = core.mount({
      message,
      stepLabel: `Step ×${STEP_SIZE}`,
      onStep: () => core.step(STEP_SIZE),
      onPlay: () => (due = 0),
      legends: { layers: "Show" },
    });
    const prior = priorControl(guard);
    settings.controls.smoothing.root.before(...prior.roots);
    const clear = button("Clear points", () =>
      guard(() => {
        lab.clear_points();
        core.refresh(null, "rebuild");
      }),
    );
    settings.groups.Data.append(el("div", { class: "buttons" }, clear));
    const stepHint = el(
      "p",
      { class: "hint classify-step-hint" },
      "A step is one EM iteration per class (mixture family) and one gradient step of the " +
        "logistic regression. QDA, LDA and naive Bayes are fitted in closed form at once.",
    );
    const numbers = readouts(
      [
        ["n", "Points (per class)"],
        ["priors", "Prior P(y)"],
        ["accuracy", "Accuracy on these points"],
        [
          "loss",
          "Log loss",
          "mean of −ln P(true class | x); 0 is perfect, ln 2 ≈ 0.693 is a coin flip for two classes",
        ],
        ["params", "Parameters", "C − 1 priors plus the numbers of every p(x | y)"],
        ["em", "EM iterations"],
      ],
      { caption: "Numbers" },
    );
    const notes = el("ul", { class: "classify-notes", "aria-live": "polite" });
    page.controls.append(
      settings.groups.Data,
      settings.groups.Model,
      settings.groups.Clicks,
      bar.root,
      stepHint,
      settings.groups.layers,
      message.root,
    );
    page.numbers.append(numbers.root, notes);

    const mainView = view({
      title: "Posterior P(y | x), decision boundary and fitted classes",
      canvasLabel:
        "Points coloured and shaped by class over a heatmap of the most likely class, with the decision boundary and each class's ellipses",
      tall: true,
      explain:
        "Each pixel takes the colour of its most likely class, paler where the classifier is " +
        "unsure; the black line is the <strong>decision boundary</strong>, where two classes tie. " +
        "Ellipses hold 39% (1σ, solid) and 86% (2σ, dashed) of each fitted class density. Grey " +
        "areas have a tiny <var>p</var>(<var>x</var>): unlike every class, so their confident colour " +
        "means little. Move the pointer over the plot (or focus it and use the arrow keys; Enter " +
        "adds a point) to see Bayes' rule there.",
    });
    mainView.root.classList.add("classify-main");
    mainView.canvas.setAttribute("tabindex", "0");
    const inspector = el("div", { class: "classify-inspector", "aria-live": "polite" });
    const inspectorView = textView("Bayes' rule at the cursor", "classify-bayes", inspector);
    const sliceView = view({
      title: "Along the line through the cursor: P(y) · p(x | y)",
      canvasLabel: "Each class's prior times density along a horizontal line through the cursor",
      explain:
        "Each curve is one class's <var>P</var>(<var>y</var>)·<var>p</var>(<var>x</var> | <var>y</var>) " +
        "along the horizontal line through the cursor; the dashed curve is their sum " +
        "<var>p</var>(<var>x</var>). Where the top curve changes, the predicted class changes: " +
        "that is the boundary. The posterior is each curve's share of the dashed one.",
    });
    const compare = el("div", { class: "classify-compare" });
    const compareView = textView(
      "Generative vs discriminative: LDA vs logistic regression",
      "classify-versus",
      compare,
    );
    page.views.append(mainView.root, inspectorView, sliceView.root, compareView);
    page.root.classList.add("classify-lab");
    root.append(page.root);

    const main = new Plot(mainView.canvas, {
      x: DOMAIN,
      y: DOMAIN,
      xLabel: "x₁",
      yLabel: "x₂",
      equalAspect: true,
    });
    ui = {
      main,
      slice: new Plot(sliceView.canvas, {
        x: DOMAIN,
        y: [0, 1],
        xLabel: "x₁ (x₂ fixed at the cursor)",
        yLabel: "P(y)·p(x | y)",
      }),
      message,
      numbers,
      notes,
      inspector,
      compare,
      transport: bar,
      prior,
    };
    attachPointer(mainView.canvas, guard);
    dirty = true;
  }

  function addPoint(x, y) {
    lab.add_point(x, y, core.values.click_class);
    // The points are a setting: the values, the URL and every listener catch up.
    core.refresh(null, "rebuild");
  }

  function attachPointer(canvas, guarded) {
    const toData = (event) => {
      const box = canvas.getBoundingClientRect();
      const px = event.clientX - box.left;
      const py = event.clientY - box.top;
      const r = ui.main.rect;
      if (px < r.left || px > r.left + r.w || py < r.top || py > r.top + r.h) return null;
      return ui.main.invert(px, py);
    };
    canvas.addEventListener("pointermove", (event) => {
      if (core.values.click_mode === "inspect" && event.pointerType === "mouse") return;
      const at = toData(event);
      if (at) {
        inspected = at;
        dirty = true;
      }
    });
    canvas.addEventListener("pointerdown", (event) => {
      const at = toData(event);
      if (!at) return;
      canvas.focus({ preventScroll: true });
      inspected = at;
      dirty = true;
      if (core.values.click_mode === "add") guarded(() => addPoint(at[0], at[1]));
      event.preventDefault();
    });
    canvas.addEventListener("keydown", (event) => {
      const moves = {
        ArrowRight: [0.1, 0],
        ArrowLeft: [-0.1, 0],
        ArrowUp: [0, 0.1],
        ArrowDown: [0, -0.1],
      };
      if (event.key === "Enter") {
        guarded(() => addPoint(inspected[0], inspected[1]));
      } else if (moves[event.key]) {
        const [dx, dy] = moves[event.key];
        const clamp = (v) => Math.round(Math.min(DOMAIN[1], Math.max(DOMAIN[0], v)) * 100) / 100;
        inspected = [clamp(inspected[0] + dx), clamp(inspected[1] + dy)];
        dirty = true;
      } else return;
      event.preventDefault();
      event.stopPropagation();
    });
  }

  function unmount() {
    core.unmount();
    ui = null;
  }

  function frame(dt, deadline = performance.now() + 8) {
    if (!ui) return;
    if (core.values.playing) {
      due = Math.min(due + core.values.speed * Math.min(dt, 0.1), 1000);
      const whole = Math.floor(due);
      if (whole > 0 && performance.now() < deadline) {
        // Stepping changes the fit, not the settings: no control needs showing again.
        lab.step(whole);
        due -= whole;
        gridCache = null;
        dirty = true;
        app.stateChanged();
      }
    }
    if (dirty) draw();
  }

  function grids() {
    if (!gridCache) {
      const args = [DOMAIN[0], DOMAIN[1], DOMAIN[0], DOMAIN[1], GRID, GRID];
      gridCache = {
        posterior: lab.posterior_grid(...args),
        logEvidence: lab.log_evidence_grid(...args),
      };
    }
    return gridCache;
  }

  function draw() {
    dirty = false;
    const s = lab.snapshot();
    ui.prior.show(core.values);
    drawMain(s);
    drawInspector(s);
    drawSlice(s);
    drawComparison(s);
    drawNumbers(s);
  }

  function drawMain(s) {
    const plot = ui.main;
    plot.clear();
    const c = s.n_classes;
    const { posterior, logEvidence } = grids();
    const fitted = posterior.length > 0;
    const xAt = (i) => DOMAIN[0] + ((i + 0.5) * (DOMAIN[1] - DOMAIN[0])) / GRID;
    if (fitted && layer("heatmap")) {
      const unusual = Math.log(UNUSUAL_DENSITY);
      const cells = new Uint32Array(GRID * GRID);
      // The canvas's row 0 is the top (largest y); the grid's row 0 is the lowest y.
      for (let row = 0; row < GRID; row++)
        for (let ix = 0; ix < GRID; ix++) cells[row * GRID + ix] = (GRID - 1 - row) * GRID + ix;
      plot.heatmap(cells, GRID, GRID, (cell) => {
        let best = 0;
        for (let k = 1; k < c; k++)
          if (posterior[cell * c + k] > posterior[cell * c + best]) best = k;
        const confidence = (posterior[cell * c + best] - 1 / c) / (1 - 1 / c);
        const strength = 0.12 + 0.4 * Math.max(0, confidence);
        // Unlike every class: a faint tint of the winner over grey, so the colour is still
        // there but reads as "no real evidence".
        if (layer("unusual") && logEvidence[cell] < unusual)
          return rgb[best].map((v) => Math.round(232 + 0.1 * (v - 232)));
        return rgb[best].map((v) => Math.round(255 + strength * (v - 255)));
      });
    }
    plot.axes();
    plot.clip();
    const { ctx } = plot;
    if (fitted && layer("boundary")) {
      ctx.save();
      ctx.strokeStyle = colors.ink;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      for (let k = 0; k < c; k++) {
        if (!s.class_densities[k]) continue;
        const value = (ix, iy) => {
          const cell = iy * GRID + ix;
          let other = 0;
          for (let j = 0; j < c; j++) if (j !== k) other = Math.max(other, posterior[cell * c + j]);
          return posterior[cell * c + k] - other;
        };
        for (const [[x0, y0], [x1, y1]] of zeroContour(value, GRID, GRID, xAt, xAt)) {
          ctx.moveTo(plot.sx(x0), plot.sy(y0));
          ctx.lineTo(plot.sx(x1), plot.sy(y1));
        }
      }
      ctx.stroke();
      ctx.restore();
    }
    if (layer("points")) drawPoints(plot, c);
    if (layer("ellipses")) {
      s.class_densities.forEach((d, k) => {
        if (!d) return;
        d.means.forEach((mean, j) => {
          plot.covarianceEllipse(mean, d.covariances[j], 1, classColor(k));
          plot.covarianceEllipse(mean, d.covariances[j], 2, classColor(k), { dash: [6, 4] });
        });
      });
    }
    if (layer("lines") && c === 2) {
      const lda = lineEnds(s.lda_weights, s.lda_bias);
      if (lda)
        plot.line(
          lda.map((p) => p[0]),
          lda.map((p) => p[1]),
          colors.purple,
          { width: 3 },
        );
      const logistic = s.logistic_steps > 0 ? lineEnds(s.logistic_weights, s.logistic_bias) : null;
      if (logistic)
        plot.line(
          logistic.map((p) => p[0]),
          logistic.map((p) => p[1]),
          colors.ink,
          {
            width: 2.5,
            dash: [8, 6],
          },
        );
    }
    if (inspected) {
      const x = plot.sx(inspected[0]);
      const y = plot.sy(inspected[1]);
      ctx.save();
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 4;
      for (const color of ["#fff", colors.ink]) {
        ctx.strokeStyle = color;
        ctx.lineWidth = color === "#fff" ? 4 : 1.6;
        ctx.beginPath();
        ctx.moveTo(x - 9, y);
        ctx.lineTo(x + 9, y);
        ctx.moveTo(x, y - 9);
        ctx.lineTo(x, y + 9);
        ctx.stroke();
      }
      ctx.restore();
    }
    plot.unclip();
    const legend = [];
    for (let k = 0; k < c; k++)
      legend.push({ label: `${SHAPE_GLYPHS[k]} class ${k}`, color: classColor(k), kind: "box" });
    if (layer("boundary")) legend.push({ label: "boundary", color: colors.ink, kind: "line" });
    if (layer("lines") && c === 2) {
      legend.push({ label: "LDA line", color: colors.purple, kind: "line" });
      legend.push({ label: "logistic", color: colors.ink, kind: "line", dash: [8, 6] });
    }
    plot.legend(legend, { corner: "left" });
    if (!fitted) plot.text(0, 0, s.problem ?? "No fit", { align: "center" });
  }

  function drawPoints(plot, c) {
    const p = lab.points();
    const { ctx } = plot;
    const size = p.length > 1000 ? 2.5 : 3.6;
    ctx.save();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(20,20,30,0.75)";
    for (let k = 0; k < c; k++) {
      ctx.fillStyle = classColor(k);
      for (let i = 0; i < p.length; i += 3) {
        if (p[i + 2] !== k) continue;
        drawMarker(ctx, plot.sx(p[i]), plot.sy(p[i + 1]), SHAPES[k], size);
      }
    }
    ctx.restore();
  }

  function drawInspector(s) {
    const e = inspected ? lab.explain(inspected[0], inspected[1]) : null;
    if (!e) {
      ui.inspector.replaceChildren(
        el("p", { class: "hint" }, s.problem ?? "Move the pointer over the plot."),
      );
      return;
    }
    const p = (...args) => `<math>${args.join("")}</math>`;
    const table = bayesTable({
      prefix: "classify",
      tableClass: "classify-table",
      heads: [
        "class y",
        p(mi("P"), "<mo>(</mo>", mi("y"), "<mo>)</mo>"),
        p(mi("p"), "<mo>(</mo>", mi("x"), "<mo>|</mo>", mi("y"), "<mo>)</mo>"),
        p(
          mi("P"),
          "<mo>(</mo>",
          mi("y"),
          "<mo>)</mo>",
          mi("p"),
          "<mo>(</mo>",
          mi("x"),
          "<mo>|</mo>",
          mi("y"),
          "<mo>)</mo>",
        ),
        p(mi("P"), "<mo>(</mo>", mi("y"), "<mo>|</mo>", mi("x"), "<mo>)</mo>"),
      ],
      rows: e.priors.map((prior, k) => ({
        label: [
          el(
            "span",
            { class: "classify-swatch", style: `color:${classColor(k)}` },
            SHAPE_GLYPHS[k],
          ),
          ` ${k}`,
        ],
        weight: prior,
        density: e.likelihoods[k],
        product: e.products[k],
        share: e.posteriors[k],
      })),
      sumLabel: "sum = p(x), the normaliser",
      sum: e.evidence,
      shareKey: "posterior",
      sumKey: "evidence",
      winner: e.predicted,
      weightDigits: 3,
    });
    const k = e.predicted;
    const formula =
      "<math display='block'>" +
      `${mi("P")}<mo>(</mo>${mn(k)}<mo>|</mo>${mi("x")}<mo>)</mo><mo>=</mo>` +
      `<mfrac><mrow>${mi("P")}<mo>(</mo>${mn(k)}<mo>)</mo>${mi("p")}<mo>(</mo>${mi("x")}<mo>|</mo>${mn(k)}<mo>)</mo></mrow>` +
      `<mrow>${mi("p")}<mo>(</mo>${mi("x")}<mo>)</mo></mrow></mfrac>` +
      `<mo>=</mo><mfrac><mrow>${mn(e.priors[k].toFixed(3))}<mo>×</mo>${mn(sig(e.likelihoods[k]))}</mrow>${mn(sig(e.evidence))}</mfrac>` +
      `<mo>=</mo>${mn(e.posteriors[k].toFixed(4))}</math>`;
    const unusual = e.evidence < UNUSUAL_DENSITY;
    ui.inspector.replaceChildren(
      el(
        "p",
        {},
        `At x = (${formatNumber(e.point[0], 3)}, ${formatNumber(e.point[1], 3)}) the most likely class is `,
        el("strong", {}, `${SHAPE_GLYPHS[k]} class ${k}`),
        ":",
      ),
      el("div", { class: "classify-table-box" }, table),
      el("div", { class: "classify-formula", html: formula }),
      el(
        "p",
        { class: unusual ? "classify-warning" : "hint" },
        unusual
          ? `p(x) = ${sig(e.evidence)} is below ${UNUSUAL_DENSITY}: this point is unlike every class. The posteriors still add up to 1, so they look confident, but no class really explains it.`
          : "The products P(y)·p(x | y) are divided by their sum p(x), so the posteriors add up to 1.",
      ),
    );
  }

  function drawSlice(s) {
    const plot = ui.slice;
    const c = s.n_classes;
    const n = SLICE_POINTS;
    const y0 = inspected ? inspected[1] : 0;
    const joint = lab.joint_slice(y0, DOMAIN[0], DOMAIN[1], n);
    const xs = Array.from(
      { length: n },
      (_, i) => DOMAIN[0] + ((DOMAIN[1] - DOMAIN[0]) * i) / (n - 1),
    );
    const sum = xs.map((_, i) => {
      let total = 0;
      for (let k = 0; k < c; k++) total += joint[i * c + k] ?? 0;
      return total;
    });
    // Headroom above the peak keeps the legend clear of the curves.
    const top = Math.max(1e-6, ...sum) * 1.7;
    plot.setDomain(DOMAIN, [0, top]);
    plot.clear();
    plot.axes();
    plot.clip();
    if (joint.length) {
      plot.line(xs, sum, colors.muted, { width: 2, dash: [6, 4] });
      for (let k = 0; k < c; k++) {
        if (!s.class_densities[k]) continue;
        plot.line(
          xs,
          xs.map((_, i) => joint[i * c + k]),
          classColor(k),
          { width: 2.5, dash: k % 2 ? [2, 0] : [] },
        );
      }
    }
    if (inspected) plot.vline(inspected[0], colors.ink, { width: 1.5 });
    plot.unclip();
    const legend = [];
    for (let k = 0; k < c; k++)
      if (s.class_densities[k])
        legend.push({
          label: `${SHAPE_GLYPHS[k]} P(${k})·p(x|${k})`,
          color: classColor(k),
          kind: "line",
        });
    legend.push({ label: "p(x), their sum", color: colors.muted, kind: "line", dash: [6, 4] });
    plot.legend(legend);
    plot.text(DOMAIN[0] + 0.15, top * 0.95, `x₂ = ${y0.toFixed(2)}`, { baseline: "top" });
  }

  function drawComparison(s) {
    const regression =
      "<p><strong>Regression, too.</strong> Model (<var>x</var>, <var>y</var>) jointly as one " +
      "Gaussian: the conditional mean <var>E</var>[<var>y</var> | <var>x</var>] is exactly the " +
      "least-squares regression line. See it in the <a href='#/gaussian'>Gaussian lab</a>.</p>";
    if (s.n_classes !== 2 || !s.lda_weights || !s.logistic_optimum_weights) {
      ui.compare.innerHTML =
        "<p>The comparison needs two classes with points in both: choose a two-class data set.</p>" +
        regression;
      return;
    }
    const w = (v) => `(${v[0].toFixed(3)}, ${v[1].toFixed(3)})`;
    const steps = s.logistic_steps;
    const current =
      steps > 0
        ? `after ${steps} gradient step${steps === 1 ? "" : "s"}: w = ${w(s.logistic_weights)}, b = ${s.logistic_bias.toFixed(3)}, ${s.angle_lda_logistic.toFixed(1)}° from LDA's line, accuracy ${(100 * s.logistic_accuracy).toFixed(1)}%`
        : "not started: press Play or Step (w = 0 says ½ everywhere)";
    ui.compare.innerHTML =
      "<p>A <strong>generative</strong> classifier models how each class produces <var>x</var> " +
      "and inverts it with Bayes' rule. With one shared covariance (LDA) the log-odds are " +
      "linear:</p>" +
      "<div class='classify-formula'><math display='block'><mi>ln</mi><mfrac><mrow><mi>P</mi><mo>(</mo><mn>1</mn><mo>|</mo><mi>x</mi><mo>)</mo></mrow>" +
      "<mrow><mi>P</mi><mo>(</mo><mn>0</mn><mo>|</mo><mi>x</mi><mo>)</mo></mrow></mfrac><mo>=</mo>" +
      "<msup><mi>w</mi><mo>⊤</mo></msup><mi>x</mi><mo>+</mo><mi>b</mi></math>" +
      "<math display='block'><mi>w</mi><mo>=</mo><msup><mi>Σ</mi><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>(</mo>" +
      "<msub><mi>μ</mi><mn>1</mn></msub><mo>−</mo><msub><mi>μ</mi><mn>0</mn></msub><mo>)</mo></math></div>" +
      "<p>A <strong>discriminative</strong> logistic regression has the same form " +
      "<var>P</var>(1 | <var>x</var>) = σ(<var>w</var>·<var>x</var> + <var>b</var>) but fits " +
      "<var>w</var>, <var>b</var> directly to the labels, step by step, ignoring how <var>x</var> is " +
      "spread. Turn on “LDA line vs logistic” and press Play.</p>" +
      "<table class='classify-table classify-versus-table'><tbody>" +
      `<tr><th scope='row'>LDA (closed form, instant)</th><td>w = ${w(s.lda_weights)}, b = ${s.lda_bias.toFixed(3)}, accuracy ${(100 * s.lda_accuracy).toFixed(1)}%</td></tr>` +
      `<tr><th scope='row'>Logistic regression, optimum (Newton)</th><td>w = ${w(s.logistic_optimum_weights)}, b = ${s.logistic_optimum_bias.toFixed(3)}, ${s.angle_lda_logistic_optimum.toFixed(1)}° from LDA's line</td></tr>` +
      `<tr><th scope='row'>Logistic regression, gradient descent</th><td data-logistic>${current}</td></tr>` +
      "</tbody></table>" +
      "<p>When the classes really are Gaussian with one covariance, both reach nearly the same line " +
      "(LDA with less data). When they are not (try the moons or different covariances), the " +
      "lines part: LDA trusts its model, logistic regression trusts the labels.</p>" +
      regression;
  }

  function drawNumbers(s) {
    const n = ui.numbers;
    n.set("n", `${s.n_points} (${s.counts.join(" / ")})`);
    n.set("priors", s.priors.length ? s.priors.map((p) => p.toFixed(3)).join(" / ") : "—");
    n.set(
      "accuracy",
      s.accuracy === null || s.accuracy === undefined ? "—" : `${(100 * s.accuracy).toFixed(1)}%`,
    );
    n.set("loss", s.log_loss === null || s.log_loss === undefined ? "—" : s.log_loss.toFixed(4));
    n.set(
      "params",
      s.n_parameters === null || s.n_parameters === undefined ? "—" : String(s.n_parameters),
    );
    n.set(
      "em",
      s.family === "mixture"
        ? `${s.em_iterations}${s.em_converged ? " (converged)" : ""}`
        : "— (closed form)",
    );
    const lines = [...(s.problem ? [s.problem] : []), ...s.notes];
    const key = lines.join("\n");
    if (ui.notes.dataset.key !== key) {
      ui.notes.dataset.key = key;
      ui.notes.replaceChildren(...lines.map((t) => el("li", {}, t)));
    }
  }

  return {
    name: "classify",
    title: "Classify",
    api,
    mount,
    unmount,
    frame,
    markDirty: () => {
      dirty = true;
      gridCache = null;
    },
    keys: (event) => ui?.transport.handleKey(event) ?? false,
    ...core.appMembers(),
  };
}
