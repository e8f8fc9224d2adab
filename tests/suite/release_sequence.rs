//! Property test over release *sequences* (SPEC §3 "Across builds", §6 (c)): random synthetic
//! cohorts with late teams, members who join later and members who leave, reports and pages,
//! built at every release instant and one second before each, as a public site would be
//! rebuilt and saved over a year. For every build, no marker of a held record is in any byte or
//! file name (search index gunzipped); for every pair of builds, a cohort's gender, age or
//! track breakdown is either the same or differs by at least k people; one second before each
//! release, the site equals the site of the content with every unreleased record deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use banso::render::{Blob, Theme};
use banso::time::Instant;
use proptest::prelude::*;

const K: u32 = 3;
const HOUR: i64 = 3600;
/// Six synthetic municipalities (real prefecture codes, made-up numbers, valid check digits).
const PREFIXES: [&str; 6] = ["01901", "02902", "13903", "26904", "39905", "47906"];

#[derive(Debug, Clone)]
struct MemberSpec {
    /// Hours after the team's announcement; `None`: with the team.
    joins: Option<i64>,
    /// Days after joining that the member leaves.
    leaves: Option<i64>,
    gender: Option<u8>,
    age: Option<u32>,
}

#[derive(Debug, Clone)]
struct TeamSpec {
    delay: i64,
    members: Vec<MemberSpec>,
    reports: Vec<Option<i64>>,
}

#[derive(Debug, Clone)]
struct CohortSpec {
    announce: i64,
    teams: Vec<TeamSpec>,
}

fn member() -> impl Strategy<Value = MemberSpec> {
    (
        prop_oneof![3 => Just(None), 1 => (1i64..400).prop_map(Some)],
        prop_oneof![3 => Just(None), 1 => (1i64..60).prop_map(Some)],
        prop::option::weighted(0.9, 0u8..3),
        prop::option::weighted(0.8, 25u32..62),
    )
        .prop_map(|(joins, leaves, gender, age)| MemberSpec {
            joins,
            leaves,
            gender,
            age,
        })
}

fn team() -> impl Strategy<Value = TeamSpec> {
    (
        prop_oneof![1 => Just(0i64), 1 => 1i64..600],
        prop::collection::vec(member(), 2..=3),
        prop::collection::vec(prop::option::of(1i64..500), 0..=1),
    )
        .prop_map(|(delay, members, reports)| TeamSpec {
            delay,
            members,
            reports,
        })
}

fn cohort() -> impl Strategy<Value = CohortSpec> {
    (0i64..300, prop::collection::vec(team(), 2..=4)).prop_map(|(announce, teams)| CohortSpec { announce, teams })
}

fn spec() -> impl Strategy<Value = (Vec<CohortSpec>, Vec<Option<i64>>)> {
    (
        prop::collection::vec(cohort(), 1..=2),
        prop::collection::vec(prop::option::of(0i64..900), 0..=2),
    )
}

