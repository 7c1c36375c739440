//! Chart 3: latency over time (p99 and maximum per 100 ms) of one typical run per server,
//! with Go's GC cycles per second in a strip below, and each GC cycle's span (from the GC
//! trace, to the millisecond) shaded behind the latency, so that spikes can be matched to GCs.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::prelude::*;

use crate::report::aggregate;
use crate::report::charts::style::{self, Entry, Icon, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::collect::{Run, Server, Study};
use crate::report::format::axis_ms;
use crate::report::select;
use crate::result::SecondSummary;

pub struct OverTime;

impl Chart for OverTime {
    fn claims(&self) -> &'static [&'static str] {
        &["C2"]
    }

    fn file_name(&self) -> &'static str {
        "over-time.png"
    }

    fn title(&self) -> &'static str {
        "Latency over time, with Go's GC cycles"
    }

    fn caption(&self) -> &'static str {
        "One typical run per server (the run with the median p99.9), in 100 ms intervals from \
         its interval log (per second for runs without one), each drawn as a step over the time \
         it covers: the thick step is the interval's p99, the thin one its worst request. The \
         strip below counts the GC cycles Go finished in each second. Shaded bands behind \
         the latency are Go's GC cycles as its GC trace timed them (start to end, both \
         stop-the-world pauses and the concurrent mark between them), drawn at least a few \
         pixels wide: a spike inside a band, and none outside, points at the collector. With \
         a small heap Go collects many times a second (every second has GC bars); the bands \
         are then too dense to tell apart and are left out, and this chart cannot say whether \
         a spike is GC's: the report's GC sentence (CPU share, pauses) says what can be said."
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
        let window = runs.values().map(|r| window_seconds(r)).fold(0.0, f64::max);
        let series: BTreeMap<Server, Series> = runs
            .iter()
            .map(|(server, run)| (server.clone(), Series::of(run)))
            .collect();
        let values = series.values().flat_map(|s| {
            s.p99
                .iter()
                .chain(&s.max)
                .flatten()
                .map(|(_, ms)| *ms)
                .collect::<Vec<_>>()
        });
        let Some((lo, hi)) = style::log_range(values) else {
            return Ok(Drawn::NoData("no latency above zero was recorded".into()));
        };
        // One resolution names the chart when every run has it; otherwise each says its own.
        let resolution = if series
            .values()
            .all(|s| s.resolution == Resolution::Interval)
        {
            "per 100 ms"
        } else if series.values().all(|s| s.resolution == Resolution::Second) {
            "per second"
        } else {
            "per 100 ms or per second"
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
            &format!("Latency {resolution}: p99 (thick) and maximum (thin)"),
            &format!("typical {source} ({names}): {}", select::describe(&chosen)),
        )?;
        let entries: Vec<Entry> = runs
            .iter()
            .flat_map(|(server, run)| {
                let color = style::server_color(server);
                let gc_band = (!gc_spans(run, window).is_empty())
                    .then(|| Entry::Item(Icon::Bar(light(color)), "a GC cycle (trace)".into()));
                let per = series[server].resolution.per();
                [
                    Entry::Heading(server.name(), color),
                    Entry::Item(Icon::Line(color.stroke_width(3)), format!("p99 {per}")),
                    Entry::Item(
                        Icon::Line(color.mix(0.6).stroke_width(1)),
                        format!("max {per}"),
                    ),
                ]
                .into_iter()
                .chain(gc_band)
            })
            .collect();
        let plot = style::side_legend(&body, &entries)?;
        let (upper, lower) = plot.split_vertically(plot.dim_in_pixel().1 as i32 - GC_STRIP_HEIGHT);
        let time = TimeAxis::for_window(window);
        // The time axis is shared: its labels are written once, under the GC strip, and the
        // grid lines of both panels fall on the same seconds.
        let mut chart = ChartBuilder::on(&upper)
            .margin(20)
            .margin_right(40)
            .margin_bottom(0)
            .x_label_area_size(8)
            .y_label_area_size(95)
            .build_cartesian_2d(
                time.range(),
                (lo..hi)
                    .log_scale()
                    .with_key_points(style::log_ticks(lo, hi)),
            )?;
        chart
            .configure_mesh()
            .y_label_formatter(&|y| axis_ms(*y))
            .x_label_formatter(&|_| String::new())
            .y_desc("latency, ms (log scale)")
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .draw()?;
        for (server, run) in &runs {
            let band = light(style::server_color(server)).filled();
            chart.draw_series(
                gc_spans(run, window)
                    .into_iter()
                    .map(|(start, end)| Rectangle::new([(start, lo), (end, hi)], band)),
            )?;
        }
        for (server, steps) in &series {
            let color = style::server_color(server);
            for line in &steps.max {
                chart.draw_series(LineSeries::new(
                    line.clone(),
                    color.mix(0.6).stroke_width(1),
                ))?;
            }
            for line in &steps.p99 {
                chart.draw_series(LineSeries::new(line.clone(), color.stroke_width(3)))?;
            }
        }
        draw_gc_strip(&lower, &runs, &time)?;
        root.present()?;
        let notes = runs
            .iter()
            .filter(|(_, run)| gc_cycle_count(run) > 0 && gc_spans(run, window).is_empty())
            .map(|(server, run)| {
                format!(
                    "{}: {} GC cycles in {:.0} s, too many to shade apart; the strip counts them \
                     per second.",
                    server.name(),
                    gc_cycle_count(run),
                    window
                )
            })
            .collect();
        Ok(Drawn::Chart { notes })
    }
}

