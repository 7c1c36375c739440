//! The one error type of the HTTP API: every error response is `{"error":"<message>"}` with
//! the status and the exact message that docs/API.md gives.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to the client. `Display` is the contract's message, byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No route for the path (including unclean paths: `//`, trailing `/`, dot segments).
    #[error("not found")]
    NotFound,
    /// A route exists for the path, but not for the method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A path with a malformed percent-escape (`/users/%zz`). docs/API.md fixes only the
    /// status (go-server's net/http answers it in plain text before any handler).
    #[error("malformed path")]
    MalformedPath,
    /// A path id that is not `0|[1-9][0-9]*` within u64.
    #[error("invalid id")]
    InvalidId,
    /// `GET /users/{id}` for an id never issued.
    #[error("user not found")]
    UserNotFound,
    /// `GET /read_states/...` for a key that is not (or no longer) in the cache.
    #[error("read state not found")]
    ReadStateNotFound,
    /// `?limit=` invalid or over the maximum.
    #[error("invalid limit")]
    InvalidLimit,
    /// `?offset=` invalid.
    #[error("invalid offset")]
    InvalidOffset,
    /// A request body over the limit, declared or streamed.
    #[error("body too large")]
    BodyTooLarge,
    /// Not UTF-8, not exactly one JSON value, or empty.
    #[error("malformed json")]
    MalformedJson,
    /// Valid JSON, but not an object.
    #[error("body must be a JSON object")]
    NotAnObject,
    /// A required field absent or `null`.
    #[error("missing field: {0}")]
    MissingField(&'static str),
    /// A field that must be a JSON string.
    #[error("{0} must be a string")]
    NotAString(&'static str),
    /// `name` is `""`.
    #[error("name must not be empty")]
    EmptyName,
    /// `email` has no `@`.
    #[error("email must contain @")]
    EmailWithoutAt,
    /// `message_id` is not a JSON integer in u64 range.
    #[error("message_id must be an unsigned 64-bit integer")]
    MessageIdNotU64,
    /// `mentions` is not a JSON integer in u32 range.
    #[error("mentions must be an unsigned 32-bit integer")]
    MentionsNotU32,
    /// The request was not read and answered within the request timeout. Not in the
    /// contract's table (its suite cannot wait 30 s); kept in the contract's error shape.
    #[error("request timeout")]
    RequestTimeout,
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(self) -> StatusCode {
        match self {
            Self::NotFound | Self::UserNotFound | Self::ReadStateNotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::MalformedPath
            | Self::InvalidId
            | Self::InvalidLimit
            | Self::InvalidOffset
            | Self::MalformedJson => StatusCode::BAD_REQUEST,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotAnObject
            | Self::MissingField(_)
            | Self::NotAString(_)
            | Self::EmptyName
            | Self::EmailWithoutAt
            | Self::MessageIdNotU64
            | Self::MentionsNotU32 => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        }
    }
}

/// The body of every error response.
#[derive(Serialize)]
struct ErrorBody {
    error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.to_string(),
        };
        (self.status(), Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_contracts() {
        assert_eq!(
            ApiError::MissingField("email").to_string(),
            "missing field: email"
        );
        assert_eq!(
            ApiError::NotAString("name").to_string(),
            "name must be a string"
        );
        assert_eq!(
            ApiError::MessageIdNotU64.to_string(),
            "message_id must be an unsigned 64-bit integer"
        );
    }

    #[test]
    fn statuses_follow_the_contract() {
        assert_eq!(ApiError::NotAnObject.status(), 422);
        assert_eq!(ApiError::MalformedJson.status(), 400);
        assert_eq!(ApiError::BodyTooLarge.status(), 413);
        assert_eq!(ApiError::MethodNotAllowed.status(), 405);
    }
}
