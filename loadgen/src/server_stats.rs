//! Reading the servers' /debug/stats (docs/API.md): GC cycles per second during a run, and
//! the GC pauses that fell inside the measured window (difference of two cumulative
//! histograms taken at the window's start and end).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::result::ServerRuntime;

/// A stalled server must not hold the sampler past the next second for long.
const STATS_TIMEOUT: Duration = Duration::from_secs(2);

/// Samples the cumulative `gc_cycles` counter at the window start and every second after it
/// (index k = window_start + k s). None where a sample failed or the server has no GC.
/// One small request per second; both servers are polled alike.
pub fn sample_gc_cycles(
    addr: SocketAddr,
    window_start: Instant,
    window_end: Instant,
    stop: &AtomicBool,
) -> Vec<Option<u64>> {
    let mut samples = Vec::new();
    let mut next = window_start;
    while next <= window_end + Duration::from_millis(500) {
        while Instant::now() < next {
            if stop.load(Ordering::Relaxed) {
                return samples;
            }
            std::thread::sleep(Duration::from_millis(5).min(next - Instant::now()));
        }
        samples.push(fetch_counter(addr, "gc_cycles"));
        next += Duration::from_secs(1);
    }
    samples
}

fn fetch_counter(addr: SocketAddr, key: &str) -> Option<u64> {
    let response = server_launcher::http::get(addr, "/debug/stats", STATS_TIMEOUT).ok()?;
    let stats: Value = serde_json::from_slice(&response.body).ok()?;
    stats.get(key)?.as_u64()
}

/// after[key] - before[key] for a cumulative counter present in both.
pub fn counter_delta(before: &Value, after: &Value, key: &str) -> Option<u64> {
    Some(
        after
            .get(key)?
            .as_u64()?
            .saturating_sub(before.get(key)?.as_u64()?),
    )
}

/// GC pauses between two snapshots as (bucket upper bound in ns, count), from the cumulative
/// `gc_pause_buckets` lists; None when the server reports no GC.
pub fn gc_pauses_between(before: &Value, after: &Value) -> Option<Vec<(Option<u64>, u64)>> {
    histogram_between(before, after, "gc_pause_buckets")
}

/// A cumulative histogram of /debug/stats (`[{"le_ns": N|null, "count": N}, ...]` under
/// `key`) between two snapshots, non-empty buckets only; None when `after` lacks it.
pub fn histogram_between(
    before: &Value,
    after: &Value,
    key: &str,
) -> Option<Vec<(Option<u64>, u64)>> {
    let buckets = |stats: &Value| -> Option<Vec<(Option<u64>, u64)>> {
        stats
            .get(key)?
            .as_array()?
            .iter()
            .map(|b| Some((b.get("le_ns")?.as_u64(), b.get("count")?.as_u64()?)))
            .collect()
    };
    let after = buckets(after)?;
    let before = buckets(before).unwrap_or_default();
    Some(
        after
            .into_iter()
            .map(|(le, count)| {
                let earlier = before.iter().find(|(l, _)| *l == le).map_or(0, |(_, c)| *c);
                (le, count.saturating_sub(earlier))
            })
            .filter(|(_, count)| *count > 0)
            .collect(),
    )
}

/// The runtime settings a server reports in /debug/stats (docs/API.md).
pub fn server_runtime(stats: &Value) -> ServerRuntime {
    let text = |key: &str| stats.get(key)?.as_str().map(str::to_string);
    let go = stats.get("gomaxprocs").is_some();
    ServerRuntime {
        gomaxprocs: stats.get("gomaxprocs").and_then(Value::as_u64),
        gogc_percent: stats.get("gogc_percent").and_then(Value::as_i64),
        gomemlimit_bytes: stats.get("gomemlimit_bytes").and_then(Value::as_i64),
        goexperiment: text("goexperiment"),
        godebug: text("godebug"),
        read_states_lru: text("read_states_lru"),
        async_runtime: text("runtime"),
        // rust-server's `threads` are its tokio workers; go-server's are GOMAXPROCS.
        tokio_workers: if go {
            None
        } else {
            stats.get("threads").and_then(Value::as_u64)
        },
        allocator: text("allocator"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pauses_inside_the_window_are_the_difference_of_the_snapshots() {
        let before = json!({"gc_cycles": 10, "gc_pause_buckets": [{"le_ns": 1000, "count": 5}]});
        let after = json!({"gc_cycles": 13, "gc_pause_buckets": [
            {"le_ns": 1000, "count": 7}, {"le_ns": 50000, "count": 1}, {"le_ns": null, "count": 0}]});
        assert_eq!(counter_delta(&before, &after, "gc_cycles"), Some(3));
        assert_eq!(
            gc_pauses_between(&before, &after),
            Some(vec![(Some(1000), 2), (Some(50000), 1)])
        );
        let rust = json!({"server": "rust-axum"});
        assert_eq!(counter_delta(&rust, &rust, "gc_cycles"), None);
        assert_eq!(gc_pauses_between(&rust, &rust), None);
    }

    #[test]
    fn reads_each_servers_settings() {
        let go = json!({"threads": 1, "gomaxprocs": 1, "gogc_percent": -1,
            "gomemlimit_bytes": 9223372036854775807i64, "goexperiment": "", "godebug": "gctrace=1",
            "read_states_lru": "pointer-free"});
        let runtime = server_runtime(&go);
        assert_eq!(runtime.gomaxprocs, Some(1));
        assert_eq!(runtime.gogc_percent, Some(-1));
        assert_eq!(runtime.gomemlimit_bytes, Some(i64::MAX));
        assert_eq!(runtime.godebug.as_deref(), Some("gctrace=1"));
        assert_eq!(runtime.read_states_lru.as_deref(), Some("pointer-free"));
        assert_eq!((runtime.tokio_workers, runtime.allocator), (None, None));

        let rust = json!({"threads": 2, "allocator": "mimalloc", "runtime": "tokio-multi-thread"});
        let runtime = server_runtime(&rust);
        assert_eq!(runtime.tokio_workers, Some(2));
        assert_eq!(runtime.allocator.as_deref(), Some("mimalloc"));
        assert_eq!(runtime.async_runtime.as_deref(), Some("tokio-multi-thread"));
        assert_eq!(runtime.gomaxprocs, None);
        assert_eq!(server_runtime(&Value::Null), ServerRuntime::default());
    }
}
