//! `banso release`: the site of a release instant staged ahead of time beside the output and
//! swapped in at that instant, with the old site in place until then and after any failure.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::{Site, ok, tree};

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn rfc3339(secs: i64) -> String {
    banso::time::Instant::from_second(secs).unwrap().rfc3339()
}

fn release(site: &Site, at: &str) -> Child {
    let (content, out) = (site.content(), site.out());
    Command::new(assert_cmd::cargo::cargo_bin("banso"))
        .current_dir(site.dir.path())
        .env("NO_COLOR", "1")
        .args([
            "release",
            "--content",
            content.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--at",
            at,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The staging directories beside the output, and none inside it.
fn staging_dirs(site: &Site) -> Vec<std::path::PathBuf> {
    let parent = site.out().parent().unwrap().to_path_buf();
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".banso-staging-"))
        .collect()
}

#[test]
fn a_release_goes_public_at_its_instant_with_content_edited_while_waiting() {
    let site = Site::fixture("embargo");
    let t = now_secs() + 8;
    // Team 3 of 第1期 (与那国町) is released at t.
    site.replace(
        "cohorts/1/teams.yaml",
        "  announce: 2026-06-01T10:00",
        &format!("  announce: {}", rfc3339(t)),
    );
    ok(&site.build(&rfc3339(t - 7)));
    let old = tree(&site.out());
    assert!(!old.contains_key("municipalities/473821/index.html"));

    let mut child = release(&site, &rfc3339(t));
    // While it waits: the old site, byte for byte; the staged one beside it, private.
    std::thread::sleep(Duration::from_millis(2500));
    let staged = staging_dirs(&site);
    assert_eq!(staged.len(), 1, "{staged:?}");
    assert!(!staged[0].starts_with(site.out()), "staging is outside the output");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&staged[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o000, "closed to everyone, its owner too, before its time");
    }
    assert!(
        staged[0].join("municipalities/473821/index.html").exists(),
        "the site of t is ready"
    );
    // An edit during the wait reaches the released site.
    site.replace(
        "pages/about.md",
        "試験用の説明ページです。",
        "試験用の説明ページです（公表の直前に直しました）。",
    );
    while now_secs() < t - 1 {
        assert_eq!(tree(&site.out()), old, "nothing of t before t");
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = child.wait().unwrap();
    let done = now_secs();
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    assert!(done >= t, "swapped in at {done}, release at {t}");
    let new = tree(&site.out());
    assert!(new.contains_key("municipalities/473821/index.html"), "{err}");
    let about = String::from_utf8(new["about/index.html"].clone()).unwrap();
    assert!(
        about.contains("公表の直前に直しました"),
        "the edit is in the released site"
    );
    assert!(err.contains("に公表しました"), "{err}");
    assert!(
        err.contains("  公表されるもの: 期 0・チーム 1・支援官 3名・市町村のページ 1"),
        "what goes public is said first: {err}"
    );
    assert!(staging_dirs(&site).is_empty(), "nothing left beside the output");
    // The public output is readable again after the swap.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(site.out()).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode & 0o005, 0, "the web server can read the output: {mode:o}");
    }
}

#[test]
fn a_killed_release_leaves_the_old_site_untouched() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-05-01"));
    let old = tree(&site.out());
    let mut child = release(&site, "2026-06-01T10:00");
    // 2026-06-01 has passed: this one goes at once. A release in the future is killed instead.
    assert!(child.wait().unwrap().success());
    assert!(site.out().join("municipalities/473821/index.html").exists());

    ok(&site.build("2026-05-01"));
    let old_again = tree(&site.out());
    assert_eq!(old_again.len(), old.len());
    let mut child = release(&site, &rfc3339(now_secs() + 60));
    std::thread::sleep(Duration::from_millis(2000));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(tree(&site.out()), old_again, "the old site, byte for byte");
    // The next build clears what the killed release staged.
    ok(&site.build("2026-05-01"));
    assert!(staging_dirs(&site).is_empty());
}

