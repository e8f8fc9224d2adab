//! What stats hands render about each number: which figure it is ([`Figure`]) and what it
//! counts ([`Unit`]). Render asks these, never a label's wording, so re-wording a label cannot
//! move a figure out of a headline or a column name.

use serde::{Serialize, Serializer};

/// What a chart or figure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// 名: people.
    People,
    Municipalities,
    Prefectures,
    Teams,
    /// Each category carries its own unit (the comparison of cohorts).
    Mixed,
}

impl Unit {
    /// `名`, `市町村`, `道府県`, `チーム`; empty for [`Unit::Mixed`].
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::People => "名",
            Unit::Municipalities => "市町村",
            Unit::Prefectures => "道府県",
            Unit::Teams => "チーム",
            Unit::Mixed => "",
        }
    }

    /// The column name of a single series of this unit: `人数`, `市町村数`, `チーム数`.
    pub fn count_name(self) -> &'static str {
        match self {
            Unit::People => "人数",
            Unit::Municipalities => "市町村数",
            Unit::Prefectures => "道府県数",
            Unit::Teams => "チーム数",
            Unit::Mixed => "数",
        }
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.symbol())
    }
}

/// A figure a cohort declares (cohort.yaml `declared:`) and the site may count from its records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Figure {
    Members,
    Teams,
    Municipalities,
    Prefectures,
    StaffApplicants,
    MunicipalityApplicants,
}

impl Figure {
    /// In the order the declared figures are listed.
    pub const ALL: [Figure; 6] = [
        Figure::Members,
        Figure::Teams,
        Figure::Municipalities,
        Figure::Prefectures,
        Figure::StaffApplicants,
        Figure::MunicipalityApplicants,
    ];

    /// The four figures a cohort's headline leads with, in the headline's order.
    pub const HEADLINE: [Figure; 4] = [
        Figure::Teams,
        Figure::Members,
        Figure::Municipalities,
        Figure::Prefectures,
    ];

    /// The label of the declared figure, as the official documents word it.
    pub fn label(self) -> &'static str {
        match self {
            Figure::Members => "支援官",
            Figure::Teams => "伴走支援チーム",
            Figure::Municipalities => "支援対象の市町村",
            Figure::Prefectures => "支援対象の道府県",
            Figure::StaffApplicants => "国の職員からの応募",
            Figure::MunicipalityApplicants => "応募した市町村",
        }
    }

    /// The label in a headline, where it stands alone.
    pub fn headline_label(self) -> &'static str {
        match self {
            Figure::Members => "地方創生支援官",
            other => other.label(),
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Figure::Members | Figure::StaffApplicants => Unit::People,
            Figure::Teams => Unit::Teams,
            Figure::Municipalities | Figure::MunicipalityApplicants => Unit::Municipalities,
            Figure::Prefectures => Unit::Prefectures,
        }
    }

    pub fn in_headline(self) -> bool {
        Figure::HEADLINE.contains(&self)
    }
}

/// One declared (公表) figure next to what the published records count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredFigure {
    pub figure: Figure,
    pub declared: u32,
    /// `None` where the records cannot count it (e.g. staff applicants).
    pub records: Option<u32>,
    /// cohort.yaml's `declared.notes` for this figure: a known difference, in the editors' words.
    pub note: Option<String>,
}

impl DeclaredFigure {
    pub fn agrees(&self) -> bool {
        self.records.is_none_or(|r| r == self.declared)
    }
}

/// summary.json's `declared` entries: `{label, unit, declared, records, in_headline, note}`.
impl Serialize for DeclaredFigure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("DeclaredFigure", 6)?;
        st.serialize_field("label", self.figure.label())?;
        st.serialize_field("unit", &self.figure.unit())?;
        st.serialize_field("declared", &self.declared)?;
        st.serialize_field("records", &self.records)?;
        st.serialize_field("in_headline", &self.figure.in_headline())?;
        st.serialize_field("note", &self.note)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headline_is_four_figures_each_counted_in_its_own_unit() {
        assert_eq!(Figure::ALL.iter().filter(|f| f.in_headline()).count(), 4);
        assert_eq!(Figure::Members.unit().symbol(), "名");
        assert_eq!(Figure::Prefectures.unit().symbol(), "道府県");
        assert_eq!(Unit::Teams.count_name(), "チーム数");
        assert_eq!(Unit::People.count_name(), "人数");
        let json = serde_json::to_string(&DeclaredFigure {
            figure: Figure::StaffApplicants,
            declared: 500,
            records: None,
            note: None,
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"label":"国の職員からの応募","unit":"名","declared":500,"records":null,"in_headline":false,"note":null}"#
        );
    }
}
