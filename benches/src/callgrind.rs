//! Instruction counts under callgrind: deterministic where timings are noisy.
//!
//! The driver binary (`callgrind-driver`) builds the input, then calls the kernel through
//! [`iterbench_measure_i64`] or [`iterbench_measure_i32`]. Callgrind runs with
//! `--toggle-collect=<that wrapper>`, so only instructions executed inside the wrapper and the
//! kernel it calls are counted: input generation, allocation and process start-up are not.
//! Toggling on the wrapper rather than the kernel's own symbol stays right when the compiler
//! emits a kernel as an alias of another (callgrind names an address by one symbol only).
//! The wrapper's own few instructions are measured with a no-op kernel and subtracted.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::command;
use crate::data;
use crate::error::{Error, Result, io};
use crate::kernels::{self, Kernel};

/// Symbol callgrind collects under for `i64` kernels.
pub const TOGGLE_I64: &str = "iterbench_measure_i64";
/// Symbol callgrind collects under for `i32` kernels.
pub const TOGGLE_I32: &str = "iterbench_measure_i32";
/// Driver kernel names of the no-op baselines.
pub const NOOP_I64: &str = "noop_i64";
/// See [`NOOP_I64`].
pub const NOOP_I32: &str = "noop_i32";

/// Calls `kernel` on `numbers`; the only code callgrind counts for `i64` kernels.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn iterbench_measure_i64(kernel: fn(&[i64]) -> i64, numbers: &[i64]) -> i64 {
    // black_box after the call keeps it a call: a tail jump would leave the toggled function.
    std::hint::black_box(kernel(numbers))
}

/// Calls `kernel` on `numbers`; the only code callgrind counts for `i32` kernels.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn iterbench_measure_i32(kernel: fn(&[i32]) -> i32, numbers: &[i32]) -> i32 {
    std::hint::black_box(kernel(numbers))
}

fn noop_i64(_: &[i64]) -> i64 {
    0
}

fn noop_i32(_: &[i32]) -> i32 {
    0
}

/// Runs one kernel (or a no-op baseline) by name on `elements` fixed-seed values, through the
/// measuring wrapper. This is the body of the driver binary.
pub fn drive(kernel_name: &str, elements: usize) -> Option<i64> {
    let kernel = match kernel_name {
        NOOP_I64 => Kernel::I64(noop_i64),
        NOOP_I32 => Kernel::I32(noop_i32),
        name => kernels::by_name(name)?.kernel,
    };
    let result = match kernel {
        Kernel::I64(f) => {
            let numbers = data::numbers_i64(elements);
            iterbench_measure_i64(std::hint::black_box(f), &numbers)
        }
        Kernel::I32(f) => {
            let numbers = data::numbers_i32(elements);
            i64::from(iterbench_measure_i32(std::hint::black_box(f), &numbers))
        }
    };
    Some(result)
}

/// The instruction count of one kernel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KernelCount {
    /// Kernel name.
    pub kernel: String,
    /// Instructions executed by the kernel (wrapper overhead subtracted).
    pub instructions: u64,
    /// `instructions / elements`.
    pub instructions_per_element: f64,
    /// Instructions counted under the wrapper, before subtracting the overhead.
    pub raw_instructions: u64,
}

/// Instruction counts of every kernel at one size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstructionCounts {
    /// Input size.
    pub elements: usize,
    /// How the counts were taken.
    pub method: String,
    /// Instructions of the wrapper alone (no-op kernel), `i64` wrapper.
    pub wrapper_overhead_i64_instructions: u64,
    /// Same for the `i32` wrapper.
    pub wrapper_overhead_i32_instructions: u64,
    /// One count per kernel, in [`kernels::ALL`] order.
    pub kernels: Vec<KernelCount>,
}

