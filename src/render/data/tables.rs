//! The tables of /data/ as files: the rows of teams.csv, members.csv, municipalities.csv and
//! programs.csv, and any table as CSV (BOM, CRLF, formula-safe cells) or as JSON.

use serde::Serialize;

use crate::publish::Published;
use crate::publish::Team;
use crate::render::RenderError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

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
pub const MEMBERS_HEADER: [&str; 10] = [
    "全国地方公共団体コード",
    "市町村",
    "期",
    "チーム番号",
    "所属府省庁",
    "役職",
    "氏名",
    "職名",
    "オフィサー",
    "離任日",
];
pub const MUNICIPALITIES_HEADER: [&str; 5] = ["全国地方公共団体コード", "都道府県", "市町村", "人口", "支援を受けた期"];

/// A CSV file as the site publishes them: UTF-8 with a BOM (for Excel), CRLF line ends, and a
/// leading `'` on every cell a spreadsheet would run as a formula (SPEC §5; the JSON twins
/// carry the text as it is).
pub(in crate::render) fn csv_bytes<H: AsRef<str>>(
    name: &str,
    header: &[H],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, RenderError> {
    use crate::model::text::csv_cell;
    let err = |e: &dyn std::fmt::Display| RenderError::Data(name.to_string(), e.to_string());
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    let mut record = |cells: &mut dyn Iterator<Item = &str>| -> csv::Result<()> {
        for cell in cells {
            w.write_field(csv_cell(cell).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)
    };
    record(&mut header.iter().map(AsRef::as_ref)).map_err(|e| err(&e))?;
    for row in rows {
        record(&mut row.iter().map(String::as_str)).map_err(|e| err(&e))?;
    }
    w.into_inner().map_err(|e| err(&e))
}

/// The teams.csv rows of `teams`.
pub(in crate::render) fn team_rows<'t>(p: &Published, teams: impl Iterator<Item = &'t Team>) -> Vec<Vec<String>> {
    teams
        .map(|t| {
            let m = p.town(t);
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
                announce_date(p, t),
            ]
        })
        .collect()
}

/// 公表日: the team's announce date, blank where it is only the cohort's and the source gives
/// no day for that (cohort.yaml `shown_as.announce`, 「3月中下旬以降 順次」) or where it is a
/// placeholder (`announce_confirmed: false`): a cell holds no date the source does not give.
fn announce_date(p: &Published, t: &Team) -> String {
    let approximate = p.unconfirmed(t.announce).is_some()
        || p.cohort(t.cohort)
            .is_some_and(|c| c.announce_shown.is_some() && c.announce == t.announce);
    if approximate {
        String::new()
    } else {
        t.announce.date().iso()
    }
}

/// The members.csv rows of `teams`' members.
pub(in crate::render) fn member_rows<'t>(p: &Published, teams: impl Iterator<Item = &'t Team>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for t in teams {
        let m = p.town(t);
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
                if member.is_officer { "○".into() } else { String::new() },
                member.left.map(|d| d.iso()).unwrap_or_default(),
            ]);
        }
    }
    rows
}

/// The same rows as JSON: an array of objects keyed by the CSV's column names in the CSV's
/// order, `null` where the CSV cell is blank (unknown), every value otherwise the CSV's text.
pub(in crate::render) fn json_rows(name: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, RenderError> {
    let records: Vec<Record> = rows.iter().map(|row| Record { header, row }).collect();
    let mut bytes = serde_json::to_vec_pretty(&records).map_err(|e| RenderError::Data(name.into(), e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// One row as a JSON object, its keys in column order.
struct Record<'a> {
    header: &'a [&'a str],
    row: &'a [String],
}

impl Serialize for Record<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.header.len()))?;
        for (h, v) in self.header.iter().zip(self.row) {
            map.serialize_entry(h, &(!v.is_empty()).then_some(v))?;
        }
        map.end()
    }
}

