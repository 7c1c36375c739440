//! Validated plans: raw flags in, a plan the engine can trust out. Every rule about what is
//! allowed (loopback only, CPU lists, sensible counts) lives here, once.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use server_launcher::{ServerKind, Variant};

use crate::affinity::{allowed_cpus, parse_cpu_list};
use crate::cli::{LoadArgs, RunArgs};
use crate::engine::Protocol;
use crate::shard::{
    JOB_COMPLETION_INDEX, PlanIdentity, Shard, parse_shard, parse_start_at, plan_id, shard_load,
};
use crate::workload::{KeyDistribution, WORKLOAD_NAMES};

pub use crate::plan_error::PlanError;

/// The deepest `--pipeline`: far beyond TechEmpower's 16, and still few enough requests
/// per connection that a server's read buffer holds them.
const MAX_PIPELINE_DEPTH: usize = 256;

/// The most `--streams`: below both reference servers' limit on concurrent streams (hyper
/// 200, Go 250), so that no stream silently waits for the server's permission to open.
const MAX_STREAMS: usize = 100;

/// See the rate check in `plan_measurement`.
const MAX_IDLE_BETWEEN_REQUESTS_SECONDS: f64 = 5.0;

fn invalid<T>(message: impl Into<String>) -> Result<T, PlanError> {
    Err(PlanError(message.into()))
}

#[derive(Debug, Clone, PartialEq)]
pub enum TargetPlan {
    /// loadgen builds, starts, pins and stops the reference server.
    Spawn {
        kind: ServerKind,
        variant: Variant,
        server_threads: usize,
        server_cpus: Option<Vec<usize>>,
    },
    /// A server someone else runs, on a loopback address (or, with `--allow-remote`, any).
    External { addr: SocketAddr, url: String },
}

/// Which target addresses a plan may send load to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// 127.0.0.0/8 and [::1] only: the default, and all that tests and studies use.
    LoopbackOnly,
    /// Any address: `--allow-remote`, for users load-testing their own infrastructure.
    Remote,
}

/// This run is one shard of a plan that N generators run together (see `shard.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct ShardPlan {
    pub shard: Shard,
    /// The id every shard of the plan shares (`shard::plan_id`).
    pub plan_id: String,
    /// This shard's schedule starts this long after the shared origin (K/R).
    pub schedule_offset: Duration,
    pub total_rate_per_second: Option<f64>,
    pub total_connections: usize,
}

/// One measurement, fully decided.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPlan {
    pub target: TargetPlan,
    pub workload: String,
    pub key_distribution: KeyDistribution,
    pub connections: usize,
    pub threads: usize,
    pub loadgen_cpus: Option<Vec<usize>>,
    pub warmup: Duration,
    pub duration: Duration,
    pub rate_per_second: Option<f64>,
    /// HTTP/1.1 (with its pipeline depth) or HTTP/2 (with its streams per connection).
    pub protocol: Protocol,
    pub request_timeout: Duration,
    pub read_states: u64,
    pub seed: u64,
    pub out_dir: PathBuf,
    pub show_progress: bool,
    /// Tags copied into the result (see `RunResult::labels`).
    pub labels: std::collections::BTreeMap<String, String>,
    /// The schedule's origin as a wall-clock time (`--start-at`); None: as soon as ready.
    pub start_at: Option<SystemTime>,
    /// Set when this run is one shard of a larger plan; `connections` and `rate_per_second`
    /// are then this shard's share.
    pub shard: Option<ShardPlan>,
}

/// The default output directory: reports/runs/<UTC time>-<label>.
pub fn default_out_dir(label: &str) -> PathBuf {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace(':', "");
    PathBuf::from("reports/runs").join(format!("{now}-{label}"))
}

