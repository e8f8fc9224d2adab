//! 公表 — the holdback boundary: Registry + as-of → the published view, and what is held.
//!
//! Pipeline position: `validate` → **`publish`** → `aggregate` → `render`. Everything after this
//! phase takes a [`Published`], never the [`Registry`], so a record whose release instant is
//! later than the as-of cannot reach a page, a count, a chart or a file (SPEC §3). The same pass
//! lists what it left out ([`Holdback`]), so `build`, `holdback` and `serve` share one
//! definition of "released".
//!
//! Published records are handed out as they may be shown, not as they are stored: a team
//! carries only its published members, a cohort with a held team or member carries no declared
//! figures, and a departure (`left`) appears only once its date has come.

pub mod holdback;
mod stated;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{
    Application, Asset, AssetPath, Attribute, Cohort, CohortNo, Declared, Member, Ministry, MinistryId, Municipality,
    MunicipalityCode, Page, Program, Registry, Report, Site, Target, Team, TeamNo,
};
use crate::time::Instant;
pub use holdback::{Held, HeldKind, HeldLink, Holdback};
pub use stated::StatedFigure;

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
    /// Sorted by (cohort, number), each with its published members only.
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
    team_index: HashMap<(CohortNo, TeamNo), usize>,
    reports_by_team: HashMap<(CohortNo, TeamNo), Vec<&'r Report>>,
    teams_by_municipality: HashMap<MunicipalityCode, Vec<usize>>,
    /// The 府省庁等 with a page, in display order (see [`Published::ministry_pages`]).
    ministry_pages: Vec<MinistryId>,
}

/// The result of [`publish`]: what may be shown, and what is held with its release instants.
/// Render takes only the first.
#[derive(Debug)]
pub struct Release<'r> {
    pub published: Published<'r>,
    pub holdback: Holdback,
}

/// The published view of `reg` at `as_of` (with `preview`, everything), and what is held.
///
/// One pass decides each record once: a record is *released* when its release instant is at
/// or before the as-of (the one definition, shared by `build`, `holdback`, `serve` and `diff`);
/// a released record of a released parent is published, and every record not released is
/// listed as held. A preview publishes everything, and still lists what a public build holds.
pub fn publish(reg: &Registry, as_of: Instant, preview: bool) -> Release<'_> {
    let released = |t: Instant| t <= as_of;
    let shown = |t: Instant| preview || released(t);
    let mut held = Vec::new();

    let mut cohort_shown = BTreeSet::new();
    for c in &reg.cohorts {
        if !released(c.announce) {
            held.push(Held::cohort(c));
        }
        if shown(c.announce) {
            cohort_shown.insert(c.no);
        }
    }
    // A cohort that declares a breakdown counts by it alone: its members' own values of that
    // attribute are not published, so the counts cannot switch between the two sources.
    let declared_attrs = |no: CohortNo| -> Vec<Attribute> {
        reg.cohort(no)
            .map(|c| c.declared.breakdowns.keys().copied().collect())
            .unwrap_or_default()
    };
    // Cohorts with a team or member not shown: their declared figures describe more than is.
    let mut incomplete: BTreeSet<CohortNo> = BTreeSet::new();
    let mut teams: Vec<Team> = Vec::new();
    for t in &reg.teams {
        if !released(t.announce) {
            held.push(Held::team(reg, t));
        }
        let team_shown = cohort_shown.contains(&t.cohort) && shown(t.announce);
        let declared = declared_attrs(t.cohort);
        let mut members = Vec::with_capacity(t.members.len());
        for (i, m) in t.members.iter().enumerate() {
            // A member joining later is held on their own; with a held team, they go with it.
            if !released(m.announce) && m.announce > t.announce {
                held.push(Held::member(reg, t, i, m));
            }
            if !shown(m.announce) {
                incomplete.insert(t.cohort);
                continue;
            }
            let mut m = Member {
                left: m.left.filter(|d| shown(d.start())),
                ..m.clone()
            };
            for a in &declared {
                m.clear(*a);
            }
            members.push(m);
        }
        if team_shown {
            teams.push(Team { members, ..t.clone() });
        } else {
            incomplete.insert(t.cohort);
        }
    }
    let cohorts: Vec<Cohort> = reg
        .cohorts
        .iter()
        .filter(|c| cohort_shown.contains(&c.no))
        .map(|c| Cohort {
            declared: if incomplete.contains(&c.no) {
                Declared::default()
            } else {
                c.declared.clone()
            },
            ..c.clone()
        })
        .collect();
    let published_team: BTreeSet<(CohortNo, TeamNo)> = teams.iter().map(|t| (t.cohort, t.no)).collect();
    let (mut reports, mut held_reports) = (Vec::new(), Vec::new());
    for r in &reg.reports {
        if !released(r.release) {
            held.push(Held::report(r));
        }
        if published_team.contains(&(r.cohort, r.team)) && shown(r.release) {
            reports.push(r);
        } else {
            held_reports.push(r);
        }
    }
    let (mut pages, mut held_pages) = (Vec::new(), Vec::new());
    for p in &reg.pages {
        if let Some(t) = p.release.filter(|t| !released(*t)) {
            held.push(Held::page(p, t));
        }
        if p.release.is_none_or(shown) {
            pages.push(p);
        } else {
            held_pages.push(p);
        }
    }
    let mut programs: Vec<&Program> = Vec::new();
    for p in &reg.programs {
        if let Some(t) = p.release.filter(|t| !released(*t)) {
            held.push(Held::program(p, t));
        }
        if p.release.is_none_or(shown) {
            programs.push(p);
        }
    }
    holdback::sort(&mut held);
    let applications = reg
        .applications
        .iter()
        .filter(|a| cohort_shown.contains(&a.cohort))
        .collect();
    let supported = teams.iter().map(|t| t.municipality).chain(
        programs
            .iter()
            .flat_map(|p| p.support.iter().flat_map(|s| s.municipalities.iter().copied())),
    );
    let municipalities = supported
        .filter_map(|code| reg.municipalities.get(&code).map(|m| (m.code, m)))
        .collect();

    // An asset a held record uses is held with it, unless a published report attaches it.
    let held_uses: BTreeSet<&AssetPath> = held_reports
        .iter()
        .flat_map(|r| r.attachments.iter().map(|a| &a.asset).chain(r.body.assets()))
        .chain(held_pages.iter().flat_map(|p| p.body.assets()))
        .collect();
    let attached = reports.iter().flat_map(|r| r.attachments.iter().map(|a| &a.asset));
    let shown_in_bodies = reports
        .iter()
        .map(|r| &r.body)
        .chain(pages.iter().map(|p| &p.body))
        .flat_map(|b| b.assets())
        .filter(|a| !held_uses.contains(a));
    let assets = attached
        .chain(shown_in_bodies)
        .filter_map(|a| reg.assets.get(a).map(|asset| (a.clone(), asset)))
        .collect();

    let team_index = teams.iter().enumerate().map(|(i, t)| ((t.cohort, t.no), i)).collect();
    let mut reports_by_team: HashMap<(CohortNo, TeamNo), Vec<&Report>> = HashMap::new();
    for r in &reports {
        reports_by_team.entry((r.cohort, r.team)).or_default().push(r);
    }
    let mut teams_by_municipality: HashMap<MunicipalityCode, Vec<usize>> = HashMap::new();
    for (i, t) in teams.iter().enumerate() {
        teams_by_municipality.entry(t.municipality).or_default().push(i);
    }
    let ministry_pages = with_pages(&reg.ministries, &teams);
    let published = Published {
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
        ministry_pages,
    };
    let holdback = Holdback {
        as_of,
        held,
        links: held_links(&published),
        figures: stated::stated_figures(reg, &published),
    };
    Release { published, holdback }
}

