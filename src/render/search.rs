//! 検索 — a Pagefind index of the built pages, made in memory from the plan.
//!
//! Only pages already in the plan are indexed, so the index can hold nothing that `publish`
//! held back. Pagefind's extended build segments Japanese into words, so a two-kanji word of a
//! report finds it. Each page marks what to index with `data-pagefind-body` on `<main>`;
//! pages without it (404, the search page) are left out.
//!
//! Pagefind indexes one page at a time, and its Japanese segmentation is the slowest step of a
//! large build. A large site's index is therefore made in parts (page *i* goes to part
//! *i mod n*), each indexed on its own core; the search page merges them in the browser
//! (`mergeIndex`). The number of parts depends only on the number of pages, so the output does
//! not depend on the machine. A site of up to [`SPLIT_FROM`] pages (the real one) has one part.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use super::{Blob, Plan, RenderError};

/// Where the index and Pagefind's scripts go.
pub const BUNDLE_DIR: &str = "pagefind/";

/// Pages per part of the index, at most.
pub const PART_PAGES: usize = 5000;

/// A site of more pages than this is indexed in at least two parts, so that two cores share
/// the work; smaller sites keep one part and the browser fetches one index.
pub const SPLIT_FROM: usize = 1000;

/// Parts at most (the browser fetches each part's entry and metadata when search starts).
pub const MAX_PARTS: usize = 8;

fn failed(e: impl std::fmt::Display) -> RenderError {
    RenderError::Data(BUNDLE_DIR.into(), e.to_string())
}

/// The pages to index, in site order: `(url directory, html)` of every `…/index.html` whose
/// `<main>` carries `data-pagefind-body`.
fn indexable(plan: &Plan) -> Vec<(&str, &[u8])> {
    plan.files()
        .iter()
        .filter_map(|(path, blob)| match (path.strip_suffix("index.html"), blob) {
            (Some(dir), Blob::Bytes(bytes)) if marked(bytes) => Some((dir, bytes.as_slice())),
            _ => None,
        })
        .collect()
}

fn marked(html: &[u8]) -> bool {
    std::str::from_utf8(html).is_ok_and(|s| s.contains("data-pagefind-body"))
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
pub fn search_index(plan: &Plan) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let pages = indexable(plan);
    let n = part_count(pages.len());
    let mut parts: Vec<Vec<(&str, &[u8])>> = vec![Vec::new(); n];
    for (i, page) in pages.into_iter().enumerate() {
        parts[i % n].push(page);
    }
    let files: Vec<Vec<(String, Vec<u8>)>> = parts
        .into_par_iter()
        .enumerate()
        .map(|(i, pages)| index_part(i + 1, &pages))
        .collect::<Result<_, _>>()?;
    Ok(files.concat())
}

/// One part's bundle. Parts after the first keep only their index data: the browser runs them
/// with the first part's scripts.
fn index_part(no: usize, pages: &[(&str, &[u8])]) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
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
            let html = String::from_utf8_lossy(html).into_owned();
            index
                .add_html_file(None, Some(dir.to_string()), html)
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
        assert_eq!(part_count(300), 1);
        assert_eq!(part_count(SPLIT_FROM), 1);
        assert_eq!(part_count(SPLIT_FROM + 1), 2);
        assert_eq!(part_count(PART_PAGES), 2);
        assert_eq!(part_count(2 * PART_PAGES), 2);
        assert_eq!(part_count(2 * PART_PAGES + 1), 4);
        assert_eq!(part_count(11_800), 4);
        assert_eq!(part_count(57_000), 8);
        assert_eq!(part_count(1_000_000), MAX_PARTS);
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
