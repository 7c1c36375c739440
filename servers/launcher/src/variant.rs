//! The variants of each server: as shipped, and tuned the way its experts would tune it
//! first. A closed set, so that a study can only ask for a variant that exists and that the
//! conformance suite has checked.
//!
//! | server | as-shipped | tuned |
//! |---|---|---|
//! | rust | `rust-server`: glibc malloc | `rust-server-mimalloc`: mimalloc as the global allocator |
//! | go | `go-server`: `container/list` LRU, GOGC=100, no memory limit | `go-server --read-states-lru pointer-free`, `GOGC=400`, `GOMEMLIMIT` = 90 % of half the machine's memory (or cgroup limit) |
//!
//! Both variants of a server answer every request alike (the conformance suite runs against
//! each); they differ only in how they use memory.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ServerKind;

/// Which variant of a server to build and start.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// The server as a team ships it: default build, default runtime settings.
    #[default]
    AsShipped,
    /// The first tuning each side's experts reach for (see the module documentation).
    Tuned,
}

/// The tuned Go variant's `GOGC`. The Go GC guide (<https://go.dev/doc/gc-guide>, "GOGC")
/// models the GC's CPU cost as inversely proportional to GOGC and the heap's peak as
/// growing with it: 400 makes cycles about 4× rarer than the default 100 for a peak heap of
/// up to 5× the live heap instead of 2×. That trade of memory for CPU is the tuning a
/// latency-sensitive service with memory to spare makes; its memory cost shows in the
/// results (peak RSS).
pub const TUNED_GOGC_PERCENT: u32 = 400;

/// The share of the machine's memory the tuned Go server takes as its budget: the rest is
/// left to the load generator and the system, which share the machine.
pub const TUNED_MEMORY_BUDGET_SHARE: f64 = 0.5;

/// `GOMEMLIMIT` as a share of that budget. The GC guide ("Suggested uses" of the memory
/// limit) advises leaving 5–10 % headroom below the memory actually available; this takes
/// 10 %. The limit caps the heap that a high GOGC would otherwise let grow with a large live
/// heap, so GOGC=400 cannot run the machine out of memory.
pub const TUNED_GOMEMLIMIT_SHARE_OF_BUDGET: f64 = 0.9;

/// How to build and start one variant of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSettings {
    /// The executable's file name.
    pub binary_name: &'static str,
    /// The cargo feature that builds it (Rust only).
    pub cargo_feature: Option<&'static str>,
    /// Flags added to the server's command line.
    pub args: Vec<&'static str>,
    /// Environment variables set for the server (the launcher sets nothing else that tunes).
    pub env: Vec<(&'static str, String)>,
}

impl Variant {
    /// Both variants, as-shipped first.
    pub const ALL: [Variant; 2] = [Variant::AsShipped, Variant::Tuned];

    /// `as-shipped` or `tuned`, as on command lines and in results.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::AsShipped => "as-shipped",
            Variant::Tuned => "tuned",
        }
    }

    /// One line saying what this variant of `kind` is, for reports.
    pub fn describe(self, kind: ServerKind) -> &'static str {
        match (kind, self) {
            (ServerKind::Rust, Variant::AsShipped) => {
                "axum on tokio, system allocator (glibc malloc)"
            }
            (ServerKind::Rust, Variant::Tuned) => "axum on tokio, mimalloc as the global allocator",
            (ServerKind::Go, Variant::AsShipped) => {
                "net/http, container/list LRU, GOGC=100, no GOMEMLIMIT"
            }
            (ServerKind::Go, Variant::Tuned) => {
                "net/http, pointer-free LRU, GOGC=400, GOMEMLIMIT = 90 % of half the RAM"
            }
        }
    }

    /// How to build and start this variant of `kind` on a machine with
    /// `machine_memory_bytes` of memory (`None` when unknown: no `GOMEMLIMIT` is set then,
    /// and the server's stats show it).
    pub fn settings(self, kind: ServerKind, machine_memory_bytes: Option<u64>) -> VariantSettings {
        match (kind, self) {
            (ServerKind::Rust, Variant::AsShipped) => VariantSettings {
                binary_name: "rust-server",
                cargo_feature: None,
                args: vec![],
                env: vec![],
            },
            (ServerKind::Rust, Variant::Tuned) => VariantSettings {
                binary_name: "rust-server-mimalloc",
                cargo_feature: Some("mimalloc"),
                args: vec![],
                env: vec![],
            },
            (ServerKind::Go, Variant::AsShipped) => VariantSettings {
                binary_name: "go-server",
                cargo_feature: None,
                args: vec![],
                env: vec![],
            },
            (ServerKind::Go, Variant::Tuned) => {
                let mut env = vec![("GOGC", TUNED_GOGC_PERCENT.to_string())];
                if let Some(bytes) = machine_memory_bytes {
                    env.push(("GOMEMLIMIT", tuned_go_memory_limit_bytes(bytes).to_string()));
                }
                VariantSettings {
                    binary_name: "go-server",
                    cargo_feature: None,
                    args: vec!["--read-states-lru", "pointer-free"],
                    env,
                }
            }
        }
    }
}

