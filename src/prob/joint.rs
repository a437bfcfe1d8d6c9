//! Discrete joint distributions of two random variables X and Y on small finite spaces.
//!
//! This module owns the joint table P(X = x, Y = y) (from 1 × 1 up to 6 × 6 outcomes: two coins
//! are 2 × 2, two dice 6 × 6) and everything read off it: the marginals, both conditionals,
//! Bayes' rule, the product of marginals, mutual information, editing one cell while keeping the
//! total at 1, seeded sampling of pairs, and counting sampled pairs into an empirical table.
//!
//! Tables are `ndarray::Array2<f64>` indexed `[x][y]`: row `x` is an outcome of X, column `y`
//! an outcome of Y. Outcome `i` is written with a zero-based subscript (x₀, x₁, …) so that the
//! subscript in a message is the index the code uses.

use std::fmt;

use ndarray::{Array1, Array2, Axis};

use super::{check_probability, ParamError};
use crate::rng::{self, Rng};

/// How far from 1 the sum of a table may be and still count as a probability distribution.
///
/// Tables typed or computed by hand carry rounding error (0.1 + 0.2 ≠ 0.3 in binary), so an exact
/// sum of 1 cannot be demanded; 1e-9 is far above that rounding and far below any real mistake.
pub const SUM_TOLERANCE: f64 = 1e-9;

/// The most outcomes either variable may have (6: the faces of a die).
pub const MAX_OUTCOMES: usize = 6;

/// Which of the two variables an error or a conditional is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variable {
    X,
    Y,
}

impl Variable {
    fn upper(self) -> &'static str {
        match self {
            Variable::X => "X",
            Variable::Y => "Y",
        }
    }

    fn lower(self) -> &'static str {
        match self {
            Variable::X => "x",
            Variable::Y => "y",
        }
    }

    fn other(self) -> Variable {
        match self {
            Variable::X => Variable::Y,
            Variable::Y => Variable::X,
        }
    }
}

/// Why a joint table, or a question asked of it, was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum JointError {
    /// The table has no rows, no columns, or more than [`MAX_OUTCOMES`] of either.
    Shape { rows: usize, cols: usize },
    /// A cell holds NaN or an infinity.
    NotFinite { row: usize, col: usize, value: f64 },
    /// A cell holds a negative number.
    Negative { row: usize, col: usize, value: f64 },
    /// The cells (of `what`: the table, P(X), a row of P(Y | X)) do not add up to 1.
    WrongSum { what: String, sum: f64 },
    /// Every weight given to [`JointTable::from_weights`] is zero, so there is nothing to scale.
    AllZeroWeights,
    /// A conditional was asked given an event of probability 0, where it is undefined.
    ZeroProbabilityCondition { given: Variable, index: usize },
    /// A cell index lies outside the table.
    CellOutside {
        row: usize,
        col: usize,
        rows: usize,
        cols: usize,
    },
    /// Two inputs that must agree in length do not.
    LengthMismatch {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    /// A single named parameter (for example `p_x`) is out of range.
    Param(ParamError),
}

/// Writes an outcome as a subscripted symbol: x₀, y₃, x₁₂.
fn outcome_symbol(variable: Variable, index: usize) -> String {
    const DIGITS: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    let subscript: String = index
        .to_string()
        .chars()
        .map(|d| DIGITS[d.to_digit(10).unwrap_or(0) as usize])
        .collect();
    format!("{}{}", variable.lower(), subscript)
}

