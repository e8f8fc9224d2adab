//! 読み込み — content/ → raw records, every file read once, every problem reported.
//!
//! Pipeline position: **`load`** → `validate` → `publish`. This phase knows the layout of
//! SPEC §2 and the YAML/front-matter syntax; it does not know what the values mean.

mod cache;
pub mod de;
pub mod encoding;
mod files;
mod fingerprint;
mod folders;
pub mod front_matter;
pub mod raw;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostics;
use raw::*;

pub use cache::Cache;
use files::{Files, io_err};
pub use fingerprint::fingerprint;

/// Text files larger than this are refused (content files are a few hundred KB at most).
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// One record read from a YAML file, with the file it came from.
#[derive(Debug)]
pub struct Rec<T> {
    pub file: Arc<str>,
    pub raw: T,
}

/// A YAML file holding a list of records (shared: `serve` keeps it between loads).
#[derive(Clone, Debug)]
pub struct Listed<T> {
    pub file: Arc<str>,
    pub items: Arc<[T]>,
    /// Items that could not be read (already reported).
    pub failed: usize,
}

/// A Markdown file: front matter and body. Loads hand them out behind an `Arc`: `serve`'s
/// rebuilds take every unchanged file from the last load without copying it.
#[derive(Clone, Debug)]
pub struct MdFile<T> {
    pub file: Arc<str>,
    pub stem: String,
    pub front: T,
    pub body: String,
    pub body_line: u32,
}

/// `cohorts/<n>/`
#[derive(Debug)]
pub struct CohortDir {
    /// The folder name, which must be the cohort number.
    pub name: String,
    pub dir: Arc<str>,
    pub cohort: Option<Rec<RawCohort>>,
    pub teams: Option<Listed<RawTeam>>,
    /// teams.yaml exists but could not be read (already reported).
    pub teams_unreadable: bool,

    pub applications: Option<Listed<RawApplication>>,
    pub reports: Vec<Arc<MdFile<RawReport>>>,
}

/// A file under content/assets/.
#[derive(Debug, Clone)]
pub struct AssetFile {
    /// Path under assets/, `/`-separated.
    pub rel: String,
    pub source: PathBuf,
    pub size: u64,
    /// A symbolic link, as the folder listing says.
    pub link: bool,
}

/// Everything read from a content directory.
#[derive(Debug)]
pub struct RawContent {
    pub root: PathBuf,
    pub site: Option<Rec<RawSite>>,
    pub ministries: Option<Listed<RawMinistry>>,
    pub municipalities: Option<Listed<RawMunicipality>>,
    pub cohorts: Vec<CohortDir>,
    pub pages: Vec<Arc<MdFile<RawPage>>>,
    pub programs: Vec<Named<RawProgram>>,
    pub assets: Vec<AssetFile>,
}

/// A YAML record whose file stem is its id (`programs/<id>.yaml`).
#[derive(Debug)]
pub struct Named<T> {
    pub file: Arc<str>,
    pub stem: String,
    pub raw: T,
}

/// Operational failure while loading (the content dir cannot be read at all).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("コンテンツのフォルダ {0} がありません（--content で指定してください）")]
    Missing(PathBuf),
    #[error("{path} を読めません: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Read the content directory at `root`.
pub fn load_content(root: &Path, diags: &mut Diagnostics) -> Result<RawContent, LoadError> {
    load_content_cached(root, diags, None)
}

/// [`load_content`], reusing the Markdown files of `cache` that have not changed.
pub fn load_content_cached(
    root: &Path,
    diags: &mut Diagnostics,
    cache: Option<&Cache>,
) -> Result<RawContent, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::Missing(root.to_path_buf()));
    }
    let real_root = std::fs::canonicalize(root).map_err(io_err(root))?;
    if let Some(c) = cache {
        c.begin_load();
    }
    let mut r = Reader {
        root,
        diags,
        cache,
        files: Files { real_root: &real_root },
    };
    let site = r
        .yaml_file::<RawSite>("site.yaml", true)
        .map(|(file, raw)| Rec { file, raw });
    let ministries = r.list_file::<RawMinistry>("ministries.yaml", true);
    // The municipality list (1,741 records, the largest file of a small site) is read while the
    // cohorts are; each side collects its own problems, reported in the order of a serial read.
    let (municipalities, rest) = r.join(
        |r| r.list_file::<RawMunicipality>("municipalities.yaml", true),
        |r| {
            let cohorts = r.cohorts()?;
            let pages = r.md_dir::<RawPage>("pages")?;
            let programs = r.programs()?;
            let assets = r.assets()?;
            Ok::<_, LoadError>((cohorts, pages, programs, assets))
        },
    );
    let (cohorts, pages, programs, assets) = rest?;

    r.stray_top_level()?;
    Ok(RawContent {
        root: root.to_path_buf(),
        site,
        ministries,
        municipalities,
        cohorts,
        pages,
        programs,
        assets,
    })
}

struct Reader<'a> {
    root: &'a Path,
    diags: &'a mut Diagnostics,
    cache: Option<&'a Cache>,
    files: Files<'a>,
}

impl Reader<'_> {
    /// `a` and `b` at once, each reading the same content into problems of its own, which are
    /// then reported in the order of a serial read (`a`'s, then `b`'s).
    fn join<A: Send, B: Send>(
        &mut self,
        a: impl FnOnce(&mut Reader<'_>) -> A + Send,
        b: impl FnOnce(&mut Reader<'_>) -> B + Send,
    ) -> (A, B) {
        let (root, cache, files) = (self.root, self.cache, self.files);
        let reader = |diags| Reader {
            root,
            diags,
            cache,
            files,
        };
        let (mut diags_a, mut diags_b) = (Diagnostics::new(), Diagnostics::new());
        let out = rayon::join(|| a(&mut reader(&mut diags_a)), || b(&mut reader(&mut diags_b)));
        self.diags.absorb(diags_a);
        self.diags.absorb(diags_b);
        out
    }
}

#[cfg(test)]
mod tests;
