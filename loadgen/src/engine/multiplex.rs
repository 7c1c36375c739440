//! Several requests in flight on one connection: HTTP/1.1 pipelining (`pipeline.rs`) and
//! HTTP/2 streams (`http2.rs`) share this driver; one request at a time stays in `mod.rs`.
//!
//! Semantics, the same for both protocols and the same as wrk2's for one request at a time:
//! - A connection keeps at most `depth` requests in flight. Constant rate: request j of this
//!   connection is due at its intended send time (`pacing.rs`) and goes out then if a slot is
//!   free, or as soon as one frees; closed loop: every free slot is refilled at once (the
//!   requests of one refill go out in one write), so `depth` requests are always in flight
//!   (h2load's `-m` model; wrk's `pipeline.lua` instead sends a batch and waits for all of it).
//! - Every request's latency counts from its own intended send time (closed loop: the moment
//!   it was written), never one sample per batch as wrk records.
//! - A lost connection fails every request still in flight on it (with the same kind); no
//!   request is sent on it again, and the next one opens a new connection.
//! - As for one request at a time, no request outlives the drain deadline (end + timeout), and
//!   what was still unsent at that deadline is counted as unsent.

use std::time::Instant;

use super::ConnectionTask;
use super::pacing::Next;
use super::recorder::FailureKind;

/// When a request was due and when it was written.
#[derive(Debug, Clone, Copy)]
pub struct SendTimes {
    pub intended: Instant,
    pub sent: Instant,
}

/// One request's end.
pub struct Completion {
    pub times: SendTimes,
    /// The status, or why there is none.
    pub result: Result<u16, FailureKind>,
    /// The connection can carry no more requests: the driver stops sending on it and drops
    /// it once every request in flight on it has completed.
    pub connection_lost: bool,
}

/// A connection that carries several requests at once.
pub trait Channel: Sized {
    /// Requests sent and not yet completed.
    fn in_flight(&self) -> usize;
    /// Sends (or, for HTTP/1.1, queues until [`Channel::flush`]) request number `request`
    /// of the workload.
    async fn send(&mut self, request: usize, times: SendTimes) -> Result<(), FailureKind>;
    /// Writes what [`Channel::send`] queued.
    async fn flush(&mut self) -> Result<(), FailureKind>;
    /// The next request to complete; only called with requests in flight. Cancel-safe.
    async fn next_completion(&mut self) -> Completion;
}

/// Opens channels to the target.
pub trait Connector {
    type Channel: Channel;
    async fn open(&self) -> Result<Self::Channel, FailureKind>;
}

/// One connection's loop with up to `depth` requests in flight.
pub async fn drive<C: Connector>(task: ConnectionTask, connector: C, depth: usize) {
    let mut channel: Option<C::Channel> = None;
    // Set when the channel was lost: no more sends on it, dropped once empty.
    let mut draining = false;
    let mut sequence: u64 = 0;
    let mut sending_done = false;
    // When a slot last came free while every slot was taken: a request due before then was
    // held by the server's earlier responses, not by loadgen.
    let mut slot_free_since = Instant::now();
    loop {
        let in_flight = channel.as_ref().map_or(0, Channel::in_flight);
        if draining && in_flight == 0 {
            channel = None;
            draining = false;
            // A lost connection held its requests until its last one completed.
            slot_free_since = Instant::now();
        }
        if task.is_stopped() || (sending_done && in_flight == 0) {
            break;
        }
        let may_send = !sending_done && !draining && in_flight < depth;
        tokio::select! {
            biased;
            completion = async { channel.as_mut().expect("requests in flight").next_completion().await },
                if in_flight > 0 =>
            {
                draining |= completion.connection_lost;
                let completed = Instant::now();
                if in_flight >= depth {
                    slot_free_since = completed;
                }
                let _ = task.record(completion.times.intended, completion.times.sent, completion.result, completed);
            }
            next = task.next_send(sequence), if may_send => match next {
                Next::Send(intended) => {
                    let times = SendTimes {
                        intended,
                        sent: task.record_send(intended, slot_free_since),
                    };
                    sequence += 1;
                    if channel.is_none() {
                        match open(&task, &connector, times).await {
                            Ok(opened) => channel = Some(opened),
                            Err(kind) => {
                                task.pause_after_failure(kind).await;
                                continue;
                            }
                        }
                    }
                    let open = channel.as_mut().expect("opened above");
                    let mut outcome = send(&task, open, sequence - 1, times).await;
                    // Closed loop: fill every free slot now, in the same write.
                    while outcome.is_ok() && task.pacing.is_closed_loop() && open.in_flight() < depth {
                        let now = Instant::now();
                        let times = SendTimes {
                            intended: now,
                            sent: task.record_send(now, now),
                        };
                        outcome = send(&task, open, sequence, times).await;
                        sequence += 1;
                    }
                    if outcome.is_ok() {
                        outcome = open.flush().await;
                    }
                    if outcome.is_err() {
                        // What was sent on a connection that failed completes as failed.
                        draining = true;
                    }
                }
                Next::GiveUp(unsent) => {
                    task.recorder.borrow_mut().record_unsent(unsent);
                    sending_done = true;
                }
                Next::Done => sending_done = true,
            },
        }
    }
}

/// Opens a channel for the request of `times`; a failure is that request's, recorded here.
async fn open<C: Connector>(
    task: &ConnectionTask,
    connector: &C,
    times: SendTimes,
) -> Result<C::Channel, FailureKind> {
    let deadline = task.exchange_deadline(times.sent);
    let kind = match tokio::time::timeout_at(deadline.into(), connector.open()).await {
        Ok(Ok(opened)) => return Ok(opened),
        Ok(Err(kind)) => kind,
        Err(_) => FailureKind::Timeout,
    };
    let _ = task.record(times.intended, times.sent, Err(kind), Instant::now());
    Err(kind)
}

/// Sends request `sequence` of this connection; a request refused before it left is
/// recorded at once.
async fn send<C: Channel>(
    task: &ConnectionTask,
    channel: &mut C,
    sequence: u64,
    times: SendTimes,
) -> Result<(), FailureKind> {
    let result = channel.send(task.request_index(sequence), times).await;
    if let Err(kind) = result {
        let _ = task.record(times.intended, times.sent, Err(kind), Instant::now());
    }
    result
}
