//! Pages of the previous build, for `serve`: a page whose template and context are unchanged is
//! taken as it was instead of being rendered and minified again.
//!
//! The key is a 128-bit SipHash of the theme's templates, the template name and the page's whole
//! context (layout and page data, as JSON), so anything that changes a page changes its key. Only
//! pages of the latest build are kept. `build` does not use it: every build renders every page.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;

use crate::hash::Hash128;

#[derive(Default)]
pub struct PageCache {
    maps: Mutex<Maps>,
}

#[derive(Default)]
struct Maps {
    /// Pages of the previous build.
    last: HashMap<u128, Vec<u8>>,
    /// Pages of the build under way.
    this: HashMap<u128, Vec<u8>>,
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
    pub(super) fn get(&self, key: u128) -> Option<Vec<u8>> {
        if key == 0 {
            return None;
        }
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = match maps.this.get(&key) {
            Some(b) => b.clone(),
            None => maps.last.remove(&key)?,
        };
        maps.this.insert(key, bytes.clone());
        Some(bytes)
    }

    pub(super) fn put(&self, key: u128, bytes: &[u8]) {
        if key != 0 {
            let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
            maps.this.insert(key, bytes.to_vec());
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
        cache.put(7, b"seven");
        cache.put(8, b"eight");
        cache.finish_build();
        assert_eq!(cache.get(7).as_deref(), Some(&b"seven"[..]));
        cache.finish_build(); // page 8 was not part of this build
        assert_eq!(cache.get(8), None);
        assert_eq!(cache.get(7).as_deref(), Some(&b"seven"[..]));
        assert_eq!(cache.get(0), None);
    }
}
