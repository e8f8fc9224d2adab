//! Markdown bodies and attachments: every local link and image must resolve inside
//! content/assets/ (SPEC §2 "Asset references").

use std::collections::BTreeMap;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag};

use super::{Lookups, Validator};
use crate::diag::{Diagnostic, Diagnostics, Pos, Span, closest};
use crate::load::de::Sp;
use crate::model::link::classify;
use crate::model::link::destination::{UNSAFE_SCHEMES, markdown_options, percent_decode, resolve, scheme};
use crate::model::urls::{self, BaseUrl};
use crate::model::{AssetPath, Body, Link, Registry, Target};

/// How deeply Markdown elements may nest (quotes in lists in emphasis …). Real reports need a
/// handful of levels; thousands would exhaust the stack of the HTML tools that read the page.
pub const MAX_NESTING: usize = 32;

fn strip_suffixes(dest: &str) -> &str {
    dest.split(['?', '#']).next().unwrap_or("")
}

/// Read a Markdown body: check its local links and images, record what they point to (an
/// asset, or a page of the site; whether that page exists is checked once every record is
/// read, by [`super::check_links`]).
pub(super) fn body(v: &mut Validator, file: &Arc<str>, md: &str, first_line: u32, l: &Lookups) -> Option<Body> {
    let mut links = BTreeMap::new();
    let mut ok = true;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(md, markdown_options()).into_offset_iter() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            let pos = pos_in(md, first_line, range.start, "");
            v.push(
                Diagnostic::error(
                    Span::new(file, pos),
                    format!("引用・箇条書き・強調などの入れ子が深すぎます（{MAX_NESTING}段まで）"),
                )
                .with_help("入れ子を浅くしてください（> や - や * の重ねすぎ、閉じ忘れがないか確認してください）"),
            );
            return None;
        }
        let (dest, is_image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
            _ => continue,
        };
        let pos = pos_in(md, first_line, range.start, &dest);
        // A link to the site's own address is a site link too.
        let own = own_path(&dest, l.base_url);
        if let (Some(s), None) = (scheme(&dest), &own) {
            if UNSAFE_SCHEMES.contains(&s.as_str()) {
                v.push(
                    Diagnostic::warning(Span::new(file, pos), format!("{s}: のリンクは安全のため出力しません"))
                        .with_help("https:// のリンクか、assets/ のファイルへのリンクにしてください"),
                );
            }
            continue;
        }
        let written = own.as_deref().unwrap_or(&dest);
        if written.starts_with('#') || written.starts_with('?') || written.starts_with("//") || written.is_empty() {
            continue;
        }
        let absolute = written.starts_with('/');
        let path = percent_decode(strip_suffixes(written));
        let target = match resolve(file, &path) {
            None => {
                v.push(
                    Diagnostic::error(
                        Span::new(file, pos),
                        format!("リンク先「{dest}」が content/ の外を指しています"),
                    )
                    .with_help("ファイルは content/assets/ に置き、/assets/… で参照してください"),
                );
                None
            }
            // An image is a file of assets/ (or one of the site's chart images).
            Some(resolved) if resolved.starts_with("assets/") || (is_image && !path.ends_with(".svg")) => {
                lookup(v, file, pos, &dest, &resolved, l).map(Target::Asset)
            }
            Some(_) if !absolute => {
                v.push(
                    Diagnostic::error(
                        Span::new(file, pos),
                        format!("サイト内へのリンク「{dest}」は / から書いてください"),
                    )
                    .with_help("/reports/2/mori-interim/ や /about/ のように、サイトの先頭からの URL で書いてください"),
                );
                None
            }
            Some(resolved) => {
                let keep_slash = if path.ends_with('/') { "/" } else { "" };
                let target = classify(&format!("{resolved}{keep_slash}"));
                if target.is_none() {
                    v.push(
                        Diagnostic::error(
                            Span::new(file, pos),
                            format!("リンク先「{dest}」にあたるページはこのサイトにありません"),
                        )
                        .with_help(
                            "/reports/2/mori-interim/、/municipalities/013455/、/about/ のようにサイトの URL で書いてください",
                        ),
                    );
                }
                target
            }
        };
        match target {
            Some(target) => {
                links.insert(dest.clone(), Link { target, pos });
            }
            None => ok = false,
        }
    }
    ok.then(|| Body {
        markdown: md.to_string(),
        first_line,
        links,
    })
}

