//! [`Cache`]: the Markdown and YAML files of an earlier load, for `serve`'s rebuilds.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use super::yaml::Items;
use super::{MAX_TEXT_BYTES, MdFile};
use crate::diag::Diagnostics;

/// Markdown and YAML files as read by an earlier load, reused while a file's bytes are the same.
/// `serve` keeps one between rebuilds, so an edit re-parses one file, not every report and roster
/// (and of a list file, the items whose text changed: [`super::yaml::parse_list`]);
/// `build` reads everything afresh.
#[derive(Default)]
pub struct Cache {
    // Read-write locks: a load looks up every file from several threads at once, and writes
    // only what changed.
    md: RwLock<HashMap<PathBuf, Cached>>,
    /// The items of each list file as last parsed ([`super::yaml::parse_list`]).
    items: Mutex<HashMap<PathBuf, Arc<Items>>>,
    watch: RwLock<Watch>,
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

/// A 128-bit hash (`crate::hash`) of a file's bytes. Hashing is cheap next to parsing, and unlike size and
/// modification time it cannot miss an edit that keeps both (coarse clocks, tools that restore
/// timestamps).
#[derive(Clone, Copy, Debug)]
pub(super) struct Stamp {
    hash: u128,
    /// The file's size, times and inode when it was hashed: a file the watcher did not name is
    /// taken as it was only if these are the same too (a watcher can miss events: network and
    /// container file systems, a file written through another hard link).
    seen: Option<Seen>,
}

/// Two stamps are the same file contents when their hashes are.
impl PartialEq for Stamp {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
    }
}

/// What `stat` says of a file: size, modification time and, on Unix, change time and inode
/// (which no tool can set back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    len: u64,
    modified: Option<std::time::SystemTime>,
    changed: (i64, i64, u64),
}

impl Seen {
    fn of(m: &std::fs::Metadata) -> Seen {
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            (m.ctime(), m.ctime_nsec(), m.ino())
        };
        #[cfg(not(unix))]
        let changed = (0, 0, 0);
        Seen {
            len: m.len(),
            modified: m.modified().ok(),
            changed,
        }
    }
}

struct Cached {
    stamp: Stamp,
    /// `(Diagnostics, Option<V>)` for the `V` the file was read as (`Arc<MdFile<T>>` for Markdown).
    read: Arc<dyn Any + Send + Sync>,
}

impl Cache {
    /// From now on a watcher reports every change under the content folder (absolute paths,
    /// as the folder was given to the load) to [`Cache::changed`], or [`Cache::lost_track`].
    pub fn watched(&self) {
        self.watch.write().unwrap_or_else(|e| e.into_inner()).watched = true;
    }

    /// `paths` changed (created, written, removed or renamed; a folder stands for everything
    /// in it).
    pub fn changed(&self, paths: impl IntoIterator<Item = PathBuf>) {
        self.watch
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .changed
            .extend(paths);
    }

    /// The watcher may have missed changes (its queue overflowed): the next load reads every
    /// file.
    pub fn lost_track(&self) {
        let mut w = self.watch.write().unwrap_or_else(|e| e.into_inner());
        w.complete = false;
        w.changed.clear();
    }

    /// A load begins: the changes reported so far are the ones it reads again.
    pub(super) fn begin_load(&self) {
        let mut w = self.watch.write().unwrap_or_else(|e| e.into_inner());
        let changed = std::mem::take(&mut w.changed);
        w.this_load = w.complete.then_some(changed);
        w.complete = w.watched;
    }

    /// The stamp of `path`'s bytes: as the last load found them when the watcher says the file
    /// has not changed since, else read now. `None` for a file that cannot be read or is too
    /// large to cache (reading it then reports the problem).
    pub(super) fn stamp(&self, path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let seen = Seen::of(&meta);
        if !self.changed_since_last_load(path) {
            let map = self.md.read().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = map.get(path).filter(|c| c.stamp.seen == Some(seen)) {
                return Some(c.stamp);
            }
        }
        if meta.len() > MAX_TEXT_BYTES {
            return None;
        }
        Some(Stamp {
            hash: crate::hash::of(&std::fs::read(path).ok()?),
            seen: Some(seen),
        })
    }

