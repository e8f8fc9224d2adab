//! An incremental build is a cold build: for random sequences of edits and of as-of steps (a
//! release instant passing, or the clock set back), what a build reuses from the one before —
//! `serve`'s caches in memory (files as read, pages as rendered, search parts), `build`'s search
//! parts on disk, the pages it reads back from the output it replaces and the files it links
//! from it — never makes a byte differ from a build from nothing of the same content at the same
//! instant. (`build` keeps nothing at an instant later than now, so its steps at the fixture's
//! later instants run without its caches; the keys are those `serve` is tested with at every
//! instant.)

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;

use crate::common::{Site, banso_env, ok, plan_files, tree};
use banso::Caches;
use banso::diag::Diagnostics;
use banso::render::search::{PartCache, search_index, search_index_with};
use banso::render::{Options, Reuse, Search, Theme};
use banso::time::Instant;

/// The embargo fixture's release instants, one second before each, and one long after.
const INSTANTS: [&str; 8] = [
    "2026-05-01",
    "2026-06-01T09:59:59",
    "2026-06-01T10:00",
    "2026-10-15T09:59:59",
    "2026-10-15T10:00",
    "2027-04-01T09:59:59",
    "2027-04-01T10:00",
    "2030-01-01",
];

/// One thing the secretariat does between two builds.
#[derive(Debug, Clone)]
enum Step {
    /// Move the as-of instant to `INSTANTS[i]`.
    At(usize),
    /// Edit a released report's text.
    EditReport(u8),
    /// Edit the held report (its text must appear exactly when it is released).
    EditHeld(u8),
    /// Change a record many pages are made from.
    ToggleContinuing,
    /// Move a team's announcement (its own release instant) later or back.
    MoveAnnouncement(bool),
    /// Add a page, or remove it again.
    AddPage(bool),
    /// Change the site's description (every page's layout).
    EditSite(u8),
    /// Rename a published member (team rows on team, town, area, ministry and report pages).
    RenameMember(u8),
    /// Move a member of team 2 to another 府省庁等 or back (two ministry pages, the ministry
    /// list, and the team's row everywhere).
    MoveMember(bool),
    /// Retitle the released report (its page, the lists, its team's row).
    RetitleReport(u8),
    /// Change the released report's date (its place among the reports, newest first).
    RedateReport(bool),
    /// Change a municipality's population (its page, the population charts).
    EditPopulation(u8),
    /// Change a ministry's short name (its page's search names).
    EditMinistry(u8),
    /// Drop the held report's own `release:` (it then follows its team's announcement), or
    /// put it back.
    InheritRelease(bool),
    /// Give team 2 (the held report's) an announcement of its own after the cohort's, or take
    /// it away: with `InheritRelease`, the report's release moves with it.
    DelayTeam(bool),
    /// Change a member's grade (the 役職 charts of the cohort and of the team's prefecture).
    RegradeMember(bool),
    /// Cite a source for the cohort, or drop it (every chart's and data file's citation).
    CiteSource(bool),
    /// Add a programme supporting a team's town, or remove it (the town's and the
    /// prefecture's pages list it).
    AddProgram(bool),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..INSTANTS.len()).prop_map(Step::At),
        2 => any::<u8>().prop_map(Step::EditReport),
        1 => any::<u8>().prop_map(Step::EditHeld),
        1 => Just(Step::ToggleContinuing),
        1 => any::<bool>().prop_map(Step::MoveAnnouncement),
        1 => any::<bool>().prop_map(Step::AddPage),
        1 => any::<u8>().prop_map(Step::EditSite),
        1 => any::<u8>().prop_map(Step::RenameMember),
        1 => any::<bool>().prop_map(Step::MoveMember),
        1 => any::<u8>().prop_map(Step::RetitleReport),
        1 => any::<bool>().prop_map(Step::RedateReport),
        1 => any::<u8>().prop_map(Step::EditPopulation),
        1 => any::<u8>().prop_map(Step::EditMinistry),
        1 => any::<bool>().prop_map(Step::InheritRelease),
        1 => any::<bool>().prop_map(Step::DelayTeam),
        1 => any::<bool>().prop_map(Step::RegradeMember),
        1 => any::<bool>().prop_map(Step::CiteSource),
        1 => any::<bool>().prop_map(Step::AddProgram),
    ]
}

