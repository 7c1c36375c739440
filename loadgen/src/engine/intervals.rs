//! The measured window cut into 100 ms intervals, each with its own latency, service-time and
//! send-lag histograms, for the HdrHistogram interval log (`intervals.hlog`): the resolution
//! at which a latency spike can be lined up with a GC cycle.
//!
//! Requests belong to the interval of their intended send time, as in the run's own
//! histograms. Interval histograms keep 2 significant digits (values resolved to 1 %) and
//! grow only as far as the largest value recorded, so a 60 s run of 600 intervals stays at a
//! few MB per worker; the run's own histograms keep 3 digits.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

/// One interval of the log.
pub const INTERVAL: Duration = Duration::from_millis(100);
const INTERVAL_DIGITS: u8 = 2;

/// The three histograms of one interval (µs).
#[derive(Clone)]
pub struct IntervalHistograms {
    pub latency: Histogram<u64>,
    pub service_time: Histogram<u64>,
    pub send_lag: Histogram<u64>,
}

impl Default for IntervalHistograms {
    fn default() -> Self {
        Self::new()
    }
}

impl IntervalHistograms {
    pub fn new() -> Self {
        let empty = || Histogram::new(INTERVAL_DIGITS).expect("2 significant digits are valid");
        Self {
            latency: empty(),
            service_time: empty(),
            send_lag: empty(),
        }
    }

    /// The histograms with the tags the interval log gives them.
    pub fn tagged(&self) -> [(&'static str, &Histogram<u64>); 3] {
        [
            ("latency", &self.latency),
            ("service-time", &self.service_time),
            ("send-lag", &self.send_lag),
        ]
    }

    /// Adds a histogram read back from an interval log under its tag (a tag this version
    /// does not write is skipped).
    pub fn add_tagged(&mut self, tag: &str, histogram: &Histogram<u64>) {
        let mine = match tag {
            "latency" => &mut self.latency,
            "service-time" => &mut self.service_time,
            "send-lag" => &mut self.send_lag,
            _ => return,
        };
        let _ = mine.add(histogram);
    }

    fn add(&mut self, other: &IntervalHistograms) {
        // Auto-resizing histograms of the same precision always add.
        let _ = self.latency.add(&other.latency);
        let _ = self.service_time.add(&other.service_time);
        let _ = self.send_lag.add(&other.send_lag);
    }
}

/// Records into an auto-resizing histogram (`saturating_record` would clamp to its current,
/// tiny range instead of growing it), capped at the run histograms' 60 s like them.
fn record(histogram: &mut Histogram<u64>, value_us: u64) {
    let _ = histogram.record(value_us.clamp(1, 60_000_000));
}

/// The window's intervals; created lazily, so an interval nobody recorded into costs nothing.
pub struct IntervalSeries {
    window_start: Instant,
    intervals: Vec<Option<IntervalHistograms>>,
}

impl IntervalSeries {
    pub fn new(window_start: Instant, window_end: Instant) -> Self {
        let count = (window_end - window_start)
            .as_nanos()
            .div_ceil(INTERVAL.as_nanos())
            .max(1) as usize;
        Self {
            window_start,
            intervals: vec![None; count],
        }
    }

    /// A series rebuilt from intervals read back (`loadgen merge`): interval i covers
    /// [i × 100 ms, (i + 1) × 100 ms) of the window.
    pub fn from_intervals(intervals: Vec<IntervalHistograms>) -> Self {
        Self {
            window_start: Instant::now(),
            intervals: intervals.into_iter().map(Some).collect(),
        }
    }

    /// The interval of a request intended at `intended` (which the caller has checked is in
    /// the window).
    fn at(&mut self, intended: Instant) -> &mut IntervalHistograms {
        let index = (intended
            .saturating_duration_since(self.window_start)
            .as_nanos()
            / INTERVAL.as_nanos()) as usize;
        let last = self.intervals.len() - 1;
        self.intervals[index.min(last)].get_or_insert_with(IntervalHistograms::new)
    }

    pub fn record_send_lag(&mut self, intended: Instant, send_lag_us: u64) {
        record(&mut self.at(intended).send_lag, send_lag_us);
    }

    pub fn record_success(&mut self, intended: Instant, latency_us: u64, service_time_us: u64) {
        let interval = self.at(intended);
        record(&mut interval.latency, latency_us);
        record(&mut interval.service_time, service_time_us);
    }

    pub fn merge(&mut self, other: &IntervalSeries) {
        for (mine, theirs) in self.intervals.iter_mut().zip(&other.intervals) {
            if let Some(theirs) = theirs {
                match mine {
                    Some(mine) => mine.add(theirs),
                    None => *mine = Some(theirs.clone()),
                }
            }
        }
    }

    /// (offset of the interval's start from the window's start, its histograms); intervals
    /// nobody recorded into are empty histograms, so the log has no gaps.
    pub fn iter(&self) -> impl Iterator<Item = (Duration, IntervalHistograms)> + '_ {
        self.intervals.iter().enumerate().map(|(i, interval)| {
            (
                INTERVAL * i as u32,
                interval.clone().unwrap_or_else(IntervalHistograms::new),
            )
        })
    }

    pub fn len(&self) -> usize {
        self.intervals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_land_in_the_interval_of_their_intended_send_time_and_merge() {
        let start = Instant::now();
        let end = start + Duration::from_millis(1000);
        let mut a = IntervalSeries::new(start, end);
        let mut b = IntervalSeries::new(start, end);
        assert_eq!(a.len(), 10);
        a.record_success(start + Duration::from_millis(50), 1_000, 900);
        a.record_send_lag(start + Duration::from_millis(50), 100);
        b.record_success(start + Duration::from_millis(150), 2_000, 1_900);
        b.record_success(start + Duration::from_millis(999), 3_000, 2_900);
        a.merge(&b);
        let counts: Vec<u64> = a.iter().map(|(_, h)| h.latency.len()).collect();
        assert_eq!(counts, [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
        let (offset, second) = a.iter().nth(1).unwrap();
        assert_eq!(offset, Duration::from_millis(100));
        assert_eq!(
            second.service_time.max(),
            second.service_time.highest_equivalent(1_900)
        );
        assert_eq!(a.iter().next().unwrap().1.send_lag.len(), 1);
    }
}
