//! `loadgen report DIR…`: renders `index.html` and PNG charts from results on disk, and
//! never re-runs anything (the design's one-way flow: result files are the source of truth).
//!
//! The steps, one module each:
//! - [`collect`] finds `result.json`, `iterbench.json`, `study.json` and `nginx-skipped.txt`
//!   under the given directories and loads them into a [`collect::Study`];
//! - [`aggregate`] reduces repeated runs to medians and spreads, for claims and charts alike;
//! - [`evidence`] picks the figures each claim needs (with [`bootstrap`] intervals), and
//!   [`claims`] turns them into verdicts on the scale of [`rules`] (docs/RULES.md), never
//!   typed by hand;
//! - [`charts`] draws one PNG per chart (one file per chart), with the embedded [`font`];
//! - [`html`] writes the page from a minijinja template, [`markdown`] the claims as `claims.md`.

pub mod aggregate;
pub mod bootstrap;
pub mod charts;
pub mod claims;
pub mod collect;
pub mod compare;
pub mod environment;
pub mod evidence;
#[cfg(test)]
mod fixtures;
pub mod font;
pub mod format;
pub mod html;
pub mod iterbench;
pub mod markdown;
pub mod rules;
pub mod select;

use std::path::{Path, PathBuf};

use crate::report::charts::ChartStatus;
use crate::report::claims::Verdict;

/// Why a report could not be rendered. A chart that cannot be drawn is not one of these: it
/// is marked in the page and in [`ReportSummary::charts`], and the rest of the report stands.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path} is not a directory")]
    NotADirectory { path: PathBuf },
    #[error(
        "no results under {dirs}: expected result.json (from `loadgen run`, `sweep` or \
         `reproduce`) or iterbench.json (from the benches' iterbench-summary)"
    )]
    NoResults { dirs: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot render the HTML page: {0}")]
    Template(#[from] minijinja::Error),
    #[error("the embedded chart font cannot be loaded")]
    Font,
}

/// What was rendered, for the command line and for tests.
#[derive(Debug, Clone)]
pub struct ReportSummary {
    /// The page: `<out>/index.html`.
    pub index_html: PathBuf,
    /// Runs (result.json files) the report is built from.
    pub runs: usize,
    /// Each chart's file name and whether it was drawn.
    pub charts: Vec<(String, ChartStatus)>,
    /// Each claim's id and verdict.
    pub verdicts: Vec<(String, Verdict)>,
    /// Files that were found but could not be read, and similar notes.
    pub warnings: Vec<String>,
}

impl ReportSummary {
    /// A few lines for the terminal: where the page is, the verdicts, what went wrong.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "Report: {} ({} runs)\n",
            self.index_html.display(),
            self.runs
        );
        if !self.verdicts.is_empty() {
            text.push_str(&format!(
                "Verdicts (docs/RULES.md, rules version {}):\n",
                claims::RULES_VERSION
            ));
        }
        for (id, verdict) in &self.verdicts {
            text.push_str(&format!("  {id}: {}\n", verdict.text()));
        }
        for (chart, status) in &self.charts {
            match status {
                ChartStatus::Drawn => {}
                ChartStatus::NoData(reason) => {
                    text.push_str(&format!("  {chart}: no data ({reason})\n"))
                }
                ChartStatus::Failed(reason) => {
                    text.push_str(&format!("  {chart}: FAILED: {reason}\n"))
                }
            }
        }
        for warning in &self.warnings {
            text.push_str(&format!("  warning: {warning}\n"));
        }
        text
    }
}

/// Reads every result under `dirs` (recursively) and writes `index.html` and the charts'
/// PNGs into `out`.
pub fn render(dirs: &[PathBuf], out: &Path) -> Result<ReportSummary, ReportError> {
    let study = collect::collect(dirs, out)?;
    if study.is_empty() {
        return Err(ReportError::NoResults {
            dirs: dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    std::fs::create_dir_all(out).map_err(|source| ReportError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    font::register()?;

    let claims = claims::assess(&study);
    let charts = charts::render_all(&study, out);
    let index_html = html::write(&study, &claims, &charts, out)?;
    markdown::write(&claims, out)?;

    Ok(ReportSummary {
        index_html,
        runs: study.runs.len(),
        charts: charts
            .iter()
            .map(|c| (c.file_name.clone(), c.status.clone()))
            .collect(),
        verdicts: claims.iter().map(|c| (c.label(), c.verdict)).collect(),
        warnings: study.warnings.clone(),
    })
}
