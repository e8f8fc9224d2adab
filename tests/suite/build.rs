//! Building the `basic` fixture and looking at the pages as a reader would.

use crate::common::{Site, ok, tree};

const AS_OF: &str = "2026-11-23";

fn built() -> Site {
    let site = Site::fixture("basic");
    ok(&site.build(AS_OF));
    site
}

#[test]
fn every_page_type_of_spec_section_5_is_written() {
    let site = built();
    let files = site.output_tree();
    for want in [
        "index.html",
        "about/index.html",
        "cohorts/index.html",
        "cohorts/1/index.html",
        "cohorts/1/teams/index.html",
        "prefectures/index.html",
        "prefectures/hokkaido/index.html",
        "municipalities/013455/index.html",
        "reports/1/mori-interim/index.html",
        "themes/03/index.html",
        "data/index.html",
        "data/teams.csv",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
    ] {
        assert!(files.contains_key(want), "{want} missing");
    }
    let prefectures = files
        .keys()
        .filter(|k| k.starts_with("prefectures/") && k.ends_with("/index.html") && k.matches('/').count() == 2)
        .count();
    assert_eq!(prefectures, 47);
    let areas = files
        .keys()
        .filter(|k| k.starts_with("themes/") && k.ends_with("/index.html") && k.matches('/').count() == 2)
        .count();
    assert_eq!(areas, 26);
}

#[test]
fn team_list_shows_members_by_canonical_names() {
    let site = built();
    let page = site.page("cohorts/1/teams/index.html");
    assert_eq!(page.count("table.team-table tbody tr"), 3);
    let rows = page.texts("table.team-table tbody tr");
    // Grouped by prefecture (the heading names it; the rows name the town).
    assert_eq!(
        page.texts(".team-group h2"),
        ["北海道 （1チーム）", "静岡県 （1チーム）", "沖縄県 （1チーム）"]
    );
    assert!(rows[0].contains("森町") && rows[0].contains("継続"), "{}", rows[0]);
    assert!(
        rows[0].contains("公正取引委員会 補佐級 架空 二子"),
        "alias shown as canonical: {}",
        rows[0]
    );
    assert!(rows[0].contains("防衛省 企画官・室長級"), "{}", rows[0]);
    assert!(rows[1].contains("森町") && rows[1].contains("新規"), "{}", rows[1]);
    assert!(
        rows[2].contains("与那国町") && rows[2].contains("支援オフィサー"),
        "{}",
        rows[2]
    );
    assert_eq!(
        page.texts("caption"),
        [
            "北海道の伴走支援チーム（第1期）",
            "静岡県の伴走支援チーム（第1期）",
            "沖縄県の伴走支援チーム（第1期）"
        ]
    );
    assert_eq!(page.attrs("html", "lang"), ["ja"]);
}

#[test]
fn two_municipalities_of_the_same_name_are_told_apart_by_prefecture() {
    let site = built();
    assert_eq!(
        site.page("municipalities/013455/index.html").text("h1"),
        "北海道森町 （もりまち）"
    );
    assert_eq!(
        site.page("municipalities/224618/index.html").text("h1"),
        "静岡県森町 （もりまち）"
    );
    assert!(
        site.page("prefectures/shizuoka/index.html")
            .main_text()
            .contains("森町")
    );
    assert!(
        !site
            .page("prefectures/hokkaido/index.html")
            .main_text()
            .contains("静岡")
    );
}

#[test]
fn municipality_page_shows_population_and_its_team_and_report() {
    let site = built();
    let page = site.page("municipalities/013455/index.html");
    let text = page.main_text();
    assert!(
        text.contains("13,582人（令和7年1月1日（2025年1月1日）現在、住民基本台帳）"),
        "{text}"
    );
    assert!(text.contains("第1期 チーム1"), "{text}");
    assert!(text.contains("森町チーム 中間報告（架空）"), "{text}");
    assert_eq!(
        page.attrs("main a[href*='reports/1']", "href"),
        ["../../reports/1/mori-interim/"]
    );
}

