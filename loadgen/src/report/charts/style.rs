//! The charts' shared look: size, colours per server, fonts, log-scale ticks, and the hatched
//! bars that mark the article's figures (so they are never mistaken for measured ones).

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::charts::ChartError;
use crate::report::collect::Server;
use crate::report::font::FAMILY;

/// Every chart's size in pixels: wide enough for a laptop screen at 100 %.
pub const SIZE: (u32, u32) = (1200, 700);

pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// A linear axis whose ticks are exactly the given values (for bar groups), labelled by a
/// formatter. (plotters' own `with_key_points` loses the formatter on linear f64 axes.)
pub struct Ticked {
    pub range: Range<f64>,
    pub ticks: Vec<f64>,
}

impl plotters::coord::ranged1d::Ranged for Ticked {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (start, end): (i32, i32)) -> i32 {
        let fraction = (value - self.range.start) / (self.range.end - self.range.start);
        start + ((end - start) as f64 * fraction).round() as i32
    }

    fn key_points<H: plotters::coord::ranged1d::KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// Creates a white canvas writing to `path`.
pub fn canvas(path: &Path) -> Result<Area<'_>, ChartError> {
    let area = BitMapBackend::new(path, SIZE).into_drawing_area();
    area.fill(&WHITE)?;
    Ok(area)
}

/// Go's blue (darkened from its brand cyan for contrast) and Rust's orange-red: a pair that
/// stays apart for the common forms of colour blindness.
pub const GO: RGBColor = RGBColor(0, 110, 150);
pub const RUST: RGBColor = RGBColor(222, 95, 20);
pub const NGINX: RGBColor = RGBColor(0, 140, 60);
/// Pingora: apart from Rust's orange (both are Rust) and nginx's green.
pub const PINGORA: RGBColor = RGBColor(170, 40, 110);
pub const OTHER: [RGBColor; 3] = [
    RGBColor(120, 60, 160),
    RGBColor(150, 120, 0),
    RGBColor(90, 90, 90),
];
/// The article's figures: grey, hatched.
pub const ARTICLE: RGBColor = RGBColor(150, 150, 150);
pub const ARTICLE_FILL: RGBColor = RGBColor(228, 228, 228);
pub const WARNING: RGBColor = RGBColor(200, 0, 0);
pub const TEXT: RGBColor = RGBColor(30, 30, 30);
pub const SUBTLE: RGBColor = RGBColor(90, 90, 90);

pub fn server_color(server: &Server) -> RGBColor {
    match server {
        Server::Go => GO,
        Server::Rust => RUST,
        Server::Nginx => NGINX,
        Server::Pingora => PINGORA,
        Server::Other(label) => OTHER[label.bytes().map(usize::from).sum::<usize>() % OTHER.len()],
    }
}

pub fn title_font() -> TextStyle<'static> {
    (FAMILY, 28).into_font().style(FontStyle::Bold).color(&TEXT)
}

pub fn subtitle_font() -> TextStyle<'static> {
    (FAMILY, 19).into_font().color(&SUBTLE)
}

pub fn axis_font() -> TextStyle<'static> {
    (FAMILY, 21).into_font().color(&TEXT)
}

pub fn tick_font() -> TextStyle<'static> {
    (FAMILY, 18).into_font().color(&TEXT)
}

pub fn legend_font() -> TextStyle<'static> {
    (FAMILY, 18).into_font().color(&TEXT)
}

pub fn value_font() -> TextStyle<'static> {
    (FAMILY, 16).into_font().color(&TEXT)
}

/// Draws the title and a subtitle (the conditions) and returns the area below them. A
/// subtitle wider than the chart wraps at its " · " separators onto more lines.
pub fn titled<'a>(area: &Area<'a>, title: &str, subtitle: &str) -> Result<Area<'a>, ChartError> {
    area.draw_text(title, &title_font(), (20, 14))?;
    let width = area.dim_in_pixel().0.saturating_sub(40);
    let mut lines: Vec<String> = Vec::new();
    for part in subtitle.split(" · ") {
        let joined = match lines.last() {
            Some(line) => format!("{line} · {part}"),
            None => part.to_string(),
        };
        let fits = area.estimate_text_size(&joined, &subtitle_font())?.0 <= width;
        match lines.last_mut() {
            Some(line) if fits => *line = joined,
            None => lines.push(joined),
            Some(line) => {
                line.push_str(" ·");
                lines.push(part.to_string());
            }
        }
    }
    const LINE_HEIGHT: i32 = 24;
    for (i, line) in lines.iter().enumerate() {
        area.draw_text(line, &subtitle_font(), (20, 52 + LINE_HEIGHT * i as i32))?;
    }
    let extra = LINE_HEIGHT * (lines.len().max(1) as i32 - 1);
    Ok(area.split_vertically(82 + extra).1)
}

