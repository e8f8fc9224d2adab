//! A cohort's team list (/cohorts/N/teams/): every team of a cohort whose roster is kept here,
//! with its municipality, 課題分野 and members. The menu's チーム一覧 is the latest one.

use crate::model::{Cohort, urls};
use crate::publish::Sources;
use crate::render::RenderError;
use crate::render::renderer::{OgType, PageSpec, Rendered, Renderer};
use crate::render::views::TeamsView;
use crate::render::views::layout::crumb;
use crate::render::views::parts::TeamList;

impl Renderer<'_, '_> {
    /// The team list of cohort `c`, made with its page ([`Renderer::cohort`]): `title` is that
    /// page's title, `sources` what both pages are made from.
    pub(super) fn team_list(&self, c: &Cohort, title: String, sources: Sources) -> Result<Rendered, RenderError> {
        let teams = TeamList::of(self.p, self.p.teams_of(c.no));
        let description = format!(
            "{}の伴走支援チーム{}チームの一覧（支援先の市町村、支援官の所属府省庁・役職）。",
            c.no.label(),
            teams.rows.len()
        );
        let page = TeamsView {
            cohort_label: c.no.label(),
            cohort_href: urls::cohort(c.no),
            teams,
        };
        let path = urls::cohort_teams(c.no);
        let crumbs = vec![
            crumb("期ごとの伴走支援", urls::COHORTS),
            crumb(title, urls::cohort(c.no)),
        ];
        let spec = PageSpec {
            path: &path,
            sources,
            og_type: OgType::Website,
            title: format!("{} 伴走支援チーム一覧", c.no.label()),
            description,
            crumbs,
        };
        self.page(spec, &page)
    }
}
