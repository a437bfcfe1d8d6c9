// The VAE lab's views of images (the digits, the glyphs): the decoded grid over the latent
// plane, originals beside their reconstructions (click one to pick it for the interpolation),
// decoded draws from the prior, the interpolation between the two picked images, and the image
// decoded at the point picked on the latent map, big. Every mosaic is one ImageData put into a
// canvas at the images' own pixel size and scaled up by CSS (pixelated): no per-pixel drawing.
import { el } from "../ui/controls.js";
import { colors } from "../ui/plot.js";
import { view } from "../ui/lab.js";

/** One colour per class 0–9: the Okabe–Ito eight, then two more dark enough on white. */
export const CLASS_COLORS = [
  colors.blue,
  colors.orange,
  colors.green,
  colors.vermillion,
  colors.purple,
  colors.sky,
  "#8c6d00",
  colors.ink,
  "#7a3e9d",
  "#8a8f99",
];
const GAP = 1; // background pixels between the images of a mosaic
const COLUMNS = 16; // originals and reconstructions per row
const PICK_COLORS = [colors.orange, colors.blue]; // the interpolation's first and second image

/**
 * Writes `count` images of w×h grey levels (flat, 0 = white paper, 1 = full ink) into the
 * canvas as a mosaic of `columns` per row; `frames` maps an image index to a frame colour.
 */
export function mosaic(canvas, images, [w, h], count, columns, frames = new Map()) {
  const rows = Math.ceil(count / columns);
  const width = columns * (w + GAP) + GAP;
  const height = rows * (h + GAP) + GAP;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext("2d");
  const out = ctx.createImageData(width, height);
  const px = out.data;
  px.fill(255);
  const paint = (x, y, [r, g, b]) => {
    const o = 4 * (y * width + x);
    px[o] = r;
    px[o + 1] = g;
    px[o + 2] = b;
  };
  for (let i = 0; i < count; i++) {
    const x0 = GAP + (i % columns) * (w + GAP);
    const y0 = GAP + Math.floor(i / columns) * (h + GAP);
    const base = i * w * h;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = images[base + y * w + x];
        const grey = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
        paint(x0 + x, y0 + y, [grey, grey, grey]);
      }
    }
    const frame = frames.get(i);
    if (frame) {
      const rgb = [1, 3, 5].map((k) => parseInt(frame.slice(k, k + 2), 16));
      for (let x = x0 - 1; x <= x0 + w; x++) {
        paint(x, y0 - 1, rgb);
        paint(x, y0 + h, rgb);
      }
      for (let y = y0 - 1; y <= y0 + h; y++) {
        paint(x0 - 1, y, rgb);
        paint(x0 + w, y, rgb);
      }
    }
  }
  ctx.putImageData(out, 0, 0);
}

