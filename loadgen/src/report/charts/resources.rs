//! Chart 7: what each server used for the same work: CPU time per 1,000 requests and peak
//! resident memory, beside what the article's Pingora figures (70 % less CPU, 67 % less
//! memory) would make of Go's measured figure.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::aggregate::{self, ServerFigures, Spread};
use crate::report::charts::style::{self, axis_font, tick_font, value_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::collect::{Run, Server, Study};
use crate::report::select;

pub struct Resources;

struct Bar {
    label: String,
    value: f64,
    color: RGBColor,
    article: bool,
}

/// A pair the article compares: its figure for `lighter` is `heavier`'s × the article's ratio.
#[derive(Clone, Copy)]
pub(super) struct Pair<'a> {
    pub heavier: &'a Server,
    pub lighter: &'a Server,
    /// `heavier`'s name on the article's bar ("Go", "nginx").
    pub heavier_short: &'a str,
}

impl Chart for Resources {
    fn claims(&self) -> &'static [&'static str] {
        &["C5"]
    }

    fn file_name(&self) -> &'static str {
        "resources.png"
    }

    fn title(&self) -> &'static str {
        "CPU and memory per server (C5)"
    }

    fn caption(&self) -> &'static str {
        "Left: server CPU time (user + system) per 1,000 successful requests, in milliseconds; \
         right: the server's peak resident memory (including its start-up data). Both servers \
         served the same constant rate; medians over repetitions. The hatched bars (\"article: \
         Go −70 %\", \"−67 %\") show what the article's Pingora figures (70 % less CPU, 67 % \
         less memory) would predict for Rust from Go's measurement: an analogue, not Pingora."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let Some(selection) = select::headline(study) else {
            return Ok(Drawn::NoData("no C2 runs and no plain runs".into()));
        };
        let pair = Pair {
            heavier: &Server::Go,
            lighter: &Server::Rust,
            heavier_short: "Go",
        };
        let title = "Server CPU per 1,000 requests and peak memory, at the same load";
        draw_resources(path, &selection.runs, (title, selection.source), pair)
    }
}

/// Draws the CPU and memory panels of the servers among `runs` that have both figures, under
/// `title` and a subtitle of `source` and the runs' conditions.
pub(super) fn draw_resources(
    path: &Path,
    runs: &[&Run],
    (title, source): (&str, &str),
    pair: Pair<'_>,
) -> Result<Drawn, ChartError> {
    let figures: Vec<ServerFigures> = aggregate::by_server(runs.iter().copied())
        .into_values()
        .filter(|f| f.cpu_seconds_per_1000_requests.is_some() && f.peak_rss_bytes.is_some())
        .collect();
    if figures.is_empty() {
        return Ok(Drawn::NoData(
            "no server CPU or memory figures (a server someone else runs is not measured)".into(),
        ));
    }
    let root = style::canvas(path)?;
    let subtitle = format!("{source}: {}", select::describe_repeated(runs));
    let body = style::titled(&root, title, &subtitle)?;
    draw_panels(&root, &body, &figures, pair)?;
    root.present()?;
    Ok(Drawn::Chart { notes: Vec::new() })
}

/// The CPU panel (left) and the memory panel (right), each with the article's bar.
fn draw_panels(
    root: &style::Area<'_>,
    body: &style::Area<'_>,
    figures: &[ServerFigures],
    pair: Pair<'_>,
) -> Result<(), ChartError> {
    let (left, right) = body.split_horizontally(body.dim_in_pixel().0 as i32 / 2);
    // CPU-seconds per 1,000 requests, in ms: 21 ms reads more easily than 0.021 s.
    let cpu = bars(
        figures,
        |f| f.cpu_seconds_per_1000_requests.map(|s| scale(s, 1000.0)),
        0.30,
        pair,
    );
    let rss = bars(
        figures,
        |f| f.peak_rss_bytes.map(|s| scale(s, 1.0 / 1_048_576.0)),
        0.33,
        pair,
    );
    panel(
        root,
        &left,
        &cpu,
        "server CPU per 1,000 requests, ms",
        |v| {
            if v < 10.0 {
                format!("{v:.1} ms")
            } else {
                format!("{v:.0} ms")
            }
        },
    )?;
    panel(root, &right, &rss, "peak RSS, MiB", |v| {
        format!("{v:.0} MiB")
    })
}

fn scale(s: Spread, factor: f64) -> Spread {
    Spread {
        median: s.median * factor,
        min: s.min * factor,
        max: s.max * factor,
        count: s.count,
    }
}

/// Measured bars per server, and after the lighter side's, the article's prediction from the
/// heavier side's figure.
fn bars(
    figures: &[ServerFigures],
    pick: impl Fn(&ServerFigures) -> Option<Spread>,
    article_ratio: f64,
    pair: Pair<'_>,
) -> Vec<Bar> {
    let heavier = figures
        .iter()
        .find(|f| &f.server == pair.heavier)
        .and_then(&pick);
    let mut bars = Vec::new();
    for f in figures {
        let Some(value) = pick(f) else { continue };
        bars.push(Bar {
            label: f.server.name(),
            value: value.median,
            color: style::server_color(&f.server),
            article: false,
        });
        if let (true, Some(heavier)) = (&f.server == pair.lighter, heavier) {
            bars.push(Bar {
                // Short enough for the panel's width; the caption says what it means.
                label: format!(
                    "article: {} −{:.0} %",
                    pair.heavier_short,
                    (1.0 - article_ratio) * 100.0
                ),
                value: heavier.median * article_ratio,
                color: style::server_color(pair.lighter),
                article: true,
            });
        }
    }
    bars
}

fn panel(
    root: &style::Area<'_>,
    area: &style::Area<'_>,
    bars: &[Bar],
    y_desc: &str,
    value_text: impl Fn(f64) -> String,
) -> Result<(), ChartError> {
    let top = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.2;
    let n = bars.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(20)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(95)
        .build_cartesian_2d(
            style::Ticked {
                range: 0.0..n,
                ticks: (0..bars.len()).map(|i| i as f64 + 0.5).collect(),
            },
            0.0..top,
        )?;
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|x| labels.get(x.floor() as usize).cloned().unwrap_or_default())
        .y_desc(y_desc)
        .y_labels(6)
        .y_label_formatter(&|v| crate::report::format::axis_number(*v))
        .x_label_style(tick_font())
        .y_label_style(tick_font())
        .axis_desc_style(axis_font())
        .bold_line_style(RGBColor(215, 215, 215))
        .light_line_style(TRANSPARENT)
        .draw()?;
    for (i, bar) in bars.iter().enumerate() {
        let (left, right) = (i as f64 + 0.18, i as f64 + 0.82);
        if bar.article {
            style::article_bar(root, &chart, (left, right), (0.0, bar.value), bar.color)?;
        } else {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, 0.0), (right, bar.value)],
                bar.color.filled(),
            )))?;
        }
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, bar.value));
        root.draw_text(
            &value_text(bar.value),
            &value_font().pos(Pos::new(HPos::Center, VPos::Bottom)),
            (x, y - 4),
        )?;
    }
    Ok(())
}
