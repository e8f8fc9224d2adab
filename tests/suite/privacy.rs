//! Gender, age and track across builds (SPEC §6), on copies of the `charts` fixture: 第1期 has
//! 21 synthetic members announced 2026-04-01 10:00, 19 of them with gender, track and age
//! recorded (counted by hand: 男性 9, 女性 8, 回答しない 2). k = min_group_size = 10.

use crate::common::{Site, ok, stderr};

/// The rows of a cohort chart's table, e.g. `["男性 9名", …]`.
fn rows(site: &Site, chart: &str) -> Vec<String> {
    site.page("cohorts/1/index.html")
        .texts(&format!("#chart-{chart} table tbody tr"))
}

fn summary(site: &Site) -> serde_json::Value {
    serde_json::from_slice(&site.output_file("data/summary.json")).unwrap()
}

/// A team announced after its cohort, in 岩手県 (大船渡市 has a team in 第1期 already, so
/// another town), with `members` YAML lines.
fn late_team(site: &Site, announce: &str, members: &[&str]) {
    let mut teams = site.read("cohorts/1/teams.yaml");
    teams.push_str(&format!(
        "- number: 9\n  municipality: \"032093\"\n  announce: {announce}\n  members:\n{}",
        members.iter().map(|m| format!("    - {m}\n")).collect::<String>()
    ));
    site.write("cohorts/1/teams.yaml", &teams);
    site.write(
        "municipalities.yaml",
        &format!(
            "{}- {{ code: \"032093\", name: 一関市, population: 108000 }}\n",
            site.read("municipalities.yaml")
        ),
    );
}

#[test]
fn a_late_team_of_two_changes_no_breakdown_between_builds() {
    let site = Site::fixture("charts");
    late_team(
        &site,
        "2026-05-01T10:00",
        &[
            "{ ministry: 総務省, grade: 補佐級, gender: 女性, age: 33, track: 技官 }",
            "{ ministry: 防衛省, grade: 係長級, gender: 女性, age: 29, track: 技官 }",
        ],
    );
    ok(&site.build("2026-04-30"));
    let before: Vec<Vec<String>> = ["gender", "track", "age"].iter().map(|c| rows(&site, c)).collect();
    let members_before = summary(&site)["cohorts"][0]["headline"]["members"].clone();
    ok(&site.build("2026-05-01T10:00"));
    let after: Vec<Vec<String>> = ["gender", "track", "age"].iter().map(|c| rows(&site, c)).collect();
    assert_eq!(
        before, after,
        "the two newcomers' attributes cannot be read off the difference"
    );
    assert_eq!(
        before[0],
        [
            "男性 9名 47.4%",
            "女性 8名 42.1%",
            "回答しない 2名 10.5%",
            "計 19名 100.0%"
        ]
    );
    assert_eq!(
        summary(&site)["cohorts"][0]["headline"]["members"],
        23,
        "the team itself is published"
    );
    assert_eq!(members_before, 21);
    let text = site.page("cohorts/1/index.html").main_text();
    assert!(
        text.contains("集計時点：令和8年4月1日（2026年4月1日）。性別が登録されている支援官19名による。"),
        "the breakdown says which instant it counts: {text}"
    );
    // Nor can the prefecture's: prefecture pages carry no gender, age or track at all.
    let iwate = site.page("prefectures/iwate/index.html");
    assert_eq!(
        iwate.count("[id^=chart-1-gender], [id^=chart-1-track], [id^=chart-1-age]"),
        0
    );

    // Eight more later: ten since the last 集計時点, so the breakdown moves, by ten people.
    let mut teams = site.read("cohorts/1/teams.yaml");
    teams.push_str("- number: 10\n  municipality: \"032026\"\n  announce: 2026-06-01T10:00\n  members:\n");
    for _ in 0..8 {
        teams.push_str("    - { ministry: 総務省, grade: 補佐級, gender: 男性, age: 45, track: 事務官 }\n");
    }
    site.write("cohorts/1/teams.yaml", &teams);
    site.write(
        "municipalities.yaml",
        &format!(
            "{}- {{ code: \"032026\", name: 宮古市 }}\n",
            site.read("municipalities.yaml")
        ),
    );
    ok(&site.build("2026-06-01T10:00"));
    assert_eq!(
        rows(&site, "gender"),
        [
            "男性 17名 58.6%",
            "女性 10名 34.5%",
            "回答しない 2名 6.9%",
            "計 29名 100.0%"
        ]
    );
    assert_eq!(
        summary(&site)["cohorts"][0]["charts"][0]["counted_at"],
        "2026-06-01T10:00:00+09:00"
    );
}

