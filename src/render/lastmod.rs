//! 更新日時 — when each page last changed: the newest release instant among the published
//! records it shows (for `<lastmod>` in sitemap.xml). Pages that show no record have none.

use crate::model::{IssueAreaNo, MunicipalityCode, Team};
use crate::publish::Published;
use crate::time::Instant;

/// The newest release among the records a page at `path` (a site path like `cohorts/2/`) shows.
pub fn lastmod(p: &Published, path: &str) -> Option<Instant> {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let teams = |keep: &dyn Fn(&Team) -> bool| -> Option<Instant> {
        let team_times = p.teams.iter().filter(|t| keep(t)).map(|t| t.announce);
        let report_times = p
            .reports
            .iter()
            .filter(|r| p.team(r.cohort, r.team).is_some_and(keep))
            .map(|r| r.release);
        team_times.chain(report_times).max()
    };
    let everything = || {
        let cohorts = p.cohorts.iter().map(|c| c.announce);
        let pages = p.pages.iter().filter_map(|pg| pg.release);
        cohorts.chain(pages).chain(teams(&|_| true)).max()
    };
    match parts.as_slice() {
        [""] | ["data"] => everything(),
        ["cohorts"] | ["prefectures"] | ["themes"] => {
            p.cohorts.iter().map(|c| c.announce).chain(teams(&|_| true)).max()
        }
        ["cohorts", n, ..] => {
            let no: u32 = n.parse().ok()?;
            let cohort = p.cohorts.iter().find(|c| c.no.0 == no).map(|c| c.announce);
            cohort.into_iter().chain(teams(&|t| t.cohort.0 == no)).max()
        }
        ["prefectures", slug] => teams(&|t| t.municipality.prefecture().slug == *slug),
        ["municipalities", code] => {
            let code = MunicipalityCode::parse(code).ok()?;
            let programs = p
                .programs
                .iter()
                .filter(|pr| pr.support_of(code).next().is_some())
                .filter_map(|pr| pr.release);
            teams(&|t| t.municipality == code).into_iter().chain(programs).max()
        }

        ["reports"] => p.reports.iter().map(|r| r.release).max(),
        ["reports", n, stem] => p
            .reports
            .iter()
            .find(|r| r.cohort.0.to_string() == *n && r.stem == *stem)
            .map(|r| r.release),
        ["themes", nn] => {
            let area = IssueAreaNo(nn.parse().ok()?);
            teams(&|t| t.areas.contains(&area))
        }
        ["programs"] => p.programs.iter().filter_map(|pr| pr.release).max(),
        ["programs", id] => p.programs.iter().find(|pr| pr.id == *id).and_then(|pr| pr.release),
        [stem] => p.pages.iter().find(|pg| pg.stem == *stem).and_then(|pg| pg.release),

        _ => None,
    }
}
