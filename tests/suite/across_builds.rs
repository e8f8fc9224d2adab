//! Nothing learned by comparing builds (SPEC §1 and §3 "Across builds"): the public site is a
//! sequence of builds anyone can keep. Each test reproduces one way a held record used to show
//! through, on a copy of the `embargo` fixture (cohort 1 with team 3 announced 2026-06-01 and a
//! final report released 2027-04-01 10:00; cohort 2, its town 大船渡市 and the page news-hold
//! released 2027-04-01 10:00).

use crate::common::{Site, ok, readable, stderr, stdout, tree};

/// Every file of the last build as text (gzip members unpacked), with its path.
fn all_text(site: &Site) -> String {
    site.output_tree()
        .iter()
        .map(|(path, bytes)| format!("{path}\n{}\n", String::from_utf8_lossy(&readable(bytes))))
        .collect()
}

fn fails_with(o: &std::process::Output, code: i32) -> String {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    stderr(o)
}

#[test]
fn declared_figures_wait_until_no_team_of_the_cohort_is_held() {
    // Declared: 9 members in 3 teams. On 2026-05-01 team 3 (3 members) is still held.
    let site = Site::fixture("embargo");
    ok(&site.build("2026-05-01"));
    let page = site.page("cohorts/1/index.html").main_text();
    assert!(
        page.contains("地方創生支援官 5 名") && !page.contains("公表数値は"),
        "{page}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&site.output_file("data/summary.json")).unwrap();
    assert_eq!(summary["cohorts"][0]["declared"], serde_json::json!([]));
    assert!(!all_text(&site).contains("公表数値は"), "no declared figure anywhere");

    ok(&site.build("2026-11-23"));
    let page = site.page("cohorts/1/index.html").main_text();
    assert!(
        page.contains("地方創生支援官 9 名 ※")
            && page.contains("※支援官：公表数値は9名、伴走支援チーム一覧から数えると8名です。"),
        "{page}"
    );
}

#[test]
fn a_preview_is_refused_inside_or_around_a_public_build() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-11-23"));
    let before = tree(site.dir.path());
    let content = site.content();
    for out in [
        site.out().join("preview"),
        site.out().join("a/b"),
        site.dir.path().to_path_buf(),
    ] {
        let o = site.banso(&[
            "build",
            "--preview",
            "--content",
            content.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        let err = fails_with(&o, 2);
        assert!(err.contains("プレビューは公開用の出力先"), "{err}");
    }
    assert!(
        tree(site.dir.path()) == before,
        "nothing written, no staging folder left"
    );
    let names: Vec<String> = std::fs::read_dir(site.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("preview") || n.contains("staging")),
        "{names:?}"
    );
}

#[test]
fn times_are_read_only_in_the_three_forms() {
    for (bad, why) in [
        ("2027-04-01T01:00[UTC]", "タイムゾーン名"),
        ("2027-03-31T21:00-04:00[America/New_York]", "タイムゾーン名"),
        ("2027-04-01T10:00+14:59", "-14:00 から +14:00"),
        ("2027-04-01T10:00:00.5+09:00", "秒の小数"),
    ] {
        let site = Site::fixture("embargo");
        let line = site.replace(
            "pages/news-hold.md",
            "release: 2027-04-01T10:00",
            &format!("release: {bad}"),
        );
        let err = fails_with(&site.check("2026-11-23"), 1);
        assert!(
            err.contains(&format!("--> pages/news-hold.md:{line}:10")),
            "{bad}: {err}"
        );
        assert!(
            err.contains(why) && err.contains("2026-03-27T10:00（日本時間）"),
            "{bad}: {err}"
        );
        let err = fails_with(&site.build(bad), 2);
        assert!(err.contains(why), "--as-of {bad}: {err}");
        assert!(!site.out().exists(), "nothing built");
    }
}

#[test]
fn the_next_release_is_the_exact_second_and_a_build_then_publishes_it() {
    // `10:00:00.5` was listed as 10:00:00: a build at 10:00:00 still held the page and said
    // the next release was 10:00:00, so a scheduler never rebuilt for it.
    let site = Site::fixture("embargo");
    site.replace(
        "pages/news-hold.md",
        "release: 2027-04-01T10:00",
        "release: 2027-03-31T10:00:00.5",
    );
    let o = site.holdback("2027-03-31T10:00:00", &[]);
    let err = fails_with(&o, 1);
    assert!(
        err.contains("--> pages/news-hold.md:4:10") && err.contains("秒の小数は使えません"),
        "{err}"
    );
    assert_eq!(stdout(&o), "", "no listing of invalid content");

    site.replace(
        "pages/news-hold.md",
        "release: 2027-03-31T10:00:00.5",
        "release: 2027-03-31T10:00:07",
    );
    let o = site.holdback("2027-03-31T10:00:06", &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&ok_out(&o)).unwrap();
    assert_eq!(json["next_release"], "2027-03-31T10:00:07+09:00");
    ok(&site.build("2027-03-31T10:00:06"));
    assert!(!site.out().join("news-hold/index.html").exists());
    ok(&site.build(json["next_release"].as_str().unwrap()));
    assert!(
        site.out().join("news-hold/index.html").exists(),
        "published at the instant named"
    );
}

fn ok_out(o: &std::process::Output) -> Vec<u8> {
    ok(o);
    o.stdout.clone()
}

#[test]
fn links_to_held_things_are_their_text_until_the_release() {
    let site = Site::fixture("embargo");
    site.replace(
        "pages/about.md",
        "[課題分野](/themes/)",
        "[課題分野](/themes/)\n\n[最終報告](/reports/1/final-hold/)、[大きな町](/municipalities/032034/)、\
         [お知らせ](/news-hold/)、[資料](/assets/1/final-hold.pdf)、![図表](/assets/1/hold-figure.png)、\
         [新しい期](/cohorts/2/teams/)、[絶対URL](https://test.example.invalid/banso/reports/1/final-hold/)",
    );
    let err = ok(&site.build("2026-11-23"));
    for dest in [
        "/reports/1/final-hold/",
        "/municipalities/032034/",
        "/news-hold/",
        "/assets/1/final-hold.pdf",
        "/assets/1/hold-figure.png",
        "/cohorts/2/teams/",
        "https://test.example.invalid/banso/reports/1/final-hold/",
    ] {
        assert!(
            err.contains(&format!(
                "リンク先「{dest}」は公表前のため、リンクにせず文字だけを載せます"
            )),
            "{dest}: {err}"
        );
    }
    assert!(err.contains("--> pages/about.md:9:"), "{err}");
    let about = site.page("about/index.html");
    let text = about.main_text();
    for word in [
        "最終報告",
        "大きな町",
        "お知らせ",
        "資料",
        "図表",
        "新しい期",
        "絶対URL",
    ] {
        assert!(text.contains(word), "{word}: {text}");
    }
    let all = all_text(&site);
    for trace in ["final-hold", "032034", "news-hold", "hold-figure", "cohorts/2", "HOLD-"] {
        assert!(!all.contains(trace), "{trace} is in the output");
    }

    ok(&site.build("2027-04-01T10:00"));
    let hrefs = site.page("about/index.html").attrs("main a", "href");
    for want in [
        "../reports/1/final-hold/",
        "../municipalities/032034/",
        "../news-hold/",
        "../assets/1/final-hold.pdf",
        "../cohorts/2/teams/",
    ] {
        assert!(hrefs.contains(&want.to_string()), "{want}: {hrefs:?}");
    }
}

#[test]
fn every_spelling_of_the_sites_address_is_a_site_link() {
    // Scheme-relative, a port, a trailing dot, a user name: each once passed as an outside
    // link and kept a live link to the held report; a written-out address printed its URL.
    let site = Site::fixture("embargo");
    let spellings = [
        "//test.example.invalid/banso/reports/1/final-hold/",
        "https://test.example.invalid:443/banso/reports/1/final-hold/",
        "https://test.example.invalid./banso/news-hold/",
        "https://x@test.example.invalid/banso/news-hold/",
        "//test.example.invalid/banso/assets/1/final-hold.pdf",
    ];
    let links: Vec<String> = spellings
        .iter()
        .enumerate()
        .map(|(i, d)| format!("[綴り{i}]({d})"))
        .collect();
    site.replace(
        "pages/about.md",
        "[課題分野](/themes/)",
        &format!(
            "[課題分野](/themes/)\n\n{}\n\n書き出し <https://test.example.invalid/banso/reports/1/final-hold/>",
            links.join(" ")
        ),
    );
    let err = ok(&site.build("2026-11-23"));
    for d in spellings {
        assert!(err.contains(&format!("リンク先「{d}」は公表前のため")), "{d}: {err}");
    }
    let all = all_text(&site);
    for trace in ["final-hold", "news-hold"] {
        assert!(!all.contains(trace), "{trace} is in the output");
    }
    let text = site.page("about/index.html").main_text();
    assert!(text.contains("綴り0") && text.contains("書き出し （準備中）"), "{text}");

    site.replace("pages/about.md", "banso/news-hold/", "banso/no-such-page/");
    let err = fails_with(&site.check("2026-11-23"), 1);
    assert!(
        err.contains("リンク先「https://test.example.invalid./banso/no-such-page/」のページはありません"),
        "a link to nothing is caught in any spelling: {err}"
    );
}

#[test]
fn links_to_nothing_or_written_relative_are_errors() {
    let site = Site::fixture("embargo");
    site.replace(
        "pages/about.md",
        "[課題分野](/themes/)",
        "[課題分野](/themes/)\n\n[古い](/reports/1/final-hol/) [無](/cohorts/9/) [町](/municipalities/013323/)",
    );
    site.write("pages/other.md", "---\ntitle: 別のページ\n---\n[外](../news-hold/)\n");
    let err = fails_with(&site.check("2026-11-23"), 1);
    assert!(
        err.contains("リンク先「/reports/1/final-hol/」のページはありません"),
        "{err}"
    );
    assert!(err.contains("もしかして: /reports/1/final-hold/"), "{err}");
    assert!(
        err.contains("サイト内へのリンク「../news-hold/」は / から書いてください"),
        "{err}"
    );
    assert!(err.contains("リンク先「/cohorts/9/」のページはありません"), "{err}");
    assert!(
        err.contains("リンク先「/municipalities/013323/」のページはありません"),
        "{err}"
    );
    assert!(err.contains("--> pages/about.md:9:5"), "{err}");
    assert!(err.contains("--> pages/other.md:4:5"), "{err}");
}

#[test]
fn an_attachment_of_a_held_report_is_held_with_it_even_when_linked() {
    // mori-slides.pdf is attached by the published report and the held one: published.
    // final-hold.pdf only by the held one: held, whatever links to it.
    let site = Site::fixture("embargo");
    site.replace(
        "cohorts/1/reports/mori-interim.md",
        "## 取組の概要",
        "## 取組の概要\n\n[次の資料](/assets/1/final-hold.pdf) [共有](/assets/1/mori-slides.pdf)",
    );
    let err = ok(&site.build("2026-11-23"));
    assert!(
        err.contains("リンク先「/assets/1/final-hold.pdf」は公表前のため"),
        "{err}"
    );
    assert!(!err.contains("リンク先「/assets/1/mori-slides.pdf」"), "{err}");
    let files = site.output_tree();
    assert!(files.contains_key("assets/1/mori-slides.pdf"));
    assert!(!files.contains_key("assets/1/final-hold.pdf"));
    assert!(!all_text(&site).contains("HOLD-asset-content"));
}

#[test]
fn a_cohort_folder_is_named_by_its_plain_number_only() {
    for name in ["02", "+2", "２"] {
        let site = Site::fixture("embargo");
        crate::common::copy_dir(&site.path("cohorts/2"), &site.path(&format!("cohorts/{name}")));
        let err = fails_with(&site.check("2026-11-23"), 1);
        assert!(
            err.contains(&format!("--> cohorts/{name}/cohort.yaml")) && err.contains(&format!("フォルダ名「{name}」")),
            "{name}: {err}"
        );
        let o = site.build("2026-11-23");
        assert_eq!(o.status.code(), Some(1), "{name}");
    }
}

#[test]
fn a_ministry_only_a_held_cohort_uses_appears_nowhere() {
    let site = Site::fixture("embargo");
    site.write(
        "ministries.yaml",
        &format!("{}- name: 経済産業省\n", site.read("ministries.yaml")),
    );
    site.replace(
        "cohorts/2/teams.yaml",
        "{ ministry: 防衛省, grade: 係長級 }",
        "{ ministry: 経済産業省, grade: 係長級 }",
    );
    ok(&site.build("2026-11-23"));
    assert!(!all_text(&site).contains("経済産業省"), "a 0名 row names it");
    let ministry = site.page("cohorts/1/index.html").texts("#chart-ministry tbody tr");
    assert!(ministry.iter().all(|r| !r.ends_with(" 0名")), "{ministry:?}");
    ok(&site.build("2027-04-01T10:00"));
    assert!(site.page("cohorts/2/index.html").main_text().contains("経済産業省"));
}

#[cfg(unix)]
#[test]
fn markdown_must_lie_inside_content_and_be_one_file_once() {
    let site = Site::fixture("embargo");
    let outside = site.dir.path().join("outside.md");
    std::fs::write(&outside, "---\ntitle: 外のページ\n---\n外の本文\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.path("pages/outside.md")).unwrap();
    std::os::unix::fs::symlink(
        site.path("cohorts/1/reports/final-hold.md"),
        site.path("cohorts/1/reports/again.md"),
    )
    .unwrap();
    let err = fails_with(&site.check("2026-11-23"), 1);
    assert!(
        err.contains("--> pages/outside.md:1:1") && err.contains("content/ の外を指すシンボリックリンクです"),
        "{err}"
    );
    // The link is reported, never the file it points at, whichever is read first.
    assert!(
        err.contains("--> cohorts/1/reports/again.md:1:1") && !err.contains("--> cohorts/1/reports/final-hold.md"),
        "{err}"
    );
    assert!(
        err.contains("cohorts/1/reports/final-hold.md と同じファイルです（シンボリックリンク）"),
        "{err}"
    );
}

#[test]
fn a_programmes_url_may_not_point_into_the_site() {
    let site = Site::fixture("embargo");
    site.write(
        "programs/x.yaml",
        "name: 架空の事業\nfiscal_year: 2026\nurl: https://test.example.invalid/banso/reports/1/final-hold/\nsupport:\n  - type: 枠\n    municipalities: [\"013455\"]\n",
    );
    let err = fails_with(&site.check("2026-11-23"), 1);
    assert!(
        err.contains("--> programs/x.yaml:3:6") && err.contains("はこのサイトの中の URL です"),
        "{err}"
    );
}

#[test]
fn a_team_announced_after_a_higher_number_is_warned_about() {
    // Published numbers 1, 3 with team 2 held would say that a team 2 exists.
    let site = Site::fixture("embargo");
    let line = site.replace(
        "cohorts/1/teams.yaml",
        "- number: 2\n  municipality: \"224618\"",
        "- number: 2\n  municipality: \"224618\"\n  announce: 2026-07-01T10:00",
    );
    let err = ok(&site.check("2026-11-23"));
    assert!(
        err.contains(&format!("--> cohorts/1/teams.yaml:{line}:11"))
            && err.contains("チーム 2 は番号の大きいチーム 3 より後に公表されます"),
        "{err}"
    );
}
