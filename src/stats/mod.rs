//! 集計 — figures of the published view: headline figures, breakdowns, declared-vs-records.
//!
//! Pipeline position: `publish` → **`aggregate`** → `render`. Takes only [`Published`], so no
//! figure can count a held-back record.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{CohortNo, Grade, IssueAreaNo, MinistryId, PopulationBand, Region};
use crate::publish::Published;

/// Every figure the site shows.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Per published cohort, by number.
    pub cohorts: Vec<CohortStats>,
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
    /// Every ministry of ministries.yaml in display order, with its member count.
    pub by_ministry: Vec<(MinistryId, u32)>,
    pub by_grade: Vec<(Grade, u32)>,
    /// Teams per region, and applying municipalities per region when applications are recorded.
    pub by_region: Vec<(Region, u32, Option<u32>)>,
    /// Teams per prefecture code (only prefectures with teams).
    pub by_prefecture: BTreeMap<u8, u32>,
    /// Supported municipalities per population band; the last figure counts those without a
    /// recorded population.
    pub by_population: Vec<(PopulationBand, u32)>,
    pub population_unknown: u32,
    pub by_area: Vec<(IssueAreaNo, u32)>,
    /// Teams whose 課題分野 are not recorded.
    pub area_unknown: u32,
}

/// Aggregate the published view.
pub fn aggregate(p: &Published) -> Stats {
    let mut cohorts: Vec<CohortStats> = p.cohorts.iter().map(|c| cohort_stats(p, c.no)).collect();
    cohorts.sort_by_key(|c| c.no);
    Stats { cohorts }
}

impl Stats {
    pub fn cohort(&self, no: CohortNo) -> Option<&CohortStats> {
        self.cohorts.iter().find(|c| c.no == no)
    }
}

fn cohort_stats(p: &Published, no: CohortNo) -> CohortStats {
    let teams: Vec<_> = p.teams_of(no).collect();
    let members = teams.iter().flat_map(|t| t.members.iter());
    let municipalities: BTreeSet<_> = teams.iter().map(|t| t.municipality).collect();
    let prefectures: BTreeSet<_> = municipalities.iter().map(|c| c.prefecture().code).collect();
    let headline = Headline {
        teams: teams.len() as u32,
        members: members.clone().count() as u32,
        municipalities: municipalities.len() as u32,
        prefectures: prefectures.len() as u32,
        officers: members.clone().filter(|m| m.is_officer).count() as u32,
    };

    let mut ministry = vec![0u32; p.ministries.len()];
    let mut grade: BTreeMap<Grade, u32> = Grade::ALL.iter().map(|g| (*g, 0)).collect();
    for m in members {
        ministry[m.ministry.0] += 1;
        *grade.entry(m.grade).or_default() += 1;
    }

    let applications: Vec<_> = p.applications.iter().filter(|a| a.cohort == no).collect();
    let by_region = Region::ALL
        .iter()
        .map(|r| {
            let t = teams
                .iter()
                .filter(|t| t.municipality.prefecture().region == *r)
                .count() as u32;
            let a = (!applications.is_empty()).then(|| {
                applications
                    .iter()
                    .filter(|a| a.municipality.prefecture().region == *r)
                    .count() as u32
            });
            (*r, t, a)
        })
        .collect();
    let mut by_prefecture = BTreeMap::new();
    for t in &teams {
        *by_prefecture.entry(t.municipality.prefecture().code).or_insert(0) += 1;
    }

    let mut population: BTreeMap<PopulationBand, u32> = PopulationBand::ALL.iter().map(|b| (*b, 0)).collect();
    let mut population_unknown = 0;
    for code in &municipalities {
        match p.municipality(*code).population {
            Some(n) => *population.entry(PopulationBand::of(n)).or_default() += 1,
            None => population_unknown += 1,
        }
    }
    let mut area: BTreeMap<IssueAreaNo, u32> = IssueAreaNo::all().map(|a| (a, 0)).collect();
    for t in &teams {
        for a in &t.areas {
            *area.entry(*a).or_default() += 1;
        }
    }

    CohortStats {
        no,
        headline,
        declared: declared_figures(p, no, &headline, &applications),
        by_ministry: ministry
            .into_iter()
            .enumerate()
            .map(|(i, n)| (MinistryId(i), n))
            .collect(),
        by_grade: grade.into_iter().collect(),
        by_region,
        by_prefecture,
        by_population: population.into_iter().collect(),
        population_unknown,
        by_area: area.into_iter().collect(),
        area_unknown: teams.iter().filter(|t| t.areas.is_empty()).count() as u32,
    }
}

fn declared_figures(
    p: &Published,
    no: CohortNo,
    h: &Headline,
    applications: &[&&crate::model::Application],
) -> Vec<DeclaredFigure> {
    let Some(cohort) = p.cohorts.iter().find(|c| c.no == no) else {
        return Vec::new();
    };
    let d = &cohort.declared;
    let apps = (!applications.is_empty()).then_some(applications.len() as u32);
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
