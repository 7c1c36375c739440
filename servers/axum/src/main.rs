//! `rust-server`: parses the flags, builds the tokio runtime, runs the library.
//! Exit status: 0 after a graceful shutdown, 1 when the server cannot run (e.g. the port is
//! in use), 2 for bad flags (clap).

use anyhow::Context;
use clap::Parser;
use rust_server::Args;

fn main() -> anyhow::Result<()> {
    let config = Args::parse().into_config();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.threads.get())
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(rust_server::run(config))?;
    Ok(())
}
