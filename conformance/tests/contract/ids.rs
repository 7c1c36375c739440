//! The id rule, `0|[1-9][0-9]*` fitting u64, on every id position: GET /users/{id},
//! GET and PUT /read_states/{user_id}/{channel_id}. Invalid ids are refused (400) before
//! any lookup; valid ids that do not exist are 404.

use conformance::Request;
use conformance::expect::JSON;

use crate::Table;

/// Ids that break the rule, with what is wrong with each (as sent in the path).
pub const INVALID_IDS: [(&str, &str); 21] = [
    ("18446744073709551616", "u64::MAX + 1"),
    ("99999999999999999999999", "far beyond u64"),
    ("01", "leading zero"),
    ("00", "double zero"),
    ("+1", "plus sign"),
    ("-1", "minus sign"),
    ("-0", "negative zero"),
    ("1a", "trailing letter"),
    ("a1", "leading letter"),
    ("abc", "letters"),
    ("%31", "percent-encoded digit"),
    ("1%20", "percent-encoded trailing space"),
    ("%2B1", "percent-encoded plus"),
    ("%00", "percent-encoded NUL"),
    ("1.0", "decimal point"),
    ("1e3", "exponent"),
    ("0x1", "hex prefix"),
    ("1,2", "comma"),
    ("%D9%A1", "Arabic-Indic digit one"),
    ("%EF%BC%91", "fullwidth digit one"),
    ("%2F", "percent-encoded slash"),
];

pub fn add(t: &mut Table) {
    user_ids(t);
    read_state_ids(t);
}

fn user_ids(t: &mut Table) {
    for (id, what) in INVALID_IDS {
        t.error(
            format!("ids: /users/{{id}} {what} ({id})"),
            Request::get(&format!("/users/{id}")),
            400,
            "invalid id",
        );
    }
    t.error(
        "ids: HEAD /users/{id} invalid has no body",
        Request::head("/users/abc"),
        400,
        "invalid id",
    );
    t.error(
        "ids: an invalid id with a query string",
        Request::get("/users/abc?limit=1"),
        400,
        "invalid id",
    );
    let next = t.user_count() + 1;
    for (id, what) in [
        ("0".to_string(), "0 is valid, no such user"),
        (
            "18446744073709551615".to_string(),
            "u64::MAX is valid, no such user",
        ),
        (next.to_string(), "the next id is not yet used"),
    ] {
        t.error(
            format!("ids: /users/{{id}} {what}"),
            Request::get(&format!("/users/{id}")),
            404,
            "user not found",
        );
    }
    t.error(
        "ids: HEAD of a missing user has no body",
        Request::head("/users/0"),
        404,
        "user not found",
    );
    t.exact(
        "ids: query string ignored on /users/{id}",
        Request::get("/users/2?x=y"),
        200,
        JSON,
        t.user(2).to_string(),
    );
}

fn read_state_ids(t: &mut Table) {
    for (id, what) in INVALID_IDS {
        t.error(
            format!("ids: GET read state, user_id {what} ({id})"),
            Request::get(&format!("/read_states/{id}/1")),
            400,
            "invalid id",
        );
        t.error(
            format!("ids: GET read state, channel_id {what} ({id})"),
            Request::get(&format!("/read_states/1/{id}")),
            400,
            "invalid id",
        );
        t.error(
            format!("ids: PUT read state, user_id {what} ({id})"),
            Request::put(&format!("/read_states/{id}/1"), r#"{"message_id":1}"#),
            400,
            "invalid id",
        );
        t.error(
            format!("ids: PUT read state, channel_id {what} ({id})"),
            Request::put(&format!("/read_states/1/{id}"), r#"{"message_id":1}"#),
            400,
            "invalid id",
        );
    }
    t.error(
        "ids: both read-state ids invalid",
        Request::get("/read_states/x/y"),
        400,
        "invalid id",
    );
    t.error(
        "ids: HEAD of a read state with an invalid id has no body",
        Request::head("/read_states/1/01"),
        400,
        "invalid id",
    );
    // Which comes first, the id check or the body check, docs/API.md does not say.
    t.agree(
        "unspecified: PUT with an invalid id and a malformed body (invalid id or malformed json)",
        Request::put("/read_states/x/1", "{"),
    );
    t.agree(
        "unspecified: PUT with an invalid id and a body of 64 KiB + 1 (invalid id or too large)",
        Request::put(
            "/read_states/x/1",
            crate::json_bodies::padded(r#"{"message_id":1}"#, crate::json_bodies::BODY_LIMIT + 1),
        ),
    );
}
