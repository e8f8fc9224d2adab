//! `banso holdback`: every held item with its release instant, as text and JSON.

use crate::common::{Site, ok, stdout};

fn holdback(site: &Site, as_of: &str, json: bool) -> String {
    let o = site.holdback(as_of, if json { &["--format", "json"] } else { &[] });
    ok(&o);
    stdout(&o)
}

#[test]
fn text_lists_each_held_item_and_the_next_release_in_japan_time() {
    let site = Site::fixture("embargo");
    let text = holdback(&site, "2026-11-23", false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "基準時刻 2026年11月23日 00:00（日本時間）");
    assert_eq!(lines[1], "公表待ち 4件（公表日時は日本時間）:");
    assert_eq!(lines[2], "  2027-04-01 10:00  期      第2期  (cohorts/2/cohort.yaml)");
    assert_eq!(
        lines[3],
        "  2027-04-01 10:00  チーム  第2期 チーム1 岩手県大船渡市  (cohorts/2/teams.yaml#1)"
    );
    assert!(
        lines[4].contains("報告")
            && lines[4].contains("HOLD-report-title")
            && lines[4].contains("cohorts/1/reports/final-hold.md")
    );
    // A report's attachments are listed under it (SPEC §1).
    assert_eq!(lines[5], "      └ 添付ファイル  assets/1/final-hold.pdf");
    assert_eq!(lines[6], "      └ 添付ファイル  assets/1/mori-slides.pdf");
    assert!(lines[7].contains("ページ") && lines[7].contains("pages/news-hold.md"));
    assert_eq!(
        lines[8],
        "次の公表: 2027-04-01 10:00（日本時間、2027-04-01T10:00:00+09:00）"
    );
}

/// Twelve held teams are listed 1, 2, … 10, 11, 12 (numbers read as numbers), in the text and
/// the JSON; `teams.yaml#10` came before `#2` on b4b8799.
#[test]
fn held_items_are_in_numeric_order() {
    // A 第3期 of twelve teams over the first twelve towns of the real 第2期.
    let site = Site::real();
    let codes: Vec<String> = site
        .read("cohorts/2/teams.yaml")
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("municipality: ")
                .map(|c| c.split('#').next().unwrap().trim().to_string())
        })
        .take(12)
        .collect();
    assert_eq!(codes.len(), 12);
    let mut teams = String::new();
    for (n, code) in (1..=12).zip(&codes) {
        teams.push_str(&format!(
            "- {{ number: {n}, municipality: {code}, members: [{{ ministry: 総務省, grade: 補佐級 }}, {{ ministry: 防衛省, grade: 係長級 }}] }}\n"
        ));
    }
    site.write("cohorts/3/teams.yaml", &teams);
    site.write(
        "cohorts/3/cohort.yaml",
        "number: 3\nfiscal_year: 2027\nannounce: 2027-03-26T10:00\nperiod: { start: 2027-04-01, end: 2028-03-31 }\n",
    );
    let site_embargo = Site::fixture("embargo");
    let json: serde_json::Value = serde_json::from_str(&holdback(&site, "2026-12-01", true)).unwrap();
    let ids: Vec<&str> = json["held"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "team")
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let want: Vec<String> = (1..=12).map(|n| format!("cohorts/3/teams.yaml#{n}")).collect();
    assert_eq!(ids, want);
    let text = holdback(&site, "2026-12-01", false);
    let numbers: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("(cohorts/3/teams.yaml#").nth(1))
        .map(|n| n.trim_end_matches(')'))
        .collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]);
    let json: serde_json::Value = serde_json::from_str(&holdback(&site_embargo, "2026-11-23", true)).unwrap();
    let report = json["held"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "cohorts/1/reports/final-hold.md")
        .unwrap();
    assert_eq!(
        report["attachments"],
        serde_json::json!(["assets/1/final-hold.pdf", "assets/1/mori-slides.pdf"])
    );
}

#[test]
fn text_says_nothing_held_back_when_all_is_released() {
    let site = Site::fixture("embargo");
    let text = holdback(&site, "2027-04-01T10:00", false);
    assert!(text.contains("nothing held back"), "{text}");
}

#[test]
fn json_for_a_scheduler() {
    let site = Site::fixture("embargo");
    let json: serde_json::Value = serde_json::from_str(&holdback(&site, "2026-06-01T09:00", true)).unwrap();
    assert_eq!(json["as_of"], "2026-06-01T09:00:00+09:00");
    assert_eq!(
        json["next_release"], "2026-06-01T10:00:00+09:00",
        "team 3 of cohort 1 comes first"
    );
    let held = json["held"].as_array().unwrap();
    let ids: Vec<&str> = held.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "cohorts/1/teams.yaml#3",
            "cohorts/1/reports/mori-interim.md",
            "cohorts/2/cohort.yaml",
            "cohorts/2/teams.yaml#1",
            "cohorts/1/reports/final-hold.md",
            "pages/news-hold.md"
        ]
    );
    assert_eq!(held[1]["kind"], "report");
    assert_eq!(held[1]["release"], "2026-10-15T10:00:00+09:00");
    assert_eq!(
        held[4]["release"], "2027-04-01T10:00:00+09:00",
        "01:00Z is shown at +09:00"
    );

    let none: serde_json::Value = serde_json::from_str(&holdback(&site, "2030-01-01", true)).unwrap();
    assert_eq!(none["next_release"], serde_json::Value::Null);
    assert_eq!(none["held"], serde_json::json!([]));
}

