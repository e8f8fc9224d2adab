use std::path::Path;

use super::roster::{decode, split_number};
use super::teams_yaml::{MemberOut, Plain, TeamOut, comment, emit, verify};
use crate::model::MunicipalityCode;

#[test]
fn numbers_come_off_the_place() {
    assert_eq!(split_number("01.北海道森町"), (Some(1), "北海道森町".to_string()));
    assert_eq!(
        split_number("９７．沖縄県与那国町"),
        (Some(97), "沖縄県与那国町".to_string())
    );
    assert_eq!(split_number("北海道森町"), (None, "北海道森町".to_string()));
}

fn team(name: &str) -> TeamOut {
    TeamOut {
        number: 1,
        code: MunicipalityCode::parse("013455").unwrap(),
        place: "北海道森町\n# x".into(),
        continuing: Some(true),
        themes: vec!["観光".into()],
        rest: vec![("announce".into(), Plain::Str("2026-03-27T10:00:00+09:00".into()))],
        members: vec![MemberOut {
            ministry: "防衛省".into(),
            grade: "補佐級".into(),
            name: Some(name.into()),
            position: Some("課長補佐: 総務".into()),
            officer: true,
            announce: Some("2026-05-01".into()),
            left: Some("2026-12-31".into()),
            gender: Some("女性".into()),
            age: Some(41),
            track: Some("no".into()),
        }],
    }
}

#[test]
fn every_text_is_double_quoted_and_escaped() {
    // The escapes are YAML 1.2's (§5.7): \t, \", \\, \n, \e for ESC and \L for U+2028.
    let yaml = emit(
        &[team("山田\t# 太郎 \"a\\b\nc \u{1b}\u{2028}")],
        Path::new("名簿.csv"),
        "",
    )
    .unwrap();
    assert!(yaml.contains(r#"name: "山田\t# 太郎 \"a\\b\nc \e\L""#), "{yaml}");
    assert!(yaml.contains(r#"position: "課長補佐: 総務""#), "{yaml}");
    assert!(
        yaml.contains(r#"grade: "補佐級""#),
        "a grade is text even where it could be read otherwise: {yaml}"
    );
    assert!(
        yaml.contains("  municipality: \"013455\"   # 北海道森町 # x\n"),
        "{yaml}"
    );
    assert!(
        yaml.starts_with("# 名簿 名簿.csv から banso import teams で作成。\n- number: 1\n"),
        "{yaml}"
    );
    assert_eq!(comment("森町\n- number: 99"), "森町 - number: 99");
}

#[test]
fn what_is_written_reads_back_as_meant() {
    let team = team("山田 #太郎, gender: 女性");
    let yaml = emit(std::slice::from_ref(&team), Path::new("名簿\n.csv"), "").unwrap();
    verify(&yaml, std::slice::from_ref(&team)).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    // A writer that did not quote would fail here rather than write a broken file.
    let unquoted = yaml.replace("\"山田 #太郎, gender: 女性\"", "山田 #太郎, gender: 女性");
    assert!(verify(&unquoted, &[team]).is_err(), "{unquoted}");
}

/// A key import does not write is carried as the value it holds, whatever its shape: what is
/// written reads back as the same value, and `rests` finds it under the team's number.
#[test]
fn keys_import_does_not_write_are_carried_as_they_are() {
    let value = Plain::Map(vec![
        ("text".into(), Plain::Str("a: b # c, [d]\n\"e\"".into())),
        ("code".into(), Plain::Str("013455".into())),
        ("when".into(), Plain::Str("2026-04-01".into())),
        ("yes".into(), Plain::Bool(true)),
        ("n".into(), Plain::Int(-7)),
        ("x".into(), Plain::Float(1.5)),
        ("none".into(), Plain::Null),
        (
            "list".into(),
            Plain::Seq(vec![Plain::Str("null".into()), Plain::Seq(vec![])]),
        ),
    ]);
    let yaml = super::teams_yaml::to_yaml(&value).unwrap();
    let node = crate::load::yaml::parse(&yaml).unwrap_or_else(|e| panic!("{e:?}\n{yaml}"));
    assert_eq!(Plain::from(&node), value, "{yaml}");

    let team = team("架空 太郎");
    let yaml = emit(std::slice::from_ref(&team), Path::new("名簿.csv"), "").unwrap();
    let rests = super::teams_yaml::rests(&yaml);
    assert_eq!(rests.get(&1), Some(&team.rest), "{yaml}");
    assert!(yaml.contains("announce: \"2026-03-27T10:00:00+09:00\""), "{yaml}");
}

#[test]
fn shift_jis_is_read() {
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("市町村名,所属府省庁,役職\n");
    let (text, enc) = decode(&bytes, Path::new("x.csv")).unwrap();
    assert_eq!(enc, "Shift_JIS");
    assert!(text.starts_with("市町村名"));
    let (text, enc) = decode("\u{feff}市町村名".as_bytes(), Path::new("x.csv")).unwrap();
    assert_eq!((text.as_str(), enc), ("市町村名", "UTF-8"));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("市町村名\t役職".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(
        decode(&utf16, Path::new("x.txt")).unwrap(),
        ("市町村名\t役職".to_string(), "UTF-16")
    );
    assert!(decode(&[0x81, 0xff, 0xfd], Path::new("x.csv")).is_err());
}

/// The secretariat's notes at the top of teams.yaml (sources, spellings) survive an import; an
/// earlier import's own line does not pile up.
#[test]
fn the_notes_atop_the_old_file_are_kept() {
    let old = "# 出典: 公表資料の一覧。\n# 所属は資料の表記のまま。\n\n# 名簿 a.csv から banso import teams で作成。\n- number: 1\n";
    let kept = super::teams_yaml::leading_comments(old);
    assert_eq!(kept, "# 出典: 公表資料の一覧。\n# 所属は資料の表記のまま。");
    let yaml = emit(&[team("山田")], Path::new("b.csv"), &kept).unwrap();
    assert_eq!(
        super::teams_yaml::leading_comments(&yaml),
        kept,
        "the same again: nothing piles up"
    );
    assert!(
        yaml.starts_with("# 出典: 公表資料の一覧。\n# 所属は資料の表記のまま。\n#\n# 名簿 b.csv から banso import teams で作成。\n- number: 1\n"),
        "{yaml}"
    );
}
