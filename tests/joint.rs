//! Checks of the discrete joint distributions against closed forms, hand-computed tables and
//! seeded sampling.

use genplay::prob::joint::{bayes, EmpiricalJoint, JointError, JointTable, Variable};
use genplay::rng;
use ndarray::{arr1, arr2, Array2};

fn assert_close(got: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (got - expected).abs() <= tolerance,
        "{what}: got {got}, expected {expected} (tolerance {tolerance:e})"
    );
}

fn assert_tables_close(got: &Array2<f64>, expected: &Array2<f64>, tolerance: f64, what: &str) {
    assert_eq!(got.dim(), expected.dim(), "{what}: shapes differ");
    for ((i, j), &value) in got.indexed_iter() {
        assert_close(
            value,
            expected[[i, j]],
            tolerance,
            &format!("{what} [{i}][{j}]"),
        );
    }
}

/// A family of tables covering the shapes and the awkward cases: coins, dice, a 1 × 1 table,
/// uneven random weights and a table with zero cells.
fn sample_tables() -> Vec<JointTable> {
    let mut rng = rng::seeded(11);
    let mut random = |rows: usize, cols: usize| {
        JointTable::from_weights(Array2::from_shape_fn((rows, cols), |_| {
            rng::uniform(&mut rng) + 0.01
        }))
        .unwrap()
    };
    vec![
        JointTable::two_coins(0.3, 0.9, 0.2).unwrap(),
        JointTable::two_coins(0.5, 0.5, 0.5).unwrap(),
        JointTable::new(Array2::from_elem((6, 6), 1.0 / 36.0)).unwrap(),
        JointTable::new(arr2(&[[1.0]])).unwrap(),
        random(6, 6),
        random(3, 5),
        random(4, 1),
        JointTable::new(arr2(&[[0.2, 0.0, 0.1], [0.0, 0.4, 0.3]])).unwrap(),
    ]
}

#[test]
fn marginals_conditionals_and_product_match_hand_computed_values() {
    // Weights [[1, 2, 3], [4, 0, 6]] sum to 16. Row sums 6, 10 give P(X) = (6/16, 10/16); column
    // sums 5, 2, 9 give P(Y) = (5/16, 2/16, 9/16). A 2 × 3 table catches swapped axes.
    let joint = JointTable::from_weights(arr2(&[[1.0, 2.0, 3.0], [4.0, 0.0, 6.0]])).unwrap();
    assert_tables_close(
        joint.table(),
        &arr2(&[[0.0625, 0.125, 0.1875], [0.25, 0.0, 0.375]]),
        1e-15,
        "P(x, y)",
    );
    let px = joint.marginal_x();
    let py = joint.marginal_y();
    assert_eq!((px.len(), py.len()), (2, 3));
    for (got, expected) in px.iter().zip([0.375, 0.625]) {
        assert_close(*got, expected, 1e-15, "P(X)");
    }
    for (got, expected) in py.iter().zip([0.3125, 0.125, 0.5625]) {
        assert_close(*got, expected, 1e-15, "P(Y)");
    }
    // P(Y | X = x) divides row x by its sum; P(X | Y = y), indexed [y][x], divides column y.
    assert_tables_close(
        &joint.conditional_y_given_x().unwrap(),
        &arr2(&[[1.0 / 6.0, 2.0 / 6.0, 3.0 / 6.0], [0.4, 0.0, 0.6]]),
        1e-15,
        "P(Y | X)",
    );
    assert_tables_close(
        &joint.conditional_x_given_y().unwrap(),
        &arr2(&[[0.2, 0.8], [1.0, 0.0], [1.0 / 3.0, 2.0 / 3.0]]),
        1e-15,
        "P(X | Y)",
    );
    // Independence would give P(x) P(y): (6/16)(5/16) = 30/256 and so on.
    assert_tables_close(
        &joint.product_of_marginals(),
        &Array2::from_shape_fn((2, 3), |(x, y)| [6.0, 10.0][x] * [5.0, 2.0, 9.0][y] / 256.0),
        1e-15,
        "P(x) P(y)",
    );

    // Two coins: P(X = H) = 0.3, P(Y = H | H) = 0.9, P(Y = H | T) = 0.2, so the table is
    // [[0.27, 0.03], [0.14, 0.56]], P(Y = H) = 0.27 + 0.14 = 0.41 and
    // P(X = H | Y = H) = 0.27 / 0.41 = 27/41.
    let coins = JointTable::two_coins(0.3, 0.9, 0.2).unwrap();
    assert_close(coins.marginal_x()[0], 0.3, 1e-15, "P(X = H)");
    assert_close(coins.marginal_y()[0], 0.41, 1e-15, "P(Y = H)");
    assert_close(coins.marginal_y()[1], 0.59, 1e-15, "P(Y = T)");
    let x_given_y = coins.conditional_x_given_y().unwrap();
    assert_close(x_given_y[[0, 0]], 27.0 / 41.0, 1e-15, "P(X = H | Y = H)");
    assert_close(x_given_y[[1, 0]], 0.03 / 0.59, 1e-15, "P(X = H | Y = T)");
    assert_close(
        coins.product_of_marginals()[[1, 0]],
        0.7 * 0.41,
        1e-15,
        "P(X = T) P(Y = H)",
    );
}

