//! 図表のデータ — the numbers behind every chart, one type for all of them.
//!
//! The official 第2期 summary shows ①性別 ②事務官・技官の別 ③役職 ④年齢 ⑤地域別 応募・伴走支援
//! 自治体数 ⑥人口規模別 伴走支援自治体数; banso adds 所属府省庁等, 課題分野 and the cohort
//! comparison. Render turns a [`Chart`] into SVG, CSV, an HTML table and JSON alike, so the four
//! cannot disagree, and a suppressed breakdown is suppressed in all four.

use std::collections::BTreeMap;

use serde::Serialize;

use super::figure::Unit;
use super::person::{Basis, PersonFigure};
use super::suppress::Tally;
use crate::model::{Attribute, Grade, IssueAreaNo, MinistryGroup, PopulationBand, Region};
use crate::publish::Member;
use crate::time::Instant;

/// `未登録`: a record without the attribute.
pub const UNRECORDED: &str = "未登録";

/// Which chart; the id is the file name (`gender.svg`) and the JSON key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Series {
    pub name: String,
    pub values: Vec<Tally>,
}

impl Series {
    /// The series' total when every value is a count: the n its shares are taken of.
    pub fn total(&self) -> Option<u32> {
        self.values.iter().map(|v| v.count()).sum()
    }
}

/// A run of consecutive categories shown apart under its name, with its subtotal: the
/// 所属府省庁等 chart's 府省庁等 and オフィサー出向先等 (SPEC §2).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CategoryGroup {
    pub name: String,
    /// How many categories it holds, from where the group before it ends.
    pub len: usize,
}

/// The numbers of one chart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Chart {
    pub id: ChartId,
    pub unit: Unit,
    pub categories: Vec<String>,
    /// The categories in groups, in order, covering them all; empty where the chart has none.
    pub groups: Vec<CategoryGroup>,
    pub series: Vec<Series>,
    /// Set when the whole breakdown is withheld: why, for readers.
    pub suppressed: Option<String>,
    pub note: Option<String>,
    /// 集計時点 of a person-attribute breakdown counted from the records.
    pub counted_at: Option<Instant>,
}

