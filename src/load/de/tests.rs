use super::*;
use crate::load::yaml::parse;
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct Member {
    ministry: Sp<String>,
    age: Option<u8>,
}

#[derive(Deserialize, Debug)]
struct Team {
    number: Sp<u32>,
    members: Vec<Lenient<Member>>,
}

fn read(y: &str) -> (Option<Vec<Lenient<Team>>>, Vec<Issue>) {
    let node = parse(y).unwrap();
    let sink = Sink::default();
    let v = from_node::<Vec<Lenient<Team>>>(&node, &sink);
    (v, sink.into_issues())
}

#[test]
fn spans_reach_typed_fields() {
    let (teams, issues) = read("- number: 7\n  members:\n    - ministry: 防衛省\n      age: 41\n");
    assert!(issues.is_empty(), "{issues:?}");
    let t = teams.unwrap().remove(0).0.unwrap();
    assert_eq!(t.number, Sp::new(7, Pos::new(1, 11, 1)));
    let m = t.members[0].0.as_ref().unwrap();
    assert_eq!(m.ministry.pos, Pos::new(3, 17, 3));
    assert_eq!(m.age, Some(41));
}

#[test]
fn every_unknown_key_is_reported_with_a_suggestion() {
    let (_, issues) = read("- number: 1\n  membrs: []\n  members:\n    - ministri: x\n      ministry: y\n");
    let msgs: Vec<_> = issues
        .iter()
        .map(|i| (i.pos.line, i.message.as_str(), i.suggestion.clone()))
        .collect();
    assert_eq!(
        msgs,
        [
            (2, "不明な項目「membrs」", Some("members".into())),
            (4, "不明な項目「ministri」", Some("ministry".into())),
        ]
    );
}

#[test]
fn a_broken_item_does_not_hide_the_next() {
    let y = "- number: x\n  members: []\n- number: 2\n  members:\n    - ministry: a\n      age: old\n- members: []\n";
    let (teams, issues) = read(y);
    let teams = teams.unwrap();
    assert!(teams[0].0.is_none());
    assert_eq!(teams[1].0.as_ref().unwrap().members.len(), 1);
    assert!(teams[1].0.as_ref().unwrap().members[0].0.is_none());
    let found: Vec<_> = issues
        .iter()
        .map(|i| (i.pos.line, i.pos.col, i.message.clone()))
        .collect();
    assert_eq!(
        found[0],
        (1, 11, "整数を書くところに文字列「x」が書かれています".to_string())
    );
    assert_eq!(
        found[1],
        (6, 12, "整数を書くところに文字列「old」が書かれています".to_string())
    );
    assert_eq!(found[2], (7, 3, "必須の項目「number」がありません".to_string()));
    assert_eq!(found.len(), 3);
}

#[test]
fn full_width_and_quoted_numbers_are_numbers() {
    let (teams, issues) = read("- number: ３\n  members:\n    - ministry: a\n      age: \"41\"\n");
    assert!(issues.is_empty(), "{issues:?}");
    let t = teams.unwrap().remove(0).0.unwrap();
    assert_eq!(t.number.value, 3);
    assert_eq!(t.members[0].0.as_ref().unwrap().age, Some(41));
}

#[test]
fn out_of_range_number_names_the_value() {
    let (_, issues) = read("- number: 1\n  members:\n    - ministry: a\n      age: 300\n");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].pos.line, 4);
    assert!(issues[0].message.contains("300"), "{:?}", issues[0]);
}
