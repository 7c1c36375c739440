//! What can go wrong while building, starting, measuring or stopping a server.

use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

use crate::{ServerKind, StopReport};

/// An error of this crate. Each variant is a kind a caller can match on; its message says
/// what happened and, where there is one, what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// `go` is not on PATH, so the Go server cannot be built.
    #[error(
        "cannot build go-server: the `go` command was not found on PATH ({source}); \
         install Go 1.24 or newer (https://go.dev/dl/) and make sure `go version` works"
    )]
    GoMissing {
        /// The error of the failed spawn.
        source: std::io::Error,
    },

    /// The build tool ran and failed, or could not be run at all.
    #[error("building {binary} failed: `{command}` {detail}\n{stderr_tail}")]
    Build {
        /// The executable being built (`rust-server`, `go-server`, `pingora-proxy`, ...).
        binary: String,
        /// The command line, for the user to re-run by hand.
        command: String,
        /// How it failed (exit status, or why it could not start).
        detail: String,
        /// The end of the tool's stderr (compiler errors).
        stderr_tail: String,
    },

    /// The launch request itself is unusable (no threads, a CPU index out of range, ...).
    #[error("invalid launch request: {0}")]
    InvalidSpec(String),

    /// The server binary could not be executed.
    #[error(
        "cannot execute {binary}: {source} (build it first with `ensure_built`, or check the path)"
    )]
    Spawn {
        /// The executable that was to be run.
        binary: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },

    /// The server neither printed its `listening on` line nor answered `/healthz` in time.
    #[error(
        "{kind} server did not become ready within {timeout:?} (waiting for {waiting_for}); \
         a large --read-states prefill needs a longer startup timeout. stderr:\n{stderr_tail}"
    )]
    StartupTimeout {
        /// Which server.
        kind: ServerKind,
        /// The startup timeout that ran out.
        timeout: Duration,
        /// The step that did not complete: the listening line or a 200 from /healthz.
        waiting_for: &'static str,
        /// The end of the server's stderr.
        stderr_tail: String,
    },

    /// The server exited before it was ready.
    #[error("{kind} server exited during start-up with {status}. stderr:\n{stderr_tail}")]
    ExitedEarly {
        /// Which server.
        kind: ServerKind,
        /// Its exit status.
        status: ExitStatus,
        /// The end of its stderr, which usually says why.
        stderr_tail: String,
    },

    /// The first stdout line was not `listening on http://HOST:PORT`.
    #[error(
        "{kind} server printed {line:?} where `listening on http://HOST:PORT` was expected \
         (see docs/API.md, \"Command line\")"
    )]
    BadListeningLine {
        /// Which server.
        kind: ServerKind,
        /// The line it printed.
        line: String,
    },

    /// `/proc/PID/...` could not be read or parsed.
    #[error("cannot read usage of process {pid} from {path}: {reason}")]
    Proc {
        /// The process.
        pid: u32,
        /// The file that failed.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// A control request (`/healthz`, `/debug/stats`) failed.
    #[error("GET {url} failed: {reason}")]
    Http {
        /// The URL requested.
        url: String,
        /// The transport error, unexpected status or unparsable body.
        reason: String,
    },

    /// A signal could not be sent, or the process could not be waited for.
    #[error("cannot {action} process {pid}: {source}")]
    Process {
        /// The process.
        pid: u32,
        /// What was attempted (`send SIGTERM to`, `wait for`, ...).
        action: &'static str,
        /// The operating system's reason.
        source: std::io::Error,
    },

    /// The server had already exited when asked to stop, ignored SIGTERM for
    /// [`crate::STOP_GRACE`], or exited with a non-zero status; the report says which.
    #[error(
        "{kind} server did not stop cleanly: {}. stderr:\n{}",
        describe_stop(report), report.stderr_tail
    )]
    UncleanStop {
        /// Which server.
        kind: ServerKind,
        /// What happened, with the usage figures that were still collected.
        report: Box<StopReport>,
    },
}

fn describe_stop(report: &StopReport) -> String {
    if !report.was_running {
        format!(
            "it had already exited ({}) before the stop",
            report.exit_status
        )
    } else if report.forced_kill {
        format!(
            "it did not exit within {:?} of SIGTERM and was killed",
            crate::STOP_GRACE
        )
    } else {
        format!(
            "after SIGTERM it exited with {} instead of 0",
            report.exit_status
        )
    }
}
