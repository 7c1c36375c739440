//! Request bodies: reading them within the size limit and applying the contract's numbered
//! validation steps (docs/API.md, `POST /users` and `PUT /read_states`).
//!
//! The contract judges *JSON syntax* (RFC 8259) first and field *types* second, so the body
//! is not parsed into a `serde_json::Value`: that would turn some valid JSON into syntax
//! errors (numbers beyond f64 such as `1e400`, nesting deeper than serde_json's recursion
//! limit of 128), which the contract treats as valid JSON. Instead:
//!
//! 1. the body must be UTF-8 and exactly one JSON value (serde_json's `IgnoredAny`, whose
//!    skipping parser validates syntax without recursion or number conversion) with no lone
//!    UTF-16 surrogate escape in any string, else 400;
//! 2. that value must be an object, else 422;
//! 3. the raw text of the last occurrence of each wanted key is collected (duplicate keys:
//!    last wins), and each field is judged by its own rule.

use std::borrow::Cow;
use std::fmt;

use axum::body::{Bytes, HttpBody};
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{FromRequest, Request};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::errors::ApiError;
use crate::ids::parse_canonical_u64;

/// The largest accepted request body: 64 KiB. Installed as axum's `DefaultBodyLimit` by the
/// router; larger bodies, declared or streamed (chunked), are answered 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The body of `POST /users`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewUser {
    pub name: String,
    pub email: String,
}

/// The body of `PUT /read_states/{user_id}/{channel_id}`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReadStateUpdate {
    pub message_id: u64,
    pub mentions: u32,
}

impl NewUser {
    fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let [name, email] = object_fields(body, ["name", "email"])?;
        // Step 3: presence and type, `name` before `email`; step 4: the values.
        let name = string_field("name", name)?;
        let email = string_field("email", email)?;
        if name.is_empty() {
            return Err(ApiError::EmptyName);
        }
        if !email.contains('@') {
            return Err(ApiError::EmailWithoutAt);
        }
        Ok(Self { name, email })
    }
}

impl ReadStateUpdate {
    fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let [message_id, mentions] = object_fields(body, ["message_id", "mentions"])?;
        let message_id = present(message_id).ok_or(ApiError::MissingField("message_id"))?;
        let message_id = json_unsigned(message_id).ok_or(ApiError::MessageIdNotU64)?;
        let mentions = match present(mentions) {
            None => 0,
            Some(raw) => json_unsigned(raw)
                .and_then(|mentions| u32::try_from(mentions).ok())
                .ok_or(ApiError::MentionsNotU32)?,
        };
        Ok(Self {
            message_id,
            mentions,
        })
    }
}

impl<S: Send + Sync> FromRequest<S> for NewUser {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Self::parse(&read_body(request, state).await?)
    }
}

impl<S: Send + Sync> FromRequest<S> for ReadStateUpdate {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Self::parse(&read_body(request, state).await?)
    }
}

/// Reads the whole body within `DefaultBodyLimit`. A declared `Content-Length` over the limit
/// is refused before reading (no `100 Continue` is sent for it); a streamed body is cut off
/// at the limit by axum's `Limited` wrapper.
async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    let declared_len = request.body().size_hint().lower();
    if declared_len > MAX_BODY_BYTES as u64 {
        return Err(ApiError::BodyTooLarge);
    }
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| match rejection {
            BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
                ApiError::BodyTooLarge
            }
            // The body could not be read in full (client gone, bad chunked framing):
            // there is no JSON value to judge.
            _ => ApiError::MalformedJson,
        })
}

/// Steps 1 and 2, then the raw text of the last occurrence of each of `keys`.
fn object_fields<'a, const N: usize>(
    body: &'a [u8],
    keys: [&'static str; N],
) -> Result<[Option<&'a RawValue>; N], ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::MalformedJson)?;
    let mut syntax = serde_json::Deserializer::from_str(text);
    IgnoredAny::deserialize(&mut syntax)
        .and_then(|_| syntax.end())
        .map_err(|_| ApiError::MalformedJson)?;
    if has_lone_surrogate(text) {
        return Err(ApiError::MalformedJson);
    }
    if !text.trim_start_matches(JSON_WHITESPACE).starts_with('{') {
        return Err(ApiError::NotAnObject);
    }
    serde_json::Deserializer::from_str(text)
        .deserialize_map(LastValues { keys })
        // Unreachable after the syntax check; mapped rather than unwrapped all the same.
        .map_err(|_| ApiError::MalformedJson)
}