pub fn plan_run(args: &RunArgs) -> Result<RunPlan, PlanError> {
    let target_label = match args.target.as_str() {
        "rust" | "go" => args.target.clone(),
        _ => "external".to_string(),
    };
    let reach = if args.allow_remote {
        Reach::Remote
    } else {
        Reach::LoopbackOnly
    };
    let start_at = args.start_at.as_deref().map(parse_start_at).transpose()?;
    let shard = match &args.shard {
        Some(text) => Some(parse_shard(
            text,
            std::env::var(JOB_COMPLETION_INDEX).ok().as_deref(),
        )?),
        None => None,
    };
    let label = match shard {
        Some(s) => format!(
            "{target_label}-{}-shard{}of{}",
            args.workload, s.index, s.count
        ),
        None => format!("{target_label}-{}", args.workload),
    };
    let out_dir = args.out.clone().unwrap_or_else(|| default_out_dir(&label));
    let Some(shard) = shard else {
        let mut plan = plan_measurement_reaching(
            &args.target,
            &args.workload,
            args.rate,
            &args.load,
            out_dir,
            reach,
        )?;
        plan.start_at = start_at
            .map(|at| check_start_at(at, args.load.warmup))
            .transpose()?;
        return Ok(plan);
    };
    let Some(start_at) = start_at else {
        return invalid(
            "--shard needs --start-at: every shard must share one schedule origin (an absolute time)",
        );
    };
    if matches!(args.target.as_str(), "rust" | "go") {
        return invalid(format!(
            "--shard with --target {}: the shards of a plan load one shared server; start it and give its URL as --target",
            args.target
        ));
    }
    let share = shard_load(shard, args.rate, args.load.connections)?;
    let shard_args = LoadArgs {
        connections: share.connections,
        ..args.load.clone()
    };
    let mut plan = plan_measurement_reaching(
        &args.target,
        &args.workload,
        share.rate_per_second,
        &shard_args,
        out_dir,
        reach,
    )?;
    plan.start_at = Some(check_start_at(start_at, args.load.warmup)?);
    let TargetPlan::External { url, .. } = &plan.target else {
        unreachable!("reference-server targets were refused above")
    };
    let identity = PlanIdentity {
        target_url: url,
        workload: &plan.workload,
        // The protocol too: shards that send the same requests over different protocols (or
        // pipelining depths, or streams) do not run one plan.
        workload_options: &format!("{:?} {:?}", plan.key_distribution, plan.protocol),
        total_rate_per_second: args.rate,
        total_connections: args.load.connections,
        shard_count: shard.count,
        start_at,
        warmup: plan.warmup,
        duration: plan.duration,
        request_timeout: plan.request_timeout,
        read_states: plan.read_states,
        seed: plan.seed,
    };
    plan.shard = Some(ShardPlan {
        shard,
        plan_id: plan_id(&identity),
        schedule_offset: share.schedule_offset,
        total_rate_per_second: args.rate,
        total_connections: args.load.connections,
    });
    Ok(plan)
}

/// A start time that has passed by more than the warm-up would begin the measured window
/// behind its schedule; refuse it rather than measure a catch-up burst.
fn check_start_at(start_at: SystemTime, warmup: Duration) -> Result<SystemTime, PlanError> {
    let passed = SystemTime::now()
        .duration_since(start_at)
        .unwrap_or(Duration::ZERO);
    if passed > warmup {
        return invalid(format!(
            "--start-at was {:.1} s ago, more than the warm-up ({warmup:?}): choose a time in the future (every shard waits for it)",
            passed.as_secs_f64()
        ));
    }
    Ok(start_at)
}

/// Validates one measurement's settings (shared by run, sweep and reproduce); the target
/// must be a loopback address.
pub fn plan_measurement(
    target: &str,
    workload: &str,
    rate: Option<f64>,
    load: &LoadArgs,
    out_dir: PathBuf,
) -> Result<RunPlan, PlanError> {
    plan_measurement_reaching(target, workload, rate, load, out_dir, Reach::LoopbackOnly)
}

