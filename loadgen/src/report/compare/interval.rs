//! The change between two samples and its 95 % interval, by a percentile bootstrap of the
//! ratio of medians (new / base). Deterministic: the resampling is seeded, so the same files
//! always give the same interval.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Resamples per interval: enough for stable 2.5 % / 97.5 % quantiles.
const RESAMPLES: usize = 4000;
const SEED: u64 = 0x636f_6d70_6172_6521;

/// A ratio and its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioEstimate {
    pub ratio: f64,
    pub low: f64,
    pub high: f64,
}

/// The median of a non-empty sample.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// median(new) / median(base) with a 95 % percentile-bootstrap interval, resampling each
/// side independently. None when either side is empty or has a non-positive median. With
/// one value per side the interval collapses to the point: the caller must say so.
pub fn ratio_of_medians(base: &[f64], new: &[f64]) -> Option<RatioEstimate> {
    if base.is_empty() || new.is_empty() {
        return None;
    }
    let (base_median, new_median) = (median(base), median(new));
    if base_median <= 0.0 || new_median <= 0.0 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut ratios = Vec::with_capacity(RESAMPLES);
    let mut base_draw = vec![0.0; base.len()];
    let mut new_draw = vec![0.0; new.len()];
    for _ in 0..RESAMPLES {
        for slot in base_draw.iter_mut() {
            *slot = base[rng.random_range(0..base.len())];
        }
        for slot in new_draw.iter_mut() {
            *slot = new[rng.random_range(0..new.len())];
        }
        let b = median(&base_draw);
        if b > 0.0 {
            ratios.push(median(&new_draw) / b);
        }
    }
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    Some(RatioEstimate {
        ratio: new_median / base_median,
        low: at(0.025),
        high: at(0.975),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_samples_give_an_interval_around_one() {
        let sample = [10.0, 11.0, 9.0, 10.5, 9.5];
        let estimate = ratio_of_medians(&sample, &sample).unwrap();
        assert_eq!(estimate.ratio, 1.0);
        assert!(estimate.low < 1.0 && estimate.high > 1.0, "{estimate:?}");
    }

    #[test]
    fn a_doubling_beyond_the_spread_excludes_one() {
        let base = [10.0, 11.0, 9.0, 10.5, 9.5];
        let new = [20.0, 22.0, 18.0, 21.0, 19.0];
        let estimate = ratio_of_medians(&base, &new).unwrap();
        assert_eq!(estimate.ratio, 2.0);
        assert!(estimate.low > 1.5, "{estimate:?}");
    }

    #[test]
    fn overlapping_samples_straddle_one() {
        let base = [10.0, 14.0, 8.0, 12.0, 9.0];
        let new = [11.0, 8.5, 13.0, 9.5, 12.5];
        let estimate = ratio_of_medians(&base, &new).unwrap();
        assert!(estimate.low < 1.0 && estimate.high > 1.0, "{estimate:?}");
    }

    #[test]
    fn the_interval_is_reproducible() {
        let base = [3.0, 4.0, 5.0];
        let new = [4.0, 5.0, 6.0];
        assert_eq!(ratio_of_medians(&base, &new), ratio_of_medians(&base, &new));
    }

    #[test]
    fn empty_or_zero_samples_have_no_ratio() {
        assert_eq!(ratio_of_medians(&[], &[1.0]), None);
        assert_eq!(ratio_of_medians(&[0.0], &[1.0]), None);
    }
}
