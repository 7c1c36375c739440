//! What made a Go run's tail: stop-the-world pauses, concurrent mark work, or neither.
//!
//! The article blames a "200 ms GC pause". Go's collector pauses the world twice per cycle,
//! briefly; most of its work is concurrent marking, which on a busy core takes CPU time from
//! the requests (and makes allocating goroutines assist). These are different mechanisms
//! with different cures, so the study names which one the data shows, by the rules below,
//! declared before any data and tested on synthetic data only.
//!
//! Rules, in order:
//! 1. **pauses** when the largest stop-the-world pause in the window is at least
//!    [`PAUSE_SHARE_OF_TAIL`] of the tail latency: a request caught in a pause waits for all
//!    of it, so a pause that size puts requests into the tail on its own.
//! 2. **concurrent mark work** when the GC took at least [`MIN_GC_CPU_SHARE`] of the CPU the
//!    program used, *and* the slow intervals (those whose worst latency reached the tail
//!    latency) overlap a GC cycle: at least [`MIN_SLOW_SHARE_WITH_GC`] of them do, and that
//!    share is at least [`MIN_LIFT_OVER_BASE_RATE`] times the share of all intervals that
//!    overlap one (otherwise GC merely runs all the time and coincidence proves nothing).
//! 3. **neither** otherwise; the reason says which condition failed.

use serde::{Deserialize, Serialize};

/// Rule 1: a pause this share of the tail latency, or more, explains the tail by itself.
pub const PAUSE_SHARE_OF_TAIL: f64 = 0.5;
/// Rule 2: below this share of the program's CPU, the collector cannot delay requests by
/// more than the noise of a shared core (on one core, 5 % is 5 ms of every 100 ms).
pub const MIN_GC_CPU_SHARE: f64 = 0.05;
/// Rule 2: most slow intervals must overlap a GC cycle.
pub const MIN_SLOW_SHARE_WITH_GC: f64 = 0.75;
/// Rule 2: and they must do so clearly more often than intervals in general.
pub const MIN_LIFT_OVER_BASE_RATE: f64 = 1.5;

/// The three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TailCause {
    /// Stop-the-world pauses (rule 1).
    Pauses,
    /// The collector's concurrent work competing with the requests (rule 2).
    ConcurrentMarkWork,
    /// Neither rule holds.
    Neither,
}

/// One slice of the run's timeline: its bounds and the worst latency of requests sent in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyInterval {
    /// From the start of the measured window, ms.
    pub start_ms: f64,
    pub end_ms: f64,
    /// The largest latency recorded in it, µs.
    pub max_latency_us: u64,
}

/// One GC cycle's span on the same clock, ms (see `GcCycleRecord`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CycleSpan {
    pub start_ms: f64,
    pub end_ms: f64,
}

/// What the rules read.
#[derive(Debug, Clone, PartialEq)]
pub struct TailEvidence {
    /// The tail percentile the verdict reads (e.g. p99.9), µs.
    pub tail_latency_us: u64,
    /// The largest stop-the-world pause inside the window, ns.
    pub largest_pause_ns: u64,
    /// The GC's share of the CPU the program used in the window.
    pub gc_cpu_share: f64,
    /// The run's timeline, in intervals of equal length (100 ms or finer is best; 1 s
    /// intervals rarely separate GC from the rest, and then rule 2 says so).
    pub intervals: Vec<LatencyInterval>,
    /// The GC cycles that overlapped the window.
    pub cycles: Vec<CycleSpan>,
}

/// The answer and the figures behind it, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TailClassification {
    pub cause: TailCause,
    pub reason: String,
}

