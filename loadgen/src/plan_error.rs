//! The error of planning: its own module, so that the modules `plan` builds on (such as
//! `shard`) can return it without importing `plan`.

/// A flag combination that cannot be run; the message says what to change.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);
