//! Starting, watching and stopping one server process.

use std::io::{self, BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::env::ServerEnvironment;
use crate::gctrace::{GCTRACE_GODEBUG, GcTraceCollector, GcTraceCycle};
use crate::http;
use crate::proc::{self, ExitUsage, ProcUsage};
use crate::tail::{Tail, lock, spawn_stderr_reader};
use crate::variant::machine_memory_bytes;
use crate::{LaunchError, ServerKind, Variant};

/// How long a server may take to exit after SIGTERM before it is killed. The contract
/// (docs/API.md) gives in-flight requests up to 5 s, so this leaves it room.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// Timeout of control requests (`/healthz` during start-up, `/debug/stats`).
const CONTROL_TIMEOUT: Duration = Duration::from_secs(5);

/// The stdout line that announces readiness, before the address.
const LISTENING_PREFIX: &str = "listening on http://";

/// What to start, how, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchSpec {
    /// Which server.
    pub kind: ServerKind,
    /// Its executable, usually from [`crate::ensure_built`].
    pub binary: PathBuf,
    /// `--threads`: tokio worker threads or `GOMAXPROCS`; at least 1.
    pub threads: usize,
    /// `--read-states`: read-state entries prefilled at start-up.
    pub read_states: u64,
    /// CPUs to pin the process to (all its threads inherit the mask), or `None` to leave it
    /// where the scheduler likes.
    pub cpus: Option<Vec<usize>>,
    /// How long start-up (prefill, listening line, first 200 from `/healthz`) may take.
    pub startup_timeout: Duration,
    /// Which variant: its flags and environment are added here; `binary` must be the
    /// variant's (from [`crate::ensure_variant_built`]).
    pub variant: Variant,
    /// Go only: start with `GODEBUG=gctrace=1` and collect the GC cycles it reports on
    /// stderr (see [`RunningServer::gc_trace`]). Recorded in the server's environment.
    pub go_gc_trace: bool,
}

impl LaunchSpec {
    /// A spec with 1 thread, 1000 read states, no pinning, a 60 s startup timeout, the
    /// as-shipped variant and no GC trace.
    pub fn new(kind: ServerKind, binary: PathBuf) -> LaunchSpec {
        LaunchSpec {
            kind,
            binary,
            threads: 1,
            read_states: 1000,
            cpus: None,
            startup_timeout: Duration::from_secs(60),
            variant: Variant::AsShipped,
            go_gc_trace: false,
        }
    }

    /// The server's environment: nothing inherited that tunes it (see `env.rs`), then the
    /// variant's settings and the GC trace switch.
    pub fn environment(&self) -> ServerEnvironment {
        let settings = self.variant.settings(self.kind, machine_memory_bytes());
        let mut variables = settings.env;
        if self.go_gc_trace && self.kind == ServerKind::Go {
            variables.push(("GODEBUG", GCTRACE_GODEBUG.to_string()));
        }
        ServerEnvironment::build(std::env::vars_os(), variables)
    }

    fn validate(&self) -> Result<(), LaunchError> {
        if self.threads == 0 {
            return Err(LaunchError::InvalidSpec(
                "threads must be at least 1".into(),
            ));
        }
        if let Some(cpus) = &self.cpus {
            if cpus.is_empty() {
                return Err(LaunchError::InvalidSpec(
                    "an empty CPU list cannot run anything; use None for no pinning".into(),
                ));
            }
            if let Some(cpu) = cpus.iter().find(|&&cpu| cpu >= libc::CPU_SETSIZE as usize) {
                return Err(LaunchError::InvalidSpec(format!(
                    "CPU {cpu} is beyond the largest CPU index the kernel API takes ({})",
                    libc::CPU_SETSIZE - 1
                )));
            }
        }
        Ok(())
    }
}

/// How a stopped server ended.
#[derive(Debug)]
pub struct StopReport {
    /// Its exit status (code 0 after SIGTERM per the contract).
    pub exit_status: ExitStatus,
    /// False if the process had already exited before [`RunningServer::stop`] was called.
    pub was_running: bool,
    /// True if it did not exit within [`STOP_GRACE`] of SIGTERM and was killed.
    pub forced_kill: bool,
    /// From SIGTERM to exit.
    pub shutdown_duration: Duration,
    /// Usage read from `/proc` just before SIGTERM (`None` if it was no longer running).
    pub usage_before_stop: Option<ProcUsage>,
    /// Lifetime totals from `wait4`, shutdown included.
    pub exit_usage: ExitUsage,
    /// The end of its stderr.
    pub stderr_tail: String,
}

impl StopReport {
    /// Running until asked, then exited 0 within the grace period.
    pub fn is_clean(&self) -> bool {
        self.was_running && !self.forced_kill && self.exit_status.success()
    }
}

