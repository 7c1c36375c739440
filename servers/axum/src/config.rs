//! The command line (docs/API.md, "Command line"): raw flags, then a validated [`Config`].

use std::num::NonZeroUsize;

use clap::Parser;

/// The raw flags. Parse errors exit with status 2 (clap's usage-error code), as the contract
/// asks.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "rust-server",
    version,
    about = "The Rust reference server of the benchmark (axum on tokio), per docs/API.md"
)]
pub struct Args {
    /// Listen address, HOST:PORT; port 0 picks a free port (the real one is printed).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    pub addr: String,

    /// Tokio worker threads, at least 1 [default: the CPUs this process may run on, per its
    /// affinity mask].
    #[arg(long, value_name = "N")]
    pub threads: Option<NonZeroUsize>,

    /// Read-state entries prefilled at start-up; the cache holds max(N, 10000).
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub read_states: usize,
}

/// Checks the form of `--addr` while the flags are parsed, so that a malformed address is a
/// bad flag (exit 2, as go-server's `net.SplitHostPort` check) and only a socket error (a
/// port in use, a host that is not local or does not resolve) is a run-time failure (exit 1).
/// The host must be named: an empty one (`:8080`) would mean every interface, which a
/// benchmark server should never listen on by accident (docs/API.md). IPv6 hosts are
/// bracketed, as in a URL.
fn parse_addr(addr: &str) -> Result<String, String> {
    let (host, port) = if let Some(bracketed) = addr.strip_prefix('[') {
        let (host, rest) = bracketed.split_once(']').ok_or("missing ']' in address")?;
        let port = rest.strip_prefix(':').ok_or("missing port in address")?;
        (host, port)
    } else {
        let (host, port) = addr.rsplit_once(':').ok_or("missing port in address")?;
        if host.contains(':') {
            return Err("too many colons in address (bracket an IPv6 host: [::1]:8080)".into());
        }
        (host, port)
    };
    if host.is_empty() {
        return Err("--addr needs a host, e.g. 127.0.0.1:8080".into());
    }
    // Digits only: `u16::from_str` would also take a sign (`+80`).
    if port.is_empty()
        || !port.bytes().all(|byte| byte.is_ascii_digit())
        || port.parse::<u16>().is_err()
    {
        return Err(format!("bad port {port:?}: a number from 0 to 65535"));
    }
    Ok(addr.to_owned())
}

/// The validated server configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where to listen, resolved by the socket layer when binding (as Go's `net.Listen`).
    pub addr: String,
    /// Tokio worker threads.
    pub threads: NonZeroUsize,
    /// Read states to prefill.
    pub read_states: usize,
    /// The binary's global allocator, for `/debug/stats` (set by the binary, not a flag).
    pub allocator: crate::Allocator,
}

impl Args {
    /// Fills in the defaults that depend on the machine.
    pub fn into_config(self) -> Config {
        Config {
            addr: self.addr,
            threads: self.threads.unwrap_or_else(default_threads),
            read_states: self.read_states,
            allocator: crate::Allocator::System,
        }
    }
}

/// The CPUs this process may run on: `available_parallelism` follows the affinity mask
/// (and a cgroup CPU quota), as Go's default `GOMAXPROCS` does.
fn default_threads() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Args::try_parse_from(std::iter::once("rust-server").chain(args.iter().copied()))
            .map(Args::into_config)
    }

    #[test]
    fn defaults() {
        let config = parse(&[]).unwrap();
        assert_eq!(config.addr, "127.0.0.1:8080");
        assert_eq!(config.read_states, 1_000_000);
        assert_eq!(config.threads, default_threads());
    }

    #[test]
    fn flags() {
        let config = parse(&[
            "--addr",
            "127.0.0.1:0",
            "--threads",
            "3",
            "--read-states",
            "0",
        ])
        .unwrap();
        assert_eq!(config.addr, "127.0.0.1:0");
        assert_eq!(config.threads.get(), 3);
        assert_eq!(config.read_states, 0);
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for args in [
            &["--threads", "0"][..],
            &["--threads", "-1"],
            &["--threads", "x"],
            &["--read-states", "-5"],
            &["--nope"],
            &["extra"],
            &["--addr", "not-an-address"],
            &["--addr", "127.0.0.1:99999"],
            &["--addr", "127.0.0.1:http"],
            &["--addr", "127.0.0.1:+80"],
            &["--addr", "127.0.0.1:"],
            &["--addr", "::1:80"],
            &["--addr", "[::1]"],
            &["--addr", "[::1:80"],
        ] {
            let error = parse(args).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn addr_needs_a_host() {
        for addr in [":0", ":8080", "[]:8080"] {
            let error = parse(&["--addr", addr]).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{addr}");
            assert!(
                error.to_string().contains("--addr needs a host"),
                "{addr}: {error}"
            );
        }
    }

    #[test]
    fn addr_forms_that_are_accepted() {
        for addr in [
            "127.0.0.1:0",
            "localhost:8080",
            "[::1]:9000",
            "0.0.0.0:65535",
        ] {
            assert_eq!(parse(&["--addr", addr]).unwrap().addr, addr);
        }
    }
}
