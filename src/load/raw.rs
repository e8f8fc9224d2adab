//! Raw records: serde mirrors of the content files (SPEC §2), positions kept for validation.
//!
//! Nothing here is checked beyond its YAML type; `model::validate` turns these into the domain.

use serde::Deserialize;

use super::de::{Lenient, Sp};

/// A scalar that may be written as text or as a YAML integer (団体コード `013455` or `13455`).
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Text(String),
    Int(i128),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v.into()))
            }
        }
        d.deserialize_any(V)
    }
}

/// site.yaml
#[derive(Clone, Debug, Deserialize)]
pub struct RawSite {
    pub title: Sp<String>,
    pub base_url: Sp<String>,
    pub publisher: Sp<String>,
    pub license: Sp<String>,
    pub min_group_size: Option<Sp<u32>>,
    /// One sentence about the site, used as the top page's description.
    pub description: Option<Sp<String>>,
    /// Minify pages, CSS and JS on `build` and `release` (as `build --minify`).
    pub minify: Option<Sp<bool>>,
}

/// One entry of ministries.yaml.
#[derive(Clone, Debug, Deserialize)]
pub struct RawMinistry {
    pub name: Sp<String>,
    /// URL slug of the ministry's page.
    pub id: Option<Sp<String>>,
    pub short: Option<Sp<String>>,
    #[serde(default)]
    pub aliases: Vec<Sp<String>>,
    /// `府省庁等` (default) or `オフィサー出向先等`.
    pub group: Option<Sp<String>>,
}

/// One entry of municipalities.yaml.
#[derive(Clone, Debug, Deserialize)]
pub struct RawMunicipality {
    pub code: Sp<Scalar>,
    pub name: Sp<String>,
    pub kana: Option<Sp<String>>,
    pub population: Option<Sp<u64>>,
    pub population_as_of: Option<Sp<String>>,
}

/// `cohorts/<n>/cohort.yaml`
#[derive(Clone, Debug, Deserialize)]
pub struct RawCohort {
    pub number: Sp<u32>,
    pub fiscal_year: Sp<u32>,
    pub announce: Sp<String>,
    pub period: Sp<RawPeriod>,
    pub declared: Option<RawDeclared>,
    /// `false`: `announce` is the secretariat's placeholder, not a date the source gives. It
    /// still governs the holdback but is never shown as the date something happened.
    pub announce_confirmed: Option<Sp<bool>>,
    /// How pages show the dates, in the source's words, when `announce` and `period` are the
    /// secretariat's best instants rather than dates the source gives.
    pub shown_as: Option<RawShownAs>,
    /// The documents the cohort's figures and charts rest on, cited on its pages.
    #[serde(default)]
    pub sources: Vec<Sp<RawSource>>,
}

