//! [`Cache`]: the Markdown and YAML files of an earlier load, for `serve`'s rebuilds.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{MAX_TEXT_BYTES, MdFile};
use crate::diag::Diagnostics;

/// Markdown and YAML files as read by an earlier load, reused while a file's bytes are the same.
/// `serve` keeps one between rebuilds, so an edit re-parses one file, not every report and roster;
/// `build` reads everything afresh.
#[derive(Default)]
pub struct Cache {
    md: Mutex<HashMap<PathBuf, Cached>>,
    watch: Mutex<Watch>,
}

/// What a file watcher said changed (`serve`): with it, a load reads again only the files it
/// names, and takes every other file as the last load read it.
#[derive(Default)]
struct Watch {
    /// A watcher reports every change under the content folder to [`Cache::changed`].
    watched: bool,
    /// Whether the paths below are all that changed since the last load began (false before
    /// the first load, and after the watcher lost track: then every file is read).
    complete: bool,
    changed: HashSet<PathBuf>,
    /// The paths changed before the load under way began: `None` reads every file.
    this_load: Option<HashSet<PathBuf>>,
}

/// A 128-bit SipHash of a file's bytes. Hashing is cheap next to parsing, and unlike size and
/// modification time it cannot miss an edit that keeps both (coarse clocks, tools that restore
/// timestamps).
pub(super) type Stamp = u128;

struct Cached {
    stamp: Stamp,
    /// `(Diagnostics, Option<MdFile<T>>)` for the `T` the file was read as.
    read: Arc<dyn Any + Send + Sync>,
}

impl Cache {
    /// From now on a watcher reports every change under the content folder (absolute paths,
    /// as the folder was given to the load) to [`Cache::changed`], or [`Cache::lost_track`].
    pub fn watched(&self) {
        self.watch.lock().unwrap_or_else(|e| e.into_inner()).watched = true;
    }

    /// `paths` changed (created, written, removed or renamed; a folder stands for everything
    /// in it).
    pub fn changed(&self, paths: impl IntoIterator<Item = PathBuf>) {
        self.watch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .changed
            .extend(paths);
    }

    /// The watcher may have missed changes (its queue overflowed): the next load reads every
    /// file.
    pub fn lost_track(&self) {
        let mut w = self.watch.lock().unwrap_or_else(|e| e.into_inner());
        w.complete = false;
        w.changed.clear();
    }

    /// A load begins: the changes reported so far are the ones it reads again.
    pub(super) fn begin_load(&self) {
        let mut w = self.watch.lock().unwrap_or_else(|e| e.into_inner());
        let changed = std::mem::take(&mut w.changed);
        w.this_load = w.complete.then_some(changed);
        w.complete = w.watched;
    }

    /// The stamp of `path`'s bytes: as the last load found them when the watcher says the file
    /// has not changed since, else read now. `None` for a file that cannot be read or is too
    /// large to cache (reading it then reports the problem).
    pub(super) fn stamp(&self, path: &Path) -> Option<Stamp> {
        if !self.changed_since_last_load(path) {
            let map = self.md.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = map.get(path) {
                return Some(c.stamp);
            }
        }
        if std::fs::metadata(path).ok()?.len() > MAX_TEXT_BYTES {
            return None;
        }
        Some(crate::hash::of(&std::fs::read(path).ok()?))
    }

    fn changed_since_last_load(&self, path: &Path) -> bool {
        let w = self.watch.lock().unwrap_or_else(|e| e.into_inner());
        match &w.this_load {
            None => true,
            Some(changed) => path.ancestors().any(|p| changed.contains(p)),
        }
    }

    pub(super) fn get<T: 'static + Clone + Send + Sync>(
        &self,
        path: &Path,
        stamp: Stamp,
    ) -> Option<(Diagnostics, Option<MdFile<T>>)> {
        self.get_read(path, stamp)
    }

    /// What was read from `path` as a `V` (a Markdown file, or a YAML file's records), if its
    /// bytes are still `stamp`.
    pub(super) fn get_read<V: 'static + Clone + Send + Sync>(
        &self,
        path: &Path,
        stamp: Stamp,
    ) -> Option<(Diagnostics, Option<V>)> {
        let map = self.md.lock().unwrap_or_else(|e| e.into_inner());
        let hit = map.get(path).filter(|c| c.stamp == stamp)?;
        hit.read.downcast_ref::<(Diagnostics, Option<V>)>().cloned()
    }

    /// Remember what was read from `path`, stamped as it was *before* reading (a change made
    /// while reading then still counts as a change at the next load).
    pub(super) fn put<V: 'static + Clone + Send + Sync>(
        &self,
        path: &Path,
        stamp: Stamp,
        read: &(Diagnostics, Option<V>),
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
