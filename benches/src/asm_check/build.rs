//! Building the crate's assembly listing under one setting with cargo.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::BuildSetting;
use crate::asm::AsmFile;
use crate::command;
use crate::error::{Error, Result, io};

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
    /// Codegen units of the build, read from the rustc command.
    pub codegen_units: String,
    /// The rustc command line cargo ran for the crate.
    pub rustc_command: String,
    /// The `.s` files written.
    pub files: Vec<AsmFile>,
}

/// rustc's default number of codegen units for a non-incremental build, which the release
/// profile uses unless it sets its own.
const RELEASE_DEFAULT_CODEGEN_UNITS: u32 = 16;

/// Builds the crate's assembly under `setting` in `target_dir`.
///
/// Asked for assembly with no explicit `-C codegen-units`, rustc quietly compiles a single
/// codegen unit without local ThinLTO, which is not the build `cargo bench` runs. So the
/// release default is restated; if the profile sets its own value, the crate is built again
/// without ours, so that the profile's applies.
pub fn build(workspace: &Path, target_dir: &Path, setting: BuildSetting) -> Result<AsmBuild> {
    let with_default = compile(
        workspace,
        target_dir,
        setting,
        Some(RELEASE_DEFAULT_CODEGEN_UNITS),
    )?;
    if profile_sets_codegen_units(&with_default.rustc_command) {
        compile(workspace, target_dir, setting, None)
    } else {
        Ok(with_default)
    }
}

/// Whether cargo's own flags (those before ours, which start at `--emit=asm`) set codegen units.
fn profile_sets_codegen_units(rustc_command: &str) -> bool {
    let cargo_part = rustc_command
        .split(" --emit=asm")
        .next()
        .unwrap_or_default();
    cargo_part.contains("codegen-units=")
}

fn compile(
    workspace: &Path,
    target_dir: &Path,
    setting: BuildSetting,
    codegen_units: Option<u32>,
) -> Result<AsmBuild> {
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
            .args(codegen_units.map(|n| format!("-Ccodegen-units={n}")))
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
            what: format!("cargo rustc -v output, setting {}", setting.name()),
            detail: "no rustc command for iterbench (was the crate not rebuilt?)".into(),
        })?;
    let files = read_listings(&deps)?;
    if files.is_empty() {
        let present: Vec<String> = std::fs::read_dir(&deps)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| name.contains("iterbench"))
                    .collect()
            })
            .unwrap_or_default();
        return Err(Error::Parse {
            what: format!("{}, setting {}", deps.display(), setting.name()),
            detail: format!(
                "rustc wrote no iterbench .s file (iterbench files there: {present:?}; rustc: {rustc_command})"
            ),
        });
    }
    Ok(AsmBuild {
        setting,
        label: label_from_command(&rustc_command),
        codegen_units: last_flag_value(&rustc_command, "codegen-units=")
            .unwrap_or_else(|| "1 (rustc's choice for --emit=asm)".to_owned()),
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
    let opt_level = last_flag_value(rustc_command, "opt-level=").unwrap_or_else(|| "0".to_owned());
    let cpu = last_flag_value(rustc_command, "target-cpu=").unwrap_or_else(|| "default".to_owned());
    format!("opt-level={opt_level}, target-cpu={cpu}")
}

/// The last value of a `-C key=value` flag on a rustc command line (the one rustc uses).
fn last_flag_value(rustc_command: &str, key: &str) -> Option<String> {
    rustc_command
        .split_whitespace()
        .rev()
        .find_map(|word| {
            word.trim_matches('\'')
                .trim_start_matches("-C")
                .strip_prefix(key)
        })
        .map(str::to_owned)
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
    fn codegen_units_from_the_profile_are_told_from_ours() {
        let ours = "rustc --crate-name iterbench -C opt-level=3 --emit=asm -Ccodegen-units=16";
        let profile =
            "rustc --crate-name iterbench -C codegen-units=4 --emit=asm -Ccodegen-units=16";
        assert!(!profile_sets_codegen_units(ours));
        assert!(profile_sets_codegen_units(profile));
        assert_eq!(
            last_flag_value(profile, "codegen-units=").as_deref(),
            Some("16")
        );
    }
}
