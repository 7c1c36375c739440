//! One measurement, start to finish: workload set-up, the engine, live progress, server
//! accounting over the measured window, and the result written to disk.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::engine::{self, EngineConfig, EngineOutput, Protocol};
use crate::error::{EXIT_BEHIND_SCHEDULE, EXIT_INCOMPLETE, LoadgenError};
use crate::keeping_up;
use crate::output::{NamedHistogram, write_interval_log, write_run};
use crate::plan::RunPlan;
use crate::result::{
    Figures, GcPauseBucket, LoadInfo, LoadgenUsage, Percentiles, RunResult, SCHEMA_VERSION,
    SecondSummary, ServerAccounting, ShardInfo, TargetInfo, WireProtocol, WorkloadInfo,
};
use crate::server_stats;
use crate::target::Target;
use crate::workload::{self, WorkloadContext, WorkloadOptions};

/// How often the run's monitor checks for Ctrl-C, a dead server and progress.
const MONITOR_INTERVAL: Duration = Duration::from_millis(50);

/// What a finished measurement left on disk.
pub struct RunOutcome {
    pub result: RunResult,
    pub dir: PathBuf,
}

impl RunOutcome {
    /// 4 for an incomplete run, 5 for a rate not reached, else 0.
    pub fn exit_code(&self) -> i32 {
        if !self.result.complete {
            EXIT_INCOMPLETE
        } else if self.result.figures.behind_schedule {
            EXIT_BEHIND_SCHEDULE
        } else {
            0
        }
    }
}

/// Server figures read at the start of the measured window.
struct WindowStart {
    usage: Option<server_launcher::ProcUsage>,
    stats: Option<serde_json::Value>,
    steal_ticks: BTreeMap<usize, u64>,
}

