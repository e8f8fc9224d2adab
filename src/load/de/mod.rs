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

mod error;
mod node;

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::yaml::Node;
use crate::diag::Pos;
pub use error::DeError;
pub use node::NodeDe;

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
mod tests;
