//! YAML → a tree of [`Node`]s that remember where each value was written.
//!
//! serde-saphyr parses the text (with its budgets against alias bombs and deep nesting, strict
//! booleans, and numbers with leading zeros kept as text so `013455` stays a code). Its
//! `Spanned<T>` wrapper gives every key and value a line and column. The typed records are then
//! read out of this tree by [`super::de`], one record at a time, so one broken record does not
//! hide the problems of the next.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diag::Pos;

/// A YAML value and the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    /// Move every position of the tree `lines` further down (a front matter below its opening
    /// `---`, an item of a list parsed alone to its line in the file).
    pub fn shift(&mut self, lines: u32) {
        self.pos = self.pos.shifted(lines);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift(lines)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.pos = k.pos.shifted(lines);
                v.shift(lines);
            }),
            _ => {}
        }
    }
}

/// A mapping key and the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub text: String,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

impl Value {
    /// How a reader would call this kind of value, for messages.
    pub fn kind_ja(&self) -> &'static str {
        match self {
            Value::Null => "空の値",
            Value::Bool(_) => "真偽値",
            Value::Int(_) => "整数",
            Value::Float(_) => "小数",
            Value::Str(_) => "文字列",
            Value::Seq(_) => "リスト",
            Value::Map(_) => "マッピング（キー: 値）",
        }
    }
}

/// A YAML syntax problem: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

fn pos_of(loc: &Location) -> Pos {
    let len = loc.span().len();
    Pos::new(clamp(loc.line()), clamp(loc.column()), clamp(len))
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Limits that keep hostile YAML from taking the machine: far above any real content file.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_nodes: 2_000_000,
            max_events: 4_000_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_alias_expansions_per_anchor: 1_000,
        },
    }
}

/// Parse one YAML document. An empty document gives a `Null` node at 1:1.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Node {
            value: Value::Null,
            pos: Pos::new(1, 1, 0),
        });
    }
    match serde_saphyr::from_str_with_options::<Spanned<Tree>>(text, options()) {
        Ok(sp) => Ok(sp.into_node()),
        Err(e) => {
            let pos = e.location().map(|l| pos_of(&l)).unwrap_or(Pos::new(1, 1, 0));
            let raw = serde_saphyr::MessageFormatter::format_message(&serde_saphyr::UserMessageFormatter, &e);
            Err(SyntaxError {
                pos,
                message: translate(&raw),
            })
        }
    }
}

/// Items of a list file as [`parse_list`] parsed them, by the hash of the text each was parsed
/// from (the item's, with an empty item after it but for the last), positions counted from the
/// item's first line: the next parse of the file takes an item
/// whose text is the same instead of parsing it again (`serve`, after a roster edit).
#[derive(Default)]
pub struct Items(HashMap<u128, Arc<Node>>);

/// The largest list parsed item by item. Every node but the list itself takes at least a byte
/// of text (`a:` is a key and an empty value in two), so such a text holds about half the
/// parser's budget of nodes at most: parsed whole it could not have exceeded it either.
const MAX_ITEMWISE_BYTES: usize = 1024 * 1024;

