//! `loadgen compare` on two real study directories: the reference study against itself
//! finds no regression, and against a copy with a planted regression it names the cell and
//! figure and exits 6.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../reports/reference")
}

fn compare(base: &Path, new: &Path, extra: &[&str], html: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .arg("compare")
        .arg(base)
        .arg(new)
        .arg("--html")
        .arg(html)
        .args(extra)
        .output()
        .expect("loadgen runs")
}

/// Copies every result.json and histogram of `from` into `to`, keeping the layout.
fn copy_runs(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "report" {
                continue;
            }
            copy_runs(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Multiplies one latency percentile of every run of `server` in the given experiment.
fn plant_regression(
    study: &Path,
    experiment: &str,
    server_kind: &str,
    field: &str,
    factor: f64,
) -> usize {
    let mut planted = 0;
    for entry in std::fs::read_dir(study.join("runs")).unwrap() {
        let path = entry.unwrap().path().join("result.json");
        let mut result: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if result["labels"]["experiment"] != experiment || result["target"]["kind"] != server_kind {
            continue;
        }
        let value = result["figures"]["latency"][field].as_f64().unwrap();
        result["figures"]["latency"][field] = serde_json::json!((value * factor).round() as u64);
        std::fs::write(&path, serde_json::to_string_pretty(&result).unwrap()).unwrap();
        planted += 1;
    }
    planted
}

#[test]
fn a_study_against_itself_has_no_regression() {
    let out = tempfile::tempdir().unwrap();
    let html = out.path().join("same.html");
    let output = compare(
        &reference(),
        &reference(),
        &["--fail-on", "p50,p99,p99.9,req/s"],
        &html,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!stdout.contains("regressed"), "{stdout}");
    assert!(!stdout.contains("improved"), "{stdout}");
    // Repeated cells get a bootstrap interval over their repetitions.
    assert!(stdout.contains("bootstrap over repetitions"), "{stdout}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("data-verdict=\"same\""),
        "the page lists the figures"
    );
}

#[test]
fn a_planted_regression_is_found_and_fails_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new");
    copy_runs(&reference(), &new);
    let planted = plant_regression(&new, "c2", "go", "p99_us", 3.0);
    assert!(
        planted >= 2,
        "the reference has repeated Go C2 runs ({planted})"
    );
    let html = dir.path().join("compare.html");

    // Listed: the command fails and says which figure of which cell.
    let output = compare(
        &reference(),
        &new,
        &["--fail-on", "p99", "--fail-threshold", "50"],
        &html,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("regression") && stderr.contains("p99"),
        "{stderr}"
    );
    let go_block = stdout
        .split("\n\n")
        .find(|block| block.contains("experiment=c2") && block.to_lowercase().contains("go"))
        .expect("a Go C2 cell");
    let p99_line = go_block
        .lines()
        .find(|l| l.trim_start().starts_with("p99 "))
        .unwrap();
    assert!(
        p99_line.contains("+200.0 %") && p99_line.contains("regressed"),
        "{p99_line}"
    );
    // Other figures of that cell did not move.
    let p50_line = go_block
        .lines()
        .find(|l| l.trim_start().starts_with("p50 "))
        .unwrap();
    assert!(p50_line.contains("no change"), "{p50_line}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("data-figure=\"p99\" data-verdict=\"regressed\""));

    // Not listed, or below the threshold: reported, but the command succeeds.
    let output = compare(&reference(), &new, &["--fail-on", "p50"], &html);
    assert_eq!(output.status.code(), Some(0));
    let output = compare(
        &reference(),
        &new,
        &["--fail-on", "p99", "--fail-threshold", "300"],
        &html,
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("x.html");
    let output = compare(&reference(), &reference(), &["--fail-on", "p42"], &html);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown figure"));
    let output = compare(&reference(), dir.path(), &[], &html);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no results"));
}
