//! 課題分野 pages: the list of the 26 areas (/themes/), and one page per area with its teams.

use crate::hash::Hash128;
use crate::model::IssueAreaNo;
use crate::model::reference::issue_area_note;
use crate::model::urls;
use crate::publish::Sources;
use crate::render::RenderError;
use crate::render::renderer::{COHORT_KINDS, OgType, PageSpec, PageText, Renderer};
use crate::render::views::layout::crumb;
use crate::render::views::parts::TeamList;
use crate::render::views::{AreaItem, AreaListView, AreaView};

impl Renderer<'_, '_> {
    pub(in crate::render) fn areas(&mut self) -> Result<(), RenderError> {
        let per_area = |a: IssueAreaNo| self.p.teams.iter().filter(|t| t.areas.contains(&a)).count();
        let list: Vec<_> = IssueAreaNo::all()
            .map(|a| AreaItem {
                no: a.0,
                two: a.two_digits(),
                name: a.name(),
                href: urls::issue_area(a),
                teams: per_area(a),
            })
            .collect();
        let spec = PageSpec {
            path: urls::ISSUE_AREAS,
            sources: Sources::all_of(&COHORT_KINDS),
            og_type: OgType::Website,
            title: "課題分野".into(),
            description: "制度の26の課題分野と、それぞれに取り組む伴走支援チーム。".into(),
            crumbs: vec![],
        };
        self.emit(spec, &AreaListView { areas: list })?;
        let all: Vec<IssueAreaNo> = IssueAreaNo::all().collect();
        self.emit_many(&all, |this, &a| {
            let shown = || this.p.teams.iter().filter(|t| t.areas.contains(&a));
            let path = urls::issue_area(a);
            let inputs = |w: &mut Hash128| {
                let teams: Vec<u128> = shown().map(|t| this.row_key(t.cohort, t.no)).collect();
                w.value(&(a, teams));
            };
            this.page_from(&path, Sources::teams(shown()), inputs, || {
                let page = AreaView {
                    no: a.0,
                    name: a.name(),
                    note: issue_area_note(a),
                    teams: TeamList::newest_cohort_first(&this.rows, this.p, shown()),
                };
                let text = PageText {
                    og_type: OgType::Website,
                    title: format!("{}. {}", a.0, a.name()),
                    description: format!("課題分野「{}」に取り組む伴走支援チーム。", a.name()),
                    crumbs: vec![crumb("課題分野", urls::ISSUE_AREAS)],
                };
                (text, page)
            })
        })
    }
}
