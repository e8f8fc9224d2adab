//! 府省庁等 pages: what one ministry's officials support, from published records only.

use crate::common::{Site, ok, stderr};

/// What a page says an オフィサー is, once, where the word first appears.
const OFFICER_DEFINITION: &str = "地方創生支援オフィサーは、現役出向する国職員等への業務委嘱による支援官です。";

/// The embargo fixture with 環境省 (id env), whose only member is in team 3 of 第1期,
/// published on 2026-06-01.
fn site_with_a_held_ministry() -> Site {
    let site = Site::fixture("embargo");
    site.write(
        "ministries.yaml",
        &format!(
            "{}- name: 環境省\n  id: env\n  short: 環境\n",
            site.read("ministries.yaml")
        ),
    );
    let line = site.replace(
        "cohorts/1/teams.yaml",
        "    - { ministry: 内閣官房, grade: 係長級 }",
        "    - { ministry: 環境省, grade: 係長級 }",
    );
    assert_eq!(line, 29, "team 3's third member is the only 環境省 official");
    site
}

#[test]
fn a_ministry_page_lists_the_published_teams_its_officials_join() {
    let site = site_with_a_held_ministry();
    ok(&site.build("2026-06-01T10:00"));
    let page = site.page("ministries/soumu/index.html");
    assert_eq!(page.text("h1"), "総務省");
    // Hand count: 総務省 has one member in team 1 (森町, 北海道) and one in team 3 (沖縄県).
    assert_eq!(
        page.text(".ministry-cohort h2 + p"),
        "第1期では、総務省の支援官2名が2チームに加わり、2都道府県の2市町村を支援しています。2名の役職は、課長級1名、補佐級1名です。"
    );
    let rows = page.texts(".ministry-cohort tbody tr th");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.starts_with("北海道") || r.starts_with("沖縄県")),
        "{rows:?}"
    );
    // Its own members in their column (team 1: 補佐級 with name and 職名, team 3: 課長級); the
    // others' bodies in the next.
    assert_eq!(
        page.texts(".compact-table tbody td:nth-child(3)"),
        ["補佐級 架空 一郎 （総務省 架空局 課長補佐）", "課長級"]
    );
    let others = page.texts(".compact-table tbody td:nth-child(4)");
    assert!(
        others.iter().all(|o| !o.contains("総務省") && o.contains("防衛省")),
        "{others:?}"
    );
    // Team 1's interim report is released on 2026-10-15: listed from then, not before.
    assert_eq!(page.count(".report-list li"), 0);
    ok(&site.build("2026-10-15T10:00"));
    let page = site.page("ministries/soumu/index.html");
    assert_eq!(page.texts(".report-list li a"), ["森町チーム 中間報告（架空）"]);
    assert!(
        site.page("ministries/cas/index.html").count(".report-list li") == 0,
        "内閣官房 is not in team 1"
    );

    let list = site.page("ministries/index.html");
    let names = list.texts("tbody th");
    // Display order of ministries.yaml, only ministries with a published member.
    assert_eq!(
        names,
        ["内閣官房", "総務省", "国土交通省", "防衛省", "公正取引委員会", "環境省"]
    );
    assert_eq!(list.texts("thead th"), ["府省庁等", "第1期 支援官", "第1期 チーム"]);
    assert_eq!(list.texts("tbody tr")[1], "総務省 2名 2チーム");
    // One group (no オフィサー出向先等): no headings, no word about オフィサー, and a 計 that
    // counts each team once (8 members in 3 teams).
    assert_eq!(list.count("main h2"), 0);
    assert_eq!(list.texts("tfoot tr"), ["計 8名 3チーム"]);
    assert!(!list.main_text().contains("オフィサー"));

    // Every member's ministry links to its page, on team lists and municipality pages.
    let teams = site.page("cohorts/1/teams/index.html");
    assert!(
        teams
            .attrs(".members .ministry a", "href")
            .contains(&"../../../ministries/env/".to_string())
    );
    let town = site.page("municipalities/013455/index.html");
    assert_eq!(
        town.attrs(".member-table a[href*=ministries]", "href"),
        [
            "../../ministries/soumu/",
            "../../ministries/jftc/",
            "../../ministries/mod/"
        ]
    );
    // A search for the short name finds the page first (Pagefind filter).
    assert!(
        site.page("ministries/env/index.html")
            .attrs("data[data-pagefind-filter]", "value")
            .contains(&"環境".to_string())
    );
    assert!(
        site.page("index.html")
            .texts("header nav a")
            .contains(&"府省庁等別".to_string())
    );
}

