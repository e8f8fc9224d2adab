//! Writing teams.yaml: the teams as merged (`merge`), serialised by
//! serde-saphyr (the YAML library banso reads with) with every text double-quoted, then read
//! back and compared before anything is replaced.
//!
//! Import owns the keys the roster has columns for ([`WRITTEN`]). Every other key of a team
//! already in teams.yaml is carried as the YAML value it holds ([`Rest`]), whatever its name:
//! a key added to teams.yaml needs no change here, and the read-back check compares it too.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_saphyr::{DoubleQuoted, FlowMap, FlowSeq};

use super::ImportError;

use crate::load::de::{Lenient, Sp};
use crate::load::raw::{RawMember, RawTeam, Scalar};
use crate::load::yaml::{Node, Value};
use crate::model::{Attribute, MunicipalityCode};

/// One team as it will be written: the roster's values, and what is kept from the old file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TeamOut {
    pub(super) number: u32,
    pub(super) code: MunicipalityCode,
    pub(super) place: String,
    pub(super) continuing: Option<bool>,
    pub(super) themes: Vec<String>,
    /// The old team's keys import does not write (`announce`, and any key added later).
    pub(super) rest: Rest,
    pub(super) members: Vec<MemberOut>,
}

/// The keys of a team import writes: from the roster, or where it has no column, from the old
/// team's typed record. Written in this order, with [`Rest`] before `members` (SPEC §2's order).
const WRITTEN: [&str; 5] = ["number", "municipality", "continuing", "themes", "members"];

/// The keys of an old team that import does not write, in the order written, with their values.
pub(super) type Rest = Vec<(String, Plain)>;

/// A YAML value without the place it was written: what a carried key holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Plain {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Plain>),
    Map(Vec<(String, Plain)>),
}

impl From<&Node> for Plain {
    fn from(n: &Node) -> Self {
        match &n.value {
            Value::Null => Plain::Null,
            Value::Bool(b) => Plain::Bool(*b),
            Value::Int(i) => Plain::Int(*i),
            Value::Float(f) => Plain::Float(*f),
            Value::Str(s) => Plain::Str(s.clone()),
            Value::Seq(items) => Plain::Seq(items.iter().map(Plain::from).collect()),
            Value::Map(entries) => Plain::Map(entries.iter().map(|(k, v)| (k.text.clone(), Plain::from(v))).collect()),
        }
    }
}

impl Serialize for Plain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Plain::Null => s.serialize_unit(),
            Plain::Bool(b) => s.serialize_bool(*b),
            Plain::Int(i) => match i64::try_from(*i) {
                Ok(i) => s.serialize_i64(i),
                Err(_) => s.serialize_i128(*i),
            },
            Plain::Float(f) => s.serialize_f64(*f),
            // Double-quoted like every text import writes: read back as the same text.
            Plain::Str(t) => DoubleQuoted(t.as_str()).serialize(s),
            Plain::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Plain::Map(entries) => serialize_entries(entries, s),
        }
    }
}

fn serialize_entries<S: Serializer>(entries: &[(String, Plain)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// [`Rest`] written as keys of the team's own mapping.
struct Flat<'a>(&'a Rest);

impl Serialize for Flat<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_entries(self.0, s)
    }
}

