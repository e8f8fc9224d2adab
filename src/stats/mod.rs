//! 集計 — figures of the published view: headline figures, charts, declared-vs-records.
//!
//! Pipeline position: `publish` → **`aggregate`** → `render`. Takes only [`Published`], so no
//! figure can count a held-back record. Person-attribute breakdowns follow SPEC §6 within a
//! build and across builds ([`person`]).

pub mod charts;
pub mod person;
pub mod suppress;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Attribute, CohortNo, Member, Team};
use crate::publish::Published;
pub use charts::{Chart, ChartId, Series};
pub use suppress::Tally;

/// Every figure the site shows.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Per published cohort, by number.
    pub cohorts: Vec<CohortStats>,
    /// The cohort comparison, once two cohorts are published.
    pub comparison: Option<Chart>,
    /// Per prefecture code: its figures in each published cohort it has teams in.
    pub prefectures: BTreeMap<u8, Vec<PrefectureStats>>,
}

/// 主要数値 — what the top and cohort pages lead with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Headline {
    pub teams: u32,
    pub members: u32,
    pub municipalities: u32,
    pub prefectures: u32,
    /// 地方創生支援オフィサー among the members.
    pub officers: u32,
    /// Members who have left (離任) among the members: counted, since they served.
    pub left: u32,
}

/// One declared (公表) figure next to what the published records count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredFigure {
    pub label: &'static str,
    pub unit: &'static str,
    pub declared: u32,
    /// `None` where the records cannot count it (e.g. staff applicants).
    pub records: Option<u32>,
    /// One of the four headline figures (shown from the records anyway).
    pub in_headline: bool,
}

impl DeclaredFigure {
    pub fn agrees(&self) -> bool {
        self.records.is_none_or(|r| r == self.declared)
    }
}

#[derive(Debug, Clone)]
pub struct CohortStats {
    pub no: CohortNo,
    pub headline: Headline,
    pub declared: Vec<DeclaredFigure>,
    /// In the order of the official summary, then ministry and 課題分野; none for a cohort
    /// without its roster.
    pub charts: Vec<Chart>,
    /// Whether the figures come from records (else from the declared figures alone).
    pub roster: bool,
}

/// A prefecture's figures in one cohort.
#[derive(Debug, Clone)]
pub struct PrefectureStats {
    pub cohort: CohortNo,
    pub headline: Headline,
    /// 役職.
    pub charts: Vec<Chart>,
}

impl Stats {
    pub fn cohort(&self, no: CohortNo) -> Option<&CohortStats> {
        self.cohorts.iter().find(|c| c.no == no)
    }
}

fn headline(teams: &[&Team]) -> Headline {
    let members = teams.iter().flat_map(|t| t.members.iter());
    let municipalities: BTreeSet<_> = teams.iter().map(|t| t.municipality).collect();
    let prefectures: BTreeSet<_> = municipalities.iter().map(|c| c.prefecture().code).collect();
    Headline {
        teams: teams.len() as u32,
        members: members.clone().count() as u32,
        municipalities: municipalities.len() as u32,
        prefectures: prefectures.len() as u32,
        officers: members.clone().filter(|m| m.is_officer).count() as u32,
        left: members.filter(|m| m.left.is_some()).count() as u32,
    }
}