/// Applies the rules of this module to one run.
pub fn classify_tail(evidence: &TailEvidence) -> TailClassification {
    let tail_ms = evidence.tail_latency_us as f64 / 1000.0;
    let pause_ms = evidence.largest_pause_ns as f64 / 1e6;
    if tail_ms > 0.0 && pause_ms >= PAUSE_SHARE_OF_TAIL * tail_ms {
        return TailClassification {
            cause: TailCause::Pauses,
            reason: format!(
                "the largest stop-the-world pause ({pause_ms:.3} ms) is {:.0} % of the tail \
                 latency ({tail_ms:.3} ms), at least {:.0} %",
                100.0 * pause_ms / tail_ms,
                100.0 * PAUSE_SHARE_OF_TAIL
            ),
        };
    }
    let pause_note = format!(
        "pauses reached {pause_ms:.3} ms, under {:.0} % of the tail ({tail_ms:.3} ms)",
        100.0 * PAUSE_SHARE_OF_TAIL
    );
    let neither = |why: String| TailClassification {
        cause: TailCause::Neither,
        reason: format!("{pause_note}; {why}"),
    };
    if evidence.gc_cpu_share < MIN_GC_CPU_SHARE {
        return neither(format!(
            "the GC used {:.1} % of the CPU, under {:.0} %",
            100.0 * evidence.gc_cpu_share,
            100.0 * MIN_GC_CPU_SHARE
        ));
    }
    let Some(alignment) = alignment(evidence) else {
        return neither("no latency intervals to line up with GC cycles".into());
    };
    let needed_share = MIN_SLOW_SHARE_WITH_GC.max(MIN_LIFT_OVER_BASE_RATE * alignment.base_rate);
    let figures = format!(
        "{} of {} slow intervals overlap a GC cycle ({:.0} %), against {:.0} % of all intervals",
        alignment.slow_with_gc,
        alignment.slow,
        100.0 * alignment.slow_share,
        100.0 * alignment.base_rate
    );
    if needed_share > 1.0 {
        return neither(format!(
            "{figures}: GC runs in so much of the run that coincidence cannot tell (finer \
             intervals would)"
        ));
    }
    if alignment.slow_share < needed_share {
        return neither(format!(
            "{figures}, under the {:.0} % needed",
            100.0 * needed_share
        ));
    }
    TailClassification {
        cause: TailCause::ConcurrentMarkWork,
        reason: format!(
            "{pause_note}; the GC used {:.1} % of the CPU and {figures}",
            100.0 * evidence.gc_cpu_share
        ),
    }
}

struct Alignment {
    slow: usize,
    slow_with_gc: usize,
    slow_share: f64,
    base_rate: f64,
}

fn alignment(evidence: &TailEvidence) -> Option<Alignment> {
    if evidence.intervals.is_empty() {
        return None;
    }
    let overlaps_gc = |interval: &LatencyInterval| {
        evidence
            .cycles
            .iter()
            .any(|cycle| cycle.start_ms < interval.end_ms && cycle.end_ms > interval.start_ms)
    };
    let with_gc = evidence.intervals.iter().filter(|i| overlaps_gc(i)).count();
    let slow: Vec<&LatencyInterval> = evidence
        .intervals
        .iter()
        .filter(|i| i.max_latency_us >= evidence.tail_latency_us)
        .collect();
    if slow.is_empty() {
        return None;
    }
    let slow_with_gc = slow.iter().filter(|i| overlaps_gc(i)).count();
    Some(Alignment {
        slow: slow.len(),
        slow_with_gc,
        slow_share: slow_with_gc as f64 / slow.len() as f64,
        base_rate: with_gc as f64 / evidence.intervals.len() as f64,
    })
}

/// The evidence of a finished Go run at the resolution its result file holds (one interval
/// per measured second: coarse, see [`TailEvidence::intervals`]), reading `tail_latency_us`
/// as the tail. None for a run without the Go runtime's window (Rust, nginx, old results).
pub fn evidence_from_result(
    result: &crate::result::RunResult,
    tail_latency_us: u64,
) -> Option<TailEvidence> {
    let window = result.server.as_ref()?.go_runtime.as_ref()?;
    Some(TailEvidence {
        tail_latency_us,
        largest_pause_ns: window.largest_pause_ns,
        gc_cpu_share: window.gc_cpu_share,
        intervals: result
            .per_second
            .iter()
            .map(|second| LatencyInterval {
                start_ms: second.second as f64 * 1000.0,
                end_ms: (second.second + 1) as f64 * 1000.0,
                max_latency_us: second.max_us,
            })
            .collect(),
        cycles: window
            .gc_cycles
            .iter()
            .map(|cycle| CycleSpan {
                start_ms: cycle.start_ms,
                end_ms: cycle.end_ms,
            })
            .collect(),
    })
}

