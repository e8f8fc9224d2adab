//! 検索 — a Pagefind index of the built pages, made in memory from the plan.
//!
//! Only pages already in the plan are indexed, so the index can hold nothing that `publish`
//! held back. Pagefind's extended build segments Japanese into words, so a two-kanji word of a
//! report finds it. Each page marks what to index with `data-pagefind-body` on `<main>`;
//! pages without it (404, the search page) are left out.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{Blob, Plan, RenderError};

/// Where the index and Pagefind's scripts go.
pub const BUNDLE_DIR: &str = "pagefind/";

fn failed(e: impl std::fmt::Display) -> RenderError {
    RenderError::Data("pagefind/".into(), e.to_string())
}

/// Index every `…/index.html` of `plan`; returns the bundle's files (paths under `pagefind/`).
pub fn search_index(plan: &Plan) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language("ja".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
        for (path, blob) in plan.files() {
            let (Some(dir), Blob::Bytes(bytes)) = (path.strip_suffix("index.html"), blob) else {
                continue;
            };
            let html = String::from_utf8_lossy(bytes).into_owned();
            if !html.contains("data-pagefind-body") {
                continue;
            }
            index
                .add_html_file(None, Some(dir.to_string()), html)
                .await
                .map_err(failed)?;
        }
        let mut files = index.get_files().await.map_err(failed)?;
        files.sort_by(|a, b| a.filename.cmp(&b.filename));
        Ok(files
            .into_iter()
            .filter(|f| !f.filename.starts_with("playground"))
            .map(|f| {
                let name = f
                    .filename
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                (format!("{BUNDLE_DIR}{name}"), f.contents)
            })
            .collect())
    })
}
