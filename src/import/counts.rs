//! The roster's counts of the aggregate-only attributes (gender, age, track): which it records,
//! its breakdowns as cohort.yaml writes them, and how far two breakdowns are apart.

use std::collections::BTreeMap;

use super::Attributes;
use super::roster;
use super::teams_yaml::TeamOut;
use crate::model::{Attribute, Breakdown};

/// How many people two breakdowns of one attribute differ by: the larger of those added to
/// categories and those taken from them.
pub(super) fn moved(old: &[u32], new: &[u32]) -> u32 {
    let (mut up, mut down) = (0, 0);
    for (o, n) in old.iter().zip(new) {
        up += n.saturating_sub(*o);
        down += o.saturating_sub(*n);
    }
    up.max(down)
}

/// The aggregate-only attributes the roster has a column with a value in (a blank column says
/// nothing: it neither replaces counts nor erases values).
pub(super) fn recorded_attributes(read: &roster::Read) -> Vec<Attribute> {
    let all: Vec<&roster::Member> = read.teams.iter().flat_map(|t| t.members.iter()).collect();
    read.attributes
        .iter()
        .copied()
        .filter(|&a| all.iter().any(|m| m.category(a).is_some()))
        .collect()
}

/// The roster's counts of each recorded attribute, and its blanks.
pub(super) fn counts_of(read: &roster::Read, recorded: &[Attribute], per_person: bool) -> Attributes {
    let all: Vec<&roster::Member> = read.teams.iter().flat_map(|t| t.members.iter()).collect();
    let mut attributes = Attributes {
        per_person: per_person && !recorded.is_empty(),
        ..Attributes::default()
    };
    for &a in recorded {
        let mut counts = vec![0; a.categories().len()];
        let mut unrecorded = 0;
        for m in &all {
            match m.category(a) {
                Some(i) => counts[i] += 1,
                None => unrecorded += 1,
            }
        }
        attributes.counts.insert(a, counts);
        attributes.unrecorded.insert(a, unrecorded);
    }
    attributes
}

/// Attributes the roster has no column for that teams.yaml still holds per person.
pub(super) fn still_per_person(out: &[TeamOut], recorded: &[Attribute]) -> BTreeMap<Attribute, usize> {
    let mut still = BTreeMap::new();
    for a in Attribute::ALL.into_iter().filter(|a| !recorded.contains(a)) {
        let n = out
            .iter()
            .flat_map(|t| t.members.iter())
            .filter(|m| match a {
                Attribute::Gender => m.gender.is_some(),
                Attribute::Age => m.age.is_some(),
                Attribute::Track => m.track.is_some(),
            })
            .count();
        if n > 0 {
            still.insert(a, n);
        }
    }
    still
}

/// Counts as cohort.yaml writes them: only the categories the roster has (a category nobody
/// is in is not written, so no chart draws a bar of 0 the source never gave).
pub(super) fn given(counts: &[u32]) -> Breakdown {
    counts.iter().map(|&n| (n > 0).then_some(n)).collect()
}
