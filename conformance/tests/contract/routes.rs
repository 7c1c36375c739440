//! Each route's success, HEAD, ignored query strings, unknown paths (404) and methods (405).
//! Runs first, on fresh servers: no users yet.

use conformance::expect::{JSON, TEXT};
use conformance::{Request, servers::READ_STATES};

use crate::Table;

const GET_HEAD: &[&str] = &["GET", "HEAD"];
const GET_HEAD_POST: &[&str] = &["GET", "HEAD", "POST"];
const GET_HEAD_PUT: &[&str] = &["GET", "HEAD", "PUT"];

pub fn add(t: &mut Table) {
    successes(t);
    unknown_paths(t);
    other_methods(t);
}

fn successes(t: &mut Table) {
    let hello_json = r#"{"message":"Hello, World!"}"#;
    t.exact(
        "plaintext",
        Request::get("/plaintext"),
        200,
        TEXT,
        "Hello, World!",
    );
    t.head("plaintext: HEAD", Request::head("/plaintext"), 200, TEXT);
    t.exact("json", Request::get("/json"), 200, JSON, hello_json);
    t.head("json: HEAD", Request::head("/json"), 200, JSON);
    t.exact(
        "healthz",
        Request::get("/healthz"),
        200,
        JSON,
        r#"{"status":"ok"}"#,
    );
    t.head("healthz: HEAD", Request::head("/healthz"), 200, JSON);
    t.stats("debug/stats: counts at start", READ_STATES);
    t.head(
        "debug/stats: HEAD",
        Request::head("/debug/stats"),
        200,
        JSON,
    );
    t.exact(
        "users: list is empty at start",
        Request::get("/users"),
        200,
        JSON,
        "[]",
    );
    t.head(
        "users: HEAD of the list",
        Request::head("/users"),
        200,
        JSON,
    );

    t.exact(
        "query ignored: /json?x=1",
        Request::get("/json?x=1"),
        200,
        JSON,
        hello_json,
    );
    t.exact(
        "query ignored: /json? (empty query)",
        Request::get("/json?"),
        200,
        JSON,
        hello_json,
    );
    t.exact(
        "query ignored: /plaintext?limit=abc",
        Request::get("/plaintext?limit=abc"),
        200,
        TEXT,
        "Hello, World!",
    );
    t.exact(
        "query ignored: /healthz?offset=-1",
        Request::get("/healthz?offset=-1"),
        200,
        JSON,
        r#"{"status":"ok"}"#,
    );
    t.exact(
        "request Content-Type is not checked on GET",
        Request::get("/json").header("Content-Type", "image/png"),
        200,
        JSON,
        hello_json,
    );
}

