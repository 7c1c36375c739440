//! `loadgen reproduce`: the whole study in one command, then the report.
//!
//! Order and content (see README "What the study measures" and docs/RULES.md):
//!  C1  the iterator-versus-loop benches (criterion, asm check, instruction counts);
//!  the closed-loop maximum of each server on the Users API (as shipped, no prefill);
//!  C2/C5  the Users API at four load levels, fractions of the lower maximum, the same
//!      absolute rates for both servers, repeated: every run on a fresh server, repetitions
//!      interleaved and the order of cells rotated from one repetition to the next;
//!  C3  read states at growing live heaps, the same rate for both, repeated at the largest heap
//!      (the cell the verdict reads) and fewer times at the others;
//!  C4  plaintext maximum throughput of axum, Go and nginx, each pinned alike, repeated;
//!  C5  Pingora and nginx as reverse proxies to rust-server at the same constant rates,
//!      repeated (`c5_proxy.rs`; the default study only).
//! Only C3 prefills read states (one factor at a time). Every run is its own directory under
//! <out>/runs; study.json records the plan, the estimate, notes and timing.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use server_launcher::{ServerKind, Variant, ensure_built, ensure_variant_built};

use crate::c5_proxy;
use crate::cli::{LoadArgs, ReproduceArgs};
use crate::error::{EXIT_INCOMPLETE, LoadgenError};
use crate::experiments::{C4_PIPELINE_DEPTHS, TECHEMPOWER_PIPELINE_DEPTH, c4_experiment};
use crate::nginx::Nginx;
use crate::plan::default_out_dir;
use crate::study::{Step, Study, ensure_dir, step_name};
use crate::sweep::measure_maxima;

/// The sizes of one study: the default run or `--quick`. Both run the same cells a verdict
/// reads (the same load levels, the largest heap) with at least the rules' minimum of
/// repetitions; `--quick` has shorter windows and fewer repetitions, so its intervals are
/// wider and it may say "inconclusive" where the default study is definite.
struct Profile {
    quick: bool,
    warmup: Duration,
    duration: Duration,
    /// Repetitions of every cell a verdict reads (C2 levels, C3's largest heap, C4).
    repetitions: usize,
    /// C2 load levels: fractions of the lower closed-loop maximum on Users.
    levels: Vec<f64>,
    /// C3 heap sizes (read-state entries) and their repetitions: the largest is the verdict's.
    heaps: Vec<(u64, usize)>,
    /// Share of the lower Users maximum used for the heap runs.
    heap_fraction: f64,
    /// Whether the tuned variants run too (the same cells and absolute rates as the servers
    /// as shipped, for C2 and C3): the default study only, to keep `--quick` within budget.
    tuned: bool,
    /// The C1 benches' duration, measured on the 2-core reference VM, for the estimate.
    c1_seconds: f64,
    /// C4's pipeline depths: `--quick` runs only the pipelined row (TechEmpower's setting,
    /// and the one a single loadgen core can drive nginx through), to stay within 3 minutes.
    c4_depths: Vec<usize>,
    /// C5's proxy rates: fractions of the lower closed-loop maximum through the two proxies;
    /// the one nearest half is judged (docs/RULES.md). Empty in `--quick`: its 3 minutes are
    /// spent by the other claims' judged cells (3 repetitions × 2 proxies would add about
    /// 15 s to an estimate already at its budget), so the proxy rows need the default study.
    proxy_fractions: Vec<f64>,
}

