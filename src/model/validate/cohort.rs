//! Validation of one cohort folder: cohort.yaml, teams.yaml, applications.yaml, reports/.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Lookups, Validator, body};
use crate::diag::{Diagnostic, Pos, Span, closest};
use crate::load::de::Sp;
use crate::load::raw::{RawBreakdowns, RawCohort, RawMember, RawReport, RawTeam};
use crate::load::{CohortDir, MdFile};
use crate::model::reference::{Grade, ISSUE_AREAS, IssueAreaNo};
use crate::model::{
    Application, Attachment, Attribute, Cohort, CohortNo, Declared, Gender, Member, Registry, Report, ReportKind, Team,
    TeamNo, Track,
};
use crate::time::Instant;

/// The programme's team size (2～3名); other sizes are warned about.
const TEAM_SIZE: std::ops::RangeInclusive<usize> = 2..=3;
/// Ages outside this range are typing mistakes.
const AGE_RANGE: std::ops::RangeInclusive<u32> = 18..=80;

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
            let mut numbers: HashMap<u32, u32> = HashMap::new();
            let mut by_municipality: HashMap<_, (u32, u32)> = HashMap::new();
            let mut announced: Vec<(u32, Instant, Pos)> = Vec::new();
            for raw in &list.items {
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
                let Some(team) = self.team(&list.file, raw, no, announce, l) else {
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
            for raw in &list.items {
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
        for md in &dir.reports {
            if let Some(report) = self.report(md, cohort.no, &teams, l) {
                reg.reports.push(report);
            }
        }
        self.case_collisions(dir.reports.iter().map(|md| (&md.file, md.stem.as_str())));
        if !reg.cohorts.iter().any(|c| c.no == cohort.no) {
            reg.cohorts.push(cohort);
        }
        // Comparing the declared figures with records that failed validation would only
        // repeat those errors as misleading warnings.
        if complete {
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
        };
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

    fn team(
        &mut self,
        file: &Arc<str>,
        r: &RawTeam,
        cohort: CohortNo,
        cohort_announce: Option<Instant>,
        l: &Lookups,
    ) -> Option<Team> {
        let municipality = self.municipality_ref(file, &r.municipality, l);
        let areas = self.areas(file, &r.themes);
        let mut announce = cohort_announce;
        if let Some(a) = &r.announce {
            announce = self.instant(file, a);
            if let Some((t, c)) = announce.zip(cohort_announce).filter(|(t, c)| t < c) {
                self.push(
                    Diagnostic::error(
                        Span::new(file, a.pos),
                        format!(
                            "チームの公表 {} が{}の公表 {} より前です",
                            t.display_ja(),
                            cohort.label(),
                            c.display_ja()
                        ),
                    )
                    .with_help(
                        "チームの announce は期の公表と同じかそれより後にしてください（省略すると期の公表と同じ）",
                    ),
                );
                announce = None;
            }
        }
        if r.number.value == 0 {
            self.error(file, r.number.pos, "チーム番号は 1 から始めてください");
        }
        let members: Vec<Member> = r
            .members
            .value
            .iter()
            .filter_map(|m| m.0.as_ref())
            .filter_map(|m| self.member(file, m, announce, l))
            .collect();
        let broken = r.members.value.iter().any(|m| m.0.is_none()) || members.len() < r.members.value.len();
        if r.members.value.is_empty() {
            self.push(
                Diagnostic::error(Span::new(file, r.members.pos), "支援官（members）が一人もいません")
                    .with_help("members: の下に支援官を書いてください"),
            );
            return None;
        }
        if !broken && !TEAM_SIZE.contains(&members.len()) {
            self.push(
                Diagnostic::warning(
                    Span::new(file, r.members.pos),
                    format!(
                        "チーム {} の支援官が {} 名です（制度では2～3名）",
                        r.number.value,
                        members.len()
                    ),
                )
                .with_help("人数に誤りがないか確認してください"),
            );
        }
        if broken || r.number.value == 0 {
            return None;
        }
        Some(Team {
            cohort,
            no: TeamNo(r.number.value),
            municipality: municipality?,
            continuing: r.continuing.as_ref().map(|c| c.value),
            areas,
            announce: announce?,
            members,
        })
    }

    fn member(
        &mut self,
        file: &Arc<str>,
        m: &RawMember,
        team_announce: Option<Instant>,
        l: &Lookups,
    ) -> Option<Member> {
        let ministry = self.ministry_ref(file, &m.ministry, l);
        let mut announce = team_announce;
        let mut dates_ok = true;
        if let Some(a) = &m.announce {
            announce = self.instant(file, a);
            dates_ok &= announce.is_some();
            if let Some((own, team)) = announce.zip(team_announce).filter(|(own, team)| own < team) {
                self.push(
                    Diagnostic::error(
                        Span::new(file, a.pos),
                        format!(
                            "支援官の公表 {} がチームの公表 {} より前です",
                            own.display_ja(),
                            team.display_ja()
                        ),
                    )
                    .with_help("後から加わる支援官の announce は、チームの公表と同じかそれより後にしてください"),
                );
                dates_ok = false;
            }
        }
        let left = m.left.as_ref().and_then(|d| {
            let left = self.date(file, d);
            dates_ok &= left.is_some();
            if let Some((left_on, from)) = left.zip(announce).filter(|(left_on, from)| left_on.start() <= *from) {
                self.push(
                    Diagnostic::error(
                        Span::new(file, d.pos),
                        format!("離任日 {left_on} が公表 {} より前です", from.display_ja()),
                    )
                    .with_help("left には公表より後の日付（離任した日）を書いてください"),
                );
                dates_ok = false;
            }
            left
        });
        let grade = Grade::parse(&m.grade.value);
        if grade.is_none() {
            let input = crate::model::normalize_name(&m.grade.value);
            self.push(
                Diagnostic::error(
                    Span::new(file, m.grade.pos),
                    format!("役職「{}」は使えません", m.grade.value),
                )
                .with_suggestion(closest(&input, Grade::spellings()))
                .with_help(super::help::grade()),
            );
        }
        let gender = m.gender.as_ref().and_then(|g| {
            let v = match crate::model::normalize_name(&g.value).as_str() {
                "男性" => Some(Gender::Male),
                "女性" => Some(Gender::Female),
                "回答しない" => Some(Gender::NoAnswer),
                _ => None,
            };
            if v.is_none() {
                self.push(
                    Diagnostic::error(Span::new(file, g.pos), format!("性別「{}」は使えません", g.value))
                        .with_help("男性、女性、回答しない のいずれかで書いてください"),
                );
            }
            v
        });
        let track = m.track.as_ref().and_then(|t| {
            let v = match crate::model::normalize_name(&t.value).as_str() {
                "事務官" => Some(Track::Administrative),
                "技官" => Some(Track::Technical),
                _ => None,
            };
            if v.is_none() {
                self.push(
                    Diagnostic::error(Span::new(file, t.pos), format!("「{}」は使えません", t.value))
                        .with_help("track は 事務官 か 技官 で書いてください"),
                );
            }
            v
        });
        let age = m.age.as_ref().and_then(|a| {
            if AGE_RANGE.contains(&a.value) {
                Some(a.value)
            } else {
                self.push(
                    Diagnostic::error(Span::new(file, a.pos), format!("年齢 {} はありえません", a.value))
                        .with_help("期の開始時点の満年齢を書いてください"),
                );
                None
            }
        });
        let failed = (m.gender.is_some() && gender.is_none())
            || (m.track.is_some() && track.is_none())
            || (m.age.is_some() && age.is_none());
        if failed || !dates_ok {
            return None;
        }
        Some(Member {
            ministry: ministry?,
            grade: grade?,
            name: self.optional_text(&m.name),
            position: self.optional_text(&m.position),
            is_officer: m.officer.as_ref().is_some_and(|o| o.value),
            announce: announce?,
            left,
            gender,
            age,
            track,
        })
    }

    /// 課題分野 names → numbers; unknown names and repeats are errors.
    fn areas(&mut self, file: &Arc<str>, names: &[Sp<String>]) -> Vec<IssueAreaNo> {
        let mut out = Vec::new();
        for n in names {
            match IssueAreaNo::by_name(&n.value) {
                Some(a) if out.contains(&a) => {
                    self.error(file, n.pos, format!("課題分野「{}」が二度書かれています", n.value));
                }
                Some(a) => out.push(a),
                None => {
                    let input = crate::model::normalize_name(&n.value);
                    self.push(
                        Diagnostic::error(
                            Span::new(file, n.pos),
                            format!("課題分野「{}」は26の課題分野にありません", n.value),
                        )
                        .with_suggestion(closest(&input, ISSUE_AREAS))
                        .with_help(super::help::ISSUE_AREA),
                    );
                }
            }
        }
        out
    }

    fn report(
        &mut self,
        md: &MdFile<RawReport>,
        cohort: CohortNo,
        teams: &HashMap<TeamNo, Option<Instant>>,
        l: &Lookups,
    ) -> Option<Report> {
        let (f, r) = (&md.file, &md.front);
        let stem_ok = self.stem(f, &md.stem);
        let known = teams.get(&TeamNo(r.team.value));
        let team = known.copied().flatten();
        if known.is_none() {
            self.push(
                Diagnostic::error(
                    Span::new(f, r.team.pos),
                    format!("{}にチーム {} がありません", cohort.label(), r.team.value),
                )
                .with_help(format!("cohorts/{}/teams.yaml のチーム番号を書いてください", cohort.0)),
            );
        }
        let kind = ReportKind::ALL
            .into_iter()
            .find(|k| k.name() == crate::model::normalize_name(&r.kind.value));
        if kind.is_none() {
            self.push(
                Diagnostic::error(
                    Span::new(f, r.kind.pos),
                    format!("報告の種類「{}」は使えません", r.kind.value),
                )
                .with_help("kind は 中間報告、最終報告、活動報告 のいずれかで書いてください"),
            );
        }
        let title = self.text(f, "title", &r.title);
        let date = self.date(f, &r.date);
        let mut release = team;
        if let Some(rel) = &r.release {
            release = self.instant(f, rel);
            if let (Some(at), Some(team_at)) = (release, team) {
                if at < team_at {
                    self.push(
                        Diagnostic::error(
                            Span::new(f, rel.pos),
                            format!(
                                "報告の公開 {} がチームの公表 {} より前です",
                                at.display_ja(),
                                team_at.display_ja()
                            ),
                        )
                        .with_help(
                            "release はチームの公表と同じかそれより後にしてください（省略するとチームの公表と同時）",
                        ),
                    );
                    release = None;
                }
            }
        }
        let mut attachments = Vec::new();
        let mut attachments_ok = true;
        for a in r.attachments.iter() {
            let Some(a) = &a.0 else {
                attachments_ok = false;
                continue;
            };
            let asset = body::asset_ref(self, f, &a.file, l);
            let title = self.text(f, "title", &a.title);
            match (asset, title) {
                (Some(asset), Some(title)) => attachments.push(Attachment { asset, title }),
                _ => attachments_ok = false,
            }
        }
        let body = body::body(self, f, &md.body, md.body_line, l);
        if !stem_ok || !attachments_ok || r.attachments.iter().any(|a| a.0.is_none()) {
            return None;
        }
        Some(Report {
            cohort,
            team: TeamNo(r.team.value),
            stem: md.stem.clone(),
            kind: kind?,
            title: title?,
            date: date?,
            release: release?,
            summary: self.optional_text(&r.summary),
            attachments,
            body: body?,
            file: Arc::clone(f),
        })
    }
}

/// `declared.breakdowns` as counts in the order of [`Attribute::categories`] (a category left
/// out counts 0).
fn breakdowns(b: &RawBreakdowns) -> std::collections::BTreeMap<Attribute, Vec<u32>> {
    let n = |v: &Option<Sp<u32>>| v.as_ref().map_or(0, |x| x.value);
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