struct Exit {
    status: ExitStatus,
    usage: ExitUsage,
}

/// A started, healthy server process. Dropping it kills the process, so a panicking test
/// or an early `?` never leaves a server behind; call [`RunningServer::stop`] for a graceful
/// stop and its report.
pub struct RunningServer {
    kind: ServerKind,
    variant: Variant,
    environment: ServerEnvironment,
    gc_trace: Option<Arc<Mutex<GcTraceCollector>>>,
    child: Child,
    addr: Option<SocketAddr>,
    exit: Option<Exit>,
    stderr_tail: Arc<Mutex<Tail>>,
    stderr_reader: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Starts the server on a free loopback port (`--addr 127.0.0.1:0`), pinned to
    /// `spec.cpus` if given, and returns once it has printed its address and answered
    /// `GET /healthz` with 200.
    pub fn start(spec: &LaunchSpec) -> Result<RunningServer, LaunchError> {
        spec.validate()?;
        let environment = spec.environment();
        let mut command = Command::new(&spec.binary);
        command
            .env_clear()
            .envs(&environment.variables)
            .args(spec.variant.settings(spec.kind, None).args)
            .arg("--addr")
            .arg("127.0.0.1:0")
            .arg("--threads")
            .arg(spec.threads.to_string())
            .arg("--read-states")
            .arg(spec.read_states.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group: a Ctrl-C at the terminal goes to the foreground group,
            // and must reach only the tool that started the server, which then stops it in
            // order (after saving what it measured) instead of the server dying mid-run.
            .process_group(0);
        if let Some(cpus) = &spec.cpus {
            pin_to(&mut command, cpus);
        }
        let mut child =
            spawn_retrying_busy_text(&mut command).map_err(|source| spawn_error(spec, source))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let stderr_tail = Arc::new(Mutex::new(Tail::default()));
        let gc_trace = (spec.go_gc_trace && spec.kind == ServerKind::Go)
            .then(|| Arc::new(Mutex::new(GcTraceCollector::default())));
        let stderr_reader = spawn_stderr_reader(stderr, Arc::clone(&stderr_tail), gc_trace.clone());
        // From here on, an early return drops `server`, which kills the process.
        let mut server = RunningServer {
            kind: spec.kind,
            variant: spec.variant,
            environment,
            gc_trace,
            child,
            addr: None,
            exit: None,
            stderr_reader: Some(stderr_reader),
            stderr_tail,
        };
        let deadline = Instant::now() + spec.startup_timeout;
        let addr = server.wait_for_listening_line(stdout, deadline, spec.startup_timeout)?;
        server.addr = Some(addr);
        server.wait_for_health(deadline, spec.startup_timeout)?;
        Ok(server)
    }

    /// Which server this is.
    pub fn kind(&self) -> ServerKind {
        self.kind
    }

    /// Which variant it is.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// The environment it was started with, and the tuning variables it did not inherit.
    pub fn environment(&self) -> &ServerEnvironment {
        &self.environment
    }

    /// The GC cycles its trace has reported so far, oldest first; `None` unless started
    /// with [`LaunchSpec::go_gc_trace`].
    pub fn gc_trace(&self) -> Option<Vec<GcTraceCycle>> {
        self.gc_trace
            .as_ref()
            .map(|collector| lock(collector).cycles().to_vec())
    }

    /// The address it listens on (127.0.0.1 and the port it reported).
    pub fn addr(&self) -> SocketAddr {
        self.addr.expect("a started server has an address")
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// True while the process has not exited (an exited process is reaped here).
    pub fn is_alive(&mut self) -> bool {
        matches!(self.try_reap(), Ok(false))
    }

    /// The end of what the server has written to stderr so far.
    pub fn stderr_tail(&self) -> String {
        lock(&self.stderr_tail).text()
    }

    /// Its CPU time so far and its memory now, from `/proc`.
    pub fn usage(&self) -> Result<ProcUsage, LaunchError> {
        proc::read_usage(self.pid())
    }

    /// `GET /debug/stats`, parsed.
    pub fn debug_stats(&self) -> Result<serde_json::Value, LaunchError> {
        let url = format!("{}/debug/stats", self.base_url());
        let fail = |reason: String| LaunchError::Http {
            url: url.clone(),
            reason,
        };
        let response = http::get(self.addr(), "/debug/stats", CONTROL_TIMEOUT)
            .map_err(|e| fail(e.to_string()))?;
        if response.status != 200 {
            return Err(fail(format!(
                "status {} with body {:?}",
                response.status,
                response.body_text()
            )));
        }
        serde_json::from_slice(&response.body).map_err(|e| {
            fail(format!(
                "body is not JSON ({e}): {:?}",
                response.body_text()
            ))
        })
    }

    /// Stops the server: SIGTERM, up to [`STOP_GRACE`] to exit, then SIGKILL. The report is
    /// returned if it stopped cleanly (it was running, exited 0 in time); otherwise
    /// [`LaunchError::UncleanStop`] carries the same report.
    pub fn stop(mut self) -> Result<StopReport, LaunchError> {
        let was_running = !self.try_reap()?;
        let usage_before_stop = if was_running { self.usage().ok() } else { None };
        let signalled_at = Instant::now();
        let mut forced_kill = false;
        if was_running {
            self.signal(libc::SIGTERM, "send SIGTERM to")?;
            while !self.try_reap()? {
                if signalled_at.elapsed() >= STOP_GRACE {
                    self.signal(libc::SIGKILL, "send SIGKILL to")?;
                    forced_kill = true;
                    self.reap_blocking()?;
                    break;
                }
                thread::sleep(Duration::from_millis(10));
            }
        }
        let shutdown_duration = signalled_at.elapsed();
        self.finish_stderr();
        let exit = self.exit.as_ref().expect("reaped above");
        let report = StopReport {
            exit_status: exit.status,
            was_running,
            forced_kill,
            shutdown_duration,
            usage_before_stop,
            exit_usage: exit.usage,
            stderr_tail: self.stderr_tail(),
        };
        if report.is_clean() {
            Ok(report)
        } else {
            Err(LaunchError::UncleanStop {
                kind: self.kind,
                report: Box::new(report),
            })
        }
    }

    fn wait_for_listening_line(
        &mut self,
        stdout: impl Read + Send + 'static,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<SocketAddr, LaunchError> {
        let (line_sender, first_line) = mpsc::channel();
        thread::Builder::new()
            .name(format!("{}-stdout", self.kind))
            .spawn(move || {
                let mut lines = BufReader::new(stdout).lines();
                if let Some(Ok(line)) = lines.next() {
                    let _ = line_sender.send(line);
                }
                // Keep draining, so that a chatty server never blocks on a full pipe.
                for _ in lines {}
            })
            .map_err(|e| self.process_error("start a reader thread for", e))?;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.startup_timeout(timeout, "the `listening on` line on stdout"));
            }
            match first_line.recv_timeout(left.min(Duration::from_millis(50))) {
                Ok(line) => return self.parse_listening_line(&line),
                Err(RecvTimeoutError::Timeout) => self.fail_if_exited()?,
                Err(RecvTimeoutError::Disconnected) => {
                    // stdout closed without a line: the process is exiting.
                    let grace = Instant::now() + Duration::from_secs(2);
                    while Instant::now() < grace {
                        self.fail_if_exited()?;
                        thread::sleep(Duration::from_millis(10));
                    }
                    return Err(LaunchError::BadListeningLine {
                        kind: self.kind,
                        line: "<stdout closed without a line>".into(),
                    });
                }
            }
        }
    }

    fn parse_listening_line(&self, line: &str) -> Result<SocketAddr, LaunchError> {
        line.trim_end()
            .strip_prefix(LISTENING_PREFIX)
            .and_then(|addr| addr.parse().ok())
            .ok_or_else(|| LaunchError::BadListeningLine {
                kind: self.kind,
                line: line.to_string(),
            })
    }

    fn wait_for_health(&mut self, deadline: Instant, timeout: Duration) -> Result<(), LaunchError> {
        loop {
            self.fail_if_exited()?;
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.startup_timeout(timeout, "a 200 answer from GET /healthz"));
            }
            let answer = http::get(self.addr(), "/healthz", left.min(CONTROL_TIMEOUT));
            if matches!(answer, Ok(ref response) if response.status == 200) {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn fail_if_exited(&mut self) -> Result<(), LaunchError> {
        if !self.try_reap()? {
            return Ok(());
        }
        self.finish_stderr();
        Err(LaunchError::ExitedEarly {
            kind: self.kind,
            status: self.exit.as_ref().expect("reaped").status,
            stderr_tail: self.stderr_tail(),
        })
    }

    fn startup_timeout(&self, timeout: Duration, waiting_for: &'static str) -> LaunchError {
        LaunchError::StartupTimeout {
            kind: self.kind,
            timeout,
            waiting_for,
            stderr_tail: self.stderr_tail(),
        }
    }

    /// Reaps the process if it has exited (`wait4` with `WNOHANG`, which also yields its
    /// rusage); true once it has.
    fn try_reap(&mut self) -> Result<bool, LaunchError> {
        self.wait(libc::WNOHANG)
    }

    fn reap_blocking(&mut self) -> Result<(), LaunchError> {
        self.wait(0).map(|_| ())
    }

    fn wait(&mut self, flags: libc::c_int) -> Result<bool, LaunchError> {
        if self.exit.is_some() {
            return Ok(true);
        }
        let pid = self.pid() as libc::pid_t;
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero rusage is a valid value of this plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        loop {
            // SAFETY: pid is our own unreaped child; status and usage point to live locals.
            let reaped = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
            if reaped == pid {
                self.exit = Some(Exit {
                    status: ExitStatus::from_raw(status),
                    usage: ExitUsage::from_rusage(&usage),
                });
                return Ok(true);
            }
            if reaped == 0 {
                return Ok(false);
            }
            let error = io::Error::last_os_error();
            if error.kind() != io::ErrorKind::Interrupted {
                return Err(self.process_error("wait for", error));
            }
        }
    }

    fn signal(&self, signal: libc::c_int, action: &'static str) -> Result<(), LaunchError> {
        // SAFETY: kill has no memory preconditions; the pid is our unreaped child, so it
        // cannot have been reused by another process.
        if unsafe { libc::kill(self.pid() as libc::pid_t, signal) } == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        // ESRCH: it exited in the meantime, which the next wait reports.
        if error.raw_os_error() == Some(libc::ESRCH) {
            return Ok(());
        }
        Err(LaunchError::Process {
            pid: self.pid(),
            action,
            source: error,
        })
    }

    fn process_error(&self, action: &'static str, source: io::Error) -> LaunchError {
        LaunchError::Process {
            pid: self.pid(),
            action,
            source,
        }
    }

    /// After exit: lets the stderr reader take in the last bytes (it ends at EOF), bounded
    /// in case a grandchild still holds the pipe open.
    fn finish_stderr(&mut self) {
        let Some(reader) = self.stderr_reader.take() else {
            return;
        };
        let until = Instant::now() + Duration::from_secs(1);
        while !reader.is_finished() && Instant::now() < until {
            thread::sleep(Duration::from_millis(5));
        }
        if reader.is_finished() {
            let _ = reader.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if self.exit.is_none() {
            let _ = self.signal(libc::SIGKILL, "send SIGKILL to");
            let _ = self.reap_blocking();
        }
    }
}

/// Makes the child pin itself to `cpus` between fork and exec, so that every thread it
/// ever starts inherits the mask (pinning after start would race the runtime's threads).
fn pin_to(command: &mut Command, cpus: &[usize]) {
    // SAFETY: an all-zero cpu_set_t is the empty set; CPU_SET writes inside it for indices
    // below CPU_SETSIZE, which validate() checked.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    for &cpu in cpus {
        unsafe { libc::CPU_SET(cpu, &mut set) };
    }
    // SAFETY: the closure only calls sched_setaffinity and reads errno, both
    // async-signal-safe, and allocates nothing, as required between fork and exec.
    unsafe {
        command.pre_exec(move || {
            if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

fn spawn_error(spec: &LaunchSpec, source: io::Error) -> LaunchError {
    match &spec.cpus {
        // sched_setaffinity's EINVAL: none of the CPUs is online and allowed.
        Some(cpus) if source.raw_os_error() == Some(libc::EINVAL) => {
            LaunchError::InvalidSpec(format!(
                "cannot pin {} to CPUs {cpus:?}: {source}; choose CPUs this process may run \
                 on (see `taskset -cp $$`)",
                spec.kind.binary_name()
            ))
        }
        _ => LaunchError::Spawn {
            binary: spec.binary.clone(),
            source,
        },
    }
}

/// Spawns, retrying a few times on ETXTBSY ("text file busy"): an executable that was just
/// written (a fresh build, a test's script) can still be held open for writing by a child
/// that another thread forked at that instant and has not yet exec'd. The race is brief.
fn spawn_retrying_busy_text(command: &mut Command) -> io::Result<Child> {
    let mut attempts = 0;
    loop {
        match command.spawn() {
            Err(error) if error.kind() == io::ErrorKind::ExecutableFileBusy && attempts < 20 => {
                attempts += 1;
                thread::sleep(Duration::from_millis(10));
            }
            result => return result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_validation() {
        let mut spec = LaunchSpec::new(ServerKind::Rust, PathBuf::from("/bin/true"));
        assert!(spec.validate().is_ok());
        spec.threads = 0;
        assert!(matches!(spec.validate(), Err(LaunchError::InvalidSpec(_))));
        spec.threads = 1;
        spec.cpus = Some(vec![]);
        assert!(matches!(spec.validate(), Err(LaunchError::InvalidSpec(_))));
        spec.cpus = Some(vec![0, 5000]);
        assert!(matches!(spec.validate(), Err(LaunchError::InvalidSpec(_))));
    }
}
