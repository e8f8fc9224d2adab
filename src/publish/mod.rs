//! 公表 — the holdback boundary: Registry + as-of → the published view.
//!
//! Pipeline position: `validate` → **`publish`** → `aggregate` → `render`. Everything after this
//! phase takes a [`Published`], never the [`Registry`], so a record whose release instant is
//! later than the as-of cannot reach a page, a count, a chart or a file (SPEC §3).

pub mod holdback;

use std::collections::{BTreeMap, HashMap};

use crate::model::{
    Application, Asset, AssetPath, Cohort, CohortNo, Ministry, MinistryId, Municipality, MunicipalityCode, Page,
    Program, Registry, Report, Site, Team, TeamNo,
};
use crate::time::Instant;

/// What a build at `as_of` may show: only released records, and only the reference records
/// (municipalities, assets) that a released record uses.
#[derive(Debug)]
pub struct Published<'r> {
    pub as_of: Instant,
    /// 非公開プレビュー: everything is published and every page says so.
    pub preview: bool,
    pub site: &'r Site,
    /// All of ministries.yaml, in display order (reference data, not records).
    pub ministries: &'r [Ministry],
    pub cohorts: Vec<&'r Cohort>,
    pub teams: Vec<&'r Team>,
    /// Aggregate-only: never listed, only counted.
    pub applications: Vec<&'r Application>,
    pub reports: Vec<&'r Report>,
    pub pages: Vec<&'r Page>,
    /// Other national 伴走支援 (programs/), each whole: a programme is released at once.
    pub programs: Vec<&'r Program>,
    /// Municipalities with published support (a team, or a programme).
    pub municipalities: BTreeMap<MunicipalityCode, &'r Municipality>,
    /// Assets that a published report or page refers to.
    pub assets: BTreeMap<AssetPath, &'r Asset>,
    /// Lookups over the lists above (built once; pages ask them thousands of times).
    team_index: HashMap<(CohortNo, TeamNo), &'r Team>,
    reports_by_team: HashMap<(CohortNo, TeamNo), Vec<&'r Report>>,
    teams_by_municipality: HashMap<MunicipalityCode, Vec<&'r Team>>,
}

/// The published view of `reg` at `as_of`; with `preview`, everything.
pub fn publish(reg: &Registry, as_of: Instant, preview: bool) -> Published<'_> {
    let out = |t: Instant| preview || t <= as_of;
    let cohorts: Vec<&Cohort> = reg.cohorts.iter().filter(|c| out(c.announce)).collect();
    let cohort_out = |no: CohortNo| cohorts.iter().any(|c| c.no == no);
    let teams: Vec<&Team> = reg
        .teams
        .iter()
        .filter(|t| cohort_out(t.cohort) && out(t.announce))
        .collect();
    let team_out = |c: CohortNo, n: TeamNo| teams.iter().any(|t| t.cohort == c && t.no == n);
    let reports: Vec<&Report> = reg
        .reports
        .iter()
        .filter(|r| team_out(r.cohort, r.team) && out(r.release))
        .collect();
    let pages: Vec<&Page> = reg.pages.iter().filter(|p| p.release.is_none_or(out)).collect();
    let applications = reg.applications.iter().filter(|a| cohort_out(a.cohort)).collect();
    let programs: Vec<&Program> = reg.programs.iter().filter(|p| p.release.is_none_or(out)).collect();
    let supported = teams.iter().map(|t| t.municipality).chain(
        programs
            .iter()
            .flat_map(|p| p.support.iter().flat_map(|s| s.municipalities.iter().copied())),
    );
    let municipalities = supported
        .filter_map(|code| reg.municipalities.get(&code).map(|m| (m.code, m)))
        .collect();

    let referenced = reports
        .iter()
        .flat_map(|r| r.attachments.iter().map(|a| &a.asset).chain(r.body.assets.values()))
        .chain(pages.iter().flat_map(|p| p.body.assets.values()));
    let assets = referenced
        .filter_map(|a| reg.assets.get(a).map(|asset| (a.clone(), asset)))
        .collect();
    let team_index = teams.iter().map(|t| ((t.cohort, t.no), *t)).collect();
    let mut reports_by_team: HashMap<(CohortNo, TeamNo), Vec<&Report>> = HashMap::new();
    for r in &reports {
        reports_by_team.entry((r.cohort, r.team)).or_default().push(r);
    }
    let mut teams_by_municipality: HashMap<MunicipalityCode, Vec<&Team>> = HashMap::new();
    for t in &teams {
        teams_by_municipality.entry(t.municipality).or_default().push(t);
    }
    Published {
        as_of,
        preview,
        site: &reg.site,
        ministries: &reg.ministries,
        cohorts,
        teams,
        applications,
        reports,
        pages,
        programs,
        municipalities,
        assets,
        team_index,
        reports_by_team,
        teams_by_municipality,
    }
}

impl<'r> Published<'r> {
    pub fn ministry(&self, id: MinistryId) -> &'r Ministry {
        &self.ministries[id.0]
    }

    /// The newest published cohort.
    pub fn latest_cohort(&self) -> Option<&'r Cohort> {
        self.cohorts.iter().max_by_key(|c| c.no).copied()
    }

    pub fn teams_of(&self, cohort: CohortNo) -> impl Iterator<Item = &'r Team> + '_ {
        self.teams.iter().copied().filter(move |t| t.cohort == cohort)
    }

    pub fn team(&self, cohort: CohortNo, no: TeamNo) -> Option<&'r Team> {
        self.team_index.get(&(cohort, no)).copied()
    }

    /// A team's published reports, in file order.
    pub fn reports_of(&self, cohort: CohortNo, team: TeamNo) -> impl Iterator<Item = &'r Report> + '_ {
        self.reports_by_team.get(&(cohort, team)).into_iter().flatten().copied()
    }

    /// The published teams supporting a municipality, oldest cohort first.
    pub fn teams_in(&self, code: MunicipalityCode) -> impl DoubleEndedIterator<Item = &'r Team> + '_ {
        self.teams_by_municipality.get(&code).into_iter().flatten().copied()
    }

    /// The municipality a published team supports.
    pub fn municipality(&self, code: MunicipalityCode) -> &'r Municipality {
        self.municipalities[&code]
    }
}
