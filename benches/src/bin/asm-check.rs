//! `cargo run -p iterbench --bin asm-check`: compiles the kernels under each build setting and
//! prints one verdict line per pair and setting, then the diffs and hot-loop sizes.
//!
//! Exit status: 0 when the check ran (whatever the verdicts: they are the finding), 1 when it
//! could not run (build failed, symbol missing), 2 on a bad command line.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use iterbench::asm_check::{self, BuildSetting};
use iterbench::binary_check;

/// Compare the assembly of the iterator and loop kernels.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Build settings to check, comma-separated: o3 (the release profile, what cargo bench
    /// measures), o3-native, o2, o2-native.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "o3,o3-native,o2,o2-native"
    )]
    settings: Vec<BuildSetting>,
    /// Context lines around each change in the diffs.
    #[arg(long, default_value_t = 3)]
    context: usize,
    /// Target directory of the assembly builds [default: <workspace target>/asm-check].
    #[arg(long)]
    target_dir: Option<PathBuf>,
    /// Also check the bench-profile listing against the criterion bench executable
    /// (built with `cargo bench --no-run` if needed; needs objdump).
    #[arg(long)]
    verify_bench_binary: bool,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let target_dir = args
        .target_dir
        .unwrap_or_else(asm_check::default_target_dir);
    let bench_executable = if args.verify_bench_binary {
        Some(binary_check::build_bench_executable()?)
    } else {
        None
    };
    let results = asm_check::run(
        &args.settings,
        &target_dir,
        args.context,
        bench_executable.as_deref(),
    )?;
    print!("{}", asm_check::render(&results));
    if let Some(path) = args.json {
        let json = serde_json::to_string_pretty(&results)?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