#[test]
fn report_page_renders_tables_footnotes_attachments_and_escapes_raw_html() {
    let site = built();
    let page = site.page("reports/1/mori-interim/index.html");
    assert_eq!(page.text("h1"), "森町チーム 中間報告（架空）");
    assert_eq!(page.count("article table"), 1);
    assert_eq!(
        page.texts("article table td"),
        ["現地訪問", "2", "オンライン会議", "18"]
    );
    assert!(page.count(".footnote-definition") == 1, "{}", page.source);
    assert_eq!(page.count("script"), 0);
    assert!(
        page.main_text().contains("<script>alert(\"x\")</script>"),
        "raw HTML is shown as text"
    );
    let hrefs = page.attrs("a[href*='assets/']", "href");
    assert_eq!(
        hrefs,
        ["../../../assets/1/mori-slides.pdf", "../../../assets/1/mori-slides.pdf"]
    );
    assert!(page.main_text().contains("発表資料 （PDF、"), "{}", page.main_text());
    assert!(site.out().join("assets/1/mori-slides.pdf").is_file());
    assert!(
        !site.out().join("assets/1/unused.pdf").exists(),
        "an asset nothing refers to is not published"
    );
}

#[test]
fn a_report_names_its_team_as_the_team_list_does() {
    let site = built();
    let footer = site
        .page("reports/1/mori-interim/index.html")
        .texts(".report-team .members li");
    assert_eq!(
        footer[0], "総務省 補佐級 架空 一郎 （総務省 架空局 課長補佐）",
        "職名 is in the footer"
    );
    let list = site.page("cohorts/1/teams/index.html");
    let row = list.texts("#team-1-1 .members li");
    assert_eq!(footer, row, "one member partial: the footer and the list agree");
}

#[test]
fn every_list_of_reports_is_newest_first_in_one_order() {
    let site = Site::fixture("basic");
    // Same date as mori-interim; released later, and its file name sorts first: the later
    // release comes first everywhere (the top page and /reports/ once disagreed on ties).
    let report = |title: &str, release: &str| {
        format!("---\nteam: 1\nkind: 活動報告\ntitle: {title}\ndate: 2026-10-01\nrelease: {release}\n---\n本文\n")
    };
    site.write(
        "cohorts/1/reports/a-later.md",
        &report("同日・後で公表（架空）", "2026-10-20T10:00:00+09:00"),
    );
    ok(&site.build("2026-11-23"));
    let titles = |rel: &str, css: &str| site.page(rel).texts(css);
    let list = titles("reports/index.html", ".report-list li > a");
    assert_eq!(list, ["同日・後で公表（架空）", "森町チーム 中間報告（架空）"]);
    assert_eq!(titles("index.html", ".report-list li > a"), list);
    assert_eq!(titles("ministries/soumu/index.html", ".report-list li > a"), list);
}

#[test]
fn cohort_page_leads_with_the_declared_figure_and_notes_the_record_count() {
    let site = built();
    let page = site.page("cohorts/1/index.html");
    assert_eq!(page.text("h1"), "第1期（令和8年度）");
    // Declared 9 members; the fixture's teams.yaml lists 8: the official figure leads (※).
    assert_eq!(
        page.texts(".figures dd"),
        ["3 チーム", "9 名 ※", "3 市町村", "3 道府県"]
    );
    let note = page.text(".note-diff");
    assert_eq!(note, "※支援官：公表数値は9名、伴走支援チーム一覧から数えると8名です。");
    // Every chart counted from the records states its base.
    assert!(
        page.main_text().contains("伴走支援チーム一覧の8名による。"),
        "{}",
        page.main_text()
    );
    let grades = page.texts("#table-grade tbody tr");
    assert_eq!(
        grades,
        [
            "指定職 1名 12.5%",
            "課長級 1名 12.5%",
            "企画官・室長級 1名 12.5%",
            "補佐級 3名 37.5%",
            "係長級 2名 25.0%",
            "計 8名 100.0%"
        ],
        "each grade with its share of the 8 recorded members, and their total"
    );
}