/// The tuned Go server's `GOMEMLIMIT` in bytes for a machine with `machine_memory_bytes`.
pub fn tuned_go_memory_limit_bytes(machine_memory_bytes: u64) -> u64 {
    (machine_memory_bytes as f64 * TUNED_MEMORY_BUDGET_SHARE * TUNED_GOMEMLIMIT_SHARE_OF_BUDGET)
        as u64
}

/// The memory this process may use, in bytes: `MemTotal` from `/proc/meminfo`, or the
/// cgroup v2 limit (`/sys/fs/cgroup/memory.max`) when that is lower, as in a container with
/// a memory limit (the GC guide sets GOMEMLIMIT from the container's limit, not the host's
/// memory). `None` where neither can be read.
pub fn machine_memory_bytes() -> Option<u64> {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|meminfo| parse_mem_total_bytes(&meminfo));
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max")
        .ok()
        .and_then(|max| parse_cgroup_memory_max(&max));
    match (total, cgroup) {
        (Some(total), Some(limit)) => Some(total.min(limit)),
        (total, limit) => total.or(limit),
    }
}

/// A cgroup v2 `memory.max`: a number of bytes, or `max` for no limit (`None`).
fn parse_cgroup_memory_max(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

fn parse_mem_total_bytes(meminfo: &str) -> Option<u64> {
    let line = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))?;
    let mut parts = line.split_whitespace();
    let kib: u64 = parts.next()?.parse().ok()?;
    (parts.next() == Some("kB")).then_some(kib * 1024)
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn names_round_trip_through_clap_and_serde() {
        for variant in Variant::ALL {
            assert_eq!(Variant::from_str(variant.as_str(), false), Ok(variant));
            assert_eq!(
                serde_json::to_string(&variant).unwrap(),
                format!("\"{variant}\"")
            );
        }
        assert!(Variant::from_str("fast", false).is_err());
        assert_eq!(Variant::default(), Variant::AsShipped);
    }

    #[test]
    fn as_shipped_sets_nothing() {
        for kind in ServerKind::ALL {
            let settings = Variant::AsShipped.settings(kind, Some(1 << 30));
            assert_eq!(settings.binary_name, kind.binary_name());
            assert!(settings.args.is_empty() && settings.env.is_empty());
            assert_eq!(settings.cargo_feature, None);
        }
    }

    #[test]
    fn tuned_go_gets_the_pointer_free_lru_and_gc_settings() {
        let settings = Variant::Tuned.settings(ServerKind::Go, Some(24 << 30));
        assert_eq!(settings.args, ["--read-states-lru", "pointer-free"]);
        let limit = (24u64 << 30) as f64 * 0.45;
        assert_eq!(
            settings.env,
            [
                ("GOGC", "400".to_string()),
                ("GOMEMLIMIT", (limit as u64).to_string())
            ]
        );
        let unknown = Variant::Tuned.settings(ServerKind::Go, None);
        assert_eq!(unknown.env, [("GOGC", "400".to_string())]);
    }

    #[test]
    fn tuned_rust_is_the_mimalloc_binary() {
        let settings = Variant::Tuned.settings(ServerKind::Rust, None);
        assert_eq!(settings.binary_name, "rust-server-mimalloc");
        assert_eq!(settings.cargo_feature, Some("mimalloc"));
    }

    #[test]
    fn reads_mem_total() {
        let meminfo = "MemTotal:       24683980 kB\nMemFree:        21596208 kB\n";
        assert_eq!(parse_mem_total_bytes(meminfo), Some(24_683_980 * 1024));
        assert_eq!(parse_mem_total_bytes("MemFree: 1 kB\n"), None);
        assert_eq!(parse_mem_total_bytes("MemTotal: 1 MB\n"), None);
        assert!(machine_memory_bytes().is_some_and(|bytes| bytes > 0));
        assert_eq!(parse_cgroup_memory_max("max\n"), None);
        assert_eq!(parse_cgroup_memory_max("8589934592\n"), Some(8 << 30));
    }
}
