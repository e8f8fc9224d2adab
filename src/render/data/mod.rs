//! オープンデータ — /data/*.csv and summary.json (SPEC §5): UTF-8 with BOM, one table per
//! file, a header row, one record a row, dates as YYYY-MM-DD, empty for unknown, codes as text.
//!
//! This file writes /data/ and summary.json and describes the files for the data page; the
//! tables themselves (rows, CSV and JSON bytes), which a prefecture's page writes too, are in
//! [`tables`].

pub(super) mod csvw;
mod tables;

use serde::Serialize;
use serde_json::json;

use super::charts;
use super::{Plan, RenderError};
use crate::model::reference::PREFECTURES;
use crate::model::urls;
use crate::publish::Published;
use crate::stats::Stats;
pub(super) use tables::{MEMBERS_HEADER, TEAMS_HEADER, csv_bytes, json_rows, member_rows, team_rows};
use tables::{municipalities_csv, programs_csv};

/// One file of /data/, as the data page describes it.
#[derive(Debug, Serialize)]
pub struct DataFile {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: Vec<(&'static str, &'static str)>,
}

/// Whether any published cohort's page shows a breakdown of gender, age or track: what the
/// data page may say summary.json holds.
pub fn breakdowns_shown(stats: &Stats) -> bool {
    stats.with_person_breakdowns().next().is_some()
}

/// A chart summary.json carries: one its page draws, or one withheld to protect the few people
/// it counts (its numbers null, `suppressed` true). One with nothing recorded is left out: its
/// categories would be labels for numbers nobody has.
fn in_summary(chart: &crate::stats::Chart) -> bool {
    chart.shows_figures()
        || chart
            .series
            .iter()
            .flat_map(|s| &s.values)
            .any(|v| *v == crate::stats::Tally::Suppressed)
}

/// What the /data/ page says about each file that the build writes (`breakdowns`: whether
/// summary.json holds any breakdown of gender, age or track, [`breakdowns_shown`]).
pub fn describe_files(has_programs: bool, breakdowns: bool) -> Vec<DataFile> {
    let members = if breakdowns {
        "公表済みのチームの支援官。1行が1人です。性別・年齢・事務官/技官の別は含みません（期全体の集計値を summary.json に載せています）。"
    } else {
        "公表済みのチームの支援官。1行が1人です。性別・年齢・事務官/技官の別は含みません。"
    };
    let files = vec![
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
                (
                    "公表日",
                    "チームを公表した日（YYYY-MM-DD。公表の日を資料が示していない場合は空欄）",
                ),
            ],
        },
        DataFile {
            name: "members.csv",
            title: "地方創生支援官一覧",
            description: members,
            columns: vec![
                ("全国地方公共団体コード", "支援先市町村の団体コード（文字列）"),
                ("市町村", "支援先の市町村名"),
                ("期", "期の番号"),
                ("チーム番号", "期の中でのチーム番号"),
                ("所属府省庁", "支援官の所属府省庁等"),
                ("役職", "指定職、課長級、企画官・室長級、補佐級、係長級のいずれか"),
                ("氏名", "公表している場合の氏名（ない場合は空欄）"),
                ("職名", "公表している場合の職名（ない場合は空欄）"),
                ("オフィサー", "地方創生支援オフィサーなら ○（そうでなければ空欄）"),
                (
                    "離任日",
                    "期の途中で離任した支援官の離任日（YYYY-MM-DD。離任していなければ空欄）",
                ),
            ],
        },
        DataFile {
            name: "municipalities.csv",
            title: "支援先市町村一覧",
            description: "公表済みの地方創生伴走支援制度の伴走支援チームが支援する市町村。1行が1市町村です。",
            columns: vec![
                ("全国地方公共団体コード", "6桁の団体コード（文字列）"),
                ("都道府県", "都道府県名"),
                ("市町村", "市町村名"),
                ("人口", "住民基本台帳人口（記録がない場合は空欄）"),
                (
                    "支援を受けた期",
                    "伴走支援を受けた期の番号（このサイトに伴走支援チーム一覧を載せている期のうち）。複数ある場合は ; で区切ります",
                ),
            ],
        },
        DataFile {
            name: "programs.csv",
            title: "関連する伴走支援の支援先",
            description: "地方創生伴走支援制度のほかに国が行っている伴走支援の支援先。1行が1市町村の1件の支援です（関連する事業が登録されているときだけ作ります）。",
            columns: vec![
                ("全国地方公共団体コード", "6桁の団体コード（文字列）"),
                ("都道府県", "都道府県名"),
                ("市町村", "市町村名"),
                ("事業", "事業の名前"),
                ("年度", "年度（西暦）"),
                ("類型", "支援の類型・枠"),
                (
                    "連携",
                    "複数の団体で連携して受ける支援の場合、その連携の名前（ない場合は空欄）",
                ),
            ],
        },
        DataFile {
            name: "summary.json",

            title: "集計値（JSON）",
            description: "公表済みの期ごとの主要数値と、各集計表の数値。",
            columns: vec![],
        },
    ];
    files
        .into_iter()
        .filter(|f| has_programs || f.name != "programs.csv")
        .collect()
}

