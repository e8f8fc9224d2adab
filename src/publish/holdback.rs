//! 公表待ち — what `publish` leaves out at an as-of, with each item's release instant.
//!
//! Used by `banso holdback` so that a scheduler can rebuild the site at the next release.

use serde::Serialize;

use crate::model::Registry;
use crate::time::Instant;

/// One held-back item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Held {
    /// `cohort`, `team`, `report`, `page`, `program` (SPEC §1).
    pub kind: &'static str,
    /// Where it is written: `cohorts/3/teams.yaml#5` (team number 5), `pages/x.md`, …
    pub id: String,
    pub title: String,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub release: Instant,
}

/// When the first of `held` is released.
pub fn next_release(held: &[Held]) -> Option<Instant> {
    held.iter().map(|h| h.release).min()
}

impl Held {
    /// `期`, `チーム`, `報告`, `ページ`
    pub fn kind_ja(&self) -> &'static str {
        match self.kind {
            "cohort" => "期",
            "team" => "チーム",
            "report" => "報告",
            "program" => "関連事業",

            _ => "ページ",
        }
    }
}

fn kind_order(kind: &str) -> u8 {
    match kind {
        "cohort" => 0,
        "team" => 1,
        "report" => 2,
        "program" => 3,
        _ => 4,
    }
}

/// Every item of `reg` whose release instant is later than `as_of`, sorted by release instant,
/// then kind and id.
pub fn held_back(reg: &Registry, as_of: Instant) -> Vec<Held> {
    let mut held = Vec::new();
    for c in reg.cohorts.iter().filter(|c| c.announce > as_of) {
        held.push(Held {
            kind: "cohort",
            id: format!("cohorts/{}/cohort.yaml", c.no.0),
            title: c.no.label(),
            release: c.announce,
        });
    }
    // Validation keeps a team's announcement at or after its cohort's, and a report's release at
    // or after its team's, so each item's own instant is when it is published.
    for t in reg.teams.iter().filter(|t| t.announce > as_of) {
        let place = reg
            .municipalities
            .get(&t.municipality)
            .map(|m| m.full_name())
            .unwrap_or_default();
        held.push(Held {
            kind: "team",
            id: format!("cohorts/{}/teams.yaml#{}", t.cohort.0, t.no.0),
            title: format!("{} チーム{} {place}", t.cohort.label(), t.no.0),
            release: t.announce,
        });
    }
    for r in reg.reports.iter().filter(|r| r.release > as_of) {
        held.push(Held {
            kind: "report",
            id: r.file.to_string(),
            title: r.title.clone(),
            release: r.release,
        });
    }
    for p in &reg.programs {
        if let Some(release) = p.release.filter(|r| *r > as_of) {
            held.push(Held {
                kind: "program",
                id: p.file.to_string(),
                title: format!("{}（{}年度）", p.name, p.fiscal_year),
                release,
            });
        }
    }
    for p in &reg.pages {
        if let Some(release) = p.release.filter(|r| *r > as_of) {
            held.push(Held {
                kind: "page",
                id: p.file.to_string(),
                title: p.title.clone(),
                release,
            });
        }
    }
    held.sort_by(|a, b| (a.release, kind_order(a.kind), &a.id).cmp(&(b.release, kind_order(b.kind), &b.id)));
    held
}

/// The JSON form of SPEC §1.
#[derive(Debug, Serialize)]
pub struct HoldbackReport<'a> {
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub as_of: Instant,
    #[serde(serialize_with = "crate::time::rfc3339_opt")]
    pub next_release: Option<Instant>,
    pub held: &'a [Held],
}

impl<'a> HoldbackReport<'a> {
    pub fn new(as_of: Instant, held: &'a [Held]) -> Self {
        HoldbackReport {
            as_of,
            next_release: next_release(held),
            held,
        }
    }

    /// The text form: one line per item, then the next release.
    pub fn text(&self) -> String {
        let mut s = format!("基準時刻 {}（日本時間）\n", self.as_of.display_ja());
        if self.held.is_empty() {
            s.push_str("公表待ちはありません（nothing held back）\n");
            return s;
        }
        s.push_str(&format!("公表待ち {}件（公表日時は日本時間）:\n", self.held.len()));
        for h in self.held {
            let kind = h.kind_ja();
            let pad = " ".repeat(6usize.saturating_sub(unicode_width::UnicodeWidthStr::width(kind)));
            s.push_str(&format!(
                "  {}  {kind}{pad}  {}  ({})\n",
                h.release.display_short(),
                h.title,
                h.id
            ));
        }
        if let Some(next) = self.next_release {
            s.push_str(&format!(
                "次の公表: {}（日本時間、{}）\n",
                next.display_short(),
                next.rfc3339()
            ));
        }
        s
    }
}
