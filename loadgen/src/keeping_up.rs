//! Did a run measure the server, or loadgen? The one place for the two rules that say a
//! figure cannot judge a server: "behind schedule" (a constant-rate run did not send its
//! requests when the schedule said) and "loadgen-bound" (loadgen's own CPU was nearly full,
//! so it, not the server, may have set the pace). `run.rs` applies them once per run and
//! stores the verdicts in the result; the summary, the study and the report only read them.

use hdrhistogram::Histogram;

use crate::result::ScheduleCheck;

/// A request sent within this long of the moment it could be sent counts as on time. 1 ms is
/// wrk2's own timer tick, and it is 10–30× the service time of the study's requests on
/// loopback: a lag beyond it is queueing in the generator, not noise.
pub const ON_TIME_TOLERANCE_US: u64 = 1_000;

/// A constant-rate run in which loadgen sent fewer than this share of its requests on time
/// (by its own lag) is behind schedule: the 95 % mirrors the completion rule of rules v1.
pub const MIN_ON_TIME_SHARE: f64 = 0.95;

/// A constant-rate run whose responses completed at less than this share of the target rate
/// is behind schedule: the server did not sustain the rate, so its queue, and with it every
/// percentile, grows with the length of the window (rules v1's 95 %).
pub const MIN_ACHIEVED_SHARE: f64 = 0.95;

/// Loadgen lag below this is a loopback round trip plus scheduling noise and says nothing
/// about keeping up, even when it is half of a microsecond-scale latency.
pub const MOSTLY_LAG_FLOOR_US: u64 = 100;

/// A constant-rate run whose own loadgen lag at p99.9 exceeds this share of its latency at
/// p99.9 cannot vouch for its tail (rules v4): up to a quarter of the tail may be loadgen's,
/// which is the 1.25× "no difference" margin the verdicts use.
pub const MAX_LOADGEN_TAIL_SHARE: f64 = 0.25;

/// Loadgen lag below this at p99.9 is never blamed for a tail (a loopback round trip plus a
/// scheduler tick).
pub const LOADGEN_TAIL_FLOOR_US: u64 = 1_000;

/// Why a constant-rate run's tail is partly loadgen's own (rules v4), if it is. Applied to
/// every result, old ones included, by the report (`Run::is_usable`) and at run time by
/// [`schedule_check`].
pub fn loadgen_tail_reason(latency_p99_9_us: u64, loadgen_lag_p99_9_us: u64) -> Option<String> {
    let share = loadgen_lag_p99_9_us as f64 / latency_p99_9_us.max(1) as f64;
    (loadgen_lag_p99_9_us > LOADGEN_TAIL_FLOOR_US && share > MAX_LOADGEN_TAIL_SHARE).then(|| {
        format!(
            "loadgen's own send lag at p99.9 was {:.1} ms, {:.0} % of the {:.1} ms p99.9 \
             latency: the tail is partly the generator's",
            loadgen_lag_p99_9_us as f64 / 1000.0,
            share * 100.0,
            latency_p99_9_us as f64 / 1000.0
        )
    })
}

/// At or above this share of its cores (CPU seconds over wall seconds × worker threads)
/// loadgen, not the server, may have set the pace (C4's rule, issue 10).
pub const LOADGEN_BOUND: f64 = 0.9;

/// What a constant-rate run's send side recorded, for [`schedule_check`].
pub struct SendSide<'a> {
    /// Actual minus intended send time of every request sent in the window.
    pub send_lag: &'a Histogram<u64>,
    /// The part of each lag that was loadgen's own: actual send time minus the later of the
    /// intended time and the moment the connection was free to send (`engine/recorder.rs`).
    pub loadgen_lag: &'a Histogram<u64>,
    /// Requests scheduled in the window and never sent by the drain deadline.
    pub unsent: u64,
    pub target_rate: f64,
    /// Responses completed inside the window, over the window.
    pub achieved_rate: f64,
    pub latency_p50_us: u64,
    pub latency_p99_9_us: u64,
}

