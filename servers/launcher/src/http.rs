//! A minimal blocking HTTP/1.1 client over `std::net::TcpStream`, for control requests
//! (`/healthz`, `/debug/stats`) and for the conformance suite, which needs to send exact
//! bytes (`//users`, invalid UTF-8, oversized chunked bodies, `HEAD`) that a full client
//! would normalize away. Not for load: it allocates per request.
//!
//! Requests are passed as raw bytes; responses are framed per RFC 9112 section 6.3:
//! no body for `HEAD`, 1xx, 204 and 304; else `Transfer-Encoding: chunked`, else
//! `Content-Length`, else everything up to the end of the connection.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The most header fields a response may have.
const MAX_HEADERS: usize = 64;

/// HTTP/1.1 header fields that HTTP/2 forbids (connection-specific) or carries as a
/// pseudo-header instead (`Host` → `:authority`), RFC 9113 §8.2.2 and §8.3.1; lower case.
pub const HTTP1_ONLY_FIELDS: [&str; 7] = [
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
];

/// A parsed HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The header fields in the order received, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
    /// Bytes that followed the end of the response before the connection closed (only
    /// [`exchange`] collects them). A correct server sends none; a body on a `HEAD` response
    /// shows up here.
    pub trailing: Vec<u8>,
}

impl Response {
    /// The value of the first header field named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a request got no usable response.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Connecting, writing or reading failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: &'static str,
        /// The operating system's error.
        source: io::Error,
    },
    /// No complete response arrived in time.
    #[error("no complete response within {timeout:?} ({received} bytes received)")]
    Timeout {
        /// The timeout that ran out.
        timeout: Duration,
        /// How many bytes had arrived.
        received: usize,
    },
    /// The connection closed before a complete response.
    #[error("connection closed after {received} bytes, before a complete response{}",
        write_error.as_ref().map(|e| format!(" (sending the request failed: {e})")).unwrap_or_default())]
    Closed {
        /// How many bytes had arrived.
        received: usize,
        /// Set when sending the request had failed too (the server may have closed early).
        write_error: Option<String>,
    },
    /// The bytes received are not an HTTP/1.1 response.
    #[error("malformed response: {0}")]
    Malformed(String),
}

/// Sends `request` on a new connection and reads the response until the server closes the
/// connection, so the request should carry `Connection: close`. If the server answers early
/// and stops reading (a 413 before the body), the failed write is tolerated and the answer
/// is still read. Set `head` when the request's method is `HEAD`.
pub fn exchange(
    addr: SocketAddr,
    request: &[u8],
    head: bool,
    timeout: Duration,
) -> Result<Response, HttpError> {
    let deadline = Instant::now() + timeout;
    let mut stream = connect(addr, timeout)?;
    let write_error = stream.write_all(request).err();
    let mut received = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return parsed_on_timeout(&received, head, timeout);
        }
        set_read_timeout(&stream, left)?;
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => return parsed_on_timeout(&received, head, timeout),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // A reset after the response (the server closed with our unread body in its
            // buffer) still leaves a complete response in `received`.
            Err(_) => break,
        }
    }
    match parse_response(&received, head, true)? {
        Some((mut response, used)) => {
            response.trailing = received[used..].to_vec();
            Ok(response)
        }
        None => Err(HttpError::Closed {
            received: received.len(),
            write_error: write_error.map(|e| e.to_string()),
        }),
    }
}

fn parsed_on_timeout(
    received: &[u8],
    head: bool,
    timeout: Duration,
) -> Result<Response, HttpError> {
    // The server kept the connection open: fine if the response itself is complete.
    match parse_response(received, head, false) {
        Ok(Some((mut response, used))) => {
            response.trailing = received[used..].to_vec();
            Ok(response)
        }
        _ => Err(HttpError::Timeout {
            timeout,
            received: received.len(),
        }),
    }
}

