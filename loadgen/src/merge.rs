//! `loadgen merge`: the shard runs of one plan, added into one ordinary run directory that
//! `loadgen report` reads like any other.
//!
//! HdrHistograms of the same configuration add exactly (bucket counts are summed), so the
//! merged percentiles are the true percentiles of every request of every shard, which
//! summaries (p99 of p99s, averages of percentiles) can never give. Counts and errors are
//! sums; the per-second series are aligned on absolute time (each shard's window start);
//! each shard's achieved rate, send lag and start are kept beside the merged figures.
//! Shards are combined in shard order whatever the order of the arguments, so merging the
//! same shards always writes the same files.

use std::path::{Path, PathBuf};

use hdrhistogram::Histogram;

use crate::engine::intervals::{INTERVAL, IntervalHistograms, IntervalSeries};
use crate::output::{
    NamedHistogram, OutputError, read_histogram, read_interval_log, read_result, write_run,
};
use crate::result::{
    Figures, LoadInfo, LoadgenUsage, MergeInfo, Percentiles, RunResult, SecondSummary, ShardSummary,
};

/// Why shards cannot be merged. All but `Write` are bad input (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{dir}: not a loadgen run directory ({source})")]
    NotARun { dir: PathBuf, source: OutputError },
    #[error(
        "{dir}: not a shard (it was not run with --shard K/N); only shards of one plan can be merged"
    )]
    NotAShard { dir: PathBuf },
    #[error(
        "{dir} belongs to plan {id}, {first_dir} to plan {first_id}: shards of different plans (target, workload, rate, connections, shards, start, durations, seed) cannot be merged"
    )]
    DifferentPlans {
        first_dir: PathBuf,
        first_id: String,
        dir: PathBuf,
        id: String,
    },
    #[error("shard {index} is given twice: {first} and {second}")]
    DuplicateShard {
        index: usize,
        first: PathBuf,
        second: PathBuf,
    },
    #[error(
        "shards {missing:?} of {count} are missing: the merged run would not be the plan's load"
    )]
    MissingShards { missing: Vec<usize>, count: usize },
    #[error("{dir}: histogram '{name}' {problem}")]
    Histogram {
        dir: PathBuf,
        name: String,
        problem: String,
    },
    #[error("{0}")]
    Write(OutputError),
    #[error("{out}: already holds a run (result.json); choose another --out")]
    OutputExists { out: PathBuf },
}

impl MergeError {
    /// 2 for bad input (the documented "bad arguments" code), 1 when writing failed.
    pub fn exit_code(&self) -> i32 {
        match self {
            MergeError::Write(_) => 1,
            _ => 2,
        }
    }
}

/// One shard run as read from disk.
struct ShardRun {
    dir: PathBuf,
    result: RunResult,
    shard: crate::result::ShardInfo,
}

/// Reads the shard runs in `dirs`, checks that they are exactly the shards of one plan, and
/// writes their merged run to `out`. Returns the merged result.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<RunResult, MergeError> {
    if out.join("result.json").exists() {
        return Err(MergeError::OutputExists {
            out: out.to_path_buf(),
        });
    }
    let shards = read_shards(dirs)?;
    let names = histogram_names(&shards)?;
    let mut histograms = Vec::with_capacity(names.len());
    for name in &names {
        histograms.push((name.clone(), add_histograms(&shards, name)?));
    }
    let find = |wanted: &str| {
        histograms
            .iter()
            .find(|(name, _)| name == wanted)
            .map(|(_, h)| h)
    };
    let (Some(latency), Some(service), Some(send_lag)) =
        (find("latency"), find("service_time"), find("send_lag"))
    else {
        return Err(MergeError::Histogram {
            dir: shards[0].dir.clone(),
            name: "latency, service_time, send_lag".into(),
            problem: "missing: every run has these three".into(),
        });
    };
    // Runs written before schema 4 have no loadgen_lag: their whole send lag counts as
    // loadgen's, the stricter reading.
    let loadgen_lag = find("loadgen_lag").unwrap_or(send_lag);
    let mut result = combine(&shards, latency, service, send_lag, loadgen_lag);
    let named: Vec<NamedHistogram<'_>> = histograms
        .iter()
        .map(|(name, histogram)| NamedHistogram { name, histogram })
        .collect();
    if let Some((intervals, window_start)) = merged_intervals(&shards)? {
        crate::output::write_interval_log(out, &mut result, &intervals, window_start)
            .map_err(MergeError::Write)?;
    }
    write_run(out, &mut result, &named).map_err(MergeError::Write)?;
    Ok(result)
}

