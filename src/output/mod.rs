//! 書き出し — Plan → staging directory → swap into the output directory.
//!
//! Pipeline position: `render` → **`write`**. The only phase that writes to disk. The whole
//! plan is written beside the output directory first and swapped in only when complete, so a
//! failed or killed build leaves the previous site as it was, and files of earlier builds are
//! gone after a build. A directory banso did not create is never replaced (SPEC §1).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::{Blob, Plan};

/// The marker banso leaves in every output directory it creates.
pub const MARKER: &str = ".banso-output";

/// A public build or a 非公開プレビュー.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    Public,
    Preview,
}

impl OutputKind {
    fn marker_text(self) -> &'static str {
        match self {
            OutputKind::Public => "banso output: public\n",
            OutputKind::Preview => "banso output: preview\n",
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
    let mut old: std::collections::BTreeSet<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(out).ok()?;
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(rel.join("/"))
        })
        .filter(|rel| rel != MARKER)
        .collect();
    let files: Vec<(&String, &Blob)> = plan.files().iter().collect();
    let state: Vec<Option<bool>> = files
        .par_iter()
        .map(|(rel, blob)| {
            let before = fs::read(out.join(rel)).ok()?;
            let same = match blob {
                Blob::Bytes(b) => before == **b,
                Blob::Copy(src) => fs::read(src).is_ok_and(|now| now == before),
            };
            Some(!same)
        })
        .collect();
    let mut c = Changes::default();
    for ((rel, _), state) in files.iter().zip(state) {
        let was_there = old.remove(rel.as_str());
        match state {
            Some(true) => c.changed.push((*rel).clone()),
            Some(false) => {}
            None if was_there => c.changed.push((*rel).clone()),
            None => c.added.push((*rel).clone()),
        }
    }
    c.removed = old.into_iter().collect();
    c
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
    if marker_of(out).is_some() {
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
    let is_public = |dir: &Path| marker_of(dir).as_deref() == Some(OutputKind::Public.marker_text());
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

fn marker_of(dir: &Path) -> Option<String> {
    fs::read_to_string(dir.join(MARKER)).ok()
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

/// Write `plan` into `out`, replacing what a previous build left there.
pub fn write_plan(plan: &Plan, out: &Path, kind: OutputKind, public_default: &Path) -> Result<Written, OutputError> {
    stage(plan, out, kind, public_default)?.swap_in()
}

/// A site written in full into a private directory beside the output, waiting to be swapped in.
/// Dropped without [`Staged::swap_in`], it is removed and the output is as it was.
#[derive(Debug)]
pub struct Staged {
    staging: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    written: Option<Written>,
}

/// Write `plan` into a staging directory beside `out` (never inside it; readable by this user
/// only, so a web server serving the parent cannot show a site before its time).
pub fn stage(plan: &Plan, out: &Path, kind: OutputKind, public_default: &Path) -> Result<Staged, OutputError> {
    check_target(out, kind, public_default)?;
    let out_abs = absolute(out).unwrap_or_else(|| out.to_path_buf());
    let parent = out_abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = out_abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    fs::create_dir_all(&parent).map_err(io_at(&parent))?;
    remove_leftovers(&parent, &name);
    let staging = parent.join(format!(".{name}.banso-staging-{}", std::process::id()));
    let mut staged = Staged {
        staging,
        out: out_abs,
        parent,
        name,
        written: None,
    };
    let mut written = write_all(plan, &staged.staging, kind)?;
    written.changes = changes(plan, &staged.out);
    staged.written = Some(written);
    Ok(staged)
}

impl Staged {
    /// Where the staged site is.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// What the staged site changes against the output as it was when staged.
    pub fn changes(&self) -> Option<&Changes> {
        self.written.as_ref().map(|w| &w.changes)
    }

    /// Swap the staged site in for the output at once (nothing else is done at that moment: the
    /// change lists were made when it was staged).
    pub fn swap_in(mut self) -> Result<Written, OutputError> {
        let written = self.written.take().unwrap_or(Written {
            files: 0,
            bytes: 0,
            changes: Changes::default(),
        });
        // Private while staged; as readable as the output it replaces once public.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&self.out).map_or(0o755, |m| m.permissions().mode() & 0o7777);
            fs::set_permissions(&self.staging, fs::Permissions::from_mode(mode)).map_err(io_at(&self.staging))?;
        }
        swap_in(&self.staging, &self.out, &self.parent, &self.name, exchange)?;
        Ok(written)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // After a swap the staging name holds the old tree (or nothing); either way it goes.
        let _ = fs::remove_dir_all(&self.staging);
    }
}

fn write_all(plan: &Plan, staging: &Path, kind: OutputKind) -> Result<Written, OutputError> {
    use rayon::prelude::*;
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(io_at(staging))?;
    }
    fs::create_dir_all(staging).map_err(io_at(staging))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(staging, fs::Permissions::from_mode(0o700)).map_err(io_at(staging))?;
    }
    // Each directory once, a level at a time (parents first), each level in parallel; then the
    // files in parallel.
    let mut levels: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for rel in plan.files().keys() {
        let mut dir = rel.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if !levels.entry(parent.matches('/').count()).or_default().insert(parent) {
                break;
            }
            dir = parent;
        }
    }
    for dirs in levels.values() {
        dirs.par_iter().try_for_each(|dir| {
            let path = staging.join(dir);
            fs::create_dir(&path).map_err(io_at(&path))
        })?;
    }
    let files: Vec<(&String, &Blob)> = plan.files().iter().collect();
    let bytes = files
        .par_iter()
        .map(|(rel, blob)| {
            let target = staging.join(rel);
            match blob {
                Blob::Bytes(b) => fs::write(&target, b).map(|()| b.len() as u64).map_err(io_at(&target)),
                Blob::Copy(src) => fs::copy(src, &target).map_err(io_at(src)),
            }
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    fs::write(staging.join(MARKER), kind.marker_text()).map_err(io_at(staging))?;
    Ok(Written {
        files: plan.len(),
        bytes,
        changes: Changes::default(),
    })
}

/// Replace `out` by `staging`. On Linux the two trees are exchanged in one atomic rename, so a
/// web server reading `out` sees either the old site or the new one, never neither; elsewhere
/// (or on file systems without exchange) the old tree is moved aside first and put back if the
/// new one cannot be moved in.
fn swap_in(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
    exchange: impl Fn(&Path, &Path) -> io::Result<()>,
) -> Result<(), OutputError> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(staging, out).map_err(io_at(out));
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous site.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = parent.join(format!(".{name}.banso-old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io_at(&old))?;
    }
    fs::rename(out, &old).map_err(|e| {
        let _ = fs::remove_dir_all(staging);
        OutputError::Io {
            path: out.to_path_buf(),
            source: e,
        }
    })?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        let _ = fs::remove_dir_all(staging);
        return Err(OutputError::Io {
            path: out.to_path_buf(),
            source: e,
        });
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::other("atomic exchange is not available"))
}

/// Staging and old trees of earlier builds that were killed before they could clean up.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.banso-staging-"), format!(".{name}.banso-old-")];
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| n.starts_with(p.as_str())) && is_stale(&e.path()) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// A staging or old tree is a leftover when the build that named it (by process id) is gone.
fn is_stale(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid: Option<u32> = name.rsplit('-').next().and_then(|p| p.parse().ok());
    // A tree named by this process's own id (a killed build's, the id since reused) is not
    // one: this build writes its staging tree under that very name and replaces it.
    pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
}

#[cfg(test)]
mod tests;
