//! [`DeError`]: serde's errors said in Japanese, with the place and what to do.

use std::fmt;

use serde::de;

use super::Issue;
use crate::diag::Pos;

/// The error type of `NodeDe`.
#[derive(Debug)]
pub struct DeError {
    pub(super) message: String,
    pub(super) pos: Option<Pos>,
    pub(super) help: Option<String>,
    /// Already in the sink (a lenient item): do not report twice.
    pub(super) reported: bool,
}

impl DeError {
    pub(super) fn at(mut self, pos: Pos) -> Self {
        self.pos.get_or_insert(pos);
        self
    }

    pub(super) fn into_issue(self, fallback: Pos) -> Issue {
        Issue {
            pos: self.pos.unwrap_or(fallback),
            message: self.message,
            suggestion: None,
            help: self.help,
        }
    }

    pub(super) fn typed(message: String, help: &str) -> Self {
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
