//! The `loadgen` binary end to end: real runs against both reference servers, and bad input
//! answered with a clear message and the documented exit code.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

fn loadgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(args)
        .output()
        .expect("loadgen runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

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

#[test]
fn runs_against_both_reference_servers_and_writes_results() {
    for target in ["rust", "go"] {
        for workload in ["plaintext", "users", "read-states"] {
            let dir = tempfile::tempdir().unwrap();
            let output = run_spawned(target, workload, dir.path());
            assert_eq!(
                output.status.code(),
                Some(0),
                "{target}/{workload}: {}",
                stderr(&output)
            );
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

#[test]
fn go_runs_report_gc_figures() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_spawned("go", "json", dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result = loadgen::output::read_result(&dir.path().join("result.json")).unwrap();
    let server = result.server.expect("accounted");
    assert!(server.gc_cycles_in_window.is_some());
    assert!(server.debug_stats_after["gc_pause_buckets"].is_array());
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
