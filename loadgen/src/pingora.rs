//! Claim C5's Rust proxy, `pingora-proxy` (crate `proxies/pingora`, Cloudflare's Pingora),
//! built and started by loadgen in front of an upstream: the counterpart of
//! [`crate::nginx::Nginx::start_proxy`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::external_process::{ExternalProcess, Unavailable, free_loopback_addr};

const NAME: &str = "pingora-proxy";

/// Up to this long for the proxy to answer /healthz through to its upstream.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running pingora-proxy, stopped on drop.
pub struct PingoraProxy {
    process: ExternalProcess,
    /// "pingora 0.9.1": the framework's version from the workspace's Cargo.lock.
    pub version: String,
}

/// Builds the proxy if needed (release profile, as rust-server) and returns its executable.
pub fn build() -> Result<PathBuf, Unavailable> {
    server_launcher::ensure_pingora_proxy_built().map_err(|e| Unavailable {
        name: NAME,
        reason: e.to_string(),
    })
}

impl PingoraProxy {
    /// Starts `binary` (from [`build`]) with `threads` worker threads pinned to `cpus`,
    /// forwarding to `upstream`, on a free loopback port.
    pub fn start(
        binary: &Path,
        upstream: SocketAddr,
        threads: usize,
        cpus: Option<&[usize]>,
    ) -> Result<PingoraProxy, Unavailable> {
        let addr = free_loopback_addr(NAME)?;
        let mut command = Command::new(binary);
        command
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--upstream")
            .arg(upstream.to_string())
            .arg("--threads")
            .arg(threads.to_string());
        // SIGINT is Pingora's fast shutdown: the run is over, nothing is in flight, and its
        // graceful one (SIGTERM) would add its bounded drain time to every run.
        let process = ExternalProcess::start(
            NAME,
            command,
            addr,
            cpus,
            libc::SIGINT,
            ("/healthz", STARTUP_TIMEOUT),
        )?;
        Ok(PingoraProxy {
            process,
            version: pingora_version(),
        })
    }

    /// The running process: its address, URL and process tree (nginx: the master and its
    /// workers, whose CPU and memory a run sums).
    pub fn process(&self) -> &ExternalProcess {
        &self.process
    }
}

/// "pingora X.Y.Z" as locked in the workspace's Cargo.lock, or "pingora" if it cannot be read.
fn pingora_version() -> String {
    let lock = std::fs::read_to_string(server_launcher::workspace_root().join("Cargo.lock"))
        .unwrap_or_default();
    locked_version(&lock, "pingora").map_or_else(|| "pingora".into(), |v| format!("pingora {v}"))
}

/// The version of package `name` in the text of a Cargo.lock (`name = "…"` followed by
/// `version = "…"`).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let entry = format!("name = \"{name}\"\n");
    let after = &lock[lock.find(&entry)? + entry.len()..];
    let version = after.lines().next()?.strip_prefix("version = \"")?;
    Some(version.trim_end_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locked_version_is_read_from_cargo_lock() {
        let lock = "[[package]]\nname = \"pingora-core\"\nversion = \"0.8.1\"\n\n\
                    [[package]]\nname = \"pingora\"\nversion = \"0.8.0\"\n";
        assert_eq!(locked_version(lock, "pingora").as_deref(), Some("0.8.0"));
        assert_eq!(
            locked_version(lock, "pingora-core").as_deref(),
            Some("0.8.1")
        );
        assert_eq!(locked_version(lock, "nginx"), None);
    }
}
