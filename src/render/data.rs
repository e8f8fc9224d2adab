//! オープンデータ — /data/*.csv and summary.json (SPEC §5): UTF-8 with BOM, one table per
//! file, a header row, one record a row, dates as YYYY-MM-DD, empty for unknown, codes as text.

use serde::Serialize;

use super::{Plan, RenderError};
use crate::model::PopulationBand;
use crate::publish::Published;
use crate::stats::Stats;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One file of /data/, as the data page describes it.
#[derive(Debug, Serialize)]
pub struct DataFile {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: Vec<(&'static str, &'static str)>,
}

pub const TEAMS_HEADER: [&str; 9] = [
    "全国地方公共団体コード",
    "都道府県",
    "市町村",
    "期",
    "チーム番号",
    "継続",
    "課題分野",
    "支援官数",
    "公表日",
];
pub const MEMBERS_HEADER: [&str; 8] = [
    "全国地方公共団体コード",
    "市町村",
    "期",
    "チーム番号",
    "所属府省庁",
    "役職",
    "氏名",
    "職名",
];
pub const MUNICIPALITIES_HEADER: [&str; 5] = ["全国地方公共団体コード", "都道府県", "市町村", "人口", "支援を受けた期"];

/// What the /data/ page says about each file.
pub fn describe_files() -> Vec<DataFile> {
    vec![
        DataFile {
            name: "teams.csv",
            title: "伴走支援チーム一覧",
            description: "公表済みの伴走支援チーム。1行が1チームです。",
            columns: vec![
                (
                    "全国地方公共団体コード",
                    "支援先市町村の6桁の団体コード（検査数字を含む。文字列）",
                ),
                ("都道府県", "支援先の都道府県名"),
                ("市町村", "支援先の市町村名"),
                ("期", "期の番号（数字のみ）"),
                ("チーム番号", "期の中でのチーム番号"),
                ("継続", "継続、新規、または空欄（記録がない場合）"),
                ("課題分野", "取り組む課題分野。複数ある場合は ; で区切ります"),
                ("支援官数", "チームの地方創生支援官の人数"),
                ("公表日", "チームを公表した日（YYYY-MM-DD）"),
            ],
        },
        DataFile {
            name: "members.csv",
            title: "地方創生支援官一覧",
            description: "公表済みのチームの支援官。1行が1人です。性別・年齢・事務官/技官の別は含みません（集計値のみ summary.json に載せています）。",
            columns: vec![
                ("全国地方公共団体コード", "支援先市町村の団体コード（文字列）"),
                ("市町村", "支援先の市町村名"),
                ("期", "期の番号"),
                ("チーム番号", "期の中でのチーム番号"),
                ("所属府省庁", "支援官の所属府省庁等"),
                ("役職", "指定職、課長級、企画官・室長級、補佐級、係長級のいずれか"),
                ("氏名", "公表している場合の氏名（ない場合は空欄）"),
                ("職名", "公表している場合の職名（ない場合は空欄）"),
            ],
        },
        DataFile {
            name: "municipalities.csv",
            title: "支援先市町村一覧",
            description: "公表済みの伴走支援を受けた市町村。1行が1市町村です。",
            columns: vec![
                ("全国地方公共団体コード", "6桁の団体コード（文字列）"),
                ("都道府県", "都道府県名"),
                ("市町村", "市町村名"),
                ("人口", "住民基本台帳人口（記録がない場合は空欄）"),
                (
                    "支援を受けた期",
                    "伴走支援を受けた期の番号。複数ある場合は ; で区切ります",
                ),
            ],
        },
        DataFile {
            name: "summary.json",
            title: "集計値（JSON）",
            description: "公表済みの期ごとの主要数値と、各集計表の数値。",
            columns: vec![],
        },
    ]
}

pub(super) fn render_data(p: &Published, stats: &Stats, plan: &mut Plan) -> Result<(), RenderError> {
    plan.add("data/teams.csv", teams_csv(p)?)?;
    plan.add("data/members.csv", members_csv(p)?)?;
    plan.add("data/municipalities.csv", municipalities_csv(p)?)?;
    let json = serde_json::to_vec_pretty(&summary(p, stats))
        .map_err(|e| RenderError::Data("summary.json".into(), e.to_string()))?;
    plan.add("data/summary.json", json)
}

