//! The comparison on output of the compiler installed here, not only on checked-in listings:
//! catches a change in rustc's or LLVM's assembly syntax that the parser does not follow.

use std::path::Path;
use std::process::Command;

use iterbench::asm::{self, AsmFile, Verdict};
use iterbench::asm_check::{self, BuildSetting};
use iterbench::command;

/// Compiles `testdata/<source>` to assembly at opt-level 3 and returns the listing.
fn compile(source: &str) -> Vec<AsmFile> {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/asm/testdata")
        .join(source);
    let out = dir.path().join("out.s");
    command::run(
        Command::new(command::rustc())
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "-C",
                "opt-level=3",
                "--emit",
                "asm",
                "-o",
            ])
            .arg(&out)
            .arg(&src),
    )
    .unwrap();
    vec![AsmFile {
        name: "out.s".into(),
        text: std::fs::read_to_string(&out).unwrap(),
    }]
}

#[test]
fn identical_functions_are_identical_and_different_ones_different() {
    let files = compile("merged.rs");
    let same = asm::compare_symbols(&files, "twice_a", "twice_b").unwrap();
    assert_eq!(same.verdict, Verdict::Identical, "{}", same.unified_diff(3));
    let other = asm::compare_symbols(&files, "twice_a", "thrice").unwrap();
    assert_eq!(other.verdict, Verdict::Different);
    assert!(other.differing_lines > 0);
}

#[test]
fn every_kernel_of_the_fixture_is_found_with_a_loop() {
    let files = compile("filter_sum.rs");
    for symbol in ["sum_iter", "sum_loop", "sum_fold"] {
        let resolved = asm::resolve(&files, symbol).unwrap();
        let c = asm::compare(&resolved, &resolved);
        assert!(
            c.a_shape.hot_loop_instructions.is_some(),
            "{symbol} has no loop"
        );
    }
}

/// The whole check as `asm-check` runs it, on this crate, in a fresh target directory.
/// Slow (it builds the crate's dependencies once): `cargo test -p iterbench -- --ignored`.
#[test]
#[ignore = "builds the crate in a fresh target directory (a minute or more)"]
fn asm_check_end_to_end_on_the_real_kernels() {
    let dir = tempfile::tempdir().unwrap();
    let results = asm_check::run(&[BuildSetting::BENCH_PROFILE], dir.path(), 3, None).unwrap();
    let setting = &results[0];
    assert!(setting.measured_by_cargo_bench);
    assert!(
        setting.label.starts_with("opt-level=3"),
        "{}",
        setting.label
    );
    assert_eq!(setting.pairs.len(), iterbench::kernels::PAIRS.len());
    let rendered = asm_check::render(&results);
    assert!(rendered.contains("sum_iter vs sum_loop [opt-level=3"));
}
