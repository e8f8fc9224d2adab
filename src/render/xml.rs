//! sitemap.xml, feed.xml (Atom) and robots.txt. URLs are absolute under `base_url`.

use std::fmt::Write as _;

use super::{Plan, RenderError};
use crate::model::urls::{self, BaseUrl};
use crate::publish::Published;
use crate::time::Instant;

/// Escape text for XML element content and attribute values.
pub fn escape(s: &str) -> String {
    // Most values (names, dates, numbers, Japanese prose) have nothing to escape.
    if !s
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || b < 0x20)
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render_xml(p: &Published, base: &BaseUrl, plan: &mut Plan) -> Result<(), RenderError> {
    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if !p.preview {
        use rayon::prelude::*;
        let pages: Vec<(&str, &super::Blob)> = plan
            .files()
            .iter()
            .filter_map(|(k, blob)| Some((k.strip_suffix("index.html")?, blob)))
            .filter(|(dir, _)| (dir.is_empty() || dir.ends_with('/')) && *dir != urls::SEARCH)
            .collect();
        // One line per page, made in parallel and joined in the plan's order.
        let lines: Vec<String> = pages
            .par_iter()
            .filter(|(_, blob)| {
                // A page that asks search engines not to index it (a 課題分野 with nothing
                // published) is not offered to them either.
                !matches!(blob, super::Blob::Bytes(html) if contains(head(html), br#"<meta name="robots" content="noindex"#))
            })
            .map(|(dir, _)| {
                let loc = escape(&base.join(&super::markdown::encode_path(dir)));
                // A placeholder instant is no date of a change (SPEC §2 `announce_confirmed`).
                match plan.last_change(dir).and_then(|t| p.confirmed(t)) {
                    Some(t) => format!("  <url><loc>{loc}</loc><lastmod>{}</lastmod></url>\n", t.rfc3339()),
                    None => format!("  <url><loc>{loc}</loc></url>\n"),
                }
            })
            .collect();
        sitemap.extend(lines);
    }
    sitemap.push_str("</urlset>\n");
    plan.add(urls::SITEMAP, sitemap.into_bytes())?;

    let robots = if p.preview {
        "User-agent: *\nDisallow: /\n".to_string()
    } else {
        format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", base.join(urls::SITEMAP))
    };
    plan.add(urls::ROBOTS, robots.into_bytes())?;
    plan.add(urls::FEED, feed(p, base).into_bytes())
}

struct Entry {
    id: String,
    title: String,
    link: String,
    updated: Instant,
    summary: String,
}

/// An Atom feed of published reports and cohort announcements, newest first.
fn feed(p: &Published, base: &BaseUrl) -> String {
    let mut entries: Vec<Entry> = p
        .reports
        .iter()
        .map(|r| {
            let team = p.team(r.cohort, r.team).expect("published report has a published team");
            let m = p.town(team);
            let path = urls::report(r.cohort, &r.stem);
            Entry {
                id: base.join(&path),
                title: r.title.clone(),
                link: base.join(&super::markdown::encode_path(&path)),
                updated: r.release,
                summary: r
                    .summary
                    .clone()
                    .unwrap_or_else(|| format!("{} {}の{}", r.cohort.label(), m.full_name(), r.kind.name())),
            }
        })
        .chain(p.cohorts.iter().map(|c| Entry {
            id: base.join(&urls::cohort(c.no)),
            title: if c.roster {
                format!("{}の伴走支援チームを公表しました", c.no.label())
            } else {
                format!("{}の実績（公表資料の数値）を掲載しました", c.no.label())
            },
            link: base.join(&urls::cohort(c.no)),
            updated: c.announce,
            summary: if c.roster {
                format!("{}の伴走支援チームと支援対象の市町村を公表しました。", c.no.label())
            } else {
                format!("{}のチーム数などの公表資料の数値を掲載しました。", c.no.label())
            },
        }))
        // An entry is dated by when it happened: one whose instant is a placeholder is left out
        // (SPEC §2), and the feed's own <updated> is its newest entry's.
        .filter(|e| p.confirmed(e.updated).is_some())
        .collect();
    entries.sort_by(|a, b| (b.updated, &b.id).cmp(&(a.updated, &a.id)));
    let updated = entries.first().map(|e| e.updated).unwrap_or(p.as_of);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n",
    );
    let _ = writeln!(x, "  <title>{}</title>", escape(&p.site.title));
    let _ = writeln!(x, "  <id>{}</id>", escape(base.as_str()));
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(base.as_str())
    );
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&base.join(urls::FEED))
    );
    let _ = writeln!(x, "  <updated>{}</updated>", updated.rfc3339());
    let _ = writeln!(x, "  <author><name>{}</name></author>", escape(&p.site.publisher));
    if !p.site.license.is_empty() {
        let _ = writeln!(x, "  <rights>{}</rights>", escape(&p.site.license));
    }
    for e in entries {
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <id>{}</id>", escape(&e.id));
        let _ = writeln!(x, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&e.link)
        );
        let _ = writeln!(x, "    <updated>{}</updated>", e.updated.rfc3339());
        let _ = writeln!(x, "    <summary>{}</summary>", escape(&e.summary));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// A page's `<head>` (where a robots `<meta>` belongs), or the whole page when it has no
/// `</head>`: a page is read up to it rather than to its end.
fn head(html: &[u8]) -> &[u8] {
    memchr::memmem::find(html, b"</head>").map_or(html, |end| &html[..end])
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
