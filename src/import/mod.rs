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
mod roster;
mod teams_yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde_saphyr::{DoubleQuoted, FlowMap};

use crate::diag::Diagnostics;
use crate::load::RawContent;
use crate::load::raw::RawTeam;
use crate::model::{MunicipalityCode, Registry};
use roster::{Team, decode, read_roster};
use teams_yaml::{emit, merge, to_yaml, verify};

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
    let munis_text = if new_munis.is_empty() {
        String::new()
    } else {
        to_yaml(&new_munis)?
    };
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
    let yaml = emit(&out, name)?;
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
