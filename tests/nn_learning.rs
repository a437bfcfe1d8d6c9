//! Small networks learn small problems, and the optimizers take the steps their formulas say.

use genplay::nn::{loss, Activation, Gradients, Mlp, MlpConfig, Optimizer, OptimizerKind};
use genplay::rng;

fn adam(lr: f32, count: usize) -> Optimizer {
    Optimizer::new(
        OptimizerKind::Adam {
            beta1: 0.9,
            beta2: 0.999,
        },
        lr,
        count,
    )
}

#[test]
fn mlp_learns_xor_to_a_cross_entropy_below_0_05() {
    let config = MlpConfig {
        inputs: 2,
        hidden_layers: 1,
        hidden_units: 8,
        outputs: 1,
        activation: Activation::Tanh,
        output_activation: Activation::Identity,
    };
    let mut mlp = Mlp::new(config, &mut rng::seeded(3)).unwrap();
    let inputs = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let targets = [0.0, 1.0, 1.0, 0.0];
    let mut workspace = mlp.workspace(4);
    let mut optimizer = adam(0.05, mlp.param_count());
    let mut grad = [0.0; 4];
    let mut first = f32::NAN;
    let mut last = f32::NAN;
    for step in 0..500 {
        let logits = mlp.forward(&mut workspace, &inputs, 4);
        last = loss::bce_with_logits(logits, &targets, &mut grad);
        if step == 0 {
            first = last;
        }
        mlp.backward(&mut workspace, &grad, Gradients::Parameters);
        let (params, grads) = mlp.params_and_grads();
        optimizer.step(params, grads);
    }
    assert!(
        first > 0.6,
        "an untrained net cannot beat chance on XOR: {first}"
    );
    assert!(last < 0.05, "XOR cross-entropy after 500 steps: {last}");
    let logits = mlp.forward(&mut workspace, &inputs, 4);
    for (logit, target) in logits.iter().zip(targets) {
        assert_eq!(*logit > 0.0, target == 1.0, "XOR misclassified: {logits:?}");
    }
}

#[test]
fn mlp_fits_sine_on_minus_pi_to_pi_to_a_mean_squared_error_below_0_01() {
    let config = MlpConfig {
        inputs: 1,
        hidden_layers: 2,
        hidden_units: 32,
        outputs: 1,
        activation: Activation::Tanh,
        output_activation: Activation::Identity,
    };
    let mut mlp = Mlp::new(config, &mut rng::seeded(4)).unwrap();
    let n = 64;
    let xs: Vec<f32> = (0..n)
        .map(|i| -std::f32::consts::PI + std::f32::consts::TAU * i as f32 / (n - 1) as f32)
        .collect();
    let ys: Vec<f32> = xs.iter().map(|x| x.sin()).collect();
    let mut workspace = mlp.workspace(n);
    let mut optimizer = adam(0.01, mlp.param_count());
    let mut grad = vec![0.0; n];
    let mut error = f32::NAN;
    for _ in 0..1500 {
        let predictions = mlp.forward(&mut workspace, &xs, n);
        error = loss::mean_squared_error(predictions, &ys, &mut grad);
        mlp.backward(&mut workspace, &grad, Gradients::Parameters);
        let (params, grads) = mlp.params_and_grads();
        optimizer.step(params, grads);
    }
    assert!(
        error < 0.01,
        "sine regression MSE after 1500 steps: {error}"
    );
    // Between the training points too.
    let probe = [0.5f32, -2.0, 2.9];
    let predictions = mlp.forward(&mut workspace, &probe, 3).to_vec();
    for (x, p) in probe.iter().zip(predictions) {
        assert!((p - x.sin()).abs() < 0.15, "sin({x}) predicted {p}");
    }
}

#[test]
fn sgd_with_momentum_recovers_a_linear_map() {
    // y = 3x - 1 is exactly a dense layer with weight 3 and bias -1.
    let config = MlpConfig {
        inputs: 1,
        hidden_layers: 0,
        hidden_units: 1,
        outputs: 1,
        activation: Activation::Relu,
        output_activation: Activation::Identity,
    };
    let mut mlp = Mlp::new(config, &mut rng::seeded(5)).unwrap();
    let xs: Vec<f32> = (0..16).map(|i| i as f32 / 8.0 - 1.0).collect();
    let ys: Vec<f32> = xs.iter().map(|x| 3.0 * x - 1.0).collect();
    let mut workspace = mlp.workspace(16);
    let mut optimizer = Optimizer::new(OptimizerKind::Sgd { momentum: 0.9 }, 0.05, 2);
    let mut grad = vec![0.0; 16];
    for _ in 0..300 {
        let predictions = mlp.forward(&mut workspace, &xs, 16);
        loss::mean_squared_error(predictions, &ys, &mut grad);
        mlp.backward(&mut workspace, &grad, Gradients::Parameters);
        let (params, grads) = mlp.params_and_grads();
        optimizer.step(params, grads);
    }
    let params = mlp.params();
    assert!(
        (params[0] - 3.0).abs() < 1e-3 && (params[1] + 1.0).abs() < 1e-3,
        "{params:?}"
    );
    assert_eq!(optimizer.steps(), 300);
}

#[test]
fn adam_first_step_moves_every_parameter_by_the_learning_rate_against_its_gradient() {
    // After one step the bias-corrected moments are g and g², so the update is lr·g/|g|.
    let mut params = vec![1.0, 2.0, 3.0, 4.0];
    let grads = vec![0.5, -20.0, 1e-3, -1e-2];
    let mut optimizer = adam(0.1, 4);
    optimizer.step(&mut params, &grads);
    let expected = [0.9, 2.1, 2.9, 4.1];
    for (p, e) in params.iter().zip(expected) {
        assert!((p - e).abs() < 1e-5, "{params:?}");
    }
    optimizer.reset();
    assert_eq!(optimizer.steps(), 0);
}

#[test]
fn parameter_counts_and_gradient_norm_follow_the_shapes() {
    let config = MlpConfig {
        inputs: 2,
        hidden_layers: 2,
        hidden_units: 64,
        outputs: 1,
        activation: Activation::LeakyRelu,
        output_activation: Activation::Identity,
    };
    let mut mlp = Mlp::new(config, &mut rng::seeded(6)).unwrap();
    assert_eq!(mlp.param_count(), (2 * 64 + 64) + (64 * 64 + 64) + (64 + 1));
    let mut workspace = mlp.workspace(3);
    mlp.forward(&mut workspace, &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 3);
    mlp.backward(&mut workspace, &[1.0, 1.0, 1.0], Gradients::Parameters);
    let by_hand = mlp.grads().iter().map(|g| g * g).sum::<f32>().sqrt();
    assert!((mlp.grad_norm() - by_hand).abs() < 1e-6 * by_hand);
    // The output bias's gradient is the sum of the output gradients.
    assert_eq!(*mlp.grads().last().unwrap(), 3.0);
    let too_wide = MlpConfig {
        hidden_units: 1025,
        ..config
    };
    let message = Mlp::new(too_wide, &mut rng::seeded(6))
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "hidden_units = 1025 is not allowed: hidden_units must be a whole number from 1 to 1024"
    );
}
