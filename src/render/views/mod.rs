//! What each template receives as `page`: one typed view per template, so a field a template
//! reads cannot be renamed or dropped without a compile error here. Each view names its
//! template ([`View::TEMPLATE`]); [`Template::ALL`] is the list a theme must provide, checked
//! when the theme is loaded. A new page family is a new [`Template`] variant and its view.
//!
//! What several views share is in [`parts`]; what every page shares, the `layout` beside
//! `page`, is in [`layout`].

use serde::Serialize;

pub mod layout;
pub mod parts;

/// Declares the templates pages are rendered with: the enum, its file names and the list.
macro_rules! templates {
    ($($variant:ident => $file:literal,)*) => {
        /// A page template of the theme.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Template {
            $($variant,)*
        }

        impl Template {
            /// Every page template: what a theme must provide.
            pub const ALL: &'static [Template] = &[$(Template::$variant,)*];

            /// The file under the theme's templates/.
            pub fn file(self) -> &'static str {
                match self {
                    $(Template::$variant => $file,)*
                }
            }
        }
    };
}

templates! {
    Home => "index.html",
    Page => "page.html",
    Cohorts => "cohorts.html",
    Cohort => "cohort.html",
    Teams => "teams.html",
    Prefectures => "prefectures.html",
    Prefecture => "prefecture.html",
    Municipality => "municipality.html",
    Reports => "reports.html",
    Report => "report.html",
    Areas => "areas.html",
    Area => "area.html",
    Ministries => "ministries.html",
    Ministry => "ministry.html",
    Programs => "programs.html",
    Program => "program.html",
    Data => "data.html",
    Search => "search.html",
    NotFound => "404.html",
}

/// What one template is given as `page`, and which template that is.
pub trait View: Serialize {
    const TEMPLATE: Template;
}

/// `impl View for X { const TEMPLATE = Template::Y }`, for each pair.
macro_rules! views {
    ($($view:ident $(<$($lt:lifetime),* $(,)? $($g:ident: $b:path)?>)? => $t:ident,)*) => {
        $(impl$(<$($lt,)* $($g: $b)?>)? View for $view$(<$($lt,)* $($g)?>)? {
            const TEMPLATE: Template = Template::$t;
        })*
    };
}

views! {
    HomeView => Home,
    PageView => Page,
    CohortListView => Cohorts,
    CohortView => Cohort,
    TeamsView => Teams,
    PrefectureListView => Prefectures,
    PrefectureView => Prefecture,
    MunicipalityView => Municipality,
    ReportListView<P: Serialize> => Reports,
    ReportView => Report,
    AreaListView => Areas,
    AreaView => Area,
    MinistryListView => Ministries,
    MinistryView => Ministry,
    ProgramListView => Programs,
    ProgramView => Program,
    DataView<'a> => Data,
    SearchView => Search,
    NotFoundView => NotFound,
}

use crate::render::data::DataFile;
use parts::{
    ChartView, FilterChoice, HeadlineView, HeldUntil, NamedLink, NewsItem, PrefectureMap, ProgramRef, ReportRef,
    TeamGroup, TeamList, TeamRow,
};

/// index.html
#[derive(Debug, Serialize)]
pub struct HomeView {
    /// お知らせ: the newest cohorts, reports and timed pages.
    pub news: Vec<NewsItem>,
    /// The latest team list kept here.
    pub teams_href: Option<String>,
    pub headline: Option<HeadlineView>,
    pub map: PrefectureMap,
    pub reports: Vec<ReportRef>,
    pub intro: Option<String>,
}

/// page.html: a page from pages/.
#[derive(Debug, Serialize)]
pub struct PageView {
    pub body: String,
    /// In a preview, when the page really goes public.
    pub held_until: Option<HeldUntil>,
}

/// municipality.html
#[derive(Debug, Serialize)]
pub struct MunicipalityView {
    /// Exact names a search puts this page first for (a Pagefind filter, not shown).
    pub search_names: Vec<String>,
    pub name: String,
    pub full_name: String,
    pub kana: Option<String>,
    pub code: String,
    pub prefecture: &'static str,
    pub prefecture_href: String,
    pub population: Option<String>,
    pub population_as_of: Option<String>,
    pub teams: Vec<MunicipalityTeam>,
    /// What the 「支援オフィサー」 mark means, when a member shown has it.
    pub officer_note: Option<&'static str>,
    pub programs: Vec<ProgramRef>,
}

