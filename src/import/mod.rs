//! 名簿の取り込み — a roster exported from Excel → cohorts/<n>/teams.yaml.
//!
//! Reads CSV or TSV in UTF-8 (with or without BOM) or Shift_JIS/CP932 with the columns of the
//! official list (市町村名 with 都道府県 and the team number, 所属府省庁, 役職; a team's further
//! members on the rows below with 市町村名 empty), optionally 氏名, 職名, 団体コード, 継続,
//! 課題分野. Every cell that cannot be mapped is reported at its line and column and nothing is
//! written; no row is dropped silently. An existing teams.yaml is updated: what the roster does
//! not carry (継続, 課題分野, 公表日時, and each member's name, attributes and オフィサー flag
//! when the member is the same) is kept.

pub mod gazetteer;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Pos, Span, closest};
use crate::load::de::Lenient;
use crate::load::encoding;
use crate::load::RawContent;
use crate::load::raw::{RawMember, RawTeam, Scalar};
use crate::model::reference::Grade;
use crate::model::validate::help;
use crate::model::{IssueAreaNo, MunicipalityCode, Registry, normalize_name};

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub teams_file: PathBuf,
    pub teams: usize,
    pub members: usize,
    pub encoding: &'static str,
    /// Municipalities appended to municipalities.yaml, as `北海道森町 (013455)`.
    pub added_municipalities: Vec<String>,
    /// Teams whose extra fields were kept from the existing teams.yaml.
    pub kept: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0} を読めません: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0} の文字コードを判別できません。UTF-8 か Shift_JIS（CP932）で保存してください")]
    Encoding(PathBuf),
    #[error(
        "名簿に「{0}」の列がありません（見つかった列: {1}）。1行目に 市町村名、所属府省庁、役職 の見出しを入れてください"
    )]
    Column(&'static str, String),
    /// Every cell that cannot be mapped, each pointing at its line and column of the file.
    #[error("名簿の {} 件の問題のため取り込めません", .0.error_count())]
    Rows(Diagnostics),
    #[error("名簿を読めません: {0}")]
    Csv(String),
    /// What import wrote would not read back as meant; nothing was written.
    #[error("書き出す teams.yaml を読み直すと内容が変わってしまうため、何も書き込んでいません（{0}）")]
    Verify(String),
}

/// One team as read from the roster (`code` is `None` only while a problem is pending).
#[derive(Debug, Clone)]
struct Team {
    number: u32,
    /// The line of the file the team starts on, for pointing at its 市町村名 cell.
    line: u32,
    code: Option<MunicipalityCode>,
    place: String,
    continuing: Option<bool>,
    areas: Vec<&'static str>,
    members: Vec<Member>,
}

#[derive(Debug, Clone)]
struct Member {
    ministry: String,
    grade: &'static str,
    name: Option<String>,
    position: Option<String>,
}

