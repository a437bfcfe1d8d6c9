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
      diffusion: "Diffusion lab",
      classify: "Classify lab",
    },
    correctionsTitle: "How this page corrects the source article",
    // One entry per mistake, keyed so that learn.js can check both languages list the same ones.
    corrections: {
      families:
        "It says generative models come in two types, GAN and VAE. Those are two deep-learning examples, " +
        'not the families: see <a data-section="q2">Q2</a> for the map (explicit densities, latent-variable ' +
        "models, implicit models, energy-based models, diffusion models) and the generative / discriminative distinction.",
      "generator-output":
        "It says the generator outputs “the data distribution of the target distribution”. The generator outputs " +
        "samples, one point per noise draw; their distribution is only implicit: it can be sampled, not evaluated " +
        '(<a data-section="gan">GAN</a>).',
      discriminator:
        "It says the discriminator “tries to fool the generator”. It is the other way round: the discriminator " +
        'tries to tell real from generated data, and the generator tries to fool it (<a data-section="gan">GAN</a>).',
      balance:
        "It says that when the two networks reach a balance, the GAN “achieves augmentation and generalisation of the " +
        "data”. At the ideal balance the generator’s distribution equals the data’s, which says nothing about " +
        "generalisation; and real training alternates gradient steps that need not reach any balance at all " +
        '(<a data-section="gan">GAN</a>).',
      "vae-prior":
        "It says a VAE “learns the prior knowledge of the data distribution”. The prior p(z) is usually fixed; " +
        'the encoder and decoder are learned by maximising the ELBO (<a data-section="vae">VAE</a>).',
      "vae-quality":
        "It says a VAE generates new samples “by reconstruction” and that this raises their quality. New data come " +
        "from decoding fresh draws of the prior, not from reconstructing inputs, and VAE samples are typically " +
        'blurrier than a GAN’s, not of higher quality (<a data-section="q3">Q3</a>).',
      "random-variable":
        "It calls a random variable “a string of symbols”. A random variable is a function that gives each " +
        'outcome of an experiment a value (<a data-section="basics">basics</a>).',
      "joint-definition":
        "It defines the joint distribution as a probability “given all the random variables”, as “a function of one " +
        "variable’s value” and as “a set of random variables”. It is none of these: it gives one probability to " +
        'each combination of values of all the variables, P(X = x, Y = y), conditioned on nothing (<a data-section="basics">basics</a>).',
      "joint-independent":
        "It says the events of a joint distribution each occur with an “independent” probability. The events " +
        "(H,H), (H,T), (T,H), (T,T) are mutually exclusive, and mutually exclusive events with positive probability " +
        "are never independent. Whether something is independent is a question about the random variables X and Y, " +
        "and the joint distribution answers it.",
      "conditional-later":
        "It calls a conditional distribution the distribution of a “later” variable that “does not involve the other " +
        "variables”. Conditioning has nothing to do with order in time (P(X | Y) is as good as P(Y | X)), and " +
        "P(y | x) depends on the value x conditioned on: that dependence is the whole point " +
        '(<a data-section="basics">basics</a>).',
      "fair-coin":
        "It calls a coin fair because “heads and tails cannot both come up”. That holds for every coin, biased or " +
        "not: it says the two outcomes are mutually exclusive. A coin is fair when P(H) = P(T) = ½.",
      "two-coin-formula":
        "Its two-coin formula is not a conditional distribution: read as written, its rows sum to 2p and 1 − p " +
        'instead of 1. It also calls the coin fair and then gives it a bias p (<a data-section="two-coins">two coins</a>).',
      "formula-vs-prose":
        "Its formula contradicts its own words: the text says that after heads the second toss is equally likely " +
        "to land either way (probability ½ each), but the formula gives p after heads " +
        '(<a data-section="two-coins">two coins</a>).',
      "coin-vs-outcome":
        "Its two tosses of one coin turn into two coins halfway through, and x is called “the first coin” when it is " +
        "the first toss’s outcome. A coin is the object; X is the random variable that records the face it shows. " +
        'The example works either way, but only if one story is kept (<a data-section="two-coins">two coins</a>).',
      "video-editing":
        "It lists “video editing” as an application. Editing is done by people with software; what generative " +
        "models do for video is synthesis, prediction of later frames and filling in missing or damaged parts " +
        '(<a data-section="q7">Q7</a>).',
      unanswered:
        "It lists seven questions but answers none of Q2–Q7 beyond the GAN/VAE paragraph; each has a section here.",
    },
    glossaryTitle: "Notation: every symbol in the formulas",
    glossary: {
      values:
        "values of the random variables: a data point x, a label or second variable y, a latent (hidden) variable z",
      variables:
        "the random variables themselves (X, Y: the faces shown by the two tosses; in the flow, X the data and Z the base variable)",
      prob: "P: a probability (of a discrete value); p: a probability density or mass function, written p(x | y) when conditioned on y; p<sub>θ</sub> is a model’s, p<sub>data</sub> the data’s, p<sub>G</sub> the generator’s. In the coin examples p alone is a number, the bias P(X = H), as in 2p and 1 − p",
      q: "a second distribution that is chosen, not given: q(z) in EM, the encoder q<sub>φ</sub>(z | x) of the VAE, the forward noising q of diffusion; in KL and JSD any distribution",
      data: "𝒟 = {x<sub>1</sub>, …, x<sub>N</sub>}: the data set of N points, n = 1, …, N indexing them",
      theta: "the parameters of a model (θ<sup>(t)</sup>: their value after iteration t)",
      mixture:
        "K: the number of mixture components, k and j indexing them; π<sub>k</sub>: the weight of component k (the weights sum to 1)",
      gaussian:
        "𝒩(x | μ, Σ): the Gaussian (normal) density with mean μ and covariance Σ; σ: a standard deviation; ρ: a correlation",
      identity: "the identity matrix (𝒩(0, 𝐈): independent standard normal coordinates)",
      r: "r<sub>nk</sub>: the responsibility, the posterior probability that point n came from component k",
      d: "index of a coordinate (a feature) of x",
      logl: "ℓ(θ): the log-likelihood of the data under parameters θ",
      bound:
        "ℒ: the lower bound on the log-likelihood (the ELBO), ℒ(q, θ) in EM and ℒ(θ, φ; x) in the VAE",
      expect: "𝔼: expectation, the mean under the distribution written below it; Var: variance",
      log: "log: the natural logarithm (log<sub>2</sub> counts bits); e: Euler’s number, 2.718…",
      kl: "KL(q ‖ p): the Kullback–Leibler divergence of q from p (zero only when q = p; not symmetric); JSD: the Jensen–Shannon divergence, a symmetric mixture of two KLs",
      mi: "I(X; Y): the mutual information of X and Y",
      t: "t = 1, …, T: the step of a diffusion process (also the iteration of EM), s indexing the steps up to t",
      flow: "f: the invertible map of a flow, which pushes a base sample z to a data point x = f(z); f<sup>−1</sup> maps data back; det: the determinant of its Jacobian",
      energy:
        "E<sub>θ</sub>(x): the energy, low where data are likely; C<sub>θ</sub>: its normalising constant (usually written Z, which would clash with the latent z)",
      diffusion:
        "β<sub>t</sub>: the noise added at diffusion step t; ᾱ<sub>t</sub> = ∏(1 − β<sub>s</sub>): how much of x<sub>0</sub> survives to step t; ε: Gaussian noise, ε<sub>θ</sub> the network that predicts it; L<sub>simple</sub>: the denoising loss. (In the VAE lab β is instead the weight of the KL term.)",
      gan: "G: the generator, D: the discriminator (D*: the best one for a fixed G), V(D, G): the game’s value; min and max over the networks",
      phi: "the encoder’s parameters in a VAE",
      linear:
        "w: the weights and b: the bias of a linear score w<sup>⊤</sup>x + b; ⊤ transposes a vector",
      argmax: "arg max / arg min: the argument at which the maximum / minimum is reached",
      bic: "BIC: the Bayesian information criterion; m: the number of free parameters",
      tau: "a threshold on the density, below which a point is flagged",
    },
    predict: {
      title: "Predict first",
      check: (lab) => `Check in the ${lab}`,
      running: (lab) => `The ${lab} is running the step…`,
      held: "Your prediction held.",
      missed: "Not this time: the lab did something else.",
      pickFirst: "Pick an answer first, then check.",
      notLoaded: "The lab is still loading; try again in a moment.",
      open: (lab) => `Open the ${lab} to see it`,
      link: "Predict first",
      questions: {
        coin: {
          question:
            "The coin lab flips a coin with p = 0.3 a thousand times (seed 42). Where will the running frequency of heads end?",
          options: [
            "within 0.05 of 0.3, but almost surely not exactly on it",
            "exactly on 0.3",
            "more than 0.05 away from 0.3",
          ],
          explain: (n, answer) =>
            `After ${n.flips} flips the frequency is ${n.frequency.toFixed(3)}: ${answer}. Its standard deviation is √(p(1 − p)/n) = ${n.sd.toFixed(3)}, so ending within 0.05 is nearly certain, and ending exactly on 0.3 is rare.`,
        },
        joint: {
          question:
            "The joint lab has P(X = H) = 0.3, and P(Y = H | X) = 0.9 after heads, 0.2 after tails. Both rows are now set to P(Y = H | X) = 0.4. What will the mutual information I(X; Y) be?",
          options: [
            "0 bits: with equal rows the tosses are independent",
            "still more than 0 bits",
            "it cannot be known without sampling pairs",
          ],
          explain: (n, answer) =>
            `It goes from ${n.before.toFixed(3)} bits to ${n.after.toFixed(3)} bits: ${answer}. Equal rows mean P(y | x) = P(y), and then the mutual information is exactly 0; it is computed from the table, without sampling.`,
        },
        gaussian: {
          question:
            "In the Gaussian lab (means 0, σx = 1.5, σy = 1, ρ = 0.7) the red line moves from x₀ = 0 to x₀ = 2. Where does the centre of p(y | x₀) go?",
          options: [
            "up by ρ σy/σx · 2 ≈ 0.93",
            "up by 2, as far as x₀ moved",
            "nowhere: it stays at μy = 0",
          ],
          explain: (n, answer) =>
            `It moves from ${n.before.toFixed(3)} to ${n.after.toFixed(3)}, up by ${n.moved.toFixed(3)}: ${answer}. The centre follows the regression line, whose slope ρσy/σx ≈ 0.467 is less than 1.`,
        },
        em: {
          question:
            "The EM lab starts on the blobs (K = 3, seed 7) and has just done its first E-step. Where will mean 1 go in the M-step?",
          options: [
            "to the average of all the points, each weighted by its responsibility for component 1",
            "to the data point nearest to it",
            "nowhere: the M-step changes only the weights π",
            "somewhere else",
          ],
          explain: (n, answer) =>
            `Mean 1 moves from (${n.before.map((v) => v.toFixed(3)).join(", ")}) to (${n.after.map((v) => v.toFixed(3)).join(", ")}); the responsibility-weighted average of the ${n.points} points, worked out here from the E-step, is (${n.weighted.map((v) => v.toFixed(3)).join(", ")}): ${answer}. That is the M-step's formula for μₖ.`,
        },
        gan: {
          question:
            "The GAN lab trains its healthy preset on the ring (seed 7). G's arrows show which way each fake is pushed. After 1,500 iterations, where will the fakes be?",
          options: [
            "closer to the data: the arrows point up D's belief, toward where D thinks real data are",
            "where they were: G follows D, not the data",
            "farther from the data: the arrows push the fakes away from the real points",
          ],
          explain: (n, answer) =>
            `The distance between the fakes and the data went from ${n.before.toFixed(3)} (iteration 10) to ${n.after.toFixed(3)} (iteration 1,500): ${answer}. D's belief is highest near the real points, so climbing it moves the fakes toward them (not in a straight line: on the way the distance rises and falls as the two networks chase each other).`,
        },
        vae: {
          question:
            "The VAE lab trains on the ring from scratch with β = 20 (the KL term weighted twenty times) for 1,000 iterations. What will the latent map show?",
          options: [
            "every encoding piled onto the prior: centres near 0, spreads near 1, so the map no longer tells points apart",
            "the encodings spread out as at β = 1, each point a tight spot away from the others",
            "something in between: partly pulled in",
          ],
          explain: (n, answer) =>
            `The encodings' mean spread σ is ${n.spread.toFixed(2)}, their centres lie ${n.distance.toFixed(2)} from 0 on average, and the KL is ${n.kl.toFixed(3)}: ${answer}. With the KL weighted twenty times, matching the prior pays more than explaining the data: posterior collapse.`,
        },
        diffusion: {
          question:
            "The diffusion lab (cosine schedule, T = 100) diffuses the ring to its last step, t = T. What is left of the ring in x_t?",
          options: [
            "nothing you could see: x_t is spread as N(0, I), with √ᾱ_T ≈ 0",
            "the ring, only blurred: the noise is added to it",
            "a single point at the centre: the data is shrunk to 0",
          ],
          explain: (n, answer) =>
            `At t = T the mean factor √ᾱ_T is ${n.mean.toExponential(1)} and the cloud's spread is ${n.spread.toFixed(2)} per coordinate: ${answer}. The forward process shrinks the data by √ᾱ_t while the noise grows to variance 1 − ᾱ_t, so at the end only N(0, I) is left, which is why sampling can start from fresh noise.`,
        },
        classify: {
          question:
            "The classify lab fits “Different covariances” with QDA, whose boundary curves. The class density is switched to LDA. What happens to the boundary?",
          options: [
            "it becomes a straight line",
            "it stays curved, only shifted",
            "it disappears: LDA needs classes of equal shape",
          ],
          explain: (n, answer) =>
            `Under QDA the two classes' covariances differ by up to ${n.qdaGap.toFixed(3)}; LDA gives both the same one (difference ${n.ldaGap.toExponential(1)}): ${answer}. With one shared covariance the quadratic terms cancel, and the log-odds are linear in x.`,
        },
      },
    },
    tour: {
      start: "Take the guided tour: the seven labs in order, one stop each",
      resume: (n, total) => `Resume the guided tour at stop ${n} of ${total}`,
      label: "Guided tour",
      progress: (n, total, lab) => `Tour, stop ${n} of ${total}: ${lab}`,
      previous: "← Previous",
      next: "Next →",
      finish: "Finish: back to the course",
      leave: "Leave the tour",
      read: (title) => `Read: ${title}`,
      stops: {
        coin: "Press Play and watch the frequency of heads settle near p: a distribution estimated from data.",
        joint:
          "Drag the table: the marginals, the conditionals and the mutual information follow; equal rows mean independence.",
        gaussian:
          "Drag ρ and the red line x = x₀: p(y | x₀) slides along the regression line and narrows as |ρ| grows.",
        em: "Step E, then M: the colours are the responsibilities, and the lower bound never goes down.",
        gan: "Press Play: D's belief is the heat map, G's arrows push the fakes toward the data; try the failure presets.",
        vae: "Train, then move β: small β reconstructs sharply, large β pulls every encoding onto the prior.",
        classify:
          "Switch the class density between QDA, LDA and naive Bayes and watch the decision boundary change.",
      },
    },
    twoCoins: {
      heads: "H",
      tails: "T",
      firstCoin: "first toss X",
      rowSum: "row sum",
      asWrittenCaption: (p) =>
        `The article's formula read as written, at p = ${p}: each row should be a distribution over Y, but the sums are not 1.`,
      conditionalCaption: (p) =>
        `Corrected: P(Y | X) at p = ${p}. After heads the second toss is fair; after tails it has the same bias. Every row sums to 1.`,
      jointCaption: (p) =>
        `The joint P(X, Y) = P(X) · P(Y | X) at p = ${p}, with its marginals. All four cells sum to 1.`,
      marginalY: "P(Y)",
      marginalX: "P(X)",
      total: "total",
      bayes: (value, pyh) =>
        `Bayes' rule in the other direction: P(X = H | Y = H) = P(H, H) / P(Y = H) = ${value}, with P(Y = H) = ${pyh}.`,
      information: (bits) =>
        `The two tosses are dependent (the rows differ), so their mutual information is above zero: I(X; Y) = ${bits} bits.`,
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
just as good, which is no contradiction: the two kinds answer different questions (see <a data-section="q2">Q2</a>).
The links below show the first three uses in the labs: new data from a trained VAE, the density of a point
under a fitted mixture, and a missing <em>y</em> filled in from an observed <em>x</em>.</p>`,
      try: {
        coin: "set p = 0.3 and press Play: the running frequency of heads settles near 0.3. That law of large numbers is why fitting a distribution to data works at all.",
        vae: "make new data: this link trains a VAE for 2,000 iterations; the points the legend calls “New data” are decoded draws from the prior, points no one gave the model.",
        em: "score a point: after the fit in this link, click any point; the last row of the panel is p(x), the mixture's density there, large inside a cluster and tiny between them.",
        gaussian:
          "fill in what is missing: the red line observes x₀ = 2.5; the slice view beside the plot shows p(y | x₀), the model's answer for the missing y, centred on the regression line.",
      },
    },
    basics: {
      title: "Random variables, joint and conditional distributions",
      html: `
<p>A <strong>random variable</strong> is a function that gives each outcome of a random experiment a value. Toss a
coin twice: <em>X</em> is the face the first toss shows and <em>Y</em> the second's, each H or T. The <strong>distribution</strong>
of <em>X</em> lists how probable each value is, for instance P(X = H) = p and P(X = T) = 1 − p: numbers from 0 to 1
that add up to 1 (for a continuous variable, a density that integrates to 1).</p>
<p>The <strong>joint distribution</strong> gives a probability to each <em>pair</em> of values at once,
P(X = x, Y = y). The four events (H,H), (H,T), (T,H), (T,T) are mutually exclusive, so their probabilities add
up to 1. Mutually exclusive events with positive probability are never independent: if one happens, the others
cannot. What may or may not be independent is the pair of random variables <em>X</em> and <em>Y</em>, and the
joint distribution is what tells: it describes how they depend on each other. Summing out one variable gives the
<strong>marginal</strong> of the other:</p>
${M.marginal}
<p>The <strong>conditional distribution</strong> of <em>Y</em> given <em>X = x</em> is the joint renormalised to the
row where <em>X = x</em> (defined when P(x) &gt; 0). For each fixed <em>x</em> it is itself a distribution over
<em>y</em>, so every row sums to 1 (for every <em>x</em>), and multiplying back gives the product rule:</p>
${M.conditional}
${M.rowSum}
${M.joint}
<p>Conditioning is not about order in time: P(X | Y) is defined in the same way as P(Y | X). And a conditional
distribution does involve the variable conditioned on: in general each value <em>x</em> gives a different row.
<em>X</em> and <em>Y</em> are <strong>independent</strong> exactly when it does not, that is, when all rows of the
conditional table are equal:</p>
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
<p>The article wants a second toss <em>Y</em> whose distribution depends on the first toss <em>X</em>. Its text says
that after heads the second toss lands either way with probability ½, and then it writes:</p>
<pre><code>P(y|x) = p if x is heads else q/2 if y in (heads,tails) else (1-p)/2</code></pre>
<p>Read literally, as the Python-style conditional expression it is written as, this gives P(y | H) = p for both values of
<em>y</em>, not the ½ its text promised; for <em>x</em> = T the test “y in (heads, tails)” is always true, so
P(y | T) = q/2 for both values, and the last branch is never reached. The rows then sum to ${M.twoP} and
${M.oneMinusP} instead of 1. At most one row can sum to 1 (at p = ½ the first does, and the second sums to ½), so for
no <em>p</em> is this a conditional distribution. The article also calls the coin fair, because “heads and tails
cannot both come up” (true of every coin), and then gives it a bias <em>p</em>; a fair coin has p = ½. Halfway
through, its two tosses of one coin also become two coins. Here we keep one story: <em>X</em> and <em>Y</em> are
the faces shown by two tosses, and a “coin” is only the object tossed.</p>
<div data-two-coins="as-written"></div>
<p>A correct version in the article's spirit: the first toss has P(X = H) = p and P(X = T) = q = 1 − p. After heads
the second toss is fair; after tails it has the same bias again. Each row of P(Y | X) is then a distribution
over <em>Y</em>, and the joint follows from the product rule P(x, y) = P(x) P(y | x). The numbers below are computed
on this page from <em>p</em>, not typed in:</p>
<div data-two-coins="conditional"></div>
<div data-two-coins="joint"></div>
<p data-two-coins="bayes"></p>
<p data-two-coins="information"></p>
<p>Had both rows been equal, P(y | x) would equal P(y) and the tosses would be independent.</p>`,
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
<strong>normalizing flows</strong>, which push a simple distribution through an invertible map <em>f</em>: sample
<em>z</em> from the base distribution and output x = f(z); the density of <em>x</em> pulls back through f⁻¹ with the
change-of-variables formula:
${M.autoregressive}${M.flow}</li>
<li><strong>Latent-variable models</strong>: hidden causes <em>z</em> explain the data,
${M.latent}
When the posterior p(z | x) can be computed (Gaussian mixtures, hidden Markov models), they are trained by
<strong>EM</strong> (<a data-section="q5">Q5</a>). When it cannot (the VAE), an approximate posterior is learned by
<strong>variational inference</strong>, maximising a lower bound (<a data-section="vae">VAE</a>).</li>
<li><strong>Implicit models</strong>: you can sample but not evaluate ${M.px}. The GAN is the standard example;
it learns from a discriminator's verdicts instead of a likelihood (<a data-section="gan">GAN</a>).</li>
<li><strong>Energy-based models</strong>: an energy function, low where data are likely, defines ${M.px} up to a
normalising constant that is hard to compute:
${M.energy}
Training must work around the constant (contrastive divergence, score matching); sampling needs a Markov chain
such as Langevin dynamics.</li>
<li><strong>Diffusion models</strong>: a fixed forward process slowly adds Gaussian noise over <em>T</em> steps,
${M.diffusion}
and a network learns the reverse step, one denoising move at a time:
${M.diffusionReverse}
Trained to predict the noise that was added, with the loss
${M.diffusionLoss}
they generate data by denoising pure noise step by step. Formally a diffusion model is a latent-variable model
whose latents are the noisy versions x<sub>1</sub>, …, x<sub>T</sub>; its training bound is an ELBO, like the
VAE's (the loss above is a reweighted form of it). Its other name, score-based model, comes from what the network
learns: the score ∇ log p of the noisy data, which, like an energy's gradient, does not need the normalising
constant.</li>
</ol>
<p>Across all of these runs the distinction between <strong>generative</strong> and <strong>discriminative</strong>
models. A generative model describes the inputs, ${M.px} or ${M.pxy} = p(y) ${M.pxgy}; it can sample inputs and
classify through Bayes' rule. A discriminative model learns only ${M.pygx} (logistic regression, most neural
classifiers) or just a decision boundary (a support-vector machine): it predicts labels but cannot generate data.</p>`,
      try: {
        gaussian:
          "drag ρ: one explicit density gives you the joint, both marginals and every conditional p(y | x₀) in closed form.",
        em: "fit the same points with K = 1, then more components: a latent cluster label turns one Gaussian into a mixture.",
        diffusion:
          "drag t from 0 to T and watch the data fade into N(0, I), then run the reverse process: a trained network turns fresh noise back into data, one small step at a time.",
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
<tr data-model="gmm"><th scope="row">Gaussian mixture (GMM)</th><td>weights, means and covariances of K Gaussians</td><td>exact</td>
<td>pick a component, then draw from it: fast</td><td>maximum likelihood by EM</td>
<td>poor stationary points; a component collapses onto one point; wrong K</td></tr>
<tr data-model="naive-bayes"><th scope="row">Naive Bayes</th><td>p(y) and each feature's p(x<sub>d</sub> | y)</td><td>exact</td>
<td>easy, but ignores correlations between features</td><td>counting (closed-form maximum likelihood)</td>
<td>correlated features counted twice: overconfident probabilities</td></tr>
<tr data-model="gda"><th scope="row">Gaussian discriminant analysis</th><td>p(y), a mean per class, covariances (shared: linear boundary; per class: quadratic)</td>
<td>exact</td><td>exact, fast</td><td>closed-form maximum likelihood</td>
<td>classes that are not Gaussian; too many covariance entries in high dimension</td></tr>
<tr data-model="autoregressive"><th scope="row">Autoregressive (PixelCNN, GPT)</th><td>each p(x<sub>d</sub> | x<sub>&lt;d</sub>) with a network</td>
<td>exact</td><td>one dimension or token at a time: slow</td><td>maximum likelihood (predict the next piece)</td>
<td>slow sampling; early mistakes compound</td></tr>
<tr data-model="flow"><th scope="row">Normalizing flow (RealNVP, Glow)</th><td>an invertible map from a simple base distribution</td>
<td>exact (change of variables)</td><td>fast: one pass of the map</td><td>maximum likelihood</td>
<td>layers restricted to cheap Jacobians; samples less sharp</td></tr>
<tr data-model="ebm"><th scope="row">Energy-based model (EBM)</th><td>an energy E<sub>θ</sub>(x), low where data are likely</td>
<td>only up to the normalising constant</td><td>a Markov chain (Langevin dynamics): slow</td>
<td>contrastive divergence or score matching</td><td>chains that mix slowly; training unstable when the samples are poor</td></tr>
<tr data-model="vae"><th scope="row">Variational autoencoder (VAE)</th><td>a decoder p(x | z) and an encoder q(z | x)</td>
<td>lower bound (ELBO)</td><td>fast: draw z, decode</td><td>maximise the ELBO</td>
<td>blurry samples; posterior collapse (the latent is ignored)</td></tr>
<tr data-model="gan"><th scope="row">Generative adversarial network (GAN)</th><td>a generator G(z), with a discriminator D</td>
<td>none (implicit)</td><td>fast: one pass of G</td><td>the discriminator's verdicts (a two-player game)</td>
<td>unstable training; mode collapse</td></tr>
<tr data-model="diffusion"><th scope="row">Diffusion / score-based</th><td>a denoising network that reverses gradual noising</td>
<td>lower bound (ELBO); exact but costly via an ODE</td><td>many denoising steps: slow</td><td>denoising (a weighted ELBO)</td>
<td>slow sampling; heavy compute</td></tr>
</tbody></table></div>
<p><strong>Why VAEs blur and GANs collapse.</strong> Two models can be wrong in opposite directions, and the
divergence they are trained with decides which. The KL divergence is not symmetric:</p>
${M.klDefinition}
<p>Maximum likelihood, and with it the VAE's ELBO, minimises the <strong>forward</strong> KL, with the data's
distribution first:</p>
${M.forwardKl}
<p>It is an average over the data, and it is infinite wherever the data have mass and the model has none. So a
model too simple to fit every cluster spreads its mass over all of them, bridges included: it is
<strong>mode-covering</strong>, and its samples fall between the clusters, which in images looks like blur. The
<strong>reverse</strong> KL averages over the model's own samples instead:</p>
${M.reverseKl}
<p>It punishes mass where there are no data, and costs nothing for a cluster the model ignores: it is
<strong>mode-seeking</strong>. The original GAN minimises the Jensen–Shannon divergence (<a data-section="gan">GAN</a>),
which in practice behaves like it: a generator can score well on a few clusters and drop the rest, which is
<strong>mode collapse</strong>. In the labs: the GAN lab's “Failure: mode collapse” preset (<code>mode_collapse</code>)
crowds its fakes onto one cluster of the ring, and the VAE lab's β, the weight of its KL term, shows the other side:
at ${M.betaTwenty} the encodings are pulled onto the prior, the decoder can no longer tell points apart, and its
outputs shrink toward the average of the data.</p>
<p>The GAN and the VAE, which the article describes, are explained correctly in the next two sections.</p>`,
      try: {
        em: "run EM from several seeds on the same data: the final log-likelihoods differ, because EM stops at whatever stationary point it reaches first.",
        classify:
          "fit p(x | y) per class and look where the fitted shapes disagree with the points: that is the model's assumption failing, not Bayes' rule.",
        gan: "mode-seeking: this link trains the mode_collapse preset for 3,000 iterations on the ring; the fakes crowd onto one of the eight clusters.",
        vae: "the KL's pull: this link trains with β = 20; compare the decoded prior samples with the ring at β = 1, then set β back to 1 and watch them spread again.",
      },
    },
    gan: {
      title: "Generative adversarial networks (GANs), correctly",
      html: `
<p>A GAN has two networks. The <strong>generator</strong> turns random noise <em>z</em> ~ ${M.pz} into a sample
${M.Gz}. The <strong>discriminator</strong> ${M.Dx} gives the probability that <em>x</em> is real rather than
generated. The discriminator is trained to <em>tell real from fake</em>; the generator is trained to <em>fool the
discriminator</em>. (The article has this backwards: the discriminator does not try to fool the generator.) The
generator outputs samples, not a distribution: the distribution p<sub>G</sub> of its outputs is only implicit.</p>
${M.gan}
<p>For a fixed generator the best discriminator, and the value of the game with it, are</p>
${M.ganOptimum}
<p>with the Jensen–Shannon divergence</p>
${M.jsd}
<p>So with the optimal discriminator the generator minimises 2·JSD − log 4, smallest (−log 4) exactly when
p<sub>G</sub> = p<sub>data</sub>; then D*(x) = ½ everywhere. That equilibrium assumes networks of unlimited capacity and
a discriminator trained to its optimum at every step. Real training alternates a few gradient steps for each
network, and such alternating steps need not converge at all: they can circle or oscillate around the equilibrium.
In practice the generator maximises log D(G(z)) instead of minimising log(1 − D(G(z))), which gives stronger
gradients early on, when the discriminator easily rejects the fakes. A GAN never computes ${M.px}: it learns from
samples and the discriminator's verdicts only. Its typical failures are <strong>mode collapse</strong> (the generator
covers only part of the data) and oscillating, unstable training. Reaching the balance would not by itself mean
the GAN “generalises” or “augments” the data: at best its samples follow the training distribution.</p>`,
      try: {
        gan: "train on 2-D data with several clusters and watch whether the generator covers them all or collapses onto one.",
      },
    },
    vae: {
      title: "Variational autoencoders (VAEs), correctly",
      html: `
<p>A VAE is a latent-variable model: a prior ${M.pz}, usually a standard Gaussian that is fixed, not learned, and a
decoder network ${M.pxgz}. The true posterior p(z | x) cannot be computed, so an <strong>encoder</strong>
q<sub>φ</sub>(z | x) approximates it. The identity derived for EM in <a data-section="q5">Q5</a> holds here too,
with the encoder in the place of q:</p>
${M.vaeDecomposition}
<p>The KL term is at least 0, so ℒ is a lower bound on the log-likelihood, the <strong>evidence lower bound
(ELBO)</strong>. Both networks are trained together by maximising it:</p>
${M.elbo}
<p>Two things differ from EM. The posterior is out of reach, so the gap KL(q<sub>φ</sub> ‖ p<sub>θ</sub>(z | x)) is
not zero: a Gaussian encoder can only approximate it. And q is <strong>amortised</strong>: instead of a separate
E-step for every point, one encoder network maps any <em>x</em> to its q<sub>φ</sub>(z | x), and one gradient step
improves the encoder and the decoder together. The bound is tight only when the encoder equals the true posterior;
EM is the special case where it can.</p>
<p>The first term of the ELBO is the <strong>reconstruction</strong> term: encode <em>x</em>, decode a sampled
<em>z</em>, and score how well the result explains <em>x</em>. The second is the <strong>KL divergence from the
prior</strong>: it keeps the encodings close to ${M.pz}, so that decoding fresh draws from the prior gives sensible
data. That is how a VAE makes new data: it decodes draws from the prior; it does not reconstruct inputs. Gradients
pass through the sampling by the reparameterisation ${M.reparameterisation} with ε ~ 𝒩(0, 𝐈). Typical failures: blurry
samples and <strong>posterior collapse</strong>, where the decoder ignores <em>z</em>.</p>`,
      try: {
        vae: "watch the ELBO rise during training, and how the reconstruction and KL terms pull against each other.",
      },
    },
    q4: {
      title: "What assumptions do probability models make?",
      html: `
<p>Every model is a bundle of assumptions. The common ones, and what breaks them:</p>
<ul>
<li><strong>Independent and identically distributed (i.i.d.) data</strong>: the ${M.N} points x<sub>1</sub>, …,
x<sub>N</sub> are independent draws from one distribution, so the likelihood is a product:${M.iid}Broken by time
series, grouped data and a world that changes between training and use.</li>
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
<li><strong>Support</strong>: the set of values where the distribution puts probability, which should match where
data can occur. Too small, and the model gives probability 0 to data that do occur: its log-likelihood is −∞ there,
as for a coin estimated as “never heads” from a few tosses. Too large, and it wastes probability on values no data
can take: a Gaussian fitted to a quantity that cannot be negative (a waiting time, a price) puts mass below 0,
where no data will ever fall, and so has too little where the data are. Smoothing (add one to every count) fixes the
first; a family with the right support (log-normal or gamma for positive quantities) fixes the second.</li>
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
μ<sub>k</sub> and covariances Σ<sub>k</sub>. Its density is</p>
${M.gmm}
<p>and, for ${M.N} data points x<sub>1</sub>, …, x<sub>N</sub>, maximum likelihood wants to maximise</p>
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
<p><strong>Why it works.</strong> Write <em>z</em> for the hidden component of one point and take <em>any</em>
distribution q(z). The log-likelihood splits exactly into two parts:</p>
${M.decomposition}
<p>where ${M.L} is the <strong>lower bound</strong></p>
${M.boundDefinition}
<p>The identity follows from p(x, z | θ) = p(z | x, θ) p(x | θ): put it into ${M.L}, and the part that is not
log p(x | θ) is −KL. Because a KL divergence is never negative, ${M.L} ≤ log p(x | θ) for every q. The two steps of
EM take turns on the two parts:</p>
<ul>
<li>The <strong>E-step</strong> chooses q to be the posterior under the current parameters, which makes the KL
zero and the bound touch the log-likelihood:${M.eStep}</li>
<li>The <strong>M-step</strong> keeps q fixed and maximises ${M.L} over θ. The second term of ${M.L} does not depend on
θ, so this maximises the <strong>expected complete-data log-likelihood</strong>, whose solution is the weighted fit
above:${M.completeData}</li>
</ul>
<p>Together (with q = r):</p>
${M.monotone}
<p>and the log-likelihood <strong>never decreases</strong> from one iteration to the next. It converges to a
<strong>stationary point</strong> of the likelihood: usually a local maximum, occasionally a saddle point, not
necessarily the best one. So the <strong>initialisation</strong> matters: run from several starts and keep the highest
likelihood. A component can also collapse onto a single point, its variance shrinking to 0 while the likelihood
grows without bound; a small floor on the variances prevents it.</p>
<p><strong>k-means is hard EM.</strong> Give every component the same spherical covariance σ²𝐈 and let σ shrink to
0: each responsibility becomes 1 for the nearest mean and 0 for the others,</p>
${M.kMeans}
<p>and the M-step moves each mean to the average of its points. That is k-means: an E-step with hard assignments.
(The EM lab's “k-means++” start borrows its way of spreading the first means.)</p>
<p><strong>Choosing K.</strong> The likelihood always grows with <em>K</em>, so it cannot choose <em>K</em> by itself.
The <strong>Bayesian information criterion</strong> adds to −2ℓ a penalty of log N for each of the
<em>m</em> free parameters (for a full-covariance mixture in two dimensions, m = 6K − 1), with ${M.N} the number of
points:</p>
${M.bic}
<p>The smallest BIC wins. The EM lab's BIC view fits K = 1 to 16 and marks the best; held-out likelihood is the other
common choice.</p>`,
      try: {
        em: "step one E-step and one M-step at a time: the log-likelihood never goes down; restart with another seed and it may settle on a different stationary point; press the BIC button to see which K it prefers; then pick the ring with K = 16: many small Gaussians trace a shape that no single one fits.",
      },
    },
    q6: {
      title: "Can generative models be used for regression and classification?",
      html: `
<p>Yes. <strong>Classification</strong>: model the class prior P(y) and each class's inputs ${M.pxgy}, then classify
with Bayes' rule:</p>
${M.bayes}
<p><strong>Gaussian discriminant analysis</strong> takes a Gaussian per class; with a covariance Σ shared by the
classes (linear discriminant analysis, LDA) the log-odds are linear in <em>x</em>, the same form as logistic
regression, only fitted differently:</p>
${M.sharedCovarianceLogOdds}
<p>LDA computes the weights ${M.w} and the bias ${M.b} in closed form from the class means μ<sub>0</sub>,
μ<sub>1</sub>, the shared covariance and the priors; logistic regression instead searches for the ${M.w} and ${M.b} that
best predict the labels:</p>
${M.ldaWeights}
<p><strong>Naive Bayes</strong> (the classic spam filter) multiplies per-feature probabilities. Generative classifiers
approach their own best accuracy, the <em>asymptotic</em> one that unlimited data would give, with fewer examples
than discriminative ones; but that asymptotic accuracy is often lower, because it is limited by how wrong the
assumptions are. So they tend to win on small training sets and lose on large ones (Ng and Jordan, 2002). They also
handle missing features by summing them out, can use unlabelled data, and notice inputs unlike any class (low
${M.px}).</p>
<p><strong>An exercise.</strong> Open the Classify lab with the first link below: ten points from the lab's two
Gaussian classes, with LDA's line (solid) and the logistic-regression line (dashed) after 5,000 gradient steps.
Both classify all ten training points correctly (100%), so training accuracy cannot tell them apart; but the
lines are 17° apart (18° at the logistic optimum, which the table beside the plot lists). Scored on 1,000 fresh
points from the same two Gaussians, LDA's line gets 88.5% right and the logistic line 88.0%; over twenty
different sets of ten points the averages are 84.6% against 83.5%. Now open the second link, all 200 points: the
two lines agree to within 0.2° and both get 89.5% of the training points right; on the fresh points they score
87.7% and 87.8%. In two dimensions with truly
Gaussian classes the gap is small; it grows with the number of features. When the classes are not Gaussian the
order flips with enough data: on the “Two moons” preset with all 200 points, the logistic line scores 87.3% on fresh
points and LDA's 86.1%.</p>
<p class="exercise-links"><a data-exercise="small" href="#/classify?preset=custom&amp;points=-1.32,0.15,0;-1.97,0.97,0;-1.26,-1.03,0;-0.96,-0.36,0;-1.12,-0.73,0;1.47,1.31,1;0.78,-0.47,1;0.55,0.12,1;2.49,1.88,1;1.93,1.43,1&amp;family=lda&amp;show=heatmap,boundary,ellipses,points,lines,unusual&amp;steps=5000">10 training points (#/classify?preset=custom&amp;…)</a>
· <a data-exercise="large" href="#/classify?preset=two_gaussians&amp;seed=7&amp;family=lda&amp;show=heatmap,boundary,ellipses,points,lines,unusual&amp;steps=5000">200 training points (#/classify?preset=two_gaussians&amp;seed=7&amp;…)</a></p>
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
          "fit p(x | y) for each class and watch Bayes' rule turn the fitted densities into a decision boundary; then do the exercise above with its two links.",
        gaussian:
          "drag ρ and the line x = x₀: the centre of p(y | x₀) moves along the regression line, and its width shrinks as |ρ| approaches 1.",
      },
    },
    q7: {
      title: "What tasks suit generative models best?",
      html: `
<ul>
<li><strong>Sampling and synthesis</strong>: images, audio, video, text, molecules; extra training data, used with care.</li>
<li><strong>Density estimation and anomaly detection</strong>: fit ${M.px} to normal data and flag a new point <em>x</em> as unusual when ${M.anomaly} for a threshold τ.
(Deep models sometimes give unusual inputs high likelihood, so check on known anomalies.)</li>
<li><strong>Missing data</strong>: condition on what was observed and infer or sample the rest (filling holes in an
image or gaps in a video, missing survey answers).</li>
<li><strong>Semi-supervised learning</strong>: unlabelled points shape ${M.px}; a few labels name the clusters.</li>
<li><strong>Classification with little data</strong>: strong assumptions (naive Bayes, Gaussian classes) trade a
little bias for much less variance.</li>
<li><strong>Simulation</strong>: scenarios, and models of a world to plan in.</li>
<li><strong>Synthetic data</strong>, with a caution: data drawn from a model are not automatically private.
Generative models can memorise training records and reproduce them nearly verbatim, so “keeps the statistics but not
the individuals” holds only with a guarantee such as differential privacy in training, and checks for copied
records.</li>
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
