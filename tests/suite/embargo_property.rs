//! Property test of the holdback: random synthetic content whose every text field carries a
//! unique marker, random release instants, a random as-of (often exactly at, or one second
//! before, a release). Every byte and file name of the built site is scanned: no marker of an
//! unpublished item may appear, and every marker of a published item must. And the site equals,
//! byte for byte, the site of the same content with every unreleased record deleted, so a held
//! record cannot show as a count, a chart category, a sitemap date or a feed entry either.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;

use banso::diag::Diagnostics;
use banso::render::{Blob, Theme};
use banso::time::Instant;

/// Six synthetic municipalities (real prefecture codes, made-up numbers, valid check digits).
const MUNICIPALITY_PREFIXES: [&str; 6] = ["01901", "02902", "13903", "26904", "39905", "47906"];
const HOUR: i64 = 3600;

#[derive(Debug, Clone)]
struct ReportSpec {
    /// Hours after the team's announcement; `None`: released with the team.
    delay: Option<i64>,
    attach: bool,
    /// Also attach the asset every report may share.
    shared: bool,
}

#[derive(Debug, Clone)]
struct TeamSpec {
    delay: i64,
    municipality: usize,
    named_members: Vec<bool>,
    reports: Vec<ReportSpec>,
}

#[derive(Debug, Clone)]
struct CohortSpec {
    announce: i64,
    teams: Vec<TeamSpec>,
}

#[derive(Debug, Clone)]
struct Spec {
    cohorts: Vec<CohortSpec>,
    /// Release hours of free pages (`None`: at once).
    pages: Vec<Option<i64>>,
    /// Other programmes: release hour (`None`: at once) and the municipalities they support.
    programs: Vec<(Option<i64>, Vec<usize>)>,
    /// Which instant to build at: an index into all release instants and a shift in seconds.
    pick: (usize, i64),
}

fn report() -> impl Strategy<Value = ReportSpec> {
    (prop::option::of(0i64..2000), any::<bool>(), any::<bool>()).prop_map(|(delay, attach, shared)| ReportSpec {
        delay,
        attach,
        shared,
    })
}

