//! nginx as the "raw C" baseline of claim C4: configured by loadgen for TechEmpower's
//! plaintext test (one worker on the server's CPU, no access log, keep-alive without a
//! request cap so that it keeps connections open like the reference servers do).

use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running nginx, stopped (and its temporary prefix removed) on drop.
pub struct Nginx {
    child: Child,
    addr: SocketAddr,
    _prefix: tempfile::TempDir,
    pub version: String,
}

/// Why nginx could not be used; the report prints it.
#[derive(Debug, thiserror::Error)]
#[error("nginx: {0}")]
pub struct NginxUnavailable(pub String);

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
    /// Starts nginx with `workers` worker processes pinned to `cpus`, on a free loopback port.
    pub fn start(workers: usize, cpus: Option<&[usize]>) -> Result<Nginx, NginxUnavailable> {
        let binary = find_binary().ok_or_else(|| {
            NginxUnavailable("not installed (Debian: apt-get install nginx)".into())
        })?;
        let version = Command::new(&binary)
            .arg("-v")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
            .unwrap_or_default();
        let prefix = tempfile::tempdir().map_err(|e| NginxUnavailable(e.to_string()))?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| NginxUnavailable(e.to_string()))?
            .port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let dir = prefix.path().display().to_string();
        let config = format!(
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
    server {{
        listen {addr};
        location = /plaintext {{ default_type text/plain; return 200 "Hello, World!"; }}
        location = /healthz {{ default_type application/json; return 200 '{{"status":"ok"}}'; }}
    }}
}}
"#
        );
        let config_path = prefix.path().join("nginx.conf");
        std::fs::write(&config_path, config).map_err(|e| NginxUnavailable(e.to_string()))?;
        // Like the reference servers (servers/README.md): no MALLOC_*, LD_PRELOAD or other
        // tuning variable of loadgen's environment reaches the C baseline either.
        let environment = server_launcher::ServerEnvironment::build(std::env::vars_os(), []);
        let mut command = Command::new(&binary);
        command
            .env_clear()
            .envs(&environment.variables)
            .arg("-p")
            .arg(prefix.path())
            .arg("-c")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Out of the terminal's foreground group, like the reference servers: Ctrl-C
            // stops the study, which then stops nginx itself.
            .process_group(0);
        if let Some(cpus) = cpus {
            let cpus = cpus.to_vec();
            // SAFETY: between fork and exec only sched_setaffinity (async-signal-safe) runs.
            unsafe {
                command.pre_exec(move || crate::affinity::pin_current_thread(&cpus));
            }
        }
        let child = command
            .spawn()
            .map_err(|e| NginxUnavailable(format!("cannot start {}: {e}", binary.display())))?;
        crate::children::register(child.id());
        let mut nginx = Nginx {
            child,
            addr,
            _prefix: prefix,
            version,
        };
        nginx.wait_ready()?;
        Ok(nginx)
    }

    fn wait_ready(&mut self) -> Result<(), NginxUnavailable> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(NginxUnavailable(format!("exited at start-up ({status})")));
            }
            if server_launcher::http::get(self.addr, "/healthz", Duration::from_secs(1))
                .is_ok_and(|r| r.status == 200)
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(NginxUnavailable("did not answer within 10 s".into()))
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        crate::children::unregister(self.child.id());
        // SIGQUIT is nginx's graceful shutdown; then make sure.
        // SAFETY: a signal to our own child.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGQUIT) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
        let answer =
            server_launcher::http::get(nginx.addr, "/plaintext", Duration::from_secs(5)).unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, b"Hello, World!");
    }
}
