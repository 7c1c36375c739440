//! The library's error type: one kind per thing that can go wrong, for callers to match on.

use std::path::PathBuf;

/// What went wrong while building, measuring or summarizing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No criterion estimates at all: the benchmarks have not been run (or ran elsewhere).
    #[error(
        "no criterion results under {dir}{}: run `cargo bench -p iterbench --bench iter_vs_loop` first \
         (or pass --criterion-dir)",
        since_unix_s.map(|s| format!(" written since {s} (--since)")).unwrap_or_default()
    )]
    NoCriterionResults {
        /// The directory searched.
        dir: PathBuf,
        /// Results older than this were ignored.
        since_unix_s: Option<u64>,
    },
    /// A command (cargo, rustc, valgrind) could not be started or failed.
    #[error("`{command}` failed ({status}):\n{output_tail}")]
    Command {
        /// The command line, for the message.
        command: String,
        /// Exit status or the reason it did not start.
        status: String,
        /// The last lines of its output.
        output_tail: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file or a tool's output did not have the expected form.
    #[error("{what}: {detail}")]
    Parse {
        /// What was being read.
        what: String,
        /// What was wrong with it.
        detail: String,
    },
    /// The assembly could not be compared.
    #[error(transparent)]
    Asm(#[from] crate::asm::AsmError),
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// An [`Error::Io`] for `path`.
pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io { path, source }
}
