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
pub mod diag;
pub mod import;
pub mod links;
pub mod load;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod serve;
pub mod stats;
pub mod time;

use std::path::Path;

use diag::Diagnostics;
use model::Registry;
use render::{Plan, Theme};
use time::Instant;

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
    let raw = timed("load", || load::load_content(content, diags))?;
    Ok(timed("validate", || model::validate::validate(&raw, diags)))
}

/// publish + aggregate + render: the site at `as_of`, in memory.
pub fn render_site(reg: &Registry, as_of: Instant, preview: bool, theme: &Theme) -> Result<Plan, Error> {
    let published = timed("publish", || publish::publish(reg, as_of, preview));
    let stats = timed("aggregate", || stats::aggregate(&published));
    Ok(render::render(&published, &stats, theme)?)
}

/// With `BANSO_TIMINGS` set, print how long a phase took to stderr (for profiling builds).
pub fn timed<T>(phase: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("BANSO_TIMINGS").is_none() {
        return f();
    }
    let started = std::time::Instant::now();
    let out = f();
    eprintln!("timing {phase}: {:.3}s", started.elapsed().as_secs_f64());
    out
}