/// Hours since 2026-01-01T00:00+09:00 → RFC 3339 at +09:00.
fn at(secs: i64) -> String {
    let base = Instant::parse("2026-01-01T00:00:00+09:00").unwrap().as_second();
    let t = base + secs + 9 * HOUR;
    let (days, rem) = (t.div_euclid(86400), t.rem_euclid(86400));
    format!(
        "{}T{:02}:{:02}:{:02}+09:00",
        crate::common::civil_from_days(days),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The content, and each marker with the second (since the base) from which it is published.
struct World {
    markers: BTreeMap<String, i64>,
    instants: BTreeSet<i64>,
}

fn write_content(dir: &Path, cohorts: &[CohortSpec], pages: &[Option<i64>]) -> World {
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let mut n = 0;
    let mut marker = || {
        n += 1;
        format!("sq{n:05}z")
    };
    let mut markers = BTreeMap::new();
    let mut instants = BTreeSet::new();
    write(
        "site.yaml",
        &format!(
            "title: 合成データの試験サイト\nbase_url: https://seq.example.invalid/\npublisher: 合成データの事務局\nlicense: 試験用\nmin_group_size: {K}\n"
        ),
    );
    write("ministries.yaml", "- name: 総務省\n- name: 防衛省\n");
    let mut munis = String::new();
    let mut muni_names = Vec::new();
    for p in PREFIXES {
        let name = marker();
        writeln!(
            munis,
            "- {{ code: \"{p}{}\", name: 町{name} }}",
            crate::common::check_digit(p)
        )
        .unwrap();
        muni_names.push(name);
    }
    write("municipalities.yaml", &munis);
    let mut muni_from = [i64::MAX; 6];
    for (ci, c) in cohorts.iter().enumerate() {
        let no = ci + 1;
        let ca = c.announce * HOUR;
        instants.insert(ca);
        write(
            &format!("cohorts/{no}/cohort.yaml"),
            &format!(
                "number: {no}\nfiscal_year: 2026\nannounce: {}\nperiod: {{ start: 2026-04-01, end: 2027-03-31 }}\n",
                at(ca)
            ),
        );
        let mut teams = String::new();
        for (ti, t) in c.teams.iter().enumerate() {
            let ta = ca + t.delay * HOUR;
            instants.insert(ta);
            let m = (ci * 2 + ti) % PREFIXES.len();
            muni_from[m] = muni_from[m].min(ta);
            let code = format!("{}{}", PREFIXES[m], crate::common::check_digit(PREFIXES[m]));
            writeln!(
                teams,
                "- number: {}\n  municipality: \"{code}\"\n  announce: {}\n  members:",
                ti + 1,
                at(ta)
            )
            .unwrap();
            for (mi, ms) in t.members.iter().enumerate() {
                let joins = ta + ms.joins.unwrap_or(0) * HOUR;
                instants.insert(joins);
                let name = marker();
                markers.insert(name.clone(), joins);
                let mut fields = format!(
                    "ministry: {}, grade: 補佐級, name: 合成 {name}",
                    ["総務省", "防衛省"][mi % 2]
                );
                if ms.joins.is_some() {
                    write!(fields, ", announce: {}", at(joins)).unwrap();
                }
                if let Some(days) = ms.leaves {
                    // A date: the day after joining plus `days`, at 00:00 Japan time.
                    let base = Instant::parse("2026-01-01T00:00:00+09:00").unwrap().as_second();
                    let day = (base + joins + 9 * HOUR).div_euclid(86400) + 1 + days;
                    let left = crate::common::civil_from_days(day);
                    instants.insert(Instant::parse(&left).unwrap().as_second() - base);
                    write!(fields, ", left: {left}").unwrap();
                }
                if let Some(g) = ms.gender {
                    write!(fields, ", gender: {}", ["男性", "女性", "回答しない"][g as usize]).unwrap();
                }
                if let Some(a) = ms.age {
                    write!(fields, ", age: {a}").unwrap();
                }
                writeln!(teams, "    - {{ {fields} }}").unwrap();
            }
            for (ri, delay) in t.reports.iter().enumerate() {
                let release = ta + delay.unwrap_or(0) * HOUR;
                instants.insert(release);
                let (stem, body) = (marker(), marker());
                markers.insert(stem.clone(), release);
                markers.insert(body.clone(), release);
                write(
                    &format!("cohorts/{no}/reports/{stem}.md"),
                    &format!(
                        "---\nteam: {}\nkind: 活動報告\ntitle: 報告{ri}\ndate: 2026-09-01\nrelease: {}\n---\n本文 {body}\n",
                        ti + 1,
                        at(release)
                    ),
                );
            }
        }
        write(&format!("cohorts/{no}/teams.yaml"), &teams);
    }
    for (pi, release) in pages.iter().enumerate() {
        let (stem, body) = (marker(), marker());
        let from = release.map_or(i64::MIN, |r| r * HOUR);
        if let Some(r) = release {
            instants.insert(r * HOUR);
        }
        markers.insert(stem.clone(), from);
        markers.insert(body.clone(), from);
        let line = release
            .map(|r| format!("release: {}\n", at(r * HOUR)))
            .unwrap_or_default();
        write(
            &format!("pages/{stem}.md"),
            &format!("---\ntitle: ページ{pi}\n{line}---\n本文 {body}\n"),
        );
    }
    for (i, name) in muni_names.into_iter().enumerate() {
        markers.insert(name, muni_from[i]);
    }
    World { markers, instants }
}

fn readable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&crate::common::readable(bytes)).into_owned()
}

