//! The summary JSON: criterion's timings per size, the assembly verdicts, the instruction
//! counts, and the conditions they were taken in. Its format is documented in README.md and
//! pinned by `tests/summary_schema.rs`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::asm_check::{self, BuildSetting, SettingResult};
use crate::binary_check;
use crate::callgrind::{self, InstructionCounts};
use crate::criterion_results::{self, Estimate};
use crate::data::{CALLGRIND_SIZE, SIZES};
use crate::environment::Environment;
use crate::error::{Error, Result, io};
use crate::kernels;

/// Version of the format below; bump it on any change a reader could notice.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole summary file.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// When the summary was written (seconds since the Unix epoch).
    pub generated_unix_s: u64,
    /// Free text about the conditions (`--note`), e.g. "busy shared machine".
    pub note: Option<String>,
    /// Compiler, CPU, tools.
    pub environment: Environment,
    /// Criterion's timings.
    pub timings: Timings,
    /// The assembly check, one entry per build setting; `null` if skipped (`--no-asm`).
    pub asm: Option<Vec<SettingResult>>,
    /// Callgrind counts; `null` if skipped (`--no-callgrind`).
    pub instruction_counts: Option<InstructionCounts>,
}

/// Criterion's results, per size.
#[derive(Debug, Clone, Serialize)]
pub struct Timings {
    /// Where they were read.
    pub criterion_dir: PathBuf,
    /// Results written before this time were ignored (`--since`).
    pub since_unix_s: Option<u64>,
    /// Sizes with at least one result, smallest first.
    pub sizes: Vec<SizeTimings>,
    /// `group/kernel/elements` of every benchmark without a (recent enough) result.
    pub missing: Vec<String>,
}

/// Every kernel's timing at one size, and the ratio of each pair.
#[derive(Debug, Clone, Serialize)]
pub struct SizeTimings {
    /// Input length.
    pub elements: usize,
    /// `1K`, `64K`, ...
    pub label: String,
    /// One entry per kernel measured at this size.
    pub kernels: Vec<KernelTiming>,
    /// One entry per pair with both sides measured.
    pub pairs: Vec<PairTiming>,
}

/// One kernel's criterion estimate at one size.
#[derive(Debug, Clone, Serialize)]
pub struct KernelTiming {
    /// Kernel name (criterion function id).
    pub kernel: String,
    /// Criterion group.
    pub group: String,
    /// Median, its confidence interval, mean, source file.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// `median_ns / elements`.
    pub median_ns_per_element: f64,
    /// `elements / median` in elements per second.
    pub median_elements_per_s: f64,
}

/// Two kernels' medians compared at one size.
#[derive(Debug, Clone, Serialize)]
pub struct PairTiming {
    /// Numerator kernel.
    pub a: String,
    /// Denominator kernel (the manual loop).
    pub b: String,
    /// `median(a) / median(b)`: above 1 means `a` is slower.
    pub median_ratio_a_over_b: f64,
    /// `ci_low(a) / ci_high(b)`: the smallest ratio both intervals allow.
    pub ratio_low_from_ci: f64,
    /// `ci_high(a) / ci_low(b)`: the largest ratio both intervals allow.
    pub ratio_high_from_ci: f64,
}

/// Reads every kernel's estimate at every size. No result at all is an error: a summary of
/// nothing would read like a measurement.
pub fn collect_timings(criterion_dir: &Path, since_unix_s: Option<u64>) -> Result<Timings> {
    let mut sizes = Vec::new();
    let mut missing = Vec::new();
    for size in SIZES {
        let mut kernel_timings = Vec::new();
        for k in kernels::ALL {
            let group = k.kernel.group();
            let value = size.elements.to_string();
            let path = criterion_results::estimates_path(criterion_dir, group, k.name, &value);
            let fresh = criterion_results::read(&path)?
                .filter(|e| since_unix_s.is_none_or(|since| e.estimates_modified_unix_s >= since));
            match fresh {
                Some(estimate) => kernel_timings.push(KernelTiming {
                    kernel: k.name.to_owned(),
                    group: group.to_owned(),
                    median_ns_per_element: estimate.median_ns / size.elements as f64,
                    median_elements_per_s: size.elements as f64 / (estimate.median_ns * 1e-9),
                    estimate,
                }),
                None => missing.push(format!("{group}/{}/{value}", k.name)),
            }
        }
        if !kernel_timings.is_empty() {
            let pairs = pair_timings(&kernel_timings);
            sizes.push(SizeTimings {
                elements: size.elements,
                label: size.label.to_owned(),
                kernels: kernel_timings,
                pairs,
            });
        }
    }
    if sizes.is_empty() {
        return Err(Error::NoCriterionResults {
            dir: criterion_dir.to_path_buf(),
            since_unix_s,
        });
    }
    Ok(Timings {
        criterion_dir: criterion_dir.to_path_buf(),
        since_unix_s,
        sizes,
        missing,
    })
}

