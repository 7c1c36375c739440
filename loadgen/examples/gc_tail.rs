//! What made each Go run's tail, by the declared rules of `loadgen::gc_mechanism`:
//!
//! ```sh
//! cargo run --release -p loadgen --example gc_tail -- reports/runs/<dir> [more dirs]
//! ```
//!
//! Reads every `result.json` below the given directories (never re-runs anything) and
//! prints, per Go run, the tail (p99.9), the GC figures of its window and the verdict.
//! The intervals are the result file's seconds; see `TailEvidence::intervals`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use loadgen::gc_mechanism::{classify_tail, evidence_from_result};

fn main() -> anyhow::Result<()> {
    let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!dirs.is_empty(), "usage: gc_tail DIR [DIR...]");
    let mut files = Vec::new();
    for dir in &dirs {
        find_results(dir, &mut files).with_context(|| format!("cannot read {}", dir.display()))?;
    }
    files.sort();
    for file in files {
        let result = loadgen::output::read_result(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let tail_us = result.figures.latency.p99_9_us;
        let Some(evidence) = evidence_from_result(&result, tail_us) else {
            continue;
        };
        let cycles = result
            .server
            .as_ref()
            .and_then(|server| server.go_runtime.as_ref())
            .map(|window| window.gc_cycles.len())
            .unwrap_or(0);
        let classification = classify_tail(&evidence);
        println!(
            "{}\n  p99.9 {:.2} ms, GC {:.1} % of CPU, largest pause {:.3} ms, {} cycles: {:?}\n  {}",
            file.parent().unwrap_or(Path::new(".")).display(),
            tail_us as f64 / 1000.0,
            100.0 * evidence.gc_cpu_share,
            evidence.largest_pause_ns as f64 / 1e6,
            cycles,
            classification.cause,
            classification.reason
        );
    }
    Ok(())
}

fn find_results(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            find_results(&path, files)?;
        } else if path.file_name().is_some_and(|name| name == "result.json") {
            files.push(path);
        }
    }
    Ok(())
}
