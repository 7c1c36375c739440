//! A lean HTTP/1.1 client connection: one request in flight, keep-alive, no allocation per
//! request once the read buffer has grown to the largest response seen.
//!
//! Why not hyper's client: the generator must cost less CPU per request than the server it
//! measures (wrk's design: one event loop per core, no allocation, a small parser). Hyper's
//! client adds a connection pool, channels and per-request allocations that the study does not
//! need; httparse (the parser hyper itself uses) is all that is required for framing.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest response this client will buffer; anything larger is treated as malformed.
const MAX_RESPONSE_BYTES: usize = 4 << 20;
const INITIAL_BUFFER_BYTES: usize = 16 << 10;
const MAX_HEADERS: usize = 32;

/// Why one exchange (request written, response read) failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeError {
    /// The peer closed the connection before a whole response arrived.
    Closed,
    /// The connection was reset or broke (ECONNRESET, EPIPE and other I/O errors).
    Reset,
    /// The bytes received are not an HTTP/1.1 response this client can frame.
    Malformed,
}

impl From<io::Error> for ExchangeError {
    fn from(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::UnexpectedEof => ExchangeError::Closed,
            _ => ExchangeError::Reset,
        }
    }
}

/// What the client needs from a response: its status, and whether the connection may be reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseHead {
    pub status: u16,
    pub keep_alive: bool,
}

/// One keep-alive connection to the target.
pub struct Http1Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// Unconsumed bytes are `buffer[start..end]` (a pipelined or early byte is kept, not lost).
    start: usize,
    end: usize,
}

impl Http1Connection {
    /// Opens a TCP connection with Nagle disabled (requests are single small writes).
    pub async fn connect(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buffer: vec![0; INITIAL_BUFFER_BYTES],
            start: 0,
            end: 0,
        })
    }

    /// Writes one complete request and reads its response (status line, headers and body).
    pub async fn exchange(&mut self, request: &[u8]) -> Result<ResponseHead, ExchangeError> {
        self.stream.write_all(request).await?;
        loop {
            if let Some(head) = self.take_response()? {
                return Ok(head);
            }
            self.fill().await?;
        }
    }

    /// Writes `requests` (one request, or a pipelined batch) without reading.
    pub async fn write(&mut self, requests: &[u8]) -> Result<(), ExchangeError> {
        Ok(self.stream.write_all(requests).await?)
    }

    /// Parses one whole response from the buffer and consumes it, or returns None if more
    /// bytes are needed.
    fn take_response(&mut self) -> Result<Option<ResponseHead>, ExchangeError> {
        let stray_bytes_follow = self.take_next_response()?.map(|head| (head, self.end > 0));
        Ok(stray_bytes_follow.map(|(mut head, stray)| {
            if stray {
                // Bytes nobody asked for (one request is in flight at a time): never let
                // them pass for the next request's response; start a fresh connection.
                head.keep_alive = false;
            }
            head
        }))
    }

    /// Pipelining: parses the next whole response from the buffer and consumes it, leaving
    /// any bytes after it for the responses to the requests behind it; None if more bytes
    /// are needed (read them with [`Self::fill`]).
    pub fn take_next_response(&mut self) -> Result<Option<ResponseHead>, ExchangeError> {
        let data = &self.buffer[self.start..self.end];
        let Some((head, total_len)) = parse_response(data)? else {
            return Ok(None);
        };
        self.start += total_len;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        Ok(Some(head))
    }

    /// Reads what the socket has into the buffer (cancel-safe: nothing is consumed until
    /// the read returns).
    pub async fn fill(&mut self) -> Result<(), ExchangeError> {
        if self.end == self.buffer.len() {
            if self.start > 0 {
                self.buffer.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            } else if self.buffer.len() >= MAX_RESPONSE_BYTES {
                return Err(ExchangeError::Malformed);
            } else {
                let grown = self.buffer.len() * 2;
                self.buffer.resize(grown, 0);
            }
        }
        let read = self.stream.read(&mut self.buffer[self.end..]).await?;
        if read == 0 {
            return Err(ExchangeError::Closed);
        }
        self.end += read;
        Ok(())
    }
}

/// Frames one response at the start of `data`: Some((head, bytes it occupies)) when whole.
///
/// Content-Length and chunked bodies are supported; 1xx, 204 and 304 have no body. A response
/// delimited only by closing the connection is reported as malformed: neither reference
/// server sends one, and a benchmark client cannot tell such an end from a broken connection.
pub fn parse_response(data: &[u8]) -> Result<Option<(ResponseHead, usize)>, ExchangeError> {
    let mut offset = 0;
    loop {
        match parse_one_response(&data[offset..])? {
            None => return Ok(None),
            // An interim 1xx (100 Continue, 103 Early Hints) precedes the real response.
            Some((head, len)) if (100..200).contains(&head.status) && head.status != 101 => {
                offset += len;
            }
            Some((head, len)) => return Ok(Some((head, offset + len))),
        }
    }
}

