//! Front-matter splitting of any text: never panics, and when it splits, the parts are slices
//! of the input in order.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = banso::load::front_matter::split(text) {
        assert!(text.contains(split.yaml));
        assert!(text.ends_with(split.body));
        assert!(split.body_line >= 3);
    }
});
