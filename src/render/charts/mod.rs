//! 図表 — a [`Chart`] as a self-contained SVG (drawn with plotters), a CSV, an HTML table and
//! JSON. All four come from the same numbers; a withheld breakdown shows no number anywhere.
//!
//! Bars are horizontal so Japanese category names read naturally; every bar carries its value as
//! text, series are named in the value labels, so colour never carries meaning alone.
//!
//! `svg.rs` draws; `emit.rs` is the page side, writing a chart's files beside the page that
//! shows it (a `Renderer` method the cohort and prefecture pages call).

pub(in crate::render) mod emit;
mod svg;

use serde_json::json;

use super::views::parts::{TableView, fmt_int};
use crate::stats::charts::UNRECORDED;
use crate::stats::{Chart, ChartId, Tally};
pub use svg::{DrawnChart, FONT, svg, svg_narrow};

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

/// 構成比 of `n` in `total`, to one decimal, rounded half up: `14.3%`.
pub fn share(n: u32, total: u32) -> String {
    let (n, total) = (u64::from(n), u64::from(total.max(1)));
    let tenths = (n * 2000 + total) / (2 * total);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// A value as the chart and its table show it: `40名（14.3%）`, or `40名` where the chart
/// shows no shares.
pub fn value_text(chart: &Chart, series: usize, category: usize) -> String {
    let s = &chart.series[series];
    let v = s.values[category];
    match (chart.shows_shares(), v.count(), s.total()) {
        (true, Some(n), Some(total)) => format!("{}（{}）", cell(v, chart.unit.symbol()), share(n, total)),
        _ => cell(v, chart.unit.symbol()),
    }
}

/// n of each series, for the line under a chart's title: `n＝279名`, or
/// `n＝応募 120市町村・伴走支援 97市町村`; empty where the chart shows no shares.
pub fn n_text(chart: &Chart) -> String {
    if !chart.shows_shares() {
        return String::new();
    }
    let multi = chart.series.len() > 1;
    let parts: Vec<String> = chart
        .series
        .iter()
        .filter_map(|s| {
            let total = cell(Tally::Count(s.total()?), chart.unit.symbol());
            Some(if multi { format!("{} {total}", s.name) } else { total })
        })
        .collect();
    format!("n＝{}", parts.join("・"))
}

/// A title that says what the chart shows, e.g. `第2期の支援官の所属府省庁等：国土交通省が40名で最多`.
pub fn active_title(chart: &Chart, scope: &str) -> String {
    let subject = format!("{scope}の{}", chart.subject());
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
            format!(
                "{subject}：{}{}とも未登録",
                fmt_int(u64::from(all)),
                chart.unit.symbol()
            )
        };
    }
    let max = recorded.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let tops: Vec<&str> = recorded
        .iter()
        .filter(|(_, n)| *n == max)
        .map(|(i, _)| chart.categories[*i].as_str())
        .collect();
    // A tie is said as one: every first, each with the count (「内閣官房、総務省が各2名で最多」),
    // or the first two and how many share it.
    let (who, each) = match tops.len() {
        1 => (tops[0].to_string(), ""),
        2 | 3 => (tops.join("、"), "各"),
        n => (format!("{}、{}など{n}区分", tops[0], tops[1]), "各"),
    };
    let lead = if chart.series.len() > 1 {
        format!("{}は", series.name)
    } else {
        String::new()
    };
    format!(
        "{subject}：{lead}{who}が{each}{}{}で最多",
        fmt_int(u64::from(max)),
        chart.unit.symbol()
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

/// The chart's numbers as CSV (UTF-8 with BOM): one row per category, one column per series.
/// The chart CSV's header row: 区分, then each series with its unit.
pub fn csv_header(chart: &Chart) -> Vec<String> {
    let mut header = vec!["区分".to_string()];
    header.extend(chart.series.iter().map(|s| {
        if chart.unit == crate::stats::Unit::Mixed {
            s.name.clone()
        } else {
            format!("{}（{}）", s.name, chart.unit.symbol())
        }
    }));
    header
}

pub fn csv(chart: &Chart) -> Vec<u8> {
    let header = csv_header(chart);
    let rows: Vec<Vec<String>> = chart
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
    super::data::csv_bytes("chart.csv", &header, &rows).unwrap_or_default()
}

/// The chart's numbers as an HTML table for the page: a 構成比 column beside each series and
/// a 計 row where the chart shows shares.
pub fn table(chart: &Chart, scope: &str) -> TableView {
    let shares = chart.shows_shares();
    let multi = chart.series.len() > 1;
    let mut head = vec!["区分".to_string()];
    for s in &chart.series {
        head.push(s.name.clone());
        if shares {
            head.push(if multi {
                format!("構成比（{}）", s.name)
            } else {
                "構成比".to_string()
            });
        }
    }
    let row = |label: String, values: Vec<(Tally, Option<u32>)>| -> Vec<String> {
        let mut r = vec![label];
        for (v, total) in values {
            r.push(cell(v, chart.unit.symbol()));
            if let (true, Some(n), Some(t)) = (shares, v.count(), total) {
                r.push(share(n, t));
            }
        }
        r
    };
    let mut rows: Vec<Vec<String>> = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            row(
                c.clone(),
                chart.series.iter().map(|s| (s.values[i], s.total())).collect(),
            )
        })
        .collect();
    if shares {
        let totals = chart
            .series
            .iter()
            .map(|s| (s.total().map_or(Tally::Unknown, Tally::Count), s.total()))
            .collect();
        rows.push(row("計".to_string(), totals));
    }
    let note = match (&chart.suppressed, &chart.note) {
        (Some(r), _) => Some(r.clone()),
        (None, n) => n.clone(),
    };
    TableView {
        id: chart.id.slug().to_string(),
        caption: format!("{scope}の{}", chart.subject()),
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
mod tests;