/// The GC strip's height in pixels, its time labels and axis title included: tall enough for
/// its rotated axis title, "Go GC cycles / s".
const GC_STRIP_HEIGHT: i32 = 232;

/// The time axis: the measured window, with ticks at whole seconds (every half second, with
/// one decimal, in windows under 5 s, such as a quick study's).
struct TimeAxis {
    window: f64,
    step: f64,
}

impl TimeAxis {
    fn for_window(window: f64) -> Self {
        let window = if window > 0.0 { window } else { 1.0 };
        let step = if window < 1.0 {
            0.1
        } else if window < 5.0 {
            0.5
        } else {
            // About a dozen labels at most, at steps a reader counts in.
            [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0]
                .into_iter()
                .find(|step| window / step <= 12.0)
                .unwrap_or(1200.0)
        };
        TimeAxis { window, step }
    }

    fn range(&self) -> style::Ticked {
        let count = (self.window / self.step + 1e-9).floor() as usize;
        style::Ticked {
            range: 0.0..self.window,
            ticks: (0..=count).map(|i| i as f64 * self.step).collect(),
        }
    }

    fn label(&self, seconds: f64) -> String {
        if self.step < 1.0 {
            format!("{seconds:.1} s")
        } else {
            format!("{seconds:.0} s")
        }
    }
}

/// The part of the measured window that per-second figure `second` covers: a whole second,
/// except the last one of a window that ends mid-second (a quick study's 1.5 s).
fn span(second: usize, measured_seconds: f64) -> (f64, f64) {
    let start = second as f64;
    let end = start + 1.0;
    if measured_seconds > start && measured_seconds < end {
        (start, measured_seconds)
    } else {
        (start, end)
    }
}

/// How long a run's per-second figures reach: the end of its last second's span.
fn window_seconds(run: &Run) -> f64 {
    let measured = run.result.figures.measured_seconds;
    run.result
        .per_second
        .iter()
        .map(|s| span(s.second, measured).1)
        .fold(0.0, f64::max)
}

/// Where a run's latency line comes from: its interval log (100 ms) or, for runs written
/// before interval logs existed, its per-second figures.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Resolution {
    Interval,
    Second,
}

impl Resolution {
    fn per(self) -> &'static str {
        match self {
            Resolution::Interval => "per 100 ms",
            Resolution::Second => "per second",
        }
    }
}

/// One run's latency as step lines in ms: p99 and maximum of each interval.
struct Series {
    resolution: Resolution,
    p99: Vec<Vec<(f64, f64)>>,
    max: Vec<Vec<(f64, f64)>>,
}

impl Series {
    fn of(run: &Run) -> Series {
        if let Some(intervals) = run.latency_intervals().filter(|i| !i.is_empty()) {
            let spans = |pick: fn(&crate::output::LatencyInterval) -> u64| {
                steps(intervals.iter().map(|i| {
                    let value = if i.count > 0 { pick(i) } else { 0 };
                    (i.start_seconds, i.end_seconds, value)
                }))
            };
            return Series {
                resolution: Resolution::Interval,
                p99: spans(|i| i.p99_us),
                max: spans(|i| i.max_us),
            };
        }
        let measured = run.result.figures.measured_seconds;
        let spans = |pick: fn(&SecondSummary) -> u64| {
            steps(run.result.per_second.iter().map(|s| {
                let (start, end) = span(s.second, measured);
                (start, end, pick(s))
            }))
        };
        Series {
            resolution: Resolution::Second,
            p99: spans(|s| s.p99_us),
            max: spans(|s| s.max_us),
        }
    }
}

