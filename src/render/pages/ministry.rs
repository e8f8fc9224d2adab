//! 府省庁等 pages: the list of ministries whose 支援官 are published (/ministries/), and one page per ministry
//! with the teams its officials join, by cohort, and those teams' reports.

use crate::model::{Grade, Ministry, MinistryNo, urls};
use crate::publish::Published;
use crate::publish::Sources;
use crate::publish::Team;
use crate::render::RenderError;
use crate::render::renderer::{OgType, PageSpec, Renderer};
use crate::render::views::layout::crumb;
use crate::render::views::parts::{ReportRef, TeamList, fmt_int};
use crate::render::views::{MinistryCohort, MinistryCount, MinistryListView, MinistryRow, MinistryView};

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
        let rows = ids
            .iter()
            .map(|(id, href, t)| {
                let m = self.p.ministry(*id);
                MinistryRow {
                    name: m.name.clone(),
                    href: href.clone(),
                    counts: cohorts
                        .iter()
                        .map(|c| {
                            let mine = t.iter().find(|x| x.cohort.no == c.no);
                            MinistryCount {
                                members: mine.map_or(0, |x| x.members),
                                teams: mine.map_or(0, |x| x.teams.len()),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let spec = PageSpec {
            path: urls::MINISTRIES,
            sources: Sources::teams(self.p, ids.iter().flat_map(|(_, _, t)| shown(t))),
            og_type: OgType::Website,
            title: "府省庁等別".into(),
            description: "地方創生支援官が所属する府省庁等ごとの、支援官の数と加わっている伴走支援チームの数。".into(),
            crumbs: vec![],
        };
        let list = MinistryListView {
            cohorts: cohorts.iter().map(|c| c.no.label()).collect(),
            rows,
        };
        self.emit(spec, &list)?;
        self.emit_many(&ids, |this, (id, path, t)| {
            let id = *id;
            let m = this.p.ministry(id);
            let cohorts: Vec<MinistryCohort> = t.iter().rev().map(|x| cohort_view(this.p, id, x)).collect();
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
                cohorts,
                reports,
            };
            this.page(
                PageSpec {
                    path,
                    sources: Sources::teams(this.p, shown(t)),
                    og_type: OgType::Website,
                    title: m.name.clone(),
                    description,
                    crumbs: vec![crumb("府省庁等別", urls::MINISTRIES)],
                },
                &page,
            )
        })
    }
}

/// The teams a ministry's tallies count: those its page shows.
fn shown<'t, 'p>(t: &'t [Share<'p>]) -> impl Iterator<Item = &'p Team> + 't {
    t.iter().flat_map(|x| x.teams.iter().copied())
}

fn cohort_view(p: &Published, id: MinistryNo, x: &Share) -> MinistryCohort {
    let m = p.ministry(id);
    let mut prefectures: Vec<u8> = x.teams.iter().map(|t| t.municipality.prefecture().code).collect();
    prefectures.sort_unstable();
    prefectures.dedup();
    let mut towns: Vec<_> = x.teams.iter().map(|t| t.municipality).collect();
    towns.sort_unstable();
    towns.dedup();
    let grades: Vec<String> = Grade::ALL
        .iter()
        .filter_map(|g| {
            let n = x
                .teams
                .iter()
                .flat_map(|t| &t.members)
                .filter(|mem| mem.ministry == id && mem.grade == *g)
                .count();
            (n > 0).then(|| format!("{} {}名", g.name(), fmt_int(n as u64)))
        })
        .collect();
    let label = x.cohort.no.label();
    let left = x
        .teams
        .iter()
        .flat_map(|t| &t.members)
        .filter(|mem| mem.ministry == id && mem.left.is_some())
        .count();
    let left_note = if left > 0 {
        format!("（離任した{}名を含みます）", fmt_int(left as u64))
    } else {
        String::new()
    };
    MinistryCohort {
        lead: format!(
            "{label}では、{}の支援官{}名{left_note}が{}チームに加わり、{}都道府県の{}市町村を支援しています。役職は{}です。",
            m.name,
            fmt_int(x.members as u64),
            fmt_int(x.teams.len() as u64),
            prefectures.len(),
            towns.len(),
            grades.join("、")
        ),
        caption: format!("{label}：{}の支援官が加わるチーム", m.name),
        teams: TeamList::of(p, x.teams.iter().copied()),
        label,
        href: urls::cohort(x.cohort.no),
    }
}

/// What a search matches exactly to put this page first: the name, its short form and its
/// other spellings.
fn search_names(m: &Ministry) -> Vec<String> {
    crate::render::search::exact_names(std::iter::once(&m.name).chain(&m.short).chain(&m.aliases))
}
