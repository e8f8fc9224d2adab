//! 公表待ち — what `publish` leaves out at an as-of, with each item's release instant.
//!
//! Used by `banso holdback` so that a scheduler can rebuild the site at the next release, and
//! by `build` to report what is held and to warn about links to held things.

use std::sync::Arc;

use serde::Serialize;

use crate::diag::{Diagnostic, Pos, Span};
use crate::model::{Cohort, Member, Page, Program, Registry, Report, Team};
use crate::time::Instant;

/// What kind of record is held (the `kind` of SPEC §1's JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeldKind {
    Cohort,
    Team,
    Member,
    Report,
    Program,
    Page,
}

impl HeldKind {
    /// `期`, `チーム`, `支援官`, `報告`, `関連事業`, `ページ`
    pub fn name_ja(self) -> &'static str {
        match self {
            HeldKind::Cohort => "期",
            HeldKind::Team => "チーム",
            HeldKind::Member => "支援官",
            HeldKind::Report => "報告",
            HeldKind::Program => "関連事業",
            HeldKind::Page => "ページ",
        }
    }
}

/// One held-back item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Held {
    pub kind: HeldKind,
    /// Where it is written: `cohorts/3/teams.yaml#5` (team number 5), `cohorts/3/teams.yaml#5/2`
    /// (its second member), `pages/x.md`, …
    pub id: String,
    pub title: String,
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub release: Instant,
    /// A report's attachments (`assets/…`, under content/), held with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    /// `release` is a cohort's placeholder announcement (`announce_confirmed: false`): it
    /// still holds the item, but `release --at next` will not take it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unconfirmed: bool,
}

/// A link in a published body to something held at the as-of: rendered as its text alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLink {
    pub file: Arc<str>,
    pub pos: Pos,
    /// The destination as written.
    pub dest: String,
}

/// What one build leaves out.
#[derive(Debug, Clone)]
pub struct Holdback {
    pub as_of: Instant,
    /// Sorted by release instant, then kind and id.
    pub held: Vec<Held>,
    /// Sorted by file and position.
    pub links: Vec<HeldLink>,
    /// Figures of a held cohort in published pages, sorted by file and position.
    pub figures: Vec<super::StatedFigure>,
}

impl Holdback {
    /// When the first held item is released.
    pub fn next_release(&self) -> Option<Instant> {
        next_release(&self.held)
    }

    /// The first held item, when its release is a placeholder (`announce_confirmed: false`):
    /// `release --at next` will not take it, nor any later instant (that would publish it too).
    pub fn next_unconfirmed(&self) -> Option<&Held> {
        self.held.first().filter(|h| h.unconfirmed)
    }

    /// A warning for each link to a held thing (the build goes on; the link shows as text).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let links = self.links.iter().map(|l| {
            Diagnostic::warning(
                Span::new(&l.file, l.pos),
                format!("リンク先「{}」は公表前のため、リンクにせず文字だけを載せます", l.dest),
            )
            .with_help("リンク先が公表されたあとの作り直しでリンクになります。公表前に載せてよい文書か確認してください")
        });
        let figures = self.figures.iter().map(|f| {
            let cohort = f.cohort.label();
            Diagnostic::warning(
                Span::new(&f.file, f.pos),
                format!("「{}」は{cohort}の数値と同じですが、{cohort}はこの時点ではまだ公表しきっていません", f.text),
            )
            .with_help(format!(
                "{cohort}の数値なら、ページの front matter に release_with: cohorts/{} と書くと{cohort}と同時に公開されます（別の数値ならこのままで構いません）",
                f.cohort.0
            ))
        });
        links.chain(figures).collect()
    }
}

/// When the first of `held` is released.
pub fn next_release(held: &[Held]) -> Option<Instant> {
    held.iter().map(|h| h.release).min()
}

/// The held-item entries `publish` makes as it decides each record (one definition of released).
impl Held {
    pub(super) fn cohort(c: &Cohort) -> Held {
        Held {
            kind: HeldKind::Cohort,
            id: format!("cohorts/{}/cohort.yaml", c.no.0),
            title: c.no.label(),
            release: c.announce,
            attachments: Vec::new(),
            unconfirmed: false,
        }
    }

    pub(super) fn team(reg: &Registry, t: &Team) -> Held {
        Held {
            kind: HeldKind::Team,
            id: team_id(t),
            title: format!("{} チーム{} {}", t.cohort.label(), t.no.0, place(reg, t)),
            release: t.announce,
            attachments: Vec::new(),
            unconfirmed: false,
        }
    }

