//! The engine: drives connections against one address with closed-loop or constant-rate
//! pacing and records every request into per-worker HdrHistograms.
//!
//! Shape (wrk's, for the same reason: it is what keeps a generator cheaper than the server):
//! one OS thread per worker, each pinned to a loadgen CPU and running a single-threaded tokio
//! runtime; each connection is a task on its worker; a worker's tasks share one recorder
//! without locks. Constant-rate semantics are wrk2's: see `pacing.rs`.

pub mod http1;
mod http2;
pub mod intervals;
mod multiplex;
pub mod pacing;
mod pipeline;
pub mod recorder;
pub mod timer;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http1::{ExchangeError, Http1Connection};
use pacing::{Next, Pacing};
use recorder::{FailureKind, Recorder, RequestTimes};
use timer::PreciseTimer;

/// Everything one engine run needs; built from a validated plan, never from raw flags.
#[derive(Clone)]
pub struct EngineConfig {
    pub addr: SocketAddr,
    pub connections: usize,
    pub threads: usize,
    /// CPUs to pin worker threads to (round-robin); None leaves them to the scheduler.
    pub cpus: Option<Vec<usize>>,
    pub warmup: Duration,
    pub duration: Duration,
    /// Requests per second over all connections; None is closed loop.
    pub rate_per_second: Option<f64>,
    pub request_timeout: Duration,
    /// Complete request byte strings; connections walk through them in turn.
    pub requests: Arc<Vec<Vec<u8>>>,
    /// The schedule's origin (warm-up starts there, the measured window after it); None:
    /// just after `start`. Shards of one plan share it (see `shard.rs`).
    pub start_at: Option<Instant>,
    /// Constant rate: the schedule starts this long after the origin, while the measured
    /// window does not move (shard K of N: K / total rate). Zero for one generator.
    pub schedule_offset: Duration,
    /// The wire protocol and how many requests each connection keeps in flight.
    pub protocol: Protocol,
}

/// The wire protocol of every connection, and its concurrency per connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// HTTP/1.1 with `pipeline_depth` requests in flight per connection (1: no pipelining,
    /// the request-response loop below; more: `pipeline.rs`).
    Http1 { pipeline_depth: usize },
    /// HTTP/2 over cleartext with prior knowledge, `streams` concurrent streams per
    /// connection (`http2.rs`).
    Http2 { streams: usize },
}

/// What a run measured, merged over workers.
pub struct EngineOutput {
    pub recording: Recorder,
    /// Wall time from the start of the measured window to the last worker's end.
    pub measured_seconds: f64,
    /// CPU time of the whole loadgen process during the run (user + system).
    pub loadgen_cpu_seconds: f64,
    /// Wall time over which `loadgen_cpu_seconds` was spent (warm-up and drain included).
    pub loadgen_wall_seconds: f64,
    /// True when the stop flag ended the run before its duration.
    pub stopped_early: bool,
    /// Every request completed, warm-up included (what the CPU time paid for).
    pub requests_completed_total: u64,
    /// The wall-clock time of the measured window's start (for the interval log).
    pub window_start_wall_clock: std::time::SystemTime,
}

/// Live counters for a progress display; each worker writes only its own counter.
#[derive(Default)]
pub struct Progress {
    pub completed_per_worker: Vec<Arc<AtomicU64>>,
}

impl Progress {
    pub fn completed(&self) -> u64 {
        self.completed_per_worker
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum()
    }
}

/// A started run: `wait` blocks until every worker has finished.
pub struct RunningEngine {
    workers: Vec<std::thread::JoinHandle<Recorder>>,
    pub progress: Progress,
    pub window_start: Instant,
    pub window_end: Instant,
    stop: Arc<AtomicBool>,
    cpu_before: f64,
    started: Instant,
}

