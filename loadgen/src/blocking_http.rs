//! A small blocking HTTP/1.1 client for set-up and probes (seeding users, checking that an
//! external target answers). Not used on the measured path.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::engine::http1::parse_response;

const IO_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
}

/// A whole response: status and body.
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Client {
    pub fn connect(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buffer: Vec::with_capacity(16 << 10),
        })
    }

    /// Sends a complete request and returns the response's status.
    pub fn send(&mut self, request: &[u8]) -> io::Result<u16> {
        Ok(self.round_trip(request)?.status)
    }

    /// Sends a complete request and returns the whole response.
    pub fn round_trip(&mut self, request: &[u8]) -> io::Result<Response> {
        self.stream.write_all(request)?;
        self.buffer.clear();
        let mut chunk = [0u8; 16 << 10];
        loop {
            match parse_response(&self.buffer) {
                Ok(Some((head, total))) => {
                    let head_len = header_len(&self.buffer);
                    let raw = &self.buffer[head_len..total];
                    let body = if is_chunked(&self.buffer[..head_len]) {
                        dechunk(raw)
                    } else {
                        raw.to_vec()
                    };
                    return Ok(Response {
                        status: head.status,
                        body,
                    });
                }
                Ok(None) => {}
                Err(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the server's answer is not a valid HTTP/1.1 response",
                    ));
                }
            }
            let read = self.stream.read(&mut chunk)?;
            if read == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection before answering",
                ));
            }
            self.buffer.extend_from_slice(&chunk[..read]);
        }
    }
}

fn is_chunked(head: &[u8]) -> bool {
    String::from_utf8_lossy(head).lines().any(|line| {
        let line = line.to_ascii_lowercase();
        line.starts_with("transfer-encoding:") && line.contains("chunked")
    })
}

/// The payload of a chunked body that `parse_response` has already found whole.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut payload = Vec::new();
    while let Ok(httparse::Status::Complete((line_len, size))) = httparse::parse_chunk_size(body) {
        let size = size as usize;
        if size == 0 || body.len() < line_len + size {
            break;
        }
        payload.extend_from_slice(&body[line_len..line_len + size]);
        body = &body[(line_len + size + 2).min(body.len())..];
    }
    payload
}

fn header_len(data: &[u8]) -> usize {
    data.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(data.len(), |i| i + 4)
}

/// GET `path` on a new connection and return the response.
pub fn get(addr: SocketAddr, path: &str) -> io::Result<Response> {
    Client::connect(addr)?.round_trip(&crate::workload::get_request(addr, path))
}
