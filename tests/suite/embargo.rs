//! The holdback promise (SPEC §3) on the `embargo` fixture: nothing held back leaves a trace in
//! any byte or file name, and everything appears at its release instant.

use std::collections::BTreeMap;

use crate::common::{Site, banso_in, ok, stderr, tree};

/// Strings that belong only to held-back records of the fixture (cohort 2, the final report,
/// its attachments, the news page), lowercase: Pagefind lowercases the words it indexes, so
/// every file is searched lowercased. `渓谷` and `散策路` are words of the held report's body
/// alone, so a body that reaches only the search index's word list (`*.pf_index`) is found.
const HELD: [&str; 10] = [
    "hold-",
    "final-hold",
    "hold-figure",
    "大船渡",
    "おおふなと",
    "032034",
    "cohorts/2",
    "第2期",
    "渓谷",
    "散策路",
];

/// Every place a held string shows up: file contents (gzip unpacked) and file names.
fn traces(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(&crate::common::readable(bytes)).to_lowercase();
        let name = path.to_lowercase();
        for h in HELD {
            if name.contains(h) {
                found.push(format!("{h} in the file name {path}"));
            }
            if text.contains(h) {
                found.push(format!("{h} in {path}"));
            }
        }
    }
    found
}

#[test]
fn one_second_before_release_nothing_shows_and_at_release_everything_does() {
    let site = Site::fixture("embargo");
    ok(&site.build("2027-04-01T09:59:59+09:00"));
    let before = site.output_tree();
    assert!(
        before.contains_key("reports/1/mori-interim/index.html"),
        "the published report is there"
    );
    assert_eq!(traces(&before), Vec::<String>::new());

    let site = Site::fixture("embargo");
    ok(&site.build("2027-04-01T10:00:00+09:00"));
    let at = site.output_tree();
    for want in [
        "cohorts/2/index.html",
        "cohorts/2/teams/index.html",
        "municipalities/032034/index.html",
        "reports/1/final-hold/index.html",
        "news-hold/index.html",
        "assets/1/final-hold.pdf",
        "assets/1/hold-figure.png",
    ] {
        assert!(at.contains_key(want), "{want} is missing at the release instant");
    }
    let all = at
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect::<String>();
    let index_words: String = at
        .iter()
        .filter(|(p, _)| p.starts_with("pagefind/index/"))
        .map(|(_, b)| String::from_utf8_lossy(&crate::common::readable(b)).into_owned())
        .collect();
    assert!(
        index_words.contains("渓谷") && index_words.contains("hold"),
        "the held body's words are in the index word lists once released, so traces() would see them there"
    );
    for h in HELD {
        assert!(
            traces(&at).iter().any(|t| t.starts_with(&format!("{h} "))),
            "{h} is found at the release instant"
        );
    }
    for marker in [
        "HOLD-member-name",
        "HOLD-member-position",
        "HOLD-report-title",
        "HOLD-report-summary",
        "HOLD-report-body",
        "HOLD-attachment-title",
        "HOLD-asset-content",
        "HOLD-figure-content",
        "HOLD-page-title",
        "HOLD-page-body",
        "渓谷",
    ] {
        assert!(all.contains(marker), "{marker} is missing at the release instant");
    }
}

#[test]
fn held_back_records_change_no_count_list_or_data_file() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-11-23"));
    let held = site.output_tree();
    let plain = Site::fixture("basic");
    ok(&plain.build("2026-11-23"));
    let without: BTreeMap<_, _> = plain.output_tree();
    assert_eq!(
        held.keys().collect::<Vec<_>>(),
        without.keys().collect::<Vec<_>>(),
        "same files as a site without the held records"
    );
    for (path, bytes) in &without {
        assert_eq!(
            &held[path], bytes,
            "{path} differs from the site that never had the held records"
        );
    }
}

