//! The marker banso leaves in every output it writes, and the lock two writers take around
//! checking and swapping one output (SPEC §1 "One writer at a swap").
//!
//! The marker says what the tree is (a public build or a preview) and the as-of of the site (so
//! two builds of the same content at the same as-of stay byte-identical, marker included). A
//! writer reads it when it starts ([`Claim`]); when it is about to swap, under the lock, it
//! reads it again: a site swapped in by another writer since, with a later as-of, is never
//! replaced by an earlier one (a build started a moment before a release
//! instant and finishing after it would otherwise put the old site back). A sequence of builds,
//! an earlier as-of after a later one included, is not affected: each starts after the last
//! swap.

use std::fs;
use std::path::{Path, PathBuf};

use super::{OutputError, OutputKind, io_at};
use crate::time::Instant;

/// The marker's file name inside an output.
pub const MARKER: &str = ".banso-output";

/// What a marker says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub kind: OutputKind,
    /// The as-of of the site in place (absent in markers of older versions).
    pub as_of: Option<Instant>,
}

impl Marker {
    pub(super) fn text(&self) -> String {
        let mut s = format!("banso output: {}\n", self.kind.word());
        if let Some(t) = self.as_of {
            s.push_str(&format!("as-of: {}\n", t.rfc3339()));
        }
        s
    }

    /// The marker of `text`, if its first line is banso's.
    fn parse(text: &str) -> Option<Marker> {
        let mut lines = text.lines();
        let kind = match lines.next()? {
            "banso output: public" => OutputKind::Public,
            "banso output: preview" => OutputKind::Preview,
            _ => return None,
        };
        let as_of = lines
            .find_map(|l| l.strip_prefix("as-of: "))
            .and_then(|t| Instant::parse(t).ok());
        Some(Marker { kind, as_of })
    }
}

/// The marker of the output `dir`, if it has banso's.
pub fn read(dir: &Path) -> Option<Marker> {
    Marker::parse(&fs::read_to_string(dir.join(MARKER)).ok()?)
}

/// Whether `dir` holds banso's marker at all (any kind, any version).
pub(super) fn present(dir: &Path) -> bool {
    read(dir).is_some()
}

/// A random name part, so that a staging folder's name cannot be guessed.
pub(super) fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:016x}", h.finish())
}

/// What a writer found in the output when it started: checked once more at the swap.
#[derive(Debug, Clone)]
pub struct Claim {
    pub(super) out: PathBuf,
    pub(super) kind: OutputKind,
    /// The public output a preview must never touch, checked again at the swap.
    pub(super) public_default: PathBuf,
    pub(super) found: Option<Marker>,
}

impl Claim {
    /// The marker found when the writer started (`None`: no output yet, or not banso's).
    pub fn found(&self) -> Option<&Marker> {
        self.found.as_ref()
    }

    /// The output this claim is for.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The refusal when `now` (the marker at the swap) is a site another writer swapped in
    /// after this one started, with an as-of later than `ours`.
    pub(super) fn superseded_by(&self, now: Option<&Marker>, ours: Instant) -> Option<OutputError> {
        let now = now?;
        let theirs = now.as_of?;
        let changed = self.found.as_ref().is_none_or(|f| f.as_of != now.as_of);
        (changed && theirs > ours).then(|| OutputError::Superseded {
            path: self.out.clone(),
            theirs,
            ours,
        })
    }
}

/// The lock file of an output: `.<name>.banso-lock` in its parent, never inside it.
pub(super) fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.banso-lock"))
}

/// An exclusive lock on an output, held while a writer checks and swaps it; released when
/// dropped. Writers wait for each other here, never while they render or count down.
pub struct Lock {
    /// Held open for the lock's life: closing it releases the lock.
    _file: fs::File,
}

impl Lock {
    pub(super) fn take(parent: &Path, name: &str) -> Result<Lock, OutputError> {
        let path = lock_path(parent, name);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_at(&path))?;
        #[cfg(target_os = "linux")]
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive).map_err(|e| OutputError::Io {
            path: path.clone(),
            source: e.into(),
        })?;
        Ok(Lock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> Option<Instant> {
        Some(Instant::parse(t).unwrap())
    }

    #[test]
    fn a_marker_reads_back_and_older_markers_still_count() {
        let m = Marker {
            kind: OutputKind::Public,
            as_of: at("2027-03-26T10:00"),
        };
        assert_eq!(m.text(), "banso output: public\nas-of: 2027-03-26T10:00:00+09:00\n");
        assert_eq!(Marker::parse(&m.text()), Some(m));
        let old = Marker::parse("banso output: preview\n").unwrap();
        assert_eq!((old.kind, old.as_of), (OutputKind::Preview, None));
        assert_eq!(Marker::parse("something else\n"), None);
    }

    #[test]
    fn only_a_later_site_swapped_in_since_the_start_is_never_replaced() {
        let marker = |t: &str, _by: &str| Marker {
            kind: OutputKind::Public,
            as_of: at(t),
        };
        let claim = Claim {
            out: PathBuf::from("out"),
            kind: OutputKind::Public,
            public_default: PathBuf::from("output"),
            found: Some(marker("2027-03-26T09:00", "a")),
        };
        let ours = at("2027-03-26T09:59:59").unwrap();
        // Unchanged since the start (an earlier as-of after a later one is fine then).
        assert!(
            claim
                .superseded_by(Some(&marker("2027-03-26T09:00", "a")), ours)
                .is_none()
        );
        // Another writer swapped in a site of 10:00 meanwhile: refused.
        let err = claim
            .superseded_by(Some(&marker("2027-03-26T10:00", "b")), ours)
            .unwrap();
        assert!(matches!(err, OutputError::Superseded { .. }), "{err}");
        // …of 09:30: ours is later, so ours goes in.
        assert!(
            claim
                .superseded_by(Some(&marker("2027-03-26T09:30", "b")), ours)
                .is_none()
        );
        // No output at the start, and a later one now: refused; no marker now: fine.
        let fresh = Claim { found: None, ..claim };
        assert!(
            fresh
                .superseded_by(Some(&marker("2027-03-26T10:00", "b")), ours)
                .is_some()
        );
        assert!(fresh.superseded_by(None, ours).is_none());
    }
}
