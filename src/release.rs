//! 公表の予約 — `release --at T`: the site of instant T staged ahead of time beside the output,
//! and swapped in at T, not before (SPEC §3 "Release").
//!
//! - **What was staged is what is released.** The content's fingerprint (every file's bytes,
//!   `load::fingerprint`) is taken *before* the content is read for staging. While waiting, and
//!   once more at T, the fingerprint is taken again: any edit since that moment, one made while
//!   staging included, is staged again before the swap. A postponement saved while `release`
//!   stages is therefore never missed.
//! - **A half-saved file does not cancel the release.** A content state that fails validation
//!   is reported and the last good staging kept; the next change is tried again. Only content
//!   still invalid at T refuses (the old site untouched).
//! - **One writer at a swap.** The swap takes the output's lock and never replaces a later site
//!   another writer put there since this one started (`output::Claim`); what changed is counted
//!   at the swap, against the tree replaced.
//!
//! The command line drives [`run`] with the clock and prints its [`Event`]s; nothing here reads
//! the clock itself.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::compare::{Public, newly_public};
use crate::diag::Diagnostics;
use crate::model::Registry;
use crate::model::urls::BaseUrl;
use crate::output::{self, Claim, Staged, Written};
use crate::render::{Plan, Search, Theme};
use crate::time::Instant;

/// What to release, and where.
pub struct Job {
    pub content: PathBuf,
    pub theme: Option<PathBuf>,
    pub base_url: Option<BaseUrl>,
    pub at: Instant,
}

/// Files counted as `diff` counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

/// What the output in place is, as far as `diff` is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InPlace {
    /// No site yet.
    Nothing,
    /// Exactly the site of this as-of, so `banso diff --from it --to T` shows these counts.
    SiteOf(Instant),
    /// A site whose marker gives this as-of but whose files differ from that site today (the
    /// content changed since it was built, or it was built with other options).
    DiffersFrom(Instant),
    /// A site of an older banso, without an as-of.
    Unknown,
}

/// What the staged site will change at T.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Pages, data, charts and assets: the files `diff` compares.
    pub site: Counts,
    /// The search index's files, counted apart.
    pub search: Counts,
    /// Pages that appear and go (site paths), said only when asked (`--verbose`).
    pub appear: Vec<String>,
    pub go: Vec<String>,
    /// What becomes public, against the site in place.
    pub public: Public,
    pub in_place: InPlace,
}

/// What happens while waiting, for the command line to say.
pub enum Event<'a> {
    /// The first staging is ready.
    Staged(&'a Pending),
    /// The content changed and the site of T was staged again.
    Restaged(&'a Pending),
    /// The content as it is now does not validate (its problems); `kept`: a good staging of
    /// earlier content is kept meanwhile.
    Invalid { problems: &'a Diagnostics, kept: bool },
    /// Seconds left until T (said several times a second).
    Waiting(f64),
}

/// How a release ended.
pub enum Outcome {
    Released(Box<(Written, Pending)>),
    /// The content was still invalid at T: nothing was swapped.
    Invalid,
}

/// A site staged from one state of the content.
struct Good {
    staged: Staged,
    plan: Plan,
    fingerprint: Option<u128>,
    pending: Pending,
}

/// Everything `run` needs between attempts.
struct Releaser<'a> {
    job: &'a Job,
    claim: &'a Claim,
    theme: Theme,
}

impl Releaser<'_> {
    /// Fingerprint, read, validate, render and stage the content as it is now. `Ok(Err(fp))`:
    /// the content at fingerprint `fp` is invalid (its problems given to `events`; `kept` says
    /// whether a good staging is kept meanwhile).
    fn attempt(&self, kept: bool, events: &mut dyn FnMut(Event)) -> Result<Result<Good, Option<u128>>, crate::Error> {
        let fingerprint = crate::load::fingerprint(&self.job.content);
        let mut diags = Diagnostics::new();
        let registry = crate::load_registry(&self.job.content, &mut diags)?;
        crate::hook::pause("after-load");
        if diags.has_errors() {
            events(Event::Invalid { problems: &diags, kept });
            return Ok(Err(fingerprint));
        }
        let plan = self.render(&registry, self.job.at, Search::Full)?;
        // Written whole, not linked from the live output: a staging can wait hours, and a file
        // linked from the live site would follow any change made to that site meanwhile.
        let staged = output::stage(&plan, self.claim, self.job.at, false)?;
        let pending = self.pending(&registry, &plan)?;
        Ok(Ok(Good {
            staged,
            plan,
            fingerprint,
            pending,
        }))
    }

    fn render(&self, registry: &Registry, as_of: Instant, search: Search) -> Result<Plan, crate::Error> {
        let opts = crate::SiteOptions {
            as_of,
            preview: false,
            base_url: self.job.base_url.clone(),
            // A release builds the site as `build` does from the same site.yaml.
            render: crate::render::Options {
                search,
                minify: registry.site.minify,
            },
        };
        Ok(crate::render_site(registry, opts, &self.theme)?.plan)
    }

    /// What `plan` changes against the output in place, and what that output is.
    fn pending(&self, registry: &Registry, plan: &Plan) -> Result<Pending, crate::Error> {
        let out = self.claim.out();
        let changes = output::changes(plan, out);
        let search = |p: &&String| p.starts_with("pagefind/");
        let count = |v: &[String], s: bool| v.iter().filter(|p| search(p) == s).count();
        let counts = |s: bool| Counts {
            added: count(&changes.added, s),
            changed: count(&changes.changed, s),
            removed: count(&changes.removed, s),
        };
        let pages = |v: &[String]| v.iter().filter(|p| p.ends_with(".html")).cloned().collect();
        let marker = output::read_marker(out);
        let in_place = match marker.as_ref().map(|m| m.as_of) {
            None => InPlace::Nothing,
            Some(None) => InPlace::Unknown,
            Some(Some(t)) => {
                // Pages as a build with search has them (the header's search box), the index
                // itself aside: what `diff` compares.
                let then = self.render(registry, t, Search::Deferred)?;
                if output::holds(out, &then, |p| p.starts_with("pagefind/")) {
                    InPlace::SiteOf(t)
                } else {
                    InPlace::DiffersFrom(t)
                }
            }
        };
        let before = match in_place {
            InPlace::SiteOf(t) | InPlace::DiffersFrom(t) => Some(t),
            InPlace::Nothing | InPlace::Unknown => None,
        };
        let public = match before {
            Some(t) => newly_public(
                &crate::publish::publish(registry, t, false).published,
                &crate::publish::publish(registry, self.job.at, false).published,
            ),
            None => Public::default(),
        };
        Ok(Pending {
            site: counts(false),
            search: counts(true),
            appear: pages(&changes.added),
            go: pages(&changes.removed),
            public,
            in_place,
        })
    }
}

