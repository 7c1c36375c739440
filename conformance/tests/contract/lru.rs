//! LRU eviction. Capacity is max(N, 10000) = 10000 with N = 1000 prefilled, so the cache is
//! filled with new entries first. User 0's entries were prefilled first and nothing before
//! this section touched them (the table builder enforces it), so (0,0), (0,1), (0,2), ... are
//! the least recently used, in that order.

use conformance::Request;
use conformance::servers::READ_STATES_CAPACITY;

use crate::Table;

fn get(user: u64, channel: u64) -> Request {
    Request::get(&format!("/read_states/{user}/{channel}"))
}

fn put(user: u64, channel: u64, message_id: &str) -> Request {
    Request::put(
        &format!("/read_states/{user}/{channel}"),
        format!("{{\"message_id\":{message_id}}}"),
    )
}

fn gone(t: &mut Table, what: &str, user: u64, channel: u64) {
    t.error(
        format!("lru: {what}"),
        get(user, channel),
        404,
        "read state not found",
    );
}

pub fn add(t: &mut Table) {
    t.lru_section = true;
    let count = t.read_state_count();
    t.stats("lru: count before filling", count);
    t.fill_read_states(
        "lru: fill the cache to capacity with new entries",
        1_000_000,
        READ_STATES_CAPACITY - count,
        0,
    );
    t.stats("lru: the cache is full", READ_STATES_CAPACITY);
    t.read_state(
        "lru: the first fill entry is there",
        get(1_000_000, 0),
        (1_000_000, 0),
        0,
        0,
    );

    t.read_state(
        "lru: touch (0,0), the oldest entry",
        get(0, 0),
        (0, 0),
        0,
        0,
    );
    t.read_state(
        "lru: insert into the full cache",
        put(2_000_000, 0, "1"),
        (2_000_000, 0),
        1,
        0,
    );
    gone(t, "(0,1), now the least recently used, was evicted", 0, 1);
    t.read_state(
        "lru: (0,0) survived: a GET made it recent",
        get(0, 0),
        (0, 0),
        0,
        0,
    );
    t.stats(
        "lru: still at capacity after an eviction",
        READ_STATES_CAPACITY,
    );

    t.read_state("lru: touch (0,2)", get(0, 2), (0, 2), 2, 0);
    t.read_state(
        "lru: re-insert the evicted (0,1)",
        put(0, 1, "7"),
        (0, 1),
        7,
        0,
    );
    gone(
        t,
        "re-inserting (0,1) evicted (0,3), as (0,2) was touched",
        0,
        3,
    );
    t.read_state("lru: (0,2) survived", get(0, 2), (0, 2), 2, 0);
    t.read_state("lru: (0,1) is back", get(0, 1), (0, 1), 7, 0);

    t.read_state(
        "lru: replacing an existing entry evicts nothing",
        put(0, 4, "44"),
        (0, 4),
        44,
        0,
    );
    t.read_state(
        "lru: (0,5) is still there after the replace",
        get(0, 5),
        (0, 5),
        5,
        0,
    );
    t.read_state(
        "lru: a PUT makes its entry recent, too",
        put(2_000_001, 0, "2"),
        (2_000_001, 0),
        2,
        0,
    );
    gone(t, "the insert evicted (0,6), not the replaced (0,4)", 0, 6);
    t.read_state("lru: (0,4) holds the replacement", get(0, 4), (0, 4), 44, 0);

    t.error(
        "lru: a refused PUT of a new key",
        put(3_000_000, 0, "-1"),
        422,
        "message_id must be an unsigned 64-bit integer",
    );
    t.read_state(
        "lru: the refused PUT evicted nothing",
        get(0, 7),
        (0, 7),
        7,
        0,
    );
    gone(t, "a GET of a missing key", 3_000_001, 0);
    t.read_state(
        "lru: the missing GET inserted nothing",
        get(0, 8),
        (0, 8),
        8,
        0,
    );
    t.stats("lru: at capacity at the end", READ_STATES_CAPACITY);
}
