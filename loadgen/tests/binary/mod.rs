//! Helpers shared by the tests that run the `loadgen` binary.

use std::process::{Command, Output};

/// Runs the `loadgen` binary built for these tests with `args`, to completion.
pub fn loadgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(args)
        .output()
        .expect("loadgen runs")
}

/// The run's stderr, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
