//! What a release makes public, in the records' own terms: the first thing a person signing off
//! a release reads (「第3期、12チーム、30名、11市町村のページ、報告 0」), before any file.
//!
//! Made from the two published views, not from the files: each list is what is published at
//! the later instant and was not at the earlier one, so it is exactly what two builds differ in.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::publish::Published;

/// The records that become public between two instants, each list in site order.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Public {
    /// 第3期
    pub cohorts: Vec<String>,
    /// In cohort and number order.
    pub teams: Vec<PublicTeam>,
    /// Members newly public (in new teams and joining published ones).
    pub members: usize,
    /// The names among them (members without a name are counted only).
    pub member_names: Vec<String>,
    /// Towns that get a page, in code order.
    pub municipalities: Vec<Place>,
    /// 森町チーム 中間報告（第2期 チーム1）
    pub reports: Vec<String>,
    /// Free pages, by title.
    pub pages: Vec<String>,
    /// Other national 伴走支援, by name and year.
    pub programs: Vec<String>,
}

/// A team that becomes public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicTeam {
    /// 第3期
    pub cohort: String,
    pub number: u32,
    pub place: Place,
}

/// A municipality, with its prefecture apart (lists group by it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub code: String,
    pub prefecture: &'static str,
    pub name: String,
}

impl Place {
    fn of(m: &crate::model::Municipality) -> Place {
        Place {
            code: m.code.to_string(),
            prefecture: m.prefecture().name,
            name: m.name.clone(),
        }
    }
}

impl Public {
    /// Nothing becomes public.
    pub fn is_empty(&self) -> bool {
        self == &Public::default()
    }
}

/// What is published in `b` and not in `a`.
pub fn newly_public(a: &Published, b: &Published) -> Public {
    let cohorts: BTreeSet<_> = a.cohorts.iter().map(|c| c.no).collect();
    let teams: BTreeSet<_> = a.teams.iter().map(|t| (t.cohort, t.no)).collect();
    let reports: BTreeSet<&str> = a.reports.iter().map(|r| &*r.file).collect();
    let pages: BTreeSet<&str> = a.pages.iter().map(|p| p.stem.as_str()).collect();
    let programs: BTreeSet<&str> = a.programs.iter().map(|p| p.id.as_str()).collect();
    let mut public = Public {
        cohorts: b
            .cohorts
            .iter()
            .filter(|c| !cohorts.contains(&c.no))
            .map(|c| c.no.label())
            .collect(),
        municipalities: b
            .municipalities
            .iter()
            .filter(|(code, _)| !a.municipalities.contains_key(code))
            .map(|(_, m)| Place::of(m))
            .collect(),
        reports: b
            .reports
            .iter()
            .filter(|r| !reports.contains(&*r.file))
            .map(|r| format!("{}（{} チーム{}）", r.title, r.cohort.label(), r.team.0))
            .collect(),
        pages: b
            .pages
            .iter()
            .filter(|p| !pages.contains(p.stem.as_str()))
            .map(|p| p.title.clone())
            .collect(),
        programs: b
            .programs
            .iter()
            .filter(|p| !programs.contains(p.id.as_str()))
            .map(|p| format!("{}（{}年度）", p.name, p.fiscal_year))
            .collect(),
        ..Public::default()
    };
    for t in &b.teams {
        let key = (t.cohort, t.no);
        if !teams.contains(&key) {
            public.teams.push(PublicTeam {
                cohort: t.cohort.label(),
                number: t.no.0,
                place: Place::of(b.town(t)),
            });
        }
        // Members are records of their team: the ones beyond those published before, with the
        // names that were not there (a team's members never go, SPEC §6 (c): they leave).
        let before = a.team(t.cohort, t.no).map(|t| t.members.as_slice()).unwrap_or_default();
        public.members += t.members.len().saturating_sub(before.len());
        let named_before: BTreeSet<&str> = before.iter().filter_map(|m| m.name.as_deref()).collect();
        public.member_names.extend(
            t.members
                .iter()
                .filter_map(|m| m.name.as_deref())
                .filter(|n| !named_before.contains(n))
                .map(str::to_string),
        );
    }
    public
}
