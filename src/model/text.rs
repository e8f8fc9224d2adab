//! Text as the content format allows it, wherever it comes from (a YAML file or a roster's cell).
//!
//! - A single-line field (a name, a title, a position, a label) holds no control or format
//!   character: no line break (it would break a CSV record and a page's layout), no tab, no
//!   bidirectional override (U+202E makes 「太郎」 display as something else), no zero-width
//!   character (two spellings that look the same), SPEC §2.
//! - Text that a spreadsheet would run as a formula is published in CSV with a leading `'`
//!   (SPEC §5); `check` warns where content holds such text.

use std::borrow::Cow;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The first character of `s` a single-line field may not hold, with its place (0-based, in
/// characters).
pub fn disallowed_char(s: &str) -> Option<(usize, char)> {
    s.chars().enumerate().find(|&(_, c)| is_disallowed(c))
}

/// Control (Cc), format (Cf: bidi controls, zero-width characters, soft hyphen, BOM), and line
/// or paragraph separators (Zl, Zp). Variation selectors (異体字セレクタ, Mn) are letters'
/// parts and stay allowed.
fn is_disallowed(c: char) -> bool {
    // Most characters of a record: printable ASCII, and the ranges from 　 (U+3000) to the
    // last common kanji (U+9FFF) and of full-width forms, none of them a control or format
    // character (a test goes through every one); the table is looked up for the rest.
    if matches!(u32::from(c), 0x20..=0x7E | 0x3000..=0x9FFF | 0xFF00..=0xFFEF) {
        return false;
    }
    by_category(c)
}

fn by_category(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

/// What a reader of a problem calls the character: 改行, タブ, or its code point and kind.
pub fn describe_char(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    match c {
        '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => format!("改行（{code}）"),
        '\t' => format!("タブ（{code}）"),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => format!("幅のない文字（{code}）"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{61C}' => {
            format!("文字の向きを変える制御文字（{code}）")
        }
        c if c.is_control() => format!("制御文字（{code}）"),
        _ => format!("見えない書式文字（{code}）"),
    }
}

/// The problem with `s` as a single-line field, if any: which character, where.
pub fn single_line_problem(s: &str) -> Option<String> {
    let (at, c) = disallowed_char(s)?;
    Some(format!(
        "「{}」の{}文字目に{}があります",
        s.chars().filter(|&c| !is_disallowed(c)).collect::<String>(),
        at + 1,
        describe_char(c)
    ))
}

/// Whether a spreadsheet opening a CSV cell holding `s` would take it for a formula: text that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number.
pub fn runs_as_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(s)
}

/// `-12`, `+3.5`, `-1e3`: a sign, digits, an optional fraction and exponent (what a spreadsheet
/// reads as a number, not as a formula).
fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (digits(int) || int.is_empty()) && (digits(frac) || frac.is_empty()) && int.len() + frac.len() > 0
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// `s` as a public CSV cell: with a leading `'` when a spreadsheet would run it (SPEC §5).
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if runs_as_formula(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ranges_taken_without_a_lookup_hold_no_control_or_format_character() {
        for range in [0x20..=0x7E, 0x3000..=0x9FFF, 0xFF00..=0xFFEF] {
            for c in range.filter_map(char::from_u32) {
                assert!(!by_category(c), "U+{:04X}", u32::from(c));
            }
        }
        for c in [
            '\u{7F}',
            '\u{85}',
            '\u{2028}',
            '\u{FEFF}',
            '\u{FFF9}',
            '\u{E0001}',
            '\t',
        ] {
            assert!(is_disallowed(c) && by_category(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn line_breaks_bidi_controls_and_zero_width_characters_are_found_where_they_are() {
        assert_eq!(disallowed_char("山田 太郎"), None);
        assert_eq!(disallowed_char("山田\n太郎"), Some((2, '\n')));
        assert_eq!(disallowed_char("山田\u{202E}郎太"), Some((2, '\u{202E}')));
        assert_eq!(disallowed_char("\u{200B}山田"), Some((0, '\u{200B}')));
        assert_eq!(disallowed_char("a\tb"), Some((1, '\t')));
        assert_eq!(disallowed_char("x\u{2028}"), Some((1, '\u{2028}')));
        assert_eq!(disallowed_char("soft\u{AD}hyphen"), Some((4, '\u{AD}')));
        // 異体字セレクタ (葛󠄀) and the ideographic space are part of names.
        assert_eq!(disallowed_char("葛\u{E0100}城\u{3000}市"), None);
        assert_eq!(
            single_line_problem("山田\u{202E}太郎").as_deref(),
            Some("「山田太郎」の3文字目に文字の向きを変える制御文字（U+202E）があります")
        );
        assert!(describe_char('\n').starts_with("改行"));
    }

    #[test]
    fn text_a_spreadsheet_would_run_gets_a_quote_and_numbers_do_not() {
        for run in [
            "=1+1", "+81 3", "-cmd", "@SUM(A1)", "\tx", "\r=1", "-", "+", "=", "-inf", "-1e", "--1", "-.", "-1.2.3",
        ] {
            assert!(runs_as_formula(run), "{run:?}");
            assert_eq!(csv_cell(run), format!("'{run}"));
        }
        for keep in [
            "-12",
            "+3.5",
            "-1e3",
            "-.5",
            "-5.",
            "1E+3",
            "総務省",
            "",
            "a=b",
            " =x",
            "０",
        ] {
            assert!(!runs_as_formula(keep), "{keep:?}");
            assert_eq!(csv_cell(keep), keep);
        }
    }
}
