//! 参照データ — the built-in reference data of SPEC §4: 47 prefectures, 26 課題分野, grades,
//! age bands and population bands.

use serde::Serialize;

/// 地方 — the eight regions used for regional breakdowns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Region {
    Hokkaido,
    Tohoku,
    Kanto,
    Chubu,
    Kinki,
    Chugoku,
    Shikoku,
    KyushuOkinawa,
}

impl Region {
    pub const ALL: [Region; 8] = [
        Region::Hokkaido,
        Region::Tohoku,
        Region::Kanto,
        Region::Chubu,
        Region::Kinki,
        Region::Chugoku,
        Region::Shikoku,
        Region::KyushuOkinawa,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Region::Hokkaido => "北海道",
            Region::Tohoku => "東北",
            Region::Kanto => "関東",
            Region::Chubu => "中部",
            Region::Kinki => "近畿",
            Region::Chugoku => "中国",
            Region::Shikoku => "四国",
            Region::KyushuOkinawa => "九州・沖縄",
        }
    }
}

/// 都道府県 — one of the 47, by its JIS X 0401 code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prefecture {
    pub code: u8,
    pub name: &'static str,
    pub slug: &'static str,
    pub region: Region,
}

macro_rules! prefectures {
    ($($code:literal $name:literal $slug:literal $region:ident;)*) => {
        /// All 47 prefectures in JIS X 0401 order.
        pub const PREFECTURES: [Prefecture; 47] = [
            $(Prefecture { code: $code, name: $name, slug: $slug, region: Region::$region },)*
        ];
    };
}

prefectures! {
    1 "北海道" "hokkaido" Hokkaido;
    2 "青森県" "aomori" Tohoku;
    3 "岩手県" "iwate" Tohoku;
    4 "宮城県" "miyagi" Tohoku;
    5 "秋田県" "akita" Tohoku;
    6 "山形県" "yamagata" Tohoku;
    7 "福島県" "fukushima" Tohoku;
    8 "茨城県" "ibaraki" Kanto;
    9 "栃木県" "tochigi" Kanto;
    10 "群馬県" "gunma" Kanto;
    11 "埼玉県" "saitama" Kanto;
    12 "千葉県" "chiba" Kanto;
    13 "東京都" "tokyo" Kanto;
    14 "神奈川県" "kanagawa" Kanto;
    15 "新潟県" "niigata" Chubu;
    16 "富山県" "toyama" Chubu;
    17 "石川県" "ishikawa" Chubu;
    18 "福井県" "fukui" Chubu;
    19 "山梨県" "yamanashi" Chubu;
    20 "長野県" "nagano" Chubu;
    21 "岐阜県" "gifu" Chubu;
    22 "静岡県" "shizuoka" Chubu;
    23 "愛知県" "aichi" Chubu;
    24 "三重県" "mie" Kinki;
    25 "滋賀県" "shiga" Kinki;
    26 "京都府" "kyoto" Kinki;
    27 "大阪府" "osaka" Kinki;
    28 "兵庫県" "hyogo" Kinki;
    29 "奈良県" "nara" Kinki;
    30 "和歌山県" "wakayama" Kinki;
    31 "鳥取県" "tottori" Chugoku;
    32 "島根県" "shimane" Chugoku;
    33 "岡山県" "okayama" Chugoku;
    34 "広島県" "hiroshima" Chugoku;
    35 "山口県" "yamaguchi" Chugoku;
    36 "徳島県" "tokushima" Shikoku;
    37 "香川県" "kagawa" Shikoku;
    38 "愛媛県" "ehime" Shikoku;
    39 "高知県" "kochi" Shikoku;
    40 "福岡県" "fukuoka" KyushuOkinawa;
    41 "佐賀県" "saga" KyushuOkinawa;
    42 "長崎県" "nagasaki" KyushuOkinawa;
    43 "熊本県" "kumamoto" KyushuOkinawa;
    44 "大分県" "oita" KyushuOkinawa;
    45 "宮崎県" "miyazaki" KyushuOkinawa;
    46 "鹿児島県" "kagoshima" KyushuOkinawa;
    47 "沖縄県" "okinawa" KyushuOkinawa;
}

impl Prefecture {
    /// The prefecture with JIS code `code` (1..=47).
    pub fn by_code(code: u8) -> Option<&'static Prefecture> {
        PREFECTURES.get(usize::from(code).checked_sub(1)?)
    }
}

/// 課題分野 — one of the 26 issue areas, numbered as in the programme rules (1..=26).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct IssueAreaNo(pub u8);