/// The shards' interval logs added interval by interval, exactly (histograms added): every
/// shard's window starts at the same wall-clock time (one schedule, `--start-at`), so
/// interval i of each covers the same 100 ms. None when a shard has no interval log (written
/// by an older loadgen): a partial merge would pass for the whole plan's.
fn merged_intervals(
    shards: &[ShardRun],
) -> Result<Option<(IntervalSeries, std::time::SystemTime)>, MergeError> {
    let mut intervals: Vec<IntervalHistograms> = Vec::new();
    let mut start_time = None;
    for run in shards {
        let Some(file) = run.result.files.get("intervals_hlog") else {
            return Ok(None);
        };
        let log = read_interval_log(&run.dir.join(file)).map_err(|source| MergeError::NotARun {
            dir: run.dir.clone(),
            source,
        })?;
        start_time = start_time.or(log.start_time);
        for (offset, tag, histogram) in log.intervals {
            let index = (offset.as_secs_f64() / INTERVAL.as_secs_f64()).round() as usize;
            if intervals.len() <= index {
                intervals.resize_with(index + 1, IntervalHistograms::new);
            }
            intervals[index].add_tagged(&tag, &histogram);
        }
    }
    let window_start = std::time::UNIX_EPOCH + start_time.unwrap_or_default();
    Ok(Some((
        IntervalSeries::from_intervals(intervals),
        window_start,
    )))
}

/// Reads every directory, sorted by shard index, and refuses anything but the complete set
/// of shards of one plan.
fn read_shards(dirs: &[PathBuf]) -> Result<Vec<ShardRun>, MergeError> {
    let mut shards: Vec<ShardRun> = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let result =
            read_result(&dir.join("result.json")).map_err(|source| MergeError::NotARun {
                dir: dir.clone(),
                source,
            })?;
        let Some(shard) = result.shard.clone() else {
            return Err(MergeError::NotAShard { dir: dir.clone() });
        };
        if let Some(first) = shards.first() {
            if first.shard.plan_id != shard.plan_id {
                return Err(MergeError::DifferentPlans {
                    first_dir: first.dir.clone(),
                    first_id: first.shard.plan_id.clone(),
                    dir: dir.clone(),
                    id: shard.plan_id,
                });
            }
        }
        if let Some(twin) = shards.iter().find(|s| s.shard.index == shard.index) {
            return Err(MergeError::DuplicateShard {
                index: shard.index,
                first: twin.dir.clone(),
                second: dir.clone(),
            });
        }
        shards.push(ShardRun {
            dir: dir.clone(),
            result,
            shard,
        });
    }
    shards.sort_by_key(|s| s.shard.index);
    let count = shards.first().map_or(0, |s| s.shard.count);
    let missing: Vec<usize> = (0..count)
        .filter(|index| !shards.iter().any(|s| s.shard.index == *index))
        .collect();
    if !missing.is_empty() || shards.is_empty() {
        return Err(MergeError::MissingShards { missing, count });
    }
    Ok(shards)
}

/// The histogram names (from `files`: `<name>_hdr`) that every shard must have alike.
fn histogram_names(shards: &[ShardRun]) -> Result<Vec<String>, MergeError> {
    let names_of = |run: &ShardRun| -> Vec<String> {
        run.result
            .files
            .keys()
            .filter_map(|key| key.strip_suffix("_hdr"))
            .map(str::to_string)
            .collect()
    };
    let names = names_of(&shards[0]);
    for run in &shards[1..] {
        if names_of(run) != names {
            return Err(MergeError::Histogram {
                dir: run.dir.clone(),
                name: names_of(run).join(", "),
                problem: format!("set differs from shard 0's ({})", names.join(", ")),
            });
        }
    }
    Ok(names)
}

/// Adds one histogram of every shard, exactly: the configurations must be equal, or
/// re-recording values into other buckets would change them.
fn add_histograms(shards: &[ShardRun], name: &str) -> Result<Histogram<u64>, MergeError> {
    let mut merged: Option<Histogram<u64>> = None;
    for run in shards {
        let file = &run.result.files[&format!("{name}_hdr")];
        let histogram =
            read_histogram(&run.dir.join(file)).map_err(|source| MergeError::NotARun {
                dir: run.dir.clone(),
                source,
            })?;
        match merged.as_mut() {
            None => merged = Some(histogram),
            Some(total) => {
                let configuration = |h: &Histogram<u64>| (h.low(), h.high(), h.sigfig());
                if configuration(total) != configuration(&histogram) {
                    return Err(MergeError::Histogram {
                        dir: run.dir.clone(),
                        name: name.to_string(),
                        problem: format!(
                            "has configuration (lowest, highest, significant digits) {:?}, shard 0 has {:?}: only histograms of one configuration add exactly",
                            configuration(&histogram),
                            configuration(total)
                        ),
                    });
                }
                total.add(&histogram).map_err(|e| MergeError::Histogram {
                    dir: run.dir.clone(),
                    name: name.to_string(),
                    problem: format!("cannot be added: {e:?}"),
                })?;
            }
        }
    }
    Ok(merged.expect("at least one shard"))
}

