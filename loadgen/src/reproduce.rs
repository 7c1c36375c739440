//! `loadgen reproduce`: the whole study in one command, then the report.
//!
//! Order and content (see README "What the study measures"):
//!  C1  the iterator-versus-loop benches (criterion, asm check, instruction counts);
//!  max throughput and the latency-versus-throughput sweep on /json (both servers);
//!  C2/C5  the Users API at one constant rate, the same for both servers (half of the lower
//!      maximum), repeated and interleaved rust, go, rust, go, ...;
//!  C3  read states at several live-heap sizes, the same rate for both;
//!  C4  plaintext maximum throughput of axum, Go and nginx, each pinned alike.
//! Every run is its own directory under <out>/runs; study.json records notes and timing.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use server_launcher::{ServerKind, ensure_built};

use crate::cli::{LoadArgs, ReproduceArgs};
use crate::error::{EXIT_INCOMPLETE, LoadgenError};
use crate::nginx::Nginx;
use crate::plan::default_out_dir;
use crate::study::{Step, Study, ensure_dir, step_name};
use crate::sweep::{common_rate_steps, measure_maxima};
use crate::target::Target;
use crate::workload::KeyDistribution;

/// The sizes of one study: the default run (about 10 minutes on 2 cores) or `--quick` (about 2).
struct Profile {
    quick: bool,
    warmup: Duration,
    duration: Duration,
    c2_duration: Duration,
    repetitions: usize,
    sweep_fractions: Vec<f64>,
    heap_sizes: Vec<u64>,
    /// Share of the lower Users maximum used for C2, and for the heap runs.
    c2_fraction: f64,
    heap_fraction: f64,
}

impl Profile {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                quick,
                warmup: Duration::from_millis(500),
                duration: Duration::from_millis(1500),
                c2_duration: Duration::from_secs(2),
                repetitions: 1,
                sweep_fractions: vec![0.5, 0.9],
                heap_sizes: vec![100_000, 1_000_000],
                c2_fraction: 0.5,
                heap_fraction: 0.4,
            }
        } else {
            Self {
                quick,
                warmup: Duration::from_secs(2),
                duration: Duration::from_secs(6),
                c2_duration: Duration::from_secs(10),
                repetitions: 3,
                sweep_fractions: vec![0.25, 0.5, 0.75, 0.9],
                heap_sizes: vec![100_000, 1_000_000, 4_000_000],
                c2_fraction: 0.5,
                heap_fraction: 0.4,
            }
        }
    }

    fn planned_runs(&self) -> usize {
        let sweep = 2 * (1 + 2 * self.sweep_fractions.len());
        let users = 2 + 2 * self.repetitions;
        sweep + users + 2 * self.heap_sizes.len() + 3
    }
}

/// Prefilled read states of the servers in the sweep and C2: each server as shipped (its
/// default), so the Go server carries a realistic live heap for its GC to trace.
const DEFAULT_READ_STATES: u64 = 1_000_000;
const KINDS: [ServerKind; 2] = [ServerKind::Rust, ServerKind::Go];

