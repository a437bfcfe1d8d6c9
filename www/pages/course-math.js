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
const underover = (base, below, above) => `<munderover>${base}${below}${above}</munderover>`;
const sum = (below, ...body) => row(under(mo("∑"), below), ...body);
const prod = (below, ...body) => row(under(mo("∏"), below), ...body);
/** A sum or product with both limits, e.g. sumTo("n", mi("N"), …) for ∑ from n = 1 to N. */
const sumTo = (index, top, ...body) =>
  row(underover(mo("∑"), row(mi(index), eq, mn("1")), top), ...body);
const prodTo = (index, top, ...body) =>
  row(underover(mo("∏"), row(mi(index), eq, mn("1")), top), ...body);
const log = mi("log");
const half = frac(mn("1"), mn("2"));
// The differential of an integral is an operator, not a variable: as an <mo> it is set upright
// and the glossary test (which walks every <mi>) does not mistake it for the index d.
const dd = (variable) => row(mo("d"), variable);
const norm2 = (...parts) => row(sup(row(mo("‖"), ...parts, mo("‖")), mn("2")));
const transpose = (base) => sup(base, mi("⊤"));
const inverse = (base) => sup(base, row(mo("−"), mn("1")));
const kl = (left, right) => row(mi("KL"), paren(left, mo("‖"), right));

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
const theta = mi("θ");
const pTheta = (...args) => row(sub(mi("p"), theta), paren(...args));
/** p_θ as a whole distribution, with no argument (inside a KL). */
const pThetaDist = sub(mi("p"), theta);
const qPhi = (...args) => row(sub(mi("q"), mi("φ")), paren(...args));
const pData = sub(mi("p"), text("data"));
const pG = sub(mi("p"), mi("G"));
const xt = (index) => sub(mi("x"), index);
const tMinus1 = row(mi("t"), mo("−"), mn("1"));
const identity = mi("𝐈");
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
  pdata: inline(pData),
  Pygx: inline(P(Y, given, X)),
  Py: inline(P(Y)),
  Dx: inline(fn("D", X)),
  Gz: inline(fn("G", Z)),
  rnk: inline(nk("r")),
  rho: inline(mi("ρ")),
  twoP: inline(mn("2"), mi("p")),
  oneMinusP: inline(mn("1"), mo("−"), mi("p")),
  N: inline(mi("N")),
  K: inline(mi("K")),
  beta: inline(mi("β")),
  betaTwenty: inline(mi("β"), eq, mn("20")),
  L: inline(mi("ℒ")),
  w: inline(mi("w")),
  b: inline(mi("b")),

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
  iid: block(p(mi("𝒟"), given, theta), eq, prodTo("n", mi("N"), p(n("x"), given, theta))),
  naiveBayes: block(p(X, given, Y), eq, prod(mi("d"), p(sub(mi("x"), mi("d")), given, Y))),
  gmm: block(p(X), eq, sumTo("k", mi("K"), k("π"), normal(X, k("μ"), sigmaK))),
  latent: block(p(X), eq, row(mo("∫"), p(Z), p(X, given, Z), dd(Z))),
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
  // Sampling pushes z through f; the density pulls x back through f⁻¹ (change of variables).
  flow:
    block(X, eq, fn("f", Z), comma, mspace(), Z, mo("∼"), sub(mi("p"), mi("Z"))) +
    block(
      sub(mi("p"), mi("X")),
      paren(X),
      eq,
      sub(mi("p"), mi("Z")),
      paren(inverse(mi("f")), paren(X)),
      row(
        mo("|"),
        mi("det"),
        frac(row(mo("∂"), inverse(mi("f")), paren(X)), row(mo("∂"), X)),
        mo("|"),
      ),
    ),
  energy: block(
    pTheta(X),
    eq,
    frac(sup(mi("e"), row(mo("−"), sub(mi("E"), theta), paren(X))), sub(mi("C"), theta)),
    comma,
    mspace(),
    sub(mi("C"), theta),
    eq,
    row(mo("∫"), sup(mi("e"), row(mo("−"), sub(mi("E"), theta), paren(X))), dd(X)),
  ),
  diffusion: block(
    fn("q", xt(mi("t")), given, xt(tMinus1)),
    eq,
    normal(
      xt(mi("t")),
      row(sqrt(mn("1"), mo("−"), sub(mi("β"), mi("t"))), xt(tMinus1)),
      row(sub(mi("β"), mi("t")), identity),
    ),
    comma,
    mspace(),
    mi("t"),
    eq,
    mn("1"),
    comma,
    mo("…"),
    comma,
    mi("T"),
  ),
  diffusionReverse: block(
    pTheta(xt(tMinus1), given, xt(mi("t"))),
    eq,
    normal(
      xt(tMinus1),
      row(sub(mi("μ"), theta), paren(xt(mi("t")), comma, mi("t"))),
      row(subsup(mi("σ"), mi("t"), mn("2")), identity),
    ),
  ),
  diffusionLoss:
    block(
      sub(mi("L"), text("simple")),
      paren(theta),
      eq,
      expect(
        row(mi("t"), comma, xt(mn("0")), comma, mi("ε")),
        norm2(
          mi("ε"),
          mo("−"),
          sub(mi("ε"), theta),
          paren(
            sqrt(sub(mi("ᾱ"), mi("t"))),
            xt(mn("0")),
            mo("+"),
            sqrt(mn("1"), mo("−"), sub(mi("ᾱ"), mi("t"))),
            mi("ε"),
            comma,
            mi("t"),
          ),
        ),
      ),
    ) +
    block(
      sub(mi("ᾱ"), mi("t")),
      eq,
      prodTo("s", mi("t"), paren(mn("1"), mo("−"), sub(mi("β"), mi("s")))),
      comma,
      mspace(),
      mi("ε"),
      mo("∼"),
      row(mi("𝒩"), paren(mn("0"), comma, identity)),
    ),

  // Divergences: the yardsticks the models are trained with.
  klDefinition: block(
    kl(mi("q"), mi("p")),
    eq,
    expect(row(Z, mo("∼"), mi("q")), log, frac(fn("q", Z), p(Z))),
    mo("≥"),
    mn("0"),
  ),
  forwardKl: block(
    kl(pData, pThetaDist),
    eq,
    expect(row(X, mo("∼"), pData), log, row(pData, paren(X)), mo("−"), log, pTheta(X)),
  ),
  reverseKl: block(
    kl(pThetaDist, pData),
    eq,
    expect(row(X, mo("∼"), pThetaDist), log, pTheta(X), mo("−"), log, row(pData, paren(X))),
  ),
  jsd: block(
    row(mi("JSD"), paren(mi("p"), mo("‖"), mi("q"))),
    eq,
    half,
    kl(mi("p"), frac(row(mi("p"), mo("+"), mi("q")), mn("2"))),
    mo("+"),
    half,
    kl(mi("q"), frac(row(mi("p"), mo("+"), mi("q")), mn("2"))),
  ),

  // EM for a Gaussian mixture.
  logLikelihood: block(
    fn("ℓ", theta),
    eq,
    sumTo("n", mi("N"), log, sumTo("k", mi("K"), component("k"))),
  ),
  responsibilities: block(nk("r"), eq, frac(component("k"), sumTo("j", mi("K"), component("j")))),
  mStep:
    block(
      k("N"),
      eq,
      sumTo("n", mi("N"), nk("r")),
      comma,
      mspace(),
      k("π"),
      eq,
      frac(k("N"), mi("N")),
    ) +
    block(k("μ"), eq, frac(mn("1"), k("N")), sumTo("n", mi("N"), nk("r"), n("x"))) +
    block(
      sigmaK,
      eq,
      frac(mn("1"), k("N")),
      sumTo(
        "n",
        mi("N"),
        nk("r"),
        paren(n("x"), mo("−"), k("μ")),
        transpose(paren(n("x"), mo("−"), k("μ"))),
      ),
    ),
  // log p(x | θ) = ℒ(q, θ) + KL(q ‖ p(z | x, θ)), for any distribution q over the latent z.
  decomposition: block(
    log,
    p(X, given, theta),
    eq,
    fn("ℒ", mi("q"), comma, theta),
    mo("+"),
    kl(fn("q", Z), p(Z, given, X, comma, theta)),
  ),
  boundDefinition: block(
    fn("ℒ", mi("q"), comma, theta),
    eq,
    sum(Z, fn("q", Z), log, frac(p(X, comma, Z, given, theta), fn("q", Z))),
    eq,
    expect(row(Z, mo("∼"), mi("q")), log, p(X, comma, Z, given, theta)),
    mo("−"),
    expect(row(Z, mo("∼"), mi("q")), log, fn("q", Z)),
  ),
  eStep: block(
    sub(mi("q"), mi("n")),
    paren(Z, eq, mi("k")),
    eq,
    p(Z, eq, mi("k"), given, n("x"), comma, sup(theta, paren(mi("t")))),
    eq,
    nk("r"),
  ),
  completeData: block(
    sup(theta, paren(row(mi("t"), mo("+"), mn("1")))),
    eq,
    under(mi("arg max"), theta),
    sumTo(
      "n",
      mi("N"),
      sumTo("k", mi("K"), nk("r"), log, paren(k("π"), normal(n("x"), k("μ"), sigmaK))),
    ),
  ),
  monotone: block(
    fn("ℓ", sup(theta, paren(row(mi("t"), mo("+"), mn("1"))))),
    mo("≥"),
    fn("ℒ", sup(mi("r"), paren(mi("t"))), comma, sup(theta, paren(row(mi("t"), mo("+"), mn("1"))))),
    mo("≥"),
    fn("ℒ", sup(mi("r"), paren(mi("t"))), comma, sup(theta, paren(mi("t")))),
    eq,
    fn("ℓ", sup(theta, paren(mi("t")))),
  ),
  kMeans: block(
    nk("r"),
    eq,
    row(
      mo("{"),
      `<mtable columnalign="left"><mtr><mtd>${row(mn("1"), comma, mspace())}</mtd><mtd>${row(
        mi("k"),
        eq,
        under(mi("arg min"), mi("j")),
        norm2(n("x"), mo("−"), j("μ")),
      )}</mtd></mtr><mtr><mtd>${row(mn("0"), comma, mspace())}</mtd><mtd>${text(
        "otherwise",
      )}</mtd></mtr></mtable>`,
    ),
  ),
  bic: block(
    mi("BIC"),
    eq,
    mo("−"),
    mn("2"),
    fn("ℓ", `<mover>${theta}<mo>^</mo></mover>`),
    mo("+"),
    mi("m"),
    log,
    mi("N"),
  ),

  // GAN and VAE.
  gan:
    block(under(mi("min"), mi("G")), under(mi("max"), mi("D")), fn("V", mi("D"), comma, mi("G"))) +
    block(
      fn("V", mi("D"), comma, mi("G")),
      eq,
      expect(row(X, mo("∼"), pData), log, fn("D", X)),
      mo("+"),
      expect(row(Z, mo("∼"), p(Z)), log, paren(mn("1"), mo("−"), fn("D", fn("G", Z)))),
    ),
  ganOptimum:
    block(
      sup(mi("D"), mo("*")),
      paren(X),
      eq,
      frac(row(pData, paren(X)), row(pData, paren(X), mo("+"), pG, paren(X))),
    ) +
    block(
      fn("V", sup(mi("D"), mo("*")), comma, mi("G")),
      eq,
      mn("2"),
      row(mi("JSD"), paren(pData, mo("‖"), pG)),
      mo("−"),
      log,
      mn("4"),
    ),
  elbo: block(
    log,
    pTheta(X),
    mo("≥"),
    fn("ℒ", mi("θ"), comma, mi("φ"), mo(";"), X),
    eq,
    expect(qPhi(Z, given, X), log, pTheta(X, given, Z)),
    mo("−"),
    kl(qPhi(Z, given, X), p(Z)),
  ),
  vaeDecomposition: block(
    log,
    pTheta(X),
    eq,
    fn("ℒ", mi("θ"), comma, mi("φ"), mo(";"), X),
    mo("+"),
    kl(qPhi(Z, given, X), pTheta(Z, given, X)),
  ),
  reparameterisation: inline(Z, eq, fn("μ", X), mo("+"), fn("σ", X), mo("⊙"), mi("ε")),

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
    row(transpose(mi("w")), X, mo("+"), mi("b")),
  ),
  ldaWeights:
    block(
      mi("w"),
      eq,
      inverse(mi("Σ")),
      paren(sub(mi("μ"), mn("1")), mo("−"), sub(mi("μ"), mn("0"))),
    ) +
    block(
      mi("b"),
      eq,
      mo("−"),
      half,
      transpose(sub(mi("μ"), mn("1"))),
      inverse(mi("Σ")),
      sub(mi("μ"), mn("1")),
      mo("+"),
      half,
      transpose(sub(mi("μ"), mn("0"))),
      inverse(mi("Σ")),
      sub(mi("μ"), mn("0")),
      mo("+"),
      log,
      frac(P(Y, eq, mn("1")), P(Y, eq, mn("0"))),
    ),
  anomaly: inline(p(X), mo("&lt;"), mi("τ")),
};

