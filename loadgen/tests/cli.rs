//! The `loadgen` binary end to end: real runs against both reference servers, and bad input
//! answered with a clear message and the documented exit code.

mod binary;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use binary::{loadgen, stderr};

fn run_spawned(target: &str, workload: &str, out: &Path) -> Output {
    loadgen(&[
        "run",
        "--target",
        target,
        "--workload",
        workload,
        "--duration",
        "1s",
        "--warmup",
        "200ms",
        "--connections",
        "8",
        "--read-states",
        "2000",
        "--rate",
        "500",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ])
}

/// A complete run: exit 0, or 5 when this machine was too busy to send 500 req/s on time
/// (the behind-schedule rule is strict on purpose; a test must not depend on the machine
/// being idle). Either way the results are written and the summary says why.
fn assert_ran(output: &Output, what: &str) {
    let summary = String::from_utf8_lossy(&output.stdout);
    match output.status.code() {
        Some(0) => {}
        Some(5) => assert!(summary.contains("behind schedule"), "{what}: {summary}"),
        other => panic!("{what}: exit {other:?}: {}", stderr(output)),
    }
}

#[test]
fn runs_against_both_reference_servers_and_writes_results() {
    for target in ["rust", "go"] {
        for workload in ["plaintext", "users", "read-states"] {
            let dir = tempfile::tempdir().unwrap();
            let output = run_spawned(target, workload, dir.path());
            assert_ran(&output, &format!("{target}/{workload}"));
            let summary = String::from_utf8_lossy(&output.stdout);
            assert!(summary.contains("Requests/sec:"), "{summary}");
            let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
            assert!(result.complete);
            assert_eq!(result.target.kind, target);
            assert_eq!(result.load.mode, "constant-rate");
            assert!(result.figures.requests > 0);
            assert_eq!(
                result.errors.total(),
                0,
                "{target}/{workload}: {:?}",
                result.errors
            );
            assert!(result.server.is_some(), "a spawned server is accounted for");
            for file in result.files.values() {
                assert!(dir.path().join(file).is_file(), "{file} is missing");
            }
            let histogram =
                loadgen::output::read_histogram(&dir.path().join(&result.files["latency_hdr"]))
                    .unwrap();
            assert_eq!(histogram.len(), result.figures.latency.count);
        }
    }
}

/// `run_spawned` with extra flags and extra variables in loadgen's own environment.
fn run_spawned_with(target: &str, extra_args: &[&str], env: &[(&str, &str)], out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args([
            "run",
            "--target",
            target,
            "--workload",
            "json",
            "--duration",
            "1s",
            "--warmup",
            "200ms",
            "--connections",
            "8",
            "--read-states",
            "0",
            "--rate",
            "500",
            "--quiet",
            "--out",
        ])
        .arg(out)
        .args(extra_args)
        .envs(env.iter().copied())
        .output()
        .expect("loadgen runs")
}

#[test]
fn go_runs_report_gc_figures() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_spawned("go", "json", dir.path());
    assert_ran(&output, "go/json");
    let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
    let server = result.server.expect("accounted");
    assert!(server.gc_cycles_in_window.is_some());
    assert!(server.debug_stats_after["gc_pause_buckets"].is_array());
    let go_runtime = server.go_runtime.expect("a Go run records its GC window");
    assert!((0.0..=1.0).contains(&go_runtime.gc_cpu_share));
    for cycle in &go_runtime.gc_cycles {
        assert!(cycle.start_ms <= cycle.end_ms, "{cycle:?}");
    }
}

/// The GOGC (and GOMAXPROCS) of loadgen's environment must not reach the Go server: it runs
/// with the defaults, says so in the result, and the result names what was not passed on.
#[test]
fn tuning_variables_in_loadgens_environment_do_not_reach_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_spawned_with(
        "go",
        &[],
        &[
            ("GOGC", "50"),
            ("GOMAXPROCS", "3"),
            ("GODEBUG", "madvdontneed=1"),
        ],
        dir.path(),
    );
    assert_ran(&output, "go with tuning variables");
    assert!(
        stderr(&output).contains("not passed to go-server"),
        "{}",
        stderr(&output)
    );
    let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
    let setup = result
        .target
        .setup
        .expect("a spawned server records its setup");
    assert_eq!(setup.variant, loadgen::result::Variant::AsShipped);
    assert_eq!(setup.runtime.gogc_percent, Some(100));
    assert_eq!(
        setup.runtime.gomaxprocs,
        result.target.server_threads.map(|threads| threads as u64)
    );
    assert_eq!(setup.runtime.godebug.as_deref(), Some("gctrace=1"));
    for name in ["GOGC", "GOMAXPROCS", "GODEBUG"] {
        assert!(
            setup
                .environment
                .dropped_tuning_variables
                .iter()
                .any(|n| n == name),
            "{name}: {:?}",
            setup.environment.dropped_tuning_variables
        );
    }
    assert_eq!(setup.environment.variables.get("GOGC"), None);
}

