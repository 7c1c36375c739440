//! The verdict scale of docs/RULES.md, in one place: the verdicts, the thresholds with their
//! reasons, and the one function that places a ratio's 95 % interval on the scale. Claims
//! (`claims.rs`) choose which figure is judged against which scale; nothing else decides a
//! verdict. Every sentence a verdict carries is built here from the figures.

use serde::Serialize;

use crate::report::bootstrap::{IntervalMethod, RatioInterval};
use crate::report::format::ratio;

/// The rules' version, printed by the report beside the claims table (docs/RULES.md).
pub const RULES_VERSION: &str = "5 (2026-12-02)";

/// Fewer repetitions per side than this: "inconclusive" (a bootstrap over fewer has no
/// spread to speak of).
pub const MIN_REPETITIONS: usize = 3;

/// Effect ratios below this are "no difference" (the article's smallest claimed ratio is 2×).
pub const NO_DIFFERENCE: f64 = 1.25;

/// Latency ratios (C2, C3): reproduced within the article's figure ÷ 2 to × 2.
pub const LATENCY_BAND: f64 = 2.0;

/// Resource ratios (C5): reproduced within the article's figure ÷ 1.5 to × 1.5.
pub const RESOURCE_BAND: f64 = 1.5;

/// A claim's verdict, on the symmetric scale of docs/RULES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Verdict {
    Reproduced,
    Stronger,
    Weaker,
    Contradicted,
    Inconclusive,
    NotTestable,
}

impl Verdict {
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::Stronger => "stronger than claimed",
            Verdict::Weaker => "weaker than claimed",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NotTestable => "not testable here",
        }
    }

    /// The CSS class of the verdict's cell.
    pub fn css_class(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::Stronger => "stronger",
            Verdict::Weaker => "weaker",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NotTestable => "not-testable",
        }
    }

    /// True for the verdicts that state a finding (not inconclusive, not untestable).
    pub fn is_definite(self) -> bool {
        !matches!(self, Verdict::Inconclusive | Verdict::NotTestable)
    }
}

/// Where a ratio is judged against the article's figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// The article claims an effect of `article`× (above 1, in the direction the ratio is
    /// oriented): reproduced within `article / band ..= article * band`, stronger above it,
    /// weaker between [`NO_DIFFERENCE`] and the band, contradicted below [`NO_DIFFERENCE`].
    Effect { article: f64, band: f64 },
    /// The article claims equality: reproduced within `1 / band ..= band`, contradicted
    /// outside it on either side (C1's speed: faster is as much "not the same" as slower).
    Equality { band: f64 },
    /// The article claims "comparable": reproduced within `1 / band ..= band`, stronger
    /// above, weaker below down to `floor`, contradicted below `floor` (C4).
    Comparable { band: f64, floor: f64 },
}

impl Scale {
    /// The region of the scale a single value falls in.
    fn region(&self, x: f64) -> Verdict {
        match *self {
            Scale::Effect { article, band } => {
                if x < NO_DIFFERENCE {
                    Verdict::Contradicted
                } else if x < article / band {
                    Verdict::Weaker
                } else if x <= article * band {
                    Verdict::Reproduced
                } else {
                    Verdict::Stronger
                }
            }
            Scale::Equality { band } => {
                if (1.0 / band..=band).contains(&x) {
                    Verdict::Reproduced
                } else {
                    Verdict::Contradicted
                }
            }
            Scale::Comparable { band, floor } => {
                if x < floor {
                    Verdict::Contradicted
                } else if x < 1.0 / band {
                    Verdict::Weaker
                } else if x <= band {
                    Verdict::Reproduced
                } else {
                    Verdict::Stronger
                }
            }
        }
    }

    /// The reproduced band in words, e.g. "20×–80×".
    pub fn band_text(&self) -> String {
        let (low, high) = match *self {
            Scale::Effect { article, band } => (article / band, article * band),
            Scale::Equality { band } | Scale::Comparable { band, .. } => (1.0 / band, band),
        };
        format!("{}–{}", fine_ratio(low), fine_ratio(high))
    }
}

/// A ratio with two decimals near 1 (where C1's 5 % band lives), else as the report prints it.
pub fn fine_ratio(x: f64) -> String {
    if (0.5..2.0).contains(&x) {
        format!("{x:.2}×")
    } else {
        ratio(x)
    }
}

