//! The figures `compare` puts side by side, how to read each from a run, which direction is
//! better, and how to read it per interval when a cell has a single run.

use crate::report::collect::Run;

/// One comparable figure of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Figure {
    RequestsPerSecond,
    P50,
    P99,
    P99_9,
    Max,
    ServerCpuPer1000Requests,
    ServerPeakRss,
}

/// Whether a larger value is an improvement or a regression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

impl Figure {
    pub const ALL: [Figure; 7] = [
        Figure::RequestsPerSecond,
        Figure::P50,
        Figure::P99,
        Figure::P99_9,
        Figure::Max,
        Figure::ServerCpuPer1000Requests,
        Figure::ServerPeakRss,
    ];

    /// The name on the command line (`--fail-on`) and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Figure::RequestsPerSecond => "req/s",
            Figure::P50 => "p50",
            Figure::P99 => "p99",
            Figure::P99_9 => "p99.9",
            Figure::Max => "max",
            Figure::ServerCpuPer1000Requests => "server-cpu",
            Figure::ServerPeakRss => "server-rss",
        }
    }

    pub fn parse(name: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn better(self) -> Better {
        match self {
            Figure::RequestsPerSecond => Better::Higher,
            _ => Better::Lower,
        }
    }

    /// The figure of a whole run, in its natural unit (µs, req/s, CPU-s, bytes).
    pub fn of_run(self, run: &Run) -> Option<f64> {
        let r = &run.result;
        let latency = &r.figures.latency;
        let value = match self {
            Figure::RequestsPerSecond => r.figures.requests_per_second,
            Figure::P50 => latency.p50_us as f64,
            Figure::P99 => latency.p99_us as f64,
            Figure::P99_9 => latency.p99_9_us as f64,
            Figure::Max => latency.max_us as f64,
            Figure::ServerCpuPer1000Requests => r.server.as_ref()?.cpu_seconds_per_1000_requests,
            Figure::ServerPeakRss => r.server.as_ref()?.peak_rss_bytes as f64,
        };
        (value.is_finite() && value > 0.0).then_some(value)
    }

    /// The figure in each of the run's intervals (the per-second series), for a cell that has
    /// one run per side; None where the series does not carry the figure (a per-second
    /// histogram of a few thousand requests says nothing about p99.9).
    pub fn per_interval(self, run: &Run) -> Option<Vec<f64>> {
        let seconds = &run.result.per_second;
        let values: Vec<f64> = match self {
            Figure::RequestsPerSecond => seconds.iter().map(|s| s.requests as f64).collect(),
            Figure::P50 => seconds.iter().map(|s| s.p50_us as f64).collect(),
            Figure::P99 => seconds.iter().map(|s| s.p99_us as f64).collect(),
            _ => return None,
        };
        let values: Vec<f64> = values.into_iter().filter(|v| *v > 0.0).collect();
        (values.len() >= 3).then_some(values)
    }
}
