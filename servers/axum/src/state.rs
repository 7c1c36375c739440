//! What the handlers share: the two stores and the facts `/debug/stats` reports.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::Allocator;
use crate::read_states::ReadStates;
use crate::users::Users;

/// The application state, cheap to clone (one `Arc`).
#[derive(Debug, Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    users: Users,
    read_states: ReadStates,
    worker_threads: usize,
    allocator: Allocator,
    started_at: Instant,
}

impl AppState {
    /// Builds the state, prefilling `read_states_prefill` read states (the slow part of
    /// start-up: about 0.4 s and 100 MB of RSS per million entries, release build).
    pub fn new(worker_threads: usize, read_states_prefill: usize) -> Self {
        Self::with_allocator(worker_threads, read_states_prefill, Allocator::System)
    }

    /// [`AppState::new`] for a binary whose global allocator is `allocator`.
    pub fn with_allocator(
        worker_threads: usize,
        read_states_prefill: usize,
        allocator: Allocator,
    ) -> Self {
        let started_at = Instant::now();
        Self {
            shared: Arc::new(Shared {
                users: Users::default(),
                read_states: ReadStates::with_prefill(read_states_prefill, unix_time_ms()),
                worker_threads,
                allocator,
                started_at,
            }),
        }
    }

    /// The user store.
    pub fn users(&self) -> &Users {
        &self.shared.users
    }

    /// The read-states cache.
    pub fn read_states(&self) -> &ReadStates {
        &self.shared.read_states
    }

    /// The tokio worker threads the server runs on.
    pub fn worker_threads(&self) -> usize {
        self.shared.worker_threads
    }

    /// The binary's global allocator.
    pub fn allocator(&self) -> Allocator {
        self.shared.allocator
    }

    /// Time since the state was built (start-up began).
    pub fn uptime(&self) -> Duration {
        self.shared.started_at.elapsed()
    }
}

/// Unix time in milliseconds (0 if the clock is before 1970).
pub fn unix_time_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}
