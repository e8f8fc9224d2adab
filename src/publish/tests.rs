//! Unit tests of `publish` on the `embargo` fixture: cohort 1 (announced 2026-04-01 10:00)
//! with team 3 announced 2026-06-01 10:00, a report released 2026-10-15 and a final report
//! released 2027-04-01 10:00; cohort 2 and the page news-hold released 2027-04-01 10:00.

use std::path::Path;

use super::*;
use crate::model::AssetPath;

fn registry() -> Registry {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/embargo/content");
    let mut diags = crate::diag::Diagnostics::new();
    let reg = crate::load_registry(&content, &mut diags).unwrap();
    assert!(!diags.has_errors(), "{}", diags.render());
    reg
}

fn at(t: &str) -> Instant {
    Instant::parse(t).unwrap()
}

fn held_ids(r: &Release) -> Vec<(HeldKind, String)> {
    r.holdback.held.iter().map(|h| (h.kind, h.id.clone())).collect()
}

#[test]
fn a_cohort_shows_its_declared_figures_only_once_nothing_of_it_is_held() {
    let reg = registry();
    let before = publish(&reg, at("2026-06-01T09:59:59"), false);
    let c = before.published.cohort(CohortNo(1)).unwrap();
    assert_eq!(c.declared, Declared::default(), "team 3 is held");
    assert_eq!(before.published.teams_of(CohortNo(1)).count(), 2);
    let after = publish(&reg, at("2026-06-01T10:00"), false);
    assert_eq!(after.published.cohort(CohortNo(1)).unwrap().declared.members, Some(9));
}

#[test]
fn one_second_decides_and_the_held_list_says_what_and_when() {
    let reg = registry();
    let r = publish(&reg, at("2027-04-01T09:59:59"), false);
    assert_eq!(
        held_ids(&r),
        [
            (HeldKind::Cohort, "cohorts/2/cohort.yaml".to_string()),
            (HeldKind::Team, "cohorts/2/teams.yaml#1".to_string()),
            (HeldKind::Report, "cohorts/1/reports/final-hold.md".to_string()),
            (HeldKind::Page, "pages/news-hold.md".to_string()),
        ]
    );
    assert!(r.holdback.held.iter().all(|h| h.release == at("2027-04-01T10:00")));
    assert_eq!(r.holdback.next_release(), Some(at("2027-04-01T10:00")));
    assert!(r.published.cohort(CohortNo(2)).is_none());
    assert!(!r.published.reports.iter().any(|x| x.stem == "final-hold"));
    let r = publish(&reg, at("2027-04-01T10:00"), false);
    assert!(r.holdback.held.is_empty() && r.holdback.next_release().is_none());
    assert!(r.published.cohort(CohortNo(2)).is_some());
    assert_eq!(r.published.reports.len(), 2);
}

#[test]
fn a_preview_publishes_everything_and_still_lists_what_a_public_build_holds() {
    let reg = registry();
    let r = publish(&reg, at("2026-11-23"), true);
    assert!(r.published.preview);
    assert_eq!(r.published.cohorts.len(), 2);
    assert_eq!(r.published.reports.len(), reg.reports.len());
    assert_eq!(r.published.pages.len(), reg.pages.len());
    assert_eq!(held_ids(&r), held_ids(&publish(&reg, at("2026-11-23"), false)));
}