/// Writes a centred message into an area (e.g. "no GC data").
pub fn centred_note(area: &Area<'_>, text: &str) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let style = axis_font()
        .color(&SUBTLE)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(text, &style, (w as i32 / 2, h as i32 / 2))?;
    Ok(())
}

/// A log-scale range covering `values` with some headroom, snapped outward to 1-2-5 steps.
pub fn log_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in values.into_iter().filter(|v| v.is_finite() && *v > 0.0) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return None;
    }
    let down = |v: f64| {
        let decade = 10f64.powf(v.log10().floor());
        let m = v / decade;
        decade
            * if m >= 5.0 {
                5.0
            } else if m >= 2.0 {
                2.0
            } else {
                1.0
            }
    };
    let up = |v: f64| {
        let decade = 10f64.powf(v.log10().floor());
        let m = v / decade;
        decade
            * if m <= 1.0 {
                1.0
            } else if m <= 2.0 {
                2.0
            } else if m <= 5.0 {
                5.0
            } else {
                10.0
            }
    };
    let (lo, hi) = (down(lo / 1.3), up(hi * 1.6));
    Some(if hi / lo < 10.0 {
        (lo, lo * 10.0)
    } else {
        (lo, hi)
    })
}

/// Tick values on a log axis: 1-2-5 in each decade for short ranges, 1-3 or decades only
/// for longer ones, so that labels never crowd.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let decades = (hi / lo).log10();
    let steps: &[f64] = if decades <= 2.5 {
        &[1.0, 2.0, 5.0]
    } else if decades <= 4.5 {
        &[1.0, 3.0]
    } else {
        &[1.0]
    };
    let mut ticks = Vec::new();
    let mut decade = 10f64.powf(lo.log10().floor());
    while decade <= hi * 1.0001 {
        for step in steps {
            let v = decade * step;
            if v >= lo * 0.9999 && v <= hi * 1.0001 {
                ticks.push(v);
            }
        }
        decade *= 10.0;
    }
    ticks
}

/// Diagonal hatching inside a pixel rectangle (corners in backend coordinates).
pub fn hatch(
    root: &Area<'_>,
    corner_a: (i32, i32),
    corner_b: (i32, i32),
    color: RGBColor,
) -> Result<(), ChartError> {
    let (x0, x1) = (corner_a.0.min(corner_b.0), corner_a.0.max(corner_b.0));
    let (y0, y1) = (corner_a.1.min(corner_b.1), corner_a.1.max(corner_b.1));
    let style = ShapeStyle::from(&color).stroke_width(2);
    // Lines x - y = c, for c every 9 px, clipped to the rectangle.
    let mut c = x0 - y1;
    while c <= x1 - y0 {
        let start = if c + y0 >= x0 {
            (c + y0, y0)
        } else {
            (x0, x0 - c)
        };
        let end = if c + y1 <= x1 {
            (c + y1, y1)
        } else {
            (x1, x1 - c)
        };
        if start.0 <= end.0 {
            root.draw(&PathElement::new(vec![start, end], style))?;
        }
        c += 9;
    }
    Ok(())
}

/// A hatched bar from `bottom` to `top` in chart coordinates: the article's figure.
pub fn article_bar<X, Y>(
    root: &Area<'_>,
    chart: &ChartContext<'_, BitMapBackend<'_>, Cartesian2d<X, Y>>,
    (left, right): (X::ValueType, X::ValueType),
    (bottom, top): (Y::ValueType, Y::ValueType),
    edge: RGBColor,
) -> Result<(), ChartError>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    X::ValueType: Clone,
    Y::ValueType: Clone,
{
    let a = chart.backend_coord(&(left.clone(), top.clone()));
    let b = chart.backend_coord(&(right.clone(), bottom.clone()));
    root.draw(&Rectangle::new([a, b], ARTICLE_FILL.filled()))?;
    hatch(root, a, b, ARTICLE)?;
    root.draw(&Rectangle::new([a, b], edge.stroke_width(2)))?;
    Ok(())
}

