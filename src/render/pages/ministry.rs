//! 府省庁等 pages: the list of ministries whose 支援官 are published (/ministries/), and one page per ministry
//! with the teams its officials join, by cohort, and those teams' reports.

use crate::hash::Hash128;
use crate::model::{Grade, Ministry, MinistryGroup, MinistryNo, urls};
use crate::publish::Published;
use crate::publish::Sources;
use crate::publish::Team;
use crate::render::RenderError;
use crate::render::charts::group_heading;
use crate::render::renderer::{OgType, PageSpec, PageText, Renderer};
use crate::render::views::layout::crumb;
use crate::render::views::parts::{OFFICER_DEFINITION, ReportRef, TeamList, TeamRows, fmt_int};
use crate::render::views::{
    MinistryCohort, MinistryCount, MinistryGroupView, MinistryListView, MinistryRow, MinistryView,
};

/// One ministry's share of one cohort: its published members and the teams they are in.
struct Share<'p> {
    cohort: &'p crate::model::Cohort,
    teams: Vec<&'p Team>,
    members: usize,
}

fn tallies<'p>(p: &'p Published, id: MinistryNo) -> Vec<Share<'p>> {
    p.cohorts
        .iter()
        .filter_map(|c| {
            let teams: Vec<&Team> = p
                .teams_of(c.no)
                .filter(|t| t.members.iter().any(|m| m.ministry == id))
                .collect();
            let members = teams
                .iter()
                .flat_map(|t| &t.members)
                .filter(|m| m.ministry == id)
                .count();
            (!teams.is_empty()).then_some(Share {
                cohort: c,
                teams,
                members,
            })
        })
        .collect()
}

