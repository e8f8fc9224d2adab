//! 団体コード — the six-digit 全国地方公共団体コード with its check digit.

use std::fmt;

use serde::Serialize;

use super::reference::Prefecture;

/// 全国地方公共団体コード — verified on construction: six digits, a real prefecture, and the
/// check digit (11 − Σ(d1..d5 × 6,5,4,3,2) mod 11) mod 10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MunicipalityCode([u8; 6]);

/// Why a text is not a valid code; the message is shown to the secretariat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// Not six digits (after NFKC, so full-width digits are accepted).
    Shape,
    /// The first two digits are not 01..47.
    Prefecture,
    /// The check digit should have been `expected`.
    CheckDigit { expected: u8 },
}

/// The check digit of the first five digits.
pub fn check_digit(first5: &[u8; 5]) -> u8 {
    let sum: u32 = first5
        .iter()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    ((11 - sum % 11) % 10) as u8
}

impl MunicipalityCode {
    pub fn parse(text: &str) -> Result<MunicipalityCode, CodeError> {
        let text = super::normalize_name(text);
        let digits: Vec<u8> = text.bytes().map(|b| b.wrapping_sub(b'0')).collect();
        if digits.len() != 6 || digits.iter().any(|d| *d > 9) {
            return Err(CodeError::Shape);
        }
        let mut code = [0u8; 6];
        code.copy_from_slice(&digits);
        let pref = code[0] * 10 + code[1];
        if Prefecture::by_code(pref).is_none() {
            return Err(CodeError::Prefecture);
        }
        let expected = check_digit(&[code[0], code[1], code[2], code[3], code[4]]);
        if expected != code[5] {
            return Err(CodeError::CheckDigit { expected });
        }
        Ok(MunicipalityCode(code))
    }

    /// A code written as a YAML integer is left-padded to six digits (SPEC §2).
    pub fn from_int(n: i128) -> Result<MunicipalityCode, CodeError> {
        if !(0..1_000_000).contains(&n) {
            return Err(CodeError::Shape);
        }
        Self::parse(&format!("{n:06}"))
    }

    pub fn prefecture(self) -> &'static Prefecture {
        Prefecture::by_code(self.0[0] * 10 + self.0[1]).expect("checked on construction")
    }

    pub fn as_string(self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl Serialize for MunicipalityCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

impl CodeError {
    /// The message for `text`, and a hint that says what to do.
    pub fn explain(&self, text: &str) -> (String, String) {
        match self {
            CodeError::Shape => (
                format!("団体コード「{text}」は6桁の数字ではありません"),
                "検査数字を含む6桁で、先頭の0も含めて \"013455\" のように引用符で囲んで書いてください".to_string(),
            ),
            CodeError::Prefecture => (
                format!("団体コード「{text}」の先頭2桁が都道府県コード（01～47）ではありません"),
                "総務省の全国地方公共団体コードを確認してください".to_string(),
            ),
            CodeError::CheckDigit { expected } => {
                let first5: String = super::normalize_name(text).chars().take(5).collect();
                (
                    format!("団体コード「{text}」の検査数字（6桁目）が合いません"),
                    format!(
                        "先頭5桁 {first5} の検査数字は {expected} です（{first5}{expected}）。打ち間違いがないか、総務省の全国地方公共団体コードで確認してください"
                    ),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_pass() {
        for c in ["013455", "011002", "032034", "131016", "224618", "473821"] {
            assert_eq!(MunicipalityCode::parse(c).unwrap().to_string(), c);
        }
        assert_eq!(MunicipalityCode::parse("013455").unwrap().prefecture().name, "北海道");
        assert_eq!(MunicipalityCode::parse("224618").unwrap().prefecture().name, "静岡県");
    }

    #[test]
    fn wrong_check_digit_is_caught_and_the_right_one_named() {
        assert_eq!(
            MunicipalityCode::parse("023036"),
            Err(CodeError::CheckDigit { expected: 5 })
        );
        let (_, hint) = CodeError::CheckDigit { expected: 5 }.explain("023036");
        assert!(hint.contains("023035"), "{hint}");
    }

    #[test]
    fn integers_are_left_padded_and_full_width_digits_normalised() {
        assert_eq!(MunicipalityCode::from_int(13455).unwrap().to_string(), "013455");
        assert_eq!(MunicipalityCode::parse("０１３４５５").unwrap().to_string(), "013455");
    }

    #[test]
    fn bad_shapes_and_prefectures() {
        assert_eq!(MunicipalityCode::parse("13455"), Err(CodeError::Shape));
        assert_eq!(MunicipalityCode::parse("01345a"), Err(CodeError::Shape));
        assert_eq!(MunicipalityCode::parse("480001").unwrap_err(), CodeError::Prefecture);
        assert_eq!(MunicipalityCode::from_int(-1), Err(CodeError::Shape));
    }
}