#[test]
fn new_rescales_a_table_that_is_within_tolerance_of_one() {
    // 0.1 + 0.2 + 0.3 + 0.4 is 1 only up to rounding; the stored table is divided by its sum.
    let joint = JointTable::new(arr2(&[[0.1, 0.2], [0.3, 0.4 + 5e-10]])).unwrap();
    assert_close(joint.table().sum(), 1.0, 1e-15, "rescaled sum");
    assert_close(joint.get(1, 1).unwrap(), 0.4, 1e-9, "rescaled cell");
}

#[test]
fn conditional_rows_sum_to_one_and_satisfy_the_product_rule() {
    for joint in sample_tables() {
        let y_given_x = joint.conditional_y_given_x().unwrap();
        let x_given_y = joint.conditional_x_given_y().unwrap();
        let px = joint.marginal_x();
        let py = joint.marginal_y();
        for row in y_given_x.outer_iter().chain(x_given_y.outer_iter()) {
            assert_close(row.sum(), 1.0, 1e-12, "conditional row sum");
        }
        for ((x, y), &p) in joint.table().indexed_iter() {
            let via_x = y_given_x[[x, y]] * px[x];
            let via_y = x_given_y[[y, x]] * py[y];
            assert_close(via_x, via_y, 1e-12, "P(y|x)P(x) = P(x|y)P(y)");
            assert_close(via_x, p, 1e-12, "P(y|x)P(x) = P(x, y)");
        }
    }
}

#[test]
fn bayes_rule_equals_the_direct_conditional() {
    for joint in sample_tables() {
        assert_tables_close(
            &joint.bayes_x_given_y().unwrap(),
            &joint.conditional_x_given_y().unwrap(),
            1e-12,
            "bayes vs direct",
        );
    }
}

#[test]
fn bayes_gives_the_hand_computed_posterior_of_a_screening_test() {
    // X: ill (x₀) or healthy (x₁), prior P(ill) = 0.01. Y: test positive (y₀) or negative (y₁),
    // P(+ | ill) = 0.9, P(+ | healthy) = 0.05.
    // P(+) = 0.9 · 0.01 + 0.05 · 0.99 = 0.009 + 0.0495 = 0.0585,
    // P(ill | +) = 0.009 / 0.0585 = 0.153846… = 2/13.
    // P(−) = 0.1 · 0.01 + 0.95 · 0.99 = 0.9415, P(ill | −) = 0.001 / 0.9415.
    let posterior = bayes(&arr1(&[0.01, 0.99]), &arr2(&[[0.9, 0.1], [0.05, 0.95]])).unwrap();
    assert_close(posterior[[0, 0]], 2.0 / 13.0, 1e-15, "P(ill | +)");
    assert_close(posterior[[0, 1]], 11.0 / 13.0, 1e-15, "P(healthy | +)");
    assert_close(posterior[[1, 0]], 0.001 / 0.9415, 1e-15, "P(ill | −)");
}

