//! The whole load → validate → publish → aggregate path on a content folder made from the input:
//! a fixed valid skeleton, with one file replaced by the fuzzed text. Never panics, never hangs.
#![no_main]

use std::path::Path;

use banso::diag::Diagnostics;
use banso::time::Instant;
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 7] = [
    "site.yaml",
    "ministries.yaml",
    "municipalities.yaml",
    "cohorts/1/cohort.yaml",
    "cohorts/1/teams.yaml",
    "cohorts/1/reports/r.md",
    "pages/p.md",
];

const SKELETON: [&str; 7] = [
    "title: t\nbase_url: https://x.invalid/\npublisher: p\nlicense: l\n",
    "- name: 総務省\n- name: 防衛省\n  aliases: [防衛 省]\n",
    "- { code: \"013455\", name: 森町, population: 13582 }\n- { code: \"473821\", name: 与那国町 }\n",
    "number: 1\nfiscal_year: 2026\nannounce: 2026-04-01\nperiod: { start: 2026-04-01, end: 2027-03-31 }\ndeclared: { teams: 1 }\n",
    "- number: 1\n  municipality: \"013455\"\n  themes: [観光]\n  members:\n    - { ministry: 総務省, grade: 補佐級, gender: 女性, age: 40 }\n",
    "---\nteam: 1\nkind: 中間報告\ntitle: r\ndate: 2026-10-01\n---\n本文 [x](/assets/a.pdf)\n",
    "---\ntitle: p\n---\n# 見出し\n",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (i, (file, skeleton)) in FILES.iter().zip(SKELETON).enumerate() {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let bytes = if usize::from(which) % FILES.len() == i { text } else { skeleton.as_bytes() };
        std::fs::write(Path::new(&path), bytes).unwrap();
    }
    std::fs::create_dir_all(root.join("assets")).unwrap();
    std::fs::write(root.join("assets/a.pdf"), b"%PDF").unwrap();
    let mut diags = Diagnostics::new();
    if let Ok(registry) = banso::load_registry(root, &mut diags) {
        let _ = diags.render();
        let published = banso::publish::publish(&registry, Instant::parse("2026-11-23").unwrap(), false);
        let _ = banso::stats::aggregate(&published.published);
    }
});
