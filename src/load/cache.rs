//! [`Cache`]: the Markdown and YAML files of an earlier load, for `serve`'s rebuilds.

use std::any::Any;
use std::collections::HashMap;
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
    /// `None` for a file that cannot be read or is too large to cache (reading it then reports
    /// the problem).
    pub(super) fn stamp(path: &Path) -> Option<Stamp> {
        if std::fs::metadata(path).ok()?.len() > MAX_TEXT_BYTES {
            return None;
        }
        Some(crate::hash::of(&std::fs::read(path).ok()?))
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