fn unknown_paths(t: &mut Table) {
    let not_found = [
        ("/", "root"),
        ("/nope", "unknown name"),
        ("/users/", "trailing slash on /users"),
        ("//users", "duplicate leading slash"),
        ("/users//1", "duplicate inner slash"),
        ("/./json", "dot segment"),
        ("/json/.", "trailing dot segment"),
        ("/users/../json", "dot-dot segment"),
        ("/json/", "trailing slash on /json"),
        ("/plaintext/", "trailing slash on /plaintext"),
        ("/healthz/", "trailing slash on /healthz"),
        ("/JSON", "upper case"),
        ("/Users/1", "capitalized route"),
        ("/json.json", "suffix"),
        ("/jsonx", "longer name"),
        ("/debug", "prefix of /debug/stats"),
        ("/debug/", "/debug/ with slash"),
        ("/debug/stats/", "trailing slash on /debug/stats"),
        ("/debug//stats", "duplicate slash in /debug/stats"),
        ("/users/1/", "trailing slash after an id"),
        ("/users/1/extra", "segment after an id"),
        ("/users%2F1", "percent-encoded slash"),
        ("/users/?limit=1", "trailing slash with a query"),
        ("/read_states", "/read_states alone"),
        ("/read_states/", "/read_states/ with slash"),
        ("/read_states/1", "one id"),
        ("/read_states/1/", "empty channel id (trailing slash)"),
        ("/read_states//1", "empty user id (duplicate slash)"),
        ("/read_states/1/2/", "trailing slash after two ids"),
        ("/read_states/1/2/3", "three ids"),
        ("/read_states/1//2", "duplicate slash between ids"),
        ("/read_state/1/2", "singular route name"),
    ];
    for (path, what) in not_found {
        t.error(
            format!("404: {what} ({path})"),
            Request::get(path),
            404,
            "not found",
        );
    }
    t.error(
        "404: HEAD of an unknown path has no body",
        Request::head("/nope"),
        404,
        "not found",
    );
    t.error(
        "404: POST to an unknown path",
        Request::post("/nope", "{}"),
        404,
        "not found",
    );
    t.error(
        "404: DELETE /users/ (unknown path, not 405)",
        Request::new("DELETE", "/users/"),
        404,
        "not found",
    );
    t.error(
        "404: PUT with a missing id",
        Request::put("/read_states/1", r#"{"message_id":1}"#),
        404,
        "not found",
    );
    t.error(
        "404: OPTIONS of an unknown path",
        Request::new("OPTIONS", "/nope"),
        404,
        "not found",
    );
    // Percent-encoding a route's own letters: docs/API.md says paths are "matched exactly"
    // but not whether they are decoded first.
    t.agree(
        "unspecified: percent-encoded letters in a route (/%6Ason)",
        Request::get("/%6Ason"),
    );
    t.agree(
        "unspecified: percent-encoded route segment (/%75sers/1)",
        Request::get("/%75sers/1"),
    );
    // A malformed percent-escape in the path is 400 whatever the path and method, but only
    // the status is specified: net/http rejects the request target in plain text before any
    // handler (docs/API.md, "Routes").
    let malformed_escapes = [
        ("GET", "/users/%zz", "in an id"),
        ("GET", "/users/%", "lone % as an id"),
        (
            "GET",
            "/read_states/1/%4",
            "truncated escape in a channel id",
        ),
        ("GET", "/nope/%zz", "in an unknown path"),
        ("GET", "/json%", "after a route's name"),
        ("DELETE", "/users/%zz", "with a method the route lacks"),
        ("POST", "/users%zz", "in a POST"),
    ];
    for (method, path, what) in malformed_escapes {
        t.status_only(
            format!("400: malformed percent-escape {what} ({method} {path})"),
            Request::new(method, path),
            400,
        );
    }
}

fn other_methods(t: &mut Table) {
    let cases: [(&str, &str, &[&str]); 24] = [
        ("POST", "/plaintext", GET_HEAD),
        ("PUT", "/json", GET_HEAD),
        ("DELETE", "/json", GET_HEAD),
        ("OPTIONS", "/json", GET_HEAD),
        ("TRACE", "/plaintext", GET_HEAD),
        ("DELETE", "/healthz", GET_HEAD),
        ("POST", "/healthz", GET_HEAD),
        ("PATCH", "/debug/stats", GET_HEAD),
        ("POST", "/debug/stats", GET_HEAD),
        ("PUT", "/users", GET_HEAD_POST),
        ("DELETE", "/users", GET_HEAD_POST),
        ("PATCH", "/users", GET_HEAD_POST),
        ("OPTIONS", "/users", GET_HEAD_POST),
        ("POST", "/users/1", GET_HEAD),
        ("PUT", "/users/1", GET_HEAD),
        ("DELETE", "/users/1", GET_HEAD),
        ("POST", "/users/abc", GET_HEAD),
        ("POST", "/read_states/1/2", GET_HEAD_PUT),
        ("DELETE", "/read_states/1/2", GET_HEAD_PUT),
        ("PATCH", "/read_states/1/2", GET_HEAD_PUT),
        ("OPTIONS", "/read_states/1/2", GET_HEAD_PUT),
        ("DELETE", "/read_states/x/y", GET_HEAD_PUT),
        ("get", "/json", GET_HEAD),
        ("FOO", "/users", GET_HEAD_POST),
    ];
    for (method, path, allow) in cases {
        t.not_allowed(
            format!("405: {method} {path}"),
            Request::new(method, path),
            allow,
        );
    }
    t.not_allowed(
        "405: POST /json with a JSON body",
        Request::post("/json", "{}"),
        GET_HEAD,
    );
    t.not_allowed(
        "405: PATCH /users with a query",
        Request::new("PATCH", "/users?limit=1"),
        GET_HEAD_POST,
    );
}
