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

mod http;
mod listen;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diag::Diagnostics;
use crate::model::urls::BaseUrl;
use crate::render::Plan;
use crate::time::Instant;
pub use http::host_allowed;
use http::{allowed_host, refuse, respond};

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
pub fn serve(mut cfg: ServeConfig) -> Result<(), crate::Error> {
    if !cfg.content.is_dir() {
        return Err(crate::load::LoadError::Missing(cfg.content.clone()).into());
    }
    // The watcher reports absolute paths: the content is read under the same ones, so that a
    // rebuild reads again exactly the files it names.
    if let Ok(abs) = std::fs::canonicalize(&cfg.content) {
        cfg.content = abs;
    }
    let listener =
        std::net::TcpListener::bind(("127.0.0.1", cfg.port)).map_err(|e| ServeError::Bind(cfg.port, e.to_string()))?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(cfg.port);
    let base_url = BaseUrl::parse(&format!("http://127.0.0.1:{port}/")).expect("a loopback address is a base URL");
    println!("{base_url}");
    eprintln!("確認用サーバー: {base_url} （止めるには Ctrl+C）");

    let site = Arc::new(RwLock::new(Site::default()));
    let (index_tx, index_rx) = channel();
    {
        let site = Arc::clone(&site);
        std::thread::spawn(move || index_in_background(index_rx, &site));
    }
    let caches = Arc::new(crate::Caches::default());
    let builder = Builder {
        cfg: cfg.clone(),
        base_url: base_url.clone(),
        site: Arc::clone(&site),
        caches: Arc::clone(&caches),
        index: index_tx,
        builtin: std::sync::OnceLock::new(),
    };
    // Watch before the first build, so that nothing saved while it runs goes unnoticed.
    // Changes only: reading the files while rebuilding must not count as a change.
    let (tx, rx) = channel();
    let seen = Arc::clone(&caches);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
        Ok(e) if e.need_rescan() || (e.paths.is_empty() && !matches!(e.kind, EventKind::Access(_))) => {
            seen.load.lost_track();
            let _ = tx.send(());
        }
        Ok(e)
            if matches!(
                e.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any | EventKind::Other
            ) =>
        {
            seen.load.changed(e.paths);
            let _ = tx.send(());
        }
        Ok(_) => {}
        Err(_) => {
            seen.load.lost_track();
            let _ = tx.send(());
        }
    })
    .map_err(|e| ServeError::Watch(cfg.content.clone(), e.to_string()))?;
    for dir in std::iter::once(&cfg.content).chain(cfg.theme.iter()) {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| ServeError::Watch(dir.clone(), e.to_string()))?;
    }
    caches.load.watched();
    let mut next = builder.rebuild_safely();

    {
        let site = Arc::clone(&site);
        listen::run(listener, move |request| {
            if allowed_host(request, port) {
                respond(request, &site)
            } else {
                refuse()
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
                // An editor's save is often several events a few milliseconds apart: rebuild once
                // they have stopped for a moment (at most 300 ms after the first).
                let settle = std::time::Instant::now() + Duration::from_millis(300);
                while std::time::Instant::now() < settle && rx.recv_timeout(Duration::from_millis(30)).is_ok() {}
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
    caches: Arc<crate::Caches>,
    /// Each new site goes to the background indexer.
    index: Sender<Arc<Plan>>,
    /// The built-in theme, compiled once: it is part of the program and cannot change.
    builtin: std::sync::OnceLock<Arc<crate::render::Theme>>,
}

/// Make the search index of each new site, skipping to the newest when several are waiting.
/// Parts of the index whose pages did not change are kept from the last one
/// ([`crate::render::search::PartCache`]), so an edit re-indexes a part or two. It runs on a
/// pool of its own, so a rebuild is not queued behind it.
fn index_in_background(jobs: Receiver<Arc<Plan>>, site: &RwLock<Site>) {
    let parts = crate::render::search::PartCache::default();
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(2).build() {
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
        match pool.install(|| crate::render::search::search_index_with(&plan, Some(&parts))) {
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
    /// The theme to build with: a `--theme` folder read afresh (its files may have changed), the
    /// built-in one compiled once.
    fn theme(&self) -> Result<Arc<crate::render::Theme>, crate::render::theme::ThemeError> {
        if self.cfg.theme.is_some() {
            return crate::render::Theme::load(self.cfg.theme.as_deref()).map(Arc::new);
        }
        if let Some(t) = self.builtin.get() {
            return Ok(Arc::clone(t));
        }
        let t = Arc::new(crate::render::Theme::builtin()?);
        Ok(Arc::clone(self.builtin.get_or_init(|| t)))
    }

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
        // Kept until the new site is served: freeing the records of a large site takes a while.
        let loaded = crate::load_registry_with(&cfg.content, &mut diags, Some(caches));
        let outcome: Result<Plan, String> = match &loaded {
            Err(e) => Err(format!("エラー: {e}\n")),
            Ok(_) if diags.has_errors() => Err(diags.render()),
            Ok(registry) => self
                .theme()
                .map_err(crate::Error::from)
                .and_then(|theme| {
                    let opts = crate::SiteOptions {
                        as_of,
                        preview: cfg.preview,
                        base_url: Some(self.base_url.clone()),
                        render: crate::render::Options {
                            search: crate::render::Search::Deferred,
                            minify: false,
                        },
                    };
                    crate::render_site_with(
                        registry,
                        opts,
                        &theme,
                        crate::render::Reuse {
                            pages: Some(&caches.pages),
                            index: None,
                        },
                    )
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
        let mut last = None;
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
                last = s.plan.replace(Arc::clone(&plan));
                s.problems = None;
                let _ = self.index.send(plan);
            }
            Err(text) => {
                eprint!("{text}");
                eprintln!("内容に誤りがあるため、直前の版を表示しています");
                s.problems = Some(text);
            }
        }
        // Served from here on: the last site and the records are freed after the lock is let go.
        drop(s);
        drop(last);
        next
    }
}

#[cfg(test)]
mod tests;
