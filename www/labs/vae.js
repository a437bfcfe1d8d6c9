// The VAE lab (#/vae): a variational autoencoder trains live on 2-D data or on images. For
// points the data view shows real points, their reconstructions (a thin line from each point to
// it), decoded draws from the prior (new data) and the decoder's image of a latent grid; for
// images the views of www/labs/vae-images.js show the decoded grid, reconstructions, new images
// and an interpolation. The latent view shows where the encoder puts each example next to the
// prior N(0, I) (images coloured by class); a chart shows the ELBO and its two terms.
import { keyboardPointer } from "../ui/keyboard-pointer.js";
import { el, readouts, messageLine, button } from "../ui/controls.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { CurveChart } from "../ui/chart.js";
import { labCore, labPage, view } from "../ui/lab.js";
import { trainer } from "../ui/trainer.js";
import { CLASS_COLORS, imageViews } from "./vae-images.js";
import { narration } from "./vae-narrate.js";

// The real digits' file (www/data/digits.bin, 117 KB, 46 KB gzipped), fetched with this
// module rather than built into the WebAssembly the first page loads; every new instance of
// the module (a panic's recovery starts one) is handed it before its VAE lab is made.
const DIGITS = await fetch(new URL("../data/digits.bin", import.meta.url))
  .then((r) => (r.ok ? r.arrayBuffer() : null))
  .then((b) => b && new Uint8Array(b))
  .catch(() => null);
const SHOWN_ELLIPSES = 12; // images of the latent map drawn with their posterior ellipse
const LARGE_RUN_MS = 50; // a training worker's run at "max" on 28×28 images
const VIEWS_EVERY_MS = 100; // while playing, the image views follow the run this often
const COLLAPSE_BETA = 50; // a β at which the digits' posterior collapses within a few thousand steps

const HALF = 1.5; // the data plane shown is [-1.5, 1.5]²
const LATENT_HALF = 3; // the latent plane shown is [-3, 3]²
const MANIFOLD_N_2D = 15; // latent grid lines per side (2-D latent)
const MANIFOLD_N_1D = 101; // points along the latent line (1-D latent)

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
const fmt = (v) =>
  !Number.isFinite(v) ? "–" : Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(3);

/** The lab's handle is in the module of the labs that train (www/ui/wasm-build.js). */
export const wasmModule = "training";

