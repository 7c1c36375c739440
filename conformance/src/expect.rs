//! What docs/API.md says a server must answer, and the check of an answer against it.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use server_launcher::ServerKind;

use crate::answer::{Answer, same_content_type};
use crate::request::show_bytes;

/// `application/json`, the content type of every JSON answer.
pub const JSON: &str = "application/json";
/// The content type of `GET /plaintext`.
pub const TEXT: &str = "text/plain; charset=utf-8";
/// In a [`BodyPattern::Pattern`], stands for a JSON integer (one or more ASCII digits).
pub const ANY_INTEGER: &str = "{INT}";

/// The contract's answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// Status code.
    pub status: u16,
    /// Exact `content-type` (compared case-insensitively).
    pub content_type: &'static str,
    /// The `allow` methods, for a 405.
    pub allow: Option<BTreeSet<String>>,
    /// The body.
    pub body: BodyPattern,
}

/// What the body must be.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyPattern {
    /// Exactly these bytes.
    Exact(Vec<u8>),
    /// These bytes, where each [`ANY_INTEGER`] matches a JSON integer (`updated_at_ms`).
    Pattern(String),
    /// Nothing (`HEAD`).
    Empty,
    /// A `/debug/stats` document with these figures.
    Stats(StatsCheck),
}

/// The figures a `/debug/stats` answer must report; the others are checked for type only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsCheck {
    /// `threads` (and Go's `gomaxprocs`).
    pub threads: u64,
    /// `users`.
    pub users: u64,
    /// `read_states`.
    pub read_states: u64,
    /// `read_states_capacity`.
    pub read_states_capacity: u64,
}

/// The keys both servers report, in the documented order.
const SHARED_STATS_KEYS: [&str; 9] = [
    "server",
    "version",
    "threads",
    "os_threads",
    "rss_bytes",
    "users",
    "read_states",
    "read_states_capacity",
    "uptime_ms",
];

impl Expected {
    /// Which parts of `answer` (from the server `kind`) break the contract; empty if none.
    pub fn problems(&self, answer: &Answer, kind: ServerKind) -> Vec<String> {
        let mut problems = Vec::new();
        if answer.status != self.status {
            problems.push(format!(
                "status {} (expected {})",
                answer.status, self.status
            ));
        }
        if !same_content_type(answer.content_type.as_deref(), Some(self.content_type)) {
            problems.push(format!(
                "content-type {:?} (expected {:?})",
                answer.content_type, self.content_type
            ));
        }
        if let Some(allow) = &self.allow {
            if answer.allow.as_ref() != Some(allow) {
                problems.push(format!("allow {:?} (expected {allow:?})", answer.allow));
            }
        }
        if let Some(problem) = self.body.problem(&answer.body, kind) {
            problems.push(problem);
        }
        if !answer.trailing.is_empty() {
            problems.push(format!(
                "{} bytes after the end of the response",
                answer.trailing.len()
            ));
        }
        problems
    }
}

impl BodyPattern {
    fn problem(&self, body: &[u8], kind: ServerKind) -> Option<String> {
        let ok = match self {
            BodyPattern::Exact(expected) => body == expected.as_slice(),
            BodyPattern::Pattern(pattern) => matches_pattern(pattern, body),
            BodyPattern::Empty => body.is_empty(),
            BodyPattern::Stats(check) => {
                return check_stats(check, body, kind)
                    .err()
                    .map(|e| format!("stats: {e}"));
            }
        };
        (!ok).then(|| "body".to_string())
    }
}

