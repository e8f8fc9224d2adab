//! The repository's real content/ (the 第2期 roster) builds into the site people will read.
//!
//! Figures are not written here: they are counted from the content's own records and declared
//! figures ([`Facts`]), so a correction of the roster or of cohort.yaml does not break a test
//! that checks the pages agree with them. What is checked by value is what the source states
//! (team 1 is 北海道森町, the member printed before team 41's line belongs to it).

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{Site, ok};
use banso::model::{CohortNo, Registry};

const AS_OF: &str = "2026-11-23";

/// What the real content's records and cohort.yaml say about 第2期.
struct Facts {
    teams: usize,
    members: usize,
    municipalities: usize,
    prefectures: usize,
    /// Municipalities with a page: supported by a team or by a programme.
    with_pages: usize,
    /// Municipalities supported by a programme (other than this one).
    programme_towns: usize,
    declared_members: u32,
    staff_applicants: u32,
    municipality_applicants: u32,
    /// cohort.yaml's `declared.notes.members`: why the records count differently.
    members_note: String,
    /// Members per ministry name, and per grade name.
    per_ministry: BTreeMap<String, usize>,
    per_grade: BTreeMap<String, usize>,
}

impl Facts {
    fn of(site: &Site) -> Facts {
        let mut diags = banso::diag::Diagnostics::default();
        let reg: Registry = banso::load_registry(&site.content(), &mut diags).unwrap();
        let two = CohortNo(2);
        let teams: Vec<_> = reg.teams.iter().filter(|t| t.cohort == two).collect();
        let members: Vec<_> = teams.iter().flat_map(|t| &t.members).collect();
        let towns: BTreeSet<_> = teams.iter().map(|t| t.municipality).collect();
        let prefectures: BTreeSet<_> = towns.iter().map(|m| m.prefecture().code).collect();
        let programme_towns: BTreeSet<_> = reg
            .programs
            .iter()
            .flat_map(|p| p.support.iter().flat_map(|s| s.municipalities.iter().copied()))
            .collect();
        let with_pages: BTreeSet<_> = towns.union(&programme_towns).collect();
        let mut per_ministry = BTreeMap::new();
        let mut per_grade = BTreeMap::new();
        for m in &members {
            *per_ministry
                .entry(reg.ministries[m.ministry.0].name.clone())
                .or_default() += 1;
            *per_grade.entry(m.grade.name().to_string()).or_default() += 1;
        }
        let d = &reg.cohorts.iter().find(|c| c.no == two).unwrap().declared;
        Facts {
            teams: teams.len(),
            members: members.len(),
            municipalities: towns.len(),
            prefectures: prefectures.len(),
            with_pages: with_pages.len(),
            programme_towns: programme_towns.len(),
            declared_members: d.members.unwrap(),
            staff_applicants: d.staff_applicants.unwrap(),
            municipality_applicants: d.municipality_applicants.unwrap(),
            members_note: d.notes.members.clone().unwrap(),
            per_ministry,
            per_grade,
        }
    }
}

