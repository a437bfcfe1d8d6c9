//! Every layer, activation and loss gradient against central finite differences.
//!
//! Checks run in f32 with the scalar objective accumulated in f64; an analytic gradient passes
//! when it agrees with the central difference to a relative error below 1e-3.

use genplay::choice::Choice;
use genplay::nn::{loss, Activation, Dense, Gradients, Initialisation, Mlp, MlpConfig};
use genplay::rng;

/// Step of the five-point difference for smooth functions: large enough that f32 rounding
/// (~1e-7 |f| / EPS) stays small, small enough that the O(EPS⁴) truncation error does too.
const EPS: f32 = 5e-2;
/// One-sided step for piecewise-linear networks (ReLU family), exact on a linear piece.
const KINKED_EPS: f32 = 1e-2;

fn random_vec(len: usize, scale: f32, seed: u64) -> Vec<f32> {
    let mut r = rng::seeded(seed);
    (0..len)
        .map(|_| scale * rng::standard_normal(&mut r) as f32)
        .collect()
}

/// Relative error of an analytic gradient entry against a numeric one; entries far below the
/// gradient's overall size (`norm`) are compared against a floor of 1% of it, where f32
/// rounding would dominate a plain ratio.
fn relative_error(analytic: f32, numeric: f64, norm: f64) -> f64 {
    (analytic as f64 - numeric).abs() / (numeric.abs().max(analytic.abs() as f64) + 0.01 * norm)
}

fn norm_of(values: &[f64]) -> f64 {
    values.iter().map(|n| n * n).sum::<f64>().sqrt().max(1e-3)
}

/// Asserts analytic ≈ numeric entry by entry to a relative error below 1e-3.
fn assert_gradients_match(what: &str, analytic: &[f32], numeric: &[f64]) {
    let norm = norm_of(numeric);
    for (i, (&a, &n)) in analytic.iter().zip(numeric).enumerate() {
        assert!(
            relative_error(a, n, norm) < 1e-3,
            "{what}: entry {i}: analytic {a} vs numeric {n}"
        );
    }
    assert!(
        analytic.iter().any(|a| a.abs() > 1e-4),
        "{what}: all gradients vanish, the check is empty"
    );
}

/// For piecewise-linear networks: a step may cross a ReLU kink on one side, so each entry must
/// match the forward or the backward one-sided difference (exact on a linear piece).
fn assert_gradients_match_one_side(what: &str, analytic: &[f32], sides: &[(f64, f64)]) {
    let norm = norm_of(&sides.iter().map(|s| s.0).collect::<Vec<_>>());
    for (i, (&a, &(forward, backward))) in analytic.iter().zip(sides).enumerate() {
        let error = relative_error(a, forward, norm).min(relative_error(a, backward, norm));
        assert!(
            error < 1e-3,
            "{what}: entry {i}: analytic {a} vs one-sided {forward} / {backward}"
        );
    }
    assert!(
        analytic.iter().any(|a| a.abs() > 1e-4),
        "{what}: empty check"
    );
}

/// Forward and backward differences of `objective`, perturbing `values[i]` in place.
fn one_sided_gradients(
    values: &mut [f32],
    eps: f32,
    mut objective: impl FnMut(&[f32]) -> f64,
) -> Vec<(f64, f64)> {
    let centre = objective(values);
    (0..values.len())
        .map(|i| {
            let saved = values[i];
            values[i] = saved + eps;
            let up = objective(values);
            values[i] = saved - eps;
            let down = objective(values);
            values[i] = saved;
            ((up - centre) / eps as f64, (centre - down) / eps as f64)
        })
        .collect()
}

/// d(objective)/d(values) by the five-point central difference (truncation error O(eps⁴)),
/// perturbing `values[i]` in place.
fn numeric_gradient(
    values: &mut [f32],
    eps: f32,
    mut objective: impl FnMut(&[f32]) -> f64,
) -> Vec<f64> {
    (0..values.len())
        .map(|i| {
            let saved = values[i];
            let mut at = |offset: f32| {
                values[i] = saved + offset;
                objective(values)
            };
            let slope = (8.0 * (at(eps) - at(-eps)) - (at(2.0 * eps) - at(-2.0 * eps)))
                / (12.0 * eps as f64);
            values[i] = saved;
            slope
        })
        .collect()
}

fn weighted_sum(values: &[f32], weights: &[f32]) -> f64 {
    values
        .iter()
        .zip(weights)
        .map(|(&v, &w)| v as f64 * w as f64)
        .sum()
}

