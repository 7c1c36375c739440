//! The real binary on a free loopback port: the start-up line, the command-line contract
//! (exit statuses), HTTP on the wire (chunked bodies, `Expect: 100-continue`), and graceful
//! shutdown on SIGTERM/SIGINT.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rust-server");

struct Server {
    child: Child,
    addr: SocketAddr,
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(extra: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args([
                "--addr",
                "127.0.0.1:0",
                "--threads",
                "1",
                "--read-states",
                "100",
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rust-server");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let addr = line
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix('\n'))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        Self {
            child,
            addr,
            _stdout: stdout,
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    /// One request on its own connection (`Connection: close`); the whole raw response.
    fn exchange(&self, request: &[u8]) -> String {
        let mut stream = self.connect();
        stream.write_all(request).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        String::from_utf8(response).unwrap()
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn wait(mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn body_of(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[test]
fn serves_and_stops_on_sigterm() {
    let server = Server::start(&[]);
    let response =
        server.exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(
        response.contains("content-type: application/json\r\n"),
        "{response}"
    );
    assert_eq!(body_of(&response), r#"{"status":"ok"}"#);
    server.signal("TERM");
    assert_eq!(server.wait().code(), Some(0));
}

#[test]
fn stops_on_sigint() {
    let server = Server::start(&[]);
    server.signal("INT");
    assert_eq!(server.wait().code(), Some(0));
}

#[test]
fn finishes_in_flight_requests_on_shutdown() {
    let server = Server::start(&[]);
    let body = r#"{"name":"Ada","email":"ada@example.com"}"#;
    let mut stream = server.connect();
    write!(
        stream,
        "POST /users HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 201 Created\r\n"),
        "{response}"
    );
    assert_eq!(
        body_of(&response),
        r#"{"id":1,"name":"Ada","email":"ada@example.com"}"#
    );
    assert_eq!(server.wait().code(), Some(0));
}

#[test]
fn chunked_bodies_are_limited_too() {
    let server = Server::start(&[]);
    let chunk = "x".repeat(16 * 1024);
    let mut request = String::from(
        "POST /users HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    for _ in 0..5 {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    let response = server.exchange(request.as_bytes());
    assert!(
        response.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{response}"
    );
    assert_eq!(body_of(&response), r#"{"error":"body too large"}"#);

    let user = r#"{"name":"Ada","email":"ada@example.com"}"#;
    let request = format!(
        "POST /users HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{user}\r\n0\r\n\r\n",
        user.len()
    );
    let response = server.exchange(request.as_bytes());
    assert!(
        response.starts_with("HTTP/1.1 201 Created\r\n"),
        "{response}"
    );
}

#[test]
fn a_declared_oversize_body_is_refused_without_reading_it() {
    let server = Server::start(&[]);
    // The client waits for `100 Continue` before sending; the answer must come without it.
    let response = server.exchange(
        b"PUT /read_states/1/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n",
    );
    assert!(
        response.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{response}"
    );
    assert_eq!(body_of(&response), r#"{"error":"body too large"}"#);
}

#[test]
fn a_port_in_use_exits_1() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = Command::new(BIN)
        .args(["--addr", &addr, "--read-states", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains(&addr));
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        &["--threads", "0"][..],
        &["--read-states", "x"],
        &["--bogus"],
        &["--addr", "not-an-address"],
        &["--addr", "127.0.0.1:99999"],
    ] {
        let output = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty());
    }
}

/// An empty host would listen on every interface; docs/API.md makes it a bad flag.
#[test]
fn an_addr_without_a_host_exits_2() {
    for addr in [":0", ":8080"] {
        let output = Command::new(BIN)
            .args(["--addr", addr, "--read-states", "0"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{addr}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--addr needs a host"), "{addr}: {stderr}");
        assert!(output.stdout.is_empty(), "{addr}: it listened");
    }
}
