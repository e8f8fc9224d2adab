//! `banso check`: validate everything, render in memory, write nothing.

use super::{exit, fail, print_diagnostics};
use crate::cli::CheckArgs;
use crate::diag::Diagnostics;
use crate::time::Instant;

pub fn run(args: &CheckArgs) -> i32 {
    let as_of = args.as_of.unwrap_or_else(Instant::now);
    let mut diags = Diagnostics::new();
    let registry = match crate::load_registry(&args.content, &mut diags) {
        Ok(r) => r,
        Err(e) => {
            print_diagnostics(&diags);
            return fail(&e);
        }
    };
    // A placeholder announcement still to come decides when the cohort goes public.
    for c in registry.cohorts.iter().filter(|c| c.announce > as_of) {
        if let Some(at) = &c.placeholder {
            diags.push(
                crate::diag::Diagnostic::warning(
                    at.clone(),
                    format!(
                        "{}の公表の日時 {} は仮の値のままです。この時刻になると{}が公開されます",
                        c.no.label(),
                        c.announce.display_ja(),
                        c.no.label()
                    ),
                )
                .with_help("公表の日時が決まったら announce を直し、announce_confirmed: false の行を消してください"),
            );
        }
    }
    if !diags.has_errors() {
        // Every page is rendered (that is where links to held records are found); the search
        // index is made from those pages and can find no problem of the content, so it is
        // left out: it is most of the time of a large site.
        let opts = crate::SiteOptions {
            render: crate::render::Options {
                search: crate::render::Search::Deferred,
                minify: false,
            },
            ..crate::SiteOptions::at(as_of)
        };
        let rendered = crate::render::Theme::load(args.theme.as_deref())
            .map_err(crate::Error::from)
            .and_then(|t| crate::render_site(&registry, opts, &t));
        match rendered {
            Ok(built) => diags.extend(built.holdback.warnings()),
            Err(e) => {
                print_diagnostics(&diags);
                return fail(&e);
            }
        }
    }
    print_diagnostics(&diags);
    if diags.has_errors() || (args.deny_warnings && diags.warning_count() > 0) {
        return exit::INVALID;
    }
    if diags.warning_count() == 0 {
        eprintln!("問題はありません");
    }
    exit::OK
}
