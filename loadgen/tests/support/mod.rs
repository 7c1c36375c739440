//! Helpers shared by the integration tests that load a real server.

use std::time::Duration;

use server_launcher::{LaunchSpec, RunningServer, ServerKind, ensure_built};

/// rust-server with one worker thread and no prefill, on a free loopback port.
pub fn start_rust_server() -> RunningServer {
    let binary = ensure_built(ServerKind::Rust).expect("rust-server builds");
    RunningServer::start(&LaunchSpec {
        threads: 1,
        read_states: 0,
        startup_timeout: Duration::from_secs(60),
        ..LaunchSpec::new(ServerKind::Rust, binary)
    })
    .expect("rust-server starts")
}
