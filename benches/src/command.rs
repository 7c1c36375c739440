//! Running the tools this crate drives (cargo, rustc, valgrind) and turning failures into
//! [`Error::Command`].

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Error, Result};

/// Lines of output kept in an error message.
const TAIL_LINES: usize = 30;

/// The cargo that runs us (`cargo run` sets `CARGO`), or the one on `PATH`.
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// The rustc cargo uses (`RUSTC` if set), or the one on `PATH`.
pub fn rustc() -> PathBuf {
    std::env::var_os("RUSTC").map_or_else(|| PathBuf::from("rustc"), PathBuf::from)
}

/// The workspace root: this crate lives in `<root>/benches`.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The workspace's target directory, honouring `CARGO_TARGET_DIR` like cargo does.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target"),
    }
}

/// Runs `command` to completion; a non-zero exit is an error carrying its output's tail.
pub fn run(command: &mut Command) -> Result<Output> {
    let line = describe(command);
    let output = command.output().map_err(|e| Error::Command {
        command: line.clone(),
        status: format!("could not start: {e}"),
        output_tail: String::new(),
    })?;
    if output.status.success() {
        return Ok(output);
    }
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    Err(Error::Command {
        command: line,
        status: output.status.to_string(),
        output_tail: tail(&text),
    })
}

/// Runs `program args...` and returns its standard output as text.
pub fn stdout_of(program: impl AsRef<OsStr>, args: &[&str]) -> Result<String> {
    let output = run(Command::new(program).args(args))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The command line, for messages.
pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The last [`TAIL_LINES`] lines of `text`.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}