fn cohort() -> impl Strategy<Value = CohortSpec> {
    let team = (
        0i64..500,
        prop::collection::vec(any::<bool>(), 2..=3),
        prop::collection::vec(report(), 0..=2),
    );
    (
        0i64..6000,
        prop::sample::subsequence((0..6).collect::<Vec<usize>>(), 1..=3),
        prop::collection::vec(team, 3),
    )
        .prop_map(|(announce, munis, teams)| CohortSpec {
            announce,
            teams: munis
                .into_iter()
                .zip(teams)
                .map(|(municipality, (delay, named_members, reports))| TeamSpec {
                    delay,
                    municipality,
                    named_members,
                    reports,
                })
                .collect(),
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(cohort(), 1..=3),
        prop::collection::vec(prop::option::of(0i64..8000), 0..=3),
        prop::collection::vec(
            (
                prop::option::of(0i64..8000),
                prop::sample::subsequence((0..6).collect::<Vec<usize>>(), 1..=3),
            ),
            0..=2,
        ),
        (any::<usize>(), prop::sample::select(vec![-1i64, 0, 1, -3600, 7200])),
    )
        .prop_map(|(cohorts, pages, programs, pick)| Spec {
            cohorts,
            pages,
            programs,
            pick,
        })
}

/// Content written from a spec, with the owner of every marker and whether it is published.
struct World {
    markers: BTreeMap<String, bool>,
    instants: Vec<i64>,
}

/// Seconds since 2026-01-01T00:00+09:00 → a time in one of the three accepted forms.
fn time_text(secs: i64, form: usize) -> String {
    let base = Instant::parse("2026-01-01T00:00:00+09:00").unwrap().as_second();
    let utc = base + secs;
    let jst = utc + 9 * HOUR;
    let (days, rem) = (jst.div_euclid(86400), jst.rem_euclid(86400));
    let date = crate::common::civil_from_days(days);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    match form % 3 {
        0 => format!("{date}T{h:02}:{m:02}:{s:02}+09:00"),
        1 if s == 0 => format!("{date}T{h:02}:{m:02}"),
        _ => {
            let (d2, r2) = (utc.div_euclid(86400), utc.rem_euclid(86400));
            format!(
                "{}T{:02}:{:02}:{:02}Z",
                crate::common::civil_from_days(d2),
                r2 / 3600,
                r2 % 3600 / 60,
                r2 % 60
            )
        }
    }
}

fn write_content(dir: &Path, spec: &Spec) -> World {
    let mut n = 0;
    let mut marker = || {
        n += 1;
        format!("mk{n:06}q")
    };
    let mut markers = BTreeMap::new();
    let mut instants = Vec::new();
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "site.yaml",
        "title: 試験サイト（合成データ）\nbase_url: https://prop.example.invalid/\npublisher: 合成データの事務局\nlicense: 試験用\n",
    );
    write("ministries.yaml", "- name: 総務省\n- name: 防衛省\n");
    let mut munis = String::new();
    let mut muni_markers = Vec::new();
    for prefix in MUNICIPALITY_PREFIXES {
        let (name, kana) = (marker(), marker());
        writeln!(
            munis,
            "- {{ code: \"{prefix}{}\", name: 町{name}, kana: {kana}, population: 1000 }}",
            crate::common::check_digit(prefix)
        )
        .unwrap();
        muni_markers.push((name, kana));
    }
    write("municipalities.yaml", &munis);
    let mut muni_published = [false; 6];
    let shared_asset = marker();
    let mut shared_published = false;
    let mut shared_used = false;

    let as_of_secs = |spec: &Spec, instants: &[i64]| {
        let i = spec.pick.0 % instants.len().max(1);
        instants.get(i).copied().unwrap_or(0) + spec.pick.1
    };
    // First pass: collect the instants so the as-of can be chosen among them.
    for c in &spec.cohorts {
        let ca = c.announce * HOUR;
        instants.push(ca);
        for t in &c.teams {
            let ta = ca + t.delay * HOUR;
            instants.push(ta);
            for r in &t.reports {
                instants.push(ta + r.delay.unwrap_or(0) * HOUR);
            }
        }
    }
    for p in spec.programs.iter().filter_map(|p| p.0) {
        instants.push(p * HOUR);
    }
    for p in spec.pages.iter().flatten() {
        instants.push(p * HOUR);
    }
    let as_of = as_of_secs(spec, &instants);

    for (ci, c) in spec.cohorts.iter().enumerate() {
        let no = ci + 1;
        let ca = c.announce * HOUR;
        let cohort_out = ca <= as_of;
        write(
            &format!("cohorts/{no}/cohort.yaml"),
            &format!(
                "number: {no}\nfiscal_year: 2026\nannounce: {}\nperiod: {{ start: 2026-04-01, end: 2027-03-31 }}\n",
                time_text(ca, ci)
            ),
        );
        let mut teams = String::new();
        for (ti, t) in c.teams.iter().enumerate() {
            let ta = ca + t.delay * HOUR;
            let team_out = cohort_out && ta <= as_of;
            if team_out {
                muni_published[t.municipality] = true;
            }
            let prefix = MUNICIPALITY_PREFIXES[t.municipality];
            writeln!(
                teams,
                "- number: {}\n  municipality: \"{prefix}{}\"",
                ti + 1,
                crate::common::check_digit(prefix)
            )
            .unwrap();
            if t.delay > 0 || ti % 2 == 0 {
                writeln!(teams, "  announce: {}", time_text(ta, ti + 1)).unwrap();
            }
            teams.push_str("  members:\n");
            for (mi, named) in t.named_members.iter().enumerate() {
                let ministry = ["総務省", "防衛省"][mi % 2];
                if *named {
                    let (name, position) = (marker(), marker());
                    markers.insert(name.clone(), team_out);
                    markers.insert(position.clone(), team_out);
                    writeln!(teams, "    - {{ ministry: {ministry}, grade: 補佐級, name: 合成 {name}, position: 職 {position}, gender: 女性, age: 40, track: 技官 }}").unwrap();
                } else {
                    writeln!(teams, "    - {{ ministry: {ministry}, grade: 係長級 }}").unwrap();
                }
            }
            for r in &t.reports {
                let release = ta + r.delay.unwrap_or(0) * HOUR;
                let out = team_out && release <= as_of;
                let (stem, title, summary, body) = (marker(), marker(), marker(), marker());
                for m in [&stem, &title, &summary, &body] {
                    markers.insert(m.clone(), out);
                }
                let mut front = format!(
                    "team: {}\nkind: 活動報告\ntitle: 報告 {title}\ndate: 2026-09-01\nsummary: 要約 {summary}\n",
                    ti + 1
                );
                if r.delay.is_some() {
                    writeln!(front, "release: {}", time_text(release, stem.len())).unwrap();
                }
                if r.attach || r.shared {
                    front.push_str("attachments:\n");
                }
                if r.attach {
                    let (file, atitle, content) = (marker(), marker(), marker());
                    for m in [&file, &atitle, &content] {
                        markers.insert(m.clone(), out);
                    }
                    write(&format!("assets/{file}.pdf"), &format!("%PDF synthetic {content}"));
                    writeln!(front, "  - {{ file: /assets/{file}.pdf, title: 資料 {atitle} }}").unwrap();
                }
                if r.shared {
                    shared_used = true;
                    shared_published |= out;
                    writeln!(front, "  - {{ file: /assets/shared.pdf, title: 共有 }}").unwrap();
                }
                write(
                    &format!("cohorts/{no}/reports/{stem}.md"),
                    &format!("---\n{front}---\n本文 {body}\n"),
                );
            }
        }
        write(&format!("cohorts/{no}/teams.yaml"), &teams);
    }
    for (pi, (release, munis)) in spec.programs.iter().enumerate() {
        let out = release.is_none_or(|r| r * HOUR <= as_of);
        let (name, summary, kind, group, id) = (marker(), marker(), marker(), marker(), marker());
        for m in [&name, &summary, &kind, &group, &id] {
            markers.insert(m.clone(), out);
        }
        let release_line = release
            .map(|r| format!("release: {}\n", time_text(r * HOUR, pi + 1)))
            .unwrap_or_default();
        let codes: Vec<String> = munis
            .iter()
            .map(|i| {
                format!(
                    "\"{}{}\"",
                    MUNICIPALITY_PREFIXES[*i],
                    crate::common::check_digit(MUNICIPALITY_PREFIXES[*i])
                )
            })
            .collect();
        write(
            &format!("programs/{id}.yaml"),
            &format!(
                "name: 事業 {name}\nfiscal_year: 2026\n{release_line}summary: 要約 {summary}\nsupport:\n  - type: 枠 {kind}\n    group: 連携 {group}\n    municipalities: [{}]\n",
                codes.join(", ")
            ),
        );
        if out {
            for i in munis {
                muni_published[*i] = true;
            }
        }
    }
    write("assets/shared.pdf", &format!("%PDF shared {shared_asset}"));
    if shared_used {
        markers.insert(shared_asset, shared_published);
    }
    for (pi, release) in spec.pages.iter().enumerate() {
        let (stem, title, body, description) = (marker(), marker(), marker(), marker());
        let out = release.is_none_or(|r| r * HOUR <= as_of);
        for m in [&stem, &title, &body, &description] {
            markers.insert(m.clone(), out);
        }
        let release_line = release
            .map(|r| format!("release: {}\n", time_text(r * HOUR, pi)))
            .unwrap_or_default();
        write(
            &format!("pages/{stem}.md"),
            &format!(
                "---\ntitle: ページ {title}\norder: {pi}\n{release_line}description: 説明 {description}\n---\n本文 {body}\n"
            ),
        );
    }
    for (i, (name, kana)) in muni_markers.into_iter().enumerate() {
        markers.insert(name, muni_published[i]);
        markers.insert(kana, muni_published[i]);
    }
    World {
        markers,
        instants: vec![as_of],
    }
}

