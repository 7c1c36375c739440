//! Chart 3: latency over time (p99 and maximum per second) of one typical run per server,
//! with Go's GC cycles per second in a strip below, so that spikes can be matched to GCs.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::prelude::*;

use crate::report::aggregate;
use crate::report::charts::style::{self, Entry, Icon, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn, select};
use crate::report::collect::{Run, Server, Study};
use crate::report::format::axis_ms;

pub struct OverTime;

impl Chart for OverTime {
    fn file_name(&self) -> &'static str {
        "over-time.png"
    }

    fn title(&self) -> &'static str {
        "Latency over time, with Go's GC cycles"
    }

    fn caption(&self) -> &'static str {
        "Each second of one typical run per server (the run with the median p99.9): the thick \
         line is that second's p99, the thin one its worst request. The strip below counts the \
         GC cycles Go finished in each second: a spike above that lines up with GCs points at \
         the collector."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let Some((runs, source)) = choose(study) else {
            return Ok(Drawn::NoData("no runs with per-second figures".into()));
        };
        let runs: BTreeMap<Server, &Run> = runs
            .into_iter()
            .filter(|(_, r)| !r.result.per_second.is_empty())
            .collect();
        if runs.is_empty() {
            return Ok(Drawn::NoData("the runs have no per-second figures".into()));
        }
        let seconds = runs
            .values()
            .flat_map(|r| r.result.per_second.iter().map(|s| s.second))
            .max()
            .unwrap_or(0) as f64
            + 1.0;
        let values = runs.values().flat_map(|r| {
            r.result
                .per_second
                .iter()
                .flat_map(|s| [s.p99_us as f64 / 1000.0, s.max_us as f64 / 1000.0])
        });
        let Some((lo, hi)) = style::log_range(values) else {
            return Ok(Drawn::NoData("no latency above zero was recorded".into()));
        };

        let root = style::canvas(path)?;
        let chosen: Vec<&Run> = runs.values().copied().collect();
        let names = chosen
            .iter()
            .map(|r| r.name())
            .collect::<Vec<_>>()
            .join(", ");
        let body = style::titled(
            &root,
            "Latency per second: p99 (thick) and maximum (thin)",
            &format!("typical {source} ({names}): {}", select::describe(&chosen)),
        )?;
        let entries: Vec<Entry> = runs
            .keys()
            .flat_map(|server| {
                let color = style::server_color(server);
                [
                    Entry::Heading(server.name(), color),
                    Entry::Item(Icon::Line(color.stroke_width(3)), "p99 per second".into()),
                    Entry::Item(
                        Icon::Line(color.mix(0.6).stroke_width(1)),
                        "max per second".into(),
                    ),
                ]
            })
            .collect();
        let plot = style::side_legend(&body, &entries)?;
        let (upper, lower) = plot.split_vertically(plot.dim_in_pixel().1 as i32 - 165);
        let mut chart = ChartBuilder::on(&upper)
            .margin(20)
            .margin_right(40)
            .margin_bottom(5)
            .x_label_area_size(30)
            .y_label_area_size(95)
            .build_cartesian_2d(
                0.0..seconds,
                (lo..hi)
                    .log_scale()
                    .with_key_points(style::log_ticks(lo, hi)),
            )?;
        chart
            .configure_mesh()
            .y_label_formatter(&|y| axis_ms(*y))
            .x_label_formatter(&|x| format!("{x:.0} s"))
            .y_desc("latency, ms (log scale)")
            .x_label_style(tick_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .draw()?;
        for (server, run) in &runs {
            let color = style::server_color(server);
            let series = |pick: fn(&crate::result::SecondSummary) -> u64| {
                run.result
                    .per_second
                    .iter()
                    .filter(|s| pick(s) > 0)
                    .map(move |s| (s.second as f64 + 0.5, pick(s) as f64 / 1000.0))
                    .collect::<Vec<_>>()
            };
            chart.draw_series(LineSeries::new(
                series(|s| s.max_us),
                color.mix(0.6).stroke_width(1),
            ))?;
            chart.draw_series(LineSeries::new(series(|s| s.p99_us), color.stroke_width(3)))?;
        }
        draw_gc_strip(&lower, &runs, seconds)?;
        root.present()?;
        Ok(Drawn::Chart { notes: Vec::new() })
    }
}

/// The runs to show, one per server, and where they come from: the C2 runs, else the heap
/// runs at the largest heap, else plain runs, else whatever there is.
fn choose(study: &Study) -> Option<(BTreeMap<Server, &Run>, &'static str)> {
    let c2 = study.experiment("c2");
    if !c2.is_empty() {
        return Some((aggregate::median_run_by_server(c2), "C2 runs"));
    }
    let heap = study.experiment("heap");
    if let Some(largest) = heap.iter().map(|r| r.read_states()).max() {
        let at_largest = heap.into_iter().filter(|r| r.read_states() == largest);
        return Some((aggregate::median_run_by_server(at_largest), "heap runs"));
    }
    let plain = study.unlabelled();
    if !plain.is_empty() {
        return Some((aggregate::median_run_by_server(plain), "plain runs"));
    }
    (!study.runs.is_empty()).then(|| (aggregate::median_run_by_server(&study.runs), "runs"))
}

fn draw_gc_strip(
    area: &style::Area<'_>,
    runs: &BTreeMap<Server, &Run>,
    seconds: f64,
) -> Result<(), ChartError> {
    let gc: Vec<(Server, Vec<(usize, u64)>)> = runs
        .iter()
        .map(|(server, run)| {
            let cycles = run
                .result
                .per_second
                .iter()
                .filter_map(|s| s.gc_cycles.map(|c| (s.second, c)))
                .collect::<Vec<_>>();
            (server.clone(), cycles)
        })
        .filter(|(_, cycles)| !cycles.is_empty())
        .collect();
    let most = gc
        .iter()
        .flat_map(|(_, c)| c.iter().map(|(_, n)| *n))
        .max()
        .unwrap_or(0);
    let mut strip = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(40)
        .margin_bottom(6)
        .x_label_area_size(62)
        .y_label_area_size(95)
        .build_cartesian_2d(0.0..seconds, 0.0..(most.max(1) as f64 * 1.15))?;
    strip
        .configure_mesh()
        .x_label_formatter(&|x| format!("{x:.0} s"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .y_labels(3)
        .y_desc("GC / s")
        .x_desc("time into the measured window")
        .x_label_style(tick_font())
        .y_label_style(tick_font())
        .axis_desc_style(axis_font())
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;
    if gc.is_empty() {
        style::centred_note(
            area,
            "no GC cycles recorded (only the Go server reports them)",
        )?;
        return Ok(());
    }
    for (server, cycles) in &gc {
        let color = style::server_color(server);
        strip.draw_series(cycles.iter().filter(|(_, n)| *n > 0).map(|(second, n)| {
            let left = *second as f64 + 0.15;
            Rectangle::new([(left, 0.0), (left + 0.7, *n as f64)], color.filled())
        }))?;
    }
    if most == 0 {
        style::centred_note(area, "no GC cycle completed during the measured window")?;
    }
    Ok(())
}