/// Aggregate the published view.
pub fn aggregate(p: &Published) -> Stats {
    let k = p.site.min_group_size;
    let mut cohorts = Vec::new();
    let mut prefectures: BTreeMap<u8, Vec<PrefectureStats>> = BTreeMap::new();
    for c in &p.cohorts {
        let teams: Vec<&Team> = p.teams_of(c.no).collect();
        let members: Vec<&Member> = teams.iter().flat_map(|t| t.members.iter()).collect();
        let h = headline(&teams);
        if !c.roster {
            // The declared figures are the cohort's only figures: nothing to compare them with.
            let mut declared = declared_figures(c, &h, 0);
            declared.iter_mut().for_each(|d| d.records = None);
            cohorts.push(CohortStats {
                no: c.no,
                headline: h,
                declared,
                charts: Vec::new(),
                roster: false,
            });
            continue;
        }

        // Per prefecture: headline figures and grades (published per person anyway); gender,
        // age and track only per cohort (see `person`).
        let mut by_pref: BTreeMap<u8, Vec<&Team>> = BTreeMap::new();
        for t in &teams {
            by_pref.entry(t.municipality.prefecture().code).or_default().push(t);
        }
        for (code, ts) in &by_pref {
            let ms: Vec<&Member> = ts.iter().flat_map(|t| t.members.iter()).collect();
            prefectures.entry(*code).or_default().push(PrefectureStats {
                cohort: c.no,
                headline: headline(ts),
                charts: vec![charts::grade_chart(&ms)],
            });
        }

        let person = |attr| charts::person_chart(attr, &person::person_figure(attr, &members, &c.declared, k), k);
        let mut all = vec![
            person(Attribute::Gender),
            person(Attribute::Track),
            charts::grade_chart(&members),
            person(Attribute::Age),
        ];
        let applications: Vec<_> = p.applications.iter().filter(|a| a.cohort == c.no).collect();
        let supported: BTreeSet<_> = teams.iter().map(|t| t.municipality).collect();
        let regions: Vec<_> = supported.iter().map(|m| m.prefecture().region).collect();
        let applicant_regions: Vec<_> = applications
            .iter()
            .map(|a| a.municipality.prefecture().region)
            .collect();
        all.push(charts::region_chart(
            &regions,
            (!applications.is_empty()).then_some(&applicant_regions[..]),
        ));
        let populations: Vec<_> = supported.iter().map(|m| p.municipality(*m).population).collect();
        all.push(charts::population_chart(&populations));
        let mut per_ministry = vec![0u32; p.ministries.len()];
        for m in &members {
            per_ministry[m.ministry.0] += 1;
        }
        let names: Vec<String> = p.ministries.iter().map(|m| m.name.clone()).collect();
        all.push(charts::ministry_chart(&names, &per_ministry));
        let areas: Vec<&[_]> = teams.iter().map(|t| t.areas.as_slice()).collect();
        all.push(charts::area_chart(&areas));

        cohorts.push(CohortStats {
            no: c.no,
            headline: h,
            declared: declared_figures(c, &h, applications.len()),
            charts: all,
            roster: true,
        });
    }
    cohorts.sort_by_key(|c| c.no);
    // Compared: the cohorts counted from their records (a declared-only cohort may lack some).
    let counted: Vec<&CohortStats> = cohorts.iter().filter(|c| c.roster).collect();
    let comparison = (counted.len() >= 2).then(|| {
        let rows: Vec<(String, [u32; 4])> = counted
            .iter()
            .map(|c| {
                let h = c.headline;
                (c.no.label(), [h.teams, h.members, h.municipalities, h.prefectures])
            })
            .collect();
        charts::comparison_chart(&rows)
    });
    Stats {
        cohorts,
        comparison,
        prefectures,
    }
}

fn declared_figures(cohort: &crate::model::Cohort, h: &Headline, applications: usize) -> Vec<DeclaredFigure> {
    let d = &cohort.declared;
    let apps = (applications > 0).then_some(applications as u32);
    [
        ("支援官", "名", d.members, Some(h.members)),
        ("伴走支援チーム", "チーム", d.teams, Some(h.teams)),
        ("支援対象の市町村", "市町村", d.municipalities, Some(h.municipalities)),
        ("支援対象の道府県", "道府県", d.prefectures, Some(h.prefectures)),
        ("国の職員からの応募", "名", d.staff_applicants, None),
        ("応募した市町村", "市町村", d.municipality_applicants, apps),
    ]
    .into_iter()
    .enumerate()
    .filter_map(|(i, (label, unit, declared, records))| {
        declared.map(|declared| DeclaredFigure {
            label,
            unit,
            declared,
            records,
            in_headline: i < 4,
        })
    })
    .collect()
}
