//! Shards of one plan: N generators (processes, hosts, Kubernetes pods) that together send
//! exactly the load one generator would, so that their histograms add up to the one run's.
//!
//! At constant rate R over C connections one generator intends request j at origin + j/R
//! (wrk2's schedule, see `engine/pacing.rs`). Shard K of N takes the requests j ≡ K (mod N):
//! its i-th request is j = K + N·i, intended at origin + K/R + i/(R/N). That is an ordinary
//! generator at rate R/N whose schedule origin is offset by K/R, so a shard needs nothing from
//! the engine but that rate, that offset and its share of the C connections (split as evenly as
//! they divide: the first C mod N shards get one more). Every shard shares the origin, an
//! absolute wall-clock time (`--start-at`), and the measured window (origin + warm-up, for the
//! duration): a request is measured by its shard exactly when one generator would measure it.
//!
//! What differs from one generator is which connection carries which request: one generator
//! sends request j on connection j mod C; shard K sends its i-th request on its own connection
//! i mod C_K, so each of its connections carries every (N·C_K)-th request of the global
//! schedule instead of every C-th (the same spacing when N divides C). The request bytes
//! differ too: each shard walks the workload's request pool from its own offset (`pool_offset`),
//! so that shards do not send the same sequence in lockstep.
//!
//! In closed loop there is no schedule: each shard runs its share of the connections, and the
//! shards together hold C connections, as one generator would.

use std::time::{Duration, SystemTime};

use crate::plan_error::PlanError;

/// The environment variable a Kubernetes Indexed Job sets to each pod's completion index.
pub const JOB_COMPLETION_INDEX: &str = "JOB_COMPLETION_INDEX";

/// Shard `index` of `count` (index from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// What one shard runs: an ordinary generator with these settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShardLoad {
    /// The shard's rate: the total over N (None in closed loop).
    pub rate_per_second: Option<f64>,
    /// How far the shard's schedule starts after the shared origin: K/R.
    pub schedule_offset: Duration,
    /// The shard's share of the connections.
    pub connections: usize,
}

fn invalid<T>(message: impl Into<String>) -> Result<T, PlanError> {
    Err(PlanError(message.into()))
}

/// Parses `K/N` or `auto/N`; `auto` takes K from `job_completion_index` (the value of
/// `JOB_COMPLETION_INDEX`, passed in so that this stays a pure function).
pub fn parse_shard(text: &str, job_completion_index: Option<&str>) -> Result<Shard, PlanError> {
    let Some((index_text, count_text)) = text.split_once('/') else {
        return invalid(format!(
            "--shard '{text}': expected K/N (e.g. 0/3) or auto/N"
        ));
    };
    let count: usize = match count_text.trim().parse() {
        Ok(n) if n >= 1 => n,
        _ => {
            return invalid(format!(
                "--shard '{text}': N must be a whole number of at least 1"
            ));
        }
    };
    let index = if index_text.trim() == "auto" {
        let Some(value) = job_completion_index else {
            return invalid(format!(
                "--shard auto/{count}: {JOB_COMPLETION_INDEX} is not set (Kubernetes sets it in the pods of an Indexed Job; elsewhere give K/N)"
            ));
        };
        value.trim().parse::<usize>().map_err(|_| {
            PlanError(format!(
                "--shard auto/{count}: {JOB_COMPLETION_INDEX}='{value}' is not a whole number"
            ))
        })?
    } else {
        index_text.trim().parse::<usize>().map_err(|_| {
            PlanError(format!(
                "--shard '{text}': K must be a whole number (from 0) or 'auto'"
            ))
        })?
    };
    if index >= count {
        return invalid(format!(
            "--shard: shard {index} of {count} does not exist (shards are numbered 0 to {})",
            count - 1
        ));
    }
    Ok(Shard { index, count })
}

/// The generator settings of one shard of a plan with `total_rate` over `total_connections`.
pub fn shard_load(
    shard: Shard,
    total_rate: Option<f64>,
    total_connections: usize,
) -> Result<ShardLoad, PlanError> {
    if total_connections < shard.count {
        return invalid(format!(
            "--connections {total_connections} cannot be shared by {} shards: every shard needs at least one connection",
            shard.count
        ));
    }
    let base = total_connections / shard.count;
    let extra = usize::from(shard.index < total_connections % shard.count);
    Ok(ShardLoad {
        rate_per_second: total_rate.map(|rate| rate / shard.count as f64),
        schedule_offset: total_rate.map_or(Duration::ZERO, |rate| {
            Duration::from_secs_f64(shard.index as f64 / rate)
        }),
        connections: base + extra,
    })
}

