//! The staging tree: a whole site written beside the output, closed to everyone until it is
//! swapped in (one rename, or an exchange of two directories), and the leftovers of builds that
//! died before their swap.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::marker::{self, Claim, Lock, MARKER, Marker};
use super::{Changes, OutputError, Written, absolute, changes, changes_known, check_target, differs, io_at};
use crate::render::{Blob, Plan};
use crate::time::Instant;

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
    /// The site that was in place when this one was staged, and for each planned file whether
    /// it differs from that site's (`None`: not there).
    compared: Option<(Previous, Vec<Option<bool>>)>,
    /// The same for files added after the plan was staged ([`Staged::add`]), by path.
    added: HashMap<String, Option<bool>>,
}

/// The site in place when a new one is staged: where, and which directory it is (so the swap
/// can tell whether it still replaces that one).
#[derive(Debug)]
struct Previous {
    dir: PathBuf,
    id: (u64, u64),
}

impl Previous {
    fn of(dir: &Path) -> Option<Previous> {
        Some(Previous {
            dir: dir.to_path_buf(),
            id: dir_id(dir)?,
        })
    }
}

/// A directory's device and inode: the same tree, wherever it has been renamed to.
fn dir_id(dir: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(dir).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Write `plan`, the site at `as_of`, into a staging directory beside the claimed output (never
/// inside it). Its name cannot be guessed, and once written it is closed to everyone, its owner
/// included, so that no web server can show a site before its time, even one running as the
/// user who releases (SPEC §1); it opens at the swap.
///
/// With `link_unchanged`, a file whose bytes are those of the site in place is hard-linked from
/// it (see `write_all`); `release`, whose staging waits for its instant, writes every file.
pub fn stage(plan: &Plan, claim: &Claim, as_of: Instant, link_unchanged: bool) -> Result<Staged, OutputError> {
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
        compared: None,
        added: HashMap::new(),
    };
    let marker = Marker {
        kind: claim.kind,
        as_of: Some(as_of),
    };
    // Files that are the same as in the site now in place are linked from it, not written again.
    let previous = (link_unchanged && marker::present(&staged.out))
        .then(|| Previous::of(&staged.out))
        .flatten();
    let written = crate::timing::timed("  stage", || {
        write_all(plan, &staged.staging, &marker, previous.as_ref())
    })?;
    (staged.files, staged.bytes) = (written.files, written.bytes);
    staged.compared = previous.map(|p| (p, written.changed));
    set_mode(&staged.staging, 0o000)?;
    Ok(staged)
}

impl Staged {
    /// Where the staged site is.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Write the files at `paths` of `plan`, added to it after it was staged (the search index,
    /// made while the pages were written), into the staged site, linking unchanged ones as
    /// [`stage`] did.
    pub fn add(&mut self, plan: &Plan, paths: &[String]) -> Result<(), OutputError> {
        let files: Vec<(&String, &Blob)> = paths
            .iter()
            .filter_map(|p| plan.files().get_key_value(p.as_str()))
            .collect();
        set_mode(&self.staging, 0o700)?;
        let previous = self.compared.as_ref().map(|(p, _)| p);
        let done = make_dirs(files.iter().map(|(rel, _)| rel.as_str()), &self.staging)
            .and_then(|()| write_files(&files, &self.staging, previous));
        // Closed again whatever happened; a failed write is the error to tell.
        let closed = set_mode(&self.staging, 0o000);
        let done = done?;
        closed?;
        for ((rel, _), (len, changed)) in files.iter().zip(done) {
            self.files += 1;
            self.bytes += len;
            self.added.insert((*rel).clone(), changed);
        }
        Ok(())
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
        let changes = crate::timing::timed("  changes", || match &old {
            // The tree replaced is the one the files were compared with while staging.
            Some(old) => match &self.compared {
                Some((previous, changed)) if dir_id(old) == Some(previous.id) => {
                    changes_known(plan, old, changed, &self.added)
                }
                _ => changes(plan, old),
            },
            None => Changes {
                added: plan.files().keys().cloned().collect(),
                ..Changes::default()
            },
        });
        if let Some(old) = old {
            crate::timing::timed("  remove", || {
                if super::remove_tree(&old).is_err() {
                    let _ = fs::remove_dir_all(&old);
                }
            });
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

/// What [`write_all`] did.
struct WriteAll {
    files: usize,
    bytes: u64,
    /// For each file of the plan, in order: whether it differs from the previous site's
    /// (`None`: the previous site has no such file, or there is no previous site).
    changed: Vec<Option<bool>>,
}

/// Write every file of `plan` and the marker into `staging`. A file whose bytes are those of
/// the same path in `previous` (the site in place) is hard-linked from it instead: the staged
/// tree is whole either way, and the swap stays one rename.
fn write_all(
    plan: &Plan,
    staging: &Path,
    marker: &Marker,
    previous: Option<&Previous>,
) -> Result<WriteAll, OutputError> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(io_at(staging))?;
    }
    fs::create_dir_all(staging).map_err(io_at(staging))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(staging, fs::Permissions::from_mode(0o700)).map_err(io_at(staging))?;
    }
    make_dirs(plan.files().keys().map(String::as_str), staging)?;
    let files: Vec<(&String, &Blob)> = plan.files().iter().collect();
    let done = write_files(&files, staging, previous)?;
    fs::write(staging.join(MARKER), marker.text()).map_err(io_at(staging))?;
    Ok(WriteAll {
        files: plan.len(),
        bytes: done.iter().map(|(len, _)| len).sum(),
        changed: done.into_iter().map(|(_, c)| c).collect(),
    })
}

/// Each directory of the files at `paths` under `staging` once, a level at a time (parents
/// first), each level in parallel; directories already there are kept.
fn make_dirs<'p>(paths: impl Iterator<Item = &'p str>, staging: &Path) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let mut levels: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for rel in paths {
        let mut dir = rel;
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
            match fs::create_dir(&path) {
                Err(e)
                    if e.kind() == io::ErrorKind::AlreadyExists
                        && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) =>
                {
                    Ok(())
                }
                r => r.map_err(io_at(&path)),
            }
        })?;
    }
    Ok(())
}

