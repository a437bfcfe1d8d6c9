//! The same seed gives the same flips on every machine: these counts are also asserted by the
//! browser test (tests/e2e/coin.test.mjs) against the wasm build, so native and wasm must agree.

use genplay::prob::coin_flips::CoinExperiment;

#[test]
fn seed_42_gives_the_recorded_flips() {
    let mut e = CoinExperiment::new(0.5, 10, 42).unwrap();
    e.step_batches(100);
    assert_eq!(e.heads(), 491);
    assert_eq!(e.histogram(), &[2, 0, 3, 18, 18, 21, 19, 12, 7, 0, 0]);
}
