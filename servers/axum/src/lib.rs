//! `rust-server`: the Rust reference server of the benchmark, axum on tokio, implementing
//! the contract in docs/API.md exactly (a Go net/http twin implements the same contract and
//! a conformance suite compares them).
//!
//! Start-up order, as the contract asks: prefill the read-states cache, then bind, then print
//! `listening on http://ADDR` (the real address) — so `/healthz` answering means ready.

#![warn(missing_docs)]

mod allocator;
pub mod config;
pub mod entry;
mod errors;
mod ids;
mod json_body;
mod query;
mod read_states;
mod routes;
mod server;
mod state;
mod stats;
mod users;

use std::io::{self, Write};
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};

pub use allocator::Allocator;
pub use config::{Args, Config};
pub use errors::ApiError;
pub use json_body::MAX_BODY_BYTES;
pub use read_states::{MIN_CAPACITY as READ_STATES_MIN_CAPACITY, ReadState, ReadStates};
pub use routes::{REQUEST_TIMEOUT, app};
pub use server::{HEADER_READ_TIMEOUT, SHUTDOWN_GRACE, serve};
pub use state::AppState;
pub use stats::{RUSTC_VERSION, SERVER_NAME, Stats};
pub use users::{User, Users};

/// Why the server could not run. Every variant means exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Installing the SIGTERM/SIGINT handlers failed.
    #[error("cannot install signal handlers")]
    Signals(#[source] io::Error),
    /// The address could not be bound (in use, not local, not resolvable).
    #[error("cannot listen on {addr}")]
    Bind {
        /// The `--addr` value.
        addr: String,
        /// The socket error.
        #[source]
        source: io::Error,
    },
    /// The `listening on` line could not be written.
    #[error("cannot announce the listening address")]
    Announce(#[source] io::Error),
}

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully (see [`serve`]).
/// Must be called inside a tokio runtime with `config.threads` worker threads.
pub async fn run(config: Config) -> Result<(), ServerError> {
    // Installed first, so that a signal during the prefill is not fatal: it is served as a
    // shutdown request once the loop starts.
    let mut terminate = signal(SignalKind::terminate()).map_err(ServerError::Signals)?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ServerError::Signals)?;

    let state =
        AppState::with_allocator(config.threads.get(), config.read_states, config.allocator);
    let listener = TcpListener::bind(&config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr.clone(),
            source,
        })?;
    let local_addr = listener.local_addr().map_err(|source| ServerError::Bind {
        addr: config.addr.clone(),
        source,
    })?;
    announce(local_addr).map_err(ServerError::Announce)?;

    let shutdown = async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    };
    serve(listener, app(state), shutdown).await;
    Ok(())
}

/// The one line tools read the port from. `SocketAddr`'s `Display` brackets IPv6 hosts, as
/// a URL needs.
fn announce(addr: SocketAddr) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "listening on http://{addr}")?;
    stdout.flush()
}
