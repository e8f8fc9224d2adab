//! What every page shares, given to templates as `layout`: the site, the page's place in it,
//! navigation, the preview banner, the links to the fixed pages, and breadcrumbs. Made by
//! `Renderer::page` (renderer.rs) from a page's `PageSpec`.

use serde::Serialize;

use crate::model::urls;

/// What every page shares: site, place in the site, navigation, preview banner.
#[derive(Debug, Serialize)]
pub struct Layout {
    pub site_title: String,
    pub publisher: String,
    pub license: String,
    /// Relative path from this page to the site root (`../../`), or the base path on 404.
    pub root: String,
    pub path: String,
    pub canonical: String,
    pub title: String,
    pub head_title: String,
    pub description: String,
    pub breadcrumbs: Vec<Crumb>,
    pub menu: Vec<MenuItem>,
    pub footer_pages: Vec<MenuItem>,
    /// As-of time shown in the 非公開プレビュー banner.
    pub preview: Option<String>,
    /// When the records the page is made from last changed, as pages say a date (the source's
    /// words for a placeholder): what a page with figures states as their date.
    pub updated: Option<String>,
    /// The printed footer of every page on paper (a CSS `content` value): address, publisher,
    /// site, `updated`, page number.
    pub print_footer: String,
    pub is_home: bool,
    /// `article` for reports, `website` otherwise (OpenGraph).
    pub og_type: &'static str,
    /// Whether the header shows the search box: the site has a search page, and this is not it
    /// (that page has its own labelled field, so one page never shows two).
    pub search_box: bool,
    /// The site-wide pages and files a layout or template links to, from this page.
    pub links: SiteLinks,
}

/// Links to the fixed pages and files, from one page (made from `urls`, so a template writes
/// no route of its own).
#[derive(Debug, Serialize)]
pub struct SiteLinks {
    pub prefectures: String,
    pub reports: String,
    pub data: String,
    pub search: String,
    pub feed: String,
    pub stylesheet: String,
    pub favicon: String,
    /// The folder of the search index and its UI (`pagefind/`).
    pub search_bundle: String,
}

impl SiteLinks {
    pub(in crate::render) fn from(root: &str) -> Self {
        let link = |route: &str| format!("{root}{route}");
        SiteLinks {
            prefectures: link(urls::PREFECTURES),
            reports: link(urls::REPORTS),
            data: link(urls::DATA),
            search: link(urls::SEARCH),
            feed: link(urls::FEED),
            stylesheet: link(urls::STYLESHEET),
            favicon: link(urls::FAVICON),
            search_bundle: link(crate::render::search::BUNDLE_DIR),
        }
    }
}

#[derive(Debug, Serialize, Clone)]
pub struct Crumb {
    pub name: String,
    pub href: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct MenuItem {
    pub name: String,
    pub href: String,
    pub current: bool,
}

pub(in crate::render) fn crumb(name: impl Into<String>, href: impl Into<String>) -> Crumb {
    Crumb {
        name: name.into(),
        href: Some(href.into()),
    }
}

/// `../../` for `cohorts/2/`, `./` for the top page.
pub fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(root_of(""), "./");
        assert_eq!(root_of("cohorts/2/"), "../../");
        assert_eq!(root_of("reports/1/x/"), "../../../");
    }
}
