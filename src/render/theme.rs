//! テーマ — tera templates and static files, from a folder or built into the binary.
//!
//! The built-in theme is the repository's themes/default, compiled in, so banso works from any
//! directory. Templates are compiled once per run.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A compiled theme.
pub struct Theme {
    pub tera: tera::Tera,
    /// A hash of every template, so pages cached under one theme are not reused under another.
    pub fingerprint: u128,
    /// Files under static/, published at `/static/<path>`.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Why a theme cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("テーマのフォルダ {0} を読めません: {1}")]
    Io(String, std::io::Error),
    #[error(
        "テーマに templates/{0} がありません。このテンプレートで作るページがあるため必要です。組み込みテーマの themes/default/templates/{0} を写して始められます"
    )]
    Missing(&'static str),
    #[error("テーマのテンプレートに誤りがあります: {0}")]
    Template(String),
}

impl Theme {
    /// The theme built into the binary.
    pub fn builtin() -> Result<Theme, ThemeError> {
        let mut templates = Vec::new();
        let mut statics = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut statics);
        Self::compile(templates, statics)
    }

    /// The theme of `--theme`, or the built-in one.
    pub fn load(dir: Option<&Path>) -> Result<Theme, ThemeError> {
        crate::timing::timed("theme", || match dir {
            Some(d) => Theme::from_dir(d),
            None => Theme::builtin(),
        })
    }

    /// A theme folder with templates/ and static/.
    pub fn from_dir(dir: &Path) -> Result<Theme, ThemeError> {
        let io = |e: std::io::Error| ThemeError::Io(dir.display().to_string(), e);
        let mut templates = Vec::new();
        let mut statics = BTreeMap::new();
        for sub in ["templates", "static"] {
            let root = dir.join(sub);
            if !root.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
                let entry =
                    entry.map_err(|e| io(e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk"))))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&root).unwrap_or(entry.path());
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(entry.path()).map_err(io)?;
                if sub == "templates" {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| ThemeError::Template(format!("{rel} が UTF-8 ではありません")))?;
                    templates.push((rel, text));
                } else {
                    statics.insert(rel, bytes);
                }
            }
        }
        if templates.is_empty() {
            return Err(ThemeError::Io(
                dir.display().to_string(),
                std::io::Error::other("templates/ がありません"),
            ));
        }
        Self::compile(templates, statics)
    }

    fn compile(templates: Vec<(String, String)>, statics: BTreeMap<String, Vec<u8>>) -> Result<Theme, ThemeError> {
        // Every page template a view names; the partials they use (base.html, header.html, macros.html)
        // tera checks as it compiles them.
        for name in super::views::Template::ALL.iter().map(|t| t.file()) {
            if !templates.iter().any(|(n, _)| n == name) {
                return Err(ThemeError::Missing(name));
            }
        }
        let fingerprint = {
            let mut h = crate::hash::Hash128::default();
            for (name, text) in &templates {
                h.bytes(name.as_bytes()).bytes(&[0]).bytes(text.as_bytes()).bytes(&[0]);
            }
            h.finish()
        };
        let mut tera = tera::Tera::default();
        // A page is made from the content, the theme and the as-of alone (the same inputs give
        // the same bytes, and a page reused by `serve` or `build` is keyed by them): a theme
        // cannot read the environment.
        tera.register_function(
            "get_env",
            |_: &std::collections::HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
                Err(tera::Error::msg(
                    "テーマから環境変数は読めません（get_env）。値は site.yaml かテンプレートに書いてください",
                ))
            },
        );
        let templates = templates.into_iter().map(|(name, text)| {
            let text = if name.ends_with(".html") { compact(&text) } else { text };
            (name, text)
        });
        tera.add_raw_templates(templates)
            .map_err(|e| ThemeError::Template(error_chain(&e)))?;
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(super::escape);
        Ok(Theme {
            tera,
            fingerprint,
            statics,
        })
    }
}

fn collect_embedded(
    dir: &Dir<'static>,
    templates: &mut Vec<(String, String)>,
    statics: &mut BTreeMap<String, Vec<u8>>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(rel) = path.strip_prefix("templates/") {
            templates.push((rel.to_string(), String::from_utf8_lossy(file.contents()).into_owned()));
        } else if let Some(rel) = path.strip_prefix("static/") {
            statics.insert(rel.to_string(), file.contents().to_vec());
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, statics);
    }
}

/// A template without the indentation and blank lines it is written with: each line's leading
/// spaces and tabs go, and so do empty lines, except inside `<pre>` and `<textarea>`, whose
/// whitespace is shown. A browser shows a newline followed by spaces exactly as a newline
/// alone, so pages look the same; they are about a sixth smaller, and no page needs a
/// minifier pass of its own (which took two thirds of the time of rendering a page).
fn compact(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut verbatim = false;
    for line in template.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        let text = if verbatim {
            line
        } else {
            line.trim_start_matches([' ', '\t'])
        };
        let bare = text.trim_end();
        if verbatim {
            out.push_str(text);
        } else if bare.starts_with("{#") && bare.ends_with("#}") && bare.matches("#}").count() == 1 {
            // A comment line renders as nothing; leave out its newline too.
        } else if only_statements(bare) {
            // A line of `{% … %}` alone would leave an empty line in the page: `-%}` takes the
            // newline after it (the one before it stays, so neighbours stay apart).
            out.push_str(&bare[..bare.len() - 2]);
            out.push_str(if bare.ends_with("-%}") { "%}" } else { "-%}" });
        } else if !bare.is_empty() {
            out.push_str(text);
        }
        let opens = ["<pre", "<textarea"].iter().filter_map(|t| lower.rfind(t)).max();
        let closes = ["</pre", "</textarea"].iter().filter_map(|t| lower.rfind(t)).max();
        verbatim = match (opens, closes) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => verbatim,
        };
    }
    out
}