#[test]
fn dense_layer_gradients_match_finite_differences_for_wide_and_narrow_shapes() {
    // Wide (tiled kernels), narrow output (dot kernels) and narrow input.
    for &(inputs, outputs, batch) in &[(5, 11, 7), (9, 2, 6), (3, 1, 5), (2, 16, 9)] {
        let layer = Dense::new(inputs, outputs);
        let mut params = vec![0.0; layer.param_count()];
        layer.initialise(&mut params, Initialisation::Xavier, &mut rng::seeded(1));
        let bias_start = inputs * outputs;
        for (i, b) in params[bias_start..].iter_mut().enumerate() {
            *b = 0.1 * i as f32;
        }
        let mut input = random_vec(batch * inputs, 1.0, 2);
        let output_weights = random_vec(batch * outputs, 1.0, 3);
        let mut scratch = vec![0.0; layer.scratch_len()];
        let mut output = vec![0.0; batch * outputs];
        let mut param_grads = vec![0.0; layer.param_count()];
        let mut input_grad = vec![0.0; batch * inputs];
        layer.backward(
            &params,
            &input,
            &output_weights,
            batch,
            Some(&mut param_grads),
            Some(&mut input_grad),
            &mut scratch,
        );

        let mut objective = |p: &[f32], x: &[f32]| {
            layer.forward(p, x, batch, &mut output, &mut scratch);
            weighted_sum(&output, &output_weights)
        };
        let numeric = numeric_gradient(&mut params.clone(), EPS, |p| objective(p, &input));
        let what = format!("dense {inputs}->{outputs}");
        assert_gradients_match(&format!("{what} params"), &param_grads, &numeric);
        let p = params.clone();
        let numeric = numeric_gradient(&mut input, EPS, |x| objective(&p, x));
        assert_gradients_match(&format!("{what} input"), &input_grad, &numeric);
    }
}

#[test]
fn activation_derivatives_match_finite_differences() {
    // Inputs at least 0.125 from ReLU's kink at 0, beyond the stencil's reach of 2·EPS.
    let mut inputs: Vec<f32> = (0..24).map(|i| -3.0 + 0.25 * i as f32 + 0.125).collect();
    let weights = random_vec(inputs.len(), 1.0, 4);
    for activation in [
        Activation::Identity,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Tanh,
        Activation::Sigmoid,
    ] {
        let mut outputs = inputs.clone();
        activation.apply(&mut outputs);
        let mut grads = weights.clone();
        activation.backward(&outputs, &mut grads);
        let numeric = numeric_gradient(&mut inputs, EPS, |x| {
            let mut y = x.to_vec();
            activation.apply(&mut y);
            weighted_sum(&y, &weights)
        });
        assert_gradients_match(activation.label(), &grads, &numeric);
        for (&x, &y) in inputs.iter().zip(&outputs) {
            assert!(
                (activation.of(x) - y).abs() < 1e-6,
                "{}: of() disagrees with apply()",
                activation.label()
            );
        }
    }
}

#[test]
fn mlp_gradients_match_finite_differences_for_every_activation_and_depth() {
    for activation in [
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Tanh,
        Activation::Sigmoid,
    ] {
        for hidden_layers in [0, 1, 3] {
            let kinked = matches!(activation, Activation::Relu | Activation::LeakyRelu);
            let config = MlpConfig {
                inputs: 3,
                hidden_layers,
                hidden_units: 10,
                outputs: 2,
                activation,
                // A smooth output squashing is checked with the smooth activations only: it
                // would bend the linear pieces that the one-sided check of ReLU nets relies on.
                output_activation: if hidden_layers == 1 && !kinked {
                    Activation::Tanh
                } else {
                    Activation::Identity
                },
            };
            let mut mlp = Mlp::new(config, &mut rng::seeded(5)).unwrap();
            let batch = 6;
            let input = random_vec(batch * 3, 1.0, 6);
            let output_weights = random_vec(batch * 2, 1.0, 7);
            let mut workspace = mlp.workspace(batch);
            mlp.forward(&mut workspace, &input, batch);
            mlp.backward(&mut workspace, &output_weights, Gradients::Both);
            let analytic_params = mlp.grads().to_vec();
            let analytic_input = workspace.input_grad().to_vec();

            let what = format!("{} × {hidden_layers}", activation.label());
            let check = |what: &str,
                         analytic: &[f32],
                         values: &mut [f32],
                         objective: &mut dyn FnMut(&[f32]) -> f64| {
                if kinked {
                    let sides = one_sided_gradients(values, KINKED_EPS, objective);
                    assert_gradients_match_one_side(what, analytic, &sides);
                } else {
                    let numeric = numeric_gradient(values, EPS, objective);
                    assert_gradients_match(what, analytic, &numeric);
                }
            };
            let mut params = mlp.params().to_vec();
            let mut probe = mlp.clone();
            let mut probe_workspace = mlp.workspace(batch);
            check(
                &format!("{what} params"),
                &analytic_params,
                &mut params,
                &mut |p| {
                    probe.params_mut().copy_from_slice(p);
                    weighted_sum(
                        probe.forward(&mut probe_workspace, &input, batch),
                        &output_weights,
                    )
                },
            );
            check(
                &format!("{what} input"),
                &analytic_input,
                &mut input.clone(),
                &mut |x| weighted_sum(mlp.forward(&mut probe_workspace, x, batch), &output_weights),
            );

            // Asking for one kind of gradient must give the same numbers as asking for both.
            mlp.forward(&mut workspace, &input, batch);
            mlp.backward(&mut workspace, &output_weights, Gradients::Input);
            assert_eq!(workspace.input_grad(), &analytic_input[..]);
            mlp.backward(&mut workspace, &output_weights, Gradients::Parameters);
            assert_eq!(mlp.grads(), &analytic_params[..]);
        }
    }
}

