//! The fingerprint of a content folder: a hash of every file's path and bytes. `release` takes
//! it *before* it reads the content it stages, so any edit made after that moment, while it
//! stages or waits, changes the fingerprint and is staged again (SPEC §3 "Release"). Bytes, not
//! modification times: a file saved again unchanged changes nothing, a changed file always
//! does. Dot-files (an editor's swap files) are left out, as `load` leaves them out.

use std::path::Path;

use crate::hash::Hash128;

/// The fingerprint of the content under `root` (`None` if a file or folder cannot be read,
/// which counts as a change).
pub fn fingerprint(root: &Path) -> Option<u128> {
    let mut h = Hash128::default();
    let walk = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.ok()?;
        if !entry.file_type().is_file() && !entry.path_is_symlink() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).ok()?;
        let bytes = std::fs::read(entry.path()).ok()?;
        h.bytes(rel.to_string_lossy().as_bytes())
            .bytes(&[0])
            .bytes(&(bytes.len() as u64).to_le_bytes())
            .bytes(&bytes);
    }
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn bytes_change_it_and_saving_the_same_bytes_or_an_editors_swap_file_does_not() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("pages")).unwrap();
        std::fs::write(root.join("pages/a.md"), "one").unwrap();
        let first = fingerprint(root).unwrap();
        std::fs::write(root.join("pages/a.md"), "one").unwrap();
        assert_eq!(fingerprint(root), Some(first), "saved again unchanged");
        std::fs::write(root.join("pages/.a.md.swp"), "editor").unwrap();
        assert_eq!(fingerprint(root), Some(first), "a dot-file is not content");
        std::fs::write(root.join("pages/a.md"), "two").unwrap();
        assert_ne!(fingerprint(root), Some(first), "same size, other bytes");
        std::fs::write(root.join("pages/a.md"), "one").unwrap();
        std::fs::rename(root.join("pages/a.md"), root.join("pages/b.md")).unwrap();
        assert_ne!(fingerprint(root), Some(first), "a renamed file");
    }
}
