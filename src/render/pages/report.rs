//! The report pages: the list of all reports (100 a page, newest first, with a pager) and one
//! page per report.

use serde::Serialize;

use crate::hash::Hash128;
use crate::model::Report;
use crate::model::urls;
use crate::publish::{Kind, Record, Sources};
use crate::render::RenderError;
use crate::render::markdown::{plain_text, render_markdown};
use crate::render::renderer::{OgType, PageText, Renderer};
use crate::render::views::layout::{crumb, root_of};
use crate::render::views::parts::{HeldUntil, OFFICER_DEFINITION, ReportRef, fmt_int};
use crate::render::views::{AttachmentView, ReportListView, ReportView};

impl Renderer<'_, '_> {
    pub(in crate::render) fn reports(&mut self) -> Result<(), RenderError> {
        let all = self.p.reports_newest_first();
        // Each report with its team's key: what its line in a list and its own page are made
        // from besides the links of its body (only with a page cache).
        let keys: Vec<u128> = if self.caching() {
            use rayon::prelude::*;
            all.par_iter()
                .map(|r| Hash128::default().value(&(r, self.row_key(r.cohort, r.team))).finish())
                .collect()
        } else {
            vec![0; all.len()]
        };
        let pages: Vec<(usize, &[&Report], &[u128])> = if all.is_empty() {
            vec![(1, &[], &[])]
        } else {
            all.chunks(REPORTS_PER_PAGE)
                .zip(keys.chunks(REPORTS_PER_PAGE))
                .enumerate()
                .map(|(i, (c, k))| (i + 1, c, k))
                .collect()
        };
        let total = pages.len();
        let count = fmt_int(all.len() as u64);
        self.emit_many(&pages, |this, &(no, reports, keys)| {
            let path = reports_list_path(no);
            let inputs = |w: &mut Hash128| {
                w.value(&(no, total, &count, keys));
            };
            this.page_from(&path, Sources::all_of(&[Kind::Reports]), inputs, || {
                let (title, crumbs) = if no == 1 {
                    ("報告".to_string(), vec![])
                } else {
                    (
                        format!("報告（{no}／{total}ページ）"),
                        vec![crumb("報告", urls::REPORTS)],
                    )
                };
                let text = PageText {
                    og_type: OgType::Website,
                    title,
                    description: "伴走支援チームの中間報告・最終報告・活動報告の一覧。".into(),
                    crumbs,
                };
                let refs: Vec<ReportRef> = reports.iter().map(|r| ReportRef::of(this.p, r)).collect();
                let page = ReportListView {
                    reports: refs,
                    count: count.clone(),
                    pager: Pager::new(no, total),
                };
                (text, page)
            })
        })?;
        let keyed: Vec<(&Report, u128)> = all.iter().copied().zip(keys.iter().copied()).collect();
        self.emit_many(&keyed, |this, &(r, key)| {
            let path = urls::report(r.cohort, &r.stem);
            // The page shows the report and, at its foot, the team as it stands now.
            let sources =
                Sources::record(Record::Report(r.cohort, r.stem.clone())).with(Record::Team(r.cohort, r.team));
            let shows = |t: &_| this.p.shows(t);
            let inputs = |w: &mut Hash128| {
                let sizes: Vec<_> = r
                    .attachments
                    .iter()
                    .map(|a| this.p.assets.get(&a.asset).map(|x| x.size))
                    .collect();
                let linked: Vec<bool> = r.body.links.values().map(|l| shows(&l.target)).collect();
                let held = HeldUntil::of(this.p, r.release).map(|h| h.iso);
                w.value(&(key, sizes, linked, held));
            };
            this.page_from(&path, sources, inputs, || {
                let root = root_of(&path);
                let team = this
                    .p
                    .team(r.cohort, r.team)
                    .expect("published report has a published team");
                let attachments: Vec<_> = r
                    .attachments
                    .iter()
                    .map(|a| {
                        let ext = a.asset.0.rsplit('.').next().unwrap_or("").to_uppercase();
                        let size = this.p.assets.get(&a.asset).map(|x| human_size(x.size));
                        AttachmentView {
                            title: a.title.clone(),
                            href: crate::render::markdown::asset_href(&a.asset),
                            format: ext,
                            size,
                        }
                    })
                    .collect();
                let team_row = this.rows.row(this.p, team);
                let page = ReportView {
                    title: r.title.clone(),
                    kind: r.kind.name(),
                    date: r.date.wareki(),
                    date_iso: r.date.iso(),
                    summary: r.summary.clone(),
                    body: render_markdown(&r.body, &root, &shows),
                    attachments,
                    officer_note: team_row.members.iter().any(|m| m.officer).then_some(OFFICER_DEFINITION),
                    team: team_row,
                    held_until: HeldUntil::of(this.p, r.release),
                };
                let description = r.summary.clone().unwrap_or_else(|| plain_text(&r.body, &shows, 110));
                let text = PageText {
                    og_type: OgType::Article,
                    title: r.title.clone(),
                    description,
                    crumbs: vec![crumb("報告", urls::REPORTS)],
                };
                (text, page)
            })
        })
    }
}