/// Judges a constant-rate run's schedule (rules v3, docs/RULES.md). Two different things
/// can make a request late, and only one of them disqualifies the run's latency:
/// - **loadgen's own lag** (the connection was free, loadgen sent late): the latency then
///   measures the generator: behind schedule;
/// - **the server's** (the connection was still waiting for an earlier response, as in
///   wrk2, where a connection carries one request at a time): the request's latency counts
///   from its intended time, so the stall is charged to it — that is the measurement, not a
///   fault; it is counted (`held_by_server`) and shown. Only when the server did not sustain
///   the rate at all is the run behind schedule.
pub fn schedule_check(side: &SendSide<'_>) -> ScheduleCheck {
    let sent = side.send_lag.len();
    let scheduled = sent + side.unsent;
    let within = |h: &Histogram<u64>| {
        if h.is_empty() {
            0
        } else {
            h.count_between(0, ON_TIME_TOLERANCE_US)
        }
    };
    let sent_on_time = within(side.send_lag);
    let loadgen_on_time = within(side.loadgen_lag);
    let share = |count: u64, of: u64| {
        if of == 0 {
            0.0
        } else {
            count as f64 / of as f64
        }
    };
    let on_time_share = share(sent_on_time, scheduled);
    let loadgen_on_time_share = share(loadgen_on_time, sent);
    // Late by the send lag, on time by loadgen's own: held by an earlier response.
    let held_by_server = loadgen_on_time.saturating_sub(sent_on_time);
    let achieved_share = if side.target_rate > 0.0 {
        side.achieved_rate / side.target_rate
    } else {
        0.0
    };
    let lag_p50_us = side.loadgen_lag.value_at_quantile(0.5);
    let tolerance_ms = ON_TIME_TOLERANCE_US as f64 / 1000.0;
    let behind_reason = if scheduled == 0 {
        Some("no request was scheduled in the measured window".to_string())
    } else if loadgen_on_time_share < MIN_ON_TIME_SHARE {
        Some(format!(
            "loadgen sent only {:.1} % of the {sent} requests it sent within {tolerance_ms} ms of \
             the moment it could (their intended time, or when their connection came free): \
             the latency includes loadgen's own queue",
            loadgen_on_time_share * 100.0,
        ))
    } else if lag_p50_us > MOSTLY_LAG_FLOOR_US && lag_p50_us * 2 > side.latency_p50_us {
        Some(format!(
            "the median request waited {:.3} ms for loadgen to send it, most of its {:.3} ms \
             latency: the latency measures the generator's queue, not the server",
            lag_p50_us as f64 / 1000.0,
            side.latency_p50_us as f64 / 1000.0
        ))
    } else if let Some(reason) = loadgen_tail_reason(
        side.latency_p99_9_us,
        side.loadgen_lag.value_at_quantile(0.999),
    ) {
        Some(reason)
    } else if achieved_share < MIN_ACHIEVED_SHARE {
        Some(format!(
            "the server completed {:.0} responses/s of the {:.0} scheduled ({:.1} %; {} never \
             sent): it did not sustain the rate, so the latency grows with the window",
            side.achieved_rate,
            side.target_rate,
            achieved_share * 100.0,
            side.unsent
        ))
    } else {
        None
    };
    ScheduleCheck {
        scheduled,
        sent_on_time,
        unsent: side.unsent,
        on_time_tolerance_us: ON_TIME_TOLERANCE_US,
        on_time_share,
        loadgen_on_time_share,
        held_by_server,
        achieved_share,
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

    /// A run at 1000/s that achieved its rate, with these lags.
    fn check(
        send_lag: &Histogram<u64>,
        loadgen_lag: &Histogram<u64>,
        unsent: u64,
        p50: u64,
    ) -> ScheduleCheck {
        schedule_check(&SendSide {
            send_lag,
            loadgen_lag,
            unsent,
            target_rate: 1000.0,
            achieved_rate: 1000.0,
            latency_p50_us: p50,
            latency_p99_9_us: 100_000,
        })
    }

    #[test]
    fn a_run_that_sends_on_time_keeps_up() {
        let lag = lags(&[(5, 990), (3_000, 10)]);
        let result = check(&lag, &lag, 0, 60);
        assert_eq!(result.scheduled, 1_000);
        assert_eq!(result.sent_on_time, 990);
        assert_eq!(result.held_by_server, 0);
        assert_eq!(result.behind_reason, None);
    }

    #[test]
    fn loadgen_sending_late_puts_a_run_behind() {
        // 900 on time, 100 late by loadgen's own lag.
        let lag = lags(&[(5, 900), (40_000, 100)]);
        let result = check(&lag, &lag, 0, 60);
        assert!((result.loadgen_on_time_share - 0.9).abs() < 1e-9);
        let reason = result.behind_reason.unwrap();
        assert!(reason.contains("90.0 %"), "{reason}");
    }

    #[test]
    fn requests_held_by_a_slow_server_response_are_measured_not_flagged() {
        // 300 of 1000 requests left 40 ms late because their connection was still waiting
        // for the previous response; loadgen sent each within 5 µs of the moment it could.
        let send_lag = lags(&[(5, 700), (40_000, 300)]);
        let loadgen_lag = lags(&[(5, 1_000)]);
        let result = check(&send_lag, &loadgen_lag, 0, 60);
        assert_eq!(result.held_by_server, 300);
        assert!((result.on_time_share - 0.7).abs() < 1e-9);
        assert_eq!(result.behind_reason, None);
    }

    #[test]
    fn a_server_that_does_not_sustain_the_rate_puts_a_run_behind() {
        let send_lag = lags(&[(50_000, 1_000)]);
        let loadgen_lag = lags(&[(5, 1_000)]);
        let result = schedule_check(&SendSide {
            send_lag: &send_lag,
            loadgen_lag: &loadgen_lag,
            unsent: 5_000,
            target_rate: 6_000.0,
            achieved_rate: 1_000.0,
            latency_p50_us: 60_000,
            latency_p99_9_us: 70_000,
        });
        let reason = result.behind_reason.unwrap();
        assert!(reason.contains("did not sustain"), "{reason}");
        assert!(reason.contains("5000 never sent"), "{reason}");
    }

    #[test]
    fn latency_that_is_mostly_loadgen_lag_is_flagged_even_when_on_time() {
        // Every request 800 µs late (under the tolerance) for 1 ms of latency.
        let lag = lags(&[(800, 1_000)]);
        let result = check(&lag, &lag, 0, 1_000);
        assert!((result.on_time_share - 1.0).abs() < 1e-9);
        assert!(result.behind_reason.unwrap().contains("waited"));
        // Microsecond-scale lag is noise, not a queue, even if it is half the latency.
        let fast = lags(&[(30, 1_000)]);
        assert_eq!(check(&fast, &fast, 0, 45).behind_reason, None);
    }

    #[test]
    fn a_tail_that_is_partly_loadgen_lag_cannot_vouch_for_the_server() {
        // Every request on time but ten 10 ms stalls of loadgen: its p99.9 lag is a third of
        // a 30 ms p99.9.
        let lag = lags(&[(5, 990), (10_000, 10)]);
        let result = schedule_check(&SendSide {
            send_lag: &lag,
            loadgen_lag: &lag,
            unsent: 0,
            target_rate: 1000.0,
            achieved_rate: 1000.0,
            latency_p50_us: 200,
            latency_p99_9_us: 30_000,
        });
        assert!(
            result
                .behind_reason
                .unwrap()
                .contains("partly the generator's")
        );
        // The same lag under a 200 ms tail is a small share: the tail is the server's.
        assert_eq!(loadgen_tail_reason(200_000, 10_000), None);
        // Sub-millisecond lag is never blamed, whatever the share.
        assert_eq!(loadgen_tail_reason(1_000, 900), None);
    }

    #[test]
    fn nothing_scheduled_is_behind() {
        let empty = new_histogram(3);
        assert!(check(&empty, &empty, 0, 0).behind_reason.is_some());
    }

    #[test]
    fn loadgen_is_bound_at_ninety_percent_of_its_cores() {
        assert!(is_loadgen_bound(loadgen_utilisation(9.0, 10.0, 1)));
        assert!(!is_loadgen_bound(loadgen_utilisation(9.0, 10.0, 2)));
        assert_eq!(loadgen_utilisation(1.0, 0.0, 1), 0.0);
    }
}
