//! Any Markdown body, as a page's: validation either accepts it or says why, and what it
//! accepts renders and shortens without panicking or exhausting the stack, with no raw HTML or script passed through.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (body, diags) = banso::model::validate::validate_markdown(text);
    let Some(body) = body else {
        assert!(diags.has_errors(), "a refused body says why");
        return;
    };
    let html = banso::render::markdown::render_markdown(&body, "../", &|_| true);
    assert!(!html.contains("<script"), "{html}");
    let _ = banso::render::markdown::render_markdown(&body, "../", &|_| false);
    let _ = banso::render::markdown::plain_text(&body, &|_| false, 110);
});
