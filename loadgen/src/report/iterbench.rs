//! The iterator-versus-loop summary (C1), as the report needs it.
//!
//! `iterbench.json` is written by the benches crate's `iterbench-summary` binary (schema
//! version 1: benches/src/summary.rs, pinned by benches/tests/snapshots/summary_v1.json).
//! This module is the only place that knows that schema: it reads the file into the small
//! model below, which the claim rule and the chart use. Unknown fields are ignored, and
//! every section may be missing (`asm` and `instruction_counts` are null when skipped).

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The kernels of the article's claim: the iterator chain and the manual loop.
pub const ITER: &str = "sum_iter";
pub const LOOP: &str = "sum_loop";
/// The control pair: `sum_fold` and `sum_iter` compile to the same machine code (asm-check
/// says whether they did), so the spread of their timings is the noise floor of the timings.
pub const CONTROL_A: &str = "sum_fold";
pub const CONTROL_B: &str = ITER;
/// The A/A pair: a verbatim copy of the loop against the loop. Neither side is the judged
/// iterator, so its timing spread is noise the verdict cannot excuse itself with
/// (docs/RULES.md, C1).
pub const AA_A: &str = "sum_loop_twin";
pub const AA_B: &str = LOOP;

/// What the report uses of iterbench.json.
#[derive(Debug, Clone, PartialEq)]
pub struct IterBench {
    pub path: PathBuf,
    /// Timings of the article's pair, by input size (ascending).
    pub sizes: Vec<SizeTiming>,
    /// Assembly comparisons of the article's pair, one per compiler setting.
    pub asm: Vec<AsmVerdict>,
    /// Instruction counts of the article's pair (callgrind), where measured.
    pub instructions: Vec<InstructionCount>,
    /// Other pairs compared in the benchmarked build, as their verdict lines.
    pub other_verdicts: Vec<String>,
    /// Compiler and CPU, in a few words.
    pub environment: Option<String>,
    /// Free text recorded with the summary (e.g. "busy shared machine").
    pub note: Option<String>,
    /// Benchmarks that had no (recent enough) result.
    pub missing: Vec<String>,
    /// Whether the control pair's assembly is identical in the benchmarked build.
    pub control_identical: Option<bool>,
    /// Whether the A/A pair's assembly is identical in the benchmarked build.
    pub aa_identical: Option<bool>,
}

/// Median time (and its confidence interval) of one kernel at one size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub median_ns: f64,
    pub ci_low_ns: Option<f64>,
    pub ci_high_ns: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SizeTiming {
    /// Elements in the input.
    pub size: u64,
    /// The size as the benchmark names it, e.g. "64K".
    pub label: Option<String>,
    pub iter: Timing,
    pub r#loop: Timing,
    /// The range of iter/loop ratios both confidence intervals allow, if known.
    pub ratio_bounds: Option<(f64, f64)>,
    /// The control pair's median ratio (sum_fold / sum_iter) at this size, if measured.
    pub control_ratio: Option<f64>,
    /// The range of A/A ratios (sum_loop_twin / sum_loop) both confidence intervals allow.
    pub aa_bounds: Option<(f64, f64)>,
}

