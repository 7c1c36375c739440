//! nginx, configured by loadgen in two roles: the "raw C" baseline of claim C4, serving
//! TechEmpower's plaintext test itself, and the NGINX of claim C5, a reverse proxy in front of
//! the study's upstream. Both share one configuration: one worker per server CPU, pinned, no
//! access log, keep-alive without a request cap so that it keeps connections open like the
//! reference servers do.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::external_process::{ExternalProcess, Unavailable, free_loopback_addr};

const NAME: &str = "nginx";

/// Up to this long for nginx to answer /healthz (itself, or through to its upstream).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);

/// Idle upstream connections each worker keeps open for reuse (the `keepalive` directive
/// of the `upstream` block). nginx's documentation for a reverse proxy: `keepalive` in the
/// upstream, `proxy_http_version 1.1` and an empty `Connection` header towards it
/// (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive). 64: the study's
/// 64 client connections never have more requests in flight, so no upstream connection is
/// closed for want of room in the pool.
pub const UPSTREAM_KEEPALIVE_CONNECTIONS: usize = 64;

/// What nginx serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// C4: `/plaintext` and `/healthz` answered by nginx itself.
    Plaintext,
    /// C5: every request passed to `upstream` over HTTP/1.1 with pooled connections.
    ReverseProxy {
        /// The server nginx forwards to.
        upstream: SocketAddr,
    },
}

/// A running nginx, stopped (and its temporary prefix removed) on drop.
pub struct Nginx {
    process: ExternalProcess,
    _prefix: tempfile::TempDir,
    pub version: String,
}

/// The nginx binary, if installed (Debian puts it in /usr/sbin, often not on a user's PATH).
pub fn find_binary() -> Option<PathBuf> {
    let candidates = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|p| p.join("nginx"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    candidates
        .into_iter()
        .chain([PathBuf::from("/usr/sbin/nginx")])
        .find(|p| p.is_file())
}

impl Nginx {
    /// Starts nginx serving plaintext (C4) with `workers` worker processes pinned to `cpus`,
    /// on a free loopback port.
    pub fn start(workers: usize, cpus: Option<&[usize]>) -> Result<Nginx, Unavailable> {
        Self::start_as(Role::Plaintext, workers, cpus)
    }

    /// Starts nginx as a reverse proxy to `upstream` (C5), otherwise as [`Nginx::start`].
    pub fn start_proxy(
        upstream: SocketAddr,
        workers: usize,
        cpus: Option<&[usize]>,
    ) -> Result<Nginx, Unavailable> {
        Self::start_as(Role::ReverseProxy { upstream }, workers, cpus)
    }

    fn start_as(role: Role, workers: usize, cpus: Option<&[usize]>) -> Result<Nginx, Unavailable> {
        let fail = |reason: String| Unavailable { name: NAME, reason };
        let binary = find_binary()
            .ok_or_else(|| fail("not installed (Debian: apt-get install nginx)".into()))?;
        let version = Command::new(&binary)
            .arg("-v")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
            .unwrap_or_default();
        let prefix = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
        let addr = free_loopback_addr(NAME)?;
        let config_path = prefix.path().join("nginx.conf");
        std::fs::write(&config_path, config(prefix.path(), addr, workers, role))
            .map_err(|e| fail(e.to_string()))?;
        let mut command = Command::new(&binary);
        command
            .arg("-p")
            .arg(prefix.path())
            .arg("-c")
            .arg(&config_path);
        // SIGQUIT is nginx's graceful shutdown.
        let process = ExternalProcess::start(
            NAME,
            command,
            addr,
            cpus,
            libc::SIGQUIT,
            ("/healthz", STARTUP_TIMEOUT),
        )?;
        Ok(Nginx {
            process,
            _prefix: prefix,
            version,
        })
    }

    /// The running process: its address, URL and process tree (nginx: the master and its
    /// workers, whose CPU and memory a run sums).
    pub fn process(&self) -> &ExternalProcess {
        &self.process
    }
}

/// nginx.conf for `role`: what both roles share, and the role's `upstream` and `location`s.
fn config(dir: &Path, addr: SocketAddr, workers: usize, role: Role) -> String {
    let dir = dir.display();
    let (upstream, locations) = match role {
        Role::Plaintext => (
            String::new(),
            r#"location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
        location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }"#
                .to_string(),
        ),
        Role::ReverseProxy { upstream } => (
            format!(
                "upstream backend {{ server {upstream}; keepalive {UPSTREAM_KEEPALIVE_CONNECTIONS}; }}\n    "
            ),
            r#"location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }"#
            .to_string(),
        ),
    };
    format!(
        r#"worker_processes {workers};
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    {upstream}server {{
        listen {addr};
        {locations}
    }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// nginx still starts and serves with the scrubbed environment (what it may inherit is
    /// tested in server-launcher's env.rs; nginx's master rewrites its own environ area for
    /// its process title, so /proc/PID/environ cannot be checked here).
    #[test]
    fn nginx_serves_with_the_scrubbed_environment() {
        let nginx = Nginx::start(1, None).unwrap_or_else(|e| {
            panic!("{e}: scripts/test installs nginx; install it to run this test")
        });
        let answer = server_launcher::http::get(
            nginx.process().addr(),
            "/plaintext",
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, b"Hello, World!");
        // The master and its one worker.
        let tree = nginx.process().process_tree();
        assert_eq!(tree.len(), 2, "{tree:?}");
    }

    #[test]
    fn the_proxy_config_pools_upstream_connections_and_shares_the_rest() {
        let dir = Path::new("/tmp/x");
        let addr: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        let upstream: SocketAddr = "127.0.0.1:9000".parse().unwrap();
        let plaintext = config(dir, addr, 1, Role::Plaintext);
        let proxy = config(dir, addr, 1, Role::ReverseProxy { upstream });
        for line in [
            "upstream backend { server 127.0.0.1:9000; keepalive 64; }",
            "proxy_pass http://backend;",
            "proxy_http_version 1.1;",
            "proxy_set_header Connection \"\";",
        ] {
            assert!(proxy.contains(line), "{line} missing from\n{proxy}");
            assert!(!plaintext.contains(line), "{line} in the plaintext config");
        }
        for shared in [
            "access_log off;",
            "worker_processes 1;",
            "listen 127.0.0.1:8000;",
        ] {
            assert!(
                proxy.contains(shared) && plaintext.contains(shared),
                "{shared}"
            );
        }
        assert!(!proxy.contains("/plaintext"), "{proxy}");
    }
}
