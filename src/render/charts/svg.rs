//! A [`Chart`] drawn as a self-contained, accessible SVG with plotters.

use plotters::backend::SVGBackend;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartFrame, active_title, cell};
use crate::render::colors::{self, BarPaint, Rgb};
use crate::stats::charts::UNRECORDED;
use crate::stats::{Chart, Tally};

/// System fonts that carry Japanese, in the order a reader's machine is likely to have them.
pub const FONT: &str = "Hiragino Sans, Hiragino Kaku Gothic ProN, Noto Sans CJK JP, Noto Sans JP, BIZ UDPGothic, Yu Gothic, Meiryo, sans-serif";

/// Approximate width in pixels of `text` at `px` (full-width characters 1 em, others 0.6 em).
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.6 } else { 1.0 }).sum::<f64>() * px
}

/// Break `text` into lines no wider than `width` pixels at `px`.
pub(super) fn wrap(text: &str, px: f64, width: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let line = lines.last_mut().expect("at least one line");
        if text_width(line, px) + text_width(&c.to_string(), px) > width && !line.is_empty() {
            lines.push(c.to_string());
        } else {
            line.push(c);
        }
    }
    lines
}

pub(super) fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

pub(super) fn text_style(font: FontDesc<'static>, color: Rgb, anchor: Pos) -> TextStyle<'static> {
    TextStyle {
        font,
        color: rgb(color).to_backend_color(),
        pos: anchor,
    }
}

pub(super) fn style(px: f64, color: Rgb, anchor: Pos) -> TextStyle<'static> {
    // plotters writes font-size as size / 1.24.
    text_style((FONT, px * 1.24).into_font(), color, anchor)
}

pub(super) fn bold(px: f64, color: Rgb, anchor: Pos) -> TextStyle<'static> {
    text_style((FONT, px * 1.24).into_font().style(FontStyle::Bold), color, anchor)
}

const LEFT: Pos = Pos {
    h_pos: HPos::Left,
    v_pos: VPos::Top,
};

/// A drawn chart and its size in pixels.
pub struct DrawnChart {
    pub svg: String,
    pub width: u32,
    pub height: u32,
}

/// The chart as a standalone SVG document.
pub fn svg(chart: &Chart, frame: &ChartFrame) -> DrawnChart {
    let title = active_title(chart, frame.scope);
    let unit_note = if chart.unit.is_empty() {
        String::new()
    } else {
        format!("・単位：{}", chart.unit)
    };
    let subtitle = format!("{}{unit_note}", frame.context);
    let label_w = chart
        .categories
        .iter()
        .map(|c| text_width(c, 13.0))
        .fold(0.0, f64::max)
        .min(360.0)
        + 16.0;
    let value_w = chart
        .series
        .iter()
        .map(|s| {
            text_width(
                &format!("{} {}", s.name, cell(Tally::Count(chart.max()), chart.unit)),
                13.0,
            )
        })
        .fold(0.0, f64::max)
        + 12.0;
    let bar_w = 320.0;
    let width = (16.0 + label_w + bar_w + value_w + 16.0).max(640.0).ceil();
    let title_lines = wrap(&title, 18.0, width - 32.0);
    let mut source_lines = wrap(frame.source, 11.0, width - 32.0);
    source_lines.extend(wrap(frame.license, 11.0, width - 32.0));
    // A note (e.g. that applicants are not recorded) is printed under the bars.
    let note_lines = match (&chart.suppressed, &chart.note) {
        (None, Some(n)) => wrap(n, 12.0, width - 32.0),
        _ => Vec::new(),
    };
    let n_series = chart.series.len() as f64;
    let block = if chart.series.len() > 1 {
        n_series * 20.0 + 12.0
    } else {
        28.0
    };
    let body_h = if chart.suppressed.is_some() {
        48.0
    } else {
        block * chart.categories.len() as f64
    };
    let top = 16.0 + 26.0 * title_lines.len() as f64 + 22.0 + 12.0;
    let note_h = 18.0 * note_lines.len() as f64;
    let height = (top + body_h + 16.0 + note_h + 16.0 * source_lines.len() as f64 + 12.0).ceil();

    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width as u32, height as u32)).into_drawing_area();
        // Drawing into a string cannot fail; a failed element would only be missing.
        let _ = root.fill(&rgb(colors::BACKGROUND));
        for (i, line) in title_lines.iter().enumerate() {
            let _ = root.draw(&Text::new(
                line.clone(),
                (16, 16 + 26 * i as i32),
                bold(18.0, colors::TEXT, LEFT),
            ));
        }
        let sub_y = 16.0 + 26.0 * title_lines.len() as f64;
        let _ = root.draw(&Text::new(
            subtitle,
            (16, sub_y as i32),
            style(13.0, colors::TEXT_SUB, LEFT),
        ));
        if let Some(reason) = &chart.suppressed {
            let _ = root.draw(&Text::new(
                reason.clone(),
                (16, top as i32 + 12),
                style(14.0, colors::TEXT, LEFT),
            ));
        } else {
            draw_bars(&root, chart, top, block, label_w, bar_w);
        }
        for (i, line) in note_lines.iter().enumerate() {
            let pos = (16, (top + body_h + 12.0 + 18.0 * i as f64) as i32);
            let _ = root.draw(&Text::new(line.clone(), pos, style(12.0, colors::TEXT, LEFT)));
        }
        let foot = top + body_h + 16.0 + note_h;
        for (i, line) in source_lines.iter().enumerate() {
            let pos = (16, (foot + 16.0 * i as f64) as i32);
            let _ = root.draw(&Text::new(line.clone(), pos, style(11.0, colors::TEXT_SUB, LEFT)));
        }
        let _ = root.present();
    }
    DrawnChart {
        svg: accessible(out, &title, &describe(chart, frame)),
        width: width as u32,
        height: height as u32,
    }
}