/// Runs one planned measurement against a prepared target and writes its results.
/// `interrupt` is set by Ctrl-C: the run then stops, and what it measured is saved.
pub fn measure(
    plan: &RunPlan,
    target: &mut Target,
    environment: &crate::result::Environment,
    interrupt: &Arc<AtomicBool>,
) -> Result<RunOutcome, LoadgenError> {
    let options = WorkloadOptions {
        key_distribution: plan.key_distribution,
    };
    let workload = workload::by_name(&plan.workload, options)
        .expect("plan validation accepted only known workloads");
    let context = WorkloadContext {
        addr: target.addr(),
        read_states: plan.read_states,
        seed: plan.seed,
    };
    workload.setup(&context)?;
    let mut requests = workload::build_requests(workload.as_ref(), &context);
    if let Some(shard) = &plan.shard {
        let offset = crate::shard::pool_offset(shard.shard, requests.len());
        requests.rotate_left(offset);
    }
    let requests = Arc::new(requests);
    let start_at = plan.start_at.map(|at| wait_until(at, interrupt));
    let started_at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let config = EngineConfig {
        addr: target.addr(),
        connections: plan.connections,
        threads: plan.threads,
        cpus: plan.loadgen_cpus.clone(),
        warmup: plan.warmup,
        duration: plan.duration,
        rate_per_second: plan.rate_per_second,
        request_timeout: plan.request_timeout,
        requests,
        start_at,
        schedule_offset: plan
            .shard
            .as_ref()
            .map_or(Duration::ZERO, |s| s.schedule_offset),
        protocol: plan.protocol,
    };
    let stop = Arc::new(AtomicBool::new(interrupt.load(Ordering::Relaxed)));
    let running = engine::start(config, stop.clone()).map_err(LoadgenError::Threads)?;
    let started_late = plan.start_at.map(|at| {
        std::time::SystemTime::now()
            .duration_since(at)
            .unwrap_or(Duration::ZERO)
    });
    let (window_start, window_end) = (running.window_start, running.window_end);
    let sampler_stop = AtomicBool::new(false);
    let spawned = matches!(target, Target::Spawned { .. });
    let addr = target.addr();
    let progress = Progress::new(plan, window_start);
    let mut incomplete_reason: Option<String> = None;
    let mut at_window_start: Option<WindowStart> = None;

    let (output, gc_samples) = std::thread::scope(|scope| {
        let sampler = spawned.then(|| {
            scope.spawn(|| {
                server_stats::sample_gc_cycles(addr, window_start, window_end, &sampler_stop)
            })
        });
        while !running.is_finished() {
            // Wake exactly at the window's start for the server's CPU snapshot, so the
            // accounting window matches the measured one; otherwise poll every 50 ms.
            let now = Instant::now();
            let nap = if at_window_start.is_none() && now < window_start {
                (window_start - now).min(MONITOR_INTERVAL)
            } else {
                MONITOR_INTERVAL
            };
            std::thread::sleep(nap);
            if interrupt.load(Ordering::Relaxed) && incomplete_reason.is_none() {
                incomplete_reason = Some("interrupted (Ctrl-C)".into());
                stop.store(true, Ordering::Relaxed);
            }
            if incomplete_reason.is_none() && !target.is_alive() {
                incomplete_reason = Some("the server exited during the run".into());
                stop.store(true, Ordering::Relaxed);
            }
            if at_window_start.is_none() && Instant::now() >= window_start {
                at_window_start = Some(WindowStart {
                    usage: target.usage(),
                    stats: target.debug_stats(),
                    steal_ticks: crate::environment::steal_ticks_now(),
                });
            }
            progress.update(running.progress.completed());
        }
        sampler_stop.store(true, Ordering::Relaxed);
        let output = running.wait();
        let samples = sampler.map(|s| s.join().unwrap_or_default());
        (output, samples)
    });
    progress.finish();
    if incomplete_reason.is_none() && output.stopped_early {
        incomplete_reason = Some("stopped early".into());
    }
    let cpu_steal = at_window_start.as_ref().and_then(|start| {
        let cpus = pinned_cpus(plan, target);
        let after = crate::environment::steal_ticks_now();
        crate::environment::steal_between(
            &start.steal_ticks,
            &after,
            &cpus,
            output.measured_seconds,
        )
    });
    let window = (window_start, window_end);
    let server = at_window_start
        .and_then(|start| server_accounting(target, start, output.recording.successes, window));
    let mut result = build_result(
        plan,
        target,
        environment,
        &*workload,
        started_at,
        &output,
        gc_samples.as_deref(),
        server,
        incomplete_reason,
    );
    result.shard = plan.shard.as_ref().map(|s| ShardInfo {
        plan_id: s.plan_id.clone(),
        index: s.shard.index,
        count: s.shard.count,
        total_rate_per_second: s.total_rate_per_second,
        total_connections: s.total_connections,
        start_at_unix_us: plan.start_at.map_or(0, crate::shard::unix_us),
        schedule_offset_us: s.schedule_offset.as_secs_f64() * 1e6,
        started_late_us: started_late.unwrap_or_default().as_micros() as u64,
    });
    let histograms = [
        NamedHistogram {
            name: "latency",
            histogram: &output.recording.latency,
        },
        NamedHistogram {
            name: "service_time",
            histogram: &output.recording.service,
        },
        NamedHistogram {
            name: "send_lag",
            histogram: &output.recording.send_lag,
        },
        NamedHistogram {
            name: "loadgen_lag",
            histogram: &output.recording.loadgen_lag,
        },
    ];
    result.cpu_steal = cpu_steal;
    write_interval_log(
        &plan.out_dir,
        &mut result,
        &output.recording.intervals,
        output.window_start_wall_clock,
    )?;
    write_run(&plan.out_dir, &mut result, &histograms)?;
    Ok(RunOutcome {
        result,
        dir: plan.out_dir.clone(),
    })
}

/// The CPUs the run was pinned to (server and loadgen), for the steal figures.
fn pinned_cpus(plan: &RunPlan, target: &Target) -> Vec<usize> {
    let server = match target {
        Target::Spawned { cpus, .. } | Target::External { cpus, .. } => cpus.clone(),
    };
    let mut cpus: Vec<usize> = server
        .into_iter()
        .chain(plan.loadgen_cpus.clone())
        .flatten()
        .collect();
    cpus.sort_unstable();
    cpus.dedup();
    cpus
}

fn server_accounting(
    target: &Target,
    start: WindowStart,
    successes: u64,
    (window_start, window_end): (Instant, Instant),
) -> Option<ServerAccounting> {
    let before = start.usage?;
    let after = target.usage()?;
    let stats_after = target.debug_stats().unwrap_or(serde_json::Value::Null);
    let stats_before = start.stats.unwrap_or(serde_json::Value::Null);
    let user = after.user_cpu_seconds - before.user_cpu_seconds;
    let system = after.system_cpu_seconds - before.system_cpu_seconds;
    let pauses = server_stats::gc_pauses_between(&stats_before, &stats_after);
    let go_runtime = crate::gc_window::go_runtime_window(
        &stats_before,
        &stats_after,
        user + system,
        &target.gc_trace().unwrap_or_default(),
        (window_start, window_end),
    );
    Some(ServerAccounting {
        user_cpu_seconds: user,
        system_cpu_seconds: system,
        cpu_seconds_per_1000_requests: if successes > 0 {
            (user + system) * 1000.0 / successes as f64
        } else {
            0.0
        },
        peak_rss_bytes: after.peak_rss_bytes,
        rss_bytes_after: after.rss_bytes,
        gc_cycles_in_window: server_stats::counter_delta(&stats_before, &stats_after, "gc_cycles"),
        gc_pause_max_ns_in_window: pauses.as_ref().map(|p| {
            p.iter()
                .filter(|(_, count)| *count > 0)
                .filter_map(|(le_ns, _)| *le_ns)
                .max()
                .unwrap_or(0)
        }),
        gc_pauses_in_window: pauses.map(|p| {
            p.into_iter()
                .map(|(le_ns, count)| GcPauseBucket { le_ns, count })
                .collect()
        }),
        debug_stats_before: stats_before,
        debug_stats_after: stats_after,
        go_runtime,
    })
}