#[test]
fn breadcrumbs_menu_and_footer_are_on_every_page() {
    let site = built();
    let page = site.page("municipalities/473821/index.html");
    assert_eq!(page.attrs("nav.breadcrumbs", "aria-label"), ["現在位置"]);
    assert_eq!(
        page.texts("nav.breadcrumbs li"),
        ["ホーム", "都道府県から探す", "沖縄県", "沖縄県与那国町"]
    );
    assert_eq!(page.attrs("nav.breadcrumbs [aria-current]", "aria-current"), ["page"]);
    // The tasks readers come for first, then the pages about the programme; the phone's menu
    // holds the same list.
    let menu = page.texts("nav.global-nav a");
    assert_eq!(
        menu,
        [
            "チーム一覧",
            "都道府県別",
            "府省庁等別",
            "課題分野",
            "報告",
            "オープンデータ",
            "制度の概要（試験）"
        ]
    );
    assert_eq!(page.texts(".phone-menu nav a"), menu);
    assert!(page.text("footer").contains("試験用の架空の事務局"));
    assert!(page.text("footer").contains("政府標準利用規約（第2.0版）"));
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://test.example.invalid/banso/municipalities/473821/"]
    );
}

#[test]
fn links_resolve_to_files_in_the_output() {
    let site = built();
    let files = site.output_tree();
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let page = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        let dir = std::path::Path::new(path).parent().unwrap().to_path_buf();
        for a in page.select(&scraper::Selector::parse("a[href], link[href]").unwrap()) {
            let href = a.value().attr("href").unwrap();
            if href.starts_with("http") || href.starts_with('#') {
                continue;
            }
            let href = href.split('#').next().unwrap();
            let mut target = dir.join(href);
            if href.ends_with('/') || href.is_empty() {
                target = target.join("index.html");
            }
            let norm = normalize(&target);
            let decoded = percent_decode(&norm);
            assert!(
                files.contains_key(&decoded),
                "{path}: link {href} → {decoded} is not in the output"
            );
        }
    }
}

fn normalize(p: &std::path::Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    banso::model::link::destination::percent_decode(s)
}

#[test]
fn not_found_page_links_from_the_site_root() {
    let site = built();
    let page = site.page("404.html");
    assert_eq!(page.attrs("main a", "href"), ["/banso/", "/banso/prefectures/"]);
    assert_eq!(page.attrs("link[rel=stylesheet]", "href"), ["/banso/static/style.css"]);
}

#[test]
fn sitemap_and_robots_use_the_base_url() {
    let site = built();
    let sitemap = String::from_utf8(site.output_file("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://test.example.invalid/banso/</loc>"));
    assert!(sitemap.contains("<loc>https://test.example.invalid/banso/reports/1/mori-interim/</loc>"));
    assert!(!sitemap.contains("404"));
    let robots = String::from_utf8(site.output_file("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://test.example.invalid/banso/sitemap.xml"));
}

#[test]
fn base_url_flag_overrides_site_yaml_in_every_file() {
    let site = Site::fixture("basic");
    ok(&site.build_with(AS_OF, &["--base-url", "https://elsewhere.example.invalid/x"]));
    let page = site.page("index.html");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://elsewhere.example.invalid/x/"]
    );
    let text = |f: &str| String::from_utf8(site.output_file(f)).unwrap();
    let sitemap = text("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://elsewhere.example.invalid/x/reports/1/mori-interim/</loc>"),
        "{sitemap}"
    );
    assert!(text("feed.xml").contains("https://elsewhere.example.invalid/x/reports/1/mori-interim/"));
    assert!(text("robots.txt").contains("Sitemap: https://elsewhere.example.invalid/x/sitemap.xml"));
    // 404.html is served at any depth, so its links start from the base URL's path.
    let missing = site.page("404.html");
    assert_eq!(missing.attrs("link[rel=stylesheet]", "href"), ["/x/static/style.css"]);
    for (path, bytes) in site.output_tree() {
        let body = String::from_utf8_lossy(&crate::common::readable(&bytes)).into_owned();
        assert!(
            !body.contains("test.example.invalid"),
            "{path} still names site.yaml's base_url"
        );
    }
}

