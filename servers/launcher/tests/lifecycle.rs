//! Starts the real servers (built on demand) and stand-in scripts that misbehave, and checks
//! the launcher's whole life cycle: build, pin, health, usage, stats, stop, and kill-on-drop.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use server_launcher::{
    LaunchError, LaunchSpec, RunningServer, ServerKind, Variant, ensure_built, http,
};

fn spec(kind: ServerKind) -> LaunchSpec {
    let binary = ensure_built(kind).unwrap_or_else(|e| panic!("cannot build {kind}: {e}"));
    LaunchSpec {
        startup_timeout: Duration::from_secs(30),
        ..LaunchSpec::new(kind, binary)
    }
}

/// The first CPU this test may run on: pinning there always succeeds.
fn first_allowed_cpu() -> usize {
    // SAFETY: an all-zero cpu_set_t is valid; sched_getaffinity fills it.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::cpu_set_t>();
    assert_eq!(unsafe { libc::sched_getaffinity(0, size, &mut set) }, 0);
    (0..libc::CPU_SETSIZE as usize)
        .find(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .expect("some CPU is allowed")
}

fn status_field(pid: u32, key: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"))
        .trim()
        .to_string()
}

fn process_exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

fn full_life_cycle(kind: ServerKind) {
    let cpu = first_allowed_cpu();
    let server = RunningServer::start(&LaunchSpec {
        cpus: Some(vec![cpu]),
        ..spec(kind)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(server.addr().ip().is_loopback());
    assert_eq!(server.base_url(), format!("http://{}", server.addr()));
    assert_eq!(
        status_field(server.pid(), "Cpus_allowed_list"),
        cpu.to_string()
    );

    let health = http::get(server.addr(), "/healthz", Duration::from_secs(5)).unwrap();
    assert_eq!(health.status, 200);

    let usage = server.usage().unwrap();
    assert!(usage.rss_bytes > 0, "{usage:?}");
    assert!(usage.peak_rss_bytes >= usage.rss_bytes, "{usage:?}");
    assert!(usage.cpu_seconds() >= 0.0);

    let stats = server.debug_stats().unwrap();
    assert_eq!(stats["read_states"], 1000, "{stats}");
    assert_eq!(stats["threads"], 1, "{stats}");

    let pid = server.pid();
    let report = server.stop().unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.exit_status.code(), Some(0));
    assert!(report.usage_before_stop.is_some());
    assert!(report.exit_usage.peak_rss_bytes > 0, "{report:?}");
    assert!(
        !process_exists(pid),
        "process {pid} still exists after stop"
    );
}

#[test]
fn rust_server_full_life_cycle() {
    full_life_cycle(ServerKind::Rust);
}

#[test]
fn go_server_full_life_cycle() {
    full_life_cycle(ServerKind::Go);
}

#[test]
fn dropping_a_running_server_kills_it() {
    let server = RunningServer::start(&spec(ServerKind::Rust)).unwrap_or_else(|e| panic!("{e}"));
    let pid = server.pid();
    assert!(process_exists(pid));
    drop(server);
    assert!(!process_exists(pid), "process {pid} survived the drop");
}

/// A stand-in server: a shell script that records its pid, then does `body`.
fn script(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("server.sh");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "#!/bin/sh\necho $$ > {}/pid\n{body}", dir.display()).unwrap();
    drop(file);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn script_pid(dir: &Path) -> u32 {
    std::fs::read_to_string(dir.join("pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn start_script(dir: &Path, body: &str, timeout: Duration) -> Result<RunningServer, LaunchError> {
    RunningServer::start(&LaunchSpec {
        startup_timeout: timeout,
        ..LaunchSpec::new(ServerKind::Go, script(dir, body))
    })
}

#[test]
fn a_server_that_exits_reports_status_and_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let body = "echo 'bad flag --frobnicate' >&2\nexit 2";
    match start_script(dir.path(), body, Duration::from_secs(10)) {
        Err(LaunchError::ExitedEarly {
            status,
            stderr_tail,
            ..
        }) => {
            assert_eq!(status.code(), Some(2));
            assert!(stderr_tail.contains("bad flag"), "{stderr_tail:?}");
        }
        other => panic!("expected ExitedEarly, got {:?}", other.err()),
    }
}

#[test]
fn a_wrong_first_line_is_reported_and_the_process_killed() {
    let dir = tempfile::tempdir().unwrap();
    let body = "echo 'Listening at 8080'\nexec sleep 60";
    match start_script(dir.path(), body, Duration::from_secs(10)) {
        Err(LaunchError::BadListeningLine { line, .. }) => assert_eq!(line, "Listening at 8080"),
        other => panic!("expected BadListeningLine, got {:?}", other.err()),
    }
    assert!(!process_exists(script_pid(dir.path())));
}

#[test]
fn a_server_that_never_gets_healthy_times_out_and_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    // Port 9 (discard) on loopback has nothing listening: /healthz never answers.
    let body = "echo 'listening on http://127.0.0.1:9'\necho prefilling >&2\nexec sleep 60";
    match start_script(dir.path(), body, Duration::from_millis(500)) {
        Err(error @ LaunchError::StartupTimeout { .. }) => {
            let message = error.to_string();
            assert!(message.contains("/healthz"), "{message}");
            assert!(message.contains("prefilling"), "{message}");
        }
        other => panic!("expected StartupTimeout, got {:?}", other.err()),
    }
    assert!(!process_exists(script_pid(dir.path())));
}

#[test]
fn a_missing_binary_is_a_spawn_error() {
    let spec = LaunchSpec::new(ServerKind::Rust, PathBuf::from("/nonexistent/rust-server"));
    match RunningServer::start(&spec) {
        Err(LaunchError::Spawn { binary, .. }) => assert_eq!(binary, spec.binary),
        other => panic!("expected Spawn, got {:?}", other.err()),
    }
}

#[test]
fn the_tuned_rust_variant_runs_on_mimalloc() {
    let binary = server_launcher::ensure_variant_built(ServerKind::Rust, Variant::Tuned)
        .unwrap_or_else(|e| panic!("cannot build the tuned rust-server: {e}"));
    assert_eq!(
        binary.file_name().and_then(|name| name.to_str()),
        Some("rust-server-mimalloc")
    );
    let server = RunningServer::start(&LaunchSpec {
        variant: Variant::Tuned,
        startup_timeout: Duration::from_secs(30),
        ..LaunchSpec::new(ServerKind::Rust, binary)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let stats = server.debug_stats().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats["allocator"], "mimalloc", "{stats}");
    assert_eq!(server.variant(), Variant::Tuned);
    server.stop().unwrap_or_else(|e| panic!("{e}"));

    let as_shipped =
        RunningServer::start(&spec(ServerKind::Rust)).unwrap_or_else(|e| panic!("{e}"));
    let stats = as_shipped.debug_stats().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats["allocator"], "glibc-malloc", "{stats}");
    as_shipped.stop().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_go_gc_trace_places_cycles_on_the_launchers_clock() {
    let before_start = std::time::Instant::now();
    // A prefill this size makes the runtime collect a few times during start-up.
    let server = RunningServer::start(&LaunchSpec {
        read_states: 300_000,
        go_gc_trace: true,
        ..spec(ServerKind::Go)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let cycles = server.gc_trace().expect("the trace was asked for");
    assert!(
        !cycles.is_empty(),
        "no gctrace line parsed; stderr:\n{}",
        server.stderr_tail()
    );
    for (index, cycle) in cycles.iter().enumerate() {
        assert_eq!(cycle.line.number, index as u64 + 1);
        assert!(cycle.started_at() <= cycle.ended_at);
        assert!(cycle.ended_at >= before_start);
    }
    let stats = server.debug_stats().unwrap_or_else(|e| panic!("{e}"));
    assert!(stats["gc_cycles"].as_u64().unwrap() >= cycles.len() as u64);
    server.stop().unwrap_or_else(|e| panic!("{e}"));

    let untraced = RunningServer::start(&spec(ServerKind::Go)).unwrap_or_else(|e| panic!("{e}"));
    assert!(untraced.gc_trace().is_none());
    untraced.stop().unwrap_or_else(|e| panic!("{e}"));
}