    /// `m` is the `index`th member (from 0) of `t`.
    pub(super) fn member(reg: &Registry, t: &Team, index: usize, m: &Member) -> Held {
        let who = m
            .name
            .clone()
            .unwrap_or_else(|| format!("{} {}", reg.ministry(m.ministry).name, m.grade.name()));
        Held {
            kind: HeldKind::Member,
            id: format!("{}/{}", team_id(t), index + 1),
            title: format!("{} チーム{} {} {who}", t.cohort.label(), t.no.0, place(reg, t)),
            release: m.announce,
            attachments: Vec::new(),
            unconfirmed: false,
        }
    }

    pub(super) fn report(r: &Report) -> Held {
        Held {
            kind: HeldKind::Report,
            id: r.file.to_string(),
            title: r.title.clone(),
            release: r.release,
            attachments: r.attachments.iter().map(|a| format!("assets/{}", a.asset.0)).collect(),
            unconfirmed: false,
        }
    }

    pub(super) fn program(p: &Program, release: Instant) -> Held {
        Held {
            kind: HeldKind::Program,
            id: p.file.to_string(),
            title: format!("{}（{}年度）", p.name, p.fiscal_year),
            release,
            attachments: Vec::new(),
            unconfirmed: false,
        }
    }

    pub(super) fn page(p: &Page, release: Instant) -> Held {
        Held {
            kind: HeldKind::Page,
            id: p.file.to_string(),
            title: p.title.clone(),
            release,
            attachments: Vec::new(),
            unconfirmed: false,
        }
    }
}

fn team_id(t: &Team) -> String {
    format!("cohorts/{}/teams.yaml#{}", t.cohort.0, t.no.0)
}

fn place(reg: &Registry, t: &Team) -> String {
    reg.municipalities
        .get(&t.municipality)
        .map(|m| m.full_name())
        .unwrap_or_default()
}

/// Sorted by release instant, then kind, then id with its numbers read as numbers (team 2
/// before team 10, SPEC §1).
pub(super) fn sort(held: &mut [Held]) {
    held.sort_by(|a, b| (a.release, a.kind, natural(&a.id)).cmp(&(b.release, b.kind, natural(&b.id))));
}

/// Mark each held item released at a cohort's placeholder announcement.
pub(super) fn mark_unconfirmed(reg: &Registry, held: &mut [Held]) {
    for h in held {
        h.unconfirmed = reg.cohorts.iter().any(|c| c.unconfirmed(h.release));
    }
}

/// A piece of an id: its text between numbers, or a number.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Piece<'a> {
    Text(&'a str),
    Number(u128, usize),
}

/// `cohorts/2/teams.yaml#10` as pieces that sort as a person reads them.
fn natural(id: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = id;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits > 0 {
            // Leading zeros break the tie, so `02` and `2` stay apart.
            out.push(Piece::Number(rest[..digits].parse().unwrap_or(u128::MAX), digits));
            rest = &rest[digits..];
        } else {
            let text = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
            out.push(Piece::Text(&rest[..text]));
            rest = &rest[text..];
        }
    }
    out
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
            let kind = h.kind.name_ja();
            let pad = " ".repeat(6usize.saturating_sub(unicode_width::UnicodeWidthStr::width(kind)));
            s.push_str(&format!(
                "  {}  {kind}{pad}  {}  ({}){}\n",
                h.release.display_short(),
                h.title,
                h.id,
                if h.unconfirmed { "  ※仮の日時" } else { "" }
            ));
            for a in &h.attachments {
                s.push_str(&format!("      └ 添付ファイル  {a}\n"));
            }
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

#[cfg(test)]
mod tests {
    use super::natural;

    #[test]
    fn ids_sort_with_their_numbers_read_as_numbers() {
        let mut ids = [
            "cohorts/3/teams.yaml#10",
            "cohorts/3/teams.yaml#2",
            "cohorts/3/teams.yaml#1",
            "cohorts/10/teams.yaml#1",
            "cohorts/3/teams.yaml#2/10",
            "cohorts/3/teams.yaml#2/3",
            "cohorts/3/reports/a.md",
        ];
        ids.sort_by(|a, b| natural(a).cmp(&natural(b)));
        assert_eq!(
            ids,
            [
                "cohorts/3/reports/a.md",
                "cohorts/3/teams.yaml#1",
                "cohorts/3/teams.yaml#2",
                "cohorts/3/teams.yaml#2/3",
                "cohorts/3/teams.yaml#2/10",
                "cohorts/3/teams.yaml#10",
                "cohorts/10/teams.yaml#1",
            ]
        );
    }
}
