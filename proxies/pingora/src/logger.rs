//! Pingora logs through the `log` facade. The proxy keeps its warnings and errors, on stderr,
//! and nothing below (no per-request line): nginx's `error_log ... warn` with `access_log off`.

use std::io::Write;

use log::{LevelFilter, Log, Metadata, Record};

struct StderrLogger;

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            // A failed write to stderr has nowhere better to go.
            let _ = writeln!(
                std::io::stderr().lock(),
                "{} {}: {}",
                record.level(),
                record.target(),
                record.args()
            );
        }
    }

    fn flush(&self) {}
}

/// Sends warnings and errors to stderr; a second call changes nothing.
pub fn install_stderr_logger() {
    if log::set_logger(&StderrLogger).is_ok() {
        log::set_max_level(LevelFilter::Warn);
    }
}
