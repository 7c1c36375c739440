//! The HTTP surface: routes, handlers, and the middleware every request passes through.
//!
//! Where axum's defaults differ from docs/API.md, the contract wins:
//! - unknown paths and methods answer JSON (`fallback`, `method_not_allowed_fallback`; axum
//!   still adds the `Allow` header listing the path's methods, `GET` implying `HEAD`);
//! - paths are matched exactly: empty segments (`//`, a trailing `/`) and dot segments are
//!   404 before routing, whatever the method, never redirected; a malformed percent-escape
//!   in the path is 400 before routing, as net/http rejects it before any handler;
//! - path ids, query parameters and bodies are taken raw and judged by the contract's rules
//!   (ids.rs, query.rs, json_body.rs), so no axum rejection text can reach a client;
//! - the request `Content-Type` is not checked.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{BoxError, Router};
use serde::Serialize;
use tower::{Service, ServiceBuilder};

use crate::errors::ApiError;
use crate::ids::Ids;
use crate::json_body::{MAX_BODY_BYTES, NewUser, ReadStateUpdate};
use crate::query::Page;
use crate::read_states::ReadState;
use crate::state::{AppState, unix_time_ms};
use crate::stats::Stats;
use crate::users::User;

/// How long a request may take from its headers having arrived until its handler has
/// answered (for our handlers: reading the body). Our side of Go's `ReadTimeout` (30 s);
/// the header part of it is hyper's `header_read_timeout` (see server.rs).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application as a service: the router behind the request timeout, the body
/// limit and the exact-path check. This is what the server runs and what the tests drive.
pub fn app(
    state: AppState,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
+ Clone
+ Send
+ Sync
+ 'static {
    ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: BoxError| async {
            // The only error below is the timeout's.
            ApiError::RequestTimeout
        }))
        .timeout(REQUEST_TIMEOUT)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(reject_unclean_paths))
        .service(router(state))
}

/// The routes of docs/API.md.
fn router(state: AppState) -> Router {
    Router::new()
        .route("/plaintext", get(plaintext))
        .route("/json", get(json))
        .route("/healthz", get(healthz))
        .route("/debug/stats", get(debug_stats))
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", get(get_user))
        .route(
            "/read_states/{user_id}/{channel_id}",
            get(get_read_state).put(put_read_state),
        )
        // Must follow the routes: it applies to the method routers registered so far.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .with_state(state)
}

/// 400 for a path with a malformed percent-escape (`%` not followed by two hex digits):
/// docs/API.md requires 400 whatever the path and method, because go-server's net/http
/// rejects such a request target before any handler; here the check must come before
/// routing too, or an unknown path would answer 404 and a wrong method 405.
///
/// 404 for a path with an empty segment (`//`, a trailing `/`, the bare `/`) or a dot
/// segment (`.`, `..`), before routing sees it: `{id}` would otherwise match `.` and `..`,
/// and a wrong method on such a path would answer 405.
async fn reject_unclean_paths(request: Request, next: Next) -> Response {
    if has_malformed_escape(request.uri().path()) {
        return ApiError::MalformedPath.into_response();
    }
    let clean = request.uri().path().strip_prefix('/').is_some_and(|path| {
        path.split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."))
    });
    if clean {
        next.run(request).await
    } else {
        ApiError::NotFound.into_response()
    }
}

/// True if some `%` is not followed by two hex digits.
fn has_malformed_escape(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.iter().enumerate().any(|(index, byte)| {
        *byte == b'%'
            && !matches!(
                bytes.get(index + 1..index + 3),
                Some([high, low]) if high.is_ascii_hexdigit() && low.is_ascii_hexdigit()
            )
    })
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// TechEmpower plaintext; a `&'static str` answers `text/plain; charset=utf-8`.
async fn plaintext() -> &'static str {
    "Hello, World!"
}

#[derive(Serialize)]
struct Message {
    message: &'static str,
}

/// TechEmpower JSON: serialized on every request, as the Go side does, never cached bytes.
async fn json() -> Json<Message> {
    Json(Message {
        message: "Hello, World!",
    })
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

/// Ready: the listener only opens after the prefill, so any answer means ready.
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

async fn debug_stats(State(state): State<AppState>) -> Json<Stats> {
    Json(Stats::collect(&state))
}

async fn create_user(
    State(state): State<AppState>,
    NewUser { name, email }: NewUser,
) -> (StatusCode, Json<User>) {
    (StatusCode::CREATED, Json(state.users().create(name, email)))
}

async fn get_user(
    State(state): State<AppState>,
    Ids([id]): Ids<1>,
) -> Result<Json<User>, ApiError> {
    state
        .users()
        .get(id)
        .map(Json)
        .ok_or(ApiError::UserNotFound)
}

/// The page is serialized under the store's read lock, without copying the users.
async fn list_users(State(state): State<AppState>, page: Page) -> Response {
    state
        .users()
        .with_page(page.offset, page.limit, |users| Json(users).into_response())
}

async fn get_read_state(
    State(state): State<AppState>,
    Ids([user_id, channel_id]): Ids<2>,
) -> Result<Json<ReadState>, ApiError> {
    state
        .read_states()
        .get(user_id, channel_id)
        .map(Json)
        .ok_or(ApiError::ReadStateNotFound)
}

/// Ids are judged before the body is read: extractors run in argument order.
async fn put_read_state(
    State(state): State<AppState>,
    Ids([user_id, channel_id]): Ids<2>,
    update: ReadStateUpdate,
) -> Json<ReadState> {
    Json(state.read_states().put(
        user_id,
        channel_id,
        update.message_id,
        update.mentions,
        unix_time_ms(),
    ))
}
