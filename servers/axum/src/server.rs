//! The accept loop: hyper-util's auto connection driver (HTTP/1.1 and h2c on one port) with
//! its timer, graceful shutdown.
//!
//! `axum::serve` gives hyper no timer, so hyper's header-read timeout cannot be set through
//! it; this loop is the same shape (tokio `TcpListener`, hyper-util's `TowerToHyperService`,
//! one task per connection) with the slow-client limits of docs/API.md configured.
//!
//! Protocols: a connection that opens with the HTTP/2 preface is served as HTTP/2 over
//! cleartext ("prior knowledge", RFC 9113 §3.3), any other as HTTP/1.1, as go-server does
//! with `http.Server.Protocols`. Pipelined HTTP/1.1 requests are answered in order; hyper's
//! `pipeline_flush` (one write for several answers) is a tuning and stays at its default (off).
//! HTTP/2 keeps hyper's defaults (200 concurrent streams per connection; Go's are 250).
//!
//!
//! | Go `http.Server`          | here                                                       |
//! |---------------------------|------------------------------------------------------------|
//! | `ReadHeaderTimeout` 10 s  | hyper `http1::Builder::header_read_timeout` 10 s           |
//! | `ReadTimeout` 30 s        | tower `timeout` 30 s around each request (routes.rs)       |
//! | `IdleTimeout` 120 s       | none of its own: hyper starts the header-read timer as soon as a keep-alive connection waits for its next request, so an idle connection is closed after 10 s |
//! | TCP_NODELAY (Go's default)| `set_nodelay(true)` on every accepted socket               |
//! | `Shutdown` with a 5 s ctx | `GracefulShutdown`, waited for at most 5 s                 |

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::{Service, ServiceExt};

/// A request's headers must have arrived this long after the connection opened or the
/// previous response was written (Go: `ReadHeaderTimeout`).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// In-flight requests get this long to finish once shutdown begins.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, lets open
/// connections finish their in-flight requests for up to [`SHUTDOWN_GRACE`], and returns.
pub async fn serve<A>(listener: TcpListener, app: A, shutdown: impl Future<Output = ()>)
where
    A: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    A::Future: Send + 'static,
{
    let mut http = auto::Builder::new(TokioExecutor::new());
    http.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    http.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);

    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    handle_accept_error(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Go's net/http sets TCP_NODELAY on every connection; so do we (failure is harmless).
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(|request: hyper::Request<Incoming>| request.map(Body::new));
        let connection = http
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection's error (reset, header timeout, bad request) ends only that
            // connection; hyper has already answered what could be answered.
            let _ = connection.await;
        });
    }

    drop(listener);
    // Idle connections close at once; busy ones after their current response.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// As axum::serve and hyper 0.14's server do: errors of one connection are skipped; others
/// (typically EMFILE, out of file descriptors) are reported and the loop backs off for a
/// second so that it does not spin.
async fn handle_accept_error(error: io::Error) {
    if matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    eprintln!("rust-server: accept error: {error}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
