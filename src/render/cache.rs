//! Pages of the previous build, for `serve` (in memory) and `build` (read back from the output
//! it replaces): a page whose inputs are unchanged is taken as it was instead of being made
//! again.
//!
//! A page is found under one of two keys (128-bit, `crate::hash`):
//!
//! - **What it is made from** ([`super::renderer::Renderer::page_from`]), for the page families
//!   with many pages or large ones (reports and their lists, municipalities, 課題分野, 府省庁等,
//!   team lists, prefectures): the family writes the page's inputs — its records by their derived `Hash`
//!   (every field), each team it shows by a team key (the team with its published members, its
//!   municipality and its row as every page lists it; with its reports' lines and sort keys on
//!   a page that lists them, so a report edit does not remake a team list or a 課題分野 page), and what
//!   `Published` answers for it (whether each link target of a body is shown, attachment sizes) —
//!   and the renderer adds the layout's inputs (site, menus, preview banner, options, address,
//!   theme), the template, the path and the page's 「更新」 date. On a match the page's view is
//!   not even built, which is most of a rebuild's time at 10,000 reports. A page made with files
//!   beside it (a prefecture's charts and data) keeps them under the same key, and is taken only
//!   with all of them ([`PageCache::get_with_files`]); its key names what they are made from too.
//! - **Its whole context** ([`key`]) for every other page: the theme, the template name and the
//!   layout and view as JSON. The view is built, then tera and the print pass are skipped.
//!
//! Why holdback and privacy stay exact: every key is made after `publish`, from the published
//! view only. A held record is not in it, so it reaches no key; what it changes when it is
//! released (the teams and reports listed, a cohort's declared figures, the 集計時点 of charts,
//! whether a link is kept) changes the published records or `Published::shows`, which are in the
//! keys of the pages that show them; as-of itself reaches a page only through those, the 更新
//! date and the preview banner, all in the key. Person attributes never reach a page, so they are
//! in no key. A key made from inputs must name all a family reads: the property test
//! `tests/suite/incremental_property.rs` edits records of every kind, moves the as-of across
//! each release instant both ways, with and without `--preview`, and compares every byte with
//! a build from nothing. Only pages of the latest build are kept.
//!
//! `build` keeps one on disk ([`PageCache::on_disk`]): not the pages, which are in the output
//! already, but a manifest in the private cache (`output::private_cache`) of each page's key,
//! path, length and hash. A page whose key is in it is read back from the output in place and
//! taken only if its bytes have that length and hash: bytes that hash so are the bytes made
//! under that key, so a page edited by hand, a file replaced or a manifest left by an earlier
//! output costs a page made again, never a wrong one. The manifest is kept only by the banso
//! that wrote it ([`crate::hash::program`]), and, like the search parts, only for a public
//! build of now or of an earlier instant, never with `--minify` (`cmd/build.rs`). Keys are made
//! from the published view as in `serve`, so the release crossings the property test moves
//! `serve` across are the same keys; the disk adds only the check of each file's bytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::hash::Hash128;

#[derive(Default)]
pub struct PageCache {
    /// The pages themselves, in memory (`serve`; unused on disk).
    maps: Mutex<Maps>,
    /// The manifest of the output's pages (`build`).
    disk: Option<Disk>,
}

/// The manifest of the pages in an output (see the module doc).
struct Disk {
    /// The manifest's file, in the private cache.
    file: PathBuf,
    /// The output whose pages the manifest names.
    output: PathBuf,
    /// The manifest as the previous build left it.
    last: HashMap<u128, Entry>,
    /// This build's pages, for the next manifest.
    this: Mutex<HashMap<u128, Entry>>,
    /// Pages read back from the output.
    taken: std::sync::atomic::AtomicUsize,
}

#[derive(Clone, PartialEq, Eq, Debug)]
struct Entry {
    /// The page's file under the output (`reports/…/index.html`).
    path: String,
    len: u64,
    hash: u128,
}

const MANIFEST: &str = "pages.manifest";
const MANIFEST_MAGIC: &[u8] = b"banso pages 1\n";

#[derive(Default)]
struct Maps {
    /// Pages of the previous build.
    last: Generation,
    /// Pages of the build under way.
    this: Generation,
}

/// The files a page is made with beside it (charts, data), by path, in the order made.
pub(super) type Files = Vec<(String, Arc<Vec<u8>>)>;

