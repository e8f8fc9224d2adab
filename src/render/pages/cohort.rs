//! Pages built from figures: the cohort pages with their charts, the prefecture pages, and the
//! prefecture tile map. Every chart is written as `<id>.svg` and `<id>.csv` beside its page.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::reference::PREFECTURES;
use crate::model::{Cohort, CohortNo, Prefecture, Region, urls};
use crate::publish::Team;
use crate::publish::{Record, Sources};
use crate::render::charts::{self, ChartFrame};
use crate::render::colors::MAP_SHADES;
use crate::render::renderer::{COHORT_KINDS, OgType, PageSpec, Rendered, Renderer};
use crate::render::views::layout::{crumb, root_of};
use crate::render::views::parts::{
    ChartView, HeadlineView, HeldUntil, LegendItem, NamedLink, PrefectureMap, PrefectureTile, RegionView, TeamList,
    fiscal_year_label,
};
use crate::render::views::{
    CohortListItem, CohortListView, CohortView, PrefectureCohortView, PrefectureListView, PrefectureView, TeamsView,
};
use crate::render::{RenderError, data, tilemap};
use crate::stats::{Chart, Headline, Tally};

impl Renderer<'_, '_> {
    pub(super) fn headline(&self, c: &Cohort) -> Option<HeadlineView> {
        let s = self.stats.cohort(c.no)?;
        Some(HeadlineView::of(
            c.no.0,
            c.fiscal_year,
            &s.headline,
            &s.declared,
            s.roster,
        ))
    }

    fn source_line(&self) -> String {
        format!(
            "出典：{}（{}）の公表済みの記録から作成",
            self.p.site.title, self.p.site.publisher
        )
    }

    /// Write a chart's SVG and CSV into `dir` (a site path ending in `/`) and describe it.
    /// `anchor` makes the chart's element ids unique on its page.
    /// Draw `chart` into `out` (SVG and CSV under `dir`); the view the page shows.
    fn emit_chart(
        &self,
        out: &mut Rendered,
        dir: &str,
        anchor: &str,
        chart: &Chart,
        scope: &str,
        context: &str,
    ) -> Result<ChartView, RenderError> {
        let source = self.source_line();
        let frame = ChartFrame {
            scope,
            context,
            source: &source,
            license: &self.p.site.license,
        };
        let drawn = charts::svg(chart, &frame);
        let narrow = charts::svg_narrow(chart, &frame);
        let svg = format!("{dir}{}.svg", chart.id.slug());
        let narrow_svg = format!("{dir}{}-narrow.svg", chart.id.slug());
        let csv = format!("{dir}{}.csv", chart.id.slug());
        out.file(svg.clone(), drawn.svg.into_bytes());
        out.file(narrow_svg.clone(), narrow.svg.into_bytes());
        out.file(csv.clone(), charts::csv(chart));
        let mut table = charts::table(chart, scope);
        table.id = anchor.to_string();
        Ok(ChartView {
            id: anchor.to_string(),
            title: charts::active_title(chart, scope),
            svg,
            csv,
            width: drawn.width,
            height: drawn.height,
            narrow_svg,
            narrow_width: narrow.width,
            narrow_height: narrow.height,
            // Below the wide drawing's width plus the page's side margins, it would be scaled down.
            narrow_below: drawn.width + 31,
            table,
        })
    }

