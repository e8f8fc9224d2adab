//! Files kept in the private cache between builds (`output::private_cache`): a leaf module the
//! phases that keep something (search parts, the pages' manifest) share.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Write `bytes` to `path`, readable by its owner only, under a temporary name renamed into
/// place: a reader finds the file whole or not at all.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    let written = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&tmp)?.write_all(bytes)?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}
