//! `cargo run --release -p iterbench --bin iterbench-summary -- --out FILE`: reads criterion's
//! results, runs the assembly check and the callgrind counts, writes one JSON file.
//!
//! Exit status: 0 when the file was written, 1 on any error (no criterion results, a build or
//! valgrind failure; nothing is written then), 2 on a bad command line.

use std::path::PathBuf;

use clap::Parser;
use iterbench::asm_check::{self, BuildSetting};
use iterbench::{command, summary};

/// Write the iterator-versus-loop summary JSON.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The JSON file to write.
    #[arg(long)]
    out: PathBuf,
    /// Criterion's output directory [default: <workspace target>/criterion].
    #[arg(long)]
    criterion_dir: Option<PathBuf>,
    /// Ignore criterion results written before this time (seconds since the Unix epoch),
    /// e.g. the start of the `cargo bench` run, so that stale sizes are reported missing.
    #[arg(long)]
    since: Option<u64>,
    /// Free text about the conditions, stored in the file (e.g. "busy shared machine").
    #[arg(long)]
    note: Option<String>,
    /// Assembly settings, comma-separated (o3, o3-native, o2, o2-native).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "o3,o3-native,o2,o2-native"
    )]
    asm_settings: Vec<BuildSetting>,
    /// Skip the assembly check (`asm` is null in the file).
    #[arg(long)]
    no_asm: bool,
    /// Skip the check of the bench-profile listing against the bench executable (objdump).
    #[arg(long)]
    no_binary_check: bool,
    /// Skip the callgrind counts (`instruction_counts` is null in the file).
    #[arg(long)]
    no_callgrind: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (plan, out) = plan(args);
    let summary = summary::run(&plan)?;
    summary::write(&summary, &out)?;
    print!("{}", summary::render_text(&summary));
    println!("\nwrote {}", out.display());
    Ok(())
}

/// Validates the flags into a plan and the output path.
fn plan(args: Args) -> (summary::Plan, PathBuf) {
    let asm_settings = if args.no_asm {
        Vec::new()
    } else {
        args.asm_settings
    };
    let target = command::target_dir();
    let plan = summary::Plan {
        criterion_dir: args
            .criterion_dir
            .unwrap_or_else(|| target.join("criterion")),
        since_unix_s: args.since,
        note: args.note,
        asm_settings,
        asm_target_dir: asm_check::default_target_dir(),
        binary_check: !args.no_binary_check,
        callgrind: !args.no_callgrind,
        callgrind_out_dir: target.join("iterbench-callgrind"),
    };
    (plan, args.out)
}
