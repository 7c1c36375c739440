//! The real `pingora-proxy` binary in front of the real rust-server, both on free loopback
//! ports: answers through the proxy are the upstream's own (status and body), upstream
//! connections are reused, and bad flags exit 2.

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use server_launcher::http::{self, Connection, Response};
use server_launcher::{LaunchSpec, RunningServer, ServerKind, ensure_built};

const BIN: &str = env!("CARGO_BIN_EXE_pingora-proxy");
const TIMEOUT: Duration = Duration::from_secs(10);

/// A running proxy, killed on drop.
struct Proxy {
    child: Child,
    addr: SocketAddr,
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let addr = free_port();
        let child = Command::new(BIN)
            .args([
                "--addr",
                &addr.to_string(),
                "--upstream",
                &upstream.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pingora-proxy");
        let mut proxy = Proxy { child, addr };
        proxy.wait_ready();
        proxy
    }

    /// Until /healthz answers 200 through the proxy (that is, from the upstream).
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("pingora-proxy exited at start-up with {status}");
            }
            if http::get(self.addr, "/healthz", Duration::from_secs(1))
                .is_ok_and(|r| r.status == 200)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("pingora-proxy did not answer /healthz within 30 s");
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
}

fn upstream() -> RunningServer {
    let binary = ensure_built(ServerKind::Rust).expect("build rust-server");
    RunningServer::start(&LaunchSpec {
        read_states: 100,
        ..LaunchSpec::new(ServerKind::Rust, binary)
    })
    .expect("start rust-server")
}

fn send(addr: SocketAddr, request: &str) -> Response {
    let mut connection = Connection::connect(addr, TIMEOUT).expect("connect");
    connection
        .send(request.as_bytes(), false)
        .unwrap_or_else(|e| panic!("{request:?} to {addr}: {e}"))
}

#[test]
fn answers_through_the_proxy_are_the_upstreams() {
    let server = upstream();
    let proxy = Proxy::start(server.addr());
    let body = r#"{"name":"Ada","email":"ada@example.com"}"#;
    let requests = [
        "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        "GET /json HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        "GET /users/999999999 HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        "GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        "DELETE /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        format!(
            "POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    ];
    for request in &requests {
        let direct = send(server.addr(), request);
        let proxied = send(proxy.addr, request);
        let line = request.lines().next().unwrap_or_default();
        assert_eq!(proxied.status, direct.status, "{line}");
        if line.starts_with("POST") {
            // Each POST creates a user with the next id: same shape, the id one further.
            assert_eq!(proxied.status, 201, "{line}: {}", proxied.body_text());
            assert!(
                proxied.body_text().contains("\"Ada\""),
                "{}",
                proxied.body_text()
            );
        } else {
            assert_eq!(proxied.body_text(), direct.body_text(), "{line}");
        }
        assert_eq!(
            proxied.header("content-type"),
            direct.header("content-type"),
            "{line}"
        );
    }
    // Several requests on one client connection.
    let mut connection = Connection::connect(proxy.addr, TIMEOUT).unwrap();
    for _ in 0..5 {
        let answer = connection
            .send(b"GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", false)
            .unwrap();
        assert_eq!(
            (answer.status, answer.body_text().as_str()),
            (200, "Hello, World!")
        );
    }
}

/// TCP connections (any state but LISTEN) with an end on `port`, from /proc/net/tcp.
fn loopback_connections_on(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp");
    let port_hex = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.len() > 3
                && fields[3] != "0A"
                && (fields[1].ends_with(&port_hex) || fields[2].ends_with(&port_hex))
        })
        .count()
}

#[test]
fn upstream_connections_are_reused() {
    let server = upstream();
    let proxy = Proxy::start(server.addr());
    let before = loopback_connections_on(server.addr().port());
    // Twenty requests one after another, each on a new client connection: without reuse the
    // proxy would open twenty upstream connections (each leaving an entry, TIME_WAIT once
    // closed); with its keep-alive pool it opens one or two.
    let requests = 20;
    for _ in 0..requests {
        let answer = http::get(proxy.addr, "/plaintext", TIMEOUT).unwrap();
        assert_eq!(answer.status, 200);
    }
    let opened = loopback_connections_on(server.addr().port()).saturating_sub(before);
    assert!(
        opened < requests / 2,
        "{opened} new connections to the upstream for {requests} requests"
    );
}

#[test]
fn bad_flags_exit_2_with_a_reason() {
    for args in [
        vec!["--upstream", "not-an-address"],
        vec!["--upstream", "127.0.0.1"],
        vec!["--upstream", "192.0.2.1:80"],
        vec!["--upstream", "127.0.0.1:80", "--threads", "0"],
        vec![],
    ] {
        let output = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("upstream") || stderr.contains("threads"),
            "{args:?}: {stderr}"
        );
    }
}
