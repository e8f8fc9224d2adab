//! 集計 — figures of the published view: headline figures, charts, declared-vs-records.
//!
//! Pipeline position: `publish` → **`aggregate`** → `render`. Takes only [`Published`], so no
//! figure can count a held-back record. Person-attribute breakdowns follow SPEC §6 within a
//! build and across builds ([`person`]).

pub mod charts;
pub mod figure;
pub mod person;
pub mod suppress;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Attribute, CohortNo};
use crate::publish::Published;
use crate::publish::{Attributes, Member, Person, Team};
pub use charts::{CategoryGroup, Chart, ChartId, Series};
pub use figure::{DeclaredFigure, Figure, Unit};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, Hash)]
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

impl Headline {
    /// The headline's count of a figure; `None` for one the records cannot count.
    pub fn count(&self, f: Figure) -> Option<u32> {
        match f {
            Figure::Members => Some(self.members),
            Figure::Teams => Some(self.teams),
            Figure::Municipalities => Some(self.municipalities),
            Figure::Prefectures => Some(self.prefectures),
            Figure::StaffApplicants | Figure::MunicipalityApplicants => None,
        }
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
#[derive(Debug, Clone, Hash)]
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

    /// The cohorts whose pages draw a breakdown of gender, age or track.
    pub fn with_person_breakdowns(&self) -> impl Iterator<Item = CohortNo> + '_ {
        self.cohorts
            .iter()
            .filter(|s| {
                s.charts
                    .iter()
                    .any(|c| matches!(c.id, ChartId::Gender | ChartId::Age | ChartId::Track) && c.shows_figures())
            })
            .map(|s| s.no)
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

/// Aggregate the published view, with its members' aggregate-only attributes (`people`).
pub fn aggregate(p: &Published, people: &Attributes) -> Stats {
    let k = p.site.min_group_size;
    let mut cohorts = Vec::new();
    let mut prefectures: BTreeMap<u8, Vec<PrefectureStats>> = BTreeMap::new();
    for c in &p.cohorts {
        let teams: Vec<&Team> = p.teams_of(c.no).collect();
        let members: Vec<&Member> = teams.iter().flat_map(|t| t.members.iter()).collect();
        let persons: Vec<&Person> = (0..p.teams.len())
            .filter(|&i| p.teams[i].cohort == c.no)
            .flat_map(|i| people.of_team(i))
            .collect();
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
                charts: vec![based(charts::grade_chart(&ms), base_people(ms.len()))],
            });
        }

        let when = |at| p.when(at);
        let person =
            |attr| charts::person_chart(attr, &person::person_figure(attr, &persons, &c.declared, k), k, &when);
        let places = |n: usize| format!("伴走支援チーム一覧の{n}市町村による。");
        let mut all = vec![
            person(Attribute::Gender),
            person(Attribute::Track),
            based(charts::grade_chart(&members), base_people(members.len())),
            person(Attribute::Age),
        ];
        let applications: Vec<_> = p.applications.iter().filter(|a| a.cohort == c.no).collect();
        let supported: BTreeSet<_> = teams.iter().map(|t| t.municipality).collect();
        let regions: Vec<_> = supported.iter().map(|m| m.prefecture().region).collect();
        let applicant_regions: Vec<_> = applications
            .iter()
            .map(|a| a.municipality.prefecture().region)
            .collect();
        all.push(based(
            charts::region_chart(&regions, (!applications.is_empty()).then_some(&applicant_regions[..])),
            places(supported.len()),
        ));
        let populations: Vec<_> = supported
            .iter()
            .map(|m| p.municipality(*m).and_then(|m| m.population))
            .collect();
        all.push(based(charts::population_chart(&populations), places(supported.len())));
        let mut per_ministry = vec![0u32; p.ministries.len()];
        for m in &members {
            per_ministry[m.ministry.0] += 1;
        }
        let names: Vec<(String, _)> = p.ministries.iter().map(|m| (m.name.clone(), m.group)).collect();
        all.push(based(
            charts::ministry_chart(&names, &per_ministry),
            base_people(members.len()),
        ));
        let areas: Vec<&[_]> = teams.iter().map(|t| t.areas.as_slice()).collect();
        all.push(based(
            charts::area_chart(&areas),
            format!("伴走支援チーム一覧の{}チームによる。", teams.len()),
        ));

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

/// 「伴走支援チーム一覧の279名による。」: the base of a chart counted from the records.
fn base_people(n: usize) -> String {
    format!("伴走支援チーム一覧の{n}名による。")
}

/// `chart` with the base it is counted from at the head of its note (SPEC §2: a chart computed
/// from the records states its base, which may differ from the declared figure).
fn based(mut chart: Chart, base: String) -> Chart {
    chart.note = Some(match chart.note.take() {
        Some(note) => format!("{base}{note}"),
        None => base,
    });
    chart
}

fn declared_figures(cohort: &crate::model::Cohort, h: &Headline, applications: usize) -> Vec<DeclaredFigure> {
    let d = &cohort.declared;
    let apps = (applications > 0).then_some(applications as u32);
    Figure::ALL
        .into_iter()
        .filter_map(|figure| {
            let n = &d.notes;
            let (declared, note) = match figure {
                Figure::Members => (d.members, &n.members),
                Figure::Teams => (d.teams, &n.teams),
                Figure::Municipalities => (d.municipalities, &n.municipalities),
                Figure::Prefectures => (d.prefectures, &n.prefectures),
                Figure::StaffApplicants => (d.staff_applicants, &n.staff_applicants),
                Figure::MunicipalityApplicants => (d.municipality_applicants, &n.municipality_applicants),
            };
            // Applications are counted from their own records, not the headline.
            let records = match figure {
                Figure::MunicipalityApplicants => apps,
                f => h.count(f),
            };
            declared.map(|declared| DeclaredFigure {
                figure,
                declared,
                records,
                note: note.clone(),
            })
        })
        .collect()
}
