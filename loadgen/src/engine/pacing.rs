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

use std::time::{Duration, Instant};

/// How far ahead of a send time the timer may wake; the rest is spent yielding. tokio's timer
/// has 1 ms granularity, which would add up to 1 ms of send lag to every request.
const SPIN_WINDOW: Duration = Duration::from_micros(1500);

pub enum Pacing {
    ClosedLoop {
        end: Instant,
    },
    ConstantRate {
        /// Intended send time of this connection's first request.
        first: Instant,
        /// Nanoseconds between this connection's requests: connections / rate.
        interval_ns: f64,
        end: Instant,
        /// After the end of the run a connection that is behind keeps sending what was
        /// scheduled before the end, until this deadline (end + request timeout); what is
        /// still unsent then is recorded as `unsent`, never silently dropped: those are the
        /// requests a late stall delayed most.
        drain_deadline: Instant,
    },
}

/// What a connection does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Send the request intended at this time.
    Send(Instant),
    /// The request intended at this time (before the end) can no longer be sent in time.
    Unsent(Instant),
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
        match rate_per_second {
            None => Pacing::ClosedLoop { end },
            Some(rate) => Pacing::ConstantRate {
                first: origin + Duration::from_secs_f64(connection as f64 / rate),
                interval_ns: connections as f64 * 1e9 / rate,
                end,
                drain_deadline: end + request_timeout,
            },
        }
    }

    pub fn is_closed_loop(&self) -> bool {
        matches!(self, Pacing::ClosedLoop { .. })
    }

    /// What to do about this connection's request number `sequence` at time `now`.
    pub fn next(&self, sequence: u64, now: Instant) -> Next {
        match *self {
            Pacing::ClosedLoop { end } => {
                if now < end {
                    Next::Send(now)
                } else {
                    Next::Done
                }
            }
            Pacing::ConstantRate {
                first,
                interval_ns,
                end,
                drain_deadline,
            } => {
                let intended = first + Duration::from_nanos((sequence as f64 * interval_ns) as u64);
                if intended >= end {
                    Next::Done
                } else if now >= drain_deadline {
                    Next::Unsent(intended)
                } else {
                    Next::Send(intended)
                }
            }
        }
    }

    /// Waits until request `sequence` is due; returns `Send` once it is.
    pub async fn wait_for_send_time(&self, sequence: u64) -> Next {
        let intended = match self.next(sequence, Instant::now()) {
            Next::Send(intended) => intended,
            other => return other,
        };
        loop {
            let now = Instant::now();
            if now >= intended {
                return Next::Send(intended);
            }
            let left = intended - now;
            if left > SPIN_WINDOW {
                tokio::time::sleep_until((intended - SPIN_WINDOW).into()).await;
            } else {
                tokio::task::yield_now().await;
            }
        }
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
        // until the drain deadline, then recorded as unsent.
        assert!(matches!(pacing.next(10, end), Next::Send(_)));
        assert!(matches!(pacing.next(10, end + timeout), Next::Unsent(_)));
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
}
