//! What a server answered, reduced to what the contract compares: status, `content-type`,
//! `allow` (as a set) and the body.

use std::collections::BTreeSet;
use std::fmt;

use server_launcher::http::Response;

use crate::request::show_bytes;

/// The compared parts of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// The `content-type` value, if any.
    pub content_type: Option<String>,
    /// The methods of every `allow` field, if there was one.
    pub allow: Option<BTreeSet<String>>,
    /// The body (empty for `HEAD`).
    pub body: Vec<u8>,
    /// Bytes after the response's end (a body sent on a `HEAD` response shows up here).
    pub trailing: Vec<u8>,
}

impl Answer {
    /// Reduces a parsed response.
    pub fn from_response(response: Response) -> Answer {
        let allow_fields: Vec<&str> = response
            .headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("allow"))
            .map(|(_, value)| value.as_str())
            .collect();
        let allow = (!allow_fields.is_empty()).then(|| {
            allow_fields
                .iter()
                .flat_map(|value| value.split(','))
                .map(|method| method.trim().to_string())
                .filter(|method| !method.is_empty())
                .collect()
        });
        Answer {
            status: response.status,
            content_type: response.header("content-type").map(str::to_string),
            allow,
            body: response.body,
            trailing: response.trailing,
        }
    }

    /// The differences from `other` (empty if none), comparing bodies after
    /// [`normalize_body`]; `allow` is compared only on 405 answers, where it is specified.
    pub fn differences(&self, other: &Answer) -> Vec<String> {
        let mut problems = Vec::new();
        if self.status != other.status {
            problems.push("status".to_string());
        }
        if !same_content_type(self.content_type.as_deref(), other.content_type.as_deref()) {
            problems.push("content-type".to_string());
        }
        if (self.status == 405 || other.status == 405) && self.allow != other.allow {
            problems.push("allow".to_string());
        }
        if normalize_body(&self.body) != normalize_body(&other.body) {
            problems.push("body".to_string());
        }
        if self.trailing != other.trailing {
            problems.push("bytes after the response".to_string());
        }
        problems
    }
}

/// Media types compare case-insensitively (RFC 9110 section 8.3.1).
pub fn same_content_type(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (None, None) => true,
        _ => false,
    }
}

/// The body with every `"updated_at_ms":<digits>` value replaced by `0`: the timestamp of a
/// read state is the only part of an answer whose value the contract leaves open.
pub fn normalize_body(body: &[u8]) -> Vec<u8> {
    replace_number_after(body, b"\"updated_at_ms\":")
}

/// `bytes` with the run of ASCII digits after every occurrence of `key` replaced by `0`.
pub fn replace_number_after(bytes: &[u8], key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(key) {
            out.extend_from_slice(key);
            at += key.len();
            let digits = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 {
                out.push(b'0');
                at += digits;
            }
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

/// `405 application/json allow={GET, HEAD} b"{...}"`.
impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.status,
            self.content_type.as_deref().unwrap_or("(no content-type)")
        )?;
        if let Some(allow) = &self.allow {
            let methods: Vec<&str> = allow.iter().map(String::as_str).collect();
            write!(f, " allow={{{}}}", methods.join(", "))?;
        }
        write!(f, " {}", show_bytes(&self.body))?;
        if !self.trailing.is_empty() {
            write!(f, " then {}", show_bytes(&self.trailing))?;
        }
        Ok(())
    }
}

/// A server's answer, or why there was none (a timeout, a reset, a dead server).
pub type Outcome = Result<Answer, String>;

/// Formats an outcome for a report line.
pub fn show_outcome(outcome: &Outcome) -> String {
    match outcome {
        Ok(answer) => answer.to_string(),
        Err(error) => format!("no answer: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_normalized() {
        let body = br#"{"user_id":1,"updated_at_ms":1764000000123}"#;
        assert_eq!(
            normalize_body(body),
            br#"{"user_id":1,"updated_at_ms":0}"#.to_vec()
        );
        // A string value is left alone.
        let odd = br#"{"updated_at_ms":"x"}"#;
        assert_eq!(normalize_body(odd), odd.to_vec());
    }

    #[test]
    fn allow_is_a_set() {
        let response = Response {
            status: 405,
            headers: vec![
                ("Allow".into(), "HEAD,GET".into()),
                ("allow".into(), " POST ".into()),
            ],
            body: vec![],
            trailing: vec![],
        };
        let answer = Answer::from_response(response);
        let expected: BTreeSet<String> = ["GET", "HEAD", "POST"].map(String::from).into();
        assert_eq!(answer.allow, Some(expected));
    }
}
