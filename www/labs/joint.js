// The two-coins lab (#/joint): a joint table P(X, Y) of two coins, built from P(X = H) and the
// two conditionals P(Y = H | X), or edited cell by cell; its marginals, conditionals, Bayes'
// inverse and mutual information; and sampled pairs whose counts converge to the table.
import { el, button, readouts, messageLine } from "../ui/controls.js";
import { Plot, colors, formatNumber } from "../ui/plot.js";
import { labCore, labPage, textView, view, steadyPlay } from "../ui/lab.js";

const HT = ["H", "T"];
/** Heads and tails of the second coin keep one colour each in every picture. */
const OUTCOME_COLORS = [colors.blue, colors.orange];
const CELL_TINTS = ["#cfe6f5", "#fbe3b3"];

const fixed = (v) => (Number.isFinite(v) ? v.toFixed(2) : "–");
const mi = (name) => `<mi>${name}</mi>`;
const mn = (v) => `<mn>${v}</mn>`;
const mo = (op) => `<mo>${op}</mo>`;
/** P(A | B) or P(A) written in MathML, with A and B given as MathML fragments. */
const prob = (a, b) =>
  `<mrow>${mi("P")}${mo("(")}${a}${b ? `${mo("|")}${b}` : ""}${mo(")")}</mrow>`;
const event = (name, value) => `<mrow>${mi(name)}${mo("=")}${mi(value)}</mrow>`;

