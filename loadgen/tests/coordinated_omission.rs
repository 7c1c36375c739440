//! The wrk2 property: a stall of the server must show in the corrected (intended-time)
//! histogram and barely in the uncorrected one. The server is frozen with SIGSTOP for 1 s in
//! the middle of a constant-rate run. Each test runs over every protocol: HTTP/1.1 one
//! request at a time, pipelined, and HTTP/2 with several streams per connection.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use loadgen::engine::{self, EngineConfig, Protocol};
use loadgen::workload::get_request;
use server_launcher::RunningServer;

const RATE_PER_SECOND: f64 = 1000.0;
const CONNECTIONS: usize = 8;
const DURATION: Duration = Duration::from_secs(4);
const STALL: Duration = Duration::from_secs(1);

mod support;
use support::start_rust_server as start_server;

/// Pipelining depth and HTTP/2 streams: the requests already sent when the stall begins
/// (up to CONNECTIONS x 2 = 16 of ~4000) see it in their service time too, still far below
/// 1 % of the requests, so the uncorrected p99 must stay clear of it.
const IN_FLIGHT: usize = 2;

const PROTOCOLS: [Protocol; 3] = [
    Protocol::Http1 { pipeline_depth: 1 },
    Protocol::Http1 {
        pipeline_depth: IN_FLIGHT,
    },
    Protocol::Http2 { streams: IN_FLIGHT },
];

fn config(server: &RunningServer, protocol: Protocol) -> EngineConfig {
    EngineConfig {
        addr: server.addr(),
        connections: CONNECTIONS,
        threads: 1,
        cpus: None,
        warmup: Duration::from_millis(500),
        duration: DURATION,
        rate_per_second: Some(RATE_PER_SECOND),
        request_timeout: Duration::from_secs(5),
        requests: Arc::new(vec![get_request(server.addr(), "/plaintext")]),
        start_at: None,
        schedule_offset: Duration::ZERO,
        protocol,
    }
}

/// Freezes the server from `from` for `stall` (SIGSTOP, then SIGCONT).
fn stall_server(server: &RunningServer, from: Instant, stall: Duration) {
    std::thread::sleep(from.saturating_duration_since(Instant::now()));
    let pid = server.pid() as libc::pid_t;
    // SAFETY: plain signals to the child process this test started.
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    std::thread::sleep(stall);
    unsafe { libc::kill(pid, libc::SIGCONT) };
}

#[test]
fn a_one_second_stall_shows_in_the_corrected_histogram_only() {
    for protocol in PROTOCOLS {
        a_stall_shows_in_the_corrected_histogram_only(protocol);
    }
}

fn a_stall_shows_in_the_corrected_histogram_only(protocol: Protocol) {
    let server = start_server();
    let running =
        engine::start(config(&server, protocol), Arc::new(AtomicBool::new(false))).unwrap();
    stall_server(
        &server,
        running.window_start + Duration::from_millis(1500),
        STALL,
    );
    let output = running.wait();
    server.stop().expect("server stops");

    // Requests intended at stall_start + x wait until the stall ends: latency ~ STALL - x.
    // The share of requests slower than L is then (STALL - L) / DURATION, so the corrected
    // p99 is about STALL - 0.01 * DURATION (960 ms here).
    let expected_p99_us = (STALL.as_secs_f64() - 0.01 * DURATION.as_secs_f64()) * 1e6;
    let corrected_p99 = output.recording.latency.value_at_quantile(0.99) as f64;
    let uncorrected_p99 = output.recording.service.value_at_quantile(0.99) as f64;
    eprintln!(
        "{protocol:?}: stall of {STALL:?} in {DURATION:?} at {RATE_PER_SECOND} req/s: corrected p99 {corrected_p99} µs \
         (expected about {expected_p99_us} µs), uncorrected p99 {uncorrected_p99} µs, {} requests",
        output.recording.latency.len()
    );
    assert!(
        (corrected_p99 - expected_p99_us).abs() < 0.25 * expected_p99_us,
        "{protocol:?}: corrected p99 {corrected_p99} µs, expected about {expected_p99_us} µs"
    );
    // Only the requests in flight on each connection saw the stall from their actual send:
    // at most 16 of ~4000 requests, far below 1 %, so the uncorrected p99 stays small.
    assert!(
        uncorrected_p99 < expected_p99_us / 10.0,
        "{protocol:?}: uncorrected p99 {uncorrected_p99} µs should not show the stall"
    );
    assert!(output.recording.service.max() as f64 > 0.5 * STALL.as_micros() as f64);
    assert_eq!(output.recording.errors.total(), 0, "{protocol:?}");
}

#[test]
fn a_stall_across_the_end_of_the_run_loses_no_scheduled_request() {
    for protocol in PROTOCOLS {
        a_late_stall_loses_no_scheduled_request(protocol);
    }
}

fn a_late_stall_loses_no_scheduled_request(protocol: Protocol) {
    // The requests a stall delays most are the last ones: each one scheduled inside the
    // window must be sent (late) and recorded, not dropped because the window closed.
    let server = start_server();
    let running =
        engine::start(config(&server, protocol), Arc::new(AtomicBool::new(false))).unwrap();
    let window_end = running.window_end;
    stall_server(
        &server,
        window_end - Duration::from_millis(300),
        Duration::from_millis(600),
    );
    let output = running.wait();
    server.stop().expect("server stops");
    let scheduled = (RATE_PER_SECOND * DURATION.as_secs_f64()) as u64;
    let recorded = output.recording.successes + output.recording.errors.total();
    assert!(
        recorded + CONNECTIONS as u64 >= scheduled,
        "{protocol:?}: {recorded} of {scheduled} scheduled requests recorded"
    );
    // The last requests waited for the stall to end: at least ~300 ms from intended time.
    assert!(
        output.recording.latency.max() >= 250_000,
        "{protocol:?}: max {} µs",
        output.recording.latency.max()
    );
}
