//! Unit tests of `write`: replacing, refusing, and what is left when writing or swapping fails.

use super::stage::{exchange, swap_in};
use super::*;

/// The as-of these sites are written at.
fn at() -> Instant {
    Instant::parse("2026-11-23T10:00").unwrap()
}

fn plan(files: &[(&str, &str)]) -> Plan {
    let mut p = Plan::default();
    for (k, v) in files {
        p.add(*k, v.as_bytes().to_vec()).unwrap();
    }
    p
}

/// Write `files` as the public site into `out` (`public` is the default public folder).
fn publish(files: &[(&str, &str)], out: &Path, public: &Path) -> Result<Written, OutputError> {
    write_plan(&plan(files), out, OutputKind::Public, public, at())
}

#[test]
fn writes_then_replaces_removing_stale_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let public = tmp.path().join("output");
    publish(&[("index.html", "1"), ("old/index.html", "x")], &out, &public).unwrap();
    let written = publish(&[("index.html", "2"), ("a.css", "abc")], &out, &public).unwrap();
    assert_eq!((written.files, written.bytes), (2, 4), "two files of 1 and 3 bytes");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
    assert!(!out.join("old").exists());
    assert!(out.join(MARKER).exists());
    assert_eq!(
        names(tmp.path()),
        ["out"],
        "no staging or old trees left behind, only the lock file beside the output"
    );
    assert!(tmp.path().join(".out.banso-lock").exists() && !out.join(".out.banso-lock").exists());
}

#[test]
fn only_leftovers_of_this_output_from_builds_that_are_gone_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let gone = 4_000_000_000u32; // above any process id Linux hands out (at most 2^22)
    // Process 1 is always running: its staging tree is a build in progress and stays. So does a
    // tree named by this process's own id (a release keeps its last good staging while it
    // stages again). Trees of older versions (no nonce) and of this one (with one) both count.
    for dir in [
        format!(".out.banso-staging-{gone}"),
        format!(".out.banso-staging-{gone}-0a1b2c3d4e5f6a7b"),
        format!(".out.banso-old-{gone}"),
        format!(".out.banso-staging-{}-0a1b2c3d4e5f6a7b", std::process::id()),
        ".out.banso-staging-1".to_string(),
        format!(".other.banso-staging-{gone}"),
        format!("notes-{gone}"),
        "photos-1".to_string(),
    ] {
        fs::create_dir(tmp.path().join(&dir)).unwrap();
    }
    publish(&[("index.html", "1")], &out, &tmp.path().join("output")).unwrap();
    assert_eq!(
        names(tmp.path()),
        [
            format!(".other.banso-staging-{gone}"),
            ".out.banso-staging-1".into(),
            format!(".out.banso-staging-{}-0a1b2c3d4e5f6a7b", std::process::id()),
            format!("notes-{gone}"),
            "out".into(),
            "photos-1".into()
        ],
        "this output's leftovers are gone; a running build's, another output's and the user's folders stay"
    );
}

#[test]
fn refuses_a_directory_banso_did_not_create() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    fs::create_dir(&home).unwrap();
    fs::write(home.join("diary.txt"), "大事").unwrap();
    let err = publish(&[("index.html", "1")], &home, &tmp.path().join("output")).unwrap_err();
    assert!(matches!(err, OutputError::Refused { .. }), "{err}");
    assert_eq!(fs::read_to_string(home.join("diary.txt")).unwrap(), "大事");
}

#[test]
fn empty_directory_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("empty");
    fs::create_dir(&out).unwrap();
    publish(&[("index.html", "1")], &out, &tmp.path().join("output")).unwrap();
    assert!(out.join("index.html").exists());
}

