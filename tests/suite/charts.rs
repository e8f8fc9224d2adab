//! Charts and statistics on the `charts` fixture, whose 21 + 3 synthetic members' attributes are
//! counted by hand from tests/fixtures/charts/content/cohorts/1/teams.yaml: 北海道 10 people,
//! 沖縄県 9, 岩手県 2 in 第1期 (two without gender, track or age: 19 recorded each); 岩手県 3 in
//! 第2期. Breakdowns across builds are tests/privacy.rs.

use crate::common::{Site, ok};
use serde_json::Value;

const AS_OF: &str = "2026-11-23";

fn built() -> Site {
    let site = Site::fixture("charts");
    ok(&site.build(AS_OF));
    site
}

/// The rows of a chart's table on a page: `["男性 9名", …]` (on prefecture pages the chart id
/// carries the cohort: `1-gender`).
fn table(site: &Site, page: &str, chart: &str) -> Vec<String> {
    let id = if page.starts_with("prefectures/") {
        format!("1-{chart}")
    } else {
        chart.to_string()
    };
    site.page(page).texts(&format!("#chart-{id} table tbody tr"))
}

fn csv(site: &Site, file: &str) -> String {
    let bytes = site.output_file(file);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file} has a BOM");
    String::from_utf8(bytes[3..].to_vec()).unwrap()
}

fn summary(site: &Site) -> Value {
    serde_json::from_slice(&site.output_file("data/summary.json")).unwrap()
}

fn chart<'a>(charts: &'a Value, id: &str) -> &'a Value {
    charts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no chart {id}"))
}

#[test]
fn cohort_charts_match_hand_counted_numbers_in_table_csv_and_json() {
    let site = built();
    let page = "cohorts/1/index.html";
    assert_eq!(
        table(&site, page, "gender"),
        [
            "男性 9名 47.4%",
            "女性 8名 42.1%",
            "回答しない 2名 10.5%",
            "計 19名 100.0%"
        ]
    );
    assert_eq!(
        table(&site, page, "track"),
        ["事務官 12名 63.2%", "技官 7名 36.8%", "計 19名 100.0%"]
    );
    assert_eq!(
        table(&site, page, "grade"),
        [
            "指定職 3名 14.3%",
            "課長級 3名 14.3%",
            "企画官・室長級 2名 9.5%",
            "補佐級 9名 42.9%",
            "係長級 4名 19.0%",
            "計 21名 100.0%"
        ]
    );
    assert_eq!(
        table(&site, page, "age"),
        [
            "20代 2名 10.5%",
            "30代 7名 36.8%",
            "40代 6名 31.6%",
            "50代以上 4名 21.1%",
            "計 19名 100.0%"
        ]
    );
    let text = site.page(page).main_text();
    assert!(
        text.contains("集計時点：令和8年4月1日（2026年4月1日）。性別が登録されている支援官19名による。"),
        "{text}"
    );
    assert_eq!(
        table(&site, page, "region"),
        [
            "北海道 1市町村 20.0% 4市町村 50.0%",
            "東北 2市町村 40.0% 1市町村 12.5%",
            "関東 0市町村 0.0% 0市町村 0.0%",
            "中部 0市町村 0.0% 0市町村 0.0%",
            "近畿 0市町村 0.0% 0市町村 0.0%",
            "中国 0市町村 0.0% 0市町村 0.0%",
            "四国 1市町村 20.0% 0市町村 0.0%",
            "九州・沖縄 1市町村 20.0% 3市町村 37.5%",
            "計 5市町村 100.0% 8市町村 100.0%"
        ]
    );
    assert_eq!(
        site.page(page).texts("#chart-region thead th"),
        ["区分", "応募", "構成比（応募）", "伴走支援", "構成比（伴走支援）"]
    );
    assert_eq!(
        table(&site, page, "population"),
        [
            "5千人未満 5市町村 62.5%",
            "5千人以上1万人未満 0市町村 0.0%",
            "1万人以上3万人未満 1市町村 12.5%",
            "3万人以上5万人未満 1市町村 12.5%",
            "5万人以上10万人未満 0市町村 0.0%",
            "未登録 1市町村 12.5%",
            "計 8市町村 100.0%"
        ]
    );
    assert_eq!(
        table(&site, page, "ministry"),
        [
            "内閣官房 3名 14.3%",
            "総務省 7名 33.3%",
            "国土交通省 4名 19.0%",
            "環境省 2名 9.5%",
            "農林水産省 2名 9.5%",
            "防衛省 3名 14.3%",
            "計 21名 100.0%"
        ]
    );
    let areas = table(&site, page, "area");
    // A team counts under each of its areas: no shares, no total that would count a team twice.
    assert_eq!(areas.len(), 27);
    for want in [
        "観光 3チーム",
        "産業振興 1チーム",
        "農林水産業 1チーム",
        "防災 1チーム",
        "多文化共生 1チーム",
        "未登録 3チーム",
        "人口減少 0チーム",
    ] {
        assert!(areas.contains(&want.to_string()), "{want} in {areas:?}");
    }

    assert_eq!(
        csv(&site, "cohorts/1/charts/gender.csv"),
        "区分,人数（名）\r\n男性,9\r\n女性,8\r\n回答しない,2\r\n"
    );
    let region = csv(&site, "cohorts/1/charts/region.csv");
    assert!(
        region.starts_with("区分,応募（市町村）,伴走支援（市町村）\r\n北海道,1,4\r\n東北,2,1\r\n"),
        "{region}"
    );

    let json = summary(&site);
    let charts = &json["cohorts"][0]["charts"];
    assert_eq!(
        chart(charts, "age")["series"][0]["values"],
        serde_json::json!([2, 7, 6, 4])
    );
    assert_eq!(chart(charts, "age")["counted_at"], "2026-04-01T10:00:00+09:00");
    assert_eq!(chart(charts, "ministry")["categories"][1], "総務省");
    assert_eq!(
        chart(charts, "ministry")["series"][0]["values"],
        serde_json::json!([3, 7, 4, 2, 2, 3])
    );
    assert_eq!(
        chart(charts, "region")["series"][0]["values"],
        serde_json::json!([1, 2, 0, 0, 0, 0, 1, 1])
    );
    assert_eq!(chart(charts, "gender")["suppressed"], false);
    assert_eq!(json["cohorts"][0]["headline"]["members"], 21);
}