#[test]
fn a_member_who_leaves_stays_listed_and_changes_no_count() {
    let site = Site::fixture("charts");
    site.replace(
        "cohorts/1/teams.yaml",
        "{ ministry: 総務省, grade: 補佐級, gender: 女性, age: 41, track: 事務官 }",
        "{ ministry: 総務省, grade: 補佐級, name: 架空 退子, gender: 女性, age: 41, track: 事務官, left: 2026-10-01 }",
    );
    ok(&site.build("2026-09-30"));
    // The headline's counts, apart from how many of them have left.
    let counts = |site: &Site| {
        let mut h = summary(site)["cohorts"][0]["headline"].clone();
        let left = h.as_object_mut().unwrap().remove("left").unwrap();
        (h, left)
    };
    let before = (rows(&site, "gender"), rows(&site, "age"), counts(&site).0);
    assert_eq!(counts(&site).1, 0);
    let page = site.page("municipalities/013455/index.html").main_text();
    assert!(page.contains("架空 退子") && !page.contains("離任"), "{page}");

    ok(&site.build("2026-10-01"));
    let after = (rows(&site, "gender"), rows(&site, "age"), counts(&site).0);
    assert_eq!(before, after);
    assert_eq!(counts(&site).1, 1, "the headline says one of its members has left");
    let cohort = site.page("cohorts/1/index.html").main_text();
    assert!(
        cohort.contains("支援官の数には、期の途中で離任した1名を含みます。"),
        "{cohort}"
    );
    let page = site.page("municipalities/013455/index.html").main_text();
    assert!(
        page.contains("架空 退子") && page.contains("令和8年10月1日（2026年10月1日）離任"),
        "{page}"
    );
    let members = String::from_utf8(site.output_file("data/members.csv")).unwrap();
    assert!(members.contains("架空 退子"), "still on the roster");
}

#[test]
fn a_departure_or_a_late_member_must_not_come_before_the_member() {
    let site = Site::fixture("charts");
    let line = site.replace(
        "cohorts/1/teams.yaml",
        "{ ministry: 環境省, grade: 係長級, gender: 女性, age: 29, track: 技官 }",
        "{ ministry: 環境省, grade: 係長級, gender: 女性, age: 29, track: 技官, left: 2026-03-01 }",
    );
    site.replace(
        "cohorts/1/teams.yaml",
        "{ ministry: 防衛省, grade: 補佐級, gender: 男性, age: 38, track: 事務官 }",
        "{ ministry: 防衛省, grade: 補佐級, gender: 男性, age: 38, track: 事務官, announce: 2026-03-01 }",
    );
    let o = site.check("2026-11-23");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("--> cohorts/1/teams.yaml:{line}:")), "{err}");
    assert!(
        err.contains("離任日 2026-03-01 が公表 2026年4月1日 10:00 より前です"),
        "{err}"
    );
    assert!(
        err.contains("支援官の公表 2026年3月1日 00:00 がチームの公表 2026年4月1日 10:00 より前です"),
        "{err}"
    );
}

#[test]
fn a_member_joining_later_is_held_until_then_and_counted_with_the_threshold() {
    let site = Site::fixture("charts");
    site.replace(
        "cohorts/1/teams.yaml",
        "    - { ministry: 国土交通省, grade: 係長級 }",
        "    - { ministry: 国土交通省, grade: 係長級 }\n    - { ministry: 総務省, grade: 係長級, name: 後任 HOLD-late-member, gender: 女性, age: 30, track: 技官, announce: 2026-07-01 }",
    );
    ok(&site.build("2026-06-30T23:59:59"));
    let before = rows(&site, "gender");
    let all: String = site
        .output_tree()
        .values()
        .map(|b| String::from_utf8_lossy(&crate::common::readable(b)).into_owned())
        .collect();
    assert!(!all.contains("HOLD-late-member"));
    let holdback = site.holdback("2026-06-30", &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&holdback.stdout).unwrap();
    assert_eq!(json["held"][0]["kind"], "member");
    assert_eq!(json["held"][0]["id"], "cohorts/1/teams.yaml#8/3");
    assert_eq!(json["next_release"], "2026-07-01T00:00:00+09:00");

    ok(&site.build("2026-07-01"));
    assert!(
        site.page("municipalities/032034/index.html")
            .main_text()
            .contains("後任 HOLD-late-member")
    );
    assert_eq!(rows(&site, "gender"), before, "one newcomer: the breakdown stays");
}