/// A team on its municipality's page: its row, with its reports (the one list of a team's
/// reports; other pages list a team by its row alone).
#[derive(Debug, Serialize)]
pub struct MunicipalityTeam {
    #[serde(flatten)]
    pub row: std::sync::Arc<TeamRow>,
    pub reports: Vec<ReportRef>,
}

/// reports.html: one page of the report list.
#[derive(Debug, Serialize)]
pub struct ReportListView<P: Serialize> {
    pub reports: Vec<ReportRef>,
    pub count: String,
    pub pager: P,
}

/// report.html
#[derive(Debug, Serialize)]
pub struct ReportView {
    pub title: String,
    pub kind: &'static str,
    pub date: String,
    pub date_iso: String,
    pub summary: Option<String>,
    pub body: String,
    pub attachments: Vec<AttachmentView>,
    pub team: std::sync::Arc<TeamRow>,
    /// What the 「支援オフィサー」 mark means, when a member of the team has it.
    pub officer_note: Option<&'static str>,
    /// In a preview, when the report really goes public.
    pub held_until: Option<HeldUntil>,
}

/// An attachment of a report, as its page lists it.
#[derive(Debug, Serialize)]
pub struct AttachmentView {
    pub title: String,
    pub href: String,
    /// `PDF`, from the file's extension.
    pub format: String,
    pub size: Option<String>,
}

/// areas.html: the 26 課題分野.
#[derive(Debug, Serialize)]
pub struct AreaListView {
    pub areas: Vec<AreaItem>,
}

#[derive(Debug, Serialize)]
pub struct AreaItem {
    pub no: u8,
    /// `03`
    pub two: String,
    pub name: &'static str,
    pub href: String,
    pub teams: usize,
}

/// area.html: one 課題分野 and its teams.
#[derive(Debug, Serialize)]
pub struct AreaView {
    pub no: u8,
    pub name: &'static str,
    pub note: Option<&'static str>,
    pub teams: TeamList,
}

/// data.html
#[derive(Debug, Serialize)]
pub struct DataView<'a> {
    pub files: Vec<DataFile>,
    pub license: &'a str,
}

/// search.html: the index parts after the first, which the page merges, and the table of
/// navigation pages (`shortcuts.rs`) as JSON.
#[derive(Debug, Serialize)]
pub struct SearchView {
    pub parts: Vec<String>,
    pub shortcuts: String,
}

/// 404.html needs nothing of its own.
#[derive(Debug, Serialize)]
pub struct NotFoundView {}

/// cohorts.html
#[derive(Debug, Serialize)]
pub struct CohortListView {
    pub cohorts: Vec<CohortListItem>,
    pub comparison: Option<ChartView>,
}

#[derive(Debug, Serialize)]
pub struct CohortListItem {
    pub headline: HeadlineView,
    pub period: String,
    pub announce: String,
}

/// cohort.html
#[derive(Debug, Serialize)]
pub struct CohortView {
    pub headline: HeadlineView,
    pub period: String,
    pub announce: String,
    pub charts: Vec<ChartView>,
    /// 「…を図と表で示します。」 for the charts drawn.
    pub charts_intro: String,
    /// Why the other breakdowns are not drawn, a sentence per reason.
    pub charts_unshown: Vec<String>,
    /// The latest published cohort (its page links the current team list).
    pub latest: bool,
    /// In a preview, when the cohort really goes public.
    pub held_until: Option<HeldUntil>,
}

/// teams.html
#[derive(Debug, Serialize)]
pub struct TeamsView {
    pub cohort_label: String,
    pub cohort_href: String,
    pub count: usize,
    /// The list's notes and columns (its rows are in `groups`).
    pub teams: TeamList,
    /// The teams by prefecture, in JIS order, each in number order.
    pub groups: Vec<TeamGroup>,
    /// The filter's 府省庁等: those of the listed (published) teams only (its prefectures are
    /// the groups).
    pub ministries: Vec<FilterChoice>,
    /// /ministries/, where the site has it (for readers without script).
    pub ministries_page: Option<&'static str>,
}

/// prefectures.html
#[derive(Debug, Serialize)]
pub struct PrefectureListView {
    pub map: PrefectureMap,
}

