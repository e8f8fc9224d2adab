//! 数値の先出し — figures of a cohort that is not yet wholly public, written into a page that is.
//! A cohort's own pages hold its declared figures back until nothing of it is held (SPEC §3);
//! a free page stating 「278名・97チーム」 would tell them early. Found by the numbers the cohort
//! would show followed by their counter (名, チーム, 市町村, …), and warned about by `build`.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Published;
use crate::diag::Pos;
use crate::model::{CohortNo, MunicipalityCode, Registry};

/// A figure of a held cohort in a published page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedFigure {
    pub file: Arc<str>,
    pub pos: Pos,
    pub cohort: CohortNo,
    /// As written: `278名`.
    pub text: String,
}

/// What a number counts, by the word after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Counter {
    People,
    Teams,
    Municipalities,
    Prefectures,
}

const COUNTERS: [(&str, Counter); 7] = [
    ("名", Counter::People),
    ("人", Counter::People),
    ("チーム", Counter::Teams),
    ("市町村", Counter::Municipalities),
    ("団体", Counter::Municipalities),
    ("都道府県", Counter::Prefectures),
    ("道府県", Counter::Prefectures),
];

/// Every published page's figures of a cohort whose figures this build holds back.
pub(super) fn stated_figures(reg: &Registry, p: &Published) -> Vec<StatedFigure> {
    if p.preview {
        return Vec::new();
    }
    let secrets: Vec<(CohortNo, BTreeSet<(u32, Counter)>)> = reg
        .cohorts
        .iter()
        .filter(|c| reg.cohort_complete_at(c.no).is_some_and(|t| t > p.as_of))
        .map(|c| (c.no, secret_figures(reg, p, c.no)))
        .collect();
    let mut out = Vec::new();
    if secrets.is_empty() {
        return out;
    }
    // Each line is read once; each figure found is held against every incomplete cohort.
    for page in &p.pages {
        for (line_no, line) in page.body.markdown.lines().enumerate() {
            for (column, text, figure) in figures_in(line) {
                let pos = Pos::new(
                    page.body.first_line + line_no as u32,
                    column,
                    text.chars().count() as u32,
                );
                for (cohort, secret) in &secrets {
                    if secret.contains(&figure) {
                        out.push(StatedFigure {
                            file: Arc::clone(&page.file),
                            pos,
                            cohort: *cohort,
                            text: text.clone(),
                        });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.pos, a.cohort).cmp(&(&b.file, b.pos, b.cohort)));
    out
}

/// The figures cohort `no` will show once it is wholly public (declared, and counted from all
/// its records) that this build does not show.
fn secret_figures(reg: &Registry, p: &Published, no: CohortNo) -> BTreeSet<(u32, Counter)> {
    // Each team as (its municipality, its members).
    let count = |teams: &mut dyn Iterator<Item = (MunicipalityCode, usize)>| {
        let (mut n, mut members, mut places, mut prefs) = (0, 0, BTreeSet::new(), BTreeSet::new());
        for (municipality, size) in teams {
            n += 1;
            members += size as u32;
            places.insert(municipality);
            prefs.insert(municipality.prefecture().code);
        }
        [
            (members, Counter::People),
            (n, Counter::Teams),
            (places.len() as u32, Counter::Municipalities),
            (prefs.len() as u32, Counter::Prefectures),
        ]
    };
    let shown: BTreeSet<(u32, Counter)> = count(&mut p.teams_of(no).map(|t| (t.municipality, t.members.len())))
        .into_iter()
        .collect();
    let mut figures: BTreeSet<(u32, Counter)> = count(
        &mut reg
            .teams
            .iter()
            .filter(|t| t.cohort == no)
            .map(|t| (t.municipality, t.members.len())),
    )
    .into_iter()
    .collect();
    if let Some(c) = reg.cohort(no) {
        let d = &c.declared;
        let declared = [
            (d.members, Counter::People),
            (d.staff_applicants, Counter::People),
            (d.teams, Counter::Teams),
            (d.municipalities, Counter::Municipalities),
            (d.municipality_applicants, Counter::Municipalities),
            (d.prefectures, Counter::Prefectures),
        ];
        figures.extend(declared.into_iter().filter_map(|(n, c)| n.map(|n| (n, c))));
    }
    figures.retain(|f| f.0 > 0 && !shown.contains(f));
    figures
}

/// Each `<number><counter>` of a line: its column (from 1), the text, and what it counts.
/// Digits may be full-width (２７８名).
fn figures_in(line: &str) -> Vec<(u32, String, (u32, Counter))> {
    let chars: Vec<char> = line.chars().collect();
    let digit = |c: char| {
        c.to_digit(10)
            .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() || (i > 0 && digit(chars[i - 1]).is_some()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut n: u64 = 0;
        while i < chars.len() {
            let Some(d) = digit(chars[i]) else { break };
            n = (n * 10 + u64::from(d)).min(u64::from(u32::MAX));
            i += 1;
        }
        let rest: String = chars[i..].iter().take(4).collect();
        if let Some((word, counter)) = COUNTERS.iter().find(|(w, _)| rest.starts_with(w)) {
            let text: String = chars[start..i].iter().collect::<String>() + word;
            out.push((start as u32 + 1, text, (n as u32, *counter)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_their_counter_are_found_where_they_are() {
        let found = figures_in("第2期は278名・９７チームが、38道府県の97市町村を支援（24省庁等）");
        let texts: Vec<(u32, &str, (u32, Counter))> = found.iter().map(|(c, t, f)| (*c, t.as_str(), *f)).collect();
        assert_eq!(
            texts,
            [
                (5, "278名", (278, Counter::People)),
                (10, "９７チーム", (97, Counter::Teams)),
                (17, "38道府県", (38, Counter::Prefectures)),
                (23, "97市町村", (97, Counter::Municipalities)),
            ]
        );
        assert!(
            figures_in("第2期（令和8年度）、2026年").is_empty(),
            "期, 年 and 年度 count nothing here"
        );
    }
}