/// The keys of one team's mapping that import does not write.
fn rest_of(team: &Node) -> Rest {
    match &team.value {
        Value::Map(entries) => entries
            .iter()
            .filter(|(k, _)| !WRITTEN.contains(&k.text.as_str()))
            .map(|(k, v)| (k.text.clone(), Plain::from(v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The keys import does not write of each team of an old teams.yaml, by team number. A file
/// that does not parse gives none (the content was checked before an import starts).
pub(super) fn rests(old: &str) -> BTreeMap<u32, Rest> {
    let Ok(Node {
        value: Value::Seq(teams),
        ..
    }) = crate::load::yaml::parse(old)
    else {
        return BTreeMap::new();
    };
    teams
        .iter()
        .filter_map(|t| {
            let Value::Map(entries) = &t.value else { return None };
            let number = entries.iter().find_map(|(k, v)| match v.value {
                Value::Int(n) if k.text == "number" => u32::try_from(n).ok(),
                _ => None,
            })?;
            Some((number, rest_of(t)))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct MemberOut {
    pub(super) ministry: String,
    pub(super) grade: String,
    pub(super) name: Option<String>,
    pub(super) position: Option<String>,
    pub(super) officer: bool,
    pub(super) announce: Option<String>,
    pub(super) left: Option<String>,
    pub(super) gender: Option<String>,
    pub(super) age: Option<u32>,
    pub(super) track: Option<String>,
}

/// What becomes of the aggregate-only attributes the roster has columns for.
#[derive(Clone, Copy)]
pub(super) struct Carried<'a> {
    pub(super) attributes: &'a [Attribute],
    /// Written per person (`--keep-attributes`); otherwise none of them is, not even one the
    /// old teams.yaml held (the cohort's counts in cohort.yaml replace them).
    pub(super) per_person: bool,
}

impl Carried<'_> {
    /// The value to write for attribute `a`: the roster's, none, or the old file's when the
    /// roster has no column for it.
    pub(super) fn pick<T>(&self, a: Attribute, roster: Option<T>, old: Option<T>) -> Option<T> {
        match (self.attributes.contains(&a), self.per_person) {
            // A blank cell keeps the old value, as a blank 氏名 does.
            (true, true) => roster.or(old),
            (true, false) => None,
            (false, _) => old,
        }
    }
}

/// A text as teams.yaml holds it: double-quoted, so no cell can end a value early, start a
/// comment (`\t#`), a mapping (`: `) or a flow (`,`), or be read as a number, date or boolean.
type Text<'a> = DoubleQuoted<&'a str>;

fn text(s: &str) -> Text<'_> {
    DoubleQuoted(s)
}

/// One team of teams.yaml as written, in SPEC §2's key order.
#[derive(Serialize)]
struct TeamYaml<'a> {
    number: u32,
    municipality: DoubleQuoted<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    continuing: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    themes: Option<FlowSeq<Vec<Text<'a>>>>,
    #[serde(flatten)]
    rest: Flat<'a>,
    members: Vec<FlowMap<MemberYaml<'a>>>,
}

/// One member, on one line: `{ministry: "…", grade: "…", …}`.
#[derive(Serialize)]
struct MemberYaml<'a> {
    ministry: Text<'a>,
    grade: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    announce: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    left: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<Text<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    officer: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    track: Option<Text<'a>>,
}

impl<'a> From<&'a TeamOut> for TeamYaml<'a> {
    fn from(t: &'a TeamOut) -> Self {
        let members = t
            .members
            .iter()
            .map(|m| {
                FlowMap(MemberYaml {
                    ministry: text(&m.ministry),
                    grade: text(&m.grade),
                    name: m.name.as_deref().map(text),
                    position: m.position.as_deref().map(text),
                    announce: m.announce.as_deref().map(text),
                    left: m.left.as_deref().map(text),
                    gender: m.gender.as_deref().map(text),
                    officer: m.officer,
                    age: m.age,
                    track: m.track.as_deref().map(text),
                })
            })
            .collect();
        TeamYaml {
            number: t.number,
            municipality: DoubleQuoted(t.code.to_string()),
            continuing: t.continuing,
            themes: (!t.themes.is_empty()).then(|| FlowSeq(t.themes.iter().map(|a| text(a)).collect())),
            rest: Flat(&t.rest),
            members,
        }
    }
}

/// YAML for `value` (a list of records), as serde-saphyr writes it.
pub(super) fn to_yaml(value: &impl Serialize) -> Result<String, ImportError> {
    serde_saphyr::to_string(value).map_err(|e| ImportError::Verify(e.to_string()))
}

/// teams.yaml for `teams`: a header naming the roster, and after each municipality code the
/// roster's 市町村名 as a comment, so a person reading the file sees the place.
/// The comment lines that open an old teams.yaml (the secretariat's notes on sources and
/// spellings), kept above what an import writes, without an earlier import's own line.
pub(super) fn leading_comments(old: &str) -> String {
    let mut lines: Vec<String> = old
        .lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .filter(|l| !l.contains("から banso import teams で"))
        .map(comment)
        .collect();
    // The separator an earlier import put before its own line goes with it.
    while lines.last().is_some_and(|l| matches!(l.trim(), "" | "#")) {
        lines.pop();
    }
    lines.join("\n")
}

pub(super) fn emit(teams: &[TeamOut], source: &Path, kept_comments: &str) -> Result<String, ImportError> {
    let file_name = source
        .file_name()
        .map(|n| comment(&n.to_string_lossy()))
        .unwrap_or_default();
    let mut y = String::new();
    if !kept_comments.is_empty() {
        y.push_str(kept_comments);
        y.push_str("\n#\n");
    }
    y.push_str(&format!("# 名簿 {file_name} から banso import teams で作成。\n"));
    for t in teams {
        let team = to_yaml(&[TeamYaml::from(t)])?;
        // Every text is double-quoted with its line breaks escaped, so this line can only be
        // the team's own municipality key.
        let key = format!("\n  municipality: \"{}\"\n", t.code);
        let with_place = format!("\n  municipality: \"{}\"   # {}\n", t.code, comment(&t.place));
        y.push_str(&team.replacen(&key, &with_place, 1));
    }
    Ok(y)
}

/// Text for a `# …` comment: on one line whatever the cell held.
pub(super) fn comment(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Read `yaml` back as banso reads teams.yaml and compare with what was meant to be written;
/// a difference (a cell that changed the file's meaning) stops the import before any file
/// is replaced.
pub(super) fn verify(yaml: &str, teams: &[TeamOut]) -> Result<(), ImportError> {
    let fail = |what: String| Err(ImportError::Verify(what));
    let node = match crate::load::yaml::parse(yaml) {
        Ok(n) => n,
        Err(e) => return fail(format!("{}行目: {}", e.pos.line, e.message)),
    };
    let sink = crate::load::de::Sink::default();
    let read: Option<Vec<Lenient<RawTeam>>> = crate::load::de::from_node(&node, &sink);
    if let Some(issue) = sink.into_issues().into_iter().next() {
        return fail(format!("{}行目: {}", issue.pos.line, issue.message));
    }
    let read: Vec<RawTeam> = read.unwrap_or_default().into_iter().filter_map(|l| l.0).collect();
    let nodes: &[Node] = match &node.value {
        Value::Seq(items) => items,
        _ => &[],
    };
    if read.len() != teams.len() || nodes.len() != teams.len() {
        return fail(format!("{}チームのはずが{}チーム", teams.len(), read.len()));
    }
    let text = |v: &Option<Sp<String>>| v.as_ref().map(|x| x.value.clone());
    for ((r, t), n) in read.iter().zip(teams).zip(nodes) {
        let members: Vec<MemberOut> = r
            .members
            .value
            .iter()
            .filter_map(|l| l.0.as_ref())
            .map(|m| MemberOut {
                ministry: m.ministry.value.clone(),
                grade: m.grade.value.clone(),
                name: text(&m.name),
                position: text(&m.position),
                officer: m.officer.as_ref().is_some_and(|o| o.value),
                announce: text(&m.announce),
                left: text(&m.left),
                gender: text(&m.gender),
                age: m.age.as_ref().map(|a| a.value),
                track: text(&m.track),
            })
            .collect();
        let back = TeamOut {
            number: r.number.value,
            code: code_of(&r.municipality.value).unwrap_or(t.code),
            place: t.place.clone(),
            continuing: r.continuing.as_ref().map(|c| c.value),
            themes: r.themes.iter().map(|a| a.value.clone()).collect(),
            rest: rest_of(n),
            members,
        };
        if &back != t || code_of(&r.municipality.value) != Some(t.code) {
            return fail(format!("チーム {}（{}）が書いたとおりに読めません", t.number, t.place));
        }
    }
    Ok(())
}

/// A team of teams.yaml as it is written, to be written again unchanged: the keys import
/// writes from `o`, the others as `rest` holds them.
pub(super) fn team_as_written(o: &RawTeam, place: &str, rest: Rest) -> TeamOut {
    let RawTeam {
        number,
        municipality,
        continuing,
        themes,
        members,
        ..
    } = o;
    TeamOut {
        number: number.value,
        code: code_of(&municipality.value).expect("a validated team has a code"),
        place: place.to_string(),
        continuing: continuing.as_ref().map(|c| c.value),
        themes: themes.iter().map(|a| a.value.clone()).collect(),
        rest,
        members: members
            .value
            .iter()
            .filter_map(|l: &Lenient<RawMember>| l.0.as_ref())
            .map(member_as_written)
            .collect(),
    }
}

/// A member of teams.yaml as it is written. Destructured whole, as [`team_as_written`].
pub(super) fn member_as_written(m: &RawMember) -> MemberOut {
    let RawMember {
        ministry,
        grade,
        name,
        position,
        officer,
        announce,
        left,
        gender,
        age,
        track,
    } = m;
    let text = |v: &Option<Sp<String>>| v.as_ref().map(|x| x.value.clone());
    MemberOut {
        ministry: ministry.value.clone(),
        grade: grade.value.clone(),
        name: text(name),
        position: text(position),
        officer: officer.as_ref().is_some_and(|o| o.value),
        announce: text(announce),
        left: text(left),
        gender: text(gender),
        age: age.as_ref().map(|a| a.value),
        track: text(track),
    }
}

pub(super) fn code_of(s: &Scalar) -> Option<MunicipalityCode> {
    match s {
        Scalar::Text(t) => MunicipalityCode::parse(t).ok(),
        Scalar::Int(i) => MunicipalityCode::from_int(*i).ok(),
    }
}
