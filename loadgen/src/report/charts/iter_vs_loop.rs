//! Chart 6: the iterator chain against the manual loop across input sizes (C1): time per
//! element of each, and their ratio against the band the verdict applies, beside the A/A
//! noise, with the assembly verdicts.

use std::path::Path;

use plotters::prelude::*;

use crate::report::charts::style::{self, Entry, Icon, axis_font, tick_font};
use crate::report::charts::{Chart, ChartError, Drawn};
use crate::report::claims::{C1_AA_NOISE_LIMIT, C1_SPEED_BAND};
use crate::report::collect::Study;
use crate::report::format::{axis_number, count_short, thousands};
use crate::report::iterbench::{IterBench, SizeTiming, Timing};

pub struct IterVsLoop;

const ITER_COLOR: RGBColor = RGBColor(222, 95, 20);
const LOOP_COLOR: RGBColor = RGBColor(60, 60, 60);
/// The band the verdict applies: "the same speed".
const BAND_COLOR: RGBColor = RGBColor(200, 235, 200);

impl Chart for IterVsLoop {
    fn claims(&self) -> &'static [&'static str] {
        &["C1"]
    }

    fn file_name(&self) -> &'static str {
        "iter-vs-loop.png"
    }

    fn title(&self) -> &'static str {
        "Iterator chain against manual loop (C1)"
    }

    fn caption(&self) -> &'static str {
        "Top: criterion's median time per element for the article's iterator chain and its \
         loop. Bottom: iterator time over loop time (orange), whiskers the range both confidence \
         intervals allow; inside the green band (the one the verdict applies, 1/1.05–1.05×) they \
         run at the same speed. Grey whiskers: the A/A pair, two copies of the loop with the same \
         machine code, timed alike; where they leave the band, timing cannot judge the band and \
         the verdict says inconclusive at that size. The assembly verdicts below come from \
         comparing the compiled functions instruction by instruction."
    }

    fn draw(&self, study: &Study, path: &Path) -> Result<Drawn, ChartError> {
        let Some(bench) = &study.iterbench else {
            return Ok(Drawn::NoData("no iterbench.json".into()));
        };
        let notes = notes(bench);
        if bench.sizes.is_empty() {
            return Ok(Drawn::NoData(format!(
                "iterbench.json has no timings of sum_iter and sum_loop. {}",
                notes.join(" ")
            )));
        }
        let sizes = &bench.sizes;
        let x_lo = sizes[0].size as f64 / 2.0;
        let x_hi = sizes[sizes.len() - 1].size as f64 * 2.0;
        // Nanoseconds per element, in a Timing.
        let per_element = |t: &Timing, size: u64| {
            let n = size as f64;
            Timing {
                median_ns: t.median_ns / n,
                ci_low_ns: t.ci_low_ns.map(|v| v / n),
                ci_high_ns: t.ci_high_ns.map(|v| v / n),
            }
        };
        let time_values = sizes.iter().flat_map(|s| {
            let (a, b) = (per_element(&s.iter, s.size), per_element(&s.r#loop, s.size));
            [
                Some(a.median_ns),
                a.ci_low_ns,
                a.ci_high_ns,
                Some(b.median_ns),
                b.ci_low_ns,
                b.ci_high_ns,
            ]
            .into_iter()
            .flatten()
        });
        let Some((lo, hi)) = style::log_range(time_values) else {
            return Ok(Drawn::NoData("the timings are not positive".into()));
        };

        let labels: Vec<(f64, String)> = sizes
            .iter()
            .map(|s| {
                (
                    s.size as f64,
                    s.label
                        .clone()
                        .unwrap_or_else(|| count_short(s.size as f64)),
                )
            })
            .collect();
        let size_label = |x: &f64| {
            labels
                .iter()
                .find(|(size, _)| (size / x - 1.0).abs() < 1e-6)
                .map(|(_, label)| label.clone())
                .unwrap_or_else(|| count_short(*x))
        };
        let root = style::canvas(path)?;
        let default = bench.asm.iter().find(|v| v.is_default());
        let subtitle = match default {
            Some(v) => format!(
                "sum_iter vs sum_loop · assembly in the default release build: {}",
                v.detail
            ),
            None => "sum_iter vs sum_loop · no assembly comparison for the default build".into(),
        };
        let body = style::titled(&root, "Iterator chain against manual loop", &subtitle)?;
        // The legend stands beside both panels, so that it never covers a point and the
        // panels' x axes stay aligned.
        let plot = style::side_legend(
            &body,
            &[
                Entry::Item(
                    Icon::Line(ITER_COLOR.stroke_width(3)),
                    "iterator (sum_iter)".into(),
                ),
                Entry::Item(
                    Icon::Line(LOOP_COLOR.stroke_width(3)),
                    "loop (sum_loop)".into(),
                ),
            ],
        )?;
        let (top, bottom) = plot.split_vertically(plot.dim_in_pixel().1 as i32 * 55 / 100);
        let x_ticks: Vec<f64> = sizes.iter().map(|s| s.size as f64).collect();

        let mut upper = ChartBuilder::on(&top)
            .margin(20)
            .margin_right(40)
            .margin_bottom(5)
            .x_label_area_size(30)
            .y_label_area_size(95)
            .build_cartesian_2d(
                (x_lo..x_hi).log_scale().with_key_points(x_ticks.clone()),
                (lo..hi)
                    .log_scale()
                    .with_key_points(style::log_ticks(lo, hi)),
            )?;
        upper
            .configure_mesh()
            .x_label_formatter(&size_label)
            .y_label_formatter(&|y| axis_number(*y))
            .y_desc("ns per element (log scale)")
            .x_label_style(tick_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()?;
        for (color, pick) in [
            (
                ITER_COLOR,
                (|s: &SizeTiming| s.iter) as fn(&SizeTiming) -> Timing,
            ),
            (LOOP_COLOR, |s: &SizeTiming| s.r#loop),
        ] {
            let points: Vec<(f64, Timing)> = sizes
                .iter()
                .map(|s| (s.size as f64, per_element(&pick(s), s.size)))
                .collect();
            upper.draw_series(LineSeries::new(
                points.iter().map(|(x, t)| (*x, t.median_ns)),
                color.stroke_width(3),
            ))?;
            upper.draw_series(
                points
                    .iter()
                    .map(|(x, t)| Circle::new((*x, t.median_ns), 5, color.filled())),
            )?;
            upper.draw_series(points.iter().filter_map(|(x, t)| {
                Some(PathElement::new(
                    vec![(*x, t.ci_low_ns?), (*x, t.ci_high_ns?)],
                    color.stroke_width(2),
                ))
            }))?;
        }

        let ratios: Vec<(f64, f64)> = sizes.iter().map(|s| (s.size as f64, s.ratio())).collect();
        // The A/A pair (two copies of the loop, the same machine code): how far apart two
        // identical kernels time is the noise the C1 verdict allows for; a size whose A/A
        // range leaves the band is "inconclusive" there (docs/RULES.md).
        let aa: Vec<(f64, (f64, f64))> = sizes
            .iter()
            .filter_map(|s| Some((s.size as f64, s.aa_bounds?)))
            .collect();
        let controls: Vec<(f64, f64)> = aa
            .iter()
            .flat_map(|(x, (low, high))| [(*x, *low), (*x, *high)])
            .collect();
        let bounds = sizes.iter().flat_map(|s| {
            s.ratio_bounds
                .map(|(low, high)| [low, high])
                .unwrap_or([s.ratio(); 2])
        });
        let r_lo = ratios
            .iter()
            .chain(&controls)
            .map(|r| r.1)
            .chain(bounds.clone())
            .fold(0.85f64, f64::min)
            - 0.03;
        let r_hi = ratios
            .iter()
            .chain(&controls)
            .map(|r| r.1)
            .chain(bounds)
            .fold(1.15f64, f64::max)
            + 0.03;
        let mut lower = ChartBuilder::on(&bottom)
            .margin(20)
            .margin_right(40)
            .margin_top(5)
            .x_label_area_size(55)
            .y_label_area_size(95)
            .build_cartesian_2d(
                (x_lo..x_hi).log_scale().with_key_points(x_ticks),
                r_lo..r_hi,
            )?;
        lower
            .configure_mesh()
            .x_label_formatter(&size_label)
            .y_label_formatter(&|y| format!("{y:.2}"))
            .x_desc("input size, elements (log scale)")
            .y_desc("iterator / loop")
            .y_labels(6)
            .x_label_style(tick_font())
            .y_label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .draw()?;
        let (band_low, band_high) = (1.0 / C1_SPEED_BAND, C1_SPEED_BAND);
        lower.draw_series(std::iter::once(Rectangle::new(
            [(x_lo, band_low), (x_hi, band_high)],
            BAND_COLOR.filled(),
        )))?;
        lower.draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, 1.0), (x_hi, 1.0)],
            RGBColor(60, 140, 60).stroke_width(1),
        )))?;
        lower.draw_series(sizes.iter().filter_map(|s| {
            let (low, high) = s.ratio_bounds?;
            let x = s.size as f64;
            Some(PathElement::new(
                vec![(x, low), (x, high)],
                ITER_COLOR.stroke_width(2),
            ))
        }))?;
        if !aa.is_empty() {
            let grey = RGBColor(120, 120, 120);
            // Beside the iterator's whisker (a little to the right on the log axis).
            let beside = |x: f64| x * 1.35;
            for (x, (low, high)) in &aa {
                let x = beside(*x);
                lower.draw_series(std::iter::once(PathElement::new(
                    vec![(x, *low), (x, *high)],
                    grey.stroke_width(3),
                )))?;
                for y in [*low, *high] {
                    lower.draw_series(std::iter::once(PathElement::new(
                        vec![(x / 1.08, y), (x * 1.08, y)],
                        grey.stroke_width(2),
                    )))?;
                }
                let noise = (1.0 - low).max(high - 1.0);
                if noise > C1_AA_NOISE_LIMIT {
                    // At the foot of the panel, clear of the data and its labels.
                    let (px, py) = lower.backend_coord(&(x, r_lo));
                    for (line, text) in ["A/A beyond the band:", "inconclusive here"]
                        .iter()
                        .enumerate()
                    {
                        root.draw_text(
                            text,
                            &style::value_font().color(&grey).pos(
                                plotters::style::text_anchor::Pos::new(
                                    plotters::style::text_anchor::HPos::Center,
                                    plotters::style::text_anchor::VPos::Bottom,
                                ),
                            ),
                            (px, py - 26 + 20 * line as i32),
                        )?;
                    }
                }
            }
            // Its key sits beside the panel, where the legend column is, not over the data.
            let (px, py) = lower.backend_coord(&(x_hi, r_hi));
            root.draw(&PathElement::new(
                vec![(px + 50, py + 12), (px + 80, py + 12)],
                grey.stroke_width(3),
            ))?;
            for (line, text) in [
                "A/A: two copies of",
                "the loop, same machine",
                "code: the noise",
            ]
            .iter()
            .enumerate()
            {
                root.draw_text(
                    text,
                    &style::value_font().color(&grey),
                    (px + 88, py + 4 + 20 * line as i32),
                )?;
            }
        }
        lower.draw_series(LineSeries::new(ratios.clone(), ITER_COLOR.stroke_width(3)))?;
        lower.draw_series(
            ratios
                .iter()
                .map(|p| Circle::new(*p, 6, ITER_COLOR.filled())),
        )?;
        // The band's label sits between the first two sizes (halfway on the log axis), where
        // no whisker runs through it.
        let label_x = match sizes.as_slice() {
            [first, second, ..] => (first.size as f64 * second.size as f64).sqrt(),
            _ => (x_lo * x_hi).sqrt(),
        };
        let (band_x, band_y) = lower.backend_coord(&(label_x, band_high));
        root.draw_text(
            &format!("the band applied: {band_low:.3}–{band_high:.2}×"),
            &style::value_font().color(&RGBColor(40, 110, 40)).pos(
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Bottom,
                ),
            ),
            (band_x, band_y - 3),
        )?;
        for s in sizes {
            let (x, r) = (s.size as f64, s.ratio());
            let top = s.ratio_bounds.map_or(r, |(_, high)| high.max(r));
            let (px, py) = lower.backend_coord(&(x, top));
            root.draw_text(
                &format!("{r:.3}×"),
                &style::value_font().pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Bottom,
                )),
                (px, py - 9),
            )?;
        }
        root.present()?;
        Ok(Drawn::Chart { notes })
    }
}

/// The lines under the chart: every assembly verdict and instruction count.
fn notes(bench: &IterBench) -> Vec<String> {
    let mut notes: Vec<String> = bench
        .asm
        .iter()
        .map(|v| {
            format!(
                "Assembly of sum_iter vs sum_loop, {}: {}.",
                v.setting, v.detail
            )
        })
        .collect();
    for count in &bench.instructions {
        notes.push(format!(
            "Instructions executed{}: iterator {}, loop {}.",
            count
                .size
                .map(|s| format!(" at {} elements", thousands(s)))
                .unwrap_or_default(),
            thousands(count.iter),
            thousands(count.r#loop)
        ));
    }
    notes.extend(
        bench
            .other_verdicts
            .iter()
            .map(|v| format!("Also compared: {v}.")),
    );
    if let Some(environment) = &bench.environment {
        notes.push(format!("Measured with {environment}."));
    }
    if let Some(note) = &bench.note {
        notes.push(format!("Note recorded with the measurement: {note}."));
    }
    if !bench.missing.is_empty() {
        notes.push(format!("Not measured: {}.", bench.missing.join(", ")));
    }
    notes
}