pub const PROGRAMS_HEADER: [&str; 7] = [
    "全国地方公共団体コード",
    "都道府県",
    "市町村",
    "事業",
    "年度",
    "類型",
    "連携",
];

/// Other national 伴走支援: one row per municipality and support.
pub(super) fn programs_csv(p: &Published) -> Result<Vec<u8>, RenderError> {
    let mut rows = Vec::new();
    for program in &p.programs {
        for s in &program.support {
            for code in &s.municipalities {
                let Some(m) = p.municipality(*code) else { continue };
                rows.push(vec![
                    m.code.to_string(),
                    m.prefecture().name.to_string(),
                    m.name.clone(),
                    program.name.clone(),
                    program.fiscal_year.to_string(),
                    s.kind.clone(),
                    s.group.clone().unwrap_or_default(),
                ]);
            }
        }
    }
    csv_bytes("programs.csv", &PROGRAMS_HEADER, &rows)
}

/// Municipalities with a published team of this programme (those supported only by another
/// programme are in programs.csv).
pub(super) fn municipalities_csv(p: &Published) -> Result<Vec<u8>, RenderError> {
    let rows: Vec<Vec<String>> = p
        .municipalities
        .values()
        .filter_map(|m| {
            let mut cohorts: Vec<u32> = p.teams_in(m.code).map(|t| t.cohort.0).collect();
            cohorts.sort_unstable();
            cohorts.dedup();
            (!cohorts.is_empty()).then(|| {
                vec![
                    m.code.to_string(),
                    m.prefecture().name.to_string(),
                    m.name.clone(),
                    m.population.map(|n| n.to_string()).unwrap_or_default(),
                    cohorts.iter().map(u32::to_string).collect::<Vec<_>>().join(";"),
                ]
            })
        })
        .collect();
    csv_bytes("municipalities.csv", &MUNICIPALITIES_HEADER, &rows)
}

#[cfg(test)]
mod tests {
    use super::{csv_bytes, json_rows};

    #[test]
    fn json_rows_keep_the_column_order_and_blank_is_null() {
        let bytes = json_rows(
            "x.json",
            &["全国地方公共団体コード", "市町村", "継続"],
            &[vec!["014877".into(), "天塩町".into(), String::new()]],
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let compact: String = text.split_whitespace().collect();
        assert_eq!(
            compact,
            r#"[{"全国地方公共団体コード":"014877","市町村":"天塩町","継続":null}]"#
        );
    }

    #[test]
    fn csv_files_have_a_bom_crlf_and_quote_only_what_needs_it() {
        let bytes = csv_bytes(
            "x.csv",
            &["全国地方公共団体コード", "氏名"],
            &[
                vec!["013455".into(), "架空 一郎".into()],
                vec!["032034".into(), "\"引用\", 改行\nあり".into()],
                vec!["473821".into(), String::new()],
            ],
        )
        .unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "全国地方公共団体コード,氏名\r\n013455,架空 一郎\r\n032034,\"\"\"引用\"\", 改行\nあり\"\r\n473821,\r\n"
        );
    }

    /// A name or position beginning with `=`, `+`, `-` or `@` would run as a formula when the
    /// file is opened in Excel, as /data/ tells readers to; a number keeps its sign.
    #[test]
    fn csv_cells_a_spreadsheet_would_run_get_a_leading_quote() {
        let rows = [vec![
            "=HYPERLINK(\"http://x.invalid\",\"y\")".into(),
            "-12".into(),
            "@SUM(A1)".into(),
            "+81".into(),
        ]];
        let bytes = csv_bytes("x.csv", &["a", "b", "c", "d"], &rows).unwrap();
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "a,b,c,d\r\n\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"y\"\")\",-12,'@SUM(A1),+81\r\n"
        );
        let json = String::from_utf8(json_rows("x.json", &["a"], &[vec!["=1+1".into()]]).unwrap()).unwrap();
        assert!(json.contains("\"=1+1\""), "JSON carries the text as it is: {json}");
    }
}
