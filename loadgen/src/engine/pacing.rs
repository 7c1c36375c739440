//! When each request is sent.
//!
//! Closed loop: a connection sends as soon as its previous response has arrived; latency is
//! the service time, and a stalled server simply receives fewer requests (the generator is
//! coordinated with it — labelled as such in every result).
//!
//! Constant rate (wrk2's model): one schedule for the whole run, request j intended at
//! origin + j / rate, request j going to connection j mod C. A connection that falls behind
//! sends at once, and the request's latency still counts from its intended send time, so a
//! stall is charged to every request it delayed (coordinated omission corrected at the
//! source — which is why HdrHistogram's `record_correct` must not be applied on top).
//! Connections wait for their send times on the worker's microsecond timer (`timer.rs`),
//! so loadgen sleeps between sends instead of spinning.

use std::time::{Duration, Instant};

use super::timer::PreciseTimer;

pub enum Pacing {
    ClosedLoop {
        end: Instant,
        /// No exchange may outlast this (end + request timeout): see `drain_deadline`.
        drain_deadline: Instant,
    },
    ConstantRate {
        /// Intended send time of this connection's first request.
        first: Instant,
        /// Nanoseconds between this connection's requests: connections / rate.
        interval_ns: f64,
        /// How many of this connection's requests are scheduled before the end of the run.
        scheduled: u64,
        /// After the end of the run a connection that is behind keeps sending what was
        /// scheduled before the end, until this deadline (end + request timeout); what is
        /// still unsent then is counted as `unsent`, never silently dropped: those are the
        /// requests a late stall delayed most. This bounds a run at duration + timeout
        /// whatever the rate (wrk2 simply stops at the end and forgets them).
        drain_deadline: Instant,
    },
}

/// Requests a connection gave up on: `count` of them, the first intended at `first_intended`,
/// one every `interval_ns`. Counted arithmetically: at an absurd rate there can be 10^9.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnsentSpan {
    pub first_intended: Instant,
    pub interval_ns: f64,
    pub count: u64,
}

impl UnsentSpan {
    /// Intended send time of the span's request number `index`.
    pub fn intended(&self, index: u64) -> Instant {
        self.first_intended + Duration::from_nanos((index as f64 * self.interval_ns) as u64)
    }

    /// How many of the span's requests are intended before `time`.
    pub fn count_before(&self, time: Instant) -> u64 {
        if time <= self.first_intended {
            return 0;
        }
        let since_ns = (time - self.first_intended).as_nanos() as f64;
        ((since_ns / self.interval_ns).ceil() as u64).min(self.count)
    }
}

/// What a connection does next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// Send the request intended at this time.
    Send(Instant),
    /// Past the drain deadline: every request still scheduled before the end is unsent.
    GiveUp(UnsentSpan),
    /// Nothing more is scheduled.
    Done,
}

impl Pacing {
    pub fn new(
        rate_per_second: Option<f64>,
        connection: usize,
        connections: usize,
        origin: Instant,
        end: Instant,
        request_timeout: Duration,
    ) -> Self {
        let drain_deadline = end + request_timeout;
        match rate_per_second {
            None => Pacing::ClosedLoop {
                end,
                drain_deadline,
            },
            Some(rate) => {
                let first = origin + Duration::from_secs_f64(connection as f64 / rate);
                let interval_ns = connections as f64 * 1e9 / rate;
                let scheduled = UnsentSpan {
                    first_intended: first,
                    interval_ns,
                    count: u64::MAX,
                }
                .count_before(end);
                Pacing::ConstantRate {
                    first,
                    interval_ns,
                    scheduled,
                    drain_deadline,
                }
            }
        }
    }

    pub fn is_closed_loop(&self) -> bool {
        matches!(self, Pacing::ClosedLoop { .. })
    }

    /// The moment by which this connection stops: no exchange may run past it.
    pub fn drain_deadline(&self) -> Instant {
        match *self {
            Pacing::ClosedLoop { drain_deadline, .. }
            | Pacing::ConstantRate { drain_deadline, .. } => drain_deadline,
        }
    }

