//! 読み込み — content/ → raw records, every file read once, every problem reported.
//!
//! Pipeline position: **`load`** → `validate` → `publish`. This phase knows the layout of
//! SPEC §2 and the YAML/front-matter syntax; it does not know what the values mean.

pub mod de;
pub mod encoding;
pub mod front_matter;
pub mod raw;
pub mod yaml;

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Diagnostics, Pos, Span};
use de::{Lenient, Sink};
use encoding::Encoding;
use raw::*;

/// Text files larger than this are refused (content files are a few hundred KB at most).
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// One record read from a YAML file, with the file it came from.
#[derive(Debug)]
pub struct Rec<T> {
    pub file: Arc<str>,
    pub raw: T,
}

/// A YAML file holding a list of records.
#[derive(Debug)]
pub struct Listed<T> {
    pub file: Arc<str>,
    pub items: Vec<T>,
    /// Items that could not be read (already reported).
    pub failed: usize,
}

/// A Markdown file: front matter and body.
#[derive(Clone, Debug)]
pub struct MdFile<T> {
    pub file: Arc<str>,
    pub stem: String,
    pub front: T,
    pub body: String,
    pub body_line: u32,
}

/// cohorts/<n>/
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
    pub reports: Vec<MdFile<RawReport>>,
}

/// A file under content/assets/.
#[derive(Debug, Clone)]
pub struct AssetFile {
    /// Path under assets/, `/`-separated.
    pub rel: String,
    pub source: PathBuf,
    pub size: u64,
}

/// Everything read from a content directory.
#[derive(Debug)]
pub struct RawContent {
    pub root: PathBuf,
    pub site: Option<Rec<RawSite>>,
    pub ministries: Option<Listed<RawMinistry>>,
    pub municipalities: Option<Listed<RawMunicipality>>,
    pub cohorts: Vec<CohortDir>,
    pub pages: Vec<MdFile<RawPage>>,
    pub programs: Vec<Named<RawProgram>>,
    pub assets: Vec<AssetFile>,
}

/// A YAML record whose file stem is its id (programs/<id>.yaml).
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

/// Markdown files as read by an earlier load, reused while a file's bytes are the same.
/// `serve` keeps one between rebuilds, so an edit re-parses one file, not every report;
/// `build` reads everything afresh.
#[derive(Default)]
pub struct Cache {
    md: Mutex<HashMap<PathBuf, Cached>>,
}

/// A 128-bit SipHash of a file's bytes. Hashing is cheap next to parsing, and unlike size and
/// modification time it cannot miss an edit that keeps both (coarse clocks, tools that restore
/// timestamps).
type Stamp = u128;

struct Cached {
    stamp: Stamp,
    /// `(Diagnostics, Option<MdFile<T>>)` for the `T` the file was read as.
    read: Arc<dyn Any + Send + Sync>,
}

impl Cache {
    /// `None` for a file that cannot be read or is too large to cache (reading it then reports
    /// the problem).
    fn stamp(path: &Path) -> Option<Stamp> {
        if std::fs::metadata(path).ok()?.len() > MAX_TEXT_BYTES {
            return None;
        }
        Some(crate::hash::of(&std::fs::read(path).ok()?))
    }

    fn get<T: 'static + Clone + Send + Sync>(
        &self,
        path: &Path,
        stamp: Stamp,
    ) -> Option<(Diagnostics, Option<MdFile<T>>)> {
        let map = self.md.lock().unwrap_or_else(|e| e.into_inner());
        let hit = map.get(path).filter(|c| c.stamp == stamp)?;
        hit.read.downcast_ref::<(Diagnostics, Option<MdFile<T>>)>().cloned()
    }

    /// Remember what was read from `path`, stamped as it was *before* reading (a change made
    /// while reading then still counts as a change at the next load).
    fn put<T: 'static + Clone + Send + Sync>(
        &self,
        path: &Path,
        stamp: Stamp,
        read: &(Diagnostics, Option<MdFile<T>>),
    ) {
        let mut map = self.md.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(
            path.to_path_buf(),
            Cached {
                stamp,
                read: Arc::new(read.clone()),
            },
        );
    }
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
    let seen = Mutex::new(HashMap::new());
    let mut r = Reader {
        root,
        diags,
        cache,
        files: Files {
            real_root: &real_root,
            seen: &seen,
        },
    };
    let site = r
        .yaml_file::<RawSite>("site.yaml", true)
        .map(|(file, raw)| Rec { file, raw });
    let ministries = r.list_file::<RawMinistry>("ministries.yaml", true);
    let municipalities = r.list_file::<RawMunicipality>("municipalities.yaml", true);
    let cohorts = r.cohorts()?;
    let pages = r.md_dir::<RawPage>("pages")?;
    let programs = r.programs()?;
    let assets = r.assets()?;

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