/// A legend icon, drawn in pixels at the legend entry's position. (A type of its own
/// because plotters' legend closures cannot return boxed elements.)
#[derive(Debug, Clone, Copy)]
pub enum Icon {
    /// A measured bar: a filled box.
    Bar(RGBColor),
    /// An article bar: a hatched grey box with the server's edge colour.
    Article(RGBColor),
    /// A line of the given style.
    Line(ShapeStyle),
    /// A dashed line of the given style.
    Dashed(ShapeStyle),
    /// An article point: a grey disc with the server's edge colour.
    Point(RGBColor),
    /// A cross (runs behind schedule).
    Cross(RGBColor),
    /// A vertical line (a maximum).
    Vertical(ShapeStyle),
    /// A line with a marker on it; dashed if the flag is set.
    LineMarker(ShapeStyle, bool, Marker),
    /// A marker alone (points that no line joins).
    Marker(Marker),
}

/// A point marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
}

/// A point marker: where lines alone cannot tell series apart (points no line joins), the
/// shape says which series a point belongs to and the fill whether a line joins it.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    pub shape: Shape,
    /// Radius in pixels.
    pub size: i32,
    pub color: RGBColor,
    /// Hollow markers are rings (or outlined triangles) with a clear centre.
    pub filled: bool,
}

impl Marker {
    /// The marker placed at a point of a chart, for `draw_series`.
    pub fn at<C>(self, at: C) -> Placed<C> {
        Placed { at, marker: self }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        backend: &mut DB,
        (x, y): (i32, i32),
    ) -> Result<(), plotters_backend::DrawingErrorKind<DB::ErrorType>> {
        let stroke = self.color.stroke_width(2);
        match (self.shape, self.filled) {
            (Shape::Circle, true) => backend.draw_circle((x, y), self.size as u32, &stroke, true),
            (Shape::Circle, false) => {
                backend.draw_circle((x, y), self.size as u32, &stroke, false)?;
                backend.draw_circle((x, y), self.size as u32 - 1, &stroke, false)
            }
            (Shape::Square, filled) => {
                // A square of the same area as the circle of this radius looks the same size.
                let half = (f64::from(self.size) * 0.89).round() as i32;
                let (a, b) = ((x - half, y - half), (x + half, y + half));
                if filled {
                    backend.draw_rect(a, b, &stroke, true)
                } else {
                    backend.draw_rect(a, b, &stroke, false)?;
                    backend.draw_rect((a.0 + 1, a.1 + 1), (b.0 - 1, b.1 - 1), &stroke, false)
                }
            }
            (Shape::Triangle, filled) => {
                let r = f64::from(self.size);
                let corners: Vec<(i32, i32)> = [-90.0f64, 30.0, 150.0]
                    .iter()
                    .map(|deg| deg.to_radians())
                    .map(|rad| {
                        (
                            x + (rad.cos() * r).round() as i32,
                            y + (rad.sin() * r).round() as i32,
                        )
                    })
                    .collect();
                if filled {
                    backend.fill_polygon(corners, &stroke)
                } else {
                    let mut closed = corners.clone();
                    closed.push(corners[0]);
                    backend.draw_path(closed, &stroke)
                }
            }
        }
    }
}

/// A [`Marker`] at a chart coordinate.
pub struct Placed<C> {
    at: C,
    marker: Marker,
}

impl<'a, C: 'a> plotters::element::PointCollection<'a, C> for &'a Placed<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> plotters::element::Drawable<DB> for Placed<C> {
    fn draw<I: Iterator<Item = (i32, i32)>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), plotters_backend::DrawingErrorKind<DB::ErrorType>> {
        match points.next() {
            Some(point) => self.marker.draw(backend, point),
            None => Ok(()),
        }
    }
}

/// An [`Icon`] placed at a legend entry.
pub struct LegendIcon {
    at: (i32, i32),
    icon: Icon,
}

impl Icon {
    /// The closure for `SeriesAnno::legend`.
    pub fn at(self) -> impl Fn((i32, i32)) -> LegendIcon {
        move |at| LegendIcon { at, icon: self }
    }
}

/// An entry of a legend drawn beside a chart (see [`side_legend`]).
pub enum Entry {
    /// A server's name, in its colour, above its items.
    Heading(String, RGBColor),
    Item(Icon, String),
}

/// Width of the panel [`side_legend`] draws into.
pub const SIDE_LEGEND_WIDTH: i32 = 290;

