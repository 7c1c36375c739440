//! HdrHistogram's standard percentile-distribution text (`.hgrm`), as wrk2 and
//! `HistogramLogProcessor` print it, with values in milliseconds. Tools such as
//! HdrHistogram's online plotter read these files directly.

use std::fmt::Write;

use hdrhistogram::Histogram;

/// Iteration steps per halving of the remaining distance to 100 %, as in wrk2's output.
const TICKS_PER_HALF_DISTANCE: u32 = 5;
/// Recorded values are microseconds; the text is in milliseconds.
const SCALE_TO_MS: f64 = 1000.0;

/// Renders the percentile distribution of a microsecond histogram.
pub fn percentile_distribution(histogram: &Histogram<u64>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>12} {:>14} {:>10} {:>14}\n",
        "Value", "Percentile", "TotalCount", "1/(1-Percentile)"
    );
    let mut total = 0u64;
    for step in histogram.iter_quantiles(TICKS_PER_HALF_DISTANCE) {
        total += step.count_since_last_iteration();
        let value_ms = step.value_iterated_to() as f64 / SCALE_TO_MS;
        let quantile = step.quantile_iterated_to();
        if quantile < 1.0 {
            let _ = writeln!(
                out,
                "{value_ms:12.3} {quantile:2.12} {total:10} {:14.2}",
                1.0 / (1.0 - quantile)
            );
        } else {
            let _ = writeln!(out, "{value_ms:12.3} {quantile:2.12} {total:10}");
        }
    }
    let sub_buckets = 2u64.pow(
        (2.0 * 10f64.powi(i32::from(histogram.sigfig())))
            .log2()
            .ceil() as u32,
    );
    let _ = writeln!(
        out,
        "#[Mean    = {:12.3}, StdDeviation   = {:12.3}]",
        histogram.mean() / SCALE_TO_MS,
        histogram.stdev() / SCALE_TO_MS
    );
    let _ = writeln!(
        out,
        "#[Max     = {:12.3}, Total count    = {:12}]",
        histogram.max() as f64 / SCALE_TO_MS,
        histogram.len()
    );
    let _ = writeln!(
        out,
        "#[Buckets = {:12}, SubBuckets     = {:12}]",
        histogram.buckets(),
        sub_buckets
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::recorder::{SIGNIFICANT_DIGITS, new_histogram};

    #[test]
    fn renders_rows_in_milliseconds_and_a_footer() {
        let mut histogram = new_histogram(SIGNIFICANT_DIGITS);
        for us in 1..=1000u64 {
            histogram.record(us * 10).unwrap();
        }
        let text = percentile_distribution(&histogram);
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.contains("Value"))
            .collect();
        let first: Vec<&str> = rows[0].split_whitespace().collect();
        assert_eq!(first[0], "0.010");
        let last: Vec<&str> = rows.last().unwrap().split_whitespace().collect();
        assert_eq!(last[1], "1.000000000000");
        assert_eq!(last[2], "1000");
        assert!(text.contains("Total count    =         1000]"));
        assert!(text.contains("SubBuckets     =         2048]"));
    }
}
