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
use crate::time::Instant;

mod marker;
pub use marker::{Claim, Lock, MARKER, Marker, read as read_marker};

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

/// Whether the output `dir` holds exactly the files of `plan` (the marker and the paths `skip`
/// keeps out aside): no file more, none less, each the same bytes.
pub fn holds(dir: &Path, plan: &Plan, skip: impl Fn(&str) -> bool) -> bool {
    let on_disk: BTreeSet<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(parts.join("/"))
        })
        .filter(|rel| rel != MARKER && !skip(rel))
        .collect();
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
    stage(plan, &claim, as_of)?.swap_in(plan)
}

/// A site written in full into a private directory beside the output, waiting to be swapped in.
/// Dropped without [`Staged::swap_in`], it is removed and the output is as it was.
#[derive(Debug)]
pub struct Staged {
    staging: PathBuf,
    claim: Claim,
    as_of: Instant,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    files: usize,
    bytes: u64,
}

/// Write `plan`, the site at `as_of`, into a staging directory beside the claimed output (never
/// inside it). Its name cannot be guessed, and once written it is closed to everyone, its owner
/// included, so that no web server can show a site before its time, even one running as the
/// user who releases (SPEC §1); it opens at the swap.
pub fn stage(plan: &Plan, claim: &Claim, as_of: Instant) -> Result<Staged, OutputError> {
    let out = claim.out.as_path();
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
    let staging = parent.join(format!(
        ".{name}.banso-staging-{}-{}",
        std::process::id(),
        marker::nonce()
    ));
    let mut staged = Staged {
        staging,
        claim: claim.clone(),
        as_of,
        out: out_abs,
        parent,
        name,
        files: 0,
        bytes: 0,
    };
    let marker = Marker {
        kind: claim.kind,
        as_of: Some(as_of),
    };
    (staged.files, staged.bytes) = write_all(plan, &staged.staging, &marker)?;
    set_mode(&staged.staging, 0o000)?;
    Ok(staged)
}

impl Staged {
    /// Where the staged site is.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Swap the staged site (made from `plan`) in for the output, holding the output's lock:
    /// the output is checked once more, a later site another writer swapped in since the claim
    /// is never replaced, and what changed is counted against the tree just replaced.
    pub fn swap_in(self, plan: &Plan) -> Result<Written, OutputError> {
        crate::hook::pause("before-swap");
        let _lock = Lock::take(&self.parent, &self.name)?;
        check_target(&self.out, self.claim.kind, &self.claim.public_default)?;
        if let Some(refusal) = self.claim.superseded_by(marker::read(&self.out).as_ref(), self.as_of) {
            return Err(refusal);
        }
        // Closed while staged; as readable as the output it replaces once public.
        let mode = mode_of(&self.out).unwrap_or(0o755);
        set_mode(&self.staging, mode)?;
        let old = swap_in(&self.staging, &self.out, &self.parent, &self.name, exchange)?;
        let changes = match &old {
            Some(old) => changes(plan, old),
            None => Changes {
                added: plan.files().keys().cloned().collect(),
                ..Changes::default()
            },
        };
        if let Some(old) = old {
            let _ = fs::remove_dir_all(old);
        }
        Ok(Written {
            files: self.files,
            bytes: self.bytes,
            changes,
        })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // After a swap the staging name holds nothing (the old tree was removed) or, on a
        // failure, the staged tree; either way it goes.
        let _ = set_mode(&self.staging, 0o700);
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// A directory's permission bits (`None` where there are none to read).
fn mode_of(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).ok().map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn set_mode(path: &Path, mode: u32) -> Result<(), OutputError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io_at(path))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Whether other users may list or enter `dir` (a web server serving it could show what is in
/// it, the staging names among them).
pub fn readable_by_others(dir: &Path) -> bool {
    mode_of(dir).is_some_and(|m| m & 0o005 != 0)
}

/// Write every file of `plan` and the marker into `staging`; (files, bytes).
fn write_all(plan: &Plan, staging: &Path, marker: &Marker) -> Result<(usize, u64), OutputError> {
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
    fs::write(staging.join(MARKER), marker.text()).map_err(io_at(staging))?;
    Ok((plan.len(), bytes))
}

/// Replace `out` by `staging`; returns where the previous site now is (to count what changed,
/// then remove), if there was one. On Linux the two trees are exchanged in one atomic rename, so
/// a web server reading `out` sees either the old site or the new one, never neither; elsewhere
/// (or on file systems without exchange) the old tree is moved aside first and put back if the
/// new one cannot be moved in.
fn swap_in(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
    exchange: impl Fn(&Path, &Path) -> io::Result<()>,
) -> Result<Option<PathBuf>, OutputError> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(staging, out).map(|()| None).map_err(io_at(out));
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous site.
        return Ok(Some(staging.to_path_buf()));
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
    Ok(Some(old))
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
        let pid = prefixes.iter().find_map(|p| n.strip_prefix(p.as_str()));
        if pid.is_some_and(is_gone) {
            // A staged tree is closed to everyone: opened to be removed.
            let _ = set_mode(&e.path(), 0o700);
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Whether the build that named a tree `…-<pid>` or `…-<pid>-<nonce>` is gone. A tree named by
/// this process's own id is kept: a release holds its last good staging while it stages again.
fn is_gone(rest: &str) -> bool {
    let pid: Option<u32> = rest.split('-').next().and_then(|p| p.parse().ok());
    pid.is_some_and(|pid| pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists())
}

#[cfg(test)]
mod tests;
