//! `banso import teams` into a cohort already public (SPEC §6 (e)): the second import, the one a
//! mid-year change or a corrected list brings, keeps every published record and figure. "Public"
//! is what the last build in `out/` showed (`--previous`).

use std::path::Path;

use crate::common::{Site, ok, stderr};

/// Import `csv` (written into the scratch folder) as cohort `cohort`'s roster at `as_of`, with
/// the site in `out/` as the one last published, and `extra` arguments.
fn import(site: &Site, csv: &str, cohort: &str, as_of: &str, extra: &[&str]) -> std::process::Output {
    let file = site.dir.path().join("roster.csv");
    std::fs::write(&file, csv).unwrap();
    let (content, out) = (site.content(), site.out());
    let mut args = vec![
        "import",
        "teams",
        file.to_str().unwrap(),
        "--cohort",
        cohort,
        "--content",
        content.to_str().unwrap(),
        "--as-of",
        as_of,
        "--previous",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    site.banso(&args)
}

/// tests/fixtures/import/roster-2.csv (the official 第2期 list), with LF line ends.
fn roster_2() -> String {
    std::fs::read_to_string(Path::new(crate::common::REPO).join("tests/fixtures/import/roster-2.csv"))
        .unwrap()
        .replace("\r\n", "\n")
}

/// The rows of the official 第2期 list up to (not including) team `upto`.
fn roster_2_until(upto: u32) -> String {
    let mut out = String::new();
    for line in roster_2().lines() {
        let number: Option<u32> = line
            .split('.')
            .next()
            .and_then(|n| n.trim_start_matches('\u{feff}').parse().ok());
        if number.is_some_and(|n| n >= upto) {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Rows of a CSV of the output, header left out.
fn rows(site: &Site, file: &str) -> Vec<Vec<String>> {
    let text = String::from_utf8(site.output_file(file)).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// A roster sheet holding teams 1–5 only (a filtered sheet) keeps teams 6–97 as they are and
/// says so; on b4b8799 it left 5 of 97 teams. With `--complete` the published teams it lacks
/// are refused at their place in teams.yaml, and nothing is written.
#[test]
fn a_partial_roster_keeps_the_teams_it_lacks_and_says_so() {
    let site = Site::real();
    ok(&site.build("2026-11-23"));
    let before = site.read("cohorts/2/teams.yaml");
    let err = ok(&import(&site, &roster_2_until(6), "2", "2026-11-24", &[]));
    assert!(err.contains("5チーム・15名を"), "{err}");
    assert!(
        err.contains("  名簿にないため、そのまま残したチーム 92:\n    チーム6 北海道美瑛町\n"),
        "{err}"
    );
    ok(&site.build("2026-11-24"));
    assert_eq!(
        rows(&site, "data/teams.csv").len(),
        97,
        "every published team is still there"
    );
    assert_eq!(site.read("cohorts/2/teams.yaml").matches("- number: ").count(), 97);

    let site = Site::real();
    ok(&site.build("2026-11-23"));
    let o = import(&site, &roster_2_until(6), "2", "2026-11-24", &["--complete"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("エラー: 公表済みのチーム6 北海道美瑛町が名簿にありません（--complete）"),
        "{err}"
    );
    assert!(err.contains("--> cohorts/2/teams.yaml:"), "at its place: {err}");
    assert_eq!(site.read("cohorts/2/teams.yaml"), before, "nothing written");
}

/// `--complete` removes the teams the roster lacks that were never public.
#[test]
fn complete_removes_only_teams_never_published() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-05-01")); // teams 1 and 2 of 第1期 public, team 3 (2026-06-01) held
    let csv = "市町村名,所属府省庁,役職\n01.北海道森町,総務省,補佐級\n,公正取引委員会,補佐級\n,防衛省,室長級\n02.静岡県森町,国土交通省,係長級\n,内閣官房,指定職\n";
    let err = ok(&import(&site, csv, "1", "2026-05-02", &["--complete"]));
    assert!(
        err.contains("名簿になく、まだ公表していないため消したチーム（--complete） 1:\n    チーム3 沖縄県与那国町"),
        "{err}"
    );
    assert!(!site.read("cohorts/1/teams.yaml").contains("473821"));
}

/// Overwriting a leaver's row with the newcomer (the natural Excel edit) keeps the leaver,
/// marked 離任 from the first day after the import, and adds the newcomer published at the
/// import's instant, with nothing of the leaver's (職名, オフィサー). On b4b8799 the leaver was
/// deleted and the newcomer took their 職名.
#[test]
fn an_overwritten_row_keeps_the_leaver_and_adds_the_newcomer() {
    let site = Site::fixture("basic");
    ok(&site.build("2026-11-23"));
    let csv = "市町村名,所属府省庁,役職,氏名\n01.北海道森町,総務省,補佐級,架空 花子\n,公正取引委員会,補佐級,架空 二子\n,防衛省,室長級,\n02.静岡県森町,国土交通省,係長級,架空 三郎\n,内閣官房,指定職,\n03.沖縄県与那国町,総務省,課長級,\n,防衛省,補佐級,\n,内閣官房,係長級,\n";
    let err = ok(&import(&site, csv, "1", "2026-11-24T09:00", &[]));
    assert!(
        err.contains("公表済みのチームに加わる支援官 1:\n    チーム1 北海道森町 総務省 補佐級 架空 花子（2026-11-24T09:00:00+09:00 から公表）"),
        "{err}"
    );
    assert!(
        err.contains("公表済みのチームから離任する支援官（記録は残ります） 1:\n    チーム1 北海道森町 総務省 補佐級 架空 一郎（2026-11-25 から離任）"),
        "{err}"
    );
    assert!(
        !err.contains("支援官が 4 名です"),
        "who left is not counted in the team's size: {err}"
    );
    let yaml = site.read("cohorts/1/teams.yaml");
    assert!(
        yaml.contains(r#"{ministry: "総務省", grade: "補佐級", name: "架空 一郎", position: "総務省 架空局 課長補佐", left: "2026-11-25"}"#),
        "{yaml}"
    );
    assert!(
        yaml.contains(
            r#"{ministry: "総務省", grade: "補佐級", name: "架空 花子", announce: "2026-11-24T09:00:00+09:00"}"#
        ),
        "the newcomer has nothing of the leaver's: {yaml}"
    );
    ok(&site.build("2026-11-24T10:00"));
    let members = rows(&site, "data/members.csv");
    let one = |name: &str| members.iter().find(|r| r[6] == name).cloned().unwrap();
    assert_eq!(one("架空 一郎")[9], "", "not yet 離任 on the day of the import");
    ok(&site.build("2026-11-25"));
    let members = rows(&site, "data/members.csv");
    let ichiro = members.iter().find(|r| r[6] == "架空 一郎").unwrap();
    assert_eq!(ichiro[9], "2026-11-25", "離任日 in members.csv");
    // The 離任 badge sits with the person, not with the ministry.
    let page = site.page("municipalities/013455/index.html");
    let cells = page.texts("main table tbody td");
    assert!(
        cells
            .iter()
            .any(|c| c.contains("架空 一郎") && c.contains("令和8年11月25日（2026年11月25日）離任")),
        "{cells:?}"
    );
    assert!(
        cells.iter().all(|c| !(c.starts_with("総務省") && c.contains("離任"))),
        "{cells:?}"
    );
}

/// The real roster has no names: team 16 holds 内閣官房 課長級 twice. One of them leaving,
/// written as one row fewer, cannot say which: refused at the rows. With the 離任日 column on
/// the leaver's row (both rows kept) it is accepted; a 公表日 before the last published site is
/// refused at its cell (it would rewrite what that site showed).
#[test]
fn nameless_twins_change_only_with_dates_and_never_back_dated() {
    let site = Site::real();
    ok(&site.build("2026-11-23"));
    let before = site.read("cohorts/2/teams.yaml");
    let full = roster_2();
    let team16 = "16.秋田県能代市,内閣府,係長級\n,内閣官房,課長級\n,内閣官房,課長級\n";
    assert!(full.contains(team16), "the official list's team 16");
    let one_fewer = full.replace(team16, "16.秋田県能代市,内閣府,係長級\n,内閣官房,課長級\n");
    let o = import(&site, &one_fewer, "2", "2026-11-24", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("チーム16 秋田県能代市の 内閣官房 課長級 の氏名のない支援官の人数が、teams.yaml と名簿で違います"),
        "{err}"
    );
    assert_eq!(site.read("cohorts/2/teams.yaml"), before, "nothing written");

    // Dates say who: a 離任日 on one of the two rows.
    let with_dates = format!(
        "{}\n",
        full.trim_end()
            .lines()
            .map(|l| {
                let header = l.trim_start_matches('\u{feff}').starts_with("市町村名");
                let extra = if header { ",離任日,公表日" } else { ",," };
                format!("{l}{extra}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    )
    .replacen(
        "16.秋田県能代市,内閣府,係長級,,\n,内閣官房,課長級,,\n,内閣官房,課長級,,\n",
        "16.秋田県能代市,内閣府,係長級,,\n,内閣官房,課長級,,\n,内閣官房,課長級,2026-12-01,\n",
        1,
    );
    let err = ok(&import(&site, &with_dates, "2", "2026-11-24", &[]));
    assert!(
        err.contains("チーム16 秋田県能代市 内閣官房 課長級（2026-12-01 から離任）"),
        "{err}"
    );
    assert_eq!(
        site.read("cohorts/2/teams.yaml")
            .matches(r#"left: "2026-12-01""#)
            .count(),
        1
    );

    // A newcomer dated before the site last published (2026-11-23) is refused at its cell.
    let newcomer = with_dates.replace(
        "17.秋田県八峰町,国土交通省,課長級,,\n",
        "17.秋田県八峰町,国土交通省,課長級,,\n,総務省,係長級,,2026-11-20\n",
    );
    let o = import(&site, &newcomer, "2", "2026-11-24", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("エラー: 公表日 2026-11-20 は、前回公開したサイトの基準時刻 2026年11月23日 00:00 より前です"),
        "{err}"
    );
    assert!(err.contains("roster.csv:"), "at its cell: {err}");
}

/// "Already public" is what the site last showed: a wrong roster imported (never built), then
/// the right one that differs from the published counts by one person, leaves the published
/// counts in place. On b4b8799 the second import compared with the wrong counts in cohort.yaml
/// and the public breakdown moved by one.
#[test]
fn a_wrong_roster_then_the_right_one_leaves_the_published_breakdown() {
    let site = Site::fixture("basic");
    site.write(
        "cohorts/1/cohort.yaml",
        "number: 1\nfiscal_year: 2026\nannounce: 2026-04-01T10:00:00+09:00\nperiod: { start: 2026-04-01, end: 2027-03-31 }\n",
    );
    // 30 members over 10 teams of three, 性別 in a column: 15 男性, 15 女性.
    let roster = |women: usize| {
        let places = ["01.北海道森町", "02.静岡県森町", "03.沖縄県与那国町"];
        let mut csv = String::from("市町村名,所属府省庁,役職,性別\n");
        let mut i = 0;
        for place in places {
            for m in 0..10 {
                let cell = if m == 0 { place } else { "" };
                let gender = if i < women { "女性" } else { "男性" };
                csv.push_str(&format!("{cell},総務省,補佐級,{gender}\n"));
                i += 1;
            }
        }
        csv
    };
    ok(&import(&site, &roster(15), "1", "2026-03-01", &[]));
    ok(&site.build("2026-11-23"));
    let published = site.read("cohorts/1/cohort.yaml");
    assert!(
        published.contains("gender: { 男性: 15, 女性: 15 }"),
        "only the categories given: {published}"
    );
    let chart = String::from_utf8(site.output_file("cohorts/1/charts/gender.csv")).unwrap();
    assert!(
        !chart.contains("回答しない"),
        "no bar of 0 the roster never gave: {chart}"
    );
    // A wrong roster (ten people off) is imported and not built…
    ok(&import(&site, &roster(25), "1", "2026-11-24", &[]));
    assert!(site.read("cohorts/1/cohort.yaml").contains("男性: 5, 女性: 25"));
    // …then the right one, one person off the published 15/15: the published counts stay.
    let err = ok(&import(&site, &roster(16), "1", "2026-11-25", &[]));
    assert!(
        err.contains("公開中の数（前回公開したサイトの数）のままにしました"),
        "{err}"
    );
    assert_eq!(site.read("cohorts/1/cohort.yaml"), published);
    ok(&site.build("2026-11-26"));
    let after = String::from_utf8(site.output_file("cohorts/1/charts/gender.csv")).unwrap();
    assert_eq!(after, chart, "the public breakdown did not move by one");
}

/// A roster with 性別 per person (--keep-attributes) that corrects one person's recorded value
/// in a public cohort is refused at the cell: the published breakdown would move by one.
/// (b4b8799 skipped the rule with --keep-attributes.)
#[test]
fn a_correction_of_one_recorded_value_is_refused_at_its_cell() {
    let site = Site::fixture("charts");
    ok(&site.build("2026-11-23"));
    let yaml = site.read("cohorts/1/teams.yaml");
    // The fixture as a roster with a 団体コード column: each member's post and 性別.
    let mut csv = String::from("市町村名,団体コード,所属府省庁,役職,性別\n");
    let mut first = true;
    for line in yaml.lines() {
        let line = line.trim();
        if let Some(n) = line.strip_prefix("- number: ") {
            csv.push_str(&format!("{n}.チーム{n},"));
            first = true;
            continue;
        }
        if let Some(code) = line.strip_prefix("municipality: ") {
            csv.push_str(code.trim_matches('"'));
            continue;
        }
        if let Some(m) = line.strip_prefix("- {") {
            let field = |k: &str| {
                m.split(&format!("{k}: "))
                    .nth(1)
                    .map(|v| v.split([',', '}']).next().unwrap().trim().to_string())
            };
            if !first {
                csv.push(',');
            }
            csv.push_str(&format!(
                ",{},{},{}\n",
                field("ministry").unwrap(),
                field("grade").unwrap(),
                field("gender").unwrap_or_default()
            ));
            first = false;
        }
    }
    ok(&import(&site, &csv, "1", "2026-11-24", &["--keep-attributes"]));
    let corrected = csv.replacen(",総務省,補佐級,女性\n", ",総務省,補佐級,男性\n", 1);
    let o = import(&site, &corrected, "1", "2026-11-24", &["--keep-attributes"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("エラー: 公表済みの性別の内訳を1名分だけ変える訂正です"),
        "{err}"
    );
    assert!(err.contains("roster.csv:2:"), "at the cell of the value: {err}");
}

/// Without the published site, a cohort that may already be public is not imported into: the
/// import cannot tell what the public breakdowns are (SPEC §6 (e): refuse rather than guess).
/// An import instant before the site last published is refused too.
#[test]
fn without_the_published_site_a_public_cohort_is_refused() {
    let site = Site::real();
    let o = import(&site, &roster_2(), "2", "2026-11-24", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("第2期はすでに公表されている可能性がありますが、前回公開したサイトが"),
        "{err}"
    );
    ok(&site.build("2026-11-23"));
    let o = import(&site, &roster_2(), "2", "2026-11-22", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains(
            "取り込みの時刻 2026年11月22日 00:00 が、前回公開したサイトの基準時刻 2026年11月23日 00:00 より前です"
        ),
        "{err}"
    );
}

/// Importing the same roster twice changes nothing the second time (dates included).
#[test]
fn the_same_roster_twice_changes_nothing() {
    let site = Site::fixture("basic");
    ok(&site.build("2026-11-23"));
    let csv = "市町村名,所属府省庁,役職,氏名,公表日\n01.北海道森町,総務省,補佐級,架空 一郎,\n,公正取引委員会,補佐級,架空 二子,\n,防衛省,室長級,,\n,国土交通省,係長級,架空 四郎,2026-12-01\n02.静岡県森町,国土交通省,係長級,架空 三郎,\n,内閣官房,指定職,,\n03.沖縄県与那国町,総務省,課長級,,\n,防衛省,補佐級,,\n,内閣官房,係長級,,\n";
    ok(&import(&site, csv, "1", "2026-11-24", &[]));
    let once = site.read("cohorts/1/teams.yaml");
    assert!(once.contains(r#"name: "架空 四郎", announce: "2026-12-01""#), "{once}");
    let err = ok(&import(&site, csv, "1", "2026-11-25", &[]));
    let twice = site.read("cohorts/1/teams.yaml");
    assert_eq!(once, twice, "{err}");
    assert!(
        !err.contains("加わる支援官") && !err.contains("離任する支援官"),
        "{err}"
    );
}

/// With `--keep-attributes`, a member replaced by a newcomer of the other 性別 (the leaver's row
/// kept with its 離任日, the newcomer's row with its 公表日) does not move the published breakdown
/// by one: the newcomer waits for the next 集計時点 and the leaver stays counted. On b4b8799 the
/// row was overwritten in place and the breakdown moved from 15/15 to 14/16 at the same 集計時点.
#[test]
fn a_replacement_with_attributes_per_person_does_not_move_the_breakdown_by_one() {
    let site = Site::fixture("basic");
    site.write(
        "cohorts/1/cohort.yaml",
        "number: 1\nfiscal_year: 2026\nannounce: 2026-04-01T10:00:00+09:00\nperiod: { start: 2026-04-01, end: 2027-03-31 }\n",
    );
    let roster = |extra: &str| {
        let places = ["01.北海道森町", "02.静岡県森町", "03.沖縄県与那国町"];
        let mut csv = String::from("市町村名,所属府省庁,役職,氏名,性別,離任日,公表日\n");
        let mut i = 0;
        for place in places {
            for m in 0..10 {
                let cell = if m == 0 { place } else { "" };
                let gender = if i < 15 { "女性" } else { "男性" };
                let left = if i == 0 && !extra.is_empty() { "2026-12-01" } else { "" };
                csv.push_str(&format!("{cell},総務省,補佐級,架空 {i:02},{gender},{left},\n"));
                i += 1;
            }
            if place.starts_with("01") {
                csv.push_str(extra);
            }
        }
        csv
    };
    ok(&import(&site, &roster(""), "1", "2026-03-01", &["--keep-attributes"]));
    ok(&site.build("2026-11-23"));
    let before = String::from_utf8(site.output_file("cohorts/1/charts/gender.csv")).unwrap();
    assert!(
        before.contains("男性（名）,15") || before.contains("男性,15"),
        "{before}"
    );
    // 架空 00 (女性) leaves on 2026-12-01; 架空 30 (男性) joins that day.
    let err = ok(&import(
        &site,
        &roster(",総務省,補佐級,架空 30,男性,,2026-12-01\n"),
        "1",
        "2026-11-24",
        &["--keep-attributes"],
    ));
    assert!(
        err.contains("架空 30（2026-12-01 から公表）") && err.contains("架空 00（2026-12-01 から離任）"),
        "{err}"
    );
    ok(&site.build("2026-12-02"));
    let after = String::from_utf8(site.output_file("cohorts/1/charts/gender.csv")).unwrap();
    assert_eq!(
        after, before,
        "the breakdown shown is the same: the newcomer waits for the next 集計時点"
    );
}