/// Checks a loss `f(outputs, gradient) -> value` against finite differences of its value.
fn check_loss(what: &str, outputs: &[f32], f: impl Fn(&[f32], &mut [f32]) -> f32) {
    let mut grad = vec![0.0; outputs.len()];
    f(outputs, &mut grad);
    let mut scratch = vec![0.0; outputs.len()];
    let numeric = numeric_gradient(&mut outputs.to_vec(), EPS, |x| f(x, &mut scratch) as f64);
    assert_gradients_match(what, &grad, &numeric);
}

#[test]
fn loss_gradients_match_finite_differences() {
    let outputs: Vec<f32> = random_vec(12, 2.0, 8).iter().map(|x| x + 0.013).collect();
    let labels: Vec<f32> = (0..12).map(|i| (i % 2) as f32).collect();
    let signs: Vec<f32> = labels.iter().map(|l| 2.0 * l - 1.0).collect();
    let soft: Vec<f32> = (0..12).map(|i| i as f32 / 11.0).collect();
    check_loss("bce", &outputs, |x, g| loss::bce_with_logits(x, &labels, g));
    check_loss("bce soft targets", &outputs, |x, g| {
        loss::bce_with_logits(x, &soft, g)
    });
    check_loss("mse", &outputs, |x, g| {
        loss::mean_squared_error(x, &soft, g)
    });
    check_loss("least squares", &outputs, |x, g| {
        loss::least_squares(x, &labels, g)
    });
    check_loss("hinge", &outputs, |x, g| loss::hinge(x, &signs, g));
    check_loss("mean", &outputs, loss::mean);
    check_loss("bernoulli", &outputs, |x, g| {
        loss::bernoulli_log_likelihood(&soft, x, g)
    });
    let log_variance = random_vec(12, 0.5, 9);
    check_loss("gaussian mean", &outputs, |x, g| {
        loss::gaussian_log_likelihood(&soft, x, &log_variance, g, &mut [0.0; 12])
    });
    check_loss("gaussian log-variance", &log_variance, |lv, g| {
        loss::gaussian_log_likelihood(&soft, &outputs, lv, &mut [0.0; 12], g)
    });
}

#[test]
fn loss_values_match_closed_forms() {
    let mut g = [0.0; 2];
    // BCE of logit 0 is ln 2 whatever the label; huge logits stay finite.
    let value = loss::bce_with_logits(&[0.0, 0.0], &[1.0, 0.0], &mut g);
    assert!((value - std::f32::consts::LN_2).abs() < 1e-6);
    let value = loss::bce_with_logits(&[-500.0, 500.0], &[1.0, 0.0], &mut g);
    assert!((value - 500.0).abs() < 1e-3, "{value}");
    assert!((g[0] + 0.5).abs() < 1e-6 && (g[1] - 0.5).abs() < 1e-6);
    // N(0; 0, 1) has log-density -ln(2π)/2.
    let value = loss::gaussian_log_likelihood(&[0.0], &[0.0], &[0.0], &mut [0.0], &mut [0.0]);
    assert!((value + 0.918_938_5).abs() < 1e-6);
    // Bernoulli(1; p = 1/2) has log-probability -ln 2.
    let value = loss::bernoulli_log_likelihood(&[1.0], &[0.0], &mut [0.0]);
    assert!((value + std::f32::consts::LN_2).abs() < 1e-6);
    assert_eq!(loss::hinge(&[2.0, 0.5], &[1.0, 1.0], &mut g), 0.25);
}
