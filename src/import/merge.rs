//! 名簿の更新 — a roster merged into the teams.yaml it updates, keeping every published record
//! (SPEC §6 (e)).
//!
//! - **The unit is the team.** A team the roster lacks is kept as it is and named (a partial
//!   sheet is normal). With `--complete`, absent teams not yet public are removed; an absent
//!   public team is refused, listed at its place in teams.yaml.
//! - **Members are matched within their team**: by name where both sides have one; a row with a
//!   離任日 or 公表日 with the record that has that date; then by ministry and grade where not
//!   both have a name. Members of the same ministry and grade without names are interchangeable.
//! - **A public team's members are never deleted or overwritten.** One absent from its rows
//!   leaves (`left`: the first day that starts at or after the import's instant, or the row's
//!   離任日); a newcomer joins (`announce`: the import's instant, or the row's 公表日). A change in
//!   the number of nameless members of one ministry and grade, where both the file and the
//!   roster have some, cannot say who left and who joined: it is refused at its rows unless
//!   the 離任日 / 公表日 columns say. A team not yet public is simply rewritten.
//! - **No date before the last published site**: a new 離任日 or 公表日 (or the import's own
//!   instant) before the as-of of the site last published would rewrite what it showed.
//!
//! A team's keys the roster has no column for (`announce`, and any key added to teams.yaml) are
//! carried from the old team as the YAML values they hold ([`super::teams_yaml::Rest`]), so the
//! next import drops none of them; a member is destructured whole
//! ([`super::teams_yaml::member_as_written`]), so a field added to a member is a compile error
//! here rather than a field the next import drops.

use std::sync::Arc;

use super::pairing::{ambiguous, pair};
use super::previous::Previous;
use super::roster::{Member, Team};
use super::teams_yaml::{Carried, MemberOut, Rest, TeamOut, code_of, member_as_written, team_as_written};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::load::de::Sp;
use crate::load::raw::{RawMember, RawTeam};
use crate::model::reference::Grade;
use crate::model::{Attribute, MunicipalityCode};
use crate::time::Instant;

/// What one import changes, for its summary: every team and member added, changed, left,
/// joined or kept.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Teams new to teams.yaml.
    pub added: Vec<String>,
    /// Teams in the roster and in teams.yaml.
    pub updated: Vec<String>,
    /// Teams in teams.yaml and not in the roster, kept as they were.
    pub kept: Vec<String>,
    /// Teams not in the roster and not public, removed (`--complete`).
    pub removed: Vec<String>,
    /// Members joining a public team, with when.
    pub joined: Vec<String>,
    /// Members leaving a public team, with from when.
    pub left: Vec<String>,
    /// Members of a public team whose ministry, grade or name the roster changes.
    pub changed: Vec<String>,
}

/// The teams to write, what changed, and the recorded attribute values the roster corrects for
/// a member of a public team (aggregate-only: the rule of SPEC §6 (e)).
pub(super) struct Merged {
    pub(super) teams: Vec<TeamOut>,
    pub(super) changes: Changes,
    pub(super) corrections: Vec<Correction>,
}

/// A recorded value written over: the attribute, its category before and after, the cell.
#[derive(Debug, Clone)]
pub(super) struct Correction {
    pub(super) attribute: Attribute,
    pub(super) before: usize,
    pub(super) after: usize,
    pub(super) cell: Span,
}

/// What the merge needs besides the roster and the file.
pub(super) struct Merge<'a> {
    pub(super) cohort: u32,
    pub(super) as_of: Instant,
    pub(super) previous: Option<&'a Previous>,
    pub(super) complete: bool,
    pub(super) carried: Carried<'a>,
    /// teams.yaml as read, for problems about a team the roster lacks.
    pub(super) teams_file: Arc<str>,
    /// Each old team's keys import does not write, by team number (`teams_yaml::rests`).
    pub(super) rests: &'a std::collections::BTreeMap<u32, Rest>,
    /// The display name of a municipality (for comments and the summary).
    pub(super) place: &'a dyn Fn(MunicipalityCode) -> String,
    /// The canonical name of a ministry as teams.yaml may spell it (a short name or an alias):
    /// a record is compared with the roster, which the import reads into canonical names.
    pub(super) ministry: &'a dyn Fn(&str) -> Option<String>,
}