/// True if a valid JSON text has a `\uD800`-`\uDFFF` escape that is not half of a
/// high-low surrogate pair, in any string (keys and ignored values included).
///
/// Such a string has no UTF-8 form; RFC 8259 section 8.2 leaves its meaning open, and the
/// contract makes it malformed JSON (400), as go-server does (jsonio.go, hasLoneSurrogate).
/// `IgnoredAny` skips `\u` escapes without judging them, hence this separate pass. In valid
/// JSON a backslash occurs only inside a string and always starts an escape, so the text can
/// be scanned escape by escape without tracking quotes.
fn has_lone_surrogate(text: &str) -> bool {
    /// The code unit of the `\uXXXX` escape starting at `at`, if one starts there.
    fn code_unit(bytes: &[u8], at: usize) -> Option<u16> {
        match bytes.get(at..at + 6)? {
            [b'\\', b'u', hex @ ..] => u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok(),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|byte| *byte == b'\\') {
        at += offset;
        match code_unit(bytes, at) {
            Some(0xD800..=0xDBFF) => match code_unit(bytes, at + 6) {
                Some(0xDC00..=0xDFFF) => at += 12,
                _ => return true, // a high surrogate not followed by a low one
            },
            Some(0xDC00..=0xDFFF) => return true, // a low surrogate with no high one before it
            Some(_) => at += 6,
            None => at += 2, // a two-character escape such as \" or \\
        }
    }
    false
}

/// The four whitespace bytes of RFC 8259.
const JSON_WHITESPACE: &[char] = &[' ', '\t', '\n', '\r'];

/// `null` counts as missing.
fn present(raw: Option<&RawValue>) -> Option<&RawValue> {
    raw.filter(|raw| raw.get() != "null")
}

/// A required string field: missing/null, not a string, or its value.
fn string_field(name: &'static str, raw: Option<&RawValue>) -> Result<String, ApiError> {
    let raw = present(raw).ok_or(ApiError::MissingField(name))?;
    if !raw.get().starts_with('"') {
        return Err(ApiError::NotAString(name));
    }
    // Unreachable error: the text is a JSON string without lone surrogates (step 1).
    String::deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
        .map_err(|_| ApiError::MalformedJson)
}

/// A JSON number literal that is a non-negative integer without fraction or exponent and fits
/// in u64. JSON's integer grammar forbids leading zeros, so this is exactly the id rule.
fn json_unsigned(raw: &RawValue) -> Option<u64> {
    parse_canonical_u64(raw.get())
}

/// Collects the raw value of the last occurrence of each wanted key, skipping the others.
struct LastValues<const N: usize> {
    keys: [&'static str; N],
}

impl<'de, const N: usize> Visitor<'de> for LastValues<N> {
    type Value = [Option<&'de RawValue>; N];

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = [None; N];
        while let Some(KeyBytes(key)) = map.next_key()? {
            match self
                .keys
                .iter()
                .position(|wanted| wanted.as_bytes() == &*key)
            {
                Some(index) => found[index] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// An object key as bytes, borrowed from the body when it has no escapes. (Lone surrogate
/// escapes, which have no `str` form, were rejected in step 1.)
struct KeyBytes<'de>(Cow<'de, [u8]>);

impl<'de> Deserialize<'de> for KeyBytes<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_bytes(BytesVisitor).map(KeyBytes)
    }
}

/// The bytes of a JSON string, borrowed when the text has no escapes.
struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = Cow<'de, [u8]>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON string")
    }

    fn visit_borrowed_bytes<E: de::Error>(self, bytes: &'de [u8]) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(bytes))
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
        Ok(Cow::Owned(bytes.to_vec()))
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text.as_bytes()))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.as_bytes().to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(body: &str) -> Result<NewUser, ApiError> {
        NewUser::parse(body.as_bytes())
    }

    fn update(body: &str) -> Result<ReadStateUpdate, ApiError> {
        ReadStateUpdate::parse(body.as_bytes())
    }

    fn ada() -> NewUser {
        NewUser {
            name: "Ada".into(),
            email: "ada@example.com".into(),
        }
    }

    #[test]
    fn step_1_malformed_json() {
        for body in [
            "",
            " \n\t ",
            "{",
            "{\"name\":\"Ada\",}",
            "{\"name\":'Ada'}",
            "{} {}",
            "{} x",
            "[1] ,",
            "nul",
            "01",
            "1.",
            "\u{feff}{}",             // a byte-order mark is not JSON whitespace
            "{\"name\":\"a\u{1}b\"}", // raw control character in a string
            "{\"name\":\"\\x41\"}",   // invalid escape
            "{\"name\":\"\\u12\"}",   // short \u escape
            "{\"name\" \"Ada\"}",
            "{\"a\":1}\u{a0}", // NBSP is not JSON whitespace
        ] {
            assert_eq!(user(body), Err(ApiError::MalformedJson), "{body:?}");
            assert_eq!(update(body), Err(ApiError::MalformedJson), "{body:?}");
        }
        assert_eq!(
            NewUser::parse(b"{\"name\":\"\xff\",\"email\":\"a@b\"}"),
            Err(ApiError::MalformedJson)
        );
        assert_eq!(NewUser::parse(b"\xff"), Err(ApiError::MalformedJson));
    }

    #[test]
    fn step_2_not_an_object() {
        for body in [
            "[]",
            "[{\"name\":\"Ada\"}]",
            "\"{}\"",
            "1",
            "-1.5e400",
            "null",
            "true",
            " \r\n[1,2]\n",
        ] {
            assert_eq!(user(body), Err(ApiError::NotAnObject), "{body:?}");
            assert_eq!(update(body), Err(ApiError::NotAnObject), "{body:?}");
        }
        // Deeper than serde_json's recursion limit of 128 is still valid JSON.
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(user(&deep), Err(ApiError::NotAnObject));
    }

    #[test]
    fn users_fields_in_contract_order() {
        assert_eq!(user("{}"), Err(ApiError::MissingField("name")));
        assert_eq!(
            user("{\"name\":null,\"email\":5}"),
            Err(ApiError::MissingField("name"))
        );
        assert_eq!(
            user("{\"name\":5,\"email\":null}"),
            Err(ApiError::NotAString("name"))
        );
        assert_eq!(
            user("{\"name\":\"\"}"),
            Err(ApiError::MissingField("email"))
        );
        // Type checks of both fields come before the value checks (steps 3 then 4).
        assert_eq!(
            user("{\"name\":\"\",\"email\":[]}"),
            Err(ApiError::NotAString("email"))
        );
        assert_eq!(
            user("{\"name\":\"\",\"email\":\"nope\"}"),
            Err(ApiError::EmptyName)
        );
        assert_eq!(
            user("{\"name\":\"Ada\",\"email\":\"nope\"}"),
            Err(ApiError::EmailWithoutAt)
        );
        assert_eq!(
            user("{\"name\":{\"a\":1},\"email\":\"a@b\"}"),
            Err(ApiError::NotAString("name"))
        );
        assert_eq!(
            user("{\"name\":true,\"email\":\"a@b\"}"),
            Err(ApiError::NotAString("name"))
        );
    }

    #[test]
    fn users_valid_bodies() {
        assert_eq!(
            user("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}"),
            Ok(ada())
        );
        // Extra keys ignored, whatever they hold; whitespace around the value.
        assert_eq!(
            user(
                " {\"x\":1e400,\"name\":\"Ada\",\"y\":[[[[{}]]]],\"email\":\"ada@example.com\",\"NAME\":1}\n"
            ),
            Ok(ada())
        );
        // Duplicate keys: the last one wins, in both directions.
        assert_eq!(
            user("{\"name\":5,\"name\":\"Ada\",\"email\":\"ada@example.com\"}"),
            Ok(ada())
        );
        assert_eq!(
            user("{\"name\":\"Ada\",\"name\":null,\"email\":\"a@b\"}"),
            Err(ApiError::MissingField("name"))
        );
        // Escapes in keys and values are decoded.
        assert_eq!(
            user("{\"n\\u0061me\":\"A\\u0064a\",\"email\":\"ada\\u0040example.com\"}"),
            Ok(ada())
        );
        // `<`, `>`, `&` and non-ASCII are kept as they are.
        assert_eq!(
            user("{\"name\":\"<Zoë & 李>\",\"email\":\"z@x\"}").map(|u| u.name),
            Ok("<Zoë & 李>".to_owned())
        );
    }

    #[test]
    fn lone_surrogate_escapes_are_malformed_json() {
        let with_name = |escaped: &str| format!("{{\"name\":\"{escaped}\",\"email\":\"a@b\"}}");
        for escaped in [
            "\\ud800",
            "\\uDBFF",
            "a\\udc00b",
            "\\udfff",
            "\\ud800\\u0041",
            "\\ud800\\ud800",
            "\\ud800\\n",
            "\\ud800x",
            "\\ud800xudc00",
            "\\ude00\\ud83d", // a pair in the wrong order
        ] {
            assert_eq!(
                user(&with_name(escaped)),
                Err(ApiError::MalformedJson),
                "{escaped}"
            );
        }
        // Anywhere in the body: in a key, in an ignored value, in a read-state body.
        for body in [
            "{\"\\ud800\":1,\"name\":\"Ada\",\"email\":\"ada@example.com\"}",
            "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"x\":[\"\\udc00\"]}",
            "\"\\ud800\"",
        ] {
            assert_eq!(user(body), Err(ApiError::MalformedJson), "{body}");
        }
        assert_eq!(
            update("{\"message_id\":1,\"x\":\"\\ud800\"}"),
            Err(ApiError::MalformedJson)
        );
    }

    #[test]
    fn surrogate_pairs_and_other_escapes_are_valid() {
        let name = |escaped: &str| {
            user(&format!("{{\"name\":\"{escaped}\",\"email\":\"a@b\"}}")).map(|u| u.name)
        };
        assert_eq!(name("\\ud83d\\ude00"), Ok("\u{1f600}".to_owned()));
        assert_eq!(name("\\uD83D\\uDE00!"), Ok("\u{1f600}!".to_owned()));
        assert_eq!(name("\\ud7ff\\ue000"), Ok("\u{d7ff}\u{e000}".to_owned()));
        // An escaped backslash followed by `ud800` is text, not an escape.
        assert_eq!(name("\\\\ud800"), Ok("\\ud800".to_owned()));
        assert_eq!(name("\\\"\\/\\b"), Ok("\"/\u{8}".to_owned()));
    }

    #[test]
    fn read_state_message_id() {
        assert_eq!(update("{}"), Err(ApiError::MissingField("message_id")));
        assert_eq!(
            update("{\"message_id\":null,\"mentions\":\"x\"}"),
            Err(ApiError::MissingField("message_id"))
        );
        for bad in [
            "1.0",
            "1e2",
            "1E2",
            "-1",
            "-0",
            "18446744073709551616",
            "1e400",
            "\"5\"",
            "true",
            "[5]",
            "{}",
        ] {
            assert_eq!(
                update(&format!("{{\"message_id\":{bad},\"mentions\":\"x\"}}")),
                Err(ApiError::MessageIdNotU64),
                "{bad}"
            );
        }
        assert_eq!(
            update("{\"message_id\":18446744073709551615}"),
            Ok(ReadStateUpdate {
                message_id: u64::MAX,
                mentions: 0
            })
        );
        assert_eq!(
            update("{\"message_id\":0,\"mentions\":null}"),
            Ok(ReadStateUpdate {
                message_id: 0,
                mentions: 0
            })
        );
    }

    #[test]
    fn read_state_mentions() {
        for bad in ["4294967296", "-1", "1.5", "0.0", "2e0", "\"1\"", "false"] {
            assert_eq!(
                update(&format!("{{\"message_id\":1,\"mentions\":{bad}}}")),
                Err(ApiError::MentionsNotU32),
                "{bad}"
            );
        }
        assert_eq!(
            update("{\"mentions\":4294967295,\"message_id\":7,\"extra\":[1,2]}"),
            Ok(ReadStateUpdate {
                message_id: 7,
                mentions: u32::MAX
            })
        );
        assert_eq!(
            update("{\"message_id\":7,\"mentions\":3,\"mentions\":null}"),
            Ok(ReadStateUpdate {
                message_id: 7,
                mentions: 0
            })
        );
    }
}