    /// What to do about this connection's request number `sequence` at time `now`.
    pub fn next(&self, sequence: u64, now: Instant) -> Next {
        match *self {
            Pacing::ClosedLoop { end, .. } => {
                if now < end {
                    Next::Send(now)
                } else {
                    Next::Done
                }
            }
            Pacing::ConstantRate {
                first,
                interval_ns,
                scheduled,
                drain_deadline,
            } => {
                if sequence >= scheduled {
                    return Next::Done;
                }
                let rest = UnsentSpan {
                    first_intended: first,
                    interval_ns,
                    count: scheduled,
                };
                let intended = rest.intended(sequence);
                if now >= drain_deadline {
                    Next::GiveUp(UnsentSpan {
                        first_intended: intended,
                        interval_ns,
                        count: scheduled - sequence,
                    })
                } else {
                    Next::Send(intended)
                }
            }
        }
    }

    /// Waits until request `sequence` is due (on the worker's microsecond timer) and says
    /// what to do with it.
    pub async fn wait_for_send_time(&self, sequence: u64, timer: &PreciseTimer) -> Next {
        let next = self.next(sequence, Instant::now());
        if let Next::Send(intended) = next {
            if timer.sleep_until(intended).await.is_err() {
                // The timerfd failed (it does not in practice): tokio's millisecond timer
                // still keeps the schedule, at up to 1 ms of extra send lag.
                tokio::time::sleep_until(intended.into()).await;
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_rate_spreads_one_schedule_over_connections() {
        let origin = Instant::now();
        let end = origin + Duration::from_secs(1);
        // 1000 req/s over 4 connections: connection 1 sends at 1 ms, 5 ms, 9 ms, ...
        let timeout = Duration::from_secs(2);
        let pacing = Pacing::new(Some(1000.0), 1, 4, origin, end, timeout);
        let at = |seq| match pacing.next(seq, origin) {
            Next::Send(intended) => intended - origin,
            other => panic!("{other:?}"),
        };
        assert_eq!(at(0), Duration::from_millis(1));
        assert_eq!(at(1), Duration::from_millis(5));
        assert_eq!(at(2), Duration::from_millis(9));
        // 250 sends fit into one second for each connection, the 251st does not.
        assert!(matches!(pacing.next(249, origin), Next::Send(_)));
        assert_eq!(pacing.next(250, origin), Next::Done);
        // Behind schedule at the end of the run: what was due before the end is still sent
        // until the drain deadline, then counted as unsent in one span.
        assert!(matches!(pacing.next(10, end), Next::Send(_)));
        match pacing.next(10, end + timeout) {
            Next::GiveUp(span) => {
                assert_eq!(span.count, 240);
                assert_eq!(span.first_intended - origin, Duration::from_millis(41));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(pacing.next(250, end + timeout), Next::Done);
    }

    #[test]
    fn closed_loop_sends_now_until_the_end() {
        let origin = Instant::now();
        let end = origin + Duration::from_secs(1);
        let pacing = Pacing::new(None, 0, 4, origin, end, Duration::from_secs(2));
        assert!(pacing.is_closed_loop());
        assert_eq!(pacing.next(7, origin), Next::Send(origin));
        assert_eq!(pacing.next(7, end), Next::Done);
    }

    #[test]
    fn an_absurd_rate_gives_up_in_one_step() {
        let origin = Instant::now();
        let end = origin + Duration::from_secs(1);
        // 10^9 req/s over 64 connections: ~15.6 million requests per connection.
        let pacing = Pacing::new(Some(1e9), 3, 64, origin, end, Duration::from_secs(2));
        match pacing.next(1000, end + Duration::from_secs(2)) {
            Next::GiveUp(span) => {
                let scheduled = (1e9 / 64.0) as u64;
                assert!(span.count.abs_diff(scheduled - 1000) <= 1, "{}", span.count);
                assert!(span.intended(span.count - 1) < end);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unsent_spans_count_requests_before_a_time() {
        let origin = Instant::now();
        let span = UnsentSpan {
            first_intended: origin,
            interval_ns: 1e6,
            count: 100,
        };
        assert_eq!(span.count_before(origin), 0);
        // Intended at 0, 1, ..., 9 ms: ten before 9.5 ms, ten before 10 ms, eleven after it.
        assert_eq!(span.count_before(origin + Duration::from_micros(9_500)), 10);
        assert_eq!(span.count_before(origin + Duration::from_millis(10)), 10);
        assert_eq!(
            span.count_before(origin + Duration::from_micros(10_001)),
            11
        );
        assert_eq!(span.count_before(origin + Duration::from_secs(5)), 100);
    }
}
