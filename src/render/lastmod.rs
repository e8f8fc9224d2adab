//! 更新日時 — when each page last changed: the newest release instant among the published
//! records it shows (for `<lastmod>` in sitemap.xml). Pages that show no record have none.
//! Computed once for the whole site, then looked up per page.

use std::collections::HashMap;

use crate::model::MunicipalityCode;
use crate::publish::Published;
use crate::time::Instant;

#[derive(Debug, Default)]
pub struct LastMod {
    overall: Option<Instant>,
    cohorts: Option<Instant>,
    cohort: HashMap<u32, Instant>,
    prefecture: HashMap<&'static str, Instant>,
    municipality: HashMap<MunicipalityCode, Instant>,
    area: HashMap<u8, Instant>,
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
        let mut m = LastMod::default();
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
        m
    }

    /// When the page at `path` (a site path like `cohorts/2/`) last changed.
    pub fn of(&self, path: &str) -> Option<Instant> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        match parts.as_slice() {
            [""] | ["data"] => self.overall,
            ["cohorts"] | ["prefectures"] | ["themes"] => self.cohorts,
            ["cohorts", n, ..] => self.cohort.get(&n.parse().ok()?).copied(),
            ["prefectures", slug] => self.prefecture.get(slug).copied(),
            ["municipalities", code] => self.municipality.get(&MunicipalityCode::parse(code).ok()?).copied(),
            ["reports"] | ["reports", "page", _] => self.reports,
            ["reports", n, stem] => self.report.get(&(n.parse().ok()?, stem.to_string())).copied(),
            ["themes", nn] => self.area.get(&nn.parse().ok()?).copied(),
            ["programs"] => self.programs,
            ["programs", id] => self.program.get(*id).copied(),
            [stem] => self.page.get(*stem).copied(),
            _ => None,
        }
    }
}
