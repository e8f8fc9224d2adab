//! お知らせ — what is new on the site, newest first: cohorts announced, reports published, pages
//! released at a set time. From the published view only, so nothing held is announced.

use serde::Serialize;

use super::context::HeldUntil;
use crate::model::urls;
use crate::publish::Published;
use crate::time::Instant;

/// One line of the top page's お知らせ.
#[derive(Debug, Serialize)]
pub struct NewsItem {
    /// As pages show it: a date, or the source's words for a cohort's announcement.
    pub date: String,
    /// `2026-03-27` for `<time datetime>`, when the date is a date.
    pub date_iso: Option<String>,
    pub title: String,
    pub href: String,
    /// In a preview, when the item really goes public.
    pub held_until: Option<HeldUntil>,
    #[serde(skip)]
    at: Instant,
}

/// The `limit` newest items.
pub fn latest(p: &Published, limit: usize) -> Vec<NewsItem> {
    let cohorts = p.cohorts.iter().map(|c| {
        let title = if c.roster {
            let teams = p.teams_of(c.no).count();
            format!("{}の伴走支援チーム{}チームを公表しました", c.no.label(), teams)
        } else {
            format!("{}の実績（公表資料の数値）を掲載しました", c.no.label())
        };
        NewsItem {
            date: c.announce_label(),
            date_iso: c.announce_shown.is_none().then(|| c.announce.date().iso()),
            title,
            href: urls::cohort(c.no),
            held_until: HeldUntil::of(p, c.announce),
            at: c.announce,
        }
    });
    let reports = p.reports.iter().map(|r| NewsItem {
        date: r.release.date().display_ja(),
        date_iso: Some(r.release.date().iso()),
        title: format!("報告「{}」を掲載しました", r.title),
        href: urls::report(r.cohort, &r.stem),
        held_until: HeldUntil::of(p, r.release),
        at: r.release,
    });
    let pages = p.pages.iter().filter_map(|pg| {
        let at = pg.release?;
        // A page released with a cohort whose date is given in words is dated in those words.
        let words = pg.released_with.and_then(|no| p.cohort(no)?.announce_shown.clone());
        Some(NewsItem {
            date_iso: words.is_none().then(|| at.date().iso()),
            date: words.unwrap_or_else(|| at.date().display_ja()),
            title: format!("「{}」を掲載しました", pg.title),
            href: urls::page(&pg.stem),
            held_until: HeldUntil::of(p, at),
            at,
        })
    });
    let mut all: Vec<NewsItem> = cohorts.chain(reports).chain(pages).collect();
    all.sort_by(|a, b| (b.at, &b.href).cmp(&(a.at, &a.href)));
    all.truncate(limit);
    all
}