impl Chart {
    /// What the chart is about, e.g. `支援官の性別`; the region chart without its 応募 series is
    /// about the supported municipalities only.
    pub fn subject(&self) -> &'static str {
        match self.id {
            ChartId::Region if self.series.len() == 1 => "地域別の伴走支援自治体数",
            id => id.subject(),
        }
    }

    /// Whether the chart has a figure to show: some recorded category counts more than zero.
    /// A breakdown that is all withheld, unknown, zero or 未登録 is said in words instead.
    pub fn shows_figures(&self) -> bool {
        self.series.iter().any(|s| {
            s.values
                .iter()
                .zip(&self.categories)
                .any(|(v, c)| c != UNRECORDED && v.count().is_some_and(|n| n > 0))
        })
    }

    fn single(id: ChartId, unit: Unit, rows: Vec<(String, u32)>) -> Chart {
        let (categories, values) = rows.into_iter().map(|(c, n)| (c, Tally::Count(n))).unzip();
        Chart {
            id,
            unit,
            categories,
            groups: Vec::new(),
            series: vec![Series {
                name: unit.count_name().to_string(),
                values,
            }],
            suppressed: None,
            note: None,
            counted_at: None,
        }
    }

    /// Whether each value is shown with its share (構成比) of its series' total: a breakdown of
    /// more than one category, nothing withheld. The comparison of cohorts is no breakdown, and
    /// a team counts under each of its 課題分野, so those counts add up to more than the teams.
    pub fn shows_shares(&self) -> bool {
        !matches!(self.id, ChartId::Comparison | ChartId::Area)
            && self.suppressed.is_none()
            && self.categories.len() > 1
            && self.series.iter().all(|s| s.total().is_some_and(|n| n > 0))
    }

    /// Each group with the range of its categories, in order; none for a chart without groups.
    pub fn grouped(&self) -> Vec<(&CategoryGroup, std::ops::Range<usize>)> {
        let mut start = 0;
        self.groups
            .iter()
            .map(|g| {
                let range = start..start + g.len;
                start = range.end;
                (g, range)
            })
            .collect()
    }

    /// A group's subtotal in series `si`: the sum of its categories' counts, when all are counts.
    pub fn subtotal(&self, si: usize, range: std::ops::Range<usize>) -> Option<u32> {
        self.series[si].values[range].iter().map(|v| v.count()).sum()
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

/// The rows and, when some items have no value recorded, a 未登録 row for them (a bar of
/// 0 未登録 would say nothing).
fn with_unrecorded(rows: impl Iterator<Item = (String, u32)>, unrecorded: u32) -> Vec<(String, u32)> {
    let unrecorded = (unrecorded > 0).then(|| (UNRECORDED.to_string(), unrecorded));
    rows.chain(unrecorded).collect()
}

/// ①性別 ②事務官・技官 ④年齢: one attribute's breakdown of a cohort (see [`super::person`]).
/// `when` says an instant as pages do (a placeholder announcement in the source's words).
pub fn person_chart(
    attr: Attribute,
    figure: &PersonFigure,
    min_group_size: u32,
    when: &dyn Fn(Instant) -> String,
) -> Chart {
    let id = match attr {
        Attribute::Gender => ChartId::Gender,
        Attribute::Track => ChartId::Track,
        Attribute::Age => ChartId::Age,
    };
    let categories: Vec<String> = attr.categories().iter().map(|c| c.to_string()).collect();
    let rows = |values: Vec<Tally>| Series {
        name: Unit::People.count_name().to_string(),
        values,
    };
    let withheld = |reason: String, value: Tally| Chart {
        id,
        unit: Unit::People,
        series: vec![rows(vec![value; categories.len()])],
        categories: categories.clone(),
        groups: Vec::new(),
        suppressed: Some(reason),
        note: None,
        counted_at: None,
    };
    match figure {
        PersonFigure::Absent => withheld(format!("{}の内訳は掲載していません。", attr.name()), Tally::Unknown),
        PersonFigure::TooFew => withheld(
            format!(
                "{}が登録されている支援官が{min_group_size}名未満のため、内訳は表示していません。",
                attr.name()
            ),
            Tally::Suppressed,
        ),
        PersonFigure::Shown { counts, basis, given } => {
            let (note, counted_at) = match basis {
                Basis::Records { at, n } => (
                    format!(
                        "集計時点：{}。{}が登録されている支援官{}名による。",
                        when(*at),
                        attr.name(),
                        n
                    ),
                    Some(*at),
                ),
                Basis::Declared { n } => (format!("公表資料の数値（{n}名）。"), None),
            };
            // Only the categories the counts speak of: a category a declared breakdown does not
            // give is no bar of 0名.
            let keep = |i: &usize| given.get(*i).copied().unwrap_or(true);
            let categories = (0..categories.len())
                .filter(keep)
                .map(|i| categories[i].clone())
                .collect();
            let values = (0..counts.len())
                .filter(keep)
                .map(|i| Tally::Count(counts[i]))
                .collect();
            Chart {
                id,
                unit: Unit::People,
                series: vec![rows(values)],
                categories,
                groups: Vec::new(),
                suppressed: None,
                note: Some(note),
                counted_at,
            }
        }
    }
}

/// ③役職 — grades are published per person, so never withheld.
pub fn grade_chart(members: &[&Member]) -> Chart {
    let (g, _) = counted(&Grade::ALL, members.iter().map(|m| Some(m.grade)));
    let rows = Grade::ALL.iter().map(|k| (k.name().to_string(), g[k])).collect();
    Chart::single(ChartId::Grade, Unit::People, rows)
}

/// 所属府省庁等 — the ministries of ministries.yaml that published members belong to, in its
/// order within each group (a ministry nobody published belongs to is no category: SPEC §3).
/// The groups (府省庁等, オフィサー出向先等) are shown apart once any category is outside the
/// default one; a group with no category is left out.
pub fn ministry_chart(ministries: &[(String, MinistryGroup)], counts: &[u32]) -> Chart {
    let mut rows: Vec<(MinistryGroup, String, u32)> = ministries
        .iter()
        .zip(counts.iter().copied())
        .filter(|(_, n)| *n > 0)
        .map(|((name, group), n)| (*group, name.clone(), n))
        .collect();
    // Stable: file order within a group.
    rows.sort_by_key(|(g, _, _)| *g);
    let groups = if rows.iter().all(|(g, _, _)| *g == MinistryGroup::default()) {
        Vec::new()
    } else {
        MinistryGroup::ALL
            .iter()
            .map(|g| CategoryGroup {
                name: g.name().to_string(),
                len: rows.iter().filter(|(x, _, _)| x == g).count(),
            })
            .filter(|g| g.len > 0)
            .collect()
    };
    let mut chart = Chart::single(
        ChartId::Ministry,
        Unit::People,
        rows.into_iter().map(|(_, name, n)| (name, n)).collect(),
    );
    chart.groups = groups;
    chart
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
        unit: Unit::Municipalities,
        categories: Region::ALL.iter().map(|r| r.name().to_string()).collect(),
        groups: Vec::new(),
        series,
        suppressed: None,
        note: applicants
            .is_none()
            .then(|| "応募した市町村の地域別の内訳は登録されていません。".to_string()),
        counted_at: None,
    }
}

