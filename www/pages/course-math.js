// The formulas of the course, written once as MathML and shared by the English and Chinese texts
// (formulas do not change with the language, so keeping one copy stops the two from drifting).
// Chromium renders MathML natively: no script, no web font, no CDN.

const mi = (name) => `<mi>${name}</mi>`;
const mn = (number) => `<mn>${number}</mn>`;
const mo = (symbol) => `<mo>${symbol}</mo>`;
const text = (words) => `<mtext>${words}</mtext>`;
const row = (...parts) => `<mrow>${parts.join("")}</mrow>`;
const frac = (top, bottom) => `<mfrac>${top}${bottom}</mfrac>`;
const sub = (base, index) => `<msub>${base}${index}</msub>`;
const sup = (base, power) => `<msup>${base}${power}</msup>`;
const subsup = (base, index, power) => `<msubsup>${base}${index}${power}</msubsup>`;
const under = (base, below) => `<munder>${base}${below}</munder>`;
const sqrt = (...parts) => `<msqrt>${parts.join("")}</msqrt>`;
const paren = (...parts) => row(mo("("), ...parts, mo(")"));
const bracket = (...parts) => row(mo("["), ...parts, mo("]"));
const comma = mo(",");
const eq = mo("=");
const given = mo("|");
const sum = (below, ...body) => row(under(mo("∑"), below), ...body);
const prod = (below, ...body) => row(under(mo("∏"), below), ...body);
const log = mi("log");

/** `P(args)` with a function letter, e.g. fn("P", x, given, y). */
const fn = (name, ...args) => row(mi(name), paren(...args));
const normal = (x, mean, cov) => row(mi("𝒩"), paren(x, given, mean, comma, cov));
const k = (letter) => sub(mi(letter), mi("k"));
const j = (letter) => sub(mi(letter), mi("j"));
const n = (letter) => sub(mi(letter), mi("n"));
const nk = (letter) => sub(mi(letter), row(mi("n"), mi("k")));
const sigmaK = sub(mi("Σ"), mi("k"));
const expect = (below, ...body) => row(sub(mi("𝔼"), below), bracket(...body));

/** Inline formula, in the flow of a sentence. */
const inline = (...parts) => `<math>${parts.join("")}</math>`;
/** Display formula; the wrapper scrolls sideways on a narrow phone instead of the page. */
const block = (...parts) =>
  `<div class="formula"><math display="block">${parts.join("")}</math></div>`;

const X = mi("x");
const Y = mi("y");
const Z = mi("z");
const P = (...args) => fn("P", ...args);
const p = (...args) => fn("p", ...args);
const component = (letterIndex) =>
  row(
    sub(mi("π"), mi(letterIndex)),
    normal(n("x"), sub(mi("μ"), mi(letterIndex)), sub(mi("Σ"), mi(letterIndex))),
  );

