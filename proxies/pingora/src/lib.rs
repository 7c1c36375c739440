//! `pingora-proxy`: the Rust side of claim C5 ("Pingora: 70% less CPU, 67% less memory" than
//! NGINX). A reverse proxy on Cloudflare's Pingora framework that forwards every request to one
//! upstream, configured as its documentation suggests for production and as the nginx it is
//! compared with (loadgen/src/nginx.rs, `proxy_pass` with an upstream keep-alive pool):
//!
//! - HTTP/1.1 to the upstream, plain TCP (no TLS: both proxies and the upstream are on
//!   loopback);
//! - upstream connections reused: Pingora's connector returns a finished upstream session to
//!   its keep-alive pool (`release_http_session` in pingora-proxy's `proxy_to_upstream`), keyed
//!   by the peer, up to `upstream_keepalive_pool_size` idle connections (128 by default; nginx's
//!   `keepalive 64` per worker is the same idea);
//! - no access log (Pingora's `logging` hook does nothing unless implemented; nginx runs with
//!   `access_log off`); errors and warnings go to stderr (nginx: `error_log ... warn`);
//! - a bounded graceful shutdown on SIGTERM ([`SHUTDOWN_GRACE_SECONDS`] +
//!   [`SHUTDOWN_TIMEOUT_SECONDS`], the reference servers' 5 s); SIGINT stops at once (Pingora's
//!   fast shutdown).

#![warn(missing_docs)]

mod config;
mod logger;

use std::net::SocketAddr;

use async_trait::async_trait;
use pingora::http::RequestHeader;
use pingora::prelude::{HttpPeer, Result, Server};
use pingora::proxy::{ProxyHttp, Session, http_proxy_service};
use pingora::server::configuration::ServerConf;

pub use config::{Args, Config, ConfigError};
pub use logger::install_stderr_logger;

/// Seconds after SIGTERM (listeners closed, connections told to finish) before the runtimes
/// are shut down: Pingora's `grace_period_seconds`, whose default of 300 s suits a fleet's
/// rolling restart, not a benchmark's server.
pub const SHUTDOWN_GRACE_SECONDS: u64 = 1;

/// Seconds the runtimes then have to finish what is in flight
/// (`graceful_shutdown_timeout_seconds`).
pub const SHUTDOWN_TIMEOUT_SECONDS: u64 = 4;

/// The proxy logic: every request, whatever its path or host, goes to `upstream`.
#[derive(Debug, Clone, Copy)]
pub struct Forward {
    upstream: SocketAddr,
}

impl Forward {
    /// Forwards to `upstream`.
    pub fn new(upstream: SocketAddr) -> Self {
        Self { upstream }
    }
}

#[async_trait]
impl ProxyHttp for Forward {
    type CTX = ();

    fn new_ctx(&self) -> Self::CTX {}

    async fn upstream_peer(
        &self,
        _session: &mut Session,
        _ctx: &mut Self::CTX,
    ) -> Result<Box<HttpPeer>> {
        // Plain HTTP (tls = false, so no SNI); HTTP/1.1 is the default of a plain peer.
        Ok(Box::new(HttpPeer::new(self.upstream, false, String::new())))
    }

    /// Hop-by-hop headers stay on the client's hop (RFC 9110, 7.6.1): Pingora forwards the
    /// request's header fields as they came, and a client's `Connection: close` would close
    /// the pooled upstream connection after its response. nginx's equivalent is the
    /// `proxy_set_header Connection ""` its documentation pairs with an upstream `keepalive`.
    async fn upstream_request_filter(
        &self,
        _session: &mut Session,
        upstream_request: &mut RequestHeader,
        _ctx: &mut Self::CTX,
    ) -> Result<()>
    where
        Self::CTX: Send + Sync,
    {
        for hop_by_hop in HOP_BY_HOP_REQUEST_HEADERS {
            upstream_request.remove_header(hop_by_hop);
        }
        Ok(())
    }
}

/// Request header fields that concern only the client's connection to the proxy.
const HOP_BY_HOP_REQUEST_HEADERS: [&str; 2] = ["connection", "keep-alive"];

/// Pingora's server configuration for `config`: its defaults (work stealing, a 128-connection
/// upstream keep-alive pool, no daemon), `threads` worker threads, and the bounded shutdown.
pub fn server_conf(config: &Config) -> ServerConf {
    ServerConf {
        threads: config.threads,
        grace_period_seconds: Some(SHUTDOWN_GRACE_SECONDS),
        graceful_shutdown_timeout_seconds: Some(SHUTDOWN_TIMEOUT_SECONDS),
        ..ServerConf::default()
    }
}

/// Why the proxy could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The listen address is taken or not ours.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// `--addr`.
        addr: SocketAddr,
        /// The socket error.
        source: std::io::Error,
    },
}

/// Runs the proxy until a signal stops it (one line on stderr says where it listens);
/// returns only if it cannot start.
pub fn run(config: Config) -> std::result::Result<std::convert::Infallible, StartError> {
    // Pingora binds when it runs and panics on a failed bind; a trial bind first turns the
    // common mistake (a port in use) into a clear error. Pingora sets SO_REUSEADDR, so the
    // trial socket, closed at once, does not keep the port from it.
    std::net::TcpListener::bind(config.addr).map_err(|source| StartError::Listen {
        addr: config.addr,
        source,
    })?;
    let mut server = Server::new_with_opt_and_conf(None, server_conf(&config));
    server.bootstrap();
    let mut proxy = http_proxy_service(&server.configuration, Forward::new(config.upstream));
    proxy.add_tcp(&config.addr.to_string());
    server.add_service(proxy);
    eprintln!(
        "pingora-proxy: on http://{} forwarding to {} with {} threads",
        config.addr, config.upstream, config.threads
    );
    server.run_forever()
}
