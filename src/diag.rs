//! 診断 — problems found in content, each pointing at `path:line:col`.
//!
//! Every phase up to `render` reports content problems by pushing a [`Diagnostic`] into a
//! [`Diagnostics`] collector and carrying on, so `banso check` can print every problem at once.
//! Operational failures (I/O) are not diagnostics; they are [`crate::Error`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

/// 重大度 — an error stops the build; a warning is printed and the build goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position inside one YAML or Markdown text: 1-based line and column (in characters),
/// and the length in characters of the offending text (0 when it points between characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32, len: u32) -> Self {
        Pos { line, col, len }
    }

    /// The same place, `lines` further down (front matter sits below the `---` line).
    pub fn shifted(self, lines: u32) -> Self {
        Pos {
            line: self.line + lines,
            ..self
        }
    }
}

/// A place in the content: a path relative to the content dir (with `/`) and a position.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub path: Arc<str>,
    pub pos: Pos,
    /// For a spreadsheet: the sheet, `pos` being the cell's row and column (1-based).
    pub sheet: Option<Arc<str>>,
}

impl Span {
    pub fn new(path: &Arc<str>, pos: Pos) -> Self {
        Span {
            path: Arc::clone(path),
            pos,
            sheet: None,
        }
    }

    /// Cell (`row`, `col`, 1-based) of sheet `sheet` of the workbook `path`, shown as
    /// `名簿.xlsx 名簿!C14`.
    pub fn cell(path: &Arc<str>, sheet: &Arc<str>, row: u32, col: u32) -> Self {
        Span {
            path: Arc::clone(path),
            pos: Pos::new(row, col, 0),
            sheet: Some(Arc::clone(sheet)),
        }
    }

    /// The start of a file (for problems that concern the whole file).
    pub fn file(path: &Arc<str>) -> Self {
        Span {
            path: Arc::clone(path),
            pos: Pos::new(1, 1, 0),
            sheet: None,
        }
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(f, "{} {}", self.path, cell_name(sheet, self.pos.line, self.pos.col)),
            None => write!(f, "{}:{}:{}", self.path, self.pos.line, self.pos.col),
        }
    }
}

/// `名簿!C14` for row 14, column 3 (1-based) of sheet 名簿; a sheet name with spaces or
/// punctuation is quoted as Excel writes it (`'第2期 名簿'!C14`).
pub fn cell_name(sheet: &str, row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col.max(1);
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    let column: String = letters.iter().rev().collect();
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        format!("{sheet}!{column}{row}")
    } else {
        format!("'{}'!{column}{row}", sheet.replace('\'', "''"))
    }
}

/// One problem: what is wrong, where, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    /// Short text printed under the caret, e.g. `もしかして: 防衛省`.
    pub label: Option<String>,
    /// What to do, printed after `= 対処:`.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            label: None,
            help: None,
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(span, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `もしかして: …` under the caret when there is a close match.
    pub fn with_suggestion(self, suggestion: Option<&str>) -> Self {
        match suggestion {
            Some(s) => self.with_label(format!("もしかして: {s}")),
            None => self,
        }
    }
}