/// Figures (start s, end s, µs) as steps in ms: a flat segment over each span, so that a
/// value sits right above the GC bar of its time. A span without a value (no answer in it)
/// breaks the line rather than being drawn as zero on a log axis.
fn steps(spans: impl Iterator<Item = (f64, f64, u64)>) -> Vec<Vec<(f64, f64)>> {
    let mut lines: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut previous_end: Option<f64> = None;
    for (start, end, value) in spans {
        if value == 0 {
            previous_end = None;
            continue;
        }
        let ms = value as f64 / 1000.0;
        match lines.last_mut() {
            Some(line) if previous_end.is_some_and(|p| (p - start).abs() < 1e-6) => {
                line.extend([(start, ms), (end, ms)])
            }
            _ => lines.push(vec![(start, ms), (end, ms)]),
        }
        previous_end = Some(end);
    }
    lines
}

/// Integer ticks for a count axis whose largest value is `most`: every count up to 5, else
/// none, about half and the largest (a count has no fractions).
fn count_ticks(most: u64) -> Vec<f64> {
    let most = most.max(1);
    if most <= 5 {
        (0..=most).map(|n| n as f64).collect()
    } else {
        vec![0.0, (most as f64 / 2.0).round(), most as f64]
    }
}

/// The runs to show, one per server, and where they come from: the C2 runs at the level
/// nearest half the maximum, else the heap runs at the largest heap, else plain runs, else
/// whatever there is.
fn choose(study: &Study) -> Option<(BTreeMap<Server, &Run>, &'static str)> {
    if let Some((_, c2)) = study.c2_headline_level() {
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

/// The shortest band drawn for a GC cycle, as a share of the window: a 2 ms cycle in a 10 s
/// window would otherwise be narrower than a pixel.
const MIN_GC_BAND_SHARE: f64 = 0.003;

/// Above this many GC cycles per second of window, the bands would cover the whole panel
/// (Go with a small heap collects 20+ times a second): they are left out and a note says
/// so; the strip below still counts them.
const MAX_GC_BANDS_PER_SECOND: f64 = 5.0;

/// How many GC cycles a run's trace holds, if it has one.
fn gc_cycle_count(run: &Run) -> usize {
    run.result
        .server
        .as_ref()
        .and_then(|s| s.go_runtime.as_ref())
        .map_or(0, |go| go.gc_cycles.len())
}

/// The GC cycles of a Go run from its GC trace, as (start, end) in seconds into the measured
/// window, clipped to [0, window] and at least [`MIN_GC_BAND_SHARE`] of it wide; none when
/// there are too many to draw apart ([`MAX_GC_BANDS_PER_SECOND`]).
fn gc_spans(run: &Run, window: f64) -> Vec<(f64, f64)> {
    if gc_cycle_count(run) as f64 > MAX_GC_BANDS_PER_SECOND * window.max(1.0) {
        return Vec::new();
    }
    let Some(go) = run
        .result
        .server
        .as_ref()
        .and_then(|s| s.go_runtime.as_ref())
    else {
        return Vec::new();
    };
    let least = window * MIN_GC_BAND_SHARE;
    go.gc_cycles
        .iter()
        .map(|cycle| {
            let start = (cycle.start_ms / 1000.0).clamp(0.0, window);
            let end = (cycle.end_ms / 1000.0).clamp(0.0, window);
            if end - start >= least {
                return (start, end);
            }
            // Too thin to see: widen it around its middle, inside the window.
            let start = ((start + end - least) / 2.0).clamp(0.0, (window - least).max(0.0));
            (start, (start + least).min(window))
        })
        .collect()
}

/// A pale tint of a server's colour, for bands behind its lines.
fn light(color: RGBColor) -> RGBColor {
    let tint = |channel: u8| channel + ((255 - channel) as f64 * 0.8) as u8;
    RGBColor(tint(color.0), tint(color.1), tint(color.2))
}

/// A server's GC counts: its measured window (s) and (second, cycles) for each second.
type GcCounts = (Server, f64, Vec<(usize, u64)>);

fn draw_gc_strip(
    area: &style::Area<'_>,
    runs: &BTreeMap<Server, &Run>,
    time: &TimeAxis,
) -> Result<(), ChartError> {
    let gc: Vec<GcCounts> = runs
        .iter()
        .map(|(server, run)| {
            let cycles = run
                .result
                .per_second
                .iter()
                .filter_map(|s| s.gc_cycles.map(|c| (s.second, c)))
                .collect::<Vec<_>>();
            (server.clone(), run.result.figures.measured_seconds, cycles)
        })
        .filter(|(_, _, cycles)| !cycles.is_empty())
        .collect();
    let most = gc
        .iter()
        .flat_map(|(_, _, c)| c.iter().map(|(_, n)| *n))
        .max()
        .unwrap_or(0);
    let ticks = count_ticks(most);
    let top = ticks.last().copied().unwrap_or(1.0);
    let mut strip = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(40)
        .margin_top(12)
        .margin_bottom(6)
        .x_label_area_size(62)
        .y_label_area_size(95)
        .build_cartesian_2d(
            time.range(),
            style::Ticked {
                range: 0.0..top * 1.15,
                ticks,
            },
        )?;
    strip
        .configure_mesh()
        .x_label_formatter(&|x| time.label(*x))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .y_desc("Go GC cycles / s")
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
    for (server, measured, cycles) in &gc {
        let color = style::server_color(server);
        strip.draw_series(cycles.iter().filter(|(_, n)| *n > 0).map(|(second, n)| {
            // The bar fills the same span as the second's step above, less a small gap on
            // each side so that neighbouring seconds stay apart.
            let (start, end) = span(*second, *measured);
            let gap = (end - start) * 0.08;
            Rectangle::new([(start + gap, 0.0), (end - gap, *n as f64)], color.filled())
        }))?;
    }
    if most == 0 {
        style::centred_note(area, "no GC cycle completed during the measured window")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{RunSpec, draw, run};

    /// `seconds` per-second figures: p99 near 1 ms (Go) or 0.3 ms (Rust); Go's spikes to
    /// 9 ms in every fourth second, with two GCs in it.
    fn per_second(seconds: usize, go: bool) -> Vec<SecondSummary> {
        (0..seconds)
            .map(|second| {
                let spike = go && second % 4 == 1;
                let base = if go { 900 } else { 300 };
                SecondSummary {
                    second,
                    requests: 1_000,
                    errors: 0,
                    p50_us: 100,
                    p99_us: if spike {
                        6_000
                    } else {
                        base + 40 * second as u64
                    },
                    max_us: if spike { 9_000 } else { base * 2 },
                    gc_cycles: go.then_some(if spike { 2 } else { 0 }),
                }
            })
            .collect()
    }

    fn c2_runs(seconds: usize, measured_seconds: f64) -> Vec<Run> {
        ["go", "rust"]
            .into_iter()
            .map(|server| {
                let mut run = run(RunSpec {
                    server,
                    labels: &[("experiment", "c2")],
                    measured_seconds,
                    per_second: per_second(seconds, server == "go"),
                    ..RunSpec::default()
                });
                if server == "go" {
                    // A 40 ms cycle inside every spike second (every fourth), as the trace
                    // would time it.
                    let spikes = (0..seconds).filter(|s| s % 4 == 1);
                    let cycles = spikes.map(|s| (s as f64 * 1000.0 + 300.0, 40.0)).collect();
                    with_gc_cycles(&mut run, cycles);
                }
                run
            })
            .collect()
    }

    /// Gives a Go run a GC window whose cycles are (start ms, length ms).
    fn with_gc_cycles(run: &mut Run, cycles: Vec<(f64, f64)>) {
        let server = run.result.server.as_mut().expect("a spawned server");
        server.go_runtime = Some(crate::result::GoRuntimeWindow {
            gc_cpu_seconds: 0.1,
            gc_mark_assist_cpu_seconds: 0.0,
            gc_mark_dedicated_cpu_seconds: 0.1,
            gc_mark_idle_cpu_seconds: 0.0,
            gc_pause_cpu_seconds: 0.0,
            busy_cpu_seconds: 1.0,
            gc_cpu_share: 0.1,
            largest_pause_ns: 50_000,
            sched_latency_buckets: Vec::new(),
            sched_latency_p99_ns: 0,
            sched_latency_max_ns: 0,
            gc_cycles: cycles
                .into_iter()
                .enumerate()
                .map(|(i, (start_ms, length_ms))| crate::result::GcCycleRecord {
                    number: i as u64 + 1,
                    start_ms,
                    end_ms: start_ms + length_ms,
                    stw_sweep_termination_ms: 0.05,
                    concurrent_mark_ms: length_ms - 0.1,
                    stw_mark_termination_ms: 0.05,
                    heap_live_mb: 100,
                    heap_goal_mb: 200,
                    forced: false,
                })
                .collect(),
        });
    }

    #[test]
    fn gc_bands_are_clipped_to_the_window_and_never_thinner_than_a_few_pixels() {
        let mut go = c2_runs(1, 10.0).remove(0);
        with_gc_cycles(
            &mut go,
            vec![
                (-50.0, 100.0),
                (2_000.0, 400.0),
                (5_000.0, 2.0),
                (9_999.0, 10.0),
            ],
        );
        let spans = gc_spans(&go, 10.0);
        let least = 10.0 * MIN_GC_BAND_SHARE;
        assert_eq!(spans[0], (0.0, 0.05)); // began before the window
        assert_eq!(spans[1], (2.0, 2.4));
        let (start, end) = spans[2]; // 2 ms: widened around its middle
        assert!((end - start - least).abs() < 1e-9 && start < 5.001 && end > 5.001);
        let (start, end) = spans[3]; // at the very end: widened inwards
        assert!((end - 10.0).abs() < 1e-9 && (end - start - least).abs() < 1e-9);
        let rust = c2_runs(1, 10.0).remove(1);
        assert!(gc_spans(&rust, 10.0).is_empty());
    }

    #[test]
    fn whole_second_ticks_or_half_seconds_in_short_windows() {
        let quick = TimeAxis::for_window(2.0);
        assert_eq!(quick.range().ticks, vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(quick.label(1.5), "1.5 s");
        let default = TimeAxis::for_window(10.0);
        assert_eq!(default.range().ticks.len(), 11);
        assert_eq!(default.label(3.0), "3 s");
        let long = TimeAxis::for_window(120.0);
        assert_eq!(
            long.range().ticks,
            (0..=12).map(|i| i as f64 * 10.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn gc_counts_have_integer_ticks_only() {
        assert_eq!(count_ticks(0), vec![0.0, 1.0]);
        assert_eq!(count_ticks(1), vec![0.0, 1.0]);
        assert_eq!(count_ticks(3), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(count_ticks(9), vec![0.0, 5.0, 9.0]);
        assert!(count_ticks(37).iter().all(|t| t.fract() == 0.0));
    }

    #[test]
    fn each_second_is_a_step_over_its_span_and_gaps_break_the_line() {
        let mut seconds = per_second(4, true);
        seconds[2].p99_us = 0;
        let lines = steps(seconds.iter().map(|s| {
            let (start, end) = span(s.second, 3.5);
            (start, end, s.p99_us)
        }));
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            vec![(0.0, 0.9), (1.0, 0.9), (1.0, 6.0), (2.0, 6.0)]
        );
        // The last second of a 3.5 s window covers half a second.
        assert_eq!(lines[1], vec![(3.0, 1.02), (3.5, 1.02)]);
        assert_eq!(span(1, 1.5), (1.0, 1.5));
        assert_eq!(span(1, 10.0), (1.0, 2.0));
    }

    #[test]
    fn a_quick_and_a_default_run_are_drawn() {
        for (name, seconds, measured) in [("over-time-2s", 2, 2.0), ("over-time-10s", 10, 10.0)] {
            let (_guard, path, drawn) = draw(&OverTime, name, c2_runs(seconds, measured));
            assert!(matches!(drawn, Drawn::Chart { .. }), "{name}: {drawn:?}");
            assert!(path.is_file(), "{name}");
        }
        let runs = c2_runs(2, 2.0);
        assert_eq!(window_seconds(&runs[0]), 2.0);
        assert_eq!(window_seconds(&c2_runs(2, 1.5)[0]), 1.5);
    }
}