/** The image views; `pick(i)` is called with the index of a clicked original. */
export function imageViews({ pick }) {
  const canvas = (label) => el("canvas", { class: "mosaic", role: "img", "aria-label": label });
  const grid = view({
    title: "Decoded grid: what the decoder draws at each point of the latent plane",
    canvasLabel: "A 15 by 15 grid of images decoded from evenly spaced latent points",
    explain:
      "Each small image is the decoder's output (the mean of p(x | z)) at one point of a " +
      "regular grid over the latent plane, ±2.5 prior standard deviations, laid out as the " +
      "latent map beside it (z₁ across, z₂ up). Neighbouring images are decoded from nearby z, so one " +
      "digit <strong>morphs</strong> into the next where the latent map's classes meet.",
  });
  grid.canvas.classList.add("mosaic");
  const pairs = view({
    title: "Originals and their reconstructions",
    canvasLabel: "Rows of original images, each row followed by the row of their reconstructions",
    explain:
      "The first and third rows: images from the data. The row under each: its reconstruction, the decoder at " +
      "the encoder's mean μ(x). <strong>Click an original</strong> to pick it for the " +
      "interpolation (orange frame: first, blue frame: second).",
  });
  pairs.canvas.classList.add("mosaic");
  const prior = view({
    title: "New images: decoded draws from the prior",
    canvasLabel: "Images decoded from random latent points drawn from N(0, I)",
    explain:
      "The decoder applied to z ~ N(0, I), points no image was encoded to. Once the encodings " +
      "fill the prior, these look like data.",
  });
  prior.canvas.classList.add("mosaic");
  const between = el("p", { class: "vae-between vae-path-note" });
  const path = view({
    title: "Interpolation: the straight latent path between two images",
    canvasLabel: "Images decoded at ten evenly spaced points between two encodings",
    explain:
      "The decoder at ten points on the straight line from the first picked image's encoding " +
      "μ(x₁) to the second's μ(x₂), both ends included.",
  });
  path.canvas.classList.add("mosaic");
  path.root.insertBefore(between, path.root.querySelector(".explain"));
  const probeCaption = el("p", { class: "vae-between" }, "Click or drag on the latent map.");
  const probe = el(
    "figure",
    { class: "vae-probe" },
    canvas("The image decoded at the picked latent point"),
    el("figcaption", {}, probeCaption),
  );
  const legend = el("div", { class: "vae-classes", "aria-label": "Class colours" });
  legend.append(
    ...CLASS_COLORS.map((color, c) =>
      el("span", {}, el("i", { style: `background:${color}` }), String(c)),
    ),
  );

  let reconstructed = 0;
  pairs.canvas.addEventListener("click", (event) => {
    const box = pairs.canvas.getBoundingClientRect();
    const scale = pairs.canvas.width / box.width;
    const x = (event.clientX - box.left) * scale;
    const y = (event.clientY - box.top) * scale;
    const [w, h] = size;
    const column = Math.floor((x - GAP) / (w + GAP));
    const row = Math.floor((y - GAP) / (h + GAP));
    // Even rows hold originals, odd rows their reconstructions: either picks the original.
    const index = Math.floor(row / 2) * COLUMNS + column;
    if (column >= 0 && column < COLUMNS && index >= 0 && index < reconstructed) pick(index);
  });

  let size = [8, 8];
  return {
    roots: [grid.root, pairs.root, path.root, prior.root],
    probe,
    legend,
    /** Draws everything from the lab handle; `picked` = [from, to]. */
    draw(lab, picked) {
      size = lab.image_size();
      const [w, h] = size;
      const n = w * h;
      const gridImages = lab.decoded_grid();
      const side = Math.round(Math.sqrt(gridImages.length / n));
      mosaic(grid.canvas, gridImages, size, side * side, side);

      const originals = lab.originals();
      const recon = lab.reconstructions();
      reconstructed = originals.length / n;
      const blocks = Math.ceil(reconstructed / COLUMNS);
      const interleaved = new Float32Array(2 * blocks * COLUMNS * n);
      for (let i = 0; i < reconstructed; i++) {
        const block = Math.floor(i / COLUMNS);
        const column = i % COLUMNS;
        const top = (2 * block * COLUMNS + column) * n;
        interleaved.set(originals.subarray(i * n, (i + 1) * n), top);
        interleaved.set(recon.subarray(i * n, (i + 1) * n), top + COLUMNS * n);
      }
      const frames = new Map();
      picked.forEach((p, k) => {
        if (p < reconstructed) {
          const at = 2 * Math.floor(p / COLUMNS) * COLUMNS + (p % COLUMNS);
          frames.set(at, PICK_COLORS[k]);
        }
      });
      mosaic(pairs.canvas, interleaved, size, 2 * blocks * COLUMNS, COLUMNS, frames);

      const samples = lab.prior_samples();
      mosaic(prior.canvas, samples, size, samples.length / n, COLUMNS);

      const steps = lab.interpolation();
      const count = steps.length / n;
      mosaic(
        path.canvas,
        steps,
        size,
        count,
        count,
        new Map([
          [0, PICK_COLORS[0]],
          [count - 1, PICK_COLORS[1]],
        ]),
      );
      const labels = lab.labels();
      between.textContent =
        `From image ${picked[0]} (a ${labels[picked[0]]}) to image ${picked[1]} ` +
        `(a ${labels[picked[1]]}).`;

      const decoded = lab.probe_decoded();
      const probeCanvas = probe.querySelector("canvas");
      if (decoded) mosaic(probeCanvas, decoded, size, 1, 1);
      probe.style.display = decoded ? "" : "none";
    },
    /** The caption under the big decoded image. */
    caption(text) {
      probeCaption.textContent = text;
    },
  };
}
