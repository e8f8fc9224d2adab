//! [`Memo`]: reports as the last validation found them, for `serve`'s rebuilds.
//!
//! Checking a report reads its own file (front matter, body, links, attachments), its cohort,
//! what teams.yaml says of its team (whether the team is there and when it is announced), and
//! what every report shares ([`Shared`]: the site's address, content/, the assets and whether
//! each is a real file inside content/assets/). A report is checked again when one of those
//! changed; otherwise its record and its messages are those of the last validation. The file
//! is known by identity: a load hands out the same `Arc` while a file's bytes are the same (the
//! load cache's stamp), and the memo holds that `Arc`, so its address cannot be taken by another
//! file while the entry lives.
//!
//! Only the per-report check is memoised. The rules across records — a number or a town twice,
//! names that differ only in case, links to other records, a cohort's declared figures — run
//! over every record at each validation, so an edit elsewhere is judged against every report.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::diag::Diagnostics;
use crate::load::MdFile;
use crate::load::raw::RawReport;
use crate::model::{CohortNo, Report};
use crate::time::Instant;

/// What one validation of the content made of each report, kept for the next (`serve`).
#[derive(Default)]
pub struct Memo {
    kept: Mutex<HashMap<Key, Entry>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key {
    /// The loaded file's address; the entry holds the file.
    file: usize,
    cohort: CohortNo,
    /// teams.yaml's answer for the report's team: absent, present but invalid, or its
    /// announcement.
    team: Option<Option<Instant>>,
    shared: u128,
}

impl Key {
    pub(super) fn new(
        file: &Arc<MdFile<RawReport>>,
        cohort: CohortNo,
        team: Option<Option<Instant>>,
        shared: u128,
    ) -> Key {
        Key {
            file: Arc::as_ptr(file) as usize,
            cohort,
            team,
            shared,
        }
    }
}

pub(super) struct Entry {
    /// Kept alive, so that no other file is loaded at its address while the entry exists.
    _file: Arc<MdFile<RawReport>>,
    checked: Checked,
}

/// A report's check: its record, if valid, and its messages.
pub(super) type Checked = Arc<(Option<Report>, Diagnostics)>;

/// One validation's use of a [`Memo`]: the last validation's entries to take from, and this
/// one's, which replace them at the end.
pub(super) struct Round<'m> {
    memo: &'m Memo,
    earlier: HashMap<Key, Entry>,
    made: Mutex<HashMap<Key, Entry>>,
    /// [`Shared`] hashed.
    pub(super) shared: u128,
}

impl Memo {
    pub(super) fn begin(&self, shared: u128) -> Round<'_> {
        Round {
            memo: self,
            earlier: std::mem::take(&mut *self.kept.lock().unwrap_or_else(|e| e.into_inner())),
            made: Mutex::default(),
            shared,
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Round<'_> {
    /// The last validation's outcome for `key`.
    pub(super) fn get(&self, key: &Key) -> Option<Checked> {
        self.earlier.get(key).map(|e| Arc::clone(&e.checked))
    }

    /// This validation's outcomes, each with its key and file.
    pub(super) fn keep(&self, made: impl IntoIterator<Item = (Key, Arc<MdFile<RawReport>>, Checked)>) {
        let mut m = self.made.lock().unwrap_or_else(|e| e.into_inner());
        m.extend(
            made.into_iter()
                .map(|(key, file, checked)| (key, Entry { _file: file, checked })),
        );
    }
}

/// The memo keeps this validation's entries only: a file no longer loaded is let go.
impl Drop for Round<'_> {
    fn drop(&mut self) {
        let made = std::mem::take(&mut *self.made.lock().unwrap_or_else(|e| e.into_inner()));
        *self.memo.kept.lock().unwrap_or_else(|e| e.into_inner()) = made;
    }
}

/// What every report's check reads besides its own file and team, hashed: the site's address,
/// the content folder, and each asset (its path, file, size and whether it is a real file
/// inside content/assets/).
pub(super) fn shared(l: &super::Lookups, have: (bool, bool)) -> u128 {
    let mut h = crate::hash::Hash128::default();
    h.bytes(l.base_url.as_str().as_bytes()).bytes(&[0]);
    h.bytes(l.root.as_os_str().as_encoded_bytes())
        .bytes(&[0, u8::from(have.0), u8::from(have.1)]);
    for (path, asset) in l.assets {
        let inside = l.real_assets.contains(path);
        h.bytes(&(path.0.len() as u64).to_le_bytes()).bytes(path.0.as_bytes());
        let source = asset.source.as_os_str().as_encoded_bytes();
        h.bytes(&(source.len() as u64).to_le_bytes()).bytes(source);
        h.bytes(&asset.size.to_le_bytes()).bytes(&[u8::from(inside)]);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::{Cache, load_content_cached};

    fn validated(root: &Path, load: &Cache, memo: &Memo) -> (Vec<String>, String) {
        let mut diags = Diagnostics::new();
        let raw = load_content_cached(root, &mut diags, Some(load)).unwrap();
        let reg = super::super::validate_with(&raw, &mut diags, Some(memo));
        let reports = reg.reports.iter().map(|r| format!("{r:?}")).collect();
        (reports, diags.render())
    }

    /// The memo holds the reports of the latest validation, and what it gives back is what a
    /// validation without it makes.
    #[test]
    fn a_memo_keeps_the_latest_validations_reports_and_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("content");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/embargo/content");
        for entry in walkdir::WalkDir::new(&fixture)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let to = root.join(entry.path().strip_prefix(&fixture).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), to).unwrap();
        }
        let (load, memo) = (Cache::default(), Memo::default());
        let first = validated(&root, &load, &memo);
        assert_eq!(memo.len(), 2, "both reports of the fixture");
        assert_eq!(validated(&root, &load, &memo), first, "taken from the memo: the same");
        assert_eq!(
            validated(&root, &Cache::default(), &Memo::default()),
            first,
            "as without one"
        );

        std::fs::remove_file(root.join("cohorts/1/reports/final-hold.md")).unwrap();
        let (reports, _) = validated(&root, &load, &memo);
        assert_eq!((reports.len(), memo.len()), (1, 1), "a report gone is let go");
    }
}
