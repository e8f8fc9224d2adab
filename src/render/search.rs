//! 検索 — a Pagefind index of the built pages, made in memory from the plan.
//!
//! Only pages already in the plan are indexed, so the index can hold nothing that `publish`
//! held back. Pagefind's extended build segments Japanese into words, so a two-kanji word of a
//! report finds it. Each page marks what to index with `data-pagefind-body` on `<main>`;
//! pages without it are left out: 404, the search page, and the pages that only list what
//! other pages hold (home, the report list, the lists of prefectures, 課題分野, ministries and
//! cohorts, open data), so a search leads to the report or town itself; the search page finds
//! those pages by name from its own table of them (`shortcuts.rs`). Prefecture, 課題分野
//! and ministry pages are found by their own words, not by every team they list, and a town's
//! page not by the words of its reports' summaries (`data-pagefind-ignore` on those lists). Only `digest` of each page is handed to Pagefind.
//!
//! Pagefind indexes one page at a time, and its Japanese segmentation is the slowest step of a
//! large build. A large site's index is therefore made in parts, each indexed on its own core;
//! the search page merges them in the browser (`mergeIndex`). The number of parts depends only
//! on the number of pages, so the output does not depend on the machine. A site of up to
//! [`SPLIT_FROM`] pages has one part. A page's part is chosen by its path (`part_of`), not its
//! position, so an added or removed report changes the part it falls in and leaves the others
//! as they were: a [`PartCache`] then gives every other part back without indexing it again
//! (`serve` keeps one in memory, `build` one on disk, [`PartCache::on_disk`]).

use std::collections::HashMap;
use std::sync::Mutex;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use super::{Blob, Plan, RenderError};

/// Where the index and Pagefind's scripts go.
pub const BUNDLE_DIR: &str = crate::model::urls::SEARCH_BUNDLE;

/// Pages per part of the index, at most: a part's index is held in memory while it is made,
/// so smaller parts keep a large build's peak memory down (two parts at a time on two cores),
/// and an edit re-indexes the part its page is in, so smaller parts make an edit cheaper (a
/// part of 1,000 pages takes about a second on one core).
pub const PART_PAGES: usize = 1000;

/// A site of more pages than this is indexed in at least two parts, so that two cores share
/// the work and an edit re-indexes half of it (the real site indexes about 200 pages); smaller
/// sites keep one part and the browser fetches one index.
pub const SPLIT_FROM: usize = 100;

/// Parts at most: the browser fetches each part's entry and metadata when search starts, and a
/// chunk of each part's word index for each word searched.
pub const MAX_PARTS: usize = 16;

fn failed(e: impl std::fmt::Display) -> RenderError {
    RenderError::Data(BUNDLE_DIR.into(), e.to_string())
}

/// The pages to index, in site order: `(url directory, html)` of every `…/index.html` whose
/// `<main>` carries `data-pagefind-body`. A theme's static files are not pages, whether the
/// index is made before they join the plan (`build --minify`) or after (`build`, `serve`).
fn indexable(plan: &Plan) -> Vec<(&str, &[u8])> {
    use rayon::prelude::*;
    // In parallel (tens of megabytes are searched for the mark at 10,000 reports), in the
    // plan's order.
    plan.files()
        .par_iter()
        .filter(|(path, _)| !path.starts_with(crate::model::urls::STATIC))
        .filter_map(|(path, blob)| match (path.strip_suffix("index.html"), blob) {
            (Some(dir), Blob::Bytes(bytes)) if marked(bytes) => Some((dir, bytes.as_slice())),
            _ => None,
        })
        .collect()
}

/// Whether a page asks to be indexed. Pages are made from text, so no UTF-8 check is needed
/// first; the mark sits near the top of a page, so the search usually stops early.
fn marked(html: &[u8]) -> bool {
    memchr::memmem::find(html, b"data-pagefind-body").is_some()
}

/// How many parts an index of `pages` pages is made in: a power of two, so they share two or
/// four cores evenly, at least two above [`SPLIT_FROM`] pages, at most [`MAX_PARTS`].
fn part_count(pages: usize) -> usize {
    let least = if pages > SPLIT_FROM { 2 } else { 1 };
    pages.div_ceil(PART_PAGES).max(least).next_power_of_two().min(MAX_PARTS)
}

/// The bundle directory of each part after the first (`pagefind/part-2/` …), which the search
/// page merges into the first.
pub fn extra_parts(plan: &Plan) -> Vec<String> {
    (2..=part_count(indexable(plan).len())).map(part_dir).collect()
}