#[test]
fn preview_refuses_anywhere_inside_or_around_a_public_build() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("output");
    publish(&[("index.html", "public")], &public, &public).unwrap();
    let elsewhere = tmp.path().join("site");
    publish(&[("index.html", "public")], &elsewhere, &public).unwrap();
    let before = fs::read_dir(tmp.path()).unwrap().count();
    for target in [
        public.join("preview"),
        public.join("a/b/preview"),
        elsewhere.join("preview"),
        tmp.path().to_path_buf(),
    ] {
        let err = write_plan(
            &plan(&[("index.html", "HOLD")]),
            &target,
            OutputKind::Preview,
            &public,
            at(),
        )
        .unwrap_err();
        assert!(
            matches!(err, OutputError::PreviewIntoPublic(_)),
            "{}: {err}",
            target.display()
        );
    }
    assert!(!public.join("preview").exists() && !elsewhere.join("preview").exists());
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        before,
        "no staging folder anywhere"
    );
    assert_eq!(
        fs::read_dir(&public).unwrap().count(),
        2,
        "index.html and the marker only"
    );

    // A preview folder that holds a public build inside it is refused too.
    let preview = tmp.path().join("preview");
    write_plan(
        &plan(&[("index.html", "p")]),
        &preview,
        OutputKind::Preview,
        &public,
        at(),
    )
    .unwrap();
    publish(&[("index.html", "pub")], &preview.join("pub"), &public).unwrap();
    let err = write_plan(
        &plan(&[("index.html", "p2")]),
        &preview,
        OutputKind::Preview,
        &public,
        at(),
    )
    .unwrap_err();
    assert!(matches!(err, OutputError::PreviewIntoPublic(_)), "{err}");
    // Elsewhere a preview is fine, and so is the next preview into the same folder: a preview's
    // marker is not a public build's.
    let other = tmp.path().join("other");
    for text in ["p", "p2"] {
        write_plan(
            &plan(&[("index.html", text)]),
            &other,
            OutputKind::Preview,
            &public,
            at(),
        )
        .unwrap();
    }
    assert_eq!(fs::read_to_string(other.join("index.html")).unwrap(), "p2");
    assert!(
        fs::read_to_string(other.join(MARKER))
            .unwrap()
            .starts_with("banso output: preview\nas-of: 2026-11-23T10:00:00+09:00\n")
    );
    assert!(
        fs::read_to_string(public.join(MARKER))
            .unwrap()
            .starts_with("banso output: public\n")
    );
}

#[test]
fn preview_refuses_the_public_default_before_any_public_build() {
    // No public build yet, so no marker anywhere: the public default itself, a folder inside it
    // and a folder holding it are still refused, and nothing is created.
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("site/output");
    for target in [public.clone(), public.join("preview"), tmp.path().join("site")] {
        let err = write_plan(
            &plan(&[("index.html", "HOLD")]),
            &target,
            OutputKind::Preview,
            &public,
            at(),
        )
        .unwrap_err();
        assert!(
            matches!(err, OutputError::PreviewIntoPublic(_)),
            "{}: {err}",
            target.display()
        );
    }
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn a_target_that_cannot_be_inspected_is_an_error_before_rendering() {
    // Under a regular file, a path's metadata fails with something other than "not found":
    // the build is stopped at the check, not after the whole site has been rendered.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file.txt");
    fs::write(&file, "x").unwrap();
    let target = file.join("output");
    let err = check_target(&target, OutputKind::Public, &tmp.path().join("output")).unwrap_err();
    assert!(matches!(err, OutputError::Io { .. }), "{err}");
}

#[test]
fn preview_refuses_the_public_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("output");
    publish(&[("index.html", "public")], &public, &public).unwrap();
    let err = write_plan(
        &plan(&[("index.html", "preview")]),
        &public,
        OutputKind::Preview,
        &public,
        at(),
    )
    .unwrap_err();
    assert!(matches!(err, OutputError::PreviewIntoPublic(_)));
    let other = tmp.path().join("elsewhere");
    fs::rename(&public, &other).unwrap();
    let err = write_plan(
        &plan(&[("index.html", "preview")]),
        &other,
        OutputKind::Preview,
        &public,
        at(),
    )
    .unwrap_err();
    assert!(
        matches!(err, OutputError::PreviewIntoPublic(_)),
        "a public build elsewhere is refused too"
    );
    assert_eq!(fs::read_to_string(other.join("index.html")).unwrap(), "public");
}

