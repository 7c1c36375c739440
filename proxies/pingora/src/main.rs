//! `pingora-proxy --upstream 127.0.0.1:PORT [--addr 127.0.0.1:PORT] [--threads N]`; see the
//! library's documentation. Exit status: 2 for a bad flag, 1 if it cannot listen, 0 after a
//! signal stopped it.

use std::process::ExitCode;

use clap::Parser;
use proxy_pingora::{Args, ConfigError, install_stderr_logger, run};

fn main() -> ExitCode {
    // Parse errors exit 2 inside clap.
    let config = match Args::parse().into_config() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("pingora-proxy: {error}");
            return ExitCode::from(ConfigError::EXIT_CODE);
        }
    };
    install_stderr_logger();
    match run(config) {
        Err(error) => {
            eprintln!("pingora-proxy: {error}");
            ExitCode::FAILURE
        }
    }
}
