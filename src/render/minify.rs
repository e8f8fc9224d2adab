//! 縮小 — `build --minify` (or site.yaml `minify: true`): the pages, stylesheets and scripts of
//! a finished [`Plan`] without the whitespace, quotes, optional tags and comments a browser does
//! not need.
//!
//! Pipeline position: the last step of `render`, after the search index was made from the pages
//! as rendered (Pagefind reads `<main data-pagefind-body>`, `</head>`; a minified page may drop
//! quotes and end tags), so the index is the same byte for byte with and without it.
//!
//! - `*.html`: minify-html, with its inline `<style>` (lightningcss) and `<script>` (oxc)
//!   minified too, under the settings that keep a page valid HTML ([`html_cfg`]).
//! - `*.css`: lightningcss, the minifier minify-html itself uses.
//! - `*.js`, `*.mjs`: oxc (parse, compress with its safest settings, mangle local names only,
//!   print), as minify-html does for inline scripts.
//!
//! Left as they are: Pagefind's bundle (`pagefind/`: its own files, already compact, and the
//! index), SVG, XML (feed, sitemap), JSON, CSV and content/assets/ (copied, never read).
//! Every file is minified on its own, in parallel; the output depends only on its input, never
//! on the number of threads.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Blob, Plan, RenderError, search};

/// What a file is minified as, from its name; `None`: left as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Css,
    Js,
    Module,
}

fn kind(path: &str) -> Option<Kind> {
    if path.starts_with(search::BUNDLE_DIR) {
        return None;
    }
    let ext = path.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "html" => Some(Kind::Html),
        "css" => Some(Kind::Css),
        "js" => Some(Kind::Js),
        "mjs" => Some(Kind::Module),
        _ => None,
    }
}

/// Minify every page, stylesheet and script of `plan` in place. A file that cannot be minified
/// (a stylesheet or script that does not parse) is an error naming it, and the plan is then
/// not written.
pub fn minify_plan(plan: &mut Plan) -> Result<(), RenderError> {
    let mut work: Vec<(&String, Kind, &mut Arc<Vec<u8>>)> = plan
        .files
        .iter_mut()
        .filter_map(|(path, blob)| match blob {
            Blob::Bytes(bytes) => kind(path).map(|k| (path, k, bytes)),
            Blob::Copy(_) => None,
        })
        .collect();
    work.par_iter_mut().try_for_each(|(path, kind, bytes)| {
        let min = minify_file(*kind, bytes).map_err(|message| RenderError::Minify {
            path: path.to_string(),
            message,
        })?;
        **bytes = Arc::new(min);
        Ok(())
    })
}

/// One file's minified bytes, or why it could not be minified.
fn minify_file(kind: Kind, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("UTF-8 ではありません（{e}）"))?;
    // The minifiers are other people's code: a panic in one of them becomes an error naming the
    // file rather than the end of the build.
    catch_unwind(AssertUnwindSafe(|| match kind {
        Kind::Html => Ok(minify_html::minify(bytes, &html_cfg())),
        Kind::Css => minify_css(text).map(String::into_bytes),
        Kind::Js => minify_js(text, false).map(String::into_bytes),
        Kind::Module => minify_js(text, true).map(String::into_bytes),
    }))
    .unwrap_or_else(|_| Err("縮小の途中で処理が止まりました".to_string()))
}

/// minify-html's settings: everything its authors call spec-compliant, nothing more.
/// `<!doctype html>` stays as it is (`minify_doctype` would write `<!doctypehtml>`), spaces
/// between attributes stay, unquoted attribute values only where HTML allows them; `<html>`
/// and `<head>` keep their opening tags. End tags that HTML makes optional (`</p>`, `</li>`,
/// `</body>`…) and comments go.
pub(crate) fn html_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    }
}

/// A stylesheet, minified by lightningcss (no browser targets: nothing is rewritten for older
/// browsers, only shortened).
fn minify_css(css: &str) -> Result<String, String> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let mut sheet = StyleSheet::parse(css, ParserOptions::default()).map_err(|e| e.to_string())?;
    sheet.minify(MinifyOptions::default()).map_err(|e| e.to_string())?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|e| e.to_string())?;
    Ok(printed.code)
}