#[allow(clippy::too_many_arguments)]
fn build_result(
    plan: &RunPlan,
    target: &Target,
    environment: &crate::result::Environment,
    workload: &dyn workload::Workload,
    started_at: String,
    output: &EngineOutput,
    gc_samples: Option<&[Option<u64>]>,
    server: Option<ServerAccounting>,
    incomplete_reason: Option<String>,
) -> RunResult {
    let recording = &output.recording;
    let measured = output.measured_seconds.max(1e-9);
    let latency = Percentiles::of(&recording.latency);
    let requests_per_second = recording.successes_completed_in_window as f64 / measured;
    let schedule = plan.rate_per_second.map(|target_rate| {
        keeping_up::schedule_check(&keeping_up::SendSide {
            send_lag: &recording.send_lag,
            loadgen_lag: &recording.loadgen_lag,
            unsent: recording.errors.unsent,
            target_rate,
            achieved_rate: requests_per_second,
            latency_p50_us: latency.p50_us,
            latency_p99_9_us: latency.p99_9_us,
        })
    });
    let loadgen_utilisation = keeping_up::loadgen_utilisation(
        output.loadgen_cpu_seconds,
        output.loadgen_wall_seconds,
        plan.threads,
    );
    let label = server
        .as_ref()
        .and_then(|s| s.debug_stats_after.get("server"))
        .and_then(|v| v.as_str())
        .map_or_else(|| target.label(), str::to_string);
    let (server_threads, server_cpus, read_states) = match target {
        Target::Spawned {
            threads,
            cpus,
            read_states,
            ..
        } => (Some(*threads), cpus.clone(), *read_states),
        Target::External { cpus, workers, .. } => (*workers, cpus.clone(), plan.read_states),
    };
    let per_second = recording
        .per_second
        .iter()
        .enumerate()
        .take(measured.ceil() as usize)
        .map(|(second, record)| SecondSummary {
            second,
            requests: record.latency.len(),
            errors: record.errors,
            p50_us: record.latency.value_at_quantile(0.5),
            p99_us: record.latency.value_at_quantile(0.99),
            max_us: record.latency.max(),
            gc_cycles: gc_samples.and_then(|samples| {
                Some(samples.get(second + 1).copied()?? - samples.get(second).copied()??)
            }),
        })
        .collect();
    RunResult {
        schema_version: SCHEMA_VERSION,
        complete: incomplete_reason.is_none(),
        incomplete_reason,
        started_at,
        labels: plan.labels.clone(),
        environment: environment.clone(),
        target: TargetInfo {
            kind: target.kind_name(),
            label,
            url: target.url(),
            server_threads,
            server_cpus,
            read_states,
            setup: target.setup().map(|mut setup| {
                if let Some(stats) = server.as_ref().map(|s| &s.debug_stats_after) {
                    setup.runtime = server_stats::server_runtime(stats);
                }
                setup
            }),
        },
        workload: WorkloadInfo {
            name: workload.name().to_string(),
            seed: plan.seed,
            parameters: workload.describe(),
        },
        load: LoadInfo {
            mode: if plan.rate_per_second.is_some() {
                "constant-rate"
            } else {
                "closed-loop"
            }
            .to_string(),
            connections: plan.connections,
            loadgen_threads: plan.threads,
            loadgen_cpus: plan.loadgen_cpus.clone(),
            rate_per_second: plan.rate_per_second,
            warmup_seconds: plan.warmup.as_secs_f64(),
            duration_seconds: plan.duration.as_secs_f64(),
            request_timeout_ms: plan.request_timeout.as_millis() as u64,
            protocol: match plan.protocol {
                Protocol::Http1 { .. } => WireProtocol::Http1,
                Protocol::Http2 { .. } => WireProtocol::H2c,
            },
            pipeline_depth: match plan.protocol {
                Protocol::Http1 { pipeline_depth } => pipeline_depth,
                Protocol::Http2 { .. } => 1,
            },
            streams_per_connection: match plan.protocol {
                Protocol::Http1 { .. } => 1,
                Protocol::Http2 { streams } => streams,
            },
        },
        figures: Figures {
            requests: recording.successes,
            errors: recording.errors.total(),
            measured_seconds: output.measured_seconds,
            requests_per_second,
            latency,
            service_time: Percentiles::of(&recording.service),
            send_lag: Percentiles::of(&recording.send_lag),
            loadgen_lag: Percentiles::of(&recording.loadgen_lag),
            behind_schedule: schedule.as_ref().is_some_and(|s| s.behind_reason.is_some()),
            schedule,
        },
        errors: recording.errors.clone(),
        per_second,
        loadgen: LoadgenUsage {
            cpu_seconds: output.loadgen_cpu_seconds,
            // CPU time covers the warm-up too, so divide by every request it paid for.
            cpu_us_per_request: if output.requests_completed_total > 0 {
                output.loadgen_cpu_seconds * 1e6 / output.requests_completed_total as f64
            } else {
                0.0
            },
            peak_rss_bytes: crate::environment::own_peak_rss_bytes(),
            cpu_utilisation: loadgen_utilisation,
            bound: keeping_up::is_loadgen_bound(loadgen_utilisation),
        },
        server,
        cpu_steal: None,
        files: BTreeMap::new(),
        shard: None,
        merge: None,
    }
}