/// Splits `area` into the plot (left) and a legend panel (right) and draws the entries into
/// the panel: a legend beside the plot never hides data, however the lines run.
pub fn side_legend<'a>(area: &Area<'a>, entries: &[Entry]) -> Result<Area<'a>, ChartError> {
    let width = area.dim_in_pixel().0 as i32;
    let (plot, panel) = area.split_horizontally(width - SIDE_LEGEND_WIDTH);
    let mut y = 36;
    for entry in entries {
        match entry {
            Entry::Heading(text, color) => {
                y += 8;
                panel.draw_text(
                    text,
                    &(FAMILY, 19)
                        .into_font()
                        .style(FontStyle::Bold)
                        .color(color)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                    (6, y),
                )?;
            }
            Entry::Item(icon, text) => {
                panel.draw(&LegendIcon {
                    at: (10, y),
                    icon: *icon,
                })?;
                panel.draw_text(
                    text,
                    &legend_font().pos(Pos::new(HPos::Left, VPos::Center)),
                    (42, y),
                )?;
            }
        }
        y += 28;
    }
    Ok(plot)
}

impl<'a> plotters::element::PointCollection<'a, (i32, i32)> for &'a LegendIcon {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Once<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend> plotters::element::Drawable<DB> for LegendIcon {
    fn draw<I: Iterator<Item = (i32, i32)>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), plotters_backend::DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = points.next() else {
            return Ok(());
        };
        match self.icon {
            Icon::Bar(color) => backend.draw_rect((x, y - 8), (x + 18, y + 8), &color, true),
            Icon::Article(edge) => {
                backend.draw_rect((x, y - 8), (x + 18, y + 8), &ARTICLE_FILL, true)?;
                let hatch = ARTICLE.stroke_width(2);
                backend.draw_line((x, y + 4), (x + 12, y - 8), &hatch)?;
                backend.draw_line((x + 6, y + 8), (x + 18, y - 4), &hatch)?;
                backend.draw_rect((x, y - 8), (x + 18, y + 8), &edge.stroke_width(2), false)
            }
            Icon::Line(style) => backend.draw_line((x, y), (x + 22, y), &style),
            Icon::Dashed(style) => {
                backend.draw_line((x, y), (x + 8, y), &style)?;
                backend.draw_line((x + 13, y), (x + 22, y), &style)
            }
            Icon::Point(edge) => {
                backend.draw_circle((x + 9, y), 7, &ARTICLE_FILL, true)?;
                backend.draw_circle((x + 9, y), 7, &edge.stroke_width(3), false)
            }
            Icon::Cross(color) => {
                let style = color.stroke_width(3);
                backend.draw_line((x + 3, y - 7), (x + 17, y + 7), &style)?;
                backend.draw_line((x + 3, y + 7), (x + 17, y - 7), &style)
            }
            Icon::Vertical(style) => backend.draw_line((x + 10, y - 9), (x + 10, y + 9), &style),
            Icon::LineMarker(style, dashed, marker) => {
                if dashed {
                    backend.draw_line((x - 2, y), (x + 6, y), &style)?;
                    backend.draw_line((x + 16, y), (x + 24, y), &style)?;
                } else {
                    backend.draw_line((x - 2, y), (x + 24, y), &style)?;
                }
                marker.draw(backend, (x + 11, y))
            }
            Icon::Marker(marker) => marker.draw(backend, (x + 11, y)),
        }
    }
}

/// The legend box: white, framed, in the given corner.
pub fn legend<'a, 'b, X, Y>(
    chart: &mut ChartContext<'a, BitMapBackend<'b>, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
) -> Result<(), ChartError>
where
    'b: 'a,
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.92))
        .border_style(SUBTLE)
        .label_font(legend_font())
        .margin(12)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ranges_snap_outward_and_span_a_decade() {
        let (lo, hi) = log_range([1.0, 200.0]).unwrap();
        assert!(lo <= 1.0 / 1.3 && hi >= 200.0 * 1.6, "{lo} {hi}");
        let (lo, hi) = log_range([3.0, 3.5]).unwrap();
        assert!(hi / lo >= 10.0 - 1e-9);
        assert!(log_range([0.0, f64::NAN]).is_none());
    }

    #[test]
    fn ticks_thin_out_over_many_decades() {
        assert_eq!(
            log_ticks(1.0, 100.0),
            vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        );
        assert_eq!(log_ticks(0.1, 1000.0).len(), 9);
        assert_eq!(log_ticks(1.0, 1e6).len(), 7);
    }
}