/// Where shard K starts in the workload's request pool: where connection K of one generator
/// starts (the engine starts connection c at c × 7919), so shards do not walk the same
/// sequence in lockstep.
pub fn pool_offset(shard: Shard, pool_len: usize) -> usize {
    if pool_len == 0 {
        return 0;
    }
    shard.index.wrapping_mul(7919) % pool_len
}

/// Parses an absolute start time: RFC 3339 (`2026-12-02T15:04:05Z`, fractions allowed) or
/// seconds since the Unix epoch (`1796223845`, `1796223845.5`).
pub fn parse_start_at(text: &str) -> Result<SystemTime, PlanError> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Ok(SystemTime::UNIX_EPOCH + Duration::from_secs_f64(seconds));
        }
    }
    humantime::parse_rfc3339_weak(text).map_err(|e| {
        PlanError(format!(
            "--start-at '{text}': not an RFC 3339 time (2026-12-02T15:04:05Z) nor Unix seconds: {e}"
        ))
    })
}

/// Microseconds since the Unix epoch (0 before it), as results record absolute times.
pub fn unix_us(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// The fields that define a plan's load: shards of one plan agree on all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanIdentity<'a> {
    pub target_url: &'a str,
    pub workload: &'a str,
    pub workload_options: &'a str,
    pub total_rate_per_second: Option<f64>,
    pub total_connections: usize,
    pub shard_count: usize,
    pub start_at: SystemTime,
    pub warmup: Duration,
    pub duration: Duration,
    pub request_timeout: Duration,
    pub read_states: u64,
    pub seed: u64,
}