/// Write `files` into `staging` (their directories made), in parallel: each file's length and
/// whether it differs from the same path's in `previous` (`None`: not there, or no previous).
fn write_files(
    files: &[(&String, &Blob)],
    staging: &Path,
    previous: Option<&Previous>,
) -> Result<Vec<(u64, Option<bool>)>, OutputError> {
    use rayon::prelude::*;
    // A linked file keeps its owner and mode: link only files that have what a file written now
    // gets (a probe written and removed), so a changed umask or user takes effect everywhere.
    let fresh = fresh_file_identity(staging)?;
    files
        .par_iter()
        .map(|(rel, blob)| {
            let target = staging.join(rel);
            let before = previous.map(|p| p.dir.join(rel));
            let mut changed = None;
            if let Some(before) = &before {
                match fs::symlink_metadata(before) {
                    Ok(m) if m.is_file() && Some(m.len()) != blob_len(blob) => changed = Some(true),
                    Ok(m) if m.is_file() && file_identity(&m) == fresh && fs::hard_link(before, &target).is_ok() => {
                        // What was linked is compared, not what the path held a moment before:
                        // another writer may swap the output in the meantime.
                        if differs(&target, blob) == Some(false) {
                            return Ok((m.len(), Some(false)));
                        }
                        fs::remove_file(&target).map_err(io_at(&target))?;
                        changed = Some(true);
                    }
                    Ok(m) if m.is_file() => changed = differs(before, blob),
                    _ => {}
                }
            }
            let len = match blob {
                Blob::Bytes(b) => fs::write(&target, b.as_slice())
                    .map(|()| b.len() as u64)
                    .map_err(io_at(&target))?,
                Blob::Copy(src) => fs::copy(src, &target).map_err(io_at(src))?,
            };
            Ok((len, changed))
        })
        .collect()
}

/// Owner and permission bits of a file (`None` where there are none to read).
fn file_identity(m: &fs::Metadata) -> Option<(u32, u32)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.uid(), m.mode() & 0o7777))
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        None
    }
}

/// The owner and mode a file written into `dir` now gets.
fn fresh_file_identity(dir: &Path) -> Result<Option<(u32, u32)>, OutputError> {
    let probe = dir.join(".probe");
    fs::write(&probe, b"").map_err(io_at(&probe))?;
    let identity = fs::metadata(&probe).map_err(io_at(&probe))?;
    fs::remove_file(&probe).map_err(io_at(&probe))?;
    Ok(file_identity(&identity))
}

/// The length of what `blob` holds (`None` when a copied file cannot be read).
fn blob_len(blob: &Blob) -> Option<u64> {
    match blob {
        Blob::Bytes(b) => Some(b.len() as u64),
        Blob::Copy(src) => fs::metadata(src).ok().map(|m| m.len()),
    }
}

/// Replace `out` by `staging`; returns where the previous site now is (to count what changed,
/// then remove), if there was one. On Linux the two trees are exchanged in one atomic rename, so
/// a web server reading `out` sees either the old site or the new one, never neither; elsewhere
/// (or on file systems without exchange) the old tree is moved aside first and put back if the
/// new one cannot be moved in.
pub(super) fn swap_in(
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
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
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
