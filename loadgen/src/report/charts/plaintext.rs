//! Chart 8: plaintext throughput at saturation (closed loop) of axum, Go and nginx, beside
//! the article's "300K+ requests/sec" (C4).

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::experiments::{C4_PIPELINE_DEPTHS, c4_experiment};
use crate::report::aggregate;
use crate::report::charts::style::{self, axis_font, tick_font, value_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::claims::C4_ARTICLE_RPS;
use crate::report::collect::{Run, Server, Study};
use crate::report::format::count_short;
use crate::report::select;

pub struct Plaintext;

impl Chart for Plaintext {
    fn claims(&self) -> &'static [&'static str] {
        &["C4"]
    }

    fn file_name(&self) -> &'static str {
        "plaintext.png"
    }

    fn title(&self) -> &'static str {
        "Plaintext throughput: axum, Go and nginx, unpipelined and pipelined (C4)"
    }

    fn caption(&self) -> &'static str {
        "Requests per second at saturation (closed loop: each connection sends its next request \
         when the previous answer arrives), every server pinned to the same cores; ×16: 16 \
         requests pipelined per connection, as TechEmpower's plaintext test does. Bars \
         are medians, whiskers the lowest and highest repetition. The dashed line is the \
         article's 300,000 req/s, on hardware it does not name. Under each bar, the load \
         generator's CPU use: near 100 % it, not the server, set the pace."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let mut runs = Vec::new();
        let mut bars: Vec<Bar> = Vec::new();
        for depth in C4_PIPELINE_DEPTHS {
            let experiment_runs = study.experiment(c4_experiment(depth));
            bars.extend(bars_of(&experiment_runs, depth));
            runs.extend(experiment_runs);
        }
        if runs.is_empty() {
            return Ok(Drawn::NoData("no c4 runs (plaintext, closed loop)".into()));
        }
        // Headroom above the tallest bar and its label for the legend box in the upper right.
        let tallest = bars.iter().map(|b| b.rps.max).fold(0.0, f64::max);
        let top = (tallest * 1.3).max(C4_ARTICLE_RPS * 1.15);

        let root = style::canvas(path)?;
        let mut subtitle = select::describe(&runs);
        if !study.nginx_skipped.is_empty() {
            subtitle = format!(
                "{subtitle} · nginx skipped: {}",
                study.nginx_skipped.join(" ")
            );
        }
        let body = style::titled(&root, "Plaintext throughput at saturation", &subtitle)?;
        let n = bars.len() as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(75)
            .y_label_area_size(95)
            .build_cartesian_2d(
                style::Ticked {
                    range: 0.0..n,
                    ticks: (0..bars.len()).map(|i| i as f64 + 0.5).collect(),
                },
                0.0..top,
            )?;
        let labels: Vec<String> = bars.iter().map(|b| b.name.clone()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|x| labels.get(x.floor() as usize).cloned().unwrap_or_default())
            .y_label_formatter(&|y| count_short(*y))
            .y_desc("requests per second")
            .x_label_style(axis_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .draw()?;
        for (i, bar) in bars.iter().enumerate() {
            let (left, right) = (i as f64 + 0.2, i as f64 + 0.8);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, 0.0), (right, bar.rps.median)],
                bar.color.filled(),
            )))?;
            // Whiskers: the lowest and highest repetition.
            if bar.rps.count > 1 {
                let x = i as f64 + 0.5;
                let ink = BLACK.stroke_width(2);
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, bar.rps.min), (x, bar.rps.max)],
                    ink,
                )))?;
                for y in [bar.rps.min, bar.rps.max] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x - 0.08, y), (x + 0.08, y)],
                        ink,
                    )))?;
                }
            }
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, bar.rps.max));
            root.draw_text(
                &format!(
                    "{} req/s (n = {})",
                    count_short(bar.rps.median),
                    bar.rps.count
                ),
                &value_font().pos(Pos::new(HPos::Center, VPos::Bottom)),
                (x, y - 5),
            )?;
            if let Some(u) = bar.loadgen_utilisation {
                let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
                root.draw_text(
                    &format!("loadgen {:.0} %", u * 100.0),
                    &value_font()
                        .color(&style::SUBTLE)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                    (x, y + 36),
                )?;
            }
        }
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, C4_ARTICLE_RPS), (n, C4_ARTICLE_RPS)],
                12,
                8,
                style::ARTICLE.stroke_width(3),
            ))?
            .label("the article: 300K+ req/s \"on modest hardware\"")
            .legend(style::Icon::Dashed(style::ARTICLE.stroke_width(3)).at());
        style::legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present()?;
        let notes = study
            .nginx_skipped
            .iter()
            .map(|line| format!("nginx was not measured: {line}"))
            .collect();
        Ok(Drawn::Chart { notes })
    }
}

