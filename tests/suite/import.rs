//! `banso import teams`: the 第2期 roster, rendered as an Excel export would be (UTF-8 CSV and
//! CP932 TSV), recreates the roster that content/ holds.

use std::path::Path;

use crate::common::{Site, ok, stderr};

const AS_OF: &str = "2026-11-23";

fn fixture(name: &str) -> String {
    Path::new(crate::common::REPO)
        .join("tests/fixtures/import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn import(site: &Site, file: &str) -> std::process::Output {
    import_into(site, file, "2")
}

/// Before any cohort of the fixtures and the real content is announced: nothing is public, so
/// no published site is needed to tell what is (tests/import_updates.rs has those).
pub const BEFORE_ANY: &str = "2025-03-01";

/// `banso import teams FILE --cohort N` into the site's content, as of [`BEFORE_ANY`].
fn import_into(site: &Site, file: &str, cohort: &str) -> std::process::Output {
    let content = site.content();
    site.banso(&[
        "import",
        "teams",
        file,
        "--cohort",
        cohort,
        "--content",
        content.to_str().unwrap(),
        "--as-of",
        BEFORE_ANY,
    ])
}

/// The published roster: teams.csv and members.csv of a build.
fn roster(site: &Site) -> (Vec<u8>, Vec<u8>) {
    ok(&site.build(AS_OF));
    (site.output_file("data/teams.csv"), site.output_file("data/members.csv"))
}

/// A CSV with the cells of column `col` (from 0) that hold `mark` emptied: teams.csv's 継続 (the
/// roster has no 継続 column; content/ marks the two teams the source shows as 継続) and
/// members.csv's オフィサー (the roster has no オフィサー column).
fn blank(csv: &[u8], col: usize, mark: &str) -> String {
    let text = String::from_utf8(csv.to_vec()).unwrap();
    text.lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            if cells.get(col) == Some(&mark) {
                cells[col] = "";
            }
            cells.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn without_continuing(csv: &[u8]) -> String {
    blank(csv, 5, "継続")
}

fn without_officer(csv: &[u8]) -> String {
    blank(csv, 8, "○")
}

#[test]
fn utf8_csv_and_cp932_tsv_recreate_the_second_cohort() {
    let original = roster(&Site::real());
    for file in ["roster-2.csv", "roster-2-cp932.tsv"] {
        let site = Site::real();
        std::fs::remove_file(site.path("cohorts/2/teams.yaml")).unwrap();
        let err = ok(&import(&site, &fixture(file)));
        assert!(err.contains("97チーム・279名"), "{err}");
        assert!(
            err.contains(if file.ends_with(".tsv") {
                "（Shift_JIS）"
            } else {
                "（UTF-8）"
            }),
            "{err}"
        );
        // The check after the import finds the known difference noted (declared.notes).
        assert!(!err.contains("警告"), "the check runs after the import: {err}");
        let imported = roster(&site);
        assert!(
            without_continuing(&imported.0) == without_continuing(&original.0),
            "{file}: teams.csv differs"
        );
        // The roster has no オフィサー column: that flag is teams.yaml's alone.
        assert_eq!(
            without_officer(&imported.1),
            without_officer(&original.1),
            "{file}: members.csv differs"
        );
        let yaml = site.read("cohorts/2/teams.yaml");
        assert!(
            yaml.contains("municipality: \"204234\"   # 長野県南木曾町"),
            "南木曾町 found as 南木曽町"
        );
        assert!(
            yaml.contains("{ministry: \"公正取引委員会\", grade: \"補佐級\"}"),
            "canonical names are written"
        );
    }
}

#[test]
fn updating_keeps_what_the_roster_does_not_carry() {
    let site = Site::real();
    let before = roster(&site);
    let err = ok(&import(&site, &fixture("roster-2.csv")));
    assert!(err.contains("  名簿で更新したチーム 97\n"), "{err}");
    let yaml = site.read("cohorts/2/teams.yaml");
    assert_eq!(
        yaml.matches(", officer: true").count(),
        8,
        "the オフィサー flags are kept"
    );
    assert!(roster(&site) == before);
    let page = site.page("cohorts/2/index.html");
    assert!(page.main_text().contains("地方創生支援オフィサー8名を含みます"));
}

#[test]
fn missing_municipalities_are_added_from_the_built_in_list() {
    let site = Site::fixture("basic");
    site.write(
        "cohorts/2/cohort.yaml",
        "number: 2\nfiscal_year: 2027\nannounce: 2027-04-01\nperiod: { start: 2027-04-01, end: 2028-03-31 }\n",
    );
    let csv = "市町村名,所属府省庁,役職,氏名\n01.北海道森町,総務省,補佐級,架空 花子\n,防衛省,係長級,\n02.岩手県大船渡市,内閣官房,課長級,\n,国土交通省,補佐級,\n03.長野県駒ケ根市,総務省,補佐級,\n,防衛省,室長級,\n";
    let file = site.dir.path().join("roster.csv");
    std::fs::write(&file, csv).unwrap();
    let err = ok(&import(&site, file.to_str().unwrap()));
    assert!(
        err.contains("municipalities.yaml に 長野県駒ヶ根市 (202100) を加えました"),
        "{err}"
    );
    assert!(!err.contains("大船渡市 (032034) を加えました"), "already there: {err}");
    assert!(
        site.read("municipalities.yaml")
            .contains("- {code: \"202100\", name: \"駒ヶ根市\", kana: \"こまがねし\", population: ")
    );
    let yaml = site.read("cohorts/2/teams.yaml");
    assert!(
        yaml.contains("{ministry: \"総務省\", grade: \"補佐級\", name: \"架空 花子\"}"),
        "{yaml}"
    );
    assert!(
        yaml.contains("{ministry: \"防衛省\", grade: \"企画官・室長級\"}"),
        "{yaml}"
    );
}

#[test]
fn every_row_that_cannot_be_mapped_is_reported_and_nothing_is_written() {
    let site = Site::real();
    let before = site.read("cohorts/2/teams.yaml");
    let munis_before = site.read("municipalities.yaml");
    let csv = "市町村名\t所属府省庁\t役職\n01.北海道森町\t防衛庁\t補佐級\n\t農林水産省\t係長\n02.北海道森村\t総務省\t補佐級\n\t総務省\t補佐級\n03.森町\t総務省\t補佐級\n";
    let file = site.dir.path().join("broken.tsv");
    std::fs::write(&file, csv).unwrap();
    let o = import(&site, file.to_str().unwrap());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // Each problem points at its cell: line and column (in characters) of the file, the line
    // quoted with a caret under the cell, and the close match under it.
    let block = |at: &str| {
        let start = err.find(at).unwrap_or_else(|| panic!("{at} in {err}"));
        let from = err[..start].rfind("エラー: ").unwrap();
        err[from..].split("\n\n").next().unwrap().to_string()
    };
    let b = block("broken.tsv:2:10");
    assert!(
        b.starts_with("エラー: 府省庁等「防衛庁」が ministries.yaml にありません\n"),
        "{b}"
    );
    assert!(b.contains("^^^^^^ もしかして: 防衛省"), "{b}");
    let b = block("broken.tsv:3:8");
    assert!(b.starts_with("エラー: 役職「係長」は使えません\n"), "{b}");
    assert!(b.contains("^^^^ もしかして: 係長級"), "{b}");
    let b = block("broken.tsv:4:1");
    assert!(
        b.starts_with("エラー: 「02.北海道森村」という市町村が北海道にありません\n"),
        "{b}"
    );
    assert!(b.contains("^^^^^^^^^^^^^ もしかして: 北海道森町"), "{b}");
    let b = block("broken.tsv:6:1");
    assert!(b.starts_with("エラー: 「03.森町」に都道府県名がありません\n"), "{b}");
    assert!(
        b.contains("= 対処: 北海道森町 のように都道府県から書いてください"),
        "{b}"
    );
    assert_eq!(err.matches("エラー: ").count(), 4, "{err}");
    assert!(err.contains("4 件の問題"), "{err}");
    assert_eq!(site.read("cohorts/2/teams.yaml"), before);
    assert_eq!(site.read("municipalities.yaml"), munis_before);
}

#[test]
fn a_file_in_another_encoding_or_without_the_columns_is_refused_clearly() {
    let site = Site::real();
    let file = site.dir.path().join("wrong.csv");
    std::fs::write(&file, "名前,所属\n山田,総務省\n").unwrap();
    let o = import(&site, file.to_str().unwrap());
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("名簿に「市町村名」の列がありません（見つかった列: 名前、所属）"),
        "{}",
        stderr(&o)
    );
    let content_before = crate::common::tree(&site.content());
    std::fs::write(&file, [0x81u8, 0xff, 0xfd, 0x0a]).unwrap();
    let o = import(&site, file.to_str().unwrap());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("文字コードを判別できません"), "{}", stderr(&o));
    assert!(
        crate::common::tree(&site.content()) == content_before,
        "nothing written"
    );
}

