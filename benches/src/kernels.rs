//! The kernels under test: the article's two functions and a few telling variants.
//!
//! Every kernel is `#[inline(never)]` so that it exists as a function of its own in the bench
//! binary (criterion measures a call, not a loop inlined into its harness), and
//! `#[unsafe(no_mangle)]` so that its symbol is its plain name: the assembly check finds it in
//! the compiler's output and callgrind finds it in the binary without demangling.
//!
//! The article's snippets are bodies over a vector `numbers`; here they take `&[i64]`, the
//! idiomatic parameter, and both sides of every pair take the same type, so a difference in
//! their machine code comes from the bodies alone. Overflow behaves the same on both sides:
//! `Sum` inherits overflow checks like `+=` (off in the release profile, on in tests).

/// Element types the kernels are written for; lets tables hold both kinds of kernel.
#[derive(Debug, Clone, Copy)]
pub enum Kernel {
    /// A kernel over `i64` elements, summing into `i64`.
    I64(fn(&[i64]) -> i64),
    /// A kernel over `i32` elements, summing into `i32`.
    I32(fn(&[i32]) -> i32),
}

/// A kernel with the name that is both its symbol and its benchmark function id.
#[derive(Debug, Clone, Copy)]
pub struct NamedKernel {
    /// Symbol name (`#[no_mangle]`), criterion function id and JSON key.
    pub name: &'static str,
    /// The function itself.
    pub kernel: Kernel,
}

/// Every kernel, in the order they are benchmarked and reported.
pub const ALL: [NamedKernel; 9] = [
    NamedKernel {
        name: "sum_iter",
        kernel: Kernel::I64(sum_iter),
    },
    NamedKernel {
        name: "sum_loop",
        kernel: Kernel::I64(sum_loop),
    },
    NamedKernel {
        name: "sum_loop_twin",
        kernel: Kernel::I64(sum_loop_twin),
    },
    NamedKernel {
        name: "sum_fold",
        kernel: Kernel::I64(sum_fold),
    },
    NamedKernel {
        name: "sum_chunks_exact",
        kernel: Kernel::I64(sum_chunks_exact),
    },
    NamedKernel {
        name: "sum_iter_nofilter",
        kernel: Kernel::I64(sum_iter_nofilter),
    },
    NamedKernel {
        name: "sum_loop_nofilter",
        kernel: Kernel::I64(sum_loop_nofilter),
    },
    NamedKernel {
        name: "sum_iter_i32",
        kernel: Kernel::I32(sum_iter_i32),
    },
    NamedKernel {
        name: "sum_loop_i32",
        kernel: Kernel::I32(sum_loop_i32),
    },
];

/// A pair of kernels whose machine code and timings are compared, `a` against `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    /// The iterator-style (or variant) side; ratios are `a / b`.
    pub a: &'static str,
    /// The reference side: a manual loop, except in the fold-against-chain control.
    pub b: &'static str,
    /// Why this pair is compared.
    pub why: &'static str,
}

/// The pairs the assembly check and the summary compare.
pub const PAIRS: [Pair; 7] = [
    Pair {
        a: "sum_iter",
        b: "sum_loop",
        why: "the article's claim, as written (i64)",
    },
    Pair {
        a: "sum_iter_i32",
        b: "sum_loop_i32",
        why: "the same claim with i32 elements",
    },
    Pair {
        a: "sum_iter_nofilter",
        b: "sum_loop_nofilter",
        why: "the claim without the filter: map + sum against a plain loop",
    },
    Pair {
        a: "sum_fold",
        b: "sum_loop",
        why: "the filter/map written as one fold",
    },
    Pair {
        a: "sum_chunks_exact",
        b: "sum_loop",
        why: "control: hand-unrolled with chunks_exact, expected to differ",
    },
    Pair {
        a: "sum_fold",
        b: "sum_iter",
        why: "control: the chain against the fold it is implemented with (`Filter::sum` folds)",
    },
    Pair {
        a: "sum_loop_twin",
        b: "sum_loop",
        why: "A/A control: a verbatim copy of the loop; its timing spread is the noise floor, \
              measured without either judged kernel",
    },
];

/// Looks a kernel up by name.
pub fn by_name(name: &str) -> Option<NamedKernel> {
    ALL.iter().copied().find(|k| k.name == name)
}

