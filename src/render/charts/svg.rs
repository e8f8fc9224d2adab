//! A [`Chart`] drawn as a self-contained, accessible SVG with plotters.

use plotters::backend::SVGBackend;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartFrame, active_title};
use crate::render::colors::{self, BarPaint, Rgb};
use crate::stats::Chart;
use crate::stats::charts::UNRECORDED;

/// System fonts that carry Japanese, in the order a reader's machine is likely to have them.
pub const FONT: &str = "Hiragino Sans, Hiragino Kaku Gothic ProN, Noto Sans CJK JP, Noto Sans JP, BIZ UDPGothic, Yu Gothic, Meiryo, sans-serif";

/// Width in pixels of `text` at `px`, estimated on the wide side so that what is laid out by it
/// fits: full-width characters 1 em, Latin capitals 0.7 em (M and W 0.95, m and w 0.85), other
/// ASCII 0.6 em. Drawn in a proportional Japanese font, digits take about 0.55 em.
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    let em = |c: char| match c {
        'M' | 'W' => 0.95,
        'm' | 'w' => 0.85,
        'A'..='Z' => 0.7,
        c if c.is_ascii() => 0.6,
        _ => 1.0,
    };
    text.chars().map(em).sum::<f64>() * px
}

/// Break `text` into lines no wider than `width` pixels at `px`, never inside a number
/// (`1万人`, `14.3%`) nor before a closing mark or after an opening one (禁則), and after the
/// end of a phrase where one is near.
pub(super) fn wrap(text: &str, px: f64, width: f64) -> Vec<String> {
    // What ends a phrase: a line may well end after one of these.
    const PHRASE_END: &str = "：、。・）」』のがはをにでともや";
    const NO_START: &str = "、。，．・：；）」』】〕％%ー～？！";
    const NO_END: &str = "（「『【〔";
    let breakable = |before: Option<char>, prev: char, next: char| {
        let in_number = (prev.is_ascii_digit() && (next.is_ascii_alphanumeric() || "万千億.,%".contains(next)))
            || (".,".contains(prev) && next.is_ascii_digit())
            || ("万千億".contains(prev) && before.is_some_and(|b| b.is_ascii_digit()) && next == '人')
            // Nor inside a Latin word or abbreviation (NEDO, JICA).
            || (prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric());
        !NO_START.contains(next) && !NO_END.contains(prev) && !in_number
    };
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    for c in text.chars() {
        let line = lines.last_mut().expect("at least one line");
        let w: String = line.iter().collect();
        if line.is_empty() || text_width(&w, px) + text_width(&c.to_string(), px) <= width {
            line.push(c);
            continue;
        }
        // Break after a phrase (「…自治体数：」「九州・沖縄が」) when one ends near the end of the
        // line, rather than inside a word (「九／州」「国土交通／省」); else carry the shortest
        // unbreakable tail over to the next line; with no break allowed anywhere, break here.
        let len = line.len();
        let allowed = |cut: usize| {
            let next = if cut == len { c } else { line[cut] };
            let before = cut.checked_sub(2).map(|i| line[i]);
            breakable(before, line[cut - 1], next)
        };
        let near = len.saturating_sub((len / 2).min(8)).max(1);
        let cut = (near..=len)
            .rev()
            .find(|&cut| PHRASE_END.contains(line[cut - 1]) && allowed(cut))
            .or_else(|| (1..=len).rev().find(|&cut| allowed(cut)))
            .unwrap_or(len);
        let mut next: Vec<char> = line.split_off(cut);
        next.push(c);
        lines.push(next);
    }
    lines.into_iter().map(|l| l.into_iter().collect()).collect()
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

/// Where a chart's parts go: the wide layout puts labels left of the bars; the narrow one, for
/// phones, puts each label above its bar so the text keeps its size on a 340 px screen.
#[derive(Clone, Copy)]
struct Layout {
    width: f64,
    /// Left edge of the bars; labels sit left of it (wide) or above the bars (narrow).
    x0: f64,
    bar_w: f64,
    /// Values go on a line of their own under their bars (the narrow layout, where a value
    /// beside its longest bar would leave too short a scale).
    value_below: bool,
    /// Height of a label line above the bars (0 in the wide layout).
    label_h: f64,
    title_px: f64,
    small_px: f64,
}

/// Width of the narrow layout: a 375 px phone's column, so text is drawn at the size it is read.
const NARROW_WIDTH: f64 = 340.0;

const TEXT_PX: f64 = 13.0;

/// Space between a bar's end and its value.
const VALUE_GAP: f64 = 6.0;

/// The shortest scale (the longest bar) the narrow layout draws with values beside the bars.
const MIN_BAR: f64 = 120.0;

/// Height of a value's line under its bar.
const VALUE_LINE: f64 = 18.0;

/// Height of the bars of one category, with their values where these are under the bars.
fn bars_height(chart: &Chart, layout: Layout, values: &[Vec<String>]) -> f64 {
    let below: f64 = values.iter().map(|v| VALUE_LINE * v.len() as f64).sum();
    let bars = if chart.series.len() > 1 {
        chart.series.len() as f64 * 20.0 + 12.0
    } else {
        28.0
    };
    bars + if layout.value_below { below } else { 0.0 }
}

impl Layout {
    fn value_w(chart: &Chart) -> f64 {
        (0..chart.series.len())
            .flat_map(|si| (0..chart.categories.len()).map(move |ci| (si, ci)))
            .map(|(si, ci)| text_width(&value_label(chart, si, ci), TEXT_PX))
            .fold(0.0, f64::max)
            + 12.0
    }

    fn wide(chart: &Chart) -> Layout {
        let label_w = chart
            .categories
            .iter()
            .map(|c| text_width(c, TEXT_PX))
            .fold(0.0, f64::max)
            .min(360.0)
            + 16.0;
        let bar_w = 320.0;
        Layout {
            width: (16.0 + label_w + bar_w + Self::value_w(chart) + 16.0).max(640.0).ceil(),
            x0: 16.0 + label_w,
            bar_w,
            value_below: false,
            label_h: 0.0,
            title_px: 18.0,
            small_px: 11.0,
        }
    }

    /// The narrow layout's scale: the longest that leaves every value beside its bar inside
    /// the drawing (a long bar with a short value may reach further than a short bar with a
    /// long one); with less than [`MIN_BAR`] left so, the values go under their bars instead.
    fn narrow(chart: &Chart) -> Layout {
        let room = NARROW_WIDTH - 32.0;
        let max = f64::from(chart.max().max(1));
        let fit = (0..chart.series.len())
            .flat_map(|si| (0..chart.categories.len()).map(move |ci| (si, ci)))
            .map(|(si, ci)| {
                let share = f64::from(chart.series[si].values[ci].count().unwrap_or(0)) / max;
                let free = room - VALUE_GAP - text_width(&value_label(chart, si, ci), TEXT_PX);
                if share > 0.0 {
                    free / share
                } else if free >= 0.0 {
                    room
                } else {
                    0.0
                }
            })
            .fold(room, f64::min)
            .floor();
        let value_below = fit < MIN_BAR;
        Layout {
            width: NARROW_WIDTH,
            x0: 16.0,
            bar_w: if value_below { room } else { fit },
            value_below,
            label_h: 18.0,
            title_px: 16.0,
            small_px: 12.0,
        }
    }
}

/// The text beside a bar: `40名（14.3%）`, with the series' name where there are several.
fn value_label(chart: &Chart, si: usize, ci: usize) -> String {
    let value = super::value_text(chart, si, ci);
    if chart.series.len() > 1 {
        format!("{} {value}", chart.series[si].name)
    } else {
        value
    }
}

/// The chart as a standalone SVG document, labels left of the bars.
pub fn svg(chart: &Chart, frame: &ChartFrame) -> DrawnChart {
    draw(chart, frame, Layout::wide(chart))
}

/// The chart drawn for a phone's width: each label above its bar, text at 12 px or more.
pub fn svg_narrow(chart: &Chart, frame: &ChartFrame) -> DrawnChart {
    draw(chart, frame, Layout::narrow(chart))
}

fn draw(chart: &Chart, frame: &ChartFrame, layout: Layout) -> DrawnChart {
    let title = active_title(chart, frame.scope);
    let mut subtitle = frame.context.to_string();
    if chart.unit != crate::stats::Unit::Mixed {
        subtitle.push_str(&format!("・単位：{}", chart.unit.symbol()));
    }
    let n = super::n_text(chart);
    if !n.is_empty() {
        subtitle.push_str(&format!("・{n}"));
    }
    let width = layout.width;
    let text_w = width - 32.0;
    let small = layout.small_px;
    let title_lines = wrap(&title, layout.title_px, text_w);
    let sub_px = if layout.label_h > 0.0 { 12.0 } else { TEXT_PX };
    let sub_lines = wrap(&subtitle, sub_px, text_w);
    let mut source_lines = wrap(frame.source, small, text_w);
    source_lines.extend(wrap(frame.license, small, text_w));
    // A note (e.g. that applicants are not recorded) is printed under the bars.
    let note_lines = match (&chart.suppressed, &chart.note) {
        (None, Some(n)) => wrap(n, 12.0, text_w),
        _ => Vec::new(),
    };
    let body_h = if chart.suppressed.is_some() {
        48.0
    } else {
        rows(chart, layout, text_w)
            .iter()
            .map(|r| r.height(chart, layout))
            .sum()
    };
    let title_step = (layout.title_px * 1.45).round();
    let sub_step = (sub_px * 1.5).round();
    let top = 16.0 + title_step * title_lines.len() as f64 + sub_step * sub_lines.len() as f64 + 12.0;
    let note_h = 18.0 * note_lines.len() as f64;
    let line_h = (small * 1.45).round();
    let height = (top + body_h + 16.0 + note_h + line_h * source_lines.len() as f64 + 12.0).ceil();

    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width as u32, height as u32)).into_drawing_area();
        // Drawing into a string cannot fail; a failed element would only be missing.
        let _ = root.fill(&rgb(colors::BACKGROUND));
        for (i, line) in title_lines.iter().enumerate() {
            let _ = root.draw(&Text::new(
                line.clone(),
                (16, (16.0 + title_step * i as f64) as i32),
                bold(layout.title_px, colors::TEXT, LEFT),
            ));
        }
        let sub_y = 16.0 + title_step * title_lines.len() as f64;
        for (i, line) in sub_lines.iter().enumerate() {
            let _ = root.draw(&Text::new(
                line.clone(),
                (16, (sub_y + sub_step * i as f64) as i32),
                style(sub_px, colors::TEXT_SUB, LEFT),
            ));
        }
        if let Some(reason) = &chart.suppressed {
            for (i, line) in wrap(reason, 14.0, text_w).iter().enumerate() {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (16, (top + 12.0 + 20.0 * i as f64) as i32),
                    style(14.0, colors::TEXT, LEFT),
                ));
            }
        } else {
            draw_bars(&root, chart, top, layout, text_w);
        }
        for (i, line) in note_lines.iter().enumerate() {
            let pos = (16, (top + body_h + 12.0 + 18.0 * i as f64) as i32);
            let _ = root.draw(&Text::new(line.clone(), pos, style(12.0, colors::TEXT, LEFT)));
        }
        let foot = top + body_h + 16.0 + note_h;
        for (i, line) in source_lines.iter().enumerate() {
            let pos = (16, (foot + line_h * i as f64) as i32);
            let _ = root.draw(&Text::new(line.clone(), pos, style(small, colors::TEXT_SUB, LEFT)));
        }
        let _ = root.present();
    }
    DrawnChart {
        svg: accessible(out, &title, &describe(chart, frame)),
        width: width as u32,
        height: height as u32,
    }
}

