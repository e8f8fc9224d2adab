//! 図表 — a [`Chart`] as a self-contained SVG (drawn with plotters), a CSV, an HTML table and
//! JSON. All four come from the same numbers; a withheld breakdown shows no number anywhere.
//!
//! Bars are horizontal so Japanese category names read naturally; every bar carries its value as
//! text, series are named in the value labels, so colour never carries meaning alone.

use plotters::backend::SVGBackend;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::json;

use super::colors::{self, BarPaint, Rgb};
use super::context::{TableView, fmt_int};
use crate::stats::charts::UNRECORDED;
use crate::stats::{Chart, ChartId, Tally};

/// System fonts that carry Japanese, in the order a reader's machine is likely to have them.
pub const FONT: &str = "Hiragino Sans, Hiragino Kaku Gothic ProN, Noto Sans CJK JP, Noto Sans JP, BIZ UDPGothic, Yu Gothic, Meiryo, sans-serif";

/// What surrounds a chart: whose numbers, and where they come from.
pub struct ChartFrame<'a> {
    /// `第2期` or `北海道・第2期`
    pub scope: &'a str,
    /// `第2期（令和8年度）`, shown under the title.
    pub context: &'a str,
    /// `出典：…`
    pub source: &'a str,
    pub license: &'a str,
}

/// The text shown for a value: `40名`, `秘匿`, `—` (not published).
pub fn cell(v: Tally, unit: &str) -> String {
    match v {
        Tally::Count(n) => format!("{}{unit}", fmt_int(u64::from(n))),
        Tally::Suppressed => "秘匿".to_string(),
        Tally::Unknown => "—".to_string(),
    }
}

/// A title that says what the chart shows, e.g. `第2期の支援官の所属府省庁等：国土交通省が40名で最多`.
pub fn active_title(chart: &Chart, scope: &str) -> String {
    let subject = format!("{scope}の{}", chart.id.subject());
    if chart.suppressed.is_some() {
        let absent = chart
            .series
            .iter()
            .flat_map(|s| &s.values)
            .all(|v| *v == Tally::Unknown);
        let what = if absent {
            "掲載していません"
        } else {
            "秘匿しています"
        };
        return format!("{subject}：内訳は{what}");
    }
    if chart.id == ChartId::Comparison {
        return comparison_title(chart);
    }
    let series = chart.series.last().expect("a chart has a series");
    let recorded: Vec<(usize, u32)> = series
        .values
        .iter()
        .enumerate()
        .filter(|(i, _)| chart.categories[*i] != UNRECORDED)
        .filter_map(|(i, v)| v.count().map(|n| (i, n)))
        .collect();
    let recorded_total: u32 = recorded.iter().map(|(_, n)| n).sum();
    if recorded_total == 0 {
        let all: u32 = series.values.iter().filter_map(|v| v.count()).sum();
        return if all == 0 {
            format!("{subject}：該当なし")
        } else {
            format!("{subject}：{}{}とも未登録", fmt_int(u64::from(all)), chart.unit)
        };
    }
    let max = recorded.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let tops: Vec<&str> = recorded
        .iter()
        .filter(|(_, n)| *n == max)
        .map(|(i, _)| chart.categories[*i].as_str())
        .collect();
    let who = if tops.len() == 1 {
        tops[0].to_string()
    } else {
        format!("{}など", tops[0])
    };
    let lead = if chart.series.len() > 1 {
        format!("{}は", series.name)
    } else {
        String::new()
    };
    format!(
        "{subject}：{lead}{who}が{}{}で最多",
        fmt_int(u64::from(max)),
        chart.unit
    )
}

fn comparison_title(chart: &Chart) -> String {
    let n = chart.series.len();
    let (prev, last) = (&chart.series[n - 2], &chart.series[n - 1]);
    let (a, b) = (prev.values[0].count().unwrap_or(0), last.values[0].count().unwrap_or(0));
    let change = match b.cmp(&a) {
        std::cmp::Ordering::Greater => format!("{}チーム増えて{}チーム", b - a, b),
        std::cmp::Ordering::Less => format!("{}チーム減って{}チーム", a - b, b),
        std::cmp::Ordering::Equal => format!("同じ{}チーム", b),
    };
    format!("{}の伴走支援チームは{}より{change}", last.name, prev.name)
}

/// Approximate width in pixels of `text` at `px` (full-width characters 1 em, others 0.6 em).
fn text_width(text: &str, px: f64) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.6 } else { 1.0 }).sum::<f64>() * px
}

