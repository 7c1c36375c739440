//! Three shards of one plan at a combined constant rate against one rust-server on loopback,
//! merged by `loadgen merge` and rendered by `loadgen report`: the counts add up exactly to
//! one generator's schedule, and the merged percentiles are those of the union of the
//! shards' histograms (computed here independently).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

use hdrhistogram::Histogram;
use loadgen::output::{read_histogram, read_interval_log, read_result};

const SHARDS: usize = 3;
const TOTAL_RATE: &str = "1500";
// 503 ms and 2 s: no request of the 1500/s schedule falls exactly on the window's edges
// (request j is intended at j / 1500 s; 0.503 × 1500 and 2.503 × 1500 are not whole), so
// the window holds exactly 1500 × 2 = 3000 of them, as it would for one generator.
const WARMUP: &str = "503ms";
const DURATION: &str = "2s";
const SCHEDULED_IN_WINDOW: u64 = 3000;

mod support;
use support::start_rust_server as start_server;

fn loadgen() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_loadgen"));
    command.env_remove("JOB_COMPLETION_INDEX");
    command
}

/// Exit 0, or 5 when this busy machine could not send on time (the behind-schedule rule is
/// strict on purpose, and a test must not depend on the machine being idle); the counts the
/// test checks are exact either way.
fn checked(output: Output, what: &str) -> Output {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let behind = output.status.code() == Some(5) && stdout.contains("behind schedule");
    assert!(
        output.status.code() == Some(0) || behind,
        "{what}: {}{}",
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Starts every shard (the last one the Kubernetes way, from JOB_COMPLETION_INDEX) and waits.
/// `rate`: the plan's total constant rate, or None for closed loop.
fn run_shards(url: &str, root: &Path, rate: Option<&str>) -> Vec<PathBuf> {
    // Far enough ahead for three processes to start on a busy machine.
    let start_at = SystemTime::now() + Duration::from_secs(4);
    let start_at = format!(
        "{:.3}",
        start_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    );
    let mut children = Vec::new();
    let mut dirs = Vec::new();
    for index in 0..SHARDS {
        let dir = root.join(format!("shard-{index}"));
        let mut command = loadgen();
        let shard = if index == SHARDS - 1 {
            command.env("JOB_COMPLETION_INDEX", index.to_string());
            format!("auto/{SHARDS}")
        } else {
            format!("{index}/{SHARDS}")
        };
        command.args([
            "run",
            "--target",
            url,
            "-w",
            "plaintext",
            "-c",
            "6",
            "--warmup",
            WARMUP,
            "-d",
            DURATION,
            "--shard",
            &shard,
            "--start-at",
            &start_at,
            "--quiet",
            "--out",
        ]);
        command
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(rate) = rate {
            command.args(["--rate", rate]);
        }
        children.push(command.spawn().expect("loadgen starts"));
        dirs.push(dir);
    }
    for (index, child) in children.into_iter().enumerate() {
        checked(child.wait_with_output().unwrap(), &format!("shard {index}"));
    }
    dirs
}

#[test]
fn three_shards_merge_into_the_exact_union_and_the_report_renders_it() {
    let server = start_server();
    let root = tempfile::tempdir().unwrap();
    let dirs = run_shards(&server.base_url(), root.path(), Some(TOTAL_RATE));

    let shards: Vec<_> = dirs
        .iter()
        .map(|dir| read_result(&dir.join("result.json")).unwrap())
        .collect();
    let plan_ids: Vec<&str> = shards
        .iter()
        .map(|r| r.shard.as_ref().unwrap().plan_id.as_str())
        .collect();
    assert!(plan_ids.iter().all(|id| *id == plan_ids[0]), "{plan_ids:?}");
    let mut union: Option<Histogram<u64>> = None;
    for dir in &dirs {
        let histogram = read_histogram(&dir.join("latency.hdr")).unwrap();
        match union.as_mut() {
            None => union = Some(histogram),
            Some(total) => total.add(&histogram).unwrap(),
        }
    }
    let union = union.unwrap();

    let merged_dir = root.path().join("merged");
    let mut merge = loadgen();
    merge.arg("merge");
    // Given out of order: merge sorts by shard.
    for index in [2, 0, 1] {
        merge.arg(&dirs[index]);
    }
    merge.arg("--out").arg(&merged_dir);
    let printed = checked(merge.output().unwrap(), "merge");
    let printed = String::from_utf8_lossy(&printed.stdout);
    assert!(printed.contains("Merged 3 shards"), "{printed}");

    let merged = read_result(&merged_dir.join("result.json")).unwrap();
    let sum = |f: fn(&loadgen::result::RunResult) -> u64| shards.iter().map(f).sum::<u64>();
    assert_eq!(merged.figures.requests, sum(|r| r.figures.requests));
    assert_eq!(merged.figures.errors, sum(|r| r.figures.errors));
    assert_eq!(
        merged.figures.requests + merged.figures.errors,
        SCHEDULED_IN_WINDOW,
        "the shards together sent one generator's schedule, request for request"
    );
    assert_eq!(merged.figures.latency.count, union.len());
    let latency = &merged.figures.latency;
    for (quantile, merged_us) in [
        (0.5, latency.p50_us),
        (0.99, latency.p99_us),
        (0.999, latency.p99_9_us),
    ] {
        assert_eq!(merged_us, union.value_at_quantile(quantile), "p{quantile}");
    }
    assert_eq!(
        read_histogram(&merged_dir.join("latency.hdr")).unwrap(),
        union
    );
    let info = merged.merge.as_ref().unwrap();
    assert_eq!(info.shards.len(), SHARDS);
    assert_eq!(merged.load.rate_per_second, Some(1500.0));

    // The interval logs merge too: per tag, interval by interval, the shards' counts add up.
    let tag_count = |log: &loadgen::output::IntervalLog, tag: &str| -> Vec<(u128, u64)> {
        let mut counts: Vec<(u128, u64)> = log
            .intervals
            .iter()
            .filter(|(_, t, _)| t == tag)
            .map(|(offset, _, h)| (offset.as_millis(), h.len()))
            .collect();
        counts.sort();
        counts
    };
    let merged_log = read_interval_log(&merged_dir.join("intervals.hlog")).unwrap();
    let shard_logs: Vec<_> = dirs
        .iter()
        .map(|d| read_interval_log(&d.join("intervals.hlog")).unwrap())
        .collect();
    for tag in ["latency", "service-time", "send-lag"] {
        let mut expected: std::collections::BTreeMap<u128, u64> = Default::default();
        for log in &shard_logs {
            for (at, count) in tag_count(log, tag) {
                *expected.entry(at).or_default() += count;
            }
        }
        let merged_counts: std::collections::BTreeMap<u128, u64> =
            tag_count(&merged_log, tag).into_iter().collect();
        assert_eq!(merged_counts, expected, "{tag}");
    }
    let latency_total: u64 = tag_count(&merged_log, "latency").iter().map(|c| c.1).sum();
    assert_eq!(latency_total, merged.figures.requests);

    let report_dir = root.path().join("report");
    let mut report = loadgen();
    report
        .arg("report")
        .arg(&merged_dir)
        .arg("--out")
        .arg(&report_dir);
    checked(report.output().unwrap(), "report");
    let html = std::fs::read_to_string(report_dir.join("index.html")).unwrap();
    assert!(
        html.contains(&format!("merged from 3 shards of plan {}", info.plan_id)),
        "the report says the run was merged from shards"
    );
    server.stop().unwrap();
}

#[test]
fn bad_shard_flags_and_merge_inputs_exit_2_with_a_reason() {
    let in_a_minute = format!(
        "{}",
        (SystemTime::now() + Duration::from_secs(60))
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    );
    let refused = |args: &[&str], env_index: Option<&str>, reason: &str| {
        let mut command = loadgen();
        command.args(args);
        if let Some(index) = env_index {
            command.env("JOB_COMPLETION_INDEX", index);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
    };
    // Nothing is listening on port 9: every case is refused before any load is sent.
    let shard_run = |shard: &'static str| {
        vec![
            "run",
            "--target",
            "http://127.0.0.1:9",
            "--shard",
            shard,
            "--start-at",
            in_a_minute.as_str(),
        ]
    };
    refused(
        &shard_run("auto/3"),
        None,
        "JOB_COMPLETION_INDEX is not set",
    );
    refused(&shard_run("auto/3"), Some("x"), "'x' is not a whole number");
    refused(&shard_run("auto/3"), Some("3"), "does not exist");
    refused(&shard_run("0/3")[..5], None, "--start-at");
    refused(
        &["run", "--target", "http://192.0.2.7:8080"],
        None,
        "--allow-remote",
    );
    let empty = tempfile::tempdir().unwrap();
    let nowhere = empty.path().join("nowhere");
    refused(
        &["merge", nowhere.to_str().unwrap()],
        None,
        "not a loadgen run directory",
    );
}

#[test]
fn closed_loop_shards_each_run_their_share_of_the_connections() {
    let server = start_server();
    let root = tempfile::tempdir().unwrap();
    let dirs = run_shards(&server.base_url(), root.path(), None);
    let shards: Vec<_> = dirs
        .iter()
        .map(|dir| read_result(&dir.join("result.json")).unwrap())
        .collect();
    let connections: Vec<usize> = shards.iter().map(|r| r.load.connections).collect();
    assert_eq!(connections, [2, 2, 2], "6 connections over 3 shards");
    let merged_dir = root.path().join("merged");
    let mut merge = loadgen();
    merge.arg("merge").args(&dirs).arg("--out").arg(&merged_dir);
    checked(merge.output().unwrap(), "merge");
    let merged = read_result(&merged_dir.join("result.json")).unwrap();
    assert_eq!(merged.load.mode, shards[0].load.mode);
    assert_eq!(merged.load.rate_per_second, None);
    assert_eq!(merged.load.connections, 6);
    let requests: u64 = shards.iter().map(|r| r.figures.requests).sum();
    assert!(requests > 0);
    assert_eq!(merged.figures.requests, requests);
    server.stop().unwrap();
}
