//! 近道 — the search page's navigation entries: the pages a reader asks for by what they are
//! called (「第2期」「オープンデータ」「問い合わせ」), found before Pagefind is asked.
//!
//! The list pages (the cohorts, open data, the prefectures …) are left out of the Pagefind index,
//! so that a word leads to the report or town that holds it rather than to every list naming it;
//! and a cohort's page is buried under the many pages that mention the cohort. Putting those pages
//! back in the index would bring that noise back. Instead the search page carries a short table
//! of the site's navigation pages, made here from the built pages themselves:
//!
//! - which pages: those the site's menus lead to (the menu and the footer, as the renderer made
//!   them for this build), the list of cohorts, and each published cohort's page and team list;
//! - what they are called: each page's own `<title>` (without the site's name) and meta
//!   description, as the page shows them, and for the programme's pages (`kind:prose`) each `h2`
//!   heading with its anchor, so 「お問い合わせ」 leads to the section that says how.
//!
//! Only paths the [`Plan`] holds are read, and the plan is made from the published view, so a
//! held-back cohort, page or heading has no entry, and the table is made of the same words the
//! pages already show: it adds nothing a reader could not read elsewhere on the site. The search
//! page matches a query against these words after folding both (NFKC, 旧字/新字, ヶ/ケ, the
//! spellings of 問い合わせ) and a few words readers use for them (スケジュール → 日程); that
//! small table of general words lives in the page's script and names no record.

use crate::compare::text::decode;
use serde::Serialize;

use super::Plan;

/// One navigation page: where it is and the words it is known by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortcut {
    /// The page's title as its `<title>` gives it, without the site's name.
    pub title: String,
    /// The page's path under the site root (`cohorts/2/`).
    pub url: String,
    /// The page's meta description.
    pub about: String,
    /// The page's `h2` sections (programme pages only): heading and `path#anchor`.
    pub sections: Vec<Section>,
}

/// A heading of a programme page, linked by its anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: String,
    pub url: String,
}

/// The shortcuts for `paths` (page paths such as `data/`), in the given order, each once; a
/// path the plan lacks (not published, or not made by this build) is skipped.
pub fn shortcuts(plan: &Plan, paths: &[String], site_title: &str) -> Vec<Shortcut> {
    let mut out: Vec<Shortcut> = Vec::new();
    for path in paths {
        if out.iter().any(|s| &s.url == path) {
            continue;
        }
        let Some(html) = plan.get(&format!("{path}{}", crate::model::urls::INDEX)) else {
            continue;
        };
        let html = String::from_utf8_lossy(html);
        let Some(title) = between(&html, "<title>", "</title>") else {
            continue;
        };
        let title = decode(title);
        let title = title
            .strip_suffix(site_title)
            .and_then(|t| t.strip_suffix('｜'))
            .unwrap_or(&title)
            .to_string();
        let about = between(&html, "<meta name=\"description\" content=\"", "\"")
            .map(decode)
            .unwrap_or_default();
        let prose = html.contains("data-pagefind-meta=\"kind:prose\"");
        let sections = if prose { sections(&html, path) } else { vec![] };
        out.push(Shortcut {
            title,
            url: path.clone(),
            about,
            sections,
        });
    }
    out
}

/// The table as JSON to sit in a `<script type="application/json">`: `<`, `>` and `&` are
/// written as `\u…` escapes, so no text of a page can close the element.
pub fn to_json(shortcuts: &[Shortcut]) -> String {
    serde_json::to_string(shortcuts)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The `h2` headings with an id inside `<main>`: text without tags, linked as `path#id`.
fn sections(html: &str, path: &str) -> Vec<Section> {
    let Some(start) = html.find("<main") else {
        return vec![];
    };
    let end = html.rfind("</main>").unwrap_or(html.len());
    let mut rest = &html[start..end.max(start)];
    let mut out = Vec::new();
    while let Some(at) = rest.find("<h2 id=\"") {
        rest = &rest[at + "<h2 id=\"".len()..];
        let Some(id_end) = rest.find('"') else { break };
        let id = decode(&rest[..id_end]);
        let Some(open_end) = rest.find('>') else { break };
        let Some(close) = rest.find("</h2>") else { break };
        if close < open_end {
            break;
        }
        let title = decode(&strip_tags(&rest[open_end + 1..close]));
        rest = &rest[close..];
        if !title.trim().is_empty() {
            out.push(Section {
                title: title.trim().to_string(),
                url: format!("{path}#{id}"),
            });
        }
    }
    out
}

fn between<'h>(html: &'h str, open: &str, close: &str) -> Option<&'h str> {
    let start = html.find(open)? + open.len();
    let len = html[start..].find(close)?;
    Some(&html[start..start + len])
}

/// The text of some HTML, its tags dropped (character references left as they are).
pub(super) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = concat!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<title>制度の概要｜サイト &amp; 名</title>\n",
        "<meta name=\"description\" content=\"制度の&quot;しくみ&quot;&#x2F;概要\" data-pagefind-meta=\"summary[content]\">\n",
        "</head>\n<body><h2 id=\"x\">外</h2>\n<main id=\"main\" data-pagefind-body data-pagefind-meta=\"kind:prose\">\n<h1>制度の概要</h1>\n",
        "<h2 id=\"h-お問い合わせ\">お<em>問い合わせ</em></h2>\n<p>電話</p>\n<h2 id=\"h-2\">A &amp; B</h2>\n</main>\n</body>\n</html>\n"
    );

    fn plan() -> Plan {
        let mut plan = Plan::default();
        plan.add("about/index.html", PAGE.as_bytes().to_vec()).unwrap();
        let list = PAGE
            .replace(" data-pagefind-meta=\"kind:prose\"", "")
            .replace("制度の概要｜", "一覧｜");
        plan.add("data/index.html", list.into_bytes()).unwrap();
        plan
    }

    #[test]
    fn a_page_is_known_by_its_title_description_and_headings() {
        let paths = ["about/", "data/", "about/", "cohorts/9/"].map(String::from);
        let got = shortcuts(&plan(), &paths, "サイト & 名");
        assert_eq!(
            got,
            vec![
                Shortcut {
                    title: "制度の概要".into(),
                    url: "about/".into(),
                    about: "制度の\"しくみ\"/概要".into(),
                    sections: vec![
                        Section {
                            title: "お問い合わせ".into(),
                            url: "about/#h-お問い合わせ".into()
                        },
                        Section {
                            title: "A & B".into(),
                            url: "about/#h-2".into()
                        },
                    ],
                },
                Shortcut {
                    title: "一覧".into(),
                    url: "data/".into(),
                    about: "制度の\"しくみ\"/概要".into(),
                    sections: vec![],
                },
            ],
            "each path once, in order; a path the plan lacks has no entry; list pages no sections"
        );
    }

    #[test]
    fn the_json_cannot_close_its_script_element() {
        let s = Shortcut {
            title: "</script><b>&".into(),
            url: "x/".into(),
            about: String::new(),
            sections: vec![],
        };
        let json = to_json(&[s]);
        assert!(
            !json.contains('<') && !json.contains('>') && !json.contains('&'),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0]["title"], "</script><b>&");
    }
}
