//! テーマ — tera templates and static files, from a folder or built into the binary.
//!
//! The built-in theme is the repository's themes/default, compiled in, so banso works from any
//! directory. Templates are compiled once per run.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 18] = [
    "base.html",
    "index.html",
    "page.html",
    "cohorts.html",
    "cohort.html",
    "teams.html",
    "prefectures.html",
    "prefecture.html",
    "municipality.html",
    "reports.html",
    "report.html",
    "areas.html",
    "area.html",
    "data.html",
    "search.html",
    "programs.html",
    "program.html",
    "404.html",
];

/// A compiled theme.
pub struct Theme {
    pub tera: tera::Tera,
    /// A hash of every template, so pages cached under one theme are not reused under another.
    pub fingerprint: u128,
    /// Files under static/, published at /static/<path>.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Why a theme cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("テーマのフォルダ {0} を読めません: {1}")]
    Io(String, std::io::Error),
    #[error("テーマに templates/{0} がありません")]
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

    /// A theme folder with templates/ and static/.
    /// The theme of `--theme`, or the built-in one.
    pub fn load(dir: Option<&Path>) -> Result<Theme, ThemeError> {
        match dir {
            Some(d) => Theme::from_dir(d),
            None => Theme::builtin(),
        }
    }

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
        for name in REQUIRED_TEMPLATES {
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
        tera.add_raw_templates(templates)
            .map_err(|e| ThemeError::Template(error_chain(&e)))?;
        tera.autoescape_on(vec![".html", ".xml"]);
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
