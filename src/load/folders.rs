//! Walking content/ as SPEC §2 lays it out: cohort folders, Markdown folders, programmes,
//! assets, and whatever does not belong.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::files::{Entry, listed, sorted_entries};
use super::raw::*;
use super::{AssetFile, CohortDir, LoadError, MdFile, Named, Reader, Rec, front_matter, yaml};
use crate::diag::{Diagnostic, Diagnostics, Span};

impl Reader<'_> {
    pub(super) fn cohorts(&mut self) -> Result<Vec<CohortDir>, LoadError> {
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
            // The records (a large teams.yaml is one parse on one core) are read while the
            // reports are.
            let ((cohort, teams, applications), reports) = self.join(
                |r| {
                    let cohort = r
                        .yaml_file::<RawCohort>(&format!("{rel}/cohort.yaml"), true)
                        .map(|(file, raw)| Rec { file, raw });
                    let teams = r.list_file::<RawTeam>(&format!("{rel}/teams.yaml"), false);
                    let applications = r.list_file::<RawApplication>(&format!("{rel}/applications.yaml"), false);
                    (cohort, teams, applications)
                },
                |r| r.md_dir::<RawReport>(&format!("{rel}/reports")),
            );
            let reports = reports?;
            let teams_unreadable = teams.is_none() && path.join("teams.yaml").is_file();
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
    pub(super) fn md_dir<T>(&mut self, rel_dir: &str) -> Result<Vec<Arc<MdFile<T>>>, LoadError>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        use rayon::prelude::*;
        let dir = self.root.join(rel_dir);
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let (root, cache, files) = (self.root, self.cache, self.files);
        let plain = files.plain_folder(rel_dir, &dir);
        let read: Vec<(Diagnostics, Option<Arc<MdFile<T>>>)> = listed(&dir)?
            .par_iter()
            .map(|Entry { name, path, link }| {
                // Checked before the cache, so a file that became a link is refused at once.
                let rel: Arc<str> = Arc::from(format!("{rel_dir}/{name}").as_str());
                if let Some(d) = (*link || !plain).then(|| files.refuse(&rel, path)).flatten() {
                    let mut diags = Diagnostics::new();
                    diags.push(d);
                    return (diags, None);
                }
                let cached = cache.and_then(|c| Some((c, c.stamp(path)?)));
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
                let read = (diags, file.map(Arc::new));
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
    pub(super) fn programs(&mut self) -> Result<Vec<Named<RawProgram>>, LoadError> {
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

    pub(super) fn assets(&mut self) -> Result<Vec<AssetFile>, LoadError> {
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
                link: entry.path_is_symlink(),
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

    pub(super) fn stray_top_level(&mut self) -> Result<(), LoadError> {
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
