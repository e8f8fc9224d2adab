//! `banso build`

use std::path::{Path, PathBuf};

use super::report::{BuildReport, FileCounts};
use super::{exit, fail, print_diagnostics};
use crate::cli::{BuildArgs, Format};
use crate::diag::Diagnostics;
use crate::output::{self, OutputKind};
use crate::time::Instant;

/// The public output directory a preview must never write into.
pub const PUBLIC_DEFAULT: &str = "output";

pub fn run(args: &BuildArgs) -> i32 {
    let started = std::time::Instant::now();
    let kind = if args.preview {
        OutputKind::Preview
    } else {
        OutputKind::Public
    };
    let default = if args.preview { "output-preview" } else { PUBLIC_DEFAULT };
    let out = args.output.clone().unwrap_or_else(|| PathBuf::from(default));
    // Claimed before anything is read: the swap then knows whether another writer put a later
    // site there meanwhile (SPEC §1).
    let claim = match output::claim(&out, kind, Path::new(PUBLIC_DEFAULT)) {
        Ok(c) => c,
        Err(e) => return fail(&e.into()),
    };
    let as_of = args.as_of.unwrap_or_else(Instant::now);
    let mut diags = Diagnostics::new();
    let result = crate::load_registry(&args.site.content, &mut diags);
    if diags.has_errors() {
        print_diagnostics(&diags);
    }
    let registry = match result {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if diags.has_errors() {
        eprintln!("内容に誤りがあるため、何も書き出していません（前回の出力はそのままです）");
        if args.format == Format::Json {
            println!(
                "{}",
                serde_json::json!({ "written": false, "errors": diags.error_count(), "warnings": diags.warning_count() })
            );
        }
        return exit::INVALID;
    }
    // Parts of the search index and pages whose inputs are unchanged are taken from the last
    // build into this output. Only a public build of now (or of an earlier instant) keeps them:
    // a preview's pages are not public, and a build of a later instant holds pages not yet
    // public. Minified pages are not the pages as rendered, whose keys the manifest holds.
    let future = args.as_of.is_some_and(|t| t > Instant::now());
    let keeps = !args.preview && !future;
    let minify = args.minify || registry.site.minify;
    let warned = std::cell::Cell::new(false);
    let private = |what: &str| match output::private_cache(&out, what) {
        Ok(dir) => Some(dir),
        Err(why) => {
            if !args.quiet && !warned.replace(true) {
                eprintln!(
                    "注意: 次の build で使い回すためのキャッシュを使えません（{why}）。ページと検索の索引を毎回すべて作ります"
                );
            }
            None
        }
    };
    let index_cache = (keeps && !args.no_search)
        .then(|| private("search"))
        .flatten()
        .map(crate::render::search::PartCache::on_disk);
    let page_cache = (keeps && !minify)
        .then(|| private("pages"))
        .flatten()
        .map(|dir| crate::render::PageCache::on_disk(&dir, &out));
    // The index is made while the pages are written (`write_site`), but from the pages as
    // rendered, so with `--minify` in render, before its pass.
    let search = if args.no_search {
        crate::render::Search::Off
    } else if minify {
        crate::render::Search::Full
    } else {
        crate::render::Search::Deferred
    };
    let built = crate::render::Theme::load(args.site.theme.as_deref())
        .map_err(crate::Error::from)
        .and_then(|theme| {
            let opts = crate::SiteOptions {
                as_of,
                preview: args.preview,
                base_url: args.site.base_url.clone(),
                render: crate::render::Options {
                    search,
                    // The command line or site.yaml turns it on.
                    minify,
                },
            };
            let reuse = crate::render::Reuse {
                pages: page_cache.as_ref(),
                index: index_cache.as_ref(),
            };
            crate::render_site_with(&registry, opts, &theme, reuse)
        })
        .and_then(|mut built| {
            let index = (search == crate::render::Search::Deferred).then_some(index_cache.as_ref());
            let written = crate::timing::timed("write", || write_site(&mut built.plan, &claim, as_of, index))?;
            // The output now holds the pages the manifest names.
            if let Some(c) = &page_cache {
                c.keep();
            }
            Ok((built, written))
        });
    let (built, written) = match built {
        Ok(x) => x,
        Err(e) => {
            print_diagnostics(&diags);
            return fail(&e);
        }
    };
    // Links to held things are found by `publish`, after validation: their warnings join the
    // others, printed once.
    diags.extend(built.holdback.warnings());
    if !args.quiet {
        print_diagnostics(&diags);
    }
    let held = &built.holdback.held;
    let report = BuildReport {
        output: out.display().to_string(),
        preview: args.preview,
        as_of,
        files: FileCounts::of(&built.plan),
        bytes: written.bytes,
        held: held.len(),
        next_release: built.holdback.next_release(),
        warnings: diags.warning_count(),
        elapsed_seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        changes: written.changes,
        reused: super::report::Reused {
            pages: page_cache.as_ref().map_or(0, |c| c.taken_from_disk()),
            search_parts: index_cache.as_ref().map_or(0, |c| c.taken()),
        },
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("エラー: {e}"),
        },
        Format::Text if !args.quiet => eprint!("{}", report.text()),
        Format::Text => {}
    }
    // The process exits next: the records and pages of a large site are not freed one by one
    // (20–30 ms at 10,000 reports).
    std::mem::forget((registry, built));
    exit::OK
}

/// Stage `plan` and swap it in. With `index` (the parts kept of the last index, if any), the
/// search index is made from the plan's pages while they are written — on the other core: it
/// takes one part made again after an edit, and writing the pages the other — and is added to
/// the plan and to the staged site before the swap.
fn write_site(
    plan: &mut crate::render::Plan,
    claim: &output::Claim,
    as_of: Instant,
    index: Option<Option<&crate::render::search::PartCache>>,
) -> Result<output::Written, crate::Error> {
    let Some(cache) = index else {
        return Ok(output::stage(plan, claim, as_of, true)?.swap_in(plan)?);
    };
    let pages = &*plan;
    let (staged, files) = std::thread::scope(|scope| {
        let index = scope.spawn(|| {
            crate::timing::timed("search index", || {
                crate::render::search::search_index_with(pages, cache)
            })
        });
        // On one thread: the index takes a core for itself (after an edit it makes one part on
        // one thread), and writing on both would only take turns with it.
        let stage = || output::stage(pages, claim, as_of, true);
        let staged = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
            Ok(one) => one.install(stage),
            Err(_) => stage(),
        };
        let files = index.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (staged, files)
    });
    let (mut staged, files) = (staged?, files?);
    let mut paths = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        paths.push(path.clone());
        plan.add(path, bytes)?;
    }
    staged.add(plan, &paths)?;
    Ok(staged.swap_in(plan)?)
}