    /// The tile map (links relative to `root`) and the regional list beside it.
    pub(super) fn prefecture_map(&self, root: &str) -> PrefectureMap {
        let mut per_pref: BTreeMap<u8, u32> = BTreeMap::new();
        for t in &self.p.teams {
            *per_pref.entry(t.municipality.prefecture().code).or_default() += 1;
        }
        let step = tilemap::step_for(per_pref.values().copied().max().unwrap_or(0));
        let legend = tilemap::legend(step)
            .into_iter()
            .map(|(label, shade)| LegendItem {
                label,
                fill: MAP_SHADES[shade].0.hex(),
            })
            .collect();
        let regions = Region::ALL
            .iter()
            .map(|r| {
                let prefs: Vec<_> = PREFECTURES
                    .iter()
                    .filter(|p| p.region == *r)
                    .map(|p| PrefectureTile {
                        name: p.name,
                        slug: p.slug,
                        href: urls::prefecture(p.slug),
                        teams: per_pref.get(&p.code).copied().unwrap_or(0),
                    })
                    .collect();
                RegionView {
                    name: r.name(),
                    prefectures: prefs,
                }
            })
            .collect();
        PrefectureMap {
            svg: tilemap::tile_map(&per_pref, root),
            legend,
            regions,
        }
    }