/// Where the files read so far really are: every content file must lie inside content/ once
/// symlinks are resolved, and no file may be read twice under two names (SPEC §3), or one
/// record could stand in two places (a held one among them).
#[derive(Clone, Copy)]
struct Files<'a> {
    real_root: &'a Path,
    /// Real path → the name it was first read under.
    seen: &'a Mutex<HashMap<PathBuf, Arc<str>>>,
}

impl Files<'_> {
    /// `None` when `full` (read as `rel`) may be read; otherwise the problem.
    fn refuse(&self, rel: &Arc<str>, full: &Path) -> Option<Diagnostic> {
        let Ok(real) = std::fs::canonicalize(full) else {
            return None; // reading it reports the problem
        };
        if !real.starts_with(self.real_root) {
            return Some(
                Diagnostic::error(
                    Span::file(rel),
                    "このファイルは content/ の外を指すシンボリックリンクです",
                )
                .with_help("ファイルそのものを content/ の中に置いてください"),
            );
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match seen.get(&real) {
            Some(first) if first != rel => Some(
                Diagnostic::error(
                    Span::file(rel),
                    format!("このファイルは {first} と同じファイルです（シンボリックリンク）"),
                )
                .with_help(
                    "一つの記録は一つのファイルにだけ書いてください。リンクを消して、必要なら内容を複製してください",
                ),
            ),
            _ => {
                seen.insert(real, Arc::clone(rel));
                None
            }
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Entries of a directory, sorted by name, dot-files left out.
fn sorted_entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, LoadError> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let e = e.map_err(io_err(dir))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            v.push((name, e.path()));
        }
    }
    v.sort();
    Ok(v)
}