impl Profile {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                quick,
                warmup: Duration::from_millis(500),
                duration: Duration::from_millis(1000),
                repetitions: 3,
                levels: vec![0.25, 0.5, 0.75, 0.9],
                heaps: vec![(100_000, 1), (4_000_000, 3)],
                heap_fraction: 0.4,
                tuned: false,
                c1_seconds: 60.0,
                c4_depths: vec![TECHEMPOWER_PIPELINE_DEPTH],
                proxy_fractions: Vec::new(),
            }
        } else {
            Self {
                quick,
                warmup: Duration::from_secs(1),
                duration: Duration::from_secs(6),
                repetitions: 5,
                levels: vec![0.25, 0.5, 0.75, 0.9],
                heaps: vec![(100_000, 2), (1_000_000, 2), (4_000_000, 5)],
                heap_fraction: 0.4,
                tuned: true,
                c1_seconds: 150.0,
                c4_depths: C4_PIPELINE_DEPTHS.to_vec(),
                proxy_fractions: vec![0.25, 0.5],
            }
        }
    }

    fn maxima_runs(&self) -> usize {
        KINDS.len()
    }

    /// The variants the C2 and C3 cells run for.
    fn variants(&self) -> Vec<Variant> {
        if self.tuned {
            vec![Variant::AsShipped, Variant::Tuned]
        } else {
            vec![Variant::AsShipped]
        }
    }

    /// The heap sizes a variant runs: all of them as shipped; the tuned variants only the
    /// smallest and the largest (the verdict's cell, and the other end of its growth).
    fn heaps_for(&self, variant: Variant) -> Vec<(u64, usize)> {
        match variant {
            Variant::AsShipped => self.heaps.clone(),
            Variant::Tuned => {
                let mut ends = vec![self.heaps[0], self.heaps[self.heaps.len() - 1]];
                ends.dedup();
                ends
            }
        }
    }

    fn c2_runs(&self) -> usize {
        self.levels.len() * KINDS.len() * self.repetitions * self.variants().len()
    }

    fn heap_runs(&self) -> usize {
        self.variants()
            .into_iter()
            .flat_map(|v| self.heaps_for(v))
            .map(|(_, n)| n * KINDS.len())
            .sum()
    }

    fn c4_runs(&self) -> usize {
        (KINDS.len() + 1) * self.repetitions * self.c4_depths.len()
    }

    /// One closed-loop run through each proxy, then each rate × 2 proxies × repetitions.
    fn proxy_runs(&self) -> usize {
        if self.proxy_fractions.is_empty() {
            return 0;
        }
        c5_proxy::Proxy::BOTH.len() * (1 + self.proxy_fractions.len() * self.repetitions)
    }

    fn planned_runs(&self) -> usize {
        self.maxima_runs() + self.c2_runs() + self.heap_runs() + self.c4_runs() + self.proxy_runs()
    }

    /// The plan in words, for the terminal and study.json.
    fn describe(&self) -> Vec<String> {
        let window = format!(
            "{:.1} s warm-up + {:.1} s measured",
            self.warmup.as_secs_f64(),
            self.duration.as_secs_f64()
        );
        vec![
            format!(
                "C1: criterion benches, asm-check, instruction counts ({})",
                if self.quick {
                    "quick settings"
                } else {
                    "default settings"
                }
            ),
            format!("maxima: Users API closed loop, {} runs", self.maxima_runs()),
            format!(
                "C2 and C5 (Go/Rust analogue): Users API at {} of the lower maximum × {} repetitions × 2 servers = {} runs, no prefill",
                self.levels
                    .iter()
                    .map(|f| format!("{:.0} %", f * 100.0))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.repetitions,
                self.c2_runs()
            ),
            format!(
                "C3: read states at {} × 2 servers = {} runs",
                self.heaps
                    .iter()
                    .map(|(h, n)| format!(
                        "{} entries × {n}",
                        crate::report::format::count_short(*h as f64)
                    ))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.heap_runs()
            ),
            format!(
                "C4: plaintext closed loop, axum, Go and nginx, {} × {} repetitions = {} runs",
                if self.c4_depths.len() > 1 {
                    "unpipelined and at depth 16"
                } else {
                    "at depth 16 only (the unpipelined row needs the default study)"
                },
                self.repetitions,
                self.c4_runs()
            ),
            if self.proxy_fractions.is_empty() {
                "C5 proxies: not run (Pingora against nginx needs the default study)".to_string()
            } else {
                format!(
                    "C5 proxies: Pingora and nginx in front of rust-server, plaintext, one closed \
                     loop through each, then {} of the lower maximum × {} repetitions × 2 proxies \
                     = {} runs, fresh processes every run",
                    self.proxy_fractions
                        .iter()
                        .map(|f| format!("{:.0} %", f * 100.0))
                        .collect::<Vec<_>>()
                        .join(", "),
                    self.repetitions,
                    self.proxy_runs()
                )
            },
            format!(
                "variants: {}",
                if self.tuned {
                    "as shipped, and tuned (C2 at the same rates, C3 at the smallest and largest heaps)"
                } else {
                    "as shipped only (the tuned rows need the default study)"
                }
            ),
            format!("each run: {window}, every run on a fresh server"),
        ]
    }

    /// Seconds the study should take on 2 cores once built: the C1 benches as measured, each
    /// run's window, and a start-up allowance per server (more for a prefilled heap: about
    /// 1 s per million entries on the reference VM).
    fn estimate_seconds(&self) -> f64 {
        let window = (self.warmup + self.duration).as_secs_f64();
        let start_stop = 0.7;
        let runs = self.planned_runs() as f64;
        // A proxy run starts two processes: the upstream (as any run's server) and the proxy.
        let proxy_start_stop = 0.3 * self.proxy_runs() as f64;
        let prefill: f64 = self
            .variants()
            .into_iter()
            .flat_map(|v| self.heaps_for(v))
            .map(|(h, n)| (h as f64 / 1e6) * (n * KINDS.len()) as f64)
            .sum();
        self.c1_seconds + runs * (window + start_stop) + proxy_start_stop + prefill
    }
}

