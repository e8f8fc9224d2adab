//! The search page's shortcuts (render/shortcuts.rs): the navigation pages it finds by name are
//! those of the published site only. On the `embargo` fixture, before 第2期 is announced its
//! cohort has no shortcut and leaves no trace in any file; from its announcement on it has both.

use crate::common::{Site, ok};

/// The JSON table the search page carries.
fn shortcuts(site: &Site) -> serde_json::Value {
    let html = site.output_text("search/index.html");
    let open = "<script type=\"application/json\" id=\"search-shortcuts\">";
    let start = html.find(open).expect("the search page carries its shortcuts") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn urls(table: &serde_json::Value) -> Vec<String> {
    table
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            let sections = s["sections"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["url"].as_str().unwrap().to_string());
            std::iter::once(s["url"].as_str().unwrap().to_string()).chain(sections.collect::<Vec<_>>())
        })
        .collect()
}

#[test]
fn a_held_back_cohort_has_no_shortcut_and_no_trace() {
    let site = Site::fixture("embargo");
    ok(&site.build("2027-04-01T09:59:59+09:00"));
    let table = shortcuts(&site);
    insta::assert_snapshot!(serde_json::to_string_pretty(&table).unwrap());
    let urls = urls(&table);
    for want in [
        "cohorts/",
        "cohorts/1/",
        "cohorts/1/teams/",
        "data/",
        "prefectures/",
        "about/",
    ] {
        assert!(urls.iter().any(|u| u == want), "{want} is a shortcut: {urls:?}");
    }
    let text = table.to_string();
    assert!(!text.contains("第2期") && !text.contains("cohorts/2"), "{text}");
    // Nor anywhere else: every output file, by content and by name.
    for (path, bytes) in site.output_tree() {
        let body = String::from_utf8_lossy(&crate::common::readable(&bytes)).into_owned();
        for held in ["第2期", "cohorts/2", "2027年度", "令和9年度"] {
            assert!(!body.contains(held) && !path.contains(held), "{held} in {path}");
        }
    }
}

#[test]
fn an_announced_cohort_is_a_shortcut_by_its_name() {
    let site = Site::fixture("embargo");
    ok(&site.build("2027-04-01T10:00:00+09:00"));
    let table = shortcuts(&site);
    let cohort = table
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["url"] == "cohorts/2/")
        .expect("第2期 has a shortcut once announced");
    assert!(cohort["title"].as_str().unwrap().starts_with("第2期"), "{cohort}");
    assert!(urls(&table).iter().any(|u| u == "cohorts/2/teams/"));
}
