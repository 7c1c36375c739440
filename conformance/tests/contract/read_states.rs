//! Read states: the prefill (i = 0..N-1 as user i/64, channel i%64, last_message_id i),
//! GET and PUT, replace semantics, and the body rules of PUT in their documented order.
//! User 0 is left to the LRU section.

use conformance::Request;
use conformance::expect::JSON;

use crate::Table;
use crate::json_bodies::{BODY_LIMIT, chunks, padded};

const MAX: u64 = u64::MAX;

pub fn add(t: &mut Table) {
    prefill(t);
    writes(t);
    body_rules(t);
    body_size(t);
    t.stats(
        "read states: count after the read-state cases",
        t.read_state_count(),
    );
}

fn get(user: u64, channel: u64) -> Request {
    Request::get(&format!("/read_states/{user}/{channel}"))
}

fn put(user: u64, channel: u64, body: &str) -> Request {
    Request::put(&format!("/read_states/{user}/{channel}"), body)
}

fn prefill(t: &mut Table) {
    t.read_state(
        "read states: prefilled i=64 is (1,0)",
        get(1, 0),
        (1, 0),
        64,
        0,
    );
    t.read_state(
        "read states: prefilled i=130 is (2,2)",
        get(2, 2),
        (2, 2),
        130,
        0,
    );
    t.read_state(
        "read states: prefilled i=999, the last, is (15,39)",
        get(15, 39),
        (15, 39),
        999,
        0,
    );
    for (user, channel, what) in [
        (15, 40, "i=1000 is beyond the prefill"),
        (16, 0, "user 16 is beyond the prefill"),
        (1, 64, "channel 64 is never prefilled"),
        (MAX, MAX, "u64::MAX ids are valid, not yet written"),
    ] {
        t.error(
            format!("read states: {what}"),
            get(user, channel),
            404,
            "read state not found",
        );
    }
    t.head(
        "read states: HEAD of a prefilled entry",
        Request::head("/read_states/1/1"),
        200,
        JSON,
    );
    t.error(
        "read states: HEAD of a missing entry has no body",
        Request::head("/read_states/16/0"),
        404,
        "read state not found",
    );
    t.read_state(
        "read states: query string ignored",
        Request::get("/read_states/1/5?limit=abc"),
        (1, 5),
        69,
        0,
    );
}

