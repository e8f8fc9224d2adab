//! The private cache `build` keeps between runs, for the next build into the same output: parts
//! of the search index, to take back instead of indexing their pages again
//! ([`crate::render::search::PartCache`], under `search/`), and a manifest of the output's pages
//! (key, length, hash), to read a page whose inputs are unchanged back from the output instead of
//! making it again ([`crate::render::PageCache::on_disk`], under `pages/`).
//!
//! It lives outside every output: under `$BANSO_CACHE_DIR`, or `$XDG_CACHE_HOME/banso`, or
//! `~/.cache/banso`, one directory per output (named by a hash of the output's absolute path).
//! Each directory banso makes there is closed to other users (mode 0700) and each file is
//! readable by its owner only (0600): a web server running as another user cannot show it.
//! A cache inside a banso output (or inside a folder holding one) is refused, since a web
//! server may serve that tree. Only a public `build` fills it: `release` stages and `--preview`
//! builds hold pages not yet public, and do not use it.
//!
//! What it holds is always what a build from nothing would make of the same pages (a part is
//! taken only when every page in it is byte for byte the same; a page only when the output's
//! file has the hash of the page made under its key), so deleting it at any time costs one
//! slower build and nothing else.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{absolute, marker};

/// The cache's own folder name under `XDG_CACHE_HOME` or `~/.cache`.
const APP: &str = "banso";

/// Where the output a cache directory serves is written down, to remove the caches of outputs
/// that are gone.
const OWNER_FILE: &str = "output";

/// How long the cache of an output that no longer exists is kept (a first build makes its cache
/// before its output exists).
const ORPHAN_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// The private cache directory for `what` (`search`) of the output `out`, made if missing;
/// `Err` says why none can be used (the build then goes on without one).
pub fn private_cache(out: &Path, what: &str) -> Result<PathBuf, String> {
    let root = cache_root().ok_or("HOME も XDG_CACHE_HOME も BANSO_CACHE_DIR もありません")?;
    private_cache_in(&root, out, what)
}

/// [`private_cache`] under `root` (the folder holding `banso/`).
fn private_cache_in(root: &Path, out: &Path, what: &str) -> Result<PathBuf, String> {
    let out = absolute(out).unwrap_or_else(|| out.to_path_buf());
    let app = root.join(APP);
    if let Some(served) = absolute(root).and_then(|r| r.ancestors().find(|d| marker::present(d)).map(Path::to_path_buf))
    {
        return Err(format!(
            "{} は banso の出力 {} の中にあり、公開されるおそれがあります",
            app.display(),
            served.display()
        ));
    }
    fs::create_dir_all(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let kind = app.join(what);
    let dir = kind.join(format!("{:032x}", crate::hash::of(out.as_os_str().as_encoded_bytes())));
    for d in [&app, &kind, &dir] {
        private_dir(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    let owner = dir.join(OWNER_FILE);
    let _ = fs::write(&owner, out.as_os_str().as_encoded_bytes());
    remove_orphans(&kind, &dir);
    Ok(dir)
}

fn cache_root() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("BANSO_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME"))
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
}

/// Make `dir` (or take it as it is) as a real directory only its owner may enter.
fn private_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
            return Err(io::Error::other("フォルダではない（シンボリックリンクかファイル）"));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut b = fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(dir)?;
        }
        Err(e) => return Err(e),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Remove the caches (beside `keep`) of outputs that no longer exist, once they are an hour old.
fn remove_orphans(kind: &Path, keep: &Path) {
    for entry in fs::read_dir(kind).into_iter().flatten().flatten() {
        let dir = entry.path();
        if dir == keep {
            continue;
        }
        let owner = dir.join(OWNER_FILE);
        let old = fs::metadata(&owner)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age > ORPHAN_AGE);
        let gone = fs::read(&owner)
            .map(|p| !Path::new(&String::from_utf8_lossy(&p).into_owned()).exists())
            .unwrap_or(true);
        if old && gone {
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_under_a_banso_output_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir_all(&out).unwrap();
        let m = marker::Marker {
            kind: super::super::OutputKind::Public,
            as_of: None,
        };
        fs::write(out.join(marker::MARKER), m.text()).unwrap();
        assert!(marker::present(&out), "the test's marker is one banso recognises");
        let err = private_cache_in(&out.join("cache"), &tmp.path().join("site"), "search").unwrap_err();
        assert!(err.contains("公開されるおそれ"), "{err}");
        assert!(!out.join("cache").exists(), "nothing made inside the output");
    }

    #[test]
    fn each_level_is_closed_to_others_and_each_output_has_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let a = private_cache_in(&root, &tmp.path().join("a"), "search").unwrap();
        let b = private_cache_in(&root, &tmp.path().join("b"), "search").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(root.join(APP)));
        #[cfg(unix)]
        for d in [root.join(APP), root.join(APP).join("search"), a.clone()] {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&d).unwrap().permissions().mode() & 0o777,
                0o700,
                "{}",
                d.display()
            );
        }
        // A symlink where the cache should be is not followed.
        #[cfg(unix)]
        {
            let other = tmp.path().join("other");
            fs::create_dir_all(&other).unwrap();
            std::os::unix::fs::symlink(tmp.path(), other.join(APP)).unwrap();
            assert!(private_cache_in(&other, &tmp.path().join("a"), "search").is_err());
        }
    }

    #[test]
    fn the_caches_of_outputs_that_are_gone_are_removed_once_old() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let gone = private_cache_in(&root, &tmp.path().join("gone"), "search").unwrap();
        let young = private_cache_in(&root, &tmp.path().join("young"), "search").unwrap();
        let owner = fs::File::options().write(true).open(gone.join(OWNER_FILE)).unwrap();
        owner
            .set_modified(std::time::SystemTime::now() - 2 * ORPHAN_AGE)
            .unwrap();
        fs::create_dir_all(tmp.path().join("kept")).unwrap();
        let kept = private_cache_in(&root, &tmp.path().join("kept"), "search").unwrap();
        assert!(!gone.exists(), "an hour old, its output gone: removed");
        assert!(young.exists(), "its output not made yet, but the cache is new: kept");
        assert!(kept.exists());
    }
}
