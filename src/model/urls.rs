//! The site's routes (SPEC §5), one function each: every page, feed, sitemap, search entry and
//! data file gets its path from here, so a route is written once.
//!
//! Paths are relative to the site's root, without a leading `/`, in directory form (`…/`) for
//! pages; a page's own address is the base URL (or the relative root) followed by its path.
//! [`super::link::classify`] reads them back; the tests check that every route is read back as
//! the record it was made from.

use std::fmt;

use super::{AssetPath, CohortNo, IssueAreaNo, MunicipalityCode, TeamNo};

/// The site's absolute address (`https://www.example.go.jp/banso-shien/`): http or https, a
/// host, no query or fragment, ending in `/`. [`BaseUrl::parse`] is the only way to make one,
/// for site.yaml's `base_url` and for `--base-url` alike.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    text: String,
    /// `text` parsed once, for reading links to the site's own address.
    url: url::Url,
}

impl BaseUrl {
    /// What to do about an address [`BaseUrl::parse`] refused (site.yaml and `--base-url` alike).
    pub const HELP: &'static str = "https://www.example.go.jp/banso-shien/ のように https:// から書いてください";

    /// The problem with `text`, which [`BaseUrl::parse`] refused for `why`.
    pub fn refusal(text: &str, why: &str) -> String {
        format!("「{}」が絶対 URL ではありません（{why}）", text.trim())
    }

    /// Reads an address as written (surrounding spaces ignored, a missing final `/` added), or
    /// says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let text = text.trim();
        if text.contains(char::is_whitespace) {
            return Err("空白を含んでいます");
        }
        let Some((scheme, rest)) = text.split_once("://") else {
            return Err("https:// から始まっていません");
        };
        if !matches!(scheme, "https" | "http") {
            return Err("https:// から始まっていません");
        }
        let url = url::Url::parse(text).map_err(|_| "URL として読めません")?;
        if url.host_str().is_none_or(str::is_empty) || rest.starts_with('/') {
            return Err("ホスト名がありません");
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("? や # を含んでいます");
        }
        if text.ends_with('/') {
            return Ok(BaseUrl {
                text: text.to_string(),
                url,
            });
        }
        let text = format!("{text}/");
        let url = url::Url::parse(&text).map_err(|_| "URL として読めません")?;
        Ok(BaseUrl { text, url })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The address as a parsed URL.
    pub fn url(&self) -> &url::Url {
        &self.url
    }

    /// The address of a route: the base followed by the route's path.
    pub fn join(&self, route: &str) -> String {
        format!("{}{route}", self.text)
    }