#[test]
fn bayes_ignores_likelihood_rows_with_zero_prior_and_rejects_bad_inputs() {
    // Row x₁ is garbage but has prior 0, so it never counts.
    let posterior = bayes(&arr1(&[1.0, 0.0]), &arr2(&[[0.25, 0.75], [7.0, -3.0]])).unwrap();
    assert_tables_close(
        &posterior,
        &arr2(&[[1.0, 0.0], [1.0, 0.0]]),
        0.0,
        "posterior",
    );

    let err = bayes(&arr1(&[0.5, 0.6]), &arr2(&[[0.5, 0.5], [0.5, 0.5]])).unwrap_err();
    assert!(matches!(err, JointError::WrongSum { .. }), "{err}");
    assert!(
        err.to_string().contains("the prior P(X) sums to 1.1"),
        "{err}"
    );

    let err = bayes(&arr1(&[0.5, 0.5]), &arr2(&[[0.5, 0.5], [0.5, 0.6]])).unwrap_err();
    assert!(
        err.to_string().contains("row x₁ of P(Y | X) sums to 1.1"),
        "{err}"
    );

    let err = bayes(&arr1(&[0.5, 0.5]), &arr2(&[[0.5, 0.5], [1.5, -0.5]])).unwrap_err();
    assert!(err.to_string().starts_with("p_y_given_x = 1.5"), "{err}");

    let err = bayes(&arr1(&[1.0]), &arr2(&[[0.5, 0.5], [0.5, 0.5]])).unwrap_err();
    assert_eq!(
        err,
        JointError::LengthMismatch {
            what: "the prior P(X)",
            expected: 2,
            got: 1
        }
    );

    // No x can produce y₁, so P(X | Y = y₁) is undefined.
    let err = bayes(&arr1(&[0.5, 0.5]), &arr2(&[[1.0, 0.0], [1.0, 0.0]])).unwrap_err();
    assert_eq!(
        err,
        JointError::ZeroProbabilityCondition {
            given: Variable::Y,
            index: 1
        }
    );
}

#[test]
fn mutual_information_is_zero_exactly_for_product_tables() {
    for joint in sample_tables() {
        let product = JointTable::new(joint.product_of_marginals()).unwrap();
        assert!(product.mutual_information_bits().abs() < 1e-12);
        assert!(product.is_independent(1e-12));
    }
    // Positive for a dependent table, which is not independent at a tight tolerance.
    let dependent = JointTable::two_coins(0.3, 0.9, 0.2).unwrap();
    assert!(dependent.mutual_information_bits() > 0.1);
    assert!(!dependent.is_independent(1e-3));
}

#[test]
fn mutual_information_matches_hand_computed_values() {
    // Perfectly correlated fair coins [[½, 0], [0, ½]]: two cells of ½ · log₂(½ / ¼) = ½ · 1,
    // so I = 1 bit: knowing one coin tells you the other's full bit.
    let copies = JointTable::new(arr2(&[[0.5, 0.0], [0.0, 0.5]])).unwrap();
    assert_close(copies.mutual_information_bits(), 1.0, 1e-12, "copied coin");

    // Two dice that always agree: I = H(X) = log₂ 6 = 2.584962500721156 bits.
    let agreeing_dice = JointTable::new(Array2::from_diag_elem(6, 1.0 / 6.0)).unwrap();
    assert_close(
        agreeing_dice.mutual_information_bits(),
        6f64.log2(),
        1e-12,
        "agreeing dice",
    );

    // Asymmetric: fair X, P(Y=H | X=H) = 0.9, P(Y=H | X=T) = 0.2, so the table is
    // [[0.45, 0.05], [0.10, 0.40]] and P(Y=H) = 0.55. With H₂(p) the binary entropy,
    // I = H(Y) − H(Y | X) = H₂(0.55) − ½ H₂(0.9) − ½ H₂(0.2)
    //   = 0.992774453987808 − ½ · 0.468995593589281 − ½ · 0.721928094887362
    //   = 0.397312609749487 bits.
    let leaning = JointTable::two_coins(0.5, 0.9, 0.2).unwrap();
    assert_close(
        leaning.mutual_information_bits(),
        0.397_312_609_749_487,
        1e-12,
        "asymmetric coins",
    );
}

