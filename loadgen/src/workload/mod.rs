//! Workloads: what requests a run sends. One file per workload behind one trait; adding a
//! workload means adding a file and a line in `by_name`.

mod fixed_get;
mod read_states;
mod users;

use std::net::SocketAddr;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use fixed_get::FixedGet;
pub use read_states::{KeyDistribution, ReadStates};
pub use users::Users;

/// How many distinct request byte strings a run cycles through. Large enough that a random
/// mix is represented, small enough (a few MB at most) to keep the generator's memory flat.
pub const REQUEST_POOL_SIZE: usize = 65_536;

/// What a workload is told about the target.
pub struct WorkloadContext {
    pub addr: SocketAddr,
    /// Entries the server prefilled with `--read-states`.
    pub read_states: u64,
    pub seed: u64,
}

/// Errors a workload's set-up can raise (for example the users it seeds were refused).
#[derive(Debug, thiserror::Error)]
#[error("setting up the {workload} workload failed: {message}")]
pub struct SetupError {
    pub workload: &'static str,
    pub message: String,
}

/// A kind of load: the requests it sends and any state it must create first.
pub trait Workload: Send + Sync {
    /// The name used on the command line and in results.
    fn name(&self) -> &'static str;
    /// Builds the pool of complete requests; deterministic for a given seed.
    fn requests(&self, context: &WorkloadContext, rng: &mut ChaCha8Rng) -> Vec<Vec<u8>>;
    /// Creates state the requests rely on (not measured). Most workloads need none.
    fn setup(&self, _context: &WorkloadContext) -> Result<(), SetupError> {
        Ok(())
    }
    /// Parameters worth recording in the result (mix, key distribution, ...).
    fn describe(&self) -> serde_json::Value;
}

/// The workload names `by_name` accepts.
pub const WORKLOAD_NAMES: [&str; 4] = ["plaintext", "json", "users", "read-states"];

/// Workload options that only some workloads use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadOptions {
    pub key_distribution: KeyDistribution,
}

/// The workload of that name, or None.
pub fn by_name(name: &str, options: WorkloadOptions) -> Option<Box<dyn Workload>> {
    Some(match name {
        "plaintext" => Box::new(FixedGet::new("plaintext", "/plaintext")),
        "json" => Box::new(FixedGet::new("json", "/json")),
        "users" => Box::new(Users::default()),
        "read-states" => Box::new(ReadStates {
            distribution: options.key_distribution,
        }),
        _ => return None,
    })
}

/// Builds a workload's request pool with a generator seeded from the run's seed.
pub fn build_requests(workload: &dyn Workload, context: &WorkloadContext) -> Vec<Vec<u8>> {
    let mut rng = ChaCha8Rng::seed_from_u64(context.seed);
    workload.requests(context, &mut rng)
}

/// A GET request with the headers every request carries.
pub fn get_request(addr: SocketAddr, path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes()
}

/// A request with a JSON body.
pub fn json_request(addr: SocketAddr, method: &str, path: &str, body: &str) -> Vec<u8> {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
