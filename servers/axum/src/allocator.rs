//! Which memory allocator the binary runs on: recorded in `/debug/stats` so that every
//! result says which one it measured.
//!
//! `rust-server` (as shipped) uses Rust's default, the system allocator (glibc's malloc on
//! Linux). `rust-server-mimalloc` (the tuned variant, cargo feature `mimalloc`) installs
//! mimalloc as the `#[global_allocator]`: swapping the allocator is the first tuning a Rust
//! team reaches for when a service allocates per request, and the one the mimalloc crate
//! documents as a drop-in (<https://docs.rs/mimalloc>). Only the binary can declare a global
//! allocator, so each binary passes its own to [`crate::entry::main_with`].

use serde::Serialize;

/// The global allocator of the running binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Allocator {
    /// Rust's default: `std::alloc::System`, i.e. the C library's malloc.
    System,
    /// `mimalloc::MiMalloc` (binary `rust-server-mimalloc`).
    Mimalloc,
}

impl Allocator {
    /// The name `/debug/stats` reports: `glibc-malloc` (the system allocator on a GNU
    /// target; `system-malloc` on other C libraries) or `mimalloc`.
    pub fn name(self) -> &'static str {
        match self {
            Allocator::System if cfg!(target_env = "gnu") => "glibc-malloc",
            Allocator::System => "system-malloc",
            Allocator::Mimalloc => "mimalloc",
        }
    }
}