export const M = {
  // Small inline pieces used inside sentences.
  px: inline(p(X)),
  pxy: inline(p(X, comma, Y)),
  pygx: inline(p(Y, given, X)),
  pxgy: inline(p(X, given, Y)),
  pz: inline(p(Z)),
  pxgz: inline(p(X, given, Z)),
  pdata: inline(sub(mi("p"), text("data"))),
  Pygx: inline(P(Y, given, X)),
  Py: inline(P(Y)),
  Dx: inline(fn("D", X)),
  Gz: inline(fn("G", Z)),
  rnk: inline(nk("r")),
  rho: inline(mi("ρ")),
  twoP: inline(mn("2"), mi("p")),
  oneMinusP: inline(mn("1"), mo("−"), mi("p")),

  // Probability basics.
  joint: block(P(X, comma, Y), eq, P(X), P(Y, given, X)),
  rowSum: block(sum(Y, P(Y, given, X)), eq, mn("1")),
  marginal: block(P(Y), eq, sum(X, P(X, comma, Y)), eq, sum(X, P(X), P(Y, given, X))),
  conditional: block(P(Y, given, X), eq, frac(P(X, comma, Y), P(X))),
  independence: block(P(Y, given, X), eq, P(Y), mo("⟺"), P(X, comma, Y), eq, P(X), P(Y)),
  mutualInformation: block(
    row(mi("I"), paren(mi("X"), mo(";"), mi("Y"))),
    eq,
    sum(row(X, comma, Y), P(X, comma, Y), sub(log, mn("2")), frac(P(X, comma, Y), row(P(X), P(Y)))),
  ),
  bayes: block(
    P(Y, given, X),
    eq,
    frac(
      row(p(X, given, Y), P(Y)),
      sum(sup(Y, mo("′")), p(X, given, sup(Y, mo("′"))), P(sup(Y, mo("′")))),
    ),
  ),

  // Families of models.
  iid: block(
    p(mi("𝒟"), given, mi("θ")),
    eq,
    prod(row(mi("n"), eq, mn("1")), p(n("x"), given, mi("θ"))),
  ),
  naiveBayes: block(p(X, given, Y), eq, prod(mi("d"), p(sub(mi("x"), mi("d")), given, Y))),
  gmm: block(p(X), eq, sum(row(mi("k"), eq, mn("1")), k("π"), normal(X, k("μ"), sigmaK))),
  latent: block(p(X), eq, row(mo("∫"), p(Z), p(X, given, Z), mi("d"), Z)),
  autoregressive: block(
    p(X),
    eq,
    prod(
      mi("d"),
      p(
        sub(mi("x"), mi("d")),
        given,
        sub(mi("x"), mn("1")),
        comma,
        mo("…"),
        comma,
        sub(mi("x"), row(mi("d"), mo("−"), mn("1"))),
      ),
    ),
  ),
  flow: block(
    sub(mi("p"), mi("X")),
    paren(X),
    eq,
    sub(mi("p"), mi("Z")),
    paren(fn("f", X)),
    row(mo("|"), mi("det"), frac(row(mo("∂"), mi("f")), row(mo("∂"), X)), mo("|")),
  ),
  energy: block(p(X), eq, frac(sup(mi("e"), row(mo("−"), fn("E", X))), mi("Z"))),
  diffusion: block(
    fn("q", sub(mi("x"), mi("t")), given, sub(mi("x"), row(mi("t"), mo("−"), mn("1")))),
    eq,
    normal(
      sub(mi("x"), mi("t")),
      row(
        sqrt(mn("1"), mo("−"), sub(mi("β"), mi("t"))),
        sub(mi("x"), row(mi("t"), mo("−"), mn("1"))),
      ),
      row(sub(mi("β"), mi("t")), mi("I")),
    ),
  ),

  // EM for a Gaussian mixture.
  logLikelihood: block(fn("ℓ", mi("θ")), eq, sum(mi("n"), log, sum(mi("k"), component("k")))),
  responsibilities: block(nk("r"), eq, frac(component("k"), sum(mi("j"), component("j")))),
  mStep:
    block(k("N"), eq, sum(mi("n"), nk("r")), comma, mspace(), k("π"), eq, frac(k("N"), mi("N"))) +
    block(k("μ"), eq, frac(mn("1"), k("N")), sum(mi("n"), nk("r"), n("x"))) +
    block(
      sigmaK,
      eq,
      frac(mn("1"), k("N")),
      sum(
        mi("n"),
        nk("r"),
        paren(n("x"), mo("−"), k("μ")),
        sup(paren(n("x"), mo("−"), k("μ")), mi("⊤")),
      ),
    ),
  lowerBound: block(
    log,
    p(n("x"), given, mi("θ")),
    mo("≥"),
    sum(mi("k"), nk("r"), log, frac(component("k"), nk("r"))),
  ),
  monotone: block(
    fn("ℓ", sup(mi("θ"), paren(row(mi("t"), mo("+"), mn("1"))))),
    mo("≥"),
    fn(
      "ℒ",
      sup(mi("r"), paren(mi("t"))),
      comma,
      sup(mi("θ"), paren(row(mi("t"), mo("+"), mn("1")))),
    ),
    mo("≥"),
    fn("ℒ", sup(mi("r"), paren(mi("t"))), comma, sup(mi("θ"), paren(mi("t")))),
    eq,
    fn("ℓ", sup(mi("θ"), paren(mi("t")))),
  ),

  // GAN and VAE.
  gan: block(
    under(mi("min"), mi("G")),
    under(mi("max"), mi("D")),
    expect(row(X, mo("∼"), sub(mi("p"), text("data"))), log, fn("D", X)),
    mo("+"),
    expect(row(Z, mo("∼"), p(Z)), log, paren(mn("1"), mo("−"), fn("D", fn("G", Z)))),
  ),
  elbo: block(
    log,
    sub(mi("p"), mi("θ")),
    paren(X),
    mo("≥"),
    expect(
      row(sub(mi("q"), mi("φ")), paren(Z, given, X)),
      log,
      sub(mi("p"), mi("θ")),
      paren(X, given, Z),
    ),
    mo("−"),
    row(mi("KL"), paren(sub(mi("q"), mi("φ")), paren(Z, given, X), mo("‖"), p(Z))),
  ),

  // Regression and classification with a generative model.
  gaussianConditionalMean: block(
    row(mi("𝔼"), bracket(Y, given, X)),
    eq,
    sub(mi("μ"), mi("y")),
    mo("+"),
    mi("ρ"),
    frac(sub(mi("σ"), mi("y")), sub(mi("σ"), mi("x"))),
    paren(X, mo("−"), sub(mi("μ"), mi("x"))),
  ),
  gaussianConditionalVariance: block(
    row(mi("Var"), bracket(Y, given, X)),
    eq,
    subsup(mi("σ"), mi("y"), mn("2")),
    paren(mn("1"), mo("−"), sup(mi("ρ"), mn("2"))),
  ),
  sharedCovarianceLogOdds: block(
    log,
    frac(P(Y, eq, mn("1"), given, X), P(Y, eq, mn("0"), given, X)),
    eq,
    row(sup(mi("w"), mi("⊤")), X, mo("+"), mi("b")),
  ),
  anomaly: inline(p(X), mo("&lt;"), mi("τ")),
};

function mspace() {
  return `<mspace width="1em"></mspace>`;
}
