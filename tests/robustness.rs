//! The same inputs the fuzz targets take (see fuzz/), as a property test that runs in CI:
//! any text through front-matter splitting, the YAML reader and the record readers never
//! panics and always reports problems at a position inside the text.

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

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
