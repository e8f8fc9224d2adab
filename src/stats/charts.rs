//! 図表のデータ — the numbers behind every chart, one type for all of them.
//!
//! The official 第2期 summary shows ①性別 ②事務官・技官の別 ③役職 ④年齢 ⑤地域別 応募・伴走支援
//! 自治体数 ⑥人口規模別 伴走支援自治体数; banso adds 所属府省庁等, 課題分野 and the cohort
//! comparison. Render turns a [`Chart`] into SVG, CSV, an HTML table and JSON alike, so the four
//! cannot disagree, and a suppressed breakdown is suppressed in all four.

use std::collections::BTreeMap;

use serde::Serialize;

use super::suppress::{Tally, too_small};
use crate::model::{AgeBand, Gender, Grade, IssueAreaNo, Member, PopulationBand, Region, Track};

/// `未登録`: a record without the attribute.
pub const UNRECORDED: &str = "未登録";

/// Which chart; the id is the file name (`gender.svg`) and the JSON key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartId {
    Gender,
    Track,
    Grade,
    Age,
    Region,
    Population,
    Ministry,
    Area,
    Comparison,
}

impl ChartId {
    pub fn slug(self) -> &'static str {
        match self {
            ChartId::Gender => "gender",
            ChartId::Track => "track",
            ChartId::Grade => "grade",
            ChartId::Age => "age",
            ChartId::Region => "region",
            ChartId::Population => "population",
            ChartId::Ministry => "ministry",
            ChartId::Area => "area",
            ChartId::Comparison => "comparison",
        }
    }

    /// What the chart is about, e.g. `支援官の性別`.
    pub fn subject(self) -> &'static str {
        match self {
            ChartId::Gender => "支援官の性別",
            ChartId::Track => "支援官の事務官・技官の別",
            ChartId::Grade => "支援官の役職",
            ChartId::Age => "支援官の年齢",
            ChartId::Region => "地域別の応募・伴走支援自治体数",
            ChartId::Population => "人口規模別の伴走支援自治体数",
            ChartId::Ministry => "支援官の所属府省庁等",
            ChartId::Area => "伴走支援チームの課題分野",
            ChartId::Comparison => "期ごとの比較",
        }
    }
}

/// One named row of values (a chart has one series, or two for 応募・伴走支援).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Tally>,
}

/// The numbers of one chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    pub id: ChartId,
    /// `名`, `市町村`, `チーム`; empty when each category carries its own unit.
    pub unit: &'static str,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Set when the whole breakdown is withheld: why, for readers.
    pub suppressed: Option<String>,
    pub note: Option<String>,
}

impl Chart {
    fn single(id: ChartId, unit: &'static str, rows: Vec<(String, u32)>) -> Chart {
        let (categories, values) = rows.into_iter().map(|(c, n)| (c, Tally::Count(n))).unzip();
        Chart {
            id,
            unit,
            categories,
            series: vec![Series {
                name: count_name(unit).to_string(),
                values,
            }],
            suppressed: None,
            note: None,
        }
    }

    /// The same chart with every value withheld.
    fn withheld(mut self, reason: String) -> Chart {
        for s in &mut self.series {
            s.values.iter_mut().for_each(|v| *v = Tally::Suppressed);
        }
        self.suppressed = Some(reason);
        self
    }

    /// The largest shown value (for scaling bars).
    pub fn max(&self) -> u32 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter())
            .filter_map(|v| v.count())
            .max()
            .unwrap_or(0)
    }
}

/// The column name of a single series: `人数`, `市町村数`, `チーム数`.
fn count_name(unit: &str) -> &'static str {
    match unit {
        "名" => "人数",
        "市町村" => "市町村数",
        _ => "チーム数",
    }
}

fn counted<K: Ord + Copy>(keys: &[K], items: impl Iterator<Item = Option<K>>) -> (BTreeMap<K, u32>, u32) {
    let mut map: BTreeMap<K, u32> = keys.iter().map(|k| (*k, 0)).collect();
    let mut unrecorded = 0;
    for item in items {
        match item {
            Some(k) => *map.entry(k).or_default() += 1,
            None => unrecorded += 1,
        }
    }
    (map, unrecorded)
}

fn with_unrecorded(rows: impl Iterator<Item = (String, u32)>, unrecorded: u32) -> Vec<(String, u32)> {
    rows.chain(std::iter::once((UNRECORDED.to_string(), unrecorded)))
        .collect()
}

