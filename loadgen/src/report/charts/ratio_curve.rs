//! Go/Rust latency ratios across the C2 load levels, each with its 95 % interval, against the
//! article's ratios: the figure C2's verdict reads, drawn as the verdict reads it.
//!
//! A ratio is a better picture of the claim than two bars on a log axis (whose lengths depend
//! on an arbitrary floor): the article says Go's p99 is 5× and its p99.9 40× Rust's, and this
//! chart shows where, over the load range, the measured ratios are.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::bootstrap::RatioInterval;
use crate::report::charts::style::{self, Entry, Icon, Marker, Shape, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::claims::{C2_ARTICLE_GO_US, C2_ARTICLE_RUST_US};
use crate::report::collect::Study;
use crate::report::evidence::{self, CurveEvidence};
use crate::report::format::{count_short, ratio};
use server_launcher::Variant;

pub struct RatioCurve;

/// One series: a percentile's Go/Rust ratio at each level (None where a level has none).
struct Series {
    label: String,
    /// Tuned variants are drawn dashed with hollow markers.
    tuned: bool,
    /// Index into the article's percentiles (1 = p99, 2 = p99.9).
    percentile: usize,
    color: RGBColor,
    shape: Shape,
    points: Vec<Option<RatioInterval>>,
}

/// The prepared input: the load levels (fraction, req/s) and the series over them.
struct Prepared {
    levels: Vec<(f64, f64)>,
    series: Vec<Series>,
    left_out: Vec<String>,
}

/// The series of one variant's curve (as shipped against as shipped, tuned against tuned).
fn series_of(curve: &CurveEvidence, tuned: bool) -> Vec<Series> {
    let name = |percentile: &str| {
        if tuned {
            format!("{percentile}, both tuned")
        } else {
            percentile.to_string()
        }
    };
    vec![
        Series {
            label: name("p99"),
            tuned,
            percentile: 1,
            color: RGBColor(90, 90, 200),
            shape: Shape::Square,
            points: curve.levels.iter().map(|l| l.p99).collect(),
        },
        Series {
            label: name("p99.9"),
            tuned,
            percentile: 2,
            color: RGBColor(170, 30, 110),
            shape: Shape::Circle,
            points: curve.levels.iter().map(|l| l.p99_9).collect(),
        },
    ]
}

fn prepare(as_shipped: &CurveEvidence, tuned: Option<&CurveEvidence>) -> Prepared {
    let curve = as_shipped;
    let levels = curve
        .levels
        .iter()
        .map(|l| (l.fraction, l.rate_per_second))
        .collect();
    let mut series = series_of(curve, false);
    if let Some(tuned) = tuned {
        // Tuned runs use the as-shipped levels' absolute rates (the study's rule): a level
        // missing on either side is simply absent.
        series.extend(series_of(tuned, true).into_iter().map(|mut s| {
            s.points = curve
                .levels
                .iter()
                .map(|level| {
                    tuned
                        .levels
                        .iter()
                        .position(|t| t.fraction == level.fraction)
                        .and_then(|i| s.points[i])
                })
                .collect();
            s
        }));
    }
    let left_out = curve
        .levels
        .iter()
        .filter_map(|l| {
            l.left_out.as_ref().map(|why| {
                format!(
                    "{:.0} % level ({}/s) left out of the verdict: {why}",
                    l.fraction * 100.0,
                    count_short(l.rate_per_second)
                )
            })
        })
        .collect();
    Prepared {
        levels,
        series,
        left_out,
    }
}

fn article_ratio(percentile: usize) -> f64 {
    C2_ARTICLE_GO_US[percentile] / C2_ARTICLE_RUST_US[percentile]
}

impl Chart for RatioCurve {
    fn compares_variants(&self) -> bool {
        true
    }

    fn claims(&self) -> &'static [&'static str] {
        &["C2"]
    }

    fn file_name(&self) -> &'static str {
        "ratio-curve.png"
    }

    fn title(&self) -> &'static str {
        "Go/Rust latency ratio across load levels, against the article's (C2)"
    }

    fn caption(&self) -> &'static str {
        "Each point is Go's latency divided by Rust's at one load level (both servers at the \
         same absolute rate), the ratio of the medians over repetitions; the whiskers are its 95 % \
         bootstrap interval over repetitions. Dashed lines are the article's ratios (p99 5×, \
         p99.9 40×); the black line is no difference. Log scale."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let curve = match evidence::c2(&study.only_variant(Variant::AsShipped)) {
            Ok((curve, _)) => curve,
            Err(reason) => return Ok(Drawn::NoData(reason)),
        };
        let tuned = evidence::c2(&study.only_variant(Variant::Tuned))
            .ok()
            .map(|(curve, _)| curve);
        let prepared = prepare(&curve, tuned.as_ref());
        draw_prepared(&prepared, path)?;
        Ok(Drawn::Chart {
            notes: prepared.left_out,
        })
    }
}

