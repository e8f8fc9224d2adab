//! Pages of the previous build, for `serve`: a page whose inputs are unchanged is taken as it
//! was instead of being made again.
//!
//! A page is found under one of two keys (128-bit SipHash):
//!
//! - **What it is made from** ([`super::renderer::Renderer::page_from`]), for the page families
//!   with many pages or large ones (reports and their lists, municipalities, 課題分野, 府省庁等,
//!   team lists): the family writes the page's inputs — its records by their derived `Hash`
//!   (every field), each team it shows by a team key (the team with its published members, its
//!   municipality, its reports' sort keys and its row as every page lists it), and what
//!   `Published` answers for it (whether each link target of a body is shown, attachment sizes) —
//!   and the renderer adds the layout's inputs (site, menus, preview banner, options, address,
//!   theme), the template, the path and the page's 「更新」 date. On a match the page's view is
//!   not even built, which is most of a rebuild's time at 10,000 reports.
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
//! a build from nothing. Only pages of the latest build are kept. `build` does not use it:
//! every build renders every page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::hash::Hash128;

#[derive(Default)]
pub struct PageCache {
    maps: Mutex<Maps>,
}

#[derive(Default)]
struct Maps {
    /// Pages of the previous build.
    last: HashMap<u128, Arc<Vec<u8>>>,
    /// Pages of the build under way.
    this: HashMap<u128, Arc<Vec<u8>>>,
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
    /// The page rendered under `key` by the previous build (or earlier in this one).
    pub(super) fn get(&self, key: u128) -> Option<Arc<Vec<u8>>> {
        if key == 0 {
            return None;
        }
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = match maps.this.get(&key) {
            Some(b) => Arc::clone(b),
            None => maps.last.remove(&key)?,
        };
        maps.this.insert(key, Arc::clone(&bytes));
        Some(bytes)
    }

    pub(super) fn put(&self, key: u128, bytes: Arc<Vec<u8>>) {
        if key != 0 {
            let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
            maps.this.insert(key, bytes);
        }
    }

    /// The build is done: its pages become the ones to reuse, the rest are dropped.
    pub fn finish_build(&self) {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        maps.last = std::mem::take(&mut maps.this);
    }

    /// Pages kept.
    pub fn len(&self) -> usize {
        let maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        maps.last.len() + maps.this.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
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
        cache.put(7, Arc::new(b"seven".to_vec()));
        cache.put(8, Arc::new(b"eight".to_vec()));
        cache.finish_build();
        assert_eq!(cache.get(7).as_deref().map(Vec::as_slice), Some(&b"seven"[..]));
        cache.finish_build(); // page 8 was not part of this build
        assert_eq!(cache.get(8), None);
        assert_eq!(cache.get(7).as_deref().map(Vec::as_slice), Some(&b"seven"[..]));
        assert_eq!(cache.get(0), None);
    }
}
