//! The protocols the table runs over, and which requests have an HTTP/2 form.
//!
//! Every case is sent over HTTP/1.1. The HTTP/2 run (h2c with prior knowledge) sends each
//! case that has an HTTP/2 form over HTTP/2 and the rest over HTTP/1.1, in the same order, so
//! that both servers see the same sequence of state changes and the table's model of that
//! state holds. A case is HTTP/1-only for one of the reasons of [`Http1Only`].

use std::fmt;

use server_launcher::http::HTTP1_ONLY_FIELDS;

use crate::request::{Body, Request};
use crate::table::{Expect, Probe};

/// How a table run sends its cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Every case as raw HTTP/1.1 bytes.
    Http1,
    /// HTTP/2 over cleartext with prior knowledge, for every case that has an HTTP/2 form.
    Http2,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Http1 => "HTTP/1.1",
            Protocol::Http2 => "HTTP/2 (h2c)",
        })
    }
}

/// Why a case has no HTTP/2 form and stays HTTP/1-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Http1Only {
    /// `Transfer-Encoding: chunked`: HTTP/2 frames bodies itself (RFC 9113 §8.2.2).
    ChunkedFraming,
    /// A `Content-Length` that the bytes sent do not match: in HTTP/2 that is a malformed
    /// stream (RFC 9113 §8.1.1), reset by the protocol layer, not answered.
    DeclaredLength,
    /// docs/API.md fixes only the status, which comes from each server's HTTP/1 parser (a
    /// malformed request line or percent-escape); over HTTP/2 the same bytes are a stream
    /// error, not a status.
    RejectedByHttp1Parser,
    /// A connection-specific or framing header field (`Host`, `Connection`,
    /// `Transfer-Encoding`, ...), which HTTP/2 forbids or replaces (RFC 9113 §8.2.2, §8.3.1).
    ConnectionHeader(String),
    /// The method, target or a header field is not valid in an HTTP/2 request (e.g. a
    /// request-target with bytes `:path` cannot carry, or not in origin form).
    NotRepresentable(String),
    /// Set-up on one keep-alive HTTP/1.1 connection (read-state fill), not a contract rule.
    KeepAliveSetUp,
}

impl fmt::Display for Http1Only {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Http1Only::ChunkedFraming => f.write_str("chunked framing"),
            Http1Only::DeclaredLength => f.write_str("Content-Length not matching the body"),
            Http1Only::RejectedByHttp1Parser => {
                f.write_str("malformed request, rejected by the HTTP/1 parser")
            }
            Http1Only::ConnectionHeader(name) => {
                write!(f, "connection-specific header field {name}")
            }
            Http1Only::NotRepresentable(what) => write!(f, "no HTTP/2 form: {what}"),
            Http1Only::KeepAliveSetUp => f.write_str("keep-alive set-up"),
        }
    }
}

/// `Ok(())` if the probe can be sent over HTTP/2, else why not.
pub fn http2_form(probe: &Probe) -> Result<(), Http1Only> {
    match probe {
        Probe::One { request, expect } => {
            if matches!(expect, Expect::Status(_)) {
                return Err(Http1Only::RejectedByHttp1Parser);
            }
            request_http2_form(request).map(|_| ())
        }
        Probe::FillReadStates { .. } => Err(Http1Only::KeepAliveSetUp),
        Probe::Pipelined(_) => Err(Http1Only::NotRepresentable(
            "HTTP/1.1 pipelining (HTTP/2 multiplexes streams instead)".to_string(),
        )),
    }
}

/// The request as an HTTP/2 request (`:authority` is added by the sender), or why it has none.
pub fn request_http2_form(request: &Request) -> Result<http::Request<Vec<u8>>, Http1Only> {
    let body = match &request.body {
        Body::None => Vec::new(),
        Body::Fixed(bytes) => bytes.clone(),
        Body::Chunked(_) => return Err(Http1Only::ChunkedFraming),
        Body::Declared { .. } => return Err(Http1Only::DeclaredLength),
    };
    if !request.target.starts_with('/') {
        return Err(Http1Only::NotRepresentable(format!(
            "request-target {:?} is not in origin form",
            request.target
        )));
    }
    let path = http::uri::PathAndQuery::try_from(request.target.as_str())
        .map_err(|_| Http1Only::NotRepresentable(format!("request-target {:?}", request.target)))?;
    let method = http::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| Http1Only::NotRepresentable(format!("method {:?}", request.method)))?;
    let mut builder = http::Request::builder().method(method).uri(path);
    for (name, value) in &request.headers {
        if HTTP1_ONLY_FIELDS
            .iter()
            .any(|forbidden| name.eq_ignore_ascii_case(forbidden))
        {
            return Err(Http1Only::ConnectionHeader(name.clone()));
        }
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Http1Only::NotRepresentable(format!("header name {name:?}")))?;
        let value = http::HeaderValue::from_bytes(value.as_bytes())
            .map_err(|_| Http1Only::NotRepresentable(format!("header value {value:?}")))?;
        builder = builder.header(name, value);
    }
    if let Body::Fixed(bytes) = &request.body {
        // As the HTTP/1.1 form does: a fixed body always declares its length.
        builder = builder.header(http::header::CONTENT_LENGTH, bytes.len());
    }
    builder
        .body(body)
        .map_err(|e| Http1Only::NotRepresentable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expect::{BodyPattern, Expected, JSON};

    fn one(request: Request, expect: Expect) -> Probe {
        Probe::One { request, expect }
    }

    fn contract() -> Expect {
        Expect::Contract(Expected {
            status: 200,
            content_type: JSON,
            allow: None,
            body: BodyPattern::Empty,
        })
    }

    #[test]
    fn ordinary_requests_have_an_http2_form() {
        let request = request_http2_form(&Request::post("/users?x=1", "{}")).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri(), "/users?x=1");
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.headers()["content-length"], "2");
        assert_eq!(request.body(), b"{}");
        assert_eq!(
            http2_form(&one(Request::new("get", "//users"), Expect::Agree)),
            Ok(())
        );
    }

    #[test]
    fn http1_only_cases_say_why() {
        let cases = [
            (
                one(
                    Request::new("PUT", "/x").chunked(vec![b"a".to_vec()]),
                    contract(),
                ),
                Http1Only::ChunkedFraming,
            ),
            (
                one(Request::get("/users/%zz"), Expect::Status(400)),
                Http1Only::RejectedByHttp1Parser,
            ),
            (
                one(
                    Request::get("/json").header("Connection", "close"),
                    contract(),
                ),
                Http1Only::ConnectionHeader("Connection".into()),
            ),
            (
                one(
                    Request::new("POST", "/users")
                        .body(Vec::new())
                        .header("Host", "x"),
                    contract(),
                ),
                Http1Only::ConnectionHeader("Host".into()),
            ),
        ];
        for (probe, reason) in cases {
            assert_eq!(http2_form(&probe), Err(reason));
        }
        assert!(matches!(
            http2_form(&one(Request::get("*"), Expect::Agree)),
            Err(Http1Only::NotRepresentable(_))
        ));
        assert!(matches!(
            http2_form(&one(Request::get("/a b"), Expect::Agree)),
            Err(Http1Only::NotRepresentable(_))
        ));
    }
}