#[test]
fn two_coins_equals_the_hand_computed_table() {
    // P(X=H) = 0.3; P(Y=H | X=H) = 0.9; P(Y=H | X=T) = 0.2. Outcomes ordered [H, T]:
    //   [H][H] = 0.3 · 0.9 = 0.27   [H][T] = 0.3 · 0.1 = 0.03
    //   [T][H] = 0.7 · 0.2 = 0.14   [T][T] = 0.7 · 0.8 = 0.56
    let joint = JointTable::two_coins(0.3, 0.9, 0.2).unwrap();
    let expected = arr2(&[[0.27, 0.03], [0.14, 0.56]]);
    assert_tables_close(joint.table(), &expected, 1e-15, "two coins");
    assert_tables_close(
        &joint.conditional_y_given_x().unwrap(),
        &arr2(&[[0.9, 0.1], [0.2, 0.8]]),
        1e-15,
        "P(Y | X) recovered",
    );
    // P(Y=H) = 0.27 + 0.14 = 0.41; P(X=H | Y=H) = 0.27 / 0.41.
    assert_close(joint.marginal_y()[0], 0.41, 1e-15, "P(Y=H)");
    assert_close(
        joint.conditional_x_given_y().unwrap()[[0, 0]],
        0.27 / 0.41,
        1e-15,
        "P(X=H | Y=H)",
    );
}

#[test]
fn the_articles_two_coin_conditional_does_not_sum_to_one_but_ours_does() {
    // The seed article (Chinese, on generative models) writes, for a first coin with
    // P(heads) = p and q = 1 − p:
    //   P(y|x) = p if x is heads else q/2 if y in (heads,tails) else (1-p)/2
    // Read as written, every y gets p after X = H and q/2 after X = T, so the rows sum to
    //   after H: p + p = 2p,      after T: q/2 + q/2 = q = 1 − p,
    // which are 1 only when p = ½ and p = 0 respectively — never both. With p = 0.3 the rows
    // sum to 0.6 and 0.7: not conditional distributions at all.
    let p = 0.3;
    let q = 1.0 - p;
    let article = |x_heads: bool, _y_heads: bool| if x_heads { p } else { q / 2.0 };
    let article_row_sum = |x_heads: bool| article(x_heads, true) + article(x_heads, false);
    assert_close(article_row_sum(true), 0.6, 1e-15, "article row after H");
    assert_close(article_row_sum(false), 0.7, 1e-15, "article row after T");

    // The correct construction fixes each row's own P(Y=H | X=x) and gives Y=T the rest; its
    // rows sum to 1 for every choice of parameters.
    for (p_x, after_heads, after_tails) in [(0.3, 0.3, 0.3), (0.3, 0.5, 0.35), (0.9, 0.0, 1.0)] {
        let joint = JointTable::two_coins(p_x, after_heads, after_tails).unwrap();
        for row in joint.conditional_y_given_x().unwrap().outer_iter() {
            assert_close(row.sum(), 1.0, 1e-15, "our conditional row");
        }
        assert_close(joint.table().sum(), 1.0, 1e-15, "our table");
    }
}

#[test]
fn set_cell_keeps_the_sum_and_the_ratios_of_the_other_cells() {
    let mut joint = JointTable::new(arr2(&[[0.1, 0.2, 0.3], [0.05, 0.15, 0.2]])).unwrap();
    let before = joint.table().clone();
    joint.set_cell(0, 2, 0.6).unwrap();
    let after = joint.table();
    assert_close(after.sum(), 1.0, 1e-12, "sum after set_cell");
    assert_eq!(after[[0, 2]], 0.6);
    // The other cells held 0.7 and now hold 0.4: each is scaled by 4/7.
    for ((i, j), &p) in before.indexed_iter() {
        if (i, j) != (0, 2) {
            assert_close(after[[i, j]], p * 0.4 / 0.7, 1e-15, "scaled cell");
        }
    }
    assert_close(after[[0, 1]] / after[[0, 0]], 2.0, 1e-12, "ratio kept");
    assert_close(after[[1, 2]] / after[[1, 0]], 4.0, 1e-12, "ratio kept");

    // Setting a cell to 1 zeroes the rest; lowering it again has no ratios to keep, so the
    // remainder 0.25 is spread evenly over the five other cells.
    joint.set_cell(1, 1, 1.0).unwrap();
    assert_eq!(joint.table().sum(), 1.0);
    joint.set_cell(1, 1, 0.75).unwrap();
    for ((i, j), &p) in joint.table().indexed_iter() {
        let expected = if (i, j) == (1, 1) { 0.75 } else { 0.05 };
        assert_close(p, expected, 1e-15, "evenly spread remainder");
    }
}

