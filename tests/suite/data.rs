//! Reaching readers: open data files parsed as CSV and JSON, the Atom feed parsed with a real
//! parser, sharing metadata and the sitemap's lastmod, the search index's contents.

use crate::common::{Site, ok, readable};

fn embargo_at(as_of: &str) -> Site {
    let site = Site::fixture("embargo");
    ok(&site.build(as_of));
    site
}

/// Parse a CSV of /data/: BOM required; returns header and rows.
fn csv_rows(site: &Site, file: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = site.output_file(file);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file} starts with a UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_files_have_one_row_per_published_record() {
    let site = embargo_at("2026-11-23");
    let (header, teams) = csv_rows(&site, "data/teams.csv");
    assert_eq!(
        header,
        [
            "全国地方公共団体コード",
            "都道府県",
            "市町村",
            "期",
            "チーム番号",
            "継続",
            "課題分野",
            "支援官数",
            "公表日"
        ]
    );
    assert_eq!(teams.len(), 3);
    assert_eq!(
        teams[2],
        ["473821", "沖縄県", "与那国町", "1", "3", "", "", "3", "2026-06-01"]
    );
    let (header, members) = csv_rows(&site, "data/members.csv");
    assert_eq!(
        header,
        [
            "全国地方公共団体コード",
            "市町村",
            "期",
            "チーム番号",
            "所属府省庁",
            "役職",
            "氏名",
            "職名",
            "オフィサー",
            "離任日"
        ]
    );
    assert_eq!(members.len(), 8);
    // Team 3's 防衛省 member is a 地方創生支援オフィサー (embargo fixture): ○, no 離任日.
    assert!(
        members.contains(&vec![
            "473821".into(),
            "与那国町".into(),
            "1".into(),
            "3".into(),
            "防衛省".into(),
            "補佐級".into(),
            String::new(),
            String::new(),
            "○".into(),
            String::new()
        ]),
        "{members:?}"
    );
    assert_eq!(
        members[0],
        [
            "013455",
            "森町",
            "1",
            "1",
            "総務省",
            "補佐級",
            "架空 一郎",
            "総務省 架空局 課長補佐",
            "",
            ""
        ]
    );
    let (_, municipalities) = csv_rows(&site, "data/municipalities.csv");
    let codes: Vec<&str> = municipalities.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(codes, ["013455", "224618", "473821"]);
    assert_eq!(municipalities[1], ["224618", "静岡県", "森町", "16968", "1"]);

    let released = embargo_at("2030-01-01");
    assert_eq!(csv_rows(&released, "data/teams.csv").1.len(), 4);
    assert_eq!(csv_rows(&released, "data/members.csv").1.len(), 10);
    let (_, municipalities) = csv_rows(&released, "data/municipalities.csv");
    assert!(municipalities.contains(&vec![
        "032034".into(),
        "岩手県".into(),
        "大船渡市".into(),
        "32059".into(),
        "2".into()
    ]));
}

#[test]
fn summary_json_parses_and_counts_published_records() {
    let site = embargo_at("2026-11-23");
    let json: serde_json::Value = serde_json::from_slice(&site.output_file("data/summary.json")).unwrap();
    assert_eq!(json["cohorts"].as_array().unwrap().len(), 1);
    assert_eq!(json["cohorts"][0]["headline"]["teams"], 3);
    assert_eq!(json["cohorts"][0]["headline"]["members"], 8);
    assert_eq!(json["comparison"], serde_json::Value::Null);
    let page = site.page("data/index.html");
    assert!(page.main_text().contains("UTF-8（BOM 付き）"));
    assert_eq!(page.count("section.data-file"), 4);
}

#[test]
fn the_feed_is_valid_atom_listing_exactly_the_published_reports_newest_first() {
    let site = embargo_at("2026-11-23");
    let feed = feed_rs::parser::parse(site.output_file("feed.xml").as_slice()).unwrap();
    assert_eq!(feed.title.unwrap().content, "伴走支援 試験サイト");
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://test.example.invalid/banso/reports/1/mori-interim/",
            "https://test.example.invalid/banso/cohorts/1/"
        ]
    );
    let report = &feed.entries[0];
    assert_eq!(report.title.as_ref().unwrap().content, "森町チーム 中間報告（架空）");
    assert_eq!(
        report.links[0].href,
        "https://test.example.invalid/banso/reports/1/mori-interim/"
    );
    assert_eq!(report.updated.unwrap().to_rfc3339(), "2026-10-15T01:00:00+00:00");
    let raw = String::from_utf8(site.output_file("feed.xml")).unwrap();
    assert!(
        raw.contains("<updated>2026-10-15T10:00:00+09:00</updated>"),
        "times are written in Japan time"
    );

    let released = embargo_at("2030-01-01");
    let feed = feed_rs::parser::parse(released.output_file("feed.xml").as_slice()).unwrap();
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "HOLD-report-title 森町（静岡）チーム 最終報告",
            "第2期の伴走支援チームを公表しました",
            "森町チーム 中間報告（架空）",
            "第1期の伴走支援チームを公表しました"
        ]
    );
    let stable = feed_rs::parser::parse(embargo_at("2030-01-01").output_file("feed.xml").as_slice()).unwrap();
    assert_eq!(
        stable.entries.iter().map(|e| &e.id).collect::<Vec<_>>(),
        feed.entries.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
}