#[test]
fn prefecture_pages_show_grades_but_no_gender_age_or_track() {
    // 北海道 has 10 people with every attribute: per cohort only, all the same.
    let site = built();
    for slug in ["hokkaido", "okinawa", "iwate"] {
        let page = format!("prefectures/{slug}/index.html");
        assert_eq!(site.page(&page).count("#chart-1-grade table"), 1, "{slug}");
        for id in ["gender", "track", "age"] {
            assert_eq!(site.page(&page).count(&format!("#chart-1-{id}")), 0, "{slug} {id}");
            assert!(
                !site
                    .out()
                    .join(format!("prefectures/{slug}/charts/1/{id}.svg"))
                    .exists(),
                "{slug} {id}"
            );
        }
    }
    assert_eq!(
        table(&site, "prefectures/okinawa/index.html", "grade"),
        [
            "指定職 1名 11.1%",
            "課長級 2名 22.2%",
            "企画官・室長級 0名 0.0%",
            "補佐級 4名 44.4%",
            "係長級 2名 22.2%",
            "計 9名 100.0%"
        ]
    );
    let json = summary(&site);
    for pref in json["prefectures"].as_array().unwrap() {
        for cohort in pref["cohorts"].as_array().unwrap() {
            let ids: Vec<&str> = cohort["charts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap())
                .collect();
            assert_eq!(ids, ["grade"], "{}", pref["slug"]);
        }
    }
}

#[test]
fn a_cohort_under_ten_people_is_withheld_as_a_whole() {
    let site = built();
    let page = "cohorts/2/index.html";
    // A withheld breakdown is said in words: no table of 秘匿 rows, no chart file.
    for id in ["gender", "track", "age"] {
        assert!(table(&site, page, id).is_empty(), "{id}");
        for ext in ["svg", "csv"] {
            assert!(
                !site.out().join(format!("cohorts/2/charts/{id}.{ext}")).exists(),
                "{id}.{ext}"
            );
        }
    }
    assert_eq!(
        table(&site, page, "grade"),
        [
            "指定職 0名 0.0%",
            "課長級 1名 33.3%",
            "企画官・室長級 0名 0.0%",
            "補佐級 1名 33.3%",
            "係長級 1名 33.3%",
            "計 3名 100.0%"
        ]
    );
    let text = site.page(page).main_text();
    assert!(
        text.contains("性別が登録されている支援官が10名未満のため、内訳は表示していません。"),
        "{text}"
    );
    for what in ["事務官・技官の別", "年齢"] {
        assert!(
            text.contains(&format!(
                "{what}が登録されている支援官が10名未満のため、内訳は表示していません。"
            )),
            "{what}: {text}"
        );
    }
    let json = summary(&site);
    let gender = chart(&json["cohorts"][1]["charts"], "gender");
    assert_eq!(gender["suppressed"], true);
    assert_eq!(gender["series"][0]["values"], serde_json::json!([null, null, null]));
}

#[test]
fn the_comparison_appears_once_two_cohorts_are_published() {
    let site = built();
    let page = site.page("cohorts/index.html");
    assert_eq!(
        page.texts("#chart-comparison table tbody tr"),
        [
            "伴走支援チーム（チーム） 8 1",
            "地方創生支援官（名） 21 3",
            "支援対象の市町村 8 1",
            "支援対象の道府県 3 1"
        ]
    );
    let svg = String::from_utf8(site.output_file("cohorts/charts/comparison.svg")).unwrap();
    assert!(
        svg.contains("<title id=\"chart-title\">第2期の伴走支援チームは第1期より7チーム減って1チーム</title>"),
        "{svg}"
    );
    assert!(
        svg.contains(">第1期 8</text>") && svg.contains(">第2期 1</text>"),
        "series are named on the bars"
    );

    let before = Site::fixture("charts");
    ok(&before.build("2026-04-15"));
    assert!(
        !before.out().join("cohorts/charts/comparison.svg").exists(),
        "one cohort published: no comparison"
    );
}

#[test]
fn every_chart_is_a_self_contained_svg_with_title_desc_source_and_text_labels() {
    let site = built();
    for id in [
        "gender",
        "track",
        "grade",
        "age",
        "region",
        "population",
        "ministry",
        "area",
    ] {
        let svg = String::from_utf8(site.output_file(&format!("cohorts/1/charts/{id}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg width=\"") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""),
            "{id}"
        );
        assert!(svg.contains("<title id=\"chart-title\">第1期の"), "{id}");
        assert!(svg.contains("<desc id=\"chart-desc\">"), "{id}");
        assert!(
            svg.contains(">出典：集計 試験サイト（試験用の架空の事務局）の公表済みの記録から作成</text>"),
            "{id}"
        );
        assert!(svg.contains(">政府標準利用規約（第2.0版）</text>"), "{id}");
        assert!(!svg.contains("<path d="), "{id}: text is text, not outlines");
        assert!(!svg.contains("href"), "{id}: nothing external");
    }
    let ministry = String::from_utf8(site.output_file("cohorts/1/charts/ministry.svg")).unwrap();
    assert!(ministry.contains(">総務省</text>") && ministry.contains(">7名（33.3%）</text>"));
    assert!(ministry.contains("<title id=\"chart-title\">第1期の支援官の所属府省庁等：総務省が7名で最多</title>"));
}

#[test]
fn charts_are_deterministic() {
    let a = built();
    let b = built();
    let svgs = |s: &Site| {
        s.output_tree()
            .into_iter()
            .filter(|(k, _)| k.ends_with(".svg"))
            .collect::<Vec<_>>()
    };
    assert_eq!(svgs(&a), svgs(&b));
}

#[test]
fn the_tile_map_links_every_prefecture_and_writes_each_count() {
    let site = built();
    for page in ["index.html", "prefectures/index.html"] {
        let p = site.page(page);
        assert_eq!(p.count("svg.tile-map a"), 47, "{page}");
        let labels = p.attrs("svg.tile-map a", "aria-label");
        assert!(labels.contains(&"北海道 4チーム".to_string()), "{labels:?}");
        assert!(
            labels.contains(&"岩手 2チーム（岩手県）".to_string()),
            "both cohorts count: {labels:?}"
        );
        assert!(labels.contains(&"東京 0チーム（東京都）".to_string()));
    }
    let hrefs = site.page("prefectures/index.html").attrs("svg.tile-map a", "href");
    assert!(hrefs.contains(&"../prefectures/okinawa/".to_string()), "{hrefs:?}");
}

#[test]
fn person_attributes_never_appear_per_person() {
    let site = built();
    let mut listings = 0;
    for (path, _) in site.output_tree() {
        if !path.ends_with(".html") {
            continue;
        }
        let p = site.page(&path);
        for members in p.texts(".members li, .member-table tr") {
            listings += 1;
            for word in ["男性", "女性", "回答しない", "事務官", "技官", "歳", "代"] {
                assert!(
                    !members.contains(word),
                    "{path} shows {word} next to a member: {members}"
                );
            }
        }
    }
    assert!(
        listings > 40,
        "members are listed on many pages ({listings} rows checked)"
    );
    for file in ["data/members.csv", "data/teams.csv"] {
        let text = csv(&site, file);
        for word in ["男性", "女性", "事務官", "技官", "性別", "年齢"] {
            assert!(!text.contains(word), "{file}: {word}");
        }
    }
}

#[test]
fn a_withheld_breakdown_does_not_depend_on_the_values_it_withholds() {
    // 第2期 (3 people) is withheld: with every gender, age and track of its members changed,
    // every file of the site is the same, so nothing of the withheld values can be read off.
    let site = built();
    let other = Site::fixture("charts");
    other.write(
        "cohorts/2/teams.yaml",
        &other
            .read("cohorts/2/teams.yaml")
            .replace("gender: 女性", "gender: X")
            .replace("gender: 男性", "gender: 女性")
            .replace("gender: X", "gender: 回答しない")
            .replace("track: 事務官", "track: Y")
            .replace("track: 技官", "track: 事務官")
            .replace("track: Y", "track: 技官")
            .replace("age: 30", "age: 58")
            .replace("age: 49", "age: 22")
            .replace("age: 28", "age: 44"),
    );
    ok(&other.build(AS_OF));
    let (a, b) = (site.output_tree(), other.output_tree());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} depends on withheld values");
    }
}

