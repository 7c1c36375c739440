//! The environment a server starts with: nothing inherited that could tune it.
//!
//! A `GOGC=50` or `LD_PRELOAD=libjemalloc.so` left in the shell that runs the study would
//! silently change one server and not the other, and the result would not say so. So the
//! launcher clears the child's environment and passes through only [`PASSED_THROUGH`], which
//! tune nothing, plus the settings of the launch (the variant's `GOGC`/`GOMEMLIMIT`, the GC
//! trace's `GODEBUG`). The full environment the server got is recorded; so are the names
//! (never the values) of recognised tuning variables that were dropped.

use std::collections::BTreeMap;
use std::ffi::OsString;

use serde::{Deserialize, Serialize};

/// Inherited as they are: where to find programs and files, nothing a runtime reads to tune
/// itself.
pub const PASSED_THROUGH: [&str; 3] = ["PATH", "HOME", "TMPDIR"];

/// Prefixes of variables that tune a Go runtime or an allocator: `GO*` (GOGC, GOMEMLIMIT,
/// GOMAXPROCS, GOEXPERIMENT, GODEBUG, GOAMD64, ...), glibc's `MALLOC_*` (MALLOC_ARENA_MAX,
/// ...), `MIMALLOC_*` and `TOKIO_*` (TOKIO_WORKER_THREADS).
const TUNING_PREFIXES: [&str; 4] = ["GO", "MALLOC_", "MIMALLOC_", "TOKIO_"];

/// Variables that swap or tune the allocator, the dynamic linker's choices or Rust's
/// thread stacks.
const TUNING_NAMES: [&str; 6] = [
    "GLIBC_TUNABLES",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "MALLOC_CONF",
    "_RJEM_MALLOC_CONF",
    "RUST_MIN_STACK",
];

/// Whether `name` is a recognised runtime or allocator tuning variable.
pub fn is_tuning_variable(name: &str) -> bool {
    TUNING_PREFIXES
        .iter()
        .any(|prefix| name.starts_with(prefix))
        || TUNING_NAMES.contains(&name)
}

/// What a server was started with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServerEnvironment {
    /// Every variable the server got, with its value.
    pub variables: BTreeMap<String, String>,
    /// Tuning variables present in the launcher's environment and not passed on (names only).
    pub dropped_tuning_variables: Vec<String>,
}

impl ServerEnvironment {
    /// The environment for a server: [`PASSED_THROUGH`] from `inherited`, then `settings`
    /// (which win). Variables that are not valid UTF-8 are not passed through.
    pub fn build<'a>(
        inherited: impl IntoIterator<Item = (OsString, OsString)>,
        settings: impl IntoIterator<Item = (&'a str, String)>,
    ) -> ServerEnvironment {
        let mut environment = ServerEnvironment::default();
        for (name, value) in inherited {
            let Some(name) = name.to_str() else { continue };
            if PASSED_THROUGH.contains(&name) {
                if let Some(value) = value.to_str() {
                    environment
                        .variables
                        .insert(name.to_string(), value.to_string());
                }
            } else if is_tuning_variable(name) {
                environment.dropped_tuning_variables.push(name.to_string());
            }
        }
        for (name, value) in settings {
            environment.variables.insert(name.to_string(), value);
        }
        environment.dropped_tuning_variables.sort_unstable();
        environment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inherited(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs
            .iter()
            .map(|(name, value)| (OsString::from(name), OsString::from(value)))
            .collect()
    }

    #[test]
    fn only_harmless_variables_pass_and_settings_win() {
        let parent = inherited(&[
            ("PATH", "/usr/bin"),
            ("HOME", "/root"),
            ("GOGC", "50"),
            ("GOMAXPROCS", "8"),
            ("GODEBUG", "madvdontneed=1"),
            ("MALLOC_ARENA_MAX", "2"),
            ("TOKIO_WORKER_THREADS", "4"),
            ("LD_PRELOAD", "/usr/lib/libjemalloc.so"),
            ("SECRET_TOKEN", "hunter2"),
            ("LANG", "C.UTF-8"),
        ]);
        let environment =
            ServerEnvironment::build(parent, [("GOGC", "400".to_string()), ("PATH", "/x".into())]);
        let expected: BTreeMap<String, String> =
            [("GOGC", "400"), ("HOME", "/root"), ("PATH", "/x")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        assert_eq!(environment.variables, expected);
        assert_eq!(
            environment.dropped_tuning_variables,
            [
                "GODEBUG",
                "GOGC",
                "GOMAXPROCS",
                "LD_PRELOAD",
                "MALLOC_ARENA_MAX",
                "TOKIO_WORKER_THREADS"
            ]
        );
    }

    #[test]
    fn recognises_tuning_variables() {
        for name in [
            "GOEXPERIMENT",
            "GOAMD64",
            "MIMALLOC_ARENA_EAGER_COMMIT",
            "RUST_MIN_STACK",
            "GLIBC_TUNABLES",
        ] {
            assert!(is_tuning_variable(name), "{name}");
        }
        for name in ["PATH", "HOME", "USER", "TERM", "CARGO", "RUST_BACKTRACE"] {
            assert!(!is_tuning_variable(name), "{name}");
        }
    }
}