/// A script (`module`: an ES module), minified by oxc: compressed with its safest settings,
/// local names shortened; top-level names are kept, since other scripts and the page may use
/// them.
fn minify_js(js: &str, module: bool) -> Result<String, String> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    let allocator = Allocator::default();
    let source = if module { SourceType::mjs() } else { SourceType::cjs() };
    let parsed = Parser::new(&allocator, js, source).parse();
    if let Some(e) = parsed.errors.first() {
        return Err(format!("JavaScript として読めません: {e}"));
    }
    if parsed.panicked {
        return Err("JavaScript として読めません".to_string());
    }
    let mut program = parsed.program;
    let minified = Minifier::new(MinifierOptions {
        mangle: Some(MangleOptions::default()),
        compress: Some(CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    // The mangled names live in the scoping the minifier returns; comments go.
    let code = Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .with_private_member_mappings(minified.class_private_mappings)
        .build(&program)
        .code;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_stylesheets_and_scripts_are_minified_and_nothing_else() {
        assert_eq!(kind("index.html"), Some(Kind::Html));
        assert_eq!(kind("reports/1/x/index.html"), Some(Kind::Html));
        assert_eq!(kind("static/style.css"), Some(Kind::Css));
        assert_eq!(kind("static/app.js"), Some(Kind::Js));
        assert_eq!(kind("static/app.mjs"), Some(Kind::Module));
        for other in [
            "static/favicon.svg",
            "feed.xml",
            "sitemap.xml",
            "data/summary.json",
            "data/teams.csv",
            "charts/x.svg",
            "pagefind/pagefind.js",
            "pagefind/pagefind-ui.css",
            "pagefind/part-2/pagefind-entry.json",
            "pagefind/fragment/ja_1.pf_fragment",
            "README",
        ] {
            assert_eq!(kind(other), None, "{other}");
        }
    }

    #[test]
    fn a_page_keeps_its_doctype_language_ids_and_search_attributes() {
        let page = concat!(
            "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<title>森町 | 地方創生伴走支援制度</title>\n",
            "<style media=\"print\">\n  a::after { content: \" (\" attr(data-print) \")\"; }\n</style>\n</head>\n",
            "<body>\n<!-- a comment -->\n<main id=\"main\" data-pagefind-body data-pagefind-meta=\"kind:prose\">\n",
            "<h1 id=\"top\">森町チーム</h1>\n<p class=\"lead\">棚田の 保全について。</p>\n",
            "<ul data-pagefind-ignore>\n<li><a href=\"../x/\" data-print=\"https://example.jp/x/\">一</a></li>\n</ul>\n",
            "</main>\n<script>\n  const answer = 40 + 2;\n  document.title = String(answer);\n</script>\n</body>\n</html>\n",
        );
        let min = String::from_utf8(minify_file(Kind::Html, page.as_bytes()).unwrap()).unwrap();
        assert!(min.len() < page.len(), "{min}");
        assert!(min.starts_with("<!doctype html><html lang=ja><head>"), "{min}");
        for kept in [
            "id=main",
            "data-pagefind-body",
            "data-pagefind-meta=kind:prose",
            "data-pagefind-ignore",
            "id=top",
            "<h1 id=top>森町チーム</h1>",
            "棚田の 保全について。",
            "data-print=https://example.jp/x/",
            "<title>森町 | 地方創生伴走支援制度</title>",
        ] {
            assert!(min.contains(kept), "{kept} lost: {min}");
        }
        assert!(!min.contains("a comment"), "{min}");
        // Inline CSS and JS are minified too.
        assert!(min.contains("a:after{content:\" (\" attr(data-print) \")\"}"), "{min}");
        assert!(!min.contains("const answer = 40 + 2"), "{min}");
    }

    #[test]
    fn a_stylesheet_is_minified_and_means_the_same() {
        let css = "/* colours */\n:root {\n  --accent: #ff0000;\n}\n\nmain  p ,  main li {\n  margin: 0px 0px 0px 0px;\n  color: var(--accent);\n}\n@media print {\n  a[data-print]::after { content: \" (\" attr(data-print) \")\"; }\n}\n";
        let min = minify_css(css).unwrap();
        assert_eq!(
            min,
            ":root{--accent:red}main p,main li{color:var(--accent);margin:0}@media print{a[data-print]:after{content:\" (\" attr(data-print) \")\"}}"
        );
    }

    #[test]
    fn a_script_is_minified_and_keeps_its_global_names() {
        let js = "// the filter\nfunction filterTeams(query) {\n  const wanted = query.trim();\n  return wanted.length > 0;\n}\nwindow.filterTeams = filterTeams;\n";
        let min = minify_js(js, false).unwrap();
        assert!(min.len() * 3 < js.len() * 2, "{min}");
        assert!(!min.contains("the filter") && !min.contains('\n'), "{min}");
        assert!(min.contains("function filterTeams("), "{min}");
        assert!(min.contains("window.filterTeams=filterTeams"), "{min}");
        assert!(
            !min.contains("wanted") && !min.contains("query"),
            "local names are shortened: {min}"
        );
        let module = minify_js("import { a } from './a.js';\nexport const b = a + 1;\n", true).unwrap();
        assert!(
            module.contains("from\"./a.js\"") || module.contains("from \"./a.js\""),
            "{module}"
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error_naming_it() {
        let mut plan = Plan::default();
        plan.add("index.html", b"<!doctype html><title>t</title>".to_vec())
            .unwrap();
        plan.add("static/broken.js", b"function (".to_vec()).unwrap();
        let err = minify_plan(&mut plan).unwrap_err().to_string();
        assert!(err.contains("static/broken.js"), "{err}");
        assert!(err.contains("JavaScript として読めません"), "{err}");
    }

    #[test]
    fn the_search_bundle_and_other_files_are_left_as_they_are() {
        let mut plan = Plan::default();
        let js = b"// Pagefind\nconst  x = 1;\n".to_vec();
        plan.add("pagefind/pagefind.js", js.clone()).unwrap();
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <title>t</title>\n</svg>\n".to_vec();
        plan.add("charts/a.svg", svg.clone()).unwrap();
        plan.add("index.html", b"<!DOCTYPE html>\n<p>  x  </p>\n".to_vec())
            .unwrap();
        minify_plan(&mut plan).unwrap();
        assert_eq!(plan.get("pagefind/pagefind.js"), Some(js.as_slice()));
        assert_eq!(plan.get("charts/a.svg"), Some(svg.as_slice()));
        assert_eq!(plan.get("index.html"), Some(b"<!doctype html><p>x".as_slice()));
    }
}
