//! Reading a roster: its rows of cells ([`Grid`]) → the header's columns → one [`Team`] per
//! 市町村名 row, with its members on the rows below. Every cell that cannot be read is a
//! [`Diagnostic`] at its cell. A merged 市町村名 cell over a team's rows is one team.

use std::collections::BTreeMap;
use std::path::Path;

mod cells;
mod columns;

use cells::{cell_problem, dated_cell, gender_of, track_of};
use columns::{columns, header_row};
pub(super) use columns::{pick_sheet, split_number};

use super::grid::{Cell, Grid};
use super::{ImportError, gazetteer};
use crate::diag::{Diagnostic, Span, closest};
use crate::load::encoding;
use crate::model::reference::Grade;
use crate::model::validate::help;
use crate::model::{AGE_RANGE, Attribute, Gender, IssueAreaNo, MunicipalityCode, Registry, Track, normalize_name};

/// One team as read from the roster (`code` is `None` only while a problem is pending).
#[derive(Debug, Clone)]
pub(super) struct Team {
    pub(super) number: u32,
    /// Its 市町村名 cell, where the team starts.
    pub(super) place_at: Span,
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
    pub(super) gender: Option<Gender>,
    pub(super) age: Option<u32>,
    pub(super) track: Option<Track>,
    /// 離任日 (the optional column): the member has left, from that date (`YYYY-MM-DD`).
    pub(super) left: Option<Dated>,
    /// 公表日 (the optional column): the member joins the team, published at that instant.
    pub(super) joined: Option<Dated>,
    /// The row's 所属府省庁 cell: where a problem about the member as a whole points.
    pub(super) at: Span,
    /// The cells of 性別, 事務官・技官 and 年齢 (in [`Attribute::ALL`] order), where read.
    pub(super) attribute_at: [Option<Span>; 3],
}

/// A date or instant from a roster cell, as teams.yaml writes it, with its cell.
#[derive(Debug, Clone)]
pub(super) struct Dated {
    pub(super) text: String,
    pub(super) at: crate::time::Instant,
    pub(super) cell: Span,
}

