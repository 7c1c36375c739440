//! Chart 4: latency against throughput from the sweep: each constant-rate step is a point at
//! the throughput it achieved, for p50, p99 and p99.9; each server's closed-loop maximum is a
//! vertical line.
//!
//! The sweep measures at two rate bases (`sweep.rs`): fractions of each server's own maximum
//! (`rate_basis=own-max`), and the same absolute rates for both servers (`rate_basis=common`,
//! fractions of the lowest maximum). Lines join one basis per server in the order of its
//! target rates; the other basis's points stand alone as hollow markers, since joining both
//! into one line zigzags between two series that were never one.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::prelude::*;

use crate::report::charts::style::{self, Entry, Icon, Marker, Shape, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::collect::{Run, Server, Study};
use crate::report::format::{axis_ms, count_short};
use crate::report::select;

pub struct ThroughputLatency;

/// One sweep step: the rate it was asked for, the req/s it achieved, p50/p99/p99.9 in ms,
/// and whether it kept its schedule.
struct Step {
    target_rps: f64,
    rps: f64,
    latency_ms: [f64; 3],
    behind: bool,
}

/// A server's sweep: the steps its lines join (ordered by target rate), and the steps of the
/// other rate basis, drawn as hollow markers.
#[derive(Default)]
struct ServerSweep {
    joined: Vec<Step>,
    alone: Vec<Step>,
}

/// How each percentile is drawn: line width, dashed, marker shape and radius.
const PERCENTILES: [(&str, u32, bool, Shape, i32); 3] = [
    ("p50", 1, false, Shape::Square, 4),
    ("p99", 4, false, Shape::Circle, 6),
    ("p99.9", 2, true, Shape::Triangle, 7),
];

/// The label value of runs at the same absolute rate for every server.
const COMMON: &str = "common";

impl Chart for ThroughputLatency {
    fn claims(&self) -> &'static [&'static str] {
        &["C2"]
    }

    fn file_name(&self) -> &'static str {
        "throughput-latency.png"
    }

    fn title(&self) -> &'static str {
        "Latency against throughput"
    }

    fn caption(&self) -> &'static str {
        "Each point is one constant-rate run, placed at the throughput it achieved: a server \
         that keeps latency flat further to the right serves more before queueing sets in. \
         Lines join each server's runs at fractions of its own maximum (in a study: the C2 \
         curve, the same rates for both, each point the median of its repetitions), in order \
         of the rate asked for: thin p50 (squares), thick p99 (dots), dashed p99.9 (triangles), log \
         scale. Hollow markers are runs at the same rate for both servers, not joined. Vertical \
         lines mark each server's closed-loop maximum; a red cross marks a run that fell behind \
         its schedule."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        // A `loadgen sweep`'s runs, else the study's C2 curve (the Users API at the same
        // rates for both servers, every repetition a point).
        let sweep = match study.experiment("sweep") {
            sweep if !sweep.is_empty() => sweep,
            _ => study.experiment("c2"),
        };
        if sweep.is_empty() {
            return Ok(Drawn::NoData(
                "no sweep or C2 runs (run loadgen sweep or loadgen reproduce)".into(),
            ));
        }
        let sweeps = split_by_basis(&sweep);
        let maxima: Vec<(Server, f64)> = study
            .experiment("max-throughput")
            .iter()
            .filter(|r| r.result.workload.name == sweep[0].result.workload.name)
            .map(|r| (r.server(), r.result.figures.requests_per_second))
            .collect();
        let all_steps = || {
            sweeps
                .values()
                .flat_map(|s| s.joined.iter().chain(&s.alone))
        };
        let x_hi = all_steps()
            .map(|p| p.rps)
            .chain(maxima.iter().map(|m| m.1))
            .fold(1.0f64, f64::max)
            * 1.08;
        let Some((lo, hi)) = style::log_range(all_steps().flat_map(|p| p.latency_ms)) else {
            return Ok(Drawn::NoData("no latency above zero was recorded".into()));
        };

        let root = style::canvas(path)?;
        let body = style::titled(
            &root,
            "Latency against throughput at each load level",
            &select::describe(&sweep),
        )?;
        let plot = style::side_legend(&body, &legend_entries(&sweeps, &maxima))?;
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

        for (server, max) in &maxima {
            let color = style::server_color(server);
            chart.draw_series(DashedLineSeries::new(
                vec![(*max, lo), (*max, hi)],
                4,
                4,
                color.mix(0.7).stroke_width(2),
            ))?;
        }
        for (server, sweep) in &sweeps {
            let color = style::server_color(server);
            for (i, (_, width, dashed, _, _)) in PERCENTILES.iter().enumerate() {
                let line: Vec<(f64, f64)> = sweep
                    .joined
                    .iter()
                    .map(|p| (p.rps, p.latency_ms[i]))
                    .collect();
                let stroke = color.stroke_width(*width);
                if *dashed {
                    chart.draw_series(DashedLineSeries::new(line, 10, 6, stroke))?;
                } else {
                    chart.draw_series(LineSeries::new(line, stroke))?;
                }
            }
        }
        // Markers after every line, hollow ones under the filled ones: a common-rate run at
        // the same rate as a joined one (the slower server's) shows as a ring around its dot.
        for filled in [false, true] {
            for (server, sweep) in &sweeps {
                let steps = if filled { &sweep.joined } else { &sweep.alone };
                for i in 0..PERCENTILES.len() {
                    let marker = marker(server, i, filled);
                    chart.draw_series(steps.iter().map(|p| marker.at((p.rps, p.latency_ms[i]))))?;
                }
            }
        }
        chart.draw_series(
            all_steps()
                .filter(|p| p.behind)
                .map(|p| Cross::new((p.rps, p.latency_ms[1]), 10, style::WARNING.stroke_width(3))),
        )?;
        root.present()?;
        Ok(Drawn::Chart { notes: Vec::new() })
    }
}