fn pair_timings(timings: &[KernelTiming]) -> Vec<PairTiming> {
    let find = |name: &str| {
        timings
            .iter()
            .find(|t| t.kernel == name)
            .map(|t| &t.estimate)
    };
    kernels::PAIRS
        .iter()
        .filter_map(|pair| {
            let (a, b) = (find(pair.a)?, find(pair.b)?);
            Some(PairTiming {
                a: pair.a.to_owned(),
                b: pair.b.to_owned(),
                median_ratio_a_over_b: a.median_ns / b.median_ns,
                ratio_low_from_ci: a.ci_low_ns / b.ci_high_ns,
                ratio_high_from_ci: a.ci_high_ns / b.ci_low_ns,
            })
        })
        .collect()
}

/// What a summary run does, validated from the command line.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Where criterion wrote its results.
    pub criterion_dir: PathBuf,
    /// Ignore results older than this.
    pub since_unix_s: Option<u64>,
    /// Free text recorded in the file.
    pub note: Option<String>,
    /// Assembly check settings; empty skips the check.
    pub asm_settings: Vec<BuildSetting>,
    /// Target directory of the assembly builds.
    pub asm_target_dir: PathBuf,
    /// Whether to check the bench-profile listing against the bench executable.
    pub binary_check: bool,
    /// Whether to count instructions under callgrind.
    pub callgrind: bool,
    /// Where callgrind's output files go.
    pub callgrind_out_dir: PathBuf,
}

/// Runs everything the plan asks for. Criterion results are read first, so a missing run fails
/// before minutes of other work.
pub fn run(plan: &Plan) -> Result<Summary> {
    let timings = collect_timings(&plan.criterion_dir, plan.since_unix_s)?;
    let environment = Environment::probe()?;
    let asm = if plan.asm_settings.is_empty() {
        None
    } else {
        let executable = if plan.binary_check {
            Some(binary_check::build_bench_executable()?)
        } else {
            None
        };
        Some(asm_check::run(
            &plan.asm_settings,
            &plan.asm_target_dir,
            3,
            executable.as_deref(),
        )?)
    };
    let instruction_counts = if plan.callgrind {
        std::fs::create_dir_all(&plan.callgrind_out_dir).map_err(io(&plan.callgrind_out_dir))?;
        let driver = callgrind::build_driver()?;
        Some(callgrind::count_all(
            &driver,
            CALLGRIND_SIZE.elements,
            &plan.callgrind_out_dir,
        )?)
    } else {
        None
    };
    Ok(Summary {
        schema_version: SCHEMA_VERSION,
        generated_unix_s: unix_now(),
        note: plan.note.clone(),
        environment,
        timings,
        asm,
        instruction_counts,
    })
}

/// Writes the summary as pretty JSON, through a temporary file so that a reader never sees
/// half a file.
pub fn write(summary: &Summary, path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let json = serde_json::to_string_pretty(summary).map_err(|e| Error::Parse {
        what: "summary".into(),
        detail: e.to_string(),
    })?;
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, json + "\n").map_err(io(&partial))?;
    std::fs::rename(&partial, path).map_err(io(path))
}

/// A short human-readable account of the summary, for the terminal.
pub fn render_text(summary: &Summary) -> String {
    let env = &summary.environment;
    let mut out = format!(
        "{} on {} ({} logical CPUs)\n",
        env.rustc_version,
        env.cpu_model.as_deref().unwrap_or("unknown CPU"),
        env.logical_cpus
    );
    out += "\nCriterion medians, ratio a/b [bounds from the CIs]:\n";
    for size in &summary.timings.sizes {
        for p in &size.pairs {
            out += &format!(
                "  {:>4}  {} / {}: {:.3} [{:.3}, {:.3}]\n",
                size.label,
                p.a,
                p.b,
                p.median_ratio_a_over_b,
                p.ratio_low_from_ci,
                p.ratio_high_from_ci
            );
        }
    }
    if !summary.timings.missing.is_empty() {
        out += &format!("  not measured: {}\n", summary.timings.missing.join(", "));
    }
    if let Some(settings) = &summary.asm {
        out += "\nAssembly:\n";
        for pair in settings.iter().flat_map(|s| &s.pairs) {
            let c = &pair.comparison;
            out += &format!("  {}\n", pair.verdict_line);
            if let (Some(a), Some(b)) = (
                c.a_shape.hot_loop_instructions,
                c.b_shape.hot_loop_instructions,
            ) {
                let same = if c.hot_loops_same_mnemonics == Some(true) {
                    ", same opcodes"
                } else {
                    ""
                };
                out += &format!("    hot loop: {a} vs {b} instructions{same}\n");
            }
            for fold in &c.folds {
                out += &format!("    note: folded by the compiler: {fold}\n");
            }
        }
    }
    if let Some(counts) = &summary.instruction_counts {
        out += &format!(
            "\nCallgrind instructions at {} elements:\n",
            counts.elements
        );
        for k in &counts.kernels {
            out += &format!(
                "  {:<18} {:>10} ({:.3} per element)\n",
                k.kernel, k.instructions, k.instructions_per_element
            );
        }
    }
    out
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
