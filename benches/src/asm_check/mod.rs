//! The assembly check: compile the kernels under each build setting, compare each pair.
//!
//! Every build is `cargo rustc --release -p iterbench --lib -- --emit=asm <flags>` in a target
//! directory of its own, so the workspace's release profile applies as it does to
//! `cargo bench` (the bench profile inherits release): same opt-level, same codegen units (see
//! [`build::build`] for why they are restated), same debug setting. With several codegen units
//! rustc writes one `.s` per unit; all are read. The rustc command cargo actually ran is
//! recorded, and the labels are read from it.

mod build;
mod render;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::asm::{self, Comparison};
use crate::binary_check::{self, BinaryCheck};
use crate::command;
use crate::error::Result;
use crate::kernels::{self, Pair};

pub use build::{AsmBuild, build, label_from_command};
pub use render::render;

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
    /// rustc flags added to the release profile's (besides the listing flags and the
    /// restated codegen-units default).
    pub extra_rustc_flags: Vec<String>,
    /// Codegen units of the build.
    pub codegen_units: String,
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
        codegen_units: build.codegen_units.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_names_round_trip() {
        for setting in BuildSetting::ALL {
            assert_eq!(BuildSetting::from_name(&setting.name()), Some(setting));
        }
        assert!(BuildSetting::BENCH_PROFILE.extra_rustc_flags().is_empty());
    }
}
