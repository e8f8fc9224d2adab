//! 確認用サーバー — `banso serve`: the site built in memory, served on 127.0.0.1, rebuilt when
//! content/ or the theme changes, and the open page reloaded.
//!
//! It writes nothing anywhere (so it cannot touch the public output). When a change breaks the
//! content, the last good site stays up and every page shows the problems over it; the terminal
//! shows them too. Without `--as-of`, the site is rebuilt at each release instant, so what is
//! served is what the public build would publish at that moment.
//!
//! Rebuilds are incremental: Markdown files are re-parsed only when their bytes changed, and a
//! page whose template and context are unchanged is reused as rendered (`load::Cache`,
//! `render::PageCache`). The search index is made in the background after each rebuild; until
//! it is ready, search finds nothing rather than pages of an earlier build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diag::Diagnostics;
use crate::model::urls::BaseUrl;
use crate::render::{Blob, Plan};
use crate::time::Instant;

/// What `banso serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub content: PathBuf,
    pub theme: Option<PathBuf>,
    pub port: u16,
    pub as_of: Option<Instant>,
    pub preview: bool,
    /// The clock, read for "now" when `as_of` is not given (the caller's; tests may set one).
    pub now: fn() -> Instant,
}

/// The files of a search index by path.
type IndexFiles = BTreeMap<String, Vec<u8>>;

/// The site being served.
#[derive(Default)]
struct Site {
    /// The last build that succeeded.
    plan: Option<Arc<Plan>>,
    /// The search index (files under pagefind/) and the build it was made for; served only
    /// while that build is the one served, so it never shows pages an edit has removed.
    index: Option<(Arc<Plan>, Arc<IndexFiles>)>,
    /// Counts every rebuild, so the page knows when to reload.
    build: u64,
    /// Problems of the latest rebuild, as printed in the terminal.
    problems: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("127.0.0.1:{0} で待ち受けられません: {1}")]
    Bind(u16, String),
    #[error("{0} の変更を見張れません: {1}")]
    Watch(PathBuf, String),
}

/// Build, serve and rebuild until the process is stopped.
pub fn serve(cfg: ServeConfig) -> Result<(), crate::Error> {
    if !cfg.content.is_dir() {
        return Err(crate::load::LoadError::Missing(cfg.content.clone()).into());
    }
    let server =
        tiny_http::Server::http(("127.0.0.1", cfg.port)).map_err(|e| ServeError::Bind(cfg.port, e.to_string()))?;
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(cfg.port);
    let base_url = BaseUrl::parse(&format!("http://127.0.0.1:{port}/")).expect("a loopback address is a base URL");
    println!("{base_url}");
    eprintln!("確認用サーバー: {base_url} （止めるには Ctrl+C）");

    let site = Arc::new(RwLock::new(Site::default()));
    let (index_tx, index_rx) = channel();
    {
        let site = Arc::clone(&site);
        std::thread::spawn(move || index_in_background(index_rx, &site));
    }
    let builder = Builder {
        cfg: cfg.clone(),
        base_url: base_url.clone(),
        site: Arc::clone(&site),
        caches: crate::Caches::default(),
        index: index_tx,
    };
    // Watch before the first build, so that nothing saved while it runs goes unnoticed.
    // Changes only: reading the files while rebuilding must not count as a change.
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event {
            if matches!(
                e.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            ) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| ServeError::Watch(cfg.content.clone(), e.to_string()))?;
    for dir in std::iter::once(&cfg.content).chain(cfg.theme.iter()) {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| ServeError::Watch(dir.clone(), e.to_string()))?;
    }
    let mut next = builder.rebuild_safely();

    let server = Arc::new(server);
    for _ in 0..4 {
        let (server, site) = (Arc::clone(&server), Arc::clone(&site));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                if allowed_host(&request, port) {
                    respond(request, &site);
                } else {
                    refuse(request);
                }
            }
        });
    }

    loop {
        // Wake for a change, or at the next release instant when serving "now".
        let wait = next.map(|t| Duration::from_secs((t.as_second() - (cfg.now)().as_second()).clamp(1, 3600) as u64));
        let event = match wait {
            Some(d) => rx.recv_timeout(d),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(()) => {
                // An editor's save is often several events; let them settle, then rebuild once.
                std::thread::sleep(Duration::from_millis(150));
                while rx.try_recv().is_ok() {}
                next = builder.rebuild_safely();
            }
            Err(RecvTimeoutError::Timeout) => next = builder.rebuild_safely(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

/// Everything a rebuild needs, kept for the life of the server.
struct Builder {
    cfg: ServeConfig,
    base_url: BaseUrl,
    site: Arc<RwLock<Site>>,
    caches: crate::Caches,
    /// Each new site goes to the background indexer.
    index: Sender<Arc<Plan>>,
}

/// Make the search index of each new site, skipping to the newest when several are waiting.
/// It runs on a one-thread pool of its own, so rebuilds keep the other cores.
fn index_in_background(jobs: Receiver<Arc<Plan>>, site: &RwLock<Site>) {
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("エラー: 検索の索引を作れません: {e}");
            return;
        }
    };
    while let Ok(mut plan) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            plan = newer;
        }
        let started = std::time::Instant::now();
        match pool.install(|| crate::render::search::search_index(&plan)) {
            Ok(files) => {
                let count = files.len();
                site.write().unwrap_or_else(|e| e.into_inner()).index =
                    Some((Arc::clone(&plan), Arc::new(files.into_iter().collect())));
                eprintln!(
                    "検索の索引を作りました（{count} ファイル、{:.2} 秒）",
                    started.elapsed().as_secs_f64()
                );
            }
            Err(e) => eprintln!("エラー: 検索の索引を作れません: {e}"),
        }
    }
}