#[test]
fn a_write_that_fails_leaves_the_old_site_and_no_staging_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let public = tmp.path().join("output");
    publish(&[("index.html", "old"), ("a/index.html", "a")], &out, &public).unwrap();
    let mut p = plan(&[("index.html", "new"), ("b/index.html", "b")]);
    // An asset that vanished after validation: the copy fails halfway through writing.
    p.add_blob("assets/x.pdf".into(), Blob::Copy(tmp.path().join("gone.pdf")))
        .unwrap();
    let err = write_plan(&p, &out, OutputKind::Public, &public, at()).unwrap_err();
    assert!(matches!(err, OutputError::Io { .. }), "{err}");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    assert!(out.join("a/index.html").exists() && !out.join("b").exists());
    assert_eq!(names(tmp.path()), ["out"], "no staging tree left behind");
}

/// The entries of `dir` but the outputs' lock files (which stay beside an output).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".banso-lock"))
        .collect();
    v.sort();
    v
}

/// A temporary folder with `out/` (the old site, index.html "old") and a staging tree beside it
/// (index.html "new").
fn old_tree_and_staging() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (out, staging) = (tmp.path().join("out"), tmp.path().join(".out.banso-staging-1"));
    fs::create_dir(&out).unwrap();
    fs::write(out.join("index.html"), "old").unwrap();
    fs::create_dir(&staging).unwrap();
    fs::write(staging.join("index.html"), "new").unwrap();
    (tmp, out, staging)
}

fn no_exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::other("atomic exchange is not available"))
}

#[test]
fn without_an_atomic_exchange_the_old_tree_is_moved_aside_and_removed() {
    // The path taken on systems without renameat2(RENAME_EXCHANGE).
    let (tmp, out, staging) = old_tree_and_staging();
    let old = swap_in(&staging, &out, tmp.path(), "out", no_exchange)
        .unwrap()
        .unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    assert_eq!(
        fs::read_to_string(old.join("index.html")).unwrap(),
        "old",
        "the old tree, to count what changed"
    );
    fs::remove_dir_all(old).unwrap();
    assert_eq!(names(tmp.path()), ["out"], "neither staging nor the old tree is left");
}

#[test]
fn without_an_exchange_a_failed_move_puts_the_old_tree_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("index.html"), "old").unwrap();
    // The staging tree is gone (as if removed from under the build): moving it in fails.
    let staging = tmp.path().join(".out.banso-staging-1");
    let err = swap_in(&staging, &out, tmp.path(), "out", no_exchange).unwrap_err();
    assert!(matches!(err, OutputError::Io { .. }), "{err}");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    assert_eq!(names(tmp.path()), ["out"]);
}

#[test]
fn with_the_exchange_the_previous_tree_is_removed() {
    let (tmp, out, staging) = old_tree_and_staging();
    let swapped = std::cell::Cell::new(false);
    let exchange_spy = |a: &Path, b: &Path| {
        swapped.set(true);
        exchange(a, b)
    };
    let old = swap_in(&staging, &out, tmp.path(), "out", exchange_spy)
        .unwrap()
        .unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    assert_eq!(fs::read_to_string(old.join("index.html")).unwrap(), "old");
    fs::remove_dir_all(old).unwrap();
    assert_eq!(names(tmp.path()), ["out"]);
    assert!(swapped.get() || cfg!(not(target_os = "linux")));
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

#[test]
#[cfg(unix)]
fn a_file_the_output_already_holds_is_linked_and_any_other_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, public) = (tmp.path().join("out"), tmp.path().join("output"));
    let asset = tmp.path().join("slides.pdf");
    fs::write(&asset, "%PDF-1").unwrap();
    let with_asset = |files: &[(&str, &str)]| {
        let mut p = plan(files);
        p.add_blob("assets/slides.pdf".into(), Blob::Copy(asset.clone()))
            .unwrap();
        p
    };
    let first = with_asset(&[("same.html", "same"), ("sized.html", "aaaa"), ("grown.html", "a")]);
    write_plan(&first, &out, OutputKind::Public, &public, at()).unwrap();
    let before: Vec<u64> = ["same.html", "sized.html", "grown.html", "assets/slides.pdf"]
        .iter()
        .map(|f| inode(&out.join(f)))
        .collect();
    // Same bytes; same size with other bytes; another size; a copied file unchanged; one new.
    let second = with_asset(&[
        ("same.html", "same"),
        ("sized.html", "bbbb"),
        ("grown.html", "ab"),
        ("new.html", "n"),
    ]);
    let written = write_plan(&second, &out, OutputKind::Public, &public, at()).unwrap();
    assert_eq!(inode(&out.join("same.html")), before[0], "linked from the old output");
    assert_eq!(inode(&out.join("assets/slides.pdf")), before[3], "a copied file too");
    assert_ne!(inode(&out.join("sized.html")), before[1]);
    assert_eq!(fs::read_to_string(out.join("sized.html")).unwrap(), "bbbb");
    assert_eq!(fs::read_to_string(out.join("grown.html")).unwrap(), "ab");
    assert!(holds(&out, &second, |_| false), "the output is exactly the plan");
    assert_eq!(written.changes.added, ["new.html"]);
    assert_eq!(written.changes.changed, ["grown.html", "sized.html"]);
    assert!(written.changes.removed.is_empty());
    assert_eq!(
        changes(&second, &out),
        Changes::default(),
        "compared with itself, nothing changed"
    );
}

