//! `serve`'s caches (Markdown files as read, pages as rendered): a rebuild that reuses them gives
//! byte for byte what a fresh build gives — after edits, and when the as-of instant moves either
//! way, so a page cached while something was published cannot outlive its holdback.

use std::collections::BTreeMap;

use crate::common::{Site, plan_files};
use banso::diag::Diagnostics;
use banso::render::{Options, Search, Theme};
use banso::time::Instant;
use banso::{Caches, SiteOptions};

fn render(site: &Site, as_of: &str, caches: Option<&Caches>) -> BTreeMap<String, Vec<u8>> {
    let mut diags = Diagnostics::new();
    let registry = banso::load_registry_with(&site.content(), &mut diags, caches).unwrap();
    assert!(!diags.has_errors(), "{}", diags.render());
    let opts = SiteOptions {
        render: Options {
            search: Search::Deferred,
            minify: false,
        },
        ..SiteOptions::at(Instant::parse(as_of).unwrap())
    };
    let theme = Theme::builtin().unwrap();
    let reuse = banso::render::Reuse {
        pages: caches.map(|c| &c.pages),
        index: None,
    };
    let plan = banso::render_site_with(&registry, opts, &theme, reuse).unwrap().plan;
    plan_files(&plan)
}

/// The cached rebuild equals a fresh one; returns it.
fn same_as_fresh(site: &Site, as_of: &str, caches: &Caches) -> BTreeMap<String, Vec<u8>> {
    let cached = render(site, as_of, Some(caches));
    let fresh = render(site, as_of, None);
    let differ: Vec<_> = fresh.keys().filter(|k| cached.get(*k) != fresh.get(*k)).collect();
    assert!(
        differ.is_empty(),
        "cached rebuild differs from a fresh build in {differ:?}"
    );
    assert_eq!(cached.keys().collect::<Vec<_>>(), fresh.keys().collect::<Vec<_>>());
    cached
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8_lossy(&files[path]).into_owned()
}

#[test]
fn a_cached_rebuild_after_edits_is_a_fresh_build() {
    let site = Site::fixture("embargo");
    let caches = Caches::default();
    let report = "reports/1/mori-interim/index.html";
    let first = same_as_fresh(&site, "2026-11-23", &caches);
    assert!(!caches.pages.is_empty(), "pages are kept for the next rebuild");
    assert!(text(&first, report).contains("棚田"));

    // An edit that changes the file's size.
    let file = "cohorts/1/reports/mori-interim.md";
    site.replace(file, "棚田の保全", "段々畑の保全と活用");
    let second = same_as_fresh(&site, "2026-11-23", &caches);
    assert!(text(&second, report).contains("段々畑"));
    assert!(!text(&second, report).contains("棚田"));

    // One that keeps its size, written in place (same inode) with its modification time put
    // back, as some tools do: only the bytes tell it apart.
    let path = site.content().join(file);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    site.replace(file, "段々畑", "茶畑の");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let third = same_as_fresh(&site, "2026-11-23", &caches);
    assert!(text(&third, report).contains("茶畑の"));

    // A record many pages depend on (team list, municipality, prefecture, report pages).
    site.replace("cohorts/1/teams.yaml", "  continuing: true\n", "  continuing: false\n");
    let fourth = same_as_fresh(&site, "2026-11-23", &caches);
    assert_ne!(
        text(&third, "cohorts/1/teams/index.html"),
        text(&fourth, "cohorts/1/teams/index.html")
    );
}

#[test]
fn moving_the_as_of_instant_either_way_drops_what_is_held_again() {
    let site = Site::fixture("embargo");
    let caches = Caches::default();
    let later = same_as_fresh(&site, "2030-01-01", &caches);
    assert!(
        later.keys().any(|p| p.contains("final-hold")),
        "released at the later instant"
    );
    let earlier = same_as_fresh(&site, "2026-11-23", &caches);
    assert!(!earlier.keys().any(|p| p.contains("final-hold")));
    let all: String = earlier
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!all.contains("HOLD-"), "nothing held back at the earlier instant");
    same_as_fresh(&site, "2030-01-01", &caches);
}

#[test]
fn a_cached_yaml_file_reports_its_problems_again_until_it_is_fixed() {
    let site = Site::fixture("embargo");
    let caches = Caches::default();
    let load = |caches: Option<&Caches>| {
        let mut diags = Diagnostics::new();
        let _ = banso::load_registry_with(&site.content(), &mut diags, caches);
        diags.render()
    };
    same_as_fresh(&site, "2026-11-23", &caches);
    site.replace("cohorts/1/teams.yaml", "  continuing: false\n", "  continuing: maybe\n");
    let fresh = load(None);
    assert!(fresh.contains("teams.yaml"), "{fresh}");
    // Read once into the cache and once from it: the same problem, at the same line, each time.
    assert_eq!(load(Some(&caches)), fresh);
    assert_eq!(load(Some(&caches)), fresh);
    site.replace("cohorts/1/teams.yaml", "  continuing: maybe\n", "  continuing: false\n");
    assert_eq!(load(Some(&caches)), load(None));
    same_as_fresh(&site, "2026-11-23", &caches);
}
