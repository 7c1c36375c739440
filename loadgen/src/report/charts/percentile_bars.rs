//! Chart 1: p50, p99 and p99.9 per server as a dot plot, beside the article's figures (Go
//! 2/15/200 ms, Rust 1/3/5 ms), on a log scale.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::aggregate::{self, ServerFigures, Spread};
use crate::report::charts::style::{self, Entry, Icon, axis_font, tick_font, value_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::claims::{C2_ARTICLE_GO_US, C2_ARTICLE_RUST_US};
use crate::report::collect::{Server, Study};
use crate::report::format::{axis_ms, duration_us};
use crate::report::select;

pub struct PercentileBars;

const PERCENTILES: [&str; 3] = ["p50", "p99", "p99.9"];

/// One bar per percentile: the article's or a measured one.
struct BarSet {
    server: Server,
    article: bool,
    /// (median or the article's figure, whisker min–max if repeated), in ms.
    values: [(f64, Option<(f64, f64)>); 3],
    label: String,
}

impl Chart for PercentileBars {
    fn claims(&self) -> &'static [&'static str] {
        &["C2"]
    }

    fn file_name(&self) -> &'static str {
        "percentiles.png"
    }

    fn title(&self) -> &'static str {
        "Latency percentiles beside the article's (C2)"
    }

    fn caption(&self) -> &'static str {
        "Filled dots are measured: the median over repetitions, whiskers from the lowest to the \
         highest run. Grey dots ringed in the server's colour are the article's figures, not \
         measurements. Dots, not bars: on a log scale a bar's length depends on where the axis \
         starts. Each grid step is a factor. At a constant rate, latency counts from the \
         intended send time (coordinated omission corrected). The Go/Rust ratio at every load \
         level, with its interval, is the next chart."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let Some(selection) = select::headline(study) else {
            return Ok(Drawn::NoData(
                "no C2 runs (both servers at one constant rate) and no plain runs".into(),
            ));
        };
        let figures = aggregate::by_server(selection.runs.iter().copied());
        let bars = bar_sets(&figures);
        let values = bars.iter().flat_map(|b| {
            b.values
                .iter()
                .flat_map(|(v, w)| [Some(*v), w.map(|w| w.0), w.map(|w| w.1)])
                .flatten()
        });
        let Some((lo, hi)) = style::log_range(values) else {
            return Ok(Drawn::NoData("no latency above zero was recorded".into()));
        };

        let root = style::canvas(path)?;
        let body = style::titled(
            &root,
            "Latency percentiles: measured (filled) and the article's (grey)",
            &format!(
                "{}: {}",
                selection.source,
                select::describe_repeated(&selection.runs)
            ),
        )?;
        let plot = style::side_legend(&body, &legend_entries(&bars))?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size(95)
            .build_cartesian_2d(
                style::Ticked {
                    range: 0.0..3.0,
                    ticks: vec![0.5, 1.5, 2.5],
                },
                (lo..hi)
                    .log_scale()
                    .with_key_points(style::log_ticks(lo, hi)),
            )?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|x| PERCENTILES[(x.floor() as usize).min(2)].to_string())
            .y_label_formatter(&|y| axis_ms(*y))
            .y_desc("latency, ms (log scale)")
            .x_label_style(axis_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()?;

        let slot = 0.84 / bars.len() as f64;
        for (i, bar) in bars.iter().enumerate() {
            let color = style::server_color(&bar.server);
            for (group, (value, whisker)) in bar.values.iter().enumerate() {
                let left = group as f64 + 0.08 + i as f64 * slot;
                let right = left + slot * 0.86;
                let centre = (left + right) / 2.0;
                // Dots, not bars: on a log axis a bar's length depends on an arbitrary floor,
                // while a dot's position is the value alone.
                if bar.article {
                    chart.draw_series([
                        Circle::new((centre, *value), 9, style::ARTICLE_FILL.filled()),
                        Circle::new((centre, *value), 9, color.stroke_width(3)),
                    ])?;
                } else {
                    chart.draw_series(std::iter::once(
                        measured_marker(color).at((centre, *value)),
                    ))?;
                }
                let mut label_at = *value;
                if let Some((min, max)) = whisker {
                    draw_whisker(&mut chart, centre, slot * 0.2, *min, *max)?;
                    label_at = label_at.max(*max);
                }
                let (x, y) = chart.backend_coord(&(centre, label_at));
                root.draw_text(
                    &duration_us(value * 1000.0),
                    &value_font().pos(Pos::new(HPos::Center, VPos::Bottom)),
                    (x, y - 12),
                )?;
            }
        }
        root.present()?;
        // Runs left out are named under the chart: the legend beside it has no room.
        let notes = figures
            .iter()
            .filter(|(_, f)| f.excluded > 0)
            .map(|(server, f)| {
                if f.excluded == f.runs {
                    format!(
                        "{}: every run fell behind schedule or ended early; its bars show them \
                         anyway.",
                        server.name()
                    )
                } else {
                    format!(
                        "{}: {} run(s) left out (behind schedule or ended early); its bars show \
                         the other {}.",
                        server.name(),
                        f.excluded,
                        f.runs
                    )
                }
            })
            .collect();
        Ok(Drawn::Chart { notes })
    }
}

