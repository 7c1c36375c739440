//! The Go GC's mechanism inside a measured window, from two `/debug/stats` snapshots (GC CPU,
//! pauses, scheduling latencies: cumulative, so their difference) and the GC trace (cycles
//! with timestamps). The server's own figures, never loadgen's: see docs/API.md.

use std::time::Instant;

use serde_json::Value;
use server_launcher::GcTraceCycle;

use crate::result::{GcCycleRecord, GcPauseBucket, GoRuntimeWindow};
use crate::server_stats::histogram_between;

/// What went on inside a Go server between the `before` and `after` snapshots, taken at the
/// window's start and end; `process_cpu_seconds` is the server's CPU time over the same
/// window (user + system, from /proc); `cycles` are its GC trace so far (those overlapping
/// the window are kept). None when the snapshots are not a Go server's.
///
/// The GC's share divides the runtime's GC CPU estimate by the process's measured CPU: the
/// runtime's own total and idle classes are brought up to date only when a cycle ends, so
/// between cycles they do not move and cannot serve as the denominator.
pub fn go_runtime_window(
    before: &Value,
    after: &Value,
    process_cpu_seconds: f64,
    cycles: &[GcTraceCycle],
    (window_start, window_end): (Instant, Instant),
) -> Option<GoRuntimeWindow> {
    let delta = |key: &str| -> Option<f64> {
        Some((after.get(key)?.as_f64()? - before.get(key)?.as_f64()?).max(0.0))
    };
    let gc_cpu_seconds = delta("gc_cpu_seconds")?;
    let busy_cpu_seconds = process_cpu_seconds.max(0.0);
    let pauses = histogram_between(before, after, "gc_pause_buckets").unwrap_or_default();
    let latencies = histogram_between(before, after, "sched_latency_buckets").unwrap_or_default();
    Some(GoRuntimeWindow {
        gc_cpu_seconds,
        gc_mark_assist_cpu_seconds: delta("gc_mark_assist_cpu_seconds")?,
        gc_mark_dedicated_cpu_seconds: delta("gc_mark_dedicated_cpu_seconds")?,
        gc_mark_idle_cpu_seconds: delta("gc_mark_idle_cpu_seconds")?,
        gc_pause_cpu_seconds: delta("gc_pause_cpu_seconds")?,
        busy_cpu_seconds,
        gc_cpu_share: if busy_cpu_seconds > 0.0 {
            (gc_cpu_seconds / busy_cpu_seconds).min(1.0)
        } else {
            0.0
        },
        largest_pause_ns: quantile_upper_bound_ns(&pauses, 1.0),
        sched_latency_p99_ns: quantile_upper_bound_ns(&latencies, 0.99),
        sched_latency_max_ns: quantile_upper_bound_ns(&latencies, 1.0),
        sched_latency_buckets: latencies
            .into_iter()
            .map(|(le_ns, count)| GcPauseBucket { le_ns, count })
            .collect(),
        gc_cycles: cycles_in_window(cycles, window_start, window_end),
    })
}

/// The q-quantile of a histogram given as (upper bound ns, count) in ascending order, as the
/// upper bound of its bucket (never an underestimate); for the +Inf bucket, the largest
/// finite bound below it. 0 when empty.
pub fn quantile_upper_bound_ns(buckets: &[(Option<u64>, u64)], q: f64) -> u64 {
    let total: u64 = buckets.iter().map(|(_, count)| count).sum();
    if total == 0 {
        return 0;
    }
    let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
    let mut seen = 0;
    let mut last_finite = 0;
    for (le_ns, count) in buckets {
        seen += count;
        if let Some(le) = le_ns {
            last_finite = *le;
        }
        if seen >= rank {
            return le_ns.unwrap_or(last_finite);
        }
    }
    last_finite
}

