//! HTTP/1.1 pipelining (RFC 9112 §9.3.2) for `--pipeline N`: up to N requests written ahead
//! of their responses on one connection; the responses come back in request order, so the
//! requests in flight are a FIFO queue. The driver and the semantics are in `multiplex.rs`.
//!
//! Lean as the one-at-a-time client: the queued request bytes and the in-flight queue are
//! buffers reused for the life of the connection; framing is `http1.rs`'s.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::http1::{ExchangeError, Http1Connection};
use super::multiplex::{Channel, Completion, Connector, SendTimes};
use super::recorder::FailureKind;

/// Opens pipelined HTTP/1.1 connections for one connection slot of the run.
pub struct PipelineConnector {
    pub addr: SocketAddr,
    pub requests: Arc<Vec<Vec<u8>>>,
    pub request_timeout: Duration,
    /// No request may outlive this (the connection's pacing sets it).
    pub drain_deadline: Instant,
    pub depth: usize,
}

impl Connector for PipelineConnector {
    type Channel = PipelinedConnection;

    async fn open(&self) -> Result<PipelinedConnection, FailureKind> {
        let connection = Http1Connection::connect(self.addr)
            .await
            .map_err(|_| FailureKind::Connect)?;
        Ok(PipelinedConnection {
            connection,
            requests: self.requests.clone(),
            request_timeout: self.request_timeout,
            drain_deadline: self.drain_deadline,
            unwritten: Vec::new(),
            in_flight: VecDeque::with_capacity(self.depth),
            failed: None,
        })
    }
}

/// One connection with its requests in flight, oldest first.
pub struct PipelinedConnection {
    connection: Http1Connection,
    requests: Arc<Vec<Vec<u8>>>,
    request_timeout: Duration,
    drain_deadline: Instant,
    /// Requests queued by `send`, written by `flush`.
    unwritten: Vec<u8>,
    in_flight: VecDeque<SendTimes>,
    /// Once the connection failed, every request still in flight fails with this kind.
    failed: Option<FailureKind>,
}

impl PipelinedConnection {
    fn complete(&mut self, result: Result<u16, FailureKind>, connection_lost: bool) -> Completion {
        let times = self
            .in_flight
            .pop_front()
            .expect("completions are only asked for with requests in flight");
        Completion {
            times,
            result,
            connection_lost,
        }
    }

    fn fail(&mut self, kind: FailureKind) -> Completion {
        self.failed = Some(kind);
        self.complete(Err(kind), true)
    }
}

fn failure_kind(error: ExchangeError) -> FailureKind {
    match error {
        ExchangeError::Closed => FailureKind::Closed,
        ExchangeError::Reset => FailureKind::Reset,
        ExchangeError::Malformed => FailureKind::Malformed,
    }
}

impl Channel for PipelinedConnection {
    fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    async fn send(&mut self, request: usize, times: SendTimes) -> Result<(), FailureKind> {
        self.unwritten.extend_from_slice(&self.requests[request]);
        self.in_flight.push_back(times);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), FailureKind> {
        let written = self.connection.write(&self.unwritten).await;
        self.unwritten.clear();
        written.map_err(|error| {
            let kind = failure_kind(error);
            self.failed = Some(kind);
            kind
        })
    }

    async fn next_completion(&mut self) -> Completion {
        if let Some(kind) = self.failed {
            return self.complete(Err(kind), true);
        }
        loop {
            match self.connection.take_next_response() {
                Ok(Some(head)) if head.keep_alive => return self.complete(Ok(head.status), false),
                Ok(Some(head)) => {
                    // `Connection: close`: this answer counts, the requests behind it cannot.
                    self.failed = Some(FailureKind::Closed);
                    return self.complete(Ok(head.status), true);
                }
                Ok(None) => {}
                Err(error) => return self.fail(failure_kind(error)),
            }
            let oldest_sent = self.in_flight.front().map(|t| t.sent);
            let deadline = (oldest_sent.expect("requests in flight") + self.request_timeout)
                .min(self.drain_deadline);
            match tokio::time::timeout_at(deadline.into(), self.connection.fill()).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => return self.fail(failure_kind(error)),
                // The responses come in order: the ones behind the late one cannot arrive
                // first, so they time out with it.
                Err(_) => return self.fail(FailureKind::Timeout),
            }
        }
    }
}
