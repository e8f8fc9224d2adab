//! 公表 — the holdback boundary: Registry + as-of → the published view, the aggregate-only
//! attributes apart from it, and what is held.
//!
//! Pipeline position: `validate` → **`publish`** → `aggregate` → `render`. Everything after this
//! phase takes a [`Published`], never the [`Registry`], so a record whose release instant is
//! later than the as-of cannot reach a page, a count, a chart or a file (SPEC §3). Person
//! attributes leave in [`Attributes`], which only `aggregate` takes (SPEC §6). The same pass lists
//! what it left out ([`Holdback`]), so `build`, `holdback`, `serve`, `diff` and `release` share
//! one definition of "released".
//!
//! The rules, one function each below, as SPEC §3 and §6 give them:
//! - **Released** (`Rule::released`): a record is released when its release instant is at or
//!   before the as-of; a preview shows everything and still lists what a public build holds.
//! - **Parent first**: a team is published only with its cohort, a member only with its team, a
//!   report only with its team (`teams`, `reports`).
//! - **A member held on their own** only when announced after their team; a member of a held
//!   team is held with it and listed once, as the team (`teams`).
//! - **Incomplete cohorts state no declared figures**: a cohort with a team or member not shown
//!   carries no `declared` figures, which describe the whole cohort (`cohorts`).
//! - **Declared breakdowns win**: a cohort that declares a breakdown publishes none of its
//!   members' own values of that attribute, so the counts never switch source (`teams`).
//! - **Departures show from their date** (`teams`).
//! - **A page or programme** is released at its own instant or at once; a programme is all or
//!   nothing (`pages`, `programs`).
//! - **Applications follow their cohort** (aggregate-only counts) (`publish`).
//! - **Reference data only where used**: a municipality is published when a published team or
//!   programme supports it (`municipalities`).
//! - **An asset is held with a held record that uses it**, unless a published report attaches
//!   it (`assets`).

pub mod holdback;
mod published;
mod record;
pub mod sources;
mod stated;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{AssetPath, Attribute, Cohort, CohortNo, Declared, Page, Program, Registry, Report, TeamNo};
use crate::time::Instant;
pub use holdback::{Held, HeldKind, HeldLink, Holdback};
pub use published::Published;
pub use record::{Attributes, Member, Person, Team};
pub use sources::{Changes, Kind, Record, Sources};
pub use stated::StatedFigure;

/// The result of [`publish`]: what may be shown, the aggregate-only attributes of what is
/// shown, and what is held with its release instants. Render takes only the first.
#[derive(Debug)]
pub struct Release<'r> {
    pub published: Published<'r>,
    pub attributes: Attributes,
    pub holdback: Holdback,
}

/// When a record is released, and whether it is shown.
#[derive(Clone, Copy)]
struct Rule {
    as_of: Instant,
    preview: bool,
}

impl Rule {
    /// The one definition of released.
    fn released(self, t: Instant) -> bool {
        t <= self.as_of
    }

    /// Shown in this build: released, or anything in a preview.
    fn shown(self, t: Instant) -> bool {
        self.preview || self.released(t)
    }
}

/// The published view of `reg` at `as_of` (with `preview`, everything), the attributes of its
/// members, and what is held.
pub fn publish(reg: &Registry, as_of: Instant, preview: bool) -> Release<'_> {
    let rule = Rule { as_of, preview };
    let mut held = Vec::new();
    let shown_cohorts = cohorts_shown(reg, rule, &mut held);
    let (teams, attributes, incomplete) = teams(reg, rule, &shown_cohorts, &mut held);
    let (reports, held_reports) = reports(reg, rule, &teams, &mut held);
    let (pages, held_pages) = pages(reg, rule, &mut held);
    let programs = programs(reg, rule, &mut held);
    holdback::sort(&mut held);
    holdback::mark_unconfirmed(reg, &mut held);
    let published = Published {
        as_of,
        preview,
        site: &reg.site,
        ministries: &reg.ministries,
        cohorts: cohorts(reg, &shown_cohorts, &incomplete),
        applications: reg
            .applications
            .iter()
            .filter(|a| shown_cohorts.contains(&a.cohort))
            .collect(),
        municipalities: municipalities(reg, &teams, &programs),
        assets: assets(reg, &reports, &pages, &held_reports, &held_pages),
        teams,
        reports,
        pages,
        programs,
        team_index: Default::default(),
        reports_by_team: Default::default(),
        report_stems: Default::default(),
        reports_newest: Default::default(),
        teams_by_municipality: Default::default(),
        ministry_pages: Vec::new(),
    }
    .index();
    let holdback = Holdback {
        as_of,
        held,
        links: held_links(&published),
        figures: stated::stated_figures(reg, &published),
    };
    Release {
        published,
        attributes,
        holdback,
    }
}

/// The cohorts shown; each not released is held.
fn cohorts_shown(reg: &Registry, rule: Rule, held: &mut Vec<Held>) -> BTreeSet<CohortNo> {
    let mut shown = BTreeSet::new();
    for c in &reg.cohorts {
        if !rule.released(c.announce) {
            held.push(Held::cohort(c));
        }
        if rule.shown(c.announce) {
            shown.insert(c.no);
        }
    }
    shown
}

