// The course text in English: the page's words, and one entry per section of the outline in
// learn.js (same keys as course-zh.js; learn.js reports any key either language lacks).
import { M } from "./course-math.js";

export default {
  lang: "en",
  ui: {
    title: "Learn: generative models, from two coins to GANs",
    lede:
      "A reading companion to the labs. It answers the seven questions of a popular Chinese " +
      "introduction to generative models, corrects its mistakes, and sends you to a lab for each idea.",
    language: "Language",
    contents: "Contents",
    question: (n) => `Q${n}`,
    tryIt: "Try it",
    labNames: {
      coin: "Coin lab",
      joint: "Joint lab",
      gaussian: "Gaussian lab",
      em: "EM lab",
      gan: "GAN lab",
      vae: "VAE lab",
      classify: "Classify lab",
    },
    correctionsTitle: "How this page corrects the source article",
    corrections: [
      "It says generative models come in two types, GAN and VAE. Those are two deep-learning examples, " +
        'not the families: see <a data-section="q2">Q2</a> for the map (explicit densities, latent-variable ' +
        "models, implicit models, energy-based and diffusion models) and the generative / discriminative distinction.",
      "It says the discriminator “tries to fool the generator”. It is the other way round: the discriminator " +
        'tries to tell real from generated data, and the generator tries to fool it (<a data-section="gan">GAN</a>).',
      "It says a VAE “learns the prior knowledge of the data distribution”. The prior p(z) is usually fixed; " +
        'the encoder and decoder are learned by maximising the ELBO (<a data-section="vae">VAE</a>).',
      "It calls a random variable “a string of symbols”. A random variable is a function that gives each " +
        'outcome of an experiment a value (<a data-section="basics">basics</a>).',
      "It says the events of a joint distribution each have an “independent” probability. They are mutually " +
        "exclusive, not independent; a joint distribution exists precisely to describe dependence.",
      "Its two-coin formula is not a conditional distribution: read as written, its rows sum to 2p and 1 − p " +
        'instead of 1. It also calls the coin fair and then gives it a bias p (<a data-section="two-coins">two coins</a>).',
      "It lists seven questions but answers none of Q2–Q7 beyond the GAN/VAE paragraph; each has a section here.",
    ],
    twoCoins: {
      heads: "H",
      tails: "T",
      firstCoin: "first coin X",
      rowSum: "row sum",
      asWrittenCaption: (p) =>
        `The article's formula read as written, at p = ${p}: each row should be a distribution over Y, but the sums are not 1.`,
      conditionalCaption: (p) =>
        `Corrected: P(Y | X) at p = ${p}. After heads the second coin is fair; after tails it is the same biased coin. Every row sums to 1.`,
      jointCaption: (p) =>
        `The joint P(X, Y) = P(X) · P(Y | X) at p = ${p}, with its marginals. All four cells sum to 1.`,
      marginalY: "P(Y)",
      marginalX: "P(X)",
      total: "total",
      bayes: (value, pyh) =>
        `Bayes' rule in the other direction: P(X = H | Y = H) = P(H, H) / P(Y = H) = ${value}, with P(Y = H) = ${pyh}.`,
      information: (bits) =>
        `The two coins are dependent (the rows differ), so their mutual information is above zero: I(X; Y) = ${bits} bits.`,
    },
  },
  sections: {
    q1: {
      title: "Why study generative models?",
      html: `
<p>A <strong>generative model</strong> is a probability distribution fitted to data: ${M.px} for data alone,
or ${M.pxy} for data with labels. Because it describes how the data could have been produced, one fitted
model answers many questions at once:</p>
<ul>
<li><strong>Make new data</strong>: draw samples that look like the training data (images, sounds, text).</li>
<li><strong>Score data</strong>: ${M.px} says how typical a point is, which is how anomalies are found.</li>
<li><strong>Fill in what is missing</strong>: condition on the part you observed and infer the rest.</li>
<li><strong>Say how sure it is</strong>: the answer is a whole distribution, not one number.</li>
<li><strong>Learn without labels</strong>: ${M.px} can be fitted from unlabelled data, which is plentiful.</li>
</ul>
<p>A generative model also states its assumptions openly (a Gaussian here, independence there), so you can
check them against the data. For pure prediction with many labels a discriminative model of ${M.pygx} is often
just as good, which is no contradiction: the two kinds answer different questions (see <a data-section="q2">Q2</a>).</p>`,
      try: {
        coin: "set p = 0.3 and press Play: the running frequency of heads settles near 0.3. That law of large numbers is why fitting a distribution to data works at all.",
      },
    },
    basics: {
      title: "Random variables, joint and conditional distributions",
      html: `
<p>A <strong>random variable</strong> is a function that gives each outcome of a random experiment a value. Toss two
coins: <em>X</em> is the first coin's face and <em>Y</em> the second's, each H or T. The <strong>distribution</strong>
of <em>X</em> lists how probable each value is, for instance P(X = H) = p and P(X = T) = 1 − p: numbers from 0 to 1
that add up to 1 (for a continuous variable, a density that integrates to 1).</p>
<p>The <strong>joint distribution</strong> gives a probability to each <em>pair</em> of values at once,
P(X = x, Y = y). The four events (H,H), (H,T), (T,H), (T,T) are mutually exclusive and their probabilities sum to 1.
They are <em>not</em> independent in general: a joint distribution exists precisely to describe how the variables
depend on each other. Summing out one variable gives the <strong>marginal</strong> of the other:</p>
${M.marginal}
<p>The <strong>conditional distribution</strong> of <em>Y</em> given <em>X = x</em> is the joint renormalised to the
row where <em>X = x</em> (defined when P(x) &gt; 0). For each fixed <em>x</em> it is itself a distribution over
<em>y</em>, so every row sums to 1 (for every <em>x</em>), and multiplying back gives the product rule:</p>
${M.conditional}
${M.rowSum}
${M.joint}
<p><em>X</em> and <em>Y</em> are <strong>independent</strong> when knowing <em>x</em> does not change the
distribution of <em>y</em>, that is, when all rows of the conditional table are equal:</p>
${M.independence}
<p>The <strong>mutual information</strong> measures how far a joint is from independence, in bits; it is 0 exactly
when the variables are independent:</p>
${M.mutualInformation}`,
      try: {
        coin: "flip one coin many times: its distribution has one number, p, and the frequency of heads estimates it.",
        joint:
          "set P(Y=H | X=H) = P(Y=H | X=T) and watch the mutual information drop to 0 bits: equal rows mean independence.",
      },
    },
    "two-coins": {
      title: "The article's two-coin example, corrected",
      html: `
<p>The article wants a second coin <em>Y</em> whose distribution depends on the first coin <em>X</em>, and writes:</p>
<pre><code>P(y|x) = p if x is heads else q/2 if y in (heads,tails) else (1-p)/2</code></pre>
<p>Read literally, as the Python-style conditional expression it is written as, this gives P(y | H) = p for both values of
<em>y</em>; for <em>x</em> = T the test “y in (heads, tails)” is always true, so P(y | T) = q/2 for both values, and
the last branch is never reached. The rows then sum to ${M.twoP} and ${M.oneMinusP} instead of 1. At most one row can sum to
1 (at p = ½ the first does, and the second sums to ½), so for no <em>p</em> is this a conditional distribution.
The article also calls the coin fair and then gives it a bias <em>p</em>; a fair coin has p = ½.</p>
<div data-two-coins="as-written"></div>
<p>A correct version in the article's spirit: the first coin has P(X = H) = p and P(X = T) = q = 1 − p. After heads
the second coin is fair; after tails it is the same biased coin again. Each row of P(Y | X) is then a distribution
over <em>Y</em>, and the joint follows from the product rule P(x, y) = P(x) P(y | x). The numbers below are computed
on this page from <em>p</em>, not typed in:</p>
<div data-two-coins="conditional"></div>
<div data-two-coins="joint"></div>
<p data-two-coins="bayes"></p>
<p data-two-coins="information"></p>
<p>Had both rows been equal, P(y | x) would equal P(y) and the coins would be independent.</p>`,
      try: {
        joint:
          "enter the corrected table (p = 0.3; P(Y=H | X=H) = 0.5, P(Y=H | X=T) = 0.3) and read the marginal P(Y=H) = 0.36 and the posterior P(X=H | Y=H) ≈ 0.417.",
      },
    },
    q2: {
      title: "What families of generative models are there?",
      html: `
<p>The article names two types, GAN and VAE. Those are two well-known deep-learning examples, not the families.
A more useful map sorts models by what they let you do with ${M.px}:</p>
<ol>
<li><strong>Explicit, tractable density</strong>: ${M.px} can be written down and computed exactly. Simple
parametric distributions (Bernoulli, Gaussian); naive Bayes and Gaussian discriminant analysis for labelled data;
<strong>autoregressive models</strong>, which use the chain rule (PixelCNN, WaveNet, GPT-style language models);
<strong>normalizing flows</strong>, which push a simple distribution through an invertible map:
${M.autoregressive}${M.flow}</li>
<li><strong>Latent-variable models</strong>: hidden causes <em>z</em> explain the data,
${M.latent}
When the posterior p(z | x) can be computed (Gaussian mixtures, hidden Markov models), they are trained by
<strong>EM</strong> (<a data-section="q5">Q5</a>). When it cannot (the VAE), an approximate posterior is learned by
<strong>variational inference</strong>, maximising a lower bound (<a data-section="vae">VAE</a>).</li>
<li><strong>Implicit models</strong>: you can sample but not evaluate ${M.px}. The GAN is the standard example;
it learns from a discriminator's verdicts instead of a likelihood (<a data-section="gan">GAN</a>).</li>
<li><strong>Energy-based and diffusion models</strong>: an energy-based model defines ${M.px} up to a normalising
constant that is hard to compute,
${M.energy}
and a diffusion (score-based) model learns to undo a process that slowly adds Gaussian noise,
${M.diffusion}
generating data by denoising pure noise step by step.</li>
</ol>
<p>Across all of these runs the distinction between <strong>generative</strong> and <strong>discriminative</strong>
models. A generative model describes the inputs, ${M.px} or ${M.pxy} = p(y) ${M.pxgy}; it can sample inputs and
classify through Bayes' rule. A discriminative model learns only ${M.pygx} (logistic regression, most neural
classifiers) or just a decision boundary (a support-vector machine): it predicts labels but cannot generate data.</p>`,
      try: {
        gaussian:
          "drag ρ: one explicit density gives you the joint, both marginals and every conditional p(y | x₀) in closed form.",
        em: "fit the same points with K = 1, then more components: a latent cluster label turns one Gaussian into a mixture.",
      },
    },
    q3: {
      title: "Common generative models and their characteristics",
      html: `
<p>A compact comparison; “likelihood” means whether ${M.px} can be computed for a given point.</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="Comparison of generative models">
<table class="compare">
<thead><tr><th scope="col">Model</th><th scope="col">What is learned</th><th scope="col">Likelihood?</th>
<th scope="col">Sampling</th><th scope="col">Training signal</th><th scope="col">Typical failure</th></tr></thead>
<tbody>
<tr><th scope="row">Gaussian mixture (GMM)</th><td>weights, means and covariances of K Gaussians</td><td>exact</td>
<td>pick a component, then draw from it: fast</td><td>maximum likelihood by EM</td>
<td>local optima; a component collapses onto one point; wrong K</td></tr>
<tr><th scope="row">Naive Bayes</th><td>p(y) and each feature's p(x<sub>d</sub> | y)</td><td>exact</td>
<td>easy, but ignores correlations between features</td><td>counting (closed-form maximum likelihood)</td>
<td>correlated features counted twice: overconfident probabilities</td></tr>
<tr><th scope="row">Gaussian discriminant analysis</th><td>p(y), a mean per class, covariances (shared: linear boundary; per class: quadratic)</td>
<td>exact</td><td>exact, fast</td><td>closed-form maximum likelihood</td>
<td>classes that are not Gaussian; too many covariance entries in high dimension</td></tr>
<tr><th scope="row">Autoregressive (PixelCNN, GPT)</th><td>each p(x<sub>d</sub> | x<sub>&lt;d</sub>) with a network</td>
<td>exact</td><td>one dimension or token at a time: slow</td><td>maximum likelihood (predict the next piece)</td>
<td>slow sampling; early mistakes compound</td></tr>
<tr><th scope="row">Normalizing flow (RealNVP, Glow)</th><td>an invertible map to a simple base distribution</td>
<td>exact (change of variables)</td><td>fast: invert one pass</td><td>maximum likelihood</td>
<td>layers restricted to cheap Jacobians; samples less sharp</td></tr>
<tr><th scope="row">Variational autoencoder (VAE)</th><td>a decoder p(x | z) and an encoder q(z | x)</td>
<td>lower bound (ELBO)</td><td>fast: draw z, decode</td><td>maximise the ELBO</td>
<td>blurry samples; posterior collapse (the latent is ignored)</td></tr>
<tr><th scope="row">Generative adversarial network (GAN)</th><td>a generator G(z), with a discriminator D</td>
<td>none (implicit)</td><td>fast: one pass of G</td><td>the discriminator's verdicts (a two-player game)</td>
<td>unstable training; mode collapse</td></tr>
<tr><th scope="row">Diffusion / score-based</th><td>a denoising network that reverses gradual noising</td>
<td>lower bound (exact but costly via an ODE)</td><td>many denoising steps: slow</td><td>denoising (a weighted ELBO)</td>
<td>slow sampling; heavy compute</td></tr>
</tbody></table></div>
<p>The GAN and the VAE, which the article describes, are explained correctly in the next two sections.</p>`,
      try: {
        em: "run EM from several seeds on the same data: the final log-likelihoods differ, because EM finds local optima.",
        classify:
          "fit p(x | y) per class and look where the fitted shapes disagree with the points: that is the model's assumption failing, not Bayes' rule.",
      },
    },
    gan: {
      title: "Generative adversarial networks (GANs), correctly",
      html: `
<p>A GAN has two networks. The <strong>generator</strong> turns random noise <em>z</em> ~ ${M.pz} into a sample
${M.Gz}. The <strong>discriminator</strong> ${M.Dx} gives the probability that <em>x</em> is real rather than
generated. The discriminator is trained to <em>tell real from fake</em>; the generator is trained to <em>fool the
discriminator</em>. (The article has this backwards: the discriminator does not try to fool the generator.)</p>
${M.gan}
<p>For a fixed generator the best discriminator is D(x) = p<sub>data</sub>(x) / (p<sub>data</sub>(x) + p<sub>G</sub>(x)),
and with it the generator's objective becomes a Jensen–Shannon divergence between the data and the generated
distribution, smallest when they are equal; then D(x) = ½ everywhere. In practice the generator maximises
log D(G(z)) instead, which gives stronger gradients early on. A GAN never computes ${M.px}: it learns from samples
and the discriminator's verdicts only. Its typical failures are <strong>mode collapse</strong> (the generator covers
only part of the data) and oscillating, unstable training.</p>`,
      try: {
        gan: "train on 2-D data with several clusters and watch whether the generator covers them all or collapses onto one.",
      },
    },
    vae: {
      title: "Variational autoencoders (VAEs), correctly",
      html: `
<p>A VAE is a latent-variable model: a prior ${M.pz}, usually a standard Gaussian that is fixed, not learned, and a
decoder network ${M.pxgz}. The true posterior p(z | x) cannot be computed, so an <strong>encoder</strong>
q<sub>φ</sub>(z | x) approximates it. Both networks are trained together by maximising the
<strong>evidence lower bound (ELBO)</strong>:</p>
${M.elbo}
<p>The first term is the <strong>reconstruction</strong> term: encode <em>x</em>, decode a sampled <em>z</em>, and
score how well the result explains <em>x</em>. The second is the <strong>KL divergence to the prior</strong>: it keeps
the encodings close to ${M.pz}, so that decoding fresh draws from the prior gives sensible data. The bound is tight
when the encoder equals the true posterior (EM is the special case where it can). Gradients pass through the
sampling by the reparameterisation z = μ(x) + σ(x) ε with ε ~ 𝒩(0, I). Typical failures: blurry samples and
<strong>posterior collapse</strong>, where the decoder ignores <em>z</em>.</p>`,
      try: {
        vae: "watch the ELBO rise during training, and how the reconstruction and KL terms pull against each other.",
      },
    },
    q4: {
      title: "What assumptions do probability models make?",
      html: `
<p>Every model is a bundle of assumptions. The common ones, and what breaks them:</p>
<ul>
<li><strong>Independent and identically distributed (i.i.d.) data</strong>: the points are independent draws from one
distribution, so the likelihood is a product:${M.iid}Broken by time series, grouped data and a world that changes
between training and use.</li>
<li><strong>A parametric family</strong>: the truth is (close to) some member of the chosen family: a Bernoulli, a
Gaussian, a mixture of K Gaussians, a network of a given size. If it is not, maximum likelihood finds the member
closest to the truth in KL divergence, which may still be poor.</li>
<li><strong>Independence and conditional independence</strong>: naive Bayes assumes the features are independent
<em>given the class</em> (not independent overall):${M.naiveBayes}When features are correlated within a class, the
same evidence is counted several times and the probabilities become overconfident.</li>
<li><strong>Gaussianity</strong>: one symmetric bump with light tails, fully described by a mean and a covariance, with
only linear dependence between variables. Outliers drag the mean; data with several clusters needs a mixture.</li>
<li><strong>Latent structure</strong>: hidden variables (a cluster label, a low-dimensional code) explain the data,
with a number of clusters or a dimension that you choose.</li>
<li><strong>Support</strong>: where the distribution may put probability. A model that gives probability 0 where data
can occur has log-likelihood −∞ there: a coin estimated as “never heads” from a few tosses, or a Gaussian for a
quantity that cannot be negative. Smoothing (add one to every count) and suitable families fix this.</li>
</ul>`,
      try: {
        coin: "set p = 0.05 and flip only 10 times: the frequency is often exactly 0, a model that says heads never happens.",
        classify:
          "compare the fitted class shapes with the points: where a class is not one Gaussian bump, the Gaussian assumption fails.",
      },
    },
    q5: {
      title: "How does EM train a generative model?",
      html: `
<p>Take a Gaussian mixture with <em>K</em> components and parameters θ: weights π<sub>k</sub>, means
μ<sub>k</sub> and covariances Σ<sub>k</sub>. Maximum likelihood wants to maximise</p>
${M.logLikelihood}
<p>The logarithm of a sum has no closed-form maximiser. But if we knew which component produced each point, fitting
would be easy: fit each Gaussian to its own points. <strong>Expectation–maximisation (EM)</strong> alternates between
guessing those assignments softly and refitting:</p>
<ol>
<li><strong>Initialise</strong>: for instance means at K random data points, every covariance equal to the data's, and
π<sub>k</sub> = 1/K.</li>
<li><strong>E-step</strong>: compute the <strong>responsibilities</strong> ${M.rnk}, the posterior probability that point
<em>n</em> came from component <em>k</em> under the current parameters (each point's responsibilities sum to 1):
${M.responsibilities}</li>
<li><strong>M-step</strong>: refit each component by weighted maximum likelihood, every point weighted by its
responsibility:${M.mStep}</li>
<li>Repeat until the log-likelihood improves by less than a small tolerance.</li>
</ol>
<p><strong>Why it works.</strong> For any responsibilities that sum to 1 per point, Jensen's inequality gives a
<strong>lower bound</strong> on each point's log-likelihood, with equality exactly when the responsibilities are the
posterior, which is what the E-step computes:</p>
${M.lowerBound}
<p>The M-step maximises the bound ℒ over θ, so</p>
${M.monotone}
<p>and the log-likelihood <strong>never decreases</strong> from one iteration to the next. It converges to a
<strong>local</strong> optimum, not necessarily the best one, so the <strong>initialisation</strong> matters: run
from several starts and keep the highest likelihood. A component can also collapse onto a single point, its variance
shrinking to 0 while the likelihood grows without bound; a small floor on the variances prevents it. The number
<em>K</em> is chosen outside EM, for example by the likelihood of held-out data.</p>`,
      try: {
        em: "step one E-step and one M-step at a time: the log-likelihood never goes down; restart with another seed and it may settle on a different local optimum.",
      },
    },
    q6: {
      title: "Can generative models be used for regression and classification?",
      html: `
<p>Yes. <strong>Classification</strong>: model the class prior P(y) and each class's inputs ${M.pxgy}, then classify
with Bayes' rule:</p>
${M.bayes}
<p><strong>Gaussian discriminant analysis</strong> takes a Gaussian per class; with a covariance shared by the
classes the log-odds are linear in <em>x</em>, the same form as logistic regression, only fitted differently:</p>
${M.sharedCovarianceLogOdds}
<p><strong>Naive Bayes</strong> (the classic spam filter) multiplies per-feature probabilities. Generative classifiers
need little data, handle missing features by summing them out, can use unlabelled data, and notice inputs unlike any
class (low ${M.px}). When their assumptions are wrong, a discriminative model trained on many labels usually wins.</p>
<p><strong>Regression</strong>: model (<em>x</em>, <em>y</em>) jointly as a bivariate Gaussian with means μ, standard
deviations σ and correlation ${M.rho}. The conditional distribution of <em>y</em> given <em>x</em> is again
Gaussian, with</p>
${M.gaussianConditionalMean}
${M.gaussianConditionalVariance}
<p>The conditional mean is a straight line with slope ρσ<sub>y</sub>/σ<sub>x</sub> = Cov(x, y)/Var(x): exactly the
least-squares <strong>linear regression</strong> line, now with an error bar. A mixture of Gaussians gives curved
regression the same way.</p>`,
      try: {
        classify:
          "fit p(x | y) for each class and watch Bayes' rule turn the fitted densities into a decision boundary.",
        gaussian:
          "drag ρ and the line x = x₀: the centre of p(y | x₀) moves along the regression line, and its width shrinks as |ρ| approaches 1.",
      },
    },
    q7: {
      title: "What tasks suit generative models best?",
      html: `
<ul>
<li><strong>Sampling and synthesis</strong>: images, audio, text, molecules; extra training data, used with care.</li>
<li><strong>Density estimation and anomaly detection</strong>: fit ${M.px} to normal data and flag a new point <em>x</em> as unusual when ${M.anomaly} for a threshold τ.
(Deep models sometimes give unusual inputs high likelihood, so check on known anomalies.)</li>
<li><strong>Missing data</strong>: condition on what was observed and infer or sample the rest (filling holes in an
image, missing survey answers).</li>
<li><strong>Semi-supervised learning</strong>: unlabelled points shape ${M.px}; a few labels name the clusters.</li>
<li><strong>Classification with little data</strong>: strong assumptions (naive Bayes, Gaussian classes) trade a
little bias for much less variance.</li>
<li><strong>Simulation</strong>: scenarios, synthetic data that keeps statistics but not individuals, models of a
world to plan in.</li>
<li><strong>Understanding uncertainty</strong>: a full distribution says how sure the model is, and latent
variables expose structure such as clusters.</li>
</ul>
<p>They are the less obvious choice when all you need is to predict <em>y</em> from <em>x</em> and you have many
labels: then a discriminative model is usually simpler and at least as accurate.</p>`,
      try: {
        em: "fit a mixture and look at the regions of low density between and outside the clusters: points landing there are what an anomaly detector flags.",
        vae: "decode points from the prior: each is new data the model has never seen, which is synthesis.",
      },
    },
  },
};
