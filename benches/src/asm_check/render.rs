//! The text report of the assembly check.

use super::{PairResult, SettingResult};
use crate::binary_check::BinaryCheck;

/// The text report: settings, one verdict line per pair and setting, then per pair and
/// setting the folds, the instruction counts and the diff.
pub fn render(results: &[SettingResult]) -> String {
    let mut out = String::from("Settings (release profile of the workspace, plus):\n");
    for s in results {
        let flags = if s.extra_rustc_flags.is_empty() {
            "no extra flags".to_owned()
        } else {
            s.extra_rustc_flags.join(" ")
        };
        let bench = if s.measured_by_cargo_bench {
            "  <- what `cargo bench` measures"
        } else {
            ""
        };
        out += &format!(
            "  [{}] ({}): {flags}; codegen-units={}{bench}\n",
            s.label, s.name, s.codegen_units
        );
    }
    for check in results.iter().filter_map(|s| s.binary_check.as_ref()) {
        out += &render_binary_check(check);
    }
    out += "\nVerdicts:\n";
    for s in results {
        for p in &s.pairs {
            out += &format!("{}\n", p.verdict_line);
        }
    }
    for s in results {
        for p in &s.pairs {
            out += &render_details(s, p);
        }
    }
    out
}

fn render_binary_check(check: &BinaryCheck) -> String {
    let matched = check.kernels.iter().filter(|k| k.mnemonics_match).count();
    let mut out = format!(
        "Cross-check of the bench-profile listing against {}: {matched} of {} kernels have the same instruction sequence\n",
        check.executable.display(),
        check.kernels.len()
    );
    for k in check.kernels.iter().filter(|k| !k.mnemonics_match) {
        out += &format!(
            "  MISMATCH {}: listing {} instructions, binary {}\n",
            k.kernel, k.listing_instructions, k.binary_instructions
        );
    }
    out
}

fn render_details(setting: &SettingResult, pair: &PairResult) -> String {
    let c = &pair.comparison;
    let mut out = format!(
        "\n=== {} vs {} [{}] -- {}\n",
        c.a, c.b, setting.label, pair.why
    );
    for fold in &c.folds {
        out += &format!("note: folded by the compiler: {fold}\n");
    }
    let hot = |n: Option<usize>| n.map_or("no loop".to_owned(), |n| format!("{n} instructions"));
    let same = match c.hot_loops_same_mnemonics {
        Some(true) => "; same instructions in the same order, operands aside",
        Some(false) => "; the instruction sequences differ",
        None => "",
    };
    out += &format!(
        "hot loop: {} {}, {} {}{same}\nwhole function: {} {} instructions (innermost loops {:?}), {} {} instructions (innermost loops {:?})\n",
        c.a,
        hot(c.a_shape.hot_loop_instructions),
        c.b,
        hot(c.b_shape.hot_loop_instructions),
        c.a,
        c.a_shape.instructions,
        c.a_shape.innermost_loop_instructions,
        c.b,
        c.b_shape.instructions,
        c.b_shape.innermost_loop_instructions,
    );
    if pair.unified_diff.is_empty() {
        out += "diff: none\n";
    } else {
        out += &format!(
            "diff (normalized; - {}, + {}):\n{}",
            c.a, c.b, pair.unified_diff
        );
    }
    out
}
