//! 性別・年齢・事務官/技官の集計 — breakdowns that neither one build nor a comparison of two
//! builds can narrow down to a few people (SPEC §6).
//!
//! - (a) A breakdown is shown only when at least `k` published members have the attribute
//!   recorded; members without it do not count.
//! - (c) The site is a sequence of builds. A cohort that grows by fewer than `k` recorded
//!   members (a late team, a member joining) would otherwise change its counts by exactly the
//!   newcomers' attributes. So a breakdown moves from one 集計時点 (the instant it counts) to a
//!   later one only when at least `k` recorded members have joined since the last one shown;
//!   until then it keeps showing the last one, labelled with its instant. Members who leave
//!   (`left`) stay counted, so a departure changes nothing.
//! - (d) A cohort may declare its breakdowns as figures (`declared.breakdowns`); those are used
//!   instead of per-person attributes, and only while nothing of the cohort is held (`publish`
//!   empties declared figures until then).
//!
//! Breakdowns are published per cohort only. Per prefecture the groups are small, named
//! members are public, and totals beside partial breakdowns can be subtracted across builds, so
//! no simple rule keeps them safe over a sequence of builds (see docs/content-format.md).

use crate::model::{Attribute, Declared};
use crate::publish::Person;
use crate::time::Instant;

/// What a group's breakdown of one attribute shows at the as-of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonFigure {
    /// Counts per category (in [`Attribute::categories`] order) and where they come from;
    /// `given`: the categories the counts speak of (a declared breakdown may not give them all).
    Shown {
        counts: Vec<u32>,
        basis: Basis,
        given: Vec<bool>,
    },
    /// Fewer than `k` members with the attribute recorded.
    TooFew,
    /// Nobody has it recorded (or the cohort's declared breakdown is not shown yet).
    Absent,
}

/// Where shown counts come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The published records as of `at` (集計時点), `n` members with the attribute recorded.
    Records { at: Instant, n: u32 },
    /// The cohort's declared figures (公表資料), `n` people in all.
    Declared { n: u32 },
}

/// The breakdown of `attr` over a cohort's published `members`, or its declared one.
pub fn person_figure(attr: Attribute, members: &[&Person], declared: &Declared, k: u32) -> PersonFigure {
    if let Some(declared) = declared.breakdowns.get(&attr) {
        let n: u32 = declared.iter().flatten().sum();
        return match n {
            0 => PersonFigure::Absent,
            n if n < k => PersonFigure::TooFew,
            n => PersonFigure::Shown {
                counts: crate::model::counts_of(declared),
                basis: Basis::Declared { n },
                given: declared.iter().map(Option::is_some).collect(),
            },
        };
    }
    let recorded: Vec<(Instant, usize)> = members
        .iter()
        .filter_map(|m| m.category(attr).map(|c| (m.announce, c)))
        .collect();
    match settled_instant(&recorded, k) {
        Some((at, n)) => {
            let mut counts = vec![0; attr.categories().len()];
            for (_, c) in recorded.iter().filter(|(t, _)| *t <= at) {
                counts[*c] += 1;
            }
            PersonFigure::Shown {
                given: vec![true; counts.len()],
                counts,
                basis: Basis::Records { at, n },
            }
        }
        None if recorded.is_empty() => PersonFigure::Absent,
        None => PersonFigure::TooFew,
    }
}

