//! 前回公開したサイト — what the public site last showed, as `import teams` needs it to keep
//! every published record and figure (SPEC §6 (e)): the as-of of that site, the teams it
//! listed, and each cohort's published breakdowns of 性別・年齢・事務官/技官.
//!
//! Read from the output folder of that build (`--previous`, default `output`): its marker gives
//! the as-of, `data/teams.csv` the teams, `data/summary.json` the breakdowns. A path to the
//! summary.json itself is taken as inside such a folder. "Public" is what that site showed, not
//! what content/ says now (a roster imported but never built is not public).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::ImportError;
use crate::model::Attribute;
use crate::time::Instant;

/// What the public site last showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Previous {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// The as-of of that site (`None` from an older banso's marker).
    pub as_of: Option<Instant>,
    /// Cohorts on that site, with each attribute's breakdown as shown: counts in
    /// [`Attribute::categories`] order (a category it did not show counts 0), or `None` where
    /// it showed none (suppressed, not given).
    pub cohorts: BTreeMap<u32, BTreeMap<Attribute, Option<Vec<u32>>>>,
    /// (cohort, team number) of every team it listed.
    pub teams: BTreeSet<(u32, u32)>,
}

impl Previous {
    /// Whether cohort `cohort`'s team `number` was on the public site.
    pub fn has_team(&self, cohort: u32, number: u32) -> bool {
        self.teams.contains(&(cohort, number))
    }

    /// The breakdown of `a` that cohort `cohort` showed, if any.
    pub fn shown(&self, cohort: u32, a: Attribute) -> Option<&Vec<u32>> {
        self.cohorts.get(&cohort)?.get(&a)?.as_ref()
    }
}

/// Read the previous site at `path` (its output folder, or its data/summary.json). `Ok(None)`
/// when there is no such folder (no site published from here yet); an error when it is there
/// but cannot be read as a banso site.
pub fn read(path: &Path) -> Result<Option<Previous>, ImportError> {
    let dir = if path.is_file() {
        // …/data/summary.json → …
        match path.parent().and_then(Path::parent) {
            Some(d) => d.to_path_buf(),
            None => return Err(unreadable(path, "出力フォルダの data/summary.json を指定してください")),
        }
    } else {
        path.to_path_buf()
    };
    if !dir.exists() {
        return Ok(None);
    }
    let marker = crate::output::read_marker(&dir)
        .filter(|m| m.kind == crate::output::OutputKind::Public)
        .ok_or_else(|| unreadable(&dir, "banso が作った公開用の出力フォルダではありません"))?;
    let summary_path = dir.join("data/summary.json");
    let summary: serde_json::Value = std::fs::read(&summary_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| unreadable(&summary_path, "読めません"))?;
    let teams_path = dir.join("data/teams.csv");
    let teams = teams_of(&teams_path)?;
    let mut cohorts = BTreeMap::new();
    for c in summary["cohorts"].as_array().into_iter().flatten() {
        let Some(no) = c["cohort"].as_u64() else {
            return Err(unreadable(&summary_path, "期の番号がありません"));
        };
        let mut shown = BTreeMap::new();
        for a in Attribute::ALL {
            let chart = c["charts"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|ch| ch["id"] == chart_id(a));
            shown.insert(a, chart.and_then(|ch| counts(a, ch)));
        }
        cohorts.insert(no as u32, shown);
    }
    Ok(Some(Previous {
        dir,
        as_of: marker.as_of,
        cohorts,
        teams,
    }))
}

fn unreadable(path: &Path, why: &str) -> ImportError {
    ImportError::Previous(path.to_path_buf(), why.to_string())
}

fn chart_id(a: Attribute) -> &'static str {
    match a {
        Attribute::Gender => "gender",
        Attribute::Age => "age",
        Attribute::Track => "track",
    }
}

/// A chart's counts in category order, `None` if it shows none (suppressed or absent).
fn counts(a: Attribute, chart: &serde_json::Value) -> Option<Vec<u32>> {
    if chart["suppressed"].as_bool() != Some(false) {
        return None;
    }
    let categories = chart["categories"].as_array()?;
    let values = chart["series"][0]["values"].as_array()?;
    let mut out = vec![0; a.categories().len()];
    for (c, v) in categories.iter().zip(values) {
        let i = a.categories().iter().position(|k| Some(*k) == c.as_str())?;
        out[i] = u32::try_from(v.as_u64()?).ok()?;
    }
    Some(out)
}

/// (期, チーム番号) of the rows of a teams.csv.
fn teams_of(path: &Path) -> Result<BTreeSet<(u32, u32)>, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|_| unreadable(path, "読めません"))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader
        .headers()
        .map_err(|_| unreadable(path, "見出しの行が読めません"))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(cohort), Some(number)) = (col("期"), col("チーム番号")) else {
        return Err(unreadable(path, "期とチーム番号の列がありません"));
    };
    let mut teams = BTreeSet::new();
    for row in reader.records() {
        let row = row.map_err(|_| unreadable(path, "行が読めません"))?;
        let n = |i: usize| row.get(i).and_then(|v| v.trim().parse::<u32>().ok());
        match (n(cohort), n(number)) {
            (Some(c), Some(t)) => teams.insert((c, t)),
            _ => return Err(unreadable(path, "期とチーム番号が数字でない行があります")),
        };
    }
    Ok(teams)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_counts_are_read_by_category_name_and_withheld_ones_are_none() {
        let chart = serde_json::json!({"id":"gender","suppressed":false,"categories":["男性","女性"],"series":[{"name":"人数","values":[15,15]}]});
        assert_eq!(counts(Attribute::Gender, &chart), Some(vec![15, 15, 0]));
        let withheld = serde_json::json!({"id":"gender","suppressed":true,"categories":["男性","女性","回答しない"],"series":[{"name":"人数","values":[null,null,null]}]});
        assert_eq!(counts(Attribute::Gender, &withheld), None);
    }
}