/// `GET path` with `Connection: close` on a new connection.
pub fn get(addr: SocketAddr, path: &str, timeout: Duration) -> Result<Response, HttpError> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    exchange(addr, request.as_bytes(), false, timeout)
}

/// A keep-alive connection that sends requests one after another.
pub struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
    timeout: Duration,
}

impl Connection {
    /// Connects; `timeout` applies to connecting and to each later request.
    pub fn connect(addr: SocketAddr, timeout: Duration) -> Result<Connection, HttpError> {
        Ok(Connection {
            stream: connect(addr, timeout)?,
            buffer: Vec::new(),
            timeout,
        })
    }

    /// Sends one request and reads its response (framed by its headers, so the connection
    /// can be reused unless the response was delimited by the connection's end).
    pub fn send(&mut self, request: &[u8], head: bool) -> Result<Response, HttpError> {
        let deadline = Instant::now() + self.timeout;
        self.write(request)?;
        self.read_response(head, deadline)
    }

    /// HTTP/1.1 pipelining (RFC 9112 §9.3.2): sends every request of `requests` (their bytes
    /// concatenated) in one write before reading any answer, then reads one response per
    /// entry of `heads` (true for a `HEAD` request), in order. `timeout` applies to the lot.
    pub fn send_pipelined(
        &mut self,
        requests: &[u8],
        heads: &[bool],
    ) -> Result<Vec<Response>, HttpError> {
        let deadline = Instant::now() + self.timeout;
        self.write(requests)?;
        heads
            .iter()
            .map(|&head| self.read_response(head, deadline))
            .collect()
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), HttpError> {
        self.stream
            .write_all(bytes)
            .map_err(|source| HttpError::Io {
                context: "sending the request",
                source,
            })
    }

    fn read_response(&mut self, head: bool, deadline: Instant) -> Result<Response, HttpError> {
        let mut chunk = [0u8; 16 * 1024];
        let mut at_eof = false;
        loop {
            if let Some((response, used)) = parse_response(&self.buffer, head, at_eof)? {
                self.buffer.drain(..used);
                return Ok(response);
            }
            if at_eof {
                return Err(HttpError::Closed {
                    received: self.buffer.len(),
                    write_error: None,
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(HttpError::Timeout {
                    timeout: self.timeout,
                    received: self.buffer.len(),
                });
            }
            set_read_timeout(&self.stream, left)?;
            match self.stream.read(&mut chunk) {
                Ok(0) => at_eof = true,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if is_timeout(&e) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(HttpError::Io {
                        context: "reading the response",
                        source,
                    });
                }
            }
        }
    }
}

fn connect(addr: SocketAddr, timeout: Duration) -> Result<TcpStream, HttpError> {
    let io = |context| move |source| HttpError::Io { context, source };
    let stream = TcpStream::connect_timeout(&addr, timeout).map_err(io("connecting"))?;
    stream
        .set_nodelay(true)
        .map_err(io("setting TCP_NODELAY"))?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(io("setting the write timeout"))?;
    Ok(stream)
}

fn set_read_timeout(stream: &TcpStream, left: Duration) -> Result<(), HttpError> {
    // A zero timeout means "block forever" to the OS; never pass it.
    let left = left.max(Duration::from_millis(1));
    stream
        .set_read_timeout(Some(left))
        .map_err(|source| HttpError::Io {
            context: "setting the read timeout",
            source,
        })
}

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Parses one response from the start of `bytes`. `Ok(None)` means "incomplete, read more";
/// `at_eof` says the connection has ended, which completes a body delimited by the close.
/// Interim 1xx responses are skipped. Returns the response and the bytes it used.
pub fn parse_response(
    bytes: &[u8],
    head: bool,
    at_eof: bool,
) -> Result<Option<(Response, usize)>, HttpError> {
    let mut start = 0;
    loop {
        let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Response::new(&mut fields);
        let head_len = match parsed.parse(&bytes[start..]) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(e) => return Err(HttpError::Malformed(format!("response head: {e}"))),
        };
        let status = parsed.code.unwrap_or(0);
        let headers: Vec<(String, String)> = parsed
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect();
        let body_start = start + head_len;
        if (100..200).contains(&status) && status != 101 {
            start = body_start;
            continue;
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
            trailing: Vec::new(),
        };
        let rest = &bytes[body_start..];
        let body_len = if head || status == 204 || status == 304 || status == 101 {
            Some(0)
        } else if is_chunked(&response) {
            match decode_chunked(rest)? {
                Some((body, used)) => {
                    response.body = body;
                    return Ok(Some((response, body_start + used)));
                }
                None => return Ok(None),
            }
        } else if let Some(length) = response.header("content-length") {
            Some(length.trim().parse::<usize>().map_err(|_| {
                HttpError::Malformed(format!("Content-Length {length:?} is not a number"))
            })?)
        } else if at_eof {
            Some(rest.len())
        } else {
            None
        };
        return Ok(match body_len {
            Some(n) if rest.len() >= n => {
                response.body = rest[..n].to_vec();
                Some((response, body_start + n))
            }
            _ => None,
        });
    }
}

