//! The comparison as text: one block per cell, one line per figure.

use std::fmt::Write;

use crate::report::compare::Comparison;
use crate::report::compare::change::{FigureChange, IntervalSource};
use crate::report::compare::figures::Figure;
use crate::report::format::{duration_us, mebibytes, thousands};

/// A figure's value in its unit, as tables show it.
pub fn value(figure: Figure, value: f64) -> String {
    match figure {
        Figure::RequestsPerSecond => format!("{}/s", thousands(value.round() as u64)),
        Figure::P50 | Figure::P99 | Figure::P99_9 | Figure::Max => duration_us(value),
        Figure::ServerCpuPer1000Requests => format!("{:.1} ms/1k", value * 1000.0),
        Figure::ServerPeakRss => mebibytes(value),
    }
}

/// A ratio as a signed percentage change, e.g. "+12.3 %".
pub fn percent(ratio: f64) -> String {
    format!("{:+.1} %", (ratio - 1.0) * 100.0)
}

/// "[-3.1 %, +8.0 %]", or "–" when there is no interval (one run per side).
pub fn interval(change: &FigureChange) -> String {
    let e = &change.estimate;
    if change.source == IntervalSource::None {
        "–".to_string()
    } else {
        format!("[{}, {}]", percent(e.low), percent(e.high))
    }
}

pub fn render(comparison: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Comparing {} (base) with {} (new); noise threshold {:.0} %; intervals are 95 %.",
        comparison.base.display(),
        comparison.new.display(),
        comparison.noise * 100.0
    );
    for cell in &comparison.cells {
        let source = cell
            .figures
            .first()
            .map(|f| f.source.describe())
            .unwrap_or("no figures");
        let _ = writeln!(
            out,
            "\n{}\n  base {} run(s), new {} run(s); {}",
            cell.cell, cell.base_runs, cell.new_runs, source
        );
        let _ = writeln!(
            out,
            "  {:<11} {:>13} {:>13} {:>9} {:>22}  verdict",
            "figure", "base", "new", "change", "95 % interval"
        );
        for change in &cell.figures {
            let _ = writeln!(
                out,
                "  {:<11} {:>13} {:>13} {:>9} {:>22}  {}",
                change.figure.name(),
                value(change.figure, change.base),
                value(change.figure, change.new),
                percent(change.estimate.ratio),
                interval(change),
                change.verdict.text()
            );
        }
    }
    for (side, cells) in [
        ("base", &comparison.only_in_base),
        ("new", &comparison.only_in_new),
    ] {
        for cell in cells {
            let _ = writeln!(out, "\nonly in {side}: {cell}");
        }
    }
    for (side, excluded) in [
        ("base", comparison.excluded_base),
        ("new", comparison.excluded_new),
    ] {
        if excluded > 0 {
            let _ = writeln!(
                out,
                "\n{excluded} run(s) of {side} left out: incomplete or behind schedule."
            );
        }
    }
    out
}
