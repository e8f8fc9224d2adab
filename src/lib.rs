//! banso — builds the public website of 地方創生伴走支援制度 from YAML records and Markdown.
//!
//! The pipeline, one module per phase:
//! ```text
//! content/ ─load─▶ RawContent ─validate─▶ Registry ─publish(as_of)─▶ Published
//!          ─aggregate─▶ Stats ─render(theme)─▶ Plan ─write─▶ output/
//! ```
//! Everything after `publish` takes only the published view, so a held-back record cannot
//! reach a page, a count or a file.

#![forbid(unsafe_code)]

pub mod cli;
pub mod cmd;
pub mod compare;
pub mod diag;
pub mod hash;
pub mod hook;
pub mod import;
pub mod kept;
pub mod load;
pub mod model;
pub mod output;
pub mod publish;
pub mod release;
pub mod render;
pub mod serve;
pub mod stats;
pub mod time;
pub mod timing;

use std::path::Path;

use diag::Diagnostics;
use model::Registry;
use model::urls::BaseUrl;
use render::{Plan, Theme};
use time::Instant;
use timing::timed;

/// An operational failure: what banso could not do, as opposed to what is wrong in content.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] load::LoadError),
    #[error(transparent)]
    Theme(#[from] render::theme::ThemeError),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error(transparent)]
    Output(#[from] output::OutputError),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error(transparent)]
    Serve(#[from] serve::ServeError),
}

/// load + validate: every problem of the content directory goes into `diags`.
pub fn load_registry(content: &Path, diags: &mut Diagnostics) -> Result<Registry, Error> {
    load_registry_with(content, diags, None)
}

/// [`load_registry`], reusing the files and reports of `caches` that have not changed (`serve`).
pub fn load_registry_with(content: &Path, diags: &mut Diagnostics, caches: Option<&Caches>) -> Result<Registry, Error> {
    load_content_and_registry(content, diags, caches.map(|c| &c.load), caches.map(|c| &c.checked)).map(|(_, reg)| reg)
}

/// The content as read and as validated: `import` needs both, to keep from the records as
/// written what a roster does not carry.
pub fn load_content_and_registry(
    content: &Path,
    diags: &mut Diagnostics,
    cache: Option<&load::Cache>,
    memo: Option<&model::validate::Memo>,
) -> Result<(load::RawContent, Registry), Error> {
    let raw = timed("load", || load::load_content_cached(content, diags, cache))?;
    let reg = timed("validate", || model::validate::validate_with(&raw, diags, memo));
    Ok((raw, reg))
}

/// What `serve` keeps between rebuilds: the Markdown files as read, the reports as validated
/// and the pages as rendered.
#[derive(Default)]
pub struct Caches {
    pub load: load::Cache,
    pub checked: model::validate::Memo,
    pub pages: render::PageCache,
}

/// What to build: the instant, whether it is a 非公開プレビュー, and what to include.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub as_of: Instant,
    pub preview: bool,
    /// The address the site is built for, when not site.yaml's (`--base-url`, `serve`).
    pub base_url: Option<BaseUrl>,
    pub render: render::Options,
}

impl SiteOptions {
    /// The public site at `as_of`, with everything included.
    pub fn at(as_of: Instant) -> Self {
        SiteOptions {
            as_of,
            preview: false,
            base_url: None,
            render: render::Options::default(),
        }
    }
}

/// A site rendered in memory, and what its build held back.
#[derive(Debug)]
pub struct Built {
    pub plan: Plan,
    pub holdback: publish::Holdback,
}

/// publish + aggregate + render: the site at `opts.as_of`, in memory.
pub fn render_site(reg: &Registry, opts: SiteOptions, theme: &Theme) -> Result<Built, Error> {
    render_site_with(reg, opts, theme, render::Reuse::default())
}

/// [`render_site`], reusing what `reuse` holds of earlier builds (`serve`, `build`).
pub fn render_site_with(
    reg: &Registry,
    opts: SiteOptions,
    theme: &Theme,
    reuse: render::Reuse<'_>,
) -> Result<Built, Error> {
    let release = timed("publish", || publish::publish(reg, opts.as_of, opts.preview));
    let published = &release.published;
    let stats = timed("aggregate", || stats::aggregate(published, &release.attributes));
    let base = opts.base_url.as_ref().unwrap_or(&reg.site.base_url);
    let plan = render::render(published, &stats, theme, base, opts.render, reuse)?;
    Ok(Built {
        plan,
        holdback: release.holdback,
    })
}
