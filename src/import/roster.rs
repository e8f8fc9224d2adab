//! Reading a roster: its bytes → text → the header's columns → one [`Team`] per 市町村名 row,
//! with its members on the rows below. Every cell that cannot be read is a [`Diagnostic`] at its
//! line and column; a cell is placed by its quotes, so a quoted `,` does not shift the columns.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{ImportError, gazetteer};
use crate::diag::{Diagnostic, Diagnostics, Pos, Span, closest};
use crate::load::encoding;
use crate::model::reference::Grade;
use crate::model::validate::help;
use crate::model::{IssueAreaNo, MunicipalityCode, Registry, normalize_name};

/// One team as read from the roster (`code` is `None` only while a problem is pending).
#[derive(Debug, Clone)]
pub(super) struct Team {
    pub(super) number: u32,
    /// The line of the file the team starts on, for pointing at its 市町村名 cell.
    pub(super) line: u32,
    pub(super) code: Option<MunicipalityCode>,
    pub(super) place: String,
    pub(super) continuing: Option<bool>,
    pub(super) areas: Vec<&'static str>,
    pub(super) members: Vec<Member>,
}

#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) ministry: String,
    pub(super) grade: &'static str,
    pub(super) name: Option<String>,
    pub(super) position: Option<String>,
}

/// The roster's text and encoding (see [`encoding::decode`]). Text has no control characters
/// but tab and line ends; a file with others is some encoding this does not know.
pub(super) fn decode(bytes: &[u8], path: &Path) -> Result<(String, &'static str), ImportError> {
    let plausible = |s: &str| !s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    match encoding::decode(bytes) {
        Some((text, encoding)) if plausible(&text) => Ok((text.into_owned(), encoding.name())),
        _ => Err(ImportError::Encoding(path.to_path_buf())),
    }
}

/// Columns found in the header row.
struct Columns {
    place: usize,
    ministry: usize,
    grade: usize,
    number: Option<usize>,
    code: Option<usize>,
    name: Option<usize>,
    position: Option<usize>,
    continuing: Option<usize>,
    areas: Option<usize>,
}

fn columns(header: &[String]) -> Result<Columns, ImportError> {
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&normalize_name(h).as_str()));
    let found = || header.join("、");
    Ok(Columns {
        place: find(&["市町村名", "市町村", "支援先", "支援先市町村"])
            .ok_or_else(|| ImportError::Column("市町村名", found()))?,
        ministry: find(&["所属府省庁", "所属府省庁等", "府省庁", "府省庁等", "所属"])
            .ok_or_else(|| ImportError::Column("所属府省庁", found()))?,
        grade: find(&["役職"]).ok_or_else(|| ImportError::Column("役職", found()))?,
        number: find(&["チーム番号", "番号", "No.", "No"]),
        code: find(&["団体コード", "全国地方公共団体コード"]),
        name: find(&["氏名"]),
        position: find(&["職名"]),
        continuing: find(&["継続", "継続・新規"]),
        areas: find(&["課題分野", "テーマ", "支援テーマ"]),
    })
}

/// `01.北海道森町` → (Some(1), "北海道森町").
pub(super) fn split_number(cell: &str) -> (Option<u32>, String) {
    let cell = normalize_name(cell);
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    let rest = cell[digits.len()..].trim_start_matches(['.', '．', '、', ' ']);
    match digits.parse() {
        Ok(n) if !digits.is_empty() && rest.len() < cell.len() => (Some(n), rest.to_string()),
        _ => (None, cell),
    }
}

/// Where each cell of a roster line starts and how long it is, in characters (quotes included).
fn cells_of(line: &str, delimiter: char) -> Vec<(u32, u32)> {
    let mut cells = Vec::new();
    let (mut start, mut n, mut quoted) = (0u32, 0u32, false);
    for ch in line.chars() {
        if ch == '"' {
            quoted = !quoted;
        } else if ch == delimiter && !quoted {
            cells.push((start, n - start));
            start = n + 1;
        }
        n += 1;
    }
    cells.push((start, n - start));
    cells
}

/// The place of cell `column` on line `line` (1-based) of the file's `lines`, its surrounding
/// spaces left out (column 1-based, in characters); the line's start when the cell is not on
/// that line.
fn cell_pos(lines: &[&str], line: u32, column: usize, delimiter: char) -> Pos {
    let Some(raw_line) = lines.get(line.saturating_sub(1) as usize) else {
        return Pos::new(line, 1, 0);
    };
    let Some(&(start, len)) = cells_of(raw_line, delimiter).get(column) else {
        return Pos::new(line, 1, 0);
    };
    let cell: String = raw_line.chars().skip(start as usize).take(len as usize).collect();
    let lead = cell.chars().take_while(|c| c.is_whitespace()).count() as u32;
    Pos::new(line, start + lead + 1, cell.trim().chars().count() as u32)
}