impl Builder {
    /// [`Builder::rebuild`], surviving a bug: a panic while building keeps the last good site
    /// up and says so, instead of stopping the server the secretariat is editing against.
    fn rebuild_safely(&self) -> Option<Instant> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.rebuild())) {
            Ok(next) => next,
            Err(_) => {
                let text = "エラー: サイトを作り直せませんでした（banso の不具合です）。直前の版を表示しています\n";
                eprint!("{text}");
                let mut s = self.site.write().unwrap_or_else(|e| e.into_inner());
                s.build += 1;
                s.problems = Some(text.to_string());
                None
            }
        }
    }

    /// Rebuild into memory; returns the next release instant to rebuild at (when serving "now").
    fn rebuild(&self) -> Option<Instant> {
        let (cfg, caches) = (&self.cfg, &self.caches);
        let started = std::time::Instant::now();
        let as_of = cfg.as_of.unwrap_or_else(cfg.now);
        let mut diags = Diagnostics::new();
        let mut next = None;
        let outcome: Result<Plan, String> =
            match crate::load_registry_with(&cfg.content, &mut diags, Some(&caches.load)) {
                Err(e) => Err(format!("エラー: {e}\n")),
                Ok(_) if diags.has_errors() => Err(diags.render()),
                Ok(registry) => crate::render::Theme::load(cfg.theme.as_deref())
                    .map_err(crate::Error::from)
                    .and_then(|theme| {
                        let opts = crate::SiteOptions {
                            as_of,
                            preview: cfg.preview,
                            base_url: Some(self.base_url.clone()),
                            render: crate::render::Options {
                                search: crate::render::Search::Deferred,
                            },
                        };
                        crate::render_site_with(&registry, opts, &theme, Some(&caches.pages))
                    })
                    .map(|built| {
                        next = built.holdback.next_release().filter(|_| cfg.as_of.is_none());
                        diags.extend(built.holdback.warnings());
                        built.plan
                    })
                    .map_err(|e| format!("エラー: {e}\n")),
            };
        let mut s = self.site.write().unwrap_or_else(|e| e.into_inner());
        s.build += 1;
        match outcome {
            Ok(plan) => {
                if diags.warning_count() > 0 {
                    eprint!("{}", diags.render());
                }
                eprintln!(
                    "再構築しました（{} ファイル、{:.2} 秒）",
                    plan.len(),
                    started.elapsed().as_secs_f64()
                );
                let plan = Arc::new(plan);
                s.plan = Some(Arc::clone(&plan));
                s.problems = None;
                let _ = self.index.send(plan);
            }
            Err(text) => {
                eprint!("{text}");
                eprintln!("内容に誤りがあるため、直前の版を表示しています");
                s.problems = Some(text);
            }
        }
        next
    }
}

/// Whether a request was addressed to this server by a loopback name (SPEC §1). A page on
/// another site can point its own host name at 127.0.0.1 (DNS rebinding) and then read what
/// this server answers, a preview of held-back content among it; such requests carry that
/// other name in `Host`, so only 127.0.0.1, localhost and [::1] are answered, with our port
/// or none.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let (name, host_port) = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, rest)) => (format!("[{addr}]"), rest.strip_prefix(':').map(str::to_string)),
            None => return false,
        },
        None => match host.split_once(':') {
            Some((n, p)) => (n.to_string(), Some(p.to_string())),
            None => (host.clone(), None),
        },
    };
    let name_ok = matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    let port_ok = host_port.is_none_or(|p| p == port.to_string());
    name_ok && port_ok
}