#[test]
fn min_group_size_sets_the_threshold() {
    // 第1期 has 19 members with gender recorded (21 in all): shown at k = 19, withheld at 20.
    for (k, shown) in [(19, true), (20, false), (3, true)] {
        let site = Site::fixture("charts");
        site.replace("site.yaml", "min_group_size: 10", &format!("min_group_size: {k}"));
        ok(&site.build(AS_OF));
        let rows = table(&site, "cohorts/1/index.html", "gender");
        assert_eq!(rows.is_empty(), !shown, "k = {k}: {rows:?}");
        assert!(rows.iter().all(|r| !r.ends_with(" 秘匿")), "k = {k}: {rows:?}");
        let text = site.page("cohorts/1/index.html").main_text();
        assert_eq!(
            text.contains(&format!("性別が登録されている支援官が{k}名未満のため")),
            !shown,
            "k = {k}"
        );
        let json = summary(&site);
        assert_eq!(
            chart(&json["cohorts"][0]["charts"], "gender")["suppressed"],
            !shown,
            "k = {k}"
        );
        // 第2期 (3 recorded) is shown only at k = 3.
        let second = table(&site, "cohorts/2/index.html", "gender");
        assert_eq!(
            second.iter().all(|r| r.ends_with(" 秘匿")),
            k > 3,
            "k = {k}: {second:?}"
        );
    }
}

#[test]
fn element_ids_are_unique_on_every_page() {
    let site = built();
    for (path, bytes) in site.output_tree() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        let mut ids: Vec<String> = html
            .select(&scraper::Selector::parse("[id]").unwrap())
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        let total = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), total, "{path} repeats an id");
    }
}