/// Links of published bodies to something held: rendered as text alone, and warned about.
fn held_links(p: &Published) -> Vec<HeldLink> {
    let bodies = p
        .reports
        .iter()
        .map(|r| (&r.file, &r.body))
        .chain(p.pages.iter().map(|pg| (&pg.file, &pg.body)));
    let mut out: Vec<HeldLink> = bodies
        .flat_map(|(file, body)| {
            body.links
                .iter()
                .filter(|(_, l)| !p.shows(&l.target))
                .map(move |(dest, l)| HeldLink {
                    file: std::sync::Arc::clone(file),
                    pos: l.pos,
                    dest: dest.clone(),
                })
        })
        .collect();
    out.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
    out
}

/// The ministries with an `id` that a member of `teams` (published ones) belongs to.
fn with_pages(ministries: &[Ministry], teams: &[Team]) -> Vec<MinistryId> {
    let mut used = vec![false; ministries.len()];
    for m in teams.iter().flat_map(|t| &t.members) {
        used[m.ministry.0] = true;
    }
    (0..ministries.len())
        .map(MinistryId)
        .filter(|id| used[id.0] && ministries[id.0].slug.is_some())
        .collect()
}

impl Published<'_> {
    pub fn ministry(&self, id: MinistryId) -> &Ministry {
        &self.ministries[id.0]
    }

    /// The 府省庁等 that have a page: an `id`, and a published member, in display order.
    pub fn ministry_pages(&self) -> &[MinistryId] {
        &self.ministry_pages
    }

    /// The site path of a ministry's page, where it has one (`ministries/mlit/`).
    pub fn ministry_href(&self, id: MinistryId) -> Option<String> {
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

    pub fn teams_of(&self, cohort: CohortNo) -> impl Iterator<Item = &Team> + '_ {
        self.teams.iter().filter(move |t| t.cohort == cohort)
    }

    pub fn team(&self, cohort: CohortNo, no: TeamNo) -> Option<&Team> {
        self.team_index.get(&(cohort, no)).map(|i| &self.teams[*i])
    }

    /// A team's published reports, in file order.
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

    /// The municipality a published team supports.
    pub fn municipality(&self, code: MunicipalityCode) -> &Municipality {
        self.municipalities[&code]
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
            Target::Report(n, stem) => self.reports.iter().any(|r| r.cohort == *n && &r.stem == stem),
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

#[cfg(test)]
mod tests;