/// [`parse`] for a document that is a list written item by item from the left margin (`- …`,
/// as every records file is): each item parsed on its own, in parallel, or taken from `known`
/// when its text is unchanged, then put together with the positions a whole parse gives.
/// A text that cannot be split exactly is parsed whole: one with anything at the margin
/// besides items and comments (a key, `---`, a directive, a tab), with an anchor or alias (`&`,
/// `*`: one may reach across items), with fewer than two items, or over a megabyte; so is one with
/// an item that does not parse on its own, so problems are reported as [`parse`] reports them.
/// Returns the items of `text`, for the next call.
pub fn parse_list(text: &str, known: &Items) -> (Result<Node, SyntaxError>, Items) {
    use rayon::prelude::*;
    let whole = || (parse(text), Items::default());
    let Some((first_line, chunks)) = split_items(text) else {
        return whole();
    };
    let last = chunks.len() - 1;
    let parsed: Option<Vec<(u128, Arc<Node>)>> = chunks
        .par_iter()
        .enumerate()
        .map(|(i, (_, chunk))| {
            // An item is parsed with an empty item after it where another follows in the file:
            // what ends it (an empty block scalar's place is where the next item begins, not
            // the end of the text) is then what ends it in the whole text.
            let alone: std::borrow::Cow<str> = if i == last {
                (*chunk).into()
            } else {
                format!("{chunk}-\n").into()
            };
            let hash = crate::hash::of(alone.as_bytes());
            if let Some(item) = known.0.get(&hash) {
                return Some((hash, Arc::clone(item)));
            }
            let Ok(Node {
                value: Value::Seq(mut items),
                ..
            }) = parse(&alone)
            else {
                return None;
            };
            let expected = if i == last { 1 } else { 2 };
            (items.len() == expected).then(|| (hash, Arc::new(items.swap_remove(0))))
        })
        .collect();
    let Some(parsed) = parsed else {
        return whole();
    };
    let items: Vec<Node> = parsed
        .iter()
        .zip(&chunks)
        .map(|((_, item), (line, _))| {
            let mut item = Node::clone(item);
            item.shift(*line);
            item
        })
        .collect();
    // Where a whole parse places a list: at the `-` of its first item, with no length.
    let root = Node {
        value: Value::Seq(items),
        pos: Pos::new(first_line, 1, 0),
    };
    (Ok(root), Items(parsed.into_iter().collect()))
}

/// The line of the first item of a list written from the left margin, and its items, each with
/// the number of lines before it (the first takes the comments above it); `None` when the text
/// is not only that.
fn split_items(text: &str) -> Option<(u32, Vec<(u32, &str)>)> {
    if text.len() > MAX_ITEMWISE_BYTES || text.contains(['&', '*']) {
        return None;
    }
    let mut starts: Vec<(usize, u32)> = Vec::new();
    let mut at = 0;
    for (no, line) in text.split_inclusive('\n').enumerate() {
        let b = line.as_bytes();
        match b[0] {
            b'-' if matches!(b.get(1), None | Some(b' ' | b'\n')) => {
                starts.push((if starts.is_empty() { 0 } else { at }, u32::try_from(no).ok()?));
            }
            b' ' | b'\n' | b'#' => {}
            _ => return None,
        }
        at += line.len();
    }
    if starts.len() < 2 {
        return None;
    }
    let first_line = starts[0].1 + 1;
    starts[0].1 = 0;
    let ends = starts.iter().skip(1).map(|(start, _)| *start).chain([text.len()]);
    let items = starts
        .iter()
        .zip(ends)
        .map(|((start, line), end)| (*line, &text[*start..end]))
        .collect();
    Some((first_line, items))
}

/// Japanese wording for the parser's most common complaints; the original follows in brackets.
fn translate(raw: &str) -> String {
    let raw = raw.trim();
    let table: [(&str, &str); 10] = [
        (
            "mapping values are not allowed",
            "ここに「キー: 値」は書けません（値の中のコロンは \"…\" で囲んでください）",
        ),
        (
            "did not find expected key",
            "キーがあるべき場所に別のものがあります（インデントを確認してください）",
        ),
        (
            "did not find expected '-'",
            "リストの「- 」があるべき場所に別のものがあります（インデントを確認してください）",
        ),
        ("unclosed bracket", "括弧 [ や { が閉じられていません"),
        ("unclosed quote", "引用符が閉じられていません"),
        (
            "found character that cannot start any token",
            "この文字からは値を始められません（タブ文字は使えません）",
        ),
        ("duplicate", "同じキーが二度書かれています"),
        ("budget", "YAML が大きすぎるか、入れ子や別名（アンカー）が多すぎます"),
        (
            "too large or too complex",
            "YAML が大きすぎるか、入れ子や別名（アンカー）が多すぎます",
        ),
        ("depth", "入れ子が深すぎます"),
    ];
    let ja = table
        .iter()
        .find(|(en, _)| raw.to_lowercase().contains(en))
        .map(|(_, ja)| *ja)
        .unwrap_or("YAML の書き方に誤りがあります");
    format!("{ja}（{raw}）")
}