impl fmt::Display for JointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JointError::Shape { rows, cols } => write!(
                f,
                "a {rows} × {cols} table is not allowed: a joint table must have from 1 to \
                 {MAX_OUTCOMES} rows and from 1 to {MAX_OUTCOMES} columns"
            ),
            JointError::NotFinite { row, col, value } => write!(
                f,
                "cell [{row}][{col}] = {value} is not a number; every probability must be a \
                 finite number from 0 to 1"
            ),
            JointError::Negative { row, col, value } => write!(
                f,
                "cell [{row}][{col}] = {value} is negative; every probability must be ≥ 0"
            ),
            JointError::WrongSum { what, sum } => write!(
                f,
                "{what} sums to {sum}, not 1: the probabilities must add up to 1 \
                 (within {SUM_TOLERANCE:e}); change some of them, or divide each by {sum}"
            ),
            JointError::AllZeroWeights => write!(
                f,
                "every weight is 0, so they cannot be scaled to sum to 1: give at least one \
                 cell a positive weight"
            ),
            JointError::ZeroProbabilityCondition { given, index } => {
                let symbol = outcome_symbol(*given, *index);
                write!(
                    f,
                    "P({} = {symbol}) = 0: the conditional distribution of {} given {} = {symbol} \
                     is undefined; give that outcome some probability to condition on it",
                    given.upper(),
                    given.other().upper(),
                    given.upper(),
                )
            }
            JointError::CellOutside {
                row,
                col,
                rows,
                cols,
            } => write!(
                f,
                "cell [{row}][{col}] is outside the {rows} × {cols} table: the row must be \
                 below {rows} and the column below {cols}"
            ),
            JointError::LengthMismatch {
                what,
                expected,
                got,
            } => write!(
                f,
                "{what} has {got} entries, but {expected} are needed to match the other input"
            ),
            JointError::Param(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for JointError {}

impl From<ParamError> for JointError {
    fn from(e: ParamError) -> Self {
        JointError::Param(e)
    }
}

fn check_shape(rows: usize, cols: usize) -> Result<(), JointError> {
    if (1..=MAX_OUTCOMES).contains(&rows) && (1..=MAX_OUTCOMES).contains(&cols) {
        Ok(())
    } else {
        Err(JointError::Shape { rows, cols })
    }
}

/// Checks the shape and that every cell is finite and non-negative; the sum is left to the caller.
fn check_cells(table: &Array2<f64>) -> Result<(), JointError> {
    let (rows, cols) = table.dim();
    check_shape(rows, cols)?;
    for ((row, col), &value) in table.indexed_iter() {
        if !value.is_finite() {
            return Err(JointError::NotFinite { row, col, value });
        }
        if value < 0.0 {
            return Err(JointError::Negative { row, col, value });
        }
    }
    Ok(())
}

fn check_sum(what: impl FnOnce() -> String, sum: f64) -> Result<(), JointError> {
    if (sum - 1.0).abs() <= SUM_TOLERANCE {
        Ok(())
    } else {
        Err(JointError::WrongSum { what: what(), sum })
    }
}

/// The joint distribution P(X = x, Y = y) of two variables with finitely many outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct JointTable {
    table: Array2<f64>,
}

impl JointTable {
    /// Accepts `table[x][y]` as a joint distribution: 1 × 1 to 6 × 6, every cell finite and ≥ 0,
    /// and the cells summing to 1 within [`SUM_TOLERANCE`].
    ///
    /// The accepted table is divided by its sum, so the slack the tolerance allows does not
    /// leak into marginals and conditionals: what is stored sums to 1 up to rounding.
    pub fn new(table: Array2<f64>) -> Result<Self, JointError> {
        check_cells(&table)?;
        let total = table.sum();
        check_sum(|| "the table".to_string(), total)?;
        Ok(Self {
            table: table / total,
        })
    }

    /// Scales non-negative weights so that they sum to 1 (for example counts, or hand-drawn
    /// bar heights); all-zero weights are refused because they have no direction to scale.
    pub fn from_weights(weights: Array2<f64>) -> Result<Self, JointError> {
        check_cells(&weights)?;
        let total = weights.sum();
        if total <= 0.0 {
            return Err(JointError::AllZeroWeights);
        }
        Ok(Self {
            table: weights / total,
        })
    }

    /// Two coins, outcomes ordered [H, T] on both axes: X shows heads with probability `p_x`,
    /// and Y shows heads with probability `p_y_given_x_heads` after X = H and
    /// `p_y_given_x_tails` after X = T. Cell [x][y] is P(X = x) P(Y = y | X = x).
    pub fn two_coins(
        p_x: f64,
        p_y_given_x_heads: f64,
        p_y_given_x_tails: f64,
    ) -> Result<Self, JointError> {
        let p_x = check_probability("p_x", p_x)?;
        let heads_after_heads = check_probability("p_y_given_x_heads", p_y_given_x_heads)?;
        let heads_after_tails = check_probability("p_y_given_x_tails", p_y_given_x_tails)?;
        let table = ndarray::arr2(&[
            [p_x * heads_after_heads, p_x * (1.0 - heads_after_heads)],
            [
                (1.0 - p_x) * heads_after_tails,
                (1.0 - p_x) * (1.0 - heads_after_tails),
            ],
        ]);
        Ok(Self { table })
    }