impl Merge<'_> {
    fn rest(&self, old: &RawTeam) -> Rest {
        self.rests.get(&old.number.value).cloned().unwrap_or_default()
    }

    fn public(&self, number: u32) -> bool {
        self.previous.is_some_and(|p| p.has_team(self.cohort, number))
    }

    /// The earliest instant a new date may have: after the last published site.
    fn floor(&self) -> Option<Instant> {
        self.previous.and_then(|p| p.as_of)
    }

    /// `left` for a member who leaves at the import's instant: the first day starting at or
    /// after it (and after the last published site), so no build already made shows it.
    fn left_now(&self) -> String {
        let after = self.floor().map_or(self.as_of, |f| f.max(self.as_of));
        let day = after.date();
        if day.start() >= after {
            day.iso()
        } else {
            day.next().iso()
        }
    }

    /// Merge `roster` into `existing`: the teams to write, sorted by number, and what changed.
    pub(super) fn run(&self, roster: &[Team], existing: &[&RawTeam]) -> Result<Merged, Diagnostics> {
        let mut problems = Diagnostics::new();
        let mut changes = Changes::default();
        let mut corrections = Vec::new();
        let mut out: Vec<TeamOut> = Vec::new();
        for t in roster {
            let Some(code) = t.code else { continue };
            let old = existing.iter().find(|o| o.number.value == t.number).copied();
            let public = self.public(t.number);
            let label = format!("チーム{} {}", t.number, t.place);
            let old = match old {
                Some(o) if code_of(&o.municipality.value) != Some(code) => {
                    if public {
                        problems.push(
                            Diagnostic::error(
                                t.place_at.clone(),
                                format!(
                                    "チーム{}は公表済みで、teams.yaml では{}のチームです（名簿では{}）",
                                    t.number,
                                    code_of(&o.municipality.value).map_or_else(String::new, |c| (self.place)(c)),
                                    t.place
                                ),
                            )
                            .with_help("公表済みのチームの支援先は取り込みでは変えません。番号の誤りなら名簿を直し、支援先が本当に変わったなら teams.yaml を手で直してください"),
                        );
                        continue;
                    }
                    None
                }
                other => other,
            };
            match old {
                Some(_) => changes.updated.push(label.clone()),
                None => changes.added.push(label.clone()),
            }
            let members = self.members(t, old, public, &label, &mut problems, &mut changes, &mut corrections);
            out.push(TeamOut {
                number: t.number,
                code,
                place: t.place.clone(),
                continuing: t
                    .continuing
                    .or(old.and_then(|o| o.continuing.as_ref()).map(|c| c.value)),
                themes: if t.areas.is_empty() {
                    old.map(|o| o.themes.iter().map(|a| a.value.clone()).collect())
                        .unwrap_or_default()
                } else {
                    t.areas.iter().map(|a| a.to_string()).collect()
                },
                rest: old.map(|o| self.rest(o)).unwrap_or_default(),
                members,
            });
        }
        // Teams the roster lacks.
        for o in existing {
            if roster.iter().any(|t| t.number == o.number.value && t.code.is_some()) {
                continue;
            }
            let n = o.number.value;
            let place = code_of(&o.municipality.value).map_or_else(String::new, |c| (self.place)(c));
            let label = format!("チーム{n} {place}");
            if !self.complete {
                changes.kept.push(label);
                out.push(team_as_written(o, &place, self.rest(o)));
            } else if self.public(n) {
                problems.push(
                    Diagnostic::error(
                        Span::new(&self.teams_file, o.number.pos),
                        format!("公表済みの{label}が名簿にありません（--complete）"),
                    )
                    .with_help("公表済みのチームは取り込みでは消しません。名簿に加えるか、--complete を外してください（消すなら teams.yaml を手で直します）"),
                );
            } else {
                changes.removed.push(label);
            }
        }
        if problems.error_count() > 0 {
            return Err(problems);
        }
        out.sort_by_key(|t| t.number);
        Ok(Merged {
            teams: out,
            changes,
            corrections,
        })
    }

    /// The members of team `t` as they will be written, matched with `old`'s.
    #[allow(clippy::too_many_arguments)]
    fn members(
        &self,
        t: &Team,
        old: Option<&RawTeam>,
        public: bool,
        label: &str,
        problems: &mut Diagnostics,
        changes: &mut Changes,
        corrections: &mut Vec<Correction>,
    ) -> Vec<MemberOut> {
        // The file's members with their ministry and grade as the roster reads them (teams.yaml
        // may say 子ども家庭庁 or 室長級 for こども家庭庁 and 企画官・室長級).
        let canonical: Vec<RawMember> = old
            .map(|o| o.members.value.iter().filter_map(|l| l.0.as_ref()).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .map(|o| {
                let mut c = o.clone();
                if let Some(name) = (self.ministry)(&o.ministry.value) {
                    c.ministry.value = name;
                }
                if let Some(g) = Grade::parse(&o.grade.value) {
                    c.grade.value = g.name().to_string();
                }
                c
            })
            .collect();
        let olds: Vec<&RawMember> = canonical.iter().collect();
        let pairs = pair(&t.members, &olds);
        // Nameless members of one ministry and grade whose number changes with both sides
        // holding some: nobody can say who left and who joined.
        if public {
            for (key, rows) in ambiguous(&t.members, &olds, &pairs) {
                for m in rows {
                    problems.push(
                        Diagnostic::error(
                            m.at.clone(),
                            format!("{label}の {} の氏名のない支援官の人数が、teams.yaml と名簿で違います", key),
                        )
                        .with_help("同じ府省庁・役職で氏名のない支援官は区別できません。離任した人の行には離任日を、新しく加わった人の行には公表日を書いてください（離任日・公表日の列を加えます）"),
                    );
                }
            }
        }
        let mut out = Vec::new();
        for (i, m) in t.members.iter().enumerate() {
            let prev = pairs.roster_to_old[i].map(|j| olds[j]);
            let member = self.member(m, prev, public, label, problems, changes);
            if let (true, Some(p)) = (public, prev) {
                corrections.extend(corrected(m, &member_as_written(p), &member));
            }
            out.push(member);
        }
        // Members of the file the roster no longer has.
        for (j, o) in olds.iter().enumerate() {
            if pairs.old_to_roster[j].is_some() {
                continue;
            }
            let kept = member_as_written(o);
            if kept.left.is_some() {
                out.push(kept); // left before: stays as recorded
            } else if public {
                let left = self.left_now();
                changes.left.push(format!("{label} {}（{left} から離任）", who(&kept)));
                out.push(MemberOut {
                    left: Some(left),
                    ..kept
                });
            }
            // Not public: a member never shown goes with the roster.
        }
        out
    }

    /// One member as it will be written: the roster's row, with what it lacks kept from `prev`.
    fn member(
        &self,
        m: &Member,
        prev: Option<&RawMember>,
        public: bool,
        label: &str,
        problems: &mut Diagnostics,
        changes: &mut Changes,
    ) -> MemberOut {
        let kept = prev.map(member_as_written);
        let (old_left, old_announce) = kept
            .as_ref()
            .map_or((None, None), |k| (k.left.clone(), k.announce.clone()));
        // A date written that was not there before must not be earlier than the last site.
        let new_date = |d: &super::roster::Dated, before: &Option<String>, what: &str, problems: &mut Diagnostics| {
            let unchanged = before.as_deref() == Some(d.text.as_str());
            if let Some(floor) = self.floor().filter(|f| public && !unchanged && d.at < *f) {
                problems.push(
                    Diagnostic::error(
                        d.cell.clone(),
                        format!(
                            "{what} {} は、前回公開したサイトの基準時刻 {} より前です",
                            d.text,
                            floor.display_ja()
                        ),
                    )
                    .with_help("公開済みのサイトが示したことを過去にさかのぼって書き換えることになります。前回の公開より後の日時を書いてください"),
                );
            }
        };
        if let Some(d) = &m.left {
            new_date(d, &old_left, "離任日", problems);
        }
        if let Some(d) = &m.joined {
            new_date(d, &old_announce, "公表日", problems);
        }
        let text = |v: Option<&Sp<String>>| v.map(|x| x.value.clone());
        let announce = match (&m.joined, prev) {
            (Some(d), _) => Some(d.text.clone()),
            (None, Some(_)) => old_announce.clone(),
            // A newcomer to a public team is published from now; to a team not yet public, with it.
            (None, None) if public => Some(self.as_of.rfc3339()),
            (None, None) => None,
        };
        let left = m.left.as_ref().map(|d| d.text.clone()).or(old_left.clone());
        let out = MemberOut {
            ministry: m.ministry.clone(),
            grade: m.grade.to_string(),
            name: m.name.clone().or_else(|| text(prev.and_then(|p| p.name.as_ref()))),
            position: m
                .position
                .clone()
                .or_else(|| text(prev.and_then(|p| p.position.as_ref()))),
            officer: prev.and_then(|p| p.officer.as_ref()).is_some_and(|o| o.value),
            announce,
            left,
            gender: self.carried.pick(
                Attribute::Gender,
                m.gender.map(|g| Attribute::Gender.categories()[g as usize].to_string()),
                text(prev.and_then(|p| p.gender.as_ref())),
            ),
            age: self.carried.pick(
                Attribute::Age,
                m.age,
                prev.and_then(|p| p.age.as_ref()).map(|a| a.value),
            ),
            track: self.carried.pick(
                Attribute::Track,
                m.track.map(|t| Attribute::Track.categories()[t as usize].to_string()),
                text(prev.and_then(|p| p.track.as_ref())),
            ),
        };
        if public {
            match &kept {
                None => changes.joined.push(format!(
                    "{label} {}（{} から公表）",
                    who(&out),
                    out.announce.as_deref().unwrap_or_default()
                )),
                Some(k) => {
                    if k.left.is_none() && out.left.is_some() {
                        changes.left.push(format!(
                            "{label} {}（{} から離任）",
                            who(&out),
                            out.left.as_deref().unwrap_or_default()
                        ));
                    }
                    if (&k.ministry, &k.grade, &k.name) != (&out.ministry, &out.grade, &out.name) {
                        changes.changed.push(format!("{label} {} → {}", who(k), who(&out)));
                    }
                }
            }
        }
        out
    }
}

/// The recorded attribute values of one member that the roster changes (a value written over a
/// different one, not a blank kept), each with the roster's cell.
fn corrected(m: &Member, before: &MemberOut, after: &MemberOut) -> Vec<Correction> {
    let cat = |x: &MemberOut, a: Attribute| {
        let gender = x.gender.as_deref().and_then(crate::model::Gender::parse);
        let track = x.track.as_deref().and_then(crate::model::Track::parse);
        a.category(gender, x.age, track)
    };
    Attribute::ALL
        .into_iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let (b, f) = (cat(before, a)?, cat(after, a)?);
            let cell = m.attribute_at[i].clone()?;
            (b != f).then_some(Correction {
                attribute: a,
                before: b,
                after: f,
                cell,
            })
        })
        .collect()
}

/// `総務省 補佐級 山田 太郎`
fn who(m: &MemberOut) -> String {
    let mut s = format!("{} {}", m.ministry, grade_name(&m.grade));
    if let Some(n) = &m.name {
        s.push(' ');
        s.push_str(n);
    }
    s
}

fn grade_name(g: &str) -> String {
    Grade::parse(g).map_or_else(|| g.to_string(), |x| x.name().to_string())
}
