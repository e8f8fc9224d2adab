//! The validated domain: everything in content/, checked, with every reference resolved.
//!
//! Pipeline position: `load` → **`validate`** → `publish`. Model types do not derive
//! `Deserialize`; the only way to get a [`Registry`] is [`validate::validate`]. Records do not
//! point at their children (a cohort does not hold its teams, a team not its reports), so that
//! `publish` can hand out a published record without handing out what is still held back.

pub mod code;
pub mod link;
mod ministry;
pub mod reference;
pub mod text;
pub mod urls;
pub mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

pub use code::MunicipalityCode;
pub use link::{Link, Target};
pub use ministry::{Ministry, MinistryGroup, MinistryIndex, MinistryNo};
pub use reference::{AgeBand, Grade, IssueAreaNo, PopulationBand, Prefecture, Region};

use crate::time::{Date, Instant};

/// Names compared as the secretariat means them: NFKC, without any spaces.
pub fn normalize_name(s: &str) -> String {
    // Most names are already in NFKC (the quick check answers without decomposing them).
    if !s.chars().any(char::is_whitespace)
        && unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
    {
        return s.to_string();
    }
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Every validated record of the content directory, held back or not.
#[derive(Clone, Debug)]
pub struct Registry {
    pub site: Site,
    pub ministries: Vec<Ministry>,
    /// Finds a ministry by any spelling of ministries.yaml.
    pub ministry_index: MinistryIndex,
    pub municipalities: BTreeMap<MunicipalityCode, Municipality>,
    /// Sorted by number.
    pub cohorts: Vec<Cohort>,
    /// Sorted by (cohort, team number).
    pub teams: Vec<Team>,
    pub applications: Vec<Application>,
    /// Sorted by (cohort, file stem).
    pub reports: Vec<Report>,
    /// Sorted by (order, stem).
    pub pages: Vec<Page>,
    /// Other national 伴走支援, sorted by id.
    pub programs: Vec<Program>,

    pub assets: BTreeMap<AssetPath, Asset>,
}

/// site.yaml
#[derive(Clone, Debug, Hash)]
pub struct Site {
    pub title: String,
    pub base_url: urls::BaseUrl,
    pub publisher: String,
    pub license: String,
    /// Person-attribute aggregates over fewer people than this are suppressed.
    pub min_group_size: u32,
    pub description: Option<String>,
    /// `minify: true`: `build` and `release` minify pages, CSS and JS (as `build --minify`).
    pub minify: bool,
}

/// 市町村 — a municipality record of municipalities.yaml.
#[derive(Clone, Debug, Hash)]
pub struct Municipality {
    pub code: MunicipalityCode,
    pub name: String,
    pub kana: Option<String>,
    pub population: Option<u64>,
    pub population_as_of: Option<Date>,
}

impl Municipality {
    pub fn prefecture(&self) -> &'static Prefecture {
        self.code.prefecture()
    }

    /// `北海道森町`: names are not unique across prefectures, so the site shows both.
    pub fn full_name(&self) -> String {
        format!("{}{}", self.prefecture().name, self.name)
    }
}

/// 期 — the number of a cohort (第2期 = 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CohortNo(pub u32);

impl CohortNo {
    /// `第2期`
    pub fn label(self) -> String {
        format!("第{}期", self.0)
    }
}

/// チーム番号 — unique within a cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeamNo(pub u32);

/// 期 — one round of matching, from its announcement (公表) to the end of its support period.
#[derive(Clone, Debug, Hash)]
pub struct Cohort {
    pub no: CohortNo,
    pub fiscal_year: u32,
    pub announce: Instant,
    pub period_start: Date,
    pub period_end: Date,
    pub declared: Declared,
    /// Shown instead of the announce date (the source's words, e.g. 「3月中下旬以降 順次」).
    pub announce_shown: Option<String>,
    /// Shown instead of the period's dates (e.g. 「原則1年間」).
    pub period_shown: Option<String>,
    /// Whether the cohort's roster (teams.yaml) is kept here. Without it (第1期) the cohort is
    /// its declared figures alone: shown as the official ones, with no team list or charts.
    pub roster: bool,
    /// Where `announce_confirmed: false` is written, when `announce` is the secretariat's
    /// placeholder: it governs the holdback, and is never shown as the date the cohort was
    /// announced (pages use `announce_shown`).
    pub placeholder: Option<crate::diag::Span>,
    /// The documents the cohort's figures and charts rest on.
    pub sources: Vec<Source>,
}