/// A short, stable id of a plan: FNV-1a (64 bits) over its load-defining fields, in hex.
/// Stable across builds and platforms (unlike std's `DefaultHasher`), so shards built
/// anywhere agree, and `merge` can refuse runs from different plans.
pub fn plan_id(identity: &PlanIdentity<'_>) -> String {
    let canonical = format!(
        "v1|{}|{}|{}|{:?}|{}|{}|{}|{}|{}|{}|{}|{}",
        identity.target_url,
        identity.workload,
        identity.workload_options,
        identity.total_rate_per_second.map(f64::to_bits),
        identity.total_connections,
        identity.shard_count,
        unix_us(identity.start_at),
        identity.warmup.as_micros(),
        identity.duration.as_micros(),
        identity.request_timeout.as_micros(),
        identity.read_states,
        identity.seed,
    );
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in canonical.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::pacing::{Next, Pacing};
    use std::time::Instant;

    /// Every intended send time (relative to `origin`) of one generator, as the engine's
    /// pacing computes it for each connection.
    fn schedule(
        rate: f64,
        connections: usize,
        origin: Instant,
        schedule_origin: Instant,
        end: Instant,
    ) -> Vec<Duration> {
        let mut times = Vec::new();
        for connection in 0..connections {
            let pacing = Pacing::new(
                Some(rate),
                connection,
                connections,
                schedule_origin,
                end,
                Duration::from_secs(1),
            );
            for sequence in 0.. {
                match pacing.next(sequence, origin) {
                    Next::Send(intended) => times.push(intended - origin),
                    Next::Done => break,
                    Next::GiveUp(_) => unreachable!("nothing is late at the origin"),
                }
            }
        }
        times.sort();
        times
    }

    #[test]
    fn the_union_of_the_shards_schedules_is_the_one_generators_schedule() {
        let origin = Instant::now();
        // No request falls exactly on the end, where nanosecond rounding could decide.
        let end = origin + Duration::from_micros(1_500_300);
        for (rate, connections, shards) in [
            (1000.0, 8, 3),
            (3000.0, 7, 3),
            (997.0, 64, 5),
            (200.0, 4, 4),
            (12_345.0, 10, 1),
        ] {
            let one = schedule(rate, connections, origin, origin, end);
            let mut union = Vec::new();
            for index in 0..shards {
                let load = shard_load(
                    Shard {
                        index,
                        count: shards,
                    },
                    Some(rate),
                    connections,
                )
                .unwrap();
                union.extend(schedule(
                    load.rate_per_second.unwrap(),
                    load.connections,
                    origin,
                    origin + load.schedule_offset,
                    end,
                ));
            }
            union.sort();
            assert_eq!(
                union.len(),
                one.len(),
                "rate {rate}, {connections} connections, {shards} shards"
            );
            // Equal up to the nanosecond rounding of the floating-point schedule: each time is
            // request j's j/R, and both lists hold j = 0, 1, 2, ... exactly once.
            for (j, (a, b)) in union.iter().zip(&one).enumerate() {
                let gap = a.abs_diff(*b);
                assert!(
                    gap <= Duration::from_nanos(4),
                    "request {j}: shards {a:?}, one generator {b:?} (rate {rate}, {shards} shards)"
                );
                let global = (a.as_secs_f64() * rate).round() as usize;
                assert_eq!(global, j, "rate {rate}, {shards} shards");
            }
        }
    }

    #[test]
    fn connections_are_shared_as_evenly_as_they_divide() {
        let shares: Vec<usize> = (0..3)
            .map(|index| {
                shard_load(Shard { index, count: 3 }, None, 8)
                    .unwrap()
                    .connections
            })
            .collect();
        assert_eq!(shares, [3, 3, 2]);
        let closed = shard_load(Shard { index: 2, count: 3 }, None, 8).unwrap();
        assert_eq!(closed.rate_per_second, None);
        assert_eq!(closed.schedule_offset, Duration::ZERO);
        let paced = shard_load(Shard { index: 2, count: 4 }, Some(1000.0), 8).unwrap();
        assert_eq!(paced.rate_per_second, Some(250.0));
        assert_eq!(paced.schedule_offset, Duration::from_millis(2));
        assert!(shard_load(Shard { index: 0, count: 4 }, None, 3).is_err());
    }

    #[test]
    fn shards_are_parsed_from_flags_or_the_job_index() {
        assert_eq!(
            parse_shard("1/3", None).unwrap(),
            Shard { index: 1, count: 3 }
        );
        assert_eq!(
            parse_shard("auto/3", Some("2")).unwrap(),
            Shard { index: 2, count: 3 }
        );
        let missing = parse_shard("auto/3", None).unwrap_err();
        assert!(missing.0.contains(JOB_COMPLETION_INDEX), "{}", missing.0);
        let garbage = parse_shard("auto/3", Some("two")).unwrap_err();
        assert!(garbage.0.contains("'two'"), "{}", garbage.0);
        let beyond = parse_shard("auto/3", Some("3")).unwrap_err();
        assert!(beyond.0.contains("does not exist"), "{}", beyond.0);
        for bad in ["3/3", "1", "a/3", "1/0", "1/x", "-1/3"] {
            assert!(parse_shard(bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn start_times_are_rfc3339_or_unix_seconds() {
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_223_845);
        assert_eq!(parse_start_at("1796223845").unwrap(), expected);
        assert_eq!(
            parse_start_at("1796223845.25").unwrap(),
            expected + Duration::from_millis(250)
        );
        let rfc = parse_start_at("2026-12-02T15:04:05Z").unwrap();
        assert_eq!(unix_us(rfc), 1_796_223_845_000_000);
        assert!(parse_start_at("tomorrow").is_err());
        assert!(parse_start_at("-5").is_err());
    }

    #[test]
    fn the_plan_id_changes_with_any_load_defining_field_only() {
        let base = PlanIdentity {
            target_url: "http://127.0.0.1:8080",
            workload: "plaintext",
            workload_options: "zipf",
            total_rate_per_second: Some(3000.0),
            total_connections: 12,
            shard_count: 3,
            start_at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_223_845),
            warmup: Duration::from_secs(1),
            duration: Duration::from_secs(5),
            request_timeout: Duration::from_secs(2),
            read_states: 0,
            seed: 1,
        };
        let id = plan_id(&base);
        assert_eq!(id.len(), 16);
        assert_eq!(id, plan_id(&base.clone()));
        let changed = [
            PlanIdentity {
                total_rate_per_second: Some(3001.0),
                ..base.clone()
            },
            PlanIdentity {
                shard_count: 4,
                ..base.clone()
            },
            PlanIdentity {
                start_at: base.start_at + Duration::from_secs(1),
                ..base.clone()
            },
            PlanIdentity {
                seed: 2,
                ..base.clone()
            },
        ];
        for other in &changed {
            assert_ne!(plan_id(other), id, "{other:?}");
        }
    }
}
