//! Unit tests of `load`: what is read, under which name, and what is refused.

use super::*;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn minimal(root: &Path) {
    write(
        root,
        "site.yaml",
        "title: t\r\nbase_url: https://x.invalid/\r\npublisher: p\r\nlicense: l\r\n",
    );
    write(root, "ministries.yaml", "\u{feff}- name: 総務省\n");
    write(root, "municipalities.yaml", "- { code: \"013455\", name: 森町 }\n");
}

#[test]
fn files_are_read_in_name_order_with_bom_and_crlf_removed_and_dot_files_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    minimal(root);
    for name in ["b", "a", "c"] {
        write(
            root,
            &format!("pages/{name}.md"),
            &format!("---\r\ntitle: {name}\r\n---\r\n本文\r\n"),
        );
    }
    write(root, "pages/.draft.md", "not front matter at all");
    let mut diags = Diagnostics::new();
    let raw = load_content(root, &mut diags).unwrap();
    assert!(!diags.has_errors(), "{}", diags.render());
    let names: Vec<&str> = raw.pages.iter().map(|p| &*p.file).collect();
    assert_eq!(names, ["pages/a.md", "pages/b.md", "pages/c.md"]);
    assert!(raw.pages.iter().all(|p| !p.body.contains('\r')), "CRLF read as LF");
    assert_eq!(
        raw.ministries.unwrap().items.len(),
        1,
        "a BOM is not part of the first key"
    );
}

#[test]
fn stray_files_and_a_missing_required_file_are_reported_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    minimal(root);
    std::fs::remove_file(root.join("municipalities.yaml")).unwrap();
    write(root, "cohorts/1/cohort.yaml", "number: 1\n");
    write(root, "cohorts/1/notes.txt", "x");
    write(root, "cohorts/README", "x");
    let mut diags = Diagnostics::new();
    load_content(root, &mut diags).unwrap();
    let text = diags.render();
    for want in ["municipalities.yaml", "cohorts/1/notes.txt", "cohorts/README"] {
        assert!(text.contains(&format!("--> {want}")), "{want}: {text}");
    }
}

#[cfg(unix)]
#[test]
fn a_markdown_file_outside_content_or_read_under_two_names_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("content");
    minimal(&root);
    write(tmp.path(), "outside.md", "---\ntitle: 外\n---\n外の本文\n");
    write(&root, "pages/real.md", "---\ntitle: 本物\n---\n本文\n");
    std::os::unix::fs::symlink(tmp.path().join("outside.md"), root.join("pages/out.md")).unwrap();
    std::os::unix::fs::symlink(root.join("pages/real.md"), root.join("pages/twin.md")).unwrap();
    let mut diags = Diagnostics::new();
    let raw = load_content(&root, &mut diags).unwrap();
    let text = diags.render();
    assert!(
        text.contains("--> pages/out.md") && text.contains("content/ の外を指す"),
        "{text}"
    );
    assert!(
        text.contains("--> pages/twin.md") && text.contains("pages/real.md と同じファイル"),
        "{text}"
    );
    assert!(
        !text.contains("--> pages/real.md"),
        "the real file is never the one blamed: {text}"
    );
    let names: Vec<&str> = raw.pages.iter().map(|p| &*p.file).collect();
    assert_eq!(names, ["pages/real.md"]);
}

/// A report folder that is itself a link: its files are read under names that are not theirs,
/// so each is refused, though none of them is a link (a folder reached without links has its
/// files checked by the listing alone).
#[cfg(unix)]
#[test]
fn the_files_of_a_linked_folder_are_refused_though_none_is_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("content");
    minimal(&root);
    write(tmp.path(), "elsewhere/a.md", "---\ntitle: 外\n---\n外の本文\n");
    write(&root, "kept/b.md", "---\ntitle: 内\n---\n内の本文\n");
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), root.join("pages")).unwrap();
    let mut diags = Diagnostics::new();
    let raw = load_content(&root, &mut diags).unwrap();
    let text = diags.render();
    assert!(
        text.contains("--> pages/a.md") && text.contains("content/ の外を指す"),
        "{text}"
    );
    assert!(raw.pages.is_empty());

    std::fs::remove_file(root.join("pages")).unwrap();
    std::os::unix::fs::symlink(root.join("kept"), root.join("pages")).unwrap();
    let mut diags = Diagnostics::new();
    let raw = load_content(&root, &mut diags).unwrap();
    let text = diags.render();
    assert!(
        text.contains("--> pages/b.md") && text.contains("kept/b.md と同じファイル"),
        "{text}"
    );
    assert!(raw.pages.is_empty());
}

/// Which of two names for one file is reported must not depend on the order of the parallel
/// walk: the link always, in every order and thread count, with the same words.
#[cfg(unix)]
#[test]
fn two_names_for_one_file_are_reported_the_same_way_whatever_the_read_order() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("content");
    minimal(&root);
    // Links sorted before and after their targets, to a page and to a report folder's file.
    write(&root, "pages/m-real.md", "---\ntitle: 本物\n---\n本文\n");
    std::os::unix::fs::symlink(root.join("pages/m-real.md"), root.join("pages/a-link.md")).unwrap();
    std::os::unix::fs::symlink(root.join("pages/m-real.md"), root.join("pages/z-link.md")).unwrap();
    let mut first = None;
    for threads in [1, 2, 4, 8] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        for _ in 0..10 {
            let mut diags = Diagnostics::new();
            let raw = pool.install(|| load_content(&root, &mut diags)).unwrap();
            let names: Vec<String> = raw.pages.iter().map(|p| p.file.to_string()).collect();
            let text = diags.render();
            assert_eq!(names, ["pages/m-real.md"], "{text}");
            assert!(
                text.contains("--> pages/a-link.md") && text.contains("--> pages/z-link.md"),
                "{text}"
            );
            match &first {
                None => first = Some(text),
                Some(f) => assert_eq!(f, &text, "{threads} threads"),
            }
        }
    }
}

#[test]
fn a_missing_content_directory_is_an_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let mut diags = Diagnostics::new();
    assert!(matches!(
        load_content(&tmp.path().join("nowhere"), &mut diags),
        Err(LoadError::Missing(_))
    ));
}
