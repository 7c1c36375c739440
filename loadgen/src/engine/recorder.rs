//! Per-worker recording: one set of HdrHistograms per worker thread, merged once at the end
//! (no locks or shared writes on the request path).

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::engine::intervals::IntervalSeries;
use crate::result::ErrorCounts;

use super::pacing::UnsentSpan;

/// Histogram range: 1 µs to 60 s at 3 significant digits, as the study specifies.
pub const LOWEST_US: u64 = 1;
pub const HIGHEST_US: u64 = 60_000_000;
pub const SIGNIFICANT_DIGITS: u8 = 3;
/// Per-second histograms only feed the time series (p50/p99/max per second), so 1 significant
/// digit (values resolved to about 1/16, ~6 %) keeps each at ~3 KB instead of ~250 KB at 3
/// digits: a 60 s run holds ~200 KB more than a 10 s one, so the generator's memory stays
/// flat. The run's own histograms keep 3 digits.
const PER_SECOND_DIGITS: u8 = 1;

/// A new histogram over the study's range.
pub fn new_histogram(digits: u8) -> Histogram<u64> {
    Histogram::new_with_bounds(LOWEST_US, HIGHEST_US, digits).expect("constant bounds are valid")
}

/// Why a request did not count as a success. Never mixed into latency figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    Connect,
    Timeout,
    Closed,
    Reset,
    Malformed,
    Status(u16),
}

/// Counts one failed request in the result's error counts (the schema in `result.rs` knows
/// nothing of the engine's failure kinds).
fn count_failure(errors: &mut ErrorCounts, kind: FailureKind) {
    match kind {
        FailureKind::Connect => errors.connect += 1,
        FailureKind::Timeout => errors.timeout += 1,
        FailureKind::Closed => errors.closed += 1,
        FailureKind::Reset => errors.reset += 1,
        FailureKind::Malformed => errors.malformed += 1,
        FailureKind::Status(code) => *errors.status.entry(code).or_default() += 1,
    }
}

/// The timestamps of one request, as wrk2 defines them.
#[derive(Debug, Clone, Copy)]
pub struct RequestTimes {
    /// When the schedule said the request should be sent (equals `sent` in closed loop).
    pub intended_send_time: Instant,
    pub sent: Instant,
    pub completed: Instant,
}

/// One second of the measured window.
pub struct SecondRecord {
    pub latency: Histogram<u64>,
    pub errors: u64,
}

impl SecondRecord {
    fn new() -> Self {
        Self {
            latency: new_histogram(PER_SECOND_DIGITS),
            errors: 0,
        }
    }
}

/// What one worker measured. `latency` is from the intended send time (the corrected
/// figure) in constant-rate mode, and equals `service` in closed-loop mode.
///
/// Two clocks decide what counts, as in wrk2: latency, errors and send lag belong to the
/// request's intended send time (a request scheduled in the window is measured however late
/// it completes), while throughput counts responses completed inside the window (a drain
/// after the window must not inflate requests/s).
pub struct Recorder {
    window_start: Instant,
    window_end: Instant,
    pub latency: Histogram<u64>,
    pub service: Histogram<u64>,
    /// Actual minus intended send time of every request sent (whatever its outcome).
    pub send_lag: Histogram<u64>,
    /// The part of each send lag that was loadgen's own: actual send time minus the later of
    /// the intended time and the moment the connection was free to send it (a connection
    /// still waiting for an earlier response is held by the server, not by loadgen).
    pub loadgen_lag: Histogram<u64>,
    pub per_second: Vec<SecondRecord>,
    /// The same requests in 100 ms intervals, for the interval log.
    pub intervals: IntervalSeries,
    pub errors: ErrorCounts,
    pub successes: u64,
    /// Successful responses that arrived inside [window_start, window_end), whatever their
    /// intended send time: the numerator of requests/s.
    pub successes_completed_in_window: u64,
}

impl Recorder {
    /// Records only requests whose intended send time falls in [window_start, window_end):
    /// requests of the warm-up are sent but not counted.
    pub fn new(window_start: Instant, window_end: Instant) -> Self {
        let seconds = (window_end - window_start).as_secs_f64().ceil() as usize;
        Self {
            window_start,
            window_end,
            latency: new_histogram(SIGNIFICANT_DIGITS),
            service: new_histogram(SIGNIFICANT_DIGITS),
            send_lag: new_histogram(SIGNIFICANT_DIGITS),
            loadgen_lag: new_histogram(SIGNIFICANT_DIGITS),
            per_second: (0..seconds.max(1)).map(|_| SecondRecord::new()).collect(),
            intervals: IntervalSeries::new(window_start, window_end),
            errors: ErrorCounts::default(),
            successes: 0,
            successes_completed_in_window: 0,
        }
    }

