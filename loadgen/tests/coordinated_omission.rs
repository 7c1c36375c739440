//! The wrk2 property: a stall of the server must show in the corrected (intended-time)
//! histogram and barely in the uncorrected one. The server is frozen with SIGSTOP for 1 s in
//! the middle of a constant-rate run.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use loadgen::engine::{self, EngineConfig};
use loadgen::workload::get_request;
use server_launcher::RunningServer;

const RATE_PER_SECOND: f64 = 1000.0;
const CONNECTIONS: usize = 8;
const DURATION: Duration = Duration::from_secs(4);
const STALL: Duration = Duration::from_secs(1);

mod support;
use support::start_rust_server as start_server;

fn config(server: &RunningServer) -> EngineConfig {
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
    let server = start_server();
    let running = engine::start(config(&server), Arc::new(AtomicBool::new(false))).unwrap();
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
        "stall of {STALL:?} in {DURATION:?} at {RATE_PER_SECOND} req/s: corrected p99 {corrected_p99} µs \
         (expected about {expected_p99_us} µs), uncorrected p99 {uncorrected_p99} µs, {} requests",
        output.recording.latency.len()
    );
    assert!(
        (corrected_p99 - expected_p99_us).abs() < 0.25 * expected_p99_us,
        "corrected p99 {corrected_p99} µs, expected about {expected_p99_us} µs"
    );
    // Only the one request in flight on each connection saw the stall from its actual send:
    // 8 of ~4000 requests, far below 1 %, so the uncorrected p99 stays small.
    assert!(
        uncorrected_p99 < expected_p99_us / 10.0,
        "uncorrected p99 {uncorrected_p99} µs should not show the stall"
    );
    assert!(output.recording.service.max() as f64 > 0.5 * STALL.as_micros() as f64);
    assert_eq!(output.recording.errors.total(), 0);
}

#[test]
fn a_stall_across_the_end_of_the_run_loses_no_scheduled_request() {
    // The requests a stall delays most are the last ones: each one scheduled inside the
    // window must be sent (late) and recorded, not dropped because the window closed.
    let server = start_server();
    let running = engine::start(config(&server), Arc::new(AtomicBool::new(false))).unwrap();
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
        "{recorded} of {scheduled} scheduled requests recorded"
    );
    // The last requests waited for the stall to end: at least ~300 ms from intended time.
    assert!(
        output.recording.latency.max() >= 250_000,
        "max {} µs",
        output.recording.latency.max()
    );
}
