//! The same inputs the fuzz targets take (see fuzz/), as a property test that runs in CI:
//! any text through front-matter splitting, the YAML reader and the record readers never
//! panics and always reports problems at a position inside the text; any Markdown body is
//! refused with a reason or rendered and minified; any roster is refused or turned into a
//! teams.yaml that reads back as meant.

use banso::load::de::{Lenient, Sink, from_node};
use banso::load::raw::*;
use banso::load::{front_matter, yaml};
use proptest::prelude::*;

/// Text that looks like content files often enough to reach deep into the readers.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "- ",
        "  ",
        "    ",
        ": ",
        "\n",
        "number",
        "municipality",
        "members",
        "ministry",
        "grade",
        "announce",
        "\"013455\"",
        "013455",
        "１２",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "---",
        "#",
        "'",
        "\"",
        "防衛省",
        "補佐級",
        "2026-04-01T10:00",
        "true",
        "~",
        "|",
        ">",
        "\t",
        "\u{feff}",
        "\r\n",
        "\r",
        "!!str ",
        "? ",
    ]);
    prop::collection::vec(token, 0..60).prop_map(|v| v.concat())
}

fn read_all(text: &str) -> Result<(), TestCaseError> {
    let lines = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\r')
        .count() as u32
        + 2;

    match yaml::parse(text) {
        Ok(node) => {
            fn read<T: serde::de::DeserializeOwned>(node: &yaml::Node, lines: u32) -> Result<(), TestCaseError> {
                let sink = Sink::default();
                let _ = from_node::<T>(node, &sink);
                for issue in sink.into_issues() {
                    prop_assert!(issue.pos.line >= 1 && issue.pos.line <= lines, "{:?}", issue);
                    prop_assert!(!issue.message.is_empty());
                }
                Ok(())
            }
            read::<RawSite>(&node, lines)?;
            read::<Vec<Lenient<RawMunicipality>>>(&node, lines)?;
            read::<RawCohort>(&node, lines)?;
            read::<Vec<Lenient<RawTeam>>>(&node, lines)?;
            read::<RawReport>(&node, lines)?;
        }
        Err(e) => prop_assert!(e.pos.line >= 1 && !e.message.is_empty()),
    }
    Ok(())
}

/// Text that looks like Markdown often enough to nest, link and escape.
fn markdownish() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "> ",
        "- ",
        "1. ",
        "* ",
        "_",
        "**",
        "`",
        "```\n",
        "[",
        "]",
        "(",
        ")",
        "![",
        "/reports/1/x/",
        "/assets/a.pdf",
        "javascript:alert(1)",
        "<script>",
        "</div>",
        "| a |",
        "|---|",
        "\n",
        "\n\n",
        "    ",
        "#",
        "[^1]",
        "[^1]: ",
        "~~",
        "\\",
        "&amp;",
        "&#x6A;",
        "本文",
        "\t",
        "\r",
    ]);
    prop::collection::vec(token, 0..120).prop_map(|v| v.concat())
}

/// Roster rows as Excel would export them, with hostile cells among them.
fn rosterish() -> impl Strategy<Value = String> {
    let cell = prop::sample::select(vec![
        "01.北海道森町",
        "02.北海道森町",
        "",
        "総務省",
        "防衛省",
        "公正取引 委員会",
        "補佐級",
        "課長補佐級",
        "山田\t# 太郎",
        "\"a, b\"",
        "\"x\ny\"",
        "\u{1b}[2J",
        "- number: 9",
        "{ a: b }",
        "'",
        "013455",
        "継続",
        "観光;防災",
        ": ",
        "\u{2028}",
        "\"\"\"\"",
    ]);
    let row = prop::collection::vec(cell, 1..7).prop_map(|cells| cells.join(","));
    prop::collection::vec(row, 0..8)
        .prop_map(|rows| format!("市町村名,所属府省庁,役職,氏名,職名,継続\n{}\n", rows.join("\n")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_is_rendered_or_refused_with_a_reason(text in markdownish()) {
        let (body, diags) = banso::model::validate::validate_markdown(&text);
        match body {
            Some(body) => {
                let html = banso::render::markdown::render_markdown(&body, "../", &|_| true);
                prop_assert!(!html.contains("<script"));
            }
            None => prop_assert!(diags.has_errors()),
        }
    }

    #[test]
    fn any_roster_is_refused_or_written_as_yaml_that_reads_back(text in rosterish()) {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::write(c.join("site.yaml"), "title: t\nbase_url: https://x.invalid/\npublisher: p\nlicense: l\n").unwrap();
        std::fs::write(c.join("ministries.yaml"), "- name: 総務省\n- name: 防衛省\n- name: 公正取引委員会\n  aliases: [公正取引 委員会]\n").unwrap();
        std::fs::write(c.join("municipalities.yaml"), "- { code: \"013455\", name: 森町 }\n").unwrap();
        let mut diags = banso::diag::Diagnostics::new();
        let reg = banso::load_registry(c, &mut diags).unwrap();
        if let Ok(y) = banso::import::roster_yaml(text.as_bytes(), std::path::Path::new("r.csv"), &reg) {
            prop_assert!(yaml::parse(&y).is_ok(), "{}", y);
        }
    }

    #[test]
    fn any_text_is_read_or_reported(text in yamlish()) {
        read_all(&text)?;
    }

    #[test]
    fn arbitrary_unicode_is_read_or_reported(text in "\\PC{0,200}") {
        read_all(&text)?;
    }

    #[test]
    fn front_matter_splitting_never_panics(text in prop_oneof![Just("---\n".to_string()), yamlish()].prop_flat_map(|head| yamlish().prop_map(move |t| format!("{head}{t}")))) {
        if let Ok(split) = front_matter::split(&text) {
            prop_assert!(text.ends_with(split.body));
            read_all(split.yaml)?;
        }
    }
}