#[test]
fn invalid_content_is_reported_instead_of_listed() {
    let site = Site::fixture("embargo");
    site.replace(
        "cohorts/2/cohort.yaml",
        "announce: 2027-04-01T10:00:00+09:00",
        "announce: 2027-04-01T25:00",
    );
    let o = site.holdback("2026-11-23", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        crate::common::stderr(&o).contains("--> cohorts/2/cohort.yaml:4:11"),
        "{}",
        crate::common::stderr(&o)
    );
}

/// One definition of released: at any instant, every record of the registry is either in the
/// published view or listed as held (by itself), never both, never neither.
#[test]
fn published_and_held_together_are_everything_in_the_registry() {
    use banso::publish::HeldKind;
    use banso::time::Instant;

    let site = Site::fixture("embargo");
    // A member who joins later, and a programme released later, so every kind is there.
    site.replace(
        "cohorts/1/teams.yaml",
        "    - { ministry: 内閣官房, grade: 係長級 }",
        "    - { ministry: 内閣官房, grade: 係長級 }\n    - { ministry: 総務省, grade: 係長級, announce: 2026-08-01 }",
    );
    site.write(
        "programs/late.yaml",
        "name: 架空の事業\nfiscal_year: 2026\nrelease: 2026-09-01\nsupport:\n  - type: 枠\n    municipalities: [\"013455\"]\n",
    );
    let mut diags = banso::diag::Diagnostics::new();
    let reg = banso::load_registry(&site.content(), &mut diags).unwrap();
    assert!(!diags.has_errors(), "{}", diags.render());
    let mut kinds_seen = std::collections::BTreeSet::new();
    for as_of in [
        "2026-01-01",
        "2026-04-01T10:00",
        "2026-06-01T09:59:59",
        "2026-06-01T10:00",
        "2026-07-31T23:59:59",
        "2026-08-01",
        "2026-09-01",
        "2027-04-01T00:59:59Z",
        "2027-04-01T01:00:00Z",
        "2030-01-01",
    ] {
        let at = Instant::parse(as_of).unwrap();
        let r = banso::publish::publish(&reg, at, false);
        let (p, held) = (&r.published, &r.holdback.held);
        let is_held = |kind: HeldKind, id: &str| held.iter().any(|h| h.kind == kind && h.id == id);
        kinds_seen.extend(held.iter().map(|h| h.kind));
        for c in &reg.cohorts {
            let id = format!("cohorts/{}/cohort.yaml", c.no.0);
            assert!(
                p.cohort(c.no).is_some() != is_held(HeldKind::Cohort, &id),
                "{as_of} {id}"
            );
        }
        for t in &reg.teams {
            let id = format!("cohorts/{}/teams.yaml#{}", t.cohort.0, t.no.0);
            let published = p.team(t.cohort, t.no);
            assert!(published.is_some() != is_held(HeldKind::Team, &id), "{as_of} {id}");
            for (i, m) in t.members.iter().enumerate() {
                let member_id = format!("{id}/{}", i + 1);
                let shown = published.is_some_and(|pt| {
                    pt.members
                        .iter()
                        .any(|pm| pm.announce == m.announce && pm.grade == m.grade && pm.ministry == m.ministry)
                });
                // Held by itself, or with its team.
                let held_too = is_held(HeldKind::Member, &member_id) || is_held(HeldKind::Team, &id);
                assert!(shown != held_too, "{as_of} {member_id}");
            }
        }
        for rep in &reg.reports {
            let shown = p.reports.iter().any(|x| x.file == rep.file);
            assert!(shown != is_held(HeldKind::Report, &rep.file), "{as_of} {}", rep.file);
        }
        for pg in &reg.pages {
            let shown = p.pages.iter().any(|x| x.file == pg.file);
            assert!(shown != is_held(HeldKind::Page, &pg.file), "{as_of} {}", pg.file);
        }
        for pr in &reg.programs {
            let shown = p.programs.iter().any(|x| x.file == pr.file);
            assert!(shown != is_held(HeldKind::Program, &pr.file), "{as_of} {}", pr.file);
        }
        assert_eq!(r.holdback.next_release(), held.iter().map(|h| h.release).min());
        assert!(held.iter().all(|h| h.release > at), "{as_of}");
    }
    assert_eq!(
        kinds_seen.len(),
        6,
        "every kind was held at some instant: {kinds_seen:?}"
    );
}

