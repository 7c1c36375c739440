//! Iterator chain versus manual loop, tested three ways: by time (criterion, read back by
//! [`criterion_results`]), by machine code ([`asm`], driven by [`asm_check`]) and by
//! instruction count ([`callgrind`]), gathered into one JSON file by [`summary`].
//!
//! The binaries are thin: `asm-check` prints [`asm_check::render`], `iterbench-summary`
//! writes a [`summary::Summary`], `callgrind-driver` runs one kernel for callgrind.

pub mod asm;
pub mod asm_check;
pub mod binary_check;
pub mod callgrind;
pub mod command;
pub mod criterion_results;
pub mod data;
pub mod environment;
pub mod error;
pub mod kernels;
pub mod summary;

pub use error::{Error, Result};
