//! 市町村 pages: one per published municipality (/municipalities/CODE/), with its teams and
//! other programmes.

use crate::hash::Hash128;
use crate::model::{Municipality, urls};
use crate::publish::{Record, Sources};
use crate::render::RenderError;
use crate::render::renderer::{OgType, PageText, Renderer};
use crate::render::views::layout::crumb;
use crate::render::views::parts::{OFFICER_DEFINITION, ReportRef, TeamRow, fmt_int};
use crate::render::views::{MunicipalityTeam, MunicipalityView};

impl Renderer<'_, '_> {
    pub(in crate::render) fn municipalities(&mut self) -> Result<(), RenderError> {
        let all: Vec<_> = self.p.municipalities.values().copied().collect();
        self.emit_many(&all, |this, m| {
            let pref = m.prefecture();
            let programs = this.program_refs(m.code);
            let path = urls::municipality(m.code);
            let programs_here = this
                .p
                .programs
                .iter()
                .filter(|pr| pr.support_of(m.code).next().is_some());
            let sources = programs_here.fold(Sources::teams(this.p.teams_in(m.code)), |s, pr| {
                s.with(Record::Program(pr.id.clone()))
            });
            let inputs = |w: &mut Hash128| {
                let teams: Vec<u128> = this.p.teams_in(m.code).map(|t| this.team_key(t.cohort, t.no)).collect();
                // With the programmes as the page lists them (rarely any).
                w.value(&(m, teams, &programs));
            };
            this.page_from(&path, sources, inputs, || {
                let teams: Vec<_> = this
                    .p
                    .teams_in(m.code)
                    .rev()
                    .map(|t| MunicipalityTeam {
                        row: this.rows.row(this.p, t),
                        reports: this
                            .p
                            .reports_of(t.cohort, t.no)
                            .map(|r| ReportRef::of(this.p, r))
                            .collect(),
                    })
                    .collect();
                let supports: Vec<String> = teams
                    .iter()
                    .map(|t| {
                        format!(
                            "地方創生伴走支援制度 {} チーム{}（{}）",
                            t.row.cohort_label,
                            t.row.number,
                            ministries_of(&t.row)
                        )
                    })
                    .chain(programs.iter().map(|p| format!("{}（{}）", p.name, p.fiscal_year)))
                    .collect();
                let description = format!("{}が受けている国の伴走支援：{}。", m.full_name(), supports.join("、"));
                let page = MunicipalityView {
                    search_names: search_names(m),
                    name: m.name.clone(),
                    full_name: m.full_name(),
                    kana: m.kana.clone(),
                    code: m.code.to_string(),
                    prefecture: pref.name,
                    prefecture_href: urls::prefecture(pref.slug),
                    population: m.population.map(fmt_int),
                    population_as_of: m.population_as_of.map(|d| d.wareki()),
                    officer_note: teams
                        .iter()
                        .any(|t| t.row.members.iter().any(|m| m.officer))
                        .then_some(OFFICER_DEFINITION),
                    teams,
                    programs: programs.clone(),
                };
                let text = PageText {
                    og_type: OgType::Website,
                    title: m.full_name(),
                    description,
                    crumbs: vec![
                        crumb("都道府県から探す", urls::PREFECTURES),
                        crumb(pref.name, urls::prefecture(pref.slug)),
                    ],
                };
                (text, page)
            })
        })
    }
}

/// The team's 府省庁等, each once, in member order: 「農林水産省・財務省・日本郵便」.
fn ministries_of(t: &TeamRow) -> String {
    let mut names: Vec<&str> = Vec::new();
    for m in &t.members {
        if !names.contains(&m.ministry.as_str()) {
            names.push(&m.ministry);
        }
    }
    names.join("・")
}

/// What a search matches exactly to put this page first: the name (天塩町), with its prefecture
/// (北海道天塩町), without its 市町村 suffix (天塩), and the reading with and without its
/// suffix (てしおちょう, てしお). The search page compares after NFKC and without spaces.
fn search_names(m: &Municipality) -> Vec<String> {
    let mut names = vec![m.name.clone(), m.full_name()];
    if let Some(stem) = m.name.strip_suffix(['市', '町', '村']).filter(|s| !s.is_empty()) {
        names.push(stem.to_string());
    }
    if let Some(kana) = &m.kana {
        names.push(kana.clone());
        let stem = ["ちょう", "まち", "むら", "そん", "し"]
            .iter()
            .find_map(|suffix| kana.strip_suffix(suffix))
            .filter(|s| s.chars().count() >= 2);
        names.extend(stem.map(str::to_string));
    }
    crate::render::search::exact_names(names)
}
