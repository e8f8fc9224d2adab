//! Which old member each roster row of a team is: the matching rules of [`super::merge`]'s
//! module doc, in their order, and the groups no rule can tell apart without a date.

use super::roster::Member;
use crate::load::de::Sp;
use crate::load::raw::RawMember;
use crate::model::normalize_name;
use crate::model::reference::Grade;
use crate::time::Instant;

/// Which old member each roster row is (and the reverse).
pub(super) struct Pairs {
    pub(super) roster_to_old: Vec<Option<usize>>,
    pub(super) old_to_roster: Vec<Option<usize>>,
}

/// The same ministry and grade (as written in either file).
pub(super) fn same_post(m: &Member, o: &RawMember) -> bool {
    normalize_name(&o.ministry.value) == normalize_name(&m.ministry)
        && Grade::parse(&o.grade.value).map(Grade::name) == Some(m.grade)
}

/// Match the roster's rows of one team with its old members, in the order the module doc gives.
pub(super) fn pair(roster: &[Member], olds: &[&RawMember]) -> Pairs {
    let mut p = Pairs {
        roster_to_old: vec![None; roster.len()],
        old_to_roster: vec![None; olds.len()],
    };
    let name = |o: &RawMember| o.name.as_ref().map(|n| normalize_name(&n.value));
    let date = |v: &Option<Sp<String>>| v.as_ref().map(|x| x.value.clone());
    type Rule<'r> = Box<dyn Fn(&Member, &RawMember) -> bool + 'r>;
    let rules: [Rule; 5] = [
        // 1. The same name.
        Box::new(|m, o| {
            m.name
                .as_ref()
                .map(|n| normalize_name(n))
                .is_some_and(|n| Some(n) == name(o))
        }),
        // 2. A leaving row and the record that left on that date.
        Box::new(|m, o| m.left.as_ref().is_some_and(|d| Some(&d.text) == date(&o.left).as_ref()) && same_post(m, o)),
        // 3. A joining row and the record published at that instant.
        Box::new(|m, o| {
            m.joined
                .as_ref()
                .is_some_and(|d| date(&o.announce).is_some_and(|a| Instant::parse(&a).is_ok_and(|a| a == d.at)))
                && same_post(m, o)
        }),
        // 4. The same ministry and grade, unless both have a name (two different people) or the
        //    row is joining (a newcomer): first a record still serving, then one with a `left`.
        Box::new(|m, o| {
            same_post(m, o) && !(m.name.is_some() && o.name.is_some()) && m.joined.is_none() && o.left.is_none()
        }),
        Box::new(|m, o| same_post(m, o) && !(m.name.is_some() && o.name.is_some()) && m.joined.is_none()),
    ];
    for rule in &rules {
        for (i, m) in roster.iter().enumerate() {
            if p.roster_to_old[i].is_some() {
                continue;
            }
            if let Some(j) = (0..olds.len()).find(|&j| p.old_to_roster[j].is_none() && rule(m, olds[j])) {
                p.roster_to_old[i] = Some(j);
                p.old_to_roster[j] = Some(i);
            }
        }
    }
    p
}

/// Groups of nameless members of one ministry and grade whose number changes between the
/// file and the roster while both sides have some (matched with each other): which of them left,
/// or which row is the newcomer, nobody can say without a date. The roster's rows of each.
pub(super) fn ambiguous<'r>(
    roster: &'r [Member],
    olds: &[&RawMember],
    pairs: &Pairs,
) -> Vec<(String, Vec<&'r Member>)> {
    let post = |m: &Member| format!("{} {}", m.ministry, m.grade);
    let nameless_pair =
        |i: usize| pairs.roster_to_old[i].is_some_and(|j| olds[j].name.is_none()) && roster[i].name.is_none();
    let mut out: Vec<(String, Vec<&Member>)> = Vec::new();
    for (i, m) in roster.iter().enumerate() {
        if !nameless_pair(i) || out.iter().any(|(k, _)| *k == post(m)) {
            continue;
        }
        let same = |x: &Member| x.name.is_none() && post(x) == post(m);
        // Rows of the post the file has no record for (undated newcomers)…
        let extra_rows = roster
            .iter()
            .enumerate()
            .any(|(k, x)| same(x) && pairs.roster_to_old[k].is_none() && x.joined.is_none());
        // …or records of the post the roster has no row for (undated leavers).
        let j = pairs.roster_to_old[i].expect("paired");
        let extra_olds = olds.iter().enumerate().any(|(k, o)| {
            pairs.old_to_roster[k].is_none() && o.name.is_none() && o.left.is_none() && same_post(m, o) && k != j
        });
        if extra_rows || extra_olds {
            out.push((post(m), roster.iter().filter(|x| same(x)).collect()));
        }
    }
    out
}
