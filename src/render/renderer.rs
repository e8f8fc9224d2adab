//! The page renderer: one [`Renderer`] walks the published view and hands each page family
//! (`pages/`, one file each) the layout and template machinery. `Renderer::all_pages` (in
//! `pages/mod.rs`) is the list of page families, in the order they are made; a family describes
//! each page with a [`PageSpec`] and its view, and [`Renderer::emit`] turns the two into a file
//! of the plan.

use std::sync::Arc;

use serde::Serialize;

use super::views::View;
use super::views::layout::{Crumb, Layout, MenuItem, SiteLinks, crumb, root_of};
use super::views::parts::TeamRows;
use super::{Plan, RenderError, Theme};
use crate::hash::Hash128;
use crate::model::urls::{self, BaseUrl};
use crate::model::{CohortNo, TeamNo};
use crate::publish::{Kind, Published, Sources};
use crate::stats::Stats;
use crate::time::Instant;

/// What the top and data pages sum up: the whole site.
pub(super) const EVERY_KIND: [Kind; 5] = [Kind::Cohorts, Kind::Teams, Kind::Reports, Kind::Programs, Kind::Pages];

/// What the lists of cohorts, prefectures and 課題分野 count: every cohort, team and report.
pub(super) const COHORT_KINDS: [Kind; 3] = [Kind::Cohorts, Kind::Teams, Kind::Reports];

pub(super) struct Renderer<'a, 'r> {
    pub(super) p: &'a Published<'r>,
    pub(super) stats: &'a Stats,
    theme: &'a Theme,
    /// The address the site is built for (site.yaml's, or `--base-url`).
    base: &'a BaseUrl,
    opts: super::Options,
    cache: Option<&'a super::PageCache>,
    /// With a page cache: what every page's layout is made from besides the page itself (the
    /// site, menus, preview, options, address, theme), hashed once a build.
    layout_key: u128,
    /// With a page cache: each published team's key (see [`Renderer::team_key`]), made before
    /// any page (making them lazily inside the parallel page tasks could re-enter the making on
    /// a worker that waits for its own part of it).
    team_keys: std::collections::HashMap<(CohortNo, TeamNo), TeamKeys>,
    pub(super) plan: Plan,
    menu: Vec<(String, String)>,
    footer: Vec<(String, String)>,
    /// When each published record last changed (a page's 「数値の更新」).
    changes: crate::publish::Changes,
    /// Every published team's row, made once (pages list them).
    pub(super) rows: TeamRows,
}

/// Pages (and their chart files) rendered but not yet added to the plan.
#[derive(Default)]
pub(super) struct Rendered {
    files: Vec<(String, Arc<Vec<u8>>)>,
    /// Each page's path, the records it is made from and when the last of them changed.
    sources: Vec<(String, Sources, Option<Instant>)>,
}

impl Rendered {
    pub(super) fn file(&mut self, path: String, bytes: Vec<u8>) {
        self.files.push((path, Arc::new(bytes)));
    }

    pub(super) fn merge(&mut self, other: Rendered) {
        self.files.extend(other.files);
        self.sources.extend(other.sources);
    }
}

impl<'a, 'r> Renderer<'a, 'r> {
    pub fn new(
        p: &'a Published<'r>,
        stats: &'a Stats,
        theme: &'a Theme,
        base: &'a BaseUrl,
        opts: super::Options,
        cache: Option<&'a super::PageCache>,
    ) -> Self {
        // The tasks readers come for first (the teams, by prefecture, by ministry, the data), then
        // the pages about the programme.
        let mut menu: Vec<(String, String)> = Vec::new();
        if let Some(c) = p.latest_roster() {
            menu.push(("チーム一覧".into(), urls::cohort_teams(c.no)));
        }
        menu.push(("都道府県別".into(), urls::PREFECTURES.into()));
        if !p.ministry_pages().is_empty() {
            menu.push(("府省庁等別".into(), urls::MINISTRIES.into()));
        }
        // A menu item leads to something: the 課題分野 and 報告 pages once there is one to show.
        if p.teams.iter().any(|t| !t.areas.is_empty()) {
            menu.push(("課題分野".into(), urls::ISSUE_AREAS.into()));
        }
        if !p.reports.is_empty() {
            menu.push(("報告".into(), urls::REPORTS.into()));
        }
        menu.push(("オープンデータ".into(), urls::DATA.into()));
        menu.extend(
            p.pages
                .iter()
                .filter(|pg| pg.order.is_some())
                .map(|pg| (pg.title.clone(), urls::page(&pg.stem))),
        );
        let footer = p
            .pages
            .iter()
            .map(|pg| (pg.title.clone(), urls::page(&pg.stem)))
            .collect();
        let layout_key = match cache {
            Some(_) => {
                // The as-of reaches the layout only as a preview's banner.
                let banner = p.preview.then(|| p.as_of.display_ja());
                let layout = (theme.fingerprint, p.site, &menu, &footer, banner, opts.search, base);
                Hash128::default().value(&layout).finish()
            }
            None => 0,
        };
        let rows = TeamRows::of(p);
        Renderer {
            p,
            stats,
            theme,
            base,
            opts,
            cache,
            layout_key,
            team_keys: match cache {
                Some(_) => team_keys(p, &rows),
                None => std::collections::HashMap::new(),
            },
            plan: Plan::default(),
            menu,
            footer,
            changes: crate::publish::Changes::of(p),
            rows,
        }
    }

