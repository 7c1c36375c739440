//! Fixed-seed input data: the same numbers on every run, every machine.
//!
//! Values are uniform in `-MAX_ABS_VALUE..=MAX_ABS_VALUE`, so about half are positive (the
//! filter keeps roughly every other element, which is the hardest case for a branch) and a few
//! are zero. The bound is small on purpose: even the `i32` kernels cannot overflow at the
//! largest size (checked at compile time below), so every kernel returns the true sum and
//! the kernels can be checked against each other on the benchmark data itself.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// Seed of the ChaCha8 stream behind every input. ChaCha8's output for a seed is specified, so
/// the data do not depend on the version of `rand`.
pub const SEED: u64 = 0x1735_2026;

/// Largest magnitude of a value.
pub const MAX_ABS_VALUE: i32 = 50;

/// One input size of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Number of elements.
    pub elements: usize,
    /// Short human label (`1K`, `64K`, ...).
    pub label: &'static str,
}

/// The sizes criterion measures: in L1, in L2, around the last-level cache, and in memory.
pub const SIZES: [Size; 4] = [
    Size {
        elements: 1 << 10,
        label: "1K",
    },
    Size {
        elements: 1 << 16,
        label: "64K",
    },
    Size {
        elements: 1 << 20,
        label: "1M",
    },
    Size {
        elements: 1 << 24,
        label: "16M",
    },
];

/// The size at which callgrind counts instructions.
pub const CALLGRIND_SIZE: Size = SIZES[1];

/// Largest size of [`SIZES`].
pub const MAX_ELEMENTS: usize = 1 << 24;

// The largest possible `i32` result, every element at the bound, doubled, must fit.
const _: () = assert!((MAX_ABS_VALUE as i64) * 2 * (MAX_ELEMENTS as i64) <= i32::MAX as i64);

/// `len` values from the fixed seed; any shorter run is a prefix of a longer one.
pub fn numbers_i32(len: usize) -> Vec<i32> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let span = (2 * MAX_ABS_VALUE + 1) as u64;
    (0..len)
        .map(|_| {
            // Lemire's multiply-shift maps a u32 onto 0..span; bias below 2^-25 for span 101.
            let offset = (u64::from(rng.next_u32()) * span) >> 32;
            offset as i32 - MAX_ABS_VALUE
        })
        .collect()
}

/// The same values as [`numbers_i32`], widened to `i64`.
pub fn numbers_i64(len: usize) -> Vec<i64> {
    numbers_i32(len).into_iter().map(i64::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_fixed() {
        // A snapshot: if this changes, results are no longer comparable with earlier runs.
        assert_eq!(numbers_i32(8), SNAPSHOT_FIRST_8);
    }

    const SNAPSHOT_FIRST_8: [i32; 8] = [34, 5, -22, -48, -10, 6, 19, 50];

    #[test]
    fn values_are_in_range_with_mixed_signs() {
        let values = numbers_i32(CALLGRIND_SIZE.elements);
        assert!(values.iter().all(|v| v.abs() <= MAX_ABS_VALUE));
        let positive = values.iter().filter(|v| **v > 0).count() as f64 / values.len() as f64;
        assert!(
            (0.45..0.55).contains(&positive),
            "share of positives {positive}"
        );
        assert!(values.contains(&MAX_ABS_VALUE) && values.contains(&-MAX_ABS_VALUE));
    }

    #[test]
    fn shorter_runs_are_prefixes() {
        let long = numbers_i64(4096);
        assert_eq!(&long[..1024], numbers_i64(1024).as_slice());
    }
}
