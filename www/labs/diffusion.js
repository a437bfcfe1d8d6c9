// The diffusion lab (#/diffusion): a denoising diffusion model (DDPM) or a flow-matching model
// trains live on 2-D data. The forward view diffuses the data to the chosen t (with the closed-form
// coefficients beside it); the field view shows what the network predicts at t; the reverse view
// animates the samplers from noise to data, step by step, pausable and scrubbable; a narrated
// step shows one training iteration sub-step by sub-step; charts show the loss and the distance.
import { el, readouts, messageLine, button, slider } from "../ui/controls.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { CurveChart } from "../ui/chart.js";
import { labCore, labPage, view, textView } from "../ui/lab.js";
import { trainer } from "../ui/trainer.js";

const HALF = 1.5; // the data plane shown is [-1.5, 1.5]² ...
const NOISE_HALF = 3; // ... and the noisy planes [-3, 3]², where N(0, I) lives
const FIELD_N = 21; // arrows per side of the field grid
const NARRATED = 16; // batch points the narrated step draws
const PASS_SECONDS = 4; // an animated reverse pass takes about this long

const SUB_STEPS = [
  ["sample_t", "Sample t (and a batch x₀)"],
  ["sample_noise", "Sample ε ~ N(0, I)"],
  ["form_x_t", "Form x_t from x₀ and ε"],
  ["predict", "Predict with the network"],
  ["loss", "Compute the loss"],
  ["update", "Update the weights (Adam)"],
];

// The Okabe–Ito-based colours of the VAE lab, one per direction sector around the origin (the
// ring's clusters sit at multiples of 45°): a point keeps its data point's colour as it diffuses.
const SECTOR_COLORS = [
  colors.vermillion,
  colors.orange,
  "#c9b800",
  colors.green,
  colors.sky,
  colors.blue,
  colors.purple,
  colors.ink,
];
const sectorOf = (x, y) => {
  const k = Math.round(Math.atan2(y, x) / (Math.PI / 4));
  return ((k % 8) + 8) % 8;
};
const SAMPLE_COLOR = "#7a3e9d";
const DATA_COLOR = "#9aa0ab";
const fmt = (v, digits = 3) =>
  !Number.isFinite(v) ? "–" : Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(digits);

/** The lab's handle is in the module of the labs that train (www/ui/wasm-build.js). */
export const wasmModule = "training";