#[test]
fn set_cell_rejects_bad_values_and_cells() {
    let mut joint = JointTable::two_coins(0.5, 0.5, 0.5).unwrap();
    let err = joint.set_cell(0, 0, 1.5).unwrap_err();
    assert_eq!(
        err.to_string(),
        "value = 1.5 is not allowed: value must be a number from 0 to 1"
    );
    let err = joint.set_cell(2, 0, 0.5).unwrap_err();
    assert_eq!(
        err,
        JointError::CellOutside {
            row: 2,
            col: 0,
            rows: 2,
            cols: 2
        }
    );
    // Refused edits leave the table untouched.
    assert_eq!(joint.table(), &Array2::from_elem((2, 2), 0.25));

    let mut single = JointTable::new(arr2(&[[1.0]])).unwrap();
    assert!(single.set_cell(0, 0, 0.5).is_err());
    single.set_cell(0, 0, 1.0).unwrap();
}

#[test]
fn empirical_table_is_within_four_standard_errors_of_the_true_one() {
    let weights = Array2::from_shape_fn((6, 6), |(i, j)| 1.0 + (i * 6 + j) as f64);
    let joint = JointTable::from_weights(weights).unwrap();
    let n = 200_000;
    let mut counter = EmpiricalJoint::new(6, 6).unwrap();
    counter
        .record_all(&joint.sample_many(&mut rng::seeded(5), n))
        .unwrap();
    assert_eq!(counter.total(), n as u64);
    let empirical = counter.table().unwrap();
    assert_close(empirical.table().sum(), 1.0, 1e-12, "empirical sum");
    for ((i, j), &p) in joint.table().indexed_iter() {
        // A cell's frequency is a mean of n Bernoulli(p) indicators: standard error √(p(1−p)/n).
        let standard_error = (p * (1.0 - p) / n as f64).sqrt();
        assert_close(
            empirical.get(i, j).unwrap(),
            p,
            4.0 * standard_error,
            &format!("empirical cell [{i}][{j}]"),
        );
    }
}

#[test]
fn sampling_is_reproducible_and_never_draws_impossible_cells() {
    let joint = JointTable::new(arr2(&[[0.5, 0.0], [0.0, 0.5]])).unwrap();
    let first = joint.sample_many(&mut rng::seeded(9), 1000);
    assert_eq!(first, joint.sample_many(&mut rng::seeded(9), 1000));
    assert!(first.iter().all(|&(x, y)| x == y));
    assert!(first.contains(&(0, 0)) && first.contains(&(1, 1)));
}

#[test]
fn empirical_counter_rejects_outside_pairs_and_starts_empty() {
    let mut counter = EmpiricalJoint::new(2, 3).unwrap();
    assert!(counter.table().is_none());
    assert_eq!(
        counter.record(1, 3).unwrap_err(),
        JointError::CellOutside {
            row: 1,
            col: 3,
            rows: 2,
            cols: 3
        }
    );
    counter.record(1, 2).unwrap();
    counter.record(1, 2).unwrap();
    counter.record(0, 0).unwrap();
    assert_eq!(counter.counts()[[1, 2]], 2);
    assert_close(
        counter.table().unwrap().get(1, 2).unwrap(),
        2.0 / 3.0,
        1e-15,
        "frequency",
    );
    counter.clear();
    assert_eq!(counter.total(), 0);
    assert!(EmpiricalJoint::new(7, 1).is_err());
}

