//! Runs made in memory for the report's unit tests (the integration test writes real files).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::report::collect::Run;
use crate::result::ErrorCounts;
use crate::result::{
    Environment, Figures, LoadInfo, LoadgenUsage, Percentiles, RunResult, SecondSummary,
    ServerAccounting, TargetInfo, WorkloadInfo,
};

/// A run's essentials; the rest of its result is filled with plausible constants.
pub struct RunSpec<'a> {
    /// "go", "rust" or an external label such as "nginx".
    pub server: &'a str,
    pub labels: &'a [(&'a str, &'a str)],
    pub rate: Option<f64>,
    /// p50, p99, p99.9 in µs.
    pub latency_us: [u64; 3],
    pub requests_per_second: f64,
    pub behind_schedule: bool,
    pub cpu_per_1000: f64,
    pub peak_rss_bytes: u64,
    /// The measured window, in seconds.
    pub measured_seconds: f64,
    pub per_second: Vec<SecondSummary>,
    /// Pinning as recorded: None is "not pinned" (as nginx runs were before they recorded it).
    pub server_cpus: Option<Vec<usize>>,
    pub loadgen_cpus: Option<Vec<usize>>,
    /// The run's directory name; the server's name when None.
    pub dir_name: Option<&'a str>,
    /// An external server whose processes loadgen started and measured (C5's proxies,
    /// nginx): its run has server figures, as the reference servers' do.
    pub external_measured: bool,
}

impl Default for RunSpec<'_> {
    fn default() -> Self {
        Self {
            server: "rust",
            labels: &[],
            rate: Some(1_000.0),
            latency_us: [500, 1_000, 2_000],
            requests_per_second: 1_000.0,
            behind_schedule: false,
            cpu_per_1000: 0.02,
            peak_rss_bytes: 50 << 20,
            measured_seconds: 10.0,
            per_second: Vec::new(),
            server_cpus: Some(vec![1]),
            loadgen_cpus: Some(vec![0]),
            dir_name: None,
            external_measured: false,
        }
    }
}

fn percentiles([p50, p99, p99_9]: [u64; 3]) -> Percentiles {
    Percentiles {
        count: 1_000,
        min_us: p50 / 2,
        mean_us: p50 as f64,
        stdev_us: 1.0,
        p50_us: p50,
        p75_us: p50,
        p90_us: p99,
        p99_us: p99,
        p99_9_us: p99_9,
        p99_99_us: p99_9,
        max_us: p99_9 * 2,
    }
}

pub fn run(spec: RunSpec<'_>) -> Run {
    let (kind, label) = match spec.server {
        "go" => ("go", "go-nethttp"),
        "rust" => ("rust", "rust-axum"),
        other => ("external", other),
    };
    let latency = percentiles(spec.latency_us);
    let result = RunResult {
        schema_version: crate::result::SCHEMA_VERSION,
        complete: true,
        incomplete_reason: None,
        started_at: "2026-01-01T00:00:00Z".into(),
        labels: spec
            .labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        environment: Environment {
            hostname: "test".into(),
            cpu_model: "CPU".into(),
            logical_cpus: 2,
            kernel: "6".into(),
            rustc_version: None,
            go_version: None,
            loadgen_version: "0".into(),
            git_commit: None,
            cpu_topology: None,
        },
        target: TargetInfo {
            kind: kind.into(),
            label: label.into(),
            url: "http://127.0.0.1:1".into(),
            server_threads: Some(1),
            server_cpus: spec.server_cpus,
            read_states: 0,
            setup: None,
        },
        workload: WorkloadInfo {
            name: "users".into(),
            seed: 1,
            parameters: serde_json::Value::Null,
        },
        load: LoadInfo {
            mode: "constant-rate".into(),
            connections: 16,
            loadgen_threads: 1,
            loadgen_cpus: spec.loadgen_cpus,
            rate_per_second: spec.rate,
            warmup_seconds: 1.0,
            duration_seconds: spec.measured_seconds,
            request_timeout_ms: 2_000,
            protocol: Default::default(),
            pipeline_depth: 1,
            streams_per_connection: 1,
        },
        figures: Figures {
            requests: (spec.requests_per_second * spec.measured_seconds) as u64,
            errors: 0,
            measured_seconds: spec.measured_seconds,
            requests_per_second: spec.requests_per_second,
            latency: latency.clone(),
            service_time: latency.clone(),
            send_lag: latency,
            loadgen_lag: Default::default(),
            schedule: None,
            behind_schedule: spec.behind_schedule,
        },
        errors: ErrorCounts::default(),
        per_second: spec.per_second,
        loadgen: LoadgenUsage {
            cpu_seconds: 5.5,
            cpu_us_per_request: 10.0,
            cpu_utilisation: 0.5,
            bound: false,
            peak_rss_bytes: 1,
        },
        server: (kind != "external" || spec.external_measured).then_some(ServerAccounting {
            user_cpu_seconds: 1.0,
            system_cpu_seconds: 0.0,
            cpu_seconds_per_1000_requests: spec.cpu_per_1000,
            peak_rss_bytes: spec.peak_rss_bytes,
            rss_bytes_after: spec.peak_rss_bytes,
            gc_cycles_in_window: None,
            gc_pauses_in_window: None,
            gc_pause_max_ns_in_window: None,
            debug_stats_before: serde_json::Value::Null,
            debug_stats_after: serde_json::Value::Null,
            go_runtime: None,
        }),
        cpu_steal: None,
        files: BTreeMap::new(),
        shard: None,
        merge: None,
    };
    Run {
        dir: PathBuf::from(format!("runs/{}", spec.dir_name.unwrap_or(spec.server))),
        result,
        latency: None,
    }
}

/// Where a unit test draws its charts: `$LOADGEN_REPORT_TEST_OUT/<name>` when that variable
/// is set (to keep the PNGs for a look), else a temporary directory (the guard removes it).
pub fn chart_dir(name: &str) -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("LOADGEN_REPORT_TEST_OUT") {
        Some(keep) => {
            let dir = PathBuf::from(keep).join(name);
            std::fs::create_dir_all(&dir).unwrap();
            (None, dir)
        }
        None => {
            let temp = tempfile::tempdir().unwrap();
            let dir = temp.path().to_path_buf();
            (Some(temp), dir)
        }
    }
}

/// Draws `chart` from `runs` into [`chart_dir`]`(name)` and returns the PNG's path and what
/// the chart said.
pub fn draw(
    chart: &dyn crate::report::charts::Chart,
    name: &str,
    runs: Vec<Run>,
) -> (
    Option<tempfile::TempDir>,
    PathBuf,
    crate::report::charts::Drawn,
) {
    crate::report::font::register().unwrap();
    let (guard, dir) = chart_dir(name);
    let path = dir.join(chart.file_name());
    let study = crate::report::collect::Study {
        runs,
        ..Default::default()
    };
    let drawn = chart.draw(&study, &path).unwrap();
    (guard, path, drawn)
}
