// The exponential and logistic functions the kernels share, as src/nn/fastmath.rs has them on
// the CPU. src/gpu/nn/mod.rs puts this file before each kernel file that uses them
// (`with_logistic`).

// e^v, clamped as fastmath::exp is so that it never overflows.
fn exp_finite(v: f32) -> f32 {
    return exp(clamp(v, -87.3, 88.3));
}

// The logistic function 1 / (1 + e^-v).
fn sigmoid(v: f32) -> f32 {
    return 1.0 / (1.0 + exp_finite(-v));
}

// ln(1 + v) for v ≥ 0, accurate for tiny v too (fastmath::ln_1p's correction).
fn ln_1p(v: f32) -> f32 {
    let u = 1.0 + v;
    if (u == 1.0) {
        return v;
    }
    return log(u) * (v / (u - 1.0));
}

// ln(1 + e^v), written so that it never overflows.
fn softplus(v: f32) -> f32 {
    return max(v, 0.0) + ln_1p(exp_finite(-abs(v)));
}
