//! Validation of one cohort folder: cohort.yaml, teams.yaml, applications.yaml, reports/.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Lookups, Validator, memo};
use crate::diag::{Diagnostic, Diagnostics, Pos, Span};
use crate::load::CohortDir;
use crate::load::de::Sp;
use crate::load::raw::{RawBreakdowns, RawCohort, RawDeclared, RawNotes, RawPlaces, RawSource};
use crate::model::{
    Application, Attribute, Cohort, CohortNo, Declared, DeclaredNotes, Places, Registry, Source, TeamNo,
};
use crate::time::Instant;

impl Validator<'_> {
    pub(super) fn cohort_dir(&mut self, dir: &CohortDir, l: &Lookups, reg: &mut Registry) {
        let rec = dir.cohort.as_ref();
        let cohort = rec.and_then(|rec| self.cohort(dir, &rec.file, &rec.raw));
        // Teams and reports are checked even when cohort.yaml is broken or unreadable, so that
        // every problem shows at once; the cohort's number and announcement are then taken as
        // far as known (the number from the folder's name when cohort.yaml could not be read).
        let known = cohort
            .as_ref()
            .map(|c| c.no)
            .or_else(|| rec.map(|r| CohortNo(r.raw.number.value)))
            .or_else(|| dir.name.parse().ok().map(CohortNo));
        let Some(no) = known else { return };
        let announce = cohort.as_ref().map(|c| c.announce);
        // Every team number written in teams.yaml → its announcement, if the team is valid.
        let mut teams: HashMap<TeamNo, Option<Instant>> = HashMap::new();
        let mut complete = !dir.teams_unreadable && dir.teams.as_ref().is_none_or(|l| l.failed == 0);

        if let Some(list) = &dir.teams {
            // Each team is checked on its own in parallel, with its own diagnostics; the rules
            // across teams then run in file order, taking each team's messages where a serial
            // check would have made them (none for a number written twice, which is not
            // checked further): the same records and messages as one by one.
            let checked: Vec<(Option<crate::model::Team>, Diagnostics)> = {
                use rayon::prelude::*;
                let (have_ministries, have_municipalities) = (self.have_ministries, self.have_municipalities);
                list.items
                    .par_iter()
                    .map(|raw| {
                        let mut diags = Diagnostics::new();
                        let mut v = Validator {
                            diags: &mut diags,
                            have_ministries,
                            have_municipalities,
                        };
                        (v.team(&list.file, raw, no, announce, l), diags)
                    })
                    .collect()
            };
            let mut numbers: HashMap<u32, u32> = HashMap::new();
            let mut by_municipality: HashMap<_, (u32, u32)> = HashMap::new();
            let mut announced: Vec<(u32, Instant, Pos)> = Vec::new();
            for (raw, (team, diags)) in list.items.iter().zip(checked) {
                let (number, line) = (raw.number.value, raw.number.pos.line);
                if let Some(first) = numbers.get(&number) {
                    self.push(
                        Diagnostic::error(
                            Span::new(&list.file, raw.number.pos),
                            format!("チーム番号 {number} が {first} 行目にもあります"),
                        )
                        .with_help("チーム番号は期の中で重ならないようにしてください"),
                    );
                    complete = false;
                    continue;
                }
                numbers.insert(number, line);
                teams.insert(TeamNo(number), None);
                self.diags.absorb(diags);
                let Some(team) = team else {
                    complete = false;
                    continue;
                };
                if let Some((other, first)) = by_municipality.get(&team.municipality) {
                    let name = l.municipalities[&team.municipality].full_name();
                    self.push(
                        Diagnostic::error(
                            Span::new(&list.file, raw.municipality.pos),
                            format!("{name}には {first} 行目のチーム {other} がすでにあります"),
                        )
                        .with_help("一つの期で一つの市町村を支援するチームは一つです。団体コードを確認してください"),
                    );
                    complete = false;
                    continue;
                }
                by_municipality.insert(team.municipality, (number, line));
                teams.insert(team.no, Some(team.announce));
                announced.push((number, team.announce, raw.number.pos));
                reg.teams.push(team);
            }
            self.warn_numbers_announced_out_of_order(&list.file, &announced);
        }
        let Some(cohort) = cohort else {
            for md in &dir.reports {
                self.report(md, no, &teams, l);
            }
            return;
        };
        if let Some(list) = &dir.applications {
            let mut seen: HashMap<_, u32> = HashMap::new();
            for raw in list.items.iter() {
                let Some(code) = self.municipality_ref(&list.file, &raw.municipality, l) else {
                    continue;
                };
                if let Some(first) = seen.insert(code, raw.municipality.pos.line) {
                    self.push(
                        Diagnostic::error(
                            Span::new(&list.file, raw.municipality.pos),
                            format!("団体コード「{code}」の応募が {first} 行目にもあります"),
                        )
                        .with_help("応募は1市町村につき1件です"),
                    );
                    continue;
                }
                let areas = self.areas(&list.file, &raw.fields);
                if raw.fields.len() > 3 {
                    self.push(
                        Diagnostic::error(Span::new(&list.file, raw.fields[3].pos), "課題分野は3つまでです")
                            .with_help("優先する3つを残してください"),
                    );
                }
                reg.applications.push(Application {
                    cohort: cohort.no,
                    municipality: code,
                    areas,
                    compound: raw.compound.as_ref().map(|c| c.value),
                });
            }
        }
        // Reports are read in parallel (each parses its Markdown), each with its own
        // diagnostics, then taken in file order: the same records and messages as one by one.
        // With a memo (`serve`), a report whose inputs are unchanged is taken as last checked.
        let checked: Vec<(memo::Checked, Option<memo::Key>)> = {
            use rayon::prelude::*;
            let (have_ministries, have_municipalities) = (self.have_ministries, self.have_municipalities);
            dir.reports
                .par_iter()
                .map(|md| {
                    let team = teams.get(&TeamNo(md.front.team.value)).copied();
                    let key = l.memo.map(|m| memo::Key::new(md, cohort.no, team, m.shared));
                    if let Some(hit) = l.memo.zip(key.as_ref()).and_then(|(m, k)| m.get(k)) {
                        return (hit, key);
                    }
                    let mut diags = Diagnostics::new();
                    let mut v = Validator {
                        diags: &mut diags,
                        have_ministries,
                        have_municipalities,
                    };
                    let report = v.report(md, cohort.no, &teams, l);
                    (Arc::new((report, diags)), key)
                })
                .collect()
        };
        if let Some(m) = l.memo {
            m.keep(
                checked
                    .iter()
                    .zip(&dir.reports)
                    .filter_map(|((c, key), md)| Some(((*key)?, Arc::clone(md), Arc::clone(c)))),
            );
        }
        for (c, _) in checked {
            let (report, diags) = Arc::unwrap_or_clone(c);
            self.diags.absorb(diags);
            reg.reports.extend(report);
        }
        self.case_collisions(dir.reports.iter().map(|md| (&md.file, md.stem.as_str())));
        if !reg.cohorts.iter().any(|c| c.no == cohort.no) {
            reg.cohorts.push(cohort);
        }
        // Comparing the declared figures with records that failed validation would only
        // repeat those errors as misleading warnings.
        // A cohort without teams.yaml is its declared figures alone: nothing to compare.
        if complete && (dir.teams.is_some() || dir.teams_unreadable) {
            super::figures::check_declared(dir, reg, self.diags);
        }
    }

    fn cohort(&mut self, dir: &CohortDir, file: &Arc<str>, r: &RawCohort) -> Option<Cohort> {
        // Only the plain number names a cohort's folder: `02` or `+2` beside `2` would be two
        // folders for one cohort (SPEC §3).
        let plain = dir.name.bytes().all(|b| b.is_ascii_digit()) && !dir.name.starts_with('0');
        let number_ok = match dir.name.parse::<u32>().ok().filter(|_| plain) {
            Some(n) if n == r.number.value && n > 0 => true,
            Some(n) => {
                self.push(
                    Diagnostic::error(
                        Span::new(file, r.number.pos),
                        format!("number: {} がフォルダ名 cohorts/{n}/ と合いません", r.number.value),
                    )
                    .with_help(format!(
                        "number を {n} にするか、フォルダ名を cohorts/{}/ にしてください",
                        r.number.value
                    )),
                );
                false
            }
            None => {
                self.push(
                    Diagnostic::error(
                        Span::new(file, r.number.pos),
                        format!("フォルダ名「{}」が期の番号ではありません", dir.name),
                    )
                    .with_help(format!(
                        "フォルダ名は先頭に 0 や + を付けない数字だけにしてください（cohorts/{}/）",
                        r.number.value
                    )),
                );
                false
            }
        };
        let announce = self.instant(file, &r.announce);
        let start = self.date(file, &r.period.value.start);
        let end = self.date(file, &r.period.value.end);
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                self.error(
                    file,
                    r.period.value.end.pos,
                    format!("支援期間の終わり {e} が始まり {s} より前です"),
                );
                return None;
            }
        }
        if !(2000..=2200).contains(&r.fiscal_year.value) {
            self.push(
                Diagnostic::error(
                    Span::new(file, r.fiscal_year.pos),
                    format!("年度 {} は西暦の年度ではありません", r.fiscal_year.value),
                )
                .with_help("令和8年度なら 2026 のように西暦で書いてください"),
            );
        }
        let d = r.declared.as_ref();
        let v =
            |f: fn(&crate::load::raw::RawDeclared) -> &Option<Sp<u32>>| d.and_then(|d| f(d).as_ref().map(|x| x.value));
        let declared = Declared {
            members: v(|d| &d.members),
            teams: v(|d| &d.teams),
            municipalities: v(|d| &d.municipalities),
            prefectures: v(|d| &d.prefectures),
            staff_applicants: v(|d| &d.staff_applicants),
            municipality_applicants: v(|d| &d.municipality_applicants),
            breakdowns: d
                .and_then(|d| d.breakdowns.as_ref())
                .map(breakdowns)
                .unwrap_or_default(),
            notes: d
                .and_then(|d| d.notes.as_ref())
                .map(|n| self.notes(file, d.expect("notes are under declared"), &n.value))
                .unwrap_or_default(),
            continuing: d.and_then(|d| d.continuing.as_ref()).map(|p| places(&p.value)),
            new: d.and_then(|d| d.new.as_ref()).map(|p| places(&p.value)),
        };
        let sources = r.sources.iter().filter_map(|s| self.source(file, &s.value)).collect();
        // A placeholder instant is never shown: pages need the source's words for it.
        let words = r.shown_as.as_ref().and_then(|s| s.announce.as_ref());
        if let Some(c) = r.announce_confirmed.as_ref().filter(|c| !c.value && words.is_none()) {
            self.push(
                Diagnostic::error(
                    Span::new(file, c.pos),
                    "公表の日時が仮の値（announce_confirmed: false）なのに、ページに出す言葉（shown_as の announce）がありません",
                )
                .with_help("資料の表現（例：「令和8年3月中下旬以降 順次」）を shown_as: { announce: … } に書いてください。仮の日時はページに出しません"),
            );
        }
        if !number_ok {
            return None;
        }
        Some(Cohort {
            no: CohortNo(r.number.value),
            fiscal_year: r.fiscal_year.value,
            announce: announce?,
            period_start: start?,
            period_end: end?,
            declared,
            roster: dir.teams.is_some() || dir.teams_unreadable,
            announce_shown: r.shown_as.as_ref().and_then(|s| self.optional_text(file, &s.announce)),
            period_shown: r.shown_as.as_ref().and_then(|s| self.optional_text(file, &s.period)),
            placeholder: r
                .announce_confirmed
                .as_ref()
                .filter(|c| !c.value)
                .map(|c| Span::new(file, c.pos)),
            sources,
        })
    }

    /// `declared.notes`: each note's text; a note for a figure not declared is an error at it.
    fn notes(&mut self, file: &Arc<str>, d: &RawDeclared, n: &RawNotes) -> DeclaredNotes {
        let mut note = |text: &Option<Sp<String>>, declared: bool, key: &str| {
            let t = text.as_ref()?;
            if declared {
                return self.optional_text(file, text);
            }
            self.push(
                Diagnostic::error(
                    Span::new(file, t.pos),
                    format!("notes の {key} に対応する公表数値（declared の {key}）がありません"),
                )
                .with_help(format!("declared に {key} の数値を書くか、この注記を消してください")),
            );
            None
        };
        DeclaredNotes {
            members: note(&n.members, d.members.is_some(), "members"),
            teams: note(&n.teams, d.teams.is_some(), "teams"),
            municipalities: note(&n.municipalities, d.municipalities.is_some(), "municipalities"),
            prefectures: note(&n.prefectures, d.prefectures.is_some(), "prefectures"),
            staff_applicants: note(&n.staff_applicants, d.staff_applicants.is_some(), "staff_applicants"),
            municipality_applicants: note(
                &n.municipality_applicants,
                d.municipality_applicants.is_some(),
                "municipality_applicants",
            ),
        }
    }

    /// One entry of `sources`: its title and what else it gives; a link must be http(s).
    fn source(&mut self, file: &Arc<str>, s: &RawSource) -> Option<Source> {
        let title = self.optional_text(file, &Some(s.title.clone()));
        if title.is_none() {
            self.error(file, s.title.pos, "出典の title が空です".to_string());
        }
        let url = s.url.as_ref().and_then(|u| {
            let ok = url::Url::parse(u.value.trim()).is_ok_and(|p| matches!(p.scheme(), "https" | "http"));
            if !ok {
                self.push(
                    Diagnostic::error(
                        Span::new(file, u.pos),
                        format!("出典の url「{}」は Web のアドレスではありません", u.value),
                    )
                    .with_help("https:// から始まるアドレスを書いてください（わからなければ url を書かずにおきます）"),
                );
            }
            ok.then(|| u.value.trim().to_string())
        });
        Some(Source {
            title: title?,
            publisher: self.optional_text(file, &s.publisher),
            date: self.optional_text(file, &s.date),
            url,
        })
    }

    /// A team announced after a team with a higher number leaves a gap in the published
    /// numbers until then (1, 2, 4): the gap says that a team 3 exists and is held.
    fn warn_numbers_announced_out_of_order(&mut self, file: &Arc<str>, teams: &[(u32, Instant, Pos)]) {
        for (no, at, pos) in teams {
            let earlier = teams
                .iter()
                .filter(|(other, t, _)| other > no && t < at)
                .map(|(o, ..)| *o)
                .min();
            if let Some(other) = earlier {
                self.push(
                    Diagnostic::warning(
                        Span::new(file, *pos),
                        format!(
                            "チーム {no} は番号の大きいチーム {other} より後に公表されます。それまでの公開サイトではチーム番号が飛び、公表前のチームがあることが分かります"
                        ),
                    )
                    .with_help("後から公表するチームには、先に公表するチームより大きな番号を付けてください"),
                );
            }
        }
    }
}

/// `declared.continuing` / `declared.new`.
fn places(p: &RawPlaces) -> Places {
    Places {
        municipalities: p.municipalities.as_ref().map(|m| m.value),
        prefectures: p.prefectures.as_ref().map(|m| m.value),
    }
}

/// `declared.breakdowns` as counts in the order of [`Attribute::categories`] (a category left
/// out is `None`: not given, never 0).
pub(crate) fn breakdowns(b: &RawBreakdowns) -> std::collections::BTreeMap<Attribute, crate::model::Breakdown> {
    let n = |v: &Option<Sp<u32>>| v.as_ref().map(|x| x.value);
    let mut out = std::collections::BTreeMap::new();
    if let Some(g) = &b.gender {
        let g = &g.value;
        out.insert(Attribute::Gender, vec![n(&g.male), n(&g.female), n(&g.no_answer)]);
    }
    if let Some(t) = &b.track {
        let t = &t.value;
        out.insert(Attribute::Track, vec![n(&t.administrative), n(&t.technical)]);
    }
    if let Some(a) = &b.age {
        let a = &a.value;
        out.insert(
            Attribute::Age,
            vec![n(&a.twenties), n(&a.thirties), n(&a.forties), n(&a.fifties_and_over)],
        );
    }
    out
}