/// Stage the site of `job.at`, wait for it, and swap it in, as SPEC §3 "Release" says. `now`
/// is the clock in seconds (fractional); `events` hears what happens while waiting.
pub fn run(
    job: &Job,
    claim: &Claim,
    now: &dyn Fn() -> f64,
    events: &mut dyn FnMut(Event),
) -> Result<Outcome, crate::Error> {
    let releaser = Releaser {
        job,
        claim,
        theme: Theme::load(job.theme.as_deref())?,
    };
    let mut good: Option<Good> = None;
    // The fingerprint of the last content tried, valid or not: tried again only once it changes.
    let mut tried = try_again(&releaser, &mut good, events)?;
    let target = job.at.as_second() as f64;
    let mut last_check = now();
    loop {
        let t = now();
        if t >= target {
            break;
        }
        events(Event::Waiting(target - t));
        if t - last_check >= 2.0 {
            last_check = t;
            let current = crate::load::fingerprint(&job.content);
            if current != tried || current.is_none() {
                tried = try_again(&releaser, &mut good, events)?;
                crate::hook::pause("restaged");
            }
        }
        std::thread::sleep(Duration::from_secs_f64((target - t).clamp(0.0, 0.2)));
    }
    // At T the content as it is now goes public: staged again until what was staged is what is
    // there (a few rounds at most, unless someone keeps saving at that very moment).
    for _ in 0..5 {
        let current = crate::load::fingerprint(&job.content);
        if current.is_some() && good.as_ref().is_some_and(|g| g.fingerprint == current) {
            let Good {
                staged, plan, pending, ..
            } = good.take().expect("checked above");
            let written = staged.swap_in(&plan)?;
            return Ok(Outcome::Released(Box::new((written, pending))));
        }
        if current.is_some() && current == tried {
            break; // the content as it is now was tried and is invalid
        }
        tried = try_again(&releaser, &mut good, events)?;
    }
    Ok(Outcome::Invalid)
}

/// Stage the content as it is now; on invalid content keep the last good staging. Returns the
/// fingerprint tried.
fn try_again(
    releaser: &Releaser,
    good: &mut Option<Good>,
    events: &mut dyn FnMut(Event),
) -> Result<Option<u128>, crate::Error> {
    let first = good.is_none();
    match releaser.attempt(good.is_some(), events)? {
        Ok(g) => {
            events(if first {
                Event::Staged(&g.pending)
            } else {
                Event::Restaged(&g.pending)
            });
            let fp = g.fingerprint;
            // The staging replaced goes now that the next one is good.
            *good = Some(g);
            Ok(fp)
        }
        Err(fp) => Ok(fp),
    }
}

/// Whether `dir` lies where a web server could list it (for the warning `release` gives).
pub fn parent_readable_by_others(out: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(out).ok()?;
    let parent = abs.parent()?.to_path_buf();
    output::readable_by_others(&parent).then_some(parent)
}
