//! テンプレートに渡すデータ — the parts several views share: a team row and a team list, a
//! member, a link to a report, a programme or a place, a cohort's headline figures, a chart,
//! the tile map, a line of お知らせ; and the number and year formats they use.
//!
//! Templates only ever see these structs and the views of [`super`]. [`PublicMember`] has no
//! gender, age or track: those attributes are aggregate-only and have no path into a page. Links
//! are site paths without a leading slash (`municipalities/013455/`); templates put `{{ root }}`
//! in front.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{CohortNo, Report, TeamNo, urls};
use crate::publish::{Member, Published, Team};
use crate::stats::{DeclaredFigure, Figure, Headline};
use crate::time::Instant;

/// 非公開プレビュー: when a record shown in a preview is released (SPEC §1: each held item is
/// marked with its release instant where it appears). `None` in a public build, and for what a
/// public build at the preview's as-of would show too.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct HeldUntil {
    /// `2027年9月1日 10:00`, Japan time.
    pub at: String,
    pub iso: String,
}

impl HeldUntil {
    pub fn of(p: &Published, release: Instant) -> Option<HeldUntil> {
        (p.preview && release > p.as_of).then(|| HeldUntil {
            at: release.display_ja(),
            iso: release.rfc3339(),
        })
    }
}

/// A 支援官 as the public sees them: name, ministry, grade, position — nothing aggregate-only.
#[derive(Debug, Serialize)]
pub struct PublicMember {
    pub ministry: String,
    /// The ministry's page, where it has one.
    pub ministry_href: Option<String>,
    pub grade: &'static str,
    pub name: Option<String>,
    pub position: Option<String>,
    pub officer: bool,
    /// `2026年12月31日` once the member has left (離任).
    pub left: Option<String>,
    pub held_until: Option<HeldUntil>,
}

impl PublicMember {
    pub fn of(p: &Published, m: &Member) -> Self {
        PublicMember {
            ministry: p.ministry(m.ministry).name.clone(),
            ministry_href: p.ministry_href(m.ministry),
            grade: m.grade.name(),
            name: m.name.clone(),
            position: m.position.clone(),
            officer: m.is_officer,
            left: m.left.map(|d| d.wareki()),
            held_until: HeldUntil::of(p, m.announce),
        }
    }
}

/// A link to a 課題分野 page.
#[derive(Debug, Serialize)]
pub struct AreaRef {
    pub no: u8,
    pub name: &'static str,
    pub href: String,
}

/// One team, as listed on team, prefecture, municipality and area pages.
#[derive(Debug, Serialize)]
pub struct TeamRow {
    pub cohort: u32,
    pub cohort_label: String,
    pub cohort_href: String,
    pub number: u32,
    /// Its id on every page that lists it (`team-2-40`), and its place in the team list.
    pub anchor: String,
    pub href: String,
    pub code: String,
    pub prefecture: &'static str,
    pub prefecture_slug: &'static str,
    pub prefecture_href: String,
    pub municipality: String,
    pub municipality_href: String,
    /// `継続`, `新規`, or `None` when the records do not say.
    pub continuing: Option<&'static str>,
    pub areas: Vec<AreaRef>,
    pub members: Vec<PublicMember>,
    /// Whether any member has a name or position published (else that column is left out).
    pub has_names: bool,
    pub announce: String,
    pub held_until: Option<HeldUntil>,
}

impl TeamRow {
    pub fn of(p: &Published, t: &Team) -> Self {
        let m = p.town(t);
        let pref = m.prefecture();
        TeamRow {
            cohort: t.cohort.0,
            cohort_label: t.cohort.label(),
            cohort_href: urls::cohort(t.cohort),
            number: t.no.0,
            anchor: urls::team_anchor(t.cohort, t.no),
            href: urls::team(t.cohort, t.no),
            code: m.code.to_string(),
            prefecture: pref.name,
            prefecture_slug: pref.slug,
            prefecture_href: urls::prefecture(pref.slug),
            municipality: m.name.clone(),
            municipality_href: urls::municipality(m.code),
            continuing: t.continuing.map(|c| if c { "継続" } else { "新規" }),
            areas: t
                .areas
                .iter()
                .map(|a| AreaRef {
                    no: a.0,
                    name: a.name(),
                    href: urls::issue_area(*a),
                })
                .collect(),
            // A member is marked only when they join after their team (the team is marked).
            members: t
                .members
                .iter()
                .map(|m| PublicMember {
                    held_until: if m.announce > t.announce {
                        HeldUntil::of(p, m.announce)
                    } else {
                        None
                    },
                    ..PublicMember::of(p, m)
                })
                .collect(),
            has_names: t.members.iter().any(|m| m.name.is_some() || m.position.is_some()),
            announce: match p.cohort(t.cohort) {
                Some(c) if c.announce == t.announce => c.announce_label(),
                _ => p.when(t.announce),
            },
            held_until: HeldUntil::of(p, t.announce),
        }
    }
}