export function createLab({ app }) {
  const core = labCore({ app, create: (wasm) => new wasm.JointLab(7) });
  const joint = core.lab;
  const player = steadyPlay({ core, app, noun: "pairs" });
  let dirty = true;
  let ui = null;

  core.onChange(() => (dirty = true));

  const api = core.api();

  function mount(root) {
    const page = labPage({
      title: "Two coins: joint, marginal and conditional",
      lede:
        "Flip coin <var>X</var>, then coin <var>Y</var>, whose bias may depend on what <var>X</var> showed. " +
        "The <strong>joint</strong> table holds the probability of each pair. Adding along a row or " +
        "column gives a <strong>marginal</strong>; dividing a row by its total gives a " +
        "<strong>conditional</strong>. Drag the sliders, or drag a cell of the table up and down.",
    });
    const message = messageLine();
    const guarded = (action) => message.guard(action);
    const { bar, settings } = core.mount({
      message,
      stepLabel: `Step: ${core.schema.step.default} pairs`,
      format: { p_x: (v) => formatNumber(v, 3) },
    });
    const independentButton = button(
      "Make Y ignore X",
      () => guarded(() => api.set("p_y_given_x", [0.5, 0.5])),
      { title: "Sets both conditionals to 0.5: the second coin is fair whatever X showed" },
    );
    const numbers = readouts(
      [
        ["n", "Pairs sampled"],
        ["gap", "Largest gap", "the largest |sampled share − P(x, y)| over the four cells"],
        ["mi", "Mutual information", "I(X; Y) in bits: 0 exactly when X and Y are independent"],
      ],
      { caption: "Numbers" },
    );
    page.controls.append(
      settings.groups[""],
      el("div", { class: "buttons" }, independentButton),
      bar.root,
      message.root,
      numbers.root,
    );

    // The joint table as an area-proportional mosaic of four draggable cells.
    const cells = [];
    const columns = [0, 1].map((x) => {
      const head = el("div", { class: "mosaic-head" });
      const column = el("div", { class: "mosaic-column" }, head);
      const column_cells = [0, 1].map((y) => {
        const value = el("span", { class: "cell-value" });
        const name = el("span", { class: "cell-name" }, `X=${HT[x]}, Y=${HT[y]}`);
        const cell = el(
          "div",
          {
            class: "mosaic-cell",
            role: "slider",
            tabindex: 0,
            "aria-label": `P(X = ${HT[x]}, Y = ${HT[y]}), drag up or down or use the arrow keys`,
            "aria-valuemin": 0,
            "aria-valuemax": 1,
            "data-cell": `${x}${y}`,
            style: `background:${CELL_TINTS[y]};border-color:${OUTCOME_COLORS[y]}`,
          },
          name,
          value,
        );
        cells.push({ x, y, cell, value });
        column.append(cell);
        return cell;
      });
      return { column, head, cells: column_cells };
    });
    const mosaic = el("div", { class: "mosaic" }, ...columns.map((c) => c.column));
    const table = el("table", { class: "joint-numbers" });
    for (const c of cells) attachCellEditing(c, mosaic);

    const tableView = textView(
      "The joint table P(X, Y): drag a cell",
      "joint-table-view",
      el("div", { class: "joint-table-row" }, mosaic, table),
      el("div", {
        class: "explain",
        html:
          "Each tile is one pair of outcomes and its <em>area</em> is its probability. Column widths " +
          `are <math>${prob(event("X", "x"))}</math>, and within a column the tile heights are the ` +
          `conditional <math>${prob(event("Y", "y"), event("X", "x"))}</math>, so width × height = ` +
          `<math>${prob(`${event("X", "x")}${mo(",")}${event("Y", "y")}`)}</math>. Drag a tile up or ` +
          "down (or focus it and press ↑ ↓) to change its probability: the other three shrink or " +
          "grow in proportion so the total stays 1, and the sliders move to the parameters the new " +
          "table implies.",
      }),
    );

    const marginalView = view({
      title: "Marginals: add up rows or columns",
      canvasLabel: "Bars of P(X) and P(Y), each split into heads and tails",
      explain:
        "<math>" +
        `${prob(event("X", "x"))}${mo("=")}<munder>${mo("∑")}${mi("y")}</munder>${prob(`${mi("x")}${mo(",")}${mi("y")}`)}` +
        "</math>: the column widths of the mosaic. " +
        "<math>" +
        `${prob(event("Y", "y"))}${mo("=")}<munder>${mo("∑")}${mi("x")}</munder>${prob(`${mi("x")}${mo(",")}${mi("y")}`)}` +
        "</math>: add the blue tiles of both columns for heads.",
    });
    const conditionalView = view({
      title: "Conditionals P(Y | X): divide each column by its total",
      canvasLabel: "Bars of P(Y | X = H) and P(Y | X = T)",
    });
    const conditionalNote = el("div", { class: "explain" });
    conditionalView.root.append(conditionalNote);
    const bayesView = view({
      title: "Bayes' rule: P(X | Y), the other way round",
      canvasLabel: "Bars of P(X | Y = H) and P(X | Y = T)",
    });
    const bayesNote = el("div", { class: "explain" });
    bayesView.root.append(bayesNote);
    const independence = el("div", { class: "independence" });
    const independenceView = textView(
      "Independent? Compare P(x, y) with P(x) P(y)",
      "",
      independence,
    );
    const sampleView = view({
      title: "Sampled pairs against the joint table",
      canvasLabel: "Bars of the share of sampled pairs in each cell, with dots at the true P(x, y)",
      explain:
        "Press Play or Step: each sample flips <var>X</var> and then <var>Y</var>. Bars show the share " +
        "of sampled pairs that landed in each cell; dots are the true <math>" +
        prob(`${mi("x")}${mo(",")}${mi("y")}`) +
        "</math>. With more pairs the bars settle on the dots. Moving a slider re-counts the " +
        "<em>same</em> random draws under the new table.",
    });
    const recent = el("div", { class: "coin-strip joint-strip", "aria-label": "The latest pairs" });
    sampleView.root.insertBefore(recent, sampleView.root.querySelector(".explain"));
    const articleNote = el("div", { class: "explain article-note" });
    const articleView = textView(
      "Every conditional sums to 1 (and a formula that doesn't)",
      "",
      articleNote,
    );
    page.views.append(
      tableView,
      marginalView.root,
      conditionalView.root,
      bayesView.root,
      independenceView,
      sampleView.root,
      articleView,
    );
    page.root.classList.add("joint-lab");
    root.append(page.root);

    const barsPlot = (canvas) => {
      const plot = new Plot(canvas, { x: [0, 1], y: [0, 2] });
      plot.margin = { left: 112, right: 10, top: 6, bottom: 6 };
      return plot;
    };
    ui = {
      transport: bar,
      message,
      numbers,
      cells,
      columns,
      table,
      conditionalNote,
      bayesNote,
      independence,
      recent,
      articleNote,
      marginal: barsPlot(marginalView.canvas),
      conditional: barsPlot(conditionalView.canvas),
      bayes: barsPlot(bayesView.canvas),
      samples: new Plot(sampleView.canvas, {
        x: [-0.5, 3.5],
        y: [0, 1],
        yLabel: "share of pairs",
        xLabel: "cell (X, Y)",
        xTickLabels: [
          [0, "H, H"],
          [1, "H, T"],
          [2, "T, H"],
          [3, "T, T"],
        ],
      }),
    };
    for (const v of [marginalView, conditionalView, bayesView]) v.root.classList.add("joint-bars");
    dirty = true;

    /** Vertical drags and arrow keys on one tile set its probability through set_cell. */
    function attachCellEditing({ x, y, cell }, box) {
      let start = null;
      const setTo = (value) =>
        guarded(() => {
          const v = Math.round(Math.min(1, Math.max(0, value)) * 1e4) / 1e4;
          api.set("cell", [x, y, v]);
        });
      cell.addEventListener("pointerdown", (e) => {
        start = { y: e.clientY, value: joint.snapshot().joint[x][y] };
        cell.setPointerCapture(e.pointerId);
        cell.focus({ preventScroll: true });
        e.preventDefault();
      });
      cell.addEventListener("pointermove", (e) => {
        if (!start) return;
        const height = box.getBoundingClientRect().height || 1;
        setTo(start.value + (start.y - e.clientY) / height);
      });
      const end = () => (start = null);
      cell.addEventListener("pointerup", end);
      cell.addEventListener("pointercancel", end);
      cell.addEventListener("keydown", (e) => {
        const now = joint.snapshot().joint[x][y];
        const moves = {
          ArrowUp: 0.01,
          ArrowRight: 0.01,
          ArrowDown: -0.01,
          ArrowLeft: -0.01,
          PageUp: 0.1,
          PageDown: -0.1,
        };
        if (e.key in moves) setTo(now + moves[e.key]);
        else if (e.key === "Home") setTo(0);
        else if (e.key === "End") setTo(1);
        else return;
        e.preventDefault();
        e.stopPropagation();
      });
    }
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
    const s = joint.snapshot();
    drawMosaic(s);
    drawNumbers(s);
    drawSplitBars(ui.marginal, [
      { label: "P(X)", parts: s.marginal_x, names: ["X = H", "X = T"] },
      { label: "P(Y)", parts: s.marginal_y, names: ["Y = H", "Y = T"] },
    ]);
    drawSplitBars(
      ui.conditional,
      [0, 1].map((x) => ({
        label: `P(Y | X = ${HT[x]})`,
        parts: s.conditional_y_given_x[x],
        names: ["Y = H", "Y = T"],
        missing: `undefined: P(X = ${HT[x]}) = 0`,
      })),
    );
    drawSplitBars(
      ui.bayes,
      [0, 1].map((y) => ({
        label: `P(X | Y = ${HT[y]})`,
        parts: s.conditional_x_given_y[y],
        names: ["X = H", "X = T"],
        missing: `undefined: P(Y = ${HT[y]}) = 0`,
      })),
    );
    drawConditionalNote(s);
    drawBayesNote(s);
    drawIndependence(s);
    drawSamples(s);
    drawArticleNote(s);
    const gap = s.empirical_joint
      ? Math.max(
          ...s.joint.flatMap((row, x) => row.map((p, y) => Math.abs(p - s.empirical_joint[x][y]))),
        )
      : NaN;
    ui.numbers.set("n", formatNumber(s.n_samples));
    ui.numbers.set("gap", s.n_samples ? gap.toFixed(4) : "–");
    ui.numbers.set("mi", `${s.mutual_information_bits.toFixed(4)} bits`);
  }

  function drawMosaic(s) {
    for (const x of [0, 1]) {
      const { column, head, cells } = ui.columns[x];
      column.style.flexGrow = s.marginal_x[x];
      head.textContent = `X = ${HT[x]}: ${fixed(s.marginal_x[x])}`;
      head.title = `P(X = ${HT[x]}) = ${formatNumber(s.marginal_x[x], 4)}`;
      // A column of probability 0 still shows its conditional (the slider's value) as heights.
      const heads = s.p_y_given_x[x];
      cells[0].style.flexGrow = heads;
      cells[1].style.flexGrow = 1 - heads;
      // Tiles too small for their name show only their number (or nothing).
      const narrow = s.marginal_x[x] < 0.2;
      cells.forEach((cell, y) => {
        const share = y === 0 ? heads : 1 - heads;
        cell.classList.toggle("small", narrow || share < 0.25);
        cell.classList.toggle("tiny", s.marginal_x[x] < 0.08 || share < 0.1);
      });
    }
    for (const { x, y, cell, value } of ui.cells) {
      const p = s.joint[x][y];
      value.textContent = fixed(p);
      cell.setAttribute("aria-valuenow", String(p));
      cell.setAttribute("aria-valuetext", `P(X = ${HT[x]}, Y = ${HT[y]}) = ${formatNumber(p, 4)}`);
      cell.title = `P(X = ${HT[x]}, Y = ${HT[y]}) = ${formatNumber(p, 4)}`;
    }
  }

  function drawNumbers(s) {
    const row = (cellsOf, head) =>
      el("tr", {}, el("th", { scope: "row" }, head), ...cellsOf.map((v) => el("td", {}, fixed(v))));
    ui.table.replaceChildren(
      el("caption", {}, "P(x, y) with the marginals in the margins"),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", {}, ""),
          el("th", { scope: "col" }, "Y = H"),
          el("th", { scope: "col" }, "Y = T"),
          el("th", { scope: "col" }, "P(X)"),
        ),
      ),
      el(
        "tbody",
        {},
        row([...s.joint[0], s.marginal_x[0]], "X = H"),
        row([...s.joint[1], s.marginal_x[1]], "X = T"),
        row([...s.marginal_y, 1], "P(Y)"),
      ),
    );
  }

  /**
   * Each row is one distribution over two outcomes, drawn as a bar split at its probabilities,
   * so "sums to 1" is the bar's full width. A missing row is an undefined conditional.
   */
  function drawSplitBars(plot, rows) {
    plot.setDomain([0, 1], [0, rows.length]);
    plot.clear();
    const { ctx } = plot;
    ctx.save();
    ctx.font = "13px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    rows.forEach((row, i) => {
      const top = plot.sy(rows.length - i) + 6;
      const bottom = plot.sy(rows.length - i - 1) - 6;
      const mid = (top + bottom) / 2;
      ctx.fillStyle = colors.ink;
      ctx.textAlign = "right";
      ctx.fillText(row.label, plot.rect.left - 8, mid);
      if (!row.parts) {
        ctx.strokeStyle = colors.muted;
        ctx.setLineDash([5, 4]);
        ctx.strokeRect(plot.sx(0) + 0.5, top + 0.5, plot.rect.w - 1, bottom - top - 1);
        ctx.setLineDash([]);
        ctx.fillStyle = colors.vermillion;
        ctx.textAlign = "center";
        ctx.fillText(row.missing, plot.sx(0.5), mid);
        return;
      }
      let left = 0;
      row.parts.forEach((p, k) => {
        const a = plot.sx(left);
        const b = plot.sx(left + p);
        ctx.fillStyle = OUTCOME_COLORS[k];
        ctx.fillRect(a, top, b - a, bottom - top);
        const text = `${row.names[k]}: ${fixed(p)}`;
        const short = fixed(p);
        const width = b - a;
        ctx.fillStyle = k === 0 ? "#fff" : colors.ink;
        ctx.textAlign = "center";
        if (ctx.measureText(text).width + 8 < width) ctx.fillText(text, (a + b) / 2, mid);
        else if (ctx.measureText(short).width + 4 < width) ctx.fillText(short, (a + b) / 2, mid);
        left += p;
      });
    });
    ctx.restore();
  }

  function drawConditionalNote(s) {
    const parts = [0, 1].map((x) => {
      if (!s.conditional_y_given_x[x])
        return `<p>Given <var>X</var> = ${HT[x]}: undefined, because P(X = ${HT[x]}) = 0 (there is nothing to divide by).</p>`;
      const [a, b] = s.joint[x];
      const [ca, cb] = s.conditional_y_given_x[x];
      const pair = (u, v) =>
        `<mrow>${mo("(")}${mn(fixed(u))}${mo(",")}${mn(fixed(v))}${mo(")")}</mrow>`;
      return (
        "<p><math>" +
        `${prob(mi("Y"), event("X", HT[x]))}${mo("=")}<mfrac>${pair(a, b)}${mn(fixed(s.marginal_x[x]))}</mfrac>` +
        `${mo("=")}${pair(ca, cb)}` +
        "</math></p>"
      );
    });
    ui.conditionalNote.innerHTML =
      "<p>Fix the first coin, then ask about the second: <math>" +
      `${prob(mi("y"), mi("x"))}${mo("=")}<mfrac>${prob(`${mi("x")}${mo(",")}${mi("y")}`)}${prob(mi("x"))}</mfrac>` +
      "</math>. Each bar fills the whole width: a conditional distribution sums to 1.</p>" +
      parts.join("");
  }

  function drawBayesNote(s) {
    const py = s.marginal_y[0];
    let worked;
    if (!s.conditional_x_given_y[0]) {
      worked = "<p>P(Y = H) = 0, so no pair has Y = H and P(X | Y = H) is undefined.</p>";
    } else {
      const likelihood = s.conditional_y_given_x[0] ? s.conditional_y_given_x[0][0] : 0;
      worked =
        "<p><math>" +
        `${prob(event("X", "H"), event("Y", "H"))}${mo("=")}` +
        `<mfrac><mrow>${prob(event("Y", "H"), event("X", "H"))}${prob(event("X", "H"))}</mrow>${prob(event("Y", "H"))}</mfrac>` +
        "</math></p><p><math>" +
        `${mo("=")}<mfrac><mrow>${mn(fixed(likelihood))}${mo("×")}${mn(fixed(s.marginal_x[0]))}</mrow>${mn(fixed(py))}</mfrac>${mo("=")}${mn(fixed(s.conditional_x_given_y[0][0]))}` +
        "</math></p>";
    }
    ui.bayesNote.innerHTML =
      "<p>Seeing the second coin tells you something about the first. Bayes' rule turns " +
      "<math>" +
      prob(mi("y"), mi("x")) +
      "</math> round into <math>" +
      prob(mi("x"), mi("y")) +
      "</math> using the marginal <math>" +
      prob(mi("x")) +
      "</math>:</p>" +
      worked;
  }

  function drawIndependence(s) {
    const verdict = s.independent
      ? el("p", { class: "verdict yes" }, "Independent: every P(x, y) equals P(x) P(y).")
      : el(
          "p",
          { class: "verdict no" },
          `Dependent: the cells differ from P(x) P(y), and I(X; Y) = ${s.mutual_information_bits.toFixed(4)} bits.`,
        );
    const rows = [];
    for (const x of [0, 1])
      for (const y of [0, 1])
        rows.push(
          el(
            "tr",
            {},
            el("th", { scope: "row" }, `X=${HT[x]}, Y=${HT[y]}`),
            el("td", {}, formatNumber(s.joint[x][y], 4)),
            el("td", {}, formatNumber(s.product_of_marginals[x][y], 4)),
          ),
        );
    const formula = el("p", {
      html:
        "<math><mi>I</mi><mo>(</mo><mi>X</mi><mo>;</mo><mi>Y</mi><mo>)</mo><mo>=</mo>" +
        `<munder>${mo("∑")}<mrow>${mi("x")}${mo(",")}${mi("y")}</mrow></munder>` +
        `${prob(`${mi("x")}${mo(",")}${mi("y")}`)}<msub>${mi("log")}${mn(2)}</msub>` +
        `<mfrac>${prob(`${mi("x")}${mo(",")}${mi("y")}`)}<mrow>${prob(mi("x"))}${prob(mi("y"))}</mrow></mfrac></math>` +
        ` = ${s.mutual_information_bits.toFixed(4)} bits: how much knowing one coin tells you about the ` +
        "other. It is 0 exactly when the table equals the product of its marginals (try “Make Y ignore X”).",
    });
    ui.independence.replaceChildren(
      verdict,
      el(
        "table",
        { class: "joint-numbers compare" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", {}, "cell"),
            el("th", { scope: "col" }, "P(x, y)"),
            el("th", { scope: "col" }, "P(x) P(y)"),
          ),
        ),
        el("tbody", {}, ...rows),
      ),
      formula,
    );
    ui.independence.classList.add("explain");
  }

  function drawSamples(s) {
    const plot = ui.samples;
    const truth = s.joint.flat();
    const shares = s.empirical_joint ? s.empirical_joint.flat() : [0, 0, 0, 0];
    // Headroom above the tallest bar keeps the legend clear of it.
    const top = Math.min(1.3, Math.max(...truth, ...shares, 0.05) * 1.45);
    plot.setDomain([-0.5, 3.5], [0, top]);
    plot.clear();
    plot.axes();
    plot.clip();
    plot.bars([0, 1, 2, 3], shares, 0.7, colors.sky);
    plot.points([0, 1, 2, 3], truth, colors.ink, { size: 9, round: true });
    plot.unclip();
    plot.legend([
      {
        label: `sampled share (${formatNumber(s.n_samples)} pairs)`,
        color: colors.sky,
        kind: "box",
      },
      { label: "true P(x, y)", color: colors.ink, kind: "dot" },
    ]);
    ui.recent.replaceChildren(
      ...s.recent.map(([x, y]) =>
        el(
          "span",
          { class: "pair", title: `X = ${HT[x]}, Y = ${HT[y]}` },
          el("span", { class: `flip ${x === 0 ? "heads" : "tails"}` }, HT[x]),
          el("span", { class: `flip ${y === 0 ? "heads" : "tails"}` }, HT[y]),
        ),
      ),
    );
    if (s.recent.length === 0)
      ui.recent.append(el("span", { class: "empty" }, "No pairs yet: press Play or Step."));
  }

  function drawArticleNote(s) {
    const p = s.p_x;
    const [sumHeads, sumTails] = s.article_row_sums;
    ui.articleNote.innerHTML =
      "<p>Whatever the coins, each row of the table divided by its total sums to 1:</p>" +
      "<p><math display='block'>" +
      `<munder>${mo("∑")}${mi("y")}</munder>${prob(mi("y"), mi("x"))}${mo("=")}` +
      `<munder>${mo("∑")}${mi("y")}</munder><mfrac>${prob(`${mi("x")}${mo(",")}${mi("y")}`)}${prob(mi("x"))}</mfrac>` +
      `${mo("=")}<mfrac>${prob(mi("x"))}${prob(mi("x"))}</mfrac>${mo("=")}${mn(1)}</math></p>` +
      "<p>The article this lab grew from writes, for two coins with P(heads) = <var>p</var> and " +
      "<var>q</var> = 1 − <var>p</var>:</p>" +
      "<blockquote><code>P(y|x) = p if x is heads else q/2 if y in (heads,tails) else (1-p)/2</code></blockquote>" +
      "<p>Read as written, it gives <math>" +
      `${prob(mi("y"), event("X", "H"))}${mo("=")}${mi("p")}` +
      "</math> for <em>both</em> outcomes of <var>y</var> and <math>" +
      `${prob(mi("y"), event("X", "T"))}${mo("=")}<mfrac>${mi("q")}${mn(2)}</mfrac>` +
      `</math> for both, so with <var>p</var> = P(X = H) = ${fixed(p)} the rows sum to ` +
      `<strong>2<var>p</var> = ${fixed(sumHeads)}</strong> and <strong>1 − <var>p</var> = ${fixed(sumTails)}</strong>. ` +
      "They are 1 together only if <var>p</var> = ½ and <var>p</var> = 0 at once, which never happens, " +
      "so it is not a conditional distribution. The story it tells (the second coin is fair whatever " +
      "the first showed) is <math>" +
      `${prob(mi("y"), mi("x"))}${mo("=")}<mfrac>${mn(1)}${mn(2)}</mfrac>` +
      "</math> for every <var>x</var> and <var>y</var>: press “Make Y ignore X”.</p>";
  }

  return {
    name: "joint",
    title: "Joint",
    api,
    mount,
    unmount,
    frame,
    markDirty: () => (dirty = true),
    keys: (event) => ui?.transport.handleKey(event) ?? false,
    ...core.appMembers(),
  };
}