fn allowed_host(request: &tiny_http::Request, port: u16) -> bool {
    let hosts: Vec<&str> = request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str())
        .collect();
    matches!(hosts.as_slice(), [one] if host_allowed(one, port))
}

fn refuse(request: tiny_http::Request) {
    let response = tiny_http::Response::from_string(
        "この確認用サーバーは http://127.0.0.1 か http://localhost で開いてください（Host が違います）",
    )
    .with_status_code(421)
    .with_header(
        tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"text/plain; charset=utf-8"[..]).expect("valid header"),
    );
    let _ = request.respond(response);
}

const LIVE_JS: &str = "(function(){var seen=null;function poll(){fetch('/__banso/status',{cache:'no-store'}).then(function(r){return r.json()}).then(function(s){if(seen===null){seen=s.build}else if(s.build!==seen){location.reload();return}setTimeout(poll,700)}).catch(function(){setTimeout(poll,2000)})}poll()})();";

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// The live-reload script and, when the latest rebuild failed, its problems over the page.
fn inject(html: &[u8], problems: Option<&str>) -> Vec<u8> {
    let mut extra = String::from("<script src=\"/__banso/live.js\"></script>");
    if let Some(p) = problems {
        extra.push_str(&format!(
            "<div id=\"banso-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff0f0;color:#1a1a1a;border-top:4px solid #c00;padding:1rem;z-index:9999;font:14px/1.6 monospace\"><strong>内容に誤りがあります（直前の版を表示しています）</strong><pre style=\"white-space:pre-wrap\">{}</pre></div>",
            crate::render::escape(p)
        ));
    }
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]),
        None => format!("{text}{extra}"),
    };
    out.into_bytes()
}

fn respond(request: tiny_http::Request, site: &RwLock<Site>) {
    let url = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
    let path = crate::links::percent_decode(url.trim_start_matches('/'));
    let (plan, index, build, problems) = {
        let s = site.read().unwrap_or_else(|e| e.into_inner());
        (s.plan.clone(), s.index.clone(), s.build, s.problems.clone())
    };
    let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header");
    let reply = |status: u16, kind: &str, body: Vec<u8>| {
        tiny_http::Response::from_data(body)
            .with_status_code(status)
            .with_header(header("Content-Type", kind))
            .with_header(header("Cache-Control", "no-store"))
    };
    let response = match path.as_str() {
        "__banso/status" => reply(
            200,
            "application/json",
            format!("{{\"build\":{build},\"ok\":{}}}", problems.is_none()).into_bytes(),
        ),
        "__banso/live.js" => reply(200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec()),
        _ => match plan {
            None => {
                let body = format!(
                    "<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><title>内容に誤りがあります</title><body><h1>内容に誤りがあります</h1><pre>{}</pre></body></html>",
                    crate::render::escape(problems.as_deref().unwrap_or(""))
                );
                reply(500, "text/html; charset=utf-8", inject(body.as_bytes(), None))
            }
            Some(plan) => match index
                .as_ref()
                .filter(|(made_for, _)| Arc::ptr_eq(made_for, &plan))
                .and_then(|(_, files)| files.get(&path))
            {
                Some(bytes) => reply(200, content_type(&path), bytes.clone()),
                None => serve_file(&plan, &path, problems.as_deref(), &reply, &header),
            },
        },
    };
    let _ = request.respond(response);
}

type Reply<'a> = dyn Fn(u16, &str, Vec<u8>) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> + 'a;

fn serve_file(
    plan: &Plan,
    path: &str,
    problems: Option<&str>,
    reply: &Reply,
    header: &dyn Fn(&str, &str) -> tiny_http::Header,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let bytes = match plan.files().get(&file) {
        Some(Blob::Bytes(b)) => Some(b.clone()),
        Some(Blob::Copy(source)) => std::fs::read(Path::new(source)).ok(),
        None => None,
    };
    match bytes {
        Some(b) if file.ends_with(".html") => reply(200, content_type(&file), inject(&b, problems)),
        Some(b) => reply(200, content_type(&file), b),
        None if plan.files().contains_key(&format!("{file}/index.html")) => {
            reply(301, "text/plain", Vec::new()).with_header(header("Location", &format!("/{file}/")))
        }
        None => {
            let body = plan.get("404.html").map(|b| inject(b, problems)).unwrap_or_default();
            reply(404, "text/html; charset=utf-8", body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Arc, BaseUrl, Builder, Instant, RwLock, ServeConfig, Site, channel};
    use super::{content_type, host_allowed, inject};

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
}
