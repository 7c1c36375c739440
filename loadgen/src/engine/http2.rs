//! HTTP/2 over cleartext with prior knowledge (h2c, RFC 9113 §3.3) for `--http2 --streams M`:
//! up to M concurrent streams per connection, completing in any order. The driver and the
//! semantics are in `multiplex.rs`.
//!
//! Built on the `h2` crate (the protocol layer hyper itself uses) rather than hyper's
//! client: no pool, no per-request dispatch channel or boxed future. The streams in flight
//! sit in a fixed array of slots polled in place. What is allocated per request is what the
//! protocol needs: h2's stream state and encoded header block (and, for a request with a body,
//! its header map).

use std::future::{Future, poll_fn};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use h2::RecvStream;
use h2::client::{ResponseFuture, SendRequest};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use server_launcher::http::HTTP1_ONLY_FIELDS;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::Sleep;

use super::multiplex::{Channel, Completion, Connector, SendTimes};
use super::recorder::FailureKind;

/// The most header fields a workload request may have.
const MAX_REQUEST_HEADERS: usize = 32;

/// One workload request in HTTP/2 form, built once from its HTTP/1.1 bytes.
pub struct H2Request {
    method: Method,
    /// Scheme `http`, the target's authority and the request's path.
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

impl H2Request {
    /// Converts every workload request; an error names the first that has no HTTP/2 form.
    pub fn from_http1_all(requests: &[Vec<u8>], addr: SocketAddr) -> Result<Vec<Self>, String> {
        requests
            .iter()
            .map(|bytes| Self::from_http1(bytes, addr))
            .collect()
    }

    /// Parses one complete HTTP/1.1 request (with a `Content-Length` body, if any).
    pub fn from_http1(bytes: &[u8], addr: SocketAddr) -> Result<Self, String> {
        let mut fields = [httparse::EMPTY_HEADER; MAX_REQUEST_HEADERS];
        let mut parsed = httparse::Request::new(&mut fields);
        let head_len = match parsed.parse(bytes) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => return Err("incomplete request".to_string()),
            Err(e) => return Err(format!("request: {e}")),
        };
        let method = Method::from_bytes(parsed.method.unwrap_or_default().as_bytes())
            .map_err(|e| format!("method: {e}"))?;
        let path = parsed.path.unwrap_or_default();
        let uri = Uri::builder()
            .scheme("http")
            .authority(addr.to_string())
            .path_and_query(path)
            .build()
            .map_err(|e| format!("request-target {path:?}: {e}"))?;
        let mut headers = HeaderMap::new();
        for field in parsed.headers.iter() {
            if field.name.eq_ignore_ascii_case("transfer-encoding") {
                return Err("a chunked request body has no HTTP/2 form here".to_string());
            }
            if HTTP1_ONLY_FIELDS
                .iter()
                .any(|name| field.name.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let name = HeaderName::from_bytes(field.name.as_bytes())
                .map_err(|e| format!("header {:?}: {e}", field.name))?;
            let value = HeaderValue::from_bytes(field.value)
                .map_err(|e| format!("header {:?}: {e}", field.name))?;
            headers.append(name, value);
        }
        Ok(Self {
            method,
            uri,
            headers,
            body: Bytes::copy_from_slice(&bytes[head_len..]),
        })
    }

    fn to_request(&self) -> http::Request<()> {
        let mut request = http::Request::new(());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        if !self.headers.is_empty() {
            *request.headers_mut() = self.headers.clone();
        }
        request
    }
}

/// Opens h2c connections for one connection slot of the run.
pub struct Http2Connector {
    pub addr: SocketAddr,
    pub requests: Rc<Vec<H2Request>>,
    pub request_timeout: Duration,
    /// No request may outlive this (the connection's pacing sets it).
    pub drain_deadline: Instant,
    pub streams: usize,
}

impl Connector for Http2Connector {
    type Channel = Http2Connection;

