//! One figure of one cell, base against new: the change, its interval, where the interval
//! came from, and the verdict (criterion's model: a change counts only when its interval
//! excludes "no change" and it is larger than the noise threshold).

use crate::report::collect::Run;
use crate::report::compare::figures::{Better, Figure};
use crate::report::compare::interval::{RatioEstimate, median, ratio_of_medians};

/// Where a change's interval comes from, stated beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalSource {
    /// A bootstrap over repeated runs of the cell on each side.
    Repetitions,
    /// One run per side: a bootstrap over the runs' one-second intervals. Narrower than a
    /// repetition interval would be (it cannot see run-to-run drift): labelled so.
    Intervals,
    /// One run per side and no per-interval figure: no interval at all.
    None,
}

impl IntervalSource {
    pub fn describe(self) -> &'static str {
        match self {
            IntervalSource::Repetitions => "bootstrap over repetitions",
            IntervalSource::Intervals => "bootstrap over 1 s intervals of single runs",
            IntervalSource::None => "single runs, no interval",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeVerdict {
    Improved,
    Regressed,
    /// The interval includes no change, or the change is within the noise threshold.
    NoChange,
    /// No interval: the point change is shown but not judged.
    Unjudged,
}

impl ChangeVerdict {
    pub fn text(self) -> &'static str {
        match self {
            ChangeVerdict::Improved => "improved",
            ChangeVerdict::Regressed => "regressed",
            ChangeVerdict::NoChange => "no change beyond noise",
            ChangeVerdict::Unjudged => "not judged (n = 1)",
        }
    }

    pub fn css_class(self) -> &'static str {
        match self {
            ChangeVerdict::Improved => "improved",
            ChangeVerdict::Regressed => "regressed",
            ChangeVerdict::NoChange => "same",
            ChangeVerdict::Unjudged => "unjudged",
        }
    }
}

/// One figure, base against new.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureChange {
    pub figure: Figure,
    /// Medians over the side's runs, in the figure's unit.
    pub base: f64,
    pub new: f64,
    /// new / base with its 95 % interval (collapsed to the point without an interval).
    pub estimate: RatioEstimate,
    pub source: IntervalSource,
    pub verdict: ChangeVerdict,
}

impl FigureChange {
    /// How much worse new is than base, as a fraction (0.25 = 25 % worse); negative when better.
    pub fn worsening(&self) -> f64 {
        match self.figure.better() {
            Better::Lower => self.estimate.ratio - 1.0,
            Better::Higher => 1.0 / self.estimate.ratio - 1.0,
        }
    }
}

/// Compares one figure over the runs of one cell. None when a side lacks the figure.
pub fn change(figure: Figure, base: &[&Run], new: &[&Run], noise: f64) -> Option<FigureChange> {
    let base_values: Vec<f64> = base.iter().filter_map(|r| figure.of_run(r)).collect();
    let new_values: Vec<f64> = new.iter().filter_map(|r| figure.of_run(r)).collect();
    if base_values.is_empty() || new_values.is_empty() {
        return None;
    }
    let point = ratio_of_medians(&base_values, &new_values)?;
    let (estimate, source) = if base_values.len() >= 2 && new_values.len() >= 2 {
        (point, IntervalSource::Repetitions)
    } else {
        match single_run_intervals(figure, base, new) {
            Some(from_intervals) => (
                RatioEstimate {
                    ratio: point.ratio,
                    ..from_intervals
                },
                IntervalSource::Intervals,
            ),
            None => (point, IntervalSource::None),
        }
    };
    Some(FigureChange {
        figure,
        base: median(&base_values),
        new: median(&new_values),
        estimate,
        source,
        verdict: judge(figure, &estimate, source, noise),
    })
}

/// The interval from the per-second figures of one run per side.
fn single_run_intervals(figure: Figure, base: &[&Run], new: &[&Run]) -> Option<RatioEstimate> {
    let (Some(base_run), Some(new_run)) = (base.first(), new.first()) else {
        return None;
    };
    ratio_of_medians(
        &figure.per_interval(base_run)?,
        &figure.per_interval(new_run)?,
    )
}

/// The verdict: judged only with an interval; a change counts when the interval excludes 1
/// and the point change exceeds the noise threshold (a fraction, e.g. 0.05).
pub fn judge(
    figure: Figure,
    estimate: &RatioEstimate,
    source: IntervalSource,
    noise: f64,
) -> ChangeVerdict {
    if source == IntervalSource::None {
        return ChangeVerdict::Unjudged;
    }
    let higher = estimate.low > 1.0 && estimate.ratio > 1.0 + noise;
    let lower = estimate.high < 1.0 && estimate.ratio < 1.0 / (1.0 + noise);
    match (figure.better(), higher, lower) {
        (Better::Lower, true, _) | (Better::Higher, _, true) => ChangeVerdict::Regressed,
        (Better::Lower, _, true) | (Better::Higher, true, _) => ChangeVerdict::Improved,
        _ => ChangeVerdict::NoChange,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(ratio: f64, low: f64, high: f64) -> RatioEstimate {
        RatioEstimate { ratio, low, high }
    }

    #[test]
    fn a_change_counts_only_beyond_noise_with_an_interval_that_excludes_one() {
        use ChangeVerdict::*;
        let cases = [
            // (figure, ratio, low, high, verdict)
            (Figure::P99, 1.5, 1.3, 1.7, Regressed),
            (Figure::RequestsPerSecond, 1.5, 1.3, 1.7, Improved),
            (Figure::P99, 0.6, 0.5, 0.7, Improved),
            (Figure::RequestsPerSecond, 0.6, 0.5, 0.7, Regressed),
            // The interval includes no change.
            (Figure::P50, 1.4, 0.9, 1.9, NoChange),
            // Certain, but within the noise threshold.
            (Figure::P50, 1.02, 1.01, 1.03, NoChange),
        ];
        for (figure, ratio, low, high, expected) in cases {
            let verdict = judge(
                figure,
                &estimate(ratio, low, high),
                IntervalSource::Repetitions,
                0.05,
            );
            assert_eq!(verdict, expected, "{figure:?} {ratio} [{low}, {high}]");
        }
    }

    #[test]
    fn without_an_interval_nothing_is_judged() {
        let big = estimate(3.0, 3.0, 3.0);
        assert_eq!(
            judge(Figure::P99_9, &big, IntervalSource::None, 0.05),
            ChangeVerdict::Unjudged
        );
    }
}
