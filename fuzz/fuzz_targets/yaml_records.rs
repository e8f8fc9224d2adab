//! Any text as YAML, read as each kind of record file: never panics, never hangs; a problem is
//! always reported with a position inside the text.
#![no_main]

use banso::load::de::{from_node, Lenient, Sink};
use banso::load::raw::*;
use banso::load::yaml;
use libfuzzer_sys::fuzz_target;

fn read<T: serde::de::DeserializeOwned>(node: &yaml::Node, lines: u32) {
    let sink = Sink::default();
    let _ = from_node::<T>(node, &sink);
    for issue in sink.into_issues() {
        assert!(issue.pos.line >= 1 && issue.pos.line <= lines + 1, "{issue:?}");
    }
}

fuzz_target!(|text: &str| {
    // The YAML reader counts CR, LF and CRLF as line ends.
    let lines = text.replace("\r\n", "\n").chars().filter(|c| *c == '\n' || *c == '\r').count() as u32 + 1;

    match yaml::parse(text) {
        Ok(node) => {
            read::<RawSite>(&node, lines);
            read::<Vec<Lenient<RawMinistry>>>(&node, lines);
            read::<Vec<Lenient<RawMunicipality>>>(&node, lines);
            read::<RawCohort>(&node, lines);
            read::<Vec<Lenient<RawTeam>>>(&node, lines);
            read::<Vec<Lenient<RawApplication>>>(&node, lines);
            read::<RawReport>(&node, lines);
            read::<RawPage>(&node, lines);
        }
        Err(e) => assert!(e.pos.line >= 1, "{e:?}"),
    }
});