/// One bar: a server at one pipeline depth, its requests/s over repetitions.
struct Bar {
    name: String,
    rps: aggregate::Spread,
    color: RGBColor,
    loadgen_utilisation: Option<f64>,
}

fn bars_of(runs: &[&Run], depth: usize) -> Vec<Bar> {
    aggregate::usable_by_server(runs.iter().copied())
        .into_iter()
        .filter_map(|(server, (usable, _))| {
            let rps =
                aggregate::Spread::of(usable.iter().map(|r| r.result.figures.requests_per_second))?;
            let loadgen_utilisation = aggregate::Spread::of(
                usable
                    .iter()
                    .filter_map(|r| aggregate::loadgen_utilisation(r)),
            )
            .map(|s| s.median);
            // The article's "modest hardware" is unspecified: every bar says how many cores
            // the server had (under it, with loadgen's CPU).
            let cores = match usable[0].result.target.server_cpus.as_ref().map(Vec::len) {
                Some(1) => "1 core".to_string(),
                Some(n) => format!("{n} cores"),
                None => "unpinned".to_string(),
            };
            let short = match &server {
                Server::Go => "Go".to_string(),
                Server::Rust => "axum".to_string(),
                other => other.name(),
            };
            let depth = if depth > 1 {
                format!(" ×{depth}")
            } else {
                String::new()
            };
            Some(Bar {
                name: format!("{short}{depth} ({cores})"),
                rps,
                color: style::server_color(&server),
                loadgen_utilisation,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{RunSpec, draw, run};

    fn c4(server: &'static str, rps: f64, pinned: bool) -> crate::report::collect::Run {
        c4_at(server, rps, pinned, &[("experiment", "c4")])
    }

    fn c4_at(
        server: &'static str,
        rps: f64,
        pinned: bool,
        labels: &'static [(&'static str, &'static str)],
    ) -> crate::report::collect::Run {
        run(RunSpec {
            server,
            labels,
            rate: None,
            requests_per_second: rps,
            server_cpus: pinned.then(|| vec![1]),
            loadgen_cpus: pinned.then(|| vec![0]),
            ..RunSpec::default()
        })
    }

    #[test]
    fn nginx_pinned_like_the_others_and_not() {
        for (name, nginx_pinned) in [("plaintext-pinned", true), ("plaintext-unpinned", false)] {
            let runs = vec![
                c4("go", 81_000.0, true),
                c4("rust", 144_000.0, true),
                // Above the article's 300,000 req/s: the bar and its label stay clear of the
                // legend.
                c4("nginx", 320_000.0, nginx_pinned),
                c4_at("rust", 290_000.0, true, &[("experiment", "c4-pipelined")]),
                c4_at("rust", 310_000.0, true, &[("experiment", "c4-pipelined")]),
                c4_at(
                    "nginx",
                    330_000.0,
                    nginx_pinned,
                    &[("experiment", "c4-pipelined")],
                ),
            ];
            let (_guard, path, drawn) = draw(&Plaintext, name, runs);
            assert!(matches!(drawn, Drawn::Chart { .. }), "{name}: {drawn:?}");
            assert!(path.is_file());
        }
    }
}