/// `plan_measurement` with an explicit choice of which target addresses are allowed.
pub fn plan_measurement_reaching(
    target: &str,
    workload: &str,
    rate: Option<f64>,
    load: &LoadArgs,
    out_dir: PathBuf,
    reach: Reach,
) -> Result<RunPlan, PlanError> {
    if !WORKLOAD_NAMES.contains(&workload) {
        return invalid(format!(
            "unknown workload '{workload}'; choose one of: {}",
            WORKLOAD_NAMES.join(", ")
        ));
    }
    if load.connections == 0 || load.connections > 20_000 {
        return invalid("--connections must be between 1 and 20000");
    }
    if load.threads == 0 || load.threads > load.connections {
        return invalid("--threads must be at least 1 and at most --connections");
    }
    if load.duration < Duration::from_millis(100) {
        return invalid("--duration must be at least 100ms");
    }
    if load.timeout < Duration::from_millis(1) {
        return invalid("--timeout must be at least 1ms");
    }
    if let Some(rate) = rate {
        if !(rate.is_finite() && rate > 0.0) {
            return invalid("--rate must be a positive number of requests per second");
        }
        // A connection idle longer than this may be closed by the server between requests
        // (rust-server's hyper closes idle connections after 10 s, go-server after 120 s),
        // which would charge errors to one server only.
        let idle_between_requests = load.connections as f64 / rate;
        if idle_between_requests > MAX_IDLE_BETWEEN_REQUESTS_SECONDS {
            return invalid(format!(
                "--rate {rate} over {} connections leaves each connection idle {idle_between_requests:.1} s between requests; servers may close idle connections (rust-server after 10 s): lower --connections or raise --rate",
                load.connections
            ));
        }
        if rate < load.connections as f64 / load.duration.as_secs_f64() {
            return invalid(format!(
                "--rate {rate} is too low for {} connections over {:?}: each connection would send less than one request; lower --connections",
                load.connections, load.duration
            ));
        }
    }
    let protocol = plan_protocol(load)?;
    let read_states = load
        .read_states
        .unwrap_or_else(|| default_read_states(workload));
    if workload == "read-states" && read_states == 0 {
        return invalid(
            "the read-states workload needs --read-states of at least 1 (its keys are the prefilled entries)",
        );
    }
    let allowed = allowed_cpus();
    let check_cpus = |flag: &str, text: &str| -> Result<Vec<usize>, PlanError> {
        let cpus = parse_cpu_list(text).map_err(|e| PlanError(format!("{flag}: {e}")))?;
        if let Some(bad) = cpus.iter().find(|c| !allowed.contains(c)) {
            return invalid(format!(
                "{flag}: CPU {bad} is not available to this process (allowed: {allowed:?})"
            ));
        }
        Ok(cpus)
    };
    let mut loadgen_cpus = match &load.loadgen_cpus {
        Some(text) => Some(check_cpus("--loadgen-cpus", text)?),
        None => None,
    };
    let spawn_kind = match target {
        "rust" => Some(ServerKind::Rust),
        "go" => Some(ServerKind::Go),
        _ => None,
    };
    let target = match spawn_kind {
        Some(kind) => {
            let server_cpus = match &load.server_cpus {
                Some(text) => Some(check_cpus("--server-cpus", text)?),
                None => None,
            };
            let (loadgen, server) =
                default_pinning(&allowed, load.threads, loadgen_cpus.clone(), server_cpus);
            if allowed.len() >= 2 && loadgen.is_none() {
                return invalid(format!(
                    "--server-cpus {:?} leaves no CPU for loadgen (allowed: {allowed:?}): a fair measurement gives each its own cores",
                    server.as_deref().unwrap_or_default()
                ));
            }
            if let (Some(l), Some(s)) = (&loadgen, &server) {
                if l.iter().any(|c| s.contains(c)) {
                    return invalid(format!(
                        "server CPUs {s:?} and loadgen CPUs {l:?} overlap: a fair measurement gives each its own cores"
                    ));
                }
            }
            loadgen_cpus = loadgen;
            let server_threads = match load.server_threads {
                Some(0) => return invalid("--server-threads must be at least 1"),
                Some(n) => n,
                None => server.as_ref().map_or(allowed.len(), Vec::len),
            };
            TargetPlan::Spawn {
                kind,
                variant: load.variant,
                server_threads,
                server_cpus: server,
            }
        }
        None => {
            // The external server's CPUs are unknown; loadgen still takes the first CPUs,
            // as for spawned servers, so that runs are pinned alike (the C4 baseline, nginx,
            // is started on the server CPUs by `reproduce`).
            if loadgen_cpus.is_none() {
                loadgen_cpus = default_pinning(&allowed, load.threads, None, None).0;
            }
            let addr = target_addr(target, reach)?;
            TargetPlan::External {
                addr,
                url: target.trim_end_matches('/').to_string(),
            }
        }
    };
    Ok(RunPlan {
        target,
        workload: workload.to_string(),
        key_distribution: load.key_distribution,
        connections: load.connections,
        threads: load.threads,
        loadgen_cpus,
        warmup: load.warmup,
        duration: load.duration,
        rate_per_second: rate,
        protocol,
        request_timeout: load.timeout,
        read_states,
        seed: load.seed,
        out_dir,
        show_progress: !load.quiet,
        labels: Default::default(),
        start_at: None,
        shard: None,
    })
}

