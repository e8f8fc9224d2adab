//! Typed records out of a [`Node`] tree, through serde, with a place for every problem.
//!
//! `NodeDe` is a serde `Deserializer` over one node. Raw record structs derive `Deserialize`
//! as usual and wrap fields in [`Sp<T>`] where validation later needs the value's position.
//! Problems do not stop at the first one:
//! - unknown keys are reported (with the closest known key) and skipped, all of them;
//! - a [`Lenient<T>`] item that fails reports its problem and becomes `None`, so the next item
//!   of the list is still read.
//!
//! Messages are Japanese and name the offending text; positions point at the node.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Error as _, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::yaml::{Key, Node, Value};
use crate::diag::{Pos, closest};

/// A value with the position it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Sp<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Sp { value, pos }
    }
}

/// A list item that, when broken, is reported and skipped instead of failing the whole list.
#[derive(Clone, Debug)]
pub struct Lenient<T>(pub Option<T>);

const SP_NAME: &str = "$banso::Sp";
const LENIENT_NAME: &str = "$banso::Lenient";

/// One problem met while reading records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub pos: Pos,
    pub message: String,
    /// The close match of a misspelt name (shown as もしかして).
    pub suggestion: Option<String>,
    pub help: Option<String>,
}

/// Where problems go while a file is read.
#[derive(Default)]
pub struct Sink(RefCell<Vec<Issue>>);

impl Sink {
    pub fn push(&self, issue: Issue) {
        self.0.borrow_mut().push(issue);
    }

    pub fn into_issues(self) -> Vec<Issue> {
        self.0.into_inner()
    }
}

/// Read `T` out of `node`; problems (also those of lenient items) go to `sink`.
pub fn from_node<'a, T: de::Deserialize<'a>>(node: &'a Node, sink: &'a Sink) -> Option<T> {
    match T::deserialize(NodeDe { node, sink }) {
        Ok(v) => Some(v),
        Err(e) => {
            if !e.reported {
                sink.push(e.into_issue(node.pos));
            }
            None
        }
    }
}

/// The error type of [`NodeDe`].
#[derive(Debug)]
pub struct DeError {
    message: String,
    pos: Option<Pos>,
    help: Option<String>,
    /// Already in the sink (a lenient item): do not report twice.
    reported: bool,
}

impl DeError {
    fn at(mut self, pos: Pos) -> Self {
        self.pos.get_or_insert(pos);
        self
    }

    fn into_issue(self, fallback: Pos) -> Issue {
        Issue {
            pos: self.pos.unwrap_or(fallback),
            message: self.message,
            suggestion: None,
            help: self.help,
        }
    }

    fn typed(message: String, help: &str) -> Self {
        DeError {
            message,
            pos: None,
            help: Some(help.to_string()),
            reported: false,
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

/// What serde's `Expected` texts mean to a reader.
fn expected_ja(exp: &str) -> &'static str {
    let e = exp.to_lowercase();
    if e.contains("bool") {
        "true か false"
    } else if ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "integer"]
        .iter()
        .any(|t| e.contains(t))
    {
        "整数"
    } else if e.contains("f64") || e.contains("f32") || e.contains("float") {
        "数値"
    } else if e.contains("sequence") || e.contains("tuple") || e.contains("vec") {
        "リスト"
    } else if e.contains("struct") || e.contains("map") {
        "マッピング（キー: 値）"
    } else if e.contains("string") || e.contains("str") || e.contains("char") {
        "文字列"
    } else {
        "別の種類の値"
    }
}

fn unexpected_ja(u: &de::Unexpected) -> String {
    use de::Unexpected as U;
    match u {
        U::Bool(b) => format!("真偽値 {b}"),
        U::Unsigned(n) => format!("整数 {n}"),
        U::Signed(n) => format!("整数 {n}"),
        U::Float(f) => format!("数値 {f}"),
        U::Char(c) => format!("文字「{c}」"),
        U::Str(s) => format!("文字列「{s}」"),
        U::Unit | U::Option => "空の値".to_string(),
        U::Seq => "リスト".to_string(),
        U::Map => "マッピング（キー: 値）".to_string(),
        other => other.to_string(),
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            pos: None,
            help: None,
            reported: false,
        }
    }

    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        let want = expected_ja(&exp.to_string());
        DeError::typed(
            format!("{want}を書くところに{}が書かれています", unexpected_ja(&unexp)),
            &format!("{want}を書いてください"),
        )
    }

    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        if let de::Unexpected::Unsigned(_) | de::Unexpected::Signed(_) = unexp {
            return DeError::typed(format!("{}は範囲外です", unexpected_ja(&unexp)), "値を確認してください");
        }
        let want = expected_ja(&exp.to_string());
        DeError::typed(
            format!("{}は使えません（{want}が必要です）", unexpected_ja(&unexp)),
            &format!("{want}を書いてください"),
        )
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        DeError::custom(format!("要素の数が {len} 個です（{exp}）"))
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::typed(
            format!("必須の項目「{field}」がありません"),
            &format!("「{field}: …」を書き加えてください"),
        )
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::custom(format!("項目「{field}」が二度書かれています"))
    }
}

