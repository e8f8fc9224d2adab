//! Reading one cell of a roster: what is wrong with it, and the dates and words it holds.

use super::super::grid::Cell;
use crate::diag::{Diagnostic, Span};
use crate::model::{Gender, Track, normalize_name};

/// A 離任日 or 公表日 cell as teams.yaml writes it, and the instant it stands for: `2027-01-15`
/// (also `2027/1/15`, `2027年1月15日`), or for a 公表日 a time of day too (`2027-01-15T10:00`).
pub(super) fn dated_cell(text: &str, date_only: bool) -> Option<(String, crate::time::Instant)> {
    let t = normalize_name(text);
    let ymd = |s: &str| -> Option<crate::time::Date> {
        let parts: Vec<&str> = s.trim_end_matches('日').split(['-', '/', '年', '月']).collect();
        match parts.as_slice() {
            [y, m, d] => crate::time::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
            _ => None,
        }
    };
    if let Some(d) = ymd(&t) {
        return Some((d.iso(), d.start()));
    }
    if date_only {
        return None;
    }
    let at = crate::time::Instant::parse(&t).ok()?;
    Some((at.rfc3339(), at))
}

/// 性別 as rosters write it: teams.yaml's words, or 男・女.
pub(super) fn gender_of(text: &str) -> Option<Gender> {
    match normalize_name(text).as_str() {
        "男" => Some(Gender::Male),
        "女" => Some(Gender::Female),
        "無回答" => Some(Gender::NoAnswer),
        other => Gender::parse(other),
    }
}

/// 事務官・技官の別: teams.yaml's words, or 事務・技術.
pub(super) fn track_of(text: &str) -> Option<Track> {
    match normalize_name(text).as_str() {
        "事務" => Some(Track::Administrative),
        "技術" | "技術系" => Some(Track::Technical),
        "事務系" => Some(Track::Administrative),
        other => Track::parse(other),
    }
}

/// What is wrong with a cell of a column the roster reads (`column` its heading), if anything:
/// a formula error, a formula whose result was never saved, or a character a single-line field
/// may not hold (SPEC §2). Line breaks and tabs are layout in a cell that is matched by name
/// (a 市町村名 broken over two lines), but not in one written as it is (`written_as_is`: 氏名,
/// 職名), where an Alt+Enter would become a line break in teams.yaml that `check` refuses.
pub(super) fn cell_problem(
    cell: &Cell,
    column: &str,
    written_as_is: bool,
    at: impl Fn() -> Span,
) -> Option<Diagnostic> {
    if let Some(e) = &cell.error {
        return Some(
            Diagnostic::error(at(), format!("「{column}」の列のセルが式のエラー（{e}）です"))
                .with_help("式を直すか値を書き込んで保存し直してから、もう一度取り込んでください"),
        );
    }
    if cell.uncomputed {
        return Some(
            Diagnostic::error(at(), format!("「{column}」の列のセルは式ですが、計算した値が保存されていません"))
                .with_help(
                    "表計算ソフトで開いて保存し直す（式が計算されます）か、式を値に置き換えてから、もう一度取り込んでください",
                ),
        );
    }
    if cell.merged_from_above {
        return None; // reported at the merged range's first cell
    }
    let (i, c) =
        crate::model::text::disallowed_char(&cell.text).filter(|(_, c)| written_as_is || !c.is_whitespace())?;
    let help = if c.is_whitespace() {
        "セルの中の改行（Alt+Enter）やタブを消すか、空白に置き換えてから、もう一度取り込んでください"
    } else {
        "見えない文字です。セルの値を打ち直してから、もう一度取り込んでください"
    };
    Some(
        Diagnostic::error(
            at(),
            format!(
                "「{column}」の列のセルの{}文字目に{}があります",
                i + 1,
                crate::model::text::describe_char(c)
            ),
        )
        .with_help(help),
    )
}