/// The merged run: shard 0's description of the plan with the totals, the merged figures,
/// and one summary per shard.
fn combine(
    shards: &[ShardRun],
    latency: &Histogram<u64>,
    service: &Histogram<u64>,
    send_lag: &Histogram<u64>,
    loadgen_lag: &Histogram<u64>,
) -> RunResult {
    let first = &shards[0].result;
    let results = || shards.iter().map(|s| &s.result);
    let requests: u64 = results().map(|r| r.figures.requests).sum();
    let measured_seconds = results()
        .map(|r| r.figures.measured_seconds)
        .fold(0.0, f64::max);
    let mut errors = first.errors.clone();
    for run in &shards[1..] {
        errors.merge(&run.result.errors);
    }
    let incomplete: Vec<String> = shards
        .iter()
        .filter(|s| !s.result.complete)
        .map(|s| {
            format!(
                "shard {}: {}",
                s.shard.index,
                s.result
                    .incomplete_reason
                    .as_deref()
                    .unwrap_or("incomplete")
            )
        })
        .collect();
    let latency = Percentiles::of(latency);
    // Each shard counted the responses completed inside its own window (aligned on the one
    // schedule): their sum over the window is the plan's rate.
    let completed_in_windows: f64 = results()
        .map(|r| r.figures.requests_per_second * r.figures.measured_seconds)
        .sum();
    let requests_per_second = completed_in_windows / measured_seconds.max(1e-9);
    // The schedule rule on the plan's whole send side: the shards' lags added exactly.
    let schedule = shards[0].shard.total_rate_per_second.map(|target_rate| {
        crate::keeping_up::schedule_check(&crate::keeping_up::SendSide {
            send_lag,
            loadgen_lag,
            unsent: errors.unsent,
            target_rate,
            achieved_rate: requests_per_second,
            latency_p50_us: latency.p50_us,
            latency_p99_9_us: latency.p99_9_us,
        })
    });
    RunResult {
        complete: incomplete.is_empty(),
        incomplete_reason: (!incomplete.is_empty()).then(|| incomplete.join("; ")),
        started_at: results()
            .map(|r| r.started_at.clone())
            .min()
            .unwrap_or_default(),
        load: LoadInfo {
            connections: shards[0].shard.total_connections,
            rate_per_second: shards[0].shard.total_rate_per_second,
            loadgen_threads: results().map(|r| r.load.loadgen_threads).sum(),
            // Each shard pinned on its own host; see the shards' own results.
            loadgen_cpus: None,
            ..first.load.clone()
        },
        figures: Figures {
            requests,
            errors: errors.total(),
            measured_seconds,
            requests_per_second,
            latency,
            service_time: Percentiles::of(service),
            send_lag: Percentiles::of(send_lag),
            loadgen_lag: Percentiles::of(loadgen_lag),
            // Each shard keeps its part of the one schedule: one that fell behind leaves a
            // part of the plan's load unsent or late.
            behind_schedule: results().any(|r| r.figures.behind_schedule)
                || schedule.as_ref().is_some_and(|s| s.behind_reason.is_some()),
            schedule,
        },
        errors,
        per_second: per_second_on_absolute_time(shards),
        loadgen: loadgen_usage(shards),
        // Shards load an external server, which loadgen does not account for.
        server: None,
        files: Default::default(),
        shard: None,
        merge: Some(merge_info(shards)),
        ..first.clone()
    }
}

