//! The assembly check: compile the kernels under each build setting, compare each pair.
//!
//! Every build is `cargo rustc --release -p iterbench --lib -- --emit=asm <extra flags>` in a
//! target directory of its own, so the workspace's release profile applies exactly as it does
//! to `cargo bench` (the bench profile inherits release): same opt-level, same codegen units,
//! same debug setting. With several codegen units rustc writes one `.s` per unit; all are read.
//! The rustc command cargo actually ran is recorded, and the labels are read from it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::asm::{self, AsmFile, Comparison};
use crate::binary_check::{self, BinaryCheck};
use crate::command;
use crate::error::{Error, Result, io};
use crate::kernels::{self, Pair};

/// One build setting: an opt-level and a target CPU on top of the release profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BuildSetting {
    /// `-C opt-level=2` on top of the profile, or `None` for the profile's own.
    pub opt_level_override: Option<u8>,
    /// `-C target-cpu=native` on top of the profile.
    pub native_cpu: bool,
}

impl BuildSetting {
    /// The release profile as it is: what `cargo bench` measures.
    pub const BENCH_PROFILE: Self = Self {
        opt_level_override: None,
        native_cpu: false,
    };

    /// The four settings of the check: opt-level 3 (the profile's) and 2, each for the default
    /// target CPU and for this machine's.
    pub const ALL: [Self; 4] = [
        Self::BENCH_PROFILE,
        Self {
            opt_level_override: None,
            native_cpu: true,
        },
        Self {
            opt_level_override: Some(2),
            native_cpu: false,
        },
        Self {
            opt_level_override: Some(2),
            native_cpu: true,
        },
    ];

    /// Short name for command lines: `o3`, `o3-native`, `o2`, `o2-native`.
    pub fn name(&self) -> String {
        let level = self
            .opt_level_override
            .map_or("o3".to_owned(), |l| format!("o{l}"));
        if self.native_cpu {
            format!("{level}-native")
        } else {
            level
        }
    }

    /// Parses a [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The rustc flags added to the profile's.
    pub fn extra_rustc_flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if let Some(level) = self.opt_level_override {
            flags.push(format!("-Copt-level={level}"));
        }
        if self.native_cpu {
            flags.push("-Ctarget-cpu=native".to_owned());
        }
        flags
    }
}

impl std::str::FromStr for BuildSetting {
    type Err = String;

    fn from_str(name: &str) -> std::result::Result<Self, String> {
        Self::from_name(name.trim()).ok_or_else(|| {
            format!("unknown setting `{name}` (expected o3, o3-native, o2 or o2-native)")
        })
    }
}

/// Flags that change only how the assembly is printed, never the code.
fn listing_flags() -> Vec<String> {
    let mut flags = vec!["--emit=asm".to_owned()];
    if cfg!(any(target_arch = "x86", target_arch = "x86_64")) {
        flags.push("-Cllvm-args=-x86-asm-syntax=intel".to_owned());
    }
    flags
}

/// The assembly of the kernels under one setting.
#[derive(Debug, Clone)]
pub struct AsmBuild {
    /// The setting asked for.
    pub setting: BuildSetting,
    /// `opt-level=N, target-cpu=X`, read from the rustc command cargo ran.
    pub label: String,
    /// The rustc command line cargo ran for the crate.
    pub rustc_command: String,
    /// The `.s` files written.
    pub files: Vec<AsmFile>,
}

