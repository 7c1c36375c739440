//! Chart 4: latency against throughput from the sweep: each constant-rate step is a point at
//! the throughput it achieved, for p50, p99 and p99.9; each server's closed-loop maximum is a
//! vertical line.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::prelude::*;

use crate::report::charts::style::{self, Entry, Icon, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn, select};
use crate::report::collect::{Server, Study};
use crate::report::format::{axis_ms, count_short};

pub struct ThroughputLatency;

/// One sweep step: achieved req/s, p50/p99/p99.9 in ms, and whether it kept its schedule.
struct Step {
    rps: f64,
    latency_ms: [f64; 3],
    behind: bool,
}

impl Chart for ThroughputLatency {
    fn file_name(&self) -> &'static str {
        "throughput-latency.png"
    }

    fn title(&self) -> &'static str {
        "Latency against throughput (sweep)"
    }

    fn caption(&self) -> &'static str {
        "Each point is one constant-rate run, placed at the throughput it achieved: a server \
         that keeps latency flat further to the right serves more before queueing sets in. \
         Thin lines are p50, thick p99, dashed p99.9 (log scale); vertical lines mark each \
         server's closed-loop maximum; a red cross marks a run that fell behind its schedule."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let sweep = study.experiment("sweep");
        if sweep.is_empty() {
            return Ok(Drawn::NoData(
                "no sweep runs (run loadgen sweep or loadgen reproduce)".into(),
            ));
        }
        let mut steps: BTreeMap<Server, Vec<Step>> = BTreeMap::new();
        for run in &sweep {
            let l = &run.result.figures.latency;
            steps.entry(run.server()).or_default().push(Step {
                rps: run.result.figures.requests_per_second,
                latency_ms: [l.p50_us, l.p99_us, l.p99_9_us].map(|us| us as f64 / 1000.0),
                behind: run.result.figures.behind_schedule,
            });
        }
        for list in steps.values_mut() {
            list.sort_by(|a, b| a.rps.total_cmp(&b.rps));
        }
        let maxima: Vec<(Server, f64)> = study
            .experiment("max-throughput")
            .iter()
            .filter(|r| r.result.workload.name == sweep[0].result.workload.name)
            .map(|r| (r.server(), r.result.figures.requests_per_second))
            .collect();
        let x_hi = steps
            .values()
            .flat_map(|s| s.iter().map(|p| p.rps))
            .chain(maxima.iter().map(|m| m.1))
            .fold(1.0f64, f64::max)
            * 1.08;
        let values = steps
            .values()
            .flat_map(|s| s.iter().flat_map(|p| p.latency_ms));
        let Some((lo, hi)) = style::log_range(values) else {
            return Ok(Drawn::NoData("no latency above zero was recorded".into()));
        };

        let root = style::canvas(path)?;
        let body = style::titled(
            &root,
            "Latency against throughput: the sweep",
            &select::describe(&sweep),
        )?;
        let plot = style::side_legend(&body, &legend_entries(&steps, &maxima))?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(60)
            .y_label_area_size(95)
            .build_cartesian_2d(
                0.0..x_hi,
                (lo..hi)
                    .log_scale()
                    .with_key_points(style::log_ticks(lo, hi)),
            )?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| count_short(*x))
            .y_label_formatter(&|y| axis_ms(*y))
            .x_desc("achieved throughput, requests per second")
            .y_desc("latency, ms (log scale)")
            .x_label_style(tick_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .draw()?;

        for (server, list) in &steps {
            let color = style::server_color(server);
            let line = |i: usize| {
                list.iter()
                    .map(move |p| (p.rps, p.latency_ms[i]))
                    .collect::<Vec<_>>()
            };
            chart.draw_series(LineSeries::new(line(0), color.stroke_width(1)))?;
            chart.draw_series(LineSeries::new(line(1), color.stroke_width(4)))?;
            chart.draw_series(DashedLineSeries::new(line(2), 10, 6, color.stroke_width(2)))?;
            for (i, radius) in [(0, 4), (1, 6), (2, 4)] {
                chart.draw_series(
                    line(i)
                        .into_iter()
                        .map(|p| Circle::new(p, radius, color.filled())),
                )?;
            }
        }
        let behind: Vec<(f64, f64)> = steps
            .values()
            .flat_map(|s| {
                s.iter()
                    .filter(|p| p.behind)
                    .map(|p| (p.rps, p.latency_ms[1]))
            })
            .collect();
        if !behind.is_empty() {
            chart.draw_series(
                behind
                    .into_iter()
                    .map(|p| Cross::new(p, 10, style::WARNING.stroke_width(3))),
            )?;
        }
        for (server, max) in &maxima {
            let color = style::server_color(server);
            chart.draw_series(DashedLineSeries::new(
                vec![(*max, lo), (*max, hi)],
                4,
                4,
                color.mix(0.7).stroke_width(2),
            ))?;
        }
        root.present()?;
        Ok(Drawn::Chart { notes: Vec::new() })
    }
}

fn legend_entries(steps: &BTreeMap<Server, Vec<Step>>, maxima: &[(Server, f64)]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for server in steps.keys() {
        let color = style::server_color(server);
        entries.push(Entry::Heading(server.name(), color));
        entries.push(Entry::Item(Icon::Line(color.stroke_width(1)), "p50".into()));
        entries.push(Entry::Item(Icon::Line(color.stroke_width(4)), "p99".into()));
        entries.push(Entry::Item(
            Icon::Dashed(color.stroke_width(2)),
            "p99.9".into(),
        ));
        for (_, max) in maxima.iter().filter(|(s, _)| s == server) {
            entries.push(Entry::Item(
                Icon::Vertical(color.mix(0.7).stroke_width(2)),
                format!("max, closed loop: {}", count_short(*max)),
            ));
        }
    }
    if steps.values().flatten().any(|p| p.behind) {
        entries.push(Entry::Heading("Flags".into(), style::WARNING));
        entries.push(Entry::Item(
            Icon::Cross(style::WARNING),
            "behind schedule".into(),
        ));
    }
    entries
}
