//! The change between two samples and its 95 % interval, by a percentile bootstrap of the
//! ratio of medians (new / base): the same bootstrap the claims use
//! ([`crate::report::bootstrap`]), seeded, so the same files always give the same interval.

use crate::report::bootstrap;

/// A ratio and its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioEstimate {
    pub ratio: f64,
    pub low: f64,
    pub high: f64,
}

/// The median of a non-empty sample (NaN for an empty one).
pub fn median(values: &[f64]) -> f64 {
    bootstrap::median(values).unwrap_or(f64::NAN)
}

/// median(new) / median(base) with a 95 % percentile-bootstrap interval, resampling each
/// side independently. None when either side is empty or has a non-positive median. With
/// one value per side the interval collapses to the point: the caller must say so.
pub fn ratio_of_medians(base: &[f64], new: &[f64]) -> Option<RatioEstimate> {
    bootstrap::ratio_of_medians(new, base).map(|r| RatioEstimate {
        ratio: r.ratio,
        low: r.low,
        high: r.high,
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