/// Prefilled read states of every run except C3's: none. Only C3 varies the live heap; a
/// prefill the Users or plaintext workloads never read would make C2 and C5 measure C3's
/// factor instead of their own (docs/RULES.md, "one factor at a time").
const NO_PREFILL: u64 = 0;
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
        read_states: Some(NO_PREFILL),
        ..LoadArgs::quiet_defaults(64, profile.duration, profile.warmup)
    };
    let mut study = Study::new(dir.clone(), load, interrupt, profile.planned_runs());
    study.plan = profile.describe();
    study.estimated_seconds = Some(profile.estimate_seconds());
    study.say(&format!(
        "reproducing the study{} into {}: {} runs, about {:.0} min once built",
        if profile.quick { " (quick)" } else { "" },
        dir.display(),
        profile.planned_runs(),
        profile.estimate_seconds() / 60.0
    ));
    for line in &study.plan {
        study.say(&format!("  plan: {line}"));
    }
    // Build every server first: a missing Go toolchain should stop the study at once.
    for kind in KINDS {
        study.say(&format!("building {}...", kind.binary_name()));
        ensure_built(kind)?;
        if profile.tuned {
            ensure_variant_built(kind, Variant::Tuned)?;
        }
    }

    study.say("step 1/6: C1");
    iterator_benches(&mut study, profile.quick);

    study.say("step 2/6: maxima on the Users API");
    let users_maxima = measure_maxima(&mut study, &KINDS, "users", NO_PREFILL, &[]);
    let lower_users_max = users_maxima.iter().map(|(_, m)| *m).reduce(f64::min);
    match lower_users_max {
        Some(max) => {
            study.say("step 3/6: C2 and C5 (Go/Rust), the Users API at four load levels");
            for variant in profile.variants() {
                c2_curve(&mut study, &profile, variant, max);
            }
            study.say("step 4/6: C3, read states at growing heaps");
            let rate = (max * profile.heap_fraction).round();
            for variant in profile.variants() {
                heap_runs(&mut study, &profile.heaps_for(variant), variant, rate);
            }
        }
        None => study.note("C2, C3 and C5 skipped: no Users maximum was measured".into()),
    }
    study.say("step 5/6: C4, plaintext against nginx");
    plaintext_against_c(&mut study, profile.repetitions, &profile.c4_depths);
    if profile.proxy_fractions.is_empty() {
        study.say("step 6/6: C5 proxies: not in --quick");
    } else {
        study.say("step 6/6: C5, Pingora against nginx as reverse proxies");
        c5_proxy::run(&mut study, profile.repetitions, &profile.proxy_fractions);
    }

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
    study.say(&format!(
        "done in {:.0} s (estimated {:.0} s)",
        study.elapsed_seconds(),
        profile.estimate_seconds()
    ));
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

/// `cells` in the order of one repetition: rotated by the repetition's index, so that no
/// cell always runs first (or right after the same neighbour) on a machine that drifts.
pub(crate) fn rotated<T: Clone>(cells: &[T], repetition: usize) -> Vec<T> {
    let mut order = cells.to_vec();
    if !order.is_empty() {
        let shift = repetition % order.len();
        order.rotate_left(shift);
    }
    order
}