    async fn open(&self) -> Result<Http2Connection, FailureKind> {
        let stream = TcpStream::connect(self.addr)
            .await
            .map_err(|_| FailureKind::Connect)?;
        stream.set_nodelay(true).map_err(|_| FailureKind::Connect)?;
        let (sender, connection) = h2::client::handshake(stream)
            .await
            .map_err(|e| failure_kind(&e))?;
        let woken = Arc::new(WokenSlots::default());
        // The connection's frames are read and written by its own task on this worker; its
        // error reaches every stream in flight, which is how it is recorded.
        let driver = tokio::task::spawn_local(async move {
            let _ = connection.await;
        });
        Ok(Http2Connection {
            sender,
            driver,
            requests: self.requests.clone(),
            request_timeout: self.request_timeout,
            drain_deadline: self.drain_deadline,
            slots: (0..self.streams).map(|_| Slot::Free).collect(),
            woken: woken.clone(),
            slot_wakers: (0..self.streams)
                .map(|slot| {
                    Waker::from(Arc::new(SlotWaker {
                        woken: woken.clone(),
                        slot,
                    }))
                })
                .collect(),
            in_flight: 0,
            timer: Box::pin(tokio::time::sleep(self.request_timeout)),
            timer_deadline: None,
        })
    }
}

/// A stream in flight: waiting for the response head, then reading its body.
enum Slot {
    Free,
    Head {
        response: ResponseFuture,
        times: SendTimes,
    },
    Body {
        body: RecvStream,
        status: u16,
        times: SendTimes,
    },
}

/// One h2c connection and its streams in flight.
pub struct Http2Connection {
    sender: SendRequest<Bytes>,
    driver: JoinHandle<()>,
    requests: Rc<Vec<H2Request>>,
    request_timeout: Duration,
    drain_deadline: Instant,
    slots: Vec<Slot>,
    /// Which slots' streams have woken since they were last polled, and one waker per slot
    /// that marks it there (made once per connection).
    woken: Arc<WokenSlots>,
    slot_wakers: Vec<Waker>,
    in_flight: usize,
    /// Wakes the connection at the earliest deadline of a stream in flight.
    timer: Pin<Box<Sleep>>,
    timer_deadline: Option<Instant>,
}

impl Drop for Http2Connection {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

/// How an h2 error is counted: a lost or refused connection, a reset stream, or bytes that
/// are not HTTP/2.
fn failure_kind(error: &h2::Error) -> FailureKind {
    if let Some(io_error) = error.get_io() {
        if io_error.kind() == io::ErrorKind::UnexpectedEof {
            FailureKind::Closed
        } else {
            FailureKind::Reset
        }
    } else if error.is_go_away() {
        FailureKind::Closed
    } else if error.is_reset() {
        FailureKind::Reset
    } else {
        FailureKind::Malformed
    }
}

/// True unless the error ends only its own stream (RST_STREAM).
fn connection_lost(error: &h2::Error) -> bool {
    !error.is_reset()
}

impl Channel for Http2Connection {
    fn in_flight(&self) -> usize {
        self.in_flight
    }

    async fn send(&mut self, request: usize, times: SendTimes) -> Result<(), FailureKind> {
        poll_fn(|cx| self.sender.poll_ready(cx))
            .await
            .map_err(|e| failure_kind(&e))?;
        let template = &self.requests[request];
        let end_of_stream = template.body.is_empty();
        let (response, mut stream) = self
            .sender
            .send_request(template.to_request(), end_of_stream)
            .map_err(|e| failure_kind(&e))?;
        if !end_of_stream {
            stream
                .send_data(template.body.clone(), true)
                .map_err(|e| failure_kind(&e))?;
        }
        let index = self
            .slots
            .iter()
            .position(|slot| matches!(slot, Slot::Free))
            .expect("the driver keeps at most `streams` requests in flight");
        self.slots[index] = Slot::Head { response, times };
        // Polled at the next look, which registers its waker.
        self.woken.mark(index);
        self.in_flight += 1;
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), FailureKind> {
        // The connection task writes the frames as they are queued.
        Ok(())
    }

    async fn next_completion(&mut self) -> Completion {
        poll_fn(|cx| self.poll_completion(cx)).await
    }
}

impl Http2Connection {
    fn poll_completion(&mut self, cx: &mut Context<'_>) -> Poll<Completion> {
        self.woken.set_task(cx.waker());
        // Only the streams that woke are polled: polling one locks h2's shared stream store,
        // and with M streams in flight polling them all on every wake-up costs M locks.
        let mut woken = self.woken.take();
        while let Some(index) = woken.next() {
            let slot_waker = &self.slot_wakers[index];
            if let Some(ended) =
                poll_slot(&mut self.slots[index], &mut Context::from_waker(slot_waker))
            {
                self.slots[index] = Slot::Free;
                self.in_flight -= 1;
                // The others stay marked for the next look.
                self.woken.put_back(woken);
                return Poll::Ready(ended);
            }
        }
        let now = Instant::now();
        let mut earliest_deadline: Option<Instant> = None;
        for slot in &mut self.slots {
            let times = match slot {
                Slot::Free => continue,
                Slot::Head { times, .. } | Slot::Body { times, .. } => *times,
            };
            let deadline = (times.sent + self.request_timeout).min(self.drain_deadline);
            if deadline <= now {
                // Dropping the stream's handles resets it (RST_STREAM CANCEL); the other
                // streams go on.
                *slot = Slot::Free;
                self.in_flight -= 1;
                return Poll::Ready(Completion {
                    times,
                    result: Err(FailureKind::Timeout),
                    connection_lost: false,
                });
            }
            earliest_deadline = Some(earliest_deadline.map_or(deadline, |d| d.min(deadline)));
        }
        if let Some(deadline) = earliest_deadline {
            if self.timer_deadline != Some(deadline) {
                self.timer.as_mut().reset(deadline.into());
                self.timer_deadline = Some(deadline);
            }
            if self.timer.as_mut().poll(cx).is_ready() {
                cx.waker().wake_by_ref();
            }
        }
        Poll::Pending
    }
}

/// The most streams a connection may have (`--streams` is checked against a lower limit).
pub const MAX_SLOTS: usize = 128;

/// The set of slots whose streams woke, shared with the slots' wakers (h2 may wake them
/// from its connection task; the set is atomic so that the wakers are `Send`, as wakers
/// must be).
#[derive(Default)]
struct WokenSlots {
    bits: [AtomicU64; MAX_SLOTS / 64],
    /// The connection's task, woken after a slot is marked.
    task: Mutex<Option<Waker>>,
}

/// A snapshot of the woken slots, taken one at a time, lowest first.
struct WokenSnapshot([u64; MAX_SLOTS / 64]);

impl Iterator for WokenSnapshot {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        for (word_index, word) in self.0.iter_mut().enumerate() {
            if *word != 0 {
                let bit = word.trailing_zeros() as usize;
                *word &= *word - 1;
                return Some(word_index * 64 + bit);
            }
        }
        None
    }
}

impl WokenSlots {
    fn mark(&self, slot: usize) {
        self.bits[slot / 64].fetch_or(1 << (slot % 64), Ordering::AcqRel);
    }

