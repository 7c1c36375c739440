//! Percentile bootstrap of a ratio of medians over repetitions (docs/RULES.md, "Intervals").
//!
//! Each side's values (one per repetition, each a whole run on a fresh server) are resampled
//! with replacement; the ratio of the two resampled medians is collected 10,000 times, and its
//! 2.5 % and 97.5 % quantiles bound the 95 % interval. The seed is fixed so that re-rendering
//! the report from the same files gives the same interval.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Resamples per interval (docs/RULES.md: stable 2.5 % / 97.5 % quantiles).
pub const RESAMPLES: usize = 10_000;
/// Fixed seed: the same files give the same report.
const SEED: u64 = 0x5EED_2026;

/// How an interval was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalMethod {
    /// This module's bootstrap over repetitions (whole runs).
    RepetitionBootstrap,
    /// Another estimator's own 95 % interval (criterion's, for C1): no repetition count.
    Estimator,
}

/// A ratio with its 95 % interval and the repetitions behind each side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioInterval {
    pub method: IntervalMethod,
    /// The ratio of the two medians.
    pub ratio: f64,
    pub low: f64,
    pub high: f64,
    /// Repetitions of the numerator and denominator sides.
    pub n_numerator: usize,
    pub n_denominator: usize,
}

impl RatioInterval {
    /// The smaller side's repetitions: what the minimum-repetitions rule reads.
    pub fn n(&self) -> usize {
        self.n_numerator.min(self.n_denominator)
    }

    /// A ratio whose interval another estimator computed (criterion's, for C1).
    pub fn from_estimator(ratio: f64, low: f64, high: f64) -> Self {
        Self {
            method: IntervalMethod::Estimator,
            ratio,
            low: low.min(ratio),
            high: high.max(ratio),
            n_numerator: 0,
            n_denominator: 0,
        }
    }

    /// A ratio with no spread over `n` repetitions per side (for tests and exact figures).
    pub fn exact(ratio: f64, n: usize) -> Self {
        Self {
            method: IntervalMethod::RepetitionBootstrap,
            ratio,
            low: ratio,
            high: ratio,
            n_numerator: n,
            n_denominator: n,
        }
    }

    /// The same interval for the inverse ratio (b/a instead of a/b).
    pub fn inverse(&self) -> Self {
        Self {
            method: self.method,
            ratio: 1.0 / self.ratio,
            low: 1.0 / self.high,
            high: 1.0 / self.low,
            n_numerator: self.n_denominator,
            n_denominator: self.n_numerator,
        }
    }
}

/// The median of `values` (the mean of the middle two for an even count); None when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    })
}

/// median(numerator) / median(denominator) with its bootstrap 95 % interval. None when a side
/// is empty or a median is not positive (a ratio of latencies or rates needs both above 0).
pub fn ratio_of_medians(numerator: &[f64], denominator: &[f64]) -> Option<RatioInterval> {
    let (top, bottom) = (median(numerator)?, median(denominator)?);
    if top <= 0.0 || bottom <= 0.0 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut ratios = Vec::with_capacity(RESAMPLES);
    let mut scratch_top = vec![0.0; numerator.len()];
    let mut scratch_bottom = vec![0.0; denominator.len()];
    for _ in 0..RESAMPLES {
        resample(&mut rng, numerator, &mut scratch_top);
        resample(&mut rng, denominator, &mut scratch_bottom);
        if let (Some(t), Some(b)) = (median(&scratch_top), median(&scratch_bottom)) {
            if b > 0.0 {
                ratios.push(t / b);
            }
        }
    }
    ratios.sort_by(f64::total_cmp);
    let quantile = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    Some(RatioInterval {
        method: IntervalMethod::RepetitionBootstrap,
        ratio: top / bottom,
        low: quantile(0.025),
        high: quantile(0.975),
        n_numerator: numerator.len(),
        n_denominator: denominator.len(),
    })
}

fn resample(rng: &mut ChaCha8Rng, from: &[f64], into: &mut [f64]) {
    for slot in into.iter_mut() {
        *slot = from[rng.random_range(0..from.len())];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn constant_sides_give_a_point_interval() {
        let r = ratio_of_medians(&[10.0; 5], &[2.0; 5]).unwrap();
        assert_eq!((r.ratio, r.low, r.high, r.n()), (5.0, 5.0, 5.0, 5));
    }

    #[test]
    fn the_interval_holds_the_ratio_and_widens_with_spread() {
        let narrow = ratio_of_medians(&[9.0, 10.0, 11.0, 10.0, 10.0], &[1.0; 5]).unwrap();
        let wide = ratio_of_medians(&[2.0, 10.0, 30.0, 5.0, 20.0], &[1.0; 5]).unwrap();
        assert!(narrow.low <= narrow.ratio && narrow.ratio <= narrow.high);
        assert!(wide.low <= wide.ratio && wide.ratio <= wide.high);
        assert!(wide.high - wide.low > narrow.high - narrow.low);
        // Never outside what the values allow.
        assert!(wide.low >= 2.0 && wide.high <= 30.0);
    }

    #[test]
    fn the_same_files_give_the_same_interval() {
        let a = [3.0, 7.0, 4.0, 9.0, 5.0];
        let b = [1.0, 2.0, 1.5, 1.2, 1.1];
        assert_eq!(ratio_of_medians(&a, &b), ratio_of_medians(&a, &b));
    }

    #[test]
    fn inverse_swaps_the_bounds() {
        let r = ratio_of_medians(&[4.0, 8.0, 6.0], &[2.0, 2.0, 2.0])
            .unwrap()
            .inverse();
        assert!(r.low <= r.ratio && r.ratio <= r.high);
        assert_eq!(r.ratio, 1.0 / 3.0);
    }

    #[test]
    fn empty_or_zero_sides_have_no_ratio() {
        assert!(ratio_of_medians(&[], &[1.0]).is_none());
        assert!(ratio_of_medians(&[1.0], &[0.0]).is_none());
    }
}