/// C2 and C5: the Users API at each load level, both servers at the same absolute rates,
/// every run on a fresh server so that no run inherits another's heap; repetitions
/// interleaved, cell order rotated.
fn c2_curve(study: &mut Study, profile: &Profile, variant: Variant, lower_max: f64) {
    let cells: Vec<(f64, ServerKind)> = profile
        .levels
        .iter()
        .flat_map(|&f| KINDS.iter().map(move |&k| (f, k)))
        .collect();
    for repetition in 1..=profile.repetitions {
        for (fraction, kind) in rotated(&cells, repetition - 1) {
            if study.interrupted() {
                return;
            }
            let rate = (lower_max * fraction).round().max(1.0);
            on_fresh_server(
                study,
                (kind, variant),
                NO_PREFILL,
                Step {
                    name: step_name(&[
                        "c2",
                        &server_name(kind, variant),
                        "users",
                        &fraction.to_string(),
                        &repetition.to_string(),
                    ]),
                    workload: "users",
                    rate: Some(rate),
                    pipeline: 1,
                    labels: &[
                        ("experiment", "c2".to_string()),
                        ("fraction", fraction.to_string()),
                        ("rate_basis", "common".to_string()),
                        ("repetition", repetition.to_string()),
                        ("variant", variant.to_string()),
                    ],
                },
            );
        }
    }
}

/// C3: read states at growing live heaps, the same rate for both servers; each heap size
/// repeated as the profile says (the largest, which the verdict reads, most).
fn heap_runs(study: &mut Study, heaps: &[(u64, usize)], variant: Variant, rate: f64) {
    let most = heaps.iter().map(|(_, n)| *n).max().unwrap_or(0);
    for repetition in 1..=most {
        let cells: Vec<(u64, ServerKind)> = heaps
            .iter()
            .filter(|(_, n)| *n >= repetition)
            .flat_map(|&(h, _)| KINDS.iter().map(move |&k| (h, k)))
            .collect();
        for (entries, kind) in rotated(&cells, repetition - 1) {
            if study.interrupted() {
                return;
            }
            on_fresh_server(
                study,
                (kind, variant),
                entries,
                Step {
                    name: step_name(&[
                        "heap",
                        &server_name(kind, variant),
                        &entries.to_string(),
                        &repetition.to_string(),
                    ]),
                    workload: "read-states",
                    rate: Some(rate),
                    pipeline: 1,
                    labels: &[
                        ("experiment", "heap".to_string()),
                        ("read_states", entries.to_string()),
                        ("repetition", repetition.to_string()),
                        ("variant", variant.to_string()),
                    ],
                },
            );
        }
    }
}

/// A server's name in step names: "go", or "go-tuned" for the tuned variant.
fn server_name(kind: ServerKind, variant: Variant) -> String {
    match variant {
        Variant::AsShipped => kind.to_string(),
        Variant::Tuned => format!("{kind}-tuned"),
    }
}

/// One C4 contestant: a reference server or the C baseline.
#[derive(Debug, Clone, Copy)]
enum Contestant {
    Reference(ServerKind),
    Nginx,
}

/// C4: plaintext, closed loop, axum and Go with no prefilled state (as TechEmpower's
/// plaintext test) and nginx, each pinned to the same server CPUs with one worker, without
/// pipelining and at depth 16; repeated, order rotated, each run on a fresh server.
fn plaintext_against_c(study: &mut Study, repetitions: usize, depths: &[usize]) {
    let contestants = [
        Contestant::Reference(ServerKind::Rust),
        Contestant::Reference(ServerKind::Go),
        Contestant::Nginx,
    ];
    let mut nginx_skipped = false;
    for repetition in 1..=repetitions {
        for &depth in depths {
            for contestant in rotated(&contestants, repetition - 1) {
                if study.interrupted() {
                    return;
                }
                let experiment = c4_experiment(depth);
                let depth_name = format!("p{depth}");
                match contestant {
                    Contestant::Reference(kind) => on_fresh_server(
                        study,
                        (kind, Variant::AsShipped),
                        NO_PREFILL,
                        Step {
                            name: step_name(&[
                                "c4",
                                &kind.to_string(),
                                "plaintext",
                                &depth_name,
                                &repetition.to_string(),
                            ]),
                            workload: "plaintext",
                            rate: None,
                            pipeline: depth,
                            labels: &[
                                ("experiment", experiment.to_string()),
                                ("repetition", repetition.to_string()),
                            ],
                        },
                    ),
                    Contestant::Nginx if nginx_skipped => {}
                    Contestant::Nginx => {
                        nginx_skipped = !nginx_run(study, repetition, depth);
                    }
                }
            }
        }
    }
}