/// The 26 課題分野 in the order and with the numbers of the programme rules.
pub const ISSUE_AREAS: [&str; 26] = [
    "地方創生全般",
    "人口減少",
    "観光",
    "産業振興",
    "農林水産業",
    "まちづくり",
    "地域交通",
    "環境",
    "デジタル・未来技術",
    "移住・定住",
    "広報・シティプロモーション",
    "教育・文化",
    "若者・女性活躍",
    "子育て支援",
    "復興",
    "防災",
    "医療・福祉・健康",
    "中心市街地活性化",
    "官民連携",
    "人材確保",
    "公共施設利活用",
    "生活環境",
    "関係人口の創出",
    "国際関係",
    "多文化共生",
    "その他",
];

/// What the programme rules add in brackets to some areas (募集要項: 「⑥まちづくり（関連インフラ
/// 整備含む）」「㉒生活環境（食品アクセス・買い物困難者支援）」「㉔国際関係（姉妹都市、海外販路開拓等）」),
/// as the sentence the area's page shows: 「この分野には…」.
pub fn issue_area_note(no: IssueAreaNo) -> Option<&'static str> {
    match no.0 {
        6 => Some("関連インフラ整備を含みます"),
        22 => Some("食品アクセス・買い物困難者支援を含みます"),
        24 => Some("姉妹都市、海外販路開拓などを含みます"),
        _ => None,
    }
}

impl IssueAreaNo {
    pub fn all() -> impl Iterator<Item = IssueAreaNo> {
        (1..=26).map(IssueAreaNo)
    }

    pub fn name(self) -> &'static str {
        ISSUE_AREAS[usize::from(self.0) - 1]
    }

    /// `03`, as in `/themes/03/`.
    pub fn two_digits(self) -> String {
        format!("{:02}", self.0)
    }

    /// The area named `name` (after NFKC and without spaces or a bracketed note).
    pub fn by_name(name: &str) -> Option<IssueAreaNo> {
        // The names are written in NFKC without spaces (tested), so they compare as they are.
        let key = crate::model::normalize_name(name);
        let key = key.split(['(', '（']).next().unwrap_or("");
        ISSUE_AREAS
            .iter()
            .position(|a| *a == key)
            .map(|i| IssueAreaNo(i as u8 + 1))
    }
}

/// 役職 — the grade of a 支援官, in order from the most senior.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Grade {
    Designated,
    DirectorLevel,
    OfficeDirectorLevel,
    DeputyDirectorLevel,
    SectionChiefLevel,
}

impl Grade {
    pub const ALL: [Grade; 5] = [
        Grade::Designated,
        Grade::DirectorLevel,
        Grade::OfficeDirectorLevel,
        Grade::DeputyDirectorLevel,
        Grade::SectionChiefLevel,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Grade::Designated => "指定職",
            Grade::DirectorLevel => "課長級",
            Grade::OfficeDirectorLevel => "企画官・室長級",
            Grade::DeputyDirectorLevel => "補佐級",
            Grade::SectionChiefLevel => "係長級",
        }
    }

    /// Accepts the canonical names and the aliases 課長補佐級 and 室長級.
    pub fn parse(text: &str) -> Option<Grade> {
        let key = crate::model::normalize_name(text);
        match key.as_str() {
            "課長補佐級" => Some(Grade::DeputyDirectorLevel),
            "室長級" => Some(Grade::OfficeDirectorLevel),
            // The names are written in NFKC without spaces (tested), so they compare as they are.
            _ => Grade::ALL.into_iter().find(|g| g.name() == key),
        }
    }

    /// Every spelling accepted, for suggestions.
    pub fn spellings() -> [&'static str; 7] {
        [
            "指定職",
            "課長級",
            "企画官・室長級",
            "補佐級",
            "係長級",
            "課長補佐級",
            "室長級",
        ]
    }
}

/// 年代 — the age bands of the official summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum AgeBand {
    Twenties,
    Thirties,
    Forties,
    FiftiesAndOver,
}

impl AgeBand {
    pub const ALL: [AgeBand; 4] = [
        AgeBand::Twenties,
        AgeBand::Thirties,
        AgeBand::Forties,
        AgeBand::FiftiesAndOver,
    ];

    pub fn of(age: u32) -> AgeBand {
        match age {
            0..=29 => AgeBand::Twenties,
            30..=39 => AgeBand::Thirties,
            40..=49 => AgeBand::Forties,
            _ => AgeBand::FiftiesAndOver,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AgeBand::Twenties => "20代",
            AgeBand::Thirties => "30代",
            AgeBand::Forties => "40代",
            AgeBand::FiftiesAndOver => "50代以上",
        }
    }
}

