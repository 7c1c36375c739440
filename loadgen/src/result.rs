//! The result of one run: the one data contract between measuring and reporting.
//!
//! Written as `result.json` beside the histogram files (see `output.rs`); the report reads
//! only these. Units are in field names. Any change to the shape must bump
//! `SCHEMA_VERSION`; `tests/result_schema.rs` fails when the shape changes unnoticed.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

pub use server_launcher::{ServerEnvironment, Variant};

/// 4: `figures.loadgen_lag` and the schedule check's `loadgen_on_time_share`,
/// `held_by_server` and `achieved_share` (rules v3: a request held by an earlier response is
/// the server's delay, not loadgen's).
/// 3: requests/s counts responses completed inside the window; `figures.schedule` (send-side
/// schedule check) replaces `schedule_completion_ratio`; `loadgen.cpu_utilisation` and
/// `loadgen.bound`. Older files still read (the new fields default).
pub const SCHEMA_VERSION: u32 = 4;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunResult {
    pub schema_version: u32,
    /// False when the run ended before its duration (Ctrl-C, the server died); the figures
    /// then cover `figures.measured_seconds` only.
    pub complete: bool,
    pub incomplete_reason: Option<String>,
    pub started_at: String,
    /// Free-form tags set by the orchestrating command, e.g. {"experiment": "sweep",
    /// "fraction": "0.5"}; the report groups runs by them. Empty for a plain `loadgen run`.
    pub labels: BTreeMap<String, String>,
    pub environment: Environment,
    pub target: TargetInfo,
    pub workload: WorkloadInfo,
    pub load: LoadInfo,
    pub figures: Figures,
    pub errors: ErrorCounts,
    pub per_second: Vec<SecondSummary>,
    pub loadgen: LoadgenUsage,
    pub server: Option<ServerAccounting>,
    /// Steal time of the CPUs the run used, over the measured window (a VM's hypervisor
    /// running someone else on "our" core): None where /proc/stat could not be read.
    #[serde(default)]
    pub cpu_steal: Option<CpuSteal>,
    /// File names (relative to result.json) of the histograms of this run.
    pub files: BTreeMap<String, String>,
    /// Set when this run is one shard of a plan (`loadgen run --shard K/N`).
    #[serde(default)]
    pub shard: Option<ShardInfo>,
    /// Set when this run was merged from the shards of a plan (`loadgen merge`).
    #[serde(default)]
    pub merge: Option<MergeInfo>,
}

/// How a merged run came about: its plan, its shards, and how each of them fared.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MergeInfo {
    pub plan_id: String,
    /// The shared schedule origin, microseconds since the Unix epoch.
    pub start_at_unix_us: u64,
    /// Latest minus earliest `started_late_us` over the shards.
    pub start_skew_us: u64,
    /// What the merged `per_second` percentiles are (they cannot be added exactly).
    pub per_second_percentiles: String,
    /// One entry per shard, in shard order.
    pub shards: Vec<ShardSummary>,
}

/// One shard as the merged run remembers it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ShardSummary {
    pub index: usize,
    /// The shard's run directory, as given to `merge`.
    pub dir: String,
    pub hostname: String,
    pub complete: bool,
    /// The shard's planned rate (total / N); None in closed loop.
    pub rate_per_second: Option<f64>,
    pub connections: usize,
    pub requests: u64,
    pub errors: u64,
    /// Achieved: the shard's successes over its measured window.
    pub requests_per_second: f64,
    pub behind_schedule: bool,
    pub send_lag_p50_us: u64,
    pub send_lag_p99_us: u64,
    pub send_lag_max_us: u64,
    pub started_late_us: u64,
}

