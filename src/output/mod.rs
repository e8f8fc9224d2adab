//! 書き出し — Plan → staging directory → swap into the output directory.
//!
//! Pipeline position: `render` → **`write`**. The only phase that writes to disk. The whole
//! plan is written beside the output directory first and swapped in only when complete, so a
//! failed or killed build leaves the previous site as it was, and files of earlier builds are
//! gone after a build. A directory banso did not create is never replaced (SPEC §1).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::{Blob, Plan};
use crate::time::Instant;

mod cache;
mod marker;
mod stage;
pub use cache::private_cache;
pub use marker::{Claim, Lock, MARKER, Marker, read as read_marker};
pub use stage::{Staged, readable_by_others, stage};

/// A public build or a 非公開プレビュー.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    Public,
    Preview,
}

impl OutputKind {
    fn word(self) -> &'static str {
        match self {
            OutputKind::Public => "public",
            OutputKind::Preview => "preview",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target exists and is not a directory banso created: exit 3.
    #[error("{path} には書き込みません: {reason}")]
    Refused { path: PathBuf, reason: String },
    /// A preview aimed at the public output: a usage error, exit 2.
    #[error(
        "プレビューは公開用の出力先 {0} には書き込めません。--output で別のフォルダ（既定は output-preview）を指定してください"
    )]
    PreviewIntoPublic(PathBuf),
    #[error("{path} に書き込めません: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// Another writer swapped in a later site after this one started (SPEC §1): exit 3.
    #[error(
        "{path} には、この処理が始まった後に別の処理が基準時刻 {theirs} のサイトを入れ替えて置きました。それより前の基準時刻 {ours} のサイトで上書きしないため、入れ替えていません（今の出力はそのままです）",
        theirs = .theirs.display_ja(),
        ours = .ours.display_ja()
    )]
    Superseded {
        path: PathBuf,
        theirs: Instant,
        ours: Instant,
    },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a finished write did.
#[derive(Debug)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// Against the output it replaced.
    pub changes: Changes,
}

/// What a build changes in the output it replaces, as site paths in order: what an upload
/// script sends (added, changed) and deletes (removed). With no earlier output, all is added.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

/// Compare `plan` with the files now in `out` (the banso marker aside).
pub fn changes(plan: &Plan, out: &Path) -> Changes {
    use rayon::prelude::*;
    let files: Vec<(&String, &Blob)> = plan.files().iter().collect();
    let state: Vec<Option<bool>> = files
        .par_iter()
        .map(|(rel, blob)| differs(&out.join(rel), blob))
        .collect();
    changes_known(plan, out, &state, &std::collections::HashMap::new())
}

/// Whether the regular file at `before` differs from what `blob` holds (`None`: no such file).
fn differs(before: &Path, blob: &Blob) -> Option<bool> {
    let meta = fs::symlink_metadata(before).ok()?;
    if !meta.is_file() {
        return None;
    }
    let same = match blob {
        Blob::Bytes(b) => meta.len() == b.len() as u64 && fs::read(before).is_ok_and(|now| now == **b),
        Blob::Copy(src) => {
            fs::metadata(src).is_ok_and(|m| m.len() == meta.len())
                && fs::read(before)
                    .ok()
                    .is_some_and(|old| fs::read(src).is_ok_and(|new| new == old))
        }
    };
    Some(!same)
}

/// [`changes`] when it is already known, file by file, whether each planned file differs from
/// the one in `out` (`None`: not there): only `out`'s file names are read.
/// `changed` is in the order of the plan's files without those of `added`, which says the same
/// for files added to the plan after it was staged.
pub(crate) fn changes_known(
    plan: &Plan,
    out: &Path,
    changed: &[Option<bool>],
    added: &std::collections::HashMap<String, Option<bool>>,
) -> Changes {
    let mut old = files_in(out);
    let mut c = Changes::default();
    let mut staged_first = changed.iter();
    for rel in plan.files().keys() {
        let state = added.get(rel).or_else(|| staged_first.next());
        debug_assert!(state.is_some(), "a state for each planned file: {rel}");
        let Some(state) = state else { break };
        let was_there = old.remove(rel.as_str());
        match state {
            Some(true) => c.changed.push(rel.clone()),
            Some(false) => {}
            None if was_there => c.changed.push(rel.clone()),
            None => c.added.push(rel.clone()),
        }
    }
    debug_assert!(staged_first.next().is_none(), "a state for each staged file");
    c.removed = old.into_iter().collect();
    c
}

/// The files under `out` (the banso marker aside), as site paths. Links are not followed nor
/// counted as files. Folders are read in parallel (an output of 10,000 reports has as many).
fn files_in(out: &Path) -> BTreeSet<String> {
    fn walk(dir: &Path, prefix: &str) -> Vec<String> {
        use rayon::prelude::*;
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let entries: Vec<(String, fs::FileType)> = entries
            .flatten()
            .filter_map(|e| Some((e.file_name().to_string_lossy().into_owned(), e.file_type().ok()?)))
            .collect();
        entries
            .par_iter()
            .flat_map_iter(|(name, kind)| {
                let rel = format!("{prefix}{name}");
                if kind.is_dir() {
                    walk(&dir.join(name), &format!("{rel}/"))
                } else if kind.is_file() {
                    vec![rel]
                } else {
                    Vec::new()
                }
            })
            .collect()
    }
    walk(out, "").into_iter().filter(|rel| rel != MARKER).collect()
}

