//! The prefectures: the list with the tile map (/prefectures/), and a page per prefecture with
//! its teams, municipalities, charts per cohort, related programmes, and its teams and members
//! as CSV and JSON beside the page. The tile map is on the top page too.

use std::collections::BTreeMap;

use crate::hash::Hash128;
use crate::model::reference::PREFECTURES;
use crate::model::{Prefecture, Region, urls};
use crate::publish::Team;
use crate::publish::{Record, Sources};
use crate::render::charts::emit::{Place, unshown_sentences};
use crate::render::colors::MAP_SHADES;
use crate::render::renderer::{COHORT_KINDS, OgType, PageSpec, PageText, Rendered, Renderer};
use crate::render::views::layout::{crumb, root_of};
use crate::render::views::parts::{LegendItem, NamedLink, PrefectureMap, PrefectureTile, RegionView, TeamList};
use crate::render::views::{PrefectureCohortView, PrefectureListView, PrefectureView, ProgramInPrefecture};
use crate::render::{RenderError, data, tilemap};
use crate::stats::{Chart, Headline, PrefectureStats};

impl Renderer<'_, '_> {
    /// The tile map (links relative to `root`) and the regional list beside it.
    /// The published cohorts whose team lists are kept here, and those known only by their
    /// declared figures (第1期): per-prefecture counts cover the first alone.
    fn listed_and_unlisted(&self) -> (Vec<String>, Vec<String>) {
        let (listed, unlisted): (Vec<_>, Vec<_>) = self.p.cohorts.iter().partition(|c| c.roster);
        let labels = |cs: Vec<&crate::model::Cohort>| cs.iter().map(|c| c.no.label()).collect();
        (labels(listed), labels(unlisted))
    }

    /// What the per-prefecture counts cover, said from what is published (SPEC §2: a statement
    /// about what the site shows is made from what it shows).
    fn coverage(&self) -> String {
        let (listed, unlisted) = self.listed_and_unlisted();
        let mut s = if listed.is_empty() {
            "都道府県ごとのチーム数は、伴走支援チーム一覧を載せている期のチームを数えます。".to_string()
        } else {
            format!(
                "都道府県ごとのチーム数は、伴走支援チーム一覧を載せている{}の公表済みのチームの数です。",
                listed.join("・")
            )
        };
        if !unlisted.is_empty() {
            s.push_str(&format!(
                "{}は伴走支援チーム一覧をこのサイトに載せていないため、数に含みません。",
                unlisted.join("・")
            ));
        }
        s
    }

    /// A prefecture page's words where it has no team: what the lists kept here show, and
    /// what the site cannot say.
    fn no_team_here(&self, pref: &Prefecture) -> String {
        let (listed, unlisted) = self.listed_and_unlisted();
        let mut s = if listed.is_empty() {
            String::new()
        } else {
            format!(
                "{}の伴走支援チーム一覧には、{}の市町村はありません。",
                listed.join("・"),
                pref.name
            )
        };
        if !unlisted.is_empty() {
            s.push_str(&format!(
                "{}は伴走支援チーム一覧をこのサイトに載せていないため、{}の支援先はわかりません。",
                unlisted.join("・"),
                pref.name
            ));
        }
        if s.is_empty() {
            s = "公表済みの伴走支援チームはまだありません。".to_string();
        }
        s
    }