/// A source document as it names itself; each field only as the document gives it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Source {
    pub title: String,
    pub publisher: Option<String>,
    /// As written: a day, a month or a phrase.
    pub date: Option<String>,
    pub url: Option<String>,
}

impl Source {
    /// 「国の職員による自治体伴走支援」（内閣官房・内閣府、令和8年3月）: what a citation line shows.
    pub fn citation(&self) -> String {
        let by: Vec<&str> = [self.publisher.as_deref(), self.date.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if by.is_empty() {
            format!("「{}」", self.title)
        } else {
            format!("「{}」（{}）", self.title, by.join("、"))
        }
    }
}

impl Cohort {
    /// Whether `at` is this cohort's announcement while that is a placeholder: any record
    /// announced with the cohort carries it, and none may show it as a date.
    pub fn unconfirmed(&self, at: Instant) -> bool {
        self.placeholder.is_some() && at == self.announce
    }

    /// The announcement as pages show it: the source's words, or the date.
    pub fn announce_label(&self) -> String {
        self.announce_shown
            .clone()
            .unwrap_or_else(|| self.announce.date().wareki())
    }

    /// The support period as pages show it: the source's words, or 「…～…」.
    pub fn period_label(&self) -> String {
        self.period_shown
            .clone()
            .unwrap_or_else(|| format!("{}～{}", self.period_start.wareki(), self.period_end.wareki()))
    }
}

/// The official figures published with a cohort (公表資料の数値).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Declared {
    pub members: Option<u32>,
    pub teams: Option<u32>,
    pub municipalities: Option<u32>,
    pub prefectures: Option<u32>,
    pub staff_applicants: Option<u32>,
    pub municipality_applicants: Option<u32>,
    /// 公表資料の内訳 — counts per category of an aggregate-only attribute, in the order of
    /// [`Attribute::categories`], for a cohort whose roster keeps no per-person attributes.
    pub breakdowns: BTreeMap<Attribute, Breakdown>,
    /// A known difference between a figure and the records, as the figure's note.
    pub notes: DeclaredNotes,
    /// 継続支援対象.
    pub continuing: Option<Places>,
    /// 新規支援対象.
    pub new: Option<Places>,
}

/// `declared.notes`: one note per declared figure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DeclaredNotes {
    pub members: Option<String>,
    pub teams: Option<String>,
    pub municipalities: Option<String>,
    pub prefectures: Option<String>,
    pub staff_applicants: Option<String>,
    pub municipality_applicants: Option<String>,
}

/// So many municipalities in so many prefectures (継続 or 新規).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Places {
    pub municipalities: Option<u32>,
    pub prefectures: Option<u32>,
}

/// A declared breakdown: a count for each category the source gives, in the order of
/// [`Attribute::categories`]; `None` for a category it does not give (never drawn as 0).
pub type Breakdown = Vec<Option<u32>>;

/// A breakdown's counts with the categories not given as 0 (for sums and comparisons).
pub fn counts_of(b: &[Option<u32>]) -> Vec<u32> {
    b.iter().map(|c| c.unwrap_or(0)).collect()
}

/// 伴走支援チーム — two or three members supporting one municipality in one cohort. `M` is
/// the member as the registry holds it, or as published ([`crate::publish::Team`] is
/// `Team<publish::Member>`), so a field added here reaches the published team and render
/// without being restated.
#[derive(Clone, Debug, Hash)]
pub struct Team<M = Member> {
    pub cohort: CohortNo,
    pub no: TeamNo,
    pub municipality: MunicipalityCode,
    /// 継続 (true) or 新規 (false); `None` when the records do not say.
    pub continuing: Option<bool>,
    pub areas: Vec<IssueAreaNo>,
    pub announce: Instant,
    pub members: Vec<M>,
}

impl<M> Team<M> {
    /// The same team with other members (those published, without their attributes).
    pub fn with_members<N>(&self, members: Vec<N>) -> Team<N> {
        Team {
            cohort: self.cohort,
            no: self.no,
            municipality: self.municipality,
            continuing: self.continuing,
            areas: self.areas.clone(),
            announce: self.announce,
            members,
        }
    }
}

/// 性別 (aggregate-only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gender {
    Male,
    Female,
    NoAnswer,
}

/// 事務官・技官の別 (aggregate-only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Track {
    Administrative,
    Technical,
}