/// Builds the driver in the release profile (the kernels' code is then the code `cargo bench`
/// measures) and returns its path.
pub fn build_driver() -> Result<PathBuf> {
    let manifest = command::workspace_root().join("Cargo.toml");
    let output = command::run(
        Command::new(command::cargo())
            .args([
                "build",
                "--release",
                "-p",
                "iterbench",
                "--bin",
                "callgrind-driver",
            ])
            .args([
                "--message-format=json-render-diagnostics",
                "--manifest-path",
            ])
            .arg(&manifest),
    )?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["target"]["name"] == "callgrind-driver")
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| Error::Parse {
            what: "cargo build --message-format=json".into(),
            detail: "no executable for callgrind-driver".into(),
        })
}

/// Counts every kernel at `elements` under callgrind; output files go to `out_dir`.
pub fn count_all(driver: &Path, elements: usize, out_dir: &Path) -> Result<InstructionCounts> {
    let overhead_i64 = count_one(driver, NOOP_I64, TOGGLE_I64, elements, out_dir)?;
    let overhead_i32 = count_one(driver, NOOP_I32, TOGGLE_I32, elements, out_dir)?;
    let kernels = kernels::ALL
        .iter()
        .map(|k| {
            let (toggle, overhead) = match k.kernel {
                Kernel::I64(_) => (TOGGLE_I64, overhead_i64),
                Kernel::I32(_) => (TOGGLE_I32, overhead_i32),
            };
            let raw = count_one(driver, k.name, toggle, elements, out_dir)?;
            let instructions = raw.saturating_sub(overhead);
            Ok(KernelCount {
                kernel: k.name.to_owned(),
                instructions,
                instructions_per_element: instructions as f64 / elements as f64,
                raw_instructions: raw,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(InstructionCounts {
        elements,
        method: format!(
            "valgrind --tool=callgrind --toggle-collect=<{TOGGLE_I64}|{TOGGLE_I32}> on callgrind-driver \
             (release profile), minus the same wrapper around a no-op kernel"
        ),
        wrapper_overhead_i64_instructions: overhead_i64,
        wrapper_overhead_i32_instructions: overhead_i32,
        kernels,
    })
}

/// Instructions counted under `toggle` while the driver runs `kernel`.
fn count_one(
    driver: &Path,
    kernel: &str,
    toggle: &str,
    elements: usize,
    out_dir: &Path,
) -> Result<u64> {
    let out_file = out_dir.join(format!("callgrind.{kernel}.out"));
    command::run(
        Command::new("valgrind")
            .args(["--tool=callgrind", &format!("--toggle-collect={toggle}")])
            .arg(format!("--callgrind-out-file={}", out_file.display()))
            .arg(driver)
            .args([kernel, &elements.to_string()]),
    )?;
    let text = std::fs::read_to_string(&out_file).map_err(io(&out_file))?;
    let total = parse_total(&text).ok_or_else(|| Error::Parse {
        what: out_file.display().to_string(),
        detail: "no `summary:` or `totals:` line with an Ir count".into(),
    })?;
    if total == 0 && !kernel.starts_with("noop") {
        return Err(Error::Parse {
            what: out_file.display().to_string(),
            detail: format!("zero instructions collected under {toggle}: symbol not found?"),
        });
    }
    Ok(total)
}

/// The total Ir of a callgrind output file (`summary:` line, else `totals:`).
pub fn parse_total(text: &str) -> Option<u64> {
    let value = |prefix: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(prefix))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
    };
    value("summary:").or_else(|| value("totals:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_summary_or_totals() {
        assert_eq!(parse_total("events: Ir\nsummary: 102805\n"), Some(102805));
        assert_eq!(parse_total("events: Ir\ntotals: 7\n"), Some(7));
        assert_eq!(parse_total("events: Ir\n"), None);
    }

    #[test]
    fn driver_runs_every_kernel_and_the_baselines() {
        for k in kernels::ALL {
            assert!(drive(k.name, 100).is_some(), "{}", k.name);
        }
        assert_eq!(drive(NOOP_I64, 100), Some(0));
        assert_eq!(drive(NOOP_I32, 100), Some(0));
        assert_eq!(drive("no_such_kernel", 100), None);
    }
}