#[cfg(unix)]
#[test]
fn files_added_after_staging_are_linked_written_and_counted_like_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, public) = (tmp.path().join("out"), tmp.path().join("output"));
    let first = plan(&[
        ("a.html", "a"),
        ("idx/same.bin", "s"),
        ("idx/old.bin", "o"),
        ("z.html", "z"),
    ]);
    write_plan(&first, &out, OutputKind::Public, &public, at()).unwrap();
    let same = inode(&out.join("idx/same.bin"));
    // The pages are staged first (idx/ among their folders); the index files, sorted between
    // them, come afterwards: one into a folder staging made, one into a new one.
    let mut second = plan(&[("a.html", "a2"), ("idx/page.html", "p"), ("z.html", "z")]);
    let claim = claim(&out, OutputKind::Public, &public).unwrap();
    let mut staged = stage(&second, &claim, at(), true).unwrap();
    let later = ["idx/same.bin", "idx/new/deep.bin"];
    second.add(later[0], b"s".to_vec()).unwrap();
    second.add(later[1], b"n".to_vec()).unwrap();
    staged.add(&second, &later.map(String::from)).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(staged.dir()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0, "closed again until the swap");
    }
    let written = staged.swap_in(&second).unwrap();
    assert!(holds(&out, &second, |_| false), "the output is exactly the whole plan");
    assert_eq!(
        inode(&out.join("idx/same.bin")),
        same,
        "an unchanged added file is linked"
    );
    assert_eq!(written.files, 5);
    assert_eq!(written.bytes, "a2pszn".len() as u64);
    assert_eq!(written.changes.added, ["idx/new/deep.bin", "idx/page.html"]);
    assert_eq!(written.changes.changed, ["a.html"]);
    assert_eq!(written.changes.removed, ["idx/old.bin"]);
}

#[cfg(unix)]
#[test]
fn an_old_tree_is_removed_without_following_its_links_and_counted_by_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(elsewhere.join("deep")).unwrap();
    fs::write(elsewhere.join("deep/keep.txt"), "kept").unwrap();
    let old = tmp.path().join("old");
    for dir in ["a/b/c", "d"] {
        fs::create_dir_all(old.join(dir)).unwrap();
    }
    for file in ["index.html", "a/x.html", "a/b/c/y.html", "d/z.css", MARKER] {
        fs::write(old.join(file), "x").unwrap();
    }
    std::os::unix::fs::symlink(&elsewhere, old.join("a/linked-dir")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("deep/keep.txt"), old.join("d/linked-file")).unwrap();
    let listed: Vec<String> = files_in(&old).into_iter().collect();
    assert_eq!(listed, ["a/b/c/y.html", "a/x.html", "d/z.css", "index.html"]);
    remove_tree(&old).unwrap();
    assert!(!old.exists());
    assert_eq!(fs::read_to_string(elsewhere.join("deep/keep.txt")).unwrap(), "kept");
    // A link where the tree was is removed itself.
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    remove_tree(&link).unwrap();
    assert!(fs::symlink_metadata(&link).is_err());
    assert_eq!(fs::read_to_string(elsewhere.join("deep/keep.txt")).unwrap(), "kept");
}
