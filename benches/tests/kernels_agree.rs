//! Every kernel computes the same sum: on random inputs, and on the benchmark data itself.

use iterbench::data::{self, SIZES};
use iterbench::kernels::{self, Kernel};
use proptest::prelude::*;

/// The reference: the plain definition, in i64 whatever the kernel's type.
fn expected(numbers: &[i64]) -> i64 {
    numbers.iter().filter(|n| **n > 0).map(|n| n * 2).sum()
}

/// Every kernel's result on `numbers` (i32 kernels get the narrowed values), by name.
fn all_results(numbers: &[i64]) -> Vec<(&'static str, i64)> {
    let narrow: Vec<i32> = numbers.iter().map(|&n| i32::try_from(n).unwrap()).collect();
    kernels::ALL
        .iter()
        .map(|k| {
            let result = match k.kernel {
                Kernel::I64(f) => f(numbers),
                Kernel::I32(f) => i64::from(f(&narrow)),
            };
            (k.name, result)
        })
        .collect()
}

fn check(numbers: &[i64]) {
    let want = expected(numbers);
    let unfiltered: i64 = numbers.iter().map(|n| n * 2).sum();
    for (name, got) in all_results(numbers) {
        let want = if name.contains("nofilter") {
            unfiltered
        } else {
            want
        };
        assert_eq!(got, want, "{name} on {} elements", numbers.len());
    }
}

proptest! {
    #[test]
    fn kernels_agree_on_random_inputs(numbers in prop::collection::vec(-100_000i64..=100_000, 0..2_000)) {
        check(&numbers);
    }

    #[test]
    fn kernels_agree_around_chunk_boundaries(len in 0usize..40, seed_value in -5i64..=5) {
        let numbers: Vec<i64> = (0..len as i64).map(|i| (i * 7 + seed_value) % 11 - 5).collect();
        check(&numbers);
    }
}

#[test]
fn kernels_agree_on_benchmark_data() {
    // The largest size is left to the release build (16 M elements are slow unoptimized).
    for size in &SIZES[..3] {
        check(&data::numbers_i64(size.elements));
    }
}

#[test]
fn every_pair_names_existing_kernels_and_every_kernel_is_benchmarked_once() {
    for pair in kernels::PAIRS {
        assert!(kernels::by_name(pair.a).is_some() && kernels::by_name(pair.b).is_some());
    }
    let mut names: Vec<_> = kernels::ALL.iter().map(|k| k.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), kernels::ALL.len());
}