impl Renderer<'_, '_> {
    pub(in crate::render) fn ministries(&mut self) -> Result<(), RenderError> {
        // Each ministry with a page: its path and its teams per cohort, counted once for the list
        // and its own page.
        let ids: Vec<(MinistryNo, String, Vec<Share>)> = self
            .p
            .ministry_pages()
            .iter()
            .copied()
            .filter_map(|id| Some((id, self.p.ministry_href(id)?, tallies(self.p, id))))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let cohorts: Vec<_> = self
            .p
            .cohorts
            .iter()
            .filter(|c| self.p.teams_of(c.no).next().is_some())
            .collect();
        let count = |t: &[Share], c: &crate::model::Cohort| {
            let mine = t.iter().find(|x| x.cohort.no == c.no);
            MinistryCount {
                members: mine.map_or(0, |x| x.members),
                teams: mine.map_or(0, |x| x.teams.len()),
            }
        };
        type Entry<'p> = (MinistryNo, String, Vec<Share<'p>>);
        let in_groups: Vec<(MinistryGroup, Vec<&Entry>)> = MinistryGroup::ALL
            .into_iter()
            .map(|g| {
                (
                    g,
                    ids.iter()
                        .filter(|(id, _, _)| self.p.ministry(*id).group == g)
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, members)| !members.is_empty())
            .collect();
        // One group of 府省庁等 alone needs no headings (nor a word about オフィサー).
        let grouped = in_groups.iter().any(|(g, _)| *g != MinistryGroup::default());
        let groups = in_groups
            .iter()
            .map(|(g, in_group)| {
                let rows = in_group
                    .iter()
                    .map(|(id, href, t)| MinistryRow {
                        name: self.p.ministry(*id).name.clone(),
                        href: href.clone(),
                        counts: cohorts.iter().map(|c| count(t, c)).collect(),
                    })
                    .collect();
                // A team with two members of the group is one team of its subtotal.
                let subtotal = cohorts
                    .iter()
                    .map(|c| {
                        let shares = in_group
                            .iter()
                            .filter_map(|(_, _, t)| t.iter().find(|x| x.cohort.no == c.no));
                        let teams: std::collections::BTreeSet<_> =
                            shares.clone().flat_map(|x| x.teams.iter().map(|t| t.no)).collect();
                        MinistryCount {
                            members: shares.map(|x| x.members).sum(),
                            teams: teams.len(),
                        }
                    })
                    .collect();
                MinistryGroupView {
                    name: g.name(),
                    heading: grouped.then(|| group_heading(g.name(), in_group.len())),
                    caption: if grouped {
                        format!("{}の支援官とチームの数", g.name())
                    } else {
                        "府省庁等別の支援官とチームの数".to_string()
                    },
                    rows,
                    subtotal_label: if grouped { "小計" } else { "計" },
                    subtotal,
                }
            })
            .collect();
        let spec = PageSpec {
            path: urls::MINISTRIES,
            sources: Sources::teams(ids.iter().flat_map(|(_, _, t)| shown(t))),
            og_type: OgType::Website,
            title: "府省庁等別".into(),
            description: "地方創生支援官が所属する府省庁等ごとの、支援官の数と加わっている伴走支援チームの数。".into(),
            crumbs: vec![],
        };
        let officer_bodies = in_groups.iter().any(|(g, _)| *g == MinistryGroup::OfficerBodies);
        let list = MinistryListView {
            cohorts: cohorts.iter().map(|c| c.no.label()).collect(),
            groups,
            officer_definition: officer_bodies.then_some(OFFICER_DEFINITION),
        };
        self.emit(spec, &list)?;
        self.emit_many(&ids, |this, (id, path, t)| {
            let id = *id;
            let m = this.p.ministry(id);
            let inputs = |w: &mut Hash128| {
                // Its teams by cohort: every member's ministry, grade and 離任 are in the team's
                // key, the reports listed are the teams' own.
                let shares: Vec<_> = t
                    .iter()
                    .map(|x| {
                        let teams: Vec<u128> = x.teams.iter().map(|team| this.team_key(team.cohort, team.no)).collect();
                        (x.cohort.no, x.members, teams)
                    })
                    .collect();
                w.value(&(m, shares));
            };
            this.page_from(path, Sources::teams(shown(t)), inputs, || {
                let officer_body = m.group == MinistryGroup::OfficerBodies;
                let mut cohorts: Vec<MinistryCohort> =
                    t.iter().rev().map(|x| cohort_view(this.p, &this.rows, id, x)).collect();
                // The 支援オフィサー mark is explained once: under the heading of a body of
                // オフィサー出向先等, else above the first list that shows it.
                cohorts
                    .iter_mut()
                    .fold(officer_body, |said, c| c.teams.officer_said(said));
                let teams: std::collections::HashSet<_> = shown(t).map(|team| (team.cohort, team.no)).collect();
                let reports: Vec<ReportRef> = this
                    .p
                    .reports_newest_first()
                    .iter()
                    .filter(|r| teams.contains(&(r.cohort, r.team)))
                    .map(|r| ReportRef::of(this.p, r))
                    .collect();
                let summary: Vec<String> = t
                    .iter()
                    .rev()
                    .map(|x| {
                        format!(
                            "{} {}チーム（支援官{}名）",
                            x.cohort.no.label(),
                            x.teams.len(),
                            x.members
                        )
                    })
                    .collect();
                let description = format!(
                    "{}の地方創生支援官が加わる伴走支援チーム：{}。",
                    m.name,
                    summary.join("、")
                );
                let page = MinistryView {
                    search_names: search_names(m),
                    name: m.name.clone(),
                    officer_group: officer_body.then_some(m.group.name()),
                    officer_definition: officer_body.then_some(OFFICER_DEFINITION),
                    cohorts,
                    reports,
                };
                let text = PageText {
                    og_type: OgType::Website,
                    title: m.name.clone(),
                    description,
                    crumbs: vec![crumb("府省庁等別", urls::MINISTRIES)],
                };
                (text, page)
            })
        })
    }
}

