//! Chart 5: tail latency against live-heap size (read-states entries), the C3 test: a GC's
//! cost grows with the heap it has to trace, a Rust server's should not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::aggregate;
use crate::report::charts::style::{self, Entry, Icon, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::collect::{Run, Server, Study};
use crate::report::format::{axis_ms, count_short};
use crate::report::select;

pub struct Heap;

/// The article's Discord figures: 6 ms (Go) and 300 µs (Rust), in ms.
const DISCORD_MS: [(Server, f64, &str); 2] = [
    (Server::Go, 6.0, "Discord, Go (article): 6 ms"),
    (Server::Rust, 0.3, "Discord, Rust (article): 300 µs"),
];

impl Chart for Heap {
    fn claims(&self) -> &'static [&'static str] {
        &["C3"]
    }

    fn file_name(&self) -> &'static str {
        "heap.png"
    }

    fn title(&self) -> &'static str {
        "Tail latency against live-heap size (C3)"
    }

    fn caption(&self) -> &'static str {
        "p99.9 (thick) and p99 (thin) of the read-states workload as the servers hold more \
         entries in memory, both servers at the same constant rate, medians over repetitions; \
         both axes logarithmic. Beside each p99.9 point, what that heap weighed: Go's live heap \
         as its GC trace measured it (the largest in the window) and each server's peak resident \
         memory, in MiB; \
         a red cross marks a point whose runs fell behind schedule. A garbage collector's work grows with the live heap; the \
         dashed grey lines are the article's Discord figures, from a different service and \
         machine."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let runs = study.experiment("heap");
        if runs.is_empty() {
            return Ok(Drawn::NoData(
                "no heap runs (read-states workload at several heap sizes)".into(),
            ));
        }
        // (server) -> [(heap, p99 ms, p99.9 ms)]
        let mut series: BTreeMap<Server, Vec<(f64, f64, f64)>> = BTreeMap::new();
        // Points whose every run was incomplete or behind schedule: (heap, p99.9 ms).
        let mut flagged: Vec<(f64, f64)> = Vec::new();
        let heaps: BTreeSet<u64> = runs.iter().map(|r| r.read_states()).collect();
        for heap in &heaps {
            let at: Vec<&Run> = runs
                .iter()
                .copied()
                .filter(|r| r.read_states() == *heap)
                .collect();
            for (server, f) in aggregate::by_server(at) {
                if f.excluded == f.runs {
                    flagged.push((*heap as f64, f.p99_9_us.median / 1000.0));
                }
                series.entry(server).or_default().push((
                    *heap as f64,
                    f.p99_us.median / 1000.0,
                    f.p99_9_us.median / 1000.0,
                ));
            }
        }
        let memory: Vec<(f64, Vec<(Server, String)>)> = heaps
            .iter()
            .map(|heap| {
                let at = runs.iter().copied().filter(|r| r.read_states() == *heap);
                (*heap as f64, memory_at(at))
            })
            .collect();
        let x_lo = *heaps.first().unwrap_or(&1) as f64 / 2.0;
        let x_hi = *heaps.last().unwrap_or(&1) as f64 * 2.0;
        let values = series
            .values()
            .flat_map(|s| s.iter().flat_map(|p| [p.1, p.2]))
            .chain(DISCORD_MS.iter().map(|d| d.1));
        let Some((lo, hi)) = style::log_range(values) else {
            return Ok(Drawn::NoData("no latency above zero was recorded".into()));
        };

        let root = style::canvas(path)?;
        let body = style::titled(
            &root,
            "Tail latency as the live heap grows (read-states workload)",
            &select::describe(&runs),
        )?;
        let mut entries = Vec::new();
        for server in series.keys() {
            let color = style::server_color(server);
            entries.push(Entry::Heading(server.name(), color));
            entries.push(Entry::Item(
                Icon::Line(color.stroke_width(4)),
                "p99.9".into(),
            ));
            entries.push(Entry::Item(Icon::Line(color.stroke_width(1)), "p99".into()));
        }
        if !flagged.is_empty() {
            entries.push(Entry::Heading("Flags".into(), style::WARNING));
            entries.push(Entry::Item(
                Icon::Cross(style::WARNING),
                "behind schedule".into(),
            ));
        }
        entries.push(Entry::Heading("The article".into(), style::SUBTLE));
        entries.push(Entry::Item(
            Icon::Dashed(style::ARTICLE.stroke_width(2)),
            "Discord's tail latency".into(),
        ));
        let plot = style::side_legend(&body, &entries)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(60)
            .y_label_area_size(95)
            .build_cartesian_2d(
                (x_lo..x_hi)
                    .log_scale()
                    .with_key_points(heaps.iter().map(|h| *h as f64).collect()),
                (lo..hi)
                    .log_scale()
                    .with_key_points(style::log_ticks(lo, hi)),
            )?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| count_short(*x))
            .y_label_formatter(&|y| axis_ms(*y))
            .x_desc("read-state entries held in memory (log scale)")
            .y_desc("latency, ms (log scale)")
            .x_label_style(tick_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()?;
        for (server, value, label) in &DISCORD_MS {
            chart.draw_series(DashedLineSeries::new(
                vec![(x_lo, *value), (x_hi, *value)],
                10,
                8,
                style::ARTICLE.stroke_width(2),
            ))?;
            let (x, y) = chart.backend_coord(&(x_hi, *value));
            root.draw_text(
                label,
                &tick_font()
                    .color(&style::server_color(server).mix(0.8))
                    .pos(Pos::new(HPos::Right, VPos::Bottom)),
                (x - 8, y - 4),
            )?;
        }
        for (server, points) in &series {
            let color = style::server_color(server);
            let p99_9: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.2)).collect();
            let p99: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.1)).collect();
            chart.draw_series(LineSeries::new(p99_9.clone(), color.stroke_width(4)))?;
            chart.draw_series(LineSeries::new(p99.clone(), color.stroke_width(1)))?;
            chart.draw_series(p99_9.into_iter().map(|p| Circle::new(p, 7, color.filled())))?;
            chart.draw_series(p99.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
        }
        chart.draw_series(
            flagged
                .into_iter()
                .map(|p| Cross::new(p, 10, style::WARNING.stroke_width(3))),
        )?;
        // Beside each p99.9 point, what its heap weighed: Go's live heap as its GC traced it
        // and each server's resident memory (above Go's points, below Rust's: the lines
        // rarely cross, and the labels of neighbouring sizes then never meet).
        for (heap, lines) in &memory {
            for (server, text) in lines {
                let Some(point) = series
                    .get(server)
                    .and_then(|points| points.iter().find(|p| p.0 == *heap))
                else {
                    continue;
                };
                let (x, y) = chart.backend_coord(&(*heap, point.2));
                let above = *server == Server::Go;
                let rows: Vec<&str> = text.split(", ").collect();
                for (row, line) in rows.iter().enumerate() {
                    let (vpos, dy) = if above {
                        (VPos::Bottom, -12 - 20 * (rows.len() - 1 - row) as i32)
                    } else {
                        (VPos::Top, 12 + 20 * row as i32)
                    };
                    root.draw_text(
                        line,
                        &tick_font()
                            .color(&style::server_color(server))
                            .pos(Pos::new(HPos::Center, vpos)),
                        (x, y + dy),
                    )?;
                }
            }
        }
        root.present()?;
        Ok(Drawn::Chart { notes: Vec::new() })
    }
}

/// What one heap size weighed, per server (medians over its usable runs): Go's live heap at
/// its largest in the window (GC trace, MiB) and peak RSS; Rust's peak RSS.
fn memory_at<'a>(runs: impl Iterator<Item = &'a Run>) -> Vec<(Server, String)> {
    let mib = |bytes: f64| bytes / (1024.0 * 1024.0);
    aggregate::usable_by_server(runs)
        .into_iter()
        .filter_map(|(server, (usable, _))| {
            let server_figures = usable.iter().filter_map(|r| r.result.server.as_ref());
            let rss = aggregate::Spread::of(
                server_figures.clone().map(|s| mib(s.peak_rss_bytes as f64)),
            )?;
            let live = aggregate::Spread::of(server_figures.filter_map(|s| {
                let cycles = &s.go_runtime.as_ref()?.gc_cycles;
                cycles
                    .iter()
                    .map(|c| c.heap_live_mb as f64)
                    .reduce(f64::max)
            }));
            let text = match live {
                Some(live) => format!(
                    "live heap {:.0} MiB, RSS {:.0} MiB",
                    live.median, rss.median
                ),
                None => format!("RSS {:.0} MiB", rss.median),
            };
            Some((server, text))
        })
        .collect()
}
