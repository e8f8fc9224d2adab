//! 出力の組み立て — published view + figures + theme → a [`Plan`] of files, in memory.
//!
//! Pipeline position: `aggregate` → **`render`** → `write`. Pure: nothing here touches disk, so
//! `check` can run everything up to here and `serve` can serve the plan from memory.
//!
//! Where things are:
//!
//! - `mod.rs` — [`render`], the whole build in order; [`Plan`], [`Blob`], [`RenderError`],
//!   [`Options`], [`Search`].
//! - `renderer.rs` — the `Renderer` every page goes through: menu, layout, template, page cache;
//!   `PageSpec`.
//! - `pages/` — `mod.rs` lists the page families (`all_pages`, in the order they are made), one
//!   file per family, each an `impl Renderer` block: `home.rs` (top page,
//!   お知らせ), `fixed.rs` (pages from pages/, 404, search, data), `cohort.rs` (/cohorts/),
//!   `team_list.rs` (/cohorts/N/teams/), `prefecture.rs` (/prefectures/ and the tile map),
//!   `municipality.rs`, `ministry.rs`, `issue_area.rs` (課題分野), `report.rs`, `program.rs`.
//! - `views/` — what a template receives: `mod.rs` one struct per template, `layout.rs` what
//!   every page shares (`layout`, breadcrumbs, menu), `parts.rs` what several views share
//!   (team rows, report links, headline figures, charts, the tile map).
//! - `charts/` — a chart as SVG, CSV, table and JSON; `emit.rs` writes a page's chart files.
//! - `data/` — /data/: the open-data CSV and JSON files and summary.json.
//! - `search.rs` (Pagefind index), `shortcuts.rs` (the search page's table of navigation pages),
//!   `xml.rs` (feed, sitemap), `markdown.rs`, `theme.rs`,
//!   `tilemap.rs`, `colors.rs`, `cache.rs` (pages reused by `serve`, and by
//!   `build` from the output it replaces), `minify.rs` (`--minify`,
//!   after everything else).

mod cache;
pub mod charts;
pub mod colors;
mod data;
pub mod markdown;
mod minify;
mod pages;
mod print;
mod renderer;
pub mod search;
mod shortcuts;
pub mod theme;
pub mod tilemap;
mod views;
mod xml;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::urls::{self, BaseUrl};
use crate::publish::{Published, Sources};
use crate::stats::Stats;
use crate::time::Instant;
pub use theme::Theme;
pub use xml::escape;

/// What goes into one output file: bytes made here, or a content file copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blob {
    /// Shared, so a page `serve` keeps from its last build goes into the next without a copy.
    Bytes(Arc<Vec<u8>>),
    /// An asset under content/assets/, copied by `write`.
    Copy(PathBuf),
}

/// Every file of a build: output path (relative, `/`-separated) → contents, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    files: BTreeMap<String, Blob>,
    /// Page path (`cohorts/2/`) → the published records the page is made from, and when the
    /// last of them changed (`Changes::last`, found once while the page is made).
    sources: BTreeMap<String, (Sources, Option<Instant>)>,
}

impl Plan {
    /// Add a file; two things writing one path is a bug or a content collision.
    pub fn add(&mut self, path: impl Into<String>, bytes: Vec<u8>) -> Result<(), RenderError> {
        self.add_blob(path.into(), Blob::Bytes(Arc::new(bytes)))
    }

    /// Add a file whose bytes are shared with another plan (a page kept by `serve`).
    pub(crate) fn add_shared(&mut self, path: String, bytes: Arc<Vec<u8>>) -> Result<(), RenderError> {
        self.add_blob(path, Blob::Bytes(bytes))
    }

    pub(crate) fn add_blob(&mut self, path: String, blob: Blob) -> Result<(), RenderError> {
        // Whatever a record says, nothing may be written outside the output directory.
        if !inside_output(&path) {
            return Err(RenderError::UnsafePath(path));
        }
        if self.files.contains_key(&path) {
            return Err(RenderError::Collision(path));
        }
        self.files.insert(path, blob);
        Ok(())
    }

    /// Record that the page at `path` is made from `sources`, the last of which changed at
    /// `last`.
    pub(crate) fn add_sources(&mut self, path: String, sources: Sources, last: Option<Instant>) {
        self.sources.insert(path, (sources, last));
    }

    /// The published records the page at `path` (`cohorts/2/`) is made from.
    pub fn sources(&self, path: &str) -> Option<&Sources> {
        self.sources.get(path).map(|(s, _)| s)
    }