#[test]
fn only_members_with_the_attribute_recorded_count_towards_the_threshold() {
    // Keep track on 6 of the 21 members only: "技官 6" of 21 must not be shown.
    let site = Site::fixture("charts");
    let teams = site.read("cohorts/1/teams.yaml");
    let mut kept = 0;
    let edited: String = teams
        .lines()
        .map(|l| {
            if l.contains("track: ") {
                kept += 1;
                if kept > 6 {
                    return l.replace(", track: 事務官", "").replace(", track: 技官", "") + "\n";
                }
            }
            format!("{l}\n")
        })
        .collect();
    site.write("cohorts/1/teams.yaml", &edited);
    ok(&site.build("2026-11-23"));
    let track = rows(&site, "track");
    assert!(
        track.is_empty(),
        "a withheld breakdown is said in words, not drawn: {track:?}"
    );
    let text = site.page("cohorts/1/index.html").main_text();
    assert!(
        text.contains("事務官・技官の別が登録されている支援官が10名未満のため、内訳は表示していません。"),
        "{text}"
    );
    assert!(!site.out().join("cohorts/1/charts/track.csv").exists());
    assert_eq!(
        rows(&site, "gender"),
        [
            "男性 9名 47.4%",
            "女性 8名 42.1%",
            "回答しない 2名 10.5%",
            "計 19名 100.0%"
        ],
        "others unaffected"
    );
}

#[test]
fn declared_breakdowns_are_shown_only_once_nothing_of_the_cohort_is_held() {
    let site = Site::fixture("charts");
    site.write(
        "cohorts/1/cohort.yaml",
        "number: 1\nfiscal_year: 2026\nannounce: 2026-04-01T10:00:00+09:00\nperiod: { start: 2026-04-01, end: 2027-03-31 }\n\
         declared:\n  members: 23\n  breakdowns:\n    gender: { 男性: 12, 女性: 10, 回答しない: 1 }\n    age: { 20代: 3, 30代: 8, 40代: 8, 50代以上: 4 }\n",
    );
    late_team(
        &site,
        "2026-05-01T10:00",
        &[
            "{ ministry: 総務省, grade: 補佐級 }",
            "{ ministry: 防衛省, grade: 係長級 }",
        ],
    );
    let o = site.check("2026-11-23");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("性別が teams.yaml の 19名にも書かれていますが、期の集計には公表資料の内訳を使います"),
        "{}",
        stderr(&o)
    );
    // While team 9 is held, nothing of the declared figures shows, and the records' genders
    // are not used either (the two sources would differ by exactly the held team).
    ok(&site.build("2026-04-30"));
    assert!(rows(&site, "gender").is_empty(), "no chart of dashes");
    assert!(
        site.page("cohorts/1/index.html")
            .main_text()
            .contains("支援官の性別、支援官の年齢は、公表済みの記録から数えられないため、図表を載せていません。"),
        "a reason that is true whether the figures are unrecorded or not yet shown"
    );
    assert_eq!(
        rows(&site, "track"),
        ["事務官 12名 63.2%", "技官 7名 36.8%", "計 19名 100.0%"],
        "track is not declared: records"
    );
    let all: String = site
        .output_tree()
        .values()
        .map(|b| String::from_utf8_lossy(&crate::common::readable(b)).into_owned())
        .collect();
    assert!(!all.contains("公表資料の数値"), "nothing of the declared figures");
    ok(&site.build("2026-05-01T10:00"));
    assert_eq!(
        rows(&site, "gender"),
        [
            "男性 12名 52.2%",
            "女性 10名 43.5%",
            "回答しない 1名 4.3%",
            "計 23名 100.0%"
        ]
    );
    assert_eq!(
        rows(&site, "age"),
        [
            "20代 3名 13.0%",
            "30代 8名 34.8%",
            "40代 8名 34.8%",
            "50代以上 4名 17.4%",
            "計 23名 100.0%"
        ]
    );
    assert!(
        site.page("cohorts/1/index.html")
            .main_text()
            .contains("公表資料の数値（23名）")
    );
}
