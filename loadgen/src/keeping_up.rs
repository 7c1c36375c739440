//! Did a run measure the server, or loadgen? The one place for the two rules that say a
//! figure cannot judge a server: "behind schedule" (a constant-rate run did not send its
//! requests when the schedule said) and "loadgen-bound" (loadgen's own CPU was nearly full,
//! so it, not the server, may have set the pace). `run.rs` applies them once per run and
//! stores the verdicts in the result; the summary, the study and the report only read them.

use hdrhistogram::Histogram;

use crate::result::ScheduleCheck;

/// A request sent within this long of its intended time counts as on time. 1 ms is wrk2's
/// own timer tick, and it is 10–30× the service time of the study's requests on loopback:
/// a lag beyond it is queueing in the generator (or a connection held up by the server), not
/// noise.
pub const ON_TIME_TOLERANCE_US: u64 = 1_000;

/// A constant-rate run sending fewer than this share of its window's scheduled requests on
/// time is behind schedule: the 95 % mirrors the old completion rule, now on the send side,
/// where a generator that queues requests cannot hide it.
pub const MIN_ON_TIME_SHARE: f64 = 0.95;

/// Send lag below this is a loopback round trip plus scheduling noise and says nothing about
/// keeping up, even when it is half of a microsecond-scale latency.
pub const MOSTLY_LAG_FLOOR_US: u64 = 100;

/// At or above this share of its cores (CPU seconds over wall seconds × worker threads)
/// loadgen, not the server, may have set the pace (C4's rule, issue 10).
pub const LOADGEN_BOUND: f64 = 0.9;

/// Judges a constant-rate run's schedule from the send lag of every request it sent in the
/// window and the requests it never sent.
pub fn schedule_check(
    send_lag: &Histogram<u64>,
    unsent: u64,
    latency_p50_us: u64,
) -> ScheduleCheck {
    let sent = send_lag.len();
    let scheduled = sent + unsent;
    let sent_on_time = if sent == 0 {
        0
    } else {
        send_lag.count_between(0, ON_TIME_TOLERANCE_US)
    };
    let on_time_share = if scheduled == 0 {
        0.0
    } else {
        sent_on_time as f64 / scheduled as f64
    };
    let lag_p50_us = send_lag.value_at_quantile(0.5);
    let behind_reason = if scheduled == 0 {
        Some("no request was scheduled in the measured window".to_string())
    } else if on_time_share < MIN_ON_TIME_SHARE {
        Some(format!(
            "only {:.1} % of the {scheduled} scheduled requests were sent within {} ms of their \
             intended time ({unsent} never sent); the target rate was not reached and the \
             latency includes the queueing",
            on_time_share * 100.0,
            ON_TIME_TOLERANCE_US as f64 / 1000.0
        ))
    } else if lag_p50_us > MOSTLY_LAG_FLOOR_US && lag_p50_us * 2 > latency_p50_us {
        Some(format!(
            "the median request waited {:.3} ms to be sent, most of its {:.3} ms latency: the \
             latency measures the generator's queue, not the server",
            lag_p50_us as f64 / 1000.0,
            latency_p50_us as f64 / 1000.0
        ))
    } else {
        None
    };
    ScheduleCheck {
        scheduled,
        sent_on_time,
        unsent,
        on_time_tolerance_us: ON_TIME_TOLERANCE_US,
        on_time_share,
        behind_reason,
    }
}

/// loadgen's CPU use as a share of the cores its workers had.
pub fn loadgen_utilisation(cpu_seconds: f64, wall_seconds: f64, threads: usize) -> f64 {
    if wall_seconds <= 0.0 {
        return 0.0;
    }
    cpu_seconds / (wall_seconds * threads.max(1) as f64)
}

/// See [`LOADGEN_BOUND`].
pub fn is_loadgen_bound(utilisation: f64) -> bool {
    utilisation >= LOADGEN_BOUND
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::recorder::new_histogram;

    fn lags(values_us: &[(u64, u64)]) -> Histogram<u64> {
        let mut histogram = new_histogram(3);
        for &(value, count) in values_us {
            histogram.record_n(value, count).unwrap();
        }
        histogram
    }

    #[test]
    fn a_run_that_sends_on_time_keeps_up() {
        let check = schedule_check(&lags(&[(5, 990), (3_000, 10)]), 0, 60);
        assert_eq!(check.scheduled, 1_000);
        assert_eq!(check.sent_on_time, 990);
        assert_eq!(check.behind_reason, None);
    }

    #[test]
    fn late_or_unsent_requests_put_a_run_behind() {
        // 900 on time, 50 late, 50 never sent: 90 % on time.
        let check = schedule_check(&lags(&[(5, 900), (40_000, 50)]), 50, 60);
        assert_eq!(check.scheduled, 1_000);
        assert!((check.on_time_share - 0.9).abs() < 1e-9);
        let reason = check.behind_reason.unwrap();
        assert!(reason.contains("90.0 %"), "{reason}");
        assert!(reason.contains("50 never sent"), "{reason}");
    }

    #[test]
    fn latency_that_is_mostly_send_lag_is_flagged_even_when_on_time() {
        // Every request 800 µs late (under the tolerance) for 1 ms of latency.
        let check = schedule_check(&lags(&[(800, 1_000)]), 0, 1_000);
        assert!((check.on_time_share - 1.0).abs() < 1e-9);
        assert!(check.behind_reason.unwrap().contains("waited"));
        // Microsecond-scale lag is noise, not a queue, even if it is half the latency.
        let fast = schedule_check(&lags(&[(30, 1_000)]), 0, 45);
        assert_eq!(fast.behind_reason, None);
    }

    #[test]
    fn nothing_scheduled_is_behind() {
        let check = schedule_check(&new_histogram(3), 0, 0);
        assert!(check.behind_reason.is_some());
    }

    #[test]
    fn loadgen_is_bound_at_ninety_percent_of_its_cores() {
        assert!(is_loadgen_bound(loadgen_utilisation(9.0, 10.0, 1)));
        assert!(!is_loadgen_bound(loadgen_utilisation(9.0, 10.0, 2)));
        assert_eq!(loadgen_utilisation(1.0, 0.0, 1), 0.0);
    }
}