/// 地方創生支援オフィサー in one sentence, in the words of the programme's summary
/// (「地方創生支援オフィサー(現役出向する国職員等への業務委嘱)」). A page says it once, where
/// the word first appears (SPEC §2): each view that can be that place has a field for it.
pub const OFFICER_DEFINITION: &str = "地方創生支援オフィサーは、現役出向する国職員等への業務委嘱による支援官です。";

/// A list of teams and which optional columns it needs (a column nobody has data for is left
/// out rather than shown empty).
#[derive(Debug, Serialize)]
pub struct TeamList {
    pub rows: Vec<Arc<TeamRow>>,
    pub has_continuing: bool,
    /// Some rows say 継続 or 新規 and some do not: the blank ones are unknown, and the list says so.
    pub continuing_partly_known: bool,
    pub has_areas: bool,
    /// What the 「支援オフィサー」 mark means, said above the list when it shows one and
    /// nothing above it on the page has said it ([`TeamList::officer_said`]).
    pub officer_note: Option<&'static str>,
    /// 「（第2期）」 when every row belongs to one cohort, else empty: a list of several cohorts'
    /// teams shows a 期 column; one of a single cohort says it once, after its caption.
    pub one_cohort: String,
}

/// Every published team's row, made once a build: a team is listed on its municipality's,
/// prefecture's, cohort's, 課題分野 and 府省庁等 pages and beside its reports, each the same row.
#[derive(Default)]
pub struct TeamRows(HashMap<(CohortNo, TeamNo), Arc<TeamRow>>);

impl TeamRows {
    pub fn of(p: &Published) -> Self {
        use rayon::prelude::*;
        TeamRows(
            p.teams
                .par_iter()
                .map(|t| ((t.cohort, t.no), Arc::new(TeamRow::of(p, t))))
                .collect(),
        )
    }

    /// `t`'s row (made now if `t` is not one of the published teams the rows were made from).
    pub fn row(&self, p: &Published, t: &Team) -> Arc<TeamRow> {
        match self.0.get(&(t.cohort, t.no)) {
            Some(row) => Arc::clone(row),
            None => Arc::new(TeamRow::of(p, t)),
        }
    }
}

impl TeamList {
    /// The newest cohort's teams first, each cohort's in number order.
    pub fn newest_cohort_first<'t>(rows: &TeamRows, p: &Published, teams: impl Iterator<Item = &'t Team>) -> Self {
        let mut teams: Vec<&Team> = teams.collect();
        teams.sort_by_key(|t| (std::cmp::Reverse(t.cohort), t.no));
        Self::of(rows, p, teams.into_iter())
    }

    pub fn of<'t>(rows: &TeamRows, p: &Published, teams: impl Iterator<Item = &'t Team>) -> Self {
        let rows: Vec<Arc<TeamRow>> = teams.map(|t| rows.row(p, t)).collect();
        TeamList {
            has_continuing: rows.iter().any(|t| t.continuing.is_some()),
            continuing_partly_known: rows.iter().any(|t| t.continuing.is_some())
                && rows.iter().any(|t| t.continuing.is_none()),
            has_areas: rows.iter().any(|t| !t.areas.is_empty()),
            officer_note: rows
                .iter()
                .any(|t| t.members.iter().any(|m| m.officer))
                .then_some(OFFICER_DEFINITION),
            one_cohort: match rows.first() {
                Some(first) if rows.iter().all(|t| t.cohort == first.cohort) => format!("（{}）", first.cohort_label),
                _ => String::new(),
            },
            rows,
        }
    }

    /// Leave the 支援オフィサー note to what comes before this list on its page, when
    /// `said` (the page has defined the word already); whether the page has said it after
    /// this list.
    pub fn officer_said(&mut self, said: bool) -> bool {
        if said {
            self.officer_note = None;
        }
        said || self.officer_note.is_some()
    }
}

/// One prefecture's teams in a cohort's team list (grouped as the official list is).
#[derive(Debug, Serialize)]
pub struct TeamGroup {
    pub prefecture: &'static str,
    /// Its heading's id on the team list (`pref-nagano`), the jump list's target.
    pub anchor: String,
    /// The prefecture's own page.
    pub href: String,
    pub teams: TeamList,
}

