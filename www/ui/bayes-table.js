// Bayes' rule written out as a table, as the EM lab (a point's responsibilities) and the
// Classify lab (a point's posteriors) both show it: one row per component or class with its
// weight, its density, their product and the product's share of the sum of all products; the
// last row is that sum, the normaliser.
import { el } from "./controls.js";

/** A compact number for these tables: 4 significant digits, an exponent when tiny or huge. */
export function sig(v) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(3) : v.toPrecision(4);
}

/**
 * @param {{
 *   prefix: string, tableClass: string, heads: string[], sumLabel: string,
 *   rows: {label: (Node|string)[], weight: number, density: number, product: number,
 *          share: number}[],
 *   sum: number, shareKey: string, sumKey: string, winner?: number, weightDigits?: number,
 * }} options
 * `heads` are the five column heads (HTML, MathML welcome); `shareKey` and `sumKey` name the
 * data attributes that hold the exact share and sum (`data-r`, `data-evidence`, ...); the row
 * `winner` is marked `<prefix>-winner`.
 */
export function bayesTable(options) {
  const { prefix, heads, rows, shareKey, sumKey, weightDigits = 4 } = options;
  const head = el("tr", {}, ...heads.map((html) => el("th", { scope: "col", html })));
  const body = rows.map((row, i) =>
    el(
      "tr",
      { class: i === options.winner ? `${prefix}-winner` : "" },
      el("th", { scope: "row" }, ...row.label),
      el("td", {}, row.weight.toFixed(weightDigits)),
      el("td", {}, sig(row.density)),
      el("td", {}, sig(row.product)),
      el("td", { [`data-${shareKey}`]: String(row.share) }, row.share.toFixed(4)),
    ),
  );
  const shares = rows.reduce((total, row) => total + row.share, 0);
  const total = el(
    "tr",
    { class: `${prefix}-total` },
    el("th", { scope: "row", colspan: "3" }, options.sumLabel),
    el("td", { [`data-${sumKey}`]: String(options.sum) }, sig(options.sum)),
    el("td", { [`data-${shareKey}-sum`]: "" }, shares.toFixed(4)),
  );
  return el(
    "table",
    { class: options.tableClass },
    el("thead", {}, head),
    el("tbody", {}, ...body),
    el("tfoot", {}, total),
  );
}