impl Member {
    /// The member's category of `a`, as the site counts it.
    pub(super) fn category(&self, a: Attribute) -> Option<usize> {
        a.category(self.gender, self.age, self.track)
    }
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

/// What a roster holds besides its teams.
pub(super) struct Read {
    pub(super) teams: Vec<Team>,
    /// The aggregate-only attributes it has columns for (each member's value, if any, is in
    /// [`Member`]).
    pub(super) attributes: Vec<Attribute>,
}

/// Read the roster's rows against the content's ministries.
pub(super) fn read_roster(grid: &Grid, reg: &Registry) -> Result<Read, ImportError> {
    // Without a row of headings, the first row is taken for one, and `columns` says what it lacks.
    let header_at = header_row(grid).unwrap_or(0);
    let header_row = grid.rows.get(header_at);
    let header: Vec<String> = header_row
        .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
        .unwrap_or_default();
    let at = || header_row.map_or_else(|| "1行目".to_string(), |r| grid.at(r, 0).to_string());
    let cols = columns(&header, at)?;

    let mut teams: Vec<Team> = Vec::new();
    let mut problems = grid.problems();
    let read_columns = cols.read();
    // Headings merged two rows tall leave a row of their continuations under them.
    let continues_header = grid.rows.get(header_at + 1).is_some_and(|r| {
        r.cells.iter().any(|c| c.merged_from_above) && r.cells.iter().all(|c| c.merged_from_above || c.text.is_empty())
    });
    let first = header_at + 1 + usize::from(continues_header);
    for row in &grid.rows[first..] {
        let at = |column: usize| grid.at(row, column);
        let empty = Cell::default();
        let raw = |c: usize| row.cells.get(c).unwrap_or(&empty);
        for &c in &read_columns {
            let written_as_is = [cols.name, cols.position].contains(&Some(c));
            if let Some(d) = cell_problem(raw(c), header.get(c).map_or("", String::as_str), written_as_is, || {
                at(c)
            }) {
                problems.push(d);
            }
        }
        let cell = |c: usize| raw(c).text.as_str();
        let opt = |c: Option<usize>| c.map(cell).filter(|s| !s.is_empty()).map(str::to_string);
        let mut problem = |d: Diagnostic| problems.push(d);
        // A team starts where a 市町村名 starts: a merged cell continuing from the row above is
        // the same team. Its other cells are read as the row shows them (a 継続 merged over two
        // teams is each one's).
        let place = raw(cols.place);
        if let Some(place_cell) = (!place.merged_from_above && !place.text.is_empty()).then(|| place.text.clone()) {
            let (number, place) = split_number(&place_cell);
            // The official list may give the prefecture in a column of its own.
            let place = match opt(cols.prefecture) {
                Some(pref) if gazetteer::split_prefecture(&place).is_none() => {
                    format!("{}{place}", normalize_name(&pref))
                }
                _ => place,
            };
            let number = opt(cols.number)
                .and_then(|n| normalize_name(&n).parse().ok())
                .or(number)
                .unwrap_or(teams.len() as u32 + 1);
            let code = match opt(cols.code) {
                // A code typed into a number cell loses its leading zero (013455 → 13455).
                Some(text) => match MunicipalityCode::parse(&text).or_else(|e| match text.parse::<i128>() {
                    Ok(n) if text.len() == 5 => MunicipalityCode::from_int(n),
                    _ => Err(e),
                }) {
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
                place_at: at(cols.place),
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
        if ministry_cell.is_empty() && raw(cols.ministry).error.is_none() {
            problem(
                Diagnostic::error(at(cols.ministry), "所属府省庁の欄が空です")
                    .with_help("この支援官の府省庁等を書いてください（支援官でない行なら、その行を消してください）"),
            );
        } else if ministry.is_none() && raw(cols.ministry).error.is_none() {
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
        if cell(cols.grade).is_empty() && raw(cols.grade).error.is_none() {
            problem(Diagnostic::error(at(cols.grade), "役職の欄が空です").with_help(help::grade()));
        } else if grade.is_none() && raw(cols.grade).error.is_none() {
            problem(
                Diagnostic::error(at(cols.grade), format!("役職「{}」は使えません", cell(cols.grade)))
                    .with_suggestion(closest(&normalize_name(cell(cols.grade)), Grade::spellings()))
                    .with_help(help::grade()),
            );
        }
        // An attribute cell: empty is not recorded; anything else must read as a value.
        let mut bad = |c: Option<usize>, what: &str, text: &str, help: &str| {
            let column = c.expect("a value was read from its column");
            problem(Diagnostic::error(at(column), format!("{what}「{text}」は読めません")).with_help(help));
        };
        let gender = opt(cols.gender).and_then(|g| {
            gender_of(&g).or_else(|| {
                bad(
                    cols.gender,
                    "性別",
                    &g,
                    "男性、女性、回答しない のいずれかを書くか、空欄にしてください",
                );
                None
            })
        });
        let age = opt(cols.age).and_then(|a| {
            let n = normalize_name(&a).trim_end_matches('歳').parse::<u32>().ok();
            n.filter(|n| AGE_RANGE.contains(n)).or_else(|| {
                bad(
                    cols.age,
                    "年齢",
                    &a,
                    "期の開始時点の満年齢を数字で書くか、空欄にしてください",
                );
                None
            })
        });
        let track = opt(cols.track).and_then(|t| {
            track_of(&t).or_else(|| {
                bad(
                    cols.track,
                    "事務官・技官の別",
                    &t,
                    "事務官 か 技官 を書くか、空欄にしてください",
                );
                None
            })
        });
        let mut dated = |c: Option<usize>, what: &str, date_only: bool| -> Option<Dated> {
            let text = opt(c)?;
            match dated_cell(&text, date_only) {
                Some((text, at_instant)) => Some(Dated {
                    text,
                    at: at_instant,
                    cell: at(c.expect("read from its column")),
                }),
                None => {
                    bad(
                        c,
                        what,
                        &text,
                        "2027-01-15 のように西暦の年-月-日で書くか、空欄にしてください",
                    );
                    None
                }
            }
        };
        let left = dated(cols.left, "離任日", true);
        let joined = dated(cols.joined, "公表日", false);
        let attribute_at = [cols.gender, cols.track, cols.age].map(|c| c.filter(|&c| !cell(c).is_empty()).map(at));
        if let (Some(ministry), Some(grade), Some(team)) = (ministry, grade, teams.last_mut()) {
            team.members.push(Member {
                ministry: ministry.to_string(),
                grade: grade.name(),
                name: opt(cols.name),
                position: opt(cols.position),
                gender,
                age,
                track,
                left,
                joined,
                at: at(cols.ministry),
                attribute_at,
            });
        }
    }
    let mut numbers = BTreeMap::new();
    for t in &teams {
        if let Some(first) = numbers.insert(t.number, t.place.clone()) {
            problems.push(
                Diagnostic::error(
                    t.place_at.clone(),
                    format!("チーム番号 {} が「{first}」と「{}」の二つにあります", t.number, t.place),
                )
                .with_help("市町村名の前の番号（チーム番号の列があればその列）を直してください"),
            );
        }
    }
    if problems.error_count() == 0 {
        Ok(Read {
            teams,
            attributes: cols.attributes(),
        })
    } else {
        Err(ImportError::Rows(problems))
    }
}
