//! `banso diff`: what a release changes, compared with two real builds of the same content.

use crate::common::{Site, ok, stdout, tree};
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
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
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
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
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
    // The search index's files are not compared (pages are, with their search box).
    let [added, changed, removed] =
        crate::common::tree_changes(a, b).map(|v| v.into_iter().filter(|p| !p.starts_with("pagefind/")).collect());
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

    ok(&site.build_with("2026-05-01", &[]));
    let a = tree(&site.out());
    ok(&site.build_with("2026-06-01T10:00", &[]));
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
        ok(&site.build_with(&before, &[]));
        let a = tree(&site.out());
        ok(&site.build_with(&next, &[]));
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
    ok(&site.build_with(after, &[]));
    let a = tree(&site.out());
    ok(&site.build_with(before, &[]));
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

/// The rows of a CSV of the tree `t` (header left out, BOM too).
fn csv_rows(t: &std::collections::BTreeMap<String, Vec<u8>>, file: &str) -> Vec<Vec<String>> {
    let text = String::from_utf8(t.get(file).cloned().unwrap_or_default()).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// The first block of `diff` (what becomes public) is exactly what two real builds make
/// public, at each release instant of the embargo fixture from the second before: the cohort
/// pages, the teams.csv rows, the members.csv rows, the town pages, report pages and free pages
/// that appear.
#[test]
fn the_public_block_is_what_two_builds_make_public_at_each_release() {
    let site = Site::fixture("embargo");
    for next in [
        "2026-06-01T10:00:00+09:00",
        "2026-10-15T10:00:00+09:00",
        "2027-04-01T10:00:00+09:00",
    ] {
        let before = just_before(next);
        let p = &diff_json(&site, &before, Some(next))["public"];
        ok(&site.build_with(&before, &[]));
        let a = tree(&site.out());
        ok(&site.build_with(next, &[]));
        let b = tree(&site.out());
        let [added, _, _] = crate::common::tree_changes(&a, &b);
        let added_like = |prefix: &str, depth: usize| -> Vec<String> {
            added
                .iter()
                .filter(|p| p.starts_with(prefix) && p.ends_with("/index.html") && p.matches('/').count() == depth)
                .cloned()
                .collect()
        };
        let cohorts: Vec<String> = added_like("cohorts/", 2)
            .iter()
            .map(|p| format!("第{}期", p.split('/').nth(1).unwrap()))
            .collect();
        assert_eq!(strings(&p["cohorts"]), cohorts, "{next}");
        let teams_of = |t| -> Vec<(String, String)> {
            csv_rows(t, "data/teams.csv")
                .iter()
                .map(|r| (r[3].clone(), r[4].clone()))
                .collect()
        };
        let new_teams: Vec<(String, String)> = teams_of(&b).into_iter().filter(|t| !teams_of(&a).contains(t)).collect();
        let block_teams: Vec<(String, String)> = p["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let cohort = t["cohort"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches('第')
                    .trim_end_matches('期');
                (cohort.to_string(), t["number"].to_string())
            })
            .collect();
        let (mut x, mut y) = (new_teams.clone(), block_teams.clone());
        x.sort();
        y.sort();
        assert_eq!(x, y, "{next}");
        let members = csv_rows(&b, "data/members.csv").len() - csv_rows(&a, "data/members.csv").len();
        assert_eq!(p["members"].as_u64().unwrap() as usize, members, "{next}");
        let towns: Vec<String> = added_like("municipalities/", 2)
            .iter()
            .map(|p| p.split('/').nth(1).unwrap().to_string())
            .collect();
        let block_towns: Vec<String> = p["municipalities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(block_towns, towns, "{next}");
        assert_eq!(
            p["reports"].as_array().unwrap().len(),
            added_like("reports/", 3).len(),
            "{next}"
        );
        let pages = added_like("", 1)
            .iter()
            .filter(|p| !banso::model::urls::reserved_stems().any(|r| r == p.split('/').next().unwrap()))
            .count();
        assert_eq!(p["pages"].as_array().unwrap().len(), pages, "{next}");
        assert!(
            !p["teams"].as_array().unwrap().is_empty() || !p["reports"].as_array().unwrap().is_empty(),
            "{next}: each release makes something public"
        );
    }
}

/// What a signer reads: the public block first; pages whose only change is where a link points
/// said as such and grouped; a data file's rows under its header; summary.json as named
/// figures; the prefecture map as 「岩手 0チーム → 1チーム」. On b4b8799 the same announcement
/// printed every page with 「文字は変わらず、ファイルの中身が変わります」, bare tile numbers and raw JSON.
#[test]
fn the_text_a_signer_reads_says_what_goes_public_first_and_what_changes_in_its_terms() {
    let site = Site::fixture("embargo");
    // Without the page released with 第2期, the menu gains no item: most pages change only
    // where 「チーム一覧」 points.
    std::fs::remove_file(site.path("pages/news-hold.md")).unwrap();
    let text = diff_text(&site, "2027-04-01T09:59:59", "2027-04-01T10:00");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[2], "公表されるもの", "{text}");
    assert_eq!(lines[3], "  期 1: 第2期");
    assert_eq!(lines[4], "  チーム 1");
    assert_eq!(lines[5], "    岩手県: 第2期チーム1 大船渡市");
    assert_eq!(lines[6], "  支援官 2名（うち氏名 1名: 秘密 太郎 HOLD-member-name）");
    assert!(text.contains("\nリンク先だけが変わるページ "), "{text}");
    assert!(
        text.contains("  「チーム一覧」 /cohorts/1/teams/ → /cohorts/2/teams/\n"),
        "{text}"
    );
    assert!(!text.contains("文字は変わらず、ファイルの中身が変わります"), "{text}");
    assert!(
        text.contains("  /data/teams.csv（データ）\n    列: 全国地方公共団体コード,都道府県,市町村,期,チーム番号"),
        "{text}"
    );
    assert!(text.contains("    + cohorts[第2期]（新しく加わる数値 "), "{text}");
    assert!(
        text.contains("    岩手 0チーム（岩手県） → 岩手 1チーム（岩手県）\n"),
        "{text}"
    );
    assert!(!text.contains("\n    + 0\n") && !text.contains("\"series\""), "{text}");
    let full = crate::common::stdout(&site.banso(&[
        "diff",
        "--content",
        site.content().to_str().unwrap(),
        "--from",
        "2027-04-01T09:59:59",
        "--to",
        "2027-04-01T10:00",
        "--full",
    ]));
    assert!(full.lines().count() > text.lines().count(), "--full says more");
    assert!(!full.contains("すべては --full"));
}