    fn second_of(&self, intended: Instant) -> Option<usize> {
        if intended < self.window_start || intended >= self.window_end {
            return None;
        }
        let second = (intended - self.window_start).as_secs() as usize;
        Some(second.min(self.per_second.len() - 1))
    }

    /// Records that the request intended at `intended_send_time` is being sent now, at
    /// `sent` (before its outcome is known, so that failures have a send lag too); its
    /// connection (or pipeline slot, or stream) was free to send from `free_since`.
    pub fn record_send(&mut self, intended_send_time: Instant, free_since: Instant, sent: Instant) {
        if self.second_of(intended_send_time).is_some() {
            let send_lag_us = micros(sent.saturating_duration_since(intended_send_time));
            self.send_lag.saturating_record(send_lag_us);
            let could_send = intended_send_time.max(free_since);
            self.loadgen_lag
                .saturating_record(micros(sent.saturating_duration_since(could_send)));
            self.intervals
                .record_send_lag(intended_send_time, send_lag_us);
        }
    }

    pub fn record_success(&mut self, times: RequestTimes) {
        if (self.window_start..self.window_end).contains(&times.completed) {
            self.successes_completed_in_window += 1;
        }
        let Some(second) = self.second_of(times.intended_send_time) else {
            return;
        };
        let latency_us = micros(times.completed - times.intended_send_time);
        // saturating_record clamps to the histogram's range instead of failing: a response
        // slower than 60 s is still counted, at 60 s.
        self.latency.saturating_record(latency_us);
        let service_us = micros(times.completed - times.sent);
        self.service.saturating_record(service_us);
        self.intervals
            .record_success(times.intended_send_time, latency_us, service_us);
        self.per_second[second]
            .latency
            .saturating_record(latency_us);
        self.successes += 1;
    }

    pub fn record_failure(&mut self, intended_send_time: Instant, kind: FailureKind) {
        let Some(second) = self.second_of(intended_send_time) else {
            return;
        };
        count_failure(&mut self.errors, kind);
        self.per_second[second].errors += 1;
    }

    /// Counts the requests of `span` intended inside the window as unsent, second by second,
    /// without visiting them one by one.
    pub fn record_unsent(&mut self, span: UnsentSpan) {
        let before_window = span.count_before(self.window_start);
        let mut counted_until = before_window;
        let seconds = self.per_second.len();
        for (second, record) in self.per_second.iter_mut().enumerate() {
            let boundary = if second + 1 == seconds {
                span.count_before(self.window_end)
            } else {
                span.count_before(self.window_start + Duration::from_secs(second as u64 + 1))
            };
            let in_second = boundary.saturating_sub(counted_until);
            record.errors += in_second;
            counted_until = counted_until.max(boundary);
        }
        self.errors.unsent += counted_until - before_window;
    }

