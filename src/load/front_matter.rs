//! Splitting a Markdown file into its YAML front matter and its body.

use crate::diag::Pos;

/// The two parts of a Markdown file with front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// How many lines precede the YAML (the opening `---`), to add to YAML positions.
    pub yaml_line_offset: u32,
    pub body: &'a str,
    /// The 1-based line the body starts on.
    pub body_line: u32,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitError {
    pub pos: Pos,
    pub message: &'static str,
    pub help: &'static str,
}

/// Split `text` (already without BOM and with `\n` line ends).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Err(SplitError {
            pos: Pos::new(1, 1, 0),
            message: "先頭に front matter（--- で囲んだ YAML）がありません",
            help: "1行目に ---、続けて title: などの項目、そのあと --- の行を書き、本文はその下に書いてください",
        });
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                yaml,
                yaml_line_offset: 1,
                body,
                body_line: i as u32 + 3,
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        pos: Pos::new(1, 1, 3),
        message: "front matter が --- の行で閉じられていません",
        help: "YAML の項目のあとに --- だけの行を書き、本文はその下に書いてください",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_line_numbers() {
        let s = split("---\ntitle: a\nteam: 1\n---\n本文\n").unwrap();
        assert_eq!(s.yaml, "title: a\nteam: 1\n");
        assert_eq!(s.body, "本文\n");
        assert_eq!(s.body_line, 5);
        assert_eq!(s.yaml_line_offset, 1);
    }

    #[test]
    fn a_body_may_contain_rules() {
        let s = split("---\ntitle: a\n---\n前\n\n---\n\n後\n").unwrap();
        assert_eq!(s.body, "前\n\n---\n\n後\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_an_error() {
        assert_eq!(split("# 見出し\n").unwrap_err().pos.line, 1);
        assert!(
            split("---\ntitle: a\n")
                .unwrap_err()
                .message
                .contains("閉じられていません")
        );
    }

    #[test]
    fn empty_body_is_allowed() {
        let s = split("---\ntitle: a\n---").unwrap();
        assert_eq!(s.body, "");
    }
}