/// Whether a line holds nothing but tera statements (`{% if … %}{% endif %}`), `raw` aside.
fn only_statements(line: &str) -> bool {
    let mut rest = line;
    if !rest.starts_with("{%") || rest.contains("raw") {
        return false;
    }
    while let Some(tag) = rest.strip_prefix("{%") {
        match tag.find("%}") {
            Some(end) => rest = tag[end + 2..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// A tera error with its causes, on one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(template: &str, ctx: &tera::Context) -> String {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t.html", &compact(template)).unwrap();
        tera.set_escape_fn(crate::render::escape);
        tera.render("t.html", ctx).unwrap()
    }

    #[test]
    fn indentation_blank_lines_and_statement_lines_leave_no_trace() {
        let template = "<ul>\n  {# the items #}\n  {% for x in xs %}\n    <li>{{ x }}</li>\n\n  {% endfor %}\n</ul>\n<p>a</p>\n{% if yes %}\n<p>b</p>\n{% endif %}\n";
        let mut ctx = tera::Context::new();
        ctx.insert("xs", &["1", "2"]);
        ctx.insert("yes", &true);
        assert_eq!(
            rendered(template, &ctx),
            "<ul>\n<li>1</li>\n<li>2</li>\n</ul>\n<p>a</p>\n<p>b</p>\n"
        );
        ctx.insert("yes", &false);
        assert_eq!(
            rendered(template, &ctx),
            "<ul>\n<li>1</li>\n<li>2</li>\n</ul>\n<p>a</p>\n"
        );
    }

    #[test]
    fn preformatted_text_keeps_its_whitespace() {
        let template = "<div>\n  <pre>\n  one\n\n    two\n  </pre>\n  <p>x</p>\n</div>\n";
        assert_eq!(
            compact(template),
            "<div>\n<pre>\n  one\n\n    two\n  </pre>\n<p>x</p>\n</div>\n"
        );
        let area = "<textarea>\n  a\n</textarea>\n  <p>y</p>\n";
        assert_eq!(compact(area), "<textarea>\n  a\n</textarea>\n<p>y</p>\n");
    }

    #[test]
    fn escaping_leaves_slashes_alone() {
        let mut ctx = tera::Context::new();
        ctx.insert("u", "../a/b?x=1&y=\"2\"");
        assert_eq!(
            rendered("<a href=\"{{ u }}\">", &ctx),
            "<a href=\"../a/b?x=1&amp;y=&quot;2&quot;\">"
        );
    }

    #[test]
    fn only_whole_lines_of_statements_count() {
        assert!(only_statements("{% if x %}"));
        assert!(only_statements("{% endif %}{% endfor %}"));
        assert!(!only_statements("{% if x %}<p>"));
        assert!(!only_statements("{{ x }}"));
        assert!(!only_statements("{% raw %}"));
    }

    /// The built-in theme's templates, as a theme folder would hold them.
    fn builtin_templates() -> Vec<(String, String)> {
        let mut templates = Vec::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut BTreeMap::new());
        templates
    }

    #[test]
    fn a_theme_without_a_page_template_is_refused_when_loaded_naming_it() {
        for t in crate::render::views::Template::ALL {
            let mut templates = builtin_templates();
            templates.retain(|(n, _)| n != t.file());
            match Theme::compile(templates, BTreeMap::new()) {
                Err(ThemeError::Missing(name)) => assert_eq!(name, t.file()),
                Err(e) => panic!("{}: {e}", t.file()),
                Ok(_) => panic!("a theme without {} loaded", t.file()),
            }
        }
    }

    #[test]
    fn a_theme_whose_pages_use_a_missing_partial_is_refused_when_loaded() {
        for partial in ["macros.html", "base.html", "header.html"] {
            let mut templates = builtin_templates();
            templates.retain(|(n, _)| n != partial);
            let err = Theme::compile(templates, BTreeMap::new()).err().expect(partial);
            assert!(
                matches!(&err, ThemeError::Template(m) if m.contains(partial)),
                "{partial}: {err}"
            );
        }
        assert!(Theme::compile(builtin_templates(), BTreeMap::new()).is_ok());
    }

    #[test]
    fn a_theme_cannot_read_the_environment() {
        let mut templates = builtin_templates();
        templates.push((
            "env.html".into(),
            "<p>{{ get_env(name=\"HOME\", default=\"x\") }}</p>".into(),
        ));
        let theme = Theme::compile(templates, BTreeMap::new()).unwrap();
        let err = theme.tera.render("env.html", &tera::Context::new()).unwrap_err();
        assert!(
            error_chain(&err).contains("環境変数は読めません"),
            "{}",
            error_chain(&err)
        );
    }
}