/// Break `text` into lines no wider than `width` pixels at `px`.
fn wrap(text: &str, px: f64, width: f64) -> Vec<String> {
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

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn text_style(font: FontDesc<'static>, color: Rgb, anchor: Pos) -> TextStyle<'static> {
    TextStyle {
        font,
        color: rgb(color).to_backend_color(),
        pos: anchor,
    }
}

fn style(px: f64, color: Rgb, anchor: Pos) -> TextStyle<'static> {
    // plotters writes font-size as size / 1.24.
    text_style((FONT, px * 1.24).into_font(), color, anchor)
}

fn bold(px: f64, color: Rgb, anchor: Pos) -> TextStyle<'static> {
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

fn draw_bars<DB: DrawingBackend>(
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

fn bar<DB: DrawingBackend>(
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
fn describe(chart: &Chart, frame: &ChartFrame) -> String {
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
fn tidy(svg: &str) -> String {
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
fn accessible(svg: String, title: &str, desc: &str) -> String {
    let esc = super::xml::escape;
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

/// The chart's numbers as CSV (UTF-8 with BOM): one row per category, one column per series.
pub fn csv(chart: &Chart) -> Vec<u8> {
    let mut header = vec!["区分".to_string()];
    header.extend(chart.series.iter().map(|s| {
        if chart.unit.is_empty() {
            s.name.clone()
        } else {
            format!("{}（{}）", s.name, chart.unit)
        }
    }));
    let rows = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![c.clone()];
            row.extend(chart.series.iter().map(|s| match s.values[i] {
                Tally::Count(n) => n.to_string(),
                Tally::Suppressed => "秘匿".to_string(),
                // Open data: an empty cell for what is not known, never 0.
                Tally::Unknown => String::new(),
            }));
            row
        })
        .collect();
    // Writing into memory cannot fail.
    super::data::csv_bytes("chart.csv", &header, rows).unwrap_or_default()
}

/// The chart's numbers as an HTML table for the page.
pub fn table(chart: &Chart, scope: &str) -> TableView {
    let mut head = vec!["区分".to_string()];
    head.extend(chart.series.iter().map(|s| s.name.clone()));
    let rows = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            std::iter::once(c.clone())
                .chain(chart.series.iter().map(|s| cell(s.values[i], chart.unit)))
                .collect()
        })
        .collect();
    let note = match (&chart.suppressed, &chart.note) {
        (Some(r), _) => Some(r.clone()),
        (None, n) => n.clone(),
    };
    TableView {
        id: chart.id.slug().to_string(),
        caption: format!("{scope}の{}", chart.id.subject()),
        head,
        rows,
        note,
    }
}

/// The chart's numbers for summary.json; withheld values are `null` with `"suppressed": true`.
pub fn to_json(chart: &Chart, scope: &str) -> serde_json::Value {
    json!({
        "id": chart.id.slug(),
        "title": active_title(chart, scope),
        "unit": chart.unit,
        "categories": chart.categories,
        "series": chart.series.iter().map(|s| json!({
            "name": s.name,
            "values": s.values.iter().map(|v| v.count()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "suppressed": chart.suppressed.is_some(),
        "note": chart.suppressed.clone().or_else(|| chart.note.clone()),
        "counted_at": chart.counted_at.map(|t| t.rfc3339()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Series;

    fn chart(values: &[u32], categories: &[&str]) -> Chart {
        Chart {
            id: ChartId::Ministry,
            unit: "名",
            categories: categories.iter().map(|c| c.to_string()).collect(),
            series: vec![Series {
                name: "支援官".into(),
                values: values.iter().map(|n| Tally::Count(*n)).collect(),
            }],
            suppressed: None,
            note: None,
            counted_at: None,
        }
    }

    fn frame() -> ChartFrame<'static> {
        ChartFrame {
            scope: "第2期",
            context: "第2期（令和8年度）",
            source: "出典：試験",
            license: "政府標準利用規約（第2.0版）",
        }
    }

    #[test]
    fn titles_say_what_the_chart_shows() {
        let c = chart(&[24, 40, 2], &["内閣官房", "国土交通省", "未登録"]);
        assert_eq!(
            active_title(&c, "第2期"),
            "第2期の支援官の所属府省庁等：国土交通省が40名で最多"
        );
        let c = chart(&[0, 0, 279], &["男性", "女性", "未登録"]);
        assert_eq!(
            active_title(&c, "第2期"),
            "第2期の支援官の所属府省庁等：279名とも未登録"
        );
    }

    #[test]
    fn svg_carries_text_title_desc_and_values() {
        let c = chart(&[24, 40], &["内閣官房", "国土交通省"]);
        let s = svg(&c, &frame()).svg;
        assert!(s.starts_with("<svg "), "{}", &s[..80]);
        assert!(s.contains("role=\"img\""));
        assert!(s.contains("<title id=\"chart-title\">第2期の支援官の所属府省庁等：国土交通省が40名で最多</title>"));
        assert!(
            s.contains("<desc id=\"chart-desc\">第2期（令和8年度）。内閣官房 24名、国土交通省 40名。出典：試験</desc>")
        );
        for text in [
            ">内閣官房",
            ">国土交通省",
            ">24名",
            ">40名",
            ">出典：試験",
            ">政府標準利用規約（第2.0版）",
        ] {
            assert!(s.contains(text), "{text} missing");
        }
        assert!(
            s.contains("<style>text{font-family:Hiragino Sans"),
            "system fonts with Japanese glyphs"
        );
        assert_eq!(s, svg(&c, &frame()).svg, "same numbers, same bytes");
    }

    #[test]
    fn a_withheld_chart_shows_no_number_anywhere() {
        let mut c = chart(&[3, 2, 4], &["男性", "女性", "未登録"]);
        c.id = ChartId::Gender;
        for v in &mut c.series[0].values {
            *v = Tally::Suppressed;
        }
        c.suppressed = Some("対象の支援官が10名未満のため、内訳は表示していません。".into());
        let s = svg(&c, &frame()).svg;
        assert!(s.contains("10名未満のため"));
        assert!(!s.contains(">3名") && !s.contains(">2名"));
        assert_eq!(
            String::from_utf8(csv(&c)).unwrap(),
            "\u{feff}区分,支援官（名）\r\n男性,秘匿\r\n女性,秘匿\r\n未登録,秘匿\r\n"
        );
        assert_eq!(table(&c, "第2期").rows[0], ["男性", "秘匿"]);
        assert_eq!(to_json(&c, "第2期")["series"][0]["values"], json!([null, null, null]));
    }

    #[test]
    fn long_titles_wrap() {
        assert_eq!(wrap("あいうえおかきくけこ", 10.0, 50.0), ["あいうえお", "かきくけこ"]);
    }
}