pub(super) fn render_data(p: &Published, stats: &Stats, plan: &mut Plan) -> Result<(), RenderError> {
    let teams = csv_bytes("teams.csv", &TEAMS_HEADER, &team_rows(p, p.teams.iter()))?;
    plan.add(urls::data_file("teams.csv"), teams)?;
    let members = csv_bytes("members.csv", &MEMBERS_HEADER, &member_rows(p, p.teams.iter()))?;
    plan.add(urls::data_file("members.csv"), members)?;
    plan.add(urls::data_file("municipalities.csv"), municipalities_csv(p)?)?;
    if !p.programs.is_empty() {
        plan.add(urls::data_file("programs.csv"), programs_csv(p)?)?;
    }

    plan.add(
        urls::data_file(csvw::FILE),
        data_metadata(p, &describe_files(!p.programs.is_empty(), breakdowns_shown(stats)))?,
    )?;

    let json = serde_json::to_vec_pretty(&summary(p, stats))
        .map_err(|e| RenderError::Data("summary.json".into(), e.to_string()))?;
    plan.add(urls::data_file("summary.json"), json)
}

/// The CSVW description of the CSVs among `files` (/data/'s, or a prefecture's copies).
pub(super) fn data_metadata(p: &Published, files: &[DataFile]) -> Result<Vec<u8>, RenderError> {
    let source = sources_cited(p);
    let tables: Vec<csvw::Table> = files
        .iter()
        .filter(|f| f.name.ends_with(".csv"))
        .map(|f| csvw::Table {
            url: f.name.to_string(),
            title: f.title.to_string(),
            description: Some(f.description.to_string()),
            source: source.clone(),
            columns: f.columns.iter().map(|(t, d)| csvw::Column::of_data(t, d)).collect(),
        })
        .collect();
    csvw::metadata(p, &format!("{}のオープンデータ", p.site.title), &tables)
}

/// The sources of the published cohorts, as one citation line (none without any).
fn sources_cited(p: &Published) -> Option<String> {
    let mut cited: Vec<String> = Vec::new();
    for s in p.cohorts.iter().flat_map(|c| &c.sources) {
        let c = s.citation();
        if !cited.contains(&c) {
            cited.push(c);
        }
    }
    (!cited.is_empty()).then(|| cited.join("、"))
}

/// summary.json: per published cohort its headline and declared figures and every chart's
/// numbers; per prefecture with published teams the same for each cohort; the comparison.
fn summary(p: &Published, stats: &Stats) -> serde_json::Value {
    let cohorts: Vec<_> = stats
        .cohorts
        .iter()
        .filter_map(|s| {
            let c = p.cohorts.iter().find(|c| c.no == s.no)?;
            let scope = c.no.label();
            Some(json!({
                "cohort": c.no.0,
                "label": scope,
                "fiscal_year": c.fiscal_year,
                // A date the source does not give is null, with the source's words beside it.
                "announce": c.announce_shown.is_none().then(|| c.announce.date().iso()),
                "announce_label": c.announce_label(),
                "period": if c.period_shown.is_none() { json!([c.period_start.iso(), c.period_end.iso()]) } else { json!(null) },
                "period_label": c.period_label(),
                // A cohort known only by its declared figures has no records to count: null, not 0.
                "roster": c.roster,
                "headline": c.roster.then_some(&s.headline),
                "declared": s.declared,
                "charts": s.charts.iter().filter(|ch| in_summary(ch)).map(|ch| charts::to_json(ch, &scope)).collect::<Vec<_>>(),
            }))
        })
        .collect();
    let prefectures: Vec<_> = PREFECTURES
        .iter()
        .filter_map(|pref| {
            let per = stats.prefectures.get(&pref.code)?;
            Some(json!({
                "code": format!("{:02}", pref.code),
                "name": pref.name,
                "slug": pref.slug,
                "cohorts": per.iter().map(|ps| {
                    let scope = format!("{}・{}", pref.name, ps.cohort.label());
                    json!({
                        "cohort": ps.cohort.0,
                        "headline": { "teams": ps.headline.teams, "members": ps.headline.members, "municipalities": ps.headline.municipalities },
                        "charts": ps.charts.iter().filter(|ch| in_summary(ch)).map(|ch| charts::to_json(ch, &scope)).collect::<Vec<_>>(),
                    })
                }).collect::<Vec<_>>(),
            }))
        })
        .collect();
    json!({
        "description": "各期の公表数値（declared）と、公表済みの記録から数えた集計値。null は秘匿した値（suppressed が true の図表）です。",
        "min_group_size": p.site.min_group_size,
        "cohorts": cohorts,
        "comparison": stats.comparison.as_ref().map(|c| charts::to_json(c, "各期")),
        "prefectures": prefectures,
    })
}