/// ①性別 ②事務官・技官 ④年齢 over `members`, withheld as a whole when the group is too small
/// or when `forced` (secondary suppression).
pub fn person_charts(members: &[&Member], min_group_size: u32, forced: bool) -> Vec<Chart> {
    let total = members.len() as u32;
    let gender_names = [
        (Gender::Male, "男性"),
        (Gender::Female, "女性"),
        (Gender::NoAnswer, "回答しない"),
    ];
    let (g, gu) = counted(&gender_names.map(|p| p.0), members.iter().map(|m| m.gender));
    let gender = with_unrecorded(gender_names.iter().map(|(k, n)| (n.to_string(), g[k])), gu);
    let track_names = [(Track::Administrative, "事務官"), (Track::Technical, "技官")];
    let (t, tu) = counted(&track_names.map(|p| p.0), members.iter().map(|m| m.track));
    let track = with_unrecorded(track_names.iter().map(|(k, n)| (n.to_string(), t[k])), tu);
    let (a, au) = counted(&AgeBand::ALL, members.iter().map(|m| m.age.map(AgeBand::of)));
    let age = with_unrecorded(AgeBand::ALL.iter().map(|b| (b.name().to_string(), a[b])), au);
    let charts = [(ChartId::Gender, gender), (ChartId::Track, track), (ChartId::Age, age)];
    charts
        .into_iter()
        .map(|(id, rows)| {
            let chart = Chart::single(id, "名", rows);
            if too_small(total, min_group_size) {
                chart.withheld(format!(
                    "対象の支援官が{min_group_size}名未満のため、内訳は表示していません。"
                ))
            } else if forced {
                chart.withheld(
                    "ほかの集計との差から少人数の内訳がわからないよう、この内訳は表示していません。".to_string(),
                )
            } else {
                chart
            }
        })
        .collect()
}

/// ③役職 — grades are published per person, so never withheld.
pub fn grade_chart(members: &[&Member]) -> Chart {
    let (g, _) = counted(&Grade::ALL, members.iter().map(|m| Some(m.grade)));
    let rows = Grade::ALL.iter().map(|k| (k.name().to_string(), g[k])).collect();
    Chart::single(ChartId::Grade, "名", rows)
}

/// 所属府省庁等 — every ministry of ministries.yaml, in its order.
pub fn ministry_chart(names: &[String], counts: &[u32]) -> Chart {
    let rows = names.iter().cloned().zip(counts.iter().copied()).collect();
    Chart::single(ChartId::Ministry, "名", rows)
}

/// ⑤地域別: supported municipalities per region, and applicants when applications are recorded.
pub fn region_chart(supported: &[Region], applicants: Option<&[Region]>) -> Chart {
    let count = |rs: &[Region]| -> Vec<Tally> {
        Region::ALL
            .iter()
            .map(|r| Tally::Count(rs.iter().filter(|x| *x == r).count() as u32))
            .collect()
    };
    let mut series = Vec::new();
    if let Some(a) = applicants {
        series.push(Series {
            name: "応募".to_string(),
            values: count(a),
        });
    }
    series.push(Series {
        name: "伴走支援".to_string(),
        values: count(supported),
    });
    Chart {
        id: ChartId::Region,
        unit: "市町村",
        categories: Region::ALL.iter().map(|r| r.name().to_string()).collect(),
        series,
        suppressed: None,
        note: applicants
            .is_none()
            .then(|| "応募した市町村の地域別の内訳は登録されていません。".to_string()),
    }
}

/// ⑥人口規模別: supported municipalities per population band.
pub fn population_chart(populations: &[Option<u64>]) -> Chart {
    let (p, unrecorded) = counted(
        &PopulationBand::ALL,
        populations.iter().map(|n| n.map(PopulationBand::of)),
    );
    let rows = p.iter().map(|(b, n)| (b.name().to_string(), *n));
    Chart::single(ChartId::Population, "市町村", with_unrecorded(rows, unrecorded))
}