/// A 府省庁等 the team list's filter offers: one with a member in a listed (published) team.
#[derive(Debug, Serialize)]
pub struct FilterChoice {
    /// What rows carry in `data-ministries`.
    pub value: String,
    pub name: String,
    pub teams: usize,
}

impl TeamList {
    /// This list cut where the prefecture changes (rows in prefecture order), each group with
    /// the columns its rows have; what is said once above or below the list (the オフィサー
    /// mark, blank 継続・新規) stays with `self`'s fields and is cleared in the groups.
    pub fn by_prefecture(&mut self) -> Vec<TeamGroup> {
        let mut groups: Vec<TeamGroup> = Vec::new();
        for row in std::mem::take(&mut self.rows) {
            if groups.last().is_none_or(|g| g.prefecture != row.prefecture) {
                groups.push(TeamGroup {
                    prefecture: row.prefecture,
                    anchor: urls::prefecture_anchor(row.prefecture_slug),
                    href: row.prefecture_href.clone(),
                    teams: TeamList {
                        rows: Vec::new(),
                        has_continuing: false,
                        continuing_partly_known: false,
                        has_areas: false,
                        officer_note: None,
                        one_cohort: self.one_cohort.clone(),
                    },
                });
            }
            groups.last_mut().expect("pushed above").teams.rows.push(row);
        }
        // A group's table leaves out a column none of its rows has (as any list does).
        for g in &mut groups {
            let rows = &g.teams.rows;
            g.teams.has_continuing = rows.iter().any(|t| t.continuing.is_some());
            g.teams.has_areas = rows.iter().any(|t| !t.areas.is_empty());
        }
        groups
    }
}

/// A link to a report, with what a list shows of it.
#[derive(Debug, Serialize)]
pub struct ReportRef {
    pub title: String,
    pub href: String,
    pub kind: &'static str,
    pub date: String,
    pub date_iso: String,
    pub summary: Option<String>,
    pub cohort_label: String,
    pub municipality: String,
    pub municipality_href: String,
    pub held_until: Option<HeldUntil>,
}

impl ReportRef {
    pub fn of(p: &Published, r: &Report) -> Self {
        let team = p
            .team(r.cohort, r.team)
            .expect("a published report's team is published");
        let m = p.town(team);
        ReportRef {
            title: r.title.clone(),
            href: urls::report(r.cohort, &r.stem),
            kind: r.kind.name(),
            date: r.date.wareki(),
            date_iso: r.date.iso(),
            summary: r.summary.clone(),
            cohort_label: r.cohort.label(),
            municipality: m.full_name(),
            municipality_href: urls::municipality(m.code),
            held_until: HeldUntil::of(p, r.release),
        }
    }
}

/// Headline figures of one cohort, ready to show.
#[derive(Debug, Serialize)]
pub struct HeadlineView {
    pub cohort_label: String,
    pub cohort_href: String,
    pub fiscal_year: String,
    pub teams: u32,
    pub members: u32,
    pub municipalities: u32,
    pub prefectures: u32,
    pub officers: u32,
    /// Said after the number of 地方創生支援オフィサー, where it is the word's first use on
    /// the page (the list of cohorts says it once).
    pub officer_definition: Option<&'static str>,
    /// Members who have left, counted in `members`.
    pub left: u32,
    /// The four headline figures as shown: the declared (official) one where the cohort has it,
    /// else the count of the published records.
    pub figures: Vec<DeclaredView>,
    /// Whether the cohort's team list is kept here (its pages link it).
    pub roster: bool,
    /// For each declared figure the records count differently: the editors' note
    /// (`declared.notes`), or the record count. Marked ※ at the figure.
    pub notes: Vec<String>,
    /// Declared figures that the records cannot count (e.g. applicants), shown as declared.
    pub declared_only: Vec<DeclaredView>,
    /// The documents the figures rest on (cohort.yaml `sources`).
    pub sources: Vec<SourceView>,
    /// 継続・新規 as the source counts them (`declared.continuing` / `new`).
    pub places: Option<String>,
}

/// A source as a citation line shows it: 「title」（publisher、date）, linked where it has a URL.
#[derive(Debug, Serialize)]
pub struct SourceView {
    pub citation: String,
    pub url: Option<String>,
}

impl SourceView {
    pub fn all(sources: &[crate::model::Source]) -> Vec<SourceView> {
        sources
            .iter()
            .map(|s| SourceView {
                citation: s.citation(),
                url: s.url.clone(),
            })
            .collect()
    }
}