pub fn reproduce(
    args: &ReproduceArgs,
    interrupt: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<i32, LoadgenError> {
    let profile = Profile::new(args.quick);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out_dir("reproduce"));
    ensure_dir(&dir)?;
    let started_at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let load = LoadArgs {
        connections: 64,
        duration: profile.duration,
        warmup: profile.warmup,
        threads: 1,
        server_cpus: None,
        loadgen_cpus: None,
        server_threads: None,
        variant: server_launcher::Variant::AsShipped,
        read_states: DEFAULT_READ_STATES,
        key_distribution: KeyDistribution::Zipf,
        timeout: Duration::from_secs(2),
        seed: 1,
        quiet: true,
    };
    let mut study = Study::new(dir.clone(), load, interrupt, profile.planned_runs());
    study.say(&format!(
        "reproducing the study{} into {}",
        if profile.quick { " (quick)" } else { "" },
        dir.display()
    ));
    // Build both servers first: a missing Go toolchain should stop the study at once.
    for kind in KINDS {
        study.say(&format!("building {}...", kind.binary_name()));
        ensure_built(kind)?;
    }

    iterator_benches(&mut study, profile.quick);

    let maxima = measure_maxima(
        &mut study,
        &KINDS,
        "json",
        DEFAULT_READ_STATES,
        &profile.sweep_fractions,
    );
    common_rate_steps(
        &mut study,
        &maxima,
        "json",
        DEFAULT_READ_STATES,
        &profile.sweep_fractions,
    );

    let users_maxima = measure_maxima(&mut study, &KINDS, "users", DEFAULT_READ_STATES, &[]);
    let lower_users_max = users_maxima.iter().map(|(_, m)| *m).reduce(f64::min);
    match lower_users_max {
        Some(max) => {
            c2_repetitions(&mut study, &profile, (max * profile.c2_fraction).round());
            heap_runs(&mut study, &profile, (max * profile.heap_fraction).round());
        }
        None => study.note("C2, C3 and C5 skipped: no Users maximum was measured".into()),
    }
    plaintext_against_c(&mut study);

    study.write_manifest(profile.quick, &started_at)?;
    let report_dir = dir.join("report");
    match crate::report::render(std::slice::from_ref(&dir), &report_dir) {
        Ok(_) => study.say(&format!(
            "report: {}",
            report_dir.join("index.html").display()
        )),
        Err(error) => {
            study.failures += 1;
            study.note(format!("the report could not be rendered: {error}"));
            study.write_manifest(profile.quick, &started_at)?;
        }
    }
    study.say(&format!("done in {:.0} s", study.elapsed_seconds()));
    Ok(if study.failures > 0 || study.interrupted() {
        EXIT_INCOMPLETE
    } else {
        0
    })
}

/// C1: criterion over the kernels, then the summary (asm verdicts, instruction counts) into
/// <study>/iterbench.json. Run through cargo so that the benches are built exactly as
/// `cargo bench -p iterbench` builds them (benches/README.md). `--since` makes the summary
/// report results older than this run as missing instead of mixing them in.
fn iterator_benches(study: &mut Study, quick: bool) {
    if study.interrupted() {
        return;
    }
    study.say("C1: iterator versus loop (criterion, asm, instruction counts)...");
    let root = server_launcher::workspace_root();
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // The study's criterion data lives in the study's directory, never in
    // target/criterion: its short settings would otherwise become the baseline that the
    // user's next `cargo bench` compares against ("Performance has regressed" by 30-50 %).
    let criterion_dir = study.dir.join("criterion");
    let mut bench = Command::new("cargo");
    bench.env("CRITERION_HOME", &criterion_dir);
    bench.current_dir(&root).args([
        "bench",
        "--locked",
        "-q",
        "-p",
        "iterbench",
        "--bench",
        "iter_vs_loop",
        "--",
        "--noplot",
    ]);
    if quick {
        // Sizes up to 1 M only: the 16 M runs dominate the time (listed as missing).
        bench.args([
            "--warm-up-time",
            "0.3",
            "--measurement-time",
            "0.7",
            "--sample-size",
            "10",
            "--nresamples",
            "10000",
            "/(1024|65536|1048576)$",
        ]);
    } else {
        bench.args(["--warm-up-time", "0.5", "--measurement-time", "1.5"]);
    }
    let summary_path: PathBuf = study.dir.join("iterbench.json");
    let mut summary = Command::new("cargo");
    summary.current_dir(&root).args([
        "run",
        "--locked",
        "--release",
        "-q",
        "-p",
        "iterbench",
        "--bin",
        "iterbench-summary",
        "--",
    ]);
    summary
        .arg("--criterion-dir")
        .arg(&criterion_dir)
        .arg("--out")
        .arg(&summary_path)
        .arg("--since")
        .arg(since.to_string());
    if quick {
        summary.args(["--asm-settings", "o3,o3-native"]);
    }
    for (what, mut command) in [("criterion benches", bench), ("iterbench summary", summary)] {
        match command.stdout(std::process::Stdio::null()).status() {
            Ok(status) if status.success() => {}
            Ok(status) => {
                study.failures += 1;
                study.note(format!("C1: {what} failed ({status})"));
                return;
            }
            Err(error) => {
                study.failures += 1;
                study.note(format!("C1: cannot run cargo for the {what}: {error}"));
                return;
            }
        }
    }
}