/// Starts the workers. The stop flag ends the run early (Ctrl-C, a dead server); what was
/// measured until then is kept.
pub fn start(config: EngineConfig, stop: Arc<AtomicBool>) -> std::io::Result<RunningEngine> {
    if let Protocol::Http2 { streams } = config.protocol {
        if streams == 0 || streams > http2::MAX_SLOTS {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{streams} HTTP/2 streams per connection: 1 to {} are supported",
                    http2::MAX_SLOTS
                ),
            ));
        }
        http2::H2Request::from_http1_all(&config.requests, config.addr).map_err(|problem| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("a request has no HTTP/2 form: {problem}"),
            )
        })?;
    }
    let threads = config.threads.clamp(1, config.connections.max(1));
    // Workers start a little in the future so that all of them share one schedule origin.
    let origin = config
        .start_at
        .unwrap_or_else(|| Instant::now() + Duration::from_millis(20));
    let window_start = origin + config.warmup;
    let window_end = window_start + config.duration;
    let cpu_before = process_cpu_seconds();
    let started = Instant::now();
    let mut workers = Vec::with_capacity(threads);
    let mut progress = Progress::default();
    for worker in 0..threads {
        let counter = Arc::new(AtomicU64::new(0));
        progress.completed_per_worker.push(counter.clone());
        let config = config.clone();
        let worker_stop = stop.clone();
        let cpu = config.cpus.as_ref().map(|cpus| cpus[worker % cpus.len()]);
        let spawned = std::thread::Builder::new()
            .name(format!("loadgen-worker-{worker}"))
            .spawn(move || {
                if let Some(cpu) = cpu {
                    // Best effort: an invalid CPU was rejected by plan validation already.
                    let _ = crate::affinity::pin_current_thread(&[cpu]);
                }
                let plan = WorkerPlan {
                    worker,
                    threads,
                    origin,
                    window_start,
                    window_end,
                };
                run_worker(&config, &plan, &worker_stop, &counter)
            });
        match spawned {
            Ok(handle) => workers.push(handle),
            Err(error) => {
                // Never leave the workers already started loading the server.
                stop.store(true, Ordering::Relaxed);
                for started in workers {
                    let _ = started.join();
                }
                return Err(error);
            }
        }
    }
    Ok(RunningEngine {
        workers,
        progress,
        window_start,
        window_end,
        stop,
        cpu_before,
        started,
    })
}

impl RunningEngine {
    /// True once every worker has returned.
    pub fn is_finished(&self) -> bool {
        self.workers.iter().all(|w| w.is_finished())
    }

    /// Joins the workers and merges their recordings.
    pub fn wait(self) -> EngineOutput {
        let mut merged: Option<Recorder> = None;
        for worker in self.workers {
            let recording = worker.join().expect("worker threads do not panic");
            match merged.as_mut() {
                None => merged = Some(recording),
                Some(total) => total.merge(&recording),
            }
        }
        let requests_completed_total = self.progress.completed();
        let ended = Instant::now().min(self.window_end);
        let stopped_early = self.stop.load(Ordering::Relaxed) && ended < self.window_end;
        let now = (Instant::now(), std::time::SystemTime::now());
        let window_start_wall_clock = if self.window_start <= now.0 {
            now.1 - (now.0 - self.window_start)
        } else {
            now.1 + (self.window_start - now.0)
        };
        EngineOutput {
            window_start_wall_clock,
            recording: merged.expect("at least one worker"),
            measured_seconds: ended
                .saturating_duration_since(self.window_start)
                .as_secs_f64(),
            loadgen_cpu_seconds: process_cpu_seconds() - self.cpu_before,
            loadgen_wall_seconds: self.started.elapsed().as_secs_f64(),
            stopped_early,
            requests_completed_total,
        }
    }
}

/// Runs the engine to completion on the calling thread.
pub fn run(config: EngineConfig, stop: Arc<AtomicBool>) -> std::io::Result<EngineOutput> {
    Ok(start(config, stop)?.wait())
}

struct WorkerPlan {
    worker: usize,
    threads: usize,
    origin: Instant,
    window_start: Instant,
    window_end: Instant,
}

