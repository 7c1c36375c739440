//! Which reference server: the axum one or the Go one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the two reference servers that implement `docs/API.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerKind {
    /// `rust-server`: axum on tokio, crate `servers/axum`.
    Rust,
    /// `go-server`: Go `net/http`, module `go-baseline/`.
    Go,
}

impl ServerKind {
    /// Both kinds, Rust first (the order used in tables and reports).
    pub const ALL: [ServerKind; 2] = [ServerKind::Rust, ServerKind::Go];

    /// The executable's file name: `rust-server` or `go-server`.
    pub fn binary_name(self) -> &'static str {
        match self {
            ServerKind::Rust => "rust-server",
            ServerKind::Go => "go-server",
        }
    }

    /// The short name used on command lines and in results: `rust` or `go`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerKind::Rust => "rust",
            ServerKind::Go => "go",
        }
    }
}

impl fmt::Display for ServerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A server name other than `rust` or `go`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown server kind `{0}` (expected `rust` or `go`)")]
pub struct ParseServerKindError(pub String);

impl FromStr for ServerKind {
    type Err = ParseServerKindError;

    /// Accepts `rust` and `go` (case-insensitive), and the binary names as aliases.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "rust" | "rust-server" => Ok(ServerKind::Rust),
            "go" | "go-server" => Ok(ServerKind::Go),
            _ => Err(ParseServerKindError(text.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_round_trip() {
        for kind in ServerKind::ALL {
            assert_eq!(kind.to_string().parse::<ServerKind>(), Ok(kind));
            assert_eq!(kind.binary_name().parse::<ServerKind>(), Ok(kind));
        }
        assert_eq!("Go".parse::<ServerKind>(), Ok(ServerKind::Go));
        let error = "java".parse::<ServerKind>().unwrap_err();
        assert!(error.to_string().contains("`java`"), "{error}");
    }

    #[test]
    fn serializes_lowercase() {
        assert_eq!(serde_json::to_string(&ServerKind::Go).unwrap(), "\"go\"");
    }
}
