//! Pins the summary JSON format: a fixed summary must serialize to the checked-in snapshot.
//! A change here is a change for every reader (the report, the lead's `reproduce`): bump
//! `SCHEMA_VERSION`, update README.md, then refresh with
//! `UPDATE_SNAPSHOTS=1 cargo test -p iterbench --test summary_schema`.

use std::path::PathBuf;

use iterbench::asm::{self, AsmFile};
use iterbench::asm_check::{PairResult, SettingResult};
use iterbench::binary_check::{BinaryCheck, KernelMatch};
use iterbench::callgrind::{InstructionCounts, KernelCount};
use iterbench::criterion_results::Estimate;
use iterbench::environment::Environment;
use iterbench::summary::{self, KernelTiming, PairTiming, SizeTimings, Summary, Timings};

fn estimate(median_ns: f64) -> Estimate {
    Estimate {
        median_ns,
        ci_low_ns: median_ns - 10.0,
        ci_high_ns: median_ns + 10.0,
        confidence_level: 0.95,
        mean_ns: median_ns + 1.0,
        estimates_path: PathBuf::from("target/criterion/sum_i64/sum_iter/1024/new/estimates.json"),
        estimates_modified_unix_s: 1_700_000_000,
    }
}

fn fixture() -> Summary {
    let files = vec![AsmFile {
        name: "fixture.s".into(),
        text: "sum_iter:\n\tlea\trax, [rdi + rdi]\n\tret\n.Lfunc_end0:\nsum_loop = sum_iter\n"
            .into(),
    }];
    let comparison = asm::compare_symbols(&files, "sum_iter", "sum_loop").unwrap();
    Summary {
        schema_version: summary::SCHEMA_VERSION,
        generated_unix_s: 1_700_000_100,
        note: Some("fixture".into()),
        environment: Environment {
            rustc_version: "rustc 1.95.0 (59807616e 2026-04-14)".into(),
            llvm_version: Some("22.1.2".into()),
            host_triple: Some("x86_64-unknown-linux-gnu".into()),
            native_target_cpu: Some("znver5".into()),
            cpu_model: Some("AMD EPYC".into()),
            logical_cpus: 2,
            valgrind_version: Some("valgrind-3.19.0".into()),
            rustflags: None,
        },
        timings: Timings {
            criterion_dir: PathBuf::from("target/criterion"),
            since_unix_s: None,
            sizes: vec![SizeTimings {
                elements: 1024,
                label: "1K".into(),
                kernels: vec![KernelTiming {
                    kernel: "sum_iter".into(),
                    group: "sum_i64".into(),
                    estimate: estimate(400.0),
                    median_ns_per_element: 0.390625,
                    median_elements_per_s: 2.56e9,
                }],
                pairs: vec![PairTiming {
                    a: "sum_iter".into(),
                    b: "sum_loop".into(),
                    median_ratio_a_over_b: 1.0,
                    ratio_low_from_ci: 0.95,
                    ratio_high_from_ci: 1.05,
                }],
            }],
            missing: vec!["sum_i64/sum_iter/16777216".into()],
        },
        asm: Some(vec![SettingResult {
            name: "o3".into(),
            label: "opt-level=3, target-cpu=default".into(),
            measured_by_cargo_bench: true,
            extra_rustc_flags: vec![],
            codegen_units: "16".into(),
            rustc_command: "rustc --crate-name iterbench -C opt-level=3".into(),
            pairs: vec![PairResult {
                why: "the article's claim, as written (i64)",
                verdict_line: comparison.verdict_line("opt-level=3, target-cpu=default"),
                unified_diff: comparison.unified_diff(3),
                comparison,
            }],
            binary_check: Some(BinaryCheck {
                executable: PathBuf::from("target/release/deps/iter_vs_loop-0123456789abcdef"),
                kernels: vec![KernelMatch {
                    kernel: "sum_iter".into(),
                    body_symbol: "sum_iter".into(),
                    listing_instructions: 2,
                    binary_instructions: 2,
                    mnemonics_match: true,
                }],
            }),
        }]),
        instruction_counts: Some(InstructionCounts {
            elements: 65536,
            method: "callgrind".into(),
            wrapper_overhead_i64_instructions: 9,
            wrapper_overhead_i32_instructions: 9,
            kernels: vec![KernelCount {
                kernel: "sum_iter".into(),
                instructions: 507_922,
                instructions_per_element: 7.75,
                raw_instructions: 507_931,
            }],
        }),
    }
}

#[test]
fn summary_json_matches_the_snapshot() {
    let actual = serde_json::to_value(fixture()).unwrap();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/summary_v1.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
    }
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        actual,
        expected,
        "summary JSON changed; new form:\n{}",
        serde_json::to_string_pretty(&actual).unwrap()
    );
}

#[test]
fn no_criterion_results_is_an_error_not_zeros() {
    let empty = tempfile::tempdir().unwrap();
    let err = summary::collect_timings(empty.path(), None).unwrap_err();
    assert!(matches!(err, iterbench::Error::NoCriterionResults { .. }));
    assert!(err.to_string().contains("cargo bench -p iterbench"));
}