fn run_worker(
    config: &EngineConfig,
    plan: &WorkerPlan,
    stop: &Arc<AtomicBool>,
    completed: &Arc<AtomicU64>,
) -> Recorder {
    let recorder = Rc::new(RefCell::new(Recorder::new(
        plan.window_start,
        plan.window_end,
    )));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime builds");
    let local = tokio::task::LocalSet::new();
    // Only constant rate waits for send times. Without a timerfd (it cannot fail short of
    // running out of descriptors) pacing falls back to tokio's millisecond timer, which the
    // recorded send lag then shows.
    let timer = config
        .rate_per_second
        .and_then(|_| PreciseTimer::new().ok());
    if let Some(timer) = &timer {
        local.spawn_local(timer.clone().drive());
    }
    // The workload's requests in HTTP/2 form, shared by this worker's connections (`start`
    // has checked that every request has one).
    let h2_requests = match config.protocol {
        Protocol::Http2 { .. } => http2::H2Request::from_http1_all(&config.requests, config.addr)
            .ok()
            .map(Rc::new),
        Protocol::Http1 { .. } => None,
    };
    let mut tasks = Vec::new();
    for connection in (plan.worker..config.connections).step_by(plan.threads) {
        let pacing = Pacing::new(
            config.rate_per_second,
            connection,
            config.connections,
            plan.origin + config.schedule_offset,
            plan.window_end,
            config.request_timeout,
        );
        let task = ConnectionTask {
            addr: config.addr,
            requests: config.requests.clone(),
            first_request: connection.wrapping_mul(7919),
            pacing,
            timer: timer.clone(),
            request_timeout: config.request_timeout,
            stop: stop.clone(),
            completed: completed.clone(),
            recorder: recorder.clone(),
        };
        let drain_deadline = task.pacing.drain_deadline();
        tasks.push(match config.protocol {
            Protocol::Http1 { pipeline_depth: 1 } => local.spawn_local(task.drive()),
            Protocol::Http1 { pipeline_depth } => {
                let connector = pipeline::PipelineConnector {
                    addr: config.addr,
                    requests: config.requests.clone(),
                    request_timeout: config.request_timeout,
                    drain_deadline,
                    depth: pipeline_depth,
                };
                local.spawn_local(multiplex::drive(task, connector, pipeline_depth))
            }
            Protocol::Http2 { streams } => {
                let connector = http2::Http2Connector {
                    addr: config.addr,
                    requests: h2_requests.clone().expect("checked by `start`"),
                    request_timeout: config.request_timeout,
                    drain_deadline,
                    streams,
                };
                local.spawn_local(multiplex::drive(task, connector, streams))
            }
        });
    }
    // Run until every connection has ended; the timer's driver task is dropped with `local`.
    local.block_on(&runtime, async {
        for task in tasks {
            let _ = task.await;
        }
    });
    drop(local);
    drop(timer);
    drop(runtime);
    Rc::try_unwrap(recorder)
        .ok()
        .expect("all connection tasks have ended")
        .into_inner()
}

/// One connection's loop: wait for the next send time, send, read, record.
struct ConnectionTask {
    addr: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    first_request: usize,
    pacing: Pacing,
    timer: Option<PreciseTimer>,
    request_timeout: Duration,
    stop: Arc<AtomicBool>,
    completed: Arc<AtomicU64>,
    recorder: Rc<RefCell<Recorder>>,
}

/// After a failed connect in closed loop, wait this long before trying again rather than
/// spinning on a refused port.
const CONNECT_RETRY_DELAY: Duration = Duration::from_millis(10);

impl ConnectionTask {
    async fn drive(self) {
        let mut connection: Option<Http1Connection> = None;
        let mut sequence: u64 = 0;
        // When the connection last became free to send: one request in flight at a time.
        let mut free_since = Instant::now();
        while !self.stop.load(Ordering::Relaxed) {
            let intended_send_time = match self.next_send(sequence).await {
                Next::Send(intended) => intended,
                Next::GiveUp(unsent) => {
                    self.recorder.borrow_mut().record_unsent(unsent);
                    break;
                }
                Next::Done => break,
            };
            let request = &self.requests[self.request_index(sequence)];
            sequence += 1;
            let attempt_start = self.record_send(intended_send_time, free_since);
            let deadline = self.exchange_deadline(attempt_start);
            let outcome = self.exchange(&mut connection, request, deadline).await;
            let (sent, result) = match outcome {
                Ok((sent, status)) => (sent, Ok(status)),
                Err(kind) => (Instant::now(), Err(kind)),
            };
            let completed = Instant::now();
            if let Some(kind) = self.record(intended_send_time, sent, result, completed) {
                self.pause_after_failure(kind).await;
            }
            // The connection is free from the exchange's end (a pause after a failure happens
            // in closed loop only, where no request waits for a send time).
            free_since = completed;
        }
    }