/// The 集計時点 a group shows, and how many members it counts: walking the instants at which
/// members were published, the first at which at least `k` are counted, then each later one
/// at which at least `k` more have joined since the last one taken. `members` are (published
/// at, category) of every published member with the attribute recorded; none is later than
/// the as-of, so the walk at a later as-of passes through the same instants first.
pub fn settled_instant(members: &[(Instant, usize)], k: u32) -> Option<(Instant, u32)> {
    let mut instants: Vec<Instant> = members.iter().map(|(t, _)| *t).collect();
    instants.sort_unstable();
    let mut shown: Option<(Instant, u32)> = None;
    for (i, t) in instants.iter().enumerate() {
        // Count each instant once, when its last member is reached.
        if instants.get(i + 1) == Some(t) {
            continue;
        }
        let n = i as u32 + 1;
        let take = match shown {
            None => n >= k,
            Some((_, counted)) => n - counted >= k,
        };
        if take {
            shown = Some((*t, n));
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Gender;

    fn at(hour: i64) -> Instant {
        Instant::parse(&format!("2026-04-{:02}T{:02}:00", 1 + hour / 24, hour % 24)).unwrap()
    }

    fn member(hour: i64, gender: Option<Gender>) -> Person {
        Person {
            announce: at(hour),
            gender,
            age: None,
            track: None,
        }
    }

    fn shown(f: &PersonFigure) -> (Vec<u32>, Basis) {
        match f {
            PersonFigure::Shown { counts, basis, .. } => (counts.clone(), *basis),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unrecorded_members_do_not_reach_the_threshold() {
        // 14 members, 6 with a recorded gender: not "6 of 14 shown" (SPEC §6 (a)).
        let ms: Vec<Person> = (0..14).map(|i| member(0, (i < 6).then_some(Gender::Female))).collect();
        let refs: Vec<&Person> = ms.iter().collect();
        let f = person_figure(Attribute::Gender, &refs, &Declared::default(), 10);
        assert_eq!(f, PersonFigure::TooFew);
        let none: Vec<Person> = (0..14).map(|_| member(0, None)).collect();
        let refs: Vec<&Person> = none.iter().collect();
        assert_eq!(
            person_figure(Attribute::Gender, &refs, &Declared::default(), 10),
            PersonFigure::Absent
        );
    }

    #[test]
    fn a_late_team_smaller_than_k_leaves_the_breakdown_as_it_was() {
        let mut ms: Vec<Person> = (0..12).map(|_| member(0, Some(Gender::Male))).collect();
        ms.push(member(24, Some(Gender::Female)));
        ms.push(member(24, Some(Gender::Female)));
        let refs: Vec<&Person> = ms.iter().collect();
        let (counts, basis) = shown(&person_figure(Attribute::Gender, &refs, &Declared::default(), 10));
        assert_eq!(counts, [12, 0, 0], "the two who joined later are not in the counts yet");
        assert_eq!(basis, Basis::Records { at: at(0), n: 12 });
        // Eight more (ten since the last 集計時点): now the breakdown moves.
        for _ in 0..8 {
            ms.push(member(48, Some(Gender::Female)));
        }
        let refs: Vec<&Person> = ms.iter().collect();
        let (counts, basis) = shown(&person_figure(Attribute::Gender, &refs, &Declared::default(), 10));
        assert_eq!(counts, [12, 10, 0]);
        assert_eq!(basis, Basis::Records { at: at(48), n: 22 });
    }

    #[test]
    fn the_walk_never_takes_two_instants_less_than_k_apart() {
        // Members joining one at a time: the instants taken are 10, 20, 30 members.
        let ms: Vec<(Instant, usize)> = (0..35).map(|i| (at(i), 0)).collect();
        assert_eq!(settled_instant(&ms[..9], 10), None);
        assert_eq!(settled_instant(&ms[..10], 10), Some((at(9), 10)));
        assert_eq!(settled_instant(&ms[..19], 10), Some((at(9), 10)));
        assert_eq!(settled_instant(&ms[..20], 10), Some((at(19), 20)));
        assert_eq!(settled_instant(&ms, 10), Some((at(29), 30)));
        // Several at one instant count together.
        let burst: Vec<(Instant, usize)> = (0..25).map(|i| (at(if i < 5 { 0 } else { 1 }), 0)).collect();
        assert_eq!(settled_instant(&burst, 10), Some((at(1), 25)));
    }

    #[test]
    fn declared_breakdowns_are_used_as_given_and_meet_the_threshold_too() {
        let mut d = Declared::default();
        d.breakdowns
            .insert(Attribute::Gender, vec![Some(200), Some(78), Some(0)]);
        let (counts, basis) = shown(&person_figure(Attribute::Gender, &[], &d, 10));
        assert_eq!((counts, basis), (vec![200, 78, 0], Basis::Declared { n: 278 }));
        d.breakdowns.insert(Attribute::Track, vec![Some(5), Some(3)]);
        assert_eq!(person_figure(Attribute::Track, &[], &d, 10), PersonFigure::TooFew);
    }
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// SPEC §6 (a) and (c) for random rosters, thresholds and join times: a shown
        /// breakdown counts at least k members, every one with the attribute recorded; as the
        /// as-of moves on (members joining in announce order), two breakdowns shown are the same
        /// or at least k recorded members apart.
        #[test]
        fn shown_breakdowns_count_k_recorded_members_and_move_by_k(
            k in 1u32..15,
            roster in proptest::collection::vec((0i64..30, proptest::option::of(0u8..3)), 0..80),
        ) {
            let ms: Vec<Person> = roster
                .iter()
                .map(|(h, g)| member(*h, g.map(|g| [Gender::Male, Gender::Female, Gender::NoAnswer][g as usize])))
                .collect();
            let recorded = ms.iter().filter(|m| m.gender.is_some()).count() as u32;
            let mut last: Option<Vec<u32>> = None;
            for hour in 0..30 {
                let now: Vec<&Person> = ms.iter().filter(|m| m.announce <= at(hour)).collect();
                let recorded_now = now.iter().filter(|m| m.gender.is_some()).count() as u32;
                match person_figure(Attribute::Gender, &now, &Declared::default(), k) {
                    PersonFigure::Shown { counts, basis: Basis::Records { at: t, n }, .. } => {
                        let sum: u32 = counts.iter().sum();
                        proptest::prop_assert_eq!(sum, n);
                        proptest::prop_assert!(n >= k && n <= recorded_now);
                        proptest::prop_assert!(t <= at(hour));
                        if let Some(prev) = &last {
                            let moved: u32 = counts.iter().zip(prev).map(|(a, b)| a.abs_diff(*b)).sum();
                            proptest::prop_assert!(moved == 0 || moved >= k, "{:?} after {:?}", counts, prev);
                        }
                        last = Some(counts);
                    }
                    PersonFigure::Shown { .. } => proptest::prop_assert!(false, "no declared figures here"),
                    PersonFigure::TooFew => {
                        proptest::prop_assert!(recorded_now > 0 && recorded_now < k);
                        proptest::prop_assert!(last.is_none(), "once shown, a breakdown stays shown");
                    }
                    PersonFigure::Absent => proptest::prop_assert_eq!(recorded_now, 0),
                }
            }
            proptest::prop_assert_eq!(last.is_some(), recorded >= k);
        }
    }
}