/// The roster's text and encoding (see [`encoding::decode`]). Text has no control characters
/// but tab and line ends; a file with others is some encoding this does not know.
fn decode(bytes: &[u8], path: &Path) -> Result<(String, &'static str), ImportError> {
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
fn split_number(cell: &str) -> (Option<u32>, String) {
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
fn read_roster(text: &str, file: &Arc<str>, reg: &Registry) -> Result<Vec<Team>, ImportError> {
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
        let ministry = reg.ministry_index.find(ministry_cell).map(|id| reg.ministry(id).name.as_str());
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

/// Import `csv_path` as the teams of cohort `cohort` into the content `raw` was read from
/// (`reg` is its validated form: the ministries and municipalities cells are read against).
pub fn import_teams(raw: &RawContent, reg: &Registry, csv_path: &Path, cohort: u32) -> Result<Imported, crate::Error> {
    let bytes = std::fs::read(csv_path).map_err(|e| ImportError::Io(csv_path.to_path_buf(), e))?;
    let content = raw.root.as_path();
    let existing: Vec<&RawTeam> = raw
        .cohorts
        .iter()
        .filter(|d| d.name == cohort.to_string())
        .flat_map(|d| d.teams.iter().flat_map(|l| l.items.iter()))
        .collect();
    let Roster {
        teams,
        yaml,
        kept,
        encoding,
    } = roster(&bytes, csv_path, reg, &existing)?;
    let dir = content.join("cohorts").join(cohort.to_string());
    std::fs::create_dir_all(&dir).map_err(|e| ImportError::Io(dir.clone(), e))?;
    let teams_file = dir.join("teams.yaml");

    let mut added: Vec<(MunicipalityCode, String)> = Vec::new();
    let mut munis_text = String::new();
    for code in teams.iter().filter_map(|t| t.code) {
        if !reg.municipalities.contains_key(&code) && !added.iter().any(|(c, _)| *c == code) {
            if let Some(k) = gazetteer::by_code(code) {
                let _ = writeln!(
                    munis_text,
                    "- {{ code: \"{}\", name: {}, kana: {}, population: {}, population_as_of: {} }}",
                    k.code,
                    quoted(k.name),
                    quoted(k.kana),
                    k.population,
                    quoted(k.population_as_of)
                );
                added.push((code, format!("{}{} ({})", k.prefecture, k.name, k.code)));
            }
        }
    }
    if !munis_text.is_empty() {
        let path = content.join("municipalities.yaml");
        let mut current = std::fs::read_to_string(&path).unwrap_or_default();
        if !current.is_empty() && !current.ends_with('\n') {
            current.push('\n');
        }
        let before = entries(&current);
        current.push_str(&munis_text);
        if entries(&current) != before.map(|n| n + added.len()) {
            return Err(ImportError::Verify("municipalities.yaml に加える行が読めません".into()).into());
        }
        write_atomically(&path, &current)?;
    }
    write_atomically(&teams_file, &yaml)?;
    Ok(Imported {
        teams_file,
        teams: teams.len(),
        members: teams.iter().map(|t| t.members.len()).sum(),
        encoding,
        added_municipalities: added.into_iter().map(|(_, s)| s).collect(),
        kept,
    })
}

/// A roster read and turned into teams.yaml, not yet written anywhere.
pub struct Roster {
    teams: Vec<Team>,
    /// The new teams.yaml, already read back and found to say what was meant.
    pub yaml: String,
    /// Teams that kept fields from the existing teams.yaml.
    pub kept: usize,
    pub encoding: &'static str,
}

/// The roster file's bytes (`name` is its file name) → the new teams.yaml, with what the roster
/// lacks kept from `existing`. Writes nothing; `import_teams` writes the result. Every problem of
/// the roster is an error here.
pub fn roster(bytes: &[u8], name: &Path, reg: &Registry, existing: &[&RawTeam]) -> Result<Roster, ImportError> {
    let (text, encoding) = decode(bytes, name)?;
    let teams = read_roster(&text, &Arc::from(name.display().to_string()), reg)?;
    let (out, kept) = merge(&teams, existing);
    let yaml = emit(&out, name);
    verify(&yaml, &out)?;
    Ok(Roster {
        teams,
        yaml,
        kept,
        encoding,
    })
}

/// The number of list entries a municipalities.yaml text holds, `None` if it does not parse.
fn entries(text: &str) -> Option<usize> {
    match crate::load::yaml::parse(text).ok()?.value {
        crate::load::yaml::Value::Seq(items) => Some(items.len()),
        crate::load::yaml::Value::Null => Some(0),
        _ => None,
    }
}

/// Replace `path` by `text` in one rename; the temporary file is a dot-file beside it, so a
/// killed import leaves nothing `load` would read.
fn write_atomically(path: &Path, text: &str) -> Result<(), ImportError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.banso-tmp"));
    std::fs::write(&tmp, text).map_err(|e| ImportError::Io(tmp.clone(), e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        ImportError::Io(path.to_path_buf(), e)
    })
}

/// A YAML double-quoted scalar: every value import writes is quoted, so no cell can end a
/// value early, start a comment (`\t#`), a mapping (`: `) or a flow (`,`), or be read as a
/// number, date or boolean. Control and line-break characters are escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a `# …` comment: on one line whatever the cell held.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// One team as it will be written: the roster's values, and what is kept from the old file.
#[derive(Debug, Clone, PartialEq)]
struct TeamOut {
    number: u32,
    code: MunicipalityCode,
    place: String,
    continuing: Option<bool>,
    themes: Vec<String>,
    announce: Option<String>,
    members: Vec<MemberOut>,
}

#[derive(Debug, Clone, PartialEq)]
struct MemberOut {
    ministry: String,
    grade: String,
    name: Option<String>,
    position: Option<String>,
    officer: bool,
    announce: Option<String>,
    left: Option<String>,
    gender: Option<String>,
    age: Option<u32>,
    track: Option<String>,
}

/// The roster's teams with what the roster lacks kept from `existing` where the team (same
/// number and municipality) and the member (same place, ministry and grade) are the same:
/// 継続, 課題分野, 公表日時, and each member's name, position, オフィサー flag, own 公表日時,
/// 離任日 and attributes. Returns the teams and how many kept something.
fn merge(teams: &[Team], existing: &[&RawTeam]) -> (Vec<TeamOut>, usize) {
    let mut kept = 0;
    let mut out = Vec::new();
    for t in teams {
        let Some(code) = t.code else { continue };
        let old = existing
            .iter()
            .find(|o| o.number.value == t.number && code_of(&o.municipality.value) == Some(code));
        kept += usize::from(old.is_some());
        let text = |v: Option<&crate::load::de::Sp<String>>| v.map(|x| x.value.clone());
        let members = t
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let prev: Option<&RawMember> = old
                    .and_then(|o| o.members.value.get(i))
                    .and_then(|l| l.0.as_ref())
                    .filter(|p| {
                        normalize_name(&p.ministry.value) == normalize_name(&m.ministry)
                            && Grade::parse(&p.grade.value).map(Grade::name) == Some(m.grade)
                    });
                MemberOut {
                    ministry: m.ministry.clone(),
                    grade: m.grade.to_string(),
                    name: m.name.clone().or_else(|| text(prev.and_then(|p| p.name.as_ref()))),
                    position: m
                        .position
                        .clone()
                        .or_else(|| text(prev.and_then(|p| p.position.as_ref()))),
                    officer: prev.and_then(|p| p.officer.as_ref()).is_some_and(|o| o.value),
                    announce: text(prev.and_then(|p| p.announce.as_ref())),
                    left: text(prev.and_then(|p| p.left.as_ref())),
                    gender: text(prev.and_then(|p| p.gender.as_ref())),
                    age: prev.and_then(|p| p.age.as_ref()).map(|a| a.value),
                    track: text(prev.and_then(|p| p.track.as_ref())),
                }
            })
            .collect();
        out.push(TeamOut {
            number: t.number,
            code,
            place: t.place.clone(),
            continuing: t
                .continuing
                .or(old.and_then(|o| o.continuing.as_ref()).map(|c| c.value)),
            themes: if t.areas.is_empty() {
                old.map(|o| o.themes.iter().map(|a| a.value.clone()).collect())
                    .unwrap_or_default()
            } else {
                t.areas.iter().map(|a| a.to_string()).collect()
            },
            announce: old.and_then(|o| o.announce.as_ref()).map(|a| a.value.clone()),
            members,
        });
    }
    (out, kept)
}

