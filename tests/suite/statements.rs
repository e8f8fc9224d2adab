//! What the site says is true to its records (SPEC §2): a placeholder instant is never shown as
//! a date, declared figures carry their notes, sources are cited, and what a page says it shows
//! or lacks is made from what it shows.

use crate::common::{Site, ok, stderr};

/// The basic fixture with its cohort's announcement marked as a placeholder, given in words,
/// and a support period that starts on another day (so the placeholder's date appears nowhere
/// else).
fn placeholder_site() -> Site {
    let site = Site::fixture("basic");
    site.replace(
        "cohorts/1/cohort.yaml",
        "period: { start: 2026-04-01, end: 2027-03-31 }",
        "announce_confirmed: false\nshown_as: { announce: 令和8年4月上旬以降（架空の予定） }\nperiod: { start: 2026-04-02, end: 2027-03-31 }",
    );
    site
}

fn text(site: &Site, rel: &str) -> String {
    String::from_utf8(site.output_file(rel)).unwrap()
}

#[test]
fn an_unconfirmed_announcement_is_never_shown_as_a_date() {
    let site = placeholder_site();
    ok(&site.build("2026-11-23"));
    // No file says the placeholder day in any form: ISO, RFC 3339, 西暦 or 和暦.
    for (path, bytes) in site.output_tree() {
        let t = String::from_utf8_lossy(&crate::common::readable(&bytes)).to_string();
        for form in ["2026-04-01", "2026年4月1日", "令和8年4月1日"] {
            assert!(!t.contains(form), "{path} shows the placeholder as {form}");
        }
    }
    // Pages give the source's words instead.
    let cohort = site.page("cohorts/1/index.html").main_text();
    assert!(cohort.contains("公表 令和8年4月上旬以降（架空の予定）"), "{cohort}");
    // teams.csv: 公表日 blank for the teams announced with the cohort; team 3's own date kept.
    let teams = text(&site, "data/teams.csv");
    let dates: Vec<&str> = teams.lines().skip(1).map(|l| l.rsplit(',').next().unwrap()).collect();
    assert_eq!(dates, ["", "", "2026-06-01"]);
    // The feed leaves the cohort's entry out and is dated by its newest entry (the report).
    let feed = text(&site, "feed.xml");
    assert!(!feed.contains("を公表しました"), "{feed}");
    assert!(feed.contains("<updated>2026-10-15T10:00:00+09:00</updated>"), "{feed}");
    // summary.json states no date for it.
    let summary: serde_json::Value = serde_json::from_slice(&site.output_file("data/summary.json")).unwrap();
    assert_eq!(summary["cohorts"][0]["announce"], serde_json::Value::Null);
    assert_eq!(
        summary["cohorts"][0]["announce_label"],
        "令和8年4月上旬以降（架空の予定）"
    );
}

#[test]
fn the_same_site_with_a_confirmed_announcement_shows_its_date() {
    // The control: without `announce_confirmed: false` the day is shown everywhere it was not.
    let site = Site::fixture("basic");
    ok(&site.build("2026-11-23"));
    assert!(text(&site, "feed.xml").contains("<updated>2026-04-01T10:00:00+09:00</updated>"));
    let teams = text(&site, "data/teams.csv");
    assert!(teams.lines().nth(1).unwrap().ends_with(",2026-04-01"), "{teams}");
    assert!(
        site.page("cohorts/1/index.html")
            .main_text()
            .contains("公表 令和8年4月1日（2026年4月1日）")
    );
}

#[test]
fn a_placeholder_still_holds_the_cohort_and_check_says_it_is_one() {
    let site = placeholder_site();
    // Before the placeholder instant the cohort is held like any other.
    ok(&site.build("2026-03-31"));
    assert!(!site.out().join("cohorts/1").exists());
    let o = site.check("2026-03-31");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("第1期の公表の日時 2026年4月1日 10:00 は仮の値のままです"),
        "{err}"
    );
    assert!(err.contains("--> cohorts/1/cohort.yaml:4:21"), "{err}");
    // Once it has passed, check no longer warns about it.
    let err = stderr(&site.check("2026-11-23"));
    assert!(!err.contains("仮の値"), "{err}");
}