/// The marker of percentile `i` (0 = p50, 1 = p99, 2 = p99.9): filled on a line, hollow and
/// larger (so that it rings a filled one at the same point) where no line joins it.
fn marker(server: &Server, i: usize, filled: bool) -> Marker {
    let (_, _, _, shape, size) = PERCENTILES[i];
    Marker {
        shape,
        size: if filled { size } else { size + 4 },
        color: style::server_color(server),
        filled,
    }
}

/// Each server's steps, split by rate basis: lines join the runs at fractions of the
/// server's own maximum (or, in sweeps without that label, the unlabelled runs; failing both,
/// the common-rate ones), ordered by the rate they were asked for.
fn split_by_basis(sweep: &[&Run]) -> BTreeMap<Server, ServerSweep> {
    let mut by_server: BTreeMap<Server, Vec<(Option<&str>, Step)>> = BTreeMap::new();
    for run in sweep {
        let figures = &run.result.figures;
        let l = &figures.latency;
        by_server.entry(run.server()).or_default().push((
            run.label("rate_basis"),
            Step {
                target_rps: run
                    .result
                    .load
                    .rate_per_second
                    .unwrap_or(figures.requests_per_second),
                rps: figures.requests_per_second,
                latency_ms: [l.p50_us, l.p99_us, l.p99_9_us].map(|us| us as f64 / 1000.0),
                behind: figures.behind_schedule,
            },
        ));
    }
    by_server
        .into_iter()
        .map(|(server, steps)| {
            let joined_basis = if steps.iter().any(|(basis, _)| *basis != Some(COMMON)) {
                None
            } else {
                Some(COMMON)
            };
            let mut sweep = ServerSweep::default();
            for (basis, step) in steps {
                let is_common = basis == Some(COMMON);
                if is_common == (joined_basis == Some(COMMON)) {
                    sweep.joined.push(step);
                } else {
                    sweep.alone.push(step);
                }
            }
            sweep
                .joined
                .sort_by(|a, b| a.target_rps.total_cmp(&b.target_rps));
            sweep.joined = medians_of_repetitions(sweep.joined);
            (server, sweep)
        })
        .collect()
}

/// Steps asked for the same rate (repetitions, as in the study's C2 curve) become one point:
/// the median of each figure, flagged if any of them fell behind. A line through every
/// repetition would zigzag up and down at one rate.
fn medians_of_repetitions(sorted: Vec<Step>) -> Vec<Step> {
    let median = |values: Vec<f64>| crate::report::bootstrap::median(&values).unwrap_or(f64::NAN);
    let mut out: Vec<Step> = Vec::new();
    let mut group: Vec<Step> = Vec::new();
    let flush = |group: &mut Vec<Step>, out: &mut Vec<Step>| {
        if group.is_empty() {
            return;
        }
        // As the verdicts do: medians over the runs that kept their schedule; a level where
        // none did shows them all, crossed.
        let kept: Vec<&Step> = group.iter().filter(|s| !s.behind).collect();
        let all_behind = kept.is_empty();
        let steps: Vec<&Step> = if all_behind {
            group.iter().collect()
        } else {
            kept
        };
        out.push(Step {
            target_rps: group[0].target_rps,
            rps: median(steps.iter().map(|s| s.rps).collect()),
            latency_ms: [0, 1, 2].map(|i| median(steps.iter().map(|s| s.latency_ms[i]).collect())),
            behind: all_behind,
        });
        group.clear();
    };
    for step in sorted {
        if group
            .first()
            .is_some_and(|g| g.target_rps != step.target_rps)
        {
            flush(&mut group, &mut out);
        }
        group.push(step);
    }
    flush(&mut group, &mut out);
    out
}