#[test]
fn a_base_url_that_is_not_an_absolute_address_is_refused_before_anything_is_written() {
    let site = Site::fixture("basic");
    for bad in [
        "elsewhere.example.invalid/x",
        "ftp://elsewhere.example.invalid/",
        "https://",
        "https://a.invalid/?q=1",
    ] {
        let o = site.build_with(AS_OF, &["--base-url", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = crate::common::stderr(&o);
        assert!(
            err.contains("--base-url") && err.contains("絶対 URL ではありません"),
            "{bad}: {err}"
        );
        assert!(!site.out().exists(), "{bad}: nothing is written");
    }
    site.replace(
        "site.yaml",
        "https://test.example.invalid/banso/",
        "test.example.invalid/banso/",
    );
    let o = site.build(AS_OF);
    assert_eq!(o.status.code(), Some(1));
    let err = crate::common::stderr(&o);
    assert!(
        err.contains(
            "base_url「test.example.invalid/banso/」が絶対 URL ではありません（https:// から始まっていません）"
        ),
        "{err}"
    );
    assert!(err.contains("--> site.yaml:3:11"), "{err}");
    assert!(!site.out().exists());
}

#[test]
fn rebuilding_gives_identical_bytes_whatever_the_number_of_threads() {
    // Loading, rendering, indexing and writing run in parallel: one thread, two and eight must
    // give the same files, dot-files (the ownership marker) included.
    let site = Site::fixture("embargo");
    let mut trees = Vec::new();
    for threads in ["1", "2", "8"] {
        let out = site.dir.path().join(format!("out-{threads}"));
        ok(&site.build_into(&out, "2030-01-01", &[("RAYON_NUM_THREADS", threads)]));
        trees.push((threads, tree(&out)));
    }
    assert!(trees[0].1.contains_key(".banso-output") && trees[0].1.len() > 100);
    for (threads, t) in &trees[1..] {
        assert!(t == &trees[0].1, "{threads} threads give other files than one thread");
    }
}

#[test]
fn a_search_index_in_parts_is_the_same_on_every_build() {
    let site = Site::fixture("basic");
    // Over 1,000 pages (1,050 synthetic reports), so the index is made in two parts in parallel.
    for i in 1..=1050u32 {
        site.write(
            &format!("cohorts/1/reports/synthetic-{i:04}.md"),
            &format!("---\nteam: 2\nkind: 活動報告\ntitle: 合成の報告 {i}\ndate: 2026-05-01\n---\n本文 {i}\n"),
        );
    }
    ok(&site.build("2027-06-01"));
    let first = site.output_tree();
    assert!(first.contains_key("pagefind/part-2/pagefind-entry.json"));
    assert!(!first.contains_key("pagefind/part-3/pagefind-entry.json"));
    let search = String::from_utf8_lossy(&first["search/index.html"]).into_owned();
    assert!(search.contains("part-2"), "the search page merges the second part");
    ok(&site.build("2027-06-01"));
    let second = site.output_tree();
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(&second[path] == bytes, "{path} differs between two builds");
    }
}

#[test]
fn works_from_any_directory_with_the_built_in_theme() {
    let site = Site::fixture("basic");
    ok(&site.banso(&["build", "--as-of", AS_OF]));
    assert!(site.dir.path().join("output/index.html").is_file());
}

#[test]
fn open_data_csv_files_have_a_bom_header_and_one_row_per_record() {
    let site = built();
    let teams = String::from_utf8(site.output_file("data/teams.csv")).unwrap();
    assert!(teams.starts_with('\u{feff}'));
    let lines: Vec<&str> = teams.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "全国地方公共団体コード,都道府県,市町村,期,チーム番号,継続,課題分野,支援官数,公表日"
    );
    assert_eq!(lines[1], "013455,北海道,森町,1,1,継続,観光;産業振興,3,2026-04-01");
    assert_eq!(lines[3], "473821,沖縄県,与那国町,1,3,,,3,2026-06-01");
    assert_eq!(lines.len(), 4);
    let munis = String::from_utf8(site.output_file("data/municipalities.csv")).unwrap();
    assert!(
        !munis.contains("大船渡"),
        "a municipality without support is not listed"
    );
    let members = String::from_utf8(site.output_file("data/members.csv")).unwrap();
    assert!(
        members.contains("013455,森町,1,1,公正取引委員会,補佐級,架空 二子,"),
        "{members}"
    );
}

