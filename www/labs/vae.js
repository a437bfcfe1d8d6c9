// The VAE lab (#/vae): a variational autoencoder trains live on 2-D data. The data view shows
// real points, their reconstructions (a thin line from each point to it), decoded draws from the
// prior (new data) and the decoder's image of a latent grid; the latent view shows where the
// encoder puts each point next to the prior N(0, I); a chart shows the ELBO and its two terms.
import { el, slider, select, readouts, messageLine, button, checkboxes } from "../ui/controls.js";
import { transport } from "../ui/transport.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { checkedSetter, labPage, view, oneOf, seedSpec, refusals } from "../ui/lab.js";

const SPEEDS = [1, 2, 5, 10, 20, 50, "max"]; // iterations per frame while playing
const DEFAULT_SEED = 1;
const HALF = 1.5; // the data plane shown is [-1.5, 1.5]²
const LATENT_HALF = 3; // the latent plane shown is [-3, 3]²
const MANIFOLD_N_2D = 15; // latent grid lines per side (2-D latent)
const MANIFOLD_N_1D = 101; // points along the latent line (1-D latent)
const REPLAY_MAX = 100000;

const TARGETS = [
  ["ring", "Ring of 8 Gaussians"],
  ["grid", "5×5 grid of Gaussians"],
  ["moons", "Two moons"],
  ["spiral", "Spiral"],
  ["line", "A single line"],
];
const BETAS = [0, 0.01, 0.03, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
const LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const UNITS = [1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128];
const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const LAYERS = [
  ["show_data", "Data points (coloured by direction)"],
  ["show_reconstructions", "Reconstructions (line from each point)"],
  ["show_prior_samples", "New data: decoded draws from the prior"],
  ["show_manifold", "Decoder manifold (decoded latent grid)"],
  ["show_sigma", "Encoder spread σ (ellipses, latent view)"],
];
// Eight Okabe–Ito-based colours, one per direction sector around the origin (sector centres at
// multiples of 45°, where the ring's clusters sit); distinguishable with colour blindness.
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
const RECON_COLOR = colors.ink;
const PRIOR_COLOR = "#7a3e9d";
const MANIFOLD_COLOR = "#9aa0ab";

const sectorOf = (x, y) => {
  const k = Math.round(Math.atan2(y, x) / (Math.PI / 4));
  return ((k % 8) + 8) % 8;
};
const nearestIndex = (list, v) =>
  list.reduce(
    (best, x, i) =>
      Math.abs(Math.log(x + 1e-6) - Math.log(v + 1e-6)) <
      Math.abs(Math.log(list[best] + 1e-6) - Math.log(v + 1e-6))
        ? i
        : best,
    0,
  );
const fmt = (v) =>
  !Number.isFinite(v) ? "–" : Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(3);

export function createLab({ wasm, app }) {
  const lab = new wasm.VaeLab(DEFAULT_SEED);
  let speed = "max";
  let playing = false;
  const layers = Object.fromEntries(LAYERS.map(([name]) => [name, true]));
  let replayLeft = 0;
  let probe = null; // a latent point z the student picked, decoded on every draw
  let dirty = true;
  let config = lab.snapshot().config;
  let liveRate = { at: performance.now(), iteration: 0, perSecond: 0 };
  let ui = null;

  const changed = () => {
    dirty = true;
    app.stateChanged();
  };

  function setPlaying(next) {
    playing = next;
    if (ui && ui.transport.playing !== next) ui.transport.setPlaying(next);
  }

  /** After a rebuild: the run starts at iteration 0 from the seed, and the page says so. */
  function rebuilt(what) {
    config = lab.snapshot().config;
    replayLeft = 0;
    probe = null;
    setPlaying(false);
    showConfig();
    if (what)
      ui?.message.show(
        `${what}: the VAE was rebuilt from seed ${config.seed} (training starts over).`,
      );
    changed();
  }

  function live() {
    config = lab.snapshot().config;
    showConfig();
    changed();
  }

  const rebuilding = (name, type, allowed, apply) => ({
    type,
    allowed,
    apply: (v) => {
      apply(v);
      rebuilt(`${name} = ${v}`);
    },
  });

  const specs = {
    target: rebuilding("target", "string", '"ring", "grid", "moons", "spiral" or "line"', (v) =>
      lab.set_target(v),
    ),
    beta: {
      type: "number",
      allowed:
        "a number from 0 to 100, the weight of the KL term (1 = the true ELBO; applies live)",
      apply: (v) => {
        lab.set_number("beta", v);
        live();
      },
    },
    learning_rate: {
      type: "number",
      allowed: "a number above 0 and at most 10 (applies live)",
      apply: (v) => {
        lab.set_number("learning_rate", v);
        live();
      },
    },
    latent_dim: rebuilding("latent_dim", "integer", "1 or 2", (v) =>
      lab.set_number("latent_dim", v),
    ),
    hidden_layers: rebuilding("hidden_layers", "integer", "a whole number from 0 to 4", (v) =>
      lab.set_number("hidden_layers", v),
    ),
    hidden_units: rebuilding("hidden_units", "integer", "a whole number from 1 to 128", (v) =>
      lab.set_number("hidden_units", v),
    ),
    batch_size: rebuilding("batch_size", "integer", "a whole number from 1 to 1024", (v) =>
      lab.set_number("batch_size", v),
    ),
    seed: seedSpec((v) => api.reset(v), "rebuilds the VAE"),
    speed: oneOf("speed", SPEEDS, "iterations per frame", (v, i) => {
      speed = v;
      ui?.transport.showSpeed(i);
      dirty = true;
    }),
    playing: { type: "boolean", allowed: "true or false", apply: (v) => setPlaying(v) },
    probe: {
      type: "any",
      allowed:
        "null, or a point of the latent space: [z₁, z₂] for a 2-D latent, [z₁] for a 1-D one (decoded live)",
      apply: (v) => {
        if (v === null) probe = null;
        else {
          const dim = config.latent_dim;
          if (!Array.isArray(v) || v.length !== dim || !v.every(Number.isFinite))
            throw new Error(
              `probe = ${JSON.stringify(v)} is not allowed: probe must be ${dim} finite number${dim === 1 ? "" : "s"} (a point of the ${dim}-D latent space), or null`,
            );
          lab.decode(Float32Array.from(v));
          probe = [...v];
        }
        dirty = true;
      },
    },
  };
  for (const [name, label] of LAYERS) {
    specs[name] = {
      type: "boolean",
      allowed: `true or false (${label})`,
      apply: (v) => {
        layers[name] = v;
        if (ui) ui.layers[name].checked = v;
        changed();
      },
    };
  }

  const api = {
    snapshot() {
      const decoded = probe ? [...lab.decode(Float32Array.from(probe))] : null;
      return {
        ...lab.snapshot(),
        playing,
        speed,
        layers: { ...layers },
        probe: probe ? { z: [...probe], x: decoded } : null,
        replaying: replayLeft,
      };
    },
    /** Runs n iterations and returns the iteration count; a divergence stops it early
     * (snapshot().diverged then holds the message). */
    step(n = 1) {
      try {
        lab.iterations(n);
      } catch (error) {
        if (!lab.diverged()) throw error;
      } finally {
        if (lab.diverged()) setPlaying(false);
        changed();
      }
      return lab.iteration_count();
    },
    /** Decodes 256 fresh draws from the prior (new data); training is unaffected. */
    new_prior_samples() {
      lab.redraw_prior_samples();
      dirty = true;
    },
    reset(seed = config.seed) {
      lab.reset(seed);
      ui?.transport.showSeed(seed);
      rebuilt(`seed = ${seed}`);
    },
    set: null,
    /** Where the latent point (z₁, z₂) is drawn on the latent canvas, in CSS pixels (for tests). */
    latentPixelOf(z1, z2) {
      if (!ui) throw new Error("the VAE lab is not on screen: open #/vae first");
      return [ui.latent.sx(z1), ui.latent.sy(z2)];
    },
  };
  api.set = checkedSetter("vae", specs);

  function guarded(action) {
    if (ui) ui.message.guard(action);
    else action();
  }

  function mount(root) {
    const page = labPage({
      plotFirstOnPhone: true,
      title: "VAE: squeeze the data through a latent space and back",
      lede:
        "The <strong>encoder</strong> maps each data point x to a small Gaussian cloud " +
        "q(z | x) in a <strong>latent space</strong>; the <strong>decoder</strong> maps a " +
        "latent point z back to the data plane. Training maximises the " +
        "<strong>ELBO</strong> = reconstruction − KL: decode well what you encoded, but keep " +
        "the encodings close to the prior N(0, I), so that decoding <em>fresh</em> draws from " +
        "the prior gives new data. Press Play.",
    });
    const message = messageLine();
    const alarm = el("div", { class: "vae-alarm", role: "alert", hidden: true });
    const s0 = lab.snapshot();

    const target = select({
      name: "target",
      label: "Data (target)",
      options: TARGETS,
      value: s0.config.target,
      onChange: (v) => guarded(() => api.set("target", v)),
    });
    const indexSlider = (name, label, values, format, hint) =>
      slider({
        name,
        label,
        min: 0,
        max: values.length - 1,
        step: 1,
        value: 0,
        format: (i) => format(values[i]),
        hint,
        onInput: (i) => guarded(() => api.set(name, values[i])),
      });
    const beta = indexSlider(
      "beta",
      "β, the weight of the KL term",
      BETAS,
      String,
      "1 is the true ELBO. Small β: sharp reconstructions, encodings far from the prior. " +
        "Large β: encodings collapse onto the prior and the decoder ignores z.",
    );
    const rate = indexSlider("learning_rate", "Learning rate (Adam)", LEARNING_RATES, (v) =>
      formatNumber(v, 4),
    );
    const batch = indexSlider("batch_size", "Batch size", BATCHES, String);
    const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    const hiddenLayers = indexSlider(
      "hidden_layers",
      "Hidden layers (each network)",
      range(0, 4),
      String,
    );
    const hiddenUnits = indexSlider("hidden_units", "Units per hidden layer", UNITS, String);
    const latentDim = select({
      name: "latent_dim",
      label: "Latent dimension",
      options: [
        ["2", "2 (a plane: mesh manifold)"],
        ["1", "1 (a line: curve manifold)"],
      ],
      value: String(s0.config.latent_dim),
      onChange: (v) => guarded(() => api.set("latent_dim", Number(v))),
    });
    const { root: layerList, boxes: layerBoxes } = checkboxes({
      legend: "Show",
      items: LAYERS,
      checked: (name) => layers[name],
      onChange: (name, on) => guarded(() => api.set(name, on)),
    });
    const bar = transport({
      speeds: SPEEDS,
      speedIndex: SPEEDS.indexOf(speed),
      speedLabel: (v) =>
        v === "max" ? "max (as many as fit a frame)" : `${v} iteration${v === 1 ? "" : "s"}/frame`,
      stepLabel: "One iteration",
      seed: s0.seed,
      onPlay: (on) => {
        playing = on;
        liveRate = { at: performance.now(), iteration: lab.iteration_count(), perSecond: 0 };
        if (on && lab.diverged()) {
          setPlaying(false);
          message.show("Training diverged: press Reset (after lowering the learning rate).", {
            error: true,
          });
        }
        dirty = true;
      },
      onStep: () => guarded(() => api.step(1)),
      onReset: (seed) => guarded(() => api.reset(seed)),
      onSpeed: (v) => guarded(() => specs.speed.apply(v)),
      onSeedError: (text) => message.show(text, { error: true }),
      randomSeed: () => wasm.randomSeed(),
    });
    const numbers = readouts(
      [
        ["iteration", "Iteration"],
        ["elbo", "ELBO", "reconstruction − KL on the last batch (higher is better)"],
        ["reconstruction", "Reconstruction", "E[log p(x | z)], averaged over the last batch"],
        ["kl", "KL", "KL(q(z | x) ‖ N(0, I)), averaged over the last batch"],
        ["beta", "β", "the weight of the KL term in the training loss"],
        ["error", "Mean distance x → x̂", "between each shown point and its reconstruction"],
        ["sigma", "Decoder σ (x₁ · x₂)", "the learned spread of p(x | z)"],
        ["rate", "Speed", "iterations per second while playing"],
      ],
      { caption: "Numbers" },
    );
    const redraw = button(
      "New draws from the prior",
      () => guarded(() => api.new_prior_samples()),
      {
        title: "Decode 256 fresh points z ~ N(0, I): new data the model has never seen (key: P)",
        key: "P",
      },
    );
    const h = (text) => el("h3", { class: "vae-h" }, text);
    page.controls.append(
      h("Run"),
      bar.root,
      el("div", { class: "buttons vae-redraw" }, redraw),
      message.root,
      h("Data"),
      target.root,
      h("Training"),
      beta.root,
      rate.root,
      batch.root,
      h("Networks"),
      latentDim.root,
      hiddenLayers.root,
      hiddenUnits.root,
      el(
        "p",
        { class: "hint" },
        "Changing the data, the networks, the batch or the seed rebuilds the VAE from the " +
          "seed (training starts over). β and the learning rate change live.",
      ),
      layerList,
    );
    page.numbers.append(numbers.root);

    const dataView = view({
      title: "Data space: data, reconstructions and new data",
      canvasLabel:
        "The data plane with the data points, their reconstructions, decoded prior samples and " +
        "the decoder manifold",
      explain:
        "<strong>Coloured dots</strong>: data points, coloured by their direction from the " +
        "centre. A <strong>thin line</strong> runs from each to its <strong>reconstruction " +
        "(black dot)</strong>: encode, then decode the encoder's mean. <strong>Purple " +
        "crosses</strong>: <em>new data</em>, the decoder applied to fresh draws z ~ N(0, I) " +
        "that the model never saw (press “New draws from the prior” for more). <strong>Grey " +
        "mesh</strong>: the decoder's image of a regular latent grid (±2.5σ; a line for a 1-D " +
        "latent), so you see how it bends the latent space onto the data.",
      tall: true,
    });
    dataView.root.classList.add("vae-data");
    dataView.root.insertBefore(alarm, dataView.root.querySelector(".canvas-box"));
    const latentView = view({
      title: "Latent space: where the encoder puts each point",
      canvasLabel: "The latent plane with each data point's encoder mean and the prior's circles",
      explain:
        "Each dot is the encoder's mean μ(x) for one data point, in the same colour as in the " +
        "data view; the ellipses show its spread σ(x). The dashed circles are the prior " +
        "N(0, I) at 1σ and 2σ. The KL term pulls the clouds onto the prior; the " +
        "reconstruction term pushes them apart so each point can be told from the others. " +
        "<strong>Click or drag here</strong> to pick any z: the black diamond shows where the " +
        "decoder sends it in the data view.",
    });
    const curveView = view({
      title: "The ELBO and its two terms over iterations",
      canvasLabel: "Line chart of the ELBO, the reconstruction term and the KL term per iteration",
      explain:
        "ELBO = reconstruction − KL, on each training batch. The <strong>reconstruction</strong> " +
        "term E[log p(x | z)] rises as the decoder learns to rebuild x; the <strong>KL</strong> " +
        "term is the price of encodings that differ from the prior. Training maximises " +
        "reconstruction − β·KL, so the two pull against each other: move β and watch.",
    });
    latentView.root.classList.add("vae-latent");
    curveView.root.classList.add("vae-curves");
    page.views.append(dataView.root, latentView.root, curveView.root);
    root.append(page.root);

    ui = {
      transport: bar,
      message,
      alarm,
      numbers,
      target,
      latentDim,
      sliders: {
        beta: [beta, BETAS],
        learning_rate: [rate, LEARNING_RATES],
        batch_size: [batch, BATCHES],
        hidden_layers: [hiddenLayers, range(0, 4)],
        hidden_units: [hiddenUnits, UNITS],
      },
      layers: layerBoxes,
      data: new Plot(dataView.canvas, {
        x: [-HALF, HALF],
        y: [-HALF, HALF],
        xLabel: "x₁",
        yLabel: "x₂",
        equalAspect: true,
      }),
      latent: new Plot(latentView.canvas, {
        x: [-LATENT_HALF, LATENT_HALF],
        y: [-LATENT_HALF, LATENT_HALF],
        xLabel: "z₁",
        yLabel: "z₂",
        equalAspect: true,
      }),
      curves: new Plot(curveView.canvas, {
        x: [0, 10],
        y: [-5, 1],
        xLabel: "iteration",
        yLabel: "nats per point",
      }),
    };
    latentView.canvas.addEventListener("pointerdown", onLatentPointer);
    latentView.canvas.addEventListener("pointermove", onLatentPointer);
    showConfig();
    changed();
  }

  /** Picks the latent point under the pointer while a button is down (mouse or finger). */
  function onLatentPointer(event) {
    if (event.type === "pointermove" && event.buttons === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    const [z1, z2] = ui.latent.invert(event.clientX - box.left, event.clientY - box.top);
    const round = (v) => Number(Math.max(-LATENT_HALF, Math.min(LATENT_HALF, v)).toFixed(3));
    guarded(() => api.set("probe", config.latent_dim === 1 ? [round(z1)] : [round(z1), round(z2)]));
    event.preventDefault();
  }

  /** A diamond marker at canvas pixel (x, y). */
  function diamond(ctx, x, y, r) {
    ctx.save();
    ctx.fillStyle = colors.ink;
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
    ctx.closePath();
    ctx.stroke();
    ctx.fill();
    ctx.restore();
  }

  /** Shows the settings in the controls (after a set from the API or a link). */
  function showConfig() {
    if (!ui) return;
    const c = config;
    ui.target.show(c.target);
    ui.latentDim.show(String(c.latent_dim));
    for (const [name, [control, values]] of Object.entries(ui.sliders)) {
      const i = values.indexOf(c[name]);
      control.show(i >= 0 ? i : nearestIndex(values, c[name]));
      control.root.querySelector("output").textContent = formatNumber(c[name], 4);
    }
    ui.transport.showSeed(c.seed);
  }

  function unmount() {
    setPlaying(false);
    ui = null;
  }

  /** Runs iterations until the deadline (or the speed's count), then draws. */
  function frame(dt, deadline = performance.now() + 8) {
    if (replayLeft > 0) {
      try {
        do {
          const n = Math.min(replayLeft, 10);
          lab.iterations(n);
          replayLeft -= n;
        } while (replayLeft > 0 && performance.now() < deadline);
      } catch (error) {
        replayLeft = 0;
        if (!lab.diverged()) ui?.message.show(error.message, { error: true });
      }
      if (replayLeft === 0) {
        ui?.message.show(`Replayed the link's ${lab.iteration_count()} iterations.`);
        app.stateChanged();
      }
      dirty = true;
    }
    if (!ui) return;
    if (playing) {
      const wanted = speed === "max" ? Infinity : speed;
      let done = 0;
      try {
        // Batches of a few iterations keep the per-call overhead small at "max".
        while (done < wanted && performance.now() < deadline) {
          const n = Math.min(wanted - done, 5);
          lab.iterations(n);
          done += n;
        }
      } catch (error) {
        if (!lab.diverged()) ui.message.show(error.message, { error: true });
        setPlaying(false);
      }
      const now = performance.now();
      if (now - liveRate.at > 500) {
        const its = lab.iteration_count();
        liveRate = {
          at: now,
          iteration: its,
          perSecond: ((its - liveRate.iteration) * 1000) / (now - liveRate.at),
        };
      }
      dirty = true;
      if (done) app.stateChanged();
    }
    if (!dirty) return;
    dirty = false;
    drawData();
    drawLatent();
    drawCurves();
    drawNumbers();
    drawAlarm();
  }

  function drawData() {
    const plot = ui.data;
    plot.clear();
    plot.axes();
    plot.clip();
    const { ctx } = plot;
    const data = lab.data();
    const recon = lab.reconstructions();
    // Bottom to top: the manifold, the new data, the lines, the data, the reconstructions.
    if (layers.show_manifold) drawManifold(plot);
    if (layers.show_prior_samples) crosses(plot, lab.prior_samples(), PRIOR_COLOR, 3);
    if (layers.show_reconstructions) {
      ctx.save();
      ctx.strokeStyle = "rgba(29,36,51,0.4)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = 0; i < data.length; i += 2) {
        ctx.moveTo(plot.sx(data[i]), plot.sy(data[i + 1]));
        ctx.lineTo(plot.sx(recon[i]), plot.sy(recon[i + 1]));
      }
      ctx.stroke();
      ctx.restore();
    }
    if (layers.show_data) colouredDots(plot, data, data, 2, 6);
    if (layers.show_reconstructions)
      plot.points(pick(recon, 0), pick(recon, 1), RECON_COLOR, { size: 3, round: true });
    if (probe) {
      const [x1, x2] = lab.decode(Float32Array.from(probe));
      diamond(ctx, plot.sx(x1), plot.sy(x2), 8);
    }
    plot.unclip();
    const legend = [];
    if (layers.show_data)
      legend.push({ label: "data (colour: direction)", color: colors.green, kind: "dot" });
    if (layers.show_reconstructions)
      legend.push({ label: "reconstruction", color: RECON_COLOR, kind: "dot" });
    if (layers.show_prior_samples)
      legend.push({ label: "new data (from prior)", color: PRIOR_COLOR, kind: "line" });
    if (layers.show_manifold)
      legend.push({ label: "decoder manifold", color: MANIFOLD_COLOR, kind: "line" });
    if (probe) legend.push({ label: "decoded picked z", color: colors.ink, kind: "box" });
    if (legend.length && plot.rect.w >= 300) plot.legend(legend, { corner: "left" });
  }

  const pick = (flat, offset) => {
    const out = new Float32Array(flat.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = flat[2 * i + offset];
    return out;
  };

  /** Dots coloured by the direction of the matching data point (`by`, x/y pairs). */
  function colouredDots(plot, flat, by, dim, size) {
    const { ctx } = plot;
    const r = size / 2;
    const n = by.length / 2;
    ctx.save();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    for (let s = 0; s < 8; s++) {
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        if (sectorOf(by[2 * i], by[2 * i + 1]) !== s) continue;
        const x = plot.sx(flat[dim * i]);
        const y = plot.sy(dim === 2 ? flat[dim * i + 1] : latentY(i, by));
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, Math.PI * 2);
      }
      ctx.fillStyle = SECTOR_COLORS[s];
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  }

  /** With a 1-D latent, points are spread vertically by their data direction (for legibility). */
  function latentY(i, by) {
    return (Math.atan2(by[2 * i + 1], by[2 * i]) / Math.PI) * 2.5;
  }

  function crosses(plot, flat, color, r) {
    const { ctx } = plot;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.globalAlpha = 0.6;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    for (let i = 0; i < flat.length; i += 2) {
      const x = plot.sx(flat[i]);
      const y = plot.sy(flat[i + 1]);
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x - r, y + r);
      ctx.lineTo(x + r, y - r);
    }
    ctx.stroke();
    ctx.restore();
  }

  function drawManifold(plot) {
    const oneD = config.latent_dim === 1;
    const points = lab.manifold(oneD ? MANIFOLD_N_1D : MANIFOLD_N_2D);
    const { ctx } = plot;
    ctx.save();
    ctx.strokeStyle = MANIFOLD_COLOR;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const at = (i) => [plot.sx(points[2 * i]), plot.sy(points[2 * i + 1])];
    if (oneD) {
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

  function drawLatent() {
    const plot = ui.latent;
    const oneD = config.latent_dim === 1;
    plot.options.yLabel = oneD ? "data direction (spread only)" : "z₂";
    plot.clear();
    plot.axes();
    plot.clip();
    const { ctx } = plot;
    const data = lab.data();
    const means = lab.latent_means();
    const sds = lab.latent_std_devs();
    const dim = config.latent_dim;
    // The prior: circles at 1σ and 2σ (a 1-D prior: lines at ±1 and ±2).
    ctx.save();
    ctx.strokeStyle = colors.muted;
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1.2;
    const unit = plot.sx(1) - plot.sx(0);
    for (const k of [1, 2]) {
      ctx.beginPath();
      if (oneD) {
        for (const s of [-k, k]) {
          ctx.moveTo(plot.sx(s), plot.sy(-LATENT_HALF));
          ctx.lineTo(plot.sx(s), plot.sy(LATENT_HALF));
        }
      } else {
        ctx.arc(plot.sx(0), plot.sy(0), k * unit, 0, Math.PI * 2);
      }
      ctx.stroke();
    }
    ctx.restore();
    if (layers.show_sigma) {
      ctx.save();
      ctx.globalAlpha = 0.25;
      ctx.lineWidth = 1;
      const n = data.length / 2;
      for (let i = 0; i < n; i++) {
        ctx.strokeStyle = SECTOR_COLORS[sectorOf(data[2 * i], data[2 * i + 1])];
        const cx = plot.sx(means[dim * i]);
        const cy = plot.sy(oneD ? latentY(i, data) : means[dim * i + 1]);
        const rx = Math.max(0.5, sds[dim * i] * unit);
        const ry = oneD ? 0.5 : Math.max(0.5, sds[dim * i + 1] * unit);
        ctx.beginPath();
        ctx.ellipse(cx, cy, rx, ry, 0, 0, Math.PI * 2);
        ctx.stroke();
      }
      ctx.restore();
    }
    colouredDots(plot, means, data, dim, 6);
    if (probe) diamond(ctx, plot.sx(probe[0]), plot.sy(oneD ? 0 : probe[1]), 8);
    plot.unclip();
    if (plot.rect.w >= 300)
      plot.legend(
        [
          { label: "encoder mean μ(x), colour as data", color: colors.green, kind: "dot" },
          { label: "prior N(0, I): 1σ, 2σ", color: colors.muted, kind: "line" },
        ],
        { corner: "left" },
      );
  }

  function drawCurves() {
    const its = lab.history_iterations();
    const elbo = lab.history_elbo();
    const rec = lab.history_reconstruction();
    const kl = lab.history_kl();
    const plot = ui.curves;
    const last = its.length ? its[its.length - 1] : 0;
    const values = [...elbo, ...rec, ...kl].filter(Number.isFinite).sort((a, b) => a - b);
    // The first iterations' ELBO can be far below the rest; 3% of the values may leave the chart.
    const lo = values.length ? values[Math.floor(values.length * 0.03)] : -5;
    const hi = values.length ? values[values.length - 1] : 1;
    const pad = Math.max(0.1, (hi - lo) * 0.08);
    plot.setDomain([0, Math.max(10, last)], [lo - pad, hi + pad]);
    plot.clear();
    plot.axes();
    plot.clip();
    plot.hline(0, colors.grid, { dash: [], width: 1 });
    plot.line(its, rec, colors.blue, { width: 1.4 });
    plot.line(its, kl, colors.orange, { width: 1.4 });
    plot.line(its, elbo, colors.ink, { width: 2 });
    plot.unclip();
    plot.legend([
      { label: "ELBO", color: colors.ink, kind: "line" },
      { label: "reconstruction", color: colors.blue, kind: "line" },
      { label: "KL", color: colors.orange, kind: "line" },
    ]);
    if (!its.length)
      plot.text(5, (lo + hi) / 2, "Press Play or Step to train", { align: "center" });
  }

  function drawNumbers() {
    const n = ui.numbers;
    const [elbo, rec, kl] = lab.terms();
    const sd = lab.decoder_std_dev();
    n.set("iteration", formatNumber(lab.iteration_count()));
    n.set("elbo", fmt(elbo));
    n.set("reconstruction", fmt(rec));
    n.set("kl", fmt(kl));
    n.set("beta", formatNumber(lab.beta(), 4));
    n.set("error", fmt(lab.reconstruction_error()));
    n.set("sigma", `${fmt(sd[0])} · ${fmt(sd[1])}`);
    n.set("rate", playing ? `${Math.round(liveRate.perSecond)} it/s` : "–");
  }

  function drawAlarm() {
    const message = lab.diverged();
    const { alarm } = ui;
    if (!message) {
      alarm.hidden = true;
      return;
    }
    if (alarm.dataset.message === message && !alarm.hidden) return;
    alarm.dataset.message = message;
    alarm.replaceChildren(
      el("strong", {}, "Training diverged. "),
      el("span", {}, `${message[0].toUpperCase()}${message.slice(1)}.`),
      " ",
      button("↺ Reset", () => guarded(() => api.reset())),
    );
    alarm.hidden = false;
  }

  /** What a link needs to reproduce this run: every setting, the seed and the iterations. */
  function urlState() {
    const c = config;
    return {
      target: c.target,
      beta: Number(c.beta.toPrecision(6)),
      latent_dim: c.latent_dim,
      hidden_layers: c.hidden_layers,
      hidden_units: c.hidden_units,
      learning_rate: Number(c.learning_rate.toPrecision(6)),
      batch_size: c.batch_size,
      seed: c.seed,
      iterations: lab.iteration_count() + replayLeft,
    };
  }

  /** Applies a link's parameters (only those that differ), then replays its iterations over the
   * next frames; returns the messages for refused ones. */
  function applyUrlState(params) {
    const { errors, attempt } = refusals();
    const differs = (name, value) =>
      typeof config[name] === "number"
        ? Number(config[name].toPrecision(6)) !== Number(value)
        : String(config[name]) !== String(value);
    if (params.seed !== undefined && differs("seed", params.seed))
      attempt(() => api.set("seed", Number(params.seed)));
    if (params.target !== undefined && differs("target", params.target))
      attempt(() => api.set("target", params.target));
    for (const name of ["latent_dim", "hidden_layers", "hidden_units", "batch_size"])
      if (params[name] !== undefined && differs(name, params[name]))
        attempt(() => api.set(name, Number(params[name])));
    for (const name of ["beta", "learning_rate"])
      if (params[name] !== undefined && differs(name, params[name]))
        attempt(() => api.set(name, Number(params[name])));
    if (params.iterations !== undefined) {
      const n = Number(params.iterations);
      if (!Number.isInteger(n) || n < 0 || n > REPLAY_MAX)
        errors.push(
          `iterations = ${params.iterations} is not allowed: iterations must be a whole number from 0 to ${REPLAY_MAX}`,
        );
      else if (n !== lab.iteration_count()) {
        if (n < lab.iteration_count()) api.reset(config.seed);
        replayLeft = n - lab.iteration_count();
        ui?.message.show(`Replaying the link's ${n} iterations…`);
      }
    }
    showConfig();
    changed();
    return errors;
  }

  return {
    name: "vae",
    title: "VAE",
    api,
    mount,
    unmount,
    frame,
    markDirty: () => {
      dirty = true;
    },
    keys(event) {
      if (!ui) return false;
      if (event.key.toLowerCase() === "p") {
        guarded(() => api.new_prior_samples());
        return true;
      }
      return ui.transport.handleKey(event);
    },
    urlState,
    applyUrlState,
  };
}
