//! The cohorts: the list of cohorts (/cohorts/, with the comparison chart) and a page per
//! cohort with its headline figures and charts; the headline figures the top page shows too.

use std::collections::BTreeSet;

use crate::model::{Cohort, CohortNo, MinistryGroup, urls};
use crate::publish::{Record, Sources};
use crate::render::RenderError;
use crate::render::charts::emit::{Place, unshown_sentences};
use crate::render::renderer::{COHORT_KINDS, OgType, PageSpec, Rendered, Renderer};
use crate::render::views::layout::crumb;
use crate::render::views::parts::{HeadlineView, HeldUntil, OFFICER_DEFINITION, fiscal_year_label};
use crate::render::views::{CohortListItem, CohortListView, CohortView};
use crate::stats::Chart;

impl Renderer<'_, '_> {
    /// Cohort `c`'s headline figures, as its page, the list of cohorts and the top page show them.
    pub(super) fn headline(&self, c: &Cohort) -> Option<HeadlineView> {
        let s = self.stats.cohort(c.no)?;
        let mut view = HeadlineView::of(c.no.0, c.fiscal_year, &s.headline, &s.declared, s.roster, &c.sources);
        view.places = crate::render::views::parts::places_line(&c.declared);
        Some(view)
    }

    /// The sources of every published cohort, each once, in cohort order.
    fn all_sources(&self) -> Vec<crate::model::Source> {
        let mut all: Vec<crate::model::Source> = Vec::new();
        for s in self.p.cohorts.iter().flat_map(|c| &c.sources) {
            if !all.contains(s) {
                all.push(s.clone());
            }
        }
        all
    }

    pub(in crate::render) fn cohorts(&mut self) -> Result<(), RenderError> {
        let mut charts = Rendered::default();
        let comparison = match &self.stats.comparison {
            Some(chart) => {
                let context = "公表済みの期ごとの主要数値".to_string();
                let mut view = self.emit_chart(
                    &mut charts,
                    urls::COMPARISON_CHARTS,
                    "comparison",
                    chart,
                    Place {
                        scope: "各期",
                        context: &context,
                        sources: &self.all_sources(),
                    },
                )?;
                self.chart_metadata(
                    &mut charts,
                    urls::COMPARISON_CHARTS,
                    &context,
                    std::slice::from_mut(&mut view),
                )?;
                Some(view)
            }
            None => None,
        };
        self.accept(charts)?;
        let mut list: Vec<_> = self
            .p
            .cohorts
            .iter()
            .rev()
            .filter_map(|c| self.headline(c).map(|h| (c, h)))
            .map(|(c, headline)| CohortListItem {
                headline,
                period: c.period_label(),
                announce: c.announce_label(),
            })
            .collect();
        // 地方創生支援オフィサー is said once: under the first cohort that has any.
        let mut said = false;
        for item in &mut list {
            if said {
                item.headline.officer_definition = None;
            }
            said |= item.headline.officer_definition.is_some();
        }
        let spec = PageSpec {
            path: urls::COHORTS,
            sources: Sources::all_of(&COHORT_KINDS),
            og_type: OgType::Website,
            title: "期ごとの伴走支援".into(),
            description: "地方創生伴走支援制度の期（年度）ごとの伴走支援チームと支援対象の市町村です。".into(),
            crumbs: vec![],
        };
        self.emit(
            spec,
            &CohortListView {
                cohorts: list,
                comparison,
            },
        )?;
        let cohorts = self.p.cohorts.clone();
        self.emit_many(&cohorts, |this, c| this.cohort(c))
    }