/// prefecture.html
#[derive(Debug, Serialize)]
pub struct PrefectureView {
    /// Exact names a search puts this page first for (a Pagefind filter, not shown).
    pub search_names: Vec<String>,
    /// Its teams and members as open data (CSV, JSON), beside the page.
    pub files: Vec<NamedLink>,
    pub name: &'static str,
    pub region: &'static str,
    pub teams: TeamList,
    pub cohorts: Vec<PrefectureCohortView>,
    pub programs: Vec<ProgramInPrefecture>,
    /// What the page says where it lists no team (made from what is published).
    pub no_team: String,
    /// Where the breakdowns the page does not show are.
    pub breakdowns: String,
}

/// Headline figures of one prefecture in one cohort, with its charts.
#[derive(Debug, Serialize)]
pub struct PrefectureCohortView {
    pub cohort_label: String,
    pub cohort_href: String,
    pub teams: u32,
    pub members: u32,
    pub municipalities: u32,
    pub charts: Vec<ChartView>,
    /// Why the other breakdowns are not drawn, a sentence per reason.
    pub charts_unshown: Vec<String>,
}

/// A programme's support in one prefecture.
#[derive(Debug, Serialize)]
pub struct ProgramInPrefecture {
    pub name: String,
    pub fiscal_year: String,
    pub href: String,
    pub municipalities: Vec<NamedLink>,
}

/// programs.html
#[derive(Debug, Serialize)]
pub struct ProgramListView {
    pub programs: Vec<ProgramListItem>,
}

#[derive(Debug, Serialize)]
pub struct ProgramListItem {
    pub name: String,
    pub fiscal_year: String,
    pub href: String,
    pub summary: Option<String>,
    /// Municipalities supported.
    pub count: usize,
}

/// program.html
#[derive(Debug, Serialize)]
pub struct ProgramView {
    pub name: String,
    pub fiscal_year: String,
    pub organizer: Option<String>,
    pub summary: Option<String>,
    pub url: Option<String>,
    pub support: Vec<SupportView>,
}

/// One group of a programme's supported municipalities.
#[derive(Debug, Serialize)]
pub struct SupportView {
    pub kind: String,
    pub group: Option<String>,
    pub municipalities: Vec<NamedLink>,
}

/// ministries.html: each 府省庁等 with published 支援官, with counts per cohort, in the groups
/// of ministries.yaml (府省庁等, オフィサー出向先等), each with its subtotal.
#[derive(Debug, Serialize)]
pub struct MinistryListView {
    /// `第2期`, one per column pair.
    pub cohorts: Vec<String>,
    /// One table each; a list with one group (府省庁等) has no headings.
    pub groups: Vec<MinistryGroupView>,
    /// Where the list shows オフィサー出向先等: what an オフィサー is, said with the groups.
    pub officer_definition: Option<&'static str>,
}

/// One group of the ministry list.
#[derive(Debug, Serialize)]
pub struct MinistryGroupView {
    /// `府省庁等` or `オフィサー出向先等`: the first column's heading.
    pub name: &'static str,
    /// `府省庁等（24）`, where the list has groups.
    pub heading: Option<String>,
    pub caption: String,
    pub rows: Vec<MinistryRow>,
    /// `小計`, or `計` for a list without groups.
    pub subtotal_label: &'static str,
    /// Per cohort: the group's members, and the teams any of them is in (each team once).
    pub subtotal: Vec<MinistryCount>,
}

#[derive(Debug, Serialize)]
pub struct MinistryRow {
    pub name: String,
    pub href: String,
    /// One per cohort of [`MinistryListView::cohorts`].
    pub counts: Vec<MinistryCount>,
}

#[derive(Debug, Serialize)]
pub struct MinistryCount {
    pub members: usize,
    pub teams: usize,
}

/// ministry.html: one 府省庁等's teams by cohort (newest first) and their reports.
#[derive(Debug, Serialize)]
pub struct MinistryView {
    /// Exact names a search puts this page first for (a Pagefind filter, not shown).
    pub search_names: Vec<String>,
    pub name: String,
    /// For a body of オフィサー出向先等: its group's name, said under the heading with what
    /// an オフィサー is.
    pub officer_group: Option<&'static str>,
    pub officer_definition: Option<&'static str>,
    pub cohorts: Vec<MinistryCohort>,
    pub reports: Vec<ReportRef>,
}

#[derive(Debug, Serialize)]
pub struct MinistryCohort {
    pub label: String,
    pub href: String,
    /// 「第2期では、国土交通省の支援官40名が…」
    pub lead: String,
    pub caption: String,
    pub teams: TeamList,
}
