//! `GET /users?limit=&offset=`: paging parameters, parsed by hand.
//!
//! axum's `Query` (serde_urlencoded) rejects repeated keys and treats `limit=` as a parse
//! error; the contract wants the first occurrence to win and an empty value to count as
//! absent. The query is read as WHATWG `application/x-www-form-urlencoded`, which is what
//! docs/API.md specifies and what the `form_urlencoded` crate implements (the Go twin,
//! query.go, implements the same algorithm): `&` is the only separator (`;` is an ordinary
//! character), `+` decodes to a space, and a malformed percent-escape stays literal text. So
//! `?limit=%zz` and `?limit=1;offset=1` are invalid limits, never silently the default.

use std::borrow::Cow;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::errors::ApiError;
use crate::ids::parse_canonical_u64;

/// `limit` when absent.
pub const DEFAULT_LIMIT: u64 = 100;
/// The largest accepted `limit`.
pub const MAX_LIMIT: u64 = 1000;

/// A page of the user list: the users with ids `offset+1 ..= offset+limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub offset: u64,
    pub limit: u64,
}

impl Page {
    /// Parses the raw (still percent-encoded) query string; `limit` is judged first.
    fn from_query(raw_query: Option<&str>) -> Result<Self, ApiError> {
        let raw_query = raw_query.unwrap_or("");
        let limit = match first_value(raw_query, "limit") {
            None => DEFAULT_LIMIT,
            Some(text) => parse_canonical_u64(&text)
                .filter(|limit| *limit <= MAX_LIMIT)
                .ok_or(ApiError::InvalidLimit)?,
        };
        let offset = match first_value(raw_query, "offset") {
            None => 0,
            Some(text) => parse_canonical_u64(&text).ok_or(ApiError::InvalidOffset)?,
        };
        Ok(Self { offset, limit })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Self::from_query(parts.uri.query())
    }
}

/// The decoded value of the first pair named `name`, or `None` when there is none or its
/// value is empty (the first occurrence wins even when it is empty).
fn first_value<'a>(raw_query: &'a str, name: &str) -> Option<Cow<'a, str>> {
    form_urlencoded::parse(raw_query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(query: &str) -> Result<Page, ApiError> {
        Page::from_query(Some(query))
    }

    fn ok(offset: u64, limit: u64) -> Result<Page, ApiError> {
        Ok(Page { offset, limit })
    }

    #[test]
    fn defaults() {
        assert_eq!(Page::from_query(None), ok(0, DEFAULT_LIMIT));
        assert_eq!(page(""), ok(0, 100));
        assert_eq!(page("limit=&offset="), ok(0, 100));
        assert_eq!(page("limit&offset"), ok(0, 100));
        assert_eq!(page("other=1&&"), ok(0, 100));
    }

    #[test]
    fn values() {
        assert_eq!(page("limit=0"), ok(0, 0));
        assert_eq!(
            page("limit=1000&offset=18446744073709551615"),
            ok(u64::MAX, 1000)
        );
        assert_eq!(page("offset=5&limit=2"), ok(5, 2));
        // Percent-decoded like any query value.
        assert_eq!(page("%6cimit=%31%30"), ok(0, 10));
    }

    #[test]
    fn first_occurrence_wins_and_empty_counts_as_absent() {
        assert_eq!(page("limit=5&limit=abc"), ok(0, 5));
        assert_eq!(page("limit=abc&limit=5"), Err(ApiError::InvalidLimit));
        assert_eq!(page("limit=&limit=5"), ok(0, 100));
        assert_eq!(page("offset=3&offset=-1"), ok(3, 100));
    }

    #[test]
    fn whatwg_form_urlencoded() {
        // A malformed percent-escape is kept as literal text, so the value is invalid.
        assert_eq!(page("limit=%zz&limit=7"), Err(ApiError::InvalidLimit));
        assert_eq!(page("limit=%"), Err(ApiError::InvalidLimit));
        assert_eq!(page("limit=1%4"), Err(ApiError::InvalidLimit));
        assert_eq!(page("limit=5%"), Err(ApiError::InvalidLimit));
        assert_eq!(page("offset=%zz"), Err(ApiError::InvalidOffset));
        // ... and in an unknown parameter it is just ignored with it.
        assert_eq!(page("x=%zz&limit=2"), ok(0, 2));
        // `;` is an ordinary character, not a separator.
        assert_eq!(page("limit=1;offset=1"), Err(ApiError::InvalidLimit));
        assert_eq!(page("limit=5;x=1"), Err(ApiError::InvalidLimit));
        assert_eq!(page("x=1;limit=abc&limit=9"), ok(0, 9));
        // `+` is a space.
        assert_eq!(page("limit=1+"), Err(ApiError::InvalidLimit));
        assert_eq!(page("lim+it=5"), ok(0, 100));
    }

    #[test]
    fn invalid_values() {
        for bad in [
            "1001",
            "-1",
            "+1",
            "01",
            "1.0",
            "1e2",
            "abc",
            "1+",
            "%2B1",
            "99999999999999999999",
        ] {
            assert_eq!(
                page(&format!("limit={bad}")),
                Err(ApiError::InvalidLimit),
                "{bad}"
            );
        }
        for bad in ["-1", "+1", "00", "x", "18446744073709551616", " 1"] {
            assert_eq!(
                page(&format!("offset={bad}")),
                Err(ApiError::InvalidOffset),
                "{bad}"
            );
        }
        // Both invalid: limit is reported.
        assert_eq!(page("offset=x&limit=x"), Err(ApiError::InvalidLimit));
    }
}
