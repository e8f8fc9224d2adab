//! Any roster file: `import` either refuses it with its problems or produces a teams.yaml that
//! it has read back as meant. Whatever a cell holds (tabs, `#`, quotes, line breaks, control
//! characters, any encoding), what would be written parses.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use banso::model::Registry;
use libfuzzer_sys::fuzz_target;

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::write(
            c.join("site.yaml"),
            "title: t\nbase_url: https://x.invalid/\npublisher: p\nlicense: l\n",
        )
        .unwrap();
        std::fs::write(
            c.join("ministries.yaml"),
            "- name: 総務省\n- name: 防衛省\n- name: 公正取引委員会\n  aliases: [公正取引 委員会]\n",
        )
        .unwrap();
        std::fs::write(c.join("municipalities.yaml"), "- { code: \"013455\", name: 森町 }\n").unwrap();
        let mut diags = banso::diag::Diagnostics::new();
        banso::load_registry(c, &mut diags).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(y) = banso::import::roster_yaml(data, Path::new("fuzz.csv"), registry()) {
        assert!(banso::load::yaml::parse(&y).is_ok(), "{y}");
    }
});
