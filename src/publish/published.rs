//! The published view: what a build may show, and the lookups pages ask of it thousands of times
//! (built once, by [`Published::index`]).

use std::collections::{BTreeMap, HashMap};

use super::Team;
use crate::model::{
    Application, Asset, AssetPath, Cohort, CohortNo, Ministry, MinistryNo, Municipality, MunicipalityCode, Page,
    Program, Report, Site, Target, TeamNo,
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
    /// All of ministries.yaml, in display order (reference data, for names; a ministry is
    /// listed only where a published member belongs to it).
    pub ministries: &'r [Ministry],
    /// Sorted by number. `declared` is empty while any team or member of the cohort is held.
    pub cohorts: Vec<Cohort>,
    /// Sorted by (cohort, number), each with its published members only (and none of their
    /// aggregate-only attributes: those are in [`super::Attributes`]).
    pub teams: Vec<Team>,
    /// Aggregate-only: never listed, only counted.
    pub applications: Vec<&'r Application>,
    pub reports: Vec<&'r Report>,
    pub pages: Vec<&'r Page>,
    /// Other national 伴走支援 (programs/), each whole: a programme is released at once.
    pub programs: Vec<&'r Program>,
    /// Municipalities with published support (a team, or a programme).
    pub municipalities: BTreeMap<MunicipalityCode, &'r Municipality>,
    /// Assets that a published report attaches, or that a published body shows and no held
    /// record uses.
    pub assets: BTreeMap<AssetPath, &'r Asset>,
    /// Lookups over the lists above (built once; pages ask them thousands of times).
    pub(super) team_index: HashMap<(CohortNo, TeamNo), usize>,
    pub(super) reports_by_team: HashMap<(CohortNo, TeamNo), Vec<&'r Report>>,
    /// The published reports by (cohort, file stem): what a link to a report asks.
    pub(super) report_stems: std::collections::HashSet<(CohortNo, &'r str)>,
    /// `reports` newest first (see [`Published::reports_newest_first`]).
    pub(super) reports_newest: Vec<&'r Report>,
    pub(super) teams_by_municipality: HashMap<MunicipalityCode, Vec<usize>>,
    /// The 府省庁等 with a page, in display order (see [`Published::ministry_pages`]).
    pub(super) ministry_pages: Vec<MinistryNo>,
}

impl<'r> Published<'r> {
    /// Build the lookups over the lists (teams by (cohort, number) and by municipality, reports
    /// by team, ministries with a page).
    pub(super) fn index(mut self) -> Self {
        self.team_index = self
            .teams
            .iter()
            .enumerate()
            .map(|(i, t)| ((t.cohort, t.no), i))
            .collect();
        self.reports_newest = self.reports.clone();
        self.reports_newest
            .sort_by(|a, b| (b.date, b.release, b.cohort, &b.stem).cmp(&(a.date, a.release, a.cohort, &a.stem)));
        self.report_stems = self.reports.iter().map(|r| (r.cohort, r.stem.as_str())).collect();
        self.reports_by_team = HashMap::new();
        for r in self.reports_newest.iter().copied() {
            self.reports_by_team.entry((r.cohort, r.team)).or_default().push(r);
        }
        self.teams_by_municipality = HashMap::new();
        for (i, t) in self.teams.iter().enumerate() {
            self.teams_by_municipality.entry(t.municipality).or_default().push(i);
        }
        self.ministry_pages = with_pages(self.ministries, &self.teams);
        self
    }
}

/// The ministries with an `id` that a member of `teams` (published ones) belongs to.
fn with_pages(ministries: &[Ministry], teams: &[Team]) -> Vec<MinistryNo> {
    let mut used = vec![false; ministries.len()];
    for m in teams.iter().flat_map(|t| &t.members) {
        used[m.ministry.0] = true;
    }
    (0..ministries.len())
        .map(MinistryNo)
        .filter(|id| used[id.0] && ministries[id.0].slug.is_some())
        .collect()
}

impl<'r> Published<'r> {
    pub fn ministry(&self, id: MinistryNo) -> &Ministry {
        &self.ministries[id.0]
    }

    /// The 府省庁等 that have a page: an `id`, and a published member, in display order.
    pub fn ministry_pages(&self) -> &[MinistryNo] {
        &self.ministry_pages
    }

    /// The site path of a ministry's page, where it has one (`ministries/mlit/`).
    pub fn ministry_href(&self, id: MinistryNo) -> Option<String> {
        self.ministry(id).slug.as_deref().map(crate::model::urls::ministry)
    }

    /// The newest published cohort.
    pub fn latest_cohort(&self) -> Option<&Cohort> {
        self.cohorts.iter().max_by_key(|c| c.no)
    }

    /// The latest published cohort whose team list is kept here (the menu's チーム一覧).
    pub fn latest_roster(&self) -> Option<&Cohort> {
        self.cohorts.iter().filter(|c| c.roster).max_by_key(|c| c.no)
    }

    pub fn cohort(&self, no: CohortNo) -> Option<&Cohort> {
        self.cohorts.iter().find(|c| c.no == no)
    }

    /// The cohort whose unconfirmed announcement `at` is, if it is one (SPEC §2
    /// `announce_confirmed`): such an instant is never shown as the date something happened.
    pub fn unconfirmed(&self, at: Instant) -> Option<&Cohort> {
        self.cohorts.iter().find(|c| c.unconfirmed(at))
    }

    /// `at` as a date a reader may be shown: `None` for an unconfirmed announcement.
    pub fn confirmed(&self, at: Instant) -> Option<Instant> {
        self.unconfirmed(at).is_none().then_some(at)
    }

    /// When something happened, as a page says it: 和暦（西暦）, or the source's words for an
    /// unconfirmed announcement.
    pub fn when(&self, at: Instant) -> String {
        match self.unconfirmed(at) {
            Some(c) => c.announce_label(),
            None => at.date().wareki(),
        }
    }

    pub fn teams_of(&self, cohort: CohortNo) -> impl Iterator<Item = &Team> + '_ {
        self.teams.iter().filter(move |t| t.cohort == cohort)
    }

    pub fn team(&self, cohort: CohortNo, no: TeamNo) -> Option<&Team> {
        self.team_index.get(&(cohort, no)).map(|i| &self.teams[*i])
    }

    /// The published reports, newest first — the one order of every list of reports (the top
    /// page's, /reports/, a ministry's): by the date a report bears, then the later released,
    /// then by cohort and file name, so ties always fall the same way. お知らせ and the feed
    /// answer another question (what the site published last) and order by release instant.
    pub fn reports_newest_first(&self) -> &[&'r Report] {
        &self.reports_newest
    }

    /// A team's published reports, newest first (as [`Published::reports_newest_first`]).
    pub fn reports_of(&self, cohort: CohortNo, team: TeamNo) -> impl Iterator<Item = &Report> + '_ {
        self.reports_by_team.get(&(cohort, team)).into_iter().flatten().copied()
    }

    /// The published teams supporting a municipality, oldest cohort first.
    pub fn teams_in(&self, code: MunicipalityCode) -> impl DoubleEndedIterator<Item = &Team> + '_ {
        self.teams_by_municipality
            .get(&code)
            .into_iter()
            .flatten()
            .map(|i| &self.teams[*i])
    }

    /// A published municipality (one a published team or programme supports).
    pub fn municipality(&self, code: MunicipalityCode) -> Option<&'r Municipality> {
        self.municipalities.get(&code).copied()
    }

    /// The municipality a published team supports: published with the team (`municipalities`
    /// in [`super`] publishes every town a published team supports), so it is always here.
    pub fn town(&self, t: &Team) -> &'r Municipality {
        self.municipalities[&t.municipality]
    }

    /// Whether the page or file a site link points at is part of this build.
    pub fn shows(&self, target: &Target) -> bool {
        match target {
            Target::Fixed => true,
            Target::Asset(a) => self.assets.contains_key(a),
            Target::Cohort(n) => self.cohort(*n).is_some(),
            Target::Comparison => self.cohorts.len() >= 2,
            Target::PrefectureCharts(pref, n) => self.teams_of(*n).any(|t| t.municipality.prefecture().code == *pref),
            Target::Municipality(code) => self.municipalities.contains_key(code),
            Target::Report(n, stem) => self.report_stems.contains(&(*n, stem.as_str())),
            Target::Page(stem) => self.pages.iter().any(|p| &p.stem == stem),
            Target::Program(id) => self.programs.iter().any(|p| &p.id == id),
            Target::Ministries => !self.ministry_pages().is_empty(),
            Target::Ministry(slug) => self
                .ministry_pages()
                .iter()
                .any(|id| self.ministry(*id).slug.as_ref() == Some(slug)),
        }
    }
}
