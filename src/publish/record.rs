//! Published records as render sees them, and the aggregate-only attributes apart from them.
//!
//! A published [`Member`] has no gender, age or track: those leave `publish` in [`Attributes`],
//! which only `aggregate` takes (SPEC §6: published only as counts). No template, CSV writer
//! or page can reach a person's attribute, because the type render is given does not hold one:
//!
//! ```compile_fail
//! fn gender(m: &banso::publish::Member) -> bool {
//!     m.gender.is_some()
//! }
//! ```

use crate::model::{self, Attribute, Gender, Grade, MinistryNo, Track};
use crate::time::{Date, Instant};

/// 伴走支援チーム as published: its published members only, each without the aggregate-only
/// attributes.
pub type Team = model::Team<Member>;

/// 地方創生支援官 as published: name, ministry, grade, position, and when — nothing
/// aggregate-only.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Member {
    pub ministry: MinistryNo,
    pub grade: Grade,
    pub name: Option<String>,
    pub position: Option<String>,
    /// 地方創生支援オフィサー
    pub is_officer: bool,
    /// When the member is published.
    pub announce: Instant,
    /// 離任 — shown only once its date has come.
    pub left: Option<Date>,
}

/// A published member's aggregate-only attributes, and when they were published (the 集計時点
/// walk of SPEC §6 (c) needs it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Person {
    pub announce: Instant,
    pub gender: Option<Gender>,
    pub age: Option<u32>,
    pub track: Option<Track>,
}

impl Person {
    /// The category of `a` (an index into [`Attribute::categories`]), `None` when not recorded.
    pub fn category(&self, a: Attribute) -> Option<usize> {
        a.category(self.gender, self.age, self.track)
    }
}

/// 集計だけに使う属性 — the attributes of the published members, team by team in the order of
/// `Published::teams`, member by member in each team's order. Only `aggregate` reads them.
#[derive(Clone, Debug, Default)]
pub struct Attributes {
    pub(super) teams: Vec<Vec<Person>>,
}

impl Attributes {
    /// The people of published team `i` (its index in `Published::teams`).
    pub fn of_team(&self, i: usize) -> &[Person] {
        self.teams.get(i).map_or(&[], Vec::as_slice)
    }
}

/// A model member split into what is published and what only counts. `left` is given as shown.
pub(super) fn split(m: &model::Member, left: Option<Date>) -> (Member, Person) {
    let model::Member {
        ministry,
        grade,
        name,
        position,
        is_officer,
        announce,
        left: _,
        gender,
        age,
        track,
    } = m;
    (
        Member {
            ministry: *ministry,
            grade: *grade,
            name: name.clone(),
            position: position.clone(),
            is_officer: *is_officer,
            announce: *announce,
            left,
        },
        Person {
            announce: *announce,
            gender: *gender,
            age: *age,
            track: *track,
        },
    )
}
