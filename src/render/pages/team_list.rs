//! A cohort's team list (/cohorts/N/teams/): every team of a cohort whose roster is kept here,
//! with its municipality, 課題分野 and members. The menu's チーム一覧 is the latest one.

use std::collections::BTreeMap;

use crate::hash::Hash128;
use crate::model::{Cohort, MinistryNo, urls};
use crate::publish::Sources;
use crate::publish::Team;
use crate::render::RenderError;
use crate::render::renderer::{OgType, PageText, Rendered, Renderer};
use crate::render::views::TeamsView;
use crate::render::views::layout::crumb;
use crate::render::views::parts::{FilterChoice, TeamList};

impl Renderer<'_, '_> {
    /// The team list of cohort `c`, made with its page ([`Renderer::cohort`]): `title` is that
    /// page's title, `sources` what both pages are made from.
    pub(super) fn team_list(&self, c: &Cohort, title: String, sources: Sources) -> Result<Rendered, RenderError> {
        let mut in_order: Vec<&Team> = self.p.teams_of(c.no).collect();
        in_order.sort_by_key(|t| (self.p.town(t).prefecture().code, t.no));
        let path = urls::cohort_teams(c.no);
        let has_ministry_pages = !self.p.ministry_pages().is_empty();
        let inputs = |w: &mut Hash128| {
            let teams: Vec<u128> = in_order.iter().map(|t| self.row_key(t.cohort, t.no)).collect();
            w.value(&(c.no, &title, teams, has_ministry_pages));
        };
        self.page_from(&path, sources, inputs, || {
            let mut teams = TeamList::of(&self.rows, self.p, in_order.iter().copied());
            let count = teams.rows.len();
            let description = format!(
                "{}の伴走支援チーム{}チームの一覧（都道府県ごと。支援先の市町村、支援官の所属府省庁・役職）。",
                c.no.label(),
                count
            );
            let groups = teams.by_prefecture();
            let page = TeamsView {
                cohort_label: c.no.label(),
                cohort_href: urls::cohort(c.no),
                count,
                teams,
                groups,
                ministries: self.ministry_choices(&in_order),
                ministries_page: has_ministry_pages.then_some(urls::MINISTRIES),
            };
            let text = PageText {
                og_type: OgType::Website,
                title: format!("{} 伴走支援チーム一覧", c.no.label()),
                description,
                crumbs: vec![
                    crumb("期ごとの伴走支援", urls::COHORTS),
                    crumb(title.clone(), urls::cohort(c.no)),
                ],
            };
            (text, page)
        })
    }

    /// The 府省庁等 with a member in `teams`, in the site's order, each with how many of the
    /// teams it is in.
    fn ministry_choices(&self, teams: &[&Team]) -> Vec<FilterChoice> {
        let mut counts: BTreeMap<MinistryNo, usize> = BTreeMap::new();
        for t in teams {
            let mut in_team: Vec<MinistryNo> = t.members.iter().map(|m| m.ministry).collect();
            in_team.sort();
            in_team.dedup();
            for m in in_team {
                *counts.entry(m).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(id, n)| {
                let name = self.p.ministry(id).name.clone();
                FilterChoice {
                    value: name.clone(),
                    name,
                    teams: n,
                }
            })
            .collect()
    }
}
