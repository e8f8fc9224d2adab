//! The top page: the latest cohort's headline figures, the tile map, the newest reports, and
//! お知らせ — what is new on the site, newest first: cohorts announced, reports published, pages
//! released at a set time. From the published view only, so nothing held is announced.

use crate::model::urls;
use crate::publish::{Published, Sources};
use crate::render::RenderError;
use crate::render::renderer::{EVERY_KIND, OgType, PageSpec, Renderer};
use crate::render::views::HomeView;
use crate::render::views::parts::{HeldUntil, NewsItem, ReportRef};

impl Renderer<'_, '_> {
    pub(in crate::render) fn home(&mut self) -> Result<(), RenderError> {
        let headline = self.p.latest_cohort().and_then(|c| self.headline(c));
        let latest: Vec<ReportRef> = self
            .p
            .reports_newest_first()
            .iter()
            .take(6)
            .map(|r| ReportRef::of(self.p, r))
            .collect();
        let page = HomeView {
            news: news(self.p, 5),
            teams_href: self.p.latest_roster().map(|c| urls::cohort_teams(c.no)),
            headline,
            map: self.prefecture_map("./"),
            reports: latest,
            intro: self.p.site.description.clone(),
        };
        let description = self.p.site.description.clone().unwrap_or_else(|| {
            "国の職員が2～3名のチームで中小規模の市町村を支援する地方創生伴走支援制度の、チーム・支援先・報告をまとめたサイトです。".into()
        });
        self.emit(
            PageSpec {
                path: "",
                sources: Sources::all_of(&EVERY_KIND),
                og_type: OgType::Website,
                title: self.p.site.title.clone(),
                description,
                crumbs: vec![],
            },
            &page,
        )
    }
}

/// The `limit` newest items of お知らせ.
fn news(p: &Published, limit: usize) -> Vec<NewsItem> {
    // A cohort known only by its declared figures, at a placeholder instant, is no news with a
    // date: its figures are on its page, and the feed leaves it out too.
    let cohorts = p
        .cohorts
        .iter()
        .filter(|c| c.roster || p.confirmed(c.announce).is_some())
        .map(|c| {
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
        date: r.release.date().wareki(),
        date_iso: Some(r.release.date().iso()),
        title: format!("報告「{}」を掲載しました", r.title),
        href: urls::report(r.cohort, &r.stem),
        held_until: HeldUntil::of(p, r.release),
        at: r.release,
    });
    let pages = p.pages.iter().filter_map(|pg| {
        let at = pg.release?;
        // A page released with a cohort whose date is given in words is dated in those words.
        // So is one released at a placeholder instant.
        let words = pg
            .released_with
            .and_then(|no| p.cohort(no)?.announce_shown.clone())
            .or_else(|| p.unconfirmed(at).map(|c| c.announce_label()));
        Some(NewsItem {
            date_iso: words.is_none().then(|| at.date().iso()),
            date: words.unwrap_or_else(|| at.date().wareki()),
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