/// Builds the crate's assembly under `setting` in `target_dir`.
pub fn build(workspace: &Path, target_dir: &Path, setting: BuildSetting) -> Result<AsmBuild> {
    let manifest = workspace.join("Cargo.toml");
    let deps = target_dir.join("release").join("deps");
    // The .s files are a side output cargo does not track: clean the crate so it is rebuilt
    // and stale listings from an earlier setting cannot be read.
    command::run(
        Command::new(command::cargo())
            .args(["clean", "--release", "-p", "iterbench", "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(target_dir),
    )?;
    remove_listings(&deps)?;
    let output = command::run(
        Command::new(command::cargo())
            .args([
                "rustc",
                "-v",
                "--release",
                "-p",
                "iterbench",
                "--lib",
                "--manifest-path",
            ])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(target_dir)
            .arg("--")
            .args(listing_flags())
            .args(setting.extra_rustc_flags()),
    )?;
    let log = String::from_utf8_lossy(&output.stderr);
    let rustc_command = log
        .lines()
        .find(|l| l.contains("Running `") && l.contains("--crate-name iterbench "))
        .map(|l| {
            l.trim()
                .trim_start_matches("Running `")
                .trim_end_matches('`')
                .to_owned()
        })
        .ok_or_else(|| Error::Parse {
            what: "cargo rustc -v output".into(),
            detail: "no rustc command for iterbench (was the crate not rebuilt?)".into(),
        })?;
    let files = read_listings(&deps)?;
    if files.is_empty() {
        return Err(Error::Parse {
            what: deps.display().to_string(),
            detail: "rustc wrote no iterbench .s file".into(),
        });
    }
    Ok(AsmBuild {
        setting,
        label: label_from_command(&rustc_command),
        rustc_command,
        files,
    })
}

/// The crate's `.s` files in `deps` (`iterbench-<hash>.s`, or one per codegen unit).
fn listing_paths(deps: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(deps) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(deps)(e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(io(deps))?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("iterbench-") && name.ends_with(".s") {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn remove_listings(deps: &Path) -> Result<()> {
    for path in listing_paths(deps)? {
        std::fs::remove_file(&path).map_err(io(&path))?;
    }
    Ok(())
}

fn read_listings(deps: &Path) -> Result<Vec<AsmFile>> {
    listing_paths(deps)?
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            Ok(AsmFile { name, text })
        })
        .collect()
}

/// `opt-level=N, target-cpu=X` from a rustc command line: the last value of each flag wins, as
/// in rustc; no `target-cpu` flag means the target's default CPU.
pub fn label_from_command(rustc_command: &str) -> String {
    let last = |key: &str| {
        rustc_command
            .split_whitespace()
            .rev()
            .find_map(|word| {
                word.trim_matches('\'')
                    .trim_start_matches("-C")
                    .strip_prefix(key)
            })
            .map(str::to_owned)
    };
    let opt_level = last("opt-level=").unwrap_or_else(|| "0".to_owned());
    let cpu = last("target-cpu=").unwrap_or_else(|| "default".to_owned());
    format!("opt-level={opt_level}, target-cpu={cpu}")
}

/// One pair compared under one setting.
#[derive(Debug, Clone, Serialize)]
pub struct PairResult {
    /// Why the pair is compared.
    pub why: &'static str,
    /// `a vs b [label]: ...`.
    pub verdict_line: String,
    /// The comparison.
    #[serde(flatten)]
    pub comparison: Comparison,
    /// Unified diff of the normalized listings (empty when identical).
    pub unified_diff: String,
}

/// Every pair under one setting.
#[derive(Debug, Clone, Serialize)]
pub struct SettingResult {
    /// Short name (`o3`, `o3-native`, ...).
    pub name: String,
    /// `opt-level=N, target-cpu=X`.
    pub label: String,
    /// Whether this is the build `cargo bench` measures.
    pub measured_by_cargo_bench: bool,
    /// rustc flags added to the release profile's.
    pub extra_rustc_flags: Vec<String>,
    /// The rustc command cargo ran.
    pub rustc_command: String,
    /// The pairs, in [`kernels::PAIRS`] order.
    pub pairs: Vec<PairResult>,
    /// The listing checked against the bench executable (only for the bench-profile setting,
    /// and only when asked for).
    pub binary_check: Option<BinaryCheck>,
}

/// Compares every pair of [`kernels::PAIRS`] in one build's assembly.
pub fn compare_pairs(build: &AsmBuild, context: usize) -> Result<SettingResult> {
    let pairs = kernels::PAIRS
        .iter()
        .map(|pair: &Pair| {
            let comparison = asm::compare_symbols(&build.files, pair.a, pair.b)?;
            Ok(PairResult {
                why: pair.why,
                verdict_line: comparison.verdict_line(&build.label),
                unified_diff: comparison.unified_diff(context),
                comparison,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SettingResult {
        name: build.setting.name(),
        label: build.label.clone(),
        measured_by_cargo_bench: build.setting == BuildSetting::BENCH_PROFILE,
        extra_rustc_flags: build.setting.extra_rustc_flags(),
        rustc_command: build.rustc_command.clone(),
        pairs,
        binary_check: None,
    })
}

/// Builds and compares under each setting, in order. With `bench_executable`, the
/// bench-profile listing is also checked against that executable's machine code.
pub fn run(
    settings: &[BuildSetting],
    target_dir: &Path,
    context: usize,
    bench_executable: Option<&Path>,
) -> Result<Vec<SettingResult>> {
    let workspace = command::workspace_root();
    settings
        .iter()
        .map(|&setting| {
            let build = build(&workspace, target_dir, setting)?;
            let mut result = compare_pairs(&build, context)?;
            if let Some(executable) = bench_executable.filter(|_| result.measured_by_cargo_bench) {
                result.binary_check = Some(binary_check::check(&build.files, executable)?);
            }
            Ok(result)
        })
        .collect()
}

/// The default target directory of the check, apart from the workspace's own builds.
pub fn default_target_dir() -> PathBuf {
    command::target_dir().join("asm-check")
}

/// The text report: settings, one verdict line per pair and setting, then per pair and
/// setting the folds, the instruction counts and the diff.
pub fn render(results: &[SettingResult]) -> String {
    let mut out = String::from("Settings (release profile of the workspace, plus):\n");
    for s in results {
        let flags = if s.extra_rustc_flags.is_empty() {
            "nothing".to_owned()
        } else {
            s.extra_rustc_flags.join(" ")
        };
        let bench = if s.measured_by_cargo_bench {
            "  <- what `cargo bench` measures"
        } else {
            ""
        };
        out += &format!("  [{}] ({}): {flags}{bench}\n", s.label, s.name);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_reads_the_last_flag_values() {
        let cmd = "rustc --crate-name iterbench -C opt-level=3 -C debuginfo=line-tables-only --emit=asm -Copt-level=2 -Ctarget-cpu=native";
        assert_eq!(label_from_command(cmd), "opt-level=2, target-cpu=native");
        assert_eq!(
            label_from_command("rustc -C opt-level=3"),
            "opt-level=3, target-cpu=default"
        );
    }

    #[test]
    fn setting_names_round_trip() {
        for setting in BuildSetting::ALL {
            assert_eq!(BuildSetting::from_name(&setting.name()), Some(setting));
        }
        assert!(BuildSetting::BENCH_PROFILE.extra_rustc_flags().is_empty());
    }
}
