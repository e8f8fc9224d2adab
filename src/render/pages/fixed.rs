//! The pages every site has apart from its records: a page per file of pages/ (at `<stem>/`),
//! the 404 page, the search page and the open-data page (/data/).

use crate::model::urls;
use crate::publish::{Record, Sources};
use crate::render::markdown::{plain_text, render_markdown};
use crate::render::renderer::{EVERY_KIND, OgType, PageSpec, Renderer};
use crate::render::views::layout::root_of;
use crate::render::views::parts::HeldUntil;
use crate::render::views::{DataView, NotFoundView, PageView, SearchView};
use crate::render::{RenderError, shortcuts};

impl Renderer<'_, '_> {
    /// A page per file of pages/, from its Markdown.
    pub(in crate::render) fn free_pages(&mut self) -> Result<(), RenderError> {
        for page in &self.p.pages {
            let html = render_markdown(&page.body, &root_of(&urls::page(&page.stem)), &|t| self.p.shows(t));
            let description = page
                .description
                .clone()
                .unwrap_or_else(|| plain_text(&page.body, &|t| self.p.shows(t), 110));
            let path = urls::page(&page.stem);
            let spec = PageSpec {
                path: &path,
                sources: Sources::record(Record::Page(page.stem.clone())),
                og_type: OgType::Website,
                title: page.title.clone(),
                description,
                crumbs: vec![],
            };
            let held_until = page.release.and_then(|t| HeldUntil::of(self.p, t));
            self.emit(spec, &PageView { body: html, held_until })?;
        }
        Ok(())
    }

    pub(in crate::render) fn data_page(&mut self) -> Result<(), RenderError> {
        let page = DataView {
            files: crate::render::data::describe_files(
                !self.p.programs.is_empty(),
                crate::render::data::breakdowns_shown(self.stats),
            ),
            license: &self.p.site.license,
        };
        let spec = PageSpec {
            path: urls::DATA,
            sources: Sources::all_of(&EVERY_KIND),
            og_type: OgType::Website,
            title: "オープンデータ".into(),
            description: "伴走支援チーム・支援官・支援先市町村の一覧と集計値を CSV と JSON で提供しています。".into(),
            crumbs: vec![],
        };
        self.emit(spec, &page)
    }

    /// The search page; `parts` are the index parts after the first, which it merges.
    pub(in crate::render) fn search_page(&mut self, parts: Vec<String>) -> Result<(), RenderError> {
        let spec = PageSpec {
            path: urls::SEARCH,
            sources: Sources::none(),
            og_type: OgType::Website,
            title: "サイト内検索".into(),
            description: "このサイトの報告やページを検索できます。".into(),
            crumbs: vec![],
        };
        // The navigation pages: what the menus lead to, then every published cohort's pages.
        let mut paths: Vec<String> = self.navigation().map(String::from).collect();
        paths.push(urls::COHORTS.into());
        for c in &self.p.cohorts {
            paths.extend([urls::cohort(c.no), urls::cohort_teams(c.no)]);
        }
        let table = shortcuts::shortcuts(&self.plan, &paths, &self.p.site.title);
        let shortcuts = shortcuts::to_json(&table);
        self.emit(spec, &SearchView { parts, shortcuts })
    }

    pub(in crate::render) fn not_found(&mut self) -> Result<(), RenderError> {
        let spec = PageSpec {
            path: urls::NOT_FOUND,
            sources: Sources::none(),
            og_type: OgType::Website,
            title: "ページが見つかりません".into(),
            description: "お探しのページは見つかりませんでした。".into(),
            crumbs: vec![],
        };
        self.emit(spec, &NotFoundView {})
    }
}
