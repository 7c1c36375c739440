//! `study.json`: what a study (`loadgen reproduce` or `sweep`) planned, how long it took and
//! what went wrong. One typed struct, written by the study and read by the report, so that the
//! two sides cannot drift apart; `schema_version` changes with its shape.

use serde::{Deserialize, Serialize};

use crate::result::Environment;

/// Bumped whenever the shape of [`StudyManifest`] changes.
pub const MANIFEST_SCHEMA_VERSION: u32 = 2;

/// The contents of `study.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyManifest {
    pub schema_version: u32,
    /// True for `reproduce --quick`: the same rules on less data.
    pub quick: bool,
    pub started_at: String,
    pub finished_at: String,
    pub elapsed_seconds: f64,
    /// The study's own estimate of its duration, made before the first run.
    pub estimated_seconds: Option<f64>,
    /// The planned steps in order, e.g. "C2: users at 4 levels × 5 repetitions × 2 servers".
    pub plan: Vec<String>,
    pub failures: u64,
    pub interrupted: bool,
    /// Skipped or failed steps and anything else the reader of the report should know.
    pub notes: Vec<String>,
    pub environment: Option<Environment>,
}

/// Why a study.json could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("not a study manifest: {0}")]
    Parse(String),
    #[error(
        "study.json schema version {found} is not the one this report reads ({MANIFEST_SCHEMA_VERSION})"
    )]
    Version { found: u32 },
}

/// Parses a study.json, refusing another schema version with a clear message.
pub fn parse(bytes: &[u8]) -> Result<StudyManifest, ManifestError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        schema_version: u32,
    }
    let version: VersionOnly =
        serde_json::from_slice(bytes).map_err(|e| ManifestError::Parse(e.to_string()))?;
    if version.schema_version != MANIFEST_SCHEMA_VERSION {
        return Err(ManifestError::Version {
            found: version.schema_version,
        });
    }
    serde_json::from_slice(bytes).map_err(|e| ManifestError::Parse(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> StudyManifest {
        StudyManifest {
            schema_version: MANIFEST_SCHEMA_VERSION,
            quick: true,
            started_at: "2026-12-02T10:00:00Z".into(),
            finished_at: "2026-12-02T10:02:00Z".into(),
            elapsed_seconds: 120.0,
            estimated_seconds: Some(150.0),
            plan: vec!["C2: users at 4 levels".into()],
            failures: 0,
            interrupted: false,
            notes: vec!["a note".into()],
            environment: None,
        }
    }

    #[test]
    fn what_the_study_writes_the_report_reads() {
        let bytes = serde_json::to_vec(&manifest()).unwrap();
        assert_eq!(parse(&bytes).unwrap(), manifest());
    }

    #[test]
    fn another_version_or_garbage_is_refused_with_a_reason() {
        let old = br#"{"schema_version":1,"quick":false,"notes":[]}"#;
        let error = parse(old).unwrap_err();
        assert!(
            matches!(error, ManifestError::Version { found: 1 }),
            "{error}"
        );
        assert!(matches!(parse(b"{"), Err(ManifestError::Parse(_))));
    }
}
