//! Import sequences against what the public site shows (SPEC §6 (c), (e)): random rosters of the
//! charts fixture's eight teams — members with and without names, joining and leaving (named
//! ones by omission, nameless ones with 公表日 / 離任日), 性別 corrected, sheets holding some
//! teams only, a wrong roster then the right one, with and without `--keep-attributes` — imported
//! one after another with builds in between. After every build:
//! - nothing published disappears: every team of the last build is listed, every member row of
//!   the last build is there (a member who leaves stays, with a 離任日);
//! - any two published 性別 breakdowns of the cohort are equal or differ by at least k people,
//!   the difference measured as import measures it: the larger of the people added to
//!   categories and the people taken from them.
//!
//! It drives the library (as the command line does, the workbook reader aside) so that a case of
//! a dozen imports and builds takes a fraction of a second.

use std::path::Path;

use banso::import::{ImportOptions, WorkbookReader, import_teams};
use banso::time::Instant;
use proptest::prelude::*;

const K: u32 = 10;
const CODES: [&str; 8] = [
    "013455", "014079", "014389", "014532", "473821", "473812", "473596", "032034",
];
const POSTS: [(&str, &str); 4] = [
    ("総務省", "補佐級"),
    ("防衛省", "係長級"),
    ("国土交通省", "補佐級"),
    ("総務省", "係長級"),
];

#[derive(Clone, Debug)]
struct Person {
    team: usize,
    post: usize,
    name: Option<String>,
    female: bool,
    /// Named: left by leaving the roster. Nameless: kept with its 離任日.
    left: Option<String>,
    gone: bool,
    /// A nameless newcomer's 公表日, written on every roster after.
    joined: Option<String>,
}

#[derive(Clone, Debug)]
enum Op {
    Build,
    Join { team: usize, post: usize, female: bool },
    Leave { pick: usize },
    Correct { pick: usize },
    Partial { mask: u8 },
    Wrong { flips: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Build),
        2 => (0..8usize, 0..4usize, any::<bool>()).prop_map(|(team, post, female)| Op::Join { team, post, female }),
        2 => any::<usize>().prop_map(|pick| Op::Leave { pick }),
        2 => any::<usize>().prop_map(|pick| Op::Correct { pick }),
        1 => (1u8..=255).prop_map(|mask| Op::Partial { mask }),
        1 => (1usize..=15).prop_map(|flips| Op::Wrong { flips }),
    ]
}

/// The roster of `people` for the teams in `mask`, with `flips` of them given the other 性別.
fn csv(people: &[Person], mask: u8, flips: usize) -> String {
    let mut s = String::from("市町村名,団体コード,所属府省庁,役職,氏名,性別,離任日,公表日\n");
    let mut flipped = 0;
    for (team, code) in CODES.iter().enumerate() {
        if mask & (1 << team) == 0 {
            continue;
        }
        let mut first = true;
        for p in people.iter().filter(|p| p.team == team && !p.gone) {
            let place = if first {
                format!("{:02}.チーム{},{code}", team + 1, team + 1)
            } else {
                ",".into()
            };
            first = false;
            let female = if flipped < flips {
                flipped += 1;
                !p.female
            } else {
                p.female
            };
            let (ministry, grade) = POSTS[p.post];
            s.push_str(&format!(
                "{place},{ministry},{grade},{},{},{},{}\n",
                p.name.clone().unwrap_or_default(),
                if female { "女性" } else { "男性" },
                p.left.clone().unwrap_or_default(),
                p.joined.clone().unwrap_or_default()
            ));
        }
    }
    s
}

/// What one build published: teams, member rows (without 離任日), the 性別 breakdown shown.
struct Shown {
    teams: Vec<(String, String)>,
    members: Vec<String>,
    gender: Option<Vec<u64>>,
}