/// 課題分野 of the teams: each team counts once in each of its areas; teams without areas are
/// 未登録.
pub fn area_chart(team_areas: &[&[IssueAreaNo]]) -> Chart {
    let mut counts: BTreeMap<IssueAreaNo, u32> = IssueAreaNo::all().map(|a| (a, 0)).collect();
    for areas in team_areas {
        for a in *areas {
            *counts.entry(*a).or_default() += 1;
        }
    }
    let unrecorded = team_areas.iter().filter(|a| a.is_empty()).count() as u32;
    let rows = counts.iter().map(|(a, n)| (a.name().to_string(), *n));
    let mut chart = Chart::single(ChartId::Area, "チーム", with_unrecorded(rows, unrecorded));
    chart.note = Some("一つのチームが複数の課題分野に取り組む場合は、それぞれに数えています。".to_string());
    chart
}

/// The cohort comparison: one series per cohort, four headline figures.
pub fn comparison_chart(cohorts: &[(String, [u32; 4])]) -> Chart {
    Chart {
        id: ChartId::Comparison,
        unit: "",
        categories: [
            "伴走支援チーム（チーム）",
            "地方創生支援官（名）",
            "支援対象の市町村",
            "支援対象の道府県",
        ]
        .map(String::from)
        .to_vec(),
        series: cohorts
            .iter()
            .map(|(name, v)| Series {
                name: name.clone(),
                values: v.iter().map(|n| Tally::Count(*n)).collect(),
            })
            .collect(),
        suppressed: None,
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MinistryId;

    fn member(gender: Option<Gender>, age: Option<u32>, track: Option<Track>) -> Member {
        Member {
            ministry: MinistryId(0),
            grade: Grade::DeputyDirectorLevel,
            name: None,
            position: None,
            is_officer: false,
            gender,
            age,
            track,
        }
    }

    fn values(c: &Chart) -> Vec<Option<u32>> {
        c.series[0].values.iter().map(|v| v.count()).collect()
    }

    #[test]
    fn person_charts_count_unrecorded_and_withhold_small_groups() {
        let ten: Vec<Member> = (0..10)
            .map(|i| {
                member(
                    (i < 3).then_some(Gender::Female),
                    Some(25 + i * 3),
                    (i % 2 == 0).then_some(Track::Technical),
                )
            })
            .collect();
        let refs: Vec<&Member> = ten.iter().collect();
        let charts = person_charts(&refs, 10, false);
        assert_eq!(values(&charts[0]), [Some(0), Some(3), Some(0), Some(7)]);
        assert_eq!(values(&charts[1]), [Some(0), Some(5), Some(5)]);
        // ages 25 28 31 34 37 40 43 46 49 52
        assert_eq!(values(&charts[2]), [Some(2), Some(3), Some(4), Some(1), Some(0)]);
        assert!(charts.iter().all(|c| c.suppressed.is_none()));

        let nine = &refs[..9];
        let charts = person_charts(nine, 10, false);
        for c in &charts {
            assert!(c.suppressed.as_deref().unwrap().contains("10名未満"));
            assert!(
                values(c).iter().all(Option::is_none),
                "no number of a withheld breakdown survives"
            );
        }
        assert!(person_charts(&refs, 10, true)[0].suppressed.is_some());
    }

    #[test]
    fn region_chart_says_when_applications_are_not_recorded() {
        let c = region_chart(&[Region::Hokkaido, Region::Hokkaido, Region::Kanto], None);
        assert_eq!(c.series.len(), 1);
        assert_eq!(
            values(&c),
            [Some(2), Some(0), Some(1), Some(0), Some(0), Some(0), Some(0), Some(0)]
        );
        assert!(c.note.is_some());
        let c = region_chart(&[Region::Kanto], Some(&[Region::Kanto, Region::Kanto, Region::Shikoku]));
        assert_eq!(c.series[0].name, "応募");
        assert_eq!(c.series[0].values[2], Tally::Count(2));
    }

    #[test]
    fn population_and_area_charts_have_unrecorded_rows() {
        let c = population_chart(&[Some(1689), Some(13582), None, Some(99_999)]);
        assert_eq!(c.categories.last().unwrap(), UNRECORDED);
        assert_eq!(values(&c), [Some(1), Some(0), Some(1), Some(0), Some(1), Some(1)]);
        let a: &[IssueAreaNo] = &[IssueAreaNo(3), IssueAreaNo(4)];
        let c = area_chart(&[a, &[], &[IssueAreaNo(3)]]);
        assert_eq!(c.series[0].values[2], Tally::Count(2));
        assert_eq!(c.series[0].values[26], Tally::Count(1));
    }
}
