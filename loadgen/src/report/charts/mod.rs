//! The charts, one file each behind the [`Chart`] trait: adding a chart means adding a file
//! and a line in [`all`]. A chart draws what the study has, or says why it cannot ("no
//! data"); a chart that fails to draw is marked in the page, and the rest of the report stands.

pub mod heap;
pub mod iter_vs_loop;
pub mod over_time;
pub mod percentile_bars;
pub mod plaintext;
pub mod proxy_resources;
pub mod ratio_curve;
pub mod resources;
pub mod spectrum;
pub mod style;
pub mod throughput_latency;

use std::path::Path;

use plotters::drawing::DrawingAreaErrorKind;

use crate::report::collect::Study;

/// One chart of the report.
pub trait Chart {
    /// The PNG's file name, e.g. "percentiles.png" (also the chart's id in the page).
    fn file_name(&self) -> &'static str;
    /// The claims (C1…C5) whose verdict this chart shows the evidence for: the claims table
    /// links to it.
    fn claims(&self) -> &'static [&'static str];
    /// The heading above the chart in the page.
    fn title(&self) -> &'static str;
    /// One or two sentences on how to read the chart.
    fn caption(&self) -> &'static str;
    /// Draws the chart into `path`, or says why there is nothing to draw (then no file is
    /// written).
    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError>;
    /// Whether the chart sets the tuned variants beside the servers as shipped. The others
    /// are drawn from the as-shipped runs only (as the headline verdicts are), so that no
    /// median or typical run mixes a tuned server with an untuned one.
    fn compares_variants(&self) -> bool {
        false
    }
}

/// What a chart's `draw` did.
#[derive(Debug, Clone, PartialEq)]
pub enum Drawn {
    /// The PNG was written; the notes are shown under it (e.g. assembly verdicts).
    Chart { notes: Vec<String> },
    /// Nothing to draw, and why.
    NoData(String),
}

/// A chart's drawing failed (a plotting error), with the message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError(error.to_string())
    }
}

/// A chart's outcome, as the page and the summary show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", content = "message", rename_all = "kebab-case")]
pub enum ChartStatus {
    Drawn,
    NoData(String),
    Failed(String),
}

/// A chart as rendered, for the page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RenderedChart {
    pub file_name: String,
    pub title: String,
    pub caption: String,
    pub claims: Vec<String>,
    pub status: ChartStatus,
    pub notes: Vec<String>,
}

/// Every chart, in the order of the page.
pub fn all() -> Vec<Box<dyn Chart>> {
    vec![
        Box::new(percentile_bars::PercentileBars),
        Box::new(ratio_curve::RatioCurve),
        Box::new(spectrum::Spectrum),
        Box::new(over_time::OverTime),
        Box::new(throughput_latency::ThroughputLatency),
        Box::new(heap::Heap),
        Box::new(iter_vs_loop::IterVsLoop),
        Box::new(resources::Resources),
        Box::new(proxy_resources::ProxyResources),
        Box::new(plaintext::Plaintext),
    ]
}

/// Draws every chart into `out`. A chart that panics or errs is marked failed; its partial
/// file is removed so that the page never shows a half-drawn picture.
pub fn render_all(study: &Study, out: &Path) -> Vec<RenderedChart> {
    let as_shipped = study.only_variant(crate::result::Variant::AsShipped);
    // Runs of tuned servers alone (a user's own `loadgen run --variant tuned`) are drawn too.
    let headline = if as_shipped.runs.is_empty() {
        study
    } else {
        &as_shipped
    };
    all()
        .iter()
        .map(|chart| {
            let study = if chart.compares_variants() {
                study
            } else {
                headline
            };
            let path = out.join(chart.file_name());
            // A stale PNG from an earlier render must not pass for this one.
            let _ = std::fs::remove_file(&path);
            let drawn =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| chart.draw(study, &path)))
                    .unwrap_or_else(|panic| Err(ChartError(panic_message(&panic))));
            let (status, notes) = match drawn {
                Ok(Drawn::Chart { notes }) if path.is_file() => (ChartStatus::Drawn, notes),
                Ok(Drawn::Chart { .. }) => (
                    ChartStatus::Failed("the chart was drawn but its file is missing".into()),
                    Vec::new(),
                ),
                Ok(Drawn::NoData(reason)) => (ChartStatus::NoData(reason), Vec::new()),
                Err(error) => {
                    let _ = std::fs::remove_file(&path);
                    (ChartStatus::Failed(error.0), Vec::new())
                }
            };
            RenderedChart {
                file_name: chart.file_name().to_string(),
                title: chart.title().to_string(),
                caption: chart.caption().to_string(),
                claims: chart.claims().iter().map(|c| c.to_string()).collect(),
                status,
                notes,
            }
        })
        .collect()
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("the chart could not be drawn: {text}")
}
