//! Chart 2: the percentile spectrum in HdrHistogram's style: latency against 1/(1−p) on a
//! log axis labelled 90 %, 99 %, 99.9 %…, one line per server (its runs' histograms added).

use std::path::Path;

use hdrhistogram::Histogram;
use plotters::prelude::*;

use crate::report::aggregate;
use crate::report::charts::style::{self, Entry, Icon, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::claims::{C2_ARTICLE_GO_US, C2_ARTICLE_RUST_US};
use crate::report::collect::{Server, Study};
use crate::report::format::axis_ms;
use crate::report::select;

pub struct Spectrum;

/// One server's line: its runs' histograms added, as spectrum points.
struct Line {
    server: Server,
    runs: usize,
    /// Requests in the added histograms: N.
    count: u64,
    points: Vec<(f64, f64)>,
}

/// Percentiles with fewer requests than this beyond them are drawn faded: a handful of
/// samples cannot place a percentile (HdrHistogram's plots stop at 1/N for the same reason).
const FEW_SAMPLES: f64 = 10.0;

impl Chart for Spectrum {
    fn claims(&self) -> &'static [&'static str] {
        &["C2"]
    }

    fn file_name(&self) -> &'static str {
        "spectrum.png"
    }

    fn title(&self) -> &'static str {
        "Percentile spectrum"
    }

    fn caption(&self) -> &'static str {
        "Latency (log scale) at every percentile, read left to right from the median to the \
         worst request; each step right on the x axis is ten times rarer. A line that climbs \
         steeply at the right has a heavy tail. Grey-filled markers are the article's p50, p99 \
         and p99.9. Each line adds up all runs of that server (N requests, in the legend); \
         past the point where fewer than 10 requests remain beyond it (1/(1 − p) = N/10) the \
         line fades: those percentiles rest on a handful of samples."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let Some(selection) = select::headline(study) else {
            return Ok(Drawn::NoData("no C2 runs and no plain runs".into()));
        };
        let mut lines: Vec<Line> = Vec::new();
        for (server, (runs, _)) in aggregate::usable_by_server(selection.runs.iter().copied()) {
            let mut merged: Option<Histogram<u64>> = None;
            let mut used = 0;
            for histogram in runs.iter().filter_map(|r| r.latency.as_ref()) {
                used += 1;
                match merged.as_mut() {
                    None => merged = Some(histogram.clone()),
                    Some(sum) => {
                        if sum.add(histogram).is_err() {
                            used -= 1; // out of range: cannot happen with the study's bounds
                        }
                    }
                }
            }
            let count = merged.as_ref().map_or(0, |h| h.len());
            if let Some(points) = merged.map(|h| points(&h)).filter(|p| !p.is_empty()) {
                lines.push(Line {
                    server,
                    runs: used,
                    count,
                    points,
                });
            }
        }
        if lines.is_empty() {
            return Ok(Drawn::NoData(
                "the runs have no latency histograms (latency.hdr)".into(),
            ));
        }
        let article: Vec<(Server, [f64; 3])> = lines
            .iter()
            .filter_map(|line| match line.server {
                Server::Go => Some((Server::Go, C2_ARTICLE_GO_US)),
                Server::Rust => Some((Server::Rust, C2_ARTICLE_RUST_US)),
                _ => None,
            })
            .collect();
        let x_max_data = lines
            .iter()
            .flat_map(|line| line.points.iter().map(|(x, _)| *x))
            .fold(1.0f64, f64::max);
        let x_hi = 10f64.powf(x_max_data.log10().ceil()).clamp(1e3, 1e6);
        let y_values = lines
            .iter()
            .flat_map(|line| line.points.iter().map(|(_, y)| *y))
            .chain(
                article
                    .iter()
                    .flat_map(|(_, a)| a.iter().map(|us| us / 1000.0)),
            );
        let Some((lo, hi)) = style::log_range(y_values) else {
            return Ok(Drawn::NoData("no latency above zero was recorded".into()));
        };

        let root = style::canvas(path)?;
        let body = style::titled(
            &root,
            "Latency by percentile (HdrHistogram spectrum)",
            &format!(
                "{}: {}",
                selection.source,
                select::describe_repeated(&selection.runs)
            ),
        )?;
        let mut x_ticks = vec![2.0];
        let mut decade = 10.0;
        while decade <= x_hi {
            x_ticks.push(decade);
            decade *= 10.0;
        }
        let mut entries = Vec::new();
        for line in &lines {
            let color = style::server_color(&line.server);
            entries.push(Entry::Heading(line.server.name(), color));
            entries.push(Entry::Item(
                Icon::Line(color.stroke_width(3)),
                format!(
                    "measured ({} run{}, N = {})",
                    line.runs,
                    if line.runs == 1 { "" } else { "s" },
                    crate::report::format::count_short(line.count as f64)
                ),
            ));
            if article.iter().any(|(server, _)| *server == line.server) {
                entries.push(Entry::Item(
                    Icon::Point(color),
                    "the article's p50, p99, p99.9".into(),
                ));
            }
        }
        // Beside the plot, not in it: the article's points and a tail can fall anywhere.
        let plot = style::side_legend(&body, &entries)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(60)
            .x_label_area_size(60)
            .y_label_area_size(95)
            .build_cartesian_2d(
                (1.0..x_hi).log_scale().with_key_points(x_ticks),
                (lo..hi)
                    .log_scale()
                    .with_key_points(style::log_ticks(lo, hi)),
            )?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| percentile_label(*x))
            .y_label_formatter(&|y| axis_ms(*y))
            .x_desc("percentile (log scale of 1/(1 − p))")
            .y_desc("latency, ms (log scale)")
            .x_label_style(tick_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()?;

        for line in &lines {
            let color = style::server_color(&line.server);
            // Solid while at least FEW_SAMPLES requests lie beyond the percentile, faded after.
            let solid_until = line.count as f64 / FEW_SAMPLES;
            let in_range: Vec<(f64, f64)> = line
                .points
                .iter()
                .copied()
                .filter(|(x, _)| *x <= x_hi)
                .collect();
            let split = in_range.partition_point(|(x, _)| *x <= solid_until);
            let solid = &in_range[..split];
            let faded = &in_range[split.saturating_sub(1)..];
            chart.draw_series(LineSeries::new(solid.to_vec(), color.stroke_width(3)))?;
            if faded.len() > 1 {
                chart.draw_series(LineSeries::new(
                    faded.to_vec(),
                    color.mix(0.35).stroke_width(2),
                ))?;
            }
        }
        for (server, figures) in &article {
            let color = style::server_color(server);
            let points: Vec<(f64, f64)> = [2.0, 100.0, 1000.0]
                .into_iter()
                .zip(figures.iter().map(|us| us / 1000.0))
                .collect();
            chart.draw_series(DashedLineSeries::new(
                points.clone(),
                8,
                6,
                style::ARTICLE.stroke_width(2),
            ))?;
            chart.draw_series(points.into_iter().map(move |p| {
                EmptyElement::at(p)
                    + Circle::new((0, 0), 8, style::ARTICLE_FILL.filled())
                    + Circle::new((0, 0), 8, color.stroke_width(3))
            }))?;
        }
        root.present()?;
        Ok(Drawn::Chart { notes: Vec::new() })
    }
}

