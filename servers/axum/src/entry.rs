//! What each binary's `main` does: parse the flags, raise the open-file limit, build the
//! tokio runtime, run the server. The binaries differ only in their global allocator.

use anyhow::Context;
use clap::Parser;

use crate::{Allocator, Args};

/// The tokio runtime flavour, as `/debug/stats` reports it: the multi-threaded scheduler
/// with `--threads` workers (a production axum service's default).
pub const RUNTIME_FLAVOR: &str = "tokio-multi-thread";

/// Runs the server as `rust-server` (or a variant binary built with `allocator`) does.
/// Exit status: 0 after a graceful shutdown, 1 when the server cannot run (e.g. the port is
/// in use), 2 for bad flags (clap exits by itself).
pub fn main_with(allocator: Allocator) -> anyhow::Result<()> {
    let mut config = Args::parse().into_config();
    config.allocator = allocator;
    raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.threads.get())
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(crate::run(config))?;
    Ok(())
}

/// Each connection is a file: raise the soft open-file limit to the hard limit, as Go's
/// runtime does for go-server at start-up (Go 1.19+), so both servers accept as many
/// connections. Best effort: a failure leaves the limit as it was.
fn raise_open_file_limit() {
    // SAFETY: getrlimit/setrlimit read and write only the struct we pass.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}