pub(super) fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Chart,
    top: f64,
    block: f64,
    label_w: f64,
    bar_w: f64,
) {
    let max = f64::from(chart.max().max(1));
    let x0 = 16.0 + label_w;
    let right = Pos {
        h_pos: HPos::Right,
        v_pos: VPos::Center,
    };
    let left_mid = Pos {
        h_pos: HPos::Left,
        v_pos: VPos::Center,
    };
    let multi = chart.series.len() > 1;
    for (ci, category) in chart.categories.iter().enumerate() {
        let y = top + block * ci as f64;
        let label_y = y + block / 2.0 - if multi { 2.0 } else { 0.0 };
        root.draw(&Text::new(
            category.clone(),
            ((x0 - 8.0) as i32, label_y as i32),
            style(13.0, colors::TEXT, right),
        ))
        .ok();
        for (si, series) in chart.series.iter().enumerate() {
            let (bar_top, bar_h) = if multi {
                (y + 4.0 + 20.0 * si as f64, 16.0)
            } else {
                (y + 5.0, 18.0)
            };
            let paint = if category == UNRECORDED {
                colors::UNRECORDED
            } else {
                colors::SERIES[si % colors::SERIES.len()]
            };
            let value = series.values[ci];
            let n = value.count().unwrap_or(0);
            let len = (f64::from(n) / max * bar_w).round();
            if n > 0 {
                bar(root, paint, (x0, bar_top), (x0 + len.max(2.0), bar_top + bar_h));
            }
            let label = if multi {
                format!("{} {}", series.name, cell(value, chart.unit))
            } else {
                cell(value, chart.unit)
            };
            let lx = x0 + len.max(0.0) + 6.0;
            root.draw(&Text::new(
                label,
                (lx as i32, (bar_top + bar_h / 2.0) as i32),
                style(13.0, colors::TEXT, left_mid),
            ))
            .ok();
        }
    }
    // The axis the bars grow from.
    let bottom = top + block * chart.categories.len() as f64;
    root.draw(&PathElement::new(
        vec![(x0 as i32, top as i32), (x0 as i32, bottom as i32)],
        ShapeStyle::from(&rgb(colors::TEXT_SUB)).stroke_width(1),
    ))
    .ok();
}

pub(super) fn bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    paint: BarPaint,
    (x0, y0): (f64, f64),
    (x1, y1): (f64, f64),
) {
    let corners = [(x0 as i32, y0 as i32), (x1 as i32, y1 as i32)];
    root.draw(&Rectangle::new(corners, ShapeStyle::from(&rgb(paint.fill)).filled()))
        .ok();
    if let Some(outline) = paint.outline {
        root.draw(&Rectangle::new(
            corners,
            ShapeStyle::from(&rgb(outline)).stroke_width(1),
        ))
        .ok();
    }
}

/// Every number of the chart in words, for `<desc>`.
pub(super) fn describe(chart: &Chart, frame: &ChartFrame) -> String {
    let mut parts = vec![frame.context.to_string()];
    match &chart.suppressed {
        Some(reason) => parts.push(reason.clone()),
        None => {
            for s in &chart.series {
                let values: Vec<String> = chart
                    .categories
                    .iter()
                    .zip(&s.values)
                    .map(|(c, v)| format!("{c} {}", cell(*v, chart.unit)))
                    .collect();
                let prefix = if chart.series.len() > 1 {
                    format!("{}：", s.name)
                } else {
                    String::new()
                };
                parts.push(format!("{prefix}{}", values.join("、")));
            }
        }
    }
    if let Some(note) = &chart.note {
        parts.push(note.clone());
    }
    parts.push(frame.source.to_string());
    // Each part is a sentence; some already end in 「。」.
    parts
        .iter()
        .map(|p| format!("{}。", p.trim_end_matches('。')))
        .collect::<String>()
        .trim_end_matches('。')
        .to_string()
}

/// Tidy plotters' text elements: no line breaks inside `<text>`, font sizes without float noise
/// (`13.000000000000002` → `13`).
pub(super) fn tidy(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find("font-size=\"") {
        let (head, tail) = rest.split_at(i + "font-size=\"".len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(0);
        match tail[..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{}", (v * 10.0).round() / 10.0)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out.replace(">\n</text>", "></text>")
        .replace("\n</text>", "</text>")
        .replace("\">\n", "\">")
        .replace(&format!(" font-family=\"{FONT}\""), "")
}

/// Give plotters' SVG a role, a title and a description, and the Japanese language.
pub(super) fn accessible(svg: String, title: &str, desc: &str) -> String {
    let esc = crate::render::xml::escape;
    let svg = tidy(&svg);
    let Some(open_end) = svg.find('>') else { return svg };
    format!(
        "{} role=\"img\" aria-labelledby=\"chart-title chart-desc\" xml:lang=\"ja\" lang=\"ja\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc><style>text{{font-family:{FONT}}}</style>{}",
        &svg[..open_end],
        esc(title),
        esc(desc),
        &svg[open_end + 1..]
    )
}