/// Read the roster (`file` names it in problems) against the content's ministries.
pub(super) fn read_roster(text: &str, file: &Arc<str>, reg: &Registry) -> Result<Vec<Team>, ImportError> {
    let delimiter = {
        let first = text.lines().next().unwrap_or("");
        if first.matches('\t').count() > first.matches(',').count() {
            b'\t'
        } else {
            b','
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    let cols = columns(&header)?;

    let mut teams: Vec<Team> = Vec::new();
    let mut problems = Diagnostics::new();
    problems.add_source(file, &Arc::from(text));
    let lines: Vec<&str> = text.lines().collect();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| ImportError::Csv(format!("{row} 行目: {e}")))?;
        let line = record.position().map_or(row as u32, |p| p.line() as u32);
        let at = |column: usize| Span::new(file, cell_pos(&lines, line, column, char::from(delimiter)));
        let cell = |c: usize| record.get(c).map(str::trim).unwrap_or("");
        let opt = |c: Option<usize>| c.map(cell).filter(|s| !s.is_empty()).map(str::to_string);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut problem = |d: Diagnostic| problems.push(d);
        let place_cell = cell(cols.place);
        if !place_cell.is_empty() {
            let (number, place) = split_number(place_cell);
            let number = opt(cols.number)
                .and_then(|n| normalize_name(&n).parse().ok())
                .or(number)
                .unwrap_or(teams.len() as u32 + 1);
            let code = match opt(cols.code) {
                Some(text) => match MunicipalityCode::parse(&text) {
                    Ok(code) => Some(code),
                    Err(e) => {
                        let (message, help) = e.explain(&text);
                        let column = cols.code.expect("a code was read from its column");
                        problem(Diagnostic::error(at(column), message).with_help(help));
                        None
                    }
                },
                None => match gazetteer::split_prefecture(&place) {
                    Some((pref, name)) => match gazetteer::find(pref, &name) {
                        Some(k) => Some(k.code),
                        None => {
                            let in_pref: Vec<&str> = gazetteer::all()
                                .iter()
                                .filter(|k| k.prefecture == pref)
                                .map(|k| k.name)
                                .collect();
                            let suggestion = closest(&name, in_pref).map(|s| format!("{pref}{s}"));
                            problem(
                                Diagnostic::error(
                                    at(cols.place),
                                    format!("「{place_cell}」という市町村が{pref}にありません"),
                                )
                                .with_suggestion(suggestion.as_deref())
                                .with_help("市町村名を確認するか、団体コードの列に6桁のコードを書いてください"),
                            );
                            None
                        }
                    },
                    None => {
                        problem(
                            Diagnostic::error(at(cols.place), format!("「{place_cell}」に都道府県名がありません"))
                                .with_help("北海道森町 のように都道府県から書いてください"),
                        );
                        None
                    }
                },
            };
            let continuing = opt(cols.continuing).and_then(|c| match c.as_str() {
                "継続" | "○" | "〇" => Some(true),
                "新規" => Some(false),
                _ => None,
            });
            let mut areas = Vec::new();
            for a in opt(cols.areas)
                .unwrap_or_default()
                .split([';', '；', '、', '・', '/'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                match IssueAreaNo::by_name(a) {
                    Some(no) => areas.push(no.name()),
                    None => problem(
                        Diagnostic::error(
                            at(cols.areas.expect("areas were read from their column")),
                            format!("課題分野「{a}」は26の課題分野にありません"),
                        )
                        .with_help(help::ISSUE_AREA),
                    ),
                }
            }
            // A team whose place cannot be read is still kept, so its member rows are checked too.
            teams.push(Team {
                number,
                line,
                code,
                place,
                continuing,
                areas,
                members: Vec::new(),
            });
        } else if teams.is_empty() {
            problem(
                Diagnostic::error(at(cols.place), "最初のチームの行に市町村名がありません")
                    .with_help("チームの最初の支援官の行には、01.北海道森町 のように市町村名を書いてください"),
            );
            continue;
        }
        let ministry_cell = cell(cols.ministry);
        let ministry = reg
            .ministry_index
            .find(ministry_cell)
            .map(|id| reg.ministry(id).name.as_str());
        if ministry.is_none() {
            problem(
                Diagnostic::error(
                    at(cols.ministry),
                    format!("府省庁等「{ministry_cell}」が ministries.yaml にありません"),
                )
                .with_suggestion(reg.ministry_index.suggest(ministry_cell))
                .with_help(help::MINISTRY),
            );
        }
        let grade = Grade::parse(cell(cols.grade));
        if grade.is_none() {
            problem(
                Diagnostic::error(at(cols.grade), format!("役職「{}」は使えません", cell(cols.grade)))
                    .with_suggestion(closest(&normalize_name(cell(cols.grade)), Grade::spellings()))
                    .with_help(help::grade()),
            );
        }
        if let (Some(ministry), Some(grade), Some(team)) = (ministry, grade, teams.last_mut()) {
            team.members.push(Member {
                ministry: ministry.to_string(),
                grade: grade.name(),
                name: opt(cols.name),
                position: opt(cols.position),
            });
        }
    }
    let mut numbers = BTreeMap::new();
    for t in &teams {
        if let Some(first) = numbers.insert(t.number, t.place.clone()) {
            problems.push(
                Diagnostic::error(
                    Span::new(file, cell_pos(&lines, t.line, cols.place, char::from(delimiter))),
                    format!("チーム番号 {} が「{first}」と「{}」の二つにあります", t.number, t.place),
                )
                .with_help("市町村名の前の番号（チーム番号の列があればその列）を直してください"),
            );
        }
    }
    if problems.error_count() == 0 {
        Ok(teams)
    } else {
        Err(ImportError::Rows(problems))
    }
}
