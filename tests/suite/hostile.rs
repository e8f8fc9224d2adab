//! Hostile and broken input: every bad input is a clear error at its place, every hostile one
//! becomes harmless output, nothing panics, nothing escapes the output directory.

use crate::common::{Site, ok, stderr, tree};

const AS_OF: &str = "2026-11-23";

fn report(body: &str) -> String {
    format!("---\nteam: 1\nkind: 活動報告\ntitle: 試験の報告\ndate: 2026-09-01\n---\n{body}\n")
}

/// Whether `err` has the line `message` followed by the place `--> at`.
fn reported_at(err: &str, message: &str, at: &str) -> bool {
    let lines: Vec<&str> = err.lines().collect();
    lines
        .windows(2)
        .any(|w| w[0] == message && w[1].trim_start() == format!("--> {at}"))
}

/// `check` must fail; returns stderr.
fn fails(site: &Site) -> String {
    let o = site.check(AS_OF);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn raw_html_scripts_and_unsafe_links_never_become_active() {
    let site = Site::fixture("basic");
    let body = r#"<script>alert(1)</script>

<p onclick="alert(2)">クリック</p><img src=x onerror=alert(3)>

[a](javascript:alert(4)) [b](JaVaScRiPt:alert(5)) [c](&#106;avascript:alert(6)) [d](java&#x09;script:alert(7))
[e](vbscript:msgbox) [f](data:text/html,<script>alert(8)</script>) <javascript:alert(9)>

![g](javascript:alert(10)) [h](https://example.jp/"onmouseover="alert(11))

## 見出し"><script>alert(12)</script>
"#;
    site.write("cohorts/1/reports/hostile.md", &report(body));
    ok(&site.build(AS_OF));
    let page = site.page("reports/1/hostile/index.html");
    assert_eq!(page.count("main script"), 0);
    assert_eq!(page.count("main img"), 0);
    let article = page
        .html
        .select(&scraper::Selector::parse("article").unwrap())
        .next()
        .unwrap();
    for el in article.descendants().filter_map(scraper::ElementRef::wrap) {
        for (name, value) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "event handler attribute {name} on <{}>",
                el.value().name()
            );
            let v: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                .collect::<String>()
                .to_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(!v.starts_with(scheme), "<{} {name}={value}>", el.value().name());
            }
        }
    }
    let text = page.text("article");
    assert!(text.contains("<script>alert(1)</script>"), "raw HTML is shown as text");
    let paragraphs: Vec<String> = page
        .texts("article > p")
        .into_iter()
        .filter(|t| !t.contains("中間報告") && !t.contains("2026年"))
        .collect();
    assert_eq!(
        paragraphs,
        ["a b c d e f javascript:alert(9)", "g h"],
        "the link and image texts stay, as plain text"
    );
    let ids = page.attrs("article h2", "id");
    assert_eq!(ids, ["h-見出し-script-alert-12-script"]);
    let links = page.attrs("article a", "href");
    assert!(
        links.contains(&"https://example.jp/%22onmouseover=%22alert(11)".to_string()),
        "{links:?}"
    );
}

