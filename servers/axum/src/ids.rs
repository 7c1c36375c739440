//! Ids in paths: `0|[1-9][0-9]*` whose value fits in u64, taken from the raw (still
//! percent-encoded) path, so that `%31` is rejected rather than decoded to `1`.
//!
//! The same canonical-decimal rule serves `?limit=`/`?offset=` and the JSON integers of the
//! read-state body, so it lives here once.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::errors::ApiError;

/// Parses a canonical unsigned decimal: ASCII digits, no sign, no leading zero (except `0`
/// itself), no whitespace, value within u64. `str::parse::<u64>` alone would accept `+5`
/// and `007`, which the contract rejects.
pub(crate) fn parse_canonical_u64(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let canonical = match bytes {
        [] => false,
        [b'0'] => true,
        [first, rest @ ..] => {
            (b'1'..=b'9').contains(first) && rest.iter().all(|byte| byte.is_ascii_digit())
        }
    };
    if !canonical {
        return None;
    }
    // Only digits are left, so the one error `parse` can still report is overflow.
    text.parse().ok()
}

/// The ids of a route whose last `N` path segments are ids (`/users/{id}`,
/// `/read_states/{user_id}/{channel_id}`), read from the raw path: axum's `Path`
/// percent-decodes, which would let `/users/%31` through as `1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ids<const N: usize>(pub [u64; N]);

impl<const N: usize> Ids<N> {
    fn from_path(path: &str) -> Result<Self, ApiError> {
        let mut ids = [0; N];
        let mut segments = path.rsplit('/');
        for id in ids.iter_mut().rev() {
            let segment = segments.next().ok_or(ApiError::InvalidId)?;
            *id = parse_canonical_u64(segment).ok_or(ApiError::InvalidId)?;
        }
        Ok(Self(ids))
    }
}

impl<S: Send + Sync, const N: usize> FromRequestParts<S> for Ids<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Self::from_path(parts.uri.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_canonical_decimals() {
        assert_eq!(parse_canonical_u64("0"), Some(0));
        assert_eq!(parse_canonical_u64("7"), Some(7));
        assert_eq!(parse_canonical_u64("1234567890"), Some(1_234_567_890));
        assert_eq!(parse_canonical_u64("18446744073709551615"), Some(u64::MAX));
    }

    #[test]
    fn rejects_everything_else() {
        for text in [
            "",
            "+5",
            "-5",
            "-0",
            "00",
            "007",
            " 5",
            "5 ",
            "5a",
            "a",
            "0x10",
            "1e3",
            "1.0",
            "%31",
            "\u{0661}", // ARABIC-INDIC DIGIT ONE: a Unicode digit, not an ASCII one
            "18446744073709551616",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_canonical_u64(text), None, "{text:?}");
        }
    }

    #[test]
    fn takes_the_last_segments_of_the_raw_path() {
        assert_eq!(Ids::<1>::from_path("/users/42"), Ok(Ids([42])));
        assert_eq!(
            Ids::<2>::from_path("/read_states/0/18446744073709551615"),
            Ok(Ids([0, u64::MAX]))
        );
        assert_eq!(
            Ids::<1>::from_path("/users/%34%32"),
            Err(ApiError::InvalidId)
        );
        assert_eq!(
            Ids::<2>::from_path("/read_states/1/01"),
            Err(ApiError::InvalidId)
        );
        assert_eq!(
            Ids::<2>::from_path("/read_states/x/1"),
            Err(ApiError::InvalidId)
        );
    }
}
