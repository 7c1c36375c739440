//! The command line: raw flags (clap derive), then a validated [`Config`]. A bad flag exits
//! with status 2 (clap's usage-error code, and [`ConfigError::EXIT_CODE`] for the checks
//! clap cannot make), as the reference servers do (docs/API.md, "Command line").

use std::net::SocketAddr;

use clap::Parser;

/// The raw flags.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "pingora-proxy",
    version,
    about = "A reverse proxy on Cloudflare's Pingora: forwards every request to one upstream \
             over HTTP/1.1, reusing upstream connections (claim C5 of the study)"
)]
pub struct Args {
    /// Listen address, a loopback IP:PORT. Port 0 is refused: Pingora binds the socket itself
    /// and does not report the port it was given.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:6188")]
    pub addr: SocketAddr,

    /// The upstream server, a loopback IP:PORT (the study's load stays on this machine).
    #[arg(long, value_name = "IP:PORT")]
    pub upstream: SocketAddr,

    /// Worker threads of the proxy service (Pingora's `threads`), at least 1.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threads: usize,
}

/// The validated configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Where every request goes.
    pub upstream: SocketAddr,
    /// Worker threads of the proxy service.
    pub threads: usize,
}

/// A flag that parsed but cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `--threads 0`.
    #[error("--threads must be at least 1")]
    NoThreads,
    /// `--addr` with port 0.
    #[error(
        "--addr {0}: port 0 is not supported (Pingora binds the socket itself and would not say \
         which port it got); give a free port"
    )]
    AnyPort(SocketAddr),
    /// An address that is not on this machine's loopback interface.
    #[error("{flag} {addr}: not a loopback address (127.0.0.0/8 or [::1])")]
    NotLoopback {
        /// `--addr` or `--upstream`.
        flag: &'static str,
        /// What was given.
        addr: SocketAddr,
    },
}

impl ConfigError {
    /// The exit status of a bad flag.
    pub const EXIT_CODE: u8 = 2;
}

impl Args {
    /// Checks what clap cannot: a thread count, a port to listen on, loopback addresses.
    pub fn into_config(self) -> Result<Config, ConfigError> {
        if self.threads == 0 {
            return Err(ConfigError::NoThreads);
        }
        for (flag, addr) in [("--addr", self.addr), ("--upstream", self.upstream)] {
            if !addr.ip().is_loopback() {
                return Err(ConfigError::NotLoopback { flag, addr });
            }
        }
        if self.addr.port() == 0 {
            return Err(ConfigError::AnyPort(self.addr));
        }
        Ok(Config {
            addr: self.addr,
            upstream: self.upstream,
            threads: self.threads,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        let args =
            Args::try_parse_from(std::iter::once("pingora-proxy").chain(args.iter().copied()))
                .map_err(|e| e.to_string())?;
        args.into_config().map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_to_one_thread_on_loopback() {
        let config = parse(&["--upstream", "127.0.0.1:8080"]).unwrap();
        assert_eq!(config.threads, 1);
        assert!(config.addr.ip().is_loopback());
        assert_eq!(config.upstream, "127.0.0.1:8080".parse().unwrap());
    }

    #[test]
    fn bad_flags_are_refused_with_a_reason() {
        for (args, expected) in [
            (vec!["--upstream", "127.0.0.1"], "invalid socket address"),
            (vec![], "--upstream"),
            (vec!["--upstream", "10.0.0.1:80"], "not a loopback address"),
            (
                vec!["--upstream", "127.0.0.1:80", "--addr", "0.0.0.0:80"],
                "not a loopback address",
            ),
            (
                vec!["--upstream", "127.0.0.1:80", "--addr", "127.0.0.1:0"],
                "port 0",
            ),
            (
                vec!["--upstream", "127.0.0.1:80", "--threads", "0"],
                "at least 1",
            ),
        ] {
            let error = parse(&args).unwrap_err();
            assert!(error.contains(expected), "{args:?}: {error}");
        }
    }
}