/// A shard's place in its plan; `loadgen merge` checks and combines shards by it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ShardInfo {
    /// Shared by every shard of one plan: a hash of its load-defining fields.
    pub plan_id: String,
    /// K, from 0.
    pub index: usize,
    /// N.
    pub count: usize,
    /// The plan's total rate; this shard ran `load.rate_per_second` = total / N.
    pub total_rate_per_second: Option<f64>,
    /// The plan's connections; this shard ran `load.connections` of them.
    pub total_connections: usize,
    /// The shared schedule origin (`--start-at`), microseconds since the Unix epoch; the
    /// measured window starts `load.warmup_seconds` later for every shard.
    pub start_at_unix_us: u64,
    /// This shard's schedule starts this long after the origin (K / total rate).
    pub schedule_offset_us: f64,
    /// How long after the origin this shard's generator was running (its workers started).
    pub started_late_us: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Environment {
    pub hostname: String,
    pub cpu_model: String,
    pub logical_cpus: usize,
    pub kernel: String,
    pub rustc_version: Option<String>,
    pub go_version: Option<String>,
    pub loadgen_version: String,
    /// `-dirty` appended when the work tree had uncommitted changes (loadgen also warns).
    pub git_commit: Option<String>,
    /// SMT layout, from /sys: two "CPUs" that are one core's hyper-threads are not two cores.
    #[serde(default)]
    pub cpu_topology: Option<CpuTopology>,
}

/// Which logical CPUs share a physical core (`/sys/devices/system/cpu/cpuN/topology/`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CpuTopology {
    /// Logical CPUs per core (the largest sibling set); 1 without SMT.
    pub threads_per_core: usize,
    /// For each logical CPU this process may use, the CPUs of its core (itself included).
    pub core_siblings: BTreeMap<usize, Vec<usize>>,
}

/// Steal time during the measured window, per CPU the run was pinned to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CpuSteal {
    pub cpus: Vec<CpuStealOfOne>,
    /// The largest `steal_share` among them.
    pub max_steal_share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CpuStealOfOne {
    pub cpu: usize,
    pub steal_seconds: f64,
    /// Steal over the window's wall-clock length.
    pub steal_share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TargetInfo {
    /// "rust", "go" or "external".
    pub kind: String,
    /// A short human label, e.g. "rust-axum" (from /debug/stats where available).
    pub label: String,
    pub url: String,
    pub server_threads: Option<usize>,
    pub server_cpus: Option<Vec<usize>>,
    pub read_states: u64,
    /// For spawned servers: the variant, its environment and what the runtime ran with.
    #[serde(default)]
    pub setup: Option<ServerSetup>,
}

/// How a spawned server was set up, as the launcher started it and as it reported itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServerSetup {
    pub variant: Variant,
    /// One line for reports, e.g. "net/http, pointer-free LRU, GOGC=400, ...".
    pub description: String,
    /// Every variable it got, and the tuning variables of loadgen's environment it did not.
    pub environment: ServerEnvironment,
    pub runtime: ServerRuntime,
}

/// The runtime settings a server reported in /debug/stats at the end of the run; None where
/// a server has no such setting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ServerRuntime {
    /// GOMAXPROCS as the Go runtime saw it.
    pub gomaxprocs: Option<u64>,
    /// -1 for GOGC=off.
    pub gogc_percent: Option<i64>,
    /// i64::MAX when no limit is set.
    pub gomemlimit_bytes: Option<i64>,
    pub goexperiment: Option<String>,
    pub godebug: Option<String>,
    pub read_states_lru: Option<String>,
    /// e.g. "tokio-multi-thread".
    pub async_runtime: Option<String>,
    pub tokio_workers: Option<u64>,
    /// e.g. "glibc-malloc", "mimalloc"; Go's allocator is the Go runtime's.
    pub allocator: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WorkloadInfo {
    pub name: String,
    pub seed: u64,
    pub parameters: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoadInfo {
    /// "closed-loop" (latency = service time; coordinated with the server) or
    /// "constant-rate" (wrk2: latency from the intended send time).
    pub mode: String,
    pub connections: usize,
    pub loadgen_threads: usize,
    pub loadgen_cpus: Option<Vec<usize>>,
    pub rate_per_second: Option<f64>,
    pub warmup_seconds: f64,
    pub duration_seconds: f64,
    pub request_timeout_ms: u64,
    /// The wire protocol (absent in results written before it was recorded: HTTP/1.1).
    #[serde(default)]
    pub protocol: WireProtocol,
    /// HTTP/1.1 requests in flight per connection (1: no pipelining; 1 for HTTP/2).
    #[serde(default = "one")]
    pub pipeline_depth: usize,
    /// HTTP/2 concurrent streams per connection (1 for HTTP/1.1).
    #[serde(default = "one")]
    pub streams_per_connection: usize,
}

fn one() -> usize {
    1
}

/// The protocol a run spoke.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub enum WireProtocol {
    /// HTTP/1.1, pipelined or not.
    #[default]
    #[serde(rename = "http/1.1")]
    Http1,
    /// HTTP/2 over cleartext with prior knowledge.
    #[serde(rename = "h2c")]
    H2c,
}

