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
        caches: Arc::default(),
        index,
        builtin: std::sync::OnceLock::new(),
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

mod connections {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    use super::super::listen::{QUEUED, Response, WORKERS, run};

    /// A server answering every request with its target, on a free loopback port.
    fn echo() -> u16 {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        run(listener, |r| {
            Response::new(200, "text/plain", r.target.clone().into_bytes())
        });
        port
    }

    fn connect(port: u16) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s
    }

    /// Read one response (head and a body of its Content-Length) from `s`.
    fn response(s: &mut TcpStream) -> (String, String) {
        let mut raw = Vec::new();
        let mut byte = [0u8; 1];
        while !raw.ends_with(b"\r\n\r\n") {
            assert_eq!(s.read(&mut byte).unwrap(), 1, "closed before a whole head: {raw:?}");
            raw.push(byte[0]);
        }
        let head = String::from_utf8(raw).unwrap();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .map_or(0, |n| n.trim().parse().unwrap());
        let mut body = vec![0u8; len];
        s.read_exact(&mut body).unwrap();
        (head, String::from_utf8(body).unwrap())
    }

    #[test]
    fn a_kept_alive_connection_answers_request_after_request_and_head_has_no_body() {
        let port = echo();
        let mut s = connect(port);
        write!(
            s,
            "GET /a HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /b?x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        let (head, body) = response(&mut s);
        assert!(
            head.starts_with("HTTP/1.1 200 OK\r\n") && head.contains("Connection: keep-alive"),
            "{head}"
        );
        assert_eq!(body, "/a");
        assert_eq!(response(&mut s).1, "/b?x", "a pipelined request is answered too");
        write!(s, "HEAD /c HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut rest = String::new();
        s.read_to_string(&mut rest).unwrap();
        assert!(
            rest.contains("Content-Length: 2\r\n") && rest.ends_with("\r\n\r\n"),
            "{rest:?}"
        );
    }

    #[test]
    fn only_get_and_head_are_answered_and_a_huge_head_is_refused() {
        let port = echo();
        let mut s = connect(port);
        write!(
            s,
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /after HTTP/1.1\r\n\r\n"
        )
        .unwrap();
        let (head, _) = response(&mut s);
        assert!(head.starts_with("HTTP/1.1 405 "), "{head}");
        assert_eq!(response(&mut s).1, "/after", "the body was read past");
        let mut s = connect(port);
        let long = "x".repeat(20_000);
        let _ = write!(s, "GET / HTTP/1.1\r\nX-Long: {long}\r\n\r\n");
        let r = response(&mut s);
        assert!(r.0.starts_with("HTTP/1.1 431 "), "{r:?}");
        let mut s = connect(port);
        write!(s, "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap();
        assert!(response(&mut s).0.starts_with("HTTP/1.1 400 "));
    }

    /// Every worker held by a connection that sends nothing, and the queue full: the next
    /// connection is told 503 at once, not left to wait or given a thread of its own.
    #[test]
    fn connections_beyond_the_bound_are_told_the_server_is_busy() {
        let port = echo();
        let idle: Vec<TcpStream> = (0..WORKERS + QUEUED).map(|_| connect(port)).collect();
        std::thread::sleep(Duration::from_millis(300));
        let mut extra = connect(port);
        let (head, body) = response(&mut extra);
        assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
        assert!(body.contains("混み合っています"), "{body}");
        // Once they close, the server answers again (as soon as the workers have seen them go).
        drop(idle);
        let started = std::time::Instant::now();
        loop {
            let mut s = connect(port);
            // A connection told 503 may be closed before the request is written.
            let _ = write!(s, "GET /again HTTP/1.0\r\n\r\n");
            let (head, body) = response(&mut s);
            if head.starts_with("HTTP/1.1 200 ") {
                assert_eq!(body, "/again");
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{head}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
