//! Request bodies of POST /users: what counts as malformed JSON (400), the 64 KiB limit by
//! Content-Length and by chunked body (413), and JSON implementation limits the contract
//! leaves open (the servers must agree).

use conformance::expect::JSON;
use conformance::{Body, Request};

use crate::Table;

/// The body limit of docs/API.md: 64 KiB.
pub const BODY_LIMIT: usize = 65_536;

pub fn add(t: &mut Table) {
    malformed(t);
    limits_left_open(t);
    size_limit(t);
}

fn malformed(t: &mut Table) {
    let bodies: Vec<(&str, &[u8])> = vec![
        ("empty body (Content-Length: 0)", b""),
        ("whitespace only", b" \r\n\t"),
        ("lone brace", b"{"),
        ("lone bracket", b"["),
        ("unterminated object", br#"{"name":"A","email":"a@b""#),
        ("unterminated string", br#"{"name":"A","email":"a@b"#),
        ("trailing garbage", br#"{"name":"A","email":"a@b"}x"#),
        ("two values", br#"{"name":"A","email":"a@b"} {}"#),
        (
            "two objects back to back",
            br#"{"name":"A","email":"a@b"}{"name":"B"}"#,
        ),
        ("extra closing brace", br#"{"name":"A","email":"a@b"}}"#),
        ("extra closing bracket", br#"{"name":"A","email":"a@b"}]"#),
        ("trailing comma", br#"{"name":"A","email":"a@b",}"#),
        ("missing comma", br#"{"name":"A" "email":"a@b"}"#),
        ("single quotes", br#"{'name':'A','email':'a@b'}"#),
        ("unquoted keys", br#"{name:"A",email:"a@b"}"#),
        (
            "comment after the value",
            br#"{"name":"A","email":"a@b"} // c"#,
        ),
        (
            "byte order mark before the value",
            b"\xef\xbb\xbf{\"name\":\"A\",\"email\":\"a@b\"}",
        ),
        (
            "form feed is not JSON whitespace",
            b"\x0c{\"name\":\"A\",\"email\":\"a@b\"}",
        ),
        ("NUL byte", b"\x00"),
        (
            "no-break space after the value",
            b"{\"name\":\"A\",\"email\":\"a@b\"}\xc2\xa0",
        ),
        (
            "raw newline inside a string",
            b"{\"name\":\"a\nb\",\"email\":\"a@b\"}",
        ),
        ("unknown escape", br#"{"name":"\x41","email":"a@b"}"#),
        ("short \\u escape", br#"{"name":"\u12","email":"a@b"}"#),
        (
            "leading zero in a number",
            br#"{"name":"A","email":"a@b","x":01}"#,
        ),
        (
            "plus sign on a number",
            br#"{"name":"A","email":"a@b","x":+1}"#,
        ),
        (
            "number starting with a point",
            br#"{"name":"A","email":"a@b","x":.5}"#,
        ),
        (
            "number ending with a point",
            br#"{"name":"A","email":"a@b","x":1.}"#,
        ),
        (
            "exponent without digits",
            br#"{"name":"A","email":"a@b","x":1e}"#,
        ),
        ("hex number", br#"{"name":"A","email":"a@b","x":0x10}"#),
        ("NaN", br#"{"name":"A","email":"a@b","x":NaN}"#),
        ("Infinity", br#"{"name":"A","email":"a@b","x":Infinity}"#),
        ("lone minus", br#"{"name":"A","email":"a@b","x":-}"#),
        (
            "True with a capital",
            br#"{"name":"A","email":"a@b","x":True}"#,
        ),
        (
            "truncated literal",
            br#"{"name":"A","email":"a@b","x":tru}"#,
        ),
        ("truncated null at top level", b"nul"),
        (
            "invalid UTF-8 in a value",
            b"{\"name\":\"\xff\",\"email\":\"a@b\"}",
        ),
        (
            "invalid UTF-8 in an ignored key's value",
            b"{\"name\":\"A\",\"email\":\"a@b\",\"x\":\"\xfe\"}",
        ),
        (
            "invalid UTF-8 in a key",
            b"{\"name\":\"A\",\"email\":\"a@b\",\"\xff\":1}",
        ),
        (
            "overlong UTF-8 encoding",
            b"{\"name\":\"\xc0\xaf\",\"email\":\"a@b\"}",
        ),
        (
            "UTF-8-encoded surrogate",
            b"{\"name\":\"\xed\xa0\x80\",\"email\":\"a@b\"}",
        ),
        (
            "truncated UTF-8 sequence",
            b"{\"name\":\"\xe2\x98\",\"email\":\"a@b\"}",
        ),
        (
            "invalid UTF-8 after the value",
            b"{\"name\":\"A\",\"email\":\"a@b\"} \xff",
        ),
        // A lone UTF-16 surrogate escape has no UTF-8 form; docs/API.md makes it malformed
        // wherever it is. (A valid pair is accepted: see the users' encoding cases.)
        (
            "lone high surrogate escape",
            br#"{"name":"\ud800","email":"a@b"}"#,
        ),
        (
            "lone low surrogate escape",
            br#"{"name":"\udc00","email":"a@b"}"#,
        ),
        (
            "high surrogate escape then a non-surrogate escape",
            br#"{"name":"\ud800\u0041","email":"a@b"}"#,
        ),
        (
            "high surrogate escape then text",
            br#"{"name":"\ud83dx","email":"a@b"}"#,
        ),
        (
            "surrogate escapes in the wrong order",
            br#"{"name":"\ude00\ud83d","email":"a@b"}"#,
        ),
        (
            "lone surrogate escape in an ignored key",
            br#"{"name":"A","email":"a@b","\udbff":1}"#,
        ),
        (
            "lone surrogate escape in an ignored value",
            br#"{"name":"A","email":"a@b","x":["\udfff"]}"#,
        ),
    ];
    for (what, body) in bodies {
        t.error(
            format!("malformed json: {what}"),
            Request::post("/users", body.to_vec()),
            400,
            "malformed json",
        );
    }
    t.error(
        "malformed json: no body at all (no Content-Length)",
        Request::new("POST", "/users").header("Content-Type", "application/json"),
        400,
        "malformed json",
    );
    t.error(
        "malformed json: chunked empty body",
        Request::new("POST", "/users").chunked(vec![]),
        400,
        "malformed json",
    );
    let nested_100 = format!(
        r#"{{"name":"","email":"a@b","x":{}{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    t.error(
        "valid json: 100 levels of nesting in an ignored key",
        Request::post("/users", nested_100),
        422,
        "name must not be empty",
    );
}

/// RFC 8259 section 9 lets a parser limit nesting depth and number range; docs/API.md does
/// not set either. Each body fails validation if parsed, so no user is created either way.
fn limits_left_open(t: &mut Table) {
    let depth = 200;
    t.agree(
        "unspecified: 200 levels of nesting as the whole body (400 or 422)",
        Request::post(
            "/users",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
    );
    t.agree(
        "unspecified: 200 levels of nesting in an ignored key (400 or 422)",
        Request::post(
            "/users",
            format!(
                r#"{{"name":"","email":"a@b","x":{}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            ),
        ),
    );
    t.agree(
        "unspecified: number beyond f64 (1e400) in an ignored key",
        Request::post("/users", r#"{"name":"","email":"a@b","x":1e400}"#),
    );
    t.agree(
        "unspecified: 30-digit integer in an ignored key",
        Request::post(
            "/users",
            r#"{"name":"","email":"a@b","x":123456789012345678901234567890}"#,
        ),
    );
}

/// A valid user body padded with trailing spaces to exactly `size` bytes.
pub fn padded(json: &str, size: usize) -> Vec<u8> {
    let mut body = json.as_bytes().to_vec();
    assert!(body.len() <= size);
    body.resize(size, b' ');
    body
}

/// `body` in chunks of at most 16 KiB.
pub fn chunks(body: &[u8]) -> Vec<Vec<u8>> {
    body.chunks(16 * 1024).map(<[u8]>::to_vec).collect()
}

fn size_limit(t: &mut Table) {
    let user = r#"{"name":"Big","email":"big@x"}"#;
    t.creates_user(
        "body size: exactly 64 KiB by Content-Length is accepted",
        Request::post("/users", padded(user, BODY_LIMIT)),
        r#""Big""#,
        r#""big@x""#,
    );
    t.creates_user(
        "body size: exactly 64 KiB chunked is accepted",
        Request::new("POST", "/users").chunked(chunks(&padded(user, BODY_LIMIT))),
        r#""Big""#,
        r#""big@x""#,
    );
    t.error(
        "body size: 64 KiB + 1 by Content-Length",
        Request::post("/users", padded(user, BODY_LIMIT + 1)),
        413,
        "body too large",
    );
    t.error(
        "body size: 64 KiB + 1 chunked",
        Request::new("POST", "/users").chunked(chunks(&padded(user, BODY_LIMIT + 1))),
        413,
        "body too large",
    );
    t.error(
        "body size: 1 MiB chunked",
        Request::new("POST", "/users").chunked(chunks(&padded(user, 1 << 20))),
        413,
        "body too large",
    );
    t.error(
        "body size: too large is checked before JSON (64 KiB + 1 of garbage)",
        Request::post("/users", vec![b'x'; BODY_LIMIT + 1]),
        413,
        "body too large",
    );
    let declared = Request {
        body: Body::Declared {
            content_length: 1_000_000,
            sent: Vec::new(),
        },
        ..Request::new("POST", "/users").header("Content-Type", "application/json")
    };
    t.error(
        "body size: declared Content-Length 1000000 is refused before the body is sent",
        declared,
        413,
        "body too large",
    );
    t.exact(
        "body size: the user count after the size cases",
        Request::get(&format!("/users/{}", t.user_count())),
        200,
        JSON,
        t.user(t.user_count()).to_string(),
    );
}