/// Runs the tuned variant of `target` and returns the runtime settings its result records.
fn tuned_run(target: &str) -> loadgen::result::ServerRuntime {
    let dir = tempfile::tempdir().unwrap();
    let output = run_spawned_with(target, &["--variant", "tuned"], &[], dir.path());
    assert_ran(&output, &format!("{target} tuned"));
    let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
    let setup = result.target.setup.expect("recorded");
    assert_eq!(setup.variant, loadgen::result::Variant::Tuned);
    setup.runtime
}

#[test]
fn tuned_variants_run_and_are_recorded() {
    assert_eq!(tuned_run("rust").allocator.as_deref(), Some("mimalloc"));
    let go = tuned_run("go");
    assert_eq!(go.read_states_lru.as_deref(), Some("pointer-free"));
    assert_eq!(
        go.gogc_percent,
        Some(i64::from(server_launcher::TUNED_GOGC_PERCENT))
    );
    assert!(go.gomemlimit_bytes.is_some_and(|limit| limit < i64::MAX));
}

#[test]
fn bad_arguments_exit_2_with_a_reason() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["run", "--target", "rust", "--workload", "nope"],
            "unknown workload",
        ),
        (
            &["run", "--target", "http://10.1.2.3:80"],
            "not a loopback address",
        ),
        (&["run", "--target", "ftp://127.0.0.1"], "neither"),
        (
            &["run", "--target", "rust", "--connections", "0"],
            "--connections",
        ),
    ];
    for (args, expected) in cases {
        let output = loadgen(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn an_unreachable_target_exits_3_without_a_panic() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let output = loadgen(&["run", "--target", &url, "--duration", "1s"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot reach"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn an_unwritable_out_exits_2_before_any_load_is_sent() {
    // A listening socket that counts connections stands in for the server: a bad --out must
    // be refused before loadgen connects to anything.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // A regular file where the results directory should be (root can write anywhere, so a
    // permission bit would not do).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, b"x").unwrap();
    let out = file.join("run");
    let output = loadgen(&[
        "run",
        "--target",
        &url,
        "--duration",
        "1s",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--out"), "{}", stderr(&output));
    assert!(
        listener.accept().is_err(),
        "loadgen connected to the target although --out was unusable"
    );
}

#[test]
fn a_rate_the_server_cannot_reach_is_flagged_and_exits_5() {
    // One connection to a server that takes ~0 work, asked for far more than one connection
    // can carry through the loopback round trip plus the generator's own cost.
    let dir = tempfile::tempdir().unwrap();
    let output = loadgen(&[
        "run",
        "--target",
        "rust",
        "--duration",
        "1s",
        "--warmup",
        "0s",
        "--connections",
        "1",
        "--rate",
        "10000000",
        "--read-states",
        "0",
        "--quiet",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("behind schedule"));
    let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
    assert!(result.figures.behind_schedule);
}

/// Starts a 20-second run against a spawned Rust server and returns the loadgen child once
/// the measured window has begun (its result directory is `out`).
fn start_long_run(out: &Path) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args([
            "run",
            "--target",
            "rust",
            "--duration",
            "20s",
            "--warmup",
            "0s",
            "--connections",
            "4",
            "--rate",
            "1000",
            "--read-states",
            "0",
            "--quiet",
            "--out",
        ])
        .arg(out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("loadgen starts");
    // The server is started (and maybe built) first; wait until loadgen says it measures.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while server_pid_of(child.id()).is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "loadgen never started its server"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child
}

/// The rust-server process that loadgen `pid` spawned, if running.
fn server_pid_of(pid: u32) -> Option<i32> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|children| {
            children
                .split_whitespace()
                .filter_map(|p| p.parse::<i32>().ok())
                .collect::<Vec<_>>()
        })
        .find(|child| {
            std::fs::read_to_string(format!("/proc/{child}/comm"))
                .is_ok_and(|comm| comm.trim() == "rust-server")
        })
}

#[test]
fn a_server_that_dies_mid_run_leaves_an_incomplete_result_and_exit_4() {
    let dir = tempfile::tempdir().unwrap();
    let child = start_long_run(dir.path());
    let server = server_pid_of(child.id()).expect("server running");
    // SAFETY: a signal to the server process this test's loadgen started.
    unsafe { libc::kill(server, libc::SIGKILL) };
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
    assert!(!result.complete);
    assert!(
        result
            .incomplete_reason
            .as_deref()
            .unwrap_or("")
            .contains("server exited"),
        "{:?}",
        result.incomplete_reason
    );
    assert!(
        result.figures.requests > 0,
        "what was measured before the crash is kept"
    );
    assert!(result.figures.measured_seconds < 20.0);
}

#[test]
fn ctrl_c_saves_what_was_measured_and_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let child = start_long_run(dir.path());
    // SAFETY: SIGINT to the loadgen process this test started, as Ctrl-C would send.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
    assert!(!result.complete);
    assert_eq!(
        result.incomplete_reason.as_deref(),
        Some("interrupted (Ctrl-C)")
    );
    assert!(result.figures.requests > 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("incomplete run"));
}