    /// Where a prefecture page's readers find the breakdowns it does not show: the cohorts whose
    /// pages show gender, age or track, from the charts those pages carry.
    fn breakdowns_elsewhere(&self) -> String {
        let shown: Vec<String> = self.stats.with_person_breakdowns().map(|no| no.label()).collect();
        let mut s =
            "支援官の性別・年齢・事務官と技官の別は、一人ひとりがわからないよう、都道府県ごとには載せていません。"
                .to_string();
        if !shown.is_empty() {
            s.push_str(&format!("期全体の集計は{}のページに載せています。", shown.join("・")));
        }
        s
    }

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
            coverage: self.coverage(),
            counted: self.p.cohorts.iter().any(|c| c.roster),
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
        let described: Vec<_> = data::describe_files(false, data::breakdowns_shown(self.stats))
            .into_iter()
            .filter(|f| matches!(f.name, "teams.csv" | "members.csv"))
            .collect();
        out.file(
            urls::prefecture_file(pref.slug, data::csvw::FILE),
            data::data_metadata(self.p, &described)?,
        );
        Ok(links)
    }

    /// A prefecture's page with its charts and data files, made again only when what they are
    /// made from changed (see the key's inputs below).
    fn prefecture(&self, pref: &Prefecture) -> Result<Rendered, RenderError> {
        let in_pref = |code: crate::model::MunicipalityCode| code.prefecture().code == pref.code;
        let in_pref_teams: Vec<&Team> = self.p.teams.iter().filter(|t| in_pref(t.municipality)).collect();
        let programs = self.programs_in_prefecture(pref.code);
        let path = urls::prefecture(pref.slug);
        let sources = self
            .prefecture_programs(pref.code)
            .fold(Sources::teams(in_pref_teams.iter().copied()), |s, pr| {
                s.with(Record::Program(pr.id.clone()))
            });
        let figures = self.stats.prefectures.get(&pref.code);
        // The programmes as listed: text and links, whose serialising cannot fail.
        let listed = serde_json::to_vec(&programs).unwrap_or_default();
        let inputs = |w: &mut Hash128| {
            // Its teams by key (each with its members, municipality, reports and row as listed:
            // the team table, the CSV and JSON beside the page, the count of towns), its figures
            // and charts, the published cohorts (which the counts cover, and the sources that
            // charts and data cite), the cohorts whose pages show the person breakdowns, and the
            // programmes as the page lists them.
            let teams: Vec<u128> = in_pref_teams.iter().map(|t| self.row_key(t.cohort, t.no)).collect();
            let breakdowns: Vec<_> = self.stats.with_person_breakdowns().collect();
            w.value(&(pref.code, teams, figures, &self.p.cohorts, breakdowns, listed));
        };
        self.page_with_files_from(&path, sources, inputs, |out| {
            self.prefecture_page(out, pref, &in_pref_teams, figures, programs)
        })
    }

    /// What [`Renderer::prefecture`] makes when it is not in the cache: the files beside the
    /// page into `out`, and the page.
    fn prefecture_page(
        &self,
        out: &mut Rendered,
        pref: &Prefecture,
        in_pref_teams: &[&Team],
        figures: Option<&Vec<PrefectureStats>>,
        programs: Vec<ProgramInPrefecture>,
    ) -> Result<(PageText, PrefectureView), RenderError> {
        let teams = TeamList::newest_cohort_first(&self.rows, self.p, in_pref_teams.iter().copied());
        // The towns this programme supports (the team table links each); those supported only
        // by another programme are listed under that programme's name (関連する伴走支援).
        let towns = in_pref_teams
            .iter()
            .map(|t| t.municipality)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let files = if teams.rows.is_empty() {
            Vec::new()
        } else {
            self.prefecture_files(out, pref, in_pref_teams)?
        };
        let mut cohorts = Vec::new();
        for ps in figures.into_iter().flatten().rev() {
            let scope = format!("{}・{}", pref.name, ps.cohort.label());
            let dir = urls::prefecture_charts(pref.slug, ps.cohort);
            let mut charts = Vec::new();
            let (shown, unshown): (Vec<&Chart>, Vec<&Chart>) = ps.charts.iter().partition(|c| c.shows_figures());
            for chart in shown {
                let anchor = format!("{}-{}", ps.cohort.0, chart.id.slug());
                let sources = self.p.cohort(ps.cohort).map_or(&[][..], |c| &c.sources[..]);
                let place = Place {
                    scope: &scope,
                    context: &scope,
                    sources,
                };
                charts.push(self.emit_chart(out, &dir, &anchor, chart, place)?);
            }
            self.chart_metadata(out, &dir, &format!("{scope}の図表の数値"), &mut charts)?;
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
            format!("{}の地方創生伴走支援。{}", pref.name, self.no_team_here(pref))
        } else {
            format!(
                "{}の地方創生伴走支援：{}市町村、{}チーム。",
                pref.name,
                towns,
                teams.rows.len()
            )
        };
        let page = PrefectureView {
            search_names: crate::render::search::exact_names(prefecture_names(pref)),
            files,
            name: pref.name,
            region: pref.region.name(),
            teams,
            cohorts,
            programs,
            no_team: self.no_team_here(pref),
            breakdowns: self.breakdowns_elsewhere(),
        };
        let text = PageText {
            og_type: OgType::Website,
            title: pref.name.to_string(),
            description,
            crumbs: vec![crumb("都道府県から探す", urls::PREFECTURES)],
        };
        Ok((text, page))
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
