//! `banso release --at T|next`: the site of instant T built ahead of time into a private
//! staging directory beside the output, swapped in at T — not before, and within a second
//! after — rebuilt first if content changed while waiting.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::build::PUBLIC_DEFAULT;
use super::{exit, fail};
use crate::cli::{ReleaseArgs, ReleaseAt};
use crate::output::{self, OutputKind, Staged};
use crate::time::Instant;

/// What the content folder looks like on disk: each file's path, size and modification time.
/// A different fingerprint means the content changed.
fn fingerprint(content: &Path) -> Vec<(String, u64, Option<SystemTime>)> {
    walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().ok();
            (
                e.path().to_string_lossy().into_owned(),
                meta.as_ref().map_or(0, |m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            )
        })
        .collect()
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The site at `at`, staged beside `out`. Content errors print and give exit 1.
fn stage(args: &ReleaseArgs, at: Instant) -> Result<Staged, i32> {
    let registry = super::load_valid(&args.content).inspect_err(|&code| {
        if code == exit::INVALID {
            eprintln!("内容に誤りがあるため、公表しません（今の出力はそのままです）");
        }
    })?;
    let theme = crate::render::Theme::load(None).map_err(|e| fail(&e.into()))?;
    let opts = crate::SiteOptions {
        as_of: at,
        preview: false,
        base_url: None,
        render: crate::render::Options::default(),
    };
    let built = crate::render_site(&registry, opts, &theme).map_err(|e| fail(&e))?;
    output::stage(&built.plan, &args.output, OutputKind::Public, Path::new(PUBLIC_DEFAULT)).map_err(|e| fail(&e.into()))
}

/// Content changed while waiting: the staged site goes (it shares its directory's name with the
/// next one), and the site at `at` is staged again from the content as it is now.
fn restage(args: &ReleaseArgs, at: Instant, staged: Staged) -> Result<Staged, i32> {
    eprintln!("\r内容が変わったため作り直します");
    drop(staged);
    stage(args, at)
}

fn next_release(args: &ReleaseArgs) -> Result<Option<Instant>, i32> {
    let registry = super::load_valid(&args.content)?;
    Ok(crate::publish::publish(&registry, Instant::now(), false)
        .holdback
        .next_release())
}

pub fn run(args: &ReleaseArgs) -> i32 {
    let at = match args.at {
        ReleaseAt::At(t) => t,
        ReleaseAt::Next => match next_release(args) {
            Ok(Some(t)) => t,
            Ok(None) => {
                eprintln!("公表待ちのものはありません（--at で時刻を指定できます）");
                return exit::USAGE;
            }
            Err(code) => return code,
        },
    };
    let mut staged = match stage(args, at) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut seen = fingerprint(&args.content);
    let pending = staged.changes().cloned().unwrap_or_default();
    eprintln!(
        "{} に公表します：今の出力と比べて 追加 {}・変更 {}・削除 {} ファイル（準備済み：{}）",
        at.display_ja(),
        pending.added.len(),
        pending.changed.len(),
        pending.removed.len(),
        staged.dir().display()
    );
    // The pages that appear and go: what a person watching the countdown checks.
    for (what, paths) in [("現れるページ", &pending.added), ("なくなるページ", &pending.removed)] {
        let pages: Vec<&String> = paths.iter().filter(|p| p.ends_with(".html")).collect();
        if !pages.is_empty() {
            eprintln!("  {what} {}:", pages.len());
            for p in pages.iter().take(20) {
                eprintln!("    /{}", p.trim_end_matches("index.html"));
            }
            if pages.len() > 20 {
                eprintln!(
                    "    …ほか {} ページ（全体は banso diff で確かめられます）",
                    pages.len() - 20
                );
            }
        }
    }
    let target = at.as_second() as f64;
    let live = super::color() || std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut last_check = unix_now();
    loop {
        let now = unix_now();
        if now >= target {
            break;
        }
        let left = target - now;
        if live {
            let s = left.ceil() as u64;
            eprint!("\r公表まで {:02}:{:02}:{:02} ", s / 3600, s / 60 % 60, s % 60);
        }
        // Look for edits every two seconds; wake up on time for the release.
        if now - last_check >= 2.0 {
            last_check = now;
            let current = fingerprint(&args.content);
            if current != seen {
                staged = match restage(args, at, staged) {
                    Ok(s) => s,
                    Err(code) => return code,
                };
                seen = current;
            }
        }
        std::thread::sleep(Duration::from_secs_f64(left.min(0.2)));
    }
    if live {
        eprintln!();
    }
    // An edit in the last moments: the released site is the content as it is now.
    if fingerprint(&args.content) != seen {
        staged = match restage(args, at, staged) {
            Ok(s) => s,
            Err(code) => return code,
        };
    }
    match staged.swap_in() {
        Ok(w) => {
            eprintln!(
                "{} に公表しました：追加 {}・変更 {}・削除 {} ファイル",
                at.display_ja(),
                w.changes.added.len(),
                w.changes.changed.len(),
                w.changes.removed.len()
            );
            exit::OK
        }
        Err(e) => fail(&e.into()),
    }
}
