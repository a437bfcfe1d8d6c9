// The coin lab (#/coin): drag a coin's bias p and watch the running frequency of heads settle on
// p (the law of large numbers) and the heads per batch of n flips match Binomial(n, p).
import { el, readouts, messageLine } from "../ui/controls.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { labCore, labPage, textView, view, steadyPlay } from "../ui/lab.js";
import { CurveChart } from "../ui/chart.js";

export function createLab({ app }) {
  const core = labCore({ app, create: (wasm) => new wasm.CoinLab(42) });
  const coin = core.lab;
  const player = steadyPlay({ core, app, noun: "flips", perUnit: () => core.values.batch_n });
  let dirty = true;
  let ui = null; // the mounted page, or null when another lab is shown

  core.onChange(() => (dirty = true));

  const api = core.api();

  function mount(root) {
    const page = labPage({
      title: "Coin flips: chance settles into law",
      lede:
        "A coin shows heads with probability <var>p</var>. Drag <var>p</var>, press Play, and watch two " +
        "things happen: the share of heads settles near <var>p</var> (the law of large numbers), and " +
        "the number of heads in each batch of <var>n</var> flips follows the Binomial distribution.",
    });
    const message = messageLine();
    const { bar, settings } = core.mount({
      message,
      stepLabel: "Step: 1 batch",
      format: { p: (v) => v.toFixed(2), batch_n: String },
    });
    const numbers = readouts(
      [
        ["n_flips", "Flips N"],
        ["heads", "Heads"],
        ["frequency", "Frequency of heads", "heads ÷ flips"],
        ["band", "Expected wobble ±2σ", "2·√(p(1−p)/N): about 95% of runs stay this close to p"],
        ["entropy", "Entropy H(p)", "−p log₂ p − (1−p) log₂(1−p): bits of surprise per flip"],
        ["mean", "Binomial mean np"],
        ["variance", "Binomial variance np(1−p)"],
        ["batches", "Batches done"],
      ],
      { caption: "Numbers" },
    );
    const strip = el("div", { class: "coin-strip", "aria-label": "The latest flips" });
    page.controls.append(settings.groups.Coin, bar.root, message.root);
    page.numbers.append(numbers.root);

    const frequencyView = view({
      title: "Running frequency of heads",
      canvasLabel: "Line chart of the frequency of heads against the number of flips",
      explain:
        "Each point is heads ÷ flips so far. Early on it swings wildly; as <var>N</var> grows it " +
        "settles into the shaded band " +
        "<math><mi>p</mi><mo>±</mo><mn>2</mn><msqrt><mfrac><mrow><mi>p</mi><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo></mrow><mi>N</mi></mfrac></msqrt></math>" +
        ", which narrows like 1/√N. That is the law of large numbers. The x-axis is logarithmic so " +
        "the first flips and the millionth both fit. Dragging <var>p</var> replays the <em>same</em> " +
        "random draws under the new bias, so you see the same luck with a different coin.",
    });
    const histogramView = view({
      title: "Heads per batch against Binomial(n, p)",
      canvasLabel:
        "Bar chart of how often each number of heads per batch occurred, with the Binomial probabilities",
      explain:
        "Flips are grouped into batches of <var>n</var>. Bars: the share of batches that had " +
        "<var>k</var> heads. Dots: the exact probability " +
        "<math><mi>P</mi><mo>(</mo><mi>K</mi><mo>=</mo><mi>k</mi><mo>)</mo><mo>=</mo><mrow><mo>(</mo><mfrac linethickness='0'><mi>n</mi><mi>k</mi></mfrac><mo>)</mo></mrow><msup><mi>p</mi><mi>k</mi></msup><msup><mrow><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo></mrow><mrow><mi>n</mi><mo>−</mo><mi>k</mi></mrow></msup></math>" +
        ". With more batches the bars grow into the dots.",
    });
    const stripView = textView("The latest flips (newest on the right)", "strip-view", strip);
    page.views.append(stripView, frequencyView.root, histogramView.root);
    root.append(page.root);

    ui = {
      transport: bar,
      message,
      numbers,
      strip,
      frequency: new CurveChart(frequencyView.canvas, {
        xLabel: "flips N (log scale)",
        yLabel: "frequency of heads",
        xLog: true,
      }),
      histogram: new Plot(histogramView.canvas, {
        x: [-0.5, 10.5],
        y: [0, 1],
        xLabel: "heads k in a batch",
        yLabel: "probability",
      }),
    };

    dirty = true;
  }

  function unmount() {
    core.unmount();
    ui = null;
  }

  /** Flips what the speed asks for since the last frame (the coin is far below any budget). */
  function frame(dt) {
    if (!ui) return;
    if (player.frame(dt, ui.message)) dirty = true;
    if (dirty) draw();
  }

  function draw() {
    dirty = false;
    const s = coin.snapshot();
    const { numbers } = ui;
    numbers.set("n_flips", formatNumber(s.n_flips));
    numbers.set("heads", formatNumber(s.heads));
    numbers.set("frequency", s.n_flips ? s.frequency.toFixed(4) : "–");
    numbers.set(
      "band",
      s.n_flips ? `±${(2 * Math.sqrt((s.p * (1 - s.p)) / s.n_flips)).toFixed(4)}` : "–",
    );
    numbers.set("entropy", `${s.entropy_bits.toFixed(4)} bits`);
    numbers.set("mean", formatNumber(s.binomial_mean, 3));
    numbers.set("variance", formatNumber(s.binomial_variance, 3));
    numbers.set("batches", formatNumber(s.n_batches));
    drawStrip(coin.recent_flips());
    drawFrequency(s);
    drawHistogram(s);
  }

  function drawStrip(flips) {
    const text = Array.from(flips, (h) => (h ? "H" : "T"));
    ui.strip.replaceChildren(
      ...text.map((t) =>
        el(
          "span",
          { class: `flip ${t === "H" ? "heads" : "tails"}`, title: t === "H" ? "heads" : "tails" },
          t,
        ),
      ),
    );
    if (text.length === 0)
      ui.strip.append(el("span", { class: "empty" }, "No flips yet: press Play or Step."));
  }

  function drawFrequency(s) {
    const plot = ui.frequency;
    // Read the views at once: any later call into wasm may move its memory.
    const flips = Float64Array.from(coin.history_flips());
    const frequency = Float64Array.from(coin.history_frequency());
    const maxN = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(s.n_flips, 1))));
    // The ±2σ band around p, sampled on a log grid.
    const xs = [];
    const lo = [];
    const hi = [];
    for (let i = 0; i <= 120; i++) {
      const n = 10 ** ((i / 120) * Math.log10(maxN));
      const w = 2 * Math.sqrt((s.p * (1 - s.p)) / n);
      xs.push(n);
      lo.push(Math.max(0, s.p - w));
      hi.push(Math.min(1, s.p + w));
    }
    plot.draw({
      x: [1, maxN],
      y: [0, 1],
      series: [
        { kind: "band", label: "p ± 2σ", color: "rgba(86,180,233,0.28)", xs, lower: lo, upper: hi },
        {
          kind: "line",
          label: `p = ${s.p.toFixed(2)}`,
          color: colors.blue,
          width: 2,
          dashed: true,
          xs: [1, maxN],
          ys: [s.p, s.p],
        },
        {
          kind: "line",
          label: "frequency of heads",
          color: colors.vermillion,
          width: 2,
          xs: flips,
          ys: frequency,
        },
      ],
      notes: flips.length
        ? []
        : [{ x: Math.sqrt(maxN), y: 0.15, text: "Flip to see the frequency" }],
    });
  }

  function drawHistogram(s) {
    const plot = ui.histogram;
    const n = s.batch_n;
    const ks = Array.from({ length: n + 1 }, (_, k) => k);
    const shares = s.n_batches ? Array.from(s.histogram, (c) => c / s.n_batches) : ks.map(() => 0);
    const top = Math.max(...s.pmf, ...shares, 0.05);
    plot.setDomain([-0.5, n + 0.5], [0, Math.min(1, top * 1.15)]);
    plot.clear();
    plot.axes();
    plot.clip();
    plot.bars(ks, shares, 0.8, colors.sky);
    plot.points(ks, Array.from(s.pmf), colors.ink, { size: n > 60 ? 4 : 7, round: true });
    plot.unclip();
    plot.legend([
      { label: `batches: ${formatNumber(s.n_batches)}`, color: colors.sky, kind: "box" },
      { label: `Binomial(${n}, ${s.p.toFixed(2)})`, color: colors.ink, kind: "dot" },
    ]);
  }

  return {
    name: "coin",
    title: "Coin",
    api,
    mount,
    unmount,
    frame,
    markDirty: () => (dirty = true),
    keys: (event) => ui?.transport.handleKey(event) ?? false,
    ...core.appMembers(),
  };
}