    /// The table, indexed `[x][y]`.
    pub fn table(&self) -> &Array2<f64> {
        &self.table
    }

    /// How many outcomes X has (the number of rows).
    pub fn x_outcomes(&self) -> usize {
        self.table.nrows()
    }

    /// How many outcomes Y has (the number of columns).
    pub fn y_outcomes(&self) -> usize {
        self.table.ncols()
    }

    /// P(X = x, Y = y).
    pub fn get(&self, x: usize, y: usize) -> Result<f64, JointError> {
        self.check_cell(x, y)?;
        Ok(self.table[[x, y]])
    }

    fn check_cell(&self, row: usize, col: usize) -> Result<(), JointError> {
        let (rows, cols) = self.table.dim();
        if row < rows && col < cols {
            Ok(())
        } else {
            Err(JointError::CellOutside {
                row,
                col,
                rows,
                cols,
            })
        }
    }

    /// P(X = x) = Σ_y P(x, y), the row sums.
    pub fn marginal_x(&self) -> Array1<f64> {
        self.table.sum_axis(Axis(1))
    }

    /// P(Y = y) = Σ_x P(x, y), the column sums.
    pub fn marginal_y(&self) -> Array1<f64> {
        self.table.sum_axis(Axis(0))
    }

    /// Each row of P(Y | X = x) = P(x, y) / P(x), or the error saying P(X = x) = 0.
    ///
    /// Undefined rows do not stop the others from being computed, so a picture can still draw
    /// every row that exists.
    pub fn conditional_y_given_x_rows(&self) -> Vec<Result<Array1<f64>, JointError>> {
        conditional_rows(&self.table, Variable::X)
    }

    /// Each row of P(X | Y = y) = P(x, y) / P(y), indexed `[y][x]`, or the error saying
    /// P(Y = y) = 0.
    pub fn conditional_x_given_y_rows(&self) -> Vec<Result<Array1<f64>, JointError>> {
        conditional_rows(&self.table.t().to_owned(), Variable::Y)
    }

    /// P(Y | X) indexed `[x][y]`, every row summing to 1; an error names the first outcome of X
    /// with probability 0.
    pub fn conditional_y_given_x(&self) -> Result<Array2<f64>, JointError> {
        stack_rows(self.conditional_y_given_x_rows(), self.y_outcomes())
    }

    /// P(X | Y) indexed `[y][x]`, every row summing to 1; an error names the first outcome of Y
    /// with probability 0.
    pub fn conditional_x_given_y(&self) -> Result<Array2<f64>, JointError> {
        stack_rows(self.conditional_x_given_y_rows(), self.x_outcomes())
    }

    /// P(X | Y) indexed `[y][x]`, computed the long way round by Bayes' rule from this table's
    /// own P(X) and P(Y | X), rather than by dividing the table's columns.
    ///
    /// Rows of P(Y | X) with P(X = x) = 0 are undefined but also irrelevant (they are multiplied
    /// by 0), so they are passed to [`bayes`] as zeros.
    pub fn bayes_x_given_y(&self) -> Result<Array2<f64>, JointError> {
        let mut likelihood = Array2::zeros(self.table.dim());
        for (x, row) in self.conditional_y_given_x_rows().into_iter().enumerate() {
            if let Ok(row) = row {
                likelihood.row_mut(x).assign(&row);
            }
        }
        bayes(&self.marginal_x(), &likelihood)
    }

    /// The table P(x) P(y) that X and Y would have if they were independent with these marginals.
    pub fn product_of_marginals(&self) -> Array2<f64> {
        let px = self.marginal_x();
        let py = self.marginal_y();
        Array2::from_shape_fn(self.table.dim(), |(x, y)| px[x] * py[y])
    }

    /// I(X; Y) = Σ P(x, y) log₂ [P(x, y) / (P(x) P(y))] in bits, taking 0 · log 0 = 0.
    ///
    /// It is 0 exactly when X and Y are independent, and at most min(log₂ #X, log₂ #Y).
    pub fn mutual_information_bits(&self) -> f64 {
        let px = self.marginal_x();
        let py = self.marginal_y();
        self.table
            .indexed_iter()
            .filter(|(_, &p)| p > 0.0)
            .map(|((x, y), &p)| p * (p / (px[x] * py[y])).log2())
            .sum::<f64>()
            // Rounding can leave a tiny negative number where the true value is 0.
            .max(0.0)
    }

