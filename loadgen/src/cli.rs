//! Raw command-line flags (clap derive). Nothing downstream reads these: `plan.rs` validates
//! them into a plan first.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::workload::KeyDistribution;

#[derive(Debug, Parser)]
#[command(
    name = "loadgen",
    version,
    about = "Load generator and report for the Rust-vs-Go claims study",
    long_about = "Drives the study's reference servers (axum and Go net/http) or any loopback \
HTTP/1.1 or h2c server (another host only with --allow-remote), records latency in HdrHistograms (wrk2 \
semantics at constant rate), and renders the report. Several loadgen processes can run one plan \
as shards (run --shard K/N --start-at TIME) and `merge` adds their histograms exactly.\n\nExit codes: 0 success; 1 unexpected failure; 2 bad arguments (or an unwritable --out); 3 the target could \
not be built, started or reached; 4 the run ended early (results saved, marked incomplete); \
5 the run fell behind schedule: its requests were not sent on time (results saved); 6 `compare`: \
a figure named in --fail-on regressed beyond --fail-threshold."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Measure one target under one workload and write its results.
    Run(RunArgs),
    /// Find each server's maximum throughput, then measure latency at fixed fractions of it.
    Sweep(SweepArgs),
    /// The whole study: every measurement, then the report (the README's main command).
    Reproduce(ReproduceArgs),
    /// Render index.html and PNG charts from results on disk (never re-runs anything).
    Report(ReportArgs),
    /// Compare two runs or two studies figure by figure: change, 95 % interval, verdict.
    Compare(CompareArgs),
    /// Add the shard runs of one plan (`run --shard K/N`) into one run: histograms added
    /// exactly, counts and errors summed, per-shard rate, send lag and start skew kept.
    Merge(MergeArgs),
}