#[test]
fn utf16_in_either_byte_order_recreates_the_second_cohort() {
    // Excel's 「Unicode テキスト」 is UTF-16 with a byte-order mark.
    let original = roster(&Site::real());
    let text = std::fs::read_to_string(fixture("roster-2.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let utf16: Vec<u16> = std::iter::once(0xfeff).chain(text.encode_utf16()).collect();
    for (name, bytes) in [
        ("le", utf16.iter().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>()),
        ("be", utf16.iter().flat_map(|u| u.to_be_bytes()).collect::<Vec<u8>>()),
    ] {
        let site = Site::real();
        std::fs::remove_file(site.path("cohorts/2/teams.yaml")).unwrap();
        let file = site.dir.path().join(format!("roster-{name}.csv"));
        std::fs::write(&file, bytes).unwrap();
        let err = ok(&import(&site, file.to_str().unwrap()));
        assert!(
            err.contains("97チーム・279名") && err.contains("（UTF-16）"),
            "{name}: {err}"
        );
        let imported = roster(&site);
        assert!(
            without_continuing(&imported.0) == without_continuing(&original.0),
            "{name}: teams.csv differs"
        );
        assert_eq!(
            without_officer(&imported.1),
            without_officer(&original.1),
            "{name}: members.csv differs"
        );
    }
}

#[test]
fn cp932_characters_outside_shift_jis_are_read() {
    // 髙 (IBM extension, 0xFBFC) and ① (NEC row 13, 0x8740) exist in Windows' CP932, which Excel
    // writes, but not in JIS X 0208 Shift_JIS: a strict Shift_JIS reader refuses this file.
    let site = Site::fixture("basic");
    let tsv = "市町村名\t所属府省庁\t役職\t氏名\n01.北海道森町\t総務省\t補佐級\t架空 髙子①\n\t防衛省\t係長級\t\n";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(tsv);
    assert!(!unmappable);
    assert!(
        bytes.windows(2).any(|w| w == [0xfb, 0xfc]) && bytes.windows(2).any(|w| w == [0x87, 0x40]),
        "the file holds the CP932-only byte pairs"
    );
    let file = site.dir.path().join("roster.tsv");
    std::fs::write(&file, &bytes).unwrap();
    let o = import_into(&site, file.to_str().unwrap(), "1");
    let err = ok(&o);
    assert!(err.contains("（Shift_JIS）"), "{err}");
    ok(&site.build(AS_OF));
    let members = String::from_utf8(site.output_file("data/members.csv")).unwrap();
    assert!(members.contains("架空 髙子①"), "{members}");
}

#[test]
fn any_cell_is_written_as_the_value_it_holds_and_kept_fields_stay_fields() {
    // ` #` and a quote in a 氏名 cell once started a YAML comment or a new list item: the file
    // no longer parsed, and the member's kept attributes ended up inside the comment.
    let site = Site::fixture("basic");
    site.replace(
        "cohorts/1/teams.yaml",
        "    - ministry: 防衛省\n      grade: 室長級\n",
        "    - ministry: 防衛省\n      grade: 室長級\n      gender: 女性\n      age: 44\n      track: 技官\n      announce: 2026-05-01\n      left: 2026-12-31\n",
    );
    let csv = "市町村名,所属府省庁,役職,氏名,職名\n\
               01.北海道森町,総務省,補佐級,\"架空 # 一郎\",\"課長補佐: 総務, 広報\"\n\
               ,公正取引委員会,補佐級,\"二子\"\" - number: 99\",\n\
               ,防衛省,室長級,,\n\
               02.静岡県森町,国土交通省,係長級,,\n\
               ,内閣官房,指定職,,\n\
               03.沖縄県与那国町,総務省,課長級,,\n\
               ,防衛省,補佐級,,\n\
               ,内閣官房,係長級,,\n";
    let file = site.dir.path().join("roster.csv");
    std::fs::write(&file, csv).unwrap();
    let o = import_into(&site, file.to_str().unwrap(), "1");
    let err = ok(&o);
    assert!(err.contains("3チーム・8名"), "{err}");
    let yaml = site.read("cohorts/1/teams.yaml");
    assert!(yaml.contains(r#"name: "架空 # 一郎""#), "{yaml}");
    assert!(yaml.contains(r#"position: "課長補佐: 総務, 広報""#), "{yaml}");
    assert!(yaml.contains(r#"name: "二子\" - number: 99""#), "{yaml}");
    assert!(
        yaml.contains(r#"{ministry: "防衛省", grade: "企画官・室長級", announce: "2026-05-01", left: "2026-12-31", gender: "女性", age: 44, track: "技官"}"#),
        "{yaml}"
    );
    assert!(
        yaml.contains("announce: \"2026-06-01T10:00\""),
        "team 3 keeps its announce: {yaml}"
    );
    ok(&site.check(AS_OF));
    ok(&site.build(AS_OF));
    let members = String::from_utf8(site.output_file("data/members.csv")).unwrap();
    assert!(members.contains(",架空 # 一郎,"), "{members}");
    assert!(
        !site.path("cohorts/1/.teams.yaml.banso-tmp").exists(),
        "no temporary file left behind"
    );
}

/// A line break or tab inside a 氏名 or 職名 cell (Alt+Enter in Excel, a quoted newline in
/// CSV) is refused at its cell: it used to be written into teams.yaml, which `check` now
/// refuses (SPEC §2), and became a CSV record over two lines.
#[test]
fn a_line_break_inside_a_name_cell_is_refused_at_the_cell() {
    let site = Site::fixture("basic");
    let before = site.read("cohorts/1/teams.yaml");
    let csv = "市町村名,所属府省庁,役職,氏名,職名\n01.北海道森町,総務省,補佐級,\"架空\n一郎\",\n,防衛省,係長級,,\"課長\t補佐\"\n";
    let file = site.dir.path().join("roster.csv");
    std::fs::write(&file, csv).unwrap();
    let o = import_into(&site, file.to_str().unwrap(), "1");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("エラー: 「氏名」の列のセルの3文字目に改行（U+000A）があります\n --> ")
            && err.contains("/roster.csv:2:18\n"),
        "{err}"
    );
    assert!(
        err.contains("エラー: 「職名」の列のセルの3文字目にタブ（U+0009）があります\n --> ")
            && err.contains("/roster.csv:4:11\n"),
        "{err}"
    );
    assert_eq!(site.read("cohorts/1/teams.yaml"), before, "nothing written");
}

#[test]
fn a_problem_points_at_its_cell_even_after_quoted_commas() {
    let site = Site::real();
    let before = site.read("cohorts/2/teams.yaml");
    let csv = "市町村名,所属府省庁,役職,団体コード,課題分野\n\
               \"01.北海道森町\",\"総務省\",補佐級,013456,観光\n\
               02.北海道八雲町,\"公正取引委員会, 事務総局\",補佐級,,防犯\n\
               01.北海道長万部町,総務省,補佐級,,\n";
    let file = site.dir.path().join("quoted.csv");
    std::fs::write(&file, csv).unwrap();
    let o = import(&site, file.to_str().unwrap());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // Columns counted by hand, in characters, quotes included.
    for (at, message) in [
        (
            "quoted.csv:2:22",
            "エラー: 団体コード「013456」の検査数字（6桁目）が合いません",
        ),
        (
            "quoted.csv:3:11",
            "エラー: 府省庁等「公正取引委員会, 事務総局」が ministries.yaml にありません",
        ),
        ("quoted.csv:3:32", "エラー: 課題分野「防犯」は26の課題分野にありません"),
        (
            "quoted.csv:4:1",
            "エラー: チーム番号 1 が「北海道森町」と「北海道長万部町」の二つにあります",
        ),
    ] {
        let start = err.find(at).unwrap_or_else(|| panic!("{at} in {err}"));
        let from = err[..start].rfind("エラー: ").unwrap();
        assert!(err[from..start].starts_with(message), "{at}: {}", &err[from..start]);
    }
    assert!(err.contains("^^^^^^^^^^^^^^^ もしかして: 公正取引委員会"), "{err}");
    assert_eq!(site.read("cohorts/2/teams.yaml"), before, "nothing written");
}

#[test]
fn a_csv_export_with_a_title_row_and_attribute_columns_gives_counts_not_per_person_values() {
    // A fictional roster (the fixture site is made up): a title line above the headings, as an
    // export of the official list has, and 性別・年齢・事務官/技官 columns.
    let site = Site::fixture("basic");
    let csv = "架空の名簿（試験用）,,,,,\n市町村名,所属府省庁,役職,性別,年齢,事務官・技官\n01.北海道森町,総務省,補佐級,女性,41,技官\n,防衛省,係長級,男,29,事務\n02.千葉県栄町,内閣官房,課長級,,52,事務官\n,国土交通省,補佐級,回答しない,38,技官\n03.沖縄県南大東村,総務省,課長級,女,45,事務官\n,防衛省,補佐級,男性,33,\n";
    let file = site.dir.path().join("roster.csv");
    std::fs::write(&file, csv).unwrap();
    let err = ok(&import_into(&site, file.to_str().unwrap(), "1"));
    assert!(err.contains("3チーム・6名を"), "{err}");
    let teams = site.read("cohorts/1/teams.yaml");
    for key in ["gender", "age", "track"] {
        assert!(!teams.contains(key), "{key} in {teams}");
    }
    // Counted by hand from the rows above.
    let cohort = site.read("cohorts/1/cohort.yaml");
    assert!(
        cohort.contains("    gender: { 男性: 2, 女性: 2, 回答しない: 1 }\n"),
        "{cohort}"
    );
    assert!(cohort.contains("    track: { 事務官: 3, 技官: 2 }\n"), "{cohort}");
    assert!(
        cohort.contains("    age: { 20代: 1, 30代: 2, 40代: 2, 50代以上: 1 }\n"),
        "{cohort}"
    );
    assert!(
        cohort.starts_with("number: 1\nfiscal_year: 2026\n"),
        "the rest is kept: {cohort}"
    );
    assert!(cohort.contains("\ndeclared:\n  members: 9\n"), "{cohort}");
    assert!(
        err.contains("性別: 男性 2、女性 2、回答しない 1（空欄 1名は数えていません）"),
        "{err}"
    );
}
