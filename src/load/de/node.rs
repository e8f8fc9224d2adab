//! [`NodeDe`]: a serde `Deserializer` over one [`Node`], reporting unknown keys and broken list
//! items to the [`Sink`] and reading on.

use serde::de::{self, DeserializeSeed, Deserializer, Error as _, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::{DeError, Issue, LENIENT_NAME, SP_NAME, Sink};
use crate::diag::closest;
use crate::load::yaml::{Key, Node, Value};

/// serde `Deserializer` over one node.
pub struct NodeDe<'a> {
    pub(super) node: &'a Node,
    pub(super) sink: &'a Sink,
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

    /// The node's text as a single-line field allows it (SPEC §2): a control or format
    /// character is reported, and reading goes on, so every such field of a record is reported.
    fn line(&self, s: &'a str) -> &'a str {
        if let Some(problem) = crate::model::text::single_line_problem(s) {
            self.sink.push(Issue {
                pos: self.node.pos,
                message: problem,
                suggestion: None,
                help: Some(
                    "この文字を消してください（改行は書けません。見えない文字は、値を打ち直すと消えます）".into(),
                ),
            });
        }
        s
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
                // No field of the content format takes an empty value (SPEC §2).
                if matches!(v.value, Value::Null) {
                    return Err(DeError::typed(
                        format!("「{}」に値が書かれていません", k.text),
                        "値を書くか、使わないならこの行ごと消してください（空のままにはできません）",
                    )
                    .at(k.pos));
                }
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
            Value::Str(s) => visitor.visit_borrowed_str(self.line(s)),
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
            Value::Str(s) => visitor.visit_borrowed_str(self.line(s)),
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

    /// A key written with no value (`release:` or `release: ~`) is an error, never "not given":
    /// an empty release would otherwise publish at once (SPEC §2). Leaving the key out is how
    /// an optional field is not given.
    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Null => Err(DeError::typed(
                "値が書かれていません".to_string(),
                "値を書くか、使わないならこの行ごと消してください",
            )
            .at(self.node.pos)),
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
