//! The engine against servers that fail in the ways real ones do: every answer a 500, every
//! connection closed, no answer at all, garbage. Error counts must be right, latency must not
//! include failures, and the run must end on its own.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use loadgen::engine::{self, EngineConfig, EngineOutput, Protocol};
use loadgen::workload::get_request;

/// How a test server treats each request it reads.
#[derive(Clone, Copy)]
enum Behaviour {
    Answer500,
    CloseAfterRequest,
    NeverAnswer,
    Garbage,
}

/// Starts a server on a free loopback port; its threads live until the test process ends.
fn spawn_server(behaviour: Behaviour) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, behaviour));
        }
    });
    addr
}

fn serve(mut stream: TcpStream, behaviour: Behaviour) {
    let mut buffer = [0u8; 4096];
    let mut pending = Vec::new();
    loop {
        let Ok(read) = stream.read(&mut buffer) else {
            return;
        };
        if read == 0 {
            return;
        }
        pending.extend_from_slice(&buffer[..read]);
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            pending.drain(..end + 4);
            let reply: &[u8] = match behaviour {
                Behaviour::Answer500 => {
                    b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}"
                }
                Behaviour::CloseAfterRequest => return,
                Behaviour::NeverAnswer => continue,
                Behaviour::Garbage => b"this is not HTTP at all\r\n\r\n",
            };
            if stream.write_all(reply).is_err() {
                return;
            }
        }
    }
}

fn run_against(
    addr: SocketAddr,
    duration: Duration,
    timeout: Duration,
) -> (EngineOutput, Duration) {
    let config = EngineConfig {
        addr,
        connections: 4,
        threads: 1,
        cpus: None,
        warmup: Duration::ZERO,
        duration,
        rate_per_second: None,
        request_timeout: timeout,
        requests: Arc::new(vec![get_request(addr, "/plaintext")]),
        start_at: None,
        schedule_offset: Duration::ZERO,
        protocol: Protocol::Http1 { pipeline_depth: 1 },
    };
    let started = Instant::now();
    let output = engine::run(config, Arc::new(AtomicBool::new(false))).unwrap();
    (output, started.elapsed())
}

#[test]
fn every_500_is_counted_as_a_status_error_and_none_as_latency() {
    let (output, _) = run_against(
        spawn_server(Behaviour::Answer500),
        Duration::from_millis(500),
        Duration::from_secs(2),
    );
    let errors = &output.recording.errors;
    assert_eq!(output.recording.successes, 0);
    assert_eq!(output.recording.latency.len(), 0);
    assert!(errors.status[&500] > 0);
    assert_eq!(errors.total(), errors.status[&500], "only 500s: {errors:?}");
}

#[test]
fn closed_connections_are_counted_as_closed_or_reset() {
    let (output, _) = run_against(
        spawn_server(Behaviour::CloseAfterRequest),
        Duration::from_millis(500),
        Duration::from_secs(2),
    );
    let errors = &output.recording.errors;
    assert_eq!(output.recording.successes, 0);
    assert!(errors.closed + errors.reset > 0, "{errors:?}");
    assert_eq!(errors.total(), errors.closed + errors.reset, "{errors:?}");
}

#[test]
fn a_server_that_never_answers_yields_timeouts_and_the_run_ends() {
    let duration = Duration::from_millis(600);
    let timeout = Duration::from_millis(250);
    let (output, elapsed) = run_against(spawn_server(Behaviour::NeverAnswer), duration, timeout);
    let errors = &output.recording.errors;
    assert_eq!(output.recording.successes, 0);
    // Each of the 4 connections times out at least twice within 600 ms at 250 ms each.
    assert!(errors.timeout >= 8, "{errors:?}");
    assert_eq!(errors.total(), errors.timeout, "{errors:?}");
    // A hang check, not a performance assertion: generous slack over duration + timeout.
    assert!(
        elapsed < duration + timeout + Duration::from_secs(10),
        "took {elapsed:?}"
    );
}

#[test]
fn garbage_answers_are_counted_as_malformed() {
    let (output, _) = run_against(
        spawn_server(Behaviour::Garbage),
        Duration::from_millis(300),
        Duration::from_secs(2),
    );
    let errors = &output.recording.errors;
    assert_eq!(output.recording.successes, 0);
    assert!(errors.malformed > 0, "{errors:?}");
    assert_eq!(errors.total(), errors.malformed, "{errors:?}");
}

#[test]
fn a_refused_port_counts_connect_errors() {
    // Bind then drop to get a port that is very likely closed.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (output, _) = run_against(addr, Duration::from_millis(200), Duration::from_secs(1));
    assert_eq!(output.recording.successes, 0);
    assert!(output.recording.errors.connect > 0);
}