    fn changed_since_last_load(&self, path: &Path) -> bool {
        let w = self.watch.read().unwrap_or_else(|e| e.into_inner());
        match &w.this_load {
            None => true,
            // An edit names a path or two: compared directly rather than each of the file's
            // folders hashed and looked up (10,000 files at each rebuild).
            Some(changed) if changed.len() <= 8 => changed.iter().any(|c| path.starts_with(c)),
            Some(changed) => path.ancestors().any(|p| changed.contains(p)),
        }
    }

    /// The items of the list file `path` as last parsed.
    pub(super) fn items(&self, path: &Path) -> Option<Arc<Items>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).get(path).cloned()
    }

    /// Keep the items of the list file `path` as parsed now (those of its last parse go).
    pub(super) fn put_items(&self, path: &Path, items: Items) {
        let mut map = self.items.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(path.to_path_buf(), Arc::new(items));
    }

    pub(super) fn get<T: 'static + Send + Sync>(
        &self,
        path: &Path,
        stamp: Stamp,
    ) -> Option<(Diagnostics, Option<Arc<MdFile<T>>>)> {
        self.get_read(path, stamp)
    }

    /// What was read from `path` as a `V` (a Markdown file, or a YAML file's records), if its
    /// bytes are still `stamp`.
    pub(super) fn get_read<V: 'static + Clone + Send + Sync>(
        &self,
        path: &Path,
        stamp: Stamp,
    ) -> Option<(Diagnostics, Option<V>)> {
        let map = self.md.read().unwrap_or_else(|e| e.into_inner());
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
        let mut map = self.md.write().unwrap_or_else(|e| e.into_inner());
        map.insert(
            path.to_path_buf(),
            Cached {
                stamp,
                read: Arc::new(read.clone()),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file is changed when the watcher named it or a folder it is in, whether it named a
    /// few paths (compared one by one) or many (looked up by each of the file's folders).
    #[test]
    fn a_named_folder_stands_for_everything_in_it() {
        let cache = Cache::default();
        cache.watched();
        cache.begin_load();
        let (a, b, ab) = (Path::new("/c/r/a.md"), Path::new("/c/s/b.md"), Path::new("/c/rs/x.md"));
        for extra in [0, 20] {
            let others = (0..extra).map(|i| PathBuf::from(format!("/c/other{i}")));
            cache.changed(others.chain([PathBuf::from("/c/r")]));
            cache.begin_load();
            assert!(cache.changed_since_last_load(a), "{extra}");
            assert!(!cache.changed_since_last_load(b), "{extra}");
            assert!(
                !cache.changed_since_last_load(ab),
                "a folder's name is not a prefix: {extra}"
            );
        }
        cache.begin_load(); // nothing named
        assert!(!cache.changed_since_last_load(a));
    }

    /// A file the watcher did not name is read again when `stat` says it changed (an event the
    /// watcher missed), and taken as it was otherwise.
    #[test]
    fn a_change_the_watcher_missed_is_caught_by_the_files_size_and_times() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
        std::fs::write(&a, "one").unwrap();
        std::fs::write(&b, "two").unwrap();
        let cache = Cache::default();
        cache.watched();
        cache.begin_load(); // the first load reads everything
        for p in [&a, &b] {
            let stamp = cache.stamp(p).unwrap();
            cache.put(p, stamp, &(Diagnostics::new(), Some(String::from("as read"))));
        }
        cache.begin_load(); // nothing named since
        let before = cache.stamp(&b).unwrap();
        assert_eq!(before.hash, crate::hash::of(b"two"));
        std::fs::write(&a, "changed").unwrap(); // no event reaches the cache
        let now = cache.stamp(&a).unwrap();
        assert_eq!(
            now.hash,
            crate::hash::of(b"changed"),
            "read again: its size and times moved"
        );
        assert!(cache.get_read::<String>(&a, now).is_none(), "not the cached text");
        assert_eq!(cache.stamp(&b).unwrap().hash, before.hash);
        assert_eq!(
            cache.get_read::<String>(&b, before).and_then(|(_, v)| v).as_deref(),
            Some("as read")
        );
    }
}