/// The spectrum of a histogram: (1/(1−p), latency in ms), from the median outward as
/// HdrHistogram's percentile output walks it, ending at the maximum. Points rarer than one
/// in the histogram's count are not data, so the walk stops there.
pub fn points(histogram: &Histogram<u64>) -> Vec<(f64, f64)> {
    let count = histogram.len() as f64;
    if count == 0.0 {
        return Vec::new();
    }
    let mut points = Vec::new();
    for step in histogram.iter_quantiles(5) {
        let q = step.quantile_iterated_to();
        if q >= 1.0 {
            break;
        }
        let x = 1.0 / (1.0 - q);
        if x > count {
            break;
        }
        let y = step.value_iterated_to() as f64 / 1000.0;
        if y > 0.0 {
            points.push((x, y));
        }
    }
    let last_x = points.last().map_or(1.0, |p| p.0);
    points.push((count.max(last_x), histogram.max().max(1) as f64 / 1000.0));
    points
}

/// 1 → "0 %", 2 → "50 %", 10 → "90 %", 1000 → "99.9 %", 10⁴ → "99.99 %".
pub fn percentile_label(x: f64) -> String {
    let percent = 100.0 - 100.0 / x;
    let digits = (x.log10().round() as i32 - 2).max(0) as usize;
    format!("{percent:.digits$} %")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_percentiles() {
        assert_eq!(percentile_label(1.0), "0 %");
        assert_eq!(percentile_label(2.0), "50 %");
        assert_eq!(percentile_label(10.0), "90 %");
        assert_eq!(percentile_label(100.0), "99 %");
        assert_eq!(percentile_label(1_000.0), "99.9 %");
        assert_eq!(percentile_label(10_000.0), "99.99 %");
    }

    #[test]
    fn points_climb_to_the_maximum_and_stop_at_the_data() {
        let mut h = crate::engine::recorder::new_histogram(3);
        for v in 1..=10_000u64 {
            h.record(v).unwrap();
        }
        let p = points(&h);
        assert!(p.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
        assert!(p.last().unwrap().0 <= 10_000.0);
        assert!((p.last().unwrap().1 - 10.0).abs() < 0.02);
    }
}
