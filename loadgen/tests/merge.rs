//! `loadgen merge` on shard runs written to disk by the library (no server): exact addition
//! in any order, and every refusal with its exit code.

use std::path::{Path, PathBuf};

use hdrhistogram::Histogram;
use loadgen::engine::recorder::{SIGNIFICANT_DIGITS, new_histogram};
use loadgen::merge::{MergeError, merge};
use loadgen::output::{NamedHistogram, read_histogram, read_result, write_run};
use loadgen::result::{Percentiles, RunResult, ShardInfo};
use rand::{Rng, SeedableRng};

const EXAMPLE: &str = include_str!("fixtures/result.example.json");
const PLAN: &str = "00112233aabbccdd";

/// Latency samples of one shard: a heavy tail, different per shard.
fn samples(index: usize) -> Vec<u64> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(index as u64 + 7);
    (0..5_000 + 1_000 * index)
        .map(|_| {
            let base: u64 = rng.random_range(50..400);
            if rng.random_bool(0.01) {
                base * rng.random_range(10..2_000)
            } else {
                base
            }
        })
        .collect()
}

fn histogram_of(values: &[u64], digits: u8) -> Histogram<u64> {
    let mut histogram = new_histogram(digits);
    for value in values {
        histogram.record(*value).unwrap();
    }
    histogram
}

/// Writes shard `index` of `count` of plan `plan_id` into `dir`, as `loadgen run` would.
fn write_shard(dir: &Path, plan_id: &str, index: usize, count: usize, digits: u8) -> Vec<u64> {
    let values = samples(index);
    let latency = histogram_of(&values, digits);
    let mut result: RunResult = serde_json::from_str(EXAMPLE).unwrap();
    result.figures.requests = values.len() as u64;
    result.figures.latency = Percentiles::of(&latency);
    result.per_second.truncate(2);
    result.shard = Some(ShardInfo {
        plan_id: plan_id.to_string(),
        index,
        count,
        total_rate_per_second: Some(3000.0),
        total_connections: 12,
        start_at_unix_us: 1_796_223_845_000_000,
        schedule_offset_us: index as f64 * 1e6 / 3000.0,
        started_late_us: 100 + 50 * index as u64,
    });
    result.files.clear();
    let named = [
        NamedHistogram {
            name: "latency",
            histogram: &latency,
        },
        NamedHistogram {
            name: "service_time",
            histogram: &latency,
        },
        NamedHistogram {
            name: "send_lag",
            histogram: &histogram_of(&[1, 2, 3], digits),
        },
    ];
    write_run(dir, &mut result, &named).unwrap();
    values
}

fn shards(root: &Path, count: usize) -> (Vec<PathBuf>, Vec<u64>) {
    let mut dirs = Vec::new();
    let mut every_value = Vec::new();
    for index in 0..count {
        let dir = root.join(format!("shard-{index}"));
        every_value.extend(write_shard(&dir, PLAN, index, count, SIGNIFICANT_DIGITS));
        dirs.push(dir);
    }
    (dirs, every_value)
}

#[test]
fn merged_histograms_are_the_union_of_the_shards_in_any_order() {
    let root = tempfile::tempdir().unwrap();
    let (dirs, every_value) = shards(root.path(), 3);
    let union = histogram_of(&every_value, SIGNIFICANT_DIGITS);
    let orders = [[0, 1, 2], [2, 0, 1], [1, 2, 0]];
    let mut written = Vec::new();
    for (n, order) in orders.iter().enumerate() {
        let out = root.path().join(format!("merged-{n}"));
        let given: Vec<PathBuf> = order.iter().map(|&i| dirs[i].clone()).collect();
        let result = merge(&given, &out).unwrap();
        let latency = read_histogram(&out.join(&result.files["latency_hdr"])).unwrap();
        assert_eq!(latency, union, "order {order:?}");
        assert_eq!(result.figures.latency, Percentiles::of(&union));
        assert_eq!(result.figures.requests, every_value.len() as u64);
        let info = result.merge.as_ref().unwrap();
        assert_eq!(info.plan_id, PLAN);
        assert_eq!(info.start_skew_us, 100);
        let indices: Vec<usize> = info.shards.iter().map(|s| s.index).collect();
        assert_eq!(indices, [0, 1, 2], "shards are listed in shard order");
        assert_eq!(result.load.rate_per_second, Some(3000.0));
        assert_eq!(result.load.connections, 12);
        assert!(result.shard.is_none());
        written.push((
            std::fs::read(out.join("latency.hdr")).unwrap(),
            read_result(&out.join("result.json")).unwrap(),
        ));
    }
    assert!(
        written.windows(2).all(|pair| pair[0] == pair[1]),
        "every order writes the same files"
    );
}

#[test]
fn per_second_counts_add_on_absolute_time() {
    let root = tempfile::tempdir().unwrap();
    let (dirs, _) = shards(root.path(), 2);
    let one = read_result(&dirs[0].join("result.json")).unwrap();
    assert!(
        !one.per_second.is_empty(),
        "the example has a per-second series"
    );
    let merged = merge(&dirs, &root.path().join("merged")).unwrap();
    assert_eq!(merged.per_second.len(), one.per_second.len());
    for (second, merged_second) in one.per_second.iter().zip(&merged.per_second) {
        assert_eq!(merged_second.requests, 2 * second.requests);
        assert_eq!(merged_second.max_us, second.max_us);
    }
}

fn refused(dirs: &[PathBuf], out: &Path) -> MergeError {
    let error = merge(dirs, out).expect_err("merge should refuse");
    assert_eq!(error.exit_code(), 2, "{error}");
    error
}

#[test]
fn shards_of_other_plans_duplicates_gaps_and_other_configurations_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("merged");
    let (dirs, _) = shards(root.path(), 3);

    let stranger = root.path().join("stranger");
    write_shard(&stranger, "ffffffffffffffff", 2, 3, SIGNIFICANT_DIGITS);
    let error = refused(&[dirs[0].clone(), dirs[1].clone(), stranger], &out);
    assert!(
        matches!(error, MergeError::DifferentPlans { .. }),
        "{error}"
    );

    let error = refused(&[dirs[0].clone(), dirs[1].clone(), dirs[1].clone()], &out);
    assert!(
        matches!(error, MergeError::DuplicateShard { index: 1, .. }),
        "{error}"
    );

    let error = refused(&[dirs[0].clone(), dirs[2].clone()], &out);
    assert!(
        matches!(&error, MergeError::MissingShards { missing, count: 3 } if missing == &[1]),
        "{error}"
    );

    let coarse = root.path().join("coarse");
    write_shard(&coarse, PLAN, 2, 3, 2);
    let error = refused(&[dirs[0].clone(), dirs[1].clone(), coarse], &out);
    assert!(error.to_string().contains("configuration"), "{error}");

    let plain = root.path().join("plain");
    let mut result: RunResult = serde_json::from_str(EXAMPLE).unwrap();
    result.files.clear();
    write_run(&plain, &mut result, &[]).unwrap();
    let error = refused(&[plain], &out);
    assert!(matches!(error, MergeError::NotAShard { .. }), "{error}");

    let error = refused(&[root.path().join("nowhere")], &out);
    assert!(matches!(error, MergeError::NotARun { .. }), "{error}");

    assert!(!out.exists(), "nothing is written when merge refuses");
    merge(&dirs, &out).unwrap();
    let error = refused(&dirs, &out);
    assert!(matches!(error, MergeError::OutputExists { .. }), "{error}");
}