/**
 * Every symbol the formulas use, grouped as the glossary lists them: each course text gives one
 * definition per id (learn.js reports a missing one), and the browser test checks that every
 * <mi> on the page is one of these symbols.
 */
export const GLOSSARY = [
  { id: "values", symbols: ["x", "y", "z"] },
  { id: "variables", symbols: ["X", "Y", "Z"] },
  { id: "prob", symbols: ["P", "p"] },
  { id: "q", symbols: ["q"] },
  { id: "data", symbols: ["𝒟", "N", "n"] },
  { id: "theta", symbols: ["θ"] },
  { id: "mixture", symbols: ["K", "k", "j", "π"] },
  { id: "gaussian", symbols: ["𝒩", "μ", "Σ", "σ", "ρ"] },
  { id: "identity", symbols: ["𝐈"] },
  { id: "r", symbols: ["r"] },
  { id: "d", symbols: ["d"] },
  { id: "logl", symbols: ["ℓ"] },
  { id: "bound", symbols: ["ℒ"] },
  { id: "expect", symbols: ["𝔼", "Var"] },
  { id: "log", symbols: ["log", "e"] },
  { id: "kl", symbols: ["KL", "JSD"] },
  { id: "mi", symbols: ["I"] },
  { id: "t", symbols: ["t", "T", "s"] },
  { id: "flow", symbols: ["f", "det"] },
  { id: "energy", symbols: ["E", "C"] },
  { id: "diffusion", symbols: ["β", "ᾱ", "ε", "L"] },
  { id: "gan", symbols: ["G", "D", "V", "min", "max"] },
  { id: "phi", symbols: ["φ"] },
  { id: "linear", symbols: ["w", "b", "⊤"] },
  { id: "argmax", symbols: ["arg max", "arg min"] },
  { id: "bic", symbols: ["BIC", "m"] },
  { id: "tau", symbols: ["τ"] },
];

/** Inline MathML for a glossary entry's symbols, for its <dt>. */
export const glossarySymbols = (symbols) =>
  inline(...symbols.flatMap((symbol, i) => (i ? [mo(","), mi(symbol)] : [mi(symbol)])));

function mspace() {
  return `<mspace width="1em"></mspace>`;
}