fn part_dir(no: usize) -> String {
    if no == 1 {
        BUNDLE_DIR.to_string()
    } else {
        format!("{BUNDLE_DIR}part-{no}/")
    }
}

/// Index every indexable page of `plan`; returns the bundle's files (paths under `pagefind/`).
pub fn search_index(plan: &Plan) -> Result<Files, RenderError> {
    search_index_with(plan, None)
}

/// The parts of an earlier index: a part whose pages are what they were (the same paths and
/// the same `digest`s, indexed by the same banso) is taken as it was, so an edit to one report
/// re-indexes the part its page is in, not the site. Only the latest index's parts are kept.
///
/// `serve` keeps one in memory; `build` one in a private directory ([`PartCache::on_disk`]),
/// one file per part, named by the part's key. A file that cannot be read back whole is
/// indexed again, so a damaged cache costs time, never a wrong index.
#[derive(Default)]
pub struct PartCache {
    parts: Mutex<HashMap<u128, Files>>,
    disk: Option<std::path::PathBuf>,
    /// Parts taken back instead of indexed again, over the cache's life.
    taken: std::sync::atomic::AtomicUsize,
}

impl PartCache {
    /// A cache kept in `dir` (which the caller made private: see `output::private_cache`).
    pub fn on_disk(dir: std::path::PathBuf) -> Self {
        PartCache {
            parts: Mutex::default(),
            disk: Some(dir),
            taken: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// How many parts were taken back instead of indexed again.
    pub fn taken(&self) -> usize {
        self.taken.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The parts kept from the previous index (for memory, taken out: they are put back as
    /// this index's parts when it is done).
    fn earlier(&self) -> HashMap<u128, Files> {
        std::mem::take(&mut *self.parts.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// A kept part, from memory or from disk.
    fn get(&self, earlier: &HashMap<u128, Files>, key: u128) -> Option<Files> {
        if let Some(files) = earlier.get(&key) {
            return Some(files.clone());
        }
        let path = self.disk.as_ref()?.join(part_file(key));
        let bytes = std::fs::read(&path).ok()?;
        let files = decode_part(&bytes);
        if files.is_none() {
            // Damaged: removed, so that this build's part is written in its place.
            let _ = std::fs::remove_file(&path);
        }
        files
    }

    /// This index's parts become the ones kept; the others go.
    fn keep(&self, made: &[(u128, Files)]) {
        let Some(dir) = &self.disk else {
            *self.parts.lock().unwrap_or_else(|e| e.into_inner()) =
                made.iter().map(|(k, files)| (*k, files.clone())).collect();
            return;
        };
        let names: std::collections::HashSet<String> = made.iter().map(|(k, _)| part_file(*k)).collect();
        // A cache that cannot be written only makes the next build slower.
        for (key, files) in made {
            let path = dir.join(part_file(*key));
            if !path.exists() {
                let _ = crate::kept::write(&path, &encode_part(files));
            }
        }
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(PART_SUFFIX) && !names.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

const PART_SUFFIX: &str = ".part";
const PART_MAGIC: &[u8] = b"banso search part 1\n";

fn part_file(key: u128) -> String {
    format!("{key:032x}{PART_SUFFIX}")
}

/// A part's files as one file: a header, then each path and contents with their lengths.
fn encode_part(files: &Files) -> Vec<u8> {
    let size: usize = files.iter().map(|(n, b)| n.len() + b.len() + 12).sum();
    let mut out = Vec::with_capacity(PART_MAGIC.len() + size);
    out.extend_from_slice(PART_MAGIC);
    for (name, bytes) in files {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

/// [`encode_part`] read back; `None` unless the whole file reads exactly.
fn decode_part(bytes: &[u8]) -> Option<Files> {
    fn take<'b>(rest: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
        let (head, tail) = (rest.get(..n)?, rest.get(n..)?);
        *rest = tail;
        Some(head)
    }
    let mut rest = bytes.strip_prefix(PART_MAGIC)?;
    let mut files = Vec::new();
    while !rest.is_empty() {
        let name_len = u32::from_le_bytes(take(&mut rest, 4)?.try_into().ok()?) as usize;
        let name = std::str::from_utf8(take(&mut rest, name_len)?).ok()?.to_string();
        let len = usize::try_from(u64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?)).ok()?;
        files.push((name, take(&mut rest, len)?.to_vec()));
    }
    Some(files)
}

/// Bundle files: path under `pagefind/` and contents.
type Files = Vec<(String, Vec<u8>)>;

/// [`search_index`], reusing the unchanged parts of `cache`.
pub fn search_index_with(plan: &Plan, cache: Option<&PartCache>) -> Result<Files, RenderError> {
    let pages: Vec<(&str, String)> = indexable(plan)
        .into_par_iter()
        .map(|(dir, html)| {
            (
                dir,
                digest(html).unwrap_or_else(|| String::from_utf8_lossy(html).into_owned()),
            )
        })
        .collect();
    let n = part_count(pages.len());
    let mut parts: Vec<Vec<(&str, &str)>> = vec![Vec::new(); n];
    for (dir, html) in &pages {
        parts[part_of(dir, n)].push((dir, html));
    }
    let earlier = cache.map(PartCache::earlier).unwrap_or_default();
    let one = |i: usize, pages: &Vec<(&str, &str)>| {
        let key = part_key(i + 1, pages);
        match cache.and_then(|c| c.get(&earlier, key)) {
            Some(files) => {
                if let Some(c) = cache {
                    c.taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                Ok((key, files))
            }
            None => index_part(i + 1, pages).map(|files| (key, files)),
        }
    };
    let made: Vec<(u128, Files)> = on_plain_threads(&parts, one).into_iter().collect::<Result<_, _>>()?;
    if let Some(c) = cache {
        c.keep(&made);
    }
    Ok(made.into_iter().flat_map(|(_, files)| files).collect())
}

/// `f(i, item)` for every item, on as many plain threads as the pool has (not on the pool's
/// own): each part is indexed inside a runtime of its own, and Pagefind works on the rayon pool
/// within it, so a pool thread waiting there could take up another part and start a runtime
/// inside a runtime, which panics. Results in the items' order.
fn on_plain_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(i, item);
                    done.lock().unwrap_or_else(|e| e.into_inner()).push((i, r));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The part (0-based, of `n`) a page goes to: by its path alone, so pages added or removed
/// elsewhere do not move it. (Pages keep site order within a part.)
fn part_of(dir: &str, n: usize) -> usize {
    (crate::hash::of(dir.as_bytes()) % n as u128) as usize
}

/// What a part is made from: the banso that indexes it ([`crate::hash::program`]), the part's
/// number and each page's path and digest.
fn part_key(no: usize, pages: &[(&str, &str)]) -> u128 {
    let mut h = crate::hash::Hash128::default();
    h.bytes(&crate::hash::program().to_le_bytes()).bytes(&no.to_le_bytes());
    // Each field after its length, so that no two page lists give the same bytes.
    for (dir, html) in pages {
        for field in [dir, html] {
            h.bytes(&(field.len() as u64).to_le_bytes()).bytes(field.as_bytes());
        }
    }
    h.finish()
}

/// One part's bundle. Parts after the first keep only their index data: the browser runs them
/// with the first part's scripts.
fn index_part(no: usize, pages: &[(&str, &str)]) -> Result<Files, RenderError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    let mut files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language("ja".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
        for (dir, html) in pages {
            index
                .add_html_file(None, Some(dir.to_string()), html.to_string())
                .await
                .map_err(failed)?;
        }
        index.get_files().await.map_err(failed)
    })?;
    files.sort_by(|a, b| a.filename.cmp(&b.filename));
    let dir = part_dir(no);
    Ok(files
        .into_iter()
        .map(|f| {
            let name = f
                .filename
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (name, f.contents)
        })
        .filter(|(name, _)| !name.starts_with("playground") && !is_unused_ui(name))
        .filter(|(name, _)| no == 1 || is_index_data(name))
        .map(|(name, contents)| (format!("{dir}{name}"), contents))
        .collect())
}

/// What Pagefind reads of a page, without the rest: the `<title>`, the head's tags that carry
/// `data-pagefind-` metadata, and the `<main data-pagefind-body>` element. Pagefind indexes
/// only the body element and takes metadata from such tags, so the index is the same as for
/// the whole page (a test compares them), but the header, menus, breadcrumbs and footer are
/// not parsed again for every page (they were half of each report page's bytes).
/// `None` when the page is not laid out so (a custom theme) or is not UTF-8: then it is indexed
/// whole.
///
/// It works on the page's bytes and checks only the digest's for UTF-8: every page of a large
/// site passes through here, and a scan of each whole page as text cost more than the rest.
fn digest(html: &[u8]) -> Option<String> {
    use memchr::memmem;
    let find = |from: usize, needle: &[u8]| memmem::find(&html[from..], needle).map(|i| from + i);
    let head_end = find(0, b"</head>")?;
    let main_start = find(0, b"<main")?;
    let main_tag_end = find(main_start, b">")?;
    let main_end = memmem::rfind(html, b"</main>")? + b"</main>".len();
    let one_body = memmem::find_iter(html, b"data-pagefind-body").take(2).count() == 1;
    if main_start < head_end
        || main_end < main_tag_end
        || !one_body
        || memmem::find(&html[main_start..main_tag_end], b"data-pagefind-body").is_none()
    {
        return None;
    }
    let lang = &html[..find(0, b"<head")?];
    let mut out: Vec<u8> = Vec::with_capacity(lang.len() + (main_end - main_start) + 512);
    out.extend_from_slice(lang);
    out.extend_from_slice(b"<head>");
    let mut rest = &html[..head_end];
    while let Some(start) = memchr::memchr(b'<', rest) {
        let tag_end = start + memchr::memchr(b'>', &rest[start..])? + 1;
        let tag = &rest[start..tag_end];
        if tag.starts_with(b"<title") {
            let close = start + memmem::find(&rest[start..], b"</title>")? + b"</title>".len();
            out.extend_from_slice(&rest[start..close]);
            rest = &rest[close..];
            continue;
        }
        if memmem::find(tag, b"data-pagefind-").is_some() {
            out.extend_from_slice(tag);
        }
        rest = &rest[tag_end..];
    }
    out.extend_from_slice(b"</head><body>");
    out.extend_from_slice(&html[main_start..main_end]);
    out.extend_from_slice(b"</body></html>");
    String::from_utf8(out).ok()
}

/// The exact names a page is found by first (its Pagefind `name` filter values), as the search
/// page compares them: NFKC, without spaces, each once, empty ones dropped.
pub(super) fn exact_names<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let n: String = n.as_ref().nfkc().filter(|c| !c.is_whitespace()).collect();
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Pagefind's ready-made interfaces: the search page drives `pagefind.js` itself, so these
/// would only be dead weight in every build.
fn is_unused_ui(name: &str) -> bool {
    [
        "pagefind-ui.",
        "pagefind-modular-ui.",
        "pagefind-component-ui.",
        "pagefind-highlight.",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

/// The files a merged part needs: its entry, metadata, word index, filters and fragments.
fn is_index_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || ["index/", "fragment/", "filter/"].iter().any(|d| name.starts_with(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sites_have_one_part_and_larger_ones_a_power_of_two() {
        assert_eq!(part_count(0), 1);
        assert_eq!(part_count(80), 1);
        assert_eq!(part_count(SPLIT_FROM), 1);
        assert_eq!(part_count(SPLIT_FROM + 1), 2);
        assert_eq!(part_count(200), 2, "the real site: two parts, one a core");
        assert_eq!(part_count(PART_PAGES), 2);
        assert_eq!(part_count(2 * PART_PAGES), 2);
        assert_eq!(part_count(2 * PART_PAGES + 1), 4);
        assert_eq!(part_count(4 * PART_PAGES), 4);
        assert_eq!(part_count(11_800), 16, "10,000 reports: parts of about 740 pages");
        assert_eq!(part_count(57_000), 16);
        assert_eq!(part_count(1_000_000), MAX_PARTS);
    }

    fn index_of(html: &str) -> Vec<(String, Vec<u8>)> {
        index_part(1, &[("reports/1/x/", html)]).unwrap()
    }

    const PAGE: &str = concat!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>森町チーム 中間報告｜サイト</title>\n",
        "<meta name=\"description\" content=\"棚田の保全について\" data-pagefind-meta=\"summary[content]\">\n",
        "<link rel=\"stylesheet\" href=\"../../../static/style.css\">\n</head>\n<body>\n<header><nav><ul><li><a href=\"../\">報告</a></li>",
        "<li>チーム一覧</li></ul></nav></header>\n<nav class=\"breadcrumbs\"><ol><li>ホーム</li></ol></nav>\n",
        "<main id=\"main\" data-pagefind-body data-pagefind-meta=\"kind:prose\">\n<h1>森町チーム 中間報告</h1>\n",
        "<data value=\"森町\" data-pagefind-filter=\"name[value]\"></data>\n",
        "<h2 id=\"h-1\">取組の概要</h2>\n<p>棚田と<strong>観光</strong>の資源を整理しました。</p>\n</main>\n",
        "<footer><p>フッターの言葉</p></footer>\n</body>\n</html>\n"
    );

    #[test]
    fn a_digest_of_a_page_indexes_exactly_as_the_whole_page() {
        let digest = digest(PAGE.as_bytes()).expect("the built-in layout has a digest");
        assert!(digest.len() < PAGE.len());
        assert!(!digest.contains("フッター") && !digest.contains("チーム一覧") && !digest.contains("stylesheet"));
        assert!(digest.contains("<title>森町チーム 中間報告｜サイト</title>") && digest.contains("summary[content]"));
        assert_eq!(index_of(&digest), index_of(PAGE), "same index files, byte for byte");
    }

    fn site(pages: usize, edited: &[usize]) -> Plan {
        let mut plan = Plan::default();
        for i in 0..pages {
            add_page(&mut plan, i, edited.contains(&i));
        }
        plan
    }

    fn page_dir(i: usize) -> String {
        format!("reports/1/r{i}/")
    }

    fn add_page(plan: &mut Plan, i: usize, edited: bool) {
        let word = if edited { "渓谷" } else { "棚田" };
        let html = PAGE
            .replace("森町チーム", &format!("チーム{i}"))
            .replace("棚田と", &format!("{word}と"));
        plan.add(format!("{}index.html", page_dir(i)), html.into_bytes())
            .unwrap();
    }

    /// The first page (by number) in part `part` (0-based) of two.
    fn first_in(part: usize) -> usize {
        (0..).find(|i| part_of(&page_dir(*i), 2) == part).unwrap()
    }

    /// The bundle directory prefix of 0-based part `part`.
    fn prefix(part: usize) -> String {
        part_dir(part + 1)
    }

    /// Index `plan` with `cache` after poisoning every kept part; returns the index and the
    /// directories whose files came back poisoned (taken from the cache, not indexed).
    fn kept_after_poison(cache: &PartCache, plan: &Plan) -> (Files, Vec<String>) {
        let poison = |files: &mut Files| files.iter_mut().for_each(|(_, bytes)| *bytes = b"kept".to_vec());
        cache.parts.lock().unwrap().values_mut().for_each(poison);
        let files = search_index_with(plan, Some(cache)).unwrap();
        let mut kept: Vec<String> = files
            .iter()
            .filter(|(_, b)| b == b"kept")
            .map(|(n, _)| (0..2).rev().map(prefix).find(|p| n.starts_with(p.as_str())).unwrap())
            .collect();
        kept.dedup();
        (files, kept)
    }

    #[test]
    fn serve_reindexes_only_the_part_an_edit_is_in() {
        let cache = PartCache::default();
        let n = SPLIT_FROM + 2;
        let before = site(n, &[]);
        let first = search_index_with(&before, Some(&cache)).unwrap();
        assert_eq!(first, search_index(&before).unwrap());
        assert_eq!(cache.parts.lock().unwrap().len(), 2, "two parts kept");

        // One page of the second part edited: the result is what a build from nothing makes.
        let after = site(n, &[first_in(1)]);
        assert_eq!(
            search_index_with(&after, Some(&cache)).unwrap(),
            search_index(&after).unwrap()
        );

        // Then a page of the first part: only the second part comes from the cache.
        let (files, kept) = kept_after_poison(&cache, &site(n, &[first_in(1), first_in(0)]));
        assert_eq!(kept, vec![prefix(1)]);
        assert!(
            files
                .iter()
                .any(|(n, b)| n.starts_with("pagefind/") && !n.starts_with(&prefix(1)) && b != b"kept")
        );
    }

    #[test]
    fn an_added_page_reindexes_only_the_part_it_falls_in() {
        let n = SPLIT_FROM + 40;
        let cache = PartCache::default();
        let before = site(n, &[]);
        search_index_with(&before, Some(&cache)).unwrap();
        // A page numbered between the others (site order puts `r1000` after `r1`), as a new
        // report lands among the old ones: the other part keeps every page.
        let mut after = before.clone();
        add_page(&mut after, 1000, false);
        let grown = 1 - part_of(&page_dir(1000), 2);
        let (files, kept) = kept_after_poison(&cache, &after);
        assert_eq!(kept, vec![prefix(grown)], "the part without the new page is kept");
        // And with the poison gone, the kept part is what indexing from nothing gives.
        let cache = PartCache::default();
        search_index_with(&before, Some(&cache)).unwrap();
        assert_eq!(
            search_index_with(&after, Some(&cache)).unwrap(),
            search_index(&after).unwrap()
        );
        assert!(files.iter().any(|(_, b)| b != b"kept"));
    }

    #[test]
    fn a_cache_on_disk_gives_back_whole_parts_and_ignores_damaged_ones() {
        let dir = tempfile::tempdir().unwrap();
        let plan = site(SPLIT_FROM + 2, &[]);
        let fresh = search_index(&plan).unwrap();
        let made = search_index_with(&plan, Some(&PartCache::on_disk(dir.path().into()))).unwrap();
        assert_eq!(made, fresh);
        let stored: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(stored.len(), 2, "one file a part: {stored:?}");
        #[cfg(unix)]
        for path in &stored {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // A new cache on the same directory (the next `build`) takes both parts from disk.
        let poison_free = search_index_with(&plan, Some(&PartCache::on_disk(dir.path().into()))).unwrap();
        assert_eq!(poison_free, fresh);
        // A cut or altered file is indexed again, never read as a part.
        let bytes = std::fs::read(&stored[0]).unwrap();
        std::fs::write(&stored[0], &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(decode_part(&bytes[..bytes.len() - 3]), None);
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(decode_part(&extra), None);
        assert_eq!(
            search_index_with(&plan, Some(&PartCache::on_disk(dir.path().into()))).unwrap(),
            fresh
        );
        // Parts of an index no longer built are removed.
        let other = site(SPLIT_FROM + 2, &[0, 1, 2, 3, first_in(0), first_in(1)]);
        search_index_with(&other, Some(&PartCache::on_disk(dir.path().into()))).unwrap();
        let now: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(now.len(), 2, "{now:?}");
        assert!(stored.iter().all(|p| !now.contains(p)));
    }

    #[test]
    fn a_part_file_reads_back_as_written() {
        let files: Files = vec![
            ("pagefind/a.pf_meta".into(), vec![1, 2, 3]),
            ("pagefind/b".into(), vec![]),
        ];
        assert_eq!(decode_part(&encode_part(&files)), Some(files));
        assert_eq!(decode_part(&encode_part(&Vec::new())), Some(Vec::new()));
        assert_eq!(decode_part(b"something else"), None);
    }

    #[test]
    fn a_page_laid_out_otherwise_is_indexed_whole() {
        assert_eq!(
            digest(b"<html><body><div data-pagefind-body>x</div></body></html>"),
            None
        );
        let two = PAGE.replace("<footer>", "<footer data-pagefind-body>");
        assert_eq!(digest(two.as_bytes()), None);
        assert_eq!(digest(b"<main data-pagefind-body>x</main>"), None, "no head");
        let broken = PAGE.replace("観光", "\u{fffd}").into_bytes();
        let mut not_utf8 = broken.clone();
        let at = memchr::memmem::find(&broken, "\u{fffd}".as_bytes()).unwrap();
        not_utf8[at] = 0xff;
        assert_eq!(digest(&not_utf8), None, "not UTF-8: indexed whole, as read lossily");
        assert!(digest(&broken).is_some());
    }

    #[test]
    fn a_theme_static_file_is_not_a_page_to_index() {
        let mut plan = site(3, &[]);
        plan.add("static/demo/index.html", PAGE.as_bytes().to_vec()).unwrap();
        assert!(marked(PAGE.as_bytes()));
        let dirs: Vec<&str> = indexable(&plan).into_iter().map(|(dir, _)| dir).collect();
        assert_eq!(dirs, (0..3).map(page_dir).collect::<Vec<_>>());
    }

    #[test]
    fn parts_after_the_first_live_inside_the_bundle() {
        assert_eq!(part_dir(1), "pagefind/");
        assert_eq!(part_dir(3), "pagefind/part-3/");
        assert!(is_index_data("pagefind.ja_1234.pf_meta"));
        assert!(is_index_data("fragment/ja_abc.pf_fragment"));
        assert!(!is_index_data("pagefind-ui.js"));
        assert!(is_unused_ui("pagefind-ui.js") && is_unused_ui("pagefind-modular-ui.css"));
        assert!(
            !is_unused_ui("pagefind.js") && !is_unused_ui("pagefind-worker.js") && !is_unused_ui("pagefind-entry.json")
        );
        assert!(!is_index_data("wasm.ja.pagefind"));
    }
}