fn shown(out: &Path) -> Shown {
    let rows = |f: &str| -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        text.trim_start_matches('\u{feff}')
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/summary.json")).unwrap()).unwrap();
    let chart = summary["cohorts"][0]["charts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "gender")
        .unwrap();
    let gender = (chart["suppressed"] == false).then(|| {
        let categories: Vec<&str> = chart["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let values = chart["series"][0]["values"].as_array().unwrap();
        ["男性", "女性", "回答しない"]
            .iter()
            .map(|k| {
                categories
                    .iter()
                    .position(|c| c == k)
                    .map_or(0, |i| values[i].as_u64().unwrap())
            })
            .collect()
    });
    Shown {
        teams: rows("data/teams.csv")
            .into_iter()
            .map(|r| (r[3].clone(), r[4].clone()))
            .collect(),
        members: rows("data/members.csv").into_iter().map(|r| r[..9].join(",")).collect(),
        gender,
    }
}

fn moved(a: &[u64], b: &[u64]) -> u64 {
    let up: u64 = a.iter().zip(b).map(|(x, y)| y.saturating_sub(*x)).sum();
    let down: u64 = a.iter().zip(b).map(|(x, y)| x.saturating_sub(*y)).sum();
    up.max(down)
}

struct Run {
    site: crate::common::Site,
    theme: banso::render::Theme,
    keep: bool,
    clock: i64,
    builds: Vec<Shown>,
}

impl Run {
    fn now(&self) -> Instant {
        Instant::from_second(self.clock).unwrap()
    }

    /// Import `text`; `false` if it was refused for a problem of the roster (exit 1).
    fn import(&mut self, text: &str) -> bool {
        self.clock += 3600;
        let file = self.site.dir.path().join("roster.csv");
        std::fs::write(&file, text).unwrap();
        let mut diags = banso::diag::Diagnostics::new();
        let (raw, reg) = banso::load_content_and_registry(&self.site.content(), &mut diags, None, None).unwrap();
        assert!(!diags.has_errors(), "{}", diags.render());
        let opts = ImportOptions {
            sheet: None,
            keep_attributes: self.keep,
            complete: false,
            as_of: self.now(),
            previous: self.site.out(),
            reader: WorkbookReader::InProcess,
        };
        match import_teams(&raw, &reg, &file, 1, &opts) {
            Ok(_) => true,
            Err(banso::Error::Import(banso::import::ImportError::Rows(_))) => false,
            Err(e) => panic!("{e}\n{text}"),
        }
    }

    fn build(&mut self) {
        self.clock += 3600;
        let mut diags = banso::diag::Diagnostics::new();
        let reg = banso::load_registry(&self.site.content(), &mut diags).unwrap();
        assert!(!diags.has_errors(), "{}", diags.render());
        let opts = banso::SiteOptions {
            as_of: self.now(),
            preview: false,
            base_url: None,
            render: banso::render::Options {
                search: banso::render::Search::Off,
                minify: false,
            },
        };
        let built = banso::render_site(&reg, opts, &self.theme).unwrap();
        banso::output::write_plan(
            &built.plan,
            &self.site.out(),
            banso::output::OutputKind::Public,
            Path::new("output"),
            self.now(),
        )
        .unwrap();
        let now = shown(&self.site.out());
        if let Some(last) = self.builds.last() {
            for t in &last.teams {
                assert!(now.teams.contains(t), "team {t:?} disappeared");
            }
            let mut left = now.members.clone();
            for m in &last.members {
                let i = left
                    .iter()
                    .position(|x| x == m)
                    .unwrap_or_else(|| panic!("member row {m} disappeared"));
                left.remove(i);
            }
        }
        for earlier in &self.builds {
            if let (Some(a), Some(b)) = (&earlier.gender, &now.gender) {
                let by = moved(a, b);
                assert!(
                    by == 0 || by >= u64::from(K),
                    "a published breakdown moved by {by}: {a:?} → {b:?}"
                );
            }
        }
        self.builds.push(now);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn imports_never_lose_published_records_nor_move_a_breakdown_by_fewer_than_k(
        named in any::<bool>(),
        keep in any::<bool>(),
        genders in prop::collection::vec(any::<bool>(), 24),
        ops in prop::collection::vec(op(), 3..9),
    ) {
        let site = crate::common::Site::fixture("charts");
        let mut people: Vec<Person> = (0..24)
            .map(|i| Person {
                team: i / 3,
                post: i % 4,
                name: named.then(|| format!("架空 {i:02}")),
                female: genders[i],
                left: None,
                gone: false,
                joined: None,
            })
            .collect();
        let mut run = Run {
            theme: banso::render::Theme::load(None).unwrap(),
            site,
            keep,
            // 2026-03-01 00:00 JST: before the cohort's announcement (2026-04-01 10:00).
            clock: Instant::parse("2026-03-01").unwrap().as_second(),
            builds: Vec::new(),
        };
        assert!(run.import(&csv(&people, 0xFF, 0)), "the first roster imports");
        run.clock = Instant::parse("2026-05-01").unwrap().as_second();
        run.build();
        let mut serial = 100;
        for op in ops {
            let before = people.clone();
            let ok = match op {
                Op::Build => {
                    run.build();
                    true
                }
                Op::Join { team, post, female } => {
                    serial += 1;
                    let joined = (!named).then(|| Instant::from_second(run.clock + 3600).unwrap().rfc3339());
                    people.push(Person { team, post, name: named.then(|| format!("架空 {serial}")), female, left: None, gone: false, joined });
                    run.import(&csv(&people, 0xFF, 0))
                }
                Op::Leave { pick } => {
                    let live: Vec<usize> = (0..people.len()).filter(|&i| people[i].left.is_none() && !people[i].gone).collect();
                    if let Some(&i) = live.get(pick % live.len().max(1)) {
                        if named {
                            people[i].gone = true;
                        } else {
                            let day = Instant::from_second(run.clock + 3600 + 86_400).unwrap().date();
                            people[i].left = Some(day.iso());
                        }
                    }
                    run.import(&csv(&people, 0xFF, 0))
                }
                Op::Correct { pick } => {
                    let i = pick % people.len();
                    people[i].female = !people[i].female;
                    run.import(&csv(&people, 0xFF, 0))
                }
                Op::Partial { mask } => run.import(&csv(&people, mask, 0)),
                Op::Wrong { flips } => {
                    // A wrong roster, then the right one.
                    run.import(&csv(&people, 0xFF, flips));
                    run.import(&csv(&people, 0xFF, 0))
                }
            };
            if !ok {
                people = before;
            }
        }
        run.build();
    }
}