#[test]
fn a_long_report_list_is_split_into_linked_pages_newest_first() {
    let site = Site::fixture("basic");
    // 250 synthetic reports of team 2, dated one day apart.
    for i in 1..=250u32 {
        let date = jiff::civil::date(2026, 1, 1) + jiff::Span::new().days(i64::from(i) - 1);
        site.write(
            &format!("cohorts/1/reports/synthetic-{i:03}.md"),
            &format!("---\nteam: 2\nkind: 活動報告\ntitle: 合成の報告 {i}\ndate: {date}\n---\n本文 {i}\n"),
        );
    }
    ok(&site.build("2027-06-01"));
    let first = site.page("reports/index.html");
    assert_eq!(first.count("ul.report-list > li"), 100);
    assert!(
        first.text("main").contains("公表済みの報告 251件"),
        "{}",
        first.text("main")
    );
    let titles = first.texts("ul.report-list > li > a");
    assert_eq!(
        titles[..2],
        ["森町チーム 中間報告（架空）", "合成の報告 250"],
        "newest first"
    );
    assert_eq!(first.attrs("nav.pager a[rel=next]", "href"), ["../reports/page/2/"]);
    assert!(first.attrs("nav.pager a[rel=prev]", "href").is_empty());

    let last = site.page("reports/page/3/index.html");
    assert_eq!(last.count("ul.report-list > li"), 51);
    assert_eq!(last.texts("h1"), ["報告（3／3ページ）"]);
    assert_eq!(
        last.attrs("nav.pager a[aria-current=page]", "href"),
        ["../../../reports/page/3/"]
    );
    assert_eq!(
        last.attrs("nav.pager a[rel=prev]", "href"),
        ["../../../reports/page/2/"]
    );
    assert!(!site.out().join("reports/page/4").exists());
    assert!(!site.out().join("reports/page/1").exists(), "page 1 is /reports/");

    // Every report is on exactly one page of the list.
    let listed: Vec<String> = [
        "reports/index.html",
        "reports/page/2/index.html",
        "reports/page/3/index.html",
    ]
    .iter()
    .flat_map(|p| site.page(p).texts("ul.report-list > li > a"))
    .collect();
    let unique: std::collections::BTreeSet<_> = listed.iter().collect();
    assert_eq!((listed.len(), unique.len()), (251, 251));
}

#[test]
fn a_short_report_list_has_no_pager() {
    let site = built();
    let page = site.page("reports/index.html");
    assert_eq!(page.count("nav.pager"), 0);
    assert!(!site.out().join("reports/page").exists());
}

#[test]
fn without_as_of_the_site_is_built_as_of_now() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let site = Site::fixture("embargo");
    let content = site.content();
    let out = site.out();
    let o = site.banso(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    ok(&o);
    let after = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let as_of = banso::time::Instant::parse(report["as_of"].as_str().unwrap()).unwrap();
    assert!(
        (before..=after).contains(&as_of.as_second()),
        "the as-of is the clock's second at the build: {as_of:?}"
    );
    assert!(report["as_of"].as_str().unwrap().ends_with("+09:00"), "{report}");
    // The same site as a build at that instant given explicitly.
    let explicit = site.dir.path().join("explicit");
    ok(&site.build_into(&explicit, report["as_of"].as_str().unwrap(), &[]));
    assert!(tree(&out) == tree(&explicit));
}

/// Every page links the site's icon, which is written: no browser asks for a missing
/// /favicon.ico (a console error on every page).
#[test]
fn every_page_links_an_icon_that_exists() {
    let site = built();
    let files = site.output_tree();
    assert!(files["static/favicon.svg"].starts_with(b"<svg"));
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.contains("static/favicon.svg\" type=\"image/svg+xml\">"),
            "{path} links no icon"
        );
    }
}
