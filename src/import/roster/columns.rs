//! The roster's header: which row holds the headings, which sheet holds the roster, and which
//! column is which.

use super::super::ImportError;
use super::super::grid::Grid;
use crate::model::{Attribute, normalize_name};

/// The row holding the column headings: the first of the first rows to name both the
/// 市町村名 and the 所属府省庁 column (the official list has a title above its table).
pub(super) fn header_row(grid: &Grid) -> Option<usize> {
    grid.rows.iter().take(HEADER_SEARCH).position(|r| {
        let has = |names: &[&str]| {
            r.cells
                .iter()
                .any(|c| names.contains(&normalize_name(&c.text).as_str()))
        };
        has(&PLACE) && has(&MINISTRY)
    })
}

/// How many rows from the top may come before the headings.
pub(super) const HEADER_SEARCH: usize = 20;

/// The sheet of `grids` that holds a roster, and the row of its headings: the first sheet with
/// headings, or the first sheet (whose missing column is then reported).
pub(crate) fn pick_sheet(grids: Vec<Grid>) -> Option<Grid> {
    let first = grids.iter().position(|g| header_row(g).is_some()).unwrap_or(0);
    grids.into_iter().nth(first)
}

/// `01.北海道森町` → (Some(1), "北海道森町").
pub(crate) fn split_number(cell: &str) -> (Option<u32>, String) {
    let cell = normalize_name(cell);
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    let rest = cell[digits.len()..].trim_start_matches(['.', '．', '、', ' ']);
    match digits.parse() {
        Ok(n) if !digits.is_empty() && rest.len() < cell.len() => (Some(n), rest.to_string()),
        _ => (None, cell),
    }
}

/// Columns found in the header row.
pub(super) struct Columns {
    pub(super) place: usize,
    pub(super) ministry: usize,
    pub(super) grade: usize,
    pub(super) prefecture: Option<usize>,
    pub(super) number: Option<usize>,
    pub(super) code: Option<usize>,
    pub(super) name: Option<usize>,
    pub(super) position: Option<usize>,
    pub(super) continuing: Option<usize>,
    pub(super) areas: Option<usize>,
    pub(super) gender: Option<usize>,
    pub(super) age: Option<usize>,
    pub(super) track: Option<usize>,
    pub(super) left: Option<usize>,
    pub(super) joined: Option<usize>,
}

pub(super) const PLACE: [&str; 4] = ["市町村名", "市町村", "支援先", "支援先市町村"];
pub(super) const MINISTRY: [&str; 5] = ["所属府省庁", "所属府省庁等", "府省庁", "府省庁等", "所属"];

impl Columns {
    /// The aggregate-only attributes the roster has columns for.
    pub(super) fn attributes(&self) -> Vec<Attribute> {
        [
            (self.gender, Attribute::Gender),
            (self.track, Attribute::Track),
            (self.age, Attribute::Age),
        ]
        .into_iter()
        .filter_map(|(c, a)| c.map(|_| a))
        .collect()
    }

    /// Every column read (for formula errors).
    pub(super) fn read(&self) -> Vec<usize> {
        let optional = [
            self.prefecture,
            self.number,
            self.code,
            self.name,
            self.position,
            self.continuing,
            self.areas,
            self.gender,
            self.age,
            self.track,
            self.left,
            self.joined,
        ];
        let mut all: Vec<usize> = [self.place, self.ministry, self.grade]
            .into_iter()
            .chain(optional.into_iter().flatten())
            .collect();
        all.sort_unstable();
        all
    }
}

pub(super) fn columns(header: &[String], at: impl Fn() -> String) -> Result<Columns, ImportError> {
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&normalize_name(h).as_str()));
    let missing = |what: &'static str| {
        let found: Vec<&str> = header.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
        ImportError::Column(what, found.join("、"), at())
    };
    Ok(Columns {
        place: find(&PLACE).ok_or_else(|| missing("市町村名"))?,
        ministry: find(&MINISTRY).ok_or_else(|| missing("所属府省庁"))?,
        grade: find(&["役職"]).ok_or_else(|| missing("役職"))?,
        prefecture: find(&["都道府県", "都道府県名"]),
        number: find(&["チーム番号", "番号", "No.", "No"]),
        code: find(&["団体コード", "全国地方公共団体コード"]),
        name: find(&["氏名"]),
        position: find(&["職名"]),
        continuing: find(&["継続", "継続・新規"]),
        areas: find(&["課題分野", "テーマ", "支援テーマ"]),
        gender: find(&["性別"]),
        age: find(&["年齢", "年齢(歳)", "満年齢"]),
        track: find(&[
            "事務官・技官",
            "事務官/技官",
            "事務官技官",
            "事務・技術",
            "事務技術",
            "職種",
        ]),
        left: find(&["離任日", "離任"]),
        joined: find(&["公表日", "着任日", "加入日"]),
    })
}
