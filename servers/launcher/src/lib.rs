//! Builds, starts, pins, health-checks, measures and stops a reference server
//! (`rust-server` or `go-server`, see `docs/API.md`), synchronously with `std::process`.
//!
//! Used by the load generator and by the conformance suite:
//!
//! ```no_run
//! use server_launcher::{LaunchSpec, RunningServer, ServerKind, ensure_built};
//!
//! # fn main() -> Result<(), server_launcher::LaunchError> {
//! let binary = ensure_built(ServerKind::Go)?;
//! let server = RunningServer::start(&LaunchSpec {
//!     cpus: Some(vec![1]),
//!     ..LaunchSpec::new(ServerKind::Go, binary)
//! })?;
//! println!("{} uses {:?}", server.base_url(), server.usage()?);
//! let report = server.stop()?;
//! println!("exited with {} after {:?}", report.exit_status, report.shutdown_duration);
//! # Ok(())
//! # }
//! ```
//!
//! A [`RunningServer`] kills its process when dropped, so a panic never leaks a server.
//! Linux only: pinning uses `sched_setaffinity` and usage comes from `/proc`.

#![warn(missing_docs)]

mod builder;
mod env;
mod error;
mod gctrace;
pub mod http;
mod kind;
mod proc;
mod server;
mod tail;
mod variant;

pub use builder::{ensure_built, ensure_pingora_proxy_built, ensure_variant_built, workspace_root};
pub use env::{PASSED_THROUGH, ServerEnvironment, is_tuning_variable};
pub use error::LaunchError;
pub use gctrace::{GCTRACE_GODEBUG, GcTraceCycle, GcTraceLine, parse_gctrace_line};
pub use kind::{ParseServerKindError, ServerKind};
pub use proc::{
    CpuTicks, ExitUsage, ProcUsage, StatusMemory, parse_stat_cpu_ticks, parse_stat_parent,
    parse_status_memory, process_tree, read_total_usage, read_usage,
};
pub use server::{LaunchSpec, RunningServer, STOP_GRACE, StopReport};
pub use variant::{
    TUNED_GOGC_PERCENT, TUNED_GOMEMLIMIT_SHARE_OF_BUDGET, TUNED_MEMORY_BUDGET_SHARE, Variant,
    VariantSettings, machine_memory_bytes, tuned_go_memory_limit_bytes,
};