fn parse_one_response(data: &[u8]) -> Result<Option<(ResponseHead, usize)>, ExchangeError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(data) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err(ExchangeError::Malformed),
    };
    let status = response.code.ok_or(ExchangeError::Malformed)?;
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut keep_alive = response.version == Some(1);
    for header in response.headers.iter() {
        if header.name.eq_ignore_ascii_case("content-length") {
            let text = std::str::from_utf8(header.value).map_err(|_| ExchangeError::Malformed)?;
            content_length = Some(text.trim().parse().map_err(|_| ExchangeError::Malformed)?);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = contains_token(header.value, b"chunked");
        } else if header.name.eq_ignore_ascii_case("connection") {
            if contains_token(header.value, b"close") {
                keep_alive = false;
            } else if contains_token(header.value, b"keep-alive") {
                keep_alive = true;
            }
        }
    }
    let head = ResponseHead { status, keep_alive };
    let bodyless = (100..200).contains(&status) || status == 204 || status == 304;
    let body_len = if bodyless {
        Some(0)
    } else if chunked {
        chunked_body_len(&data[head_len..])?
    } else if let Some(length) = content_length {
        (data.len() - head_len >= length).then_some(length)
    } else {
        return Err(ExchangeError::Malformed);
    };
    Ok(body_len.map(|len| (head, head_len + len)))
}

/// Length of a complete chunked body (chunks, last chunk, trailers), or None if incomplete.
fn chunked_body_len(body: &[u8]) -> Result<Option<usize>, ExchangeError> {
    let mut position = 0;
    loop {
        let (size_line_len, chunk_size) = match httparse::parse_chunk_size(&body[position..]) {
            Ok(httparse::Status::Complete(parsed)) => parsed,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(_) => return Err(ExchangeError::Malformed),
        };
        position += size_line_len;
        if chunk_size == 0 {
            // Trailers end with an empty line; usually there are none and "\r\n" follows.
            return Ok(find_double_crlf_end(&body[position..]).map(|end| position + end));
        }
        let chunk_size = usize::try_from(chunk_size).map_err(|_| ExchangeError::Malformed)?;
        // A hostile size must not overflow the arithmetic.
        let chunk_end = position
            .checked_add(chunk_size)
            .filter(|end| *end <= MAX_RESPONSE_BYTES)
            .ok_or(ExchangeError::Malformed)?;
        if body.len() < chunk_end + 2 {
            return Ok(None);
        }
        if &body[chunk_end..chunk_end + 2] != b"\r\n" {
            return Err(ExchangeError::Malformed);
        }
        position = chunk_end + 2;
    }
}

/// After the last chunk: the end of the (possibly empty) trailer section.
fn find_double_crlf_end(rest: &[u8]) -> Option<usize> {
    if rest.starts_with(b"\r\n") {
        return Some(2);
    }
    rest.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

fn contains_token(value: &[u8], token: &[u8]) -> bool {
    value
        .split(|&b| b == b',')
        .any(|part| part.trim_ascii().eq_ignore_ascii_case(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_a_content_length_response() {
        let data = b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!extra";
        let (head, len) = parse_response(data).unwrap().unwrap();
        assert_eq!(head.status, 200);
        assert!(head.keep_alive);
        assert_eq!(len, data.len() - "extra".len());
    }

    #[test]
    fn waits_for_the_rest_of_a_body() {
        let data = b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello";
        assert_eq!(parse_response(data).unwrap(), None);
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Le").unwrap(),
            None
        );
    }

    #[test]
    fn frames_a_chunked_response() {
        let data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n3\r\nabc\r\n0\r\n\r\n";
        let (head, len) = parse_response(data).unwrap().unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(len, data.len());
        let partial = &data[..data.len() - 2];
        assert_eq!(parse_response(partial).unwrap(), None);
    }

    #[test]
    fn honours_connection_close_and_bodyless_statuses() {
        let data = b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
        let (head, len) = parse_response(data).unwrap().unwrap();
        assert_eq!(head.status, 204);
        assert!(!head.keep_alive);
        assert_eq!(len, data.len());
    }

    #[test]
    fn skips_interim_responses_and_rejects_huge_chunks() {
        let data =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}";
        let (head, len) = parse_response(data).unwrap().unwrap();
        assert_eq!(head.status, 201);
        assert_eq!(len, data.len());
        let huge = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n";
        assert_eq!(parse_response(huge), Err(ExchangeError::Malformed));
    }

    #[test]
    fn rejects_garbage_and_unframed_bodies() {
        assert_eq!(
            parse_response(b"garbage\r\n\r\n"),
            Err(ExchangeError::Malformed)
        );
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\n\r\nbody"),
            Err(ExchangeError::Malformed)
        );
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"),
            Err(ExchangeError::Malformed)
        );
    }
}