#[test]
fn invalid_content_releases_nothing() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-05-01"));
    let old = tree(&site.out());
    site.replace(
        "cohorts/1/teams.yaml",
        "municipality: \"473821\"",
        "municipality: \"473822\"",
    );
    let o = site.banso(&[
        "release",
        "--content",
        "content",
        "--output",
        "out",
        "--at",
        "2026-06-01T10:00",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", crate::common::stderr(&o));
    assert_eq!(tree(&site.out()), old);
}

/// `banso release` as [`release`] does, with the test pause at `points` (comma-separated)
/// answered through `pauses`, and `extra` arguments.
fn release_with(site: &Site, at: &str, points: &str, pauses: &Path, extra: &[&str]) -> Child {
    let (content, out) = (site.content(), site.out());
    Command::new(assert_cmd::cargo::cargo_bin("banso"))
        .current_dir(site.dir.path())
        .env("NO_COLOR", "1")
        .env("BANSO_TEST_PAUSE_DIR", pauses)
        .env("BANSO_TEST_PAUSE_AT", points)
        .args([
            "release",
            "--content",
            content.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--at",
            at,
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait until the process paused at `point`.
fn reached(pauses: &Path, point: &str) {
    let started = std::time::Instant::now();
    while !pauses.join(format!("{point}.reached")).exists() {
        assert!(started.elapsed() < Duration::from_secs(60), "{point} never reached");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Let the process paused at `point` go on, and wait until it has.
fn go(pauses: &Path, point: &str) {
    std::fs::write(pauses.join(format!("{point}.go")), b"").unwrap();
    let started = std::time::Instant::now();
    while pauses.join(format!("{point}.go")).exists() {
        assert!(started.elapsed() < Duration::from_secs(60), "{point} never went on");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Wait for `child` while answering every pause at `point`; its status and stderr.
fn finish(mut child: Child, pauses: &Path, point: &str) -> (std::process::ExitStatus, String) {
    let mut err = String::new();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        std::io::Read::read_to_string(&mut stderr, &mut err).unwrap();
        err
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, reader.join().unwrap());
        }
        if pauses.join(format!("{point}.reached")).exists() && !pauses.join(format!("{point}.go")).exists() {
            std::fs::write(pauses.join(format!("{point}.go")), b"").unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Team 3 of 第1期 (与那国町, 473821) released at `t`; the site built a little before.
fn team_3_at(site: &Site, t: i64) {
    site.replace(
        "cohorts/1/teams.yaml",
        "  announce: 2026-06-01T10:00",
        &format!("  announce: {}", rfc3339(t)),
    );
}

/// An edit saved while `release` stages (after it has read the content, before the staged site
/// is ready) is seen and staged again before T: the runbook's postponement, saved at that
/// moment, keeps team 3 out. On b4b8799 the baseline was taken after staging, so the edit was
/// never seen and team 3 went public.
#[test]
fn a_postponement_saved_while_release_stages_is_never_missed() {
    let site = Site::fixture("embargo");
    let pauses = tempfile::tempdir().unwrap();
    let t = now_secs() + 4;
    team_3_at(&site, t);
    ok(&site.build(&rfc3339(t - 10)));
    let child = release_with(&site, &rfc3339(t), "after-load", pauses.path(), &[]);
    reached(pauses.path(), "after-load");
    // Postponed while the content it just read is being staged.
    site.replace(
        "cohorts/1/teams.yaml",
        &format!("  announce: {}", rfc3339(t)),
        "  announce: 2030-01-01T10:00",
    );
    let (status, err) = finish(child, pauses.path(), "after-load");
    assert!(status.success(), "{err}");
    assert!(
        !site.out().join("municipalities/473821/index.html").exists(),
        "the postponed team went public: {err}"
    );
    assert!(
        err.contains("内容が変わったため、公表時刻のサイトを作り直しました"),
        "{err}"
    );
    let held = crate::common::stdout(&site.holdback(&rfc3339(t), &[]));
    assert!(held.contains("2030-01-01 10:00  チーム  第1期 チーム3"), "{held}");
}

/// A build started before a release instant and finishing after the release swapped never
/// puts the older site back (it says so, exit 3); the next build, started after, works as
/// before, an earlier as-of included (SPEC §1).
#[test]
fn a_build_that_finishes_after_a_release_never_puts_the_older_site_back() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-05-01"));
    let pauses = tempfile::tempdir().unwrap();
    let (content, out) = (site.content(), site.out());
    let build = Command::new(assert_cmd::cargo::cargo_bin("banso"))
        .env("NO_COLOR", "1")
        .env("BANSO_TEST_PAUSE_DIR", pauses.path())
        .env("BANSO_TEST_PAUSE_AT", "before-swap")
        .args([
            "build",
            "--content",
            content.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ])
        .args(["--as-of", "2026-06-01T09:59:59"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    reached(pauses.path(), "before-swap");
    // Meanwhile the release of 10:00 goes in (its instant has passed: at once).
    let o = site.banso(&[
        "release",
        "--content",
        "content",
        "--output",
        "out",
        "--at",
        "2026-06-01T10:00",
    ]);
    ok(&o);
    assert!(out.join("municipalities/473821/index.html").exists());
    go(pauses.path(), "before-swap");
    let o = build.wait_with_output().unwrap();
    let err = crate::common::stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("別の処理が基準時刻 2026年6月1日 10:00 のサイトを入れ替えて置きました")
            && err.contains("入れ替えていません"),
        "{err}"
    );
    assert!(
        out.join("municipalities/473821/index.html").exists(),
        "the released site stays"
    );
    // A build started now, of an earlier as-of, replaces it as builds always could.
    ok(&site.build("2026-05-01"));
    assert!(!out.join("municipalities/473821/index.html").exists());
}

/// A build during the wait (of an as-of before T) does not stop the release: at T the site of T
/// goes in as planned.
#[test]
fn a_release_swaps_as_planned_after_an_earlier_build_during_its_wait() {
    let site = Site::fixture("embargo");
    let t = now_secs() + 4;
    team_3_at(&site, t);
    ok(&site.build(&rfc3339(t - 30)));
    let mut child = release(&site, &rfc3339(t));
    std::thread::sleep(Duration::from_millis(1500));
    ok(&site.build(&rfc3339(t - 20)));
    assert!(child.wait().unwrap().success());
    assert!(site.out().join("municipalities/473821/index.html").exists());
}

/// A half-saved file while `release` waits is reported and the last good staging kept; saved
/// whole again before T, the release goes ahead at T (on b4b8799 one invalid moment cancelled
/// it for good, exit 1).
#[test]
fn a_half_saved_file_while_waiting_does_not_cancel_the_release() {
    let site = Site::fixture("embargo");
    let pauses = tempfile::tempdir().unwrap();
    let t = now_secs() + 5;
    team_3_at(&site, t);
    ok(&site.build(&rfc3339(t - 10)));
    let about = site.read("pages/about.md");
    let child = release_with(&site, &rfc3339(t), "restaged", pauses.path(), &[]);
    while staging_dirs(&site).is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }
    site.write("pages/about.md", "---\ntitle: 途中まで保存\nrelease: \n");
    reached(pauses.path(), "restaged");
    site.write(
        "pages/about.md",
        &about.replace(
            "試験用の説明ページです。",
            "試験用の説明ページです（保存し直しました）。",
        ),
    );
    let (status, err) = finish(child, pauses.path(), "restaged");
    assert!(status.success(), "{err}");
    assert!(
        err.contains("front matter が --- の行で閉じられていません\n --> pages/about.md:1:1"),
        "the problem is shown: {err}"
    );
    assert!(err.contains("直前に準備したサイトを残して待ちます"), "{err}");
    assert!(
        err.contains("作り直しました:\n  今の出力: ") && err.contains("  公表されるもの: 期 0・チーム 1・支援官 3名"),
        "the plan is said again after the rebuild: {err}"
    );
    assert!(site.out().join("municipalities/473821/index.html").exists(), "{err}");
    let page = site.page("about/index.html").main_text();
    assert!(page.contains("保存し直しました"), "{page}");
}

/// What `release` says: the same file counts as `diff` when the output in place is the site of
/// `diff --from`, the search index on a line of its own; held addresses only with `--verbose`;
/// a warning when a web server could list the staging folder; plain words when nothing changes.
#[test]
fn release_counts_as_diff_does_and_keeps_held_addresses_out_of_the_journal() {
    let site = Site::fixture("embargo");
    ok(&site.build("2026-05-01"));
    let content = site.content();
    let diff = site.banso(&[
        "diff",
        "--content",
        content.to_str().unwrap(),
        "--from",
        "2026-05-01",
        "--to",
        "2026-06-01T10:00",
        "--format",
        "json",
    ]);
    let d: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    let n = |k: &str| d[k].as_array().unwrap().len();
    let counts = format!("追加 {}・変更 {}・削除 {}", n("added"), n("changed"), n("removed"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(site.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let o = site.banso(&[
        "release",
        "--content",
        "content",
        "--output",
        "out",
        "--at",
        "2026-06-01T10:00",
    ]);
    let err = ok(&o);
    assert!(
        err.contains("  今の出力: 基準時刻 2026年5月1日 00:00 のサイト（banso diff --from 2026-05-01T00:00:00+09:00 --to 2026-06-01T10:00:00+09:00 と同じ比較です）"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "  ファイル: {counts}（banso diff と同じ数え方）\n  検索の索引: "
        )),
        "{counts}\n{err}"
    );
    assert!(
        err.contains(&format!("に公表しました：ファイル {counts}（検索の索引 ")),
        "{err}"
    );
    assert!(
        err.contains("  公表されるもの: 期 0・チーム 1・支援官 3名・市町村のページ 1・報告 0・ページ 0"),
        "{err}"
    );
    assert!(
        !err.contains("473821") && !err.contains("与那国"),
        "no held address or name: {err}"
    );
    #[cfg(unix)]
    assert!(
        err.contains("注意: 出力先の親フォルダ") && err.contains("ほかの利用者も読めます"),
        "{err}"
    );

    // With --verbose the addresses and names are said; a release with nothing left to publish
    // says so plainly.
    ok(&site.build("2026-05-01"));
    let err = ok(&site.banso(&[
        "release",
        "--content",
        "content",
        "--output",
        "out",
        "--at",
        "2026-06-01T10:00",
        "--verbose",
    ]));
    assert!(
        err.contains("    /municipalities/473821/\n") && err.contains("沖縄県: 第1期チーム3 与那国町"),
        "{err}"
    );
    let err = ok(&site.banso(&[
        "release",
        "--content",
        "content",
        "--output",
        "out",
        "--at",
        "2026-06-01T10:00",
    ]));
    assert!(
        err.contains("公表で変わるものはなかったため、出力の中身はそのままです"),
        "{err}"
    );
    assert!(err.contains("  公表されるもの: 期 0・チーム 0・支援官 0名"), "{err}");

    // An output that is not the site of its as-of any more (content edited since) is said to be.
    ok(&site.build("2026-05-01"));
    site.replace(
        "pages/about.md",
        "試験用の説明ページです。",
        "試験用の説明ページです（後で直しました）。",
    );
    let err = ok(&site.banso(&[
        "release",
        "--content",
        "content",
        "--output",
        "out",
        "--at",
        "2026-06-01T10:00",
    ]));
    assert!(err.contains("今の内容で作るその時刻のサイトとは違います"), "{err}");
}

/// `release` and `diff` use the theme and address they are given, as `build` does: a site built
/// with `--theme` is not swapped at release time for one with the default look.
#[test]
fn release_and_diff_use_the_given_theme_and_address() {
    let site = Site::fixture("embargo");
    let theme = site.dir.path().join("theme");
    let default = Path::new(crate::common::REPO).join("themes/default");
    crate::common::copy_dir(&default, &theme);
    let base = std::fs::read_to_string(theme.join("templates/base.html")).unwrap();
    std::fs::write(
        theme.join("templates/base.html"),
        base.replace("</body>", "<p>THEME-MARK</p></body>"),
    )
    .unwrap();
    let theme_arg = theme.to_str().unwrap();
    let other = "https://other.example.invalid/banso/";
    ok(&site.build_with("2026-05-01", &["--theme", theme_arg, "--base-url", other]));
    ok(&site.banso(&[
        "release",
        "--content",
        "content",
        "--output",
        "out",
        "--at",
        "2026-06-01T10:00",
        "--theme",
        theme_arg,
        "--base-url",
        other,
    ]));
    let index = std::fs::read_to_string(site.out().join("index.html")).unwrap();
    assert!(index.contains("THEME-MARK"), "the release kept the theme");
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("https://other.example.invalid/banso/municipalities/473821/"),
        "{sitemap}"
    );
    let content = site.content();
    let diff = crate::common::stdout(&site.banso(&[
        "diff",
        "--content",
        content.to_str().unwrap(),
        "--from",
        "2026-05-01",
        "--to",
        "2026-06-01T10:00",
        "--base-url",
        other,
        "--full",
    ]));
    assert!(
        diff.contains("https://other.example.invalid/banso/municipalities/473821/"),
        "{diff}"
    );
}
