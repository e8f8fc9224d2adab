//! 更新日時 — when each page last changed: the newest release instant among the published
//! records it shows (for `<lastmod>` in sitemap.xml). Pages that show no record have none.
//! Computed once for the whole site, then looked up per page.

use std::collections::HashMap;

use crate::model::{CohortNo, IssueAreaNo, MunicipalityCode, urls};
use crate::publish::Published;
use crate::time::Instant;

#[derive(Debug, Default)]
pub struct LastMod {
    /// Site path (as [`urls`] writes it) → when that page last changed.
    by_path: HashMap<String, Instant>,
}

/// The newest instants per record, before they are given to the pages that show them.
#[derive(Default)]
struct Newest {
    overall: Option<Instant>,
    cohorts: Option<Instant>,
    cohort: HashMap<u32, Instant>,
    prefecture: HashMap<&'static str, Instant>,
    municipality: HashMap<MunicipalityCode, Instant>,
    area: HashMap<u8, Instant>,
    /// By ministries.yaml `id`.
    ministry: HashMap<String, Instant>,
    report: HashMap<(u32, String), Instant>,
    reports: Option<Instant>,
    page: HashMap<String, Instant>,
    program: HashMap<String, Instant>,
    programs: Option<Instant>,
}

fn newest<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Instant>, key: K, t: Instant) {
    let e = map.entry(key).or_insert(t);
    *e = (*e).max(t);
}

impl LastMod {
    pub fn new(p: &Published) -> Self {
        let mut m = Newest::default();
        for r in &p.reports {
            m.report.insert((r.cohort.0, r.stem.clone()), r.release);
        }
        m.reports = p.reports.iter().map(|r| r.release).max();
        for t in &p.teams {
            let joined_or_left = t
                .members
                .iter()
                .flat_map(|m| std::iter::once(m.announce).chain(m.left.map(|d| d.start())));
            let changed = p
                .reports_of(t.cohort, t.no)
                .map(|r| r.release)
                .chain(joined_or_left)
                .fold(t.announce, Instant::max);
            newest(&mut m.cohort, t.cohort.0, changed);
            newest(&mut m.prefecture, t.municipality.prefecture().slug, changed);
            newest(&mut m.municipality, t.municipality, changed);
            for a in &t.areas {
                newest(&mut m.area, a.0, changed);
            }
            // A ministry's page lists every team one of its officials is in, whole.
            for mem in &t.members {
                if let Some(slug) = &p.ministry(mem.ministry).slug {
                    newest(&mut m.ministry, slug.clone(), changed);
                }
            }
        }
        for c in &p.cohorts {
            newest(&mut m.cohort, c.no.0, c.announce);
        }
        for pr in &p.programs {
            if let Some(t) = pr.release {
                m.program.insert(pr.id.clone(), t);
                for s in &pr.support {
                    for code in &s.municipalities {
                        newest(&mut m.municipality, *code, t);
                    }
                }
            }
        }
        m.programs = m.program.values().copied().max();
        m.page = p
            .pages
            .iter()
            .filter_map(|pg| pg.release.map(|t| (pg.stem.clone(), t)))
            .collect();
        m.cohorts = m.cohort.values().copied().max();
        m.overall = [m.cohorts, m.reports, m.programs, m.page.values().copied().max()]
            .into_iter()
            .flatten()
            .max();
        m.pages(p.reports.len().div_ceil(super::report_pages::REPORTS_PER_PAGE))
    }

    /// When the page at `path` (a site path like `cohorts/2/`) last changed.
    pub fn of(&self, path: &str) -> Option<Instant> {
        self.by_path.get(path).copied()
    }
}

impl Newest {
    /// Each page's instant, under the path `urls` gives it; `report_pages` is how many pages
    /// the report list has.
    fn pages(self, report_pages: usize) -> LastMod {
        let mut by_path = HashMap::new();
        let mut put = |path: String, t: Option<Instant>| {
            if let Some(t) = t {
                by_path.insert(path, t);
            }
        };
        put(String::new(), self.overall);
        put(urls::DATA.into(), self.overall);
        for list in [urls::COHORTS, urls::PREFECTURES, urls::THEMES] {
            put(list.into(), self.cohorts);
        }
        for (n, t) in self.cohort {
            put(urls::cohort(CohortNo(n)), Some(t));
            put(urls::cohort_teams(CohortNo(n)), Some(t));
        }
        for (slug, t) in self.prefecture {
            put(urls::prefecture(slug), Some(t));
        }
        for (code, t) in self.municipality {
            put(urls::municipality(code), Some(t));
        }
        put(urls::REPORTS.into(), self.reports);
        for page in 2..=report_pages {
            put(urls::reports_page(page), self.reports);
        }
        for ((n, stem), t) in self.report {
            put(urls::report(CohortNo(n), &stem), Some(t));
        }
        for (a, t) in self.area {
            put(urls::theme(IssueAreaNo(a)), Some(t));
        }
        put(urls::MINISTRIES.into(), self.ministry.values().copied().max());
        for (slug, t) in self.ministry {
            put(urls::ministry(&slug), Some(t));
        }
        put(urls::PROGRAMS.into(), self.programs);
        for (id, t) in self.program {
            put(urls::program(&id), Some(t));
        }
        for (stem, t) in self.page {
            put(urls::page(&stem), Some(t));
        }
        LastMod { by_path }
    }
}