/// Flags shared by everything that drives load.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Concurrent connections.
    #[arg(long, short = 'c', default_value_t = 64)]
    pub connections: usize,
    /// Measured duration (e.g. 10s, 1m).
    #[arg(long, short = 'd', default_value = "10s", value_parser = humantime::parse_duration)]
    pub duration: Duration,
    /// Warm-up before measuring; requests are sent but not recorded.
    #[arg(long, default_value = "2s", value_parser = humantime::parse_duration)]
    pub warmup: Duration,
    /// Loadgen worker threads (one event loop each).
    #[arg(long, short = 't', default_value_t = 1)]
    pub threads: usize,
    /// CPUs for the spawned server, e.g. "1" or "2-3". Default: every allowed CPU not used by loadgen.
    #[arg(long)]
    pub server_cpus: Option<String>,
    /// CPUs for loadgen's workers, e.g. "0". Default: the first allowed CPUs, one per thread.
    #[arg(long)]
    pub loadgen_cpus: Option<String>,
    /// Server worker threads (tokio workers / GOMAXPROCS). Default: the number of server CPUs.
    #[arg(long)]
    pub server_threads: Option<usize>,
    /// Which variant of a spawned server: as shipped, or tuned as its experts would
    /// (servers/README.md: mimalloc for Rust; a pointer-free LRU, GOGC and GOMEMLIMIT for Go).
    #[arg(long, value_enum, default_value_t = server_launcher::Variant::AsShipped)]
    pub variant: server_launcher::Variant,
    /// Read-state entries the spawned server prefills (its live heap). Default: 1,000,000 for
    /// the read-states workload, none for the others (a prefill the workload never reads would
    /// only add a live heap for Go's GC to trace: one factor at a time). For an external URL:
    /// how many the server holds, so that read-states keys exist.
    #[arg(long)]
    pub read_states: Option<u64>,
    /// How read-states keys are drawn.
    #[arg(long, value_enum, default_value_t = KeyDistribution::Zipf)]
    pub key_distribution: KeyDistribution,
    /// HTTP/1.1 pipelining: requests in flight per connection, each timed from its own
    /// intended send time (TechEmpower's plaintext test uses 16). 1: no pipelining.
    #[arg(long, default_value_t = 1)]
    pub pipeline: usize,
    /// HTTP/2 over cleartext with prior knowledge (h2c) instead of HTTP/1.1.
    #[arg(long)]
    pub http2: bool,
    /// With --http2: concurrent streams per connection (default 1).
    #[arg(long)]
    pub streams: Option<usize>,
    /// A request with no answer after this long counts as a timeout error.
    #[arg(long, default_value = "2s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
    /// Seed of the request mix (recorded in the result).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// No progress display.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl LoadArgs {
    /// The flags a program (the study, a test) measures with: loadgen and server pinned by
    /// default, servers as shipped with no prefill, one worker thread, no pipelining, quiet.
    pub fn quiet_defaults(connections: usize, duration: Duration, warmup: Duration) -> Self {
        Self {
            connections,
            duration,
            warmup,
            threads: 1,
            server_cpus: None,
            loadgen_cpus: None,
            server_threads: None,
            variant: server_launcher::Variant::AsShipped,
            read_states: Some(0),
            key_distribution: KeyDistribution::Zipf,
            pipeline: 1,
            http2: false,
            streams: None,
            timeout: Duration::from_secs(2),
            seed: 1,
            quiet: true,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// "rust" or "go" (loadgen builds, starts, pins and stops the server) or a loopback URL
    /// such as http://127.0.0.1:8080.
    #[arg(long)]
    pub target: String,
    /// plaintext, json, users or read-states.
    #[arg(long, short = 'w', default_value = "plaintext")]
    pub workload: String,
    /// Constant rate in requests/second over all connections (wrk2 mode). Without it: closed loop.
    #[arg(long, short = 'R')]
    pub rate: Option<f64>,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Directory for result.json and histograms. Default: reports/runs/<time>-<target>-<workload>.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Run shard K of N of this plan ("K/N", K from 0), or "auto/N" to take K from
    /// JOB_COMPLETION_INDEX (set in a Kubernetes Indexed Job's pods). --rate and --connections
    /// are the totals of all N shards; needs --start-at and a URL target. `loadgen merge`
    /// adds the shards' results into one run.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Absolute start of the schedule, shared by every shard: RFC 3339
    /// (2026-12-02T15:04:05Z) or Unix seconds. loadgen waits until then; the warm-up starts
    /// then and the measured window after it.
    #[arg(long, value_name = "TIME")]
    pub start_at: Option<String>,
    /// Allow a target URL that is not a loopback address (a host or a Kubernetes Service on
    /// your own infrastructure). Without it loadgen sends load only to 127.0.0.0/8 or [::1].
    #[arg(long)]
    pub allow_remote: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// The shards' run directories (each written by `loadgen run --shard K/N`), any order.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Directory for the merged run. Default: reports/runs/<time>-merged-<plan id>.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Servers to sweep: rust, go, or both (comma-separated).
    #[arg(long, default_value = "rust,go")]
    pub targets: String,
    #[arg(long, short = 'w', default_value = "json")]
    pub workload: String,
    /// Fractions of each server's own maximum to measure at.
    #[arg(long, default_value = "0.25,0.5,0.75,0.9")]
    pub fractions: String,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Directory for the sweep's runs. Default: reports/runs/<time>-sweep-<workload>.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ReproduceArgs {
    /// The same rules on less data (about 3 minutes once built): shorter windows, 3
    /// repetitions instead of 5; verdicts may be "inconclusive" where the default study's
    /// (about 15 minutes) are definite.
    #[arg(long)]
    pub quick: bool,
    /// Directory for every run and the report. Default: reports/runs/<time>-reproduce.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Result directories (searched recursively for result.json and iterbench.json).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write index.html and the charts. Default: <first dir>/report.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Cells (server x workload x load, repetitions pooled) are paired by name; two \
single runs are paired whatever their labels. Each change is new/base of the medians with a 95 % \
bootstrap interval: over repetitions where both sides have two or more runs, else over the runs' \
1 s intervals (labelled so). Exit 6 when a --fail-on figure regressed beyond --fail-threshold."
)]
pub struct CompareArgs {
    /// The base: a run directory or a study directory (searched for result.json).
    pub base: PathBuf,
    /// The new side, compared against the base.
    pub new: PathBuf,
    /// Changes smaller than this many percent count as noise, whatever their interval.
    #[arg(long, default_value_t = 5.0, value_parser = parse_percent)]
    pub noise: f64,
    /// Figures whose regression fails the command (exit 6), comma-separated:
    /// req/s, p50, p99, p99.9, max, server-cpu, server-rss.
    #[arg(long, value_delimiter = ',')]
    pub fail_on: Vec<String>,
    /// A --fail-on figure fails the command when it regressed by more than this many percent.
    #[arg(long, default_value_t = 10.0, value_parser = parse_percent)]
    pub fail_threshold: f64,
    /// Where to write the HTML page. Default: <NEW>/compare.html.
    #[arg(long)]
    pub html: Option<PathBuf>,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a percentage"))?;
    if value.is_finite() && (0.0..1000.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{text:?}: expected a percentage from 0 to 1000"))
    }
}