/// Carry out `step` on `site`; returns the as-of to build at next.
fn apply(site: &Site, step: &Step, as_of: &mut &'static str) {
    let set = |rel: &str, from_line: &str, to: String| {
        let text = site.read(rel);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with(from_line))
            .unwrap_or_else(|| panic!("{from_line} in {rel}"));
        lines[at] = to;
        site.write(rel, &(lines.join("\n") + "\n"));
    };
    match step {
        Step::At(i) => *as_of = INSTANTS[*i],
        Step::EditReport(n) => {
            let rel = "cohorts/1/reports/mori-interim.md";
            let text = site.read(rel);
            site.write(rel, &format!("{text}\n追記{n}の段落です。\n"));
        }
        Step::EditHeld(n) => {
            let rel = "cohorts/1/reports/final-hold.md";
            let text = site.read(rel);
            site.write(rel, &format!("{text}\n保留中の追記{n}です。\n"));
        }
        Step::ToggleContinuing => {
            let rel = "cohorts/1/teams.yaml";
            let text = site.read(rel);
            let toggled = if text.contains("  continuing: true\n") {
                text.replacen("  continuing: true\n", "  continuing: false\n", 1)
            } else {
                text.replacen("  continuing: false\n", "  continuing: true\n", 1)
            };
            site.write(rel, &toggled);
        }
        Step::MoveAnnouncement(later) => {
            let when = if *later { "2026-10-15T10:00" } else { "2026-06-01T10:00" };
            set("cohorts/1/teams.yaml", "  announce:", format!("  announce: {when}"));
        }
        Step::AddPage(add) => add_or_remove(
            site,
            "pages/added.md",
            "---\ntitle: 追加したページ（架空）\n---\n試験のために足したページです。\n",
            *add,
        ),
        Step::EditSite(n) => {
            let text = site.read("site.yaml");
            let line = text.lines().find(|l| l.starts_with("description:"));
            let new = format!("description: 試験用の架空のサイト{n}");
            let text = match line {
                Some(l) => text.replacen(l, &new, 1),
                None => format!("{text}{new}\n"),
            };
            site.write("site.yaml", &text);
        }
        Step::RenameMember(n) => set(
            "cohorts/1/teams.yaml",
            "      name: 架空 一郎",
            format!("      name: 架空 一郎{n}"),
        ),
        Step::MoveMember(away) => {
            let ministry = if *away { "国土交通省" } else { "総務省" };
            set(
                "cohorts/1/teams.yaml",
                "    - { ministry: ",
                format!("    - {{ ministry: {ministry}, grade: 係長級, name: 架空 三郎 }}"),
            );
        }
        Step::RetitleReport(n) => set(
            "cohorts/1/reports/mori-interim.md",
            "title:",
            format!("title: 森町チーム 中間報告{n}（架空）"),
        ),
        Step::RedateReport(earlier) => {
            let date = if *earlier { "2026-09-01" } else { "2026-10-01" };
            set("cohorts/1/reports/mori-interim.md", "date:", format!("date: {date}"));
        }
        Step::EditPopulation(n) => set(
            "municipalities.yaml",
            "  population: 13582",
            format!("  population: 13582{}", n % 10),
        ),
        Step::EditMinistry(n) => set("ministries.yaml", "  short: 国交省", format!("  short: 国交省{n}")),
        Step::InheritRelease(inherit) => {
            let (rel, own) = ("cohorts/1/reports/final-hold.md", "release: 2027-04-01T01:00:00Z\n");
            let text = site.read(rel).replace(own, "");
            let text = if *inherit {
                text
            } else {
                text.replacen("date: 2027-03-25\n", &format!("date: 2027-03-25\n{own}"), 1)
            };
            site.write(rel, &text);
        }
        Step::DelayTeam(delay) => {
            let (rel, town, own) = (
                "cohorts/1/teams.yaml",
                "  municipality: \"224618\"\n",
                "  announce: 2027-04-01T10:00\n",
            );
            let text = site.read(rel).replace(&format!("{town}{own}"), town);
            let text = if *delay {
                text.replacen(town, &format!("{town}{own}"), 1)
            } else {
                text
            };
            site.write(rel, &text);
        }
        Step::RegradeMember(up) => {
            let grade = if *up { "課長級" } else { "補佐級" };
            set("cohorts/1/teams.yaml", "      grade:", format!("      grade: {grade}"));
        }
        Step::CiteSource(cite) => {
            let (rel, cited) = ("cohorts/1/cohort.yaml", "sources:\n  - title: 架空の資料（試験用）\n");
            let text = site.read(rel).replace(cited, "");
            site.write(rel, &if *cite { format!("{text}{cited}") } else { text });
        }
        Step::AddProgram(add) => add_or_remove(
            site,
            "programs/added.yaml",
            "name: 架空の伴走支援事業（試験用）\nfiscal_year: 2026\nsupport:\n  - type: 類型① 市町村単独支援枠\n    municipalities: [\"013455\"]\n",
            *add,
        ),
    }
}

