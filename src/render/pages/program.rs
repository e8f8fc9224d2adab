//! Other national 伴走支援 (programs/): the list (/programs/), a page per programme, and what a
//! municipality or a prefecture receives from each.

use crate::model::{MunicipalityCode, urls};
use crate::publish::{Kind, Record, Sources};
use crate::render::RenderError;
use crate::render::renderer::{OgType, PageSpec, Renderer};
use crate::render::views::layout::crumb;
use crate::render::views::parts::{NamedLink, ProgramRef, fiscal_year_label};
use crate::render::views::{ProgramInPrefecture, ProgramListItem, ProgramListView, ProgramView, SupportView};

impl Renderer<'_, '_> {
    /// What `code` receives from each published programme.
    pub(super) fn program_refs(&self, code: MunicipalityCode) -> Vec<ProgramRef> {
        self.p
            .programs
            .iter()
            .filter_map(|p| {
                let kinds: Vec<String> = p
                    .support_of(code)
                    .map(|s| match &s.group {
                        Some(g) => format!("{}（{g}）", s.kind),
                        None => s.kind.clone(),
                    })
                    .collect();
                (!kinds.is_empty()).then(|| ProgramRef {
                    name: p.name.clone(),
                    fiscal_year: fiscal_year_label(p.fiscal_year),
                    href: urls::program(&p.id),
                    url: p.url.clone(),
                    kinds,
                })
            })
            .collect()
    }

    /// A link to a supported municipality's page (a published programme's towns are published).
    fn link(&self, code: MunicipalityCode) -> Option<NamedLink> {
        let m = self.p.municipality(code)?;
        Some(NamedLink {
            name: m.full_name(),
            href: urls::municipality(code),
        })
    }

    /// The published programmes supporting a municipality of prefecture `pref`.
    pub(super) fn prefecture_programs(&self, pref: u8) -> impl Iterator<Item = &crate::model::Program> + '_ {
        self.p.programs.iter().copied().filter(move |p| {
            p.support
                .iter()
                .flat_map(|s| &s.municipalities)
                .any(|c| c.prefecture().code == pref)
        })
    }

    /// Published programmes and the municipalities of prefecture `pref` each supports.
    pub(super) fn programs_in_prefecture(&self, pref: u8) -> Vec<ProgramInPrefecture> {
        self.p
            .programs
            .iter()
            .filter_map(|p| {
                let mut seen = std::collections::HashSet::new();
                let links: Vec<NamedLink> = p
                    .support
                    .iter()
                    .flat_map(|s| &s.municipalities)
                    .filter(|c| c.prefecture().code == pref && seen.insert(**c))
                    .filter_map(|c| self.link(*c))
                    .collect();
                (!links.is_empty()).then(|| ProgramInPrefecture {
                    name: p.name.clone(),
                    fiscal_year: fiscal_year_label(p.fiscal_year),
                    href: urls::program(&p.id),
                    municipalities: links,
                })
            })
            .collect()
    }

    pub(in crate::render) fn programs(&mut self) -> Result<(), RenderError> {
        if self.p.programs.is_empty() {
            return Ok(());
        }
        let list: Vec<_> = self
            .p
            .programs
            .iter()
            .map(|p| {
                let count = p.support.iter().map(|s| s.municipalities.len()).sum::<usize>();
                ProgramListItem {
                    name: p.name.clone(),
                    fiscal_year: fiscal_year_label(p.fiscal_year),
                    href: urls::program(&p.id),
                    summary: p.summary.clone(),
                    count,
                }
            })
            .collect();
        let spec = PageSpec {
            path: urls::PROGRAMS,
            sources: Sources::all_of(&[Kind::Programs]),
            og_type: OgType::Website,
            title: "関連する伴走支援".into(),
            description: "地方創生伴走支援制度のほかに、国が市町村に行っている伴走支援とその支援先。".into(),
            crumbs: vec![],
        };
        self.emit(spec, &ProgramListView { programs: list })?;
        for p in self.p.programs.clone() {
            let support: Vec<SupportView> = p
                .support
                .iter()
                .map(|s| SupportView {
                    kind: s.kind.clone(),
                    group: s.group.clone(),
                    municipalities: s.municipalities.iter().filter_map(|c| self.link(*c)).collect(),
                })
                .collect();
            let page = ProgramView {
                name: p.name.clone(),
                fiscal_year: fiscal_year_label(p.fiscal_year),
                organizer: p.organizer.clone(),
                summary: p.summary.clone(),
                url: p.url.clone(),
                support,
            };
            let title = format!("{}（{}）", p.name, fiscal_year_label(p.fiscal_year));
            let description = p
                .summary
                .clone()
                .unwrap_or_else(|| format!("{title}の支援先の市町村。"));
            let path = urls::program(&p.id);
            let crumbs = vec![crumb("関連する伴走支援", urls::PROGRAMS)];
            self.emit(
                PageSpec {
                    path: &path,
                    sources: Sources::record(Record::Program(p.id.clone())),
                    og_type: OgType::Website,
                    title,
                    description,
                    crumbs,
                },
                &page,
            )?;
        }
        Ok(())
    }
}