/// ⑥人口規模別: supported municipalities per population band.
pub fn population_chart(populations: &[Option<u64>]) -> Chart {
    let (p, unrecorded) = counted(
        &PopulationBand::ALL,
        populations.iter().map(|n| n.map(PopulationBand::of)),
    );
    let rows = p.iter().map(|(b, n)| (b.name().to_string(), *n));
    Chart::single(
        ChartId::Population,
        Unit::Municipalities,
        with_unrecorded(rows, unrecorded),
    )
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
    let mut chart = Chart::single(ChartId::Area, Unit::Teams, with_unrecorded(rows, unrecorded));
    chart.note = Some("一つのチームが複数の課題分野に取り組む場合は、それぞれに数えています。".to_string());
    chart
}

/// The cohort comparison: one series per cohort, four headline figures.
pub fn comparison_chart(cohorts: &[(String, [u32; 4])]) -> Chart {
    Chart {
        id: ChartId::Comparison,
        unit: Unit::Mixed,
        categories: [
            "伴走支援チーム（チーム）",
            "地方創生支援官（名）",
            "支援対象の市町村",
            "支援対象の道府県",
        ]
        .map(String::from)
        .to_vec(),
        groups: Vec::new(),
        series: cohorts
            .iter()
            .map(|(name, v)| Series {
                name: name.clone(),
                values: v.iter().map(|n| Tally::Count(*n)).collect(),
            })
            .collect(),
        suppressed: None,
        note: None,
        counted_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(c: &Chart) -> Vec<Option<u32>> {
        c.series[0].values.iter().map(|v| v.count()).collect()
    }

    #[test]
    fn person_charts_show_recorded_categories_with_their_counting_instant() {
        let at = Instant::parse("2026-04-01T10:00").unwrap();
        let shown = PersonFigure::Shown {
            counts: vec![7, 3, 0],
            basis: Basis::Records { at, n: 10 },
            given: vec![true; 3],
        };
        let c = person_chart(Attribute::Gender, &shown, 10, &|t| t.date().wareki());
        assert_eq!(c.categories, ["男性", "女性", "回答しない"], "no 未登録 row");
        assert_eq!(values(&c), [Some(7), Some(3), Some(0)]);
        assert_eq!(c.counted_at, Some(at));
        assert_eq!(
            c.note.as_deref(),
            Some("集計時点：令和8年4月1日（2026年4月1日）。性別が登録されている支援官10名による。")
        );
        for (figure, reason) in [
            (PersonFigure::TooFew, "性別が登録されている支援官が10名未満のため"),
            (PersonFigure::Absent, "性別の内訳は掲載していません"),
        ] {
            let c = person_chart(Attribute::Gender, &figure, 10, &|t| t.date().wareki());
            assert!(c.suppressed.as_deref().unwrap().contains(reason), "{c:?}");
            assert!(
                values(&c).iter().all(Option::is_none),
                "no number of a withheld breakdown survives"
            );
        }
    }

    #[test]
    fn ministries_nobody_published_belongs_to_are_left_out() {
        let names = ["内閣官房", "デジタル庁", "防衛省"].map(|n| (n.to_string(), MinistryGroup::Ministries));
        let c = ministry_chart(&names, &[3, 0, 2]);
        assert_eq!(c.categories, ["内閣官房", "防衛省"]);
        assert_eq!(values(&c), [Some(3), Some(2)]);
        assert!(c.groups.is_empty(), "one group: nothing to show apart");
    }

    #[test]
    fn officer_bodies_are_a_group_of_their_own_after_the_ministries() {
        use MinistryGroup::{Ministries, OfficerBodies};
        let names = [
            ("日本郵便", OfficerBodies),
            ("内閣官房", Ministries),
            ("北海道大学", OfficerBodies),
            ("防衛省", Ministries),
            ("デジタル庁", Ministries),
        ]
        .map(|(n, g)| (n.to_string(), g));
        let c = ministry_chart(&names, &[1, 3, 1, 2, 0]);
        assert_eq!(c.categories, ["内閣官房", "防衛省", "日本郵便", "北海道大学"]);
        let groups: Vec<_> = c
            .grouped()
            .into_iter()
            .map(|(g, r)| (g.name.clone(), c.subtotal(0, r)))
            .collect();
        assert_eq!(
            groups,
            [
                ("府省庁等".to_string(), Some(5)),
                ("オフィサー出向先等".to_string(), Some(2))
            ]
        );
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