    fn take(&self) -> WokenSnapshot {
        WokenSnapshot(std::array::from_fn(|i| {
            self.bits[i].swap(0, Ordering::AcqRel)
        }))
    }

    fn put_back(&self, rest: WokenSnapshot) {
        for (word, bits) in self.bits.iter().zip(rest.0) {
            word.fetch_or(bits, Ordering::AcqRel);
        }
    }

    fn set_task(&self, waker: &Waker) {
        let mut task = self
            .task
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !task
            .as_ref()
            .is_some_and(|current| current.will_wake(waker))
        {
            *task = Some(waker.clone());
        }
    }
}

/// The waker of one slot: marks the slot, then wakes the connection's task.
struct SlotWaker {
    woken: Arc<WokenSlots>,
    slot: usize,
}

impl Wake for SlotWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.mark(self.slot);
        let task = self
            .woken
            .task
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(task) = task.as_ref() {
            task.wake_by_ref();
        }
    }
}

/// Advances one stream; Some when it has ended (answered in full, or failed).
fn poll_slot(slot: &mut Slot, cx: &mut Context<'_>) -> Option<Completion> {
    if let Slot::Head { response, times } = slot {
        let times = *times;
        match Pin::new(response).poll(cx) {
            Poll::Pending => return None,
            Poll::Ready(Err(error)) => return Some(failed(times, &error)),
            Poll::Ready(Ok(response)) => {
                let status = response.status().as_u16();
                *slot = Slot::Body {
                    body: response.into_body(),
                    status,
                    times,
                };
            }
        }
    }
    let Slot::Body {
        body,
        status,
        times,
    } = slot
    else {
        return None;
    };
    loop {
        match body.poll_data(cx) {
            Poll::Pending => return None,
            Poll::Ready(None) => {
                return Some(Completion {
                    times: *times,
                    result: Ok(*status),
                    connection_lost: false,
                });
            }
            Poll::Ready(Some(Err(error))) => return Some(failed(*times, &error)),
            Poll::Ready(Some(Ok(chunk))) => {
                // Give the window back at once, or the server stalls after 64 KiB.
                let _ = body.flow_control().release_capacity(chunk.len());
            }
        }
    }
}

fn failed(times: SendTimes, error: &h2::Error) -> Completion {
    Completion {
        times,
        result: Err(failure_kind(error)),
        connection_lost: connection_lost(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr() -> SocketAddr {
        "127.0.0.1:8080".parse().unwrap()
    }

    #[test]
    fn a_get_keeps_its_path_and_loses_its_connection_headers() {
        let request = H2Request::from_http1(
            b"GET /users/7?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: keep-alive\r\n\r\n",
            addr(),
        )
        .unwrap();
        assert_eq!(request.method, Method::GET);
        assert_eq!(request.uri, "http://127.0.0.1:8080/users/7?x=1");
        assert!(request.headers.is_empty());
        assert!(request.body.is_empty());
        let built = request.to_request();
        assert_eq!(built.uri(), &request.uri);
    }

    #[test]
    fn a_post_keeps_its_body_and_content_headers() {
        let request = H2Request::from_http1(
            b"POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
            addr(),
        )
        .unwrap();
        assert_eq!(request.method, Method::POST);
        assert_eq!(request.headers["content-type"], "application/json");
        assert_eq!(request.headers["content-length"], "2");
        assert_eq!(&request.body[..], b"{}");
    }

    #[test]
    fn requests_without_an_http2_form_are_refused() {
        let chunked =
            b"POST /users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assert!(H2Request::from_http1(chunked, addr()).is_err());
        assert!(H2Request::from_http1(b"GET /users HTTP/1.1\r\nHost:", addr()).is_err());
        assert!(H2Request::from_http1_all(&[b"nonsense\r\n\r\n".to_vec()], addr()).is_err());
    }
}