    /// Whether every cell is within `tolerance` of P(x) P(y).
    pub fn is_independent(&self, tolerance: f64) -> bool {
        self.table
            .iter()
            .zip(self.product_of_marginals().iter())
            .all(|(joint, product)| (joint - product).abs() <= tolerance)
    }

    /// Sets cell [x][y] to `value` (a probability) and rescales every other cell by the same
    /// factor, so the total stays 1 and the other cells keep their ratios to one another.
    ///
    /// If the other cells are all 0 (the edited cell held everything) there are no ratios to
    /// keep, so the remainder 1 − value is spread evenly over them. A 1 × 1 table has no other
    /// cells, so its one cell can only be set to 1.
    pub fn set_cell(&mut self, x: usize, y: usize, value: f64) -> Result<(), JointError> {
        self.check_cell(x, y)?;
        let value = check_probability("value", value)?;
        let other_cells = self.table.len() - 1;
        if other_cells == 0 {
            if value != 1.0 {
                return Err(ParamError::new(
                    "value",
                    value,
                    "1, because a 1 × 1 table's only cell holds all the probability",
                )
                .into());
            }
            return Ok(());
        }
        let others_sum = self.table.sum() - self.table[[x, y]];
        let remainder = 1.0 - value;
        if others_sum > 0.0 {
            let factor = remainder / others_sum;
            self.table.mapv_inplace(|p| p * factor);
        } else {
            self.table.fill(remainder / other_cells as f64);
        }
        self.table[[x, y]] = value;
        Ok(())
    }

    /// Draws one pair (x, y) by inverting the cumulative distribution of the cells read row by
    /// row: cell k is chosen when a uniform draw u falls in [F(k − 1), F(k)).
    pub fn sample(&self, rng: &mut Rng) -> (usize, usize) {
        self.cell_at_quantile(rng::uniform(rng))
    }

    /// The cell whose cumulative interval contains `u` in [0, 1).
    fn cell_at_quantile(&self, u: f64) -> (usize, usize) {
        let cols = self.table.ncols();
        let mut cumulative = 0.0;
        let mut last_possible = 0;
        for (k, &p) in self.table.iter().enumerate() {
            if p > 0.0 {
                cumulative += p;
                last_possible = k;
                if u < cumulative {
                    return (k / cols, k % cols);
                }
            }
        }
        // The sum may fall a rounding error short of 1; u beyond it belongs to the last cell
        // that can occur, never to a zero cell.
        (last_possible / cols, last_possible % cols)
    }

    /// Draws `n` pairs in order from the same generator.
    pub fn sample_many(&self, rng: &mut Rng, n: usize) -> Vec<(usize, usize)> {
        (0..n).map(|_| self.sample(rng)).collect()
    }
}

/// Divides each row of `table` by its sum; `given` names the variable that indexes the rows.
fn conditional_rows(table: &Array2<f64>, given: Variable) -> Vec<Result<Array1<f64>, JointError>> {
    table
        .outer_iter()
        .enumerate()
        .map(|(index, row)| {
            let total = row.sum();
            if total > 0.0 {
                Ok(row.mapv(|p| p / total))
            } else {
                Err(JointError::ZeroProbabilityCondition { given, index })
            }
        })
        .collect()
}

fn stack_rows(
    rows: Vec<Result<Array1<f64>, JointError>>,
    cols: usize,
) -> Result<Array2<f64>, JointError> {
    let mut out = Array2::zeros((rows.len(), cols));
    for (i, row) in rows.into_iter().enumerate() {
        out.row_mut(i).assign(&row?);
    }
    Ok(out)
}

