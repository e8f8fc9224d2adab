//! CSV on the Web metadata (W3C CSVW, SPEC §5): a `csv-metadata.json` table group beside the
//! CSVs of a folder — /data/, a prefecture's copies, a page's charts — with each table's title,
//! publisher, licence, source and columns (their type and unit), so a CSV can be cited and read
//! by a machine without the page it came from. The CSVs themselves keep their one header row.

use serde_json::{Value, json};

use super::RenderError;
use crate::publish::Published;

/// The file name CSVW processors look for beside a CSV (its "site-wide" default location).
pub const FILE: &str = "csv-metadata.json";

/// One column of a table.
#[derive(Debug)]
pub struct Column {
    /// The header cell, as written in the CSV.
    pub title: String,
    pub kind: Kind,
    pub description: Option<String>,
    /// What a count counts (`名`, `市町村`, `人`).
    pub unit: Option<String>,
}

/// A column's datatype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    /// YYYY-MM-DD.
    Date,
    /// A count that may be withheld (「秘匿」) or unknown (an empty cell).
    Count,
}

/// One CSV of the folder.
#[derive(Debug, Default)]
pub struct Table {
    /// The file's name within the folder.
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    /// The citation line (SPEC §2 `sources`) the numbers rest on.
    pub source: Option<String>,
    pub columns: Vec<Column>,
}

impl Column {
    /// A column of /data/ by its header: its datatype and unit follow from what it holds.
    pub fn of_data(title: &str, description: &str) -> Self {
        let (kind, unit) = match title {
            "期" | "チーム番号" | "年度" => (Kind::Integer, None),
            "支援官数" => (Kind::Integer, Some("名")),
            "人口" => (Kind::Integer, Some("人")),
            "公表日" | "離任日" => (Kind::Date, None),
            _ => (Kind::Text, None),
        };
        Column {
            title: title.to_string(),
            kind,
            description: Some(description.to_string()),
            unit: unit.map(str::to_string),
        }
    }

    fn to_json(&self) -> Value {
        let mut c = json!({ "titles": self.title });
        let datatype = match self.kind {
            Kind::Text => json!("string"),
            Kind::Integer => json!("integer"),
            Kind::Date => json!({ "base": "date", "format": "yyyy-MM-dd" }),
            Kind::Count => json!("nonNegativeInteger"),
        };
        c["datatype"] = datatype;
        if self.kind == Kind::Count {
            c["null"] = json!(["", "秘匿"]);
        } else if self.kind != Kind::Text {
            c["null"] = json!("");
        }
        if let Some(d) = &self.description {
            c["dc:description"] = json!(d);
        }
        if let Some(u) = &self.unit {
            c["schema:unitText"] = json!(u);
        }
        c
    }
}

/// The `csv-metadata.json` of a folder holding `tables`.
pub fn metadata(p: &Published, title: &str, tables: &[Table]) -> Result<Vec<u8>, RenderError> {
    let tables: Vec<Value> = tables
        .iter()
        .map(|t| {
            let mut v = json!({
                "url": t.url,
                "dc:title": t.title,
                "dialect": { "encoding": "utf-8", "header": true, "headerRowCount": 1 },
                "tableSchema": { "columns": t.columns.iter().map(Column::to_json).collect::<Vec<_>>() },
            });
            if let Some(d) = &t.description {
                v["dc:description"] = json!(d);
            }
            if let Some(s) = &t.source {
                v["dc:source"] = json!(s);
            }
            v
        })
        .collect();
    let group = json!({
        "@context": ["http://www.w3.org/ns/csvw", { "@language": "ja" }],
        "dc:title": title,
        "dc:publisher": p.site.publisher,
        "dc:license": p.site.license,
        "tables": tables,
    });
    serde_json::to_vec_pretty(&group).map_err(|e| RenderError::Data(FILE.into(), e.to_string()))
}