    /// The pages the site's menus lead to (the menu, then the footer), as page paths: the
    /// search page's shortcuts start from these.
    pub(super) fn navigation(&self) -> impl Iterator<Item = &str> {
        self.menu.iter().chain(&self.footer).map(|(_, href)| href.as_str())
    }

    /// The pages (each with when its records last changed: the sitemap's dates).
    pub fn finish(self) -> Plan {
        self.plan
    }

    /// Every page family, in order: the page registry. Each call is a file of `pages/`; the
    /// search page is made last, by [`super::render`], from the index parts of these.
    pub(super) fn emit(&mut self, spec: PageSpec, page: &impl View) -> Result<(), RenderError> {
        let rendered = self.page(spec, page)?;
        self.accept(rendered)
    }

    /// Render pages in parallel (one per item), then add them in order.
    pub(super) fn emit_many<T: Sync>(
        &mut self,
        items: &[T],
        page: impl Fn(&Self, &T) -> Result<Rendered, RenderError> + Sync,
    ) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let this = &*self;
        let pages: Vec<Rendered> = items
            .par_iter()
            .map(|item| page(this, item))
            .collect::<Result<_, _>>()?;
        for p in pages {
            self.accept(p)?;
        }
        Ok(())
    }

    pub(super) fn accept(&mut self, r: Rendered) -> Result<(), RenderError> {
        for (file, bytes) in r.files {
            self.plan.add_shared(file, bytes)?;
        }
        for (path, sources, last) in r.sources {
            self.plan.add_sources(path, sources, last);
        }
        Ok(())
    }

    /// One page: layout, template, HTML. Needs only `&self`, so pages render in parallel.
    pub(super) fn page<V: View>(&self, spec: PageSpec, page: &V) -> Result<Rendered, RenderError> {
        let last = self.changes.last(&spec.sources);
        self.page_under(spec, page, last, None)
    }

    /// A page whose view is made only when the page cache has no page of the same inputs.
    ///
    /// `inputs` writes into the key everything the page's title, description, crumbs and view
    /// are made from besides its path and sources (records by their derived `Hash`, which takes
    /// every field, so a field added later is in the key without being listed; teams by
    /// [`Renderer::team_key`], or [`Renderer::row_key`] where the page shows none of their
    /// reports; what `Published` answers about them, such as `shows` for each link target of a
    /// body). The key adds the layout's inputs: [`Renderer::layout_key`], the
    /// template, the path and the page's 「更新」 date from its sources. Held records are not in
    /// the published view, and whether a target is shown is part of the key, so a page reused
    /// is the page a build from nothing would make (`tests/suite/incremental_property.rs`).
    /// Without a page cache, `make` is called at once.
    pub(super) fn page_from<V: View>(
        &self,
        path: &str,
        sources: Sources,
        inputs: impl FnOnce(&mut Hash128),
        make: impl FnOnce() -> (PageText, V),
    ) -> Result<Rendered, RenderError> {
        self.page_with_files_from(path, sources, inputs, |_| Ok(make()))
    }

    /// [`Renderer::page_from`] for a page made with files beside it (its charts, its data):
    /// `make` adds them to the [`Rendered`] it is given. The page is taken from the cache only
    /// with every one of its files, and its key must name what they are made from too.
    pub(super) fn page_with_files_from<V: View>(
        &self,
        path: &str,
        sources: Sources,
        inputs: impl FnOnce(&mut Hash128),
        make: impl FnOnce(&mut Rendered) -> Result<(PageText, V), RenderError>,
    ) -> Result<Rendered, RenderError> {
        let last = self.changes.last(&sources);
        let key = self.cache.map(|_| {
            let updated = last.map(|t| self.p.when(t));
            let mut w = Hash128::default();
            w.value(&(self.layout_key, V::TEMPLATE.file(), path, updated));
            inputs(&mut w);
            w.finish()
        });
        if let Some((cache, key)) = self.cache.zip(key) {
            if let Some((page, mut files)) = cache.get_with_files(key) {
                files.push((page_file(path), page));
                return Ok(Rendered {
                    files,
                    sources: vec![(path.to_string(), sources, last)],
                });
            }
        }
        let mut out = Rendered::default();
        let (text, view) = make(&mut out)?;
        if let Some((cache, key)) = self.cache.zip(key) {
            cache.put_files(key, &out.files);
        }
        let spec = PageSpec {
            path,
            sources,
            og_type: text.og_type,
            title: text.title,
            description: text.description,
            crumbs: text.crumbs,
        };
        out.merge(self.page_under(spec, &view, last, key)?);
        Ok(out)
    }

    /// Whether pages are reused from a page cache (`serve`, and `build` into its own output):
    /// keys are made only then.
    pub(super) fn caching(&self) -> bool {
        self.cache.is_some()
    }

    /// A published team's key for [`Renderer::page_from`] of a page that lists its reports
    /// (see [`team_keys`]).
    pub(super) fn team_key(&self, cohort: CohortNo, no: TeamNo) -> u128 {
        // Every published team has a key; 0 is only for a team that is not published, which no
        // page shows.
        self.team_keys.get(&(cohort, no)).map_or(0, |k| k.with_reports)
    }

    /// A published team's key for a page that shows its row but not its reports (a team list,
    /// a report's own page): a report edited leaves it as it was.
    pub(super) fn row_key(&self, cohort: CohortNo, no: TeamNo) -> u128 {
        self.team_keys.get(&(cohort, no)).map_or(0, |k| k.row)
    }

    /// A page whose sources last changed at `last`, under `key` when the caller made one.
    fn page_under<V: View>(
        &self,
        spec: PageSpec,
        page: &V,
        last: Option<Instant>,
        key: Option<u128>,
    ) -> Result<Rendered, RenderError> {
        let site = self.p.site;
        let is_404 = spec.path == urls::NOT_FOUND;
        let root = if is_404 {
            self.base.path().to_string()
        } else {
            root_of(spec.path)
        };
        let mut breadcrumbs = Vec::new();
        if !spec.path.is_empty() {
            breadcrumbs.push(crumb("ホーム", ""));
            breadcrumbs.extend(spec.crumbs);
            breadcrumbs.push(Crumb {
                name: spec.title.clone(),
                href: None,
            });
        }
        let current = |href: &str| !href.is_empty() && spec.path.starts_with(href);
        let items = |v: &[(String, String)]| {
            v.iter()
                .map(|(n, h)| MenuItem {
                    name: n.clone(),
                    href: h.clone(),
                    current: current(h),
                })
                .collect()
        };
        let links = SiteLinks::from(&root);
        let canonical = self.base.join(if is_404 { "" } else { spec.path });
        let updated = last.map(|t| self.p.when(t));
        let layout = Layout {
            site_title: site.title.clone(),
            publisher: site.publisher.clone(),
            license: site.license.clone(),
            root,
            path: spec.path.to_string(),
            print_footer: super::print::footer(&canonical, &site.publisher, &site.title, updated.as_deref()),
            canonical,
            head_title: if spec.path.is_empty() {
                site.title.clone()
            } else {
                format!("{}｜{}", spec.title, site.title)
            },
            title: spec.title,
            description: spec.description,
            breadcrumbs,
            menu: items(&self.menu),
            footer_pages: items(&self.footer),
            preview: self.p.preview.then(|| self.p.as_of.display_ja()),
            updated,
            is_home: spec.path.is_empty(),
            og_type: spec.og_type.as_str(),
            search_box: self.opts.search != super::Search::Off && spec.path != urls::SEARCH,
            links,
        };
        let (key, cached) = match key {
            // A key made by `page_from` was looked up there already.
            Some(k) => (Some(k), None),
            None => {
                let key = self
                    .cache
                    .map(|_| super::cache::key(self.theme.fingerprint, V::TEMPLATE.file(), &layout, page));
                (key, self.cache.zip(key).and_then(|(c, k)| c.get(k)))
            }
        };
        let file = page_file(spec.path);
        let bytes = match cached {
            Some(bytes) => bytes,
            None => {
                let ctx = tera_context(&layout, page);
                let html = self
                    .theme
                    .tera
                    .render(V::TEMPLATE.file(), &ctx)
                    .map_err(|e| RenderError::Template {
                        template: V::TEMPLATE.file().into(),
                        message: super::theme::error_chain(&e),
                    })?;
                let bytes = Arc::new(super::print::link_addresses(html, &layout.canonical).into_bytes());
                if let Some((c, k)) = self.cache.zip(key) {
                    c.put(k, &file, Arc::clone(&bytes));
                }
                bytes
            }
        };
        Ok(Rendered {
            files: vec![(file, bytes)],
            sources: vec![(spec.path.to_string(), spec.sources, last)],
        })
    }
}

