//! The acceptance tests of the comparison: real compiler output for a pair that differs, two
//! copies of one function, and a pair merged into an alias; synthetic cases for thunks and
//! constant pools.

use super::*;

/// rustc 1.95.0 `--crate-type lib -C opt-level=3 -C debuginfo=line-tables-only --emit asm`
/// (Intel syntax) of `testdata/filter_sum.rs`: the article's two functions and a fold that
/// compiles to a copy of the iterator version under another function number.
const FILTER_SUM: &str = include_str!("testdata/filter_sum_o3.s");

/// The same compiler and flags on `testdata/merged.rs`: two identical functions, which LLVM's
/// function merging emits as `twice_b = twice_a`, and a third that differs.
const MERGED: &str = include_str!("testdata/merged_o3.s");

fn files(text: &str) -> Vec<AsmFile> {
    vec![AsmFile {
        name: "fixture.s".into(),
        text: text.into(),
    }]
}

#[test]
fn two_functions_that_differ_are_different() {
    let c = compare_symbols(&files(FILTER_SUM), "sum_iter", "sum_loop").unwrap();
    assert_eq!(c.verdict, Verdict::Different);
    assert!(c.differing_lines > 0 && c.differing_lines <= c.total_lines);
    assert!(c.folds.is_empty());
    let line = c.verdict_line("opt-level=3");
    assert!(
        line.starts_with("sum_iter vs sum_loop [opt-level=3]: different (")
            && line.ends_with(" lines differ)"),
        "{line}"
    );
    assert!(c.unified_diff(2).contains("\n- ") && c.unified_diff(2).contains("\n+ "));
}

#[test]
fn two_copies_of_one_function_are_identical() {
    // sum_fold and sum_iter are function 0 and 1 of the file: different label numbers and
    // different source lines in their debug directives, the same machine code.
    let c = compare_symbols(&files(FILTER_SUM), "sum_iter", "sum_fold").unwrap();
    assert_eq!(c.verdict, Verdict::Identical, "{}", c.unified_diff(3));
    assert_eq!(c.differing_lines, 0);
    assert!(c.folds.is_empty());
    assert_eq!(
        c.verdict_line("opt-level=3"),
        "sum_iter vs sum_fold [opt-level=3]: identical"
    );
    assert_eq!(c.a_shape, c.b_shape);
    assert!(c.unified_diff(3).is_empty());
}

#[test]
fn a_function_compared_with_itself_is_identical() {
    let c = compare_symbols(&files(FILTER_SUM), "sum_loop", "sum_loop").unwrap();
    assert_eq!(c.verdict, Verdict::Identical);
}

#[test]
fn an_alias_is_identical_and_says_so() {
    let c = compare_symbols(&files(MERGED), "twice_a", "twice_b").unwrap();
    assert_eq!(c.verdict, Verdict::Identical);
    assert_eq!(
        c.folds,
        vec![Fold::Alias {
            symbol: "twice_b".into(),
            target: "twice_a".into()
        }]
    );
    assert!(c.folds[0].to_string().contains("alias of twice_a"));
}

#[test]
fn an_alias_is_compared_through_its_target() {
    let c = compare_symbols(&files(MERGED), "twice_b", "thrice").unwrap();
    assert_eq!(c.verdict, Verdict::Different);
    assert_eq!(c.folds.len(), 1);
}

#[test]
fn a_thunk_is_identical_and_says_so() {
    let text = "f:\n\tmov\trax, rdi\n\tret\n.Lfunc_end0:\ng:\n\tjmp\tf\n.Lfunc_end1:\n";
    let c = compare_symbols(&files(text), "f", "g").unwrap();
    assert_eq!(c.verdict, Verdict::Identical);
    assert_eq!(
        c.folds,
        vec![Fold::Thunk {
            symbol: "g".into(),
            target: "f".into()
        }]
    );
}

#[test]
fn a_different_constant_is_a_difference() {
    let text = ".LCPI0_0:\n\t.quad\t2\nf:\n\tmovdqa\txmm2, xmmword ptr [rip + .LCPI0_0]\n\tret\n.Lfunc_end0:\n\
                .LCPI1_0:\n\t.quad\t3\ng:\n\tmovdqa\txmm2, xmmword ptr [rip + .LCPI1_0]\n\tret\n.Lfunc_end1:\n";
    let c = compare_symbols(&files(text), "f", "g").unwrap();
    assert_eq!(c.verdict, Verdict::Different);
    assert_eq!(
        c.verdict_line("x"),
        "f vs g [x]: different (1 of 4 lines differ)"
    );
}

#[test]
fn a_different_operand_is_a_difference() {
    let text = "f:\n\tlea\trax, [rax + 2*r8]\n\tret\n.Lfunc_end0:\ng:\n\tlea\trax, [rax + 4*r8]\n\tret\n.Lfunc_end1:\n";
    let c = compare_symbols(&files(text), "f", "g").unwrap();
    assert_eq!(
        c.verdict_line("x"),
        "f vs g [x]: different (1 of 2 lines differ)"
    );
}

#[test]
fn functions_are_found_across_codegen_unit_files() {
    let split = vec![
        AsmFile {
            name: "cgu.0.s".into(),
            text: "f:\n\tret\n.Lfunc_end0:\n".into(),
        },
        AsmFile {
            name: "cgu.1.s".into(),
            text: "g:\n\tret\n.Lfunc_end0:\n".into(),
        },
    ];
    assert_eq!(
        compare_symbols(&split, "f", "g").unwrap().verdict,
        Verdict::Identical
    );
}

#[test]
fn an_alias_cycle_is_an_error() {
    let err = resolve(&files("f = g\ng = f\n"), "f").unwrap_err();
    assert!(matches!(err, AsmError::FoldChain { .. }));
}

#[test]
fn hot_loop_of_the_real_kernels() {
    let c = compare_symbols(&files(FILTER_SUM), "sum_iter", "sum_loop").unwrap();
    // Both vectorize the same way: a two-register SSE2 body and a scalar remainder loop.
    assert_eq!(c.a_shape.innermost_loop_instructions.len(), 2);
    assert_eq!(
        c.a_shape.hot_loop_instructions,
        c.b_shape.hot_loop_instructions
    );
    assert!(c.a_shape.hot_loop_instructions.unwrap() > 20);
    // The vector bodies differ only in operands (index register and scale).
    assert_eq!(c.hot_loops_same_mnemonics, Some(true));
}