#[test]
fn the_time_zone_of_the_machine_does_not_matter() {
    let site = Site::fixture("embargo");
    let mut builds = Vec::new();
    for tz in ["UTC", "America/Los_Angeles", "Asia/Tokyo"] {
        let out = site.dir.path().join(format!("out-{}", tz.replace('/', "-")));
        ok(&site.build_into(&out, "2027-04-01T10:00", &[("TZ", tz)]));
        builds.push((tz, tree(&out)));
    }
    let utc_form = site.dir.path().join("out-z");
    ok(&site.build_into(&utc_form, "2027-04-01T01:00:00Z", &[("TZ", "America/Los_Angeles")]));
    builds.push(("…01:00:00Z", tree(&utc_form)));
    assert!(
        builds[0].1.contains_key("cohorts/2/index.html"),
        "10:00 without offset is Japan time"
    );
    for (tz, files) in &builds[1..] {
        assert!(files == &builds[0].1, "TZ={tz} gives other output than TZ=UTC");
    }
    let out = site.dir.path().join("out-before");
    ok(&site.build_into(&out, "2027-04-01T09:59", &[("TZ", "America/Los_Angeles")]));
    assert_eq!(traces(&tree(&out)), Vec::<String>::new());
}

#[test]
fn rebuilding_at_an_earlier_as_of_removes_what_is_no_longer_published() {
    let site = Site::fixture("embargo");
    ok(&site.build("2030-01-01"));
    assert!(site.out().join("cohorts/2/index.html").exists());
    ok(&site.build("2026-11-23"));
    let rebuilt = site.output_tree();
    assert_eq!(traces(&rebuilt), Vec::<String>::new());
    let fresh = Site::fixture("embargo");
    ok(&fresh.build("2026-11-23"));
    assert!(
        rebuilt == fresh.output_tree(),
        "the rebuilt directory equals a fresh build, marker included"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-11-23"));
    let good = site.output_tree();
    site.replace("municipalities.yaml", "code: \"013455\"", "code: \"013456\"");
    let o = site.build("2030-01-01");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(site.output_tree() == good);
    let leftovers: Vec<_> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("banso") && !n.ends_with(".banso-lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Staging and old trees that banso left beside the output.
fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("banso-staging") || n.contains("banso-old"))
        .collect()
}

#[test]
fn a_killed_build_leaves_either_the_old_site_or_the_new_one() {
    let site = Site::fixture("embargo");
    // Many reports make writing take long enough to be killed in the middle of it.
    let bulk = |s: &Site| {
        for i in 0..400 {
            s.write(
                &format!("cohorts/1/reports/bulk-{i:03}.md"),
                &format!(
                    "---\nteam: 1\nkind: 活動報告\ntitle: 活動報告 {i}\ndate: 2026-09-01\n---\n{}\n",
                    "本文です。".repeat(200)
                ),
            );
        }
    };
    bulk(&site);
    ok(&site.build("2026-11-23"));
    let old = site.output_tree();
    let fresh = Site::fixture("embargo");
    bulk(&fresh);
    ok(&fresh.build("2030-01-01"));
    let new = fresh.output_tree();
    assert_ne!(old, new);

    // Kill the build as soon as its staging directory appears (the site is being written),
    // and a little later; each time the output is the old site or the new one, whole.
    let mut killed_while_writing = 0;
    for delay_ms in [0u64, 1, 3, 8, 20] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_banso"))
            .current_dir(site.dir.path())
            .args([
                "build",
                "--content",
                "content",
                "--output",
                "out",
                "--as-of",
                "2030-01-01",
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        let mut writing = false;
        while started.elapsed() < std::time::Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if !leftovers(site.dir.path()).is_empty() {
                writing = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if writing && !status.success() && !leftovers(site.dir.path()).is_empty() {
            killed_while_writing += 1;
        }
        let now = site.output_tree();
        assert!(
            now == old || now == new,
            "after a kill {delay_ms} ms into writing the output is neither the old nor the new site"
        );
        if now == new {
            ok(&site.build("2026-11-23"));
            assert!(site.output_tree() == old);
        }
    }
    assert!(
        killed_while_writing > 0,
        "no kill landed while the new site was being written (no staging directory was seen)"
    );
    // The next build clears what the killed ones left.
    ok(&site.build("2026-11-23"));
    assert_eq!(leftovers(site.dir.path()), Vec::<String>::new());
    assert!(site.output_tree() == old);
}

#[test]
fn preview_publishes_everything_marks_every_page_and_refuses_the_public_directory() {
    let site = Site::fixture("embargo");
    let cwd = site.dir.path();
    ok(&banso_in(cwd, &["build", "--as-of", "2026-11-23"]));
    let public = tree(&cwd.join("output"));
    for target in ["output".to_string(), cwd.join("output").to_string_lossy().into_owned()] {
        let o = banso_in(
            cwd,
            &["build", "--as-of", "2026-11-23", "--preview", "--output", &target],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("プレビューは公開用の出力先"), "{}", stderr(&o));
        assert!(
            tree(&cwd.join("output")) == public,
            "the refused preview changed the public site"
        );
    }
    std::fs::rename(cwd.join("output"), cwd.join("moved")).unwrap();
    let o = banso_in(
        cwd,
        &["build", "--as-of", "2026-11-23", "--preview", "--output", "moved"],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "a directory holding a public build is refused wherever it is"
    );

    ok(&banso_in(cwd, &["build", "--as-of", "2026-11-23", "--preview"]));
    assert!(!cwd.join("output").exists());
    let preview = tree(&cwd.join("output-preview"));
    assert!(!traces(&preview).is_empty(), "the preview shows held-back records");
    let pages: Vec<_> = preview.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.len() > 80);
    for (path, bytes) in pages {
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        let banner: Vec<String> = html
            .select(&scraper::Selector::parse(".preview-banner").unwrap())
            .map(|e| e.text().collect())
            .collect();
        assert_eq!(banner.len(), 1, "{path}");
        assert!(
            banner[0].starts_with("非公開プレビュー") && banner[0].contains("2026年11月23日 00:00"),
            "{path}: {banner:?}"
        );
        let robots: Vec<_> = html
            .select(&scraper::Selector::parse("meta[name=robots]").unwrap())
            .filter_map(|e| e.value().attr("content"))
            .collect();
        assert!(robots.iter().any(|c| c.contains("noindex")), "{path}");
    }
    assert_eq!(
        String::from_utf8_lossy(&preview["robots.txt"]),
        "User-agent: *\nDisallow: /\n"
    );
}

#[test]
fn a_directory_banso_did_not_create_is_never_replaced() {
    let site = Site::fixture("basic");
    let home = site.dir.path().join("home");
    std::fs::create_dir_all(home.join("Documents")).unwrap();
    std::fs::write(home.join("Documents/家計簿.txt"), "大切なファイル").unwrap();
    let before = tree(&home);
    let o = site.build_into(&home, "2026-11-23", &[("HOME", home.to_str().unwrap())]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("banso が作ったフォルダではありません"),
        "{}",
        stderr(&o)
    );
    assert!(tree(&home) == before);
}

#[test]
fn every_record_is_either_published_or_held_at_every_instant() {
    // One definition of released: at each release instant of the fixture, one second before
    // and well before and after, the published view and the holdback listing split the
    // registry between them.
    let site = Site::fixture("embargo");
    let mut diags = banso::diag::Diagnostics::new();
    let reg = banso::load_registry(&site.content(), &mut diags).unwrap();
    assert!(!diags.has_errors(), "{}", diags.render());
    let mut instants: Vec<banso::time::Instant> = ["2025-01-01", "2030-01-01"]
        .iter()
        .map(|t| banso::time::Instant::parse(t).unwrap())
        .collect();
    let everything = banso::publish::publish(&reg, instants[0], false).holdback.held;
    assert!(everything.len() >= 5, "{everything:?}");
    for h in &everything {
        let t = h.release.as_second();
        instants.extend([t - 1, t, t + 1].map(|s| banso::time::Instant::from_second(s).unwrap()));
    }
    for as_of in instants {
        let release = banso::publish::publish(&reg, as_of, false);
        crate::common::assert_published_and_held_cover_the_registry(&reg, &release);
    }
    assert!(
        banso::publish::publish(&reg, banso::time::Instant::parse("2030-01-01").unwrap(), false)
            .holdback
            .held
            .is_empty()
    );
}

/// A preview marks each held item with its release instant where it appears: the report's own
/// page, the report in lists and in お知らせ, a held team's row, a held cohort's page and a held
/// page (SPEC §1). A public build shows none of these marks. On b4b8799 only the generic banner
/// said anything, and the top page's news read as already published.
#[test]
fn a_preview_marks_each_held_item_with_its_release_instant_where_it_appears() {
    let site = Site::fixture("embargo");
    let cwd = site.dir.path();
    ok(&banso_in(
        cwd,
        &["build", "--as-of", "2026-11-23", "--preview", "--output", "pv"],
    ));
    let page = |rel: &str| {
        let text = std::fs::read_to_string(cwd.join("pv").join(rel)).unwrap();
        scraper::Html::parse_document(&text)
    };
    let texts = |html: &scraper::Html, css: &str| -> Vec<String> {
        let sel = scraper::Selector::parse(css).unwrap();
        html.select(&sel).map(|e| e.text().collect::<String>()).collect()
    };
    let at = "2027年4月1日 10:00";
    let report = page("reports/1/final-hold/index.html");
    assert_eq!(
        texts(&report, ".held-notice"),
        [format!(
            "非公開プレビュー: この報告は {at}（日本時間）に公表されます。それまでは公開のサイトにありません。"
        )]
    );
    let home = page("index.html");
    let news: Vec<String> = texts(&home, ".news li")
        .into_iter()
        .filter(|l| l.contains("HOLD-report-title"))
        .collect();
    assert!(
        news.iter().all(|l| l.contains(&format!("{at}に公表予定"))) && !news.is_empty(),
        "{news:?}"
    );
    let reports = page("reports/index.html");
    let held: Vec<String> = texts(&reports, ".report-list li")
        .into_iter()
        .filter(|l| l.contains("HOLD-report-title"))
        .collect();
    assert!(
        held.iter().all(|l| l.contains(&format!("{at}に公表予定"))) && !held.is_empty(),
        "{held:?}"
    );
    let released: Vec<String> = texts(&reports, ".report-list li")
        .into_iter()
        .filter(|l| l.contains("中間報告（架空）"))
        .collect();
    assert!(
        released.iter().all(|l| !l.contains("公表予定")),
        "a released report is not marked: {released:?}"
    );
    assert_eq!(texts(&page("cohorts/2/index.html"), ".held-notice").len(), 1);
    assert!(
        texts(&page("cohorts/2/teams/index.html"), ".team-table .held-badge")
            .iter()
            .all(|b| b.contains(at))
    );
    assert_eq!(texts(&page("news-hold/index.html"), ".held-notice").len(), 1);
    assert!(
        texts(&page("about/index.html"), ".held-notice").is_empty(),
        "a released page is not marked"
    );

    ok(&site.build("2026-11-23"));
    let public = tree(&site.out());
    let marked: Vec<&String> = public
        .iter()
        .filter(|(p, b)| {
            let html = String::from_utf8_lossy(b);
            p.ends_with(".html") && (html.contains("class=\"held-") || html.contains("公表予定"))
        })
        .map(|(p, _)| p)
        .collect();
    assert!(marked.is_empty(), "a public build has no marks: {marked:?}");
}
