//! Criterion timings of every kernel at every size: `cargo bench -p iterbench`.
//!
//! Results land in `target/criterion/<group>/<kernel>/<elements>/new/estimates.json`, which
//! `iterbench-summary` reads. Throughput is in elements, so `i32` and `i64` kernels compare
//! per element.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use iterbench::data::{self, SIZES};
use iterbench::kernels::{self, GROUP_I32, GROUP_I64, Typed};
use plotters::style::{FontStyle, register_font};

/// Benchmarks every kernel of one element type over every size, one `BenchmarkId` per
/// (kernel, size). `make` builds the input of a size.
fn bench_group<T>(
    c: &mut Criterion,
    group_name: &str,
    make: fn(usize) -> Vec<T>,
    kernels: &[Typed<T>],
) {
    let mut group = c.benchmark_group(group_name);
    for size in SIZES {
        let numbers = make(size.elements);
        group.throughput(Throughput::Elements(size.elements as u64));
        for &(name, kernel) in kernels {
            group.bench_with_input(
                BenchmarkId::new(name, size.elements),
                numbers.as_slice(),
                |b, numbers| b.iter(|| kernel(black_box(numbers))),
            );
        }
    }
    group.finish();
}

fn i64_kernels(c: &mut Criterion) {
    bench_group(c, GROUP_I64, data::numbers_i64, &kernels::i64_kernels());
}

fn i32_kernels(c: &mut Criterion) {
    bench_group(c, GROUP_I32, data::numbers_i32, &kernels::i32_kernels());
}

criterion_group! {
    name = benches;
    // 36 benchmarks (9 kernels x 4 sizes). Criterion's own defaults (3 s warm-up + 5 s
    // measurement each, plus about 2-4 s of analysis and plotting per benchmark on 2 cores)
    // would take 6-7 minutes; 1 s + 3 s keeps a full run near 4 minutes on a busy 2-core
    // machine. These kernels need no long warm-up: no JIT, and their inputs fit in (or stream
    // through) the caches within the first milliseconds. Command-line flags
    // (`--warm-up-time`, `--measurement-time`, `--sample-size`) override these. The 16 M size
    // switches to flat sampling by itself (SamplingMode::Auto).
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = i64_kernels, i32_kernels
}
/// The font criterion's plots are drawn with. criterion draws text through plotters in the
/// family "sans-serif"; the workspace builds plotters with the `ab_glyph` text renderer (the
/// report embeds its font and needs no system font service), and that renderer knows only the
/// fonts registered with it. Without this, every plot panics with `FontUnavailable` whenever
/// the bench is built with the workspace's plotters features (`cargo bench` at the root).
/// DejaVu Sans: Bitstream Vera licence, see loadgen/assets/DejaVu-LICENSE.txt.
fn register_plot_font() {
    static REGULAR: &[u8] = include_bytes!("../../loadgen/assets/DejaVuSans.ttf");
    static BOLD: &[u8] = include_bytes!("../../loadgen/assets/DejaVuSans-Bold.ttf");
    for (style, bytes) in [(FontStyle::Normal, REGULAR), (FontStyle::Bold, BOLD)] {
        if register_font("sans-serif", style, bytes).is_err() {
            // Timings do not need the font; only the plots would fail, so say why and go on
            // without them rather than lose the measurements.
            eprintln!("warning: the embedded plot font did not load; run with --noplot");
        }
    }
}

// criterion_main!, spelled out so that the font is registered before any plot is drawn.
fn main() {
    register_plot_font();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