#[test]
fn every_page_has_canonical_opengraph_and_twitter_metadata() {
    let site = embargo_at("2026-11-23");
    let page = site.page("reports/1/mori-interim/index.html");
    let meta = |attr: &str, key: &str| page.attrs(&format!("meta[{attr}='{key}']"), "content");
    assert_eq!(meta("property", "og:type"), ["article"]);
    assert_eq!(meta("property", "og:title"), ["森町チーム 中間報告（架空）"]);
    assert_eq!(
        meta("property", "og:url"),
        ["https://test.example.invalid/banso/reports/1/mori-interim/"]
    );
    assert_eq!(
        meta("property", "og:description"),
        ["観光と産業振興の取組を半年分まとめた架空の報告です。"]
    );
    assert_eq!(meta("property", "og:site_name"), ["伴走支援 試験サイト"]);
    assert_eq!(meta("name", "twitter:card"), ["summary"]);
    assert_eq!(meta("name", "description"), meta("property", "og:description"));
    for (path, bytes) in site.output_tree() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        let count = |css: &str| html.select(&scraper::Selector::parse(css).unwrap()).count();
        assert_eq!(count("link[rel=canonical]"), 1, "{path}");
        assert_eq!(count("meta[property='og:title']"), 1, "{path}");
        let description = html
            .select(&scraper::Selector::parse("meta[name=description]").unwrap())
            .next()
            .and_then(|m| m.value().attr("content").map(str::to_string))
            .unwrap_or_default();
        assert!(
            description.chars().count() >= 10,
            "{path} has a meaningful description: {description:?}"
        );
    }
}

#[test]
fn the_sitemap_dates_published_pages_only() {
    let site = embargo_at("2026-11-23");
    let sitemap = String::from_utf8(site.output_file("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://test.example.invalid/banso/reports/1/mori-interim/</loc><lastmod>2026-10-15T10:00:00+09:00</lastmod>"
    ));
    assert!(sitemap.contains(
        "<loc>https://test.example.invalid/banso/municipalities/473821/</loc><lastmod>2026-06-01T10:00:00+09:00</lastmod>"
    ));
    assert!(sitemap.contains(
        "<loc>https://test.example.invalid/banso/themes/16/</loc><lastmod>2026-04-01T10:00:00+09:00</lastmod>"
    ));
    // A 課題分野 with no published team says so, is noindex and is not in the sitemap.
    assert!(!sitemap.contains("/themes/25/"), "{sitemap}");
    let empty = String::from_utf8(site.output_file("themes/25/index.html")).unwrap();
    assert!(empty.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(!empty.contains("data-pagefind-body"), "not in the site's search either");
    let full = String::from_utf8(site.output_file("themes/16/index.html")).unwrap();
    assert!(!full.contains("noindex") && full.contains("data-pagefind-body"));
    // 総務省 is in team 1 (its report, 2026-10-15) and team 3 (2026-06-01); 国土交通省 only in
    // team 2 (第1期, 2026-04-01; its final report is held).
    assert!(sitemap.contains(
        "<loc>https://test.example.invalid/banso/ministries/soumu/</loc><lastmod>2026-10-15T10:00:00+09:00</lastmod>"
    ));
    assert!(sitemap.contains(
        "<loc>https://test.example.invalid/banso/ministries/mlit/</loc><lastmod>2026-04-01T10:00:00+09:00</lastmod>"
    ));
    assert!(sitemap.contains(
        "<loc>https://test.example.invalid/banso/ministries/</loc><lastmod>2026-10-15T10:00:00+09:00</lastmod>"
    ));
    assert!(!sitemap.contains("2027-"), "no date of a held record");
    assert!(!sitemap.contains("search/"));
}

#[test]
fn the_search_index_holds_published_words_only() {
    let words = |site: &Site| -> String {
        site.output_tree()
            .iter()
            .filter(|(p, _)| p.starts_with("pagefind/"))
            .map(|(_, b)| String::from_utf8_lossy(&readable(b)).to_lowercase())
            .collect()
    };
    let before = words(&embargo_at("2026-11-23"));
    assert!(before.contains("棚田"), "a published report's words are indexed");
    assert!(
        !before.contains("渓谷") && !before.contains("散策路") && !before.contains("hold-"),
        "nothing held back is indexed"
    );
    let after = words(&embargo_at("2030-01-01"));
    assert!(after.contains("渓谷"));
    let site = embargo_at("2026-11-23");
    assert!(site.out().join("search/index.html").is_file());
    assert_eq!(
        site.page("index.html").attrs("form.site-search", "action"),
        ["./search/", "./search/"],
        "the phone's menu and the wide header each hold the search box"
    );
}

#[test]
fn no_search_leaves_out_the_index_the_search_page_and_the_box() {
    let site = Site::fixture("embargo");
    ok(&site.build_with("2026-11-23", &["--no-search"]));
    let files = site.output_tree();
    assert!(!files.keys().any(|p| p.starts_with("pagefind/")), "no index");
    assert!(!files.contains_key("search/index.html"), "no search page");
    assert!(
        files.contains_key("reports/1/mori-interim/index.html"),
        "the pages are all there"
    );
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            !html.contains("site-search") && !html.contains("search/"),
            "{path} links to search"
        );
    }
    // Everything else is what the full build writes.
    let full = embargo_at("2026-11-23").output_tree();
    let same = |p: &String| !p.starts_with("pagefind/") && p != "search/index.html" && !p.ends_with(".html");
    assert_eq!(
        files.iter().filter(|(p, _)| same(p)).collect::<Vec<_>>(),
        full.iter().filter(|(p, _)| same(p)).collect::<Vec<_>>()
    );
}

