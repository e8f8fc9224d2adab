//! Unit tests of validation over whole content folders: what a registry holds, and that every
//! problem is reported with its place.

use std::path::Path;

use super::*;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn validated(files: &[(&str, &str)]) -> (Registry, Diagnostics) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "site.yaml",
        "title: t\nbase_url: https://x.invalid/banso/\npublisher: p\nlicense: l\n",
    );
    write(
        root,
        "ministries.yaml",
        "- name: 総務省\n- name: 公正取引委員会\n  aliases: [公正取引 委員会]\n",
    );
    write(
        root,
        "municipalities.yaml",
        "- { code: \"013455\", name: 森町 }\n- { code: 224618, name: 森町 }\n",
    );
    for (rel, text) in files {
        write(root, rel, text);
    }
    let mut diags = Diagnostics::new();
    let raw = crate::load::load_content(root, &mut diags).unwrap();
    (validate(&raw, &mut diags), diags)
}

const COHORT: &str =
    "number: 1\nfiscal_year: 2026\nannounce: 2026-04-01T10:00\nperiod: { start: 2026-04-01, end: 2027-03-31 }\n";

#[test]
fn a_valid_folder_becomes_records_with_canonical_names_and_defaults() {
    let (reg, diags) = validated(&[
        ("cohorts/1/cohort.yaml", COHORT),
        (
            "cohorts/1/teams.yaml",
            "- number: 1\n  municipality: \"224618\"\n  members:\n    - { ministry: 公正取引 委員会, grade: 課長補佐級 }\n",
        ),
    ]);
    assert!(!diags.has_errors(), "{}", diags.render());
    assert_eq!(reg.site.base_url.as_str(), "https://x.invalid/banso/");
    assert_eq!(reg.municipalities.len(), 2, "a code written as a number is padded");
    let team = &reg.teams[0];
    assert_eq!(
        team.announce, reg.cohorts[0].announce,
        "a team's announce defaults to its cohort's"
    );
    let m = &team.members[0];
    assert_eq!(reg.ministry(m.ministry).name, "公正取引委員会");
    assert_eq!(m.grade, crate::model::reference::Grade::DeputyDirectorLevel);
    assert_eq!(m.announce, team.announce);
}

#[test]
fn every_problem_of_every_file_is_reported_at_its_place() {
    let (reg, diags) = validated(&[
        ("cohorts/1/cohort.yaml", &COHORT.replace("fiscal_year", "fiscal_yaer")),
        (
            "cohorts/1/teams.yaml",
            "- number: 1\n  municipality: \"013456\"\n  members:\n    - { ministry: 防衛庁, grade: 補佐級 }\n",
        ),
        ("pages/Bad Name.md", "---\ntitle: x\n---\nx\n"),
    ]);
    let text = diags.render();
    for place in [
        "--> cohorts/1/cohort.yaml:2:1",
        "--> cohorts/1/teams.yaml:2:17",
        "--> cohorts/1/teams.yaml:4:19",
        "--> pages/Bad Name.md:1:1",
    ] {
        assert!(text.contains(place), "{place}: {text}");
    }
    assert!(diags.error_count() >= 4, "{text}");
    assert!(reg.pages.is_empty(), "a page whose name is no URL is not a record");
}

#[test]
fn a_ministry_group_is_read_and_an_unknown_one_is_an_error_naming_both_values() {
    use crate::model::MinistryGroup;
    let ministries =
        "- name: 総務省\n- name: 北海道大学\n  group: オフィサー出向先等\n- name: 架空機構\n  group: オフィサー\n";
    let (reg, diags) = validated(&[("ministries.yaml", ministries)]);
    let groups: Vec<_> = reg.ministries.iter().map(|m| (m.name.as_str(), m.group)).collect();
    assert_eq!(
        groups,
        [
            ("総務省", MinistryGroup::Ministries),
            ("北海道大学", MinistryGroup::OfficerBodies),
            ("架空機構", MinistryGroup::Ministries),
        ],
        "no group is 府省庁等; a wrong one is reported and the entry kept, so records naming it are not"
    );
    assert_eq!(diags.error_count(), 1, "{}", diags.render());
    let text = diags.render();
    assert!(text.contains("group「オフィサー」は使えません"), "{text}");
    assert!(text.contains("--> ministries.yaml:5:10"), "{text}");
    assert!(
        text.contains("group は 府省庁等 か オフィサー出向先等 で書いてください（書かなければ 府省庁等）"),
        "{text}"
    );
}

#[test]
fn a_body_nested_too_deep_is_refused_with_its_place() {
    let deep = format!("{}x", "> ".repeat(MAX_NESTING_FOR_TEST + 1));
    let (body, diags) = validate_markdown(&deep);
    assert!(body.is_none());
    assert!(diags.render().contains("入れ子が深すぎます"), "{}", diags.render());
    let (body, diags) = validate_markdown(&format!("{}x", "> ".repeat(MAX_NESTING_FOR_TEST - 2)));
    assert!(body.is_some(), "{}", diags.render());
}

const MAX_NESTING_FOR_TEST: usize = body::MAX_NESTING;
