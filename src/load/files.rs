//! Reading one file: its place checked (inside content/, never twice under two names), its
//! bytes decoded, its YAML parsed and read into records, every problem a diagnostic.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::de::{Lenient, Sink};
use super::encoding::{self, Encoding};
use super::{Listed, LoadError, MAX_TEXT_BYTES, Reader, yaml};
use crate::diag::{Diagnostic, Pos, Span};

/// Where content files really are: every content file must lie inside content/ once symlinks
/// are resolved, and no file may stand under two names (SPEC §3), or one record could stand in
/// two places (a held one among them). A name that reaches its file through a symlink is the
/// link: when the file it reaches lies inside content/ the link is refused and the file itself
/// is kept, so which of two names is reported never depends on the order they are read in.
#[derive(Clone, Copy)]
pub(super) struct Files<'a> {
    pub(super) real_root: &'a Path,
}

impl Files<'_> {
    /// Whether the folder `full` (`rel` in content/) is reached without a symbolic link: then
    /// a file listed in it that is no link itself is its own name, and [`Files::refuse`] has
    /// nothing to find (a large folder of reports is not resolved file by file).
    pub(super) fn plain_folder(&self, rel: &str, full: &Path) -> bool {
        std::fs::canonicalize(full).is_ok_and(|real| real == self.real_root.join(rel))
    }

    /// `None` when `full` (read as `rel`) may be read; otherwise the problem.
    pub(super) fn refuse(&self, rel: &Arc<str>, full: &Path) -> Option<Diagnostic> {
        let Ok(real) = std::fs::canonicalize(full) else {
            return None; // reading it reports the problem
        };
        let Ok(target) = real.strip_prefix(self.real_root) else {
            return Some(
                Diagnostic::error(
                    Span::file(rel),
                    "このファイルは content/ の外を指すシンボリックリンクです",
                )
                .with_help("ファイルそのものを content/ の中に置いてください"),
            );
        };
        // Without a link on the way, the real path is the name itself.
        if real == self.real_root.join(&**rel) {
            return None;
        }
        let target = target.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
        Some(
            Diagnostic::error(
                Span::file(rel),
                format!("このファイルは {target} と同じファイルです（シンボリックリンク）"),
            )
            .with_help(
                "一つの記録は一つのファイルにだけ書いてください。リンクを消して、必要なら内容を複製してください",
            ),
        )
    }
}

pub(super) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Entries of a directory, sorted by name, dot-files left out.
pub(super) fn sorted_entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, LoadError> {
    Ok(listed(dir)?.into_iter().map(|e| (e.name, e.path)).collect())
}

/// An entry of a folder listing.
pub(super) struct Entry {
    pub name: String,
    pub path: PathBuf,
    /// A symbolic link, as the listing says (taken as one where it cannot say).
    pub link: bool,
}

/// [`sorted_entries`], each with whether it is a symbolic link.
pub(super) fn listed(dir: &Path) -> Result<Vec<Entry>, LoadError> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let e = e.map_err(io_err(dir))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            let link = !e.file_type().is_ok_and(|t| !t.is_symlink());
            v.push(Entry {
                path: e.path(),
                name,
                link,
            });
        }
    }
    v.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(v)
}

