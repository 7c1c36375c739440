//! A server that loadgen starts itself rather than through server-launcher (nginx, the Pingora
//! proxy): on a free loopback port, with the scrubbed environment of the reference servers,
//! in its own process group, pinned; ready once a path answers 200; stopped on drop. Its
//! process tree (nginx's master and workers) is what the run's server CPU and memory sum.

use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::target::Target;

/// How long a stopped process may take before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Why an external server could not be used; the report prints it.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {reason}")]
pub struct Unavailable {
    /// Which server ("nginx", "pingora-proxy").
    pub name: &'static str,
    /// What went wrong, and what to do about it where there is something.
    pub reason: String,
}

/// A running external server; stopped with its stop signal (then SIGKILL to its process
/// group) on drop.
pub struct ExternalProcess {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
    stop_signal: libc::c_int,
}

/// A free loopback address to hand to a server that cannot report the port it bound (a
/// port picked here may be taken by someone else before the server binds it: the start then
/// fails with a clear error, which is rare enough on a machine that runs one study).
pub fn free_loopback_addr(name: &'static str) -> Result<SocketAddr, Unavailable> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| Unavailable {
            name,
            reason: format!("no free loopback port: {e}"),
        })
}

impl ExternalProcess {
    /// Spawns `command` (to listen on `addr`) with the environment the reference servers get,
    /// pinned to `cpus`, and waits until `GET ready_path` answers 200 (up to `timeout`).
    /// `stop_signal` is its graceful (or fast) shutdown signal.
    pub fn start(
        name: &'static str,
        mut command: Command,
        addr: SocketAddr,
        cpus: Option<&[usize]>,
        stop_signal: libc::c_int,
        (ready_path, timeout): (&str, Duration),
    ) -> Result<ExternalProcess, Unavailable> {
        // Like the reference servers (servers/README.md): no MALLOC_*, LD_PRELOAD or other
        // tuning variable of loadgen's environment reaches it.
        let environment = server_launcher::ServerEnvironment::build(std::env::vars_os(), []);
        command
            .env_clear()
            .envs(&environment.variables)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Out of the terminal's foreground group, like the reference servers: Ctrl-C
            // stops the study, which then stops this server itself.
            .process_group(0);
        if let Some(cpus) = cpus {
            let cpus = cpus.to_vec();
            // SAFETY: between fork and exec only sched_setaffinity (async-signal-safe) runs.
            unsafe {
                command.pre_exec(move || crate::affinity::pin_current_thread(&cpus));
            }
        }
        let child = command.spawn().map_err(|e| Unavailable {
            name,
            reason: format!("cannot start {:?}: {e}", command.get_program()),
        })?;
        crate::children::register(child.id());
        let mut process = ExternalProcess {
            name,
            child,
            addr,
            stop_signal,
        };
        process.wait_ready(ready_path, timeout)?;
        Ok(process)
    }

    fn wait_ready(&mut self, path: &str, timeout: Duration) -> Result<(), Unavailable> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.unavailable(format!("exited at start-up ({status})")));
            }
            if server_launcher::http::get(self.addr, path, Duration::from_secs(1))
                .is_ok_and(|r| r.status == 200)
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(self.unavailable(format!(
            "{path} did not answer 200 within {}",
            humantime::format_duration(timeout)
        )))
    }

    fn unavailable(&self, reason: String) -> Unavailable {
        Unavailable {
            name: self.name,
            reason,
        }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The process and its descendants now (nginx: the master and its workers), whose CPU
    /// time and memory a run sums.
    pub fn process_tree(&self) -> Vec<u32> {
        server_launcher::process_tree(self.child.id())
    }

    /// What a run measures: this server at its address, named `label` in results, its CPU
    /// time and memory summed over its process tree as it is now.
    pub fn target(&self, label: &str, cpus: Option<Vec<usize>>, workers: usize) -> Target {
        Target::External {
            addr: self.addr,
            url: self.url(),
            label: label.to_string(),
            cpus,
            workers: Some(workers),
            pids: self.process_tree(),
        }
    }
}

impl Drop for ExternalProcess {
    fn drop(&mut self) {
        crate::children::unregister(self.child.id());
        // SAFETY: a signal to our own child.
        unsafe { libc::kill(self.child.id() as libc::pid_t, self.stop_signal) };
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // The whole process group (nginx's workers too), which it leads.
        // SAFETY: kill(2) with a negative pid signals the group our child leads.
        unsafe { libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL) };
        let _ = self.child.wait();
    }
}