/// Read-state entries prefilled when `--read-states` is not given: only the workload that
/// reads them gets them, so that no other run carries a live heap it never touches
/// (docs/RULES.md, "one factor at a time").
pub const READ_STATES_WORKLOAD_DEFAULT: u64 = 1_000_000;

fn default_read_states(workload: &str) -> u64 {
    if workload == "read-states" {
        READ_STATES_WORKLOAD_DEFAULT
    } else {
        0
    }
}

/// `--pipeline`, `--http2` and `--streams` into one protocol; combinations that mean nothing
/// are refused rather than ignored.
fn plan_protocol(load: &LoadArgs) -> Result<Protocol, PlanError> {
    if load.pipeline == 0 || load.pipeline > MAX_PIPELINE_DEPTH {
        return invalid(format!(
            "--pipeline must be between 1 (no pipelining) and {MAX_PIPELINE_DEPTH}"
        ));
    }
    if !load.http2 {
        if load.streams.is_some() {
            return invalid(
                "--streams is for HTTP/2 only: add --http2, or use --pipeline for HTTP/1.1",
            );
        }
        return Ok(Protocol::Http1 {
            pipeline_depth: load.pipeline,
        });
    }
    if load.pipeline > 1 {
        return invalid(
            "--pipeline is HTTP/1.1 pipelining and cannot be combined with --http2; use --streams for concurrent HTTP/2 requests per connection",
        );
    }
    let streams = load.streams.unwrap_or(1);
    if streams == 0 || streams > MAX_STREAMS {
        return invalid(format!(
            "--streams must be between 1 and {MAX_STREAMS} (both reference servers allow at least 200 concurrent streams per connection)"
        ));
    }
    Ok(Protocol::Http2 { streams })
}

/// Default pinning on a machine with at least two CPUs: loadgen on the first CPUs (one per
/// worker thread, leaving at least one), the server on all the others. With one CPU there is
/// nothing to separate, so nothing is pinned.
fn default_pinning(
    allowed: &[usize],
    threads: usize,
    loadgen: Option<Vec<usize>>,
    server: Option<Vec<usize>>,
) -> (Option<Vec<usize>>, Option<Vec<usize>>) {
    if allowed.len() < 2 {
        return (loadgen, server);
    }
    let loadgen = loadgen.or_else(|| {
        let free: Vec<usize> = allowed
            .iter()
            .copied()
            .filter(|c| server.as_ref().is_none_or(|s| !s.contains(c)))
            .collect();
        let take = threads.min(free.len().saturating_sub(usize::from(server.is_none())));
        (take > 0).then(|| free[..take].to_vec())
    });
    let server = server.or_else(|| {
        let rest: Vec<usize> = allowed
            .iter()
            .copied()
            .filter(|c| loadgen.as_ref().is_none_or(|l| !l.contains(c)))
            .collect();
        (!rest.is_empty()).then_some(rest)
    });
    (loadgen, server)
}

/// Parses `http://HOST:PORT[/]` and insists that HOST is a loopback address: this tool sends
/// load only to the machine it runs on, unless a user opts in (`target_addr`).
pub fn loopback_addr(url: &str) -> Result<SocketAddr, PlanError> {
    target_addr(url, Reach::LoopbackOnly)
}