#[test]
fn real_content_builds_the_second_cohort_as_the_source_gives_it() {
    let site = Site::real();
    let f = Facts::of(&site);
    let err = ok(&site.build(AS_OF));
    // The official figure leads and the known difference is its note (declared.notes): no
    // warning on every command.
    assert!(!err.contains("が合いません"), "{err}");
    let cohort = site.page("cohorts/2/index.html");
    assert!(
        cohort
            .texts(".figures dd")
            .contains(&format!("{} 名 ※", f.declared_members)),
        "{:?}",
        cohort.texts(".figures dd")
    );
    assert_eq!(cohort.text(".note-diff"), format!("※支援官：{}", f.members_note));
    assert!(f.members_note.contains(&format!("{}名分", f.members)));

    let files = site.output_tree();
    // The control for the scan before the announcement: once published, the town is found in
    // the gzipped search index by the same reading.
    assert!(
        files.iter().any(|(path, bytes)| path.starts_with("pagefind/")
            && bytes.starts_with(&[0x1f, 0x8b])
            && String::from_utf8_lossy(&crate::common::readable(bytes)).contains("駒ヶ根")),
        "the search index names 駒ヶ根 once the cohort is published"
    );
    let prefectures = files
        .keys()
        .filter(|k| k.starts_with("prefectures/") && k.ends_with("/index.html") && k.matches('/').count() == 2)
        .count();
    assert_eq!(prefectures, 47);
    let municipalities = files.keys().filter(|k| k.starts_with("municipalities/")).count();
    assert_eq!(
        municipalities, f.with_pages,
        "supported by teams or by デジタル実装伴走支援事業 (むかわ町 and 最上町 by both), one page each"
    );

    let teams = site.page("cohorts/2/teams/index.html");
    assert_eq!(teams.count("table.team-table tbody tr"), f.teams);
    assert_eq!(teams.count("table.team-table tbody tr ul.members li"), f.members);
    let rows = teams.texts("table.team-table tbody tr");
    assert!(rows[0].starts_with("1 森町"), "{}", rows[0]);
    assert_eq!(
        teams.texts("#pref-hokkaido tbody tr")[0],
        rows[0],
        "under 北海道's heading"
    );
    // Grouped as the official list is, by prefecture in JIS order: 38 prefectures.
    let groups = teams.texts(".team-group h2");
    assert_eq!(groups.len(), 38, "{groups:?}");
    assert_eq!(groups[0], "北海道 （11チーム）");
    assert_eq!(groups[37], "沖縄県 （2チーム）");
    assert!(
        rows[0].contains("防衛省 補佐級") && rows[0].contains("金融庁 指定職"),
        "{}",
        rows[0]
    );
    // The member printed before the numbered line in the source belongs to team 41.
    assert!(
        rows[40].starts_with("41 駒ヶ根市")
            && rows[40].contains("内閣官房 指定職")
            && teams.texts("#pref-nagano tbody tr")[1] == rows[40],
        "{}",
        rows[40]
    );
    assert!(rows[f.teams - 1].contains("与那国町"), "{}", rows[f.teams - 1]);
    // 継続 where the source shows it (teams 12 and 40, 第1期 towns in its pages); an unknown
    // one stays blank, never 新規.
    let marked: Vec<(String, String)> = teams
        .attrs(".team-group tbody tr", "id")
        .into_iter()
        .filter_map(|id| {
            let cell = teams.texts(&format!("#{id} td[data-label='継続・新規']")).pop()?;
            (!cell.is_empty()).then_some((id, cell))
        })
        .collect();
    assert_eq!(
        marked,
        [
            ("team-2-12".to_string(), "継続".to_string()),
            ("team-2-40".to_string(), "継続".to_string())
        ],
        "an unknown 継続 is not shown as anything"
    );
    // The column is only in the tables of prefectures where a team has it (岩手県, 長野県).
    assert_eq!(teams.count("th.col-continuing"), 2);
    assert!(
        teams.main_text().contains("空欄は記録にないもの"),
        "a blank 継続 is said to be unknown"
    );
    // The source's counts of 継続 and 新規 are on the cohort's page.
    let cohort = site.page("cohorts/2/index.html").main_text();
    assert!(
        cohort.contains("継続支援対象：33道府県の47市町村、新規支援対象：30道府県の50市町村（公表資料）"),
        "{cohort}"
    );
    assert_eq!(teams.count("td[data-label='課題分野'] li"), 0);

    let cohort = site.page("cohorts/2/index.html");
    assert_eq!(cohort.text("h1"), "第2期（令和8年度）");
    assert_eq!(
        cohort.texts(".figures dd"),
        [
            format!("{} チーム", f.teams),
            // The declared figure leads; its note gives the list's count.
            format!("{} 名 ※", f.declared_members),
            format!("{} 市町村", f.municipalities),
            format!("{} 道府県", f.prefectures)
        ]
    );
    // The charts counted from the list say their base, which differs from the headline.
    assert!(
        cohort
            .main_text()
            .contains(&format!("伴走支援チーム一覧の{}名による。", f.members))
    );
    assert!(cohort.main_text().contains("地方創生支援オフィサー8名を含みます"));
    assert!(cohort.main_text().contains(&format!(
        "国の職員からの応募：{}名、応募した市町村：{}市町村",
        f.staff_applicants, f.municipality_applicants
    )));
    assert!(
        cohort
            .main_text()
            .contains("人口は住民基本台帳人口（令和7年1月1日（2025年1月1日）現在）")
    );
}

