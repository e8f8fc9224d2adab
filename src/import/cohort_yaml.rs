//! Writing a roster's attribute counts into cohort.yaml as `declared.breakdowns` (SPEC §6 (d)),
//! so that teams.yaml need not hold anyone's 性別, 年齢 or 事務官・技官の別.
//!
//! cohort.yaml is the secretariat's file, with their comments: only the `breakdowns:` block
//! under `declared:` is replaced (or added, or removed); every other line stays as written. The
//! result is read back: the breakdowns must read as the counts meant and everything else as it
//! did before, or nothing is written.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::ImportError;
use crate::load::raw::RawDeclared;
use crate::load::yaml::{Value, parse};
use crate::model::{Attribute, Breakdown};

/// `gender`, `track`, `age`: the keys of `declared.breakdowns`.
fn key(a: Attribute) -> &'static str {
    match a {
        Attribute::Gender => "gender",
        Attribute::Track => "track",
        Attribute::Age => "age",
    }
}

/// `text` (a cohort.yaml) with `declared.breakdowns` set to `breakdowns` (counts in the order of
/// [`Attribute::categories`]), or without it when `breakdowns` is empty; `note` is written as a
/// comment after `breakdowns:`.
pub(super) fn with_breakdowns(
    text: &str,
    breakdowns: &BTreeMap<Attribute, Breakdown>,
    note: &str,
) -> Result<String, ImportError> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if let Some(last) = lines.last_mut() {
        if !last.ends_with('\n') {
            last.push_str(eol);
        }
    }
    let blank = |l: &str| l.trim().is_empty();
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let block = |indent: &str| -> String {
        let mut b = format!("{indent}breakdowns:   # {note}{eol}");
        for (a, counts) in breakdowns {
            let items: Vec<String> = a
                .categories()
                .iter()
                .zip(counts)
                .filter_map(|(c, n)| Some(format!("{c}: {}", (*n)?)))
                .collect();
            let _ = write!(b, "{indent}  {}: {{ {} }}{eol}", key(*a), items.join(", "));
        }
        b
    };

    let declared = lines.iter().position(|l| l.starts_with("declared:"));
    let out = match declared {
        None if breakdowns.is_empty() => return Ok(text.to_string()),
        None => {
            let mut out = lines.concat();
            let _ = write!(out, "{eol}declared:{eol}{}", block("  "));
            out
        }
        Some(d) => {
            let rest = lines[d]["declared:".len()..].trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(ImportError::CohortVerify(
                    "cohort.yaml の declared が1行で書かれているため、内訳を書き加えられません。declared: の下に1項目ずつ書いてください"
                        .into(),
                ));
            }
            // The declared block: the indented (or blank) lines below it, without trailing blanks.
            let mut end = d + 1;
            while end < lines.len() && (blank(&lines[end]) || lines[end].starts_with(' ')) {
                end += 1;
            }
            while end > d + 1 && blank(&lines[end - 1]) {
                end -= 1;
            }
            let child = lines[d + 1..end]
                .iter()
                .find(|l| !blank(l) && !l.trim_start().starts_with('#'))
                .map_or(2, |l| indent_of(l));
            let indent = " ".repeat(child);
            let own = lines[d + 1..end]
                .iter()
                .position(|l| indent_of(l) == child && l[child..].starts_with("breakdowns:"));
            let new = if breakdowns.is_empty() {
                String::new()
            } else {
                block(&indent)
            };
            match own {
                Some(i) => {
                    let start = d + 1 + i;
                    let mut stop = start + 1;
                    while stop < end && (blank(&lines[stop]) || indent_of(&lines[stop]) > child) {
                        stop += 1;
                    }
                    while stop > start + 1 && blank(&lines[stop - 1]) {
                        stop -= 1;
                    }
                    lines.splice(start..stop, [new]);
                }
                None => {
                    lines.insert(end, new);
                }
            }
            // A `declared:` left with nothing under it goes too (with the blank line before it).
            let empty = lines[d + 1..]
                .iter()
                .take_while(|l| blank(l) || l.starts_with(' '))
                .all(|l| blank(l));
            if empty {
                lines.remove(d);
                if d > 0 && blank(&lines[d - 1]) {
                    lines.remove(d - 1);
                }
            }
            lines.concat()
        }
    };
    verify(text, &out, breakdowns)?;
    Ok(out)
}

/// `new` must read as `old` does except for `declared.breakdowns`, which must read as `meant`.
fn verify(old: &str, new: &str, meant: &BTreeMap<Attribute, Breakdown>) -> Result<(), ImportError> {
    let fail = |what: &str| Err(ImportError::CohortVerify(what.to_string()));
    let (Ok(before), Ok(after)) = (parse(old), parse(new)) else {
        return fail("書き換えた結果が YAML として読めません");
    };
    if shape(&before.value, true) != shape(&after.value, true) {
        return fail("内訳のほかの項目が変わってしまいます");
    }
    let declared = match &after.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.text == "declared").map(|(_, n)| n),
        _ => None,
    };
    let sink = crate::load::de::Sink::default();
    let read: Option<RawDeclared> = declared.and_then(|n| crate::load::de::from_node(n, &sink));
    if !sink.into_issues().is_empty() {
        return fail("書いた内訳が読めません");
    }
    let read = read
        .and_then(|d| d.breakdowns)
        .map(|b| crate::model::validate::declared_breakdowns(&b))
        .unwrap_or_default();
    if &read != meant {
        return fail("書いた内訳が書いたとおりに読めません");
    }
    Ok(())
}

