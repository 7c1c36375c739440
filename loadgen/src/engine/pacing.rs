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
    },
}

impl Pacing {
    pub fn new(
        rate_per_second: Option<f64>,
        connection: usize,
        connections: usize,
        origin: Instant,
        end: Instant,
    ) -> Self {
        match rate_per_second {
            None => Pacing::ClosedLoop { end },
            Some(rate) => Pacing::ConstantRate {
                first: origin + Duration::from_secs_f64(connection as f64 / rate),
                interval_ns: connections as f64 * 1e9 / rate,
                end,
            },
        }
    }

    pub fn is_closed_loop(&self) -> bool {
        matches!(self, Pacing::ClosedLoop { .. })
    }

    /// The intended send time of this connection's request number `sequence`, or None when
    /// it would fall after the end of the run.
    pub fn send_time(&self, sequence: u64, now: Instant) -> Option<Instant> {
        match *self {
            Pacing::ClosedLoop { end } => (now < end).then_some(now),
            Pacing::ConstantRate {
                first,
                interval_ns,
                end,
            } => {
                let intended = first + Duration::from_nanos((sequence as f64 * interval_ns) as u64);
                // A connection that is behind stops at the end of the run all the same: the
                // requests it never sent show up as a schedule completion ratio below 1.
                (intended < end && now < end).then_some(intended)
            }
        }
    }

    /// Waits until request `sequence` is due and returns its intended send time.
    pub async fn wait_for_send_time(&self, sequence: u64) -> Option<Instant> {
        let intended = self.send_time(sequence, Instant::now())?;
        loop {
            let now = Instant::now();
            if now >= intended {
                return Some(intended);
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
        let pacing = Pacing::new(Some(1000.0), 1, 4, origin, end);
        let at = |seq| pacing.send_time(seq, origin).unwrap() - origin;
        assert_eq!(at(0), Duration::from_millis(1));
        assert_eq!(at(1), Duration::from_millis(5));
        assert_eq!(at(2), Duration::from_millis(9));
        // 250 sends fit into one second for each connection, the 251st does not.
        assert!(pacing.send_time(249, origin).is_some());
        assert!(pacing.send_time(250, origin).is_none());
        // Behind schedule at the end of the run: nothing more is sent.
        assert!(pacing.send_time(10, end).is_none());
    }

    #[test]
    fn closed_loop_sends_now_until_the_end() {
        let origin = Instant::now();
        let end = origin + Duration::from_secs(1);
        let pacing = Pacing::new(None, 0, 4, origin, end);
        assert!(pacing.is_closed_loop());
        assert_eq!(pacing.send_time(7, origin), Some(origin));
        assert_eq!(pacing.send_time(7, end), None);
    }
}
