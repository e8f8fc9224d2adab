//! 名簿の取り込み — a roster (an Excel or OpenDocument workbook, or CSV/TSV exported from one)
//! → `cohorts/<n>/teams.yaml`.
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
mod counts;
pub mod gazetteer;
mod grid;
mod merge;
mod pairing;
pub mod previous;
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
use crate::model::{Attribute, Breakdown, MunicipalityCode, Registry};
use counts::{counts_of, given, moved, recorded_attributes, still_per_person};
use grid::Grid;
pub use merge::Changes;
pub use previous::Previous;
use roster::{decode, pick_sheet, read_roster};
use teams_yaml::{Carried, comment, emit, to_yaml, verify};
pub use workbook::WorkbookReader;

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The sheet of a workbook to read (default: the first with the roster's headings).
    pub sheet: Option<String>,
    /// Write 性別・年齢・事務官/技官 per person into teams.yaml (needed for breakdowns by
    /// prefecture) instead of as the cohort's counts in cohort.yaml.
    pub keep_attributes: bool,
    /// Remove the teams the roster lacks that are not public yet (public ones are refused).
    pub complete: bool,
    /// The import's instant: when a member absent from a public team leaves and a newcomer
    /// joins (the caller's clock, or `--as-of`).
    pub as_of: crate::time::Instant,
    /// The output folder of the site last published (or its data/summary.json): what is
    /// already public (SPEC §6 (e)).
    pub previous: PathBuf,
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
    /// Breakdowns the public site shows that the roster's counts differ from by fewer than
    /// `min_group_size` people: the published counts are kept (SPEC §6 (c)), these not written.
    pub held: BTreeMap<Attribute, Vec<u32>>,
    /// Attributes not counted for the cohort because the roster lacks some of its teams.
    pub partial: Vec<Attribute>,
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
    /// Every team and member added, changed, left, joined or kept.
    pub changes: Changes,
    /// The site read as the one last published, if there was one.
    pub previous: Option<Previous>,
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
    #[error("{0} の結合セル {1} と {2} が重なっています。結合を解除して、セルごとに値を書いて保存し直してください")]
    OverlappingMerge(String, String, String),
    /// The site last published could not be read as such.
    #[error(
        "前回公開したサイト {0} を読めません（{1}）。--previous に、公開しているサイトを作った出力フォルダを指定してください"
    )]
    Previous(PathBuf, String),
    /// A cohort that may be public, and no published site to say what it showed.
    #[error(
        "第{1}期はすでに公表されている可能性がありますが、前回公開したサイトが {0} にありません。公開中の表示を崩さないため、--previous に公開しているサイトの出力フォルダを指定してください（まだ一度も公開していないなら、--as-of に第{1}期の公表より前の時刻を指定できます）"
    )]
    NoPrevious(PathBuf, u32),
    /// The import's instant is before the site last published.
    #[error(
        "取り込みの時刻 {0} が、前回公開したサイトの基準時刻 {1} より前です。公開済みの表示を過去にさかのぼって書き換えないため、取り込めません"
    )]
    BeforePrevious(String, String),
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
    let dir = content.join("cohorts").join(cohort.to_string());
    let teams_file = dir.join("teams.yaml");
    let teams_rel: Arc<str> = Arc::from(format!("cohorts/{cohort}/teams.yaml").as_str());

    // What the public site last showed (SPEC §6 (e)), read before anything is decided.
    let previous = previous::read(&opts.previous)?;
    let possibly_public = reg
        .cohort(crate::model::CohortNo(cohort))
        .is_some_and(|c| c.announce <= opts.as_of);
    let public_cohort = match &previous {
        Some(p) => p.cohorts.contains_key(&cohort),
        None if possibly_public => return Err(ImportError::NoPrevious(opts.previous.clone(), cohort).into()),
        None => false,
    };
    if let Some(floor) = previous.as_ref().and_then(|p| p.as_of).filter(|f| *f > opts.as_of) {
        return Err(ImportError::BeforePrevious(opts.as_of.display_ja(), floor.display_ja()).into());
    }

    let (read, read_as) = read_file(&bytes, path, reg, opts)?;
    let old_text = std::fs::read_to_string(&teams_file).ok();
    let rests = old_text.as_deref().map(teams_yaml::rests).unwrap_or_default();
    let place = |code: MunicipalityCode| {
        reg.municipalities
            .get(&code)
            .map(|m| m.full_name())
            .or_else(|| gazetteer::by_code(code).map(|k| format!("{}{}", k.prefecture, k.name)))
            .unwrap_or_else(|| code.to_string())
    };
    let recorded = recorded_attributes(&read);
    let ministry = |written: &str| reg.ministry_index.find(written).map(|id| reg.ministry(id).name.clone());
    let merger = merge::Merge {
        cohort,
        as_of: opts.as_of,
        previous: previous.as_ref(),
        complete: opts.complete,
        carried: Carried {
            attributes: &recorded,
            per_person: opts.keep_attributes,
        },
        teams_file: Arc::clone(&teams_rel),
        rests: &rests,
        place: &place,
        ministry: &ministry,
    };
    let merged = merger.run(&read.teams, &existing).map_err(ImportError::Rows)?;

    let k = reg.site.min_group_size;
    // Per person (--keep-attributes): corrections of recorded values that move a published
    // breakdown by fewer than k people would tell, by comparing two builds, whose value it was.
    // The move is measured as everywhere: the larger of the people added to categories and the
    // people taken from them ([`moved`]).
    if opts.keep_attributes && public_cohort {
        let mut problems = Diagnostics::new();
        for a in Attribute::ALL {
            let these: Vec<&merge::Correction> = merged.corrections.iter().filter(|c| c.attribute == a).collect();
            let mut before = vec![0; a.categories().len()];
            let mut after = before.clone();
            for c in &these {
                before[c.before] += 1;
                after[c.after] += 1;
            }
            let by = moved(&before, &after);
            let shown = previous.as_ref().and_then(|p| p.shown(cohort, a)).is_some();
            if shown && by > 0 && by < k {
                for c in &these {
                    problems.push(
                        crate::diag::Diagnostic::error(
                            c.cell.clone(),
                            format!("公表済みの{}の内訳を{by}名分だけ変える訂正です", a.name()),
                        )
                        .with_help(format!(
                            "公表済みの内訳は、最小集計人数（{k}名）以上の違いがあるときだけ変えられます。少数の訂正を載せると、前の版と比べて誰の値かがわかってしまいます。訂正はまとめて行うか、この値を元に戻してください"
                        )),
                    );
                }
            }
        }
        if problems.error_count() > 0 {
            return Err(ImportError::Rows(problems).into());
        }
    }

    let mut attributes = counts_of(&read, &recorded, opts.keep_attributes);
    if !opts.keep_attributes {
        attributes.still_per_person = still_per_person(&merged.teams, &recorded);
    }
    // A roster without some of the cohort's teams cannot give the cohort's counts.
    let partial = !merged.changes.kept.is_empty();
    let cohort_file = dir.join("cohort.yaml");
    let declared: BTreeMap<Attribute, Breakdown> = dir_of
        .and_then(|d| d.cohort.as_ref())
        .and_then(|c| c.raw.declared.as_ref())
        .and_then(|d| d.breakdowns.as_ref())
        .map(crate::model::validate::declared_breakdowns)
        .unwrap_or_default();
    let mut breakdowns = declared.clone();
    for (a, counts) in attributes.counts.clone() {
        if opts.keep_attributes {
            breakdowns.remove(&a);
            continue;
        }
        if partial {
            attributes.partial.push(a);
            continue;
        }
        // Compared with what the public site last showed, not with cohort.yaml: a roster
        // imported but never built is not public.
        let published = previous.as_ref().and_then(|p| p.shown(cohort, a)).cloned();
        let new = match published {
            Some(shown) if moved(&shown, &counts) > 0 && moved(&shown, &counts) < k => {
                attributes.held.insert(a, counts.clone());
                shown
            }
            _ => counts,
        };
        let new = given(&new);
        match declared.get(&a) {
            Some(old) if *old == new => {}
            Some(old) => {
                attributes.replaced.insert(a, crate::model::counts_of(old));
                breakdowns.insert(a, new);
            }
            None => {
                breakdowns.insert(a, new);
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

    // The secretariat's notes at the top of the old file stay on top of the new one.
    let kept_comments = old_text
        .as_deref()
        .map(teams_yaml::leading_comments)
        .unwrap_or_default();
    let yaml = emit(&merged.teams, path, &kept_comments)?;
    verify(&yaml, &merged.teams)?;

    let mut added: Vec<(MunicipalityCode, String)> = Vec::new();
    let mut new_munis = Vec::new();
    for code in read.teams.iter().filter_map(|t| t.code) {
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
        teams: read.teams.len(),
        members: read.teams.iter().map(|t| t.members.len()).sum(),
        read_as,
        attributes,
        added_municipalities: added.into_iter().map(|(_, s)| s).collect(),
        changes: merged.changes,
        previous,
    })
}

/// The teams.yaml a roster file makes for a cohort that has none yet (nothing public), read back
/// and found to say what was meant; writes nothing. Every problem of the roster is an error.
/// (What `import_teams` does first, apart for tests and fuzzing: any bytes either give a
/// teams.yaml that parses or are refused.)
pub fn roster_yaml(bytes: &[u8], name: &Path, reg: &Registry) -> Result<String, ImportError> {
    let opts = ImportOptions {
        sheet: None,
        keep_attributes: false,
        complete: false,
        as_of: crate::time::Instant::from_second(0).expect("the epoch is an instant"),
        previous: PathBuf::new(),
        reader: WorkbookReader::InProcess,
    };
    let (read, _) = read_file(bytes, name, reg, &opts)?;
    let recorded = recorded_attributes(&read);
    let place = |code: MunicipalityCode| code.to_string();
    let merger = merge::Merge {
        cohort: 0,
        as_of: opts.as_of,
        previous: None,
        complete: false,
        carried: Carried {
            attributes: &recorded,
            per_person: false,
        },
        teams_file: Arc::from("teams.yaml"),
        rests: &BTreeMap::new(),
        place: &place,
        ministry: &|_: &str| None,
    };
    let merged = merger.run(&read.teams, &[]).map_err(ImportError::Rows)?;
    let yaml = emit(&merged.teams, name, "")?;
    verify(&yaml, &merged.teams)?;
    Ok(yaml)
}

/// The roster's rows, from a workbook's sheet or a text file.
fn read_file(
    bytes: &[u8],
    name: &Path,
    reg: &Registry,
    opts: &ImportOptions,
) -> Result<(roster::Read, String), ImportError> {
    let file: Arc<str> = Arc::from(name.display().to_string());
    let (grid, read_as) = if workbook::is_workbook(bytes) {
        let sheets = workbook::read(bytes, name, opts.sheet.as_deref(), &opts.reader)?;
        let grids = sheets
            .into_iter()
            .map(|s| Grid::of_sheet(s, &file))
            .collect::<Result<Vec<_>, _>>()?;
        let grid = pick_sheet(grids)
            .ok_or_else(|| ImportError::Workbook(name.to_path_buf(), "シートがひとつもありません".into()))?;
        let read_as = format!("シート「{}」", grid.sheet().unwrap_or_default());
        (grid, read_as)
    } else {
        let (text, encoding) = decode(bytes, name)?;
        (Grid::from_text(&text, &file)?, encoding.to_string())
    };
    Ok((read_roster(&grid, reg)?, read_as))
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