/// A YAML value as text without the places it was written, `declared.breakdowns` left out
/// (and `declared` itself when nothing else is in it) when `top`.
fn shape(v: &Value, top: bool) -> String {
    match v {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => format!("{s:?}"),
        Value::Seq(items) => {
            let items: Vec<String> = items.iter().map(|n| shape(&n.value, false)).collect();
            format!("[{}]", items.join(","))
        }
        Value::Map(entries) => {
            let mut parts = Vec::new();
            for (k, n) in entries {
                match (&n.value, top && k.text == "declared") {
                    (Value::Map(children), true) => {
                        let rest: Vec<String> = children
                            .iter()
                            .filter(|(k, _)| k.text != "breakdowns")
                            .map(|(k, n)| format!("{:?}:{}", k.text, shape(&n.value, false)))
                            .collect();
                        if !rest.is_empty() {
                            parts.push(format!("\"declared\":{{{}}}", rest.join(",")));
                        }
                    }
                    (Value::Null, true) => {}
                    _ => parts.push(format!("{:?}:{}", k.text, shape(&n.value, false))),
                }
            }
            format!("{{{}}}", parts.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COHORT: &str = "# 第2期\nnumber: 2\nfiscal_year: 2026   # 年度\ndeclared:\n  members: 278   # 公表資料\n  teams: 97\nshown_as:\n  announce: 令和8年3月\n";

    fn counts() -> BTreeMap<Attribute, Breakdown> {
        BTreeMap::from([
            (Attribute::Gender, vec![Some(200), Some(76), Some(2)]),
            (Attribute::Age, vec![Some(30), Some(100), Some(110), Some(38)]),
        ])
    }

    #[test]
    fn breakdowns_are_added_under_declared_and_every_other_line_stays() {
        let out = with_breakdowns(COHORT, &counts(), "名簿から集計").unwrap();
        assert_eq!(
            out,
            "# 第2期\nnumber: 2\nfiscal_year: 2026   # 年度\ndeclared:\n  members: 278   # 公表資料\n  teams: 97\n  breakdowns:   # 名簿から集計\n    gender: { 男性: 200, 女性: 76, 回答しない: 2 }\n    age: { 20代: 30, 30代: 100, 40代: 110, 50代以上: 38 }\nshown_as:\n  announce: 令和8年3月\n"
        );
        // Replacing them again changes only the block; removing them gives the file back.
        let again = with_breakdowns(&out, &BTreeMap::from([(Attribute::Track, vec![Some(5), Some(3)])]), "x").unwrap();
        assert!(
            again.contains("  breakdowns:   # x\n    track: { 事務官: 5, 技官: 3 }\nshown_as:"),
            "{again}"
        );
        assert!(!again.contains("gender"), "{again}");
        assert_eq!(with_breakdowns(&again, &BTreeMap::new(), "x").unwrap(), COHORT);
    }

    #[test]
    fn a_cohort_without_declared_figures_gets_them_at_the_end_in_its_line_ends() {
        let crlf = "number: 3\r\nfiscal_year: 2027";
        let out = with_breakdowns(crlf, &counts(), "n").unwrap();
        assert!(
            out.starts_with("number: 3\r\nfiscal_year: 2027\r\n\r\ndeclared:\r\n  breakdowns:   # n\r\n"),
            "{out:?}"
        );
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert_eq!(with_breakdowns(crlf, &BTreeMap::new(), "n").unwrap(), crlf);
        // Taking the counts out again leaves no empty `declared:` behind.
        assert_eq!(
            with_breakdowns(&out, &BTreeMap::new(), "n").unwrap(),
            "number: 3\r\nfiscal_year: 2027\r\n"
        );
    }

    /// A category the roster does not have is not written (no 「回答しない: 0」 the source never gave).
    #[test]
    fn only_the_categories_given_are_written() {
        let out = with_breakdowns(
            COHORT,
            &BTreeMap::from([(Attribute::Gender, vec![Some(15), Some(15), None])]),
            "n",
        )
        .unwrap();
        assert!(out.contains("    gender: { 男性: 15, 女性: 15 }\n"), "{out}");
    }

    #[test]
    fn a_declared_map_on_one_line_is_refused_not_rewritten() {
        let flow = "number: 2\ndeclared: { members: 278 }\n";
        assert!(matches!(
            with_breakdowns(flow, &counts(), "n"),
            Err(ImportError::CohortVerify(_))
        ));
    }

    #[test]
    fn a_note_that_would_change_the_file_is_caught_by_reading_it_back() {
        // A line break in the comment would put text outside the comment.
        let err = with_breakdowns(COHORT, &counts(), "a\nnumber: 3").unwrap_err();
        assert!(matches!(err, ImportError::CohortVerify(_)), "{err:?}");
    }
}
