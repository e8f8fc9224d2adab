//! 名簿の取り込み — a roster (an Excel or OpenDocument workbook, or CSV/TSV exported from one)
//! → cohorts/<n>/teams.yaml.
//!
//! Reads .xlsx/.xlsm/.xlsb/.xls/.ods directly (the first sheet with the headings, or
//! `--sheet`), or CSV/TSV in UTF-8 (with or without BOM), UTF-16 or Shift_JIS/CP932, with the
//! columns of the official list (市町村名 with 都道府県 and the team number, 所属府省庁, 役職; a
//! team's further members on the rows below with 市町村名 empty or merged), optionally 氏名,
//! 職名, 団体コード, 都道府県, 継続, 課題分野, and the aggregate-only 性別, 年齢, 事務官・技官.
//! Every cell that cannot be mapped is reported at its line and column (or sheet and cell) and
//! nothing is written; no row is dropped silently. An existing teams.yaml is updated: what the
//! roster does not carry (継続, 課題分野, 公表日時, and each member's name, attributes and
//! オフィサー flag when the member is the same) is kept.
//!
//! Attributes the roster carries go into cohort.yaml as counts (`declared.breakdowns`), not into
//! teams.yaml per person, unless `keep_attributes` is asked for (SPEC §6 (d)).

mod cohort_yaml;
pub mod gazetteer;
mod grid;
mod roster;
mod teams_yaml;
pub mod workbook;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde_saphyr::{DoubleQuoted, FlowMap};

use crate::diag::Diagnostics;
use crate::load::RawContent;
use crate::load::raw::RawTeam;
use crate::model::{Attribute, MunicipalityCode, Registry};
use grid::Grid;
use roster::{Team, decode, pick_sheet, read_roster};
use teams_yaml::{Carried, comment, emit, merge, to_yaml, verify};
pub use workbook::WorkbookReader;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The sheet of a workbook to read (default: the first with the roster's headings).
    pub sheet: Option<String>,
    /// Write 性別・年齢・事務官/技官 per person into teams.yaml (needed for breakdowns by
    /// prefecture) instead of as the cohort's counts in cohort.yaml.
    pub keep_attributes: bool,
    /// Where a workbook is read: the command line reads it in a bounded child process.
    pub reader: WorkbookReader,
}

