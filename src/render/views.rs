//! What each template of the general pages receives as `page`: one typed view per template, so
//! a field a template reads cannot be renamed or dropped without a compile error here.
//! (Cohort, prefecture and programme pages keep theirs beside their renderers.)

use serde::Serialize;

use super::context::{HeadlineView, ReportRef, TeamList, TeamRow};
use super::data::DataFile;
use super::program_pages::ProgramRef;
use super::stat_pages::PrefectureMap;

/// index.html
#[derive(Debug, Serialize)]
pub struct HomeView {
    pub headline: Option<HeadlineView>,
    pub map: PrefectureMap,
    pub reports: Vec<ReportRef>,
    pub intro: Option<String>,
}

/// page.html: a page from pages/.
#[derive(Debug, Serialize)]
pub struct PageView {
    pub body: String,
}

/// municipality.html
#[derive(Debug, Serialize)]
pub struct MunicipalityView {
    pub name: String,
    pub full_name: String,
    pub kana: Option<String>,
    pub code: String,
    pub prefecture: &'static str,
    pub prefecture_href: String,
    pub population: Option<String>,
    pub population_as_of: Option<String>,
    pub teams: Vec<TeamRow>,
    pub programs: Vec<ProgramRef>,
}

/// reports.html: one page of the report list.
#[derive(Debug, Serialize)]
pub struct ReportListView<'a, P: Serialize> {
    pub reports: &'a [ReportRef],
    pub count: &'a str,
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
    pub team: TeamRow,
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

/// search.html: the index parts after the first, which the page merges.
#[derive(Debug, Serialize)]
pub struct SearchView {
    pub parts: Vec<String>,
}

/// 404.html needs nothing of its own.
#[derive(Debug, Serialize)]
pub struct NotFoundView {}