/// One build's pages, and the files made beside some of them ([`PageCache::get_files`]).
#[derive(Default)]
struct Generation {
    pages: HashMap<u128, Arc<Vec<u8>>>,
    files: HashMap<u128, Arc<Files>>,
}

/// The key of the `i`-th file made beside the page under `key`, on disk (the manifest keeps
/// one entry per file).
fn file_key(key: u128, i: usize) -> u128 {
    Hash128::default().bytes(b"beside").value(&(key, i as u64)).finish()
}

/// What a page is made from.
pub(super) fn key(theme: u128, template: &str, layout: &impl Serialize, page: &impl Serialize) -> u128 {
    let mut w = Hash128::default();
    w.bytes(&theme.to_le_bytes()).bytes(template.as_bytes()).bytes(&[0xff]);
    // Serialising into a hasher cannot fail for these plain data types; if it ever did, the key
    // would still differ from any earlier one only by chance, so a failure means "not cached".
    let ok = serde_json::to_writer(&mut w, layout).is_ok() && serde_json::to_writer(&mut w, page).is_ok();
    if ok { w.finish() } else { 0 }
}

impl PageCache {
    /// A cache whose pages are those of `output` named by the manifest kept in `dir` (a private
    /// directory: see `output::private_cache`). A missing or unreadable manifest is an empty one.
    pub fn on_disk(dir: &Path, output: &Path) -> Self {
        let file = dir.join(MANIFEST);
        let last = std::fs::read(&file).ok().and_then(|b| decode(&b)).unwrap_or_default();
        PageCache {
            maps: Mutex::default(),
            disk: Some(Disk {
                file,
                output: output.to_path_buf(),
                last,
                this: Mutex::default(),
                taken: std::sync::atomic::AtomicUsize::new(0),
            }),
        }
    }

    /// The page rendered under `key` by the previous build (or earlier in this one).
    pub(super) fn get(&self, key: u128) -> Option<Arc<Vec<u8>>> {
        let page = self.page(key)?;
        self.count_taken();
        Some(page)
    }

    /// The page under `key` and the files made beside it ([`PageCache::get_files`]), or
    /// `None` unless all of them are found; a page is counted as taken only then.
    pub(super) fn get_with_files(&self, key: u128) -> Option<(Arc<Vec<u8>>, Files)> {
        let page = self.page(key)?;
        let files = self.get_files(key)?;
        self.count_taken();
        Some((page, files))
    }