/// The roster's aggregate-only attributes and where they went.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    /// Counts per category ([`Attribute::categories`]) of each attribute the roster has a
    /// column for.
    pub counts: BTreeMap<Attribute, Vec<u32>>,
    /// Members whose cell for the attribute is empty.
    pub unrecorded: BTreeMap<Attribute, usize>,
    /// Written per person into teams.yaml (`--keep-attributes`) rather than as counts.
    pub per_person: bool,
    /// cohort.yaml was changed (breakdowns written, or removed for `--keep-attributes`).
    pub cohort_file: Option<PathBuf>,
    /// Declared breakdowns replaced by different counts: the figures they had.
    pub replaced: BTreeMap<Attribute, Vec<u32>>,
    /// Declared breakdowns already public that the roster's counts differ from by fewer than
    /// `min_group_size` people: kept as they were (SPEC §6 (c)), with the counts not written.
    pub held: BTreeMap<Attribute, Vec<u32>>,
    /// Attributes the roster has no column for that teams.yaml still holds per person (kept
    /// from the old file), with how many members have them.
    pub still_per_person: BTreeMap<Attribute, usize>,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub teams_file: PathBuf,
    pub teams: usize,
    pub members: usize,
    /// How the roster was read: its encoding (CSV/TSV) or its sheet (`シート「名簿」`).
    pub read_as: String,
    /// What became of the roster's aggregate-only attributes.
    pub attributes: Attributes,
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
        "{2}: 名簿に「{0}」の列がありません（見つかった列: {1}）。見出しの行に 市町村名、所属府省庁、役職 を入れてください"
    )]
    Column(&'static str, String, String),
    #[error(
        "{0} はパスワードで保護されているため読めません。Excel などでパスワードを外して保存し直してから取り込んでください"
    )]
    Password(PathBuf),
    #[error("{0} をブックとして読めません: {1}")]
    Workbook(PathBuf, String),
    #[error(
        "{0} のセル {1} に値がありますが、名簿の表から遠く離れています。そのセルの値を消して保存し直してから取り込んでください"
    )]
    TooFar(PathBuf, String),
    /// Beyond the stated bound of a workbook's parts (SPEC §6 (e)); nothing was read.
    #[error(
        "{0} は大きすぎるため読みません: {1}。名簿の表だけを新しいブックに写して保存し直してから取り込んでください"
    )]
    TooLarge(PathBuf, String),
    /// Reading needed more than the reader's bounds (a damaged or hostile file).
    #[error(
        "{0} を読むのに上限（{1}）を超えたため、読むのをやめました（何も書き込んでいません）。ファイルが壊れているか、名簿ではありません。表計算ソフトで開いて名簿の表だけを新しいブックに写し、保存し直してください"
    )]
    Bound(PathBuf, String),
    /// cohort.yaml as rewritten would not read back as meant; nothing was written.
    #[error("書き出す cohort.yaml を読み直すと内容が変わってしまうため、何も書き込んでいません（{0}）")]
    CohortVerify(String),
    #[error("シート「{0}」がありません（あるシート: {1}）。--sheet にシート名を書いてください")]
    NoSheet(String, String),
    #[error(
        "{0} がないため、名簿の{1}を期の集計として書けません。先に cohort.yaml を作るか、--keep-attributes で一人ひとりの記録に書いてください"
    )]
    NoCohortFile(PathBuf, String),
    /// Every cell that cannot be mapped, each pointing at its line and column of the file.
    #[error("名簿の {} 件の問題のため取り込めません", .0.error_count())]
    Rows(Diagnostics),
    #[error("名簿を読めません: {0}")]
    Csv(String),
    /// What import wrote would not read back as meant; nothing was written.
    #[error("書き出す teams.yaml を読み直すと内容が変わってしまうため、何も書き込んでいません（{0}）")]
    Verify(String),
}