/// A published team's two keys ([`team_keys`]).
#[derive(Clone, Copy)]
struct TeamKeys {
    /// The team with its members as published, its municipality, and its row as pages list it
    /// (ministry names and pages, its announcement as said).
    row: u128,
    /// `row` with its reports (their lines in lists, and their order among other teams').
    with_reports: u128,
}

/// Each published team's keys for [`Renderer::page_from`]. Made in parallel, once a build.
fn team_keys(p: &Published, rows: &TeamRows) -> std::collections::HashMap<(CohortNo, TeamNo), TeamKeys> {
    use rayon::prelude::*;
    p.teams
        .par_iter()
        .map(|t| {
            let mut w = Hash128::default();
            w.value(&(t, p.municipality(t.municipality)));
            // What the row says (names of its ministries, municipality and prefecture, when it
            // was announced) as the pages show it.
            keyed_json(&mut w, &*rows.row(p, t));
            let row = w.finish();
            let mut w = Hash128::default();
            w.value(&row);
            for r in p.reports_of(t.cohort, t.no) {
                report_line_key(&mut w, r);
            }
            let keys = TeamKeys {
                row,
                with_reports: w.finish(),
            };
            ((t.cohort, t.no), keys)
        })
        .collect()
}

/// What a report's line in a list ([`super::views::parts::ReportRef`]) is made from besides its
/// team's row (the municipality) and the as-of (in the layout's key): every field of the report
/// but its body, attachments and file, so a body edit leaves the lists that show it as they
/// were. Its order among other teams' reports follows from its date, release and stem. A field
/// added to `Report` must be placed here or among the ignored ones (the pattern names them all).
fn report_line_key(w: &mut Hash128, r: &crate::model::Report) {
    let crate::model::Report {
        cohort,
        team,
        stem,
        kind,
        title,
        date,
        release,
        summary,
        attachments: _,
        body: _,
        file: _,
    } = r;
    w.value(&(cohort, team, stem, kind, title, date, release, summary));
}

