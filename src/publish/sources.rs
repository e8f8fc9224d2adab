//! 出典 — the published records a page is made from ([`Sources`]), and so when the page last
//! changed ([`Changes`]): the newest release instant among them, for the sitemap's `<lastmod>`.
//! Render gives each page its sources as it makes it, so a new page family says what it shows
//! where it is made, and nothing keeps a second map of pages to records.

use std::collections::{BTreeSet, HashMap};

use super::{Published, Team};
use crate::model::{CohortNo, TeamNo};
use crate::time::Instant;

/// One published record, by its key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Record {
    Cohort(CohortNo),
    /// A team with its members (their arrivals and departures change it).
    Team(CohortNo, TeamNo),
    Report(CohortNo, String),
    /// A team's published reports together: what a page listing the team with its reports
    /// shows of them (their newest release), without a record for each.
    TeamReports(CohortNo, TeamNo),
    Program(String),
    Page(String),
}

/// Every record of a kind: what a list or a summary of the whole site is made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Cohorts,
    Teams,
    Reports,
    Programs,
    Pages,
}

/// The records one page is made from: some by key, some whole kinds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    records: BTreeSet<Record>,
    kinds: BTreeSet<Kind>,
}

impl Sources {
    /// A page made from no record (the 404 and search pages).
    pub fn none() -> Self {
        Sources::default()
    }

    /// Every record of these kinds.
    pub fn all_of(kinds: &[Kind]) -> Self {
        Sources {
            records: BTreeSet::new(),
            kinds: kinds.iter().copied().collect(),
        }
    }

    pub fn record(r: Record) -> Self {
        let mut s = Sources::none();
        s.records.insert(r);
        s
    }

    /// Teams as a page shows them: each with its published reports.
    pub fn teams<'t>(teams: impl IntoIterator<Item = &'t Team>) -> Self {
        let mut s = Sources::none();
        for t in teams {
            s.records.insert(Record::Team(t.cohort, t.no));
            s.records.insert(Record::TeamReports(t.cohort, t.no));
        }
        s
    }

    pub fn with(mut self, r: Record) -> Self {
        self.records.insert(r);
        self
    }

    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.iter()
    }

    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.kinds.iter().copied()
    }
}

/// When each published record last changed: a cohort at its announce; a team at the latest of
/// its announce and its members' arrivals and departures; a report, programme or page at its
/// release (none for a programme or page without one).
pub struct Changes {
    by_record: HashMap<Record, Instant>,
    by_kind: HashMap<Kind, Instant>,
}

impl Changes {
    pub fn of(p: &Published) -> Self {
        let mut by_record = HashMap::new();
        let mut by_kind: HashMap<Kind, Instant> = HashMap::new();
        let mut put = |kind: Kind, r: Record, t: Option<Instant>| {
            if let Some(t) = t {
                let k = by_kind.entry(kind).or_insert(t);
                *k = (*k).max(t);
                by_record.insert(r, t);
            }
        };
        for c in &p.cohorts {
            put(Kind::Cohorts, Record::Cohort(c.no), Some(c.announce));
        }
        for t in &p.teams {
            let changed = t
                .members
                .iter()
                .flat_map(|m| std::iter::once(m.announce).chain(m.left.map(|d| d.start())))
                .fold(t.announce, Instant::max);
            put(Kind::Teams, Record::Team(t.cohort, t.no), Some(changed));
        }
        for r in &p.reports {
            put(Kind::Reports, Record::Report(r.cohort, r.stem.clone()), Some(r.release));
        }
        for pr in &p.programs {
            put(Kind::Programs, Record::Program(pr.id.clone()), pr.release);
        }
        for pg in &p.pages {
            put(Kind::Pages, Record::Page(pg.stem.clone()), pg.release);
        }
        // Each team's newest report (pages list a team with its reports).
        for r in &p.reports {
            let newest = by_record
                .entry(Record::TeamReports(r.cohort, r.team))
                .or_insert(r.release);
            *newest = (*newest).max(r.release);
        }
        Changes { by_record, by_kind }
    }

    /// When a page made from `sources` last changed; `None` when none of them has an instant.
    pub fn last(&self, sources: &Sources) -> Option<Instant> {
        let records = sources.records().filter_map(|r| self.by_record.get(r));
        let kinds = sources.kinds().filter_map(|k| self.by_kind.get(&k));
        records.chain(kinds).copied().max()
    }
}