/// Every folder with CSVs has a CSVW `csv-metadata.json` describing each of them: its columns
/// are the CSV's header row in order, and every cell of a number or date column reads as one
/// (or is empty, or 秘匿 in a chart).
#[test]
fn every_csv_is_described_by_its_folders_csvw_metadata() {
    let site = Site::real();
    ok(&site.build("2026-12-06"));
    let files = site.output_tree();
    let mut described = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".csv")) {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let meta_path = format!("{dir}/csv-metadata.json");
        let meta: serde_json::Value = serde_json::from_slice(
            files
                .get(&meta_path)
                .unwrap_or_else(|| panic!("no {meta_path} for {path}")),
        )
        .unwrap();
        assert_eq!(meta["@context"][0], "http://www.w3.org/ns/csvw");
        assert!(meta["dc:license"].as_str().is_some_and(|l| !l.is_empty()));
        let table = meta["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["url"] == name)
            .unwrap_or_else(|| panic!("{meta_path} does not describe {name}"));
        assert!(table["dc:title"].as_str().is_some_and(|t| !t.is_empty()), "{path}");
        let columns = table["tableSchema"]["columns"].as_array().unwrap();
        let text = String::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap().to_vec()).unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
        let titles: Vec<&str> = columns.iter().map(|c| c["titles"].as_str().unwrap()).collect();
        assert_eq!(header, titles, "{path}");
        for row in rows.records() {
            let row = row.unwrap();
            for (cell, c) in row.iter().zip(columns) {
                let nulls: Vec<&str> = match &c["null"] {
                    serde_json::Value::String(s) => vec![s.as_str()],
                    serde_json::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).collect(),
                    _ => vec![],
                };
                if nulls.contains(&cell) {
                    continue;
                }
                let ok = match &c["datatype"] {
                    serde_json::Value::String(t) if t == "string" => true,
                    serde_json::Value::String(t) if t == "integer" => cell.parse::<i64>().is_ok(),
                    serde_json::Value::String(t) if t == "nonNegativeInteger" => cell.parse::<u64>().is_ok(),
                    d if d["base"] == "date" => banso::time::Date::parse(cell).is_ok(),
                    other => panic!("{path}: unexpected datatype {other}"),
                };
                assert!(ok, "{path}: 「{cell}」 is not a {}", c["datatype"]);
            }
        }
        described += 1;
    }
    assert!(
        described > 50,
        "the real site's CSVs: /data/, prefectures and charts ({described})"
    );
    // /data/ links it.
    assert!(
        site.page("data/index.html")
            .attrs("main a", "href")
            .iter()
            .any(|h| h.ends_with("csv-metadata.json"))
    );
}