    pub(in crate::render) fn cohorts(&mut self) -> Result<(), RenderError> {
        let mut charts = Rendered::default();
        let comparison = match &self.stats.comparison {
            Some(chart) => {
                let context = "公表済みの期ごとの主要数値".to_string();
                Some(self.emit_chart(
                    &mut charts,
                    urls::COMPARISON_CHARTS,
                    "comparison",
                    chart,
                    "各期",
                    &context,
                )?)
            }
            None => None,
        };
        self.accept(charts)?;
        let list: Vec<_> = self
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
        let headline = HeadlineView::of(c.no.0, c.fiscal_year, &s.headline, &s.declared, s.roster);
        let title = format!("{}（{}）", c.no.label(), fiscal_year_label(c.fiscal_year));
        let dir = urls::cohort_charts(c.no);
        let mut views = Vec::new();
        let (shown, unshown): (Vec<&Chart>, Vec<&Chart>) = s.charts.iter().partition(|c| c.shows_figures());
        for &chart in &shown {
            let noted;
            let chart = if chart.id == crate::stats::ChartId::Population {
                noted = crate::stats::Chart {
                    note: Some(self.population_note(c.no)),
                    ..chart.clone()
                };
                &noted
            } else {
                chart
            };
            views.push(self.emit_chart(&mut out, &dir, chart.id.slug(), chart, &c.no.label(), &title)?);
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
        let h = s.headline;
        let description = if c.roster {
            format!(
                "{}の伴走支援：{}チーム・支援官{}名、{}道府県の{}市町村。性別、役職、年齢、地域、人口規模などの集計。",
                c.no.label(),
                h.teams,
                h.members,
                h.prefectures,
                h.municipalities
            )
        } else {
            let figures: Vec<String> = page
                .headline
                .figures
                .iter()
                .map(|f| format!("{}{}{}", f.label, f.value, f.unit))
                .collect();
            format!(
                "{}の伴走支援の実績（公表資料の数値）：{}。",
                c.no.label(),
                figures.join("、")
            )
        };
        let crumbs = vec![crumb("期ごとの伴走支援", urls::COHORTS)];
        // The cohort's page and its team list show the cohort, its teams and their reports.
        let sources = Sources::teams(self.p, self.p.teams_of(c.no)).with(Record::Cohort(c.no));
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

        let teams = TeamList::of(self.p, self.p.teams_of(c.no));
        let description = format!(
            "{}の伴走支援チーム{}チームの一覧（支援先の市町村、支援官の所属府省庁・役職）。",
            c.no.label(),
            teams.rows.len()
        );
        let page = TeamsView {
            cohort_label: c.no.label(),
            cohort_href: path,
            teams,
        };
        let path = urls::cohort_teams(c.no);
        let crumbs = vec![
            crumb("期ごとの伴走支援", urls::COHORTS),
            crumb(title, urls::cohort(c.no)),
        ];
        let spec = PageSpec {
            path: &path,
            sources,
            og_type: OgType::Website,
            title: format!("{} 伴走支援チーム一覧", c.no.label()),
            description,
            crumbs,
        };
        out.merge(self.page(spec, &page)?);
        Ok(out)
    }

    /// 「人口は住民基本台帳人口（2025年1月1日現在）」 when all supported municipalities share one
    /// reference date.
    fn population_note(&self, no: CohortNo) -> String {
        let dates: BTreeSet<_> = self
            .p
            .teams_of(no)
            .filter_map(|t| self.p.municipality(t.municipality).population_as_of)
            .collect();
        match dates.iter().next() {
            Some(d) if dates.len() == 1 => format!("人口は住民基本台帳人口（{}現在）。", d.display_ja()),
            _ => "人口は住民基本台帳人口。".to_string(),
        }
    }

    pub(in crate::render) fn prefectures(&mut self) -> Result<(), RenderError> {
        let spec = PageSpec {
            path: urls::PREFECTURES,
            sources: Sources::all_of(&COHORT_KINDS),
            og_type: OgType::Website,
            title: "都道府県から探す".into(),
            description: "47都道府県それぞれの伴走支援チームと支援対象の市町村。".into(),
            crumbs: vec![],
        };
        let map = self.prefecture_map(&root_of(urls::PREFECTURES));
        self.emit(spec, &PrefectureListView { map })?;
        self.emit_many(&PREFECTURES, |this, pref| this.prefecture(pref))
    }

    /// The prefecture's teams and members as the /data/ files are (CSV with the same columns,
    /// and JSON), so its own site can mirror or embed them: written beside its page.
    fn prefecture_files(
        &self,
        out: &mut Rendered,
        pref: &Prefecture,
        teams: &[&Team],
    ) -> Result<Vec<NamedLink>, RenderError> {
        let tables = [
            (
                "teams",
                "チーム一覧",
                &data::TEAMS_HEADER[..],
                data::team_rows(self.p, teams.iter().copied()),
            ),
            (
                "members",
                "支援官一覧",
                &data::MEMBERS_HEADER[..],
                data::member_rows(self.p, teams.iter().copied()),
            ),
        ];
        let mut links = Vec::new();
        for (stem, label, header, rows) in tables {
            for (ext, kind) in [("csv", "CSV"), ("json", "JSON")] {
                let name = format!("{stem}.{ext}");
                let bytes = if ext == "csv" {
                    data::csv_bytes(&name, header, &rows)?
                } else {
                    data::json_rows(&name, header, &rows)?
                };
                let href = urls::prefecture_file(pref.slug, &name);
                out.file(href.clone(), bytes);
                links.push(NamedLink {
                    name: format!("{label}（{kind}）"),
                    href,
                });
            }
        }
        Ok(links)
    }

    /// A prefecture's page with its charts.
    fn prefecture(&self, pref: &Prefecture) -> Result<Rendered, RenderError> {
        let mut out = Rendered::default();
        let in_pref = |code: crate::model::MunicipalityCode| code.prefecture().code == pref.code;
        let in_pref_teams: Vec<&Team> = self.p.teams.iter().filter(|t| in_pref(t.municipality)).collect();
        let teams = TeamList::newest_cohort_first(self.p, in_pref_teams.iter().copied());
        // The towns this programme supports; those supported only by another programme are
        // listed under that programme's name (関連する伴走支援), never mixed in here.
        let municipalities: Vec<_> = self
            .p
            .municipalities
            .values()
            .filter(|m| in_pref(m.code) && self.p.teams_in(m.code).next().is_some())
            .map(|m| NamedLink {
                name: m.name.clone(),
                href: urls::municipality(m.code),
            })
            .collect();
        let files = if teams.rows.is_empty() {
            Vec::new()
        } else {
            self.prefecture_files(&mut out, pref, &in_pref_teams)?
        };
        let mut cohorts = Vec::new();
        for ps in self.stats.prefectures.get(&pref.code).into_iter().flatten().rev() {
            let scope = format!("{}・{}", pref.name, ps.cohort.label());
            let dir = urls::prefecture_charts(pref.slug, ps.cohort);
            let mut charts = Vec::new();
            let (shown, unshown): (Vec<&Chart>, Vec<&Chart>) = ps.charts.iter().partition(|c| c.shows_figures());
            for chart in shown {
                let anchor = format!("{}-{}", ps.cohort.0, chart.id.slug());
                charts.push(self.emit_chart(&mut out, &dir, &anchor, chart, &scope, &scope)?);
            }
            let Headline {
                teams,
                members,
                municipalities,
                ..
            } = ps.headline;
            cohorts.push(PrefectureCohortView {
                cohort_label: ps.cohort.label(),
                cohort_href: urls::cohort(ps.cohort),
                teams,
                members,
                municipalities,
                charts,
                charts_unshown: unshown_sentences(&unshown),
            });
        }
        let description = if teams.rows.is_empty() {
            format!(
                "{}の地方創生伴走支援。公表済みの伴走支援チームはまだありません。",
                pref.name
            )
        } else {
            format!(
                "{}の地方創生伴走支援：{}市町村、{}チーム。",
                pref.name,
                municipalities.len(),
                teams.rows.len()
            )
        };
        let page = PrefectureView {
            search_names: crate::render::search::exact_names(prefecture_names(pref)),
            files,
            name: pref.name,
            region: pref.region.name(),
            teams,
            municipalities,
            cohorts,
            programs: self.programs_in_prefecture(pref.code),
        };
        let path = urls::prefecture(pref.slug);
        let crumbs = vec![crumb("都道府県から探す", urls::PREFECTURES)];
        let spec = PageSpec {
            path: &path,
            sources: self
                .prefecture_programs(pref.code)
                .fold(Sources::teams(self.p, in_pref_teams.iter().copied()), |s, pr| {
                    s.with(Record::Program(pr.id.clone()))
                }),
            og_type: OgType::Website,
            title: pref.name.to_string(),
            description,
            crumbs,
        };
        out.merge(self.page(spec, &page)?);
        Ok(out)
    }
}

/// What a search matches exactly to put a prefecture's page first: 宮城県 and 宮城 (北海道 alone).
fn prefecture_names(pref: &Prefecture) -> Vec<String> {
    let short = tilemap::short_name(pref.name);
    let mut names = vec![pref.name.to_string()];
    if short != pref.name {
        names.push(short.to_string());
    }
    names
}

/// 「支援官の役職、…を図と表で示します。」 for the charts a page draws.
fn charts_intro(shown: &[&Chart]) -> String {
    let subjects: Vec<&str> = shown.iter().map(|c| c.subject()).collect();
    format!("{}を図と表で示します。", subjects.join("、"))
}

/// What the page does not draw, and why, in words: a breakdown withheld to protect the few
/// people it counts, or one with nothing recorded (no bar of 0 or 未登録 is drawn for it).
fn unshown_sentences(unshown: &[&Chart]) -> Vec<String> {
    let withheld = |c: &&&Chart| c.series.iter().flat_map(|s| &s.values).any(|v| *v == Tally::Suppressed);
    let (secret, unrecorded): (Vec<&Chart>, Vec<&Chart>) = unshown.iter().partition(withheld);
    let names = |charts: &[&Chart]| charts.iter().map(|c| c.subject()).collect::<Vec<_>>().join("、");
    let mut out = Vec::new();
    if !unrecorded.is_empty() {
        out.push(format!(
            "{}は、公表済みの記録から数えられないため、図表を載せていません。",
            names(&unrecorded)
        ));
    }
    // A withheld breakdown says its own reason (「性別が登録されている支援官が10名未満のため…」);
    // one withheld only so that another cannot be worked out says the general one.
    let (own, general): (Vec<&Chart>, Vec<&Chart>) = secret.iter().partition(|c| c.suppressed.is_some());
    out.extend(own.iter().filter_map(|c| c.suppressed.clone()));
    if !general.is_empty() {
        out.push(format!(
            "{}は、人数が少なく一人ひとりがわかるおそれがあるため、内訳を載せていません。",
            names(&general)
        ));
    }
    out
}
