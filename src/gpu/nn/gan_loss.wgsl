// The four games' losses on the discriminator's outputs, with their gradients, as
// src/gan/game.rs computes them on the CPU (through src/nn/loss.rs), term by term.
//
// One workgroup does the whole batch: each invocation walks every 256th output, writes its
// gradient and adds up its loss terms; a tree reduction in workgroup memory then sums the 256
// partial sums, and the loss lands in `stats[game.stat]`.

// The games, numbered as gan::GanLoss (tests/gpu_nn.rs checks that they agree).
const MINIMAX: u32 = 0u;
const NON_SATURATING: u32 = 1u;
const LEAST_SQUARES: u32 = 2u;
const HINGE: u32 = 3u;
// Which network's step: the discriminator scores real then fake samples, the generator's step
// scores fakes only.
const DISCRIMINATOR: u32 = 0u;
const GENERATOR: u32 = 1u;

const LANES: u32 = 256u;

struct Game {
    rows: u32,
    // In the discriminator's step the first `real_rows` outputs are real samples.
    real_rows: u32,
    game: u32,
    phase: u32,
    stat: u32,
    unused_a: u32,
    unused_b: u32,
    unused_c: u32,
}

@group(0) @binding(0) var<uniform> game: Game;
@group(0) @binding(1) var<storage, read> outputs: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;

var<workgroup> partial: array<f32, 256>;

// One output's loss term and its gradient (`scale` = 1 / rows): the terms the CPU's mean losses
// add up, with the game's own factors on the gradient.
fn term(x: f32, real: bool, scale: f32) -> vec2<f32> {
    let t = select(0.0, 1.0, real);
    if (game.phase == DISCRIMINATOR) {
        // Twice the average over real and fake: the real mean plus the fake mean.
        switch game.game {
            case LEAST_SQUARES: {
                let d = x - t;
                return vec2(d * d, 2.0 * d * scale * 0.5 * 2.0);
            }
            case HINGE: {
                let sign = 2.0 * t - 1.0;
                let margin = 1.0 - sign * x;
                return vec2(max(margin, 0.0), select(0.0, -sign * scale, margin > 0.0) * 2.0);
            }
            default: {
                return vec2(softplus(x) - t * x, (sigmoid(x) - t) * scale * 2.0);
            }
        }
    }
    switch game.game {
        // Minimising log(1 - D(G(z))): the negated cross-entropy against "fake".
        case MINIMAX: { return vec2(softplus(x), -((sigmoid(x) - 0.0) * scale)); }
        case LEAST_SQUARES: {
            let d = x - 1.0;
            return vec2(d * d, 2.0 * d * scale * 0.5);
        }
        // Minus the mean score.
        case HINGE: { return vec2(x, -scale); }
        // Non-saturating: the cross-entropy against "real".
        default: { return vec2(softplus(x) - x, (sigmoid(x) - 1.0) * scale); }
    }
}

// The loss from the sum of the terms, with the game's own factor.
fn loss(total: f32, scale: f32) -> f32 {
    let mean = total * scale;
    if (game.phase == DISCRIMINATOR) {
        if (game.game == LEAST_SQUARES) {
            return 2.0 * (0.5 * mean);
        }
        return 2.0 * mean;
    }
    switch game.game {
        case MINIMAX, HINGE: { return -mean; }
        case LEAST_SQUARES: { return 0.5 * mean; }
        default: { return mean; }
    }
}

@compute @workgroup_size(256)
fn gan_loss(@builtin(local_invocation_index) lane: u32) {
    let scale = 1.0 / f32(game.rows);
    var total = 0.0;
    for (var i = lane; i < game.rows; i += LANES) {
        let value = term(outputs[i], i < game.real_rows, scale);
        grad[i] = value.y;
        total += value.x;
    }
    partial[lane] = total;
    workgroupBarrier();
    for (var half = LANES / 2u; half > 0u; half /= 2u) {
        if (lane < half) {
            partial[lane] += partial[lane + half];
        }
        workgroupBarrier();
    }
    if (lane == 0u) {
        stats[game.stat] = loss(partial[0], scale);
    }
}
