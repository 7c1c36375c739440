//! A blocking HTTP/2 exchange over cleartext with prior knowledge (h2c), on hyper's HTTP/2
//! client: one connection per request, as the HTTP/1.1 cases use one connection each.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use server_launcher::http::Response;
use tokio::net::TcpStream;

/// Sends `request` (a path-only URI) to `addr` over a new h2c connection and returns the
/// response, or why there was none. `timeout` covers connecting, sending and reading.
pub fn exchange(
    addr: SocketAddr,
    request: http::Request<Vec<u8>>,
    timeout: Duration,
) -> Result<Response, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    runtime.block_on(async {
        tokio::time::timeout(timeout, send(addr, request))
            .await
            .map_err(|_| format!("no HTTP/2 answer within {timeout:?}"))?
    })
}

async fn send(addr: SocketAddr, request: http::Request<Vec<u8>>) -> Result<Response, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connecting: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP/2 handshake: {e}"))?;
    let driver = tokio::spawn(connection);

    let (mut parts, body) = request.into_parts();
    // :scheme and :authority come from the URI; the path is sent exactly as given.
    parts.uri = http::Uri::builder()
        .scheme("http")
        .authority(addr.to_string())
        .path_and_query(parts.uri.path_and_query().map_or("/", |p| p.as_str()))
        .build()
        .map_err(|e| format!("request URI: {e}"))?;
    let request = http::Request::from_parts(parts, Full::new(Bytes::from(body)));
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("HTTP/2 request: {e}"))?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| format!("HTTP/2 response body: {e}"))?
        .to_bytes();
    drop(sender);
    driver.abort();
    Ok(Response {
        status: parts.status.as_u16(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
        // HTTP/2 frames every response: nothing can follow its end on the stream.
        trailing: Vec::new(),
    })
}