impl Reader<'_> {
    /// Read a text file as UTF-8 (BOM removed, CRLF → LF); problems are diagnostics.
    pub(super) fn text(&mut self, rel: &str) -> Option<(Arc<str>, Arc<str>)> {
        let path: Arc<str> = Arc::from(rel);
        if let Some(d) = self.files.refuse(&path, &self.root.join(rel)) {
            self.diags.push(d);
            return None;
        }
        self.read_text(path)
    }

    /// [`Reader::text`] of a file whose place was already checked.
    pub(super) fn read_text(&mut self, path: Arc<str>) -> Option<(Arc<str>, Arc<str>)> {
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
                let text: Arc<str> = if text.contains('\r') {
                    Arc::from(text.replace("\r\n", "\n").replace('\r', "\n").as_str())
                } else {
                    Arc::from(text.as_ref())
                };

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
    pub(super) fn parse(&mut self, path: &Arc<str>, yaml: &str, line_offset: u32) -> Option<yaml::Node> {
        match yaml::parse(yaml) {
            Ok(mut node) => {
                if line_offset > 0 {
                    node.shift(line_offset);
                }
                Some(node)
            }
            Err(e) => {
                self.diags.push(syntax_error(path, e, line_offset));
                None
            }
        }
    }

    /// [`Reader::parse`] for a whole YAML file: a list item by item ([`yaml::parse_list`]);
    /// with a cache (`serve`), an item unchanged since the file was last read is not parsed again.
    fn parse_file(&mut self, path: &Arc<str>, yaml: &str) -> Option<yaml::Node> {
        let full = self.root.join(&**path);
        let known = self.cache.and_then(|c| c.items(&full)).unwrap_or_default();
        let (parsed, items) = yaml::parse_list(yaml, &known);
        if let Some(c) = self.cache {
            c.put_items(&full, items);
        }
        match parsed {
            Ok(node) => Some(node),
            Err(e) => {
                self.diags.push(syntax_error(path, e, 0));
                None
            }
        }
    }

    pub(super) fn read_node<T: DeserializeOwned>(&mut self, path: &Arc<str>, node: &yaml::Node) -> Option<T> {
        let sink = Sink::default();
        let value = super::de::from_node::<T>(node, &sink);
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

    /// A YAML file's records; with a cache (`serve`), as read before while its bytes are the same.
    pub(super) fn yaml_file<T>(&mut self, rel: &str, required: bool) -> Option<(Arc<str>, T)>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        self.cached(rel, |r| r.read_yaml_file::<T>(rel, required))
    }

    /// What `read` makes of the YAML file `rel`; with a cache (`serve`), as made before while the
    /// file's bytes are the same (`V` is cloned out of the cache: large records behind an `Arc`).
    fn cached<V>(&mut self, rel: &str, read: impl FnOnce(&mut Reader) -> Option<V>) -> Option<V>
    where
        V: Clone + Send + Sync + 'static,
    {
        let full = self.root.join(rel);
        if self.cache.is_some() && full.is_file() {
            // Checked before the cache, so a file that became a link is refused at once (reading
            // it again below checks it once more under the same name, which passes).
            if let Some(d) = self.files.refuse(&Arc::from(rel), &full) {
                self.diags.push(d);
                return None;
            }
        }
        let cached = self.cache.and_then(|c| Some((c, c.stamp(&full)?)));
        if let Some((diags, made)) = cached.and_then(|(c, stamp)| c.get_read::<V>(&full, stamp)) {
            self.diags.absorb(diags);
            return made;
        }
        let Some((cache, stamp)) = cached else {
            return read(self);
        };
        let mut diags = crate::diag::Diagnostics::new();
        let mut reader = Reader {
            root: self.root,
            diags: &mut diags,
            cache: Some(cache),
            files: self.files,
        };
        let made = read(&mut reader);
        let kept = (diags, made);
        cache.put(&full, stamp, &kept);
        let (diags, made) = kept;
        self.diags.absorb(diags);
        made
    }

    fn read_yaml_file<T: DeserializeOwned>(&mut self, rel: &str, required: bool) -> Option<(Arc<str>, T)> {
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
        let node = self.parse_file(&path, &text)?;
        if node.value == yaml::Value::Null {
            self.diags
                .push(Diagnostic::error(Span::file(&path), "ファイルが空です").with_help("項目を書いてください"));
            return None;
        }
        let value = self.read_node::<T>(&path, &node)?;
        Some((path, value))
    }

    pub(super) fn list_file<T>(&mut self, rel: &str, required: bool) -> Option<Listed<T>>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        self.cached(rel, |r| {
            let (file, items) = r.read_yaml_file::<Vec<Lenient<T>>>(rel, required)?;
            let total = items.len();
            let items: Arc<[T]> = items.into_iter().filter_map(|l| l.0).collect();
            Some(Listed {
                file,
                failed: total - items.len(),
                items,
            })
        })
    }
}

/// A YAML syntax error of `path`, `line_offset` lines below where the parsed text began.
fn syntax_error(path: &Arc<str>, e: yaml::SyntaxError, line_offset: u32) -> Diagnostic {
    Diagnostic::error(Span::new(path, e.pos.shifted(line_offset)), e.message)
        .with_help("YAML の書き方（インデント、「キー: 値」、引用符）を確認してください")
}