#[test]
fn attachments_and_images_must_stay_inside_content_assets() {
    let site = Site::fixture("basic");
    let rel = "cohorts/1/reports/mori-interim.md";
    site.replace(
        rel,
        "file: /assets/1/mori-slides.pdf",
        "file: ../../../../../etc/passwd",
    );
    site.write(
        "cohorts/1/reports/abs.md",
        &report("![地図](/etc/hosts)\n\n[写し](file:///etc/passwd)"),
    );
    let err = fails(&site);
    assert!(err.contains(&format!("--> {rel}:9:13")), "{err}");
    assert!(
        err.contains("添付ファイル「../../../../../etc/passwd」は content/assets/ の中のファイルではありません"),
        "{err}"
    );
    assert!(err.contains("--> cohorts/1/reports/abs.md:7:7"), "{err}");
    assert!(
        err.contains("「/etc/hosts」は content/assets/ の中のファイルではありません"),
        "{err}"
    );
    assert!(err.contains("file: のリンクは安全のため出力しません"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_assets_is_refused() {
    let site = Site::fixture("basic");
    let secret = site.dir.path().join("secret.pdf");
    std::fs::write(&secret, "%PDF secret outside content").unwrap();
    std::os::unix::fs::symlink(&secret, site.path("assets/1/link.pdf")).unwrap();
    site.write("cohorts/1/reports/link.md", &report("[資料](/assets/1/link.pdf)"));
    let err = fails(&site);
    assert!(err.contains("--> cohorts/1/reports/link.md:7:6"), "{err}");
    assert!(
        err.contains("「/assets/1/link.pdf」はシンボリックリンクか、content/assets/ の外にあるファイルです"),
        "{err}"
    );
}

/// The same when the link is on the way: content/assets/ itself, or a folder in it, leads
/// outside (the files there are no links themselves).
#[cfg(unix)]
#[test]
fn an_assets_folder_that_leads_outside_is_refused() {
    for linked in ["assets", "assets/1"] {
        let site = Site::fixture("basic");
        let outside = site.dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.pdf"), "%PDF secret outside content").unwrap();
        let at = site.path(linked);
        std::fs::remove_dir_all(&at).unwrap();
        std::os::unix::fs::symlink(&outside, &at).unwrap();
        let dest = if linked == "assets" {
            "/assets/secret.pdf"
        } else {
            "/assets/1/secret.pdf"
        };
        site.write("cohorts/1/reports/link.md", &report(&format!("[資料]({dest})")));
        let err = fails(&site);
        assert!(err.contains("--> cohorts/1/reports/link.md:7:6"), "{linked}: {err}");
        assert!(
            err.contains(&format!(
                "「{dest}」はシンボリックリンクか、content/assets/ の外にあるファイルです"
            )) || err.contains(&format!("ファイル「{dest}」")),
            "{linked}: {err}"
        );
    }
}

#[test]
fn urls_that_would_collide_are_errors() {
    let site = Site::fixture("basic");
    site.write("cohorts/1/reports/Mori-Interim.md", &report("大文字の名前"));
    site.write("pages/About.md", "---\ntitle: 大文字\n---\n本文\n");
    site.write("pages/pagefind.md", "---\ntitle: 検索と重なる\n---\n本文\n");
    let err = fails(&site);
    assert!(
        err.contains("ファイル名が cohorts/1/reports/Mori-Interim.md と大文字・小文字しか違いません")
            || err.contains("ファイル名が cohorts/1/reports/mori-interim.md と大文字・小文字しか違いません"),
        "{err}"
    );
    assert!(
        err.contains("ファイル名が pages/About.md と大文字・小文字しか違いません")
            || err.contains("ファイル名が pages/about.md と大文字・小文字しか違いません"),
        "the page collision is reported on its own: {err}"
    );
    assert!(
        err.contains("--> pages/pagefind.md:1:1") && err.contains("サイトの URL /pagefind/ と重なります"),
        "{err}"
    );
}

/// Every name the site itself puts at the top of its URLs is reserved, found from a built site
/// with every kind of page rather than from a second list: a page file taking one (the 府省庁等
/// pages' `ministries` was missed once) is refused at its file by `check`, not left to collide
/// in `build`.
#[test]
fn every_top_level_name_the_site_uses_is_reserved_for_pages() {
    let site = Site::fixture("embargo");
    ok(&site.build("2028-01-01"));
    let pages: Vec<String> = std::fs::read_dir(site.path("pages"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".md")
                .to_string()
        })
        .collect();
    let used: std::collections::BTreeSet<String> = tree(&site.out())
        .keys()
        .filter(|k| !k.starts_with(".banso"))
        .map(|k| {
            let top = k.split('/').next().unwrap();
            top.strip_suffix(".html").unwrap_or(top).to_string()
        })
        .filter(|top| !pages.contains(top))
        .collect();
    assert!(used.contains("ministries") && used.contains("cohorts"), "{used:?}");
    for name in &used {
        assert!(
            banso::model::urls::reserved_stems().any(|r| r == name),
            "the site uses /{name} but a page may take that name"
        );
    }
    site.write("pages/ministries.md", "---\ntitle: 府省庁等\n---\n本文\n");
    let err = fails(&site);
    assert!(
        err.contains("--> pages/ministries.md:1:1") && err.contains("サイトの URL /ministries/ と重なります"),
        "{err}"
    );
}

#[test]
fn files_in_shift_jis_are_named_and_invalid_bytes_located() {
    let site = Site::fixture("basic");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("---\ntitle: 制度の概要\n---\n本文\n");
    std::fs::write(site.path("pages/about.md"), &sjis).unwrap();
    std::fs::write(site.path("pages/broken.md"), b"---\ntitle: ok\n---\n\xff\xfe\xfd\n").unwrap();
    // Windows Notepad's 「Unicode」: UTF-16 little-endian after a byte-order mark.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("---\ntitle: 概要\n---\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(site.path("pages/notepad.md"), utf16).unwrap();
    let err = fails(&site);
    assert!(
        err.contains("--> pages/notepad.md:1:1") && err.contains("ファイルが UTF-8 ではなく UTF-16 で保存されています"),
        "{err}"
    );
    assert!(
        err.contains("--> pages/about.md:2:1")
            && err.contains("ファイルが UTF-8 ではなく Shift_JIS で保存されています"),
        "{err}"
    );
    assert!(
        err.contains("--> pages/broken.md:4:1") && err.contains("文字コードを判別できません"),
        "{err}"
    );
    assert!(
        err.contains("エディタで文字コードを UTF-8 にして保存し直してください"),
        "{err}"
    );
}

#[test]
fn full_width_digits_are_read_as_numbers_and_codes() {
    let site = Site::fixture("basic");
    site.replace("cohorts/1/teams.yaml", "- number: 2\n", "- number: ２\n");
    site.replace(
        "cohorts/1/teams.yaml",
        "municipality: \"473821\"",
        "municipality: \"４７３８２１\"",
    );
    site.replace("cohorts/1/cohort.yaml", "  teams: 3", "  teams: ３");
    let o = site.check(AS_OF);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    site.replace("cohorts/1/teams.yaml", "- number: ２\n", "- number: 二\n");
    let err = fails(&site);
    assert!(
        err.contains("--> cohorts/1/teams.yaml:16:11")
            && err.contains("整数を書くところに文字列「二」が書かれています"),
        "{err}"
    );
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused() {
    let site = Site::fixture("basic");
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
        bomb.push_str(&format!("l{i}: &l{i} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
    }
    site.write("cohorts/1/applications.yaml", &bomb);
    site.write(
        "ministries.yaml",
        &format!("- name: {}x{}\n", "[".repeat(5000), "]".repeat(5000)),
    );
    let err = fails(&site);
    assert!(
        err.contains("--> cohorts/1/applications.yaml:")
            && err.contains("YAML が大きすぎるか、入れ子や別名（アンカー）が多すぎます"),
        "{err}"
    );
    assert!(err.contains("--> ministries.yaml:1:"), "{err}");
}

#[test]
fn very_large_and_empty_files_are_refused_with_the_reason() {
    let site = Site::fixture("basic");
    let big = format!("---\ntitle: 大きい\n---\n{}", "あ".repeat(6 * 1024 * 1024));
    site.write("pages/big.md", &big);
    site.write("cohorts/1/teams.yaml", "");
    site.write("pages/empty.md", "");
    let err = fails(&site);
    assert!(
        err.contains("--> pages/big.md:1:1")
            && err.contains("ファイルが大きすぎます（18874393 バイト、上限 16777216 バイト）"),
        "{err}"
    );
    assert!(
        err.contains("--> cohorts/1/teams.yaml:1:1") && err.contains("ファイルが空です"),
        "{err}"
    );
    assert!(
        err.contains("--> pages/empty.md:1:1") && err.contains("先頭に front matter（--- で囲んだ YAML）がありません"),
        "{err}"
    );
    assert!(
        !err.contains("警告"),
        "no declared-figure warnings from a teams.yaml that could not be read: {err}"
    );
}

#[test]
fn a_broken_build_never_touches_the_previous_site() {
    let site = Site::fixture("basic");
    ok(&site.build(AS_OF));
    let before = tree(&site.out());
    site.write("cohorts/1/teams.yaml", "- number: [\n");
    assert_eq!(site.build(AS_OF).status.code(), Some(1));
    assert!(tree(&site.out()) == before);
}

#[test]
fn lone_carriage_returns_are_line_ends_too() {
    let site = Site::fixture("basic");
    let text = site.read("cohorts/1/teams.yaml").replace('\n', "\r");
    site.write(
        "cohorts/1/teams.yaml",
        &text.replacen("grade: 係長級", "grade: 係長", 1),
    );
    let err = fails(&site);
    assert!(err.contains("--> cohorts/1/teams.yaml:21:33"), "{err}");
    assert!(
        err.contains("21 |     - { ministry: 国土交通省, grade: 係長, name: 架空 三郎 }"),
        "the quoted line is the right one: {err}"
    );
}

#[test]
fn nesting_too_deep_for_any_html_tool_is_an_error_not_a_crash() {
    for (name, body) in [
        ("quotes", format!("{}x", "> ".repeat(12_000))),
        ("emphasis", format!("{}x{}", "*a ".repeat(20_000), " a*".repeat(20_000))),
        ("lists", format!("{}x", "- ".repeat(12_000))),
        ("mixed", format!("{}x", "> - ".repeat(6_000))),
    ] {
        let site = Site::fixture("basic");
        site.write("pages/deep.md", &format!("---\ntitle: 深い\n---\n\n{body}\n"));
        let err = fails(&site);
        assert!(
            err.contains("--> pages/deep.md:5:") && err.contains("入れ子が深すぎます（32段まで）"),
            "{name}: {err}"
        );
        assert!(err.len() < 4_000, "{name}: the 24 KB line is not printed whole");
        assert_eq!(site.build(AS_OF).status.code(), Some(1), "{name}");
        assert!(!site.out().exists(), "{name}: nothing written");
    }
    // Thirty levels are fine.
    let site = Site::fixture("basic");
    site.write(
        "pages/deep.md",
        &format!("---\ntitle: 深い\n---\n\n{}x\n", "> ".repeat(30)),
    );
    ok(&site.check(AS_OF));
}

#[test]
fn a_problem_on_a_huge_line_is_quoted_around_its_place() {
    let site = Site::fixture("basic");
    let long = format!(
        "- name: 内閣官房\n- name: \"{}\n- name: {}: x: y\n",
        "あ".repeat(140_000),
        "い".repeat(140_000)
    );
    site.write("ministries.yaml", &long);
    let err = fails(&site);
    assert!(err.contains("--> ministries.yaml:"), "{err}");
    assert!(
        err.len() < 4_000,
        "{} bytes of diagnostics for a 800 KB file",
        err.len()
    );
}

/// Text a spreadsheet would run as a formula (a name pasted as `=HYPERLINK(…)`, a position
/// beginning with `@`, a programme's group with `+`) is published in every public CSV with a
/// leading `'`, kept as it is in the JSON twins, and `check` warns at its place (SPEC §5). On
/// b4b8799 the three CSVs carried it verbatim and `check` said nothing.
#[test]
fn csv_cells_a_spreadsheet_would_run_are_quoted_and_warned_about() {
    let site = Site::fixture("basic");
    let formula = r#"=HYPERLINK("http://x.invalid","架空")"#;
    site.replace("cohorts/1/teams.yaml", "name: 架空 一郎", &format!("name: '{formula}'"));
    site.replace(
        "cohorts/1/teams.yaml",
        "position: 総務省 架空局 課長補佐",
        "position: \"@SUM(A1)\"",
    );
    site.write(
        "programs/x.yaml",
        "name: 架空の事業\nfiscal_year: 2026\nsupport:\n  - type: \"-2+3\"\n    group: \"+架空の連携\"\n    municipalities: [\"013455\"]\n",
    );
    let err = ok(&site.check(AS_OF));
    for (at, text) in [
        ("cohorts/1/teams.yaml:9:13", formula),
        ("cohorts/1/teams.yaml:10:17", "@SUM(A1)"),
        ("programs/x.yaml:4:11", "-2+3"),
        ("programs/x.yaml:5:12", "+架空の連携"),
    ] {
        let warning = format!("警告: 「{text}」は表計算ソフトで開くと式として動く文字（= + - @）で始まります");
        assert!(reported_at(&err, &warning, at), "{warning} at {at}\n{err}");
    }
    ok(&site.build(AS_OF));
    let quoted = format!("\"'{}\"", formula.replace('"', "\"\""));
    let members = site.output_text("data/members.csv");
    assert!(members.contains(&quoted) && members.contains(",'@SUM(A1)"), "{members}");
    let pref = site.output_text("prefectures/hokkaido/members.csv");
    assert!(pref.contains(&quoted) && pref.contains(",'@SUM(A1)"), "{pref}");
    let programs = site.output_text("data/programs.csv");
    assert!(programs.contains(",'-2+3,'+架空の連携"), "{programs}");
    let json = site.output_text("prefectures/hokkaido/members.json");
    assert!(
        json.contains(&format!("\"{}\"", formula.replace('"', "\\\""))) && json.contains("\"@SUM(A1)\""),
        "JSON carries the text as it is: {json}"
    );
    assert!(!json.contains("'="), "{json}");
    let data = site.page("data/index.html").main_text();
    assert!(data.contains("CSV では先頭に ' を付けています"), "{data}");
}

/// Single-line fields hold no line break, bidi control or zero-width character, with the
/// field's place and the character named (SPEC §2); a multi-line name made a multi-line CSV
/// record on b4b8799 and a U+202E was published as written.
#[test]
fn control_and_format_characters_in_single_line_fields_are_errors_at_their_place() {
    let site = Site::fixture("basic");
    site.replace("cohorts/1/teams.yaml", "name: 架空 一郎", "name: \"架空\\u202E一郎\"");
    site.replace(
        "cohorts/1/teams.yaml",
        "position: 総務省 架空局 課長補佐",
        "position: \"総務省\\n架空局\"",
    );
    site.replace("cohorts/1/teams.yaml", "name: 架空 二子", "name: \"架空\\u200B二子\"");
    site.write("pages/tab.md", "---\ntitle: \"タブ\\tのある題\"\n---\n本文\n");
    let err = fails(&site);
    for (at, message) in [
        (
            "cohorts/1/teams.yaml:9:13",
            "「架空一郎」の3文字目に文字の向きを変える制御文字（U+202E）があります",
        ),
        (
            "cohorts/1/teams.yaml:10:17",
            "「総務省架空局」の4文字目に改行（U+000A）があります",
        ),
        (
            "cohorts/1/teams.yaml:13:13",
            "「架空二子」の3文字目に幅のない文字（U+200B）があります",
        ),
        (
            "pages/tab.md:2:8",
            "「タブのある題」の3文字目にタブ（U+0009）があります",
        ),
    ] {
        assert!(
            reported_at(&err, &format!("エラー: {message}"), at),
            "{message} at {at}:\n{err}"
        );
    }
}

/// `release:` with no value (or `~`) is an error at its key, never "published at once"
/// (SPEC §2); on b4b8799 the page went public without a word.
#[test]
fn a_key_written_without_a_value_is_an_error_not_now() {
    for empty in ["release:", "release: ~", "release: null"] {
        let site = Site::fixture("basic");
        site.write("pages/soon.md", &format!("---\ntitle: 近日公開\n{empty}\n---\n本文\n"));
        let err = fails(&site);
        assert!(
            err.contains("エラー: 「release」に値が書かれていません\n --> pages/soon.md:3:1\n"),
            "{empty}: {err}"
        );
        assert!(err.contains("この行ごと消してください"), "{err}");
        let o = site.build(AS_OF);
        assert_eq!(o.status.code(), Some(1), "{empty}: nothing is built");
        assert!(!site.out().join("soon").exists());
    }
}