/// teams.yaml for `teams`, every scalar quoted.
fn emit(teams: &[TeamOut], source: &Path) -> String {
    let file_name = source
        .file_name()
        .map(|n| comment(&n.to_string_lossy()))
        .unwrap_or_default();
    let mut y = format!("# 名簿 {file_name} から banso import teams で作成。\n");
    for t in teams {
        let _ = writeln!(
            y,
            "- number: {}\n  municipality: \"{}\"   # {}",
            t.number,
            t.code,
            comment(&t.place)
        );
        if let Some(c) = t.continuing {
            let _ = writeln!(y, "  continuing: {c}");
        }
        if !t.themes.is_empty() {
            let themes: Vec<String> = t.themes.iter().map(|a| quoted(a)).collect();
            let _ = writeln!(y, "  themes: [{}]", themes.join(", "));
        }
        if let Some(a) = &t.announce {
            let _ = writeln!(y, "  announce: {}", quoted(a));
        }
        y.push_str("  members:\n");
        for m in &t.members {
            let mut fields = vec![
                format!("ministry: {}", quoted(&m.ministry)),
                format!("grade: {}", quoted(&m.grade)),
            ];
            let text_fields = [
                ("name", &m.name),
                ("position", &m.position),
                ("announce", &m.announce),
                ("left", &m.left),
                ("gender", &m.gender),
            ];
            for (key, value) in text_fields {
                if let Some(v) = value {
                    fields.push(format!("{key}: {}", quoted(v)));
                }
            }
            if m.officer {
                fields.push("officer: true".into());
            }
            if let Some(a) = m.age {
                fields.push(format!("age: {a}"));
            }
            if let Some(t) = &m.track {
                fields.push(format!("track: {}", quoted(t)));
            }
            let _ = writeln!(y, "    - {{ {} }}", fields.join(", "));
        }
    }
    y
}