#[derive(Debug, Serialize)]
pub struct DeclaredView {
    pub label: &'static str,
    pub unit: &'static str,
    pub value: String,
    /// Whether a note below speaks of this figure (※).
    pub noted: bool,
}

/// 「継続支援対象：33道府県の47市町村、新規支援対象：30道府県の50市町村（公表資料）」.
pub fn places_line(d: &crate::model::Declared) -> Option<String> {
    let said = |what: &str, p: &Option<crate::model::Places>| {
        let p = (*p)?;
        Some(match (p.prefectures, p.municipalities) {
            (Some(pr), Some(m)) => format!("{what}：{pr}道府県の{m}市町村"),
            (None, Some(m)) => format!("{what}：{m}市町村"),
            (Some(pr), None) => format!("{what}：{pr}道府県"),
            (None, None) => return None,
        })
    };
    let parts: Vec<String> = [said("継続支援対象", &d.continuing), said("新規支援対象", &d.new)]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| format!("{}（公表資料）", parts.join("、")))
}

impl HeadlineView {
    pub fn of(
        no: u32,
        fiscal_year: u32,
        h: &Headline,
        declared: &[DeclaredFigure],
        roster: bool,
        sources: &[crate::model::Source],
    ) -> Self {
        let noted = |d: &DeclaredFigure| !d.agrees() || d.note.is_some();
        // The declared figure leads; without one, the records' count (none for a cohort
        // without its roster).
        let figures = Figure::HEADLINE
            .iter()
            .filter_map(|&f| {
                let d = declared.iter().find(|d| d.figure == f);
                let value = match d {
                    Some(d) => d.declared,
                    None if roster => h.count(f)?,
                    None => return None,
                };
                Some(DeclaredView {
                    label: f.headline_label(),
                    unit: f.unit().symbol(),
                    value: fmt_int(u64::from(value)),
                    noted: d.is_some_and(noted),
                })
            })
            .collect();
        let notes = declared
            .iter()
            .filter(|d| noted(d))
            .map(|d| {
                let unit = d.figure.unit().symbol();
                match (&d.note, d.records) {
                    (Some(note), _) => format!("※{}：{note}", d.figure.label()),
                    (None, records) => format!(
                        "※{}：公表数値は{}{unit}、伴走支援チーム一覧から数えると{}{unit}です。",
                        d.figure.label(),
                        fmt_int(u64::from(d.declared)),
                        fmt_int(u64::from(records.unwrap_or(0))),
                    ),
                }
            })
            .collect();
        let declared_only = declared
            .iter()
            .filter(|d| !d.figure.in_headline())
            .map(|d| DeclaredView {
                label: d.figure.label(),
                unit: d.figure.unit().symbol(),
                value: fmt_int(u64::from(d.declared)),
                noted: noted(d),
            })
            .collect();
        HeadlineView {
            cohort_label: CohortNo(no).label(),
            cohort_href: urls::cohort(CohortNo(no)),
            fiscal_year: fiscal_year_label(fiscal_year),
            teams: h.teams,
            members: h.members,
            municipalities: h.municipalities,
            prefectures: h.prefectures,
            officers: h.officers,
            officer_definition: (h.officers > 0).then_some(OFFICER_DEFINITION),
            left: h.left,
            figures,
            roster,
            notes,
            declared_only,
            sources: SourceView::all(sources),
            places: None,
        }
    }
}

/// A table the templates render generically: caption, header row, body rows in groups.
#[derive(Debug, Serialize)]
pub struct TableView {
    pub id: String,
    pub caption: String,
    pub head: Vec<String>,
    /// One `<tbody>` each: a table without groups has one, without a heading.
    pub groups: Vec<TableGroup>,
    pub note: Option<String>,
}

/// Rows shown together: under a heading, ending in their subtotal, where the table has groups.
#[derive(Debug, Serialize)]
pub struct TableGroup {
    /// `府省庁等（24）`
    pub heading: Option<String>,
    pub rows: Vec<Vec<String>>,
    /// The 小計 row.
    pub subtotal: Option<Vec<String>>,
}

/// A chart as a page shows it: the image, its files and its numbers as a table.
#[derive(Debug, Serialize)]
pub struct ChartView {
    /// Unique on its page: `gender`, or `2-gender` on a prefecture page.
    pub id: String,
    pub title: String,
    /// Site paths of the chart's files.
    pub svg: String,
    pub csv: String,
    pub width: u32,
    pub height: u32,
    /// The same chart drawn for phones, shown on screens narrower than the wide drawing.
    pub narrow_svg: String,
    pub narrow_width: u32,
    pub narrow_height: u32,
    /// Largest screen width in px that gets the narrow drawing.
    pub narrow_below: u32,
    pub table: TableView,
    /// The CSV as its folder's CSVW metadata describes it.
    #[serde(skip)]
    pub csvw: crate::render::data::csvw::Table,
}

