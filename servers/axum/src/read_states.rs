//! The read-states cache, modelled on Discord's read-states service: a fixed-capacity LRU
//! keyed by (user_id, channel_id). The `lru` crate's `LruCache` (a hash map over an
//! intrusive doubly linked list) behind a std `Mutex`: the idiomatic Rust equivalent of the
//! Go side's map + `container/list` behind a `sync.Mutex`. Every GET and PUT reorders the
//! list, so both are writes and a `RwLock` would buy nothing.

use std::num::NonZeroUsize;
use std::sync::{Mutex, PoisonError};

use lru::LruCache;
use serde::Serialize;

/// The cache never holds fewer slots than this, whatever `--read-states` says.
pub const MIN_CAPACITY: usize = 10_000;

/// Channels per user in the prefill: entry `i` is (i / 64, i % 64).
const PREFILL_CHANNELS_PER_USER: u64 = 64;

/// A read state as the API shows it; field order is the JSON key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReadState {
    /// The user.
    pub user_id: u64,
    /// The channel.
    pub channel_id: u64,
    /// The last message the user has read in the channel.
    pub last_message_id: u64,
    /// Unread mentions.
    pub mention_count: u32,
    /// Unix time of the last write, in milliseconds.
    pub updated_at_ms: u64,
}

/// What the cache stores per key.
#[derive(Debug, Clone, Copy)]
struct Entry {
    last_message_id: u64,
    updated_at_ms: u64,
    mention_count: u32,
}

impl Entry {
    fn to_read_state(self, (user_id, channel_id): (u64, u64)) -> ReadState {
        ReadState {
            user_id,
            channel_id,
            last_message_id: self.last_message_id,
            mention_count: self.mention_count,
            updated_at_ms: self.updated_at_ms,
        }
    }
}

/// The fixed-capacity LRU cache of read states.
#[derive(Debug)]
pub struct ReadStates {
    // Poisoning is recovered from: no code path panics while holding the lock.
    cache: Mutex<LruCache<(u64, u64), Entry>>,
}

impl ReadStates {
    /// A cache of capacity max(`prefill`, [`MIN_CAPACITY`]) holding `prefill` entries:
    /// entry i is user i / 64, channel i % 64, last_message_id i, no mentions, written at
    /// `now_ms`.
    pub fn with_prefill(prefill: usize, now_ms: u64) -> Self {
        let capacity = NonZeroUsize::new(prefill.max(MIN_CAPACITY)).unwrap_or(NonZeroUsize::MIN);
        let mut cache = LruCache::new(capacity);
        for i in 0..prefill as u64 {
            let key = (i / PREFILL_CHANNELS_PER_USER, i % PREFILL_CHANNELS_PER_USER);
            cache.put(
                key,
                Entry {
                    last_message_id: i,
                    updated_at_ms: now_ms,
                    mention_count: 0,
                },
            );
        }
        Self {
            cache: Mutex::new(cache),
        }
    }

    /// The read state for the key, made the most recently used.
    pub fn get(&self, user_id: u64, channel_id: u64) -> Option<ReadState> {
        let key = (user_id, channel_id);
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.get(&key).map(|entry| entry.to_read_state(key))
    }

    /// Creates or replaces the read state for the key, made the most recently used; when
    /// the cache is full, a new key evicts the least recently used one.
    pub fn put(
        &self,
        user_id: u64,
        channel_id: u64,
        last_message_id: u64,
        mention_count: u32,
        now_ms: u64,
    ) -> ReadState {
        let key = (user_id, channel_id);
        let entry = Entry {
            last_message_id,
            updated_at_ms: now_ms,
            mention_count,
        };
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .put(key, entry);
        entry.to_read_state(key)
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many entries the cache can hold.
    pub fn capacity(&self) -> usize {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .cap()
            .get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefill_follows_the_contract() {
        let states = ReadStates::with_prefill(130, 42);
        assert_eq!(states.len(), 130);
        assert_eq!(states.capacity(), MIN_CAPACITY);
        assert_eq!(
            states.get(2, 1),
            Some(ReadState {
                user_id: 2,
                channel_id: 1,
                last_message_id: 129,
                mention_count: 0,
                updated_at_ms: 42
            })
        );
        assert_eq!(states.get(0, 0).map(|s| s.last_message_id), Some(0));
        assert_eq!(states.get(2, 2), None);
        assert_eq!(states.get(0, 64), None);
    }

    #[test]
    fn empty_prefill_still_has_the_minimum_capacity() {
        let states = ReadStates::with_prefill(0, 0);
        assert!(states.is_empty());
        assert_eq!(states.capacity(), MIN_CAPACITY);
    }

    #[test]
    fn capacity_follows_a_large_prefill() {
        let states = ReadStates::with_prefill(MIN_CAPACITY + 1, 0);
        assert_eq!(states.capacity(), MIN_CAPACITY + 1);
        assert_eq!(states.len(), MIN_CAPACITY + 1);
    }

    #[test]
    fn put_creates_and_replaces() {
        let states = ReadStates::with_prefill(0, 0);
        let written = states.put(7, 8, 9, 10, 11);
        assert_eq!(
            written,
            ReadState {
                user_id: 7,
                channel_id: 8,
                last_message_id: 9,
                mention_count: 10,
                updated_at_ms: 11
            }
        );
        assert_eq!(states.get(7, 8), Some(written));
        let replaced = states.put(7, 8, 1, 0, 12);
        assert_eq!(states.get(7, 8), Some(replaced));
        assert_eq!(states.len(), 1);
    }

    #[test]
    fn a_full_cache_evicts_the_least_recently_used() {
        // Full at the minimum capacity: keys (i / 64, i % 64) for i in 0..10_000, inserted in
        // order, so (0, 0) is the least recently used and (0, 1) the next.
        let states = ReadStates::with_prefill(MIN_CAPACITY, 0);
        assert_eq!(states.len(), MIN_CAPACITY);

        // A GET makes (0, 0) the most recently used: (0, 1) is now the oldest.
        assert!(states.get(0, 0).is_some());
        states.put(u64::MAX, u64::MAX, 1, 0, 0);
        assert_eq!(states.len(), MIN_CAPACITY);
        assert!(
            states.get(0, 1).is_none(),
            "(0, 1) should have been evicted"
        );
        assert!(states.get(0, 0).is_some());

        // A PUT of an existing key also refreshes it: (0, 2) is refreshed, (0, 3) goes.
        states.put(0, 2, 5, 0, 0);
        states.put(u64::MAX, 0, 1, 0, 0);
        assert!(states.get(0, 2).is_some());
        assert!(
            states.get(0, 3).is_none(),
            "(0, 3) should have been evicted"
        );
        assert_eq!(states.len(), MIN_CAPACITY);
    }
}
