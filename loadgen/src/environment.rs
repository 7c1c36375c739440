//! The conditions of a run, recorded in every result: machine, versions, commit.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::result::{CpuSteal, CpuStealOfOne, CpuTopology, Environment};

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
        cpu_topology: cpu_topology(&crate::affinity::allowed_cpus()),
    }
}

/// A warning to print when the measured code is not a commit (uncommitted changes).
pub fn dirty_tree_warning(environment: &Environment) -> Option<String> {
    let commit = environment.git_commit.as_deref()?;
    commit.ends_with("-dirty").then(|| {
        format!(
            "warning: the work tree has uncommitted changes; results record commit \
             {commit}, which is not exactly what ran"
        )
    })
}

/// Which CPUs share a core, for the CPUs in `cpus`, from
/// `/sys/devices/system/cpu/cpuN/topology/thread_siblings_list`.
pub fn cpu_topology(cpus: &[usize]) -> Option<CpuTopology> {
    let mut core_siblings = BTreeMap::new();
    for &cpu in cpus {
        let path = format!("/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list");
        let text = std::fs::read_to_string(path).ok()?;
        let siblings = crate::affinity::parse_cpu_list(text.trim()).ok()?;
        core_siblings.insert(cpu, siblings);
    }
    let threads_per_core = core_siblings.values().map(Vec::len).max()?;
    Some(CpuTopology {
        threads_per_core,
        core_siblings,
    })
}

/// Cumulative steal time per CPU, in clock ticks, from the text of `/proc/stat`
/// (`cpuN user nice system idle iowait irq softirq steal ...`, proc(5)).
pub fn parse_steal_ticks(stat: &str) -> BTreeMap<usize, u64> {
    stat.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let cpu = fields.next()?.strip_prefix("cpu")?.parse().ok()?;
            let steal = fields.nth(7)?.parse().ok()?;
            Some((cpu, steal))
        })
        .collect()
}

/// Steal ticks per CPU now; empty where /proc/stat cannot be read.
pub fn steal_ticks_now() -> BTreeMap<usize, u64> {
    std::fs::read_to_string("/proc/stat")
        .map(|stat| parse_steal_ticks(&stat))
        .unwrap_or_default()
}

/// Steal on `cpus` between two readings of [`steal_ticks_now`] taken `window_seconds` apart.
pub fn steal_between(
    before: &BTreeMap<usize, u64>,
    after: &BTreeMap<usize, u64>,
    cpus: &[usize],
    window_seconds: f64,
) -> Option<CpuSteal> {
    let ticks_per_second = clock_ticks_per_second();
    let cpus: Vec<CpuStealOfOne> = cpus
        .iter()
        .map(|&cpu| {
            let ticks = after.get(&cpu)?.saturating_sub(*before.get(&cpu)?);
            let steal_seconds = ticks as f64 / ticks_per_second;
            Some(CpuStealOfOne {
                cpu,
                steal_seconds,
                steal_share: steal_seconds / window_seconds.max(1e-9),
            })
        })
        .collect::<Option<_>>()?;
    let max_steal_share = cpus.iter().map(|c| c.steal_share).fold(0.0, f64::max);
    (!cpus.is_empty()).then_some(CpuSteal {
        cpus,
        max_steal_share,
    })
}

/// `sysconf(_SC_CLK_TCK)`, the unit of /proc/stat (100 on Linux).
fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
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

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = "cpu  100 0 50 9000 5 0 3 40 0 0\n\
                        cpu0 50 0 25 4500 2 0 1 10 0 0\n\
                        cpu1 50 0 25 4500 3 0 2 30 0 0\n\
                        intr 12345\nctxt 999\n";

    #[test]
    fn steal_is_the_eighth_value_per_cpu() {
        let ticks = parse_steal_ticks(STAT);
        assert_eq!(ticks, BTreeMap::from([(0, 10), (1, 30)]));
        let later =
            parse_steal_ticks("cpu0 50 0 25 4500 2 0 1 10 0 0\ncpu1 50 0 25 4500 3 0 2 130 0 0\n");
        let steal = steal_between(&ticks, &later, &[1], 10.0).unwrap();
        let expected_seconds = 100.0 / clock_ticks_per_second();
        assert_eq!(steal.cpus[0].steal_seconds, expected_seconds);
        assert_eq!(steal.max_steal_share, expected_seconds / 10.0);
        assert_eq!(steal_between(&ticks, &later, &[7], 10.0), None);
        assert!(!steal_ticks_now().is_empty());
    }

    #[test]
    fn topology_of_this_machine() {
        let topology = cpu_topology(&[0]).expect("Linux has /sys topology");
        assert!(topology.threads_per_core >= 1);
        assert!(topology.core_siblings[&0].contains(&0));
    }

    #[test]
    fn a_dirty_tree_is_warned_about() {
        let mut environment = capture(Path::new("/nonexistent"), false);
        environment.git_commit = Some("abc-dirty".into());
        assert!(
            dirty_tree_warning(&environment)
                .unwrap()
                .contains("abc-dirty")
        );
        environment.git_commit = Some("abc".into());
        assert_eq!(dirty_tree_warning(&environment), None);
    }
}