/// Read `yaml` back as banso reads teams.yaml and compare with what was meant to be written;
/// a difference (a cell that changed the file's meaning) stops the import before any file
/// is replaced.
fn verify(yaml: &str, teams: &[TeamOut]) -> Result<(), ImportError> {
    let fail = |what: String| Err(ImportError::Verify(what));
    let node = match crate::load::yaml::parse(yaml) {
        Ok(n) => n,
        Err(e) => return fail(format!("{}行目: {}", e.pos.line, e.message)),
    };
    let sink = crate::load::de::Sink::default();
    let read: Option<Vec<Lenient<RawTeam>>> = crate::load::de::from_node(&node, &sink);
    if let Some(issue) = sink.into_issues().into_iter().next() {
        return fail(format!("{}行目: {}", issue.pos.line, issue.message));
    }
    let read: Vec<RawTeam> = read.unwrap_or_default().into_iter().filter_map(|l| l.0).collect();
    if read.len() != teams.len() {
        return fail(format!("{}チームのはずが{}チーム", teams.len(), read.len()));
    }
    let text = |v: &Option<crate::load::de::Sp<String>>| v.as_ref().map(|x| x.value.clone());
    for (r, t) in read.iter().zip(teams) {
        let members: Vec<MemberOut> = r
            .members
            .value
            .iter()
            .filter_map(|l| l.0.as_ref())
            .map(|m| MemberOut {
                ministry: m.ministry.value.clone(),
                grade: m.grade.value.clone(),
                name: text(&m.name),
                position: text(&m.position),
                officer: m.officer.as_ref().is_some_and(|o| o.value),
                announce: text(&m.announce),
                left: text(&m.left),
                gender: text(&m.gender),
                age: m.age.as_ref().map(|a| a.value),
                track: text(&m.track),
            })
            .collect();
        let back = TeamOut {
            number: r.number.value,
            code: code_of(&r.municipality.value).unwrap_or(t.code),
            place: t.place.clone(),
            continuing: r.continuing.as_ref().map(|c| c.value),
            themes: r.themes.iter().map(|a| a.value.clone()).collect(),
            announce: text(&r.announce),
            members,
        };
        if &back != t || code_of(&r.municipality.value) != Some(t.code) {
            return fail(format!("チーム {}（{}）が書いたとおりに読めません", t.number, t.place));
        }
    }
    Ok(())
}

fn code_of(s: &Scalar) -> Option<MunicipalityCode> {
    match s {
        Scalar::Text(t) => MunicipalityCode::parse(t).ok(),
        Scalar::Int(i) => MunicipalityCode::from_int(*i).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_off_the_place() {
        assert_eq!(split_number("01.北海道森町"), (Some(1), "北海道森町".to_string()));
        assert_eq!(
            split_number("９７．沖縄県与那国町"),
            (Some(97), "沖縄県与那国町".to_string())
        );
        assert_eq!(split_number("北海道森町"), (None, "北海道森町".to_string()));
    }

    #[test]
    fn every_scalar_is_quoted_and_escaped() {
        assert_eq!(quoted("防衛省"), "\"防衛省\"");
        assert_eq!(quoted("山田\t# 太郎"), "\"山田\\t# 太郎\"");
        assert_eq!(quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(quoted("x\u{1b}y\u{2028}"), "\"x\\u001By\\u2028\"");
        assert_eq!(comment("森町\n- number: 99"), "森町 - number: 99");
    }

    #[test]
    fn what_is_written_reads_back_as_meant() {
        let team = TeamOut {
            number: 1,
            code: MunicipalityCode::parse("013455").unwrap(),
            place: "北海道森町\n# x".into(),
            continuing: Some(true),
            themes: vec!["観光".into()],
            announce: Some("2026-03-27T10:00:00+09:00".into()),
            members: vec![MemberOut {
                ministry: "防衛省".into(),
                grade: "補佐級".into(),
                name: Some("山田\t#太郎, gender: 女性".into()),
                position: Some("課長補佐: 総務".into()),
                officer: true,
                announce: Some("2026-05-01".into()),
                left: Some("2026-12-31".into()),
                gender: Some("女性".into()),
                age: Some(41),
                track: Some("no".into()),
            }],
        };
        let yaml = emit(std::slice::from_ref(&team), Path::new("名簿\n.csv"));
        verify(&yaml, std::slice::from_ref(&team)).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        // A writer that did not quote would fail here rather than write a broken file.
        let unquoted = yaml.replace("\"山田\\t#太郎, gender: 女性\"", "山田\t#太郎, gender: 女性");
        assert!(verify(&unquoted, &[team]).is_err(), "{unquoted}");
    }

    #[test]
    fn shift_jis_is_read() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("市町村名,所属府省庁,役職\n");
        let (text, enc) = decode(&bytes, Path::new("x.csv")).unwrap();
        assert_eq!(enc, "Shift_JIS");
        assert!(text.starts_with("市町村名"));
        let (text, enc) = decode("\u{feff}市町村名".as_bytes(), Path::new("x.csv")).unwrap();
        assert_eq!((text.as_str(), enc), ("市町村名", "UTF-8"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("市町村名\t役職".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&utf16, Path::new("x.txt")).unwrap(),
            ("市町村名\t役職".to_string(), "UTF-16")
        );
        assert!(decode(&[0x81, 0xff, 0xfd], Path::new("x.csv")).is_err());
    }
}
