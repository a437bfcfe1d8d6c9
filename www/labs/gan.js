// The GAN lab (#/gan): a generator and a discriminator train against each other on 2-D data,
// live. The plane shows the real and generated samples, the discriminator's belief as a heat
// map, the generator's gradient on each fake as an arrow and the generator's manifold (its noise
// grid, warped); charts show both losses and the distance between real and generated samples.
// Training can be stepped per network, per iteration, or narrated one sub-step at a time.
import { keyboardPointer } from "../ui/keyboard-pointer.js";
import { el, button, readouts, messageLine } from "../ui/controls.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { labCore, labPage, textView, view } from "../ui/lab.js";
import { CurveChart } from "../ui/chart.js";
import { trainer } from "../ui/trainer.js";

const HALF = 1.5; // the plane shown is [-1.5, 1.5]², PLANE_HALF_WIDTH in the core
const HEATMAP_N = 64; // the discriminator is evaluated on a 64×64 grid
const HEATMAP_EVERY = 3; // while playing, the heat map is refreshed every this many frames
const MANIFOLD_N_2D = 17; // the noise grid's lines per side (2-D noise)
const MANIFOLD_N_1D = 121; // points along the noise line (1-D noise)
const SLOW_MOTION_SECONDS = 1.6; // between narrated sub-steps while playing in slow motion
const ARROW_SCALE = 0.05; // plane units per unit of a sample's own gradient (batch × mean)
const ARROW_MAX = 0.2; // longest arrow, plane units
const DRAW_SPACING = 0.03; // plane units between points added along a stroke
const DRAW_MAX_POINTS = 3000;

const SUB_STEPS = [
  [
    "sample_noise",
    "Sample noise",
    "Sky-blue squares: the noise batch z, drawn at its coordinates.",
  ],
  ["generate", "Generate", "Grey lines: each noise point is carried to its fake sample G(z)."],
  [
    "classify",
    "Classify",
    "Each sample is ringed by D's verdict: green = “real”, purple = “fake”.",
  ],
  ["compute_loss", "Compute the loss", "The loss value appears in the Numbers panel."],
  [
    "backpropagate",
    "Backpropagate",
    {
      discriminator:
        "D's weights get their gradients (not drawable); the heat map changes at the update.",
      generator: "The arrows: where D's gradient pushes each fake (toward “real”).",
    },
  ],
  [
    "update",
    "Update the weights",
    {
      discriminator: "The heat map redraws: D's new beliefs.",
      generator: "The manifold moves; the next batch of fakes lands on it.",
    },
  ],
];

// Purple–green diverging map (ColorBrewer PRGn, colour-blind safe), lightened so that the samples
// stay readable on top: 0 = surely fake (purple), 0.5 = undecided (white), 1 = surely real (green).
const PRGN = [
  [118, 42, 131],
  [175, 141, 195],
  [247, 247, 247],
  [127, 191, 123],
  [27, 120, 55],
];
const LIGHTEN = 0.45;
const LUT = Array.from({ length: 256 }, (_, i) => {
  const t = (i / 255) * (PRGN.length - 1);
  const k = Math.min(Math.floor(t), PRGN.length - 2);
  const f = t - k;
  return PRGN[k].map((c, j) => {
    const v = c + (PRGN[k + 1][j] - c) * f;
    return Math.round(v + (255 - v) * LIGHTEN);
  });
});
const beliefColor = (v) => LUT[Math.max(0, Math.min(255, Math.round(v * 255))) | 0];
const cssColor = ([r, g, b]) => `rgb(${r},${g},${b})`;
const REAL_COLOR = "#1b7837";
const FAKE_COLOR = "#762a83";
const NOISE_COLOR = colors.sky;
const MANIFOLD_COLOR = colors.orange;

/** A sub-step's plot hint: one text, or one per phase. */
const hintFor = (hint, phase) => (typeof hint === "string" ? hint : hint[phase]);
const lrLabel = (v) => formatNumber(v, 5);
/** The lab's handle is in the module of the labs that train (www/ui/wasm-build.js). */
export const wasmModule = "training";

