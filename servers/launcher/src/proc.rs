//! CPU time and memory of a running process, from Linux's `/proc/PID/stat` and
//! `/proc/PID/status` (see proc(5)), and of an exited one, from `wait4`'s rusage.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::LaunchError;

/// A running process's cumulative CPU time and its memory, read from `/proc`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ProcUsage {
    /// CPU time spent in user mode since start, all threads (`utime` / `CLK_TCK`).
    pub user_cpu_seconds: f64,
    /// CPU time spent in the kernel on its behalf since start (`stime` / `CLK_TCK`).
    pub system_cpu_seconds: f64,
    /// Resident set size now (`VmRSS`).
    pub rss_bytes: u64,
    /// Peak resident set size since start (`VmHWM`, the "high water mark").
    pub peak_rss_bytes: u64,
}

impl ProcUsage {
    /// User plus system CPU time.
    pub fn cpu_seconds(&self) -> f64 {
        self.user_cpu_seconds + self.system_cpu_seconds
    }
}

/// Reads [`ProcUsage`] of process `pid` from `/proc`.
pub fn read_usage(pid: u32) -> Result<ProcUsage, LaunchError> {
    let stat_path = PathBuf::from(format!("/proc/{pid}/stat"));
    let status_path = PathBuf::from(format!("/proc/{pid}/status"));
    let fail = |path: &PathBuf, reason: String| LaunchError::Proc {
        pid,
        path: path.clone(),
        reason,
    };
    let stat = std::fs::read_to_string(&stat_path).map_err(|e| fail(&stat_path, e.to_string()))?;
    let status =
        std::fs::read_to_string(&status_path).map_err(|e| fail(&status_path, e.to_string()))?;
    let ticks = parse_stat_cpu_ticks(&stat).map_err(|reason| fail(&stat_path, reason))?;
    let memory = parse_status_memory(&status).map_err(|reason| fail(&status_path, reason))?;
    let ticks_per_second = clock_ticks_per_second();
    Ok(ProcUsage {
        user_cpu_seconds: ticks.user as f64 / ticks_per_second,
        system_cpu_seconds: ticks.system as f64 / ticks_per_second,
        rss_bytes: memory.rss_bytes,
        peak_rss_bytes: memory.peak_rss_bytes,
    })
}

/// [`ProcUsage`] of several processes added up: CPU times and memory summed, and the peaks
/// summed too (an upper bound of the group's peak, reached only if every process peaked at
/// once). What a multi-process server costs: nginx's master and its workers. Pages that the
/// processes share (the binary, libc, memory inherited at fork) count once per process, as in
/// `ps`'s RSS column.
pub fn read_total_usage(pids: &[u32]) -> Result<ProcUsage, LaunchError> {
    let mut total = ProcUsage::default();
    for &pid in pids {
        let usage = read_usage(pid)?;
        total.user_cpu_seconds += usage.user_cpu_seconds;
        total.system_cpu_seconds += usage.system_cpu_seconds;
        total.rss_bytes += usage.rss_bytes;
        total.peak_rss_bytes += usage.peak_rss_bytes;
    }
    Ok(total)
}

/// `pid` and its descendants (children, their children, ...), found by the parent id of every
/// process in `/proc` (field 4 of `/proc/PID/stat`), `pid` first. Processes that exit while
/// `/proc` is read are left out.
pub fn process_tree(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|child| {
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).ok()?;
            Some((child, parse_stat_parent(&stat).ok()?))
        })
        .collect();
    let mut tree = vec![pid];
    let mut next = 0;
    while next < tree.len() {
        let parent = tree[next];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(child, _)| *child),
        );
        next += 1;
    }
    tree
}

/// Field 4 of `/proc/PID/stat`, the parent's process id.
pub fn parse_stat_parent(stat: &str) -> Result<u32, String> {
    stat_fields(stat)?
        .get(1)
        .ok_or_else(|| format!("field 4 missing in {stat:?}"))?
        .parse()
        .map_err(|_| format!("field 4 of {stat:?} is not a number"))
}

/// The fields of `/proc/PID/stat` after the command name, which is in parentheses and may
/// itself contain spaces and parentheses: so they are counted from the *last* `)` on. The
/// first is field 3 (state).
fn stat_fields(stat: &str) -> Result<Vec<&str>, String> {
    stat.rfind(')')
        .map(|end| stat[end + 1..].split_whitespace().collect())
        .ok_or_else(|| format!("no `(comm)` field in {stat:?}"))
}

/// `utime` and `stime` of `/proc/PID/stat`, in clock ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuTicks {
    /// Field 14, `utime`.
    pub user: u64,
    /// Field 15, `stime`.
    pub system: u64,
}

/// Parses the CPU times out of the text of `/proc/PID/stat` (fields 14 and 15).
pub fn parse_stat_cpu_ticks(stat: &str) -> Result<CpuTicks, String> {
    // After the name come field 3 (state), 4, ...: utime is field 14, stime field 15.
    let fields = stat_fields(stat)?;
    let field = |number: usize| -> Result<u64, String> {
        let text = fields
            .get(number - 3)
            .ok_or_else(|| format!("field {number} missing in {stat:?}"))?;
        text.parse()
            .map_err(|_| format!("field {number} is {text:?}, not a number"))
    };
    Ok(CpuTicks {
        user: field(14)?,
        system: field(15)?,
    })
}

/// `VmRSS` and `VmHWM` of `/proc/PID/status`, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusMemory {
    /// `VmRSS`.
    pub rss_bytes: u64,
    /// `VmHWM`.
    pub peak_rss_bytes: u64,
}