/// The intermediate value serde-saphyr fills; turned into [`Node`] at once.
enum Tree {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Tree>>),
    Map(Vec<(Spanned<String>, Spanned<Tree>)>),
}

trait IntoNode {
    fn into_node(self) -> Node;
}

impl IntoNode for Spanned<Tree> {
    fn into_node(self) -> Node {
        let pos = pos_of(&self.referenced);
        let value = match self.value {
            Tree::Null => Value::Null,
            Tree::Bool(b) => Value::Bool(b),
            Tree::Int(i) => Value::Int(i),
            Tree::Float(f) => Value::Float(f),
            Tree::Str(s) => Value::Str(s),
            Tree::Seq(items) => Value::Seq(items.into_iter().map(IntoNode::into_node).collect()),
            Tree::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            Key {
                                text: k.value,
                                pos: pos_of(&k.referenced),
                            },
                            v.into_node(),
                        )
                    })
                    .collect(),
            ),
        };
        Node { value, pos }
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tree;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Tree, E> {
                Ok(Tree::Null)
            }
            fn visit_none<E>(self) -> Result<Tree, E> {
                Ok(Tree::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
                Tree::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
                Ok(Tree::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
                Ok(Tree::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Tree, E> {
                Ok(Tree::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Tree, E> {
                Ok(Tree::Int(v))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Tree, E> {
                i128::try_from(v)
                    .map(Tree::Int)
                    .map_err(|_| E::custom("整数が大きすぎます"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Tree, E> {
                Ok(Tree::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
                Ok(Tree::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Tree, E> {
                Ok(Tree::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Tree, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Tree::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Tree, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key()? {
                    let val = a.next_value()?;
                    v.push((k, val));
                }
                Ok(Tree::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_get<'a>(n: &'a Node, key: &str) -> &'a Node {
        match &n.value {
            Value::Map(es) => &es.iter().find(|(k, _)| k.text == key).expect(key).1,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn values_keep_line_and_column() {
        let n = parse("# 見出し\n- number: 1\n  members:\n    - ministry: 防衛省\n").unwrap();
        let Value::Seq(items) = &n.value else { panic!() };
        assert_eq!(map_get(&items[0], "number").pos, Pos::new(2, 11, 1));
        let Value::Seq(members) = &map_get(&items[0], "members").value else {
            panic!()
        };
        let ministry = map_get(&members[0], "ministry");
        assert_eq!(ministry.value, Value::Str("防衛省".into()));
        assert_eq!(ministry.pos, Pos::new(4, 17, 3));
    }

    #[test]
    fn codes_with_leading_zero_stay_text_and_booleans_are_strict() {
        let n = parse("a: 013455\nb: 13455\nc: yes\nd: true\ne: 2026-03-27\nn: x\n").unwrap();
        assert_eq!(map_get(&n, "a").value, Value::Str("013455".into()));
        assert_eq!(map_get(&n, "b").value, Value::Int(13455));
        assert_eq!(map_get(&n, "c").value, Value::Str("yes".into()));
        assert_eq!(map_get(&n, "d").value, Value::Bool(true));
        assert_eq!(map_get(&n, "e").value, Value::Str("2026-03-27".into()));
        assert_eq!(map_get(&n, "n").value, Value::Str("x".into()));
    }

    #[test]
    fn syntax_error_points_at_the_line() {
        let e = parse("- number: 1\n  continuing: false: x\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("キー: 値"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.pos.line, 2, "{e:?}");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            y.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = parse(&y).unwrap_err();
        assert!(e.message.contains("多すぎ") || e.message.contains("大きすぎ"), "{e:?}");
    }

    #[test]
    fn empty_and_comment_only_documents_are_null() {
        assert_eq!(parse("").unwrap().value, Value::Null);
        assert_eq!(parse("# なし\n\n").unwrap().value, Value::Null);
    }

    /// Pieces of list files: items as the records files write them, the YAML a person may
    /// get wrong, and what a list parsed item by item must leave to a whole parse.
    const PIECES: &[&str] = &[
        "- number: 1\n  municipality: \"013455\"\n",
        "- number: 2\n  members:\n    - { ministry: 防衛省, grade: 課長級, age: 47 }\n    - ministry: 環境省\n",
        "- { a: 1, b: [x, y] }\n",
        "- text: |\n    一行目\n\n    二行目\n",
        "- keep: |+\n    残す\n\n",
        "- folded: >-\n    折り\n    返し\n",
        "- \"二行に\n  わたる\"\n",
        "- a\n  - b\n",
        "-\n",
        "- \n",
        "# 注記\n",
        "\n",
        "  # 字下げした注記\n",
        "- yes: true\n  no: 0x1F\n  date: 2026-03-27\n",
        "- a: b: c\n",
        "- [閉じていない\n",
        "- \"閉じていない\n",
        "- a: 1\n  a: 2\n",
        "-x\n",
        "key: v\n",
        "\t- a\n",
        "- &a x\n",
        "- *a\n",
        "---\n",
        "- [1,\n- 2]\n",
        "- |\n",
        "- a: >\n  \n",
        "- |+\n\n",
        "- |2\n   字下げ\n",
        "- b: |-\n",
        "   \n",
        "- !!str 12\n",
        "- ? a\n  : b\n",
        "- 複数行の\n  平文\n",
        "- a:\n",
        "- last",
    ];

    fn text_of(pieces: &[usize]) -> String {
        pieces.iter().map(|i| PIECES[*i]).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, ..Default::default() })]

        /// Parsed item by item, with or without the items of an earlier text, a list is what
        /// a whole parse makes of it: the same values at the same places, or the same error.
        #[test]
        fn a_list_parsed_item_by_item_is_the_list_parsed_whole(
            before in proptest::collection::vec(0..PIECES.len(), 0..12),
            after in proptest::collection::vec(0..PIECES.len(), 0..12),
        ) {
            let (before, after) = (text_of(&before), text_of(&after));
            let (_, known) = parse_list(&before, &Items::default());
            let whole = parse(&after);
            proptest::prop_assert_eq!(&parse_list(&after, &Items::default()).0, &whole);
            proptest::prop_assert_eq!(&parse_list(&after, &known).0, &whole);
        }
    }

    /// The property above holds trivially if nothing is ever parsed item by item: a list as
    /// the records files write it is, and an edited item is the only one parsed again.
    #[test]
    fn a_records_list_is_parsed_item_by_item_and_an_unchanged_item_is_not_parsed_again() {
        let before = text_of(&[10, 0, 1, 3, 2]);
        let (first, known) = parse_list(&before, &Items::default());
        assert_eq!(known.0.len(), 4);
        assert_eq!(first, parse(&before));
        let after = before.replace("防衛省", "環境省");
        let (second, again) = parse_list(&after, &known);
        assert_eq!(second, parse(&after));
        let reused = again
            .0
            .values()
            .filter(|n| known.0.values().any(|k| Arc::ptr_eq(k, n)))
            .count();
        assert_eq!(reused, 3, "the three items not edited are taken as parsed before");
        // Anything at the margin besides items, or an alias, is parsed whole.
        assert!(parse_list(&text_of(&[0, 19, 2]), &Items::default()).1.0.is_empty());
        assert!(parse_list(&text_of(&[21, 22]), &Items::default()).1.0.is_empty());
    }
}