/// Bayes' rule: P(x | y) = P(y | x) P(x) / Σ_x' P(y | x') P(x'), returned indexed `[y][x]`.
///
/// `prior_x[x]` is P(X = x) and `likelihood_y_given_x[x][y]` is P(Y = y | X = x). The prior must
/// be a distribution, and each likelihood row whose prior is positive must be one too (rows with
/// prior 0 never count, so they are not checked). An outcome y with evidence Σ P(y | x) P(x) = 0
/// makes the posterior undefined and is reported as an error.
pub fn bayes(
    prior_x: &Array1<f64>,
    likelihood_y_given_x: &Array2<f64>,
) -> Result<Array2<f64>, JointError> {
    let (x_count, y_count) = likelihood_y_given_x.dim();
    check_shape(x_count, y_count)?;
    if prior_x.len() != x_count {
        return Err(JointError::LengthMismatch {
            what: "the prior P(X)",
            expected: x_count,
            got: prior_x.len(),
        });
    }
    for &p in prior_x {
        check_probability("p_x", p)?;
    }
    check_sum(|| "the prior P(X)".to_string(), prior_x.sum())?;
    for (x, row) in likelihood_y_given_x.outer_iter().enumerate() {
        if prior_x[x] == 0.0 {
            continue;
        }
        for &p in row {
            check_probability("p_y_given_x", p)?;
        }
        check_sum(
            || format!("row {} of P(Y | X)", outcome_symbol(Variable::X, x)),
            row.sum(),
        )?;
    }
    let mut posterior = Array2::zeros((y_count, x_count));
    for y in 0..y_count {
        let evidence: f64 = (0..x_count)
            .map(|x| likelihood_y_given_x[[x, y]] * prior_x[x])
            .sum();
        if evidence <= 0.0 {
            return Err(JointError::ZeroProbabilityCondition {
                given: Variable::Y,
                index: y,
            });
        }
        for x in 0..x_count {
            posterior[[y, x]] = likelihood_y_given_x[[x, y]] * prior_x[x] / evidence;
        }
    }
    Ok(posterior)
}

/// Counts of sampled pairs (x, y), turned into an empirical joint table on request.
#[derive(Debug, Clone, PartialEq)]
pub struct EmpiricalJoint {
    counts: Array2<u64>,
    total: u64,
}

impl EmpiricalJoint {
    /// An empty counter for pairs from a `x_outcomes` × `y_outcomes` space.
    pub fn new(x_outcomes: usize, y_outcomes: usize) -> Result<Self, JointError> {
        check_shape(x_outcomes, y_outcomes)?;
        Ok(Self {
            counts: Array2::zeros((x_outcomes, y_outcomes)),
            total: 0,
        })
    }

    /// Adds one observed pair.
    pub fn record(&mut self, x: usize, y: usize) -> Result<(), JointError> {
        let (rows, cols) = self.counts.dim();
        if x >= rows || y >= cols {
            return Err(JointError::CellOutside {
                row: x,
                col: y,
                rows,
                cols,
            });
        }
        self.counts[[x, y]] += 1;
        self.total += 1;
        Ok(())
    }

    /// Adds every pair in `pairs`, stopping at the first one outside the table.
    pub fn record_all(&mut self, pairs: &[(usize, usize)]) -> Result<(), JointError> {
        pairs.iter().try_for_each(|&(x, y)| self.record(x, y))
    }

    /// How many times each pair was seen, indexed `[x][y]`.
    pub fn counts(&self) -> &Array2<u64> {
        &self.counts
    }

    /// How many pairs were recorded.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The observed frequencies as a joint table; `None` before any pair was recorded, since
    /// there is nothing to take frequencies of.
    pub fn table(&self) -> Option<JointTable> {
        if self.total == 0 {
            return None;
        }
        let total = self.total as f64;
        Some(JointTable {
            table: self.counts.mapv(|c| c as f64 / total),
        })
    }

    /// Forgets every recorded pair.
    pub fn clear(&mut self) {
        self.counts.fill(0);
        self.total = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr2;

    #[test]
    fn outcome_symbols_use_zero_based_subscripts() {
        assert_eq!(outcome_symbol(Variable::X, 1), "x₁");
        assert_eq!(outcome_symbol(Variable::Y, 12), "y₁₂");
    }

    #[test]
    fn quantiles_map_to_cells_and_never_to_a_zero_cell() {
        // Cells read row by row: [0][0] = 0, [0][1] = 0.25, [1][0] = 0.75 - 5e-10, [1][1] = 0.
        // The sum is 1 - 5e-10, as rounding might leave it; built directly because `new` would
        // rescale it to 1.
        let joint = JointTable {
            table: arr2(&[[0.0, 0.25], [0.75 - 5e-10, 0.0]]),
        };
        assert_eq!(joint.cell_at_quantile(0.0), (0, 1));
        assert_eq!(joint.cell_at_quantile(0.2499), (0, 1));
        assert_eq!(joint.cell_at_quantile(0.25), (1, 0));
        // Beyond the short sum: the last cell that can occur, not the zero cell [1][1].
        assert_eq!(joint.cell_at_quantile(1.0 - 1e-12), (1, 0));
    }
}