/// True if `body` is `pattern` with each [`ANY_INTEGER`] replaced by one or more digits.
pub fn matches_pattern(pattern: &str, body: &[u8]) -> bool {
    let mut parts = pattern.split(ANY_INTEGER);
    let first = parts.next().unwrap_or("").as_bytes();
    let Some(mut rest) = body.strip_prefix(first) else {
        return false;
    };
    for part in parts {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        match rest[digits..].strip_prefix(part.as_bytes()) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

fn check_stats(check: &StatsCheck, body: &[u8], kind: ServerKind) -> Result<(), String> {
    let keys = object_keys_in_order(body).map_err(|e| format!("not a JSON object: {e}"))?;
    let shared: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|key| SHARED_STATS_KEYS.contains(key))
        .collect();
    if shared != SHARED_STATS_KEYS || keys[..SHARED_STATS_KEYS.len()] != SHARED_STATS_KEYS {
        return Err(format!(
            "keys {keys:?}: the shared keys must come first, in the order {SHARED_STATS_KEYS:?}"
        ));
    }
    let stats: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let server = match kind {
        ServerKind::Rust => "rust-axum",
        ServerKind::Go => "go-nethttp",
    };
    expect_value(&stats, "server", &Value::from(server))?;
    expect_value(&stats, "threads", &Value::from(check.threads))?;
    expect_value(&stats, "users", &Value::from(check.users))?;
    expect_value(&stats, "read_states", &Value::from(check.read_states))?;
    let capacity = Value::from(check.read_states_capacity);
    expect_value(&stats, "read_states_capacity", &capacity)?;
    if stats["version"].as_str().is_none_or(str::is_empty) {
        return Err(format!(
            "version {} is not a non-empty string",
            stats["version"]
        ));
    }
    for key in ["os_threads", "rss_bytes", "uptime_ms"] {
        expect_unsigned(&stats, key)?;
    }
    if kind == ServerKind::Go {
        expect_value(&stats, "gomaxprocs", &Value::from(check.threads))?;
        for key in [
            "gc_cycles",
            "heap_live_bytes",
            "gc_pause_p50_ns",
            "gc_pause_p99_ns",
            "gc_pause_max_ns",
        ] {
            expect_unsigned(&stats, key)?;
        }
        check_pause_buckets(&stats["gc_pause_buckets"])?;
    }
    Ok(())
}

fn check_pause_buckets(buckets: &Value) -> Result<(), String> {
    let list = buckets
        .as_array()
        .ok_or_else(|| format!("gc_pause_buckets {buckets} is not an array"))?;
    for bucket in list {
        let le_ok = bucket["le_ns"].is_null() || bucket["le_ns"].is_u64();
        let count_ok = bucket["count"].as_u64().is_some_and(|count| count > 0);
        if !le_ok || !count_ok {
            return Err(format!(
                "gc_pause_buckets entry {bucket} is not {{\"le_ns\":N|null,\"count\":N>0}}"
            ));
        }
    }
    Ok(())
}

fn expect_value(stats: &Value, key: &str, expected: &Value) -> Result<(), String> {
    if &stats[key] == expected {
        Ok(())
    } else {
        Err(format!("{key} is {} (expected {expected})", stats[key]))
    }
}

fn expect_unsigned(stats: &Value, key: &str) -> Result<(), String> {
    if stats[key].is_u64() {
        Ok(())
    } else {
        Err(format!(
            "{key} is {} (expected an unsigned integer)",
            stats[key]
        ))
    }
}

/// The keys of a JSON object in the order they appear (serde_json's `Value` sorts them).
pub fn object_keys_in_order(json: &[u8]) -> Result<Vec<String>, String> {
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut keys = Vec::new();
            while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                keys.push(key);
            }
            Ok(keys)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let keys = (&mut deserializer)
        .deserialize_map(Keys)
        .map_err(|e| e.to_string())?;
    deserializer.end().map_err(|e| e.to_string())?;
    Ok(keys)
}

/// `404 application/json b"{...}"`, with `{INT}` where any integer is accepted.
impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.content_type)?;
        if let Some(allow) = &self.allow {
            let methods: Vec<&str> = allow.iter().map(String::as_str).collect();
            write!(f, " allow={{{}}}", methods.join(", "))?;
        }
        match &self.body {
            BodyPattern::Exact(bytes) => write!(f, " {}", show_bytes(bytes)),
            BodyPattern::Pattern(pattern) => write!(f, " {}", show_bytes(pattern.as_bytes())),
            BodyPattern::Empty => write!(f, " (no body)"),
            BodyPattern::Stats(check) => write!(f, " stats with {check:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_matches_integers_only_where_marked() {
        let pattern = r#"{"a":1,"updated_at_ms":{INT}}"#;
        assert!(matches_pattern(
            pattern,
            br#"{"a":1,"updated_at_ms":1764000000000}"#
        ));
        assert!(!matches_pattern(pattern, br#"{"a":1,"updated_at_ms":}"#));
        assert!(!matches_pattern(pattern, br#"{"a":1,"updated_at_ms":1.5}"#));
        assert!(!matches_pattern(pattern, br#"{"a":1,"updated_at_ms":"1"}"#));
        assert!(!matches_pattern(
            pattern,
            br#"{"a":1,"updated_at_ms":1}
"#
        ));
        assert!(matches_pattern("plain", b"plain"));
        assert!(!matches_pattern("plain", b"plainer"));
    }

    #[test]
    fn keys_keep_their_order() {
        let keys = object_keys_in_order(br#"{"b":1,"a":[{"z":0}],"c":null}"#).unwrap();
        assert_eq!(keys, ["b", "a", "c"]);
        assert!(object_keys_in_order(b"[1]").is_err());
        assert!(object_keys_in_order(b"{} x").is_err());
    }

    fn rust_stats(users: u64) -> String {
        format!(
            r#"{{"server":"rust-axum","version":"rustc 1.95.0","threads":1,"os_threads":3,"rss_bytes":1000,"users":{users},"read_states":1000,"read_states_capacity":10000,"uptime_ms":5}}"#
        )
    }

    #[test]
    fn stats_are_checked() {
        let check = StatsCheck {
            threads: 1,
            users: 2,
            read_states: 1000,
            read_states_capacity: 10000,
        };
        assert_eq!(
            check_stats(&check, rust_stats(2).as_bytes(), ServerKind::Rust),
            Ok(())
        );
        let error = check_stats(&check, rust_stats(3).as_bytes(), ServerKind::Rust).unwrap_err();
        assert!(error.contains("users is 3"), "{error}");
        let error = check_stats(&check, rust_stats(2).as_bytes(), ServerKind::Go).unwrap_err();
        assert!(error.contains("server"), "{error}");
        let reordered = rust_stats(2).replace(
            r#""server":"rust-axum","version":"rustc 1.95.0""#,
            r#""version":"rustc 1.95.0","server":"rust-axum""#,
        );
        assert!(check_stats(&check, reordered.as_bytes(), ServerKind::Rust).is_err());
    }
}