/// `value` as JSON into a key. A value that does not serialise gets a key no build made before,
/// so its pages are made again.
fn keyed_json(w: &mut Hash128, value: &impl Serialize) {
    if serde_json::to_writer(&mut *w, value).is_err() {
        // Random for each process (the standard library seeds each `RandomState` so), and
        // counted within one: neither an earlier run nor this one made it.
        use std::hash::{BuildHasher, Hasher};
        static UNIQUE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = UNIQUE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let seed = std::collections::hash_map::RandomState::new().build_hasher().finish();
        w.bytes(b"unkeyed").bytes(&seed.to_le_bytes()).bytes(&n.to_le_bytes());
    }
}

/// The file of the page at `path`.
fn page_file(path: &str) -> String {
    if path == urls::NOT_FOUND {
        urls::NOT_FOUND.to_string()
    } else {
        format!("{path}index.html")
    }
}

/// What a page says of itself besides its path and sources (see [`Renderer::page_from`]).
pub(super) struct PageText {
    pub og_type: OgType,
    pub title: String,
    pub description: String,
    pub crumbs: Vec<Crumb>,
}

/// One page to emit.
pub(super) struct PageSpec<'s> {
    pub path: &'s str,
    /// The published records the page is made from (its `<lastmod>`).
    pub sources: crate::publish::Sources,
    /// What the page is to a link preview (Open Graph `og:type`).
    pub og_type: OgType,
    pub title: String,
    pub description: String,
    pub crumbs: Vec<Crumb>,
}

/// Open Graph `og:type`: a report is an article, every other page the site's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OgType {
    Website,
    Article,
}

impl OgType {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            OgType::Website => "website",
            OgType::Article => "article",
        }
    }
}

/// `{"layout": …, "root": "../", "page": …}` for a template.
fn tera_context(layout: &Layout, page: &impl Serialize) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("layout", layout);
    ctx.insert("root", &layout.root);
    ctx.insert("page", page);
    ctx
}
