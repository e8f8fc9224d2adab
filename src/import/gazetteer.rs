//! 市町村一覧 — the 1,741 municipalities of 総務省's code list, built into the binary
//! (data/municipalities-jp.csv). Used to find a code from a written name; the site publishes
//! only what content/municipalities.yaml says.

use std::sync::OnceLock;

use crate::model::code::MunicipalityCode;
use crate::model::normalize_name;
use crate::model::reference::PREFECTURES;

static CSV: &str = include_str!("../../data/municipalities-jp.csv");

/// One row of the built-in list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub code: MunicipalityCode,
    pub prefecture: &'static str,
    pub name: &'static str,
    pub kana: &'static str,
    pub population: u64,
    pub population_as_of: &'static str,
}

/// Every municipality of the built-in list, in code order.
pub fn all() -> &'static [Known] {
    static LIST: OnceLock<Vec<Known>> = OnceLock::new();
    LIST.get_or_init(|| {
        CSV.lines()
            .skip(1)
            .filter_map(|line| {
                let f: Vec<&'static str> = line.split(',').collect();
                Some(Known {
                    code: MunicipalityCode::parse(f.first()?).ok()?,
                    prefecture: f.get(2)?,
                    name: f.get(3)?,
                    kana: f.get(4)?,
                    population: f.get(5)?.parse().ok()?,
                    population_as_of: f.get(6)?,
                })
            })
            .collect()
    })
}

/// Variant characters that rosters use for the code list's spelling (南木曾町 / 南木曽町,
/// 檮原町 / 梼原町, 須惠町 / 須恵町) and small ヶ / ケ.
fn canonical_spelling(name: &str) -> String {
    normalize_name(name)
        .chars()
        .map(|c| match c {
            '曾' => '曽',
            '檮' => '梼',
            '惠' => '恵',
            'ケ' | 'ヵ' => 'ヶ',
            c => c,
        })
        .collect()
}

/// The municipality `name` of prefecture `prefecture` (names compared after NFKC, without
/// spaces, and with variant characters unified).
pub fn find(prefecture: &str, name: &str) -> Option<&'static Known> {
    let (pref, name) = (normalize_name(prefecture), canonical_spelling(name));
    all()
        .iter()
        .find(|k| k.prefecture == pref && canonical_spelling(k.name) == name)
}

pub fn by_code(code: MunicipalityCode) -> Option<&'static Known> {
    all().iter().find(|k| k.code == code)
}

/// Split `北海道森町` into the prefecture and the municipality name.
pub fn split_prefecture(place: &str) -> Option<(&'static str, String)> {
    let place = normalize_name(place);
    PREFECTURES
        .iter()
        .filter(|p| place.starts_with(p.name) && place.len() > p.name.len())
        .max_by_key(|p| p.name.len())
        .map(|p| (p.name, place[p.name.len()..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_every_municipality() {
        assert_eq!(all().len(), 1741);
        assert_eq!(find("北海道", "森町").unwrap().code.to_string(), "013455");
        assert_eq!(find("静岡県", "森町").unwrap().code.to_string(), "224618");
        assert_eq!(
            by_code(MunicipalityCode::parse("032034").unwrap()).unwrap().name,
            "大船渡市"
        );
    }

    #[test]
    fn variant_characters_find_the_code_list_spelling() {
        assert_eq!(find("長野県", "南木曾町").unwrap().name, "南木曽町");
        assert_eq!(find("高知県", "檮原町").unwrap().name, "梼原町");
        assert_eq!(find("長野県", "駒ケ根市").unwrap().name, "駒ヶ根市");
        assert!(find("北海道", "森村").is_none());
    }

    #[test]
    fn places_split_into_prefecture_and_name() {
        assert_eq!(split_prefecture("北海道森町"), Some(("北海道", "森町".to_string())));
        assert_eq!(
            split_prefecture("京都府京丹波町"),
            Some(("京都府", "京丹波町".to_string()))
        );
        assert_eq!(split_prefecture("森町"), None);
    }
}
