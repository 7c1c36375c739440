//! Repeated runs reduced to one figure and its spread, per server: the same reduction feeds
//! the claims table and the charts, so that a bar never disagrees with a verdict.

use std::collections::BTreeMap;

use crate::report::collect::{Run, Server};

/// The median of repeated measurements and their range (min–max).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub count: usize,
}

impl Spread {
    /// None for no values. The median of an even count is the mean of the middle two.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let mut values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Some(Spread {
            median,
            min: values[0],
            max: values[n - 1],
            count: n,
        })
    }
}

/// One server's figures over its repeated runs (all in µs, per second, bytes as recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerFigures {
    pub server: Server,
    /// Runs that entered the figures.
    pub runs: usize,
    /// Runs left out: incomplete, or behind schedule at a constant rate.
    pub excluded: usize,
    pub p50_us: Spread,
    pub p99_us: Spread,
    pub p99_9_us: Spread,
    pub max_us: Spread,
    pub requests_per_second: Spread,
    pub rate_per_second: Option<Spread>,
    pub cpu_seconds_per_1000_requests: Option<Spread>,
    pub peak_rss_bytes: Option<Spread>,
}

/// Groups runs by server and reduces each group (see [`usable_by_server`] for which runs).
pub fn by_server<'a>(runs: impl IntoIterator<Item = &'a Run>) -> BTreeMap<Server, ServerFigures> {
    usable_by_server(runs)
        .into_iter()
        .filter_map(|(server, (runs, excluded))| {
            figures(server.clone(), &runs, excluded).map(|f| (server, f))
        })
        .collect()
}

/// Runs grouped by server, with how many were left out. Runs that did not measure what they
/// were asked to (see [`Run::is_usable`]) are left out; a server with only such runs keeps
/// them, so that the report still shows them (its left-out count then equals its runs).
pub fn usable_by_server<'a>(
    runs: impl IntoIterator<Item = &'a Run>,
) -> BTreeMap<Server, (Vec<&'a Run>, usize)> {
    let mut groups: BTreeMap<Server, Vec<&Run>> = BTreeMap::new();
    for run in runs {
        groups.entry(run.server()).or_default().push(run);
    }
    groups
        .into_iter()
        .map(|(server, runs)| {
            let usable: Vec<&Run> = runs.iter().copied().filter(|r| r.is_usable()).collect();
            if usable.is_empty() {
                let excluded = runs.len();
                (server, (runs, excluded))
            } else {
                let excluded = runs.len() - usable.len();
                (server, (usable, excluded))
            }
        })
        .collect()
}

fn figures(server: Server, runs: &[&Run], excluded: usize) -> Option<ServerFigures> {
    let latency = |pick: fn(&Run) -> u64| Spread::of(runs.iter().map(|r| pick(r) as f64));
    let server_stat = |pick: fn(&crate::result::ServerAccounting) -> f64| {
        Spread::of(
            runs.iter()
                .filter_map(|r| r.result.server.as_ref().map(pick)),
        )
    };
    Some(ServerFigures {
        server,
        runs: runs.len(),
        excluded,
        p50_us: latency(|r| r.result.figures.latency.p50_us)?,
        p99_us: latency(|r| r.result.figures.latency.p99_us)?,
        p99_9_us: latency(|r| r.result.figures.latency.p99_9_us)?,
        max_us: latency(|r| r.result.figures.latency.max_us)?,
        requests_per_second: Spread::of(runs.iter().map(|r| r.result.figures.requests_per_second))?,
        rate_per_second: Spread::of(runs.iter().filter_map(|r| r.result.load.rate_per_second)),
        cpu_seconds_per_1000_requests: server_stat(|s| s.cpu_seconds_per_1000_requests),
        peak_rss_bytes: server_stat(|s| s.peak_rss_bytes as f64),
    })
}

/// Of each server's runs, the one whose p99.9 is the median (the lower middle one for an even
/// count): the run a time series shows as typical.
pub fn median_run_by_server<'a>(
    runs: impl IntoIterator<Item = &'a Run>,
) -> BTreeMap<Server, &'a Run> {
    usable_by_server(runs)
        .into_iter()
        .map(|(server, (mut runs, _))| {
            runs.sort_by_key(|r| r.result.figures.latency.p99_9_us);
            (server, runs[(runs.len() - 1) / 2])
        })
        .collect()
}

/// Loadgen's CPU use over its run, as a fraction of the cores it had: near 1.0 the load
/// generator, not the server, set the pace (the rule: `keeping_up::LOADGEN_BOUND`).
pub fn loadgen_utilisation(run: &Run) -> Option<f64> {
    if run.result.schema_version >= 2 {
        return Some(run.result.loadgen.cpu_utilisation);
    }
    // Version-1 results did not record it: estimate over warm-up + window, as its CPU time is.
    let load = &run.result.load;
    let wall = load.warmup_seconds + run.result.figures.measured_seconds;
    (wall > 0.0).then(|| {
        crate::keeping_up::loadgen_utilisation(
            run.result.loadgen.cpu_seconds,
            wall,
            load.loadgen_threads,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_range() {
        let s = Spread::of([3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.count), (2.0, 1.0, 3.0, 3));
        assert_eq!(Spread::of([4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert!(Spread::of([]).is_none());
        assert!(Spread::of([f64::NAN]).is_none());
    }
}
