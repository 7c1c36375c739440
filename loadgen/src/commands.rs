//! The subcommands, each from validated plan to files on disk.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::cli::{Command, RunArgs, SweepArgs};
use crate::error::LoadgenError;
use crate::plan::plan_run;
use crate::run::measure;
use crate::target::Target;

/// Runs a subcommand and returns the process exit code.
pub fn dispatch(command: Command) -> Result<i32, LoadgenError> {
    match command {
        Command::Run(args) => run_command(&args),
        Command::Sweep(args) => sweep_command(&args),
        Command::Reproduce(args) => crate::reproduce::reproduce(&args, install_interrupt_flag()),
        Command::Report(args) => {
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| args.dirs[0].join("report"));
            let summary = crate::report::render(&args.dirs, &out)?;
            print!("{}", summary.describe());
            Ok(0)
        }
        Command::Compare(args) => compare_command(&args),
        Command::Merge(args) => merge_command(&args),
    }
}

fn merge_command(args: &crate::cli::MergeArgs) -> Result<i32, LoadgenError> {
    let out = match &args.out {
        Some(out) => out.clone(),
        None => crate::plan::default_out_dir("merged"),
    };
    let result = crate::merge::merge(&args.dirs, &out)?;
    print!("{}", crate::summary::render(&result, &out));
    if let Some(info) = &result.merge {
        print!("{}", crate::merge::describe_shards(info));
    }
    Ok(if !result.complete {
        crate::error::EXIT_INCOMPLETE
    } else if result.figures.behind_schedule {
        crate::error::EXIT_BEHIND_SCHEDULE
    } else {
        0
    })
}

fn compare_command(args: &crate::cli::CompareArgs) -> Result<i32, LoadgenError> {
    use crate::report::compare::{self, CompareOptions, figures::Figure};
    let fail_on = args
        .fail_on
        .iter()
        .map(|name| {
            Figure::parse(name.trim()).ok_or_else(|| {
                let known: Vec<_> = Figure::ALL.iter().map(|f| f.name()).collect();
                crate::plan::PlanError(format!(
                    "--fail-on: unknown figure {name:?}; known: {}",
                    known.join(", ")
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = CompareOptions {
        noise: args.noise / 100.0,
        fail_on,
        fail_threshold: args.fail_threshold / 100.0,
    };
    let comparison = compare::compare(&args.base, &args.new, &options)?;
    // A closed pipe (`| head`) is not an error worth a panic: the page is still written.
    let _ = std::io::Write::write_all(
        &mut std::io::stdout(),
        compare::text::render(&comparison).as_bytes(),
    );
    let html = args
        .html
        .clone()
        .unwrap_or_else(|| args.new.join("compare.html"));
    compare::page::write(&comparison, &html)?;
    let _ = writeln!(std::io::stdout(), "\nPage: {}", html.display());
    let failures = comparison.failures(&options);
    for failure in &failures {
        eprintln!(
            "loadgen: regression: {} {} is {:.1} % worse (threshold {:.1} %)",
            failure.cell,
            failure.figure.name(),
            failure.worsening * 100.0,
            args.fail_threshold
        );
    }
    Ok(if failures.is_empty() {
        0
    } else {
        crate::error::EXIT_REGRESSED
    })
}

/// Ctrl-C or SIGTERM once: stop measuring and save what was measured. Twice: kill the servers
/// loadgen started (they run in their own process groups, out of the terminal's reach) and
/// exit at once with 130.
pub fn install_interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let flag = flag.clone();
        // SAFETY: the handler only touches atomics and calls kill(2) and _exit(2), which are
        // async-signal-safe. Registration fails only for forbidden signals, not these.
        let _ = unsafe {
            signal_hook::low_level::register(signal, move || {
                if flag.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    crate::children::kill_all_from_signal_handler();
                    signal_hook::low_level::exit(130);
                }
            })
        };
    }
    flag
}

fn say(message: &str) {
    eprintln!("loadgen: {message}");
}

fn run_command(args: &RunArgs) -> Result<i32, LoadgenError> {
    let plan = plan_run(args)?;
    // Before any server is built or any load sent: a run whose results cannot be written
    // would be lost.
    crate::output::check_writable(&plan.out_dir).map_err(LoadgenError::OutDir)?;
    let interrupt = install_interrupt_flag();
    let workspace = server_launcher::workspace_root();
    let with_go = matches!(
        plan.target,
        crate::plan::TargetPlan::Spawn {
            kind: server_launcher::ServerKind::Go,
            ..
        }
    );
    let environment = crate::environment::capture(&workspace, with_go);
    if let Some(warning) = crate::environment::dirty_tree_warning(&environment) {
        say(&warning);
    }
    let mut target = Target::prepare(&plan, &say)?;
    if let Some(shard) = &plan.shard {
        say(&format!(
            "shard {} of {} of plan {}: {} connections{}",
            shard.shard.index,
            shard.shard.count,
            shard.plan_id,
            plan.connections,
            plan.rate_per_second
                .map_or_else(String::new, |rate| format!(", {rate} req/s"))
        ));
    }
    if let Some(start_at) = plan.start_at {
        say(&format!(
            "waiting for the shared start at {}...",
            humantime::format_rfc3339_millis(start_at)
        ));
    }
    say(&format!(
        "measuring {} for {:?} after {:?} of warm-up...",
        target.url(),
        plan.duration,
        plan.warmup
    ));
    let outcome = measure(&plan, &mut target, &environment, &interrupt);
    let stopped = target.stop();
    let outcome = outcome?;
    if let Err(error) = stopped {
        say(&format!("warning: stopping the server: {error}"));
    }
    print!("{}", crate::summary::render(&outcome.result, &outcome.dir));
    Ok(outcome.exit_code())
}

fn sweep_command(args: &SweepArgs) -> Result<i32, LoadgenError> {
    let fractions = crate::study::parse_fractions(&args.fractions)?;
    let kinds = args
        .targets
        .split(',')
        .map(|name| {
            name.trim()
                .parse::<server_launcher::ServerKind>()
                .map_err(|_| {
                    crate::plan::PlanError(format!(
                        "--targets: '{name}' is not a reference server (rust or go)"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Validate the load settings once, before any server is built; the plan also decides the
    // prefill (none unless the workload reads it or --read-states asks for it).
    let validated = crate::plan::plan_measurement(
        &kinds[0].to_string(),
        &args.workload,
        None,
        &args.load,
        std::path::PathBuf::new(),
    )?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| crate::plan::default_out_dir(&format!("sweep-{}", args.workload)));
    crate::study::ensure_dir(&dir)?;
    let started_at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let planned = kinds.len() * (1 + 2 * fractions.len());
    let mut study =
        crate::study::Study::new(dir, args.load.clone(), install_interrupt_flag(), planned);
    let read_states = validated.read_states;
    let maxima =
        crate::sweep::measure_maxima(&mut study, &kinds, &args.workload, read_states, &fractions);
    crate::sweep::common_rate_steps(&mut study, &maxima, &args.workload, read_states, &fractions);
    let manifest = study.write_manifest(false, &started_at)?;
    study.say(&format!("sweep written: {}", manifest.display()));
    Ok(if study.failures > 0 || study.interrupted() {
        crate::error::EXIT_INCOMPLETE
    } else {
        0
    })
}
