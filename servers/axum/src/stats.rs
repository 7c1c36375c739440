//! `GET /debug/stats`: the keys shared with the Go server (docs/API.md), with the same
//! meaning. Threads and RSS come from `/proc/self/status`, as `ps` reads them.

use std::fs;

use serde::Serialize;

use crate::state::AppState;

/// The `server` key of this implementation.
pub const SERVER_NAME: &str = "rust-axum";

/// The version of the compiler that built this binary, captured by build.rs.
pub const RUSTC_VERSION: &str = env!("RUST_SERVER_RUSTC_VERSION");

/// The body of `GET /debug/stats`; field order is the JSON key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Always [`SERVER_NAME`].
    pub server: &'static str,
    /// `rustc --version` of the build.
    pub version: &'static str,
    /// Tokio worker threads (the Go side: GOMAXPROCS).
    pub threads: usize,
    /// Threads of the process, as the kernel counts them.
    pub os_threads: u64,
    /// Resident set size, in bytes.
    pub rss_bytes: u64,
    /// Users created so far.
    pub users: usize,
    /// Entries in the read-states cache.
    pub read_states: usize,
    /// Capacity of the read-states cache.
    pub read_states_capacity: usize,
    /// Milliseconds since start-up began.
    pub uptime_ms: u64,
    /// The global allocator (see `allocator.rs`): what the study records as the variant.
    pub allocator: &'static str,
    /// The async runtime and its scheduler flavour.
    pub runtime: &'static str,
}

impl Stats {
    /// A snapshot of the server's state and of the process.
    pub fn collect(state: &AppState) -> Self {
        let process = ProcessStatus::read();
        Self {
            server: SERVER_NAME,
            version: RUSTC_VERSION,
            threads: state.worker_threads(),
            os_threads: process.threads,
            rss_bytes: process.rss_bytes,
            users: state.users().len(),
            read_states: state.read_states().len(),
            read_states_capacity: state.read_states().capacity(),
            uptime_ms: u64::try_from(state.uptime().as_millis()).unwrap_or(u64::MAX),
            allocator: state.allocator().name(),
            runtime: crate::entry::RUNTIME_FLAVOR,
        }
    }
}

/// The fields of `/proc/self/status` that the stats report; zeros where it cannot be read
/// (not Linux).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ProcessStatus {
    threads: u64,
    rss_bytes: u64,
}

impl ProcessStatus {
    fn read() -> Self {
        fs::read_to_string("/proc/self/status")
            .map(|status| Self::parse(&status))
            .unwrap_or_default()
    }

    fn parse(status: &str) -> Self {
        let mut parsed = Self::default();
        for line in status.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let number = || {
                value
                    .split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            match key {
                "Threads" => parsed.threads = number(),
                // The kernel writes "VmRSS:   12345 kB", kB meaning KiB.
                "VmRSS" => parsed.rss_bytes = number().saturating_mul(1024),
                _ => {}
            }
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_status() {
        let status = "Name:\trust-server\nVmRSS:\t  102400 kB\nRssAnon:\t 1 kB\nThreads:\t3\n";
        assert_eq!(
            ProcessStatus::parse(status),
            ProcessStatus {
                threads: 3,
                rss_bytes: 102_400 * 1024
            }
        );
    }

    #[test]
    fn reads_this_process() {
        let status = ProcessStatus::read();
        if cfg!(target_os = "linux") {
            assert!(status.threads >= 1);
            assert!(status.rss_bytes > 0);
        }
    }

    #[test]
    fn version_names_rustc() {
        assert!(RUSTC_VERSION.starts_with("rustc "), "{RUSTC_VERSION}");
    }
}