/// The teams a ministry's tallies count: those its page shows.
fn shown<'t, 'p>(t: &'t [Share<'p>]) -> impl Iterator<Item = &'p Team> + 't {
    t.iter().flat_map(|x| x.teams.iter().copied())
}

fn cohort_view(p: &Published, rows: &TeamRows, id: MinistryNo, x: &Share) -> MinistryCohort {
    let m = p.ministry(id);
    let label = x.cohort.no.label();
    let mine: Vec<_> = x
        .teams
        .iter()
        .flat_map(|t| &t.members)
        .filter(|mem| mem.ministry == id)
        .collect();
    let left = mine.iter().filter(|mem| mem.left.is_some()).count();
    let left_note = if left > 0 {
        format!("（離任した{}名を含みます）", fmt_int(left as u64))
    } else {
        String::new()
    };
    let grades: Vec<(Grade, usize)> = Grade::ALL
        .iter()
        .map(|g| (*g, mine.iter().filter(|mem| mem.grade == *g).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    MinistryCohort {
        lead: format!(
            "{label}では、{}の支援官{}名{left_note}が{}。{}",
            m.name,
            fmt_int(x.members as u64),
            supported(p, &x.teams),
            grades_sentence(x.members, &grades)
        ),
        caption: format!("{label}：{}の支援官が加わるチーム", m.name),
        teams: TeamList::of(rows, p, x.teams.iter().copied()),
        label,
        href: urls::cohort(x.cohort.no),
    }
}

/// What the teams do, said as the numbers allow: 「北海道天塩町を支援するチームに加わっています」
/// for one team, 「3チームに加わり、長野県の3市町村を支援しています」 within one prefecture,
/// 「14チームに加わり、9都道府県の14市町村を支援しています」 otherwise.
fn supported(p: &Published, teams: &[&Team]) -> String {
    let mut towns: Vec<_> = teams.iter().map(|t| t.municipality).collect();
    towns.sort_unstable();
    towns.dedup();
    let mut prefectures: Vec<_> = towns.iter().map(|c| c.prefecture()).collect();
    prefectures.dedup_by_key(|p| p.code);
    let towns_text = match (towns.as_slice(), prefectures.as_slice()) {
        ([one], _) => p
            .municipality(*one)
            .map_or_else(|| "1市町村".to_string(), |m| m.full_name()),
        (_, [pref]) => format!("{}の{}市町村", pref.name, fmt_int(towns.len() as u64)),
        _ => format!(
            "{}都道府県の{}市町村",
            fmt_int(prefectures.len() as u64),
            fmt_int(towns.len() as u64)
        ),
    };
    match teams {
        [_] => format!("{towns_text}を支援するチームに加わっています"),
        _ => format!(
            "{}チームに加わり、{towns_text}を支援しています",
            fmt_int(teams.len() as u64)
        ),
    }
}

/// The grades of a ministry's `n` members in a cohort: 「役職は課長級です。」 for one,
/// 「役職は2名とも補佐級です。」, or 「14名の役職は、課長級2名、…、係長級6名です。」.
fn grades_sentence(n: usize, grades: &[(Grade, usize)]) -> String {
    match grades {
        [(g, _)] if n == 1 => format!("役職は{}です。", g.name()),
        [(g, _)] => format!("役職は{}名とも{}です。", fmt_int(n as u64), g.name()),
        _ => {
            let parts: Vec<String> = grades
                .iter()
                .map(|(g, k)| format!("{}{}名", g.name(), fmt_int(*k as u64)))
                .collect();
            format!("{}名の役職は、{}です。", fmt_int(n as u64), parts.join("、"))
        }
    }
}

/// What a search matches exactly to put this page first: the name, its short form and its
/// other spellings.
fn search_names(m: &Ministry) -> Vec<String> {
    crate::render::search::exact_names(std::iter::once(&m.name).chain(&m.short).chain(&m.aliases))
}