export function createLab({ app }) {
  const core = labCore({ app, module: wasmModule, create: (wasm) => new wasm.DiffusionLab(1) });
  const lab = core.lab;
  const train = trainer({ core, app, chunk: 5 });
  const value = (name) => core.values[name];
  let dirty = true;
  let drawn = 0;
  let ui = null;
  // The reverse pass on screen: its frames (copied once per pass), the step shown, whether the
  // animation runs, and the pass it is (the iteration it ran at and how it was sampled).
  const pass = { frames: null, steps: 0, times: null, step: 0, playing: false, key: "" };
  let lastSubStep = null; // [name, narration] of the last narrated sub-step
  let drawing = null; // the points of a target being drawn on the forward view, or null

  const passKey = () =>
    `${lab.samples_iteration()}:${lab.frame_count()}:${value("sampler")}:${value("sampling_steps")}`;

  /** Copies the model's last reverse pass for the view (when it is a new one). */
  function takePass({ animate = false } = {}) {
    const key = passKey();
    if (key === pass.key && !animate) return;
    pass.key = key;
    pass.frames = lab.frames();
    pass.times = lab.frame_times();
    pass.steps = lab.frame_count();
    pass.step = animate ? 0 : pass.steps;
    pass.playing = animate && pass.steps > 1;
    pass.clock = 0;
  }

  core.onChange((name, applied) => {
    if (name === "drawn_points") drawing = null;
    if (applied === "rebuild" || applied === "link") {
      train.stop();
      if (value("playing")) core.set("playing", false);
      lastSubStep = null;
      if (applied === "rebuild")
        ui?.message.show(
          `${name} = ${JSON.stringify(value(name))}: the model was rebuilt from seed ${value("seed")} (training starts over).`,
        );
    }
    if (name === "sampler" || name === "sampling_steps")
      ui?.message.show(
        `${name} = ${JSON.stringify(value(name))}: the trained network was sampled again.`,
      );
    dirty = true;
  });

  const api = core.api({
    snapshot() {
      return {
        ...lab.snapshot(),
        replaying: train.replaying,
        trainer: train.trainer,
        trainer_note: train.trainerNote,
        reverse_view: { step: pass.step, steps: pass.steps, playing: pass.playing },
      };
    },
    /** Runs n iterations and returns the iteration count; a divergence stops it early
     * (snapshot().diverged then holds the message). */
    step(n = 1) {
      const count = core.step(n);
      const after = (c) => {
        if (lab.diverged() && value("playing")) core.set("playing", false);
        lastSubStep = null;
        dirty = true;
        return c;
      };
      // On the GPU, a Promise of the count once the results are back.
      return count instanceof Promise ? count.then(after) : after(count);
    },
    /** Runs the reverse process on the 512 fixed starting noises and returns the final points
     * as [[x, y], …]; the reverse view then animates it from the noise. */
    sample() {
      const flat = lab.sample();
      takePass({ animate: true });
      dirty = true;
      const points = [];
      for (let i = 0; i < flat.length; i += 2) points.push([flat[i], flat[i + 1]]);
      return points;
    },
    /** Runs the next narrated sub-step of a training iteration; returns {sub_step, narration}. */
    sub_step() {
      const [name, narration] = lab.advance_sub_step();
      lastSubStep = [name, narration];
      // The run changed outside the core: a training worker's copy is stale.
      train.touched();
      app.stateChanged();
      dirty = true;
      return { sub_step: name, narration };
    },
    /** The reverse view: pause or resume the animation, or show step k of the pass. */
    pause_reverse() {
      pass.playing = false;
      dirty = true;
    },
    play_reverse() {
      if (pass.step >= pass.steps) pass.step = 0;
      pass.playing = pass.steps > 1;
      dirty = true;
    },
    scrub_reverse(k) {
      if (!Number.isInteger(k) || k < 0 || k > pass.steps)
        throw new Error(
          `step = ${k} is not allowed: step must be a whole number from 0 to ${pass.steps} (the steps of the last reverse pass)`,
        );
      pass.playing = false;
      pass.step = k;
      dirty = true;
    },
  });

  function guarded(action) {
    if (ui) ui.message.guard(action);
    else action();
  }

  function mount(root) {
    const page = labPage({
      plotFirstOnPhone: true,
      title: "Diffusion: turn noise into data, one small step at a time",
      lede:
        "The <strong>forward process</strong> adds Gaussian noise to the data step by step " +
        "until, at step T, nothing but N(0, I) is left. A network learns to undo one step: " +
        "<strong>DDPM</strong> trains it to predict the noise ε that was added, " +
        "<strong>flow matching</strong> the velocity along a straight path from data to noise. " +
        "Running it backwards from fresh noise (the <strong>reverse process</strong>) generates " +
        'new data. Press Play, then "Run the reverse process". ' +
        '<a href="#/learn?section=q2">Where diffusion sits among the families of generative models (course, Q2)</a>',
    });
    const message = messageLine();
    const { bar, settings } = core.mount({
      message,
      stepLabel: "One iteration",
      onStep: () => api.step(1),
      onPlay: (on) => {
        // Play trains whole iterations: a narrated one half done is finished first.
        if (on && lab.mid_iteration()) api.step(1);
        train.played(on, message);
      },
      // Choosing "Draw your own…" starts a drawing on the forward view.
      intercept: { target: (v) => v === "drawn" && (startDrawing(), true) },
      format: { learning_rate: (v) => formatNumber(v, 4) },
      legends: { layers: "Show" },
    });
    const tSlider = slider({
      name: "t",
      label: "Time t (0 = data, T = noise)",
      min: 0,
      max: value("timesteps"),
      step: 1,
      value: value("t"),
      hint: "Drag, or use ← → for one step; PgUp/PgDn for bigger jumps.",
      onInput: (v) => guarded(() => api.set("t", v)),
    });
    tSlider.root.classList.add("diff-t");
    const numbers = readouts(
      [
        ["iteration", "Iteration"],
        ["loss", "Loss", "mean squared error of the last batch's prediction"],
        [
          "distance",
          "Distance to data",
          "sliced Wasserstein distance of the last samples (every 250 iterations)",
        ],
        ["t", "t shown"],
        ["mean", "Mean factor", "x_t = mean factor · x₀ + √variance · ε"],
        ["variance", "Noise variance"],
        ["rate", "Speed", "iterations per second while playing"],
      ],
      { caption: "Numbers" },
    );
    const sampleButton = button("Run the reverse process", () => guarded(() => api.sample()), {
      title:
        "Sample 512 points from the trained network and animate it from noise to data (key: G)",
      key: "G",
    });
    const subStepButton = button("Next sub-step", () => guarded(() => api.sub_step()), {
      title: "Narrated step: run the next part of one training iteration and explain it (key: N)",
      key: "N",
    });
    const h = (text) => el("h3", { class: "diff-h" }, text);
    page.controls.append(
      h("Run"),
      bar.root,
      train.note,
      el("div", { class: "buttons diff-actions" }, sampleButton, subStepButton),
      message.root,
      settings.groups.Data,
      settings.groups.Model,
      settings.groups.Sampling,
      settings.groups.Training,
      settings.groups.Network,
      el(
        "p",
        { class: "hint" },
        "Changing the data, the objective, the schedule, T, the network, the batch or the seed " +
          "rebuilds the model from the seed (training starts over). The sampler and its steps " +
          "sample the trained network again; the learning rate changes live.",
      ),
      settings.groups.layers,
      settings.groups.Compute,
    );
    page.numbers.append(numbers.root);

    const formula = el("p", { class: "diff-formula", "aria-live": "polite" });
    const forwardView = view({
      title: "Forward process: the data diffused to step t",
      canvasLabel: "The data points after t steps of the forward process",
      explain:
        "Each dot is one data point x₀ after t steps of noising, in its data point's colour. " +
        "In closed form x_t = √ᾱ_t · x₀ + √(1 − ᾱ_t) · ε with ε ~ N(0, I): the data shrinks " +
        "towards the centre while the noise grows, until at t = T only N(0, I) is left (the " +
        "dashed circles are its 1σ and 2σ). Flow matching walks a straight line instead: " +
        "x_t = (1 − t/T) · x₀ + (t/T) · ε. Drag t.",
      tall: true,
    });
    forwardView.root.classList.add("diff-forward");
    const box = forwardView.root.querySelector(".canvas-box");
    forwardView.root.insertBefore(tSlider.root, box);
    forwardView.root.insertBefore(formula, box);
    forwardView.root.insertBefore(train.alarm, box);
    forwardView.canvas.addEventListener("pointerdown", onDraw);
    forwardView.canvas.addEventListener("pointermove", onDraw);
    forwardView.canvas.addEventListener(
      "pointerup",
      () => drawing?.length && guarded(finishDrawing),
    );

    const fieldView = view({
      title: "The learned field at t",
      canvasLabel: "Arrows of the network's prediction over the plane at time t",
      explain:
        "Arrows show where the network would move a point at this t: minus the predicted " +
        "noise −ε_θ(x, t) for DDPM, minus the predicted velocity −v_θ(x, t) for flow matching " +
        "(both point from noise towards data). Untrained they point anywhere; trained, they " +
        "point at the data, gently at large t and sharply near t = 0. Grey dots: the data at t.",
    });
    fieldView.root.classList.add("diff-field");

    const reverseStep = slider({
      name: "reverse_step",
      label: "Reverse step shown",
      min: 0,
      max: 1,
      step: 1,
      value: 1,
      hint: "Drag (or ← →) to scrub through the pass; the animation pauses.",
      onInput: (k) => guarded(() => api.scrub_reverse(k)),
    });
    const pauseButton = button("Hold this step", () =>
      guarded(() => (pass.playing ? api.pause_reverse() : api.play_reverse())),
    );
    const reverseView = view({
      title: "Reverse process: from noise to data",
      canvasLabel: "The 512 samples at the shown step of the reverse process, with 16 paths",
      explain:
        "“Run the reverse process” starts 512 points as pure noise (step 0) and applies the " +
        "sampler step by step with the trained network; the lines are the paths of 16 of them. " +
        "DDPM adds fresh noise at every step (the paths jitter); DDIM and Euler do not (smooth " +
        "paths). Grey dots: the real data, for comparison. Pause and scrub to look at any step.",
      tall: true,
    });
    reverseView.root.classList.add("diff-reverse");
    const reverseBox = reverseView.root.querySelector(".canvas-box");
    const reverseStatus = el("p", { class: "diff-reverse-status", "aria-live": "polite" });
    reverseView.root.insertBefore(
      el("div", { class: "diff-reverse-controls" }, pauseButton, reverseStep.root),
      reverseBox,
    );
    reverseView.root.insertBefore(reverseStatus, reverseBox);

    const narrationSteps = el(
      "ol",
      { class: "diff-sub-steps" },
      SUB_STEPS.map(([name, label]) => el("li", { "data-sub-step": name }, label)),
    );
    const narration = el("p", { class: "diff-narration", role: "status", "aria-live": "polite" });
    const narrateCanvas = el("canvas", {
      role: "img",
      "aria-label": "The first 16 points of the training batch at the current sub-step",
    });
    const narrateView = textView(
      "One training step, narrated",
      "diff-narrate",
      el(
        "div",
        { class: "buttons" },
        button("Next sub-step", () => guarded(() => api.sub_step())),
      ),
      narrationSteps,
      narration,
      el("div", { class: "canvas-box" }, narrateCanvas),
      el(
        "div",
        { class: "explain" },
        "Press “Next sub-step” (or N) to run one training iteration in six parts. The canvas " +
          "shows 16 of the batch's points: grey dots are the data x₀, lines lead to their noisy " +
          "x_t, orange arrows are the true target (ε, or ε − x₀) and blue arrows what the " +
          "network predicted; the loss is how far blue is from orange.",
      ),
    );

    const scheduleView = view({
      title: "The schedule: how much data and noise are left at each t",
      canvasLabel: "The mean factor and the noise variance over t, with the shown t marked",
      explain:
        "Blue: the mean factor (√ᾱ_t, or 1 − t/T for flow matching), how much of x₀ is left. " +
        "Orange: the noise variance (1 − ᾱ_t, or (t/T)²). The cosine schedule fades the data " +
        "more evenly than the linear one, which destroys most of it early.",
    });
    const lossView = view({
      title: "Loss over iterations",
      canvasLabel: "Line chart of the training loss per iteration",
      explain:
        "The mean squared error between the network's prediction and the truth on each batch. " +
        "It does not go to 0: the noise added to a point cannot be told exactly from x_t.",
    });
    const distanceView = view({
      title: "Distance of the samples to the data",
      canvasLabel: "Line chart of the sliced Wasserstein distance every 250 iterations",
      explain:
        "The sliced Wasserstein distance between 512 samples of the reverse process and 512 " +
        "data points, measured every 250 iterations: the same measure and sizes as the GAN " +
        "and VAE labs, so the three families compare on the same target.",
    });
    page.views.append(
      forwardView.root,
      fieldView.root,
      reverseView.root,
      narrateView,
      scheduleView.root,
      lossView.root,
      distanceView.root,
    );
    root.append(page.root);

    const plane = (canvas, half, xLabel = "x₁", yLabel = "x₂") =>
      new Plot(canvas, { x: [-half, half], y: [-half, half], xLabel, yLabel, equalAspect: true });
    ui = {
      transport: bar,
      settings,
      message,
      numbers,
      tSlider,
      formula,
      reverseStep,
      pauseButton,
      reverseStatus,
      narrationSteps,
      narration,
      forward: plane(forwardView.canvas, NOISE_HALF),
      field: plane(fieldView.canvas, HALF),
      reverse: plane(reverseView.canvas, NOISE_HALF),
      narrate: plane(narrateCanvas, NOISE_HALF),
      schedule: new CurveChart(scheduleView.canvas, { xLabel: "t" }),
      loss: new CurveChart(lossView.canvas, { xLabel: "iteration", yLabel: "loss" }),
      distance: new CurveChart(distanceView.canvas, { xLabel: "iteration", yLabel: "distance" }),
    };
    pass.key = "";
    takePass();
    dirty = true;
  }

  function startDrawing() {
    if (value("playing")) core.set("playing", false);
    drawing = [];
    core.set("t", 0);
    ui?.settings.controls.target.show("drawn");
    ui?.message.show(
      "Drawing: press and drag on the forward view (t = 0, the data) where the data should be; " +
        "releasing trains on your drawing.",
    );
    dirty = true;
  }

  function finishDrawing() {
    const points = drawing;
    drawing = null;
    api.set("drawn_points", points);
  }

  /** Adds the point under the pointer to the drawing while a button is down. */
  function onDraw(event) {
    if (!drawing || (event.type === "pointermove" && event.buttons === 0)) return;
    const box = event.currentTarget.getBoundingClientRect();
    const [x, y] = ui.forward.invert(event.clientX - box.left, event.clientY - box.top);
    const clamp = (v) => Number(Math.max(-HALF, Math.min(HALF, v)).toFixed(3));
    drawing.push([clamp(x), clamp(y)]);
    const { ctx } = ui.forward;
    ctx.fillStyle = colors.ink;
    ctx.fillRect(ui.forward.sx(clamp(x)) - 2, ui.forward.sy(clamp(y)) - 2, 4, 4);
    event.preventDefault();
  }

  function unmount() {
    core.unmount();
    train.release();
    ui = null;
  }

  function frame(dt, deadline = performance.now() + 8) {
    const narrating = lab.mid_iteration();
    // Training moves only the field, the curves and the numbers: the other views wait for a
    // change of their own (a setting, a new reverse pass, a sub-step), so playing stays smooth.
    const trained = train.frame(deadline, ui?.message, { play: !narrating });
    if (!ui) return;
    let reverseChanged = false;
    // Paused with only a worker's samples: the paths are run again here, once.
    if (!value("playing") && lab.frame_count() === 1 && value("sampling_steps") > 1) {
      lab.sample();
    }
    if (passKey() !== pass.key) {
      takePass();
      reverseChanged = true;
    }
    if (pass.playing) {
      pass.clock += dt;
      const perSecond = Math.max(5, pass.steps / PASS_SECONDS);
      const step = Math.min(pass.steps, Math.floor(pass.clock * perSecond));
      if (step !== pass.step) {
        pass.step = step;
        reverseChanged = true;
      }
      if (pass.step >= pass.steps) pass.playing = false;
    }
    if (dirty) {
      dirty = false;
      drawForward();
      drawField();
      drawReverse();
      drawNarration();
      drawSchedule();
      drawCurves();
      drawNumbers();
      train.drawAlarm(() => guarded(() => api.reset()));
      return;
    }
    if (reverseChanged) drawReverse();
    if (!trained) return;
    drawn++;
    if (drawn % 2 === 0) drawField();
    if (drawn % 3 === 0) drawCurves();
    drawNumbers();
    train.drawAlarm(() => guarded(() => api.reset()));
  }

  function priorCircles(plot) {
    const { ctx } = plot;
    const unit = plot.sx(1) - plot.sx(0);
    ctx.save();
    ctx.strokeStyle = colors.muted;
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1;
    for (const k of [1, 2]) {
      ctx.beginPath();
      ctx.arc(plot.sx(0), plot.sy(0), k * unit, 0, Math.PI * 2);
      ctx.stroke();
    }
    ctx.restore();
  }

  /** Dots at `flat` (x/y pairs) coloured by the direction of the matching point of `by`. */
  function colouredDots(plot, flat, by, size = 4) {
    const { ctx } = plot;
    const r = size / 2;
    const n = flat.length / 2;
    ctx.save();
    for (let s = 0; s < 8; s++) {
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        if (sectorOf(by[2 * i], by[2 * i + 1]) !== s) continue;
        const x = plot.sx(flat[2 * i]);
        const y = plot.sy(flat[2 * i + 1]);
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, Math.PI * 2);
      }
      ctx.fillStyle = SECTOR_COLORS[s];
      ctx.fill();
    }
    ctx.restore();
  }

  function dots(plot, flat, color, size = 2, alpha = 1) {
    const xs = new Float32Array(flat.length / 2);
    const ys = new Float32Array(flat.length / 2);
    for (let i = 0; i < xs.length; i++) {
      xs[i] = flat[2 * i];
      ys[i] = flat[2 * i + 1];
    }
    plot.points(xs, ys, color, { size, alpha });
  }

  function drawForward() {
    const plot = ui.forward;
    plot.clear();
    plot.axes();
    plot.clip();
    priorCircles(plot);
    const real = lab.real_samples();
    if (value("show_data")) dots(plot, real, DATA_COLOR, 2, 0.6);
    colouredDots(plot, lab.forward_samples(), real, 4);
    plot.unclip();
    const [alphaBar, m, variance] = lab.forward_numbers();
    const t = value("t");
    const big = value("timesteps");
    ui.tSlider.input.max = big;
    ui.tSlider.show(t);
    const flow = value("objective") === "flow_matching";
    ui.formula.innerHTML = flow
      ? `t = ${t} of ${big}: x<sub>t</sub> = <strong>${fmt(m)}</strong> · x₀ + <strong>${fmt(1 - m)}</strong> · ε ` +
        `(mean factor 1 − t/T = ${fmt(m)}, variance (t/T)² = ${fmt(variance)})`
      : `t = ${t} of ${big}: x<sub>t</sub> = <strong>${fmt(m)}</strong> · x₀ + √<strong>${fmt(variance)}</strong> · ε ` +
        `(√ᾱ<sub>t</sub> = ${fmt(m)}, 1 − ᾱ<sub>t</sub> = ${fmt(variance)}, ᾱ<sub>t</sub> = ${fmt(alphaBar, 4)})`;
    if (plot.rect.w >= 300)
      plot.legend(
        [
          { label: `data at t = ${t}`, color: colors.green, kind: "dot" },
          { label: "N(0, I): 1σ, 2σ", color: colors.muted, kind: "line" },
        ],
        { corner: "left" },
      );
  }

  function drawField() {
    const plot = ui.field;
    plot.clear();
    plot.axes();
    plot.clip();
    if (value("show_data")) dots(plot, lab.forward_samples(), DATA_COLOR, 2, 0.5);
    if (value("show_field")) {
      const field = lab.field(FIELD_N);
      const cell = (2 * HALF) / FIELD_N;
      let longest = 0;
      for (let i = 0; i < field.length; i += 2)
        longest = Math.max(longest, Math.hypot(field[i], field[i + 1]));
      // The longest arrow spans one and a half cells: the directions stay readable.
      const scale = longest > 0 ? (1.5 * cell) / longest : 0;
      const { ctx } = plot;
      ctx.save();
      ctx.strokeStyle = colors.blue;
      ctx.fillStyle = colors.blue;
      ctx.lineWidth = 1.2;
      ctx.beginPath();
      for (let row = 0; row < FIELD_N; row++)
        for (let col = 0; col < FIELD_N; col++) {
          const i = 2 * (row * FIELD_N + col);
          const x = -HALF + cell * (col + 0.5);
          const y = HALF - cell * (row + 0.5);
          // Minus the prediction: the way the reverse process moves a point.
          const dx = -field[i] * scale;
          const dy = -field[i + 1] * scale;
          arrow(ctx, plot.sx(x), plot.sy(y), plot.sx(x + dx), plot.sy(y + dy));
        }
      ctx.stroke();
      ctx.restore();
    }
    plot.unclip();
  }

  /** An arrow from (x0, y0) to (x1, y1) in pixels, added to the current path. */
  function arrow(ctx, x0, y0, x1, y1, head = 3.5) {
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 2) return;
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - head * (ux - 0.5 * uy), y1 - head * (uy + 0.5 * ux));
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - head * (ux + 0.5 * uy), y1 - head * (uy - 0.5 * ux));
  }

  function drawReverse() {
    const plot = ui.reverse;
    plot.clear();
    plot.axes();
    plot.clip();
    priorCircles(plot);
    const real = lab.real_samples();
    if (value("show_data")) dots(plot, real, DATA_COLOR, 2, 0.6);
    const { frames, steps, step } = pass;
    const perFrame = frames ? frames.length / (steps + 1) : 0;
    if (frames && value("show_trajectories") && steps > 1) {
      const { ctx } = plot;
      ctx.save();
      ctx.lineWidth = 1;
      ctx.globalAlpha = 0.7;
      for (let p = 0; p < 16; p++) {
        const end = frames.subarray(steps * perFrame, (steps + 1) * perFrame);
        ctx.strokeStyle = SECTOR_COLORS[sectorOf(end[2 * p], end[2 * p + 1])];
        ctx.beginPath();
        for (let k = 0; k <= step; k++) {
          const x = plot.sx(frames[k * perFrame + 2 * p]);
          const y = plot.sy(frames[k * perFrame + 2 * p + 1]);
          ctx[k ? "lineTo" : "moveTo"](x, y);
        }
        ctx.stroke();
      }
      ctx.restore();
    }
    if (frames && value("show_samples"))
      dots(plot, frames.subarray(step * perFrame, (step + 1) * perFrame), SAMPLE_COLOR, 3, 0.8);
    plot.unclip();
    ui.reverseStep.input.max = steps;
    ui.reverseStep.input.disabled = steps <= 1;
    ui.reverseStep.show(step);
    ui.pauseButton.textContent = pass.playing
      ? "Hold this step"
      : step >= steps
        ? "Replay from the noise"
        : "Resume";
    ui.pauseButton.disabled = steps <= 1;
    const t = pass.times ? pass.times[step] : 0;
    ui.reverseStatus.textContent =
      steps <= 1
        ? "These are the latest samples (measured while training played). Press “Run the reverse process” to watch how they form."
        : `Step ${step} of ${steps} (${value("sampler").toUpperCase()}, t = ${Math.round(t * value("timesteps"))} of ${value("timesteps")}), samples of iteration ${formatNumber(lab.samples_iteration())}${pass.playing ? " · playing" : ""}.`;
    if (plot.rect.w >= 300)
      plot.legend(
        [
          { label: "samples", color: SAMPLE_COLOR, kind: "dot" },
          { label: "real data", color: DATA_COLOR, kind: "dot" },
        ],
        { corner: "left" },
      );
  }

  function drawNarration() {
    const last = lastSubStep?.[0] ?? null;
    for (const li of ui.narrationSteps.children) {
      li.classList.toggle("done", last === li.dataset.subStep);
      li.toggleAttribute("aria-current", last === li.dataset.subStep);
    }
    ui.narration.textContent = lastSubStep
      ? lastSubStep[1]
      : "Press “Next sub-step” to run one training iteration part by part.";
    const plot = ui.narrate;
    plot.clear();
    plot.axes();
    if (!lastSubStep) return;
    plot.clip();
    const order = SUB_STEPS.map(([name]) => name);
    const reached = (name) => last && order.indexOf(last) >= order.indexOf(name);
    const data = lab.batch_data().subarray(0, 2 * NARRATED);
    const noisy = lab.batch_noisy().subarray(0, 2 * NARRATED);
    const targets = lab.batch_targets().subarray(0, 2 * NARRATED);
    const prediction = lab.batch_prediction().subarray(0, 2 * NARRATED);
    const times = lab.batch_times().subarray(0, NARRATED);
    const { ctx } = plot;
    const line = (from, vec, color, scale) => {
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let i = 0; i < NARRATED; i++) {
        const x = from[2 * i];
        const y = from[2 * i + 1];
        arrow(
          ctx,
          plot.sx(x),
          plot.sy(y),
          plot.sx(x + scale * vec[2 * i]),
          plot.sy(y + scale * vec[2 * i + 1]),
        );
      }
      ctx.stroke();
      ctx.restore();
    };
    dots(plot, data, colors.muted, 5);
    if (reached("form_x_t")) {
      ctx.save();
      ctx.strokeStyle = "rgba(29,36,51,0.35)";
      ctx.beginPath();
      for (let i = 0; i < NARRATED; i++) {
        ctx.moveTo(plot.sx(data[2 * i]), plot.sy(data[2 * i + 1]));
        ctx.lineTo(plot.sx(noisy[2 * i]), plot.sy(noisy[2 * i + 1]));
      }
      ctx.stroke();
      ctx.restore();
      dots(plot, noisy, colors.ink, 5);
    }
    // ε drawn from each data point, until x_t is formed from it.
    if (reached("sample_noise") && !reached("form_x_t"))
      line(data, lab.batch_noise().subarray(0, 2 * NARRATED), colors.orange, 0.3);
    if (reached("form_x_t")) line(noisy, targets, colors.orange, 0.3);
    if (reached("predict")) line(noisy, prediction, colors.blue, 0.3);
    for (let i = 0; i < (reached("sample_t") ? NARRATED : 0); i += 4)
      plot.text(
        data[2 * i] + 0.08,
        data[2 * i + 1],
        `t=${Math.round(times[i] * value("timesteps"))}`,
        {
          color: colors.muted,
        },
      );
    plot.unclip();
  }

  function drawSchedule() {
    const plot = ui.schedule;
    const big = value("timesteps");
    const flow = value("objective") === "flow_matching";
    const table = flow ? null : scheduleTable();
    // The closed forms at up to 101 steps along the way: (mean factor, noise variance) at t.
    const at = (t) => (flow ? [1 - t / big, (t / big) ** 2] : [Math.sqrt(table[t]), 1 - table[t]]);
    const points = Math.min(big, 100);
    const ts = Array.from({ length: points + 1 }, (_, i) => Math.round((i * big) / points));
    const mean = ts.map((t) => at(t)[0]);
    const variance = ts.map((t) => at(t)[1]);
    const shown = value("t");
    plot.draw({
      x: [0, big],
      y: [0, 1],
      series: [
        { kind: "line", label: flow ? "1 − t/T" : "√ᾱ_t", color: colors.blue, xs: ts, ys: mean },
        {
          kind: "line",
          label: flow ? "(t/T)²" : "1 − ᾱ_t",
          color: colors.orange,
          xs: ts,
          ys: variance,
        },
        { kind: "line", color: colors.ink, width: 1, dashed: true, xs: [shown, shown], ys: [0, 1] },
      ],
    });
  }

  // ᾱ_t for t = 0..T of the current schedule, asked of the model once per schedule.
  let scheduleCache = { key: "", table: [] };
  function scheduleTable() {
    const key = `${value("schedule")}:${value("timesteps")}`;
    if (scheduleCache.key === key) return scheduleCache.table;
    scheduleCache = { key, table: Array.from(lab.alpha_bars()) };
    return scheduleCache.table;
  }

  function drawCurves() {
    curve(
      ui.loss,
      lab.history_iterations(),
      lab.history_loss(),
      colors.ink,
      "Press Play or Step to train",
    );
    curve(ui.distance, lab.distance_iterations(), lab.distance_history(), SAMPLE_COLOR, "");
  }

  function curve(plot, its, ys, color, empty) {
    const last = its.length ? its[its.length - 1] : 0;
    const values = Array.from(ys)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    // The first iterations can be far above the rest; the top 3 % may leave the chart.
    const hi = values.length ? values[Math.floor((values.length - 1) * 0.97)] : 1;
    const xMax = Math.max(10, last);
    const yMax = Math.max(1e-3, hi * 1.1);
    const series = [{ kind: "line", color, width: 1.6, xs: its, ys }];
    if (its.length === 1) series.push({ kind: "points", color, radius: 2.5, xs: its, ys });
    plot.draw({
      x: [0, xMax],
      y: [0, yMax],
      series,
      notes: !its.length && empty ? [{ x: xMax / 2, y: yMax / 2, text: empty }] : [],
    });
  }

  function drawNumbers() {
    const n = ui.numbers;
    const [, m, variance] = lab.forward_numbers();
    n.set("iteration", formatNumber(lab.progress()));
    n.set("loss", fmt(lab.loss()));
    n.set("distance", fmt(lab.distance()));
    n.set("t", `${value("t")} of ${value("timesteps")}`);
    n.set("mean", fmt(m));
    n.set("variance", fmt(variance));
    n.set("rate", value("playing") ? `${Math.round(train.perSecond)} it/s` : "–");
  }

  return {
    name: "diffusion",
    title: "Diffusion",
    api,
    mount,
    unmount,
    frame,
    markDirty: () => {
      dirty = true;
    },
    killWorker: (how) => train.killWorker(ui?.message, how),
    keys(event) {
      if (!ui) return false;
      const k = event.key.toLowerCase();
      if (k === "g") {
        guarded(() => api.sample());
        return true;
      }
      if (k === "n") {
        guarded(() => api.sub_step());
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
