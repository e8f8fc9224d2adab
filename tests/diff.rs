//! `banso diff`: what a release changes, compared with two real builds of the same content.

mod common;

use common::{Site, ok, stdout, tree};
use serde_json::Value;

fn diff_json(site: &Site, from: &str, to: Option<&str>) -> Value {
    let content = site.content();
    let mut args = vec![
        "diff",
        "--content",
        content.to_str().unwrap(),
        "--from",
        from,
        "--format",
        "json",
    ];
    if let Some(to) = to {
        args.extend(["--to", to]);
    }
    let o = site.banso(&args);
    assert!(o.status.success(), "{}", common::stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// `banso diff --from FROM --to TO` as text.
fn diff_text(site: &Site, from: &str, to: &str) -> String {
    let content = site.content();
    let o = site.banso(&[
        "diff",
        "--content",
        content.to_str().unwrap(),
        "--from",
        from,
        "--to",
        to,
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    stdout(&o)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The diff's added, changed and removed paths are those of the two built trees; returns them.
fn assert_lists_match(
    d: &Value,
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
    what: &str,
) -> [Vec<String>; 3] {
    let [added, changed, removed] = common::tree_changes(a, b);
    assert_eq!(strings(&d["added"]), added, "{what}");
    assert_eq!(strings(&d["removed"]), removed, "{what}");
    let d_changed: Vec<String> = d["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(d_changed, changed, "{what}");
    [added, changed, removed]
}

#[test]
fn diff_lists_what_two_real_builds_differ_in_and_writes_nothing() {
    let site = Site::fixture("embargo");
    let before_content = tree(&site.content());
    // Default --to: the next release after --from (team 3 of 第1期, 2026-06-01 10:00).
    let d = diff_json(&site, "2026-05-01", None);
    assert_eq!(d["to"], "2026-06-01T10:00:00+09:00");
    assert!(!site.out().exists(), "diff writes nothing");
    assert_eq!(tree(&site.content()), before_content);

    ok(&site.build_with("2026-05-01", &["--no-search"]));
    let a = tree(&site.out());
    ok(&site.build_with("2026-06-01T10:00", &["--no-search"]));
    let b = tree(&site.out());
    assert_lists_match(&d, &a, &b, "2026-06-01");

    // A changed page shows the visible text that changes: the team list gains team 3's town.
    let teams = d["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "cohorts/1/teams/index.html")
        .unwrap();
    assert_eq!(teams["kind"], "page");
    let added_lines = strings(&teams["added"]);
    assert!(added_lines.iter().any(|l| l.contains("与那国町")), "{added_lines:?}");
    assert!(
        added_lines.iter().all(|l| !l.contains('<')),
        "text, not HTML: {added_lines:?}"
    );
    // Data rows: teams.csv gains exactly team 3's row.
    let csv = d["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "data/teams.csv")
        .unwrap();
    assert_eq!(csv["kind"], "rows");
    assert!(strings(&csv["removed"]).is_empty());
    let rows = strings(&csv["added"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].starts_with("473821,沖縄県,与那国町,1,3,"), "{rows:?}");
}

#[test]
fn the_text_starts_with_a_summary_and_says_when_nothing_changes() {
    let site = Site::fixture("embargo");
    let text = diff_text(&site, "2026-05-01", "2026-06-01T10:00");
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("2026年5月1日 00:00 → 2026年6月1日 10:00（日本時間）：追加 "),
        "{first}"
    );
    assert!(text.contains("  /municipalities/473821/index.html"), "{text}");
    let text = diff_text(&site, "2026-05-01", "2026-05-02");
    assert!(text.contains("変わるものはありません"), "{text}");
}

/// The instant one second before `t` (RFC 3339), where the site is still the one before `t`.
fn just_before(t: &str) -> String {
    let i = banso::time::Instant::parse(t).unwrap();
    banso::time::Instant::from_second(i.as_second() - 1).unwrap().rfc3339()
}

#[test]
fn at_each_release_instant_diff_matches_two_real_builds() {
    let site = Site::fixture("embargo");
    let mut from = "2026-05-01T00:00:00+09:00".to_string();
    let mut instants = 0;
    // Walk the releases one by one (2026-06-01, 2026-10-15, 2027-04-01), each from the second
    // before it to the instant itself.
    while let Some(next) = {
        let d = diff_json(&site, &from, None);
        d["to"].as_str().map(str::to_string)
    } {
        let before = just_before(&next);
        let d = diff_json(&site, &before, Some(&next));
        ok(&site.build_with(&before, &["--no-search"]));
        let a = tree(&site.out());
        ok(&site.build_with(&next, &["--no-search"]));
        let b = tree(&site.out());
        let [added, changed, _] = assert_lists_match(&d, &a, &b, &next);
        assert!(
            !added.is_empty() || !changed.is_empty(),
            "{next}: a release changes something"
        );
        instants += 1;
        from = next;
        assert!(instants < 10);
    }
    assert_eq!(instants, 3, "2026-06-01, 2026-10-15 and 2027-04-01");
}

/// Files that go are listed as removed: diffing back from after a release to before it (what a
/// retraction would do) lists exactly the files two real builds lose. No test had a removal,
/// so a `diff` that never listed one passed every test on b4b8799.
#[test]
fn files_that_go_are_listed_as_removed_as_two_real_builds_show() {
    let site = Site::fixture("embargo");
    let (after, before) = ("2026-06-01T10:00:00+09:00", "2026-05-01T00:00:00+09:00");
    let d = diff_json(&site, after, Some(before));
    ok(&site.build_with(after, &["--no-search"]));
    let a = tree(&site.out());
    ok(&site.build_with(before, &["--no-search"]));
    let b = tree(&site.out());
    let [_, _, removed] = assert_lists_match(&d, &a, &b, "back to before team 3");
    // Team 3's town (与那国町, 473821) has a page of its own only once the team is public.
    assert!(
        removed.contains(&"municipalities/473821/index.html".to_string()),
        "{removed:?}"
    );
    let text = diff_text(&site, after, before);
    assert!(text.contains("municipalities/473821/index.html"), "{text}");
}