/// The bytes, and for gzip files (the search index) also what they hold.
fn unpacked(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut inner = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut inner).unwrap();
        out.extend(inner);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn nothing_held_back_leaves_a_trace_and_everything_published_shows(spec in spec()) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let world = write_content(&content, &spec);
        let mut diags = Diagnostics::new();
        let registry = banso::load_registry(&content, &mut diags).unwrap();
        prop_assert!(!diags.has_errors(), "{}", diags.render());
        let base = Instant::parse("2026-01-01T00:00:00+09:00").unwrap().as_second();
        let as_of = Instant::parse(&time_text(world.instants[0], 0)).unwrap();
        prop_assert_eq!(as_of.as_second(), base + world.instants[0]);
        let theme = Theme::builtin().unwrap();
        let plan = banso::render_site(&registry, banso::SiteOptions::at(as_of), &theme).unwrap().plan;

        let mut haystack = String::new();
        for (path, blob) in plan.files() {
            haystack.push_str(path);
            haystack.push('\n');
            let bytes = match blob {
                Blob::Bytes(b) => b.to_vec(),
                Blob::Copy(p) => std::fs::read(p).unwrap(),
            };
            haystack.push_str(&String::from_utf8_lossy(&unpacked(&bytes)));
            haystack.push('\n');
        }
        for (marker, published) in &world.markers {
            let found = haystack.contains(marker.as_str());
            prop_assert_eq!(found, *published, "marker {} (published: {}) at as-of {}", marker, published, as_of);
        }
        crate::common::assert_same_as_never_written(&registry, as_of, "random content");
    }
}
