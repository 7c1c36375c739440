//! Every case of docs/API.md, driven through the whole application service (router, body
//! limit, exact-path check, timeout) with `tower::ServiceExt::oneshot`: status, content type,
//! `Allow` on 405, and the exact body bytes.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use hyper::body::Frame;
use rust_server::{AppState, MAX_BODY_BYTES, app};
use tower::ServiceExt;

const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";

/// A fresh server state: 2 worker threads reported, 130 read states prefilled.
fn state() -> AppState {
    AppState::new(2, 130)
}

/// What the conformance suite compares.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    allow: Option<String>,
    body: String,
}

async fn send_body(
    state: &AppState,
    method: &str,
    uri: &str,
    body: Body,
    headers: HeaderMap,
) -> Answer {
    let mut request = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(uri)
        .body(body)
        .unwrap();
    *request.headers_mut() = headers;
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|value: &header::HeaderValue| value.to_str().unwrap().to_owned())
    };
    let (content_type, allow) = (header(header::CONTENT_TYPE), header(header::ALLOW));
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        content_type,
        allow,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn send(state: &AppState, method: &str, uri: &str, body: &str) -> Answer {
    let mut headers = HeaderMap::new();
    if !body.is_empty() {
        headers.insert(header::CONTENT_TYPE, JSON.parse().unwrap());
    }
    send_body(state, method, uri, Body::from(body.to_owned()), headers).await
}

#[track_caller]
fn expect(answer: &Answer, status: u16, content_type: &str, body: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(
        answer.content_type.as_deref(),
        Some(content_type),
        "{answer:?}"
    );
    assert_eq!(answer.body, body, "{answer:?}");
}

#[track_caller]
fn expect_error(answer: &Answer, status: u16, message: &str) {
    expect(
        answer,
        status,
        JSON,
        &format!("{{\"error\":\"{message}\"}}"),
    );
}

/// The set of methods in an `Allow` header (the suite compares sets).
fn allowed(answer: &Answer) -> Vec<String> {
    let mut methods: Vec<String> = answer
        .allow
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(|method| method.trim().to_owned())
        .filter(|method| !method.is_empty())
        .collect();
    methods.sort();
    methods
}

#[tokio::test]
async fn techempower_routes() {
    let state = state();
    expect(
        &send(&state, "GET", "/plaintext", "").await,
        200,
        TEXT,
        "Hello, World!",
    );
    expect(
        &send(&state, "GET", "/json", "").await,
        200,
        JSON,
        r#"{"message":"Hello, World!"}"#,
    );
    expect(
        &send(&state, "GET", "/healthz", "").await,
        200,
        JSON,
        r#"{"status":"ok"}"#,
    );
    // Query strings are ignored outside GET /users; a GET body is ignored.
    expect(
        &send(&state, "GET", "/json?limit=x&a", "not json").await,
        200,
        JSON,
        r#"{"message":"Hello, World!"}"#,
    );
}

#[tokio::test]
async fn head_works_wherever_get_does() {
    let state = state();
    for (uri, status, content_type) in [
        ("/plaintext", 200, TEXT),
        ("/json", 200, JSON),
        ("/healthz", 200, JSON),
        ("/debug/stats", 200, JSON),
        ("/users", 200, JSON),
        ("/users/1", 404, JSON),
        ("/users/x", 400, JSON),
        ("/read_states/0/0", 200, JSON),
        ("/read_states/0/x", 400, JSON),
        ("/nope", 404, JSON),
    ] {
        expect(
            &send(&state, "HEAD", uri, "").await,
            status,
            content_type,
            "",
        );
    }
}