/// serde `Deserializer` over one node.
pub struct NodeDe<'a> {
    node: &'a Node,
    sink: &'a Sink,
}

impl<'a> NodeDe<'a> {
    fn scalar_text(&self) -> Option<String> {
        match &self.node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn type_error(&self, want: &str) -> DeError {
        let got = match &self.node.value {
            Value::Str(s) => format!("文字列「{s}」"),
            Value::Int(i) => format!("整数 {i}"),
            other => other.kind_ja().to_string(),
        };
        DeError::typed(
            format!("{want}を書くところに{got}が書かれています"),
            &format!("{want}を書いてください"),
        )
        .at(self.node.pos)
    }

    fn visit_int<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        // Numbers typed with full-width digits (４１) or quoted ("41") are read as numbers.
        let number = match &self.node.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) => crate::model::normalize_name(s).parse::<i128>().ok(),
            _ => None,
        };
        match number {
            Some(i) => {
                if let Ok(u) = u64::try_from(i) {
                    visitor.visit_u64(u)
                } else if let Ok(s) = i64::try_from(i) {
                    visitor.visit_i64(s)
                } else {
                    Err(DeError::custom(format!("整数 {i} は大きすぎます")))
                }
            }
            None => Err(self.type_error("整数")),
        }
        .map_err(|e: DeError| e.at(pos))
    }
}

/// Entries of a mapping, as serde's `MapAccess`.
struct MapDe<'a> {
    entries: std::vec::IntoIter<&'a (Key, Node)>,
    value: Option<&'a Node>,
    sink: &'a Sink,
}

impl<'a> MapAccess<'a> for MapDe<'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                let key: de::value::StrDeserializer<'a, DeError> = k.text.as_str().into_deserializer();
                seed.deserialize(key).map(Some).map_err(|e| e.at(k.pos))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let node = self.value.take().expect("serde asks for a value after its key");
        seed.deserialize(NodeDe { node, sink: self.sink })
    }
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Node>,
    sink: &'a Sink,
}

impl<'a> SeqAccess<'a> for SeqDe<'a> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => seed.deserialize(NodeDe { node, sink: self.sink }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The two synthetic entries `Sp<T>` and `Lenient<T>` read: the position and the value.
struct WrapperDe<'a> {
    node: &'a Node,
    sink: &'a Sink,
    step: u8,
    lenient: bool,
}

impl<'a> MapAccess<'a> for WrapperDe<'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let key = match self.step {
            0 if !self.lenient => "pos",
            0 | 1 => "value",
            _ => return Ok(None),
        };
        if self.lenient {
            self.step = 1;
        }
        let d: de::value::StrDeserializer<'a, DeError> = key.into_deserializer();
        seed.deserialize(d).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let step = self.step;
        self.step += 1;
        if step == 0 && !self.lenient {
            let p = self.node.pos;
            let d: de::value::SeqDeserializer<std::array::IntoIter<u32, 3>, DeError> =
                de::value::SeqDeserializer::new([p.line, p.col, p.len].into_iter());
            return seed.deserialize(d);
        }
        let result = seed.deserialize(NodeDe {
            node: self.node,
            sink: self.sink,
        });
        if self.lenient {
            result.map_err(|e| {
                if !e.reported {
                    self.sink.push(e.into_issue(self.node.pos));
                }
                DeError {
                    message: String::new(),
                    pos: None,
                    help: None,
                    reported: true,
                }
            })
        } else {
            result
        }
    }
}

macro_rules! forward_int {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.visit_int(visitor)
        }
    )*};
}