/// The cycles that overlap [start, end], in milliseconds from `start`.
fn cycles_in_window(cycles: &[GcTraceCycle], start: Instant, end: Instant) -> Vec<GcCycleRecord> {
    let offset_ms = |at: Instant| -> f64 {
        if at >= start {
            (at - start).as_secs_f64() * 1000.0
        } else {
            -((start - at).as_secs_f64() * 1000.0)
        }
    };
    cycles
        .iter()
        .filter(|cycle| cycle.ended_at >= start && cycle.started_at() <= end)
        .map(|cycle| GcCycleRecord {
            number: cycle.line.number,
            start_ms: offset_ms(cycle.started_at()),
            end_ms: offset_ms(cycle.ended_at),
            stw_sweep_termination_ms: cycle.line.stw_sweep_termination_ms,
            concurrent_mark_ms: cycle.line.concurrent_mark_ms,
            stw_mark_termination_ms: cycle.line.stw_mark_termination_ms,
            heap_live_mb: cycle.line.heap_live_mb,
            heap_goal_mb: cycle.line.heap_goal_mb,
            forced: cycle.line.forced,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use server_launcher::parse_gctrace_line;

    use super::*;

    fn snapshot(gc: f64, total: f64, idle: f64, pauses: u64, latencies: &[(u64, u64)]) -> Value {
        json!({
            "gc_cpu_seconds": gc, "gc_mark_assist_cpu_seconds": gc / 4.0,
            "gc_mark_dedicated_cpu_seconds": gc / 2.0, "gc_mark_idle_cpu_seconds": 0.0,
            "gc_pause_cpu_seconds": gc / 4.0, "runtime_total_cpu_seconds": total,
            "runtime_idle_cpu_seconds": idle,
            "gc_pause_buckets": [{"le_ns": 50_000, "count": pauses}],
            "sched_latency_buckets": latencies.iter()
                .map(|(le, count)| json!({"le_ns": le, "count": count})).collect::<Vec<_>>(),
        })
    }

    fn cycle(number: u64, ended_at: Instant, mark_ms: f64) -> GcTraceCycle {
        let text = format!(
            "gc {number} @1.0s 5%: 0.01+{mark_ms}+0.02 ms clock, 0+1/1/0+0 ms cpu, 30->31->20 MB, 40 MB goal, 0 MB stacks, 0 MB globals, 1 P"
        );
        GcTraceCycle {
            line: parse_gctrace_line(&text).unwrap(),
            ended_at,
        }
    }

    #[test]
    fn window_figures_are_differences_of_the_snapshots() {
        let before = snapshot(1.0, 10.0, 2.0, 3, &[(1_000, 100)]);
        let after = snapshot(1.5, 20.0, 7.0, 4, &[(1_000, 190), (2_000_000, 10)]);
        let start = Instant::now();
        let end = start + Duration::from_secs(10);
        let window = go_runtime_window(&before, &after, 5.0, &[], (start, end)).unwrap();
        assert_eq!(window.gc_cpu_seconds, 0.5);
        assert_eq!(window.busy_cpu_seconds, 5.0);
        assert_eq!(window.gc_cpu_share, 0.1);
        // The runtime's estimate can exceed the measured CPU; the share stays a share.
        let overestimate = go_runtime_window(&before, &after, 0.25, &[], (start, end)).unwrap();
        assert_eq!(overestimate.gc_cpu_share, 1.0);
        assert_eq!(window.largest_pause_ns, 50_000);
        assert_eq!(window.sched_latency_p99_ns, 2_000_000);
        assert_eq!(window.sched_latency_max_ns, 2_000_000);
        assert_eq!(window.sched_latency_buckets.len(), 2);
        let rust = json!({"server": "rust-axum"});
        assert_eq!(
            go_runtime_window(&rust, &rust, 1.0, &[], (start, end)),
            None
        );
    }

    #[test]
    fn keeps_the_cycles_that_overlap_the_window() {
        let start = Instant::now() + Duration::from_secs(5);
        let end = start + Duration::from_secs(10);
        let cycles = [
            cycle(1, start - Duration::from_secs(1), 100.0), // wholly before
            cycle(2, start + Duration::from_millis(50), 100.0), // began before, ended inside
            cycle(3, start + Duration::from_secs(4), 200.0),
            cycle(4, end + Duration::from_millis(100), 300.0), // began inside, ended after
            cycle(5, end + Duration::from_secs(2), 100.0),     // wholly after
        ];
        let empty = snapshot(0.0, 0.0, 0.0, 0, &[]);
        let window = go_runtime_window(&empty, &empty, 1.0, &cycles, (start, end)).unwrap();
        let kept: Vec<u64> = window.gc_cycles.iter().map(|c| c.number).collect();
        assert_eq!(kept, [2, 3, 4]);
        let second = &window.gc_cycles[0];
        assert!((second.end_ms - 50.0).abs() < 1e-6);
        assert!(
            (second.start_ms - (50.0 - 100.03)).abs() < 1e-6,
            "{second:?}"
        );
        assert_eq!(window.gc_cycles[1].concurrent_mark_ms, 200.0);
    }

    #[test]
    fn quantiles_take_bucket_upper_bounds() {
        let buckets = [(Some(10), 90), (Some(100), 9), (None, 1)];
        assert_eq!(quantile_upper_bound_ns(&buckets, 0.5), 10);
        assert_eq!(quantile_upper_bound_ns(&buckets, 0.99), 100);
        assert_eq!(quantile_upper_bound_ns(&buckets, 1.0), 100);
        assert_eq!(quantile_upper_bound_ns(&[], 0.99), 0);
    }
}