/// A judged ratio: the verdict and the sentence that says why, from the figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub verdict: Verdict,
    /// e.g. "Go/Rust p99.9 12× (95 % interval 8.1×–19×, n = 5)".
    pub figure: String,
    /// e.g. "weaker than claimed: the whole interval is below the reproduced band 20×–80×".
    pub reason: String,
}

/// Places `interval` (the ratio named `what`) on `scale`.
pub fn judge(what: &str, interval: &RatioInterval, scale: &Scale) -> Finding {
    let basis = match interval.method {
        IntervalMethod::RepetitionBootstrap => format!("n = {}", interval.n()),
        IntervalMethod::Estimator => "criterion".to_string(),
    };
    let figure = format!(
        "{what} {} (95 % interval {}–{}, {basis})",
        fine_ratio(interval.ratio),
        fine_ratio(interval.low),
        fine_ratio(interval.high),
    );
    if interval.method == IntervalMethod::RepetitionBootstrap && interval.n() < MIN_REPETITIONS {
        return Finding {
            verdict: Verdict::Inconclusive,
            figure,
            reason: format!(
                "too little data: {} repetition{} per side, the rules need {MIN_REPETITIONS}",
                interval.n(),
                if interval.n() == 1 { "" } else { "s" }
            ),
        };
    }
    let (low, high) = (scale.region(interval.low), scale.region(interval.high));
    let band = scale.band_text();
    if low != high {
        return Finding {
            verdict: Verdict::Inconclusive,
            figure,
            reason: format!(
                "the interval spans from {} to {} (reproduced band {band})",
                low.text(),
                high.text()
            ),
        };
    }
    let reason = match low {
        Verdict::Reproduced => format!("the whole interval is inside the band {band}"),
        Verdict::Stronger => format!("the whole interval is above the band {band}"),
        Verdict::Weaker => format!(
            "the whole interval is below the band {band}, above no difference ({})",
            fine_ratio(NO_DIFFERENCE)
        ),
        _ if interval.high < 1.0 && matches!(scale, Scale::Effect { .. }) => {
            "the whole interval is below 1×: the opposite direction".to_string()
        }
        _ => match scale {
            Scale::Effect { .. } => format!(
                "the whole interval is below {}: no difference of the kind claimed",
                fine_ratio(NO_DIFFERENCE)
            ),
            Scale::Equality { .. } => format!("the whole interval is outside the band {band}"),
            Scale::Comparable { floor, .. } => {
                format!("the whole interval is below {}", fine_ratio(*floor))
            }
        },
    };
    Finding {
        verdict: low,
        figure,
        reason: format!("{}: {reason}", low.text()),
    }
}

