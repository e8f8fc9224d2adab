//! `banso release`: the site of a release instant staged ahead of time beside the output and
//! swapped in at that instant, with the old site in place until then and after any failure.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Site, ok, tree};

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
        assert_eq!(mode, 0o700, "only this user can read a site before its time");
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
        err.contains("現れるページ") && err.contains("    /municipalities/473821/\n"),
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
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    assert_eq!(tree(&site.out()), old);
}