fn is_chunked(response: &Response) -> bool {
    response
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
        .any(|(_, v)| {
            v.split(',')
                .any(|coding| coding.trim().eq_ignore_ascii_case("chunked"))
        })
}

/// Decodes a chunked body; `None` if incomplete. Chunk extensions and trailers are skipped.
fn decode_chunked(bytes: &[u8]) -> Result<Option<(Vec<u8>, usize)>, HttpError> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let Some(line_end) = find_crlf(&bytes[at..]) else {
            return Ok(None);
        };
        let line = String::from_utf8_lossy(&bytes[at..at + line_end]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| HttpError::Malformed(format!("chunk size line {line:?}")))?;
        at += line_end + 2;
        if size == 0 {
            // Trailer fields, then an empty line.
            loop {
                let Some(line_end) = find_crlf(&bytes[at..]) else {
                    return Ok(None);
                };
                at += line_end + 2;
                if line_end == 0 {
                    return Ok(Some((body, at)));
                }
            }
        }
        if bytes.len() < at + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&bytes[at..at + size]);
        if &bytes[at + size..at + size + 2] != b"\r\n" {
            return Err(HttpError::Malformed("chunk not followed by CRLF".into()));
        }
        at += size + 2;
    }
}

fn find_crlf(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8], head: bool, at_eof: bool) -> Option<(Response, usize)> {
        parse_response(bytes, head, at_eof).unwrap()
    }

    #[test]
    fn content_length_body() {
        let raw =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloXX";
        let (response, used) = parse(raw, false, false).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("text/plain"));
        assert_eq!(response.body, b"hello");
        assert_eq!(used, raw.len() - 2);
        assert!(parse(&raw[..raw.len() - 3], false, false).is_none());
    }

    #[test]
    fn chunked_body_with_extension_and_trailer() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                    5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nX-T: 1\r\n\r\n";
        let (response, used) = parse(raw, false, false).unwrap();
        assert_eq!(response.body, b"hello!");
        assert_eq!(used, raw.len());
        assert!(parse(&raw[..raw.len() - 1], false, false).is_none());
    }

    #[test]
    fn head_and_204_have_no_body() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 27\r\n\r\n";
        let (response, used) = parse(raw, true, false).unwrap();
        assert!(response.body.is_empty());
        assert_eq!(used, raw.len());
        let raw = b"HTTP/1.1 204 No Content\r\n\r\n";
        assert!(parse(raw, false, false).unwrap().0.body.is_empty());
    }

    #[test]
    fn body_until_close_and_interim_responses() {
        let raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nall of it";
        assert!(parse(raw, false, false).is_none());
        let (response, _) = parse(raw, false, true).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"all of it");
    }

    #[test]
    fn malformed_is_an_error() {
        assert!(parse_response(b"HTTP/1.1 abc\r\n\r\n", false, true).is_err());
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n";
        assert!(parse_response(raw, false, true).is_err());
    }
}