/// The verdict of a row judged at several points (load levels, sizes): the one shared by more
/// than half of the points, else "inconclusive". Each point is (label, verdict); the sentence
/// names the points of each verdict, e.g. "reproduced at 75 %, 90 %; weaker than claimed at
/// 25 %, 50 %".
pub fn majority(points: &[(String, Verdict)]) -> (Verdict, String) {
    if points.is_empty() {
        return (Verdict::NotTestable, "no point was judged".into());
    }
    let mut groups: Vec<(Verdict, Vec<&str>)> = Vec::new();
    for (label, verdict) in points {
        match groups.iter_mut().find(|(v, _)| v == verdict) {
            Some((_, labels)) => labels.push(label),
            None => groups.push((*verdict, vec![label])),
        }
    }
    let words = groups
        .iter()
        .map(|(v, labels)| format!("{} at {}", v.text(), labels.join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    let winner = groups
        .iter()
        .find(|(_, labels)| 2 * labels.len() > points.len())
        .map(|(v, _)| *v);
    match winner {
        Some(verdict) => (verdict, words),
        None => (
            Verdict::Inconclusive,
            format!("no verdict holds at more than half of the points: {words}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic interval with `n` repetitions per side.
    fn interval(low: f64, ratio_: f64, high: f64, n: usize) -> RatioInterval {
        RatioInterval {
            method: IntervalMethod::RepetitionBootstrap,
            ratio: ratio_,
            low,
            high,
            n_numerator: n,
            n_denominator: n,
        }
    }

    const FORTY: Scale = Scale::Effect {
        article: 40.0,
        band: LATENCY_BAND,
    };

    #[test]
    fn an_effect_claim_reaches_every_verdict() {
        let v = |low, mid, high| judge("x", &interval(low, mid, high, 5), &FORTY).verdict;
        assert_eq!(v(25.0, 40.0, 70.0), Verdict::Reproduced);
        assert_eq!(v(90.0, 120.0, 200.0), Verdict::Stronger);
        assert_eq!(v(3.0, 8.0, 15.0), Verdict::Weaker);
        assert_eq!(v(0.8, 1.0, 1.2), Verdict::Contradicted);
        assert_eq!(v(0.2, 0.4, 0.6), Verdict::Contradicted);
        assert_eq!(v(12.0, 25.0, 30.0), Verdict::Inconclusive);
        assert_eq!(v(1.0, 2.0, 3.0), Verdict::Inconclusive);
    }

    #[test]
    fn the_scale_is_symmetric_around_the_article() {
        // Twice the article's figure and half of it are both at the band's edge, inside.
        let v = |x: f64| judge("x", &RatioInterval::exact(x, 5), &FORTY).verdict;
        assert_eq!(v(80.0), Verdict::Reproduced);
        assert_eq!(v(20.0), Verdict::Reproduced);
        assert_eq!(v(80.1), Verdict::Stronger);
        assert_eq!(v(19.9), Verdict::Weaker);
    }

    #[test]
    fn too_few_repetitions_are_inconclusive_whatever_the_figure() {
        let finding = judge("x", &interval(40.0, 40.0, 40.0, 2), &FORTY);
        assert_eq!(finding.verdict, Verdict::Inconclusive);
        assert!(
            finding.reason.contains("too little data"),
            "{}",
            finding.reason
        );
    }

    #[test]
    fn sentences_come_from_the_figures() {
        let finding = judge("Go/Rust p99.9", &interval(50.0, 68.0, 75.0, 5), &FORTY);
        assert!(finding.figure.contains("68×"), "{}", finding.figure);
        assert!(finding.figure.contains("50×–75×"), "{}", finding.figure);
        assert!(finding.figure.contains("n = 5"), "{}", finding.figure);
        assert!(finding.reason.contains("20×–80×"), "{}", finding.reason);
        let opposite = judge("Go/Rust p99.9", &interval(0.3, 0.5, 0.7, 5), &FORTY);
        assert!(opposite.reason.contains("opposite"), "{}", opposite.reason);
        let straddle = judge("x", &interval(15.0, 25.0, 30.0, 5), &FORTY);
        assert!(
            straddle
                .reason
                .contains("from weaker than claimed to reproduced"),
            "{}",
            straddle.reason
        );
    }

    #[test]
    fn equality_is_broken_on_either_side() {
        let same = Scale::Equality { band: 1.05 };
        let v = |low, high| judge("t", &interval(low, (low + high) / 2.0, high, 5), &same).verdict;
        assert_eq!(v(0.97, 1.03), Verdict::Reproduced);
        assert_eq!(v(0.80, 0.90), Verdict::Contradicted);
        assert_eq!(v(1.10, 1.20), Verdict::Contradicted);
        assert_eq!(v(0.90, 1.00), Verdict::Inconclusive);
    }

    #[test]
    fn comparable_has_four_regions() {
        let c = Scale::Comparable {
            band: 1.25,
            floor: 0.5,
        };
        let v = |x: f64| judge("t", &RatioInterval::exact(x, 5), &c).verdict;
        assert_eq!(v(1.0), Verdict::Reproduced);
        assert_eq!(v(1.5), Verdict::Stronger);
        assert_eq!(v(0.6), Verdict::Weaker);
        assert_eq!(v(0.3), Verdict::Contradicted);
    }

    #[test]
    fn a_row_takes_the_majority_or_is_inconclusive() {
        let points = |vs: &[Verdict]| {
            vs.iter()
                .enumerate()
                .map(|(i, v)| (format!("{} %", 25 * (i + 1)), *v))
                .collect::<Vec<_>>()
        };
        use Verdict::*;
        let (v, words) = majority(&points(&[Weaker, Reproduced, Reproduced, Reproduced]));
        assert_eq!(v, Reproduced);
        assert!(words.contains("weaker than claimed at 25 %"), "{words}");
        let (v, words) = majority(&points(&[Weaker, Weaker, Reproduced, Reproduced]));
        assert_eq!(v, Inconclusive);
        assert!(words.contains("reproduced at 75 %, 100 %"), "{words}");
        assert_eq!(majority(&[]).0, NotTestable);
    }
}