#[test]
fn a_member_joining_later_is_held_alone_and_a_departure_shows_from_its_date() {
    let mut reg = registry();
    let t = reg
        .teams
        .iter_mut()
        .find(|t| t.cohort == CohortNo(1) && t.no == TeamNo(1))
        .unwrap();
    t.members[2].announce = at("2026-09-01");
    t.members[0].left = Some(crate::time::Date::parse("2026-10-01").unwrap());
    let r = publish(&reg, at("2026-08-31T23:59:59"), false);
    let team = r.published.team(CohortNo(1), TeamNo(1)).unwrap();
    assert_eq!(team.members.len(), 2, "the third member is not published yet");
    assert!(team.members[0].left.is_none(), "a departure to come is not shown");
    assert!(held_ids(&r).contains(&(HeldKind::Member, "cohorts/1/teams.yaml#1/3".to_string())));
    assert_eq!(r.published.cohort(CohortNo(1)).unwrap().declared, Declared::default());
    let r = publish(&reg, at("2026-10-01"), false);
    let team = r.published.team(CohortNo(1), TeamNo(1)).unwrap();
    assert_eq!(team.members.len(), 3);
    assert!(team.members[0].left.is_some());
}

#[test]
fn an_asset_is_held_with_the_held_report_that_uses_it_unless_a_published_one_attaches_it() {
    let reg = registry();
    let r = publish(&reg, at("2026-11-23"), false);
    let shown: Vec<&str> = r.published.assets.keys().map(|a| a.0.as_str()).collect();
    assert_eq!(shown, ["1/mori-slides.pdf"], "attached by the published report too");
    for held in ["1/final-hold.pdf", "1/hold-figure.png", "1/unused.pdf"] {
        assert!(!r.published.assets.contains_key(&AssetPath(held.into())), "{held}");
    }
    let r = publish(&reg, at("2027-04-01T10:00"), false);
    assert!(r.published.assets.contains_key(&AssetPath("1/final-hold.pdf".into())));
    assert!(r.published.assets.contains_key(&AssetPath("1/hold-figure.png".into())));
    assert!(
        !r.published.assets.contains_key(&AssetPath("1/unused.pdf".into())),
        "nothing uses it"
    );
}

#[test]
fn only_municipalities_with_published_support_are_in_the_view() {
    let reg = registry();
    let r = publish(&reg, at("2026-05-01"), false);
    let codes: Vec<String> = r.published.municipalities.keys().map(|c| c.to_string()).collect();
    assert_eq!(codes, ["013455", "224618"], "team 3's town and cohort 2's are held");
    assert!(reg.municipalities.len() > codes.len());
}

#[test]
fn the_view_answers_what_a_link_or_a_page_may_show() {
    use crate::model::{MunicipalityCode, Target};
    let reg = registry();
    let r = publish(&reg, at("2026-11-23"), false);
    let p = &r.published;
    let stems: Vec<&str> = p.reports_of(CohortNo(1), TeamNo(1)).map(|x| x.stem.as_str()).collect();
    assert_eq!(stems, ["mori-interim"], "team 1's published report");
    assert_eq!(
        p.reports_of(CohortNo(1), TeamNo(2)).count(),
        0,
        "team 2's report is held"
    );
    let code = |c: &str| MunicipalityCode::parse(c).unwrap();
    for (target, shown) in [
        (Target::Fixed, true),
        (Target::Cohort(CohortNo(1)), true),
        (Target::Cohort(CohortNo(2)), false),
        (Target::Comparison, false),
        (Target::Municipality(code("013455")), true),
        (Target::Municipality(code("032034")), false),
        (Target::Report(CohortNo(1), "mori-interim".into()), true),
        (Target::Report(CohortNo(2), "mori-interim".into()), false),
        (Target::Report(CohortNo(1), "final-hold".into()), false),
        (Target::Page("about".into()), true),
        (Target::Page("news-hold".into()), false),
        (Target::PrefectureCharts(1, CohortNo(1)), true),
        (Target::PrefectureCharts(2, CohortNo(1)), false),
        (Target::Asset(AssetPath("1/mori-slides.pdf".into())), true),
        (Target::Asset(AssetPath("1/final-hold.pdf".into())), false),
    ] {
        assert_eq!(p.shows(&target), shown, "{target:?}");
    }
    let later = publish(&reg, at("2027-04-01T10:00"), false);
    assert!(later.published.shows(&Target::Comparison), "two cohorts are published");
}