    /// Adds another worker's recording to this one.
    pub fn merge(&mut self, other: &Recorder) {
        self.latency.add(&other.latency).expect("same bounds");
        self.service.add(&other.service).expect("same bounds");
        self.send_lag.add(&other.send_lag).expect("same bounds");
        self.loadgen_lag
            .add(&other.loadgen_lag)
            .expect("same bounds");
        for (mine, theirs) in self.per_second.iter_mut().zip(&other.per_second) {
            mine.latency.add(&theirs.latency).expect("same bounds");
            mine.errors += theirs.errors;
        }
        self.intervals.merge(&other.intervals);
        self.errors.merge(&other.errors);
        self.successes += other.successes;
        self.successes_completed_in_window += other.successes_completed_in_window;
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warmup_and_late_requests_are_not_recorded() {
        let start = Instant::now() + Duration::from_secs(1);
        let end = start + Duration::from_secs(2);
        let mut recorder = Recorder::new(start, end);
        let at = |intended: Instant| RequestTimes {
            intended_send_time: intended,
            sent: intended,
            completed: intended + Duration::from_millis(1),
        };
        recorder.record_success(at(start - Duration::from_millis(1)));
        recorder.record_success(at(end));
        recorder.record_failure(start - Duration::from_millis(1), FailureKind::Timeout);
        assert_eq!(recorder.successes, 0);
        assert_eq!(recorder.errors.total(), 0);
        recorder.record_success(at(start + Duration::from_millis(1500)));
        recorder.record_failure(start, FailureKind::Status(500));
        assert_eq!(recorder.successes, 1);
        assert_eq!(recorder.per_second[1].latency.len(), 1);
        assert_eq!(recorder.per_second[0].errors, 1);
        assert_eq!(recorder.errors.status.get(&500), Some(&1));
    }

    #[test]
    fn latency_counts_from_the_intended_send_time() {
        let start = Instant::now();
        let mut recorder = Recorder::new(start, start + Duration::from_secs(1));
        recorder.record_send(start, start, start + Duration::from_millis(100));
        recorder.record_success(RequestTimes {
            intended_send_time: start,
            sent: start + Duration::from_millis(100),
            completed: start + Duration::from_millis(101),
        });
        let within = |h: &Histogram<u64>, us: u64| h.equivalent(h.max(), us);
        assert!(within(&recorder.latency, 101_000));
        assert!(within(&recorder.service, 1_000));
        assert!(within(&recorder.send_lag, 100_000));
        // The connection was free all along: the whole lag was loadgen's.
        assert!(within(&recorder.loadgen_lag, 100_000));
    }

    #[test]
    fn lag_while_the_connection_waits_for_the_server_is_not_loadgen_lag() {
        let start = Instant::now();
        let mut recorder = Recorder::new(start, start + Duration::from_secs(1));
        // Due at 0, the connection's previous response came at 30 ms, sent 20 µs later.
        let free = start + Duration::from_millis(30);
        recorder.record_send(start, free, free + Duration::from_micros(20));
        let h = &recorder.send_lag;
        assert!(h.equivalent(h.max(), 30_020));
        assert_eq!(recorder.loadgen_lag.max(), 20);
        // Free before it was due: lag counts from the intended time.
        recorder.record_send(
            start + Duration::from_millis(5),
            start,
            start + Duration::from_millis(7),
        );
        let l = &recorder.loadgen_lag;
        assert!(l.equivalent(l.max(), 2_000));
    }

    #[test]
    fn merging_adds_counts_and_errors() {
        let start = Instant::now();
        let end = start + Duration::from_secs(1);
        let mut a = Recorder::new(start, end);
        let mut b = Recorder::new(start, end);
        let times = RequestTimes {
            intended_send_time: start,
            sent: start,
            completed: start + Duration::from_micros(50),
        };
        a.record_success(times);
        b.record_success(times);
        b.record_failure(start, FailureKind::Reset);
        a.merge(&b);
        assert_eq!(a.successes, 2);
        assert_eq!(a.latency.len(), 2);
        assert_eq!(a.errors.reset, 1);
        assert_eq!(a.per_second[0].errors, 1);
    }

    #[test]
    fn throughput_counts_completions_inside_the_window_only() {
        let start = Instant::now();
        let end = start + Duration::from_secs(1);
        let mut recorder = Recorder::new(start, end);
        let done_at = |completed: Instant| RequestTimes {
            intended_send_time: start,
            sent: start,
            completed,
        };
        recorder.record_success(done_at(start + Duration::from_millis(10)));
        // Intended in the window, answered in the drain: its latency counts, not its rate.
        recorder.record_success(done_at(end + Duration::from_millis(10)));
        assert_eq!(recorder.successes, 2);
        assert_eq!(recorder.successes_completed_in_window, 1);
    }

    #[test]
    fn unsent_spans_are_counted_per_second_inside_the_window() {
        let start = Instant::now() + Duration::from_secs(1);
        let end = start + Duration::from_millis(2_500);
        let mut recorder = Recorder::new(start, end);
        // One request every 1 ms from 500 ms before the window to its end: 3000 scheduled,
        // 500 of them in the warm-up.
        let span = UnsentSpan {
            first_intended: start - Duration::from_millis(500),
            interval_ns: 1e6,
            count: 3_000,
        };
        recorder.record_unsent(span);
        assert_eq!(recorder.errors.unsent, 2_500);
        let per_second: Vec<u64> = recorder.per_second.iter().map(|s| s.errors).collect();
        assert_eq!(per_second, vec![1_000, 1_000, 500]);
        // A span starting mid-window counts from its start.
        let mut late = Recorder::new(start, end);
        late.record_unsent(UnsentSpan {
            first_intended: start + Duration::from_millis(1_500),
            interval_ns: 1e6,
            count: 1_000,
        });
        assert_eq!(late.errors.unsent, 1_000);
        assert_eq!(late.per_second[1].errors, 500);
    }
}