/// The published teams with their published members, those members' attributes, and the
/// cohorts left incomplete (a team or member of theirs not shown).
fn teams(
    reg: &Registry,
    rule: Rule,
    shown_cohorts: &BTreeSet<CohortNo>,
    held: &mut Vec<Held>,
) -> (Vec<Team>, Attributes, BTreeSet<CohortNo>) {
    let mut incomplete = BTreeSet::new();
    let (mut teams, mut attributes) = (Vec::new(), Attributes::default());
    for t in &reg.teams {
        if !rule.released(t.announce) {
            held.push(Held::team(reg, t));
        }
        // A cohort that declares a breakdown counts by it alone.
        let declared: Vec<Attribute> = reg
            .cohort(t.cohort)
            .map(|c| c.declared.breakdowns.keys().copied().collect())
            .unwrap_or_default();
        let (mut members, mut people) = (Vec::new(), Vec::new());
        for (i, m) in t.members.iter().enumerate() {
            if !rule.released(m.announce) && m.announce > t.announce {
                held.push(Held::member(reg, t, i, m));
            }
            if !rule.shown(m.announce) {
                incomplete.insert(t.cohort);
                continue;
            }
            let (member, mut person) = record::split(m, m.left.filter(|d| rule.shown(d.start())));
            for a in &declared {
                match a {
                    Attribute::Gender => person.gender = None,
                    Attribute::Age => person.age = None,
                    Attribute::Track => person.track = None,
                }
            }
            members.push(member);
            people.push(person);
        }
        if shown_cohorts.contains(&t.cohort) && rule.shown(t.announce) {
            teams.push(t.with_members(members));
            attributes.teams.push(people);
        } else {
            incomplete.insert(t.cohort);
        }
    }
    (teams, attributes, incomplete)
}

/// The cohorts shown, an incomplete one without its declared figures.
fn cohorts(reg: &Registry, shown: &BTreeSet<CohortNo>, incomplete: &BTreeSet<CohortNo>) -> Vec<Cohort> {
    reg.cohorts
        .iter()
        .filter(|c| shown.contains(&c.no))
        .map(|c| Cohort {
            declared: if incomplete.contains(&c.no) {
                Declared::default()
            } else {
                c.declared.clone()
            },
            ..c.clone()
        })
        .collect()
}

/// The reports published (their team is, and they are released), and those held.
fn reports<'r>(
    reg: &'r Registry,
    rule: Rule,
    teams: &[Team],
    held: &mut Vec<Held>,
) -> (Vec<&'r Report>, Vec<&'r Report>) {
    let published_team: BTreeSet<(CohortNo, TeamNo)> = teams.iter().map(|t| (t.cohort, t.no)).collect();
    let (mut shown, mut not) = (Vec::new(), Vec::new());
    for r in &reg.reports {
        if !rule.released(r.release) {
            held.push(Held::report(r));
        }
        if published_team.contains(&(r.cohort, r.team)) && rule.shown(r.release) {
            shown.push(r);
        } else {
            not.push(r);
        }
    }
    (shown, not)
}

/// The free pages published, and those held.
fn pages<'r>(reg: &'r Registry, rule: Rule, held: &mut Vec<Held>) -> (Vec<&'r Page>, Vec<&'r Page>) {
    let (mut shown, mut not) = (Vec::new(), Vec::new());
    for p in &reg.pages {
        if let Some(t) = p.release.filter(|t| !rule.released(*t)) {
            held.push(Held::page(p, t));
        }
        if p.release.is_none_or(|t| rule.shown(t)) {
            shown.push(p);
        } else {
            not.push(p);
        }
    }
    (shown, not)
}

/// The programmes published, each whole.
fn programs<'r>(reg: &'r Registry, rule: Rule, held: &mut Vec<Held>) -> Vec<&'r Program> {
    let mut shown = Vec::new();
    for p in &reg.programs {
        if let Some(t) = p.release.filter(|t| !rule.released(*t)) {
            held.push(Held::program(p, t));
        }
        if p.release.is_none_or(|t| rule.shown(t)) {
            shown.push(p);
        }
    }
    shown
}

/// The municipalities a published team or programme supports.
fn municipalities<'r>(
    reg: &'r Registry,
    teams: &[Team],
    programs: &[&Program],
) -> BTreeMap<crate::model::MunicipalityCode, &'r crate::model::Municipality> {
    let supported = teams.iter().map(|t| t.municipality).chain(
        programs
            .iter()
            .flat_map(|p| p.support.iter().flat_map(|s| s.municipalities.iter().copied())),
    );
    supported
        .filter_map(|code| reg.municipalities.get(&code).map(|m| (m.code, m)))
        .collect()
}

/// The assets published: attached by a published report, or shown in a published body and used
/// by no held record.
fn assets<'r>(
    reg: &'r Registry,
    reports: &[&Report],
    pages: &[&Page],
    held_reports: &[&Report],
    held_pages: &[&Page],
) -> BTreeMap<AssetPath, &'r crate::model::Asset> {
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
    attached
        .chain(shown_in_bodies)
        .filter_map(|a| reg.assets.get(a).map(|asset| (a.clone(), asset)))
        .collect()
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

#[cfg(test)]
mod tests;