export function createLab({ app }) {
  const core = labCore({
    app,
    module: wasmModule,
    create: (wasm) => {
      if (DIGITS) wasm.provide_digits(DIGITS);
      return new wasm.VaeLab(1);
    },
  });
  const lab = core.lab;
  // A worker's run on 28×28 images brings back megabytes of state, and its views take the page
  // about 10 ms to encode again: fewer, longer runs than one per frame leave most frames free.
  const train = trainer({
    core,
    app,
    chunk: 5,
    runMs: () => (isImages() && lab.image_size()[0] > 8 ? LARGE_RUN_MS : 16),
  });
  const value = (name) => core.values[name];
  let dirty = true;
  let drawn = 0; // frames drawn
  let ui = null;
  let nextPick = 0; // which end of the interpolation the next clicked original sets
  let viewsAt = 0; // when the image views were last brought up to the run
  const isImages = () => lab.image_size() !== undefined;

  core.onChange((name, applied) => {
    if (applied === "rebuild" || applied === "link") {
      // The run starts at iteration 0 from the seed: a link's replay no longer applies.
      train.stop();
      if (value("playing")) core.set("playing", false);
      ui?.narrated.clear();
      if (applied === "rebuild")
        ui?.message.show(
          `${name} = ${value(name)}: the VAE was rebuilt from seed ${value("seed")} (training starts over).`,
        );
    }
    dirty = true;
  });

  const api = core.api({
    snapshot() {
      // The views of images follow a training worker's state when asked (see frame()).
      lab.refresh_views();
      return {
        ...lab.snapshot(),
        replaying: train.replaying,
        trainer: train.trainer,
        trainer_note: train.trainerNote,
      };
    },
    /** Runs n iterations and returns the iteration count; a divergence stops it early
     * (snapshot().diverged then holds the message). */
    step(n = 1) {
      const count = core.step(n);
      const after = (c) => {
        if (lab.diverged() && value("playing")) core.set("playing", false);
        dirty = true;
        return c;
      };
      // On the GPU, a Promise of the count once the results are back.
      return count instanceof Promise ? count.then(after) : after(count);
    },
    /** Trains one iteration (as step(1)) followed through its first example, and returns what
     * it did to it: {iteration, x, mean, std_dev, noise, z, decoded, reconstruction, kl, beta,
     * loss, encoder_grad_norm, decoder_grad_norm} (also snapshot().narration). */
    narrated_step() {
      if (value("playing"))
        throw new Error("narrated_step() is not allowed while playing: pause first");
      const trace = lab.narrated_step();
      // The page's copy trained: a training worker's copy is stale.
      train.touched();
      dirty = true;
      return trace;
    },
    /** Decodes 256 fresh draws from the prior (new data); training is unaffected. */
    new_prior_samples() {
      lab.redraw_prior_samples();
      // The draws are part of the run's state: a training worker's copy is stale.
      train.touched();
      dirty = true;
    },
    /** Where the latent point (z₁, z₂) is drawn on the latent canvas, in CSS pixels (for tests). */
    latentPixelOf(z1, z2) {
      if (!ui) throw new Error("the VAE lab is not on screen: open #/vae first");
      return [ui.latent.sx(z1), ui.latent.sy(z2)];
    },
  });

  function guarded(action) {
    if (ui) ui.message.guard(action);
    else action();
  }

  function mount(root) {
    const page = labPage({
      plotFirstOnPhone: true,
      title: "VAE: squeeze the data through a latent space and back",
      lede:
        "The <strong>encoder</strong> maps each example x (a 2-D point, or an image of a " +
        "handwritten digit) to a small Gaussian cloud q(z | x) in a <strong>latent " +
        "space</strong>; the <strong>decoder</strong> maps a latent point z back to an " +
        "example. Pick <em>Handwritten digits</em> under Data to watch the latent map sort " +
        "the digits by class. Training maximises the " +
        "<strong>ELBO</strong> = reconstruction − KL: decode well what you encoded, but keep " +
        "the encodings close to the prior N(0, I), so that decoding <em>fresh</em> draws from " +
        "the prior gives new data. Press Play.",
    });
    const message = messageLine();
    const { bar, settings } = core.mount({
      message,
      stepLabel: "One iteration",
      onStep: () => api.step(1),
      onPlay: (on) => {
        train.played(on, message);
      },
      format: { beta: String, learning_rate: (v) => formatNumber(v, 4) },
      legends: { layers: "Show" },
    });
    const numbers = readouts(
      [
        ["iteration", "Iteration"],
        ["elbo", "ELBO", "reconstruction − KL on the last batch (higher is better)"],
        ["reconstruction", "Reconstruction", "E[log p(x | z)], averaged over the last batch"],
        ["kl", "KL", "KL(q(z | x) ‖ N(0, I)), averaged over the last batch"],
        ["beta", "β", "the weight of the KL term in the training loss"],
        [
          "error",
          "Reconstruction error",
          "points: the mean distance x → x̂; images: the mean binary cross-entropy per pixel (nats)",
        ],
        ["sigma", "Decoder σ (x₁ · x₂)", "the learned spread of p(x | z) (points only)"],
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
    const collapse = button(
      `Posterior collapse (β = ${COLLAPSE_BETA})`,
      () => guarded(() => api.set("beta", COLLAPSE_BETA)),
      {
        title:
          "A large KL weight: the encodings all fall onto the prior, the decoder ignores z and draws one average image",
      },
    );
    const trueElbo = button("True ELBO (β = 1)", () => guarded(() => api.set("beta", 1)), {
      title: "Back to the real evidence lower bound",
    });
    const h = (text) => el("h3", { class: "vae-h" }, text);
    page.controls.append(
      h("Run"),
      bar.root,
      train.note,
      el("div", { class: "buttons vae-redraw" }, redraw),
      el("div", { class: "buttons vae-redraw" }, collapse, trueElbo),
      message.root,
      settings.groups.Data,
      settings.groups.Training,
      settings.groups.Networks,
      el(
        "p",
        { class: "hint" },
        "Changing the data, the networks, the batch or the seed rebuilds the VAE from the " +
          "seed (training starts over). β and the learning rate change live.",
      ),
      settings.groups.Views,
      settings.groups.layers,
      settings.groups.Compute,
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
    dataView.root.insertBefore(train.alarm, dataView.root.querySelector(".canvas-box"));
    const latentView = view({
      title: "Latent space: where the encoder puts each example",
      canvasLabel: "The latent plane with each example's encoder mean and the prior's circles",
      explain:
        "Each dot is the encoder's mean μ(x) for one example: for points in the same colour as " +
        "in the data view, for images in the colour of its class (the digit it shows); the " +
        "ellipses show the spread σ(x). The dashed circles are the prior N(0, I) at 1σ and " +
        "2σ. The KL term pulls the clouds onto the prior; the reconstruction term pushes them " +
        "apart so each example can be told from the others. <strong>Click or drag " +
        "here</strong> to pick any z: the black diamond shows where the decoder sends it (for " +
        "images, the image it decodes, big, under the map).",
    });
    const images = imageViews({
      pick: (index) => {
        const picked = [...value("interpolate")];
        picked[nextPick] = index;
        nextPick = 1 - nextPick;
        guarded(() => api.set("interpolate", picked));
      },
    });
    latentView.root.insertBefore(images.legend, latentView.root.querySelector(".explain"));
    latentView.root.insertBefore(images.probe, latentView.root.querySelector(".explain"));
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
    const narrated = narration({
      run: () => {
        let out = null;
        guarded(() => {
          const trace = api.narrated_step();
          const size = lab.image_size();
          out = { trace, size: size ? Array.from(size) : null };
        });
        return out;
      },
    });
    page.views.append(
      dataView.root,
      latentView.root,
      ...images.roots,
      curveView.root,
      narrated.root,
    );
    root.append(page.root);

    ui = {
      transport: bar,
      message,
      numbers,
      images,
      narrated,
      settings,
      dataView: dataView.root,
      latentView: latentView.root,
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
      curves: new CurveChart(curveView.canvas, {
        xLabel: "iteration",
        yLabel: "nats per example",
      }),
    };
    latentView.canvas.addEventListener("pointerdown", onLatentPointer);
    latentView.canvas.addEventListener("pointermove", onLatentPointer);
    keyboardPointer(latentView.canvas, {
      plot: () => ui.latent,
      names: ["z₁", "z₂"],
      action: "decode that latent point",
    });
    dirty = true;
  }

  /** Picks the latent point under the pointer while a button is down (mouse or finger). */
  function onLatentPointer(event) {
    if (event.type === "pointermove" && event.buttons === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    const [z1, z2] = ui.latent.invert(event.clientX - box.left, event.clientY - box.top);
    const round = (v) => Number(Math.max(-LATENT_HALF, Math.min(LATENT_HALF, v)).toFixed(3));
    // The picked point in the shown coordinates; the others at 0, as in the decoded grid.
    const z = new Array(value("latent_dim")).fill(0);
    const [across, up] = lab.view_dims();
    z[across] = round(z1);
    if (z.length > 1) z[up] = round(z2);
    guarded(() => api.set("probe", z));
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

  function unmount() {
    core.unmount();
    train.release();
    ui = null;
  }

  function frame(dt, deadline = performance.now() + 8) {
    if (train.frame(deadline, ui?.message)) dirty = true;
    if (!ui) return;
    if (!dirty) return;
    dirty = false;
    drawn++;
    const images = isImages();
    // The views of the other kind of data leave the page (a view's CSS overrides `hidden`).
    ui.dataView.style.display = images ? "none" : "";
    for (const root of ui.images.roots) root.style.display = images ? "" : "none";
    ui.images.legend.style.display = images ? "" : "none";
    ui.latentView.classList.toggle("tall", images);
    // Of the layers only the ellipses (show_sigma) apply to images: the box is for points.
    ui.settings.groups.layers.style.display = images ? "none" : "";
    const shown = ui.settings.groups.Views;
    if (shown) shown.style.display = value("latent_dim") > 2 ? "" : "none";
    // Encoding the images again takes longer than a frame: while playing, a few times a second.
    const now = performance.now();
    const viewsDue = !images || !value("playing") || now - viewsAt >= VIEWS_EVERY_MS;
    if (images && viewsDue) {
      viewsAt = now;
      lab.refresh_views();
      ui.images.draw(lab, value("interpolate"));
      const probe = value("probe");
      if (probe)
        ui.images.caption(
          `Decoded at z = (${probe.map((v) => v.toFixed(2)).join(", ")}): drag to move it.`,
        );
    } else if (!images) {
      ui.images.probe.style.display = "none";
      drawData();
    }
    if (viewsDue) drawLatent(images);
    // Views skipped this frame are drawn by a later one, whether or not another result comes.
    else dirty = true;
    // While playing, the curves follow every third frame: they change slowly.
    if (!value("playing") || drawn % 3 === 0) drawCurves();
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
    if (core.values.show_manifold) drawManifold(plot);
    if (core.values.show_prior_samples) crosses(plot, lab.prior_samples(), PRIOR_COLOR, 3);
    if (core.values.show_reconstructions) {
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
    if (core.values.show_data) colouredDots(plot, data, 6);
    if (core.values.show_reconstructions)
      plot.points(pick(recon, 0), pick(recon, 1), RECON_COLOR, { size: 3, round: true });
    const decoded = lab.probe_decoded();
    if (decoded) {
      const [x1, x2] = decoded;
      diamond(ctx, plot.sx(x1), plot.sy(x2), 8);
    }
    plot.unclip();
    const legend = [];
    if (core.values.show_data)
      legend.push({ label: "data (colour: direction)", color: colors.green, kind: "dot" });
    if (core.values.show_reconstructions)
      legend.push({ label: "reconstruction", color: RECON_COLOR, kind: "dot" });
    if (core.values.show_prior_samples)
      legend.push({ label: "new data (from prior)", color: PRIOR_COLOR, kind: "line" });
    if (core.values.show_manifold)
      legend.push({ label: "decoder manifold", color: MANIFOLD_COLOR, kind: "line" });
    if (decoded) legend.push({ label: "decoded picked z", color: colors.ink, kind: "box" });
    if (legend.length && plot.rect.w >= 300) plot.legend(legend, { corner: "left" });
  }

  const pick = (flat, offset) => {
    const out = new Float32Array(flat.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = flat[2 * i + offset];
    return out;
  };

  /** The data points (x/y pairs), coloured by their direction. */
  function colouredDots(plot, data, size) {
    const { ctx } = plot;
    const r = size / 2;
    const n = data.length / 2;
    ctx.save();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    for (let s = 0; s < 8; s++) {
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        if (sectorOf(data[2 * i], data[2 * i + 1]) !== s) continue;
        const x = plot.sx(data[2 * i]);
        const y = plot.sy(data[2 * i + 1]);
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
    const oneD = value("latent_dim") === 1;
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

  function drawLatent(images) {
    const plot = ui.latent;
    const oneD = value("latent_dim") === 1;
    const [across, up] = lab.view_dims();
    const sub = (d) => String(d + 1).replace(/\d/g, (c) => "₀₁₂₃₄₅₆₇₈₉"[c]);
    plot.options.xLabel = `z${sub(across)}`;
    plot.options.yLabel = oneD
      ? images
        ? "class (spread only)"
        : "data direction (spread only)"
      : `z${sub(up)}`;
    plot.clear();
    plot.axes();
    plot.clip();
    const { ctx } = plot;
    // Points are coloured by their direction in the data plane, images by their class.
    const data = images ? null : lab.data();
    const labels = images ? lab.labels() : null;
    const colorOf = images
      ? (i) => CLASS_COLORS[labels[i]]
      : (i) => SECTOR_COLORS[sectorOf(data[2 * i], data[2 * i + 1])];
    const means = lab.latent_means();
    const sds = lab.latent_std_devs();
    const dim = value("latent_dim");
    const n = means.length / dim;
    // With a 1-D latent the vertical position only spreads the dots (by direction, or class).
    const cx = (i) => plot.sx(means[dim * i + across]);
    const cy = (i) =>
      plot.sy(oneD ? (images ? (labels[i] - 4.5) / 2 : latentY(i, data)) : means[dim * i + up]);
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
    if (core.values.show_sigma) {
      // Every point's ellipse; of images a few, drawn stronger (hundreds would hide the map).
      ctx.save();
      ctx.globalAlpha = images ? 0.8 : 0.25;
      ctx.lineWidth = images ? 1.5 : 1;
      for (let i = 0; i < (images ? Math.min(n, SHOWN_ELLIPSES) : n); i++) {
        ctx.strokeStyle = colorOf(i);
        const rx = Math.max(0.5, sds[dim * i + across] * unit);
        const ry = oneD ? 0.5 : Math.max(0.5, sds[dim * i + up] * unit);
        ctx.beginPath();
        ctx.ellipse(cx(i), cy(i), rx, ry, 0, 0, Math.PI * 2);
        ctx.stroke();
      }
      ctx.restore();
    }
    ctx.save();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    const groups = new Map();
    for (let i = 0; i < n; i++) {
      const c = colorOf(i);
      if (!groups.has(c)) groups.set(c, []);
      groups.get(c).push(i);
    }
    for (const [color, members] of groups) {
      ctx.beginPath();
      for (const i of members) {
        ctx.moveTo(cx(i) + 3, cy(i));
        ctx.arc(cx(i), cy(i), 3, 0, Math.PI * 2);
      }
      ctx.fillStyle = color;
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
    const probe = value("probe");
    if (probe) diamond(ctx, plot.sx(probe[across]), plot.sy(oneD ? 0 : probe[up]), 8);
    plot.unclip();
    if (plot.rect.w >= 300)
      plot.legend(
        [
          {
            label: images
              ? "encoder mean μ(x), colour: class"
              : "encoder mean μ(x), colour as data",
            color: images ? CLASS_COLORS[0] : colors.green,
            kind: "dot",
          },
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
    const xMax = Math.max(10, last);
    plot.draw({
      x: [0, xMax],
      y: [lo - pad, hi + pad],
      series: [
        { kind: "line", color: colors.grid, width: 1, xs: [0, xMax], ys: [0, 0] },
        { kind: "line", label: "ELBO", color: colors.ink, width: 2, xs: its, ys: elbo },
        {
          kind: "line",
          label: "reconstruction",
          color: colors.blue,
          width: 1.4,
          xs: its,
          ys: rec,
        },
        { kind: "line", label: "KL", color: colors.orange, width: 1.4, xs: its, ys: kl },
      ],
      notes: its.length
        ? []
        : [{ x: xMax / 2, y: (lo + hi) / 2, text: "Press Play or Step to train" }],
    });
  }

  function drawNumbers() {
    const n = ui.numbers;
    const [elbo, rec, kl] = lab.terms();
    const sd = lab.decoder_std_dev();
    n.set("iteration", formatNumber(lab.progress()));
    n.set("elbo", fmt(elbo));
    n.set("reconstruction", fmt(rec));
    n.set("kl", fmt(kl));
    n.set("beta", formatNumber(value("beta"), 4));
    n.set("error", fmt(lab.reconstruction_error()));
    n.set("sigma", isImages() ? "– (images)" : `${fmt(sd[0])} · ${fmt(sd[1])}`);
    n.set("rate", value("playing") ? `${Math.round(train.perSecond)} it/s` : "–");
  }

  function drawAlarm() {
    train.drawAlarm(() => guarded(() => api.reset()));
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
    killWorker: (how) => train.killWorker(ui?.message, how),
    keys(event) {
      if (!ui) return false;
      if (event.key.toLowerCase() === "p") {
        guarded(() => api.new_prior_samples());
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
