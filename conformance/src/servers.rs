//! The servers under test: built once per test binary, started on free loopback ports.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

use server_launcher::http::{self, Connection};
use server_launcher::{LaunchSpec, RunningServer, ServerKind, Variant, ensure_variant_built};

use crate::answer::{Answer, Outcome};
use crate::h2c;
use crate::protocol::request_http2_form;
use crate::request::Request;

/// `--read-states` of every suite server: small, so that start-up is instant.
pub const READ_STATES: u64 = 1000;
/// The LRU capacity that follows from it: max(N, 10000).
pub const READ_STATES_CAPACITY: u64 = 10_000;
/// `--threads` of every suite server.
pub const THREADS: usize = 1;
/// How long one request may take. Generous: the machine may be busy compiling.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// A server binary: which server, which variant, and the executable or the build error.
pub type Binary = (ServerKind, Variant, Result<PathBuf, String>);

/// Builds every variant of both servers (the two kinds concurrently, each kind's variants
/// in turn) the first time it is called in a test binary, and returns each binary or the
/// build error as a message. Both Go variants are the same executable.
pub fn binaries() -> &'static [Binary] {
    static BINARIES: OnceLock<Vec<Binary>> = OnceLock::new();
    BINARIES.get_or_init(|| {
        thread::scope(|scope| {
            let builds = ServerKind::ALL.map(|kind| {
                scope.spawn(move || {
                    Variant::ALL.map(|variant| {
                        let binary = ensure_variant_built(kind, variant).map_err(|e| e.to_string());
                        (kind, variant, binary)
                    })
                })
            });
            builds
                .into_iter()
                .flat_map(|build| build.join().expect("a build thread panicked"))
                .collect()
        })
    })
}

/// One server under test, or why it could not be started.
pub struct Target {
    /// Which server.
    pub kind: ServerKind,
    /// Which variant of it.
    pub variant: Variant,
    /// The running server, or the build or start error.
    pub server: Result<RunningServer, String>,
}

impl Target {
    /// Builds (once per test binary) and starts a fresh `kind` server of `variant`.
    pub fn start(kind: ServerKind, variant: Variant) -> Target {
        let (_, _, binary) = binaries()
            .iter()
            .find(|(k, v, _)| (*k, *v) == (kind, variant))
            .expect("every kind and variant is built");
        let server = binary.clone().and_then(|binary| {
            RunningServer::start(&LaunchSpec {
                threads: THREADS,
                read_states: READ_STATES,
                startup_timeout: Duration::from_secs(60),
                variant,
                ..LaunchSpec::new(kind, binary)
            })
            .map_err(|e| e.to_string())
        });
        Target {
            kind,
            variant,
            server,
        }
    }

    /// Starts a fresh server of each kind and variant: Rust first, as-shipped first. Every
    /// variant must answer exactly as the contract says, like the as-shipped servers.
    pub fn start_all() -> Vec<Target> {
        ServerKind::ALL
            .into_iter()
            .flat_map(|kind| Variant::ALL.map(|variant| Target::start(kind, variant)))
            .collect()
    }

    /// `rust-server`, `go-server`, or with the variant: `rust-server (tuned)`.
    pub fn name(&self) -> String {
        match self.variant {
            Variant::AsShipped => self.kind.binary_name().to_string(),
            variant => format!("{} ({variant})", self.kind.binary_name()),
        }
    }

    /// The short label of answer lines: `rust`, `go`, `rust/tuned`, `go/tuned`.
    pub fn label(&self) -> String {
        match self.variant {
            Variant::AsShipped => self.kind.to_string(),
            variant => format!("{}/{variant}", self.kind),
        }
    }

    /// Sends `request` on a new connection (with `Connection: close`).
    pub fn send(&self, request: &Request) -> Outcome {
        let server = self
            .server
            .as_ref()
            .map_err(|e| format!("server unavailable: {e}"))?;
        let addr = server.addr();
        http::exchange(
            addr,
            &request.to_bytes(addr, true),
            request.is_head(),
            REQUEST_TIMEOUT,
        )
        .map(Answer::from_response)
        .map_err(|e| e.to_string())
    }

    /// Sends `request` over a new HTTP/2 connection (h2c, prior knowledge). A request without
    /// an HTTP/2 form is an error (see [`crate::protocol`]).
    pub fn send_h2(&self, request: &Request) -> Outcome {
        let server = self
            .server
            .as_ref()
            .map_err(|e| format!("server unavailable: {e}"))?;
        let h2_request = request_http2_form(request).map_err(|reason| reason.to_string())?;
        h2c::exchange(server.addr(), h2_request, REQUEST_TIMEOUT).map(Answer::from_response)
    }

    /// Sends `requests` pipelined on one new keep-alive connection (all in one write) and
    /// reads their answers in order.
    pub fn send_pipelined(&self, requests: &[&Request]) -> Result<Vec<Answer>, String> {
        let server = self
            .server
            .as_ref()
            .map_err(|e| format!("server unavailable: {e}"))?;
        let addr = server.addr();
        let bytes: Vec<u8> = requests
            .iter()
            .flat_map(|request| request.to_bytes(addr, false))
            .collect();
        let heads: Vec<bool> = requests.iter().map(|request| request.is_head()).collect();
        let mut connection =
            Connection::connect(addr, REQUEST_TIMEOUT).map_err(|e| e.to_string())?;
        let responses = connection
            .send_pipelined(&bytes, &heads)
            .map_err(|e| e.to_string())?;
        Ok(responses.into_iter().map(Answer::from_response).collect())
    }

    /// Opens a keep-alive connection, for long runs of requests.
    pub fn connect(&self) -> Result<Connection, String> {
        let server = self
            .server
            .as_ref()
            .map_err(|e| format!("server unavailable: {e}"))?;
        Connection::connect(server.addr(), REQUEST_TIMEOUT).map_err(|e| e.to_string())
    }

    /// Sends `request` on `connection`.
    pub fn send_on(&self, connection: &mut Connection, request: &Request) -> Outcome {
        let addr = match &self.server {
            Ok(server) => server.addr(),
            Err(e) => return Err(format!("server unavailable: {e}")),
        };
        connection
            .send(&request.to_bytes(addr, false), request.is_head())
            .map(Answer::from_response)
            .map_err(|e| e.to_string())
    }

    /// A problem if the server is down or `/healthz` does not answer 200.
    pub fn health_problem(&mut self) -> Option<String> {
        let name = self.name();
        let server = match &mut self.server {
            Ok(server) => server,
            Err(e) => return Some(format!("{name} unavailable: {e}")),
        };
        if !server.is_alive() {
            return Some(format!(
                "{name} has exited. stderr:\n{}",
                server.stderr_tail()
            ));
        }
        match http::get(server.addr(), "/healthz", REQUEST_TIMEOUT) {
            Ok(response) if response.status == 200 => None,
            Ok(response) => Some(format!("{name}: GET /healthz answered {}", response.status)),
            Err(e) => Some(format!("{name}: GET /healthz failed: {e}")),
        }
    }

    /// Stops the server with SIGTERM; a problem unless it exited 0 (docs/API.md: "SIGTERM and
    /// SIGINT: stop accepting, finish in-flight requests (up to 5 s), exit 0").
    pub fn stop(self) -> Option<String> {
        match self.server {
            Ok(server) => server.stop().err().map(|e| e.to_string()),
            Err(_) => None,
        }
    }
}
