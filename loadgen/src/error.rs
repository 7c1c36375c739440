//! The errors loadgen's commands return, each with the exit code it maps to (documented in
//! `--help` and README). main turns them into a message exactly once.

use server_launcher::LaunchError;

use crate::output::OutputError;
use crate::plan::PlanError;
use crate::workload::SetupError;

#[derive(Debug, thiserror::Error)]
pub enum LoadgenError {
    #[error(transparent)]
    InvalidPlan(#[from] PlanError),
    #[error(transparent)]
    Launch(#[from] LaunchError),
    #[error("cannot reach {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// `--out` cannot hold results: found before any load is sent.
    #[error("--out: {0}")]
    OutDir(OutputError),
    #[error("{0}")]
    Report(String),
    #[error(transparent)]
    Rendering(#[from] crate::report::ReportError),
    #[error("cannot start the load generator's threads: {0}")]
    Threads(std::io::Error),
    #[error(transparent)]
    Merge(#[from] crate::merge::MergeError),
}

impl LoadgenError {
    /// 2: bad arguments; 3: the target could not be built, started or reached; 1: the rest.
    pub fn exit_code(&self) -> i32 {
        match self {
            LoadgenError::InvalidPlan(_) | LoadgenError::OutDir(_) => 2,
            LoadgenError::Launch(_) | LoadgenError::Unreachable { .. } | LoadgenError::Setup(_) => {
                3
            }
            LoadgenError::Output(_)
            | LoadgenError::Report(_)
            | LoadgenError::Rendering(_)
            | LoadgenError::Threads(_) => 1,
            LoadgenError::Merge(error) => error.exit_code(),
        }
    }
}

/// Exit code of a run whose results were saved but that ended before its duration.
pub const EXIT_INCOMPLETE: i32 = 4;
/// Exit code of a constant-rate run that did not reach its rate (results saved).
pub const EXIT_BEHIND_SCHEDULE: i32 = 5;
/// Exit code of `compare` when a figure named in `--fail-on` regressed beyond the threshold.
pub const EXIT_REGRESSED: i32 = 6;