/// Write `text` at `rel`, or remove the file there (if any).
fn add_or_remove(site: &Site, rel: &str, text: &str, add: bool) {
    if add {
        site.write(rel, text);
    } else if site.path(rel).exists() {
        std::fs::remove_file(site.path(rel)).unwrap();
    }
}

/// The site with its search index, rendered in memory with `caches` (or from nothing); with
/// `preview`, as `serve --preview` shows it (held records marked with their release).
fn in_memory(
    site: &Site,
    as_of: &str,
    preview: bool,
    caches: Option<(&Caches, &PartCache)>,
) -> BTreeMap<String, Vec<u8>> {
    let mut diags = Diagnostics::new();
    let registry = banso::load_registry_with(&site.content(), &mut diags, caches.map(|c| c.0)).unwrap();
    assert!(!diags.has_errors(), "{}", diags.render());
    let opts = banso::SiteOptions {
        render: Options {
            search: Search::Deferred,
            minify: false,
        },
        preview,
        ..banso::SiteOptions::at(Instant::parse(as_of).unwrap())
    };
    let reuse = Reuse {
        pages: caches.map(|c| &c.0.pages),
        index: None,
    };
    let plan = banso::render_site_with(&registry, opts, &Theme::builtin().unwrap(), reuse)
        .unwrap()
        .plan;
    let index = match caches {
        Some((_, parts)) => search_index_with(&plan, Some(parts)),
        None => search_index(&plan),
    };
    let mut files = plan_files(&plan);
    files.extend(index.unwrap());
    files
}

