//! `build --minify` and site.yaml `minify: true`: smaller pages, stylesheets and scripts that
//! say and link the same, the same search index byte for byte, nothing else touched, and
//! nothing minified unless asked.

use std::collections::BTreeMap;
use std::path::Path;

use scraper::{Html, Selector};

use crate::common::{Page, Site, copy_dir, ok, stderr, tree};

const AS_OF: &str = "2030-01-01";

/// The site built into `dir/<name>` with `extra` arguments; its files.
fn built(site: &Site, name: &str, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    built_env(site, name, extra, &[])
}

fn built_env(site: &Site, name: &str, extra: &[&str], env: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let out = site.dir.path().join(name);
    let mut args = vec!["--quiet"];
    args.extend(extra);
    ok(&site.build_into_with(&out, AS_OF, &args, env));
    tree(&out)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn page(bytes: &[u8]) -> Page {
    let source = text(bytes);
    Page {
        html: Html::parse_document(&source),
        source,
    }
}

/// What a reader and the site's scripts rely on in a page, as the browser parses it: its
/// language, title, the visible text of its regions, every id, link, image source and
/// `data-` attribute (Pagefind's among them), and the JSON data of its scripts.
fn what_a_page_holds(p: &Page) -> Vec<(String, Vec<String>)> {
    let mut held = vec![
        ("lang".into(), p.attrs("html", "lang")),
        ("title".into(), p.texts("title")),
    ];
    for region in ["header", "nav", "main", "footer", "h1", "h2", "table", "figure"] {
        held.push((region.into(), visible_texts(p, region)));
    }
    for attr in ["id", "href", "src", "class", "aria-label"] {
        held.push((attr.into(), p.attrs(&format!("[{attr}]"), attr)));
    }
    // minify-html writes the viewport's list without spaces (`width=device-width,initial-scale=1`),
    // as browsers read it either way.
    held.push(("content".into(), p.attrs("[content]:not([name=viewport])", "content")));
    let viewport = p.attrs("meta[name=viewport]", "content");
    held.push(("viewport".into(), viewport.iter().map(|v| v.replace(' ', "")).collect()));
    let all = Selector::parse("*").unwrap();
    let data: Vec<String> = p
        .html
        .select(&all)
        .flat_map(|e| {
            e.value()
                .attrs()
                .filter(|(name, _)| name.starts_with("data-"))
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
        })
        .collect();
    held.push(("data-*".into(), data));
    let json = Selector::parse("script[type=\"application/json\"]").unwrap();
    let scripts = p
        .html
        .select(&json)
        .map(|s| {
            serde_json::from_str::<serde_json::Value>(&s.text().collect::<String>())
                .unwrap()
                .to_string()
        })
        .collect();
    held.push(("json".into(), scripts));
    held.push(("noscript".into(), noscripts(p)));
    held
}

/// The text of every element matching `css`, whitespace collapsed, without the code of its
/// scripts and styles (minified on purpose) and `<noscript>` (compared as parsed, see
/// [`noscripts`]).
fn visible_texts(p: &Page, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    p.html
        .select(&sel)
        .map(|e| {
            let words: Vec<&str> = e
                .descendants()
                .filter(|n| {
                    let parent = n.parent().and_then(|p| p.value().as_element().map(|e| e.name()));
                    !matches!(parent, Some("script" | "style" | "noscript"))
                })
                .filter_map(|n| n.value().as_text().map(|t| &**t))
                .collect();
            words.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// What each `<noscript>` shows a browser without scripts: its markup parsed (a parser with
/// scripting on, as scraper's, reads it as text), its text and links.
fn noscripts(p: &Page) -> Vec<String> {
    let sel = Selector::parse("noscript").unwrap();
    let links = Selector::parse("[href]").unwrap();
    p.html
        .select(&sel)
        .map(|e| {
            let inner = Html::parse_fragment(&e.text().collect::<String>());
            let text: Vec<&str> = inner.root_element().text().collect();
            let hrefs: Vec<&str> = inner.select(&links).filter_map(|a| a.value().attr("href")).collect();
            format!(
                "{} {hrefs:?}",
                text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect()
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html")
}

fn minified_kind(path: &str) -> bool {
    !path.starts_with("pagefind/") && (is_html(path) || path.ends_with(".css") || path.ends_with(".js"))
}

#[test]
fn minify_makes_every_page_smaller_and_keeps_what_it_says_and_links() {
    let site = Site::fixture("embargo");
    let plain = built(&site, "plain", &[]);
    let min = built(&site, "min", &["--minify"]);
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        min.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let pages: Vec<&String> = plain.keys().filter(|p| is_html(p)).collect();
    assert!(pages.len() > 50, "{} pages", pages.len());
    let (mut before, mut after) = (0, 0);
    for path in pages {
        let (a, b) = (&plain[path], &min[path]);
        assert!(b.len() < a.len(), "{path} is not smaller: {} → {}", a.len(), b.len());
        (before, after) = (before + a.len(), after + b.len());
        let (pa, pb) = (page(a), page(b));
        assert!(
            pb.source.starts_with("<!doctype html><html lang=ja><head>"),
            "{path}: {}",
            &pb.source[..80]
        );
        for ((what, x), (_, y)) in what_a_page_holds(&pa).into_iter().zip(what_a_page_holds(&pb)) {
            assert_eq!(x, y, "{path}: {what} differs once minified");
        }
    }
    // The fixture's pages are compact already (templates are compacted at theme load), so
    // the gain is modest; a sign that minifying happened rather than a figure to keep.
    assert!(after * 100 < before * 95, "HTML {before} → {after} bytes");
}

#[test]
fn minify_shortens_the_stylesheet_and_the_scripts_and_they_still_parse() {
    let site = Site::fixture("embargo");
    let plain = built(&site, "plain", &[]);
    let min = built(&site, "min", &["--minify"]);
    let css = "static/style.css";
    assert!(
        min[css].len() * 100 < plain[css].len() * 85,
        "{} → {}",
        plain[css].len(),
        min[css].len()
    );
    let sheet = text(&min[css]);
    lightningcss::stylesheet::StyleSheet::parse(&sheet, lightningcss::stylesheet::ParserOptions::default())
        .unwrap_or_else(|e| panic!("the minified stylesheet does not parse: {e}"));
    assert!(!sheet.contains("\n  "), "no indentation left");
    // Every inline script of every page parses once minified, and the search page's and the
    // team list's scripts (the long ones) got shorter.
    let scripts = Selector::parse("script:not([type])").unwrap();
    let inline = |files: &BTreeMap<String, Vec<u8>>, path: &str| -> Vec<String> {
        page(&files[path])
            .html
            .select(&scripts)
            .map(|s| s.text().collect::<String>())
            .filter(|s| !s.trim().is_empty())
            .collect()
    };
    let mut parsed = 0;
    for path in min.keys().filter(|p| is_html(p)) {
        for js in inline(&min, path) {
            let alloc = oxc_allocator::Allocator::default();
            let ret = oxc_parser::Parser::new(&alloc, &js, oxc_span::SourceType::cjs()).parse();
            assert!(ret.errors.is_empty(), "{path}: a script that does not parse: {js}");
            parsed += 1;
        }
    }
    assert!(parsed > 3, "{parsed} scripts");
    for path in ["search/index.html", "cohorts/1/teams/index.html"] {
        let (a, b) = (inline(&plain, path), inline(&min, path));
        assert_eq!(a.len(), b.len(), "{path}");
        let (a, b): (usize, usize) = (a.iter().map(String::len).sum(), b.iter().map(String::len).sum());
        // minify-html minifies inline scripts without shortening names: less than a file's.
        assert!(b * 100 < a * 90, "{path}: scripts {a} → {b} bytes");
    }
}

#[test]
fn the_search_index_and_other_files_are_the_same_byte_for_byte() {
    let site = Site::fixture("embargo");
    let plain = built(&site, "plain", &[]);
    let min = built(&site, "min", &["--minify"]);
    let index: Vec<&String> = plain.keys().filter(|p| p.starts_with("pagefind/")).collect();
    assert!(index.iter().any(|p| p.ends_with("pagefind-entry.json")), "{index:?}");
    let mut untouched = 0;
    for (path, bytes) in &plain {
        if !minified_kind(path) {
            assert!(min[path] == *bytes, "{path} changed with --minify");
            untouched += 1;
        }
    }
    assert!(untouched > index.len() + 10, "{untouched} files compared");
    // The search finds the same words: the index is made from the pages as rendered.
    assert!(index.iter().all(|p| min[*p] == plain[*p]));
}

#[test]
fn nothing_is_minified_by_default() {
    let site = Site::fixture("embargo");
    let plain = built(&site, "plain", &[]);
    let index = text(&plain["index.html"]);
    assert!(
        index.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"),
        "{}",
        &index[..60]
    );
    let css = text(&plain["static/style.css"]);
    assert_eq!(
        css,
        std::fs::read_to_string(Path::new(crate::common::REPO).join("themes/default/static/style.css")).unwrap()
    );
    // site.yaml `minify: false` is the default written out.
    site.write("site.yaml", &format!("{}minify: false\n", site.read("site.yaml")));
    assert!(built(&site, "false", &[]) == plain);
}

#[test]
fn site_yaml_minify_true_builds_what_the_flag_builds() {
    let site = Site::fixture("embargo");
    let flag = built(&site, "flag", &["--minify"]);
    site.write("site.yaml", &format!("{}minify: true\n", site.read("site.yaml")));
    let yaml = built(&site, "yaml", &[]);
    assert!(flag == yaml, "site.yaml minify: true differs from --minify");
    assert!(text(&yaml["index.html"]).starts_with("<!doctype html><html lang=ja>"));
    // Both together are the same again.
    assert!(built(&site, "both", &["--minify"]) == flag);
}

#[test]
fn a_minify_value_that_is_not_a_boolean_is_an_error_at_its_place() {
    let site = Site::fixture("embargo");
    site.write("site.yaml", &format!("{}minify: yes please\n", site.read("site.yaml")));
    let o = site.check(AS_OF);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("site.yaml:7:"), "{}", stderr(&o));
}

#[test]
fn a_minified_build_is_the_same_whatever_the_number_of_threads() {
    let site = Site::fixture("embargo");
    let one = built_env(&site, "one", &["--minify"], &[("RAYON_NUM_THREADS", "1")]);
    let eight = built_env(&site, "eight", &["--minify"], &[("RAYON_NUM_THREADS", "8")]);
    assert!(one.len() > 100);
    assert!(one == eight, "one thread and eight give other files");
}

#[test]
fn a_theme_script_that_does_not_parse_stops_the_build_naming_it_and_writes_nothing() {
    let site = Site::fixture("embargo");
    let theme = site.dir.path().join("theme");
    copy_dir(&Path::new(crate::common::REPO).join("themes/default"), &theme);
    std::fs::write(
        theme.join("static/menu.js"),
        "document.addEventListener('click', function (e) {\n",
    )
    .unwrap();
    let theme_arg = theme.to_str().unwrap();
    // Without --minify the file is copied as it is.
    ok(&site.build_with(AS_OF, &["--theme", theme_arg]));
    let before = site.output_tree();
    assert!(before.contains_key("static/menu.js"));
    let o = site.build_with(AS_OF, &["--theme", theme_arg, "--minify"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("static/menu.js を縮小できません"), "{err}");
    assert!(site.output_tree() == before, "the previous site is left as it was");
    // A script that parses is minified, and keeps its global names.
    std::fs::write(
        theme.join("static/menu.js"),
        "function toggleMenu(button) {\n  var menu = document.getElementById('menu');\n  menu.hidden = !menu.hidden;\n}\n",
    )
    .unwrap();
    ok(&site.build_with(AS_OF, &["--theme", theme_arg, "--minify"]));
    let js = site.output_text("static/menu.js");
    assert!(js.starts_with("function toggleMenu("), "{js}");
    assert!(!js.contains("\n  "), "{js}");
}

#[test]
fn release_minifies_when_site_yaml_says_so() {
    let site = Site::fixture("embargo");
    site.write("site.yaml", &format!("{}minify: true\n", site.read("site.yaml")));
    let at = "2026-06-01T10:00";
    ok(&site.build_with("2026-05-01", &[]));
    ok(&site.banso(&["release", "--content", "content", "--output", "out", "--at", at]));
    let released = site.output_tree();
    assert!(text(&released["index.html"]).starts_with("<!doctype html><html lang=ja>"));
    let out = site.dir.path().join("built");
    ok(&site.build_into(&out, at, &[]));
    let changed = crate::common::tree_changes(&tree(&out), &released);
    assert!(
        changed.iter().all(Vec::is_empty),
        "release and build differ: {changed:?}"
    );
}
