//! サイト内リンク — what a link in a Markdown body points at, resolved against the content.
//!
//! A link to a site URL (`/reports/1/x/`, `/municipalities/013455/`, `/about/`, `/assets/…`) is
//! a reference to a record, like a team's municipality code: validation checks that the record
//! exists, and `publish` decides whether it is published at the as-of. A link to a held record
//! is rendered as its text alone, so the output says nothing of a held report's file name or a
//! held team's town (SPEC §3 "Across builds").

pub mod destination;

use super::{AssetPath, CohortNo, MunicipalityCode, Prefecture, urls};
use crate::diag::Pos;

/// What a site link points at.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A page every build has (top, lists, /data/ and its files, feed, …).
    Fixed,
    Asset(AssetPath),
    /// `/cohorts/<n>/`, its team list and its chart files.
    Cohort(CohortNo),
    /// `/cohorts/charts/…`: exists once two cohorts are published.
    Comparison,
    /// `/prefectures/<slug>/charts/<n>/…`: exists once the prefecture has a team in cohort n.
    PrefectureCharts(u8, CohortNo),
    Municipality(MunicipalityCode),
    Report(CohortNo, String),
    Page(String),
    Program(String),
    /// `/ministries/`: exists once a published member's 府省庁等 has a page.
    Ministries,
    /// `/ministries/<id>/`: exists once a published member belongs to the ministry with that id.
    Ministry(String),
}

/// A link of a body: where it points and where it is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link {
    pub target: Target,
    pub pos: Pos,
}

/// Site files that exist in every build, under the top level.
const FIXED_FILES: [&str; 5] = [urls::FEED, urls::SITEMAP, urls::ROBOTS, urls::NOT_FOUND, ""];

/// The target of a site path (decoded, without the leading `/`, query or fragment), or `None`
/// when no page of the site has that form. Whether the record exists is checked later.
pub fn classify(path: &str) -> Option<Target> {
    let mut segs: Vec<&str> = path.split('/').collect();
    if segs.last() == Some(&"") || segs.last() == Some(&"index.html") {
        segs.pop();
    }
    if segs.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return None;
    }
    let cohort = |s: &str| -> Option<CohortNo> {
        (s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0'))
            .then(|| s.parse().ok())
            .flatten()
            .map(CohortNo)
    };
    let chart_file = |s: &str| s.ends_with(".svg") || s.ends_with(".csv");
    Some(match segs.as_slice() {
        [] => Target::Fixed,
        [one] if FIXED_FILES.contains(one) => Target::Fixed,
        ["static", ..] => Target::Fixed,
        ["assets", rest @ ..] if !rest.is_empty() => Target::Asset(AssetPath(rest.join("/"))),
        ["cohorts"] | ["prefectures"] | ["themes"] | ["reports"] | ["programs"] | ["data"] | ["search"] => {
            Target::Fixed
        }
        ["data", file] if file.ends_with(".csv") || file.ends_with(".json") => Target::Fixed,
        ["reports", "page", n] if cohort(n).is_some() => Target::Fixed,
        ["themes", nn] if nn.len() == 2 && matches!(nn.parse::<u8>(), Ok(1..=26)) => Target::Fixed,
        ["cohorts", "charts", file] if chart_file(file) => Target::Comparison,
        ["cohorts", n] | ["cohorts", n, "teams"] => Target::Cohort(cohort(n)?),
        ["cohorts", n, "charts", file] if chart_file(file) => Target::Cohort(cohort(n)?),
        ["prefectures", slug] => {
            prefecture(slug)?;
            Target::Fixed
        }
        ["prefectures", slug, "charts", n, file] if chart_file(file) => {
            Target::PrefectureCharts(prefecture(slug)?.code, cohort(n)?)
        }
        ["municipalities", code] => Target::Municipality(MunicipalityCode::parse(code).ok()?),
        ["reports", n, stem] => Target::Report(cohort(n)?, (*stem).to_string()),
        ["programs", id] => Target::Program((*id).to_string()),
        ["ministries"] => Target::Ministries,
        ["ministries", id] => Target::Ministry((*id).to_string()),
        [stem] => Target::Page((*stem).to_string()),
        _ => return None,
    })
}

fn prefecture(slug: &str) -> Option<&'static Prefecture> {
    super::reference::PREFECTURES.iter().find(|p| p.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_name_their_records() {
        let c = |s: &str| classify(s);
        assert_eq!(c(""), Some(Target::Fixed));
        assert_eq!(
            c("reports/1/final-hold/"),
            Some(Target::Report(CohortNo(1), "final-hold".into()))
        );
        assert_eq!(
            c("reports/1/final-hold"),
            Some(Target::Report(CohortNo(1), "final-hold".into()))
        );
        assert_eq!(
            c("reports/1/final-hold/index.html"),
            Some(Target::Report(CohortNo(1), "final-hold".into()))
        );
        assert_eq!(
            c("municipalities/032034/"),
            Some(Target::Municipality(MunicipalityCode::parse("032034").unwrap()))
        );
        assert_eq!(c("news-hold/"), Some(Target::Page("news-hold".into())));
        assert_eq!(c("cohorts/2/teams/"), Some(Target::Cohort(CohortNo(2))));
        assert_eq!(c("cohorts/2/charts/gender.svg"), Some(Target::Cohort(CohortNo(2))));
        assert_eq!(c("cohorts/charts/comparison.csv"), Some(Target::Comparison));
        assert_eq!(
            c("prefectures/iwate/charts/2/grade.svg"),
            Some(Target::PrefectureCharts(3, CohortNo(2)))
        );
        assert_eq!(c("assets/1/a.pdf"), Some(Target::Asset(AssetPath("1/a.pdf".into()))));
        for fixed in [
            "themes/03/",
            "prefectures/iwate/",
            "data/teams.csv",
            "feed.xml",
            "reports/page/2/",
        ] {
            assert_eq!(c(fixed), Some(Target::Fixed), "{fixed}");
        }
    }

    #[test]
    fn paths_no_page_has_are_none() {
        for bad in [
            "cohorts/02/",
            "cohorts/x/",
            "themes/27/",
            "themes/3/",
            "prefectures/atlantis/",
            "municipalities/12345/",
            "reports/1/",
            "a/b/",
            "reports/1/x/y/",
            "data/secret.txt",
        ] {
            assert_eq!(classify(bad), None, "{bad}");
        }
    }
}