/// The tile map and the same counts as a list by region.
#[derive(Debug, Serialize)]
pub struct PrefectureMap {
    pub svg: String,
    pub legend: Vec<LegendItem>,
    pub regions: Vec<RegionView>,
    /// Which cohorts the counts cover, made from what is published.
    pub coverage: String,
    /// Whether any published cohort has its team list here (else the tiles count nothing and
    /// are not drawn).
    pub counted: bool,
}

#[derive(Debug, Serialize)]
pub struct LegendItem {
    pub label: String,
    pub fill: String,
}

/// One region of the prefecture list beside the tile map.
#[derive(Debug, Serialize)]
pub struct RegionView {
    pub name: &'static str,
    pub prefectures: Vec<PrefectureTile>,
}

#[derive(Debug, Serialize)]
pub struct PrefectureTile {
    pub name: &'static str,
    pub slug: &'static str,
    pub href: String,
    pub teams: u32,
}

/// A name and the link to its page (a municipality, a prefecture).
#[derive(Debug, Serialize)]
pub struct NamedLink {
    pub name: String,
    pub href: String,
}

/// One programme's support of one municipality, as its page lists it.
#[derive(Clone, Debug, Hash, Serialize)]
pub struct ProgramRef {
    pub name: String,
    pub fiscal_year: String,
    pub href: String,
    pub url: Option<String>,
    /// `類型③ 広域連携事業推進枠（北海道 東胆振の5市町）`
    pub kinds: Vec<String>,
}

/// One line of the top page's お知らせ.
#[derive(Debug, Serialize)]
pub struct NewsItem {
    /// As pages show it: a date, or the source's words for a cohort's announcement.
    pub date: String,
    /// `2026-03-27` for `<time datetime>`, when the date is a date.
    pub date_iso: Option<String>,
    pub title: String,
    pub href: String,
    /// In a preview, when the item really goes public.
    pub held_until: Option<HeldUntil>,
    /// When the item went or goes public: the order of the list (not shown).
    #[serde(skip)]
    pub at: Instant,
}

/// `令和8年度` (from 2019), otherwise `2018年度`.
pub fn fiscal_year_label(year: u32) -> String {
    match year {
        2019 => "令和元年度".to_string(),
        y if y > 2019 => format!("令和{}年度", y - 2018),
        y => format!("{y}年度"),
    }
}

/// `13582` → `13,582`
pub fn fmt_int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_years() {
        assert_eq!(fmt_int(0), "0");
        assert_eq!(fmt_int(999), "999");
        assert_eq!(fmt_int(13582), "13,582");
        assert_eq!(fmt_int(124330690), "124,330,690");
        assert_eq!(fiscal_year_label(2026), "令和8年度");
        assert_eq!(fiscal_year_label(2019), "令和元年度");
    }

    #[test]
    fn declared_figures_that_differ_get_a_note_with_both_numbers() {
        let h = Headline {
            teams: 97,
            members: 279,
            municipalities: 97,
            prefectures: 38,
            officers: 8,
            left: 0,
        };
        let declared = [
            DeclaredFigure {
                figure: Figure::Members,
                declared: 278,
                records: Some(279),
                note: None,
            },
            DeclaredFigure {
                figure: Figure::Teams,
                declared: 97,
                records: Some(97),
                note: None,
            },
            DeclaredFigure {
                figure: Figure::StaffApplicants,
                declared: 308,
                records: None,
                note: None,
            },
        ];
        let v = HeadlineView::of(2, 2026, &h, &declared, true, &[]);
        // The official figure leads; the records' count is the note.
        let members = v.figures.iter().find(|f| f.label == "地方創生支援官").unwrap();
        assert_eq!((members.value.as_str(), members.noted), ("278", true));
        assert_eq!(
            v.notes,
            ["※支援官：公表数値は278名、伴走支援チーム一覧から数えると279名です。"]
        );
        assert_eq!(v.declared_only.len(), 1);
        assert_eq!(v.declared_only[0].value, "308");
        // An editors' note replaces the generated one.
        let mut with_note = declared.clone();
        with_note[0].note = Some("公表資料の集計は278名、一覧表の行は279名分です".into());
        let v = HeadlineView::of(2, 2026, &h, &with_note, true, &[]);
        assert_eq!(v.notes, ["※支援官：公表資料の集計は278名、一覧表の行は279名分です"]);
    }
}