/// `/reports/1/x/` for a link to the site's own address, `https://<base_url>/reports/1/x/`,
/// however it is spelled: any case, `http` or `https`, scheme-relative (`//host/…`), with a port
/// or user name, a host with a trailing dot. Read with a real URL parser, as a browser would, so
/// no spelling of a held record's URL passes as an outside link.
pub(super) fn own_path(dest: &str, base_url: &BaseUrl) -> Option<String> {
    let dest = dest.trim();
    if !(dest.starts_with("//") || scheme(dest).is_some()) {
        return None;
    }
    let base = base_url.url();
    let link = base.join(dest).ok()?;
    if !matches!(link.scheme(), "http" | "https") {
        return None;
    }
    let host = |u: &url::Url| u.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase());
    if host(&link).is_none() || host(&link) != host(base) {
        return None;
    }
    let rest = link.path().strip_prefix(base.path().trim_end_matches('/'))?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let mut path = format!("/{}", rest.trim_start_matches('/'));
    if let Some(q) = link.query() {
        path.push('?');
        path.push_str(q);
    }
    if let Some(f) = link.fragment() {
        path.push('#');
        path.push_str(f);
    }
    Some(path)
}

/// What exists to link to, indexed once: a site of many reports with many links is checked
/// link by link against these, not against every record.
struct Linkable<'r> {
    reports: std::collections::HashSet<(crate::model::CohortNo, &'r str)>,
    /// Municipalities with a team or supported by a programme.
    municipalities: std::collections::HashSet<crate::model::MunicipalityCode>,
    /// (prefecture code, cohort) of every team.
    prefecture_cohorts: std::collections::HashSet<(u8, crate::model::CohortNo)>,
    pages: std::collections::HashSet<&'r str>,
    programs: std::collections::HashSet<&'r str>,
    /// Ministries with a member in some team.
    staffed: std::collections::HashSet<usize>,
}

impl<'r> Linkable<'r> {
    fn of(reg: &'r Registry) -> Self {
        let supported = reg
            .programs
            .iter()
            .flat_map(|p| p.support.iter().flat_map(|s| s.municipalities.iter()));
        Linkable {
            reports: reg.reports.iter().map(|r| (r.cohort, r.stem.as_str())).collect(),
            municipalities: reg
                .teams
                .iter()
                .map(|t| t.municipality)
                .chain(supported.copied())
                .collect(),
            prefecture_cohorts: reg
                .teams
                .iter()
                .map(|t| (t.municipality.prefecture().code, t.cohort))
                .collect(),
            pages: reg.pages.iter().map(|p| p.stem.as_str()).collect(),
            programs: reg.programs.iter().map(|p| p.id.as_str()).collect(),
            staffed: reg
                .teams
                .iter()
                .flat_map(|t| &t.members)
                .map(|m| m.ministry.0)
                .collect(),
        }
    }
}

/// Every site link of a report or page must point at a record that exists (held or not).
pub(super) fn check_links(reg: &Registry, diags: &mut Diagnostics) {
    let bodies = reg
        .reports
        .iter()
        .map(|r| (&r.file, &r.body))
        .chain(reg.pages.iter().map(|p| (&p.file, &p.body)));
    let mut known: Option<Linkable> = None;
    for (file, body) in bodies {
        for (dest, link) in &body.links {
            if matches!(link.target, Target::Fixed | Target::Asset(_)) {
                continue;
            }
            let k = known.get_or_insert_with(|| Linkable::of(reg));
            let exists = match &link.target {
                Target::Fixed | Target::Asset(_) => true,
                Target::Cohort(n) => reg.cohort(*n).is_some(),
                Target::Comparison => reg.cohorts.len() >= 2,
                Target::PrefectureCharts(pref, n) => k.prefecture_cohorts.contains(&(*pref, *n)),
                Target::Municipality(code) => k.municipalities.contains(code),
                Target::Report(n, stem) => k.reports.contains(&(*n, stem.as_str())),
                Target::Page(stem) => k.pages.contains(stem.as_str()),
                Target::Program(id) => k.programs.contains(id.as_str()),
                // A ministry page exists once one of its officials is published: a link needs a
                // ministry with that id and a member of it in some team (held or not).
                Target::Ministries | Target::Ministry(_) => reg.ministries.iter().enumerate().any(|(i, m)| {
                    let named = match &link.target {
                        Target::Ministry(id) => m.slug.as_ref() == Some(id),
                        _ => m.slug.is_some(),
                    };
                    named && k.staffed.contains(&i)
                }),
            };
            if !exists {
                let suggestion = match &link.target {
                    Target::Report(n, stem) => closest(
                        stem,
                        reg.reports.iter().filter(|r| r.cohort == *n).map(|r| r.stem.as_str()),
                    )
                    .map(|s| format!("/{}", urls::report(*n, s))),
                    Target::Page(stem) => {
                        closest(stem, reg.pages.iter().map(|p| p.stem.as_str())).map(|s| format!("/{}", urls::page(s)))
                    }
                    _ => None,
                };
                diags.push(
                    Diagnostic::error(
                        Span::new(file, link.pos),
                        format!("リンク先「{dest}」のページはありません"),
                    )
                    .with_suggestion(suggestion.as_deref())
                    .with_help(
                        "リンク先の URL を確認してください（公表前の記録へのリンクは、公表まで文字だけになります）",
                    ),
                );
            }
        }
    }
}