/// (cohort, chart) → values of each gender, track and age breakdown shown in a build.
type Breakdowns = BTreeMap<(u64, String), Vec<u64>>;

fn breakdowns(summary: &serde_json::Value) -> Breakdowns {
    let mut out = BTreeMap::new();
    for c in summary["cohorts"].as_array().unwrap() {
        for ch in c["charts"].as_array().unwrap() {
            let id = ch["id"].as_str().unwrap();
            if !["gender", "track", "age"].contains(&id) {
                continue;
            }
            let values: Option<Vec<u64>> = ch["series"][0]["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64())
                .collect();
            if let Some(v) = values {
                out.insert((c["cohort"].as_u64().unwrap(), id.to_string()), v);
            }
        }
    }
    for p in summary["prefectures"].as_array().unwrap() {
        for c in p["cohorts"].as_array().unwrap() {
            for ch in c["charts"].as_array().unwrap() {
                assert!(
                    !["gender", "track", "age"].contains(&ch["id"].as_str().unwrap()),
                    "no person breakdown per prefecture"
                );
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn no_build_shows_a_held_record_and_no_two_builds_differ_by_a_few_people((cohorts, pages) in spec()) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let world = write_content(&content, &cohorts, &pages);
        let mut diags = banso::diag::Diagnostics::new();
        let registry = banso::load_registry(&content, &mut diags).unwrap();
        prop_assert!(!diags.has_errors(), "{}", diags.render());
        let theme = Theme::builtin().unwrap();
        let base = Instant::parse("2026-01-01T00:00:00+09:00").unwrap().as_second();
        let cache = banso::render::PageCache::default();

        let mut seen: Vec<(String, Breakdowns)> = Vec::new();
        for secs in world.instants.iter().flat_map(|t| [t - 1, *t]) {
            let as_of = Instant::parse(&at(secs)).unwrap();
            prop_assert_eq!(as_of.as_second(), base + secs);
            crate::common::assert_published_and_held_cover_the_registry(&registry, &banso::publish::publish(&registry, as_of, false));
            if !world.instants.contains(&secs) {
                // One second before a release: the site equals the site of the same content
                // with every unreleased record deleted.
                crate::common::assert_same_as_never_written(&registry, as_of, "release sequence");
            }
            let built = banso::render_site_with(&registry, banso::SiteOptions::at(as_of), &theme, banso::render::Reuse { pages: Some(&cache), index: None }).unwrap();
            let mut haystack = String::new();
            for (path, blob) in built.plan.files() {
                haystack.push_str(path);
                haystack.push('\n');
                match blob {
                    Blob::Bytes(b) => haystack.push_str(&readable(b)),
                    Blob::Copy(p) => haystack.push_str(&readable(&std::fs::read(p).unwrap())),
                }
            }
            for (marker, from) in &world.markers {
                prop_assert_eq!(haystack.contains(marker.as_str()), *from <= secs, "{} (from {}) at {}", marker, at(*from), at(secs));
            }
            let summary: serde_json::Value = serde_json::from_slice(built.plan.get("data/summary.json").unwrap()).unwrap();
            let now = breakdowns(&summary);
            for (then_at, then) in &seen {
                for (key, v) in &now {
                    if let Some(w) = then.get(key) {
                        let l1: u64 = v.iter().zip(w).map(|(a, b)| a.abs_diff(*b)).sum();
                        prop_assert!(l1 == 0 || l1 >= u64::from(K),
                            "{:?} at {} is {:?}, at {} it was {:?}: {} people apart", key, at(secs), v, then_at, w, l1);
                    }
                }
            }
            seen.push((at(secs), now));
        }
    }
}