impl Gender {
    /// `男性`, `女性` or `回答しない`: teams.yaml's spellings (after NFKC, without spaces).
    pub fn parse(text: &str) -> Option<Gender> {
        match normalize_name(text).as_str() {
            "男性" => Some(Gender::Male),
            "女性" => Some(Gender::Female),
            "回答しない" => Some(Gender::NoAnswer),
            _ => None,
        }
    }
}

impl Track {
    /// `事務官` or `技官`.
    pub fn parse(text: &str) -> Option<Track> {
        match normalize_name(text).as_str() {
            "事務官" => Some(Track::Administrative),
            "技官" => Some(Track::Technical),
            _ => None,
        }
    }
}

/// The ages a member's record may give (at the cohort's start); others are typing mistakes.
pub const AGE_RANGE: std::ops::RangeInclusive<u32> = 18..=80;

/// 地方創生支援官 — one member of a team. Gender, age and track are aggregate-only: they never
/// reach a template (the render context has no field for them).
#[derive(Clone, Debug)]
pub struct Member {
    pub ministry: MinistryNo,
    pub grade: Grade,
    pub name: Option<String>,
    pub position: Option<String>,
    /// 地方創生支援オフィサー
    pub is_officer: bool,
    /// When the member is published: their own `announce`, or their team's.
    pub announce: Instant,
    /// 離任 — from this date the member is marked as having left (and stays listed).
    pub left: Option<Date>,
    pub gender: Option<Gender>,
    pub age: Option<u32>,
    pub track: Option<Track>,
}

impl Member {
    /// The member's category of an aggregate-only attribute (an index into
    /// [`Attribute::categories`]), `None` when not recorded.
    pub fn category(&self, a: Attribute) -> Option<usize> {
        a.category(self.gender, self.age, self.track)
    }

    /// Forget the member's value of `a`.
    pub fn clear(&mut self, a: Attribute) {
        match a {
            Attribute::Gender => self.gender = None,
            Attribute::Age => self.age = None,
            Attribute::Track => self.track = None,
        }
    }
}

/// 集計だけに使う属性 — published only as counts for a group (SPEC §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attribute {
    Gender,
    Track,
    Age,
}

impl Attribute {
    pub const ALL: [Attribute; 3] = [Attribute::Gender, Attribute::Track, Attribute::Age];

    /// The categories in display order (the order of [`Gender`], [`Track`], [`AgeBand`]).
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Attribute::Gender => &["男性", "女性", "回答しない"],
            Attribute::Track => &["事務官", "技官"],
            Attribute::Age => &["20代", "30代", "40代", "50代以上"],
        }
    }

    /// The category (an index into [`Attribute::categories`]) of a person with these values,
    /// `None` when this attribute is not recorded.
    pub fn category(self, gender: Option<Gender>, age: Option<u32>, track: Option<Track>) -> Option<usize> {
        match self {
            Attribute::Gender => gender.map(|g| g as usize),
            Attribute::Age => age.map(|n| AgeBand::of(n) as usize),
            Attribute::Track => track.map(|t| t as usize),
        }
    }

    /// `性別`
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Gender => "性別",
            Attribute::Track => "事務官・技官の別",
            Attribute::Age => "年齢",
        }
    }
}

/// 応募 — a municipality that applied; published only as counts.
#[derive(Clone, Debug)]
pub struct Application {
    pub cohort: CohortNo,
    pub municipality: MunicipalityCode,
    pub areas: Vec<IssueAreaNo>,
    pub compound: Option<bool>,
}

/// 報告の種類
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportKind {
    Interim,
    Final,
    Activity,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [ReportKind::Interim, ReportKind::Final, ReportKind::Activity];

    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Interim => "中間報告",
            ReportKind::Final => "最終報告",
            ReportKind::Activity => "活動報告",
        }
    }
}

/// A path under content/assets/, with `/` separators (`2/mori-interim.pdf`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetPath(pub String);

/// A file under content/assets/.
#[derive(Clone, Debug)]
pub struct Asset {
    pub path: AssetPath,
    pub source: PathBuf,
    /// Size in bytes, shown next to attachment links.
    pub size: u64,
}

/// Markdown text and what each of its site links and images points to.
#[derive(Clone, Debug, Default, Hash)]
pub struct Body {
    pub markdown: String,
    /// The line of its file the Markdown starts on.
    pub first_line: u32,
    /// Link destination as written → its target (an asset, a report, a page, …).
    pub links: BTreeMap<String, Link>,
}

impl Body {
    /// The assets the body links to or shows.
    pub fn assets(&self) -> impl Iterator<Item = &AssetPath> {
        self.links.values().filter_map(|l| match &l.target {
            Target::Asset(a) => Some(a),
            _ => None,
        })
    }
}

