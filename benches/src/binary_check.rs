//! Cross-check of the assembly listing against the machine code `cargo bench` runs.
//!
//! The listing comes from a separate `cargo rustc --emit=asm` build. To show it is the code the
//! benchmark measured, each kernel is disassembled from the criterion bench executable with
//! `objdump` and its instruction sequence (mnemonics, alignment padding left out) is compared
//! with the listing's. Operands are not compared: the two tools print them differently
//! (`0xf5` against `245`, resolved addresses against labels), and the listing itself is what
//! the pairs are compared on.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::asm::{self, AsmFile};
use crate::command;
use crate::error::{Error, Result};
use crate::kernels;

/// One kernel: listing and binary agree or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KernelMatch {
    /// Kernel name.
    pub kernel: String,
    /// The symbol whose body was disassembled (differs if the kernel is an alias).
    pub body_symbol: String,
    /// Instructions in the listing.
    pub listing_instructions: usize,
    /// Instructions in the binary, padding left out.
    pub binary_instructions: usize,
    /// Whether the two mnemonic sequences are equal.
    pub mnemonics_match: bool,
}

/// The cross-check of every kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BinaryCheck {
    /// The bench executable disassembled.
    pub executable: PathBuf,
    /// One entry per kernel, in [`kernels::ALL`] order.
    pub kernels: Vec<KernelMatch>,
}

impl BinaryCheck {
    /// Whether every kernel matched.
    pub fn all_match(&self) -> bool {
        self.kernels.iter().all(|k| k.mnemonics_match)
    }
}

/// Builds (if needed) the criterion bench exactly as `cargo bench -p iterbench` does and
/// returns its executable.
pub fn build_bench_executable() -> Result<PathBuf> {
    let manifest = command::workspace_root().join("Cargo.toml");
    let output = command::run(
        Command::new(command::cargo())
            .args([
                "bench",
                "--no-run",
                "-p",
                "iterbench",
                "--bench",
                "iter_vs_loop",
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
        .filter(|msg| msg["target"]["name"] == "iter_vs_loop")
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| Error::Parse {
            what: "cargo bench --no-run --message-format=json".into(),
            detail: "no executable for iter_vs_loop".into(),
        })
}

/// Compares every kernel of `listing` with its code in `executable`.
pub fn check(listing: &[AsmFile], executable: &Path) -> Result<BinaryCheck> {
    let kernels = kernels::ALL
        .iter()
        .map(|k| {
            let resolved = asm::resolve(listing, k.name)?;
            let expected = listing_mnemonics(&resolved.lines);
            let disassembly = command::stdout_of(
                "objdump",
                &[
                    "-d",
                    "--no-show-raw-insn",
                    "-M",
                    "intel",
                    &format!("--disassemble={}", resolved.body_symbol),
                    &executable.to_string_lossy(),
                ],
            )?;
            let actual = objdump_mnemonics(&disassembly);
            Ok(KernelMatch {
                kernel: k.name.to_owned(),
                body_symbol: resolved.body_symbol,
                listing_instructions: expected.len(),
                binary_instructions: actual.len(),
                mnemonics_match: !actual.is_empty() && expected == actual,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(BinaryCheck {
        executable: executable.to_path_buf(),
        kernels,
    })
}

/// The mnemonics of a normalized listing's instructions.
pub fn listing_mnemonics(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|line| asm::is_instruction(line))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The mnemonics of `objdump -d --no-show-raw-insn` output, alignment padding left out
/// (`nop` in its long forms, with `cs`/`data16` prefixes, and `xchg ax,ax`), which the listing
/// writes as `.p2align`.
pub fn objdump_mnemonics(disassembly: &str) -> Vec<String> {
    disassembly
        .lines()
        .filter_map(|line| {
            // Instruction lines look like "   1a2b3:\tmov    rax,rdi".
            let (address, instruction) = line.split_once(":\t")?;
            if !address.trim().chars().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            let words: Vec<&str> = instruction.split_whitespace().collect();
            let is_padding = words.iter().any(|w| *w == "nop" || w.starts_with("nop"))
                || instruction.trim() == "xchg   ax,ax"
                || words.join(" ") == "xchg ax,ax";
            let mnemonic = words
                .iter()
                .find(|w| !matches!(**w, "cs" | "ds" | "data16" | "rex" | "rex.W"))?;
            (!is_padding).then(|| (*mnemonic).to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJDUMP: &str = "\
0000000000012340 <sum_iter>:
   12340:\ttest   rsi,rsi
   12343:\tje     12370 <sum_iter+0x30>
   12345:\tcs nop WORD PTR [rax+rax*1+0x0]
   1234f:\tnop
   12350:\tdata16 cs nop WORD PTR [rax+rax*1+0x0]
   12360:\txchg   ax,ax
   12362:\tlea    rax,[rax+r8*2]
   12366:\tret
";

    #[test]
    fn objdump_padding_is_left_out() {
        assert_eq!(objdump_mnemonics(OBJDUMP), vec!["test", "je", "lea", "ret"]);
    }

    #[test]
    fn listing_mnemonics_skip_labels_and_directives() {
        let lines: Vec<String> = [
            "test rsi, rsi",
            "je .LBB_0",
            ".p2align 4",
            ".LBB_0:",
            "ret",
            ".LCPI_0: # constant pool",
            ".quad 2",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(listing_mnemonics(&lines), vec!["test", "je", "ret"]);
    }
}
