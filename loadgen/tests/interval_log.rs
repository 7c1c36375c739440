//! The interval log (`intervals.hlog`) read back by an independent implementation: the
//! HdrHistogram Python package (`hdrh`), installed into a throwaway virtual environment.
//! Its per-tag totals must equal loadgen's own histogram counts.

mod binary;

use std::path::Path;
use std::process::Command;

use binary::{loadgen, stderr};

/// A venv with `hdrhistogram` in `dir`; its python. Panics with a clear message if PyPI
/// cannot be reached (the README's test prerequisites include it).
fn python_with_hdrh(dir: &Path) -> std::path::PathBuf {
    let venv = dir.join("venv");
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("python3 runs");
    assert!(made.success(), "python3 -m venv failed");
    let pip = Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "hdrhistogram"])
        .output()
        .expect("pip runs");
    assert!(
        pip.status.success(),
        "pip install hdrhistogram failed (is PyPI reachable?): {}",
        String::from_utf8_lossy(&pip.stderr)
    );
    venv.join("bin/python")
}

const READ_BACK: &str = r#"
import sys
from hdrh.histogram import HdrHistogram
from hdrh.log import HistogramLogReader
reader = HistogramLogReader(sys.argv[1], HdrHistogram(1, 60_000_000, 2))
totals, intervals, latency_max = {}, 0, 0
while True:
    h = reader.get_next_interval_histogram()
    if h is None:
        break
    intervals += 1
    totals[h.get_tag()] = totals.get(h.get_tag(), 0) + h.get_total_count()
    if h.get_tag() == "latency":
        latency_max = max(latency_max, h.get_max_value())
print(intervals, totals.get("latency", 0), totals.get("service-time", 0), totals.get("send-lag", 0), latency_max)
"#;

#[test]
fn the_interval_log_reads_back_in_python_hdrh_with_equal_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let output = loadgen(&[
        "run",
        "--target",
        "rust",
        "--workload",
        "json",
        "--rate",
        "1000",
        "--duration",
        "2s",
        "--warmup",
        "200ms",
        "--connections",
        "8",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    // 5: behind schedule on a busy machine; the counts are exact either way.
    assert!(
        matches!(output.status.code(), Some(0) | Some(5)),
        "{}",
        stderr(&output)
    );
    let result = loadgen::output::read_result(&out.join("result.json")).unwrap();
    let log = out.join(&result.files["intervals_hlog"]);
    assert!(log.is_file());

    let python = python_with_hdrh(dir.path());
    let read = Command::new(python)
        .args(["-c", READ_BACK])
        .arg(&log)
        .output()
        .expect("python runs");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let numbers: Vec<u64> = String::from_utf8_lossy(&read.stdout)
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let [intervals, latency, service, send_lag, latency_max_us] = numbers[..] else {
        panic!("unexpected output {numbers:?}");
    };
    // 2 s of 100 ms intervals, three tags each (one histogram per tag and interval).
    assert_eq!(intervals, 20 * 3);
    assert_eq!(latency, result.figures.latency.count);
    assert_eq!(service, result.figures.service_time.count);
    assert_eq!(send_lag, result.figures.send_lag.count);
    assert!(latency > 0);
    // The values are the run's, at 2 significant digits (within 1 %): the largest interval
    // maximum is the run's maximum.
    let run_max = result.figures.latency.max_us as f64;
    assert!(
        (latency_max_us as f64 - run_max).abs() <= run_max * 0.011 + 1.0,
        "interval max {latency_max_us} µs vs run max {run_max} µs"
    );
}
