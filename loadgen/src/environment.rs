//! The conditions of a run, recorded in every result: machine, versions, commit.

use std::path::Path;
use std::process::Command;

use crate::result::Environment;

/// Reads the environment; anything that cannot be read is recorded as unknown, never guessed.
/// `with_go` asks for the Go toolchain's version (a `go` subprocess, skipped when no Go
/// server is involved so that a plain run's CPU accounting stays clean).
pub fn capture(workspace_root: &Path, with_go: bool) -> Environment {
    Environment {
        hostname: read_trimmed("/proc/sys/kernel/hostname").unwrap_or_else(unknown),
        cpu_model: cpu_model().unwrap_or_else(unknown),
        logical_cpus: std::thread::available_parallelism().map_or(0, |n| n.get()),
        kernel: read_trimmed("/proc/sys/kernel/osrelease").unwrap_or_else(unknown),
        rustc_version: Some(env!("LOADGEN_RUSTC_VERSION").to_string()),
        go_version: if with_go {
            command_output("go", &["env", "GOVERSION"], None)
        } else {
            None
        },
        loadgen_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: git_commit(workspace_root),
    }
}

fn unknown() -> String {
    "unknown".to_string()
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

fn cpu_model() -> Option<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, model)| model.trim().to_string())
}

fn git_commit(workspace_root: &Path) -> Option<String> {
    let commit = command_output(
        "git",
        &["rev-parse", "--short=12", "HEAD"],
        Some(workspace_root),
    )?;
    let dirty = command_output(
        "git",
        &["status", "--porcelain", "--untracked-files=no"],
        Some(workspace_root),
    )
    .is_some_and(|s| !s.is_empty());
    Some(if dirty {
        format!("{commit}-dirty")
    } else {
        commit
    })
}

fn command_output(program: &str, args: &[&str], dir: Option<&Path>) -> Option<String> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Peak resident set size of this process so far (VmHWM), in bytes.
pub fn own_peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