fn legend_entries(sweeps: &BTreeMap<Server, ServerSweep>, maxima: &[(Server, f64)]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (server, sweep) in sweeps {
        let color = style::server_color(server);
        entries.push(Entry::Heading(server.name(), color));
        if !sweep.joined.is_empty() {
            for (i, (name, width, dashed, _, _)) in PERCENTILES.iter().enumerate() {
                entries.push(Entry::Item(
                    Icon::LineMarker(color.stroke_width(*width), *dashed, marker(server, i, true)),
                    (*name).into(),
                ));
            }
        }
        if !sweep.alone.is_empty() {
            entries.push(Entry::Item(
                Icon::Marker(marker(server, 1, false)),
                "same rate for both servers".into(),
            ));
        }
        for (_, max) in maxima.iter().filter(|(s, _)| s == server) {
            entries.push(Entry::Item(
                Icon::Vertical(color.mix(0.7).stroke_width(2)),
                format!("closed-loop max {} req/s", count_short(*max)),
            ));
        }
    }
    if sweeps
        .values()
        .flat_map(|s| s.joined.iter().chain(&s.alone))
        .any(|p| p.behind)
    {
        entries.push(Entry::Heading("Flags".into(), style::WARNING));
        entries.push(Entry::Item(
            Icon::Cross(style::WARNING),
            "behind schedule (at p99)".into(),
        ));
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{RunSpec, draw, run};

    /// A sweep run: `basis` and `fraction` as labels, asked for `rate`, achieving `achieved`.
    fn step(server: &'static str, basis: &'static str, rate: f64, achieved: f64) -> Run {
        let labels: &'static [(&'static str, &'static str)] = match basis {
            "own-max" => &[("experiment", "sweep"), ("rate_basis", "own-max")],
            _ => &[("experiment", "sweep"), ("rate_basis", "common")],
        };
        let load = rate / 10_000.0;
        let us = |base: f64| (base * (1.0 + 20.0 * load * load)) as u64;
        run(RunSpec {
            server,
            labels,
            rate: Some(rate),
            requests_per_second: achieved,
            behind_schedule: achieved < rate * 0.95,
            latency_us: [us(40.0), us(400.0), us(1_500.0)],
            ..RunSpec::default()
        })
    }

    /// Go's own-max steps, listed out of order, one of them behind schedule (it achieved
    /// less than an earlier step, so ordering by achieved throughput would zigzag); the
    /// common-rate steps of both servers.
    fn sweep() -> Vec<Run> {
        vec![
            step("go", "own-max", 9_000.0, 7_000.0),
            step("go", "own-max", 2_500.0, 2_500.0),
            step("go", "own-max", 7_500.0, 7_500.0),
            step("go", "own-max", 5_000.0, 5_000.0),
            step("go", "common", 5_000.0, 5_000.0),
            step("go", "common", 9_000.0, 7_200.0),
            step("rust", "own-max", 4_000.0, 4_000.0),
            step("rust", "own-max", 14_000.0, 14_000.0),
            step("rust", "own-max", 8_000.0, 8_000.0),
            step("rust", "common", 5_000.0, 5_000.0),
            step("rust", "common", 9_000.0, 9_000.0),
        ]
    }

    #[test]
    fn lines_join_one_basis_in_order_of_the_rate_asked_for() {
        let runs = sweep();
        let refs: Vec<&Run> = runs.iter().collect();
        let sweeps = split_by_basis(&refs);
        let go = &sweeps[&Server::Go];
        let rates: Vec<f64> = go.joined.iter().map(|s| s.target_rps).collect();
        assert_eq!(rates, vec![2_500.0, 5_000.0, 7_500.0, 9_000.0]);
        assert_eq!(go.alone.len(), 2);
        // The last joined step achieved less than the one before it: the line bends back
        // rather than being reordered by achieved throughput.
        assert!(go.joined[3].rps < go.joined[2].rps && go.joined[3].behind);
        assert_eq!(sweeps[&Server::Rust].joined.len(), 3);
        assert_eq!(sweeps[&Server::Rust].alone.len(), 2);
    }

    #[test]
    fn a_sweep_of_common_rates_only_is_joined() {
        let runs = [
            step("go", "common", 9_000.0, 9_000.0),
            step("go", "common", 5_000.0, 5_000.0),
        ];
        let refs: Vec<&Run> = runs.iter().collect();
        let go = &split_by_basis(&refs)[&Server::Go];
        assert_eq!(go.joined.len(), 2);
        assert!(go.alone.is_empty());
        assert_eq!(go.joined[0].target_rps, 5_000.0);
    }

    #[test]
    fn both_bases_and_a_late_step_are_drawn() {
        let (_guard, path, drawn) = draw(&ThroughputLatency, "sweep", sweep());
        assert!(matches!(drawn, Drawn::Chart { .. }), "{drawn:?}");
        assert!(path.is_file());
    }
}
