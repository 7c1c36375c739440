//! HTTP/1.1 pipelining (RFC 9112 §9.3.2): several requests in one write on one connection,
//! before any answer is read; the answers must come back complete and in request order.
//! Neither server turns on a pipelining tuning (hyper's `pipeline_flush` stays off).

use conformance::Request;
use conformance::expect::{BodyPattern, Expected, JSON, TEXT};

use crate::{Table, error_body};

/// TechEmpower's plaintext test pipelines 16 requests per connection.
const TECHEMPOWER_DEPTH: usize = 16;

pub fn add(t: &mut Table) {
    let hello = exact(200, TEXT, b"Hello, World!".to_vec());
    t.pipelined(
        "pipelining: 16 x GET /plaintext (TechEmpower's depth)",
        vec![(Request::get("/plaintext"), hello.clone()); TECHEMPOWER_DEPTH],
    );
    t.pipelined(
        "pipelining: mixed routes, statuses and HEAD keep their order",
        vec![
            (
                Request::get("/json"),
                exact(200, JSON, br#"{"message":"Hello, World!"}"#.to_vec()),
            ),
            (
                Request::get("/nope"),
                exact(404, JSON, error_body("not found").into_bytes()),
            ),
            (
                Request::head("/plaintext"),
                Expected {
                    status: 200,
                    content_type: TEXT,
                    allow: None,
                    body: BodyPattern::Empty,
                },
            ),
            (
                Request::get("/users/abc"),
                exact(400, JSON, error_body("invalid id").into_bytes()),
            ),
            (Request::get("/plaintext"), hello),
        ],
    );
    // A write and the read of what it wrote in one batch: the GET is only right if the
    // server handled the POST first.
    let id = t.user_count() + 1;
    let user = format!(r#"{{"id":{id},"name":"Pipe","email":"pipe@example.com"}}"#);
    t.pipelined_creating_user(
        "pipelining: POST /users then GET of the new user in one write",
        vec![
            (
                Request::post("/users", r#"{"name":"Pipe","email":"pipe@example.com"}"#),
                exact(201, JSON, user.clone().into_bytes()),
            ),
            (
                Request::get(&format!("/users/{id}")),
                exact(200, JSON, user.clone().into_bytes()),
            ),
        ],
        user,
    );
}

fn exact(status: u16, content_type: &'static str, body: Vec<u8>) -> Expected {
    Expected {
        status,
        content_type,
        allow: None,
        body: BodyPattern::Exact(body),
    }
}