/// The article's iterator chain, verbatim.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_iter(numbers: &[i64]) -> i64 {
    numbers
        .iter()
        .filter(|n| **n > 0)
        .map(|n| n * 2)
        .sum::<i64>()
}

/// The article's manual loop, verbatim (`for n in &numbers` over a `Vec` is `for n in numbers`
/// over a slice).
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_loop(numbers: &[i64]) -> i64 {
    let mut sum = 0;
    for n in numbers {
        if *n > 0 {
            sum += n * 2;
        }
    }
    sum
}

/// A verbatim copy of [`sum_loop`] under another symbol: the A/A pair (`sum_loop_twin` against
/// `sum_loop`) is the timing noise floor of C1 (docs/RULES.md). asm-check confirms the two
/// compile to the same machine code; neither is the judged iterator, so the noise cannot be
/// measured on the kernel it is meant to excuse.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_loop_twin(numbers: &[i64]) -> i64 {
    let mut sum = 0;
    for n in numbers {
        if *n > 0 {
            sum += n * 2;
        }
    }
    sum
}

/// The filter and map folded into one closure.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_fold(numbers: &[i64]) -> i64 {
    numbers
        .iter()
        .fold(0i64, |acc, n| if *n > 0 { acc + n * 2 } else { acc })
}

/// Lanes of [`sum_chunks_exact`]: eight `i64`, one 512-bit vector or two 256-bit ones.
const CHUNK_LANES: usize = 8;

/// Hand-unrolled: independent accumulators over `chunks_exact`, then the remainder.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_chunks_exact(numbers: &[i64]) -> i64 {
    let chunks = numbers.chunks_exact(CHUNK_LANES);
    let remainder = chunks.remainder();
    let mut lanes = [0i64; CHUNK_LANES];
    for chunk in chunks {
        for (lane, n) in lanes.iter_mut().zip(chunk) {
            if *n > 0 {
                *lane += n * 2;
            }
        }
    }
    let mut sum: i64 = lanes.iter().sum();
    for n in remainder {
        if *n > 0 {
            sum += n * 2;
        }
    }
    sum
}

/// The iterator chain without the filter.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_iter_nofilter(numbers: &[i64]) -> i64 {
    numbers.iter().map(|n| n * 2).sum::<i64>()
}

/// The manual loop without the condition.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_loop_nofilter(numbers: &[i64]) -> i64 {
    let mut sum = 0;
    for n in numbers {
        sum += n * 2;
    }
    sum
}

/// The article's iterator chain over `i32` (twice the elements per vector register).
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_iter_i32(numbers: &[i32]) -> i32 {
    numbers
        .iter()
        .filter(|n| **n > 0)
        .map(|n| n * 2)
        .sum::<i32>()
}

/// The article's manual loop over `i32`.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sum_loop_i32(numbers: &[i32]) -> i32 {
    let mut sum = 0;
    for n in numbers {
        if *n > 0 {
            sum += n * 2;
        }
    }
    sum
}

impl Kernel {
    /// The criterion group a kernel of this element type belongs to.
    pub fn group(&self) -> &'static str {
        match self {
            Kernel::I64(_) => GROUP_I64,
            Kernel::I32(_) => GROUP_I32,
        }
    }
}

/// Criterion group of the `i64` kernels.
pub const GROUP_I64: &str = "sum_i64";
/// Criterion group of the `i32` kernels.
pub const GROUP_I32: &str = "sum_i32";

/// A kernel over `T` summing into `T`, with its name.
pub type Typed<T> = (&'static str, fn(&[T]) -> T);

/// The `i64` kernels of [`ALL`], in order.
pub fn i64_kernels() -> Vec<Typed<i64>> {
    ALL.iter()
        .filter_map(|k| match k.kernel {
            Kernel::I64(f) => Some((k.name, f)),
            Kernel::I32(_) => None,
        })
        .collect()
}

/// The `i32` kernels of [`ALL`], in order.
pub fn i32_kernels() -> Vec<Typed<i32>> {
    ALL.iter()
        .filter_map(|k| match k.kernel {
            Kernel::I32(f) => Some((k.name, f)),
            Kernel::I64(_) => None,
        })
        .collect()
}
