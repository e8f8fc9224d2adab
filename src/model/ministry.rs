//! 府省庁等 — the organisations 支援官 come from, and the one way a written name finds one.

use std::collections::HashMap;

use crate::diag::closest;

use super::normalize_name;

/// 府省庁等 — an organisation 支援官 come from; its index in ministries.yaml is its display order.
#[derive(Clone, Debug, Hash)]
pub struct Ministry {
    pub name: String,
    /// ministries.yaml `id`: the slug of `/ministries/<id>/`; without one there is no page.
    pub slug: Option<String>,
    pub short: Option<String>,
    pub aliases: Vec<String>,
    /// ministries.yaml `group`: which of the two groups lists and charts show it under.
    pub group: MinistryGroup,
}

/// ministries.yaml `group` — 府省庁等 (the default) or オフィサー出向先等, the bodies of
/// 地方創生支援オフィサー. Lists and charts of ministries show the groups apart, in this order,
/// each with its subtotal (SPEC §2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MinistryGroup {
    #[default]
    Ministries,
    OfficerBodies,
}

impl MinistryGroup {
    pub const ALL: [MinistryGroup; 2] = [MinistryGroup::Ministries, MinistryGroup::OfficerBodies];

    /// The value ministries.yaml spells it with, and the heading it is shown under.
    pub fn name(self) -> &'static str {
        match self {
            MinistryGroup::Ministries => "府省庁等",
            MinistryGroup::OfficerBodies => "オフィサー出向先等",
        }
    }

    /// ministries.yaml's spelling (after NFKC, without spaces).
    pub fn parse(text: &str) -> Option<MinistryGroup> {
        let text = normalize_name(text);
        Self::ALL.into_iter().find(|g| g.name() == text)
    }
}

/// The place of a [`Ministry`] in [`super::Registry::ministries`] (= display order), like
/// [`super::CohortNo`]; not its `id` in ministries.yaml, which is the slug of its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinistryNo(pub usize);

/// Every spelling of ministries.yaml, normalised (NFKC, spaces removed). Records may use a
/// name, a short name or an alias (SPEC §2: 国交省 finds 国土交通省). Where two ministries share
/// a spelling the first keeps it (the validator reports the other). Used by the validator for
/// records and by import for roster cells.
#[derive(Clone, Debug, Default)]
pub struct MinistryIndex {
    by_spelling: HashMap<String, MinistryNo>,
    /// Every spelling as written, in file order: what a suggestion is chosen from.
    spellings: Vec<(String, MinistryNo)>,
    canonical: Vec<String>,
}

impl MinistryIndex {
    pub fn new(ministries: &[Ministry]) -> Self {
        let mut index = Self::default();
        for (i, m) in ministries.iter().enumerate() {
            let id = MinistryNo(i);
            index.canonical.push(m.name.clone());
            let spellings = std::iter::once(&m.name).chain(m.short.iter()).chain(m.aliases.iter());
            for spelling in spellings {
                index.spellings.push((spelling.clone(), id));
                let key = normalize_name(spelling);
                if !key.is_empty() && !index.by_spelling.contains_key(&key) {
                    index.by_spelling.insert(key, id);
                }
            }
        }
        index
    }

    /// The ministry a record's name, short name or alias stands for.
    pub fn find(&self, written: &str) -> Option<MinistryNo> {
        self.by_spelling.get(&normalize_name(written)).copied()
    }

    /// The canonical name `written` most likely meant (もしかして): the closest spelling, or
    /// else one that contains it or that it contains, given as the name it stands for.
    pub fn suggest(&self, written: &str) -> Option<&str> {
        let input = normalize_name(written);
        let candidates = || self.spellings.iter().map(|(s, _)| s.as_str());
        let spelling = closest(&input, candidates())
            .or_else(|| candidates().find(|c| c.contains(input.as_str()) || input.contains(c)))?;
        let id = self.by_spelling.get(&normalize_name(spelling))?;
        Some(self.canonical[id.0].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ministry(name: &str, short: Option<&str>, aliases: &[&str]) -> Ministry {
        Ministry {
            name: name.into(),
            slug: None,
            short: short.map(String::from),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            group: MinistryGroup::default(),
        }
    }

    #[test]
    fn groups_are_read_as_ministries_yaml_spells_them() {
        assert_eq!(MinistryGroup::parse("府省庁等"), Some(MinistryGroup::Ministries));
        assert_eq!(
            MinistryGroup::parse(" オフィサー出向先等 "),
            Some(MinistryGroup::OfficerBodies)
        );
        assert_eq!(MinistryGroup::parse("オフィサー"), None);
        assert_eq!(MinistryGroup::default(), MinistryGroup::Ministries);
    }

    #[test]
    fn names_short_names_and_aliases_find_a_ministry() {
        let index = MinistryIndex::new(&[
            ministry("総務省", None, &[]),
            ministry("公正取引委員会", Some("公取委"), &["公正取引 委員会"]),
        ]);
        assert_eq!(index.find("総務省"), Some(MinistryNo(0)));
        assert_eq!(
            index.find("公正取引　委員会"),
            Some(MinistryNo(1)),
            "full-width space normalised"
        );
        assert_eq!(
            index.find("公取委"),
            Some(MinistryNo(1)),
            "a short name finds it too (SPEC §2)"
        );
        assert_eq!(index.suggest("公取"), Some("公正取引委員会"));
        assert_eq!(index.suggest("総務"), Some("総務省"), "contained in a name");
        assert_eq!(index.suggest("気象庁"), None);
    }

    #[test]
    fn a_spelling_two_ministries_share_stays_with_the_first() {
        let index = MinistryIndex::new(&[
            ministry("内閣府", None, &["内閣"]),
            ministry("内閣官房", None, &["内閣"]),
        ]);
        assert_eq!(index.find("内閣"), Some(MinistryNo(0)));
        assert_eq!(index.find("内閣官房"), Some(MinistryNo(1)));
    }
}