/// C2 and C5: the Users API at one rate, rust and go interleaved, each repetition on a fresh
/// server so that no run inherits another's heap.
fn c2_repetitions(study: &mut Study, profile: &Profile, rate: f64) {
    let saved = study.load.duration;
    study.load.duration = profile.c2_duration;
    for repetition in 1..=profile.repetitions {
        for kind in KINDS {
            if study.interrupted() {
                break;
            }
            let Ok(mut target) = start_or_note(study, kind, DEFAULT_READ_STATES) else {
                continue;
            };
            study.measure(
                &mut target,
                Step {
                    name: step_name(&["c2", &kind.to_string(), "users", &repetition.to_string()]),
                    workload: "users",
                    rate: Some(rate),
                    labels: &[
                        ("experiment", "c2".to_string()),
                        ("repetition", repetition.to_string()),
                    ],
                },
            );
            study.stop(target);
        }
    }
    study.load.duration = saved;
}

/// C3: read states at growing live heaps, the same rate for both servers.
fn heap_runs(study: &mut Study, profile: &Profile, rate: f64) {
    for &entries in &profile.heap_sizes {
        for kind in KINDS {
            if study.interrupted() {
                return;
            }
            let Ok(mut target) = start_or_note(study, kind, entries) else {
                continue;
            };
            study.measure(
                &mut target,
                Step {
                    name: step_name(&["heap", &kind.to_string(), &entries.to_string()]),
                    workload: "read-states",
                    rate: Some(rate),
                    labels: &[
                        ("experiment", "heap".to_string()),
                        ("read_states", entries.to_string()),
                    ],
                },
            );
            study.stop(target);
        }
    }
}

/// C4: plaintext, closed loop, axum and Go with no prefilled state (as TechEmpower's
/// plaintext test) and nginx, each pinned to the same server CPUs with one worker.
fn plaintext_against_c(study: &mut Study) {
    let labels = [("experiment", "c4".to_string())];
    for kind in KINDS {
        if study.interrupted() {
            return;
        }
        let Ok(mut target) = start_or_note(study, kind, 0) else {
            continue;
        };
        study.measure(
            &mut target,
            Step {
                name: step_name(&["c4", &kind.to_string(), "plaintext"]),
                workload: "plaintext",
                rate: None,
                labels: &labels,
            },
        );
        study.stop(target);
    }
    let pinning =
        crate::plan::plan_measurement("rust", "plaintext", None, &study.load, study.dir.clone());
    let (server_cpus, workers) = match &pinning {
        Ok(plan) => match &plan.target {
            crate::plan::TargetPlan::Spawn {
                server_cpus,
                server_threads,
                ..
            } => (server_cpus.clone(), *server_threads),
            crate::plan::TargetPlan::External { .. } => (None, 1),
        },
        Err(_) => (None, 1),
    };
    match Nginx::start(workers, server_cpus.as_deref()) {
        Ok(nginx) => {
            let addr = crate::plan::loopback_addr(&nginx.url()).expect("nginx listens on loopback");
            let mut target = Target::External {
                addr,
                url: nginx.url(),
                label: "nginx".to_string(),
                cpus: server_cpus.clone(),
                workers: Some(workers),
            };
            study.say(&format!("C4 baseline: {}", nginx.version));
            study.measure(
                &mut target,
                Step {
                    name: "c4-nginx-plaintext".to_string(),
                    workload: "plaintext",
                    rate: None,
                    labels: &[
                        ("experiment", "c4".to_string()),
                        ("server", "nginx".to_string()),
                        ("server_version", nginx.version.clone()),
                    ],
                },
            );
        }
        Err(error) => {
            let line = format!("C4: nginx skipped: {error}");
            let _ = crate::output::write_atomically(
                &study.dir.join("nginx-skipped.txt"),
                line.as_bytes(),
            );
            study.note(line);
        }
    }
}

fn start_or_note(study: &mut Study, kind: ServerKind, read_states: u64) -> Result<Target, ()> {
    study.start_server(kind, read_states).map_err(|error| {
        study.failures += 1;
        study.note(format!(
            "{kind} with {read_states} read states: could not start: {error}"
        ));
    })
}