/// The collector every validating phase writes into.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    sources: BTreeMap<Arc<str>, Arc<str>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Remember a file's text so diagnostics in it can quote the offending line.
    pub fn add_source(&mut self, path: &Arc<str>, text: &Arc<str>) {
        self.sources.insert(Arc::clone(path), Arc::clone(text));
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.items.last_mut()
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Take over everything another collector gathered (e.g. one per file read in parallel).
    pub fn absorb(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.sources.extend(other.sources);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Diagnostics sorted by (path, line, column, severity, message), duplicates removed.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| (&a.span, a.severity, &a.message).cmp(&(&b.span, b.severity, &b.message)));
        v.dedup_by(|a, b| a == b);
        v
    }

    /// Every diagnostic rendered with its source line and caret, then the count line.
    pub fn render(&self) -> String {
        self.render_styled(false)
    }

    /// Like [`Diagnostics::render`], with the headings coloured for a terminal when `color`.
    pub fn render_styled(&self, color: bool) -> String {
        let mut out = String::new();
        // Each source's lines are found once, however many problems quote them.
        let mut lines: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for d in self.sorted() {
            let quoted = d.span.as_ref().and_then(|span| {
                let text = self.sources.get(&span.path)?;
                let all = lines.entry(&span.path).or_insert_with(|| text.lines().collect());
                all.get(span.pos.line.saturating_sub(1) as usize).copied()
            });
            out.push_str(&render_one(d, quoted, color));
            out.push('\n');
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// `エラー 2件、警告 1件` (or `問題はありません`).
    pub fn summary(&self) -> String {
        match (self.error_count(), self.warning_count()) {
            (0, 0) => "問題はありません".to_string(),
            (e, 0) => format!("エラー {e}件"),
            (0, w) => format!("警告 {w}件"),
            (e, w) => format!("エラー {e}件、警告 {w}件"),
        }
    }
}

/// One problem as printed; `line` is the source line its span points at, if known.
fn render_one(d: &Diagnostic, line: Option<&str>, color: bool) -> String {
    let mut s = String::new();
    let head = match (d.severity, color) {
        (Severity::Error, false) => "エラー",
        (Severity::Warning, false) => "警告",
        (Severity::Error, true) => "\x1b[1;31mエラー\x1b[0m",
        (Severity::Warning, true) => "\x1b[1;33m警告\x1b[0m",
    };
    let _ = writeln!(s, "{head}: {}", clip(&d.message));
    if let Some(span) = &d.span {
        let line_no = span.pos.line.to_string();
        let pad = " ".repeat(line_no.len());
        let _ = writeln!(s, "{pad}--> {span}");
        if let Some(line) = line {
            let (line, before, marked) = excerpt(line, span.pos);
            let carets = "^".repeat(UnicodeWidthStr::width(marked.as_str()).max(1));
            let _ = writeln!(s, "{pad} |");
            let _ = writeln!(s, "{line_no} | {line}");
            let label = d.label.as_deref().map(|l| format!(" {}", clip(l))).unwrap_or_default();
            let _ = writeln!(
                s,
                "{pad} | {}{carets}{label}",
                " ".repeat(UnicodeWidthStr::width(before.as_str()))
            );
        } else if let Some(label) = &d.label {
            let _ = writeln!(s, "{pad} = {}", clip(label));
        }
        if let Some(help) = &d.help {
            let _ = writeln!(s, "{pad} = 対処: {}", clip(help));
        }
    } else {
        if let Some(label) = &d.label {
            let _ = writeln!(s, "  = {}", clip(label));
        }
        if let Some(help) = &d.help {
            let _ = writeln!(s, "  = 対処: {}", clip(help));
        }
    }
    s
}

/// Characters of context shown either side of the offending text in a long line.
const CONTEXT_CHARS: usize = 40;
/// At most this many characters of the offending text are underlined.
const MARKED_CHARS: usize = 60;

/// A message as printed: control characters as spaces, and when it quotes a huge value, its
/// start and end only.
fn clip(text: &str) -> String {
    const MAX: usize = 300;
    let clean = |s: &str| -> String { s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect() };
    let n = text.chars().count();
    if n <= MAX {
        return clean(text);
    }
    let head: String = text.chars().take(MAX / 2).collect();
    let tail: String = text.chars().skip(n - MAX / 2).collect();
    format!("{}…（{}文字略）…{}", clean(&head), n - MAX, clean(&tail))
}

/// The part of `line` worth quoting for `pos`: the line itself when short, otherwise a window
/// around the offending text with `…` where it was cut (a minified 400 KB line must not flood
/// the terminal). Tabs and control characters (which could drive the terminal) become spaces.
/// Returns the quoted text, the part before the caret, and the underlined part.
fn excerpt(line: &str, pos: Pos) -> (String, String, String) {
    let chars: Vec<char> = line.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let start = (pos.col.saturating_sub(1) as usize).min(chars.len());
    let len = (pos.len.max(1) as usize).min(MARKED_CHARS);
    let end = (start + len).min(chars.len());
    let from = start.saturating_sub(CONTEXT_CHARS);
    let to = (end + CONTEXT_CHARS).min(chars.len());
    let text = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < chars.len() { "…" } else { "" };
    let before = format!("{lead}{}", text(from..start));
    let marked = text(start..end);
    let quoted = format!("{before}{marked}{}{tail}", text(end..to));
    (quoted, before, marked)
}

/// The closest candidate to `input` by edit distance over characters (a swap of two
/// neighbours counts once), if it is close enough to be a likely typo: at most half of the
/// longer text differs.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_len = input.chars().count();
    let first = input.chars().next();
    candidates
        .into_iter()
        .filter(|c| *c != input)
        .map(|c| (strsim::osa_distance(input, c), c))
        .filter(|(d, c)| d * 2 <= input_len.max(c.chars().count()))
        .min_by(|a, b| {
            let shares_first = |c: &str| c.chars().next() != first;
            (a.0, shares_first(a.1), a.1).cmp(&(b.0, shares_first(b.1), b.1))
        })
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        // Checked against LibreOffice's Name Box: column 26 is Z, 27 AA, 52 AZ, 703 AAA.
        assert_eq!(cell_name("名簿", 14, 3), "名簿!C14");
        assert_eq!(cell_name("Sheet1", 1, 26), "Sheet1!Z1");
        assert_eq!(cell_name("Sheet1", 2, 27), "Sheet1!AA2");
        assert_eq!(cell_name("Sheet1", 2, 52), "Sheet1!AZ2");
        assert_eq!(cell_name("Sheet1", 9, 703), "Sheet1!AAA9");
        assert_eq!(cell_name("第2期 名簿", 3, 1), "'第2期 名簿'!A3");
        assert_eq!(cell_name("O'Brien", 3, 1), "'O''Brien'!A3");
        let span = Span::cell(&Arc::from("roster.xlsx"), &Arc::from("名簿"), 7, 2);
        assert_eq!(span.to_string(), "roster.xlsx 名簿!B7");
    }

    #[test]
    fn closest_finds_one_character_typo() {
        assert_eq!(closest("防衛庁", ["防衛省", "総務省", "環境省"]), Some("防衛省"));
        assert_eq!(
            closest("fiscal_yaer", ["number", "fiscal_year", "announce"]),
            Some("fiscal_year")
        );
    }

    #[test]
    fn closest_ignores_unrelated_words() {
        assert_eq!(closest("農業", ["防衛省", "総務省"]), None);
        assert_eq!(closest("産業進行", ["観光", "産業振興"]), Some("産業振興"));
        assert_eq!(closest("係長", ["指定職", "課長級", "係長級"]), Some("係長級"));
    }

    #[test]
    fn caret_follows_display_width_of_japanese_text() {
        let path: Arc<str> = Arc::from("cohorts/1/teams.yaml");
        let text: Arc<str> = Arc::from("- number: 1\n    - ministry: 防衛庁\n");
        let mut ds = Diagnostics::new();
        ds.add_source(&path, &text);
        ds.push(
            Diagnostic::error(Span::new(&path, Pos::new(2, 17, 3)), "府省庁「防衛庁」がありません")
                .with_suggestion(Some("防衛省")),
        );
        let out = ds.render();
        assert!(out.contains("--> cohorts/1/teams.yaml:2:17"), "{out}");
        // 16 columns of indentation + `- ministry: ` then six carets for three wide characters.
        assert!(
            out.contains(&format!("  | {}^^^^^^ もしかして: 防衛省", " ".repeat(16))),
            "{out}"
        );
        assert!(out.ends_with("エラー 1件\n"), "{out}");
    }

    #[test]
    fn a_long_line_is_quoted_around_the_problem_only() {
        let path: Arc<str> = Arc::from("pages/big.md");
        let line = format!("{}\u{1b}[2J{}{}", "あ".repeat(200_000), "防衛庁", "い".repeat(200_000));
        let text: Arc<str> = Arc::from(line.as_str());
        let mut ds = Diagnostics::new();
        ds.add_source(&path, &text);
        ds.push(Diagnostic::error(Span::new(&path, Pos::new(1, 200_005, 3)), "x"));
        let out = ds.render();
        assert!(out.len() < 1_000, "{} bytes", out.len());
        assert!(!out.contains('\u{1b}'), "no terminal escape reaches the terminal");
        let quoted = out.lines().find(|l| l.starts_with("1 | ")).unwrap();
        assert!(quoted.starts_with("1 | …") && quoted.ends_with('…'), "{quoted}");
        assert!(quoted.contains("防衛庁"), "{quoted}");
        let carets = out.lines().find(|l| l.contains('^')).unwrap();
        let width = |s: &str| UnicodeWidthStr::width(s);
        let at = width(&quoted[..quoted.find("防衛庁").unwrap()]);
        assert_eq!(width(&carets[..carets.find('^').unwrap()]), at, "{carets}");
        assert_eq!(carets.matches('^').count(), 6);
    }

    #[test]
    fn sorted_orders_by_path_then_line() {
        let a: Arc<str> = Arc::from("a.yaml");
        let b: Arc<str> = Arc::from("b.yaml");
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error(Span::new(&b, Pos::new(1, 1, 0)), "x"));
        ds.push(Diagnostic::warning(Span::new(&a, Pos::new(9, 1, 0)), "y"));
        ds.push(Diagnostic::error(Span::new(&a, Pos::new(2, 1, 0)), "z"));
        let order: Vec<_> = ds.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(order, ["z", "y", "x"]);
        assert_eq!(ds.summary(), "エラー 2件、警告 1件");
    }
}