/// What the bars' area holds, top to bottom: a group's heading (its name, size and subtotal,
/// in lines), then the group's categories; only categories for a chart without groups. A
/// category's label is in lines where it sits above its bars (the narrow layout), so a long
/// name (国立研究開発法人新エネルギー・産業技術総合開発機構) wraps instead of leaving the frame.
enum Row {
    Heading(Vec<String>),
    /// A category, its label's lines and each series' value in lines.
    Category(usize, Vec<String>, Vec<Vec<String>>),
}

const HEADING_LINE: f64 = 18.0;

impl Row {
    fn height(&self, chart: &Chart, layout: Layout) -> f64 {
        match self {
            Row::Heading(lines) => 12.0 + HEADING_LINE * lines.len() as f64,
            Row::Category(_, lines, values) => layout.label_h * lines.len() as f64 + bars_height(chart, layout, values),
        }
    }
}

fn rows(chart: &Chart, layout: Layout, text_w: f64) -> Vec<Row> {
    let category = |ci: usize| {
        let name = &chart.categories[ci];
        let lines = if layout.label_h > 0.0 {
            wrap(name, TEXT_PX, layout.width - layout.x0 - 16.0)
        } else {
            vec![name.clone()]
        };
        let values = (0..chart.series.len())
            .map(|si| {
                let value = value_label(chart, si, ci);
                if layout.value_below {
                    wrap(&value, TEXT_PX, layout.width - layout.x0 - 16.0)
                } else {
                    vec![value]
                }
            })
            .collect();
        Row::Category(ci, lines, values)
    };
    let grouped = chart.grouped();
    if grouped.is_empty() {
        return (0..chart.categories.len()).map(category).collect();
    }
    grouped
        .into_iter()
        .flat_map(|(g, range)| {
            let text = format!(
                "{}　{}",
                super::group_heading(&g.name, range.len()),
                super::subtotal_text(chart, range.clone())
            );
            std::iter::once(Row::Heading(wrap(&text, TEXT_PX, text_w))).chain(range.map(category))
        })
        .collect()
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Chart,
    top: f64,
    layout: Layout,
    text_w: f64,
) {
    let max = f64::from(chart.max().max(1));
    let x0 = layout.x0;
    let above = layout.label_h > 0.0;
    let right = Pos {
        h_pos: HPos::Right,
        v_pos: VPos::Center,
    };
    let left_mid = Pos {
        h_pos: HPos::Left,
        v_pos: VPos::Center,
    };
    let multi = chart.series.len() > 1;
    // The axis the bars grow from: one line per run of bars in the wide layout (broken by
    // group headings), beside each row's bars only in the narrow one, where the labels above
    // start at the same x.
    let mut axes: Vec<(f64, f64)> = Vec::new();
    let mut y = top;
    let mut run_start: Option<f64> = None;
    for (ri, row) in rows(chart, layout, text_w).iter().enumerate() {
        let h = row.height(chart, layout);
        let (ci, lines, values) = match row {
            Row::Heading(lines) => {
                if let Some(from) = run_start.take() {
                    axes.push((from, y));
                }
                if ri > 0 {
                    // A rule between groups, so the second reads as apart from the first.
                    root.draw(&PathElement::new(
                        vec![(16, (y + 4.0) as i32), ((layout.width - 16.0) as i32, (y + 4.0) as i32)],
                        ShapeStyle::from(&rgb(colors::TEXT_SUB)).stroke_width(1),
                    ))
                    .ok();
                }
                for (i, line) in lines.iter().enumerate() {
                    root.draw(&Text::new(
                        line.clone(),
                        (16, (y + 10.0 + HEADING_LINE * i as f64) as i32),
                        bold(TEXT_PX, colors::TEXT, LEFT),
                    ))
                    .ok();
                }
                y += h;
                continue;
            }
            Row::Category(ci, lines, values) => (*ci, lines, values),
        };
        let category = &chart.categories[ci];
        if above {
            for (i, line) in lines.iter().enumerate() {
                let at = (x0 as i32, (y + 2.0 + layout.label_h * i as f64) as i32);
                root.draw(&Text::new(line.clone(), at, style(TEXT_PX, colors::TEXT, LEFT)))
                    .ok();
            }
        } else {
            let label_y = y + h / 2.0 - if multi { 2.0 } else { 0.0 };
            let label = Text::new(
                category.clone(),
                ((x0 - 8.0) as i32, label_y as i32),
                style(TEXT_PX, colors::TEXT, right),
            );
            root.draw(&label).ok();
        }
        let bars_top = y + layout.label_h * lines.len() as f64;
        if above {
            axes.push((bars_top, y + h));
        } else if run_start.is_none() {
            run_start = Some(y);
        }
        // Where values go under their bars, each series' bar moves down past the values above.
        let mut below = 0.0;
        for (si, series) in chart.series.iter().enumerate() {
            let (bar_top, bar_h) = if multi {
                (bars_top + 4.0 + 20.0 * si as f64 + below, 16.0)
            } else {
                (bars_top + 5.0, 18.0)
            };
            let paint = if category == UNRECORDED {
                colors::UNRECORDED
            } else {
                colors::SERIES[si % colors::SERIES.len()]
            };
            let n = series.values[ci].count().unwrap_or(0);
            let len = (f64::from(n) / max * layout.bar_w).round();
            if n > 0 {
                bar(root, paint, (x0, bar_top), (x0 + len.max(2.0), bar_top + bar_h));
            }
            if layout.value_below {
                for (i, line) in values[si].iter().enumerate() {
                    let at = (x0 as i32, (bar_top + bar_h + 3.0 + VALUE_LINE * i as f64) as i32);
                    root.draw(&Text::new(line.clone(), at, style(TEXT_PX, colors::TEXT, LEFT)))
                        .ok();
                }
                below += VALUE_LINE * values[si].len() as f64;
                continue;
            }
            let lx = x0 + len.max(0.0) + VALUE_GAP;
            root.draw(&Text::new(
                values[si].concat(),
                (lx as i32, (bar_top + bar_h / 2.0) as i32),
                style(TEXT_PX, colors::TEXT, left_mid),
            ))
            .ok();
        }
        y += h;
    }
    if let Some(from) = run_start {
        axes.push((from, y));
    }
    for (from, to) in axes {
        root.draw(&PathElement::new(
            vec![(x0 as i32, from as i32), (x0 as i32, to as i32)],
            ShapeStyle::from(&rgb(colors::TEXT_SUB)).stroke_width(1),
        ))
        .ok();
    }
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
    let n = super::n_text(chart);
    if !n.is_empty() {
        parts.push(n);
    }
    match &chart.suppressed {
        Some(reason) => parts.push(reason.clone()),
        None => {
            // A chart with groups describes each group apart: its heading, subtotal, categories.
            let grouped = chart.grouped();
            let runs: Vec<(Option<String>, std::ops::Range<usize>)> = if grouped.is_empty() {
                vec![(None, 0..chart.categories.len())]
            } else {
                grouped
                    .into_iter()
                    .map(|(g, r)| (Some(super::group_heading(&g.name, r.len())), r))
                    .collect()
            };
            for (si, s) in chart.series.iter().enumerate() {
                for (heading, range) in &runs {
                    let values: Vec<String> = range
                        .clone()
                        .map(|ci| format!("{} {}", chart.categories[ci], super::value_text(chart, si, ci)))
                        .collect();
                    let mut prefix = if chart.series.len() > 1 {
                        format!("{}：", s.name)
                    } else {
                        String::new()
                    };
                    if let Some(h) = heading {
                        let subtotal = super::subtotal_text(chart, range.clone());
                        prefix.push_str(&format!("{h}、{subtotal}："));
                    }
                    parts.push(format!("{prefix}{}", values.join("、")));
                }
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

/// Give plotters' SVG a role, a title and a description, and the Japanese language (`xml:lang`:
/// `lang` is HTML's, not valid on a standalone SVG).
pub(super) fn accessible(svg: String, title: &str, desc: &str) -> String {
    let esc = crate::render::xml::escape;
    let svg = tidy(&svg);
    let Some(open_end) = svg.find('>') else { return svg };
    format!(
        "{} role=\"img\" aria-labelledby=\"chart-title chart-desc\" xml:lang=\"ja\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc><style>text{{font-family:{FONT}}}</style>{}",
        &svg[..open_end],
        esc(title),
        esc(desc),
        &svg[open_end + 1..]
    )
}