/// Remove the tree at `dir` (links removed, not followed): each entry of its top level in
/// parallel, each by the standard library's `remove_dir_all`, which never follows a link even
/// when a folder is swapped for one while it works.
pub(crate) fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    if !fs::symlink_metadata(dir)?.is_dir() {
        // A link (or a file) where the tree was: it goes, what it leads to stays.
        return fs::remove_file(dir);
    }
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            fs::remove_dir_all(e.path())
        } else {
            fs::remove_file(e.path())
        }
    })?;
    fs::remove_dir(dir)
}

/// Whether the output `dir` holds exactly the files of `plan` (the marker and the paths `skip`
/// keeps out aside): no file more, none less, each the same bytes.
pub fn holds(dir: &Path, plan: &Plan, skip: impl Fn(&str) -> bool) -> bool {
    let on_disk: BTreeSet<String> = files_in(dir).into_iter().filter(|rel| !skip(rel)).collect();
    let planned: BTreeSet<&String> = plan.files().keys().filter(|k| !skip(k)).collect();
    on_disk.len() == planned.len()
        && planned.iter().all(|rel| {
            on_disk.contains(*rel)
                && match plan.files().get(*rel) {
                    Some(Blob::Bytes(b)) => fs::read(dir.join(rel)).is_ok_and(|now| now == **b),
                    Some(Blob::Copy(src)) => fs::read(src).ok() == fs::read(dir.join(rel)).ok(),
                    None => false,
                }
        })
}

/// Decide whether `out` may receive a build of `kind`; `public_default` is the public output
/// directory a preview must never touch.
pub fn check_target(out: &Path, kind: OutputKind, public_default: &Path) -> Result<(), OutputError> {
    if kind == OutputKind::Preview && touches_public(out, public_default) {
        return Err(OutputError::PreviewIntoPublic(out.to_path_buf()));
    }
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(OutputError::Io {
                path: out.to_path_buf(),
                source: e,
            });
        }
    };
    let refuse = |reason: &str| {
        Err(OutputError::Refused {
            path: out.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    if meta.file_type().is_symlink() {
        return refuse("シンボリックリンクです。実際のフォルダを指定してください");
    }
    if !meta.is_dir() {
        return refuse("フォルダではなくファイルです");
    }
    if marker::present(out) {
        return Ok(());
    }
    let mut entries = fs::read_dir(out).map_err(io_at(out))?;
    if entries.next().is_none() {
        return Ok(());
    }
    refuse(
        "banso が作ったフォルダではありません（中に .banso-output がなく、空でもありません）。新しいパスか空のフォルダを指定してください",
    )
}

/// Whether a preview written to `out` would sit inside a public build, or hold one (SPEC §1):
/// `out` is the public default, lies inside it or contains it, lies inside a directory holding a
/// public build, or contains one. Its staging directory sits beside `out`, so it is covered too.
fn touches_public(out: &Path, public_default: &Path) -> bool {
    let (Some(out), Some(public)) = (absolute(out), absolute(public_default)) else {
        return true;
    };
    let is_public = |dir: &Path| marker::read(dir).is_some_and(|m| m.kind == OutputKind::Public);
    if out.starts_with(&public) || public.starts_with(&out) || out.ancestors().any(is_public) {
        return true;
    }
    out.is_dir()
        && walkdir::WalkDir::new(&out)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_type().is_dir() && is_public(e.path()))
}

/// The absolute, normalised form of a path (symlinks of existing parents resolved).
fn absolute(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = fs::canonicalize(p) {
        return Some(c);
    }
    let abs = std::path::absolute(p).ok()?;
    let parent = abs.parent()?;
    let name = abs.file_name()?;
    Some(
        fs::canonicalize(parent)
            .unwrap_or_else(|_| parent.to_path_buf())
            .join(name),
    )
}

/// Start writing to `out`: check that it may receive a site of `kind` (`public_default` is the
/// public output a preview must never touch) and note what is there now, to be checked again
/// at the swap. A writer claims before it reads content, so that the swap can tell a site
/// another writer put there meanwhile.
pub fn claim(out: &Path, kind: OutputKind, public_default: &Path) -> Result<Claim, OutputError> {
    check_target(out, kind, public_default)?;
    Ok(Claim {
        out: out.to_path_buf(),
        kind,
        public_default: public_default.to_path_buf(),
        found: marker::read(out),
    })
}

/// Write `plan` (the site at `as_of`) into `out`, replacing what a previous build left there.
pub fn write_plan(
    plan: &Plan,
    out: &Path,
    kind: OutputKind,
    public_default: &Path,
    as_of: Instant,
) -> Result<Written, OutputError> {
    let claim = claim(out, kind, public_default)?;
    stage(plan, &claim, as_of, true)?.swap_in(plan)
}

#[cfg(test)]
mod tests;