/// An attachment's `file:`: must resolve to a file under content/assets/.
pub(super) fn asset_ref(v: &mut Validator, file: &Arc<str>, dest: &Sp<String>, l: &Lookups) -> Option<AssetPath> {
    let text = dest.value.trim();
    let resolved = if scheme(text).is_some() {
        None
    } else {
        resolve(file, &percent_decode(strip_suffixes(text)))
    };
    match resolved {
        Some(r) => lookup(v, file, dest.pos, text, &r, l),
        None => {
            v.push(
                Diagnostic::error(
                    Span::new(file, dest.pos),
                    format!("添付ファイル「{text}」は content/assets/ の中のファイルではありません"),
                )
                .with_help("ファイルを content/assets/ に置き、/assets/2/資料.pdf のように書いてください"),
            );
            None
        }
    }
}

fn lookup(v: &mut Validator, file: &Arc<str>, pos: Pos, dest: &str, resolved: &str, l: &Lookups) -> Option<AssetPath> {
    let Some(rel) = resolved.strip_prefix("assets/") else {
        v.push(
            Diagnostic::error(
                Span::new(file, pos),
                format!("「{dest}」は content/assets/ の中のファイルではありません"),
            )
            .with_help("画像や添付ファイルは content/assets/ に置いてください"),
        );
        return None;
    };
    let key = AssetPath(rel.to_string());
    if !l.assets.contains_key(&key) {
        let suggestion = closest(rel, l.assets.keys().map(|a| a.0.as_str())).map(|s| format!("/{}{s}", urls::ASSETS));
        v.push(
            Diagnostic::error(
                Span::new(file, pos),
                format!("ファイル「{dest}」（content/{resolved}）がありません"),
            )
            .with_suggestion(suggestion.as_deref())
            .with_help("ファイル名と置き場所を確認してください"),
        );
        return None;
    }
    // Only a real file under content/assets/: a link could make one file stand for two assets
    // (a published name for a held report's attachment) or reach outside content/.
    if !l.real_assets.contains(&key) {
        v.push(
            Diagnostic::error(
                Span::new(file, pos),
                format!("「{dest}」はシンボリックリンクか、content/assets/ の外にあるファイルです"),
            )
            .with_help("ファイルそのものを content/assets/ に置いてください"),
        );
        return None;
    }
    Some(key)
}

/// The line and column of `dest` inside the element that starts at byte `start` of the body.
fn pos_in(md: &str, first_line: u32, start: usize, dest: &str) -> Pos {
    let at = md[start..]
        .find(dest)
        .map(|i| start + i)
        .filter(|i| *i < start + 4096)
        .unwrap_or(start);
    let before = &md[..at];
    let line = first_line + before.matches('\n').count() as u32;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    Pos::new(line, col, dest.chars().count() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_the_sites_own_address_is_a_site_link() {
        let base = &BaseUrl::parse("https://checks.example.invalid/banso-shien/").unwrap();
        for (dest, path) in [
            (
                "https://checks.example.invalid/banso-shien/reports/1/x/",
                "/reports/1/x/",
            ),
            (
                "HTTPS://Checks.Example.Invalid/banso-shien/reports/1/x/",
                "/reports/1/x/",
            ),
            ("http://checks.example.invalid/banso-shien/about/", "/about/"),
            ("//checks.example.invalid/banso-shien/reports/1/x/", "/reports/1/x/"),
            (
                "https://checks.example.invalid:443/banso-shien/reports/1/x/",
                "/reports/1/x/",
            ),
            (
                "https://checks.example.invalid:8443/banso-shien/reports/1/x/",
                "/reports/1/x/",
            ),
            (
                "https://checks.example.invalid./banso-shien/reports/1/x/",
                "/reports/1/x/",
            ),
            ("https://x@checks.example.invalid/banso-shien/hold/", "/hold/"),
            ("https://checks.example.invalid/banso-shien", "/"),
            ("https://checks.example.invalid/banso-shien/a/?q=1#f", "/a/?q=1#f"),
            (
                "https://checks.example.invalid/banso-shien/x/../reports/1/x/",
                "/reports/1/x/",
            ),
        ] {
            assert_eq!(own_path(dest, base).as_deref(), Some(path), "{dest}");
        }
        for other in [
            "https://example.jp/banso-shien/reports/1/x/",
            "https://checks.example.invalid/elsewhere/",
            "https://checks.example.invalid/banso-shienx/",
            "//example.jp/x",
            "/reports/1/x/",
            "reports/1/x/",
            "mailto:a@checks.example.invalid",
        ] {
            assert_eq!(own_path(other, base), None, "{other}");
        }
    }

    #[test]
    fn positions_inside_the_body() {
        let md = "一行目\n\n[資料](/assets/x.pdf)\n";
        let start = md.find('[').unwrap();
        assert_eq!(pos_in(md, 5, start, "/assets/x.pdf"), Pos::new(7, 6, 13));
    }
}