/// Paths where two trees differ (either side missing, or other bytes).
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// `banso build` of `site` at `as_of` into `out`, with its private cache under `cache`; returns
/// the build's report (`--format json`).
fn build(site: &Site, out: &Path, cache: &Path, as_of: &str) -> serde_json::Value {
    let o = site.build_into_with(
        out,
        as_of,
        &["--format", "json"],
        &[("BANSO_CACHE_DIR", cache.to_str().unwrap())],
    );
    ok(&o);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// How many pages (`pages`) or search parts (`search_parts`) a build took from the one before.
fn reused(report: &serde_json::Value, what: &str) -> u64 {
    report["reused"][what].as_u64().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// `serve`: the caches kept in memory between rebuilds.
    #[test]
    fn serve_after_any_edits_and_instants_equals_a_build_from_nothing(
        steps in proptest::collection::vec(step(), 1..7),
        preview in any::<bool>(),
    ) {
        if let Err(e) = serve_steps(&steps, preview) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Serve's caches through `steps`, compared with a build from nothing after each: the first
/// difference, if any.
fn serve_steps(steps: &[Step], preview: bool) -> Result<(), String> {
    let site = Site::fixture("embargo");
    let (caches, parts) = (Caches::default(), PartCache::default());
    let mut as_of = "2026-05-01";
    in_memory(&site, as_of, preview, Some((&caches, &parts)));
    for s in steps {
        apply(&site, s, &mut as_of);
        let kept = in_memory(&site, as_of, preview, Some((&caches, &parts)));
        let cold = in_memory(&site, as_of, preview, None);
        let differ = differing(&kept, &cold);
        if !differ.is_empty() {
            return Err(format!("after {s:?} at {as_of}: {differ:?}"));
        }
    }
    Ok(())
}

/// A report that follows its team's announcement is released when the team is, whichever of
/// the two files changed last (the report's check is kept between rebuilds while its file is
/// the same: what teams.yaml says of its team is part of that).
#[test]
fn a_report_following_its_team_moves_with_the_team() {
    use Step::*;
    let steps = [
        At(4),
        InheritRelease(true),
        DelayTeam(true),
        DelayTeam(false),
        At(7),
        DelayTeam(true),
        At(5),
    ];
    serve_steps(&steps, false).unwrap();
}

/// A prefecture's page is taken from the last build with its charts and data files only while
/// they are what they were: each of these changes one of them (the 役職 chart, the sources its
/// charts and data cite, the programmes it lists) and nothing else the page shows.
#[test]
fn a_prefecture_page_follows_its_charts_citations_and_programmes() {
    use Step::*;
    let steps = [
        RegradeMember(true),
        CiteSource(true),
        AddProgram(true),
        RegradeMember(false),
        CiteSource(false),
        AddProgram(false),
    ];
    for preview in [false, true] {
        serve_steps(&steps, preview).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5, ..ProptestConfig::default() })]

    /// `build` into the output of the build before (its search parts cached on disk, unchanged
    /// files linked from the old output) equals `build` into a new folder with no cache.
    #[test]
    fn build_into_the_last_output_equals_a_build_from_nothing(steps in proptest::collection::vec(step(), 1..5)) {
        let site = Site::fixture("embargo");
        let work = tempfile::tempdir().unwrap();
        let (out, cache) = (work.path().join("out"), work.path().join("cache"));
        let mut as_of = "2026-05-01";
        build(&site, &out, &cache, as_of);
        for (i, s) in steps.iter().enumerate() {
            apply(&site, s, &mut as_of);
            build(&site, &out, &cache, as_of);
            let cold = work.path().join(format!("cold-{i}"));
            build(&site, &cold, &work.path().join(format!("cold-cache-{i}")), as_of);
            let differ = differing(&tree(&out), &tree(&cold));
            prop_assert!(differ.is_empty(), "after {:?} at {}: {:?}", s, as_of, differ);
        }
    }
}

/// Inode of a file (the same inode: the file was linked, not written again).
#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

/// The search parts kept in a build cache (file names: one a part, named by what it holds).
fn kept_parts(cache: &Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(cache)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_page_edit_on_the_real_site_reindexes_one_part_and_rewrites_only_what_changed() {
    let site = Site::real();
    let work = tempfile::tempdir().unwrap();
    let (out, cache) = (work.path().join("out"), work.path().join("cache"));
    let as_of = "2026-12-06";
    let report = build(&site, &out, &cache, as_of);
    assert_eq!((reused(&report, "pages"), reused(&report, "search_parts")), (0, 0));
    let pages = report["files"]["pages"].as_u64().unwrap();
    let first = kept_parts(&cache);
    assert_eq!(first.len(), 2, "the real site's index is made in two parts: {first:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let banso = cache.join("banso");
        assert_eq!(std::fs::metadata(&banso).unwrap().permissions().mode() & 0o777, 0o700);
        assert!(!banso.starts_with(&out));
    }
    #[cfg(unix)]
    let (css, faq) = (inode(&out.join("static/style.css")), inode(&out.join("faq/index.html")));

    let text = site.read("pages/faq.md");
    site.write("pages/faq.md", &format!("{text}\n試験のために足した段落です。\n"));
    let report = build(&site, &out, &cache, as_of);
    // The FAQ itself and the pages that show its words or date are made again (the search
    // page's table of pages, the sitemap and feed are not pages); every other page is read back.
    let taken = reused(&report, "pages");
    assert!(taken < pages && taken + 3 >= pages, "{taken} of {pages} pages reused");
    assert_eq!(reused(&report, "search_parts"), 1);
    let second = kept_parts(&cache);
    assert_eq!(second.len(), 2);
    assert_eq!(
        first.intersection(&second).count(),
        1,
        "one part taken back, one made again"
    );
    #[cfg(unix)]
    {
        assert_eq!(inode(&out.join("static/style.css")), css, "an unchanged file is linked");
        assert_ne!(inode(&out.join("faq/index.html")), faq, "the edited page is written");
    }
    assert!(
        std::fs::read_to_string(out.join("faq/index.html"))
            .unwrap()
            .contains("試験のために足した段落")
    );

    let cold = work.path().join("cold");
    build(&site, &cold, &work.path().join("cold-cache"), as_of);
    assert_eq!(differing(&tree(&out), &tree(&cold)), Vec::<String>::new());
}

#[test]
fn a_page_changed_in_the_output_is_made_again_not_reused() {
    let site = Site::fixture("embargo");
    let work = tempfile::tempdir().unwrap();
    let (out, cache) = (work.path().join("out"), work.path().join("cache"));
    let as_of = "2026-11-01";
    build(&site, &out, &cache, as_of);
    let about = out.join("about/index.html");
    let made = std::fs::read_to_string(&about).unwrap();
    // The same length, one word changed: only the bytes tell.
    let changed = made.replacen("<main", "<mAin", 1);
    assert_eq!(changed.len(), made.len());
    std::fs::remove_file(&about).unwrap();
    std::fs::write(&about, &changed).unwrap();
    let report = build(&site, &out, &cache, as_of);
    assert!(
        std::fs::read_to_string(&about).unwrap() == made,
        "the page as a build makes it, not as changed in the output"
    );
    let pages = report["files"]["pages"].as_u64().unwrap();
    assert_eq!(reused(&report, "pages"), pages - 1, "every other page reused");
    assert_eq!(report["changes"]["changed"], serde_json::json!(["about/index.html"]));
}

#[test]
fn previews_future_builds_and_releases_leave_the_build_cache_alone() {
    let site = Site::fixture("embargo");
    let cache = site.dir.path().join("private-cache");
    let env = [("BANSO_CACHE_DIR", cache.to_str().unwrap())];
    let content = site.content();
    let preview = site.dir.path().join("preview");
    ok(&banso_env(
        site.dir.path(),
        &[
            "build",
            "--preview",
            "--content",
            content.to_str().unwrap(),
            "--output",
            preview.to_str().unwrap(),
            "--as-of",
            "2030-01-01",
        ],
        &env,
    ));
    // A public build at an instant still to come holds pages not yet public either.
    ok(&site.build_into(&site.dir.path().join("ahead"), "2099-01-01", &env));
    ok(&site.build_into(&site.out(), "2026-05-01", &[("BANSO_CACHE_DIR", "/nonexistent/never")]));
    // A release a moment ahead: staged, then swapped in at its instant.
    let at = banso::time::Instant::from_second(banso::time::Instant::now().as_second() + 2)
        .unwrap()
        .rfc3339();
    ok(&banso_env(
        site.dir.path(),
        &[
            "release",
            "--content",
            content.to_str().unwrap(),
            "--output",
            site.out().to_str().unwrap(),
            "--at",
            &at,
        ],
        &env,
    ));
    assert!(
        !cache.exists(),
        "nothing of a preview, a future build or a release in the cache"
    );
    // A public build does fill it.
    ok(&site.build_into(&site.out(), "2026-05-01", &env));
    assert_eq!(kept_parts(&cache).len(), 1);
}