#[test]
fn a_page_stating_a_held_cohorts_figures_is_warned_about_and_release_with_holds_it() {
    let site = Site::fixture("embargo");
    // 第2期 declares 2名・1チーム; its page is held until 2027-04-01 10:00.
    site.write(
        "pages/results.md",
        "---\ntitle: 実績\n---\n## 第2期\n\n第2期は2名・1チームが支援します。\n",
    );
    let err = ok(&site.build("2027-04-01T09:59:59+09:00"));
    assert!(
        err.contains("警告: 「2名」は第2期の数値と同じですが、第2期はこの時点ではまだ公表しきっていません\n --> pages/results.md:6:5"),
        "{err}"
    );
    assert!(err.contains(" --> pages/results.md:6:8"), "「1チーム」 too: {err}");
    assert!(err.contains("release_with: cohorts/2"), "{err}");
    assert!(
        site.out().join("results/index.html").exists(),
        "a warning does not hold the page"
    );

    site.replace(
        "pages/results.md",
        "title: 実績\n",
        "title: 実績\nrelease_with: cohorts/2\n",
    );
    let err = ok(&site.build("2027-04-01T09:59:59+09:00"));
    assert!(!err.contains("まだ公表しきっていません"), "{err}");
    assert!(!site.out().join("results/index.html").exists(), "held with the cohort");
    let held = holdback(&site, "2027-04-01T09:59:59+09:00", false);
    assert!(
        held.lines()
            .any(|l| l.starts_with("  2027-04-01 10:00  ページ") && l.contains("(pages/results.md)")),
        "{held}"
    );
    ok(&site.build("2027-04-01T10:00:00+09:00"));
    assert!(
        site.page("results/index.html")
            .main_text()
            .contains("第2期は2名・1チームが支援します。")
    );
}

/// `release_with: cohorts/1` waits for everything of 第1期, its late team and a late member
/// included, not for the cohort's own announce: the page states figures that count them.
/// (A `cohort_complete_at` that returned the cohort's announce passed every test on b4b8799.)
#[test]
fn a_page_released_with_a_cohort_waits_for_its_late_team_and_its_late_member() {
    let site = Site::fixture("embargo");
    // 第1期 is announced 2026-04-01 10:00; its team 3 on 2026-06-01 10:00.
    site.write(
        "pages/results.md",
        "---\ntitle: 第1期の実績\nrelease_with: cohorts/1\n---\n第1期は HOLD-results-page の9名です。\n",
    );
    let absent = |as_of: &str| {
        ok(&site.build(as_of));
        let leaked: Vec<String> = crate::common::tree(&site.out())
            .into_iter()
            .filter(|(path, bytes)| {
                path.contains("results") || String::from_utf8_lossy(bytes).contains("HOLD-results-page")
            })
            .map(|(path, _)| path)
            .collect();
        assert!(leaked.is_empty(), "{as_of}: {leaked:?}");
    };
    absent("2026-04-01T10:00:00+09:00");
    absent("2026-06-01T09:59:59+09:00");
    ok(&site.build("2026-06-01T10:00:00+09:00"));
    assert!(
        site.page("results/index.html")
            .main_text()
            .contains("HOLD-results-page")
    );

    // A member joining team 1 later holds the page until the member is public too.
    site.replace(
        "cohorts/1/teams.yaml",
        "    - ministry: 防衛省\n      grade: 室長級\n",
        "    - ministry: 防衛省\n      grade: 室長級\n    - { ministry: 総務省, grade: 係長級, announce: 2026-07-01T10:00 }\n",
    );
    absent("2026-06-30T23:59:59+09:00");
    ok(&site.build("2026-07-01T10:00:00+09:00"));
    assert!(site.out().join("results/index.html").exists());
}

#[test]
fn release_with_names_an_existing_cohort_and_is_not_given_with_release() {
    let site = Site::fixture("embargo");
    site.write("pages/a.md", "---\ntitle: A\nrelease_with: cohorts/9\n---\n本文\n");
    site.write(
        "pages/b.md",
        "---\ntitle: B\nrelease: 2027-01-01T00:00:00+09:00\nrelease_with: cohorts/2\n---\n本文\n",
    );
    let o = site.check("2026-11-23");
    let err = crate::common::stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("エラー: release_with「cohorts/9」に当たる期がありません\n --> pages/a.md:3:15"),
        "{err}"
    );
    assert!(err.contains("cohorts/1、cohorts/2 のいずれか"), "{err}");
    assert!(
        err.contains("エラー: release と release_with の両方が書かれています\n --> pages/b.md:4:15"),
        "{err}"
    );
}