impl<'a> Deserializer<'a> for NodeDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(_) => return self.visit_int(visitor),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_borrowed_str(s),
            Value::Seq(_) => return self.deserialize_seq(visitor),
            Value::Map(_) => return self.deserialize_map(visitor),
        }
        .map_err(|e: DeError| e.at(pos))
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Bool(b) => visitor.visit_bool(*b).map_err(|e: DeError| e.at(self.node.pos)),
            _ => Err(self.type_error("true か false")),
        }
    }

    forward_int!(deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_i8
        deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128 deserialize_u128);

    fn deserialize_f32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.value {
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Int(i) => visitor.visit_f64(*i as f64),
            _ => return Err(self.type_error("数値")),
        }
        .map_err(|e: DeError| e.at(pos))
    }

    fn deserialize_char<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        match &self.node.value {
            Value::Str(s) => visitor.visit_borrowed_str(s),
            _ => match self.scalar_text() {
                Some(t) => visitor.visit_string(t),
                None => return Err(self.type_error("文字列")),
            },
        }
        .map_err(|e: DeError| e.at(pos))
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, _visitor: V) -> Result<V::Value, DeError> {
        Err(self.type_error("文字列"))
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.type_error("空の値")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Seq(items) => visitor
                .visit_seq(SeqDe {
                    items: items.iter(),
                    sink: self.sink,
                })
                .map_err(|e: DeError| e.at(self.node.pos)),
            _ => Err(self.type_error("リスト（「- 」で始まる行、または [a, b]）")),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Map(entries) => visitor
                .visit_map(MapDe {
                    entries: entries.iter().collect::<Vec<_>>().into_iter(),
                    value: None,
                    sink: self.sink,
                })
                .map_err(|e: DeError| e.at(self.node.pos)),
            _ => Err(self.type_error("マッピング（キー: 値）")),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SP_NAME || name == LENIENT_NAME {
            return visitor.visit_map(WrapperDe {
                node: self.node,
                sink: self.sink,
                step: 0,
                lenient: name == LENIENT_NAME,
            });
        }
        let Value::Map(entries) = &self.node.value else {
            return Err(self.type_error("マッピング（キー: 値）"));
        };
        let mut known = Vec::with_capacity(entries.len());
        for entry in entries {
            if fields.contains(&entry.0.text.as_str()) {
                known.push(entry);
            } else {
                self.sink.push(unknown_key(&entry.0, fields));
            }
        }
        visitor
            .visit_map(MapDe {
                entries: known.into_iter(),
                value: None,
                sink: self.sink,
            })
            .map_err(|e: DeError| e.at(self.node.pos))
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Str(s) => {
                let d: de::value::StrDeserializer<'a, DeError> = s.as_str().into_deserializer();
                visitor.visit_enum(d).map_err(|e: DeError| e.at(self.node.pos))
            }
            _ => Err(self.type_error("文字列")),
        }
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

fn unknown_key(key: &Key, fields: &[&str]) -> Issue {
    let suggestion = closest(&key.text, fields.iter().copied());
    Issue {
        pos: key.pos,
        message: format!("不明な項目「{}」", key.text),
        suggestion: suggestion.map(str::to_string),
        help: Some(format!(
            "使える項目は {} です（綴りを確認してください）",
            fields.join(", ")
        )),
    }
}

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: de::Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Sp<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value with its position")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sp<T>, A::Error> {
                let _: Option<de::IgnoredAny> = map.next_key()?;
                let (line, col, len): (u32, u32, u32) = map.next_value()?;
                let _: Option<de::IgnoredAny> = map.next_key()?;
                let value = map.next_value()?;
                Ok(Sp {
                    value,
                    pos: Pos::new(line, col, len),
                })
            }
        }
        d.deserialize_struct(SP_NAME, &["pos", "value"], V(std::marker::PhantomData))
    }
}

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: de::Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Lenient<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list item")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lenient<T>, A::Error> {
                let _: Option<de::IgnoredAny> = map.next_key()?;
                // The deserializer has already reported a broken item; skip it.
                Ok(Lenient(map.next_value().ok()))
            }
        }
        d.deserialize_struct(LENIENT_NAME, &["value"], V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
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
        let y =
            "- number: x\n  members: []\n- number: 2\n  members:\n    - ministry: a\n      age: old\n- members: []\n";
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
}