/// A file attached to a report.
#[derive(Clone, Debug, Hash)]
pub struct Attachment {
    pub asset: AssetPath,
    pub title: String,
}

/// 報告 — a report of one team, from `cohorts/<n>/reports/<stem>.md`.
#[derive(Clone, Debug, Hash)]
pub struct Report {
    pub cohort: CohortNo,
    pub team: TeamNo,
    /// The file stem, which is also the URL segment.
    pub stem: String,
    pub kind: ReportKind,
    pub title: String,
    pub date: Date,
    pub release: Instant,
    pub summary: Option<String>,
    pub attachments: Vec<Attachment>,
    pub body: Body,
    /// The file, relative to content/.
    pub file: Arc<str>,
}

/// A free page from `pages/<stem>.md`.
#[derive(Clone, Debug)]
pub struct Page {
    pub stem: String,
    pub title: String,
    pub order: Option<i32>,
    /// `None`: published at once.
    pub release: Option<Instant>,
    /// The cohort the page is released with (`release_with`), whose announcement it shares.
    pub released_with: Option<CohortNo>,
    pub description: Option<String>,
    pub body: Body,
    pub file: Arc<str>,
}

impl Registry {
    pub fn ministry(&self, id: MinistryNo) -> &Ministry {
        &self.ministries[id.0]
    }

    pub fn cohort(&self, no: CohortNo) -> Option<&Cohort> {
        self.cohorts.iter().find(|c| c.no == no)
    }

    /// When nothing of cohort `no` is held any more, so its declared figures are shown (SPEC §3):
    /// the latest announce of the cohort, its teams and their members.
    pub fn cohort_complete_at(&self, no: CohortNo) -> Option<Instant> {
        let cohort = self.cohort(no)?;
        let teams = self.teams.iter().filter(|t| t.cohort == no);
        let announces = teams.flat_map(|t| std::iter::once(t.announce).chain(t.members.iter().map(|m| m.announce)));
        Some(announces.fold(cohort.announce, Instant::max))
    }
}

/// 関連する伴走支援 — another national programme (e.g. デジタル実装伴走支援事業) and the
/// municipalities it supports, from `programs/<id>.yaml`.
#[derive(Clone, Debug, Hash)]
pub struct Program {
    /// The file stem, which is also the URL segment (`/programs/<id>/`).
    pub id: String,
    pub name: String,
    pub fiscal_year: u32,
    /// `None`: published at once.
    pub release: Option<Instant>,
    pub organizer: Option<String>,
    pub summary: Option<String>,
    pub url: Option<String>,
    pub support: Vec<ProgramSupport>,
    pub file: Arc<str>,
}

/// One group of a programme's supported municipalities: a 類型, and for a joint application
/// its name.
#[derive(Clone, Debug, Hash)]
pub struct ProgramSupport {
    pub kind: String,
    pub group: Option<String>,
    pub municipalities: Vec<MunicipalityCode>,
}

impl Program {
    /// The supports `code` receives from this programme.
    pub fn support_of(&self, code: MunicipalityCode) -> impl Iterator<Item = &ProgramSupport> {
        self.support.iter().filter(move |s| s.municipalities.contains(&code))
    }
}

#[cfg(test)]
mod tests {
    use super::{Grade, ReportKind, normalize_name, reference};

    #[test]
    fn names_are_compared_after_nfkc_and_without_spaces() {
        // Text already in NFKC without spaces comes back as it is.
        assert_eq!(normalize_name("課長補佐級"), "課長補佐級");
        assert_eq!(normalize_name("企画官・室長級"), "企画官・室長級");
        // Full-width letters and digits, half-width katakana and any space are folded.
        assert_eq!(normalize_name("ＤＸ推進　１"), "DX推進1");
        assert_eq!(normalize_name("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(normalize_name("公正取引 委員会"), "公正取引委員会");
        assert_eq!(normalize_name("㈱"), "(株)");
    }

    /// 課題分野, grade and report kind names are compared with normalised input as they are
    /// written, so each must already be its own normal form.
    #[test]
    fn the_names_input_is_compared_with_are_already_normal() {
        let names = reference::ISSUE_AREAS
            .iter()
            .copied()
            .chain(Grade::ALL.iter().map(|g| g.name()))
            .chain(ReportKind::ALL.iter().map(|k| k.name()));
        for name in names {
            assert_eq!(normalize_name(name), name);
        }
    }
}