/// One line for a Go run's row in the report: what made its tail (p99.9), with the window's
/// GC figures; None for runs without the Go runtime's window.
pub fn describe_run(result: &crate::result::RunResult) -> Option<String> {
    let evidence = evidence_from_result(result, result.figures.latency.p99_9_us)?;
    let cycles = result.server.as_ref()?.go_runtime.as_ref()?.gc_cycles.len();
    let classification = classify_tail(&evidence);
    let cause = match classification.cause {
        TailCause::Pauses => "stop-the-world pauses",
        TailCause::ConcurrentMarkWork => "concurrent mark work",
        TailCause::Neither => "neither pauses nor mark work",
    };
    Some(format!(
        "GC: tail (p99.9) from {cause}. {cycles} cycle{} in the window; {}.",
        if cycles == 1 { "" } else { "s" },
        classification.reason
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 intervals of 100 ms, 1 ms worst latency except where `slow` says 20 ms.
    fn timeline(slow: &[usize]) -> Vec<LatencyInterval> {
        (0..100)
            .map(|i| LatencyInterval {
                start_ms: i as f64 * 100.0,
                end_ms: (i + 1) as f64 * 100.0,
                max_latency_us: if slow.contains(&i) { 20_000 } else { 1_000 },
            })
            .collect()
    }

    /// Cycles of 50 ms starting at the given intervals' starts.
    fn cycles_at(intervals: &[usize]) -> Vec<CycleSpan> {
        intervals
            .iter()
            .map(|&i| CycleSpan {
                start_ms: i as f64 * 100.0 + 10.0,
                end_ms: i as f64 * 100.0 + 60.0,
            })
            .collect()
    }

    fn evidence(pause_ns: u64, share: f64, slow: &[usize], gc: &[usize]) -> TailEvidence {
        TailEvidence {
            tail_latency_us: 20_000,
            largest_pause_ns: pause_ns,
            gc_cpu_share: share,
            intervals: timeline(slow),
            cycles: cycles_at(gc),
        }
    }

    #[test]
    fn a_pause_half_the_tail_is_pauses() {
        let result = classify_tail(&evidence(10_000_000, 0.01, &[5], &[]));
        assert_eq!(result.cause, TailCause::Pauses, "{}", result.reason);
        assert!(result.reason.contains("10.000 ms"), "{}", result.reason);
        let below = classify_tail(&evidence(9_000_000, 0.01, &[5], &[]));
        assert_ne!(below.cause, TailCause::Pauses);
    }

    #[test]
    fn slow_intervals_during_gc_with_enough_gc_cpu_are_mark_work() {
        // GC in 10 of 100 intervals; all 4 slow intervals among them.
        let gc = [3, 10, 20, 30, 40, 50, 60, 70, 80, 90];
        let result = classify_tail(&evidence(50_000, 0.2, &[10, 30, 50, 70], &gc));
        assert_eq!(
            result.cause,
            TailCause::ConcurrentMarkWork,
            "{}",
            result.reason
        );
        assert!(
            result.reason.contains("4 of 4 slow intervals"),
            "{}",
            result.reason
        );
    }

    #[test]
    fn little_gc_cpu_is_neither() {
        let gc = [10, 30, 50, 70];
        let result = classify_tail(&evidence(50_000, 0.02, &[10, 30, 50, 70], &gc));
        assert_eq!(result.cause, TailCause::Neither);
        assert!(
            result.reason.contains("2.0 % of the CPU"),
            "{}",
            result.reason
        );
    }

    #[test]
    fn slow_intervals_away_from_gc_are_neither() {
        let gc = [11, 31, 51, 71];
        let result = classify_tail(&evidence(50_000, 0.2, &[10, 30, 50, 70], &gc));
        assert_eq!(result.cause, TailCause::Neither);
        assert!(result.reason.contains("0 of 4"), "{}", result.reason);
    }

    #[test]
    fn gc_everywhere_cannot_be_told_apart() {
        let everywhere: Vec<usize> = (0..100).collect();
        let result = classify_tail(&evidence(50_000, 0.3, &[10, 30], &everywhere));
        assert_eq!(result.cause, TailCause::Neither);
        assert!(
            result.reason.contains("coincidence cannot tell"),
            "{}",
            result.reason
        );
    }

    #[test]
    fn alignment_needs_the_lift_as_well_as_the_share() {
        // GC in 60 % of intervals: 75 % of slow ones with GC is not 1.5× the base rate (90 %).
        let gc: Vec<usize> = (0..60).collect();
        let result = classify_tail(&evidence(50_000, 0.3, &[1, 2, 3, 80], &gc));
        assert_eq!(result.cause, TailCause::Neither);
        assert!(
            result.reason.contains("under the 90 % needed"),
            "{}",
            result.reason
        );
    }

    #[test]
    fn no_intervals_is_neither() {
        let mut no_timeline = evidence(50_000, 0.3, &[], &[]);
        no_timeline.intervals.clear();
        assert_eq!(classify_tail(&no_timeline).cause, TailCause::Neither);
    }

    #[test]
    fn a_result_file_is_described_in_one_line() {
        let example = include_str!("../tests/fixtures/result.example.json");
        let mut result: crate::result::RunResult = serde_json::from_str(example).unwrap();
        let line = describe_run(&result).expect("the example is a Go run with its GC window");
        assert!(line.starts_with("GC: tail (p99.9) from "), "{line}");
        assert!(line.contains("cycles in the window"), "{line}");
        result.server.as_mut().unwrap().go_runtime = None;
        assert_eq!(describe_run(&result), None);
    }
}