#[test]
fn variant_spellings_in_the_source_are_shown_by_their_canonical_names() {
    let site = Site::real();
    ok(&site.build(AS_OF));
    let teams = site.page("cohorts/2/teams/index.html");
    let text = teams.main_text();
    for canonical in [
        "公正取引委員会",
        "こども家庭庁",
        "地方公共団体情報システム機構",
        "企画官・室長級",
    ] {
        assert!(text.contains(canonical), "{canonical}");
    }
    for variant in ["公正取引 委員会", "子ども家庭庁", "課長補佐級", " 室長級"] {
        assert!(!text.contains(variant), "{variant} should be shown canonically");
    }
    let nagiso = site.page("municipalities/204234/index.html");
    assert_eq!(nagiso.text("h1"), "長野県南木曽町 （なぎそまち）");
    // Each ministry's row counts its members in the records.
    let f = Facts::of(&site);
    let ministry = site.page("cohorts/2/index.html").texts("#table-ministry tbody tr");
    assert!(
        ministry[1].starts_with("内閣官房 "),
        "ministries.yaml's order, under the group's heading: {ministry:?}"
    );
    for name in ["内閣官房", "国土交通省"] {
        let row = format!("{name} {}名 ", f.per_ministry[name]);
        assert!(ministry.iter().any(|r| r.starts_with(&row)), "{row}: {ministry:?}");
    }
}

/// The source (seeds/001) counts the 支援官's bodies as 「24省庁等」 and 「地方創生支援オフィサー
/// …8名を含む」: the list and the chart show the two groups with those sizes, and the
/// オフィサー group's members are the headline's オフィサー.
#[test]
fn the_ministries_are_the_sources_24_and_the_officers_bodies_apart() {
    let site = Site::real();
    ok(&site.build(AS_OF));
    let list = site.page("ministries/index.html");
    assert_eq!(list.texts("main h2"), ["府省庁等（24）", "オフィサー出向先等（8）"]);
    let cohort = site.page("cohorts/2/index.html");
    assert_eq!(
        cohort.texts("#table-ministry th[scope=rowgroup]"),
        ["府省庁等（24）", "オフィサー出向先等（8）"]
    );
    let subtotals = cohort.texts("#table-ministry tr.subtotal");
    assert!(subtotals[1].starts_with("小計 8名 "), "{subtotals:?}");
    assert!(cohort.main_text().contains("地方創生支援オフィサー8名を含みます"));
}

#[test]
fn before_the_announcement_nothing_of_the_second_cohort_is_published() {
    let site = Site::real();
    let f = Facts::of(&site);
    let err = ok(&site.build("2026-03-27T09:59:59+09:00"));
    assert!(
        !err.contains("まだ公表しきっていません"),
        "no page states 第2期's figures early: {err}"
    );
    let files = site.output_tree();
    assert!(!files.keys().any(|k| k.starts_with("cohorts/2")));
    let municipalities = files.keys().filter(|k| k.starts_with("municipalities/")).count();
    assert_eq!(
        municipalities, f.programme_towns,
        "only the municipalities of デジタル実装伴走支援事業"
    );
    for (path, bytes) in &files {
        // Gzipped search-index files unpacked: a town's name in the index is a trace too.
        let text = String::from_utf8_lossy(&crate::common::readable(bytes)).into_owned();
        assert!(
            !text.contains("駒ヶ根"),
            "{path} names a supported municipality before the announcement"
        );
        assert!(!text.contains("第2期の伴走支援"), "{path}");
        // 第2期's figures (declared, and counted from its roster) are its own pages' to show.
        for figure in [
            format!("{}名", f.declared_members),
            format!("{}名", f.members),
            format!("{}名", f.staff_applicants),
            format!("{}チーム", f.teams),
            format!("{}市町村", f.municipalities),
            format!("{}道府県", f.prefectures),
            format!("{}市町村", f.municipality_applicants),
        ] {
            assert!(
                !text.contains(&figure),
                "{path} states {figure} before the announcement"
            );
        }
    }
    assert_eq!(
        files
            .keys()
            .filter(|k| k.starts_with("prefectures/") && k.ends_with("/index.html") && k.matches('/').count() == 2)
            .count(),
        47
    );
}