#[test]
fn bad_tables_are_rejected_with_the_offending_cell_or_sum() {
    let err = JointTable::new(arr2(&[[0.7, 0.5], [-0.2, 0.0]])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cell [1][0] = -0.2 is negative; every probability must be ≥ 0"
    );

    let err = JointTable::new(arr2(&[[0.5, f64::NAN], [0.25, 0.25]])).unwrap_err();
    assert!(
        matches!(err, JointError::NotFinite { row: 0, col: 1, .. }),
        "{err}"
    );
    assert!(err.to_string().starts_with("cell [0][1] = NaN"), "{err}");

    let err = JointTable::new(arr2(&[[0.5, 0.25], [0.25, 0.25]])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the table sums to 1.25, not 1: the probabilities must add up to 1 (within 1e-9); \
         change some of them, or divide each by 1.25"
    );
    // Just outside the tolerance is still refused.
    assert!(JointTable::new(arr2(&[[0.5, 0.5 + 2e-9]])).is_err());

    for (rows, cols) in [(0, 2), (2, 0), (7, 2), (2, 7)] {
        let err = JointTable::from_weights(Array2::from_elem((rows, cols), 1.0)).unwrap_err();
        assert_eq!(err, JointError::Shape { rows, cols });
    }
    assert_eq!(
        JointError::Shape { rows: 7, cols: 2 }.to_string(),
        "a 7 × 2 table is not allowed: a joint table must have from 1 to 6 rows and from 1 to 6 \
         columns"
    );

    assert_eq!(
        JointTable::from_weights(Array2::zeros((2, 2))).unwrap_err(),
        JointError::AllZeroWeights
    );
    let err = JointTable::from_weights(arr2(&[[1.0, -1.0]])).unwrap_err();
    assert!(matches!(err, JointError::Negative { row: 0, col: 1, .. }));
}

#[test]
fn from_weights_scales_to_one() {
    let joint = JointTable::from_weights(arr2(&[[1.0, 3.0], [0.0, 4.0]])).unwrap();
    assert_tables_close(
        joint.table(),
        &arr2(&[[0.125, 0.375], [0.0, 0.5]]),
        1e-15,
        "from_weights",
    );
}

#[test]
fn two_coins_names_the_bad_parameter() {
    let cases = [
        ((1.2, 0.5, 0.5), "p_x = 1.2"),
        ((0.5, -0.1, 0.5), "p_y_given_x_heads = -0.1"),
        ((0.5, 0.5, f64::NAN), "p_y_given_x_tails = NaN"),
    ];
    for ((p_x, after_heads, after_tails), start) in cases {
        let err = JointTable::two_coins(p_x, after_heads, after_tails).unwrap_err();
        assert!(matches!(err, JointError::Param(_)));
        assert!(
            err.to_string().starts_with(start) && err.to_string().ends_with("from 0 to 1"),
            "{err}"
        );
    }
}

#[test]
fn conditioning_on_a_zero_probability_event_is_an_error_but_other_rows_survive() {
    // X = x₁ never happens; Y = y₂ never happens.
    let joint =
        JointTable::new(arr2(&[[0.2, 0.3, 0.0], [0.0, 0.0, 0.0], [0.1, 0.4, 0.0]])).unwrap();

    let err = joint.conditional_y_given_x().unwrap_err();
    assert_eq!(
        err,
        JointError::ZeroProbabilityCondition {
            given: Variable::X,
            index: 1
        }
    );
    assert!(
        err.to_string().starts_with(
            "P(X = x₁) = 0: the conditional distribution of Y given X = x₁ is undefined"
        ),
        "{err}"
    );
    let err = joint.conditional_x_given_y().unwrap_err();
    assert!(
        err.to_string().starts_with(
            "P(Y = y₂) = 0: the conditional distribution of X given Y = y₂ is undefined"
        ),
        "{err}"
    );

    let rows = joint.conditional_y_given_x_rows();
    assert_eq!(rows.len(), 3);
    assert_tables_close(
        &rows[0].clone().unwrap().insert_axis(ndarray::Axis(0)),
        &arr2(&[[0.4, 0.6, 0.0]]),
        1e-15,
        "row x₀",
    );
    assert!(rows[1].is_err());
    assert_tables_close(
        &rows[2].clone().unwrap().insert_axis(ndarray::Axis(0)),
        &arr2(&[[0.2, 0.8, 0.0]]),
        1e-15,
        "row x₂",
    );
    let columns = joint.conditional_x_given_y_rows();
    assert!(columns[0].is_ok() && columns[1].is_ok() && columns[2].is_err());
    // Bayes needs only P(Y = y) > 0 for the y it conditions on, so y₂ still fails there.
    assert!(joint.bayes_x_given_y().is_err());
}