/// Parses the memory figures out of the text of `/proc/PID/status` (lines such as
/// `VmRSS:\t   12345 kB`). A zombie (exited, not yet reaped) process has no such lines:
/// that is an error, as there is no memory left to measure.
pub fn parse_status_memory(status: &str) -> Result<StatusMemory, String> {
    let kib = |key: &str| -> Result<u64, String> {
        let line = status
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
            .ok_or_else(|| format!("no {key} line (has the process exited?)"))?;
        let mut parts = line.split_whitespace();
        let value: u64 = parts
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("{key} is {line:?}, not a number"))?;
        match parts.next() {
            Some("kB") => Ok(value * 1024),
            unit => Err(format!("{key} has unit {unit:?}, expected kB")),
        }
    };
    Ok(StatusMemory {
        rss_bytes: kib("VmRSS")?,
        peak_rss_bytes: kib("VmHWM")?,
    })
}

/// `sysconf(_SC_CLK_TCK)`, the unit of the CPU times in `/proc/PID/stat` (100 on Linux).
fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// Resource usage of an exited process as reported by `wait4`: its whole lifetime,
/// including shutdown, which `/proc` can no longer tell once the process is gone.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ExitUsage {
    /// Total user CPU time (`ru_utime`).
    pub user_cpu_seconds: f64,
    /// Total system CPU time (`ru_stime`).
    pub system_cpu_seconds: f64,
    /// Peak resident set size (`ru_maxrss`, which Linux reports in KiB).
    pub peak_rss_bytes: u64,
}

impl ExitUsage {
    /// Converts `wait4`'s rusage.
    pub(crate) fn from_rusage(usage: &libc::rusage) -> ExitUsage {
        let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        ExitUsage {
            user_cpu_seconds: seconds(usage.ru_utime),
            system_cpu_seconds: seconds(usage.ru_stime),
            peak_rss_bytes: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real line from a Go server, with a name that contains spaces and parentheses
    // spliced in to check the field counting.
    const STAT: &str = "4242 (go (server) x) S 4200 4242 4200 34816 4242 4194560 1853 0 0 0 \
                        1234 567 0 0 20 0 7 0 8862345 1284919296 3390 18446744073709551615 \
                        4194304 7266069 140731 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0\n";

    #[test]
    fn stat_cpu_ticks_are_fields_14_and_15() {
        let ticks = parse_stat_cpu_ticks(STAT).unwrap();
        assert_eq!(
            ticks,
            CpuTicks {
                user: 1234,
                system: 567
            }
        );
    }

    #[test]
    fn stat_without_name_or_fields_is_an_error() {
        assert!(parse_stat_cpu_ticks("4242 S 1 2 3").is_err());
        let error = parse_stat_cpu_ticks("4242 (x) S 1 2 3").unwrap_err();
        assert!(error.contains("field 14"), "{error}");
        let error = parse_stat_cpu_ticks(&STAT.replace(" 1234 ", " 12a4 ")).unwrap_err();
        assert!(error.contains("12a4"), "{error}");
    }

    const STATUS: &str = "Name:\trust-server\nUmask:\t0022\nState:\tS (sleeping)\n\
                          Pid:\t4242\nVmPeak:\t  2290420 kB\nVmSize:\t  2224884 kB\n\
                          VmLck:\t       0 kB\nVmHWM:\t   145236 kB\nVmRSS:\t   120004 kB\n\
                          RssAnon:\t  100000 kB\nThreads:\t7\n";

    #[test]
    fn status_memory_is_in_bytes() {
        let memory = parse_status_memory(STATUS).unwrap();
        assert_eq!(memory.rss_bytes, 120_004 * 1024);
        assert_eq!(memory.peak_rss_bytes, 145_236 * 1024);
    }

    #[test]
    fn zombie_status_has_no_memory() {
        let zombie = "Name:\tgo-server\nState:\tZ (zombie)\nPid:\t4242\nThreads:\t1\n";
        let error = parse_status_memory(zombie).unwrap_err();
        assert!(error.contains("VmRSS"), "{error}");
    }

    #[test]
    fn status_keys_are_matched_whole() {
        // `VmRSSx` must not be taken for `VmRSS`.
        let text = "VmRSSx:\t1 kB\nVmHWM:\t2 kB\nVmRSS:\t3 kB\n";
        assert_eq!(parse_status_memory(text).unwrap().rss_bytes, 3 * 1024);
        assert!(parse_status_memory("VmRSS:\t3 MB\nVmHWM:\t3 kB\n").is_err());
    }

    #[test]
    fn stat_parent_is_field_4() {
        assert_eq!(parse_stat_parent(STAT), Ok(4200));
        assert!(parse_stat_parent("4242 (x) S").is_err());
        assert!(parse_stat_parent("4242 x S 1").is_err());
    }

    #[test]
    fn the_tree_holds_children_and_the_total_adds_them_up() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep(1)");
        let me = std::process::id();
        let tree = process_tree(me);
        assert_eq!(tree[0], me);
        assert!(tree.contains(&child.id()), "{tree:?} lacks {}", child.id());
        let mine = read_usage(me).unwrap();
        let both = read_total_usage(&[me, child.id()]).unwrap();
        assert!(both.peak_rss_bytes > mine.peak_rss_bytes);
        assert!(both.cpu_seconds() >= mine.cpu_seconds());
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!process_tree(me).contains(&child.id()));
        assert!(read_total_usage(&[child.id()]).is_err());
    }

    #[test]
    fn reads_own_usage() {
        let usage = read_usage(std::process::id()).unwrap();
        assert!(usage.rss_bytes > 0);
        assert!(usage.peak_rss_bytes >= usage.rss_bytes);
        assert!(usage.cpu_seconds() >= 0.0);
    }
}