/// Each shard's measured window starts at its origin plus the warm-up: the per-second series
/// are added second by second on that absolute time. Requests, errors and maxima are exact;
/// the shards keep no per-second histograms, so p50 and p99 are the largest shard's (an
/// upper bound of the true per-second percentile, named so in `MergeInfo`).
fn per_second_on_absolute_time(shards: &[ShardRun]) -> Vec<SecondSummary> {
    let window_start_us = |run: &ShardRun| {
        run.shard.start_at_unix_us + (run.result.load.warmup_seconds * 1e6).round() as u64
    };
    let earliest = shards.iter().map(window_start_us).min().unwrap_or(0);
    let mut merged: Vec<SecondSummary> = Vec::new();
    for run in shards {
        let offset = ((window_start_us(run) - earliest) as f64 / 1e6).round() as usize;
        for second in &run.result.per_second {
            let at = second.second + offset;
            while merged.len() <= at {
                merged.push(SecondSummary {
                    second: merged.len(),
                    requests: 0,
                    errors: 0,
                    p50_us: 0,
                    p99_us: 0,
                    max_us: 0,
                    gc_cycles: None,
                });
            }
            let into = &mut merged[at];
            into.requests += second.requests;
            into.errors += second.errors;
            into.p50_us = into.p50_us.max(second.p50_us);
            into.p99_us = into.p99_us.max(second.p99_us);
            into.max_us = into.max_us.max(second.max_us);
        }
    }
    merged
}

fn loadgen_usage(shards: &[ShardRun]) -> LoadgenUsage {
    let cpu_seconds: f64 = shards.iter().map(|s| s.result.loadgen.cpu_seconds).sum();
    // Each shard's CPU paid for cpu_seconds / cpu_us_per_request requests (warm-up included).
    let paid_requests: f64 = shards
        .iter()
        .map(|s| &s.result.loadgen)
        .filter(|l| l.cpu_us_per_request > 0.0)
        .map(|l| l.cpu_seconds * 1e6 / l.cpu_us_per_request)
        .sum();
    LoadgenUsage {
        cpu_seconds,
        cpu_us_per_request: if paid_requests > 0.0 {
            cpu_seconds * 1e6 / paid_requests
        } else {
            0.0
        },
        // Per process: the largest shard's, not a sum over hosts.
        peak_rss_bytes: shards
            .iter()
            .map(|s| s.result.loadgen.peak_rss_bytes)
            .max()
            .unwrap_or(0),
        // Per process too: the busiest shard's, and bound if any shard was.
        cpu_utilisation: shards
            .iter()
            .map(|s| s.result.loadgen.cpu_utilisation)
            .fold(0.0, f64::max),
        bound: shards.iter().any(|s| s.result.loadgen.bound),
    }
}

fn merge_info(shards: &[ShardRun]) -> MergeInfo {
    let lates = shards.iter().map(|s| s.shard.started_late_us);
    let start_skew_us = lates.clone().max().unwrap_or(0) - lates.min().unwrap_or(0);
    MergeInfo {
        plan_id: shards[0].shard.plan_id.clone(),
        start_at_unix_us: shards[0].shard.start_at_unix_us,
        start_skew_us,
        per_second_percentiles: "p50_us and p99_us per second are the largest shard's (an upper bound); requests, errors and max_us are exact".into(),
        shards: shards
            .iter()
            .map(|s| {
                let figures = &s.result.figures;
                ShardSummary {
                    index: s.shard.index,
                    dir: s.dir.display().to_string(),
                    hostname: s.result.environment.hostname.clone(),
                    complete: s.result.complete,
                    rate_per_second: s.result.load.rate_per_second,
                    connections: s.result.load.connections,
                    requests: figures.requests,
                    errors: figures.errors,
                    requests_per_second: figures.requests_per_second,
                    behind_schedule: figures.behind_schedule,
                    send_lag_p50_us: figures.send_lag.p50_us,
                    send_lag_p99_us: figures.send_lag.p99_us,
                    send_lag_max_us: figures.send_lag.max_us,
                    started_late_us: s.shard.started_late_us,
                }
            })
            .collect(),
    }
}

/// The per-shard lines printed after the merged summary.
pub fn describe_shards(info: &MergeInfo) -> String {
    let mut text = format!(
        "Merged {} shards of plan {} (start skew {} µs)\n  shard  requests  errors   req/s (planned)    send lag p50/p99/max µs  started late µs  host\n",
        info.shards.len(),
        info.plan_id,
        info.start_skew_us
    );
    for s in &info.shards {
        let planned = s
            .rate_per_second
            .map_or_else(|| "closed loop".to_string(), |r| format!("{r:.0}"));
        text.push_str(&format!(
            "  {:>5}  {:>8}  {:>6}  {:>7.0} ({planned:>11})  {:>7}/{:>7}/{:>7}  {:>15}  {}{}\n",
            s.index,
            s.requests,
            s.errors,
            s.requests_per_second,
            s.send_lag_p50_us,
            s.send_lag_p99_us,
            s.send_lag_max_us,
            s.started_late_us,
            s.hostname,
            if s.behind_schedule {
                "  BEHIND SCHEDULE"
            } else {
                ""
            },
        ));
    }
    text
}