/// Import the roster at `path` as the teams of cohort `cohort` into the content `raw` was read
/// from (`reg` is its validated form: the ministries and municipalities cells are read against).
/// Everything is worked out and read back in memory first; then municipalities.yaml,
/// cohort.yaml and teams.yaml are each replaced in one rename.
pub fn import_teams(
    raw: &RawContent,
    reg: &Registry,
    path: &Path,
    cohort: u32,
    opts: &ImportOptions,
) -> Result<Imported, crate::Error> {
    let bytes = read_roster_file(path)?;
    let content = raw.root.as_path();
    let dir_of = raw.cohorts.iter().find(|d| d.name == cohort.to_string());
    let existing: Vec<&RawTeam> = dir_of
        .into_iter()
        .flat_map(|d| d.teams.iter().flat_map(|l| l.items.iter()))
        .collect();
    let Roster {
        teams,
        yaml,
        kept,
        read_as,
        mut attributes,
    } = roster(&bytes, path, reg, &existing, opts)?;
    let dir = content.join("cohorts").join(cohort.to_string());
    let teams_file = dir.join("teams.yaml");

    // cohort.yaml: the roster's counts replace the declared breakdowns of its attributes
    // (or, kept per person, the declared ones are dropped so the two do not disagree).
    let cohort_file = dir.join("cohort.yaml");
    let declared: BTreeMap<Attribute, Vec<u32>> = dir_of
        .and_then(|d| d.cohort.as_ref())
        .and_then(|c| c.raw.declared.as_ref())
        .and_then(|d| d.breakdowns.as_ref())
        .map(crate::model::validate::declared_breakdowns)
        .unwrap_or_default();
    // Figures already public move only by at least k people, as per-person counts do: a
    // smaller change would tell, by comparing two builds, the attribute of whoever joined,
    // left or was corrected.
    let public = reg
        .cohort(crate::model::CohortNo(cohort))
        .is_some_and(|c| c.announce <= crate::time::Instant::now());
    let k = reg.site.min_group_size;
    let mut breakdowns = declared.clone();
    for (a, counts) in &attributes.counts {
        if opts.keep_attributes {
            breakdowns.remove(a);
            continue;
        }
        match declared.get(a) {
            Some(old) if old == counts => {}
            Some(old) if public && moved(old, counts) < k => {
                attributes.held.insert(*a, counts.clone());
            }
            Some(old) => {
                attributes.replaced.insert(*a, old.clone());
                breakdowns.insert(*a, counts.clone());
            }
            None => {
                breakdowns.insert(*a, counts.clone());
            }
        }
    }
    let cohort_text = if breakdowns == declared {
        None
    } else {
        let names: Vec<&str> = attributes.counts.keys().map(|a| a.name()).collect();
        let text = std::fs::read_to_string(&cohort_file)
            .map_err(|_| ImportError::NoCohortFile(cohort_file.clone(), names.join("・")))?;
        let source = path
            .file_name()
            .map(|n| comment(&n.to_string_lossy()))
            .unwrap_or_default();
        let note = format!(
            "名簿 {source} から banso import teams で集計（これらの属性は teams.yaml に個人ごとには書いていません）"
        );
        Some(cohort_yaml::with_breakdowns(&text, &breakdowns, &note)?)
    };

    let mut added: Vec<(MunicipalityCode, String)> = Vec::new();
    let mut new_munis = Vec::new();
    for code in teams.iter().filter_map(|t| t.code) {
        if !reg.municipalities.contains_key(&code) && !added.iter().any(|(c, _)| *c == code) {
            if let Some(k) = gazetteer::by_code(code) {
                new_munis.push(FlowMap(MunicipalityYaml {
                    code: DoubleQuoted(k.code.to_string()),
                    name: DoubleQuoted(k.name),
                    kana: DoubleQuoted(k.kana),
                    population: k.population,
                    population_as_of: DoubleQuoted(k.population_as_of),
                }));
                added.push((code, format!("{}{} ({})", k.prefecture, k.name, k.code)));
            }
        }
    }
    let munis = if new_munis.is_empty() {
        None
    } else {
        let path = content.join("municipalities.yaml");
        let mut current = std::fs::read_to_string(&path).unwrap_or_default();
        if !current.is_empty() && !current.ends_with('\n') {
            current.push('\n');
        }
        let before = entries(&current);
        current.push_str(&to_yaml(&new_munis)?);
        if entries(&current) != before.map(|n| n + added.len()) {
            return Err(ImportError::Verify("municipalities.yaml に加える行が読めません".into()).into());
        }
        Some((path, current))
    };

    std::fs::create_dir_all(&dir).map_err(|e| ImportError::Io(dir.clone(), e))?;
    if let Some((path, text)) = &munis {
        write_atomically(path, text)?;
    }
    if let Some(text) = &cohort_text {
        write_atomically(&cohort_file, text)?;
        attributes.cohort_file = Some(cohort_file);
    }
    write_atomically(&teams_file, &yaml)?;
    Ok(Imported {
        teams_file,
        teams: teams.len(),
        members: teams.iter().map(|t| t.members.len()).sum(),
        read_as,
        attributes,
        added_municipalities: added.into_iter().map(|(_, s)| s).collect(),
        kept,
    })
}

/// The roster file's bytes, refused beyond [`workbook::FILE_BOUND`] before it is read.
fn read_roster_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    let io = |e| ImportError::Io(path.to_path_buf(), e);
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, workbook::FILE_BOUND + 1), &mut bytes).map_err(io)?;
    if bytes.len() as u64 > workbook::FILE_BOUND {
        let bound = format!("ファイルの大きさ（上限 {} MB）", workbook::FILE_BOUND >> 20);
        return Err(ImportError::TooLarge(path.to_path_buf(), bound));
    }
    Ok(bytes)
}