#[test]
fn a_placeholder_needs_the_words_pages_show_instead() {
    let site = Site::fixture("basic");
    site.replace("cohorts/1/cohort.yaml", "period:", "announce_confirmed: false\nperiod:");
    let o = site.check("2026-11-23");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("公表の日時が仮の値（announce_confirmed: false）なのに、ページに出す言葉（shown_as の announce）がありません"),
        "{err}"
    );
    assert!(err.contains("--> cohorts/1/cohort.yaml:4:21"), "{err}");
}

#[test]
fn release_at_next_will_not_take_a_placeholder() {
    let site = placeholder_site();
    // A cohort still to come whose instant is a placeholder.
    site.replace(
        "cohorts/1/cohort.yaml",
        "announce: 2026-04-01T10:00:00+09:00",
        "announce: 2099-04-01T10:00:00+09:00",
    );
    site.replace("cohorts/1/teams.yaml", "2026-06-01T10:00", "2099-06-01T10:00");
    site.replace(
        "cohorts/1/reports/mori-interim.md",
        "2026-10-15T10:00:00+09:00",
        "2099-10-15T10:00:00+09:00",
    );
    let o = site.banso(&[
        "release",
        "--content",
        site.content().to_str().unwrap(),
        "--output",
        site.out().to_str().unwrap(),
        "--at",
        "next",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("は仮の値です"), "{err}");
    assert!(err.contains("--at next では選びません"), "{err}");
    assert!(!site.out().exists(), "nothing was written");
}

#[test]
fn a_note_on_a_figure_that_is_not_declared_is_an_error_at_the_note() {
    let site = Site::fixture("basic");
    site.replace(
        "cohorts/1/cohort.yaml",
        "  prefectures: 3\n",
        "  prefectures: 3\n  notes: { staff_applicants: 架空の注記 }\n",
    );
    let err = stderr(&site.check("2026-11-23"));
    assert!(
        err.contains("notes の staff_applicants に対応する公表数値（declared の staff_applicants）がありません"),
        "{err}"
    );
    assert!(err.contains("--> cohorts/1/cohort.yaml:10:"), "{err}");
}

#[test]
fn sources_are_cited_under_the_figures_and_on_every_chart_and_a_bad_link_is_refused() {
    let site = Site::fixture("basic");
    let sources = "sources:\n  - title: 架空の公表資料\n    publisher: 架空府\n    date: 令和8年4月\n    url: https://example.invalid/doc.pdf\n  - title: 日付のない架空の資料\n";
    site.write(
        "cohorts/1/cohort.yaml",
        &format!("{}{sources}", site.read("cohorts/1/cohort.yaml")),
    );
    ok(&site.build("2026-11-23"));
    let page = site.page("cohorts/1/index.html");
    assert_eq!(
        page.text(".sources").replace(' ', ""),
        "出典：「架空の公表資料」（架空府、令和8年4月）、「日付のない架空の資料」"
    );
    assert_eq!(page.attrs(".sources a", "href"), ["https://example.invalid/doc.pdf"]);
    let svg = text(&site, "cohorts/1/charts/grade.svg");
    assert!(
        svg.contains("出典：「架空の公表資料」（架空府、令和8年4月）、「日付のない架空の資料」をもとに作成"),
        "{svg}"
    );
    // The top page's headline cites them too.
    assert!(
        site.page("index.html")
            .text(".sources")
            .replace(' ', "")
            .starts_with("出典：「架空の公表資料」")
    );

    site.replace(
        "cohorts/1/cohort.yaml",
        "https://example.invalid/doc.pdf",
        "javascript:alert(1)",
    );
    let err = stderr(&site.check("2026-11-23"));
    assert!(
        err.contains("出典の url「javascript:alert(1)」は Web のアドレスではありません"),
        "{err}"
    );
}

#[test]
fn prefecture_pages_say_which_cohorts_they_count_from_what_is_published() {
    // The real content before 第2期: 第1期 is public, with no team list kept here.
    let site = Site::real();
    ok(&site.build("2026-03-01"));
    let nagano = site.page("prefectures/nagano/index.html").main_text();
    assert!(
        nagano.contains("第1期は伴走支援チーム一覧をこのサイトに載せていないため、長野県の支援先はわかりません。"),
        "{nagano}"
    );
    assert!(!nagano.contains("まだありません"), "{nagano}");
    let list = site.page("prefectures/index.html");
    assert!(
        list.main_text()
            .contains("第1期は伴走支援チーム一覧をこのサイトに載せていないため、数に含みません。")
    );
    assert_eq!(list.count("main .tile-map-wrap"), 0, "no map of zeros");
    // Once 第2期 is public: its list is counted, and the breakdowns are where the pages show them.
    ok(&site.build("2026-12-06"));
    let list = site.page("prefectures/index.html");
    assert!(
        list.main_text()
            .contains("伴走支援チーム一覧を載せている第2期の公表済みのチームの数です。")
    );
    assert_eq!(list.count("main .tile-map-wrap"), 1);
    let nagano = site.page("prefectures/nagano/index.html").main_text();
    assert!(
        nagano.contains(
            "支援官の性別・年齢・事務官と技官の別は、一人ひとりがわからないよう、都道府県ごとには載せていません。"
        ),
        "{nagano}"
    );
    // No cohort page shows those breakdowns (the source gives them as images only): none is named.
    assert!(!nagano.contains("期全体の集計は"), "{nagano}");
    let hokkaido = site.page("prefectures/hokkaido/index.html");
    assert_eq!(hokkaido.text("main p.meta"), "北海道");
}

#[test]
fn holdback_marks_a_placeholder_instant() {
    let site = placeholder_site();
    let o = site.banso(&[
        "holdback",
        "--content",
        site.content().to_str().unwrap(),
        "--as-of",
        "2026-03-01",
    ]);
    let out = crate::common::stdout(&o);
    assert!(out.contains("第1期  (cohorts/1/cohort.yaml)  ※仮の日時"), "{out}");
    let o = site.banso(&[
        "holdback",
        "--content",
        site.content().to_str().unwrap(),
        "--as-of",
        "2026-03-01",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&crate::common::stdout(&o)).unwrap();
    let cohort = json["held"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "cohort")
        .unwrap();
    assert_eq!(cohort["unconfirmed"], true);
    // Team 3's own instant is no placeholder.
    let team3 = json["held"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "cohorts/1/teams.yaml#3")
        .unwrap();
    assert!(team3.get("unconfirmed").is_none(), "{team3}");
}

/// A page's summary for search engines and link previews says what the page shows: the headline
/// as shown (the official figure) and the charts it draws, nothing it says it lacks.
#[test]
fn a_cohort_pages_summary_says_what_the_page_shows() {
    let site = Site::real();
    ok(&site.build("2026-12-06"));
    let page = site.page("cohorts/2/index.html");
    let description = page.attrs("meta[name='description']", "content").remove(0);
    assert!(description.contains("地方創生支援官278名"), "{description}");
    assert!(!description.contains("279"), "{description}");
    assert!(description.contains("支援官の役職"), "{description}");
    assert!(
        !description.contains("性別"),
        "no breakdown of gender is drawn: {description}"
    );
}

/// No page skips a heading level (h1 → h3 on /prefectures/ once did), on the real site before
/// and after 第2期.
#[test]
fn no_page_skips_a_heading_level() {
    let site = Site::real();
    for at in ["2026-03-01", "2026-12-06"] {
        ok(&site.build(at));
        let headings = scraper::Selector::parse("main h1, main h2, main h3, main h4, main h5, main h6").unwrap();
        let mut pages = 0;
        for (path, bytes) in site.output_tree() {
            if !path.ends_with(".html") {
                continue;
            }
            let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
            let levels: Vec<u8> = html
                .select(&headings)
                .map(|h| h.value().name()[1..].parse().unwrap())
                .collect();
            let mut last = 0;
            for l in &levels {
                assert!(*l <= last + 1, "{at} {path}: h{l} after h{last} ({levels:?})");
                last = *l;
            }
            pages += 1;
        }
        assert!(pages > 100, "{pages}");
    }
}

/// The basic fixture with team 3 (沖縄県, announced 2026-06-01) given a member of a body no
/// other team has, so a held-back team's prefecture and body are both its own.
fn late_team_site() -> Site {
    let site = Site::fixture("basic");
    site.replace(
        "cohorts/1/teams.yaml",
        "- { ministry: 内閣官房, grade: 係長級 }",
        "- { ministry: 復興庁, grade: 係長級 }",
    );
    let ministries = site.read("ministries.yaml");
    site.write(
        "ministries.yaml",
        &format!("{ministries}- name: 復興庁\n  id: reconstruction\n"),
    );
    site
}

#[test]
fn the_team_list_is_grouped_by_prefecture_and_its_filter_offers_only_published_choices() {
    let site = late_team_site();
    ok(&site.build("2026-05-01"));
    let list = site.page("cohorts/1/teams/index.html");
    assert_eq!(list.attrs(".team-group", "id"), ["pref-hokkaido", "pref-shizuoka"]);
    assert_eq!(list.attrs(".jump-list a", "href"), ["#pref-hokkaido", "#pref-shizuoka"]);
    assert_eq!(list.attrs(".team-group tbody tr", "id"), ["team-1-1", "team-1-2"]);
    assert_eq!(
        list.attrs("select[name=prefecture] option", "value"),
        ["", "pref-hokkaido", "pref-shizuoka"]
    );
    let bodies = list.attrs("select[name=ministry] option", "value");
    assert_eq!(
        bodies,
        ["", "内閣官房", "総務省", "国土交通省", "防衛省", "公正取引委員会"]
    );
    // Team 3 is held: neither its prefecture nor its own body is offered or named anywhere.
    for (path, bytes) in site.output_tree() {
        let t = String::from_utf8_lossy(&crate::common::readable(&bytes)).to_string();
        assert!(!t.contains("復興庁"), "{path} names the held team's body");
    }
    assert!(!list.main_text().contains("沖縄"));
    // The control: once it is announced, both are there.
    ok(&site.build("2026-07-01"));
    let list = site.page("cohorts/1/teams/index.html");
    assert_eq!(
        list.attrs(".team-group", "id"),
        ["pref-hokkaido", "pref-shizuoka", "pref-okinawa"]
    );
    assert!(
        list.attrs("select[name=ministry] option", "value")
            .contains(&"復興庁".to_string())
    );
}

#[test]
fn a_prefecture_page_links_each_town_once_and_a_ministry_page_lists_its_members_compactly() {
    let site = Site::fixture("basic");
    ok(&site.build("2026-11-23"));
    let pref = site.page("prefectures/hokkaido/index.html");
    assert_eq!(
        pref.attrs("main a[href$='municipalities/013455/']", "href").len(),
        1,
        "the team table links the town; no second list repeats it"
    );
    let mod_page = site.page("ministries/mod/index.html");
    assert_eq!(
        mod_page.attrs(".compact-table tbody tr", "id"),
        ["team-1-1", "team-1-3"]
    );
    assert_eq!(
        mod_page.texts(".compact-table thead th")[2],
        "防衛省の 支援官",
        "a break allowed before 支援官"
    );
    // This body's members in their column, the others' bodies in the next.
    let cells = mod_page.texts(".compact-table tbody tr:first-child td");
    assert!(cells[1].contains("室長級") && !cells[1].contains("総務省"), "{cells:?}");
    assert!(cells[2].contains("総務省") && !cells[2].contains("防衛省"), "{cells:?}");
    assert_eq!(
        mod_page.attrs(".compact-table tbody tr:first-child a", "href")[0],
        "../../cohorts/1/teams/#team-1-1"
    );
}

#[test]
fn printed_links_carry_their_absolute_address_and_table_links_are_listed_once() {
    let site = Site::fixture("basic");
    ok(&site.build("2026-11-23"));
    let pref = site.page("prefectures/hokkaido/index.html");
    let printed = pref.attrs("main a[data-print]", "data-print");
    assert!(!printed.is_empty());
    assert!(printed.iter().all(|a| a.starts_with("https://")), "{printed:?}");
    // Links stay relative on screen.
    assert!(
        pref.attrs("main a[data-print]", "href")
            .iter()
            .all(|h| !h.starts_with("https://"))
    );
    let listed = pref.texts(".print-links li");
    let town = listed.iter().filter(|l| l.contains("/municipalities/013455/")).count();
    assert_eq!(town, 1, "{listed:?}");
    // The footer for paper names the page.
    let head = String::from_utf8(site.output_file("prefectures/hokkaido/index.html")).unwrap();
    assert!(head.contains("@bottom-center { content: \""), "{head}");
    assert!(head.contains("prefectures/hokkaido/\" \"\\A \""), "{head}");
}