#[test]
fn a_ministry_whose_officials_are_all_held_has_no_trace() {
    let site = site_with_a_held_ministry();
    ok(&site.build("2026-05-01"));
    assert!(!site.out().join("ministries/env").exists());
    for (rel, bytes) in site.output_tree() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("環境省") && !text.contains("ministries/env"),
            "{rel} names the held ministry"
        );
    }
    // 総務省's page counts only team 1 while team 3 is held.
    let page = site.page("ministries/soumu/index.html");
    assert_eq!(
        page.text(".ministry-cohort h2 + p"),
        "第1期では、総務省の支援官1名が北海道森町を支援するチームに加わっています。役職は補佐級です。"
    );
    // 第2期 (announced 2027) is nowhere: no section, no member name.
    assert!(!page.main_text().contains("第2期"));
    assert!(!String::from_utf8_lossy(&site.output_file("ministries/soumu/index.html")).contains("HOLD"));
}

#[test]
fn without_pages_nothing_links_to_them() {
    let site = Site::fixture("embargo");
    let text: String = site
        .read("ministries.yaml")
        .lines()
        .filter(|l| !l.trim_start().starts_with("id:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("ministries.yaml", &text);
    let err = ok(&site.build("2026-06-01T10:00"));
    assert!(
        err.contains("警告: 府省庁等「総務省」に id がないため、この府省庁等のページを作りません"),
        "{err}"
    );
    assert!(err.contains("--> ministries.yaml:"), "{err}");
    assert!(!site.out().join("ministries").exists());
    assert!(
        !site
            .page("index.html")
            .texts("header nav a")
            .contains(&"府省庁等別".to_string())
    );
    assert_eq!(site.page("cohorts/1/teams/index.html").count(".members .ministry a"), 0);
}

#[test]
fn a_bad_or_repeated_id_is_an_error_at_its_line() {
    let site = Site::fixture("embargo");
    site.replace("ministries.yaml", "id: soumu", "id: Soumu");
    site.replace("ministries.yaml", "id: mod", "id: mlit");
    let o = site.check("2026-06-01T10:00");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let line_of = |needle: &str| {
        site.read("ministries.yaml")
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    };
    assert!(err.contains("id「Soumu」はページの URL に使えません"), "{err}");
    assert!(
        err.contains(&format!("--> ministries.yaml:{}:7", line_of("Soumu"))),
        "{err}"
    );
    assert!(
        err.contains(&format!("id「mlit」は {} 行目でも使われています", line_of("id: mlit"))),
        "{err}"
    );
}

#[test]
fn a_link_to_a_ministry_page_that_can_never_exist_is_an_error() {
    let site = Site::fixture("embargo");
    site.write(
        "ministries.yaml",
        &format!("{}- name: 環境省\n  id: env\n", site.read("ministries.yaml")),
    );
    site.write(
        "pages/links.md",
        "---\ntitle: リンク\n---\n[国土交通省](/ministries/mlit/)と[環境省](/ministries/env/)\n",
    );
    let o = site.check("2026-06-01T10:00");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("--> pages/links.md:4:"), "{err}");
    assert!(err.contains("/ministries/env/"), "{err}");
    assert!(
        err.contains("リンク先「/ministries/env/」のページはありません"),
        "{err}"
    );
    assert!(
        !err.contains("リンク先「/ministries/mlit/」"),
        "国土交通省 has an official: {err}"
    );
}

#[test]
fn a_wrong_id_gets_its_error_and_no_second_warning() {
    let site = Site::fixture("embargo");
    site.replace("ministries.yaml", "id: soumu", "id: Soumu");
    let err = stderr(&site.check("2026-06-01T10:00"));
    assert!(err.contains("id「Soumu」はページの URL に使えません"), "{err}");
    assert!(!err.contains("id がないため"), "{err}");
}

/// The embargo fixture with two bodies of オフィサー出向先等 (one listed first in
/// ministries.yaml, so the groups stand apart whatever the file's order) and a fourth team in
/// 北海道, built at 2026-06-01 10:00 (team 3 published). By hand, 第1期 then has:
/// - 府省庁等 (5): 内閣官房 2 (teams 2, 3), 総務省 2 (1, 3), 国土交通省 1 (2), 防衛省 2 (1, 4),
///   公正取引委員会 1 (1): 8 members in 4 teams.
/// - オフィサー出向先等 (2): 架空研究機構 1 (team 4), 架空大学 1 (team 3): 2 members, both
///   地方創生支援オフィサー, in 2 teams.
/// - 北海道 (teams 1, 4): 補佐級 2 (総務省, 公正取引委員会), 企画官・室長級 2 (防衛省 twice),
///   課長級 1 (架空研究機構).
///
/// Team 3 has a report, so its page lists a member with the 支援オフィサー mark.
fn site_with_officer_bodies() -> Site {
    let site = Site::fixture("embargo");
    site.write(
        "ministries.yaml",
        &format!(
            "- name: 架空研究機構\n  id: kaku-lab\n  group: オフィサー出向先等\n{}- name: 架空大学\n  id: kaku-univ\n  group: オフィサー出向先等\n",
            site.read("ministries.yaml")
        ),
    );
    site.write(
        "municipalities.yaml",
        &format!(
            "{}- code: \"014079\"\n  name: 仁木町\n",
            site.read("municipalities.yaml")
        ),
    );
    site.replace(
        "cohorts/1/teams.yaml",
        "    - { ministry: 防衛省, grade: 補佐級, officer: true }",
        "    - { ministry: 架空大学, grade: 補佐級, officer: true }",
    );
    site.write(
        "cohorts/1/teams.yaml",
        &format!(
            "{}- number: 4\n  municipality: \"014079\"\n  members:\n    - {{ ministry: 防衛省, grade: 室長級 }}\n    - {{ ministry: 架空研究機構, grade: 課長級, officer: true }}\n",
            site.read("cohorts/1/teams.yaml")
        ),
    );
    site.write(
        "cohorts/1/reports/yonaguni.md",
        "---\nteam: 3\nkind: 活動報告\ntitle: 与那国町チーム 活動報告（架空）\ndate: 2026-06-01\n---\n架空の本文です。\n",
    );
    ok(&site.build("2026-06-01T10:00"));
    site
}

#[test]
fn the_ministry_list_shows_the_two_groups_apart_each_with_its_subtotal() {
    let site = site_with_officer_bodies();
    let list = site.page("ministries/index.html");
    assert_eq!(list.texts("main h2"), ["府省庁等（5）", "オフィサー出向先等（2）"]);
    let tables = list.texts("table caption");
    assert_eq!(
        tables,
        ["府省庁等の支援官とチームの数", "オフィサー出向先等の支援官とチームの数"]
    );
    assert_eq!(
        list.texts("[aria-label=\"府省庁等の支援官とチームの数\"] tbody th"),
        ["内閣官房", "総務省", "国土交通省", "防衛省", "公正取引委員会"],
        "ministries.yaml's order within the group"
    );
    assert_eq!(
        list.texts("[aria-label=\"オフィサー出向先等の支援官とチームの数\"] thead th"),
        ["オフィサー出向先等", "第1期 支援官", "第1期 チーム"]
    );
    assert_eq!(
        list.texts("tbody tr"),
        [
            "内閣官房 2名 2チーム",
            "総務省 2名 2チーム",
            "国土交通省 1名 1チーム",
            "防衛省 2名 2チーム",
            "公正取引委員会 1名 1チーム",
            "架空研究機構 1名 1チーム",
            "架空大学 1名 1チーム",
        ]
    );
    // Team 1 has three 府省庁等 members and counts once in the subtotal.
    assert_eq!(list.texts("tfoot tr"), ["小計 8名 4チーム", "小計 2名 2チーム"]);
    let text = list.main_text();
    assert_eq!(text.matches(OFFICER_DEFINITION).count(), 1, "{text}");
    let first_use = text.find("オフィサー").unwrap();
    let definition = text.find(OFFICER_DEFINITION).unwrap();
    assert!(
        text[first_use..definition].chars().count() < 60,
        "said where the word first appears: {text}"
    );
}

#[test]
fn the_ministry_chart_shows_the_groups_apart_with_subtotals_and_its_csv_a_group_column() {
    let site = site_with_officer_bodies();
    let cohort = site.page("cohorts/1/index.html");
    assert_eq!(
        cohort.texts("#table-ministry tbody tr"),
        [
            "府省庁等（5）",
            "内閣官房 2名 20.0%",
            "総務省 2名 20.0%",
            "国土交通省 1名 10.0%",
            "防衛省 2名 20.0%",
            "公正取引委員会 1名 10.0%",
            "小計 8名 80.0%",
            "オフィサー出向先等（2）",
            "架空研究機構 1名 10.0%",
            "架空大学 1名 10.0%",
            "小計 2名 20.0%",
            "計 10名 100.0%",
        ]
    );
    assert_eq!(cohort.count("#table-ministry th[scope=rowgroup]"), 2);
    // The headline's オフィサー comes first on the page: the definition is there, once.
    let text = cohort.main_text();
    assert_eq!(text.matches(OFFICER_DEFINITION).count(), 1, "{text}");
    assert!(cohort.text(".figures ~ .note").contains(&format!(
        "支援官には地方創生支援オフィサー2名を含みます。{OFFICER_DEFINITION}"
    )));

    let csv = site.output_text("cohorts/1/charts/ministry.csv");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "区分,分類,人数（名）", "one header row");
    assert_eq!(lines[1], "内閣官房,府省庁等,2");
    assert_eq!(lines.last(), Some(&"架空大学,オフィサー出向先等,1"));
    assert_eq!(lines.len(), 1 + 7, "a row per body, no subtotal rows");

    let svg = site.output_text("cohorts/1/charts/ministry.svg");
    assert!(svg.contains(">府省庁等（5）　小計 8名（80.0%）</text>"), "{svg}");
    assert!(
        svg.contains(">オフィサー出向先等（2）　小計 2名（20.0%）</text>"),
        "{svg}"
    );

    let summary: serde_json::Value = serde_json::from_str(&site.output_text("data/summary.json")).unwrap();
    let text = summary.to_string();
    assert!(
        text.contains(r#""groups":[{"categories":5,"name":"府省庁等","subtotals":[8]},{"categories":2,"name":"オフィサー出向先等","subtotals":[2]}]"#),
        "{text}"
    );
}

#[test]
fn the_officer_mark_is_explained_once_where_it_first_appears() {
    let site = site_with_officer_bodies();
    for page in [
        "cohorts/1/teams/index.html",
        "ministries/soumu/index.html",
        "ministries/kaku-univ/index.html",
        "municipalities/473821/index.html",
        "prefectures/okinawa/index.html",
        "reports/1/yonaguni/index.html",
        "index.html",
        "cohorts/index.html",
    ] {
        let text = site.page(page).main_text();
        assert_eq!(text.matches(OFFICER_DEFINITION).count(), 1, "{page}: {text}");
    }
    let teams = site.page("cohorts/1/teams/index.html");
    assert_eq!(
        teams.text(".officer-note"),
        format!("支援オフィサー の印は、地方創生支援オフィサーを表します。{OFFICER_DEFINITION}")
    );
    // A body of オフィサー出向先等 says so under its name; its list needs no second note.
    let body = site.page("ministries/kaku-univ/index.html");
    assert!(
        body.text("h1 ~ p:not(.updated)")
            .starts_with("架空大学は、地方創生支援オフィサーが所属する団体（オフィサー出向先等）です。"),
        "{}",
        body.text("h1 ~ p:not(.updated)")
    );
    assert_eq!(body.count(".officer-note"), 0);
    // A page with no オフィサー says nothing of them.
    let mlit = site.page("ministries/mlit/index.html");
    assert!(!mlit.main_text().contains("オフィサー"), "{}", mlit.main_text());
}

#[test]
fn ministry_pages_word_one_team_one_prefecture_and_grades_naturally() {
    let site = site_with_officer_bodies();
    let lead = |id: &str| {
        site.page(&format!("ministries/{id}/index.html"))
            .text(".ministry-cohort h2 + p")
    };
    assert_eq!(
        lead("kaku-univ"),
        "第1期では、架空大学の支援官1名が沖縄県与那国町を支援するチームに加わっています。役職は補佐級です。"
    );
    assert_eq!(
        lead("mod"),
        "第1期では、防衛省の支援官2名が2チームに加わり、北海道の2市町村を支援しています。役職は2名とも企画官・室長級です。"
    );
    assert_eq!(
        lead("cas"),
        "第1期では、内閣官房の支援官2名が2チームに加わり、2都道府県の2市町村を支援しています。2名の役職は、指定職1名、係長級1名です。"
    );
}

#[test]
fn a_tie_for_the_most_is_worded_as_a_tie() {
    let site = site_with_officer_bodies();
    let hokkaido = site.page("prefectures/hokkaido/index.html");
    assert_eq!(
        hokkaido.attrs("figure.chart img", "alt"),
        ["北海道・第1期の支援官の役職：企画官・室長級と補佐級が各2名で最多"]
    );
}

#[test]
fn an_unknown_group_is_an_error_at_its_place_naming_both_values() {
    let site = Site::fixture("embargo");
    site.replace(
        "ministries.yaml",
        "  id: mod\n",
        "  id: mod\n  group: オフィサー出向先\n",
    );
    let o = site.check("2026-06-01T10:00");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("group「オフィサー出向先」は使えません"), "{err}");
    assert!(err.contains("--> ministries.yaml:10:10"), "{err}");
    assert!(
        err.contains("group は 府省庁等 か オフィサー出向先等 で書いてください（書かなければ 府省庁等）"),
        "{err}"
    );
    assert!(
        err.contains("1件のエラー") || err.contains("エラー 1件"),
        "only that error: {err}"
    );
}
