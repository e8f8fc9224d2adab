//! Validation of teams.yaml: each team, its members, and its 課題分野.

use std::sync::Arc;

use super::{Lookups, Validator};
use crate::diag::{Diagnostic, Span, closest};
use crate::load::de::Sp;
use crate::load::raw::{RawMember, RawTeam};
use crate::model::reference::{Grade, ISSUE_AREAS, IssueAreaNo};
use crate::model::{CohortNo, Gender, Member, Team, TeamNo, Track};
use crate::time::Instant;

/// The programme's team size (2～3名); other sizes are warned about.
const TEAM_SIZE: std::ops::RangeInclusive<usize> = 2..=3;

impl Validator<'_> {
    pub(super) fn team(
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
        // A member who left stays recorded (SPEC §6 (c)); the team's size is who is in it.
        let present = members.iter().filter(|m| m.left.is_none()).count();
        if !broken && !TEAM_SIZE.contains(&present) {
            self.push(
                Diagnostic::warning(
                    Span::new(file, r.members.pos),
                    format!(
                        "チーム {} の支援官が {} 名です（制度では2～3名。離任した人は数えていません）",
                        r.number.value, present
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

    pub(super) fn member(
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
            let v = Gender::parse(&g.value);
            if v.is_none() {
                self.push(
                    Diagnostic::error(Span::new(file, g.pos), format!("性別「{}」は使えません", g.value))
                        .with_help("男性、女性、回答しない のいずれかで書いてください"),
                );
            }
            v
        });
        let track = m.track.as_ref().and_then(|t| {
            let v = Track::parse(&t.value);
            if v.is_none() {
                self.push(
                    Diagnostic::error(Span::new(file, t.pos), format!("「{}」は使えません", t.value))
                        .with_help("track は 事務官 か 技官 で書いてください"),
                );
            }
            v
        });
        let age = m.age.as_ref().and_then(|a| {
            if crate::model::AGE_RANGE.contains(&a.value) {
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
            name: self.optional_text(file, &m.name),
            position: self.optional_text(file, &m.position),
            is_officer: m.officer.as_ref().is_some_and(|o| o.value),
            announce: announce?,
            left,
            gender,
            age,
            track,
        })
    }

    /// 課題分野 names → numbers; unknown names and repeats are errors.
    pub(super) fn areas(&mut self, file: &Arc<str>, names: &[Sp<String>]) -> Vec<IssueAreaNo> {
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
}
