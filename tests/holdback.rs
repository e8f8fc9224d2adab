//! `banso holdback`: every held item with its release instant, as text and JSON.

mod common;

use common::{Site, ok, stdout};

fn holdback(site: &Site, as_of: &str, json: bool) -> String {
    let content = site.content();
    let mut args = vec!["holdback", "--content", content.to_str().unwrap(), "--as-of", as_of];
    if json {
        args.extend(["--format", "json"]);
    }
    let o = site.banso(&args);
    ok(&o);
    stdout(&o)
}

#[test]
fn text_lists_each_held_item_and_the_next_release_in_japan_time() {
    let site = Site::fixture("embargo");
    let text = holdback(&site, "2026-11-23", false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "基準時刻 2026年11月23日 00:00（日本時間）");
    assert_eq!(lines[1], "公表待ち 4件（公表日時は日本時間）:");
    assert_eq!(lines[2], "  2027-04-01 10:00  期      第2期  (cohorts/2/cohort.yaml)");
    assert_eq!(
        lines[3],
        "  2027-04-01 10:00  チーム  第2期 チーム1 岩手県大船渡市  (cohorts/2/teams.yaml#1)"
    );
    assert!(
        lines[4].contains("報告")
            && lines[4].contains("HOLD-report-title")
            && lines[4].contains("cohorts/1/reports/final-hold.md")
    );
    assert!(lines[5].contains("ページ") && lines[5].contains("pages/news-hold.md"));
    assert_eq!(
        lines[6],
        "次の公表: 2027-04-01 10:00（日本時間、2027-04-01T10:00:00+09:00）"
    );
}

#[test]
fn text_says_nothing_held_back_when_all_is_released() {
    let site = Site::fixture("embargo");
    let text = holdback(&site, "2027-04-01T10:00", false);
    assert!(text.contains("nothing held back"), "{text}");
}

#[test]
fn json_for_a_scheduler() {
    let site = Site::fixture("embargo");
    let json: serde_json::Value = serde_json::from_str(&holdback(&site, "2026-06-01T09:00", true)).unwrap();
    assert_eq!(json["as_of"], "2026-06-01T09:00:00+09:00");
    assert_eq!(
        json["next_release"], "2026-06-01T10:00:00+09:00",
        "team 3 of cohort 1 comes first"
    );
    let held = json["held"].as_array().unwrap();
    let ids: Vec<&str> = held.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "cohorts/1/teams.yaml#3",
            "cohorts/1/reports/mori-interim.md",
            "cohorts/2/cohort.yaml",
            "cohorts/2/teams.yaml#1",
            "cohorts/1/reports/final-hold.md",
            "pages/news-hold.md"
        ]
    );
    assert_eq!(held[1]["kind"], "report");
    assert_eq!(held[1]["release"], "2026-10-15T10:00:00+09:00");
    assert_eq!(
        held[4]["release"], "2027-04-01T10:00:00+09:00",
        "01:00Z is shown at +09:00"
    );

    let none: serde_json::Value = serde_json::from_str(&holdback(&site, "2030-01-01", true)).unwrap();
    assert_eq!(none["next_release"], serde_json::Value::Null);
    assert_eq!(none["held"], serde_json::json!([]));
}

#[test]
fn invalid_content_is_reported_instead_of_listed() {
    let site = Site::fixture("embargo");
    site.replace(
        "cohorts/2/cohort.yaml",
        "announce: 2027-04-01T10:00:00+09:00",
        "announce: 2027-04-01T25:00",
    );
    let content = site.content();
    let o = site.banso(&[
        "holdback",
        "--content",
        content.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("--> cohorts/2/cohort.yaml:4:11"),
        "{}",
        common::stderr(&o)
    );
}