#[test]
fn real_content_draws_the_charts_it_has_numbers_for_and_says_why_the_others_are_missing() {
    let site = Site::real();
    ok(&site.build(AS_OF));
    for id in ["grade", "region", "population", "ministry"] {
        for ext in ["svg", "csv"] {
            assert!(
                site.out().join(format!("cohorts/2/charts/{id}.{ext}")).is_file(),
                "{id}.{ext}"
            );
        }
    }
    // Nobody's gender, age or track is recorded and no team's 課題分野: no chart of dashes, zeros
    // or one 未登録 bar is drawn for them (a reader could report 「女性 0名」), and no CSV of blanks.
    for id in ["gender", "track", "age", "area"] {
        assert!(!site.out().join(format!("cohorts/2/charts/{id}.svg")).exists(), "{id}");
        assert!(!site.out().join(format!("cohorts/2/charts/{id}.csv")).exists(), "{id}");
    }
    let page = site.page("cohorts/2/index.html");
    assert_eq!(page.count("#chart-gender"), 0);
    let text = page.main_text();
    assert!(
        text.contains(
            "支援官の性別、支援官の事務官・技官の別、支援官の年齢、伴走支援チームの課題分野は、公表済みの記録から数えられないため、図表を載せていません。"
        ),
        "{text}"
    );
    assert!(
        text.contains("支援官の役職、地域別の伴走支援自治体数、人口規模別の伴走支援自治体数、支援官の所属府省庁等を図と表で示します。"),
        "{text}"
    );
    assert!(
        !text.contains("秘匿"),
        "nothing of 第2期 is withheld, so nothing says so: {text}"
    );
    // Each grade's row counts its members in the records, and the total is every member.
    let f = Facts::of(&site);
    let grades = page.texts("#chart-grade tbody tr");
    assert_eq!(grades.len(), f.per_grade.len() + 1, "{grades:?}");
    for (grade, n) in &f.per_grade {
        let row = format!("{grade} {n}名 ");
        assert!(grades.iter().any(|r| r.starts_with(&row)), "{row}: {grades:?}");
    }
    assert_eq!(grades.last().unwrap(), &format!("計 {}名 100.0%", f.members));
    // Every supported municipality has its population: no 「未登録 0市町村」 row.
    assert!(
        page.texts("#chart-population tbody tr")
            .iter()
            .all(|r| !r.starts_with("未登録")),
        "{:?}",
        page.texts("#chart-population tbody tr")
    );
    assert!(!csv_text(&site, "cohorts/2/charts/population.csv").contains("未登録"));
    // No 応募 is recorded by region: the chart is titled for what it shows.
    let region = String::from_utf8(site.output_file("cohorts/2/charts/region.svg")).unwrap();
    assert!(
        region.contains("<title id=\"chart-title\">第2期の地域別の伴走支援自治体数："),
        "{region}"
    );
    assert!(region.contains("応募した市町村の地域別の内訳は登録されていません。</text>"));
    assert!(
        !site.out().join("cohorts/charts").exists(),
        "one published cohort: no comparison"
    );
}

#[test]
fn mukawa_shows_its_second_cohort_team_and_its_wide_area_digital_support() {
    let site = Site::real();
    ok(&site.build(AS_OF));
    let page = site.page("municipalities/015865/index.html");
    let text = page.main_text();
    assert!(text.contains("地方創生伴走支援制度 第2期 チーム11"), "{text}");
    assert!(
        text.contains("国土交通省 補佐級") && text.contains("財務省 課長級"),
        "{text}"
    );
    assert!(text.contains("デジタル実装伴走支援事業 （令和7年度）"), "{text}");
    assert!(text.contains("類型③ 広域連携事業推進枠（北海道の5市町）"), "{text}");
    let mogami = site.page("municipalities/063622/index.html").main_text();
    assert!(
        mogami.contains("第2期 チーム19") && mogami.contains("類型③ 広域連携事業推進枠（山形県の7町村）"),
        "{mogami}"
    );
    let shibecha = site.page("municipalities/016641/index.html").main_text();
    assert!(
        shibecha.contains("類型① 市町村単独支援枠") && !shibecha.contains("チーム"),
        "{shibecha}"
    );
    let related = site.page("related/index.html").main_text();
    assert!(related.contains("類型② 都道府県包括スキーム枠"), "{related}");
}

fn csv_text(site: &Site, file: &str) -> String {
    let bytes = site.output_file(file);
    String::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM").to_vec()).unwrap()
}

