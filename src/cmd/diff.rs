//! `banso diff`: the site at two instants, rendered in memory and compared (`compare`) — what
//! becomes public, and what a release adds, changes and removes — for the person who signs off.

use super::{exit, fail};
use crate::cli::{DiffArgs, Format};
use crate::compare::{SiteDiff, compare, newly_public};
use crate::publish::publish;
use crate::time::Instant;

pub fn run(args: &DiffArgs) -> i32 {
    let from = args.from.unwrap_or_else(Instant::now);
    let registry = match super::load_valid(&args.site.content) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(to) = args
        .to
        .or_else(|| publish(&registry, from, false).holdback.next_release())
    else {
        return show(&SiteDiff::nothing_after(from), args);
    };
    let theme = match crate::render::Theme::load(args.site.theme.as_deref()) {
        Ok(t) => t,
        Err(e) => return fail(&e.into()),
    };
    let site = |as_of| {
        let opts = crate::SiteOptions {
            as_of,
            preview: false,
            base_url: args.site.base_url.clone(),
            // Pages as the public build has them (search page and box); the search index itself
            // is made from the pages, and comparing its shards says nothing more.
            render: crate::render::Options {
                search: crate::render::Search::Deferred,
                minify: false,
            },
        };
        crate::render_site(&registry, opts, &theme)
    };
    let (a, b) = match (site(from), site(to)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return fail(&e),
    };
    let public = newly_public(
        &publish(&registry, from, false).published,
        &publish(&registry, to, false).published,
    );
    show(&compare(from, to, &a.plan, &b.plan, public), args)
}

fn show(d: &SiteDiff, args: &DiffArgs) -> i32 {
    match args.format {
        Format::Text => {
            print!("{}", d.text(args.full));
            exit::OK
        }
        Format::Json => super::print_json(d),
    }
}