export function createLab({ app }) {
  const core = labCore({ app, module: wasmModule, create: (wasm) => new wasm.GanLab(1) });
  const lab = core.lab;
  const train = trainer({ core, app });
  const value = (name) => core.values[name];
  let slowClock = 0;
  let lastSubStep = null; // {phase, sub_step, narration} of the last narrated sub-step
  let drawing = null; // the points of a drawing in progress ([x, y] pairs), or null
  let heatmap = null; // D's beliefs on the grid, refreshed every few frames while playing
  let heatmapAge = Infinity;
  let dirty = true;
  let ui = null;

  const markChanged = () => {
    dirty = true;
    heatmapAge = Infinity;
  };

  /** What a rebuild is called in the message that says the GAN started over. */
  function describe(name) {
    if (name === "drawn_points") return `A drawing of ${lab.drawn_points().length / 2} points`;
    if (name === "preset") return `Preset ${String(value("preset")).replace(/_/g, " ")}`;
    return `${name} = ${value(name)}`;
  }

  core.onChange((name, applied) => {
    if (applied === "rebuild" || applied === "link") {
      // The run starts at iteration 0 from the seed: a replay or a narration no longer applies.
      lastSubStep = null;
      train.stop();
      if (value("playing")) core.set("playing", false);
      if (applied === "rebuild")
        ui?.message.show(
          `${describe(name)}: the GAN was rebuilt from seed ${value("seed")} (training starts over).`,
        );
    }
    if (name === "drawn_points") drawing = null;
    if (name === "slow_motion") slowClock = 0;
    showState();
    markChanged();
  });

  /** Stops Play when training has diverged; the divergence box shows the core's message. */
  function stopIfDiverged() {
    if (lab.diverged() && value("playing")) core.set("playing", false);
  }

  function guardedTrain(action) {
    // The page's copy changes here, outside the core: a training worker's copy is stale.
    train.touched();
    try {
      action();
    } finally {
      stopIfDiverged();
      markChanged();
      app.stateChanged();
    }
  }

  const api = core.api({
    snapshot() {
      return {
        ...lab.snapshot(),
        drawing: drawing ? drawing.map((p) => [...p]) : null,
        last_sub_step: lastSubStep,
        replaying: train.replaying,
        trainer: train.trainer,
        trainer_note: train.trainerNote,
      };
    },
    /** Runs n whole iterations and returns the iteration count; a divergence stops it early
     * (snapshot().diverged then holds the message). */
    step(n = 1) {
      lastSubStep = null;
      const count = core.step(n);
      const after = (c) => {
        stopIfDiverged();
        markChanged();
        return c;
      };
      // On the GPU, a Promise of the count once the results are back.
      return count instanceof Promise ? count.then(after) : after(count);
    },
    /** One discriminator step only. */
    train_discriminator() {
      guardedTrain(() => lab.train_discriminator());
    },
    /** One generator step only. */
    train_generator() {
      guardedTrain(() => lab.train_generator());
    },
    /** Runs the next narrated sub-step; returns {phase, step, sub_step, narration} of it. */
    sub_step() {
      let done = null;
      guardedTrain(() => {
        done = lab.advance_sub_step();
        lastSubStep = done;
      });
      return done;
    },
    /** Where the plane point (x, y) is drawn on the main canvas, in CSS pixels (for tests). */
    pixelOf(x, y) {
      if (!ui) throw new Error("the GAN lab is not on screen: open #/gan first");
      return [ui.plane.sx(x), ui.plane.sy(y)];
    },
    /** Starts drawing your own target (as choosing "Draw your own…" does). */
    start_drawing() {
      startDrawing();
    },
    /** Trains on the drawing in progress; throws the core's message when it is empty. */
    finish_drawing() {
      finishDrawing();
    },
  });

  function startDrawing() {
    if (value("playing")) core.set("playing", false);
    drawing = [];
    ui?.settings.controls.target.show("drawn");
    ui?.message.show(
      "Drawing: drag on the plane to add points (or focus it and use the arrow keys and Enter), then press Done.",
    );
    dirty = true;
  }

  function finishDrawing() {
    if (!drawing) throw new Error("there is no drawing in progress: choose “Draw your own…” first");
    api.set("drawn_points", drawing);
  }

  function cancelDrawing() {
    drawing = null;
    ui?.settings.controls.target.show(value("target"));
    ui?.message.show("");
    dirty = true;
  }

  function addDrawnPoint(x, y) {
    if (!drawing || drawing.length >= DRAW_MAX_POINTS) return;
    if (Math.abs(x) > HALF || Math.abs(y) > HALF) return;
    const last = drawing[drawing.length - 1];
    if (last && Math.hypot(last[0] - x, last[1] - y) < DRAW_SPACING) return;
    // Three decimals: the point then survives a trip through the URL unchanged.
    drawing.push([Number(x.toFixed(3)), Number(y.toFixed(3))]);
    dirty = true;
  }

  function mount(root) {
    const page = labPage({
      plotFirstOnPhone: true,
      title: "GAN: a forger and a detective, trained against each other",
      lede:
        "The <strong>generator</strong> G turns random noise into points; the " +
        "<strong>discriminator</strong> D looks at a point and guesses the probability that it " +
        "is real. D trains to tell the real data (green) from G's fakes (purple); G trains to " +
        "fool D, following D's gradient. If all goes well, the fakes end up spread like the " +
        "real data. Press Play, or step one network at a time.",
    });
    const message = messageLine();
    const guarded = (action) => message.guard(action);
    const { bar, settings } = core.mount({
      message,
      stepLabel: "One iteration",
      onStep: () => api.step(1),
      onPlay: (on) => {
        slowClock = 0;
        train.played(on, message);
        if (on && drawing) cancelDrawing();
      },
      // Choosing "Draw your own…" starts a drawing; linked sliders move both learning rates.
      intercept: {
        target: (v) => v === "drawn" && (startDrawing(), true),
        d_learning_rate: (v) => value("link_learning_rates") && (api.set("learning_rate", v), true),
        g_learning_rate: (v) => value("link_learning_rates") && (api.set("learning_rate", v), true),
      },
      format: {
        d_learning_rate: lrLabel,
        g_learning_rate: lrLabel,
        momentum: (v) => (v === null ? "— (Adam in use)" : String(v)),
      },
      legends: { layers: "Show on the plane" },
    });
    const drawBox = el(
      "div",
      { class: "gan-draw", hidden: true },
      el(
        "p",
        {},
        "Drag on the plane (mouse or finger) to draw where the real data should be. " +
          "Each stroke adds points; the GAN then learns to imitate them.",
      ),
      el(
        "div",
        { class: "buttons" },
        button("Done: train on it", () => guarded(() => finishDrawing()), { kind: "primary" }),
        button("Clear drawing", () =>
          guarded(() => {
            drawing = [];
            dirty = true;
          }),
        ),
        button("Cancel", () => cancelDrawing()),
      ),
    );
    const presetNote = el("p", { class: "hint gan-preset-note" });
    const link = el("input", {
      type: "checkbox",
      id: "gan-link",
      "data-param": "link_learning_rates",
      checked: value("link_learning_rates"),
      onchange: () => guarded(() => api.set("link_learning_rates", link.checked)),
    });
    const trainD = button("Train D only", () => guarded(() => api.train_discriminator()), {
      title: "One discriminator step; the generator is untouched (key: D)",
      key: "D",
    });
    const trainG = button("Train G only", () => guarded(() => api.train_generator()), {
      title: "One generator step; the discriminator is untouched (key: G)",
      key: "G",
    });
    const subStep = button("Next sub-step", () => guarded(() => api.sub_step()), {
      title: "Slow motion: run the next sub-step of the iteration and explain it (key: N)",
      key: "N",
    });
    const numbers = readouts(
      [
        ["iteration", "Iteration"],
        ["d_loss", "D loss", "the discriminator's loss in its last step"],
        ["g_loss", "G loss", "the generator's loss in its last step"],
        [
          "distance",
          "Distance",
          "sliced Wasserstein distance between 512 generated and 512 real points (lower is better)",
        ],
        ["d_real", "mean D(real)", "D's average belief that the real batch is real"],
        ["d_fake", "mean D(fake)", "D's average belief that the fake batch is real"],
        ["norms", "‖∇‖ D · G", "gradient norms of the last D and G steps"],
        ["updates", "Updates D · G", "network steps taken since the last rebuild"],
        ["rate", "Speed", "iterations per second while playing"],
      ],
      { caption: "Numbers" },
    );
    const h = (text) => el("h3", { class: "gan-h" }, text);
    settings.groups.Training.querySelector("h3").after(
      el("label", { class: "gan-check" }, link, " Same learning rate for both networks"),
    );
    page.controls.append(
      h("Run"),
      bar.root,
      train.note,
      el("div", { class: "buttons gan-steps" }, trainD, trainG, subStep),
      settings.controls.slow_motion.root,
      message.root,
      settings.groups.Data,
      drawBox,
      settings.groups.Preset,
      presetNote,
      settings.groups.Training,
      settings.groups.Networks,
      el(
        "p",
        { class: "hint gan-note" },
        "Changing the data, a preset, the networks, loss, optimizer, noise, batch, steps or " +
          "seed rebuilds the GAN from the seed (training starts over). Learning rates change " +
          "live.",
      ),
      settings.groups.layers,
      settings.groups.Compute,
    );
    page.numbers.append(numbers.root);

    const planeView = view({
      title: "The plane: real data, fakes, and what D believes",
      canvasLabel:
        "The plane with the real samples, the generated samples, the discriminator's heat map, " +
        "the generator's gradient arrows and its manifold",
      explain:
        "<strong>Background</strong>: the discriminator's belief D(x) that a point x is real " +
        "(green: “real”, purple: “fake”, white: unsure). <strong>Arrows</strong>: the " +
        "direction the generator's last step pushed each fake, downhill on its loss, which " +
        "points toward where D believes “real” (longer = stronger push). " +
        "<strong>Orange mesh</strong>: the generator's manifold, a regular grid of noise " +
        "values carried through G, so you see how G stretches and folds its noise to cover " +
        "the data.",
      tall: true,
    });
    planeView.root.classList.add("gan-plane");
    const legendBar = el(
      "div",
      { class: "gan-colorbar", "aria-label": "Colour scale of D(x)" },
      el("span", { class: "gan-colorbar-title" }, "D(x) = probability real"),
      el("span", {
        class: "gan-colorbar-ramp",
        style: `background: linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1]
          .map((v) => cssColor(beliefColor(v)))
          .join(", ")})`,
      }),
      el(
        "span",
        { class: "gan-colorbar-ticks" },
        el("span", {}, "0 fake"),
        el("span", {}, "0.5"),
        el("span", {}, "1 real"),
      ),
    );
    planeView.root.insertBefore(legendBar, planeView.root.querySelector(".explain"));
    planeView.root.insertBefore(train.alarm, planeView.root.querySelector(".canvas-box"));
    const planeNarration = el("p", { class: "gan-plane-narration", hidden: true });
    planeView.root.insertBefore(planeNarration, planeView.root.querySelector(".canvas-box"));
    const narration = el("div", { class: "gan-narration", role: "status", "aria-live": "polite" });
    const narrationView = textView(
      "Slow motion: one iteration, sub-step by sub-step",
      "gan-narration-view",
      narration,
    );
    const lossView = view({
      title: "Losses over iterations",
      canvasLabel: "Line chart of the discriminator's and the generator's loss per iteration",
      explain:
        "The two losses pull against each other, so neither falls to zero in a healthy run: " +
        "they settle (for the non-saturating loss, D near 2·log 2 ≈ 1.39 and G near " +
        "log 2 ≈ 0.69 when D cannot tell real from fake). A D loss near 0 means D wins outright.",
    });
    const distanceView = view({
      title: "Distance between generated and real samples",
      canvasLabel: "Line chart of the sliced Wasserstein distance per iteration",
      explain:
        "The sliced Wasserstein distance: project 512 generated and 512 real points onto 32 " +
        "directions and measure how far the sorted projections are apart, on average (in " +
        "plane units). It is 0 only when the two clouds match, so <strong>lower is " +
        "better</strong>; unlike the losses it does not depend on D. Measured every 10 " +
        "iterations.",
    });
    page.views.append(planeView.root, narrationView, lossView.root, distanceView.root);
    root.append(page.root);

    ui = {
      transport: bar,
      settings,
      message,
      numbers,
      drawBox,
      presetNote,
      link,
      narration,
      planeNarration,
      planeView,
      plane: new Plot(planeView.canvas, {
        x: [-HALF, HALF],
        y: [-HALF, HALF],
        xLabel: "x₁",
        yLabel: "x₂",
        equalAspect: true,
      }),
      lossPlot: new CurveChart(lossView.canvas, { xLabel: "iteration", yLabel: "loss" }),
      distancePlot: new CurveChart(distanceView.canvas, {
        xLabel: "iteration",
        yLabel: "distance",
      }),
      frames: 0,
    };
    planeView.canvas.addEventListener("pointerdown", onPointerDown);
    planeView.canvas.addEventListener("pointermove", onPointerMove);
    planeView.canvas.addEventListener("pointerup", onPointerUp);
    planeView.canvas.addEventListener("pointercancel", onPointerUp);
    keyboardPointer(planeView.canvas, {
      plot: () => ui.plane,
      action: "add a point to the drawing (while drawing a target)",
    });
    showState();
    markChanged();
  }

  /** Runs a user action; a refusal is shown in the message line (nothing changed). */
  function guarded(action) {
    if (ui) ui.message.guard(action);
    else action();
  }

  /** What the generated controls cannot show themselves: the preset's sentence, the linked
   * learning rates, and a drawing in progress in the target menu. */
  function showState() {
    if (!ui) return;
    const explanation = lab.snapshot().preset_explanation;
    ui.presetNote.textContent =
      explanation ?? "Custom settings: pick a preset to start again from a known configuration.";
    ui.link.checked = value("link_learning_rates");
    if (drawing) ui.settings.controls.target.show("drawn");
  }

  function planePoint(event) {
    const box = event.currentTarget.getBoundingClientRect();
    return ui.plane.invert(event.clientX - box.left, event.clientY - box.top);
  }

  let stroking = false;
  function onPointerDown(event) {
    if (!drawing) return;
    stroking = true;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    addDrawnPoint(...planePoint(event));
    event.preventDefault();
  }
  function onPointerMove(event) {
    if (drawing && stroking) addDrawnPoint(...planePoint(event));
  }
  function onPointerUp() {
    stroking = false;
  }

  function unmount() {
    core.unmount();
    train.release();
    ui = null;
  }

  /** Trains until the deadline (a link's replay, then Play), or narrates in slow motion. */
  function frame(dt, deadline = performance.now() + 8) {
    const slow = value("slow_motion");
    if (value("playing") && slow && !drawing) {
      slowClock += dt;
      if (slowClock >= SLOW_MOTION_SECONDS || lastSubStep === null) {
        slowClock = 0;
        api.sub_step();
      }
    }
    // The shell's 8 ms, not more: benches/browser/gan.mjs measured 58 fps with it and 50 fps
    // with 11 ms (the drawing takes the rest of the frame in a software-rendered canvas).
    if (train.frame(deadline, ui?.message, { play: !slow && !drawing })) {
      lastSubStep = null;
      dirty = true;
    }
    if (ui && dirty) draw();
  }

  function draw() {
    dirty = false;
    ui.frames++;
    ui.drawBox.hidden = !drawing;
    drawNumbers();
    drawAlarm();
    drawNarration();
    drawPlane();
    // While playing, the charts follow every third frame (they change slowly), never on one
    // that refreshes the heat map: the two were the costliest parts of a frame together.
    if (!value("playing") || value("slow_motion") || ui.frames % HEATMAP_EVERY === 1) drawCharts();
  }

  function mean(values) {
    if (!values.length) return NaN;
    let s = 0;
    for (const v of values) s += v;
    return s / values.length;
  }

  function drawNumbers() {
    const n = ui.numbers;
    const [d, g] = lab.losses();
    const fmt = (v) =>
      !Number.isFinite(v) ? "–" : Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(3);
    const [dNorm, gNorm] = lab.gradient_norms();
    const [dUpdates, gUpdates] = lab.updates();
    n.set("iteration", formatNumber(lab.progress()));
    n.set("d_loss", fmt(d));
    n.set("g_loss", fmt(g));
    n.set("distance", fmt(lab.distance()));
    n.set("d_real", fmt(mean(lab.real_beliefs())));
    n.set("d_fake", fmt(mean(lab.fake_beliefs())));
    n.set("norms", `${fmt(dNorm)} · ${fmt(gNorm)}`);
    n.set("updates", `${dUpdates} · ${gUpdates}`);
    n.set(
      "rate",
      value("playing") && !value("slow_motion") ? `${Math.round(train.perSecond)} it/s` : "–",
    );
  }

  function drawAlarm() {
    train.drawAlarm(() => guarded(() => api.reset()));
  }

  function drawNarration() {
    const next = lab.next_sub_step();
    const done = lastSubStep;
    const key = JSON.stringify([next, done, !!drawing]);
    if (ui.narration.dataset.key === key) return;
    ui.narration.dataset.key = key;
    const phase = done?.phase ?? next.phase;
    const shown = done ? SUB_STEPS.find(([n]) => n === done.sub_step) : null;
    ui.planeNarration.hidden = !done;
    if (done)
      ui.planeNarration.replaceChildren(
        el("strong", {}, `${phase === "discriminator" ? "D" : "G"} step · ${shown[1]}: `),
        done.narration,
        " ",
        el("span", {}, hintFor(shown[2], phase)),
      );
    const currentIndex = done ? SUB_STEPS.findIndex(([n]) => n === done.sub_step) : -1;
    const who = phase === "discriminator" ? "Discriminator step" : "Generator step";
    const items = SUB_STEPS.map(([name, label, plot], i) =>
      el(
        "li",
        {
          class: i === currentIndex ? "current" : i < currentIndex ? "done" : "",
          "data-sub-step": name,
          "aria-current": i === currentIndex ? "step" : undefined,
        },
        el("span", { class: "gan-sub-label" }, label),
        i === currentIndex ? el("span", { class: "gan-sub-plot" }, hintFor(plot, phase)) : null,
      ),
    );
    ui.narration.replaceChildren(
      el(
        "p",
        { class: "gan-narration-text" },
        done
          ? el("strong", {}, `${who}${done.step > 0 ? ` ${done.step + 1}` : ""}: `)
          : el("strong", {}, "Press “Next sub-step” (key N) "),
        done ? done.narration : "to run one iteration in slow motion, six sub-steps per network.",
      ),
      el("ol", { class: `gan-sub-steps ${phase}` }, ...items),
      el("p", { class: "hint" }, `Next: ${next.phase} step, “${next.narration}”`),
    );
  }

  function drawPlane() {
    const plot = ui.plane;
    plot.clear();
    plot.axes();
    plot.clip();
    if (drawing) {
      drawDrawing(plot);
      plot.unclip();
      return;
    }
    const narrated = lastSubStep;
    const layers = core.values;
    if (layers.show_heatmap) {
      const refresh = !layers.playing || layers.slow_motion || ui.frames % HEATMAP_EVERY === 0;
      if (!heatmap || heatmapAge === Infinity || refresh) {
        heatmap = lab.discriminator_grid(HEATMAP_N);
        heatmapAge = 0;
      }
      plot.heatmap(heatmap, HEATMAP_N, HEATMAP_N, beliefColor);
    }
    if (layers.show_manifold) drawManifold(plot);
    const real = lab.real_samples();
    const fake = lab.fake_samples();
    const sub = narrated?.sub_step;
    const freshBatch = narrated && sub === "sample_noise";
    if (narrated) drawNarratedOverlay(plot, narrated, real, fake);
    if (layers.show_real && (!narrated || narrated.phase === "discriminator" || !freshBatch))
      dots(plot, real, REAL_COLOR, 5);
    if (layers.show_fake && !freshBatch) dots(plot, fake, FAKE_COLOR, 5);
    if (narrated && ["classify", "compute_loss"].includes(sub))
      drawVerdicts(plot, narrated, real, fake);
    if (
      layers.show_gradients &&
      (!narrated || ["backpropagate", "update"].includes(sub) || narrated.phase === "discriminator")
    )
      drawArrows(plot, narrated?.phase === "generator" && sub === "backpropagate");
    plot.unclip();
    const legend = [];
    if (layers.show_real) legend.push({ label: "real samples", color: REAL_COLOR, kind: "dot" });
    if (layers.show_fake)
      legend.push({ label: "generated (fake)", color: FAKE_COLOR, kind: "dot" });
    if (layers.show_gradients)
      legend.push({ label: "push on each fake", color: colors.ink, kind: "line" });
    if (layers.show_manifold)
      legend.push({ label: "generator manifold", color: MANIFOLD_COLOR, kind: "line" });
    if (narrated && sub === "sample_noise")
      legend.push({ label: "noise z", color: NOISE_COLOR, kind: "box" });
    // On a phone the legend would hide a third of the plane; the text under it explains the marks.
    if (legend.length && plot.rect.w >= 300) plot.legend(legend, { corner: "left" });
  }

  /** Round dots with a thin white rim (visible on either colour of the heat map), one path. */
  function dots(plot, flat, color, size) {
    const { ctx } = plot;
    const r = size / 2;
    ctx.save();
    ctx.beginPath();
    for (let i = 0; i < flat.length; i += 2) {
      const x = plot.sx(flat[i]);
      const y = plot.sy(flat[i + 1]);
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
    }
    ctx.fillStyle = color;
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.lineWidth = 1;
    ctx.fill();
    ctx.stroke();
    ctx.restore();
  }

  function drawManifold(plot) {
    const points = lab.generator_manifold(value("noise_dim") === 1 ? MANIFOLD_N_1D : MANIFOLD_N_2D);
    const { ctx } = plot;
    ctx.save();
    ctx.strokeStyle = MANIFOLD_COLOR;
    ctx.globalAlpha = 0.75;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    const at = (i) => [plot.sx(points[2 * i]), plot.sy(points[2 * i + 1])];
    if (value("noise_dim") === 1) {
      for (let i = 0; i < MANIFOLD_N_1D; i++) ctx[i ? "lineTo" : "moveTo"](...at(i));
    } else {
      const n = MANIFOLD_N_2D;
      for (let row = 0; row < n; row++)
        for (let c = 0; c < n; c++) ctx[c ? "lineTo" : "moveTo"](...at(row * n + c));
      for (let c = 0; c < n; c++)
        for (let row = 0; row < n; row++) ctx[row ? "lineTo" : "moveTo"](...at(row * n + c));
    }
    ctx.stroke();
    ctx.restore();
  }

  /** Arrows along minus the gradient at each fake of the last generator step, in one path. */
  function drawArrows(plot, emphasise) {
    const grads = lab.fake_gradients();
    const at = lab.fake_gradient_samples();
    const batch = grads.length / 2;
    const { ctx } = plot;
    const scale = plot.rect.w / (2 * HALF);
    ctx.save();
    ctx.strokeStyle = colors.ink;
    ctx.globalAlpha = emphasise ? 1 : 0.7;
    ctx.lineWidth = emphasise ? 1.6 : 1.1;
    ctx.beginPath();
    for (let i = 0; i < batch; i++) {
      // The mean loss spreads 1/batch over the samples: batch × gradient is one sample's own push.
      let dx = -grads[2 * i] * batch * ARROW_SCALE;
      let dy = -grads[2 * i + 1] * batch * ARROW_SCALE;
      const length = Math.hypot(dx, dy);
      if (!(length > 1e-6)) continue;
      if (length > ARROW_MAX) {
        dx *= ARROW_MAX / length;
        dy *= ARROW_MAX / length;
      }
      const x0 = plot.sx(at[2 * i]);
      const y0 = plot.sy(at[2 * i + 1]);
      const x1 = x0 + dx * scale;
      const y1 = y0 - dy * scale;
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      const px = Math.hypot(x1 - x0, y1 - y0);
      if (px > 4) {
        const ux = (x1 - x0) / px;
        const uy = (y1 - y0) / px;
        const head = Math.min(5, px / 2);
        ctx.moveTo(x1 - head * (ux - 0.5 * uy), y1 - head * (uy + 0.5 * ux));
        ctx.lineTo(x1, y1);
        ctx.lineTo(x1 - head * (ux + 0.5 * uy), y1 - head * (uy - 0.5 * ux));
      }
    }
    ctx.stroke();
    ctx.restore();
  }

  /** What the last narrated sub-step produced: the noise batch, or noise carried to fakes. */
  function drawNarratedOverlay(plot, narrated, real, fake) {
    const sub = narrated.sub_step;
    if (sub !== "sample_noise" && sub !== "generate") return;
    const z = lab.noise();
    const dim = value("noise_dim");
    const zx = (i) => z[dim * i];
    const zy = (i) => (dim === 2 ? z[dim * i + 1] : 0);
    const { ctx } = plot;
    ctx.save();
    if (sub === "generate") {
      ctx.strokeStyle = "rgba(95,102,117,0.35)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = 0; i < fake.length / 2; i++) {
        ctx.moveTo(plot.sx(zx(i)), plot.sy(zy(i)));
        ctx.lineTo(plot.sx(fake[2 * i]), plot.sy(fake[2 * i + 1]));
      }
      ctx.stroke();
    }
    ctx.fillStyle = NOISE_COLOR;
    ctx.globalAlpha = sub === "sample_noise" ? 1 : 0.5;
    for (let i = 0; i < z.length / dim; i++)
      ctx.fillRect(plot.sx(zx(i)) - 2.5, plot.sy(zy(i)) - 2.5, 5, 5);
    ctx.restore();
  }

  /** Rings around the classified samples, coloured by D's belief in each. */
  function drawVerdicts(plot, narrated, real, fake) {
    const ring = (flat, beliefs) => {
      const { ctx } = plot;
      ctx.save();
      ctx.lineWidth = 2;
      for (let i = 0; i < beliefs.length; i++) {
        ctx.strokeStyle = beliefs[i] >= 0.5 ? REAL_COLOR : FAKE_COLOR;
        ctx.beginPath();
        ctx.arc(plot.sx(flat[2 * i]), plot.sy(flat[2 * i + 1]), 6, 0, Math.PI * 2);
        ctx.stroke();
      }
      ctx.restore();
    };
    ring(fake, lab.fake_beliefs());
    if (narrated.phase === "discriminator") ring(real, lab.real_beliefs());
  }

  function drawDrawing(plot) {
    const flat = drawing.flat();
    dots(plot, flat, REAL_COLOR, 6);
    if (drawing.length === 0)
      plot.text(0, 0, "Drag here to draw your data", {
        align: "center",
        font: "16px system-ui, sans-serif",
        color: colors.muted,
      });
    else
      plot.text(-HALF + 0.05, -HALF + 0.08, `${drawing.length} points`, {
        color: colors.muted,
      });
  }

  function drawCharts() {
    const its = lab.history_iterations();
    const d = lab.history_d_loss();
    const g = lab.history_g_loss();
    const dist = lab.history_distance();
    const last = its.length ? its[its.length - 1] : 0;
    const xMax = Math.max(10, last);
    // Losses: the range of the finite values, robust to a few spikes (up to the 98th percentile).
    const values = [...d, ...g].filter(Number.isFinite).sort((a, b) => a - b);
    const lo = values.length ? Math.min(0, values[0]) : 0;
    const hi = values.length ? Math.max(values[Math.floor(values.length * 0.98)] ?? 1, 0.1) : 2;
    ui.lossPlot.draw({
      x: [0, xMax],
      y: [lo, hi * 1.1],
      series: [
        { kind: "line", label: "D loss", color: colors.blue, width: 1.6, xs: its, ys: d },
        { kind: "line", label: "G loss", color: colors.orange, width: 1.6, xs: its, ys: g },
      ],
      notes: its.length ? [] : [{ x: xMax / 2, y: hi * 0.55, text: "Train to see the losses" }],
    });

    const first = lab.distance();
    const top = Math.max(0.05, ...dist.filter(Number.isFinite), Number.isFinite(first) ? first : 0);
    ui.distancePlot.draw({
      x: [0, xMax],
      y: [0, top * 1.1],
      series: [
        {
          kind: "line",
          label: "sliced Wasserstein (lower = closer)",
          color: colors.green,
          width: 2,
          xs: its,
          ys: dist,
        },
      ],
    });
  }

  return {
    name: "gan",
    title: "GAN",
    api,
    mount,
    unmount,
    frame,
    markDirty: markChanged,
    killWorker: (how) => train.killWorker(ui?.message, how),
    keys(event) {
      if (!ui) return false;
      const k = event.key.toLowerCase();
      const action = { d: api.train_discriminator, g: api.train_generator, n: api.sub_step }[k];
      if (action) {
        guarded(() => action());
        return true;
      }
      return ui.transport.handleKey(event);
    },
    ...core.appMembers(
      (count) => train.replay(count, ui?.message),
      () => train.replaying,
    ),
  };
}
