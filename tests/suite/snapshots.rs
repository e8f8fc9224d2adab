//! Reviewed snapshots (insta) of what a reader sees: the `<main>` of every page kind of the basic
//! fixture, the whole `check` output of a broken copy of it, and `holdback --format json`.
//! A change to any of them shows as a diff to review; accept it with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test snapshots`) only after reading it.

use crate::common::{Site, ok, stderr, stdout};
use scraper::Selector;

const AS_OF: &str = "2026-11-23";

/// Block-level tags start a new line, and containers end on one, so a snapshot diff shows
/// which part of a page changed.
const BLOCKS: [&str; 12] = [
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "li",
    "dt",
    "dd",
    "th",
    "td",
    "svg",
];
const CONTAINERS: [&str; 17] = [
    "main", "section", "article", "aside", "nav", "header", "footer", "div", "figure", "ul", "ol", "dl", "table",
    "thead", "tbody", "tr", "form",
];

fn laid_out(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let closing = rest[1..].starts_with('/');
        let name: String = rest[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let breaks = CONTAINERS.contains(&name.as_str()) || (!closing && BLOCKS.contains(&name.as_str()));
        if breaks && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('<');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

fn main_of(site: &Site, page: &str) -> String {
    let page = site.page(page);
    let main = Selector::parse("main").unwrap();
    let html: Vec<String> = page.html.select(&main).map(|m| m.html()).collect();
    assert_eq!(html.len(), 1, "one <main>");
    laid_out(&html[0])
}

#[test]
fn the_main_of_every_page_kind() {
    let site = Site::fixture("basic");
    ok(&site.build(AS_OF));
    for (name, page) in [
        ("top", "index.html"),
        ("page", "about/index.html"),
        ("cohorts", "cohorts/index.html"),
        ("cohort", "cohorts/1/index.html"),
        ("teams", "cohorts/1/teams/index.html"),
        ("prefectures", "prefectures/index.html"),
        ("prefecture", "prefectures/hokkaido/index.html"),
        ("prefecture-empty", "prefectures/tokyo/index.html"),
        ("municipality", "municipalities/013455/index.html"),
        ("reports", "reports/index.html"),
        ("report", "reports/1/mori-interim/index.html"),
        ("themes", "themes/index.html"),
        ("theme", "themes/03/index.html"),
        ("data", "data/index.html"),
        ("ministries", "ministries/index.html"),
        ("ministry", "ministries/soumu/index.html"),
        ("search", "search/index.html"),
        ("not-found", "404.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&site, page));
    }
}

#[test]
fn the_whole_check_output_of_a_broken_site() {
    let site = Site::fixture("basic");
    site.replace(
        "site.yaml",
        "min_group_size: 10",
        "min_group_size: 10\nlicence: 政府標準利用規約",
    );
    site.replace(
        "cohorts/1/teams.yaml",
        "ministry: 防衛省\n      grade: 室長級",
        "ministry: 防衛庁\n      grade: 室長級",
    );
    site.replace(
        "cohorts/1/teams.yaml",
        "municipality: \"224618\"",
        "municipality: \"224617\"",
    );
    site.replace("cohorts/1/teams.yaml", "themes: [防災]", "themes: [防犯]");
    site.replace(
        "cohorts/1/reports/mori-interim.md",
        "release: 2026-10-15T10:00:00+09:00",
        "release: 2026-10-15T25:00",
    );
    let o = site.check(AS_OF);
    assert_eq!(o.status.code(), Some(1), "errors: exit 1");
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn holdback_as_json() {
    let site = Site::fixture("embargo");
    let o = site.holdback("2026-05-01", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&o));
}