/// A roster read and turned into teams.yaml, not yet written anywhere.
pub struct Roster {
    teams: Vec<Team>,
    /// The new teams.yaml, already read back and found to say what was meant.
    pub yaml: String,
    /// Teams that kept fields from the existing teams.yaml.
    pub kept: usize,
    /// The encoding of a text roster, or the sheet of a workbook.
    pub read_as: String,
    /// The counts of the roster's aggregate-only attributes.
    pub attributes: Attributes,
}

/// The roster file's bytes (`name` is its file name) → the new teams.yaml, with what the roster
/// lacks kept from `existing`. Writes nothing; `import_teams` writes the result. Every problem of
/// the roster is an error here.
pub fn roster(
    bytes: &[u8],
    name: &Path,
    reg: &Registry,
    existing: &[&RawTeam],
    opts: &ImportOptions,
) -> Result<Roster, ImportError> {
    let file: Arc<str> = Arc::from(name.display().to_string());
    let (grid, read_as) = if workbook::is_workbook(bytes) {
        let sheets = workbook::read(bytes, name, opts.sheet.as_deref(), &opts.reader)?;
        let grids = sheets.into_iter().map(|s| Grid::of_sheet(s, &file)).collect();
        let grid = pick_sheet(grids)
            .ok_or_else(|| ImportError::Workbook(name.to_path_buf(), "シートがひとつもありません".into()))?;
        let read_as = format!("シート「{}」", grid.sheet().unwrap_or_default());
        (grid, read_as)
    } else {
        let (text, encoding) = decode(bytes, name)?;
        (Grid::from_text(&text, &file)?, encoding.to_string())
    };
    let read = read_roster(&grid, reg)?;
    let all: Vec<&roster::Member> = read.teams.iter().flat_map(|t| t.members.iter()).collect();
    // A column with no value in it says nothing: it neither replaces counts nor erases values.
    let recorded: Vec<Attribute> = read
        .attributes
        .iter()
        .copied()
        .filter(|&a| all.iter().any(|m| m.category(a).is_some()))
        .collect();
    let mut attributes = Attributes {
        per_person: opts.keep_attributes && !recorded.is_empty(),
        ..Attributes::default()
    };
    for &a in &recorded {
        let mut counts = vec![0; a.categories().len()];
        let mut unrecorded = 0;
        for m in &all {
            match m.category(a) {
                Some(i) => counts[i] += 1,
                None => unrecorded += 1,
            }
        }
        attributes.counts.insert(a, counts);
        attributes.unrecorded.insert(a, unrecorded);
    }
    let carried = Carried {
        attributes: &recorded,
        per_person: opts.keep_attributes,
    };
    let (out, kept) = merge(&read.teams, existing, carried);
    if !opts.keep_attributes {
        for a in Attribute::ALL.into_iter().filter(|a| !recorded.contains(a)) {
            let n = out
                .iter()
                .flat_map(|t| t.members.iter())
                .filter(|m| match a {
                    Attribute::Gender => m.gender.is_some(),
                    Attribute::Age => m.age.is_some(),
                    Attribute::Track => m.track.is_some(),
                })
                .count();
            if n > 0 {
                attributes.still_per_person.insert(a, n);
            }
        }
    }
    let yaml = emit(&out, name)?;
    verify(&yaml, &out)?;
    Ok(Roster {
        teams: read.teams,
        yaml,
        kept,
        read_as,
        attributes,
    })
}

/// How many people two breakdowns of one attribute differ by: the larger of those added to
/// categories and those taken from them.
fn moved(old: &[u32], new: &[u32]) -> u32 {
    let (mut up, mut down) = (0, 0);
    for (o, n) in old.iter().zip(new) {
        up += n.saturating_sub(*o);
        down += o.saturating_sub(*n);
    }
    up.max(down)
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

/// A municipality import adds to municipalities.yaml, from the gazetteer, on one line.
#[derive(Serialize)]
struct MunicipalityYaml {
    code: DoubleQuoted<String>,
    name: DoubleQuoted<&'static str>,
    kana: DoubleQuoted<&'static str>,
    population: u64,
    population_as_of: DoubleQuoted<&'static str>,
}

#[cfg(test)]
mod tests;