    /// The path part, from the host's `/` on: `/banso-shien/` for
    /// `https://www.example.go.jp/banso-shien/`.
    pub fn path(&self) -> &str {
        let after_scheme = self.text.split_once("://").map_or(self.text.as_str(), |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `cohorts/`
pub const COHORTS: &str = "cohorts/";
/// `prefectures/`
pub const PREFECTURES: &str = "prefectures/";
/// `themes/`: the 26 課題分野 (SPEC §5 names the path `themes`; the code says issue area).
pub const ISSUE_AREAS: &str = "themes/";
/// `reports/`
pub const REPORTS: &str = "reports/";
/// `programs/`
pub const PROGRAMS: &str = "programs/";
/// `ministries/`
pub const MINISTRIES: &str = "ministries/";
/// `data/`
pub const DATA: &str = "data/";
/// `search/`
pub const SEARCH: &str = "search/";
/// `assets/`: files from content/assets/, under their own path.
pub const ASSETS: &str = "assets/";
/// `static/`: the theme's files.
pub const STATIC: &str = "static/";
/// The site-wide files at the top level.
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const NOT_FOUND: &str = "404.html";
/// The theme's stylesheet.
pub const STYLESHEET: &str = "static/style.css";
/// The site's icon (every page links it, so no browser asks for a missing /favicon.ico).
pub const FAVICON: &str = "static/favicon.svg";
/// `cohorts/charts/`: the comparison of all published cohorts.
pub const COMPARISON_CHARTS: &str = "cohorts/charts/";

/// `municipalities/`: the folder of the municipality pages.
pub const MUNICIPALITIES: &str = "municipalities/";
/// `pagefind/`: the search index and its UI.
pub const SEARCH_BUNDLE: &str = "pagefind/";
/// `__banso/`: `serve`'s own addresses (status, live reload); never written.
pub const SERVE_INTERNAL: &str = "__banso/";
/// The page of a folder.
pub const INDEX: &str = "index.html";

/// Every name the site's routes take at the top level, folders and files alike. A page from
/// pages/ (`<stem>/`) may take none of them ([`reserved_stems`]); a new top-level route is added
/// here, and the test below fails until it is.
const TOP_LEVEL: [&str; 18] = [
    COHORTS,
    PREFECTURES,
    MUNICIPALITIES,
    REPORTS,
    ISSUE_AREAS,
    DATA,
    ASSETS,
    STATIC,
    FEED,
    SITEMAP,
    ROBOTS,
    NOT_FOUND,
    INDEX,
    SEARCH,
    SEARCH_BUNDLE,
    SERVE_INTERNAL,
    PROGRAMS,
    MINISTRIES,
];

/// The page names (file stems under pages/) the site's own routes use: `cohorts`, `404`,
/// `feed.xml`, … — the top-level folders, and the top-level files with `.html` dropped (a page
/// `404.md` would be `404/`, beside `404.html`, confusing every server).
pub fn reserved_stems() -> impl Iterator<Item = &'static str> {
    TOP_LEVEL.iter().map(|r| {
        let name = r.trim_end_matches('/');
        name.strip_suffix(".html").unwrap_or(name)
    })
}

/// `<stem>/`: a page from pages/.
pub fn page(stem: &str) -> String {
    format!("{stem}/")
}

/// `cohorts/<n>/`
pub fn cohort(no: CohortNo) -> String {
    format!("cohorts/{}/", no.0)
}

/// `cohorts/<n>/teams/`
pub fn cohort_teams(no: CohortNo) -> String {
    format!("cohorts/{}/teams/", no.0)
}

/// `team-2-40`: the id of a team wherever a page lists it (cohort and number, since a town's or
/// a ministry's page can list teams of two cohorts).
pub fn team_anchor(cohort: CohortNo, no: TeamNo) -> String {
    format!("team-{}-{}", cohort.0, no.0)
}

/// `pref-nagano`: a prefecture's heading in a team list grouped by prefecture.
pub fn prefecture_anchor(slug: &str) -> String {
    format!("pref-{slug}")
}

/// `cohorts/2/teams/#team-2-40`: a team in its cohort's team list.
pub fn team(cohort: CohortNo, no: TeamNo) -> String {
    format!("{}#{}", cohort_teams(cohort), team_anchor(cohort, no))
}

/// `cohorts/<n>/charts/`: the folder of a cohort's chart files.
pub fn cohort_charts(no: CohortNo) -> String {
    format!("cohorts/{}/charts/", no.0)
}

/// `prefectures/<slug>/`
pub fn prefecture(slug: &str) -> String {
    format!("prefectures/{slug}/")
}

/// `prefectures/<slug>/<name>`: a prefecture's own copy of an open-data file (`teams.csv`,
/// `members.json` …), for its teams.
pub fn prefecture_file(slug: &str, name: &str) -> String {
    format!("prefectures/{slug}/{name}")
}

/// `prefectures/<slug>/charts/<n>/`: the folder of a prefecture's chart files for a cohort.
pub fn prefecture_charts(slug: &str, no: CohortNo) -> String {
    format!("prefectures/{slug}/charts/{}/", no.0)
}

/// `municipalities/<code>/`
pub fn municipality(code: MunicipalityCode) -> String {
    format!("{MUNICIPALITIES}{code}/")
}

/// `reports/<n>/<stem>/`
pub fn report(cohort: CohortNo, stem: &str) -> String {
    format!("reports/{}/{stem}/", cohort.0)
}

/// `reports/page/<n>/`: the n-th page of the report list (n ≥ 2; the first is `reports/`).
pub fn reports_page(no: usize) -> String {
    format!("reports/page/{no}/")
}

/// `ministries/<id>/`: one 府省庁等's teams, members and reports.
pub fn ministry(slug: &str) -> String {
    format!("ministries/{slug}/")
}

/// `themes/<NN>/`: one 課題分野.
pub fn issue_area(area: IssueAreaNo) -> String {
    format!("{ISSUE_AREAS}{}/", area.two_digits())
}

/// `programs/<id>/`
pub fn program(id: &str) -> String {
    format!("programs/{id}/")
}

/// `assets/<path>`: an asset's file, its path as written (links percent-encode it).
pub fn asset(path: &AssetPath) -> String {
    format!("{ASSETS}{}", path.0)
}

/// `data/<file>`
pub fn data_file(name: &str) -> String {
    format!("{DATA}{name}")
}

#[cfg(test)]
mod tests {
    use super::super::link::{Target, classify};
    use super::*;

    #[test]
    fn every_route_is_read_back_as_what_it_was_made_from() {
        let code = MunicipalityCode::parse("013455").unwrap();
        let two = CohortNo(2);
        let cases = [
            (cohort(two), Target::Cohort(two)),
            (cohort_teams(two), Target::Cohort(two)),
            (format!("{}gender.svg", cohort_charts(two)), Target::Cohort(two)),
            (format!("{COMPARISON_CHARTS}members.csv"), Target::Comparison),
            (
                format!("{}grade.svg", prefecture_charts("hokkaido", two)),
                Target::PrefectureCharts(1, two),
            ),
            (municipality(code), Target::Municipality(code)),
            (report(two, "mori-interim"), Target::Report(two, "mori-interim".into())),
            (page("about"), Target::Page("about".into())),
            (program("digital"), Target::Program("digital".into())),
            (prefecture("hokkaido"), Target::Fixed),
            (issue_area(IssueAreaNo(3)), Target::Fixed),
            (reports_page(2), Target::Fixed),
            (data_file("teams.csv"), Target::Fixed),
            (
                asset(&AssetPath("図/棚田.png".into())),
                Target::Asset(AssetPath("図/棚田.png".into())),
            ),
        ];
        for (path, target) in cases {
            assert_eq!(classify(&path), Some(target), "{path}");
            assert!(path.ends_with('/') || path.contains('.'), "{path} is in directory form");
        }
        for list in [
            COHORTS,
            PREFECTURES,
            ISSUE_AREAS,
            REPORTS,
            PROGRAMS,
            DATA,
            SEARCH,
            FEED,
            SITEMAP,
            ROBOTS,
            NOT_FOUND,
            STYLESHEET,
            FAVICON,
        ] {
            assert_eq!(classify(list), Some(Target::Fixed), "{list}");
        }
    }

    #[test]
    fn every_route_but_a_free_page_begins_with_a_reserved_name() {
        let code = MunicipalityCode::parse("013455").unwrap();
        let two = CohortNo(2);
        let routes = [
            cohort(two),
            cohort_teams(two),
            cohort_charts(two),
            COMPARISON_CHARTS.to_string(),
            prefecture("hokkaido"),
            prefecture_file("hokkaido", "teams.csv"),
            prefecture_charts("hokkaido", two),
            municipality(code),
            report(two, "x"),
            reports_page(2),
            ministry("mlit"),
            issue_area(IssueAreaNo(3)),
            program("p"),
            asset(&AssetPath("a.pdf".into())),
            data_file("teams.csv"),
            STYLESHEET.to_string(),
            format!("{SEARCH_BUNDLE}pagefind.js"),
            format!("{SERVE_INTERNAL}status"),
            FEED.to_string(),
            NOT_FOUND.to_string(),
            INDEX.to_string(),
        ];
        let reserved: Vec<&str> = reserved_stems().collect();
        for r in routes {
            let first = r.split('/').next().unwrap();
            let first = first.strip_suffix(".html").unwrap_or(first);
            assert!(reserved.contains(&first), "{r}: {first} is not reserved");
        }
        for name in [
            "404",
            "index",
            "feed.xml",
            "ministries",
            "pagefind",
            "__banso",
            "municipalities",
        ] {
            assert!(reserved.contains(&name), "{name}");
        }
    }

    #[test]
    fn a_base_url_is_an_absolute_http_address_ending_in_a_slash() {
        let ok = |t: &str| BaseUrl::parse(t).map(|b| b.as_str().to_string());
        assert_eq!(
            ok(" https://www.example.go.jp/banso-shien "),
            Ok("https://www.example.go.jp/banso-shien/".into())
        );
        assert_eq!(ok("http://127.0.0.1:8000"), Ok("http://127.0.0.1:8000/".into()));
        assert_eq!(ok("https://example.jp/a/b/"), Ok("https://example.jp/a/b/".into()));
        for bad in [
            "",
            "example.jp/",
            "/banso/",
            "ftp://example.jp/",
            "https://",
            "https:///path/",
            "https://exa mple.jp/",
            "https://example.jp/?x=1",
            "https://example.jp/#top",
            "javascript://example.jp/",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?} is not a base URL");
        }
        let b = BaseUrl::parse("https://www.example.go.jp/banso-shien/").unwrap();
        assert_eq!(b.path(), "/banso-shien/");
        assert_eq!(
            b.join(&cohort(CohortNo(2))),
            "https://www.example.go.jp/banso-shien/cohorts/2/"
        );
        assert_eq!(BaseUrl::parse("https://example.jp").unwrap().path(), "/");
        assert_eq!(BaseUrl::parse("http://127.0.0.1:8000").unwrap().path(), "/");
    }

    #[test]
    fn routes_are_written_as_spec_section_5_gives_them() {
        // Checked by hand against SPEC §5's table.
        let code = MunicipalityCode::parse("032034").unwrap();
        assert_eq!(cohort(CohortNo(1)), "cohorts/1/");
        assert_eq!(cohort_teams(CohortNo(12)), "cohorts/12/teams/");
        assert_eq!(municipality(code), "municipalities/032034/");
        assert_eq!(report(CohortNo(1), "final"), "reports/1/final/");
        assert_eq!(issue_area(IssueAreaNo(7)), "themes/07/");
        assert_eq!(prefecture("tokyo"), "prefectures/tokyo/");
        assert_eq!(prefecture_charts("tokyo", CohortNo(3)), "prefectures/tokyo/charts/3/");
    }
}