/// The legend beside the plot (inside it, it would cover the tallest bars of some study):
/// per server, the article's bars and the measured ones.
fn legend_entries(bars: &[BarSet]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for bar in bars {
        let color = style::server_color(&bar.server);
        if !entries
            .iter()
            .any(|e| matches!(e, Entry::Heading(name, _) if *name == bar.server.name()))
        {
            entries.push(Entry::Heading(bar.server.name(), color));
        }
        let icon = if bar.article {
            Icon::Point(color)
        } else {
            Icon::Marker(measured_marker(color))
        };
        entries.push(Entry::Item(icon, bar.label.clone()));
    }
    entries
}

/// A measured percentile: a filled disc in the server's colour.
fn measured_marker(color: RGBColor) -> style::Marker {
    style::Marker {
        shape: style::Shape::Circle,
        size: 8,
        color,
        filled: true,
    }
}

fn draw_whisker<X, Y>(
    chart: &mut ChartContext<'_, BitMapBackend<'_>, Cartesian2d<X, Y>>,
    centre: f64,
    half_cap: f64,
    min: f64,
    max: f64,
) -> Result<(), ChartError>
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let stroke = style::TEXT.stroke_width(2);
    chart.draw_series([
        PathElement::new(vec![(centre, min), (centre, max)], stroke),
        PathElement::new(
            vec![(centre - half_cap, min), (centre + half_cap, min)],
            stroke,
        ),
        PathElement::new(
            vec![(centre - half_cap, max), (centre + half_cap, max)],
            stroke,
        ),
    ])?;
    Ok(())
}

/// For each server: the article's bars (Go and Rust only), then the measured ones.
fn bar_sets(figures: &std::collections::BTreeMap<Server, ServerFigures>) -> Vec<BarSet> {
    let ms = |us: f64| us / 1000.0;
    let measured = |s: &Spread| {
        let whisker = (s.count > 1).then(|| (ms(s.min), ms(s.max)));
        (ms(s.median), whisker)
    };
    let mut bars = Vec::new();
    for (server, f) in figures {
        let article = match server {
            Server::Go => Some(C2_ARTICLE_GO_US),
            Server::Rust => Some(C2_ARTICLE_RUST_US),
            _ => None,
        };
        if let Some(article) = article {
            bars.push(BarSet {
                server: server.clone(),
                article: true,
                values: article.map(|us| (ms(us), None)),
                label: "the article's figures".into(),
            });
        }
        let runs = if f.runs == 1 {
            "1 run".to_string()
        } else {
            format!("median of {} runs", f.runs)
        };
        bars.push(BarSet {
            server: server.clone(),
            article: false,
            values: [
                measured(&f.p50_us),
                measured(&f.p99_us),
                measured(&f.p99_9_us),
            ],
            label: format!("measured ({runs})"),
        });
    }
    bars
}