impl Reader<'_> {
    /// Read a text file as UTF-8 (BOM removed, CRLF → LF); problems are diagnostics.
    fn text(&mut self, rel: &str) -> Option<(Arc<str>, Arc<str>)> {
        let path: Arc<str> = Arc::from(rel);
        if let Some(d) = self.files.refuse(&path, &self.root.join(rel)) {
            self.diags.push(d);
            return None;
        }
        self.read_text(path)
    }

    /// [`Reader::text`] of a file whose place was already checked.
    fn read_text(&mut self, path: Arc<str>) -> Option<(Arc<str>, Arc<str>)> {
        let full = self.root.join(&*path);
        let size = std::fs::metadata(&full).map(|m| m.len()).unwrap_or(0);
        if size > MAX_TEXT_BYTES {
            self.diags.push(
                Diagnostic::error(
                    Span::file(&path),
                    format!("ファイルが大きすぎます（{size} バイト、上限 {MAX_TEXT_BYTES} バイト）"),
                )
                .with_help("ファイルを分けるか、不要な部分を取り除いてください"),
            );
            return None;
        }
        let bytes = match std::fs::read(&full) {
            Ok(b) => b,
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    Span::file(&path),
                    format!("ファイルを読めません: {e}"),
                ));
                return None;
            }
        };
        match encoding::decode(&bytes) {
            Some((text, Encoding::Utf8)) => {
                // CRLF (Windows) and lone CR (old Mac) line ends both become LF, so the line
                // numbers of the YAML reader and of the quoted source lines agree.
                let text: Arc<str> = Arc::from(text.replace("\r\n", "\n").replace('\r', "\n").as_str());

                self.diags.add_source(&path, &text);
                Some((path, text))
            }
            other => {
                let line = encoding::first_non_utf8_line(&bytes);
                let message = match other {
                    Some((_, encoding)) => format!("ファイルが UTF-8 ではなく {} で保存されています", encoding.name()),
                    None => "ファイルが UTF-8 ではありません（文字コードを判別できません）".to_string(),
                };
                self.diags.push(
                    Diagnostic::error(Span::new(&path, Pos::new(line, 1, 0)), message)
                        .with_help("エディタで文字コードを UTF-8 にして保存し直してください"),
                );
                None
            }
        }
    }

    /// Parse a YAML text; a syntax error is a diagnostic.
    fn parse(&mut self, path: &Arc<str>, yaml: &str, line_offset: u32) -> Option<yaml::Node> {
        match yaml::parse(yaml) {
            Ok(mut node) => {
                if line_offset > 0 {
                    shift(&mut node, line_offset);
                }
                Some(node)
            }
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(Span::new(path, e.pos.shifted(line_offset)), e.message)
                        .with_help("YAML の書き方（インデント、「キー: 値」、引用符）を確認してください"),
                );
                None
            }
        }
    }

    fn read_node<T: DeserializeOwned>(&mut self, path: &Arc<str>, node: &yaml::Node) -> Option<T> {
        let sink = Sink::default();
        let value = de::from_node::<T>(node, &sink);
        for issue in sink.into_issues() {
            let d = Diagnostic::error(Span::new(path, issue.pos), issue.message)
                .with_suggestion(issue.suggestion.as_deref());
            self.diags.push(match issue.help {
                Some(help) => d.with_help(help),
                None => d,
            });
        }
        value
    }

    fn yaml_file<T: DeserializeOwned>(&mut self, rel: &str, required: bool) -> Option<(Arc<str>, T)> {
        if !self.root.join(rel).is_file() {
            if required {
                let path: Arc<str> = Arc::from(rel);
                self.diags.push(
                    Diagnostic::error(Span::file(&path), format!("{rel} がありません"))
                        .with_help("SPEC の「コンテンツの構成」に沿ってこのファイルを作ってください"),
                );
            }
            return None;
        }
        let (path, text) = self.text(rel)?;
        let node = self.parse(&path, &text, 0)?;
        if node.value == yaml::Value::Null {
            self.diags
                .push(Diagnostic::error(Span::file(&path), "ファイルが空です").with_help("項目を書いてください"));
            return None;
        }
        let value = self.read_node::<T>(&path, &node)?;
        Some((path, value))
    }

    fn list_file<T: DeserializeOwned>(&mut self, rel: &str, required: bool) -> Option<Listed<T>> {
        let (file, items) = self.yaml_file::<Vec<Lenient<T>>>(rel, required)?;
        let total = items.len();
        let items: Vec<T> = items.into_iter().filter_map(|l| l.0).collect();
        Some(Listed {
            file,
            failed: total - items.len(),
            items,
        })
    }

    fn cohorts(&mut self) -> Result<Vec<CohortDir>, LoadError> {
        let dir = self.root.join("cohorts");
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (name, path) in sorted_entries(&dir)? {
            let rel = format!("cohorts/{name}");
            if !path.is_dir() {
                self.stray(
                    &rel,
                    "cohorts/ の中には期ごとのフォルダ（cohorts/2/ など）だけを置いてください",
                );
                continue;
            }
            let cohort = self
                .yaml_file::<RawCohort>(&format!("{rel}/cohort.yaml"), true)
                .map(|(file, raw)| Rec { file, raw });
            let teams = self.list_file::<RawTeam>(&format!("{rel}/teams.yaml"), false);
            let teams_unreadable = teams.is_none() && path.join("teams.yaml").is_file();

            let applications = self.list_file::<RawApplication>(&format!("{rel}/applications.yaml"), false);
            let reports = self.md_dir::<RawReport>(&format!("{rel}/reports"))?;
            for (entry, p) in sorted_entries(&path)? {
                if !matches!(
                    entry.as_str(),
                    "cohort.yaml" | "teams.yaml" | "applications.yaml" | "reports"
                ) {
                    let hint = if p.is_dir() {
                        "報告は reports/ に置いてください"
                    } else {
                        "期のフォルダに置けるのは cohort.yaml、teams.yaml、applications.yaml、reports/ です"
                    };
                    self.stray(&format!("{rel}/{entry}"), hint);
                }
            }
            out.push(CohortDir {
                name,
                dir: Arc::from(rel.as_str()),
                cohort,
                teams,
                teams_unreadable,
                applications,

                reports,
            });
        }
        Ok(out)
    }

    /// Every `*.md` of a folder, front matter read as `T`. Files are read and parsed in
    /// parallel, each into its own collector; results and problems are merged in name order.
    fn md_dir<T>(&mut self, rel_dir: &str) -> Result<Vec<MdFile<T>>, LoadError>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        use rayon::prelude::*;
        let dir = self.root.join(rel_dir);
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let (root, cache, files) = (self.root, self.cache, self.files);
        let read: Vec<(Diagnostics, Option<MdFile<T>>)> = sorted_entries(&dir)?
            .par_iter()
            .map(|(name, path)| {
                // Checked before the cache, so a file that became a link is refused at once.
                let rel: Arc<str> = Arc::from(format!("{rel_dir}/{name}").as_str());
                if let Some(d) = files.refuse(&rel, path) {
                    let mut diags = Diagnostics::new();
                    diags.push(d);
                    return (diags, None);
                }
                let cached = cache.and_then(|c| Some((c, Cache::stamp(path)?)));
                if let Some(hit) = cached.and_then(|(c, stamp)| c.get::<T>(path, stamp)) {
                    return hit;
                }
                let mut diags = Diagnostics::new();
                let mut reader = Reader {
                    root,
                    diags: &mut diags,
                    cache: None,
                    files,
                };
                let file = reader.md_file(&format!("{rel_dir}/{name}"), name, path);
                let read = (diags, file);
                if let Some((c, stamp)) = cached {
                    c.put(path, stamp, &read);
                }
                read
            })
            .collect();
        let mut out = Vec::with_capacity(read.len());
        for (diags, file) in read {
            self.diags.absorb(diags);
            out.extend(file);
        }
        Ok(out)
    }

    /// One `*.md` file (anything else in a Markdown folder is a stray).
    fn md_file<T: DeserializeOwned>(&mut self, rel: &str, name: &str, path: &Path) -> Option<MdFile<T>> {
        let Some(stem) = name.strip_suffix(".md").filter(|_| path.is_file()) else {
            self.stray(
                rel,
                "このフォルダには Markdown（.md）のファイルだけを置いてください。画像や PDF は assets/ へ",
            );
            return None;
        };
        let (file, text) = self.read_text(Arc::from(rel))?;
        let split = match front_matter::split(&text) {
            Ok(s) => s,
            Err(e) => {
                self.diags
                    .push(Diagnostic::error(Span::new(&file, e.pos), e.message).with_help(e.help));
                return None;
            }
        };
        let node = self.parse(&file, split.yaml, split.yaml_line_offset)?;
        if node.value == yaml::Value::Null {
            self.diags.push(
                Diagnostic::error(Span::file(&file), "front matter が空です")
                    .with_help("title: などの項目を書いてください"),
            );
            return None;
        }
        let front = self.read_node::<T>(&file, &node)?;
        Some(MdFile {
            file,
            stem: stem.to_string(),
            front,
            body: split.body.to_string(),
            body_line: split.body_line,
        })
    }

    /// programs/*.yaml
    fn programs(&mut self) -> Result<Vec<Named<RawProgram>>, LoadError> {
        let dir = self.root.join("programs");
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (name, path) in sorted_entries(&dir)? {
            let rel = format!("programs/{name}");
            let Some(stem) = name.strip_suffix(".yaml").filter(|_| path.is_file()) else {
                self.stray(
                    &rel,
                    "programs/ には事業ごとの YAML（digital-2025.yaml など）だけを置いてください",
                );
                continue;
            };
            if let Some((file, raw)) = self.yaml_file::<RawProgram>(&rel, true) {
                out.push(Named {
                    file,
                    stem: stem.to_string(),
                    raw,
                });
            }
        }
        Ok(out)
    }

    fn assets(&mut self) -> Result<Vec<AssetFile>, LoadError> {
        let dir = self.root.join("assets");
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let walker = walkdir::WalkDir::new(&dir).sort_by_file_name().follow_links(false);
        for entry in walker {
            let entry = entry.map_err(|e| LoadError::Io {
                path: e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.clone()),
                source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk")),
            })?;
            let rel_path = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel_path
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel.is_empty() || rel.split('/').any(|p| p.starts_with('.')) || entry.file_type().is_dir() {
                continue;
            }
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(AssetFile {
                rel,
                source: entry.path().to_path_buf(),
                size,
            });
        }
        Ok(out)
    }

    fn stray(&mut self, rel: &str, help: &str) {
        let path: Arc<str> = Arc::from(rel);
        self.diags.push(
            Diagnostic::warning(Span::file(&path), "banso はこのファイル（フォルダ）を使いません").with_help(help),
        );
    }

    fn stray_top_level(&mut self) -> Result<(), LoadError> {
        const KNOWN: [&str; 7] = [
            "site.yaml",
            "ministries.yaml",
            "municipalities.yaml",
            "cohorts",
            "programs",
            "pages",
            "assets",
        ];

        for (name, _) in sorted_entries(self.root)? {
            if !KNOWN.contains(&name.as_str()) {
                self.stray(&name, &format!("content/ に置けるのは {} です", KNOWN.join("、")));
            }
        }
        Ok(())
    }
}

/// Move every position of a front-matter tree below the opening `---`.
fn shift(node: &mut yaml::Node, lines: u32) {
    node.pos = node.pos.shifted(lines);
    match &mut node.value {
        yaml::Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, lines)),
        yaml::Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.pos = k.pos.shifted(lines);
            shift(v, lines);
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
