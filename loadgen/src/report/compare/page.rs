//! The comparison as one self-contained HTML page (minijinja, values escaped).

use std::path::Path;

use serde::Serialize;

use crate::report::ReportError;
use crate::report::compare::Comparison;
use crate::report::compare::text::{interval, percent, value};

const TEMPLATE: &str = include_str!("../../../templates/compare.html");

#[derive(Serialize)]
struct PageView {
    base: String,
    new: String,
    noise_percent: f64,
    cells: Vec<CellView>,
    only_in_base: Vec<String>,
    only_in_new: Vec<String>,
    excluded_base: usize,
    excluded_new: usize,
}

#[derive(Serialize)]
struct CellView {
    name: String,
    base_runs: usize,
    new_runs: usize,
    source: &'static str,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct RowView {
    figure: &'static str,
    base: String,
    new: String,
    change: String,
    interval: String,
    verdict: &'static str,
    verdict_class: &'static str,
}

pub fn render(comparison: &Comparison) -> Result<String, ReportError> {
    let view = PageView {
        base: comparison.base.display().to_string(),
        new: comparison.new.display().to_string(),
        noise_percent: comparison.noise * 100.0,
        cells: comparison
            .cells
            .iter()
            .map(|cell| CellView {
                name: cell.cell.clone(),
                base_runs: cell.base_runs,
                new_runs: cell.new_runs,
                source: cell
                    .figures
                    .first()
                    .map(|f| f.source.describe())
                    .unwrap_or("no figures"),
                rows: cell
                    .figures
                    .iter()
                    .map(|change| RowView {
                        figure: change.figure.name(),
                        base: value(change.figure, change.base),
                        new: value(change.figure, change.new),
                        change: percent(change.estimate.ratio),
                        interval: interval(change),
                        verdict: change.verdict.text(),
                        verdict_class: change.verdict.css_class(),
                    })
                    .collect(),
            })
            .collect(),
        only_in_base: comparison.only_in_base.clone(),
        only_in_new: comparison.only_in_new.clone(),
        excluded_base: comparison.excluded_base,
        excluded_new: comparison.excluded_new,
    };
    let mut env = minijinja::Environment::new();
    env.add_template("compare.html", TEMPLATE)?;
    Ok(env.get_template("compare.html")?.render(&view)?)
}

/// Writes the page to `path`.
pub fn write(comparison: &Comparison, path: &Path) -> Result<(), ReportError> {
    let html = render(comparison)?;
    crate::output::write_atomically(path, html.as_bytes()).map_err(|e| ReportError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}
