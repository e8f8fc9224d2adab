//! 府省庁等 pages: what one ministry's officials support, from published records only.

use crate::common::{Site, ok, stderr};

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
        page.texts(".ministry-cohort p")[0],
        "第1期では、総務省の支援官2名が2チームに加わり、2都道府県の2市町村を支援しています。役職は課長級 1名、補佐級 1名です。"
    );
    let rows = page.texts(".ministry-cohort tbody tr th");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.starts_with("北海道") || r.starts_with("沖縄県")),
        "{rows:?}"
    );
    assert_eq!(
        page.texts(".members li.marked .ministry"),
        ["総務省", "総務省"],
        "its own members stand out"
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
    assert!(
        page.text(".ministry-cohort p")
            .starts_with("第1期では、総務省の支援官1名が1チームに加わり、1都道府県の1市町村")
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