fn draw_prepared(prepared: &Prepared, path: &Path) -> Result<(), ChartError> {
    let values = prepared
        .series
        .iter()
        .flat_map(|s| s.points.iter().flatten().flat_map(|p| [p.low, p.high]))
        .chain(prepared.series.iter().map(|s| article_ratio(s.percentile)))
        .chain([1.0]);
    let (lo, hi) = style::log_range(values).unwrap_or((0.1, 100.0));
    let n = prepared.levels.len().max(1);

    let root = style::canvas(path)?;
    let body = style::titled(
        &root,
        "Go/Rust latency ratio at each load level",
        &format!(
            "Users workload · {}, the same absolute rates for both servers · \
             whiskers: 95 % bootstrap interval over repetitions",
            crate::report::format::count_of(Some(prepared.levels.len()), "load level")
        ),
    )?;
    let mut entries = Vec::new();
    for s in &prepared.series {
        entries.push(Entry::Item(
            Icon::Marker(Marker {
                shape: s.shape,
                size: 6,
                color: s.color,
                filled: !s.tuned,
            }),
            if s.tuned {
                format!("{} (hollow)", s.label)
            } else {
                format!("{} measured, 95 % interval", s.label)
            },
        ));
        if s.tuned {
            continue;
        }
        entries.push(Entry::Item(
            Icon::Dashed(s.color.stroke_width(2)),
            format!(
                "{} in the article: {}",
                s.label,
                ratio(article_ratio(s.percentile))
            ),
        ));
    }
    entries.push(Entry::Item(
        Icon::Line(style::TEXT.stroke_width(2)),
        "no difference (1×)".into(),
    ));
    let plot = style::side_legend(&body, &entries)?;
    let ticks: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mut chart = ChartBuilder::on(&plot)
        .margin(20)
        .margin_right(30)
        .x_label_area_size(70)
        .y_label_area_size(80)
        .build_cartesian_2d(
            style::Ticked {
                range: -0.5..(n as f64 - 0.5),
                ticks,
            },
            (lo..hi)
                .log_scale()
                .with_key_points(style::log_ticks(lo, hi)),
        )?;
    let levels = prepared.levels.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|x| {
            let i = (x.round() as usize).min(levels.len().saturating_sub(1));
            levels.get(i).map_or(String::new(), |(fraction, rate)| {
                format!("{:.0} % ({}/s)", fraction * 100.0, count_short(*rate))
            })
        })
        .y_label_formatter(&|y| ratio(*y))
        .x_desc("load level: share of the lower server's maximum (offered rate)")
        .y_desc("Go / Rust (log scale)")
        .x_label_style(tick_font())
        .y_label_style(tick_font())
        .axis_desc_style(axis_font())
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;

    let span = (-0.5, n as f64 - 0.5);
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(span.0, 1.0), (span.1, 1.0)],
        style::TEXT.stroke_width(2),
    )))?;
    for s in prepared.series.iter().filter(|s| !s.tuned) {
        let article = article_ratio(s.percentile);
        chart.draw_series(DashedLineSeries::new(
            vec![(span.0, article), (span.1, article)],
            10,
            6,
            s.color.stroke_width(2),
        ))?;
    }
    // Side by side within a level, so that overlapping intervals stay readable.
    let offsets = if prepared.series.len() > 2 {
        vec![-0.09, 0.03, -0.03, 0.09]
    } else {
        vec![-0.05, 0.05]
    };
    for (k, s) in prepared.series.iter().enumerate() {
        let dx = offsets[k % offsets.len()];
        let placed: Vec<(f64, &RatioInterval)> = s
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_ref().map(|p| (i as f64 + dx, p)))
            .collect();
        let joined: Vec<(f64, f64)> = placed.iter().map(|(x, p)| (*x, p.ratio)).collect();
        if s.tuned {
            chart.draw_series(DashedLineSeries::new(joined, 6, 4, s.color.stroke_width(1)))?;
        } else {
            chart.draw_series(LineSeries::new(joined, s.color.stroke_width(2)))?;
        }
        for (x, p) in &placed {
            let cap = 0.02;
            let stroke = s.color.stroke_width(2);
            chart.draw_series([
                PathElement::new(vec![(*x, p.low), (*x, p.high)], stroke),
                PathElement::new(vec![(x - cap, p.low), (x + cap, p.low)], stroke),
                PathElement::new(vec![(x - cap, p.high), (x + cap, p.high)], stroke),
            ])?;
            let marker = Marker {
                shape: s.shape,
                size: 6,
                color: s.color,
                filled: !s.tuned,
            };
            chart.draw_series(std::iter::once(marker.at((*x, p.ratio))))?;
            // The tuned curves stay unlabelled: their figures are in the claims table, and
            // four labels per level would cover one another.
            if s.tuned {
                continue;
            }
            // Labels go outward, past the whisker: p99 below its interval, p99.9 above.
            let label = format!("{} (n = {})", ratio(p.ratio), p.n());
            let (at, vpos, shift) = if s.percentile == 1 {
                (p.low, VPos::Top, 6)
            } else {
                (p.high, VPos::Bottom, -6)
            };
            let (px, py) = chart.backend_coord(&(*x, at));
            root.draw_text(
                &label,
                &tick_font()
                    .color(&s.color)
                    .pos(Pos::new(HPos::Center, vpos)),
                (px, py + shift),
            )?;
        }
    }
    root.present()?;
    Ok(())
}