    /// Waits for request `sequence`'s send time and says what to do with it.
    async fn next_send(&self, sequence: u64) -> Next {
        match &self.timer {
            Some(timer) => self.pacing.wait_for_send_time(sequence, timer).await,
            None => self.wait_on_tokio_timer(sequence).await,
        }
    }

    /// Which of the workload's requests is this connection's request number `sequence`.
    fn request_index(&self, sequence: u64) -> usize {
        (self.first_request + sequence as usize) % self.requests.len()
    }

    fn is_stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Records that the request due at `intended_send_time`, on a connection free to send it
    /// since `free_since`, is being sent now; returns now.
    fn record_send(&self, intended_send_time: Instant, free_since: Instant) -> Instant {
        let attempt_start = Instant::now();
        self.recorder
            .borrow_mut()
            .record_send(intended_send_time, free_since, attempt_start);
        attempt_start
    }

    /// No exchange outlives the drain deadline, so a run ends by duration + timeout.
    fn exchange_deadline(&self, attempt_start: Instant) -> Instant {
        (attempt_start + self.request_timeout).min(self.pacing.drain_deadline())
    }

    /// Records a request that was due at `intended_send_time`, written at `sent` and
    /// `completed` (with a status, or failed); returns the failure, if any (a non-2xx status is one).
    fn record(
        &self,
        intended_send_time: Instant,
        sent: Instant,
        result: Result<u16, FailureKind>,
        completed: Instant,
    ) -> Option<FailureKind> {
        self.completed.fetch_add(1, Ordering::Relaxed);
        let failure = match result {
            Ok(status) if (200..300).contains(&status) => {
                self.recorder.borrow_mut().record_success(RequestTimes {
                    intended_send_time,
                    sent,
                    completed,
                });
                return None;
            }
            Ok(status) => FailureKind::Status(status),
            Err(kind) => kind,
        };
        self.recorder
            .borrow_mut()
            .record_failure(intended_send_time, failure);
        Some(failure)
    }

    /// In closed loop, waits a little after a refused connection rather than spinning on it.
    async fn pause_after_failure(&self, kind: FailureKind) {
        if kind == FailureKind::Connect && self.pacing.is_closed_loop() {
            tokio::time::sleep(CONNECT_RETRY_DELAY).await;
        }
    }

    /// Closed loop, or constant rate without the microsecond timer (see `run_worker`).
    async fn wait_on_tokio_timer(&self, sequence: u64) -> Next {
        let now = Instant::now();
        let next = self.pacing.next(sequence, now);
        // Never sleep for a time that has come: a tokio sleep, even an expired one, waits for
        // the runtime's next timer turn and wakes it through its eventfd (closed loop lost a
        // third of its rate that way).
        if let Next::Send(intended) = next {
            if intended > now {
                tokio::time::sleep_until(intended.into()).await;
            }
        }
        next
    }

    /// Sends one request on the connection, opening it first if needed; returns the actual
    /// send time and the status. Any failure drops the connection so the next request
    /// starts on a fresh one (a late response must never be taken for the next one's).
    async fn exchange(
        &self,
        connection: &mut Option<Http1Connection>,
        request: &[u8],
        deadline: Instant,
    ) -> Result<(Instant, u16), FailureKind> {
        let deadline = tokio::time::Instant::from_std(deadline);
        if connection.is_none() {
            match tokio::time::timeout_at(deadline, Http1Connection::connect(self.addr)).await {
                Ok(Ok(opened)) => *connection = Some(opened),
                Ok(Err(_)) => return Err(FailureKind::Connect),
                Err(_) => return Err(FailureKind::Timeout),
            }
        }
        let open = connection.as_mut().expect("opened above");
        let sent = Instant::now();
        let result = tokio::time::timeout_at(deadline, open.exchange(request)).await;
        let failure = match result {
            Ok(Ok(head)) => {
                if !head.keep_alive {
                    *connection = None;
                }
                return Ok((sent, head.status));
            }
            Ok(Err(ExchangeError::Closed)) => FailureKind::Closed,
            Ok(Err(ExchangeError::Reset)) => FailureKind::Reset,
            Ok(Err(ExchangeError::Malformed)) => FailureKind::Malformed,
            Err(_) => FailureKind::Timeout,
        };
        *connection = None;
        Err(failure)
    }
}

/// User plus system CPU seconds of this process so far (getrusage).
pub fn process_cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct we pass and has no other effects.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