impl SizeTiming {
    /// Iterator time over loop time (medians): 1.0 means equally fast.
    pub fn ratio(&self) -> f64 {
        self.iter.median_ns / self.r#loop.median_ns
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AsmVerdict {
    /// The compiler setting, e.g. "opt-level=3, target-cpu=default".
    pub setting: String,
    /// True for the build `cargo bench` measures: the release profile as it is.
    pub benchmarked: bool,
    pub identical: bool,
    /// The comparison's own words, e.g. "different (3 of 40 lines differ)".
    pub detail: String,
    /// The two hot loops (the largest innermost loop of each, asm-check's `shape`): their
    /// instruction counts and whether their instructions are the same in the same order,
    /// operands left out; None when asm-check did not report them.
    pub hot_loops: Option<HotLoops>,
}

/// asm-check's comparison of the two functions' hot loops.
#[derive(Debug, Clone, PartialEq)]
pub struct HotLoops {
    pub iter_instructions: u64,
    pub loop_instructions: u64,
    pub same_mnemonics: bool,
}

impl AsmVerdict {
    /// True for the setting a normal release build uses.
    pub fn is_default(&self) -> bool {
        self.benchmarked
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstructionCount {
    pub size: Option<u64>,
    pub iter: u64,
    pub r#loop: u64,
}

/// Reads an iterbench.json.
pub fn read(path: &Path) -> Result<IterBench, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let file: File =
        serde_json::from_slice(&bytes).map_err(|e| format!("not an iterbench summary: {e}"))?;
    if file.schema_version != 1 {
        return Err(format!(
            "iterbench.json schema version {} is not the one this report reads (1)",
            file.schema_version
        ));
    }
    Ok(file.into_model(path))
}

// ---- the file's schema, version 1 ----

#[derive(Debug, Deserialize)]
struct File {
    schema_version: u32,
    note: Option<String>,
    environment: Option<FileEnvironment>,
    timings: Option<FileTimings>,
    asm: Option<Vec<FileSetting>>,
    instruction_counts: Option<FileInstructions>,
}

#[derive(Debug, Deserialize)]
struct FileEnvironment {
    rustc_version: Option<String>,
    llvm_version: Option<String>,
    cpu_model: Option<String>,
    native_target_cpu: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FileTimings {
    #[serde(default)]
    sizes: Vec<FileSize>,
    #[serde(default)]
    missing: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct FileSize {
    elements: u64,
    label: Option<String>,
    #[serde(default)]
    kernels: Vec<FileKernel>,
    #[serde(default)]
    pairs: Vec<FilePair>,
}

#[derive(Debug, Deserialize)]
struct FileKernel {
    kernel: String,
    median_ns: f64,
    ci_low_ns: Option<f64>,
    ci_high_ns: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct FilePair {
    a: String,
    b: String,
    ratio_low_from_ci: Option<f64>,
    ratio_high_from_ci: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct FileSetting {
    label: String,
    #[serde(default)]
    measured_by_cargo_bench: bool,
    #[serde(default)]
    pairs: Vec<FileAsmPair>,
}

#[derive(Debug, Deserialize)]
struct FileAsmPair {
    a: String,
    b: String,
    verdict: String,
    differing_lines: Option<u64>,
    total_lines: Option<u64>,
    verdict_line: Option<String>,
    a_shape: Option<FileShape>,
    b_shape: Option<FileShape>,
    hot_loops_same_mnemonics: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct FileShape {
    hot_loop_instructions: Option<u64>,
}

fn hot_loops(pair: &FileAsmPair) -> Option<HotLoops> {
    Some(HotLoops {
        iter_instructions: pair.a_shape.as_ref()?.hot_loop_instructions?,
        loop_instructions: pair.b_shape.as_ref()?.hot_loop_instructions?,
        same_mnemonics: pair.hot_loops_same_mnemonics?,
    })
}

#[derive(Debug, Deserialize)]
struct FileInstructions {
    elements: Option<u64>,
    #[serde(default)]
    kernels: Vec<FileCount>,
}

#[derive(Debug, Deserialize)]
struct FileCount {
    kernel: String,
    instructions: u64,
}

fn is_article_pair(a: &str, b: &str) -> bool {
    a == ITER && b == LOOP
}

impl File {
    fn into_model(self, path: &Path) -> IterBench {
        let (sizes, missing) = match self.timings {
            Some(timings) => (
                timings.sizes.iter().filter_map(size_timing).collect(),
                timings.missing,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let mut sizes: Vec<SizeTiming> = sizes;
        sizes.sort_by_key(|s| s.size);
        let settings = self.asm.unwrap_or_default();
        let asm = settings
            .iter()
            .flat_map(|setting| {
                setting
                    .pairs
                    .iter()
                    .filter(|p| is_article_pair(&p.a, &p.b))
                    .map(move |p| AsmVerdict {
                        setting: setting.label.clone(),
                        benchmarked: setting.measured_by_cargo_bench,
                        identical: p.verdict == "identical",
                        detail: asm_detail(p),
                        hot_loops: hot_loops(p),
                    })
            })
            .collect();
        let identical_in_benchmarked = |a: &str, b: &str| {
            settings
                .iter()
                .filter(|s| s.measured_by_cargo_bench)
                .flat_map(|s| s.pairs.iter())
                .find(|p| p.a == a && p.b == b)
                .map(|p| p.verdict == "identical")
        };
        let control_identical = identical_in_benchmarked(CONTROL_A, CONTROL_B);
        let aa_identical = identical_in_benchmarked(AA_A, AA_B);
        let other_verdicts = settings
            .iter()
            .filter(|s| s.measured_by_cargo_bench)
            .flat_map(|s| s.pairs.iter().filter(|p| !is_article_pair(&p.a, &p.b)))
            .map(|p| {
                p.verdict_line
                    .clone()
                    .unwrap_or_else(|| format!("{} vs {}: {}", p.a, p.b, asm_detail(p)))
            })
            .collect();
        let instructions = self
            .instruction_counts
            .iter()
            .filter_map(|counts| {
                let of = |name: &str| {
                    counts
                        .kernels
                        .iter()
                        .find(|k| k.kernel == name)
                        .map(|k| k.instructions)
                };
                Some(InstructionCount {
                    size: counts.elements,
                    iter: of(ITER)?,
                    r#loop: of(LOOP)?,
                })
            })
            .collect();
        IterBench {
            path: path.to_path_buf(),
            sizes,
            asm,
            instructions,
            other_verdicts,
            environment: self.environment.map(|e| describe_environment(&e)),
            note: self.note,
            missing,
            control_identical,
            aa_identical,
        }
    }
}

fn size_timing(size: &FileSize) -> Option<SizeTiming> {
    let timing = |name: &str| {
        size.kernels
            .iter()
            .find(|k| k.kernel == name)
            .map(|k| Timing {
                median_ns: k.median_ns,
                ci_low_ns: k.ci_low_ns,
                ci_high_ns: k.ci_high_ns,
            })
    };
    let bounds_of = |a: &str, b: &str| {
        size.pairs
            .iter()
            .find(|p| p.a == a && p.b == b)
            .and_then(|p| Some((p.ratio_low_from_ci?, p.ratio_high_from_ci?)))
    };
    let bounds = bounds_of(ITER, LOOP);
    let control_ratio = timing(CONTROL_A)
        .zip(timing(CONTROL_B))
        .map(|(a, b)| a.median_ns / b.median_ns);
    Some(SizeTiming {
        size: size.elements,
        label: size.label.clone(),
        iter: timing(ITER)?,
        r#loop: timing(LOOP)?,
        ratio_bounds: bounds,
        control_ratio,
        aa_bounds: bounds_of(AA_A, AA_B),
    })
}

fn asm_detail(pair: &FileAsmPair) -> String {
    match (
        pair.verdict.as_str(),
        pair.differing_lines,
        pair.total_lines,
    ) {
        ("different", Some(differing), Some(total)) => {
            format!("different ({differing} of {total} lines differ)")
        }
        (verdict, _, _) => verdict.to_string(),
    }
}

fn describe_environment(e: &FileEnvironment) -> String {
    let mut parts = Vec::new();
    if let Some(rustc) = &e.rustc_version {
        parts.push(rustc.clone());
    }
    if let Some(llvm) = &e.llvm_version {
        parts.push(format!("LLVM {llvm}"));
    }
    if let Some(cpu) = &e.cpu_model {
        parts.push(match &e.native_target_cpu {
            Some(native) => format!("{cpu} (target-cpu=native is {native})"),
            None => cpu.clone(),
        });
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The benches crate's own snapshot of the format, copied: if the two drift apart, this
    /// test and benches/tests/summary_schema.rs tell.
    const SNAPSHOT: &str = r#"{
      "asm": [{"extra_rustc_flags": [], "label": "opt-level=3, target-cpu=default",
        "measured_by_cargo_bench": true, "name": "o3",
        "pairs": [{"a": "sum_iter", "b": "sum_loop", "differing_lines": 0, "folds": [],
          "total_lines": 2, "unified_diff": "", "verdict": "identical",
          "verdict_line": "sum_iter vs sum_loop [opt-level=3, target-cpu=default]: identical",
          "why": "the article's claim, as written (i64)"},
          {"a": "sum_chunks_exact", "b": "sum_loop", "differing_lines": 30, "folds": [],
          "total_lines": 44, "unified_diff": "", "verdict": "different",
          "verdict_line": "sum_chunks_exact vs sum_loop [opt-level=3, target-cpu=default]: different (30 of 44 lines differ)",
          "why": "control"}],
        "rustc_command": "rustc"},
        {"extra_rustc_flags": ["-Ctarget-cpu=native"], "label": "opt-level=3, target-cpu=native",
        "measured_by_cargo_bench": false, "name": "o3-native",
        "pairs": [{"a": "sum_iter", "b": "sum_loop", "differing_lines": 3, "folds": [],
          "total_lines": 40, "unified_diff": "", "verdict": "different", "why": "x"}],
        "rustc_command": "rustc"}],
      "environment": {"cpu_model": "AMD EPYC", "host_triple": "x86_64-unknown-linux-gnu",
        "llvm_version": "22.1.2", "logical_cpus": 2, "native_target_cpu": "znver5",
        "rustc_version": "rustc 1.95.0 (59807616e 2026-04-14)", "rustflags": null,
        "valgrind_version": "valgrind-3.19.0"},
      "generated_unix_s": 1700000100,
      "instruction_counts": {"elements": 65536, "method": "callgrind",
        "wrapper_overhead_i32_instructions": 9, "wrapper_overhead_i64_instructions": 9,
        "kernels": [
          {"instructions": 507922, "instructions_per_element": 7.75, "kernel": "sum_iter", "raw_instructions": 507931},
          {"instructions": 507922, "instructions_per_element": 7.75, "kernel": "sum_loop", "raw_instructions": 507931}]},
      "note": "fixture",
      "schema_version": 1,
      "timings": {"criterion_dir": "target/criterion", "missing": ["sum_i64/sum_iter/16777216"],
        "since_unix_s": null,
        "sizes": [{"elements": 1024, "label": "1K",
          "kernels": [
            {"ci_high_ns": 410.0, "ci_low_ns": 390.0, "confidence_level": 0.95,
             "estimates_modified_unix_s": 1700000000, "estimates_path": "x", "group": "sum_i64",
             "kernel": "sum_iter", "mean_ns": 401.0, "median_elements_per_s": 2560000000.0,
             "median_ns": 400.0, "median_ns_per_element": 0.390625},
            {"ci_high_ns": 400.0, "ci_low_ns": 380.0, "confidence_level": 0.95,
             "estimates_modified_unix_s": 1700000000, "estimates_path": "x", "group": "sum_i64",
             "kernel": "sum_loop", "mean_ns": 391.0, "median_elements_per_s": 2600000000.0,
             "median_ns": 390.0, "median_ns_per_element": 0.38}],
          "pairs": [{"a": "sum_iter", "b": "sum_loop", "median_ratio_a_over_b": 1.0256,
            "ratio_high_from_ci": 1.079, "ratio_low_from_ci": 0.975}]}]}
    }"#;

    #[test]
    fn reads_the_benches_summary_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("iterbench.json");
        std::fs::write(&path, SNAPSHOT).unwrap();
        let bench = read(&path).unwrap();
        assert_eq!(bench.sizes.len(), 1);
        assert_eq!(bench.sizes[0].size, 1024);
        assert!((bench.sizes[0].ratio() - 400.0 / 390.0).abs() < 1e-9);
        assert_eq!(bench.sizes[0].ratio_bounds, Some((0.975, 1.079)));
        assert_eq!(bench.asm.len(), 2);
        assert!(bench.asm[0].is_default() && bench.asm[0].identical);
        assert!(!bench.asm[1].is_default() && !bench.asm[1].identical);
        assert_eq!(bench.asm[1].detail, "different (3 of 40 lines differ)");
        assert_eq!(bench.instructions[0].iter, 507_922);
        assert_eq!(bench.other_verdicts.len(), 1);
        assert!(bench.environment.as_deref().unwrap().contains("znver5"));
        assert_eq!(bench.missing, vec!["sum_i64/sum_iter/16777216".to_string()]);
    }

    #[test]
    fn skipped_sections_and_other_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("iterbench.json");
        std::fs::write(
            &path,
            r#"{"schema_version": 1, "asm": null, "instruction_counts": null}"#,
        )
        .unwrap();
        let bench = read(&path).unwrap();
        assert!(bench.sizes.is_empty() && bench.asm.is_empty() && bench.instructions.is_empty());
        std::fs::write(&path, r#"{"schema_version": 2}"#).unwrap();
        assert!(read(&path).unwrap_err().contains("schema version 2"));
    }
}