/// Sleeps until the wall-clock time `at` (or until Ctrl-C) and returns it as an `Instant`,
/// the engine's clock. A time already past maps to the past: the schedule keeps its origin.
fn wait_until(at: std::time::SystemTime, interrupt: &AtomicBool) -> Instant {
    while !interrupt.load(Ordering::Relaxed) {
        match at.duration_since(std::time::SystemTime::now()) {
            Ok(left) if !left.is_zero() => std::thread::sleep(left.min(MONITOR_INTERVAL)),
            _ => break,
        }
    }
    let now = std::time::SystemTime::now();
    match at.duration_since(now) {
        Ok(ahead) => Instant::now() + ahead,
        Err(passed) => {
            let now = Instant::now();
            now.checked_sub(passed.duration()).unwrap_or(now)
        }
    }
}

/// Live progress: a bar on a terminal, a plain line every 5 s otherwise, nothing when quiet.
struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    origin: Instant,
    warmup: Duration,
    total: Duration,
    last_plain: std::cell::Cell<Instant>,
    /// The last (time, completed) sample and the rate between the last two samples.
    last_sample: std::cell::Cell<(Instant, u64)>,
    rate: std::cell::Cell<f64>,
}

impl Progress {
    fn new(plan: &RunPlan, window_start: Instant) -> Self {
        let origin = window_start - plan.warmup;
        let total = plan.warmup + plan.duration;
        let terminal = std::io::stderr().is_terminal();
        let bar = (plan.show_progress && terminal).then(|| {
            let bar = ProgressBar::new(total.as_millis() as u64);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {msg}")
                    .expect("constant template"),
            );
            bar
        });
        Self {
            bar,
            plain: plan.show_progress && !terminal,
            origin,
            warmup: plan.warmup,
            total,
            last_plain: std::cell::Cell::new(Instant::now()),
            last_sample: std::cell::Cell::new((Instant::now(), 0)),
            rate: std::cell::Cell::new(0.0),
        }
    }

    fn update(&self, completed: u64) {
        let elapsed = Instant::now().saturating_duration_since(self.origin);
        let phase = if elapsed < self.warmup {
            " (warm-up, not recorded)"
        } else {
            ""
        };
        let (last_at, last_count) = self.last_sample.get();
        let since = last_at.elapsed();
        if since >= Duration::from_millis(500) {
            let rate = completed.saturating_sub(last_count) as f64 / since.as_secs_f64();
            self.rate.set(rate);
            self.last_sample.set((Instant::now(), completed));
        }
        let message = format!("{completed} requests, {:.0} req/s{phase}", self.rate.get());
        if let Some(bar) = &self.bar {
            bar.set_position(elapsed.min(self.total).as_millis() as u64);
            bar.set_message(message);
        } else if self.plain && self.last_plain.get().elapsed() >= Duration::from_secs(5) {
            self.last_plain.set(Instant::now());
            eprintln!(
                "  [{:>4.0}s/{:.0}s] {message}",
                elapsed.as_secs_f64(),
                self.total.as_secs_f64()
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