    fn count_taken(&self) {
        if let Some(disk) = &self.disk {
            disk.taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// [`PageCache::get`] without counting the page as taken.
    fn page(&self, key: u128) -> Option<Arc<Vec<u8>>> {
        if key == 0 {
            return None;
        }
        if let Some(disk) = &self.disk {
            let entry = disk.last.get(&key)?;
            let bytes = disk.read(entry)?;
            lock(&disk.this).insert(key, entry.clone());
            return Some(Arc::new(bytes));
        }
        let mut maps = lock(&self.maps);
        let bytes = match maps.this.pages.get(&key) {
            Some(b) => Arc::clone(b),
            None => maps.last.pages.remove(&key)?,
        };
        maps.this.pages.insert(key, Arc::clone(&bytes));
        Some(bytes)
    }

    /// The files made beside the page under `key` by the previous build (or earlier in this
    /// one): all of them as they were made, or `None`. Asked once the page was found
    /// ([`PageCache::get_with_files`]): a page with files is taken only with them.
    fn get_files(&self, key: u128) -> Option<Files> {
        if let Some(disk) = &self.disk {
            // The files are under keys of their own, one after another; the first key with no
            // entry ends them (a page with no files has none).
            let mut taken = Vec::new();
            let mut files = Vec::new();
            for k in (0..).map(|i| file_key(key, i)) {
                let Some(entry) = disk.last.get(&k) else { break };
                files.push((entry.path.clone(), Arc::new(disk.read(entry)?)));
                taken.push((k, entry.clone()));
            }
            lock(&disk.this).extend(taken);
            return Some(files);
        }
        // In memory, a page made with no files has no entry (most pages).
        let mut maps = lock(&self.maps);
        let files = match maps.this.files.get(&key) {
            Some(f) => Arc::clone(f),
            None => match maps.last.files.remove(&key) {
                Some(f) => f,
                None => return Some(Vec::new()),
            },
        };
        maps.this.files.insert(key, Arc::clone(&files));
        Some(files.as_ref().clone())
    }

    /// `files` made beside the page under `key` (call it as the page is [`PageCache::put`]).
    pub(super) fn put_files(&self, key: u128, files: &[(String, Arc<Vec<u8>>)]) {
        if key == 0 || files.is_empty() {
            return;
        }
        match &self.disk {
            Some(disk) => {
                let mut this = lock(&disk.this);
                for (i, (path, bytes)) in files.iter().enumerate() {
                    let entry = Entry {
                        path: path.clone(),
                        len: bytes.len() as u64,
                        hash: crate::hash::of(bytes),
                    };
                    this.insert(file_key(key, i), entry);
                }
            }
            None => {
                lock(&self.maps).this.files.insert(key, Arc::new(files.to_vec()));
            }
        }
    }

    /// `bytes` made under `key`, to be written at `file` (a path under the output).
    pub(super) fn put(&self, key: u128, file: &str, bytes: Arc<Vec<u8>>) {
        if key == 0 {
            return;
        }
        match &self.disk {
            Some(disk) => {
                let entry = Entry {
                    path: file.to_string(),
                    len: bytes.len() as u64,
                    hash: crate::hash::of(&bytes),
                };
                lock(&disk.this).insert(key, entry);
            }
            None => {
                lock(&self.maps).this.pages.insert(key, bytes);
            }
        }
    }

    /// How many pages were read back from the output instead of made again.
    pub fn taken_from_disk(&self) -> usize {
        self.disk
            .as_ref()
            .map_or(0, |d| d.taken.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Write down this build's pages for the next build into the same output (call it once the
    /// output holds them). A manifest that cannot be written only makes the next build slower.
    pub fn keep(&self) {
        if let Some(disk) = &self.disk {
            let _ = crate::kept::write(&disk.file, &encode(&lock(&disk.this)));
        }
    }

    /// The build is done: its pages become the ones to reuse, the rest are dropped. (On disk,
    /// nothing is held in memory: the pages are the output's, named by [`PageCache::keep`].)
    pub fn finish_build(&self) {
        let mut maps = lock(&self.maps);
        maps.last = std::mem::take(&mut maps.this);
    }

    /// Pages kept.
    pub fn len(&self) -> usize {
        let maps = lock(&self.maps);
        maps.last.pages.len() + maps.this.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Disk {
    /// The page `entry` names, if the output holds it as it was made: a regular file (not a
    /// link) of the length and hash written down.
    fn read(&self, entry: &Entry) -> Option<Vec<u8>> {
        use std::io::Read;
        if !super::inside_output(&entry.path) {
            return None;
        }
        let path = self.output.join(&entry.path);
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        // Neither a link (followed) nor a pipe (waited on): the file is looked at through the
        // handle opened, so it cannot be swapped between the look and the read.
        #[cfg(target_os = "linux")]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
        );
        #[cfg(not(target_os = "linux"))]
        if std::fs::symlink_metadata(&path).ok()?.file_type().is_symlink() {
            return None;
        }
        let file = options.open(&path).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || meta.len() != entry.len {
            return None;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.len).ok()?);
        file.take(entry.len + 1).read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 == entry.len && crate::hash::of(&bytes) == entry.hash).then_some(bytes)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The manifest as bytes: a header with the banso that made the pages, then each entry's key,
/// length, hash and path (after its length), in key order so the same pages give the same file.
fn encode(entries: &HashMap<u128, Entry>) -> Vec<u8> {
    let mut keys: Vec<&u128> = entries.keys().collect();
    keys.sort_unstable();
    let mut out = Vec::with_capacity(MANIFEST_MAGIC.len() + 16 + entries.len() * 96);
    out.extend_from_slice(MANIFEST_MAGIC);
    out.extend_from_slice(&crate::hash::program().to_le_bytes());
    for key in keys {
        let e = &entries[key];
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&e.len.to_le_bytes());
        out.extend_from_slice(&e.hash.to_le_bytes());
        out.extend_from_slice(&(e.path.len() as u32).to_le_bytes());
        out.extend_from_slice(e.path.as_bytes());
    }
    out
}

/// [`encode`] read back; `None` unless the whole file reads exactly and this banso made it.
fn decode(bytes: &[u8]) -> Option<HashMap<u128, Entry>> {
    fn take<const N: usize>(rest: &mut &[u8]) -> Option<[u8; N]> {
        let (head, tail) = rest.split_first_chunk::<N>()?;
        *rest = tail;
        Some(*head)
    }
    let mut rest = bytes.strip_prefix(MANIFEST_MAGIC)?;
    if u128::from_le_bytes(take(&mut rest)?) != crate::hash::program() {
        return None;
    }
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let key = u128::from_le_bytes(take(&mut rest)?);
        let len = u64::from_le_bytes(take(&mut rest)?);
        let hash = u128::from_le_bytes(take(&mut rest)?);
        let path_len = u32::from_le_bytes(take(&mut rest)?) as usize;
        let path = std::str::from_utf8(rest.get(..path_len)?).ok()?.to_string();
        rest = &rest[path_len..];
        entries.insert(key, Entry { path, len, hash });
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_to_what_a_page_is_made_from_changes_its_key() {
        let k = |theme, template, root, t| {
            key(
                theme,
                template,
                &serde_json::json!({ "root": root }),
                &serde_json::json!({ "t": t }),
            )
        };
        let base = k(1, "report.html", "../", "a");
        assert_eq!(base, k(1, "report.html", "../", "a"));
        for other in [
            k(2, "report.html", "../", "a"),
            k(1, "page.html", "../", "a"),
            k(1, "report.html", "./", "a"),
            k(1, "report.html", "../", "b"),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn only_the_latest_build_is_kept() {
        let cache = PageCache::default();
        cache.put(7, "7/index.html", Arc::new(b"seven".to_vec()));
        cache.put(8, "8/index.html", Arc::new(b"eight".to_vec()));
        cache.finish_build();
        assert_eq!(cache.get(7).as_deref().map(Vec::as_slice), Some(&b"seven"[..]));
        cache.finish_build(); // page 8 was not part of this build
        assert_eq!(cache.get(8), None);
        assert_eq!(cache.get(7).as_deref().map(Vec::as_slice), Some(&b"seven"[..]));
        assert_eq!(cache.get(0), None);
    }

    fn files(list: &[(&str, &[u8])]) -> Files {
        list.iter()
            .map(|(path, bytes)| (path.to_string(), Arc::new(bytes.to_vec())))
            .collect()
    }

    #[test]
    fn the_files_beside_a_page_come_back_with_it_in_order() {
        let cache = PageCache::default();
        let made = files(&[("p/b.svg", b"<svg/>"), ("p/a.csv", b"a,b\n")]);
        cache.put(7, "p/index.html", Arc::new(b"page".to_vec()));
        cache.put_files(7, &made);
        cache.put(8, "q/index.html", Arc::new(b"no files".to_vec()));
        cache.put_files(8, &[]);
        cache.finish_build();
        let page = Arc::new(b"page".to_vec());
        assert_eq!(cache.get_with_files(7), Some((Arc::clone(&page), made.clone())));
        assert_eq!(cache.get_with_files(8).map(|(_, f)| f), Some(Vec::new()));
        cache.finish_build(); // both taken by this build: kept for the next
        assert_eq!(cache.get_with_files(7), Some((page, made)));
    }

    #[test]
    fn files_on_disk_are_taken_all_or_none() {
        let (_tmp, dir, out) = folders();
        let first = PageCache::on_disk(&dir, &out);
        let made = files(&[("p/a.svg", b"<svg>a</svg>"), ("p/b.csv", b"b\n")]);
        for (path, bytes) in made.iter().chain(&files(&[("p/index.html", b"page")])) {
            std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
            std::fs::write(out.join(path), bytes.as_slice()).unwrap();
        }
        first.put(1, "p/index.html", Arc::new(b"page".to_vec()));
        first.put_files(1, &made);
        first.keep();
        let next = PageCache::on_disk(&dir, &out);
        let page = Arc::new(b"page".to_vec());
        assert_eq!(next.get_with_files(1), Some((Arc::clone(&page), made.clone())));
        assert_eq!(
            next.taken_from_disk(),
            1,
            "pages are counted, not the files beside them"
        );
        next.keep(); // what it took is named again
        let third = PageCache::on_disk(&dir, &out);
        assert_eq!(third.get_with_files(1), Some((page, made)));
        // One file changed in the output: none of them is taken, and the page is not counted.
        std::fs::write(out.join("p/b.csv"), b"B\n").unwrap();
        let fourth = PageCache::on_disk(&dir, &out);
        assert_eq!(fourth.get_with_files(1), None);
        assert_eq!(fourth.taken_from_disk(), 0);
    }

    /// A scratch folder holding a private cache folder (made) and an output folder (not yet).
    fn folders() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, out) = (tmp.path().join("cache"), tmp.path().join("out"));
        std::fs::create_dir_all(&dir).unwrap();
        (tmp, dir, out)
    }

    /// A build's manifest, then a cache for the next build over the same output.
    fn kept(dir: &Path, out: &Path, pages: &[(u128, &str, &[u8])]) -> PageCache {
        let cache = PageCache::on_disk(dir, out);
        for (key, path, bytes) in pages {
            std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
            std::fs::write(out.join(path), bytes).unwrap();
            cache.put(*key, path, Arc::new(bytes.to_vec()));
        }
        cache.finish_build();
        cache.keep();
        PageCache::on_disk(dir, out)
    }

    #[test]
    fn a_page_on_disk_is_taken_only_as_it_was_made() {
        let (tmp, dir, out) = folders();
        let pages: [(u128, &str, &[u8]); 3] = [
            (1, "a/index.html", b"<p>a</p>"),
            (2, "b/index.html", b"<p>b</p>"),
            (3, "c/index.html", b"<p>c</p>"),
        ];
        let next = kept(&dir, &out, &pages);
        assert_eq!(next.get(1).as_deref().map(Vec::as_slice), Some(&b"<p>a</p>"[..]));
        assert_eq!(next.get(9), None, "a key no build made");
        // Edited in place, same length: the hash tells.
        std::fs::write(out.join("b/index.html"), b"<p>B</p>").unwrap();
        assert_eq!(next.get(2), None);
        // Replaced by a link to a file of the same bytes: not a page this build wrote.
        #[cfg(target_os = "linux")]
        {
            std::fs::write(tmp.path().join("elsewhere"), b"<p>c</p>").unwrap();
            std::fs::remove_file(out.join("c/index.html")).unwrap();
            std::os::unix::fs::symlink(tmp.path().join("elsewhere"), out.join("c/index.html")).unwrap();
            assert_eq!(next.get(3), None);
        }
        // The next manifest names what that build took or made, nothing else.
        next.put(4, "d/index.html", Arc::new(b"<p>d</p>".to_vec()));
        std::fs::create_dir_all(out.join("d")).unwrap();
        std::fs::write(out.join("d/index.html"), b"<p>d</p>").unwrap();
        next.keep();
        let third = PageCache::on_disk(&dir, &out);
        assert_eq!(third.get(1).as_deref().map(Vec::as_slice), Some(&b"<p>a</p>"[..]));
        assert_eq!(third.get(4).as_deref().map(Vec::as_slice), Some(&b"<p>d</p>"[..]));
        std::fs::write(out.join("b/index.html"), b"<p>b</p>").unwrap();
        assert_eq!(third.get(2), None, "not taken by the build before, so not kept");
    }

    #[test]
    fn a_damaged_or_foreign_manifest_is_an_empty_one() {
        let (tmp, dir, out) = folders();
        kept(&dir, &out, &[(1, "a/index.html", b"<p>a</p>")]);
        let file = dir.join(MANIFEST);
        let whole = std::fs::read(&file).unwrap();
        assert!(decode(&whole).is_some_and(|m| m.len() == 1));
        // Cut short, or written by another banso (another program fingerprint).
        assert_eq!(decode(&whole[..whole.len() - 3]), None);
        let mut other = whole.clone();
        other[MANIFEST_MAGIC.len()] ^= 1;
        assert_eq!(decode(&other), None);
        std::fs::write(&file, &other).unwrap();
        assert_eq!(PageCache::on_disk(&dir, &out).get(1), None);
        // A path that leads out of the output is never read.
        let mut outside = HashMap::new();
        std::fs::write(tmp.path().join("secret"), b"<p>a</p>").unwrap();
        outside.insert(
            1,
            Entry {
                path: "../secret".into(),
                len: 8,
                hash: crate::hash::of(b"<p>a</p>"),
            },
        );
        std::fs::write(&file, encode(&outside)).unwrap();
        assert_eq!(PageCache::on_disk(&dir, &out).get(1), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_manifest_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_tmp, dir, out) = folders();
        kept(&dir, &out, &[(1, "a/index.html", b"<p>a</p>")]);
        let mode = std::fs::metadata(dir.join(MANIFEST)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