/// One source document, each field only as the document gives it.
#[derive(Clone, Debug, Deserialize)]
pub struct RawSource {
    pub title: Sp<String>,
    pub publisher: Option<Sp<String>>,
    /// A day, a month or a phrase, shown as written.
    pub date: Option<Sp<String>>,
    pub url: Option<Sp<String>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RawShownAs {
    pub announce: Option<Sp<String>>,
    pub period: Option<Sp<String>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RawPeriod {
    pub start: Sp<String>,
    pub end: Sp<String>,
}

/// The official figures of a cohort, checked against the records.
#[derive(Clone, Debug, Deserialize)]
pub struct RawDeclared {
    pub members: Option<Sp<u32>>,
    pub teams: Option<Sp<u32>>,
    pub municipalities: Option<Sp<u32>>,
    pub prefectures: Option<Sp<u32>>,
    pub staff_applicants: Option<Sp<u32>>,
    pub municipality_applicants: Option<Sp<u32>>,
    /// Counts per category of gender, age and track (SPEC §6 (d)).
    pub breakdowns: Option<RawBreakdowns>,
    /// A known difference between a figure and the records, shown as the figure's note.
    pub notes: Option<Sp<RawNotes>>,
    /// 継続支援対象.
    pub continuing: Option<Sp<RawPlaces>>,
    /// 新規支援対象.
    pub new: Option<Sp<RawPlaces>>,
}

/// `declared.notes`: a note per figure, under the figure's key.
#[derive(Clone, Debug, Deserialize)]
pub struct RawNotes {
    pub members: Option<Sp<String>>,
    pub teams: Option<Sp<String>>,
    pub municipalities: Option<Sp<String>>,
    pub prefectures: Option<Sp<String>>,
    pub staff_applicants: Option<Sp<String>>,
    pub municipality_applicants: Option<Sp<String>>,
}

/// `declared.continuing` / `declared.new`: how many municipalities in how many prefectures.
#[derive(Clone, Debug, Deserialize)]
pub struct RawPlaces {
    pub municipalities: Option<Sp<u32>>,
    pub prefectures: Option<Sp<u32>>,
}

/// `declared.breakdowns`: the official counts of aggregate-only attributes.
#[derive(Clone, Debug, Deserialize)]
pub struct RawBreakdowns {
    pub gender: Option<Sp<RawGenderCounts>>,
    pub track: Option<Sp<RawTrackCounts>>,
    pub age: Option<Sp<RawAgeCounts>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RawGenderCounts {
    #[serde(rename = "男性")]
    pub male: Option<Sp<u32>>,
    #[serde(rename = "女性")]
    pub female: Option<Sp<u32>>,
    #[serde(rename = "回答しない")]
    pub no_answer: Option<Sp<u32>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RawTrackCounts {
    #[serde(rename = "事務官")]
    pub administrative: Option<Sp<u32>>,
    #[serde(rename = "技官")]
    pub technical: Option<Sp<u32>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RawAgeCounts {
    #[serde(rename = "20代")]
    pub twenties: Option<Sp<u32>>,
    #[serde(rename = "30代")]
    pub thirties: Option<Sp<u32>>,
    #[serde(rename = "40代")]
    pub forties: Option<Sp<u32>>,
    #[serde(rename = "50代以上")]
    pub fifties_and_over: Option<Sp<u32>>,
}

/// One entry of `cohorts/<n>/teams.yaml`.
#[derive(Clone, Debug, Deserialize)]
pub struct RawTeam {
    pub number: Sp<u32>,
    pub municipality: Sp<Scalar>,
    pub continuing: Option<Sp<bool>>,
    /// 課題分野, under the key SPEC §2 gives teams.yaml (`areas` from the model on).
    #[serde(default)]
    pub themes: Vec<Sp<String>>,
    pub announce: Option<Sp<String>>,
    pub members: Sp<Vec<Lenient<RawMember>>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RawMember {
    pub ministry: Sp<String>,
    pub grade: Sp<String>,
    pub name: Option<Sp<String>>,
    pub position: Option<Sp<String>>,
    pub officer: Option<Sp<bool>>,
    /// A member who joins later than their team.
    pub announce: Option<Sp<String>>,
    /// 離任日
    pub left: Option<Sp<String>>,
    pub gender: Option<Sp<String>>,
    pub age: Option<Sp<u32>>,
    pub track: Option<Sp<String>>,
}

/// One entry of `cohorts/<n>/applications.yaml`.
#[derive(Clone, Debug, Deserialize)]
pub struct RawApplication {
    pub municipality: Sp<Scalar>,
    /// 課題分野, under the key SPEC §2 gives applications.yaml (`areas` from the model on).
    #[serde(default)]
    pub fields: Vec<Sp<String>>,
    pub compound: Option<Sp<bool>>,
}

/// The front matter of a report.
#[derive(Clone, Debug, Deserialize)]
pub struct RawReport {
    pub team: Sp<u32>,
    pub kind: Sp<String>,
    pub title: Sp<String>,
    pub date: Sp<String>,
    pub release: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    #[serde(default)]
    pub attachments: Vec<Lenient<RawAttachment>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RawAttachment {
    pub file: Sp<String>,
    pub title: Sp<String>,
}

/// The front matter of a free page.
#[derive(Clone, Debug, Deserialize)]
pub struct RawPage {
    pub title: Sp<String>,
    pub order: Option<Sp<i32>>,
    pub release: Option<Sp<String>>,
    /// `cohorts/<n>`: released when nothing of that cohort is held any more (with its figures).
    pub release_with: Option<Sp<String>>,
    /// One sentence shown in search results and link previews.
    pub description: Option<Sp<String>>,
}

/// `programs/<id>.yaml`: another national 伴走支援 that municipalities receive.
#[derive(Clone, Debug, Deserialize)]
pub struct RawProgram {
    pub name: Sp<String>,
    pub fiscal_year: Sp<u32>,
    pub release: Option<Sp<String>>,
    pub organizer: Option<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub url: Option<Sp<String>>,
    #[serde(default)]
    pub support: Vec<Lenient<RawProgramSupport>>,
}

/// One group of supported municipalities of a programme (a 類型, or one joint application).
#[derive(Clone, Debug, Deserialize)]
pub struct RawProgramSupport {
    #[serde(rename = "type")]
    pub kind: Sp<String>,
    pub group: Option<Sp<String>>,
    pub municipalities: Vec<Sp<Scalar>>,
}