#[test]
fn the_first_cohort_is_its_declared_figures_alone_with_no_invented_roster() {
    let site = Site::real();
    let err = ok(&site.build(AS_OF));
    assert!(
        !err.contains("cohorts/1/"),
        "nothing to compare 第1期's figures with: {err}"
    );
    let page = site.page("cohorts/1/index.html");
    assert_eq!(
        page.texts("main dl.figures > div"),
        ["伴走支援チーム 60 チーム"],
        "the rules published before 第2期 (募集要項) give 第1期's 60 teams; its 180名 and 60団体 come with 第2期's summary (pages/results.md)"
    );
    assert!(
        page.main_text()
            .contains("第1期の名簿（チーム一覧）はこのサイトに登録していないため、公表資料の数値を載せています。")
    );
    assert!(page.main_text().contains("公表 不明"), "{}", page.main_text());
    assert!(
        !page.main_text().contains("資料にありません"),
        "no editors' note on a page"
    );
    assert_eq!(page.count("main figure.chart"), 0);
    assert!(!site.out().join("cohorts/1/teams").exists(), "no team list is invented");
    assert!(!site.out().join("cohorts/1/charts").exists());
    assert!(
        !site.out().join("cohorts/charts").exists(),
        "only cohorts counted from records are compared"
    );
    let top = site.page("index.html");
    assert_eq!(top.attrs("nav.home-tasks a", "href")[1], "./cohorts/2/teams/");
    let news = top.texts("ul.news li");
    assert_eq!(
        news,
        [
            "令和8年3月中下旬以降 順次 「これまでの実績」を掲載しました".to_string(),
            format!(
                "令和8年3月中下旬以降 順次 第2期の伴走支援チーム{}チームを公表しました",
                Facts::of(&site).teams
            ),
        ],
        "第1期, known by its figures alone at an unknown instant, is no dated news"
    );
    assert_eq!(
        site.page("cohorts/index.html").count("a[href$='cohorts/1/teams/']"),
        0,
        "the list links no team list for 第1期"
    );
}

#[test]
fn a_prefecture_lists_its_teams_in_number_order_and_each_ministry_has_its_count() {
    let site = Site::real();
    ok(&site.build("2026-11-23"));
    let numbers: Vec<u32> = site
        .page("prefectures/hokkaido/index.html")
        .texts("table.team-table tbody td[data-label=番号]")
        .iter()
        .map(|n| n.parse().unwrap())
        .collect();
    // The 第2期 summary numbers 北海道's eleven teams 1 to 11, in that order.
    assert_eq!(numbers, (1..=11).collect::<Vec<u32>>());
    // 国土交通省's page counts its members in the records.
    let f = Facts::of(&site);
    let lead = site.page("ministries/mlit/index.html").text(".ministry-cohort p");
    let mlit = format!("第2期では、国土交通省の支援官{}名が", f.per_ministry["国土交通省"]);
    assert!(lead.starts_with(&mlit), "{lead}");
    let list = site.page("ministries/index.html").texts("tbody th");
    assert_eq!(
        list.len(),
        f.per_ministry.len(),
        "every ministry of the 第2期 roster: {list:?}"
    );
}

/// Each team has one anchor, `team-<cohort>-<number>`, on every page that lists it, and every
/// link to a team goes to its row in its cohort's team list.
#[test]
fn each_team_is_reachable_by_its_anchor_from_its_town_prefecture_and_ministries() {
    let site = Site::real();
    ok(&site.build(AS_OF));
    let list = site.page("cohorts/2/teams/index.html");
    let ids = list.attrs("table.team-table tbody tr", "id");
    assert_eq!(ids.len(), Facts::of(&site).teams);
    assert!(
        ids.iter().enumerate().all(|(i, id)| *id == format!("team-2-{}", i + 1)),
        "{ids:?}"
    );
    // 岡谷市 (team 40): its town page, 長野県's page and 防衛省's page all point at the row.
    let target = "cohorts/2/teams/#team-2-40";
    let town = site.page("municipalities/202045/index.html");
    assert_eq!(town.attrs("section.team-card", "id"), ["team-2-40"]);
    assert!(
        town.attrs("section.team-card a", "href")
            .contains(&format!("../../{target}"))
    );
    for page in ["prefectures/nagano/index.html", "ministries/mod/index.html"] {
        let p = site.page(page);
        assert!(p.attrs("tr", "id").contains(&"team-2-40".to_string()), "{page}");
        assert!(p.attrs("tr a", "href").contains(&format!("../../{target}")), "{page}");
    }
}

/// A prefecture's teams, all of one cohort, say the cohort once in the caption rather than in a
/// 期 column repeating 「第2期」 on every row.
#[test]
fn a_list_of_one_cohorts_teams_names_the_cohort_once() {
    let site = Site::real();
    ok(&site.build(AS_OF));
    let nagano = site.page("prefectures/nagano/index.html");
    assert_eq!(
        nagano.text("table.team-table caption"),
        "長野県の伴走支援チーム（第2期）"
    );
    assert!(!nagano.texts("table.team-table th").contains(&"期".to_string()));
    assert_eq!(nagano.count("table.team-table td[data-label='期']"), 0);
}
