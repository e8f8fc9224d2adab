//! 市町村 pages: one per published municipality, with its teams and other programmes.

use super::RenderError;
use super::context::{TeamRow, fmt_int};
use super::layout::{OgType, PageSpec, crumb};
use super::pages::Renderer;
use super::views::MunicipalityView;
use crate::model::urls;

impl Renderer<'_, '_> {
    pub(super) fn municipalities(&mut self) -> Result<(), RenderError> {
        let all: Vec<_> = self.p.municipalities.values().copied().collect();
        self.emit_many(&all, |this, m| {
            let pref = m.prefecture();
            let teams: Vec<TeamRow> = this.p.teams_in(m.code).rev().map(|t| TeamRow::of(this.p, t)).collect();
            let programs = this.program_refs(m.code);
            let supports: Vec<String> = teams
                .iter()
                .map(|t| format!("地方創生伴走支援制度 {}", t.cohort_label))
                .chain(programs.iter().map(|p| format!("{}（{}）", p.name, p.fiscal_year)))
                .collect();
            let description = format!("{}が受けている国の伴走支援：{}。", m.full_name(), supports.join("、"));
            let page = MunicipalityView {
                name: m.name.clone(),
                full_name: m.full_name(),
                kana: m.kana.clone(),
                code: m.code.to_string(),
                prefecture: pref.name,
                prefecture_href: urls::prefecture(pref.slug),
                population: m.population.map(fmt_int),
                population_as_of: m.population_as_of.map(|d| d.display_ja()),
                teams,
                programs,
            };
            let path = urls::municipality(m.code);
            let crumbs = vec![
                crumb("都道府県から探す", urls::PREFECTURES),
                crumb(pref.name, urls::prefecture(pref.slug)),
            ];
            let spec = PageSpec {
                path: &path,
                template: "municipality.html",
                og_type: OgType::Website,
                title: m.full_name(),
                description,
                crumbs,
            };
            this.page(spec, &page)
        })
    }
}