fn writes(t: &mut Table) {
    let w =
        |t: &mut Table, what: &str, request: Request, key: (u64, u64), last: u64, mentions: u64| {
            t.read_state(format!("read states: {what}"), request, key, last, mentions);
        };
    w(
        t,
        "PUT replaces a prefilled entry",
        put(1, 2, r#"{"message_id":42}"#),
        (1, 2),
        42,
        0,
    );
    w(t, "GET after PUT", get(1, 2), (1, 2), 42, 0);
    w(
        t,
        "PUT with mentions",
        put(1, 2, r#"{"message_id":43,"mentions":5}"#),
        (1, 2),
        43,
        5,
    );
    w(
        t,
        "PUT replaces, not merges: mentions back to 0",
        put(1, 2, r#"{"message_id":44}"#),
        (1, 2),
        44,
        0,
    );
    w(
        t,
        "mentions null is 0",
        put(1, 2, r#"{"message_id":45,"mentions":null}"#),
        (1, 2),
        45,
        0,
    );
    w(
        t,
        "message_id may go down",
        put(1, 2, r#"{"message_id":3}"#),
        (1, 2),
        3,
        0,
    );
    w(
        t,
        "PUT creates a new entry",
        put(100, 7, r#"{"message_id":0}"#),
        (100, 7),
        0,
        0,
    );
    w(t, "GET the new entry", get(100, 7), (100, 7), 0, 0);
    w(
        t,
        "u64::MAX ids, message_id and u32::MAX mentions",
        put(
            MAX,
            MAX,
            r#"{"message_id":18446744073709551615,"mentions":4294967295}"#,
        ),
        (MAX, MAX),
        MAX,
        u32::MAX as u64,
    );
    w(
        t,
        "GET the u64::MAX entry",
        get(MAX, MAX),
        (MAX, MAX),
        MAX,
        u32::MAX as u64,
    );
    w(
        t,
        "id 0 as channel of another user",
        put(5, 0, r#"{"message_id":1}"#),
        (5, 0),
        1,
        0,
    );
    w(
        t,
        "Content-Type not checked",
        Request::new("PUT", "/read_states/1/3").body(r#"{"message_id":9}"#),
        (1, 3),
        9,
        0,
    );
    w(
        t,
        "chunked body",
        Request::new("PUT", "/read_states/200/1").chunked(vec![
            br#"{"message_"#.to_vec(),
            br#"id":77,"mentions":1}"#.to_vec(),
        ]),
        (200, 1),
        77,
        1,
    );
    w(
        t,
        "query string ignored on PUT",
        Request::put("/read_states/1/4?x=1", r#"{"message_id":8}"#),
        (1, 4),
        8,
        0,
    );
    w(
        t,
        "duplicate message_id: last wins over a bad first",
        put(1, 6, r#"{"message_id":"x","message_id":7}"#),
        (1, 6),
        7,
        0,
    );
    w(
        t,
        "duplicate mentions: last (null) wins",
        put(1, 6, r#"{"message_id":7,"mentions":9,"mentions":null}"#),
        (1, 6),
        7,
        0,
    );
    w(
        t,
        "unknown keys ignored (mention_count is not mentions)",
        put(
            1,
            6,
            r#"{"message_id":8,"foo":[1,{"a":null}],"mention_count":3}"#,
        ),
        (1, 6),
        8,
        0,
    );
    w(
        t,
        "whitespace around the value",
        put(1, 6, " \r\n{ \"message_id\" : 10 , \"mentions\" : 2 }\t\n"),
        (1, 6),
        10,
        2,
    );
    w(
        t,
        "mentions 0 explicitly",
        put(1, 6, r#"{"message_id":11,"mentions":0}"#),
        (1, 6),
        11,
        0,
    );
}

fn body_rules(t: &mut Table) {
    let message_id = "message_id must be an unsigned 64-bit integer";
    let mentions = "mentions must be an unsigned 32-bit integer";
    let rules: [(&str, &str, u16, &str); 45] = [
        ("empty body", "", 400, "malformed json"),
        (
            "lone surrogate escape in an ignored key",
            r#"{"message_id":1,"\ud800":0}"#,
            400,
            "malformed json",
        ),
        ("unterminated", r#"{"message_id":1"#, 400, "malformed json"),
        (
            "trailing garbage",
            r#"{"message_id":1}x"#,
            400,
            "malformed json",
        ),
        (
            "two values",
            r#"{"message_id":1}{"message_id":2}"#,
            400,
            "malformed json",
        ),
        (
            "leading zero",
            r#"{"message_id":01}"#,
            400,
            "malformed json",
        ),
        ("plus sign", r#"{"message_id":+1}"#, 400, "malformed json"),
        (
            "leading point",
            r#"{"message_id":.5}"#,
            400,
            "malformed json",
        ),
        (
            "trailing point",
            r#"{"message_id":1.}"#,
            400,
            "malformed json",
        ),
        ("NaN", r#"{"message_id":NaN}"#, 400, "malformed json"),
        ("hex", r#"{"message_id":0x1}"#, 400, "malformed json"),
        (
            "not an object: array",
            "[]",
            422,
            "body must be a JSON object",
        ),
        (
            "not an object: null",
            "null",
            422,
            "body must be a JSON object",
        ),
        (
            "not an object: number",
            "42",
            422,
            "body must be a JSON object",
        ),
        (
            "not an object: string of an object",
            r#""{}""#,
            422,
            "body must be a JSON object",
        ),
        (
            "message_id missing: {}",
            "{}",
            422,
            "missing field: message_id",
        ),
        (
            "message_id null",
            r#"{"message_id":null}"#,
            422,
            "missing field: message_id",
        ),
        (
            "message_id missing, mentions given",
            r#"{"mentions":1}"#,
            422,
            "missing field: message_id",
        ),
        (
            "message_id before mentions: missing, bad mentions",
            r#"{"mentions":"x"}"#,
            422,
            "missing field: message_id",
        ),
        (
            "message_id duplicate, last null",
            r#"{"message_id":7,"message_id":null}"#,
            422,
            "missing field: message_id",
        ),
        (
            "message_id negative",
            r#"{"message_id":-1}"#,
            422,
            message_id,
        ),
        (
            "message_id fraction 1.0",
            r#"{"message_id":1.0}"#,
            422,
            message_id,
        ),
        (
            "message_id fraction 1.5",
            r#"{"message_id":1.5}"#,
            422,
            message_id,
        ),
        (
            "message_id fraction 0.0",
            r#"{"message_id":0.0}"#,
            422,
            message_id,
        ),
        (
            "message_id exponent 1e3",
            r#"{"message_id":1e3}"#,
            422,
            message_id,
        ),
        (
            "message_id exponent 1E3",
            r#"{"message_id":1E3}"#,
            422,
            message_id,
        ),
        (
            "message_id exponent 1e0",
            r#"{"message_id":1e0}"#,
            422,
            message_id,
        ),
        (
            "message_id exponent 10E-1",
            r#"{"message_id":10E-1}"#,
            422,
            message_id,
        ),
        (
            "message_id u64::MAX + 1",
            r#"{"message_id":18446744073709551616}"#,
            422,
            message_id,
        ),
        (
            "message_id 27 digits",
            r#"{"message_id":100000000000000000000000000}"#,
            422,
            message_id,
        ),
        (
            "message_id a string of digits",
            r#"{"message_id":"5"}"#,
            422,
            message_id,
        ),
        ("message_id true", r#"{"message_id":true}"#, 422, message_id),
        (
            "message_id an array",
            r#"{"message_id":[5]}"#,
            422,
            message_id,
        ),
        (
            "message_id an object",
            r#"{"message_id":{}}"#,
            422,
            message_id,
        ),
        (
            "message_id checked before mentions",
            r#"{"message_id":"x","mentions":"y"}"#,
            422,
            message_id,
        ),
        (
            "message_id duplicate, last bad",
            r#"{"message_id":1,"message_id":1.5}"#,
            422,
            message_id,
        ),
        (
            "mentions negative",
            r#"{"message_id":1,"mentions":-1}"#,
            422,
            mentions,
        ),
        (
            "mentions u32::MAX + 1",
            r#"{"message_id":1,"mentions":4294967296}"#,
            422,
            mentions,
        ),
        (
            "mentions u64::MAX",
            r#"{"message_id":1,"mentions":18446744073709551615}"#,
            422,
            mentions,
        ),
        (
            "mentions beyond u64",
            r#"{"message_id":1,"mentions":18446744073709551616}"#,
            422,
            mentions,
        ),
        (
            "mentions fraction",
            r#"{"message_id":1,"mentions":1.0}"#,
            422,
            mentions,
        ),
        (
            "mentions exponent",
            r#"{"message_id":1,"mentions":1e3}"#,
            422,
            mentions,
        ),
        (
            "mentions a string",
            r#"{"message_id":1,"mentions":"1"}"#,
            422,
            mentions,
        ),
        (
            "mentions false",
            r#"{"message_id":1,"mentions":false}"#,
            422,
            mentions,
        ),
        (
            "mentions an array",
            r#"{"message_id":1,"mentions":[]}"#,
            422,
            mentions,
        ),
    ];
    for (what, body, status, message) in rules {
        t.error(
            format!("read-state body: {what}"),
            put(1, 7, body),
            status,
            message,
        );
    }
    t.error(
        "read-state body: invalid UTF-8",
        Request::put(
            "/read_states/1/7",
            b"{\"message_id\":1,\"x\":\"\xff\"}".to_vec(),
        ),
        400,
        "malformed json",
    );
    t.read_state(
        "read-state body: failed PUTs leave the entry as it was",
        get(1, 7),
        (1, 7),
        71,
        0,
    );
    // -0 is a JSON integer whose value is 0, and it has a minus sign: either reading holds.
    // Both entries are prefilled, so accepting (a replace) or refusing leaves the count and
    // the LRU order of user 0 alone.
    t.agree(
        "unspecified: message_id -0",
        put(9, 7, r#"{"message_id":-0}"#),
    );
    t.agree(
        "unspecified: mentions -0",
        put(9, 8, r#"{"message_id":1,"mentions":-0}"#),
    );
}

fn body_size(t: &mut Table) {
    let body = r#"{"message_id":12}"#;
    t.read_state(
        "read-state body: exactly 64 KiB is accepted",
        Request::put("/read_states/1/8", padded(body, BODY_LIMIT)),
        (1, 8),
        12,
        0,
    );
    t.read_state(
        "read-state body: exactly 64 KiB chunked is accepted",
        Request::new("PUT", "/read_states/1/9").chunked(chunks(&padded(body, BODY_LIMIT))),
        (1, 9),
        12,
        0,
    );
    t.error(
        "read-state body: 64 KiB + 1 by Content-Length",
        Request::put("/read_states/1/10", padded(body, BODY_LIMIT + 1)),
        413,
        "body too large",
    );
    t.error(
        "read-state body: 64 KiB + 1 chunked",
        Request::new("PUT", "/read_states/1/10").chunked(chunks(&padded(body, BODY_LIMIT + 1))),
        413,
        "body too large",
    );
    t.read_state(
        "read-state body: refused bodies leave the entry as it was",
        get(1, 10),
        (1, 10),
        74,
        0,
    );
}
