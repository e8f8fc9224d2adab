use super::http::{content_type, host_allowed, inject};
use super::{Arc, BaseUrl, Builder, Instant, RwLock, ServeConfig, Site, channel};

fn before_the_late_team() -> Instant {
    Instant::parse("2026-06-01T09:59:59+09:00").unwrap()
}

#[test]
fn serving_now_reads_the_clock_it_is_given_and_waits_for_the_next_release() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/embargo/content");
    let (index, _indexed) = channel();
    let builder = Builder {
        cfg: ServeConfig {
            content,
            theme: None,
            port: 0,
            as_of: None,
            preview: false,
            now: before_the_late_team,
        },
        base_url: BaseUrl::parse("http://127.0.0.1:1/").unwrap(),
        site: Arc::new(RwLock::new(Site::default())),
        caches: crate::Caches::default(),
        index,
    };
    let next = builder.rebuild();
    assert_eq!(
        next,
        Some(Instant::parse("2026-06-01T10:00:00+09:00").unwrap()),
        "team 3's announcement"
    );
    let site = builder.site.read().unwrap();
    assert_eq!(site.problems, None);
    let plan = site.plan.as_ref().expect("a site is served");
    assert!(
        !plan.files().contains_key("reports/1/mori-interim/index.html"),
        "released in October"
    );
    assert!(plan.files().contains_key("cohorts/1/index.html"));
}

#[test]
fn only_loopback_names_with_our_port_are_answered() {
    for ok in [
        "127.0.0.1:8000",
        "localhost:8000",
        "LOCALHOST:8000",
        "[::1]:8000",
        "localhost",
        "127.0.0.1",
    ] {
        assert!(host_allowed(ok, 8000), "{ok}");
    }
    for bad in [
        "evil.example:8000",
        "127.0.0.1.evil.example:8000",
        "localhost.evil.example",
        "127.0.0.1:8001",
        "localhost:80",
        "[::1]:9000",
        "[::1",
        "",
        "0.0.0.0:8000",
        "127.0.0.2:8000",
    ] {
        assert!(!host_allowed(bad, 8000), "{bad}");
    }
}
#[test]
fn problems_are_shown_escaped_before_the_end_of_the_body() {
    let page = b"<html><body><main>x</main></body></html>";
    let html = String::from_utf8(inject(page, Some("pages/a.md:3:1 <script>alert(1)</script>"))).unwrap();
    let (before_end, end) = html.split_at(html.rfind("</body>").unwrap());
    assert_eq!(end, "</body></html>");
    assert!(before_end.contains("<script src=\"/__banso/live.js\"></script>"));
    assert!(before_end.contains("id=\"banso-errors\""));
    assert!(
        html.contains("pages/a.md:3:1 &lt;script>alert(1)&lt;/script>") || html.contains("&lt;script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert(1)"), "{html}");
    let clean = String::from_utf8(inject(page, None)).unwrap();
    assert!(!clean.contains("banso-errors") && clean.contains("/__banso/live.js"));
    // A page without </body> gets the script at its end.
    assert!(String::from_utf8(inject(b"<p>x", None)).unwrap().ends_with("</script>"));
}

#[test]
fn files_are_served_with_their_types() {
    assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
    assert_eq!(content_type("data/teams.csv"), "text/csv; charset=utf-8");
    assert_eq!(content_type("cohorts/2/charts/gender.svg"), "image/svg+xml");
    assert_eq!(content_type("pagefind/index/ja_1.pf_index"), "application/octet-stream");
}