/// Percentiles of one histogram, in microseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Percentiles {
    pub count: u64,
    pub min_us: u64,
    pub mean_us: f64,
    pub stdev_us: f64,
    pub p50_us: u64,
    pub p75_us: u64,
    pub p90_us: u64,
    pub p99_us: u64,
    pub p99_9_us: u64,
    pub p99_99_us: u64,
    pub max_us: u64,
}

impl Percentiles {
    pub fn of(histogram: &Histogram<u64>) -> Self {
        let at = |q: f64| histogram.value_at_quantile(q);
        Self {
            count: histogram.len(),
            min_us: histogram.min(),
            mean_us: histogram.mean(),
            stdev_us: histogram.stdev(),
            p50_us: at(0.50),
            p75_us: at(0.75),
            p90_us: at(0.90),
            p99_us: at(0.99),
            p99_9_us: at(0.999),
            p99_99_us: at(0.9999),
            max_us: histogram.max(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Figures {
    /// Successful (2xx) responses in the measured window.
    pub requests: u64,
    pub errors: u64,
    pub measured_seconds: f64,
    /// Successful responses completed inside the measured window, over the window (wrk2's
    /// accounting: a drain after the window does not count).
    pub requests_per_second: f64,
    /// The headline latency: from the intended send time in constant-rate mode (corrected
    /// for coordinated omission), the response time in closed-loop mode.
    pub latency: Percentiles,
    /// From the actual send (uncorrected); equal to `latency` in closed loop.
    pub service_time: Percentiles,
    /// Actual minus intended send time of every request sent in the window, whatever its
    /// outcome; zero in closed loop.
    pub send_lag: Percentiles,
    /// The part of the send lag that was loadgen's own (see `ScheduleCheck`).
    #[serde(default)]
    pub loadgen_lag: Percentiles,
    /// Constant rate only: how well the requests kept to their schedule (`keeping_up.rs`).
    #[serde(default)]
    pub schedule: Option<ScheduleCheck>,
    /// Constant rate only: `schedule.behind_reason` is set. Such runs are left out of verdicts.
    pub behind_schedule: bool,
}

/// The send side of a constant-rate run, judged by `keeping_up::schedule_check`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScheduleCheck {
    /// Requests the schedule placed inside the measured window.
    pub scheduled: u64,
    /// Of those, sent within `on_time_tolerance_us` of their intended send time.
    pub sent_on_time: u64,
    /// Of those, never sent by the drain deadline (end + request timeout).
    pub unsent: u64,
    pub on_time_tolerance_us: u64,
    /// `sent_on_time / scheduled`.
    pub on_time_share: f64,
    /// Of the requests sent, the share loadgen sent within the tolerance of the moment it
    /// could (the later of the intended time and the moment the connection came free).
    #[serde(default)]
    pub loadgen_on_time_share: f64,
    /// Requests late by more than the tolerance only because their connection was still
    /// waiting for an earlier response: the server's delay, charged to their latency.
    #[serde(default)]
    pub held_by_server: u64,
    /// Responses completed in the window over those the target rate asked for.
    #[serde(default)]
    pub achieved_share: f64,
    /// Why the run is behind schedule (None when it kept up).
    pub behind_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SecondSummary {
    pub second: usize,
    pub requests: u64,
    pub errors: u64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    /// Go's GC cycles completed during this second (sampled from /debug/stats), if known.
    pub gc_cycles: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoadgenUsage {
    /// User + system CPU of the loadgen process from the start of warm-up to the end.
    pub cpu_seconds: f64,
    /// `cpu_seconds` over every request completed in that time (warm-up included).
    pub cpu_us_per_request: f64,
    pub peak_rss_bytes: u64,
    /// `cpu_seconds` over loadgen's wall time × its worker threads.
    #[serde(default)]
    pub cpu_utilisation: f64,
    /// `cpu_utilisation` ≥ 0.9: loadgen, not the server, may have set the pace.
    #[serde(default)]
    pub bound: bool,
}

/// What a spawned server used during the measured window.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServerAccounting {
    pub user_cpu_seconds: f64,
    pub system_cpu_seconds: f64,
    pub cpu_seconds_per_1000_requests: f64,
    /// VmHWM at the end of the run: includes the start-up prefill.
    pub peak_rss_bytes: u64,
    pub rss_bytes_after: u64,
    pub gc_cycles_in_window: Option<u64>,
    /// GC stop-the-world pauses within the window: (bucket upper bound ns, count).
    pub gc_pauses_in_window: Option<Vec<GcPauseBucket>>,
    pub gc_pause_max_ns_in_window: Option<u64>,
    pub debug_stats_before: serde_json::Value,
    pub debug_stats_after: serde_json::Value,
    /// Go only: what the garbage collector did inside the measured window.
    #[serde(default)]
    pub go_runtime: Option<GoRuntimeWindow>,
}

/// The Go GC's mechanism inside the measured window: its CPU, its pauses, the scheduling
/// delay it causes, and each cycle on the run's clock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GoRuntimeWindow {
    /// runtime/metrics /cpu/classes deltas (GOMAXPROCS-seconds, estimates comparable only
    /// with each other).
    pub gc_cpu_seconds: f64,
    pub gc_mark_assist_cpu_seconds: f64,
    pub gc_mark_dedicated_cpu_seconds: f64,
    pub gc_mark_idle_cpu_seconds: f64,
    pub gc_pause_cpu_seconds: f64,
    /// The server process's CPU time in the window (user + system, /proc).
    pub busy_cpu_seconds: f64,
    /// gc_cpu_seconds / busy_cpu_seconds, at most 1 (0 when nothing ran): the runtime's
    /// estimate of its GC CPU over the CPU the process measurably used. The estimate counts
    /// the time a mark worker holds a P, so on a core the OS also gives to others (a busy or
    /// stolen-from VM) it overstates, and the share saturates at 1.
    pub gc_cpu_share: f64,
    /// The largest stop-the-world pause in the window (bucket upper bound), ns.
    pub largest_pause_ns: u64,
    /// Goroutine scheduling latencies in the window (/sched/latencies:seconds).
    pub sched_latency_buckets: Vec<GcPauseBucket>,
    pub sched_latency_p99_ns: u64,
    pub sched_latency_max_ns: u64,
    /// Every GC cycle that overlapped the window, from the GC trace (GODEBUG=gctrace=1);
    /// empty when the trace was off.
    pub gc_cycles: Vec<GcCycleRecord>,
}

/// One GC cycle on the run's clock: milliseconds from the start of the measured window
/// (negative: before it), the resolution the report needs to line latency up with cycles.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GcCycleRecord {
    pub number: u64,
    pub start_ms: f64,
    pub end_ms: f64,
    pub stw_sweep_termination_ms: f64,
    pub concurrent_mark_ms: f64,
    pub stw_mark_termination_ms: f64,
    pub heap_live_mb: u64,
    pub heap_goal_mb: u64,
    pub forced: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GcPauseBucket {
    pub le_ns: Option<u64>,
    pub count: u64,
}

/// Failed requests by kind, within the measured window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCounts {
    pub connect: u64,
    pub timeout: u64,
    pub closed: u64,
    pub reset: u64,
    pub malformed: u64,
    /// Constant rate only: scheduled in the window but still not sent by the drain deadline
    /// (end + request timeout): the generator or the server fell that far behind. Counted by
    /// `Recorder::record_unsent`.
    #[serde(default)]
    pub unsent: u64,
    /// Non-2xx responses by status code.
    pub status: BTreeMap<u16, u64>,
}

impl ErrorCounts {
    pub fn merge(&mut self, other: &ErrorCounts) {
        self.connect += other.connect;
        self.timeout += other.timeout;
        self.closed += other.closed;
        self.reset += other.reset;
        self.malformed += other.malformed;
        self.unsent += other.unsent;
        for (code, count) in &other.status {
            *self.status.entry(*code).or_default() += count;
        }
    }

    pub fn total(&self) -> u64 {
        self.connect
            + self.timeout
            + self.closed
            + self.reset
            + self.malformed
            + self.unsent
            + self.status.values().sum::<u64>()
    }
}