/// Reports per page of the /reports/ list (newest first).
pub const REPORTS_PER_PAGE: usize = 100;

/// `reports/` for the first page of the list, `reports/page/<n>/` after it.
fn reports_list_path(no: usize) -> String {
    if no == 1 {
        urls::REPORTS.to_string()
    } else {
        urls::reports_page(no)
    }
}

/// Links between the pages of a long list: first, last, and two either side of the current one.
#[derive(Debug, Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// Page links in order; `None` marks a gap (…).
    pages: Vec<Option<PagerLink>>,
}

#[derive(Debug, Serialize)]
struct PagerLink {
    no: usize,
    href: String,
    current: bool,
}

impl Pager {
    fn new(current: usize, total: usize) -> Self {
        let link = |no: usize| PagerLink {
            no,
            href: reports_list_path(no),
            current: no == current,
        };
        let mut pages = Vec::new();
        let mut last = 0;
        for no in 1..=total {
            if no == 1 || no == total || no.abs_diff(current) <= 2 {
                if no > last + 1 {
                    pages.push(None);
                }
                pages.push(Some(link(no)));
                last = no;
            }
        }
        Pager {
            current,
            total,
            prev: (current > 1).then(|| reports_list_path(current - 1)),
            next: (current < total).then(|| reports_list_path(current + 1)),
            pages,
        }
    }
}

fn human_size(bytes: u64) -> String {
    let kb = bytes as f64 / 1024.0;
    match bytes {
        0..=1023 => format!("{bytes}B"),
        // A size that rounds to 1024KB is shown as the 1.0MB it is.
        _ if kb.round() < 1024.0 => format!("{kb:.0}KB"),
        _ => format!("{:.1}MB", bytes as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_size(622), "622B");
        assert_eq!(human_size(2048), "2KB");
        assert_eq!(human_size(3 * 1_048_576 / 2), "1.5MB");
        assert_eq!(human_size(1_048_063), "1023KB");
        assert_eq!(human_size(1_048_064), "1.0MB", "not 1024KB");
        assert_eq!(human_size(1_048_575), "1.0MB");
    }

    #[test]
    fn the_pager_shows_both_ends_and_two_either_side() {
        let numbers = |p: &Pager| -> Vec<Option<usize>> { p.pages.iter().map(|l| l.as_ref().map(|l| l.no)).collect() };
        let mid = Pager::new(50, 100);
        assert_eq!(
            numbers(&mid),
            [
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(100)
            ]
        );
        assert_eq!(mid.prev.as_deref(), Some("reports/page/49/"));
        assert_eq!(mid.next.as_deref(), Some("reports/page/51/"));
        let start = Pager::new(1, 4);
        assert_eq!(
            numbers(&start),
            [Some(1), Some(2), Some(3), Some(4)],
            "no gap next to a shown page"
        );
        assert_eq!(start.prev, None);
        assert_eq!(start.pages[0].as_ref().map(|l| l.href.as_str()), Some("reports/"));
        let one = Pager::new(1, 1);
        assert_eq!((numbers(&one), one.prev, one.next), (vec![Some(1)], None, None));
    }
}