    /// A cohort's page with its charts, and its team list.
    fn cohort(&self, c: &Cohort) -> Result<Rendered, RenderError> {
        let mut out = Rendered::default();
        let Some(s) = self.stats.cohort(c.no) else {
            return Ok(out);
        };
        let Some(headline) = self.headline(c) else {
            return Ok(out);
        };
        let title = format!("{}（{}）", c.no.label(), fiscal_year_label(c.fiscal_year));
        let dir = urls::cohort_charts(c.no);
        let mut views = Vec::new();
        let (shown, unshown): (Vec<&Chart>, Vec<&Chart>) = s.charts.iter().partition(|c| c.shows_figures());
        for &chart in &shown {
            let noted;
            let chart = if chart.id == crate::stats::ChartId::Population {
                noted = crate::stats::Chart {
                    note: Some(format!(
                        "{}{}",
                        chart.note.as_deref().unwrap_or_default(),
                        self.population_note(c.no)
                    )),
                    ..chart.clone()
                };
                &noted
            } else {
                chart
            };
            views.push(self.emit_chart(
                &mut out,
                &dir,
                chart.id.slug(),
                chart,
                Place {
                    scope: &c.no.label(),
                    context: &title,
                    sources: &c.sources,
                },
            )?);
        }
        self.chart_metadata(&mut out, &dir, &format!("{title}の図表の数値"), &mut views)?;
        // The ministry chart's group オフィサー出向先等 says what an オフィサー is when the
        // headline (which comes first) has no オフィサー to count.
        if headline.officer_definition.is_none() {
            let officer_group = MinistryGroup::OfficerBodies.name();
            let defines = |c: &&Chart| c.groups.iter().any(|g| g.name == officer_group);
            if let Some(i) = shown.iter().position(defines) {
                let table = &mut views[i].table;
                table.note = Some(format!("{}{OFFICER_DEFINITION}", table.note.take().unwrap_or_default()));
            }
        }
        let page = CohortView {
            charts_intro: charts_intro(&shown),
            charts_unshown: unshown_sentences(&unshown),
            headline,
            period: c.period_label(),
            announce: c.announce_label(),
            charts: views,
            latest: self.p.latest_cohort().map(|l| l.no) == Some(c.no),
            held_until: HeldUntil::of(self.p, c.announce),
        };
        let path = urls::cohort(c.no);
        // Said from what the page shows: the headline as shown (the declared figure where there
        // is one) and the subjects of the charts it draws.
        let figures: Vec<String> = page
            .headline
            .figures
            .iter()
            .map(|f| format!("{}{}{}", f.label, f.value, f.unit))
            .collect();
        let description = if c.roster {
            let drawn: Vec<&str> = shown.iter().map(|ch| ch.subject()).collect();
            let charts = if drawn.is_empty() {
                String::new()
            } else {
                format!("{}の図表。", drawn.join("、"))
            };
            format!("{}の伴走支援：{}。{charts}", c.no.label(), figures.join("、"))
        } else {
            format!(
                "{}の伴走支援の実績（公表資料の数値）：{}。",
                c.no.label(),
                figures.join("、")
            )
        };
        let crumbs = vec![crumb("期ごとの伴走支援", urls::COHORTS)];
        // The cohort's page and its team list are made from the cohort and its teams; their
        // 「更新」 date follows the teams' reports too, as every page listing teams does.
        let sources = Sources::teams(self.p.teams_of(c.no)).with(Record::Cohort(c.no));
        let spec = PageSpec {
            path: &path,
            sources: sources.clone(),
            og_type: OgType::Website,
            title: title.clone(),
            description,
            crumbs,
        };
        out.merge(self.page(spec, &page)?);
        if !c.roster {
            return Ok(out); // no team list is kept for it
        }
        out.merge(self.team_list(c, title, sources)?);
        Ok(out)
    }

    /// 「人口は住民基本台帳人口（2025年1月1日現在）」 when all supported municipalities share one
    /// reference date.
    fn population_note(&self, no: CohortNo) -> String {
        let dates: BTreeSet<_> = self
            .p
            .teams_of(no)
            .filter_map(|t| self.p.town(t).population_as_of)
            .collect();
        match dates.iter().next() {
            Some(d) if dates.len() == 1 => format!("人口は住民基本台帳人口（{}現在）。", d.wareki()),
            _ => "人口は住民基本台帳人口。".to_string(),
        }
    }
}

/// 「支援官の役職、…を図と表で示します。」 for the charts a page draws.
fn charts_intro(shown: &[&Chart]) -> String {
    let subjects: Vec<&str> = shown.iter().map(|c| c.subject()).collect();
    format!("{}を図と表で示します。", subjects.join("、"))
}