#[tokio::test]
async fn unknown_paths_are_404_json() {
    let state = state();
    for uri in [
        "/",
        "/nope",
        "/Users",
        "/JSON",
        "/user%73",
        "/users/",
        "/users//",
        "//users",
        "/users/1/",
        "/json/",
        "/plaintext/",
        "/debug",
        "/debug/",
        "/debug/stats/",
        "/read_states",
        "/read_states/",
        "/read_states/1",
        "/read_states/1/",
        "/read_states//1",
        "/read_states/1//2",
        "/read_states/1/2/",
        "/read_states/1/2/3",
        "/users/1/2",
        "/users/.",
        "/users/..",
        "/users/./1",
        "/./json",
        "/json/.",
        "/json/..",
        "/users/../json",
        "/read_states/1/..",
        "/read_states/./1/2",
    ] {
        expect_error(&send(&state, "GET", uri, "").await, 404, "not found");
        // Whatever the method: an unknown path is never a 405.
        let answer = send(&state, "DELETE", uri, "").await;
        expect_error(&answer, 404, "not found");
        assert_eq!(answer.allow, None, "{uri}");
    }
}

/// docs/API.md: a malformed percent-escape in the path is 400 whatever the path and method
/// (go-server's net/http rejects it before routing); only the status is specified.
#[tokio::test]
async fn malformed_percent_escapes_in_the_path_are_400() {
    let state = state();
    for uri in [
        "/users/%zz",
        "/users/%",
        "/users/1%4",
        "/nope/%zz",
        "/json%",
        "/read_states/1/%g0",
        "/%zz/..",
    ] {
        for method in ["GET", "DELETE"] {
            let answer = send(&state, method, uri, "").await;
            assert_eq!(answer.status, 400, "{method} {uri}");
        }
    }
    // Valid escapes are not this rule's business: an id is still invalid, a route unknown.
    expect_error(
        &send(&state, "GET", "/users/%31", "").await,
        400,
        "invalid id",
    );
    expect_error(&send(&state, "GET", "/user%73", "").await, 404, "not found");
    // The query is not a path: `%zz` there is judged by the query rules.
    expect_error(
        &send(&state, "GET", "/users?limit=%zz", "").await,
        400,
        "invalid limit",
    );
    expect(
        &send(&state, "GET", "/json?x=%zz", "").await,
        200,
        "application/json",
        r#"{"message":"Hello, World!"}"#,
    );
}

#[tokio::test]
async fn wrong_methods_are_405_json_with_allow() {
    let state = state();
    let get_head = ["GET", "HEAD"];
    for (method, uri, allow) in [
        ("POST", "/plaintext", &get_head[..]),
        ("PUT", "/json", &get_head),
        ("DELETE", "/healthz", &get_head),
        ("PATCH", "/debug/stats", &get_head),
        ("OPTIONS", "/json", &get_head),
        ("PUT", "/users/1", &get_head),
        ("POST", "/users/1", &get_head),
        ("DELETE", "/users/abc", &get_head),
        ("DELETE", "/users", &["GET", "HEAD", "POST"]),
        ("PUT", "/users", &["GET", "HEAD", "POST"]),
        ("POST", "/read_states/1/2", &["GET", "HEAD", "PUT"]),
        ("DELETE", "/read_states/x/y", &["GET", "HEAD", "PUT"]),
        ("get", "/json", &get_head),
        ("BREW", "/plaintext", &get_head),
    ] {
        let answer = send(&state, method, uri, "").await;
        expect_error(&answer, 405, "method not allowed");
        assert_eq!(allowed(&answer), allow, "{method} {uri}");
    }
}

#[tokio::test]
async fn ids_follow_the_id_rule() {
    let state = state();
    for id in [
        "abc",
        "01",
        "00",
        "+1",
        "-1",
        "-0",
        "1a",
        "0x1",
        "1.0",
        "1e3",
        "%31",
        "%2B1",
        "%20",
        "1%00",
        "18446744073709551616",
        "99999999999999999999999999",
    ] {
        expect_error(
            &send(&state, "GET", &format!("/users/{id}"), "").await,
            400,
            "invalid id",
        );
        for uri in [
            format!("/read_states/{id}/1"),
            format!("/read_states/1/{id}"),
        ] {
            expect_error(&send(&state, "GET", &uri, "").await, 400, "invalid id");
            // Ids are judged before the body, whatever the body.
            expect_error(&send(&state, "PUT", &uri, "{").await, 400, "invalid id");
        }
    }
    expect_error(
        &send(&state, "GET", "/users/0", "").await,
        404,
        "user not found",
    );
    expect_error(
        &send(&state, "GET", "/users/18446744073709551615", "").await,
        404,
        "user not found",
    );
    expect_error(
        &send(&state, "GET", "/read_states/18446744073709551615/0", "").await,
        404,
        "read state not found",
    );
}