/// 人口規模 — the population bands of the official summary (plus one for 10万人以上, which the
/// programme does not take but a record might carry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PopulationBand {
    Under5k,
    From5kTo10k,
    From10kTo30k,
    From30kTo50k,
    From50kTo100k,
    From100k,
}

impl PopulationBand {
    /// The five bands of SPEC §4.
    pub const ALL: [PopulationBand; 5] = [
        PopulationBand::Under5k,
        PopulationBand::From5kTo10k,
        PopulationBand::From10kTo30k,
        PopulationBand::From30kTo50k,
        PopulationBand::From50kTo100k,
    ];

    pub fn of(population: u64) -> PopulationBand {
        match population {
            0..=4_999 => PopulationBand::Under5k,
            5_000..=9_999 => PopulationBand::From5kTo10k,
            10_000..=29_999 => PopulationBand::From10kTo30k,
            30_000..=49_999 => PopulationBand::From30kTo50k,
            50_000..=99_999 => PopulationBand::From50kTo100k,
            _ => PopulationBand::From100k,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PopulationBand::Under5k => "5千人未満",
            PopulationBand::From5kTo10k => "5千人以上1万人未満",
            PopulationBand::From10kTo30k => "1万人以上3万人未満",
            PopulationBand::From30kTo50k => "3万人以上5万人未満",
            PopulationBand::From50kTo100k => "5万人以上10万人未満",
            PopulationBand::From100k => "10万人以上",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each note is a sentence (「この分野には…を含みます。」), and says no more than the rules'
    /// brackets: 22's has no 「など」 there, 24's 「等」 is 「など」.
    #[test]
    fn issue_area_notes_are_sentences_true_to_the_rules() {
        let notes: Vec<(u8, &str)> = IssueAreaNo::all()
            .filter_map(|a| issue_area_note(a).map(|n| (a.0, n)))
            .collect();
        assert_eq!(notes.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [6, 22, 24]);
        assert!(notes.iter().all(|(_, n)| n.ends_with("を含みます")), "{notes:?}");
        assert!(!notes[1].1.contains("など"));
        assert!(notes[2].1.contains("など"));
    }

    #[test]
    fn prefectures_are_47_with_unique_slugs_in_code_order() {
        let mut slugs: Vec<_> = PREFECTURES.iter().map(|p| p.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 47);
        for (i, p) in PREFECTURES.iter().enumerate() {
            assert_eq!(usize::from(p.code), i + 1);
        }
        assert_eq!(Prefecture::by_code(13).unwrap().name, "東京都");
        assert_eq!(Prefecture::by_code(47).unwrap().slug, "okinawa");
        assert!(Prefecture::by_code(0).is_none() && Prefecture::by_code(48).is_none());
    }

    #[test]
    fn issue_areas_keep_the_rule_numbers() {
        assert_eq!(IssueAreaNo(3).name(), "観光");
        assert_eq!(IssueAreaNo(26).name(), "その他");
        assert_eq!(IssueAreaNo::by_name("デジタル・未来技術"), Some(IssueAreaNo(9)));
        assert_eq!(
            IssueAreaNo::by_name("まちづくり（関連インフラ整備含む）"),
            Some(IssueAreaNo(6))
        );
        assert_eq!(IssueAreaNo::by_name("観 光"), Some(IssueAreaNo(3)));
        assert_eq!(IssueAreaNo::by_name("農業"), None);
        assert_eq!(IssueAreaNo(16).two_digits(), "16");
    }

    #[test]
    fn grade_aliases_map_to_canonical_grades() {
        assert_eq!(Grade::parse("課長補佐級"), Some(Grade::DeputyDirectorLevel));
        assert_eq!(Grade::parse("室長級"), Some(Grade::OfficeDirectorLevel));
        assert_eq!(Grade::parse("企画官・室長級"), Some(Grade::OfficeDirectorLevel));
        assert_eq!(Grade::parse("係長"), None);
        assert!(Grade::Designated < Grade::SectionChiefLevel);
    }

    #[test]
    fn bands_at_their_edges() {
        assert_eq!(AgeBand::of(29), AgeBand::Twenties);
        assert_eq!(AgeBand::of(30), AgeBand::Thirties);
        assert_eq!(AgeBand::of(50), AgeBand::FiftiesAndOver);
        assert_eq!(PopulationBand::of(4_999), PopulationBand::Under5k);
        assert_eq!(PopulationBand::of(5_000), PopulationBand::From5kTo10k);
        assert_eq!(PopulationBand::of(99_999), PopulationBand::From50kTo100k);
        assert_eq!(PopulationBand::of(100_000), PopulationBand::From100k);
    }
}