    /// When the last of the records the page at `path` is made from changed.
    pub fn last_change(&self, path: &str) -> Option<Instant> {
        self.sources.get(path).and_then(|(_, last)| *last)
    }

    pub fn files(&self) -> &BTreeMap<String, Blob> {
        &self.files
    }

    /// The bytes of a file made by render (`None` for copied assets and missing paths).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            Blob::Bytes(b) => Some(b.as_slice()),
            Blob::Copy(_) => None,
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Whether `path` names a file under the output directory: relative, `/`-separated, without
/// empty, `.` or `..` parts, backslashes or NULs.
pub(crate) fn inside_output(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("二つのものが同じ出力先 {0} に書こうとしています")]
    Collision(String),
    #[error("出力先 {0} は出力フォルダの外を指すため書き出しません")]
    UnsafePath(String),
    #[error("テンプレート {template} の処理に失敗しました: {message}")]
    Template { template: String, message: String },
    #[error("データファイル {0} を作れません: {1}")]
    Data(String, String),
    #[error("{path} を縮小できません（--minify）: {message}")]
    Minify { path: String, message: String },
}

/// What a build includes beyond the pages every site has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub search: Search,
    /// Minify pages, CSS and JS as the last step (`build --minify`, site.yaml `minify: true`);
    /// the search index of [`Search::Full`] is made before, from the pages as rendered.
    /// `serve` and `diff` leave it off.
    pub minify: bool,
}

/// Site search: the search page, the header search box and the Pagefind index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Search {
    /// All of it.
    #[default]
    Full,
    /// The page and the box; the caller makes the index from the plan with
    /// [`search::search_index_with`] (`serve` in the background, `build` while the pages are
    /// written).
    Deferred,
    /// None of it (`--no-search`: the index is most of a large build's time).
    Off,
}

pub use cache::PageCache;

/// What a build may take from earlier ones instead of making it again: pages whose inputs are
/// unchanged (`serve` in memory, `build` from its output by a manifest on disk), and parts of
/// the search index whose pages are unchanged (`serve` in memory, `build` on disk). Either way
/// the result is what a build from nothing makes.
#[derive(Clone, Copy, Default)]
pub struct Reuse<'a> {
    pub pages: Option<&'a PageCache>,
    pub index: Option<&'a search::PartCache>,
}

/// Render the whole site, reusing what `reuse` holds.
pub fn render(
    p: &Published,
    stats: &Stats,
    theme: &Theme,
    base: &BaseUrl,
    opts: Options,
    reuse: Reuse<'_>,
) -> Result<Plan, RenderError> {
    let cache = reuse.pages;
    let mut r = crate::timing::timed("renderer", || {
        renderer::Renderer::new(p, stats, theme, base, opts, cache)
    });
    crate::timing::timed("render pages", || r.all_pages())?;
    if opts.search != Search::Off {
        let parts = crate::timing::timed("search page", || search::extra_parts(&r.plan));
        r.search_page(parts)?;
    }
    let mut plan = r.finish();
    if opts.search == Search::Full {
        for (path, bytes) in crate::timing::timed("search index", || search::search_index_with(&plan, reuse.index))? {
            plan.add(path, bytes)?;
        }
    }
    crate::timing::timed("data files", || data::render_data(p, stats, &mut plan))?;
    crate::timing::timed("xml", || xml::render_xml(p, base, &mut plan))?;

    for (path, bytes) in &theme.statics {
        plan.add(format!("{}{path}", urls::STATIC), bytes.clone())?;
    }
    for (path, asset) in &p.assets {
        plan.add_blob(urls::asset(path), Blob::Copy(asset.source.clone()))?;
    }
    if opts.minify {
        crate::timing::timed("minify", || minify::minify_plan(&mut plan))?;
    }
    if let Some(c) = cache {
        crate::timing::timed("finish", || c.finish_build());
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output_directory() {
        let mut plan = Plan::default();
        for bad in ["../x", "a/../../x", "/etc/passwd", "a//b", "a\\b", "", "a/./b"] {
            assert!(
                matches!(plan.add(bad, vec![]), Err(RenderError::UnsafePath(_))),
                "{bad}"
            );
        }
        plan.add("reports/1/x/index.html", vec![1]).unwrap();
        assert!(matches!(
            plan.add("reports/1/x/index.html", vec![2]),
            Err(RenderError::Collision(_))
        ));
    }
}