#[tokio::test]
async fn create_and_get_users() {
    let state = state();
    let ada = r#"{"id":1,"name":"Ada","email":"ada@example.com"}"#;
    expect(
        &send(
            &state,
            "POST",
            "/users",
            r#"{"name":"Ada","email":"ada@example.com"}"#,
        )
        .await,
        201,
        JSON,
        ada,
    );
    expect(&send(&state, "GET", "/users/1", "").await, 200, JSON, ada);
    // Any Content-Type, or none; extra keys ignored; duplicate keys: the last wins.
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
    let body = r#"{"name":1,"extra":[1e400,{"a":null}],"name":"Bob","email":"b@x"}"#;
    expect(
        &send_body(&state, "POST", "/users", Body::from(body), headers).await,
        201,
        JSON,
        r#"{"id":2,"name":"Bob","email":"b@x"}"#,
    );
    expect(
        &send_body(
            &state,
            "POST",
            "/users",
            Body::from(r#"{"name":"<Zoë & 李>","email":"z@x"}"#),
            HeaderMap::new(),
        )
        .await,
        201,
        JSON,
        r#"{"id":3,"name":"<Zoë & 李>","email":"z@x"}"#,
    );
    // Strings are echoed with JSON's escapes only where needed.
    expect(
        &send(
            &state,
            "POST",
            "/users",
            r#"{"name":"a\"b\\c\/d\n\u00e9","email":"e@x"}"#,
        )
        .await,
        201,
        JSON,
        r#"{"id":4,"name":"a\"b\\c/d\né","email":"e@x"}"#,
    );
    expect_error(
        &send(&state, "GET", "/users/5", "").await,
        404,
        "user not found",
    );
}

#[tokio::test]
async fn create_user_validation_steps() {
    let state = state();
    for (body, status, message) in [
        ("", 400, "malformed json"),
        ("   ", 400, "malformed json"),
        ("{", 400, "malformed json"),
        (r#"{"name":"Ada","email":"a@b"} {}"#, 400, "malformed json"),
        (r#"{"name":"Ada","email":"a@b"}x"#, 400, "malformed json"),
        (r#"{"name":"Ada",}"#, 400, "malformed json"),
        ("[]", 422, "body must be a JSON object"),
        ("\"Ada\"", 422, "body must be a JSON object"),
        ("42", 422, "body must be a JSON object"),
        ("null", 422, "body must be a JSON object"),
        ("{}", 422, "missing field: name"),
        (r#"{"name":null,"email":"a@b"}"#, 422, "missing field: name"),
        (r#"{"name":5,"email":"a@b"}"#, 422, "name must be a string"),
        (r#"{"name":"Ada"}"#, 422, "missing field: email"),
        (
            r#"{"name":"Ada","email":null}"#,
            422,
            "missing field: email",
        ),
        (
            r#"{"name":"Ada","email":["a@b"]}"#,
            422,
            "email must be a string",
        ),
        (
            r#"{"name":"","email":false}"#,
            422,
            "email must be a string",
        ),
        (
            r#"{"name":"","email":"a@b"}"#,
            422,
            "name must not be empty",
        ),
        (
            r#"{"name":"Ada","email":"ada"}"#,
            422,
            "email must contain @",
        ),
        // Lone surrogate escapes have no UTF-8 form: malformed, wherever they are.
        (r#"{"name":"\ud800","email":"a@b"}"#, 400, "malformed json"),
        (r#"{"name":"\udc00","email":"a@b"}"#, 400, "malformed json"),
        (
            r#"{"name":"\ud800\u0041","email":"a@b"}"#,
            400,
            "malformed json",
        ),
        (
            r#"{"name":"Ada","email":"a@b","\ud800":1}"#,
            400,
            "malformed json",
        ),
    ] {
        expect_error(&send(&state, "POST", "/users", body).await, status, message);
    }
    let invalid_utf8 = Body::from(&b"{\"name\":\"\xc3\x28\",\"email\":\"a@b\"}"[..]);
    expect_error(
        &send_body(&state, "POST", "/users", invalid_utf8, HeaderMap::new()).await,
        400,
        "malformed json",
    );
    // Nothing was created.
    expect(&send(&state, "GET", "/users", "").await, 200, JSON, "[]");
}

#[tokio::test]
async fn body_limit_declared_and_streamed() {
    let state = state();
    let fits = padded_user(MAX_BODY_BYTES);
    let too_large = padded_user(MAX_BODY_BYTES + 1);
    expect(
        &send(&state, "POST", "/users", &fits).await,
        201,
        JSON,
        r#"{"id":1,"name":"Ada","email":"ada@example.com"}"#,
    );
    expect_error(
        &send(&state, "POST", "/users", &too_large).await,
        413,
        "body too large",
    );
    // Streamed without a length (chunked on the wire).
    let streamed = |body: &str| Body::new(Chunked::new(body.as_bytes(), 1000));
    expect(
        &send_body(&state, "POST", "/users", streamed(&fits), HeaderMap::new()).await,
        201,
        JSON,
        r#"{"id":2,"name":"Ada","email":"ada@example.com"}"#,
    );
    expect_error(
        &send_body(
            &state,
            "POST",
            "/users",
            streamed(&too_large),
            HeaderMap::new(),
        )
        .await,
        413,
        "body too large",
    );
    let big_update = format!(
        r#"{{"message_id":1,"pad":"{}"}}"#,
        "x".repeat(MAX_BODY_BYTES)
    );
    expect_error(
        &send(&state, "PUT", "/read_states/1/1", &big_update).await,
        413,
        "body too large",
    );
    expect_error(
        &send_body(
            &state,
            "PUT",
            "/read_states/1/1",
            streamed(&big_update),
            HeaderMap::new(),
        )
        .await,
        413,
        "body too large",
    );
    // Ids come first: an invalid id with a too-large body is an invalid id.
    expect_error(
        &send(&state, "PUT", "/read_states/x/1", &big_update).await,
        400,
        "invalid id",
    );
}

/// A valid user body of exactly `len` bytes (padded with whitespace, which JSON allows).
fn padded_user(len: usize) -> String {
    let body = r#"{"name":"Ada","email":"ada@example.com"}"#;
    format!("{body}{}", " ".repeat(len - body.len()))
}

/// A body that arrives in chunks and declares no length.
struct Chunked {
    chunks: Vec<Bytes>,
}

impl Chunked {
    fn new(bytes: &[u8], chunk_len: usize) -> Self {
        let mut chunks: Vec<Bytes> = bytes
            .chunks(chunk_len)
            .map(Bytes::copy_from_slice)
            .collect();
        chunks.reverse();
        Self { chunks }
    }
}

impl HttpBody for Chunked {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.chunks.pop().map(|chunk| Ok(Frame::data(chunk))))
    }
}

#[tokio::test]
async fn list_users_pages() {
    let state = state();
    for n in 1..=5 {
        send(
            &state,
            "POST",
            "/users",
            &format!(r#"{{"name":"u{n}","email":"u{n}@x"}}"#),
        )
        .await;
    }
    let user = |n: u64| format!(r#"{{"id":{n},"name":"u{n}","email":"u{n}@x"}}"#);
    let list = |ids: &[u64]| {
        format!(
            "[{}]",
            ids.iter().map(|n| user(*n)).collect::<Vec<_>>().join(",")
        )
    };
    for (query, ids) in [
        ("", &[1, 2, 3, 4, 5][..]),
        ("?", &[1, 2, 3, 4, 5]),
        ("?limit=2", &[1, 2]),
        ("?limit=2&offset=1", &[2, 3]),
        ("?offset=3", &[4, 5]),
        ("?offset=5", &[]),
        ("?offset=18446744073709551615&limit=1000", &[]),
        ("?limit=0", &[]),
        ("?limit=1000", &[1, 2, 3, 4, 5]),
        ("?limit=&offset=", &[1, 2, 3, 4, 5]),
        ("?limit=1&limit=x", &[1]),
        ("?limit=&limit=1", &[1, 2, 3, 4, 5]),
        ("?offset=1&offset=-3&limit=1", &[2]),
        ("?other=x&limit=3", &[1, 2, 3]),
        ("?%6Cimit=1", &[1]),
    ] {
        expect(
            &send(&state, "GET", &format!("/users{query}"), "").await,
            200,
            JSON,
            &list(ids),
        );
    }
    for query in [
        "limit=1001",
        "limit=-1",
        "limit=+1",
        "limit=01",
        "limit=abc",
        "limit=1.5",
        "limit=99999999999999999999",
        // WHATWG form-urlencoded: a malformed escape stays literal, `;` is no separator.
        "limit=%zz",
        "limit=%",
        "limit=1%4",
        "limit=1;offset=1",
    ] {
        expect_error(
            &send(&state, "GET", &format!("/users?{query}"), "").await,
            400,
            "invalid limit",
        );
    }
    for query in [
        "offset=-1",
        "offset=x",
        "offset=007",
        "offset=18446744073709551616",
        "limit=5&offset=%2B1",
        "offset=%zz",
    ] {
        expect_error(
            &send(&state, "GET", &format!("/users?{query}"), "").await,
            400,
            "invalid offset",
        );
    }
    expect_error(
        &send(&state, "GET", "/users?offset=x&limit=x", "").await,
        400,
        "invalid limit",
    );
}

/// The read-state body with its timestamp replaced by 0 (the suite does not compare it).
fn without_timestamp(answer: &Answer) -> String {
    let (head, tail) = answer
        .body
        .split_once("\"updated_at_ms\":")
        .expect(&answer.body);
    let digits = tail.strip_suffix('}').expect(&answer.body);
    assert!(
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        "{answer:?}"
    );
    format!("{head}\"updated_at_ms\":0}}")
}

fn read_state(user_id: u64, channel_id: u64, last_message_id: u64, mention_count: u32) -> String {
    format!(
        r#"{{"user_id":{user_id},"channel_id":{channel_id},"last_message_id":{last_message_id},"mention_count":{mention_count},"updated_at_ms":0}}"#
    )
}

#[tokio::test]
async fn read_states_prefill_get_put() {
    let state = state();
    let answer = send(&state, "GET", "/read_states/2/1", "").await;
    assert_eq!(
        (answer.status, answer.content_type.as_deref()),
        (StatusCode::OK, Some(JSON))
    );
    assert_eq!(without_timestamp(&answer), read_state(2, 1, 129, 0));
    expect_error(
        &send(&state, "GET", "/read_states/2/2", "").await,
        404,
        "read state not found",
    );

    for (uri, body, expected) in [
        (
            "/read_states/5/6",
            r#"{"message_id":9,"mentions":2}"#,
            read_state(5, 6, 9, 2),
        ),
        (
            "/read_states/5/6",
            r#"{"message_id":10}"#,
            read_state(5, 6, 10, 0),
        ),
        (
            "/read_states/0/0",
            r#"{"message_id":18446744073709551615,"mentions":4294967295}"#,
            read_state(0, 0, u64::MAX, u32::MAX),
        ),
        (
            "/read_states/7/7",
            r#" {"mentions":null,"message_id":0,"x":[1.5e999]} "#,
            read_state(7, 7, 0, 0),
        ),
        (
            "/read_states/8/8",
            r#"{"message_id":1,"message_id":2,"mentions":3}"#,
            read_state(8, 8, 2, 3),
        ),
    ] {
        let answer = send(&state, "PUT", uri, body).await;
        assert_eq!(
            (answer.status, answer.content_type.as_deref()),
            (StatusCode::OK, Some(JSON)),
            "{body}"
        );
        assert_eq!(without_timestamp(&answer), expected, "{body}");
        let answer = send(&state, "GET", uri, "").await;
        assert_eq!(without_timestamp(&answer), expected, "{body}");
    }
}

#[tokio::test]
async fn read_state_validation_steps() {
    let state = state();
    let u64_message = "message_id must be an unsigned 64-bit integer";
    let u32_message = "mentions must be an unsigned 32-bit integer";
    for (body, status, message) in [
        ("", 400, "malformed json"),
        ("{\"message_id\":1", 400, "malformed json"),
        ("{\"message_id\":01}", 400, "malformed json"),
        ("{\"message_id\":1}]", 400, "malformed json"),
        ("[1]", 422, "body must be a JSON object"),
        ("1", 422, "body must be a JSON object"),
        ("{}", 422, "missing field: message_id"),
        (
            "{\"message_id\":null,\"mentions\":-1}",
            422,
            "missing field: message_id",
        ),
        ("{\"message_id\":1.0}", 422, u64_message),
        ("{\"message_id\":1e2}", 422, u64_message),
        ("{\"message_id\":-1}", 422, u64_message),
        ("{\"message_id\":-0}", 422, u64_message),
        ("{\"message_id\":18446744073709551616}", 422, u64_message),
        ("{\"message_id\":\"1\"}", 422, u64_message),
        ("{\"message_id\":true,\"mentions\":-1}", 422, u64_message),
        (
            "{\"message_id\":1,\"mentions\":4294967296}",
            422,
            u32_message,
        ),
        ("{\"message_id\":1,\"mentions\":-1}", 422, u32_message),
        ("{\"message_id\":1,\"mentions\":0.5}", 422, u32_message),
        ("{\"message_id\":1,\"mentions\":\"2\"}", 422, u32_message),
        ("{\"message_id\":1,\"mentions\":[]}", 422, u32_message),
    ] {
        expect_error(
            &send(&state, "PUT", "/read_states/1/1", body).await,
            status,
            message,
        );
    }
}

#[tokio::test]
async fn debug_stats_keys() {
    let state = state();
    send(&state, "POST", "/users", r#"{"name":"Ada","email":"a@b"}"#).await;
    send(&state, "PUT", "/read_states/999/1", r#"{"message_id":1}"#).await;
    let answer = send(&state, "GET", "/debug/stats", "").await;
    assert_eq!(
        (answer.status, answer.content_type.as_deref()),
        (StatusCode::OK, Some(JSON))
    );
    let prefix = format!(
        r#"{{"server":"rust-axum","version":"{}","threads":2,"os_threads":"#,
        rust_server::RUSTC_VERSION
    );
    assert!(answer.body.starts_with(&prefix), "{}", answer.body);
    let stats: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let keys: Vec<&str> = stats
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "server",
        "version",
        "threads",
        "os_threads",
        "rss_bytes",
        "users",
        "read_states",
        "read_states_capacity",
        "uptime_ms",
        "allocator",
        "runtime",
    ];
    expected.sort_unstable(); // serde_json's map without preserve_order is sorted
    assert_eq!(keys, expected);
    assert_eq!(stats["users"], 1);
    assert_eq!(stats["read_states"], 131);
    assert_eq!(stats["read_states_capacity"], 10_000);
    assert!(stats["os_threads"].as_u64().unwrap() >= 1);
    assert!(stats["rss_bytes"].as_u64().unwrap() > 0);
    assert!(stats["uptime_ms"].is_u64());
    // AppState::new is the as-shipped server: the system allocator.
    assert_eq!(stats["allocator"], rust_server::Allocator::System.name());
    assert_eq!(stats["runtime"], "tokio-multi-thread");
}
