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

use super::views::parts::{TableGroup, TableView, fmt_int};
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
    // A tie is said as one: 「補佐級と課長級が各5名」, never one of them with 「など」.
    let (who, each) = match tops.as_slice() {
        [one] => (one.to_string(), ""),
        [a, b] => (format!("{a}と{b}"), "各"),
        [a, b, c] => (format!("{a}、{b}、{c}"), "各"),
        more => (format!("{}など{}区分", more[..3].join("、"), more.len()), "各"),
    };
    let lead = if chart.series.len() > 1 {
        format!("{}は", series.name)
    } else {
        String::new()
    };
    // Where every category with a count ties, none is the most: 「補佐級と係長級が各1名」.
    let most = if tops.len() > 1 && recorded.iter().all(|(_, n)| *n == 0 || *n == max) {
        ""
    } else {
        "で最多"
    };
    format!(
        "{subject}：{lead}{who}が{each}{}{}{most}",
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
/// The chart CSV's header row: 区分, the 分類 column of a chart with groups, then each
/// series with its unit.
pub fn csv_header(chart: &Chart) -> Vec<String> {
    let grouped = chart.grouped();
    let mut header = vec!["区分".to_string()];
    if !grouped.is_empty() {
        header.push(GROUP_COLUMN.to_string());
    }
    header.extend(chart.series.iter().map(|s| {
        if chart.unit == crate::stats::Unit::Mixed {
            s.name.clone()
        } else {
            format!("{}（{}）", s.name, chart.unit.symbol())
        }
    }));
    header
}

/// A chart with groups says each category's group in a 分類 column rather than in subtotal
/// rows, so every row is one category and a column sums to the total.
pub fn csv(chart: &Chart) -> Vec<u8> {
    let header = csv_header(chart);
    let grouped = chart.grouped();
    let group_of = |i: usize| {
        grouped
            .iter()
            .find(|(_, r)| r.contains(&i))
            .map(|(g, _)| g.name.clone())
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![c.clone()];
            if !grouped.is_empty() {
                row.push(group_of(i));
            }
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

/// The CSV column naming a category's group (`府省庁等`, `オフィサー出向先等`).
pub const GROUP_COLUMN: &str = "分類";

/// A group's subtotal as the chart shows it, every series: `小計 271名（97.1%）`.
pub fn subtotal_text(chart: &Chart, range: std::ops::Range<usize>) -> String {
    let multi = chart.series.len() > 1;
    let parts: Vec<String> = chart
        .series
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let n = chart.subtotal(si, range.clone());
            let v = n.map_or(Tally::Unknown, Tally::Count);
            let text = match (chart.shows_shares(), n, s.total()) {
                (true, Some(n), Some(total)) => format!("{}（{}）", cell(v, chart.unit.symbol()), share(n, total)),
                _ => cell(v, chart.unit.symbol()),
            };
            if multi { format!("{} {text}", s.name) } else { text }
        })
        .collect();
    format!("小計 {}", parts.join("・"))
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
    let item = |i: usize| {
        row(
            chart.categories[i].clone(),
            chart.series.iter().map(|s| (s.values[i], s.total())).collect(),
        )
    };
    let mut groups: Vec<TableGroup> = chart
        .grouped()
        .into_iter()
        .map(|(g, range)| TableGroup {
            heading: Some(group_heading(&g.name, range.len())),
            subtotal: Some(row(
                "小計".to_string(),
                (0..chart.series.len())
                    .map(|si| {
                        let n = chart.subtotal(si, range.clone());
                        (n.map_or(Tally::Unknown, Tally::Count), chart.series[si].total())
                    })
                    .collect(),
            )),
            rows: range.map(item).collect(),
        })
        .collect();
    if groups.is_empty() {
        groups.push(TableGroup {
            heading: None,
            rows: (0..chart.categories.len()).map(item).collect(),
            subtotal: None,
        });
    }
    if shares {
        let totals = chart
            .series
            .iter()
            .map(|s| (s.total().map_or(Tally::Unknown, Tally::Count), s.total()))
            .collect();
        let total = row("計".to_string(), totals);
        // After the groups' subtotals, the 計 row stands apart from them.
        match groups.as_mut_slice() {
            [only] if only.heading.is_none() => only.rows.push(total),
            _ => groups.push(TableGroup {
                heading: None,
                rows: vec![total],
                subtotal: None,
            }),
        }
    }
    let note = match (&chart.suppressed, &chart.note) {
        (Some(r), _) => Some(r.clone()),
        (None, n) => n.clone(),
    };
    TableView {
        id: chart.id.slug().to_string(),
        caption: format!("{scope}の{}", chart.subject()),
        head,
        groups,
        note,
    }
}

/// A group's heading with how many categories it holds: `府省庁等（24）`.
pub fn group_heading(name: &str, len: usize) -> String {
    format!("{name}（{}）", fmt_int(len as u64))
}

/// The chart's numbers for summary.json; withheld values are `null` with `"suppressed": true`.
pub fn to_json(chart: &Chart, scope: &str) -> serde_json::Value {
    let mut value = json!({
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
    });
    // Groups, where the chart has them: consecutive runs of `categories`, each with its
    // subtotal per series.
    let groups: Vec<serde_json::Value> = chart
        .grouped()
        .into_iter()
        .map(|(g, range)| {
            json!({
                "name": g.name,
                "categories": range.len(),
                "subtotals": (0..chart.series.len()).map(|si| chart.subtotal(si, range.clone())).collect::<Vec<_>>(),
            })
        })
        .collect();
    if let (false, Some(map)) = (groups.is_empty(), value.as_object_mut()) {
        map.insert("groups".to_string(), groups.into());
    }
    value
}

#[cfg(test)]
mod tests;