fn csv_bytes(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, RenderError> {
    let err = |e: &dyn std::fmt::Display| RenderError::Data(name.to_string(), e.to_string());
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    w.write_record(header).map_err(|e| err(&e))?;
    for row in rows {
        w.write_record(&row).map_err(|e| err(&e))?;
    }
    w.into_inner().map_err(|e| err(&e))
}

fn teams_csv(p: &Published) -> Result<Vec<u8>, RenderError> {
    let rows = p
        .teams
        .iter()
        .map(|t| {
            let m = p.municipality(t.municipality);
            vec![
                m.code.to_string(),
                m.prefecture().name.to_string(),
                m.name.clone(),
                t.cohort.0.to_string(),
                t.no.0.to_string(),
                t.continuing
                    .map(|c| if c { "継続" } else { "新規" })
                    .unwrap_or("")
                    .to_string(),
                t.areas.iter().map(|a| a.name()).collect::<Vec<_>>().join(";"),
                t.members.len().to_string(),
                t.announce.date().iso(),
            ]
        })
        .collect();
    csv_bytes("teams.csv", &TEAMS_HEADER, rows)
}

fn members_csv(p: &Published) -> Result<Vec<u8>, RenderError> {
    let mut rows = Vec::new();
    for t in &p.teams {
        let m = p.municipality(t.municipality);
        for member in &t.members {
            rows.push(vec![
                m.code.to_string(),
                m.name.clone(),
                t.cohort.0.to_string(),
                t.no.0.to_string(),
                p.ministry(member.ministry).name.clone(),
                member.grade.name().to_string(),
                member.name.clone().unwrap_or_default(),
                member.position.clone().unwrap_or_default(),
            ]);
        }
    }
    csv_bytes("members.csv", &MEMBERS_HEADER, rows)
}

fn municipalities_csv(p: &Published) -> Result<Vec<u8>, RenderError> {
    let rows = p
        .municipalities
        .values()
        .map(|m| {
            let mut cohorts: Vec<u32> = p
                .teams
                .iter()
                .filter(|t| t.municipality == m.code)
                .map(|t| t.cohort.0)
                .collect();
            cohorts.sort_unstable();
            cohorts.dedup();
            vec![
                m.code.to_string(),
                m.prefecture().name.to_string(),
                m.name.clone(),
                m.population.map(|n| n.to_string()).unwrap_or_default(),
                cohorts.iter().map(u32::to_string).collect::<Vec<_>>().join(";"),
            ]
        })
        .collect();
    csv_bytes("municipalities.csv", &MUNICIPALITIES_HEADER, rows)
}

#[derive(Serialize)]
struct Summary {
    description: &'static str,
    cohorts: Vec<CohortSummary>,
}

#[derive(Serialize)]
struct CohortSummary {
    cohort: u32,
    label: String,
    fiscal_year: u32,
    announce: String,
    period: [String; 2],
    headline: crate::stats::Headline,
    declared: Vec<crate::stats::DeclaredFigure>,
    tables: Vec<Table>,
}

#[derive(Serialize)]
struct Table {
    id: &'static str,
    title: &'static str,
    rows: Vec<(String, Option<u32>)>,
}

fn summary(p: &Published, stats: &Stats) -> Summary {
    let cohorts = stats
        .cohorts
        .iter()
        .filter_map(|s| {
            let c = p.cohorts.iter().find(|c| c.no == s.no)?;
            let tables = vec![
                Table {
                    id: "region",
                    title: "地域別 伴走支援自治体数",
                    rows: s
                        .by_region
                        .iter()
                        .map(|(r, t, _)| (r.name().to_string(), Some(*t)))
                        .collect(),
                },
                Table {
                    id: "region_applicants",
                    title: "地域別 応募自治体数",
                    rows: s.by_region.iter().map(|(r, _, a)| (r.name().to_string(), *a)).collect(),
                },
                Table {
                    id: "population",
                    title: "人口規模別 伴走支援自治体数",
                    rows: s
                        .by_population
                        .iter()
                        .filter(|(b, n)| PopulationBand::ALL.contains(b) || *n > 0)
                        .map(|(b, n)| (b.name().to_string(), Some(*n)))
                        .chain(std::iter::once(("未登録".to_string(), Some(s.population_unknown))))
                        .collect(),
                },
                Table {
                    id: "ministry",
                    title: "所属府省庁等別 支援官数",
                    rows: s
                        .by_ministry
                        .iter()
                        .map(|(id, n)| (p.ministry(*id).name.clone(), Some(*n)))
                        .collect(),
                },
                Table {
                    id: "grade",
                    title: "役職別 支援官数",
                    rows: s
                        .by_grade
                        .iter()
                        .map(|(g, n)| (g.name().to_string(), Some(*n)))
                        .collect(),
                },
                Table {
                    id: "area",
                    title: "課題分野別 チーム数",
                    rows: s
                        .by_area
                        .iter()
                        .map(|(a, n)| (a.name().to_string(), Some(*n)))
                        .chain(std::iter::once(("未登録".to_string(), Some(s.area_unknown))))
                        .collect(),
                },
            ];
            Some(CohortSummary {
                cohort: c.no.0,
                label: c.no.label(),
                fiscal_year: c.fiscal_year,
                announce: c.announce.date().iso(),
                period: [c.period_start.iso(), c.period_end.iso()],
                headline: s.headline,
                declared: s.declared.clone(),
                tables,
            })
        })
        .collect();
    Summary {
        description: "公表済みの記録から数えた集計値。null は記録がないことを表します。",
        cohorts,
    }
}