/// One nginx run on the server CPUs; false when nginx cannot be started (noted once, in
/// nginx-skipped.txt, which the report quotes).
fn nginx_run(study: &mut Study, repetition: usize, depth: usize) -> bool {
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
            let mut target = nginx
                .process()
                .target("nginx", server_cpus.clone(), workers);
            if repetition == 1 && depth == 1 {
                study.say(&format!("C4 baseline: {}", nginx.version));
            }
            study.measure(
                &mut target,
                Step {
                    name: step_name(&[
                        "c4",
                        "nginx",
                        "plaintext",
                        &format!("p{depth}"),
                        &repetition.to_string(),
                    ]),
                    workload: "plaintext",
                    rate: None,
                    pipeline: depth,
                    labels: &[
                        ("experiment", c4_experiment(depth).to_string()),
                        ("server", "nginx".to_string()),
                        ("server_version", nginx.version.clone()),
                        ("repetition", repetition.to_string()),
                    ],
                },
            );
            true
        }
        Err(error) => {
            let line = format!("C4: nginx skipped: {error}");
            let _ = crate::output::write_atomically(
                &study.dir.join("nginx-skipped.txt"),
                line.as_bytes(),
            );
            study.note(line);
            false
        }
    }
}

/// One measurement on a server started for it alone (with `read_states` prefilled) and
/// stopped after it, so that no run inherits another's heap; a start failure is noted.
fn on_fresh_server(
    study: &mut Study,
    (kind, variant): (ServerKind, Variant),
    read_states: u64,
    step: Step<'_>,
) {
    let mut target = match study.start_variant(kind, variant, read_states) {
        Ok(target) => target,
        Err(error) => {
            study.failures += 1;
            study.note(format!(
                "{kind} ({variant}) with {read_states} read states: could not start: {error}"
            ));
            return;
        }
    };
    study.measure(&mut target, step);
    study.stop(target);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_runs_first_in_some_repetition() {
        let cells = ["a", "b", "c"];
        let firsts: Vec<&str> = (0..3).map(|r| rotated(&cells, r)[0]).collect();
        assert_eq!(firsts, ["a", "b", "c"]);
        assert!(rotated::<u8>(&[], 3).is_empty());
    }

    #[test]
    fn both_profiles_repeat_every_judged_cell_at_least_the_rules_minimum() {
        use crate::report::rules::MIN_REPETITIONS;
        for quick in [true, false] {
            let profile = Profile::new(quick);
            assert!(profile.repetitions >= MIN_REPETITIONS);
            assert!(
                profile.levels.len() >= 4,
                "C2 is a curve of four or more levels"
            );
            let (largest, reps) = profile.heaps.iter().max_by_key(|(h, _)| *h).unwrap();
            assert_eq!(
                *largest, 4_000_000,
                "quick and full judge C3 at the same heap"
            );
            assert!(*reps >= MIN_REPETITIONS);
        }
        assert!(Profile::new(false).repetitions >= 5);
        assert_eq!(Profile::new(true).levels, Profile::new(false).levels);
        // C5's proxy rows: the default study judges the rate at half the lower maximum;
        // --quick runs none (and says so in its plan).
        let full = Profile::new(false);
        assert!(full.proxy_fractions.contains(&0.5));
        assert_eq!(full.proxy_runs(), 2 * (1 + full.proxy_fractions.len() * 5));
        let quick = Profile::new(true);
        assert_eq!(quick.proxy_runs(), 0);
        assert!(
            quick
                .describe()
                .iter()
                .any(|l| l.contains("needs the default study")),
            "{:?}",
            quick.describe()
        );
    }

    #[test]
    fn the_estimates_fit_the_budget() {
        // The budget (issue 11): 30 min for the default study, 3 for --quick, once built.
        assert!(Profile::new(false).estimate_seconds() <= 30.0 * 60.0);
        assert!(Profile::new(true).estimate_seconds() <= 3.0 * 60.0);
    }
}