/// Parses `http://HOST:PORT[/]` and resolves HOST, which must be a loopback address unless
/// `reach` is `Remote`.
pub fn target_addr(url: &str, reach: Reach) -> Result<SocketAddr, PlanError> {
    let Some(rest) = url.strip_prefix("http://") else {
        return invalid(format!(
            "--target '{url}' is neither 'rust', 'go' nor an http:// URL (https is not supported)"
        ));
    };
    let authority = rest.trim_end_matches('/');
    if authority.contains('/') {
        return invalid(format!(
            "--target '{url}': give only the server's address (http://HOST:PORT); the workload chooses the paths"
        ));
    }
    let with_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty())
    {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let addrs: Vec<SocketAddr> = with_port
        .to_socket_addrs()
        .map_err(|e| PlanError(format!("--target '{url}': cannot resolve the address: {e}")))?
        .collect();
    let chosen = match reach {
        Reach::LoopbackOnly => addrs.into_iter().find(|a| is_loopback(a.ip())),
        Reach::Remote => addrs.into_iter().next(),
    };
    match chosen {
        Some(addr) => Ok(addr),
        None if reach == Reach::Remote => {
            invalid(format!("--target '{url}': the name resolved to no address"))
        }
        None => invalid(format!(
            "--target '{url}' is not a loopback address: loadgen only sends load to 127.0.0.0/8 or [::1] unless you pass --allow-remote (for your own infrastructure)"
        )),
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    ip.is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn plan(args: &[&str]) -> Result<RunPlan, PlanError> {
        let mut full = vec!["loadgen", "run"];
        full.extend_from_slice(args);
        let cli = crate::cli::Cli::try_parse_from(full).expect("flags parse");
        match cli.command {
            crate::cli::Command::Run(run) => plan_run(&run),
            _ => unreachable!(),
        }
    }

    #[test]
    fn only_loopback_urls_are_targets() {
        assert!(loopback_addr("http://127.0.0.1:8080").is_ok());
        assert!(loopback_addr("http://127.3.4.5:8080/").is_ok());
        assert!(loopback_addr("http://localhost:9").is_ok());
        assert!(loopback_addr("http://[::1]:9").is_ok());
        assert!(loopback_addr("http://10.0.0.1:8080").is_err());
        assert!(loopback_addr("http://192.168.1.1").is_err());
        assert!(loopback_addr("https://127.0.0.1").is_err());
        assert!(loopback_addr("127.0.0.1:80").is_err());
        assert!(loopback_addr("http://127.0.0.1:80/plaintext").is_err());
    }

    #[test]
    fn bad_flags_are_refused_with_a_reason() {
        let err = plan(&["--target", "rust", "--workload", "nope"]).unwrap_err();
        assert!(err.0.contains("unknown workload"));
        assert!(plan(&["--target", "rust", "-c", "0"]).is_err());
        assert!(plan(&["--target", "rust", "--rate=-5"]).is_err());
        assert!(
            plan(&[
                "--target",
                "rust",
                "-w",
                "read-states",
                "--read-states",
                "0"
            ])
            .is_err()
        );
        assert!(plan(&["--target", "rust", "--server-cpus", "999"]).is_err());
        let idle = plan(&["--target", "rust", "-c", "64", "--rate", "5"]).unwrap_err();
        assert!(idle.0.contains("idle"), "{}", idle.0);
    }

    #[test]
    fn remote_targets_need_an_explicit_opt_in() {
        // Resolution only: nothing is sent. 192.0.2.0/24 is reserved for documentation.
        let refused = loopback_addr("http://192.0.2.7:8080").unwrap_err();
        assert!(refused.0.contains("--allow-remote"), "{}", refused.0);
        let allowed = target_addr("http://192.0.2.7:8080", Reach::Remote).unwrap();
        assert_eq!(allowed, "192.0.2.7:8080".parse().unwrap());
        let planned = plan(&["--target", "http://192.0.2.7:8080", "--allow-remote"]).unwrap();
        assert!(matches!(planned.target, TargetPlan::External { addr, .. } if addr == allowed));
        assert!(plan(&["--target", "http://192.0.2.7:8080"]).is_err());
    }

    fn in_a_minute() -> String {
        let at = SystemTime::now() + Duration::from_secs(60);
        crate::shard::unix_us(at).div_euclid(1_000_000).to_string()
    }

    #[test]
    fn a_shard_runs_its_share_of_the_plan() {
        let start = in_a_minute();
        let shard = |k: &str| {
            plan(&[
                "--target",
                "http://127.0.0.1:9",
                "--rate",
                "3000",
                "-c",
                "8",
                "--shard",
                k,
                "--start-at",
                &start,
            ])
            .unwrap()
        };
        let (first, last) = (shard("0/3"), shard("2/3"));
        assert_eq!(first.rate_per_second, Some(1000.0));
        assert_eq!((first.connections, last.connections), (3, 2));
        let (a, b) = (first.shard.unwrap(), last.shard.unwrap());
        assert_eq!(a.plan_id, b.plan_id, "shards of one plan share its id");
        assert_eq!(b.schedule_offset, Duration::from_secs_f64(2.0 / 3000.0));
        assert_eq!(
            (b.total_rate_per_second, b.total_connections),
            (Some(3000.0), 8)
        );
        assert!(first.start_at.is_some());
    }

    #[test]
    fn shards_are_refused_without_a_shared_start_or_server() {
        let no_start = plan(&["--target", "http://127.0.0.1:9", "--shard", "0/2"]).unwrap_err();
        assert!(no_start.0.contains("--start-at"), "{}", no_start.0);
        let start = in_a_minute();
        let spawned =
            plan(&["--target", "rust", "--shard", "0/2", "--start-at", &start]).unwrap_err();
        assert!(spawned.0.contains("shared server"), "{}", spawned.0);
        let past = plan(&[
            "--target",
            "http://127.0.0.1:9",
            "--shard",
            "0/2",
            "--start-at",
            "1000000000",
        ])
        .unwrap_err();
        assert!(past.0.contains("ago"), "{}", past.0);
        let too_few = plan(&[
            "--target",
            "http://127.0.0.1:9",
            "-c",
            "2",
            "--shard",
            "0/3",
            "--start-at",
            &start,
        ])
        .unwrap_err();
        assert!(
            too_few.0.contains("at least one connection"),
            "{}",
            too_few.0
        );
    }

    #[test]
    fn only_the_read_states_workload_prefills_by_default() {
        for workload in ["plaintext", "json", "users"] {
            let planned = plan(&["--target", "go", "-w", workload]).unwrap();
            assert_eq!(planned.read_states, 0, "{workload}");
        }
        let planned = plan(&["--target", "go", "-w", "read-states"]).unwrap();
        assert_eq!(planned.read_states, READ_STATES_WORKLOAD_DEFAULT);
        // An explicit prefill is a choice the user made on purpose, and is kept.
        let planned = plan(&["--target", "go", "-w", "users", "--read-states", "5000"]).unwrap();
        assert_eq!(planned.read_states, 5000);
    }

    #[test]
    fn protocol_flags_become_one_protocol() {
        let protocol = |args: &[&str]| {
            let mut full = vec!["--target", "rust"];
            full.extend_from_slice(args);
            plan(&full).map(|p| p.protocol)
        };
        assert_eq!(
            protocol(&[]).unwrap(),
            Protocol::Http1 { pipeline_depth: 1 }
        );
        assert_eq!(
            protocol(&["--pipeline", "16"]).unwrap(),
            Protocol::Http1 { pipeline_depth: 16 }
        );
        assert_eq!(
            protocol(&["--http2"]).unwrap(),
            Protocol::Http2 { streams: 1 }
        );
        assert_eq!(
            protocol(&["--http2", "--streams", "8"]).unwrap(),
            Protocol::Http2 { streams: 8 }
        );
        for (args, complaint) in [
            (&["--pipeline", "16", "--http2"][..], "cannot be combined"),
            (&["--streams", "8"][..], "HTTP/2 only"),
            (&["--pipeline", "0"][..], "--pipeline must be"),
            (&["--http2", "--streams", "0"][..], "--streams must be"),
            (&["--http2", "--streams", "1000"][..], "--streams must be"),
        ] {
            let error = protocol(args).unwrap_err();
            assert!(error.0.contains(complaint), "{args:?}: {}", error.0);
        }
    }

    #[test]
    fn default_pinning_separates_server_and_loadgen() {
        let (l, s) = default_pinning(&[0, 1], 1, None, None);
        assert_eq!((l, s), (Some(vec![0]), Some(vec![1])));
        let (l, s) = default_pinning(&[0, 1, 2, 3], 2, None, None);
        assert_eq!((l, s), (Some(vec![0, 1]), Some(vec![2, 3])));
        let (l, s) = default_pinning(&[0, 1], 1, None, Some(vec![0]));
        assert_eq!((l, s), (Some(vec![1]), Some(vec![0])));
        let (l, s) = default_pinning(&[0], 1, None, None);
        assert_eq!((l, s), (None, None));
    }
}
