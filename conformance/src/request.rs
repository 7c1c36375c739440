//! A request as exact bytes on the wire: the suite sends what a normalizing client would
//! not (`//users`, invalid UTF-8, oversized chunked bodies, lower-case methods, `HEAD`).

use std::fmt;
use std::net::SocketAddr;

/// How the body is framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body and no framing header.
    None,
    /// `Content-Length: N` and the bytes.
    Fixed(Vec<u8>),
    /// `Transfer-Encoding: chunked` and these chunks.
    Chunked(Vec<Vec<u8>>),
    /// `Content-Length: N` declared, but only `sent` bytes follow (the server is expected to
    /// answer from the declaration alone).
    Declared {
        /// The declared length.
        content_length: u64,
        /// The bytes actually sent.
        sent: Vec<u8>,
    },
}

/// One HTTP/1.1 request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method token, sent as is.
    pub method: String,
    /// The request-target, sent as is.
    pub target: String,
    /// Extra header fields (`Host` and `Connection` are added when serialized).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

impl Request {
    /// A request without body.
    pub fn new(method: &str, target: &str) -> Request {
        Request {
            method: method.to_string(),
            target: target.to_string(),
            headers: Vec::new(),
            body: Body::None,
        }
    }

    /// `GET target`.
    pub fn get(target: &str) -> Request {
        Request::new("GET", target)
    }

    /// `HEAD target`.
    pub fn head(target: &str) -> Request {
        Request::new("HEAD", target)
    }

    /// `POST target` with `Content-Type: application/json` and `body`.
    pub fn post(target: &str, body: impl Into<Vec<u8>>) -> Request {
        Request::new("POST", target).json(body)
    }

    /// `PUT target` with `Content-Type: application/json` and `body`.
    pub fn put(target: &str, body: impl Into<Vec<u8>>) -> Request {
        Request::new("PUT", target).json(body)
    }

    /// Adds `Content-Type: application/json` and the body (with `Content-Length`).
    pub fn json(self, body: impl Into<Vec<u8>>) -> Request {
        self.header("Content-Type", "application/json").body(body)
    }

    /// Sets the body, framed with `Content-Length`.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = Body::Fixed(body.into());
        self
    }

    /// Sets a chunked body.
    pub fn chunked(mut self, chunks: Vec<Vec<u8>>) -> Request {
        self.body = Body::Chunked(chunks);
        self
    }

    /// Adds a header field.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Removes every header field named `name`.
    pub fn without_header(mut self, name: &str) -> Request {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    /// True for `HEAD`, whose response has no body.
    pub fn is_head(&self) -> bool {
        self.method == "HEAD"
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The bytes to send to `host`. With `close`, `Connection: close` asks the server to
    /// end the connection after its answer.
    pub fn to_bytes(&self, host: SocketAddr, close: bool) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\n",
            self.method, self.target
        )
        .into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        if close {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        match &self.body {
            Body::None => out.extend_from_slice(b"\r\n"),
            Body::Fixed(bytes) => {
                out.extend_from_slice(
                    format!("Content-Length: {}\r\n\r\n", bytes.len()).as_bytes(),
                );
                out.extend_from_slice(bytes);
            }
            Body::Declared {
                content_length,
                sent,
            } => {
                out.extend_from_slice(
                    format!("Content-Length: {content_length}\r\n\r\n").as_bytes(),
                );
                out.extend_from_slice(sent);
            }
            Body::Chunked(chunks) => {
                out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
                for chunk in chunks.iter().filter(|c| !c.is_empty()) {
                    out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
            }
        }
        out
    }
}

/// Shows the request line, the headers that matter and the body, escaped and shortened.
impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.target.escape_debug())?;
        for (name, value) in &self.headers {
            write!(f, " [{name}: {value}]")?;
        }
        match &self.body {
            Body::None => Ok(()),
            Body::Fixed(bytes) => write!(f, " body {}", show_bytes(bytes)),
            Body::Declared {
                content_length,
                sent,
            } => write!(
                f,
                " [Content-Length: {content_length}] with only {} bytes sent",
                sent.len()
            ),
            Body::Chunked(chunks) => {
                let total: usize = chunks.iter().map(Vec::len).sum();
                let all: Vec<u8> = chunks.concat();
                write!(
                    f,
                    " chunked ({} chunks, {total} bytes) {}",
                    chunks.len(),
                    show_bytes(&all)
                )
            }
        }
    }
}

/// Bytes as an escaped string literal, shortened past 160 bytes.
pub fn show_bytes(bytes: &[u8]) -> String {
    const SHOWN: usize = 160;
    let shown = &bytes[..bytes.len().min(SHOWN)];
    let mut text = String::from("b\"");
    for chunk in shown.utf8_chunks() {
        text.extend(chunk.valid().chars().flat_map(char::escape_debug));
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text.push('"');
    if bytes.len() > SHOWN {
        text.push_str(&format!("... ({} bytes)", bytes.len()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> SocketAddr {
        "127.0.0.1:8080".parse().unwrap()
    }

    #[test]
    fn fixed_body_bytes() {
        let bytes = Request::post("/users", "{}").to_bytes(host(), true);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "POST /users HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\n\
             Connection: close\r\nContent-Length: 2\r\n\r\n{}"
        );
    }

    #[test]
    fn chunked_body_bytes() {
        let request =
            Request::new("PUT", "/x").chunked(vec![b"ab".to_vec(), vec![], vec![b'c'; 17]]);
        let text = String::from_utf8(request.to_bytes(host(), false)).unwrap();
        assert!(
            text.ends_with("\r\n\r\n2\r\nab\r\n11\r\nccccccccccccccccc\r\n0\r\n\r\n"),
            "{text}"
        );
        assert!(!text.contains("Connection"));
    }

    #[test]
    fn display_escapes_and_shortens() {
        let request = Request::post("/users", b"{\"name\":\"\xff\"}\n".to_vec());
        assert_eq!(
            request.to_string(),
            "POST /users [Content-Type: application/json] body b\"{\\\"name\\\":\\\"\\xff\\\"}\\n\""
        );
        assert!(show_bytes(&[b'a'; 200]).ends_with("... (200 bytes)"));
    }
}
