//! `banso serve` on a free loopback port: pages are served, an edit shows up within seconds, a
//! broken edit shows its problem on the page while the server keeps running.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Site, tree};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Site, extra: &[&str]) -> Server {
    start_at(site, site.content().to_str().unwrap(), extra)
}

/// `banso serve --content <content>`, run in the site's folder.
fn start_at(site: &Site, content: &str, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_banso"))
        .current_dir(site.dir.path())
        .args(["serve", "--content", content, "--port", "0"])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    Server { child, port }
}

/// GET `path`: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    get_as(port, path, "127.0.0.1")
}

/// GET `path` with the given `Host` header.
fn get_as(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// GET `path` as bytes: (status, body).
fn get_bytes(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, raw.get(split + 4..).unwrap_or_default().to_vec())
}

/// Names like `ja_1a2b3c4` in the (unpacked) bytes of a Pagefind file.
fn pagefind_hashes(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut out = Vec::new();
    for (i, _) in text.match_indices("ja_") {
        let hex: String = text[i + 3..].chars().take_while(char::is_ascii_hexdigit).collect();
        if hex.len() >= 7 {
            out.push(format!("ja_{hex}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Everything the served search index holds, unpacked: the metadata, each word list and each
/// page fragment it names.
fn served_index(port: u16, entry: &str) -> String {
    let hash = pagefind_hashes(entry.as_bytes())
        .pop()
        .expect("a language hash in the entry");
    let (status, meta) = get_bytes(port, &format!("/pagefind/pagefind.{hash}.pf_meta"));
    assert_eq!(status, 200, "the index metadata the entry names is served");
    let meta = crate::common::readable(&meta);
    let mut text = String::from_utf8_lossy(&meta).into_owned();
    let mut files = 0;
    for h in pagefind_hashes(&meta) {
        for path in [
            format!("/pagefind/index/{h}.pf_index"),
            format!("/pagefind/fragment/{h}.pf_fragment"),
        ] {
            let (status, bytes) = get_bytes(port, &path);
            if status == 200 {
                files += 1;
                text.push_str(&String::from_utf8_lossy(&crate::common::readable(&bytes)));
            }
        }
    }
    assert!(files > 0, "the word lists the metadata names are served");
    text
}

/// Poll `path` until `pred` holds on the body, for at most ten seconds.
fn wait_for(port: u16, path: &str, pred: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (_, body) = get(port, path);
        if pred(&body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} did not change in time; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn status_build(port: u16) -> u64 {
    let (_, body) = get(port, "/__banso/status");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["build"].as_u64().unwrap()
}

#[test]
fn edits_appear_and_broken_edits_are_shown_while_the_server_keeps_running() {
    let site = Site::fixture("basic");
    let server = start(&site, &["--as-of", "2026-11-23"]);
    let (status, body) = get(server.port, "/about/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>制度の概要（試験）</h1>"), "{body}");
    assert!(
        body.contains("<script src=\"/__banso/live.js\">"),
        "pages reload themselves"
    );
    let (status, live) = get(server.port, "/__banso/live.js");
    assert_eq!(status, 200);
    assert!(
        live.contains("/__banso/status") && live.contains("location.reload()"),
        "the script polls the build number and reloads: {live}"
    );
    let first = status_build(server.port);

    site.replace("pages/about.md", "title: 制度の概要（試験）", "title: 書き換えた題名");
    wait_for(server.port, "/about/", |b| b.contains("<h1>書き換えた題名</h1>"));
    assert!(
        status_build(server.port) > first,
        "the build number tells open pages to reload"
    );

    site.replace("pages/about.md", "title: 書き換えた題名", "title: [閉じていない");
    let body = wait_for(server.port, "/about/", |b| b.contains("banso-errors"));
    assert!(
        body.contains("--&gt; pages/about.md:"),
        "the problem is named with its place: {body}"
    );
    assert!(body.contains("<h1>書き換えた題名</h1>"), "the last good page stays up");
    let (status, _) = get(server.port, "/prefectures/aomori/");
    assert_eq!(status, 200, "the server keeps running");

    site.replace("pages/about.md", "title: [閉じていない", "title: 直した題名");
    let body = wait_for(server.port, "/about/", |b| b.contains("<h1>直した題名</h1>"));
    assert!(!body.contains("banso-errors"));
}

/// A rebuild reads again only the files the watcher names: every way an editor or a script
/// changes files must name the right ones, with the content folder given as a relative path.
#[test]
fn every_kind_of_save_is_picked_up_with_a_relative_content_folder() {
    let site = Site::fixture("embargo");
    let server = start_at(&site, "content", &["--as-of", "2030-01-01"]);
    let report = "/reports/1/mori-interim/";
    wait_for(server.port, report, |b| b.contains("棚田の保全"));

    // Written in place.
    site.replace("cohorts/1/reports/mori-interim.md", "棚田の保全", "段々畑の保全");
    wait_for(server.port, report, |b| b.contains("段々畑の保全"));

    // Saved as editors do: a new file renamed over the old one.
    let path = site.path("cohorts/1/reports/mori-interim.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("段々畑の保全", "茶畑の保全");
    let tmp = site.path("cohorts/1/reports/.mori-interim.md.swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    wait_for(server.port, report, |b| b.contains("茶畑の保全"));

    // A YAML record many pages are made from.
    site.replace("cohorts/1/teams.yaml", "name: 架空 三郎", "name: 架空 三太");
    wait_for(server.port, "/cohorts/1/teams/", |b| b.contains("架空 三太"));

    // The reports folder moved away and back (a folder event stands for its files), with an
    // edit made while it was away.
    let reports = site.path("cohorts/1/reports");
    let away = site.dir.path().join("reports-away");
    std::fs::rename(&reports, &away).unwrap();
    let (status, _) = {
        let started = Instant::now();
        loop {
            let (status, body) = get(server.port, report);
            if status == 404 || started.elapsed() > Duration::from_secs(10) {
                break (status, body);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    assert_eq!(status, 404, "the report went with its folder");
    let moved = away.join("mori-interim.md");
    let text = std::fs::read_to_string(&moved)
        .unwrap()
        .replace("茶畑の保全", "果樹園の保全");
    std::fs::write(&moved, text).unwrap();
    std::fs::rename(&away, &reports).unwrap();
    wait_for(server.port, report, |b| b.contains("果樹園の保全"));
}

#[test]
fn serving_writes_nothing_and_routes_like_a_static_host() {
    let site = Site::fixture("embargo");
    let before = tree(site.dir.path());
    let server = start(&site, &["--as-of", "2026-11-23"]);
    assert_eq!(get(server.port, "/").0, 200);
    assert_eq!(
        get(server.port, "/reports/1/final-hold/").0,
        404,
        "held back in serve too"
    );
    assert_eq!(get(server.port, "/nowhere/").0, 404);
    assert_eq!(get(server.port, "/about").0, 301);
    let (_, csv) = get(server.port, "/data/teams.csv");
    assert!(csv.starts_with('\u{feff}'));
    let (_, pdf) = get(server.port, "/assets/1/mori-slides.pdf");
    assert!(pdf.starts_with("%PDF"), "assets are served from content/");
    drop(server);
    assert!(tree(site.dir.path()) == before, "serve wrote nothing");
}

/// The threads of process `pid`.
#[cfg(target_os = "linux")]
fn threads(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// A thousand connections that send nothing cost the server no thread each (they were one
/// thread per connection: 3,000 idle sockets made 2,922 threads and 736 MB), and the server
/// answers as before once they are gone (SPEC §1: a bounded number at once).
#[cfg(target_os = "linux")]
#[test]
fn idle_connections_do_not_take_a_thread_each() {
    let site = Site::fixture("basic");
    let server = start(&site, &["--as-of", "2026-11-23"]);
    assert_eq!(get(server.port, "/").0, 200);
    let before = threads(server.child.id());
    let idle: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let during = threads(server.child.id());
    assert!(
        during <= before + 2,
        "{before} threads before, {during} with {} idle connections",
        idle.len()
    );
    drop(idle);
    let started = Instant::now();
    while get(server.port, "/").0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server never answered again"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn preview_shows_held_records_with_the_banner() {
    let site = Site::fixture("embargo");
    let server = start(&site, &["--as-of", "2026-11-23", "--preview"]);
    let (status, body) = get(server.port, "/reports/1/final-hold/");
    assert_eq!(status, 200);
    assert!(body.contains("非公開プレビュー") && body.contains("noindex"));
}

#[test]
fn the_search_index_is_made_in_the_background_and_follows_edits() {
    let site = Site::fixture("embargo");
    let server = start(&site, &["--as-of", "2026-11-23"]);
    let (status, page) = get(server.port, "/search/");
    assert_eq!(status, 200);
    assert!(page.contains("pagefind.js"), "the search page is served at once");
    let entry = || {
        let (status, body) = get(server.port, "/pagefind/pagefind-entry.json");
        (status == 200).then_some(body)
    };
    let wait_entry = |differs_from: Option<&str>| {
        let started = Instant::now();
        loop {
            if let Some(body) = entry().filter(|b| Some(b.as_str()) != differs_from) {
                return body;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no new search index in time"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let first = wait_entry(None);
    assert!(first.contains("\"ja\""), "{first}");
    let before = served_index(server.port, &first);
    assert!(
        before.contains("棚田") && !before.contains("段々畑"),
        "the first index holds the first text"
    );
    let (status, _) = get(server.port, "/pagefind/pagefind.js");
    assert_eq!(status, 200);
    let (status, _) = get(server.port, "/pagefind/pagefind-ui.js");
    assert_eq!(
        status, 404,
        "the ready-made UI is not shipped: the search page has its own"
    );

    site.replace("cohorts/1/reports/mori-interim.md", "棚田の保全", "段々畑の保全");
    wait_for(server.port, "/reports/1/mori-interim/", |b| b.contains("段々畑"));
    let second = wait_entry(Some(&first));
    let after = served_index(server.port, &second);
    assert!(
        after.contains("段々畑") && !after.contains("棚田"),
        "the remade index holds the new word and not the old one"
    );
}

#[test]
fn a_preview_is_answered_only_under_a_loopback_name() {
    // DNS rebinding: a page of evil.example points its name at 127.0.0.1 and reads the answer;
    // the request then carries `Host: evil.example:<port>`.
    let site = Site::fixture("embargo");
    let server = start(&site, &["--as-of", "2026-11-23", "--preview"]);
    let port = server.port;
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        "evil.example".to_string(),
    ] {
        for path in ["/reports/1/final-hold/", "/data/members.csv", "/__banso/status", "/"] {
            let (status, body) = get_as(port, path, &host);
            assert_eq!(status, 421, "{host} {path}");
            assert!(!body.contains("HOLD-"), "{host} {path}: {body}");
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, body) = get_as(port, "/reports/1/final-hold/", &host);
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("HOLD-report-body"), "{host}");
    }
}

#[test]
fn content_that_would_exhaust_the_stack_is_reported_and_the_server_stays_up() {
    let site = Site::fixture("basic");
    let server = start(&site, &["--as-of", "2026-11-23"]);
    assert_eq!(get(server.port, "/about/").0, 200);
    let deep = format!("---\ntitle: 深い入れ子\n---\n{}x\n", "> ".repeat(12_000));
    site.write("pages/deep.md", &deep);
    let body = wait_for(server.port, "/about/", |b| b.contains("banso-errors"));
    assert!(body.contains("入れ子が深すぎます"), "{body}");
    let seen = status_build(server.port);
    let emphasis = format!(
        "---\ntitle: 深い強調\n---\n{}x{}\n",
        "*a ".repeat(20_000),
        " a*".repeat(20_000)
    );
    site.write("pages/deep.md", &emphasis);
    let started = Instant::now();
    while status_build(server.port) == seen {
        assert!(started.elapsed() < Duration::from_secs(10), "no rebuild after the edit");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = get(server.port, "/about/");
    assert_eq!(status, 200, "the server is still up");
    assert!(body.contains("入れ子が深すぎます"), "{body}");
}

#[test]
fn serving_now_publishes_a_release_at_its_instant() {
    // Without --as-of the server shows the site of the moment and rebuilds at each release.
    let site = Site::fixture("basic");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let release = now + 4;
    let at = banso::time::Instant::from_second(release).unwrap();
    site.write(
        "pages/soon.md",
        &format!(
            "---\ntitle: まもなく公表\nrelease: {}\n---\n公表前の本文\n",
            at.rfc3339()
        ),
    );
    let server = start(&site, &[]);
    assert_eq!(get(server.port, "/soon/").0, 404, "held before its release");
    let started = Instant::now();
    loop {
        let (status, body) = get(server.port, "/soon/");
        if status == 200 {
            assert!(body.contains("公表前の本文"));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "not published within seconds of its release"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let shown_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(shown_at >= release, "published before its instant");
    assert!(shown_at <= release + 5, "published {} s late", shown_at - release);
}
