//! Markdown → safe HTML: raw HTML is shown as text, unsafe link schemes are dropped, asset
//! links point at the published asset, site links are made relative to the page, and a link to
//! something the build does not publish is its text alone.

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::model::link::destination::{UNSAFE_SCHEMES, markdown_options, scheme};
use crate::model::{AssetPath, Body, Target, urls};

/// What a written-out address (`<https://…>`) of a held record shows until its release.
pub const HELD_AUTOLINK: &str = "（準備中）";

/// Render `body` for a page whose path to the site root is `root` (`../../`); `shows` says
/// whether a link's target is part of the build (`Published::shows`).
pub fn render_markdown(body: &Body, root: &str, shows: &dyn Fn(&Target) -> bool) -> String {
    let mut dropped_links = 0usize;
    let mut hiding_text = false;
    let mut in_dropped_image = 0usize;
    let mut events = Vec::new();
    for event in Parser::new_ext(&body.markdown, markdown_options()) {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match rewrite(&dest_url, body, root, shows) {
                Some(dest) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }),
                None => {
                    dropped_links += 1;
                    // An autolink's text is its address: for a held record that would print
                    // the URL (a held report's file name) that the link was dropped to hide.
                    let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    if autolink && body.links.get(dest_url.as_ref()).is_some_and(|l| !shows(&l.target)) {
                        hiding_text = true;
                        events.push(Event::Text(CowStr::from(HELD_AUTOLINK)));
                    }
                    continue;
                }
            },
            Event::Text(_) if hiding_text => continue,
            Event::End(TagEnd::Link) if dropped_links > 0 => {
                dropped_links -= 1;
                hiding_text = false;
                continue;
            }
            // An image whose source is not allowed is shown as its description.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match rewrite(&dest_url, body, root, shows) {
                Some(dest) => Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }),
                None => {
                    in_dropped_image += 1;
                    continue;
                }
            },
            Event::End(TagEnd::Image) if in_dropped_image > 0 => {
                in_dropped_image -= 1;
                continue;
            }
            other => other,
        };
        events.push(event);
    }
    give_headings_ids(&mut events);
    let mut html = String::with_capacity(body.markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Every heading gets an id from its text: letters and digits of any script, `-` for the rest,
/// `h-` in front (so it cannot clash with the page's own ids) and a number when repeated.
fn give_headings_ids(events: &mut [Event]) {
    let mut used: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { .. }) = &events[i] else {
            continue;
        };
        let mut text = String::new();
        for e in &events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let mut slug = String::from("h-");
        for c in text.chars() {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = match slug.trim_end_matches('-') {
            "h" => "h-section".to_string(),
            s => s.to_string(),
        };
        let n = used.entry(slug.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { slug } else { format!("{slug}-{n}") };
        if let Event::Start(Tag::Heading { level, .. }) = events[i] {
            events[i] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes: Vec::new(),
                attrs: Vec::new(),
            });
        }
    }
}

/// The published form of a link destination, or `None` to drop the link.
fn rewrite<'a>(dest: &CowStr<'a>, body: &Body, root: &str, shows: &dyn Fn(&Target) -> bool) -> Option<CowStr<'a>> {
    if let Some(link) = body.links.get(dest.as_ref()) {
        if !shows(&link.target) {
            return None;
        }
        if let Target::Asset(asset) = &link.target {
            return Some(CowStr::from(format!("{root}{}", asset_href(asset))));
        }
    }
    if let Some(s) = scheme(dest) {
        return (!UNSAFE_SCHEMES.contains(&s.as_str())).then(|| dest.clone());
    }
    if dest.starts_with("//") {
        return Some(dest.clone());
    }
    match dest.strip_prefix('/') {
        Some(site_path) => Some(CowStr::from(format!("{root}{site_path}"))),
        None => Some(dest.clone()),
    }
}

/// The link to an asset's file from the site's root, percent-encoded.
pub fn asset_href(path: &AssetPath) -> String {
    encode_path(&urls::asset(path))
}

/// Percent-encode each segment of a `/`-separated path for use in a URL.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Plain text of a Markdown body (for descriptions), at most `max` characters; a written-out
/// address of something the build does not show reads as in [`render_markdown`].
pub fn plain_text(body: &Body, shows: &dyn Fn(&Target) -> bool, max: usize) -> String {
    let mut text = String::new();
    let mut hiding = false;
    for event in Parser::new_ext(&body.markdown, markdown_options()) {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                dest_url,
                ..
            }) if body.links.get(dest_url.as_ref()).is_some_and(|l| !shows(&l.target)) => {
                hiding = true;
                text.push_str(HELD_AUTOLINK);
            }
            Event::End(TagEnd::Link) => hiding = false,
            Event::Text(_) | Event::Code(_) if hiding => {}
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                text.push(' ')
            }
            _ => {}
        }
        if text.chars().count() > max + 1 {
            break;
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > max {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssetPath, CohortNo, Link};

    fn body(md: &str) -> Body {
        Body {
            markdown: md.to_string(),
            first_line: 1,
            links: Default::default(),
        }
    }

    fn all(_: &Target) -> bool {
        true
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render_markdown(
            &body("<script>alert(1)</script>\n\n<p onclick=\"x()\">a</p>\n"),
            "../",
            &all,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<p onclick"), "{html}");
    }

    #[test]
    fn javascript_links_are_dropped_but_their_text_stays() {
        let html = render_markdown(
            &body("[x](javascript:alert(1)) [z](JaVaScRiPt:alert(3)) [ok](https://www.chisou.go.jp/)"),
            "",
            &all,
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(
            html.contains(">ok</a>") && html.contains("x") && html.contains("z"),
            "{html}"
        );
    }

    #[test]
    fn assets_and_site_links_are_rewritten_relative_to_the_page() {
        let mut b = body("[資料](/assets/2/資料.pdf) [一覧](/cohorts/2/teams/)");
        b.links.insert(
            "/assets/2/資料.pdf".into(),
            Link {
                target: Target::Asset(AssetPath("2/資料.pdf".into())),
                pos: Default::default(),
            },
        );
        b.links.insert(
            "/cohorts/2/teams/".into(),
            Link {
                target: Target::Cohort(CohortNo(2)),
                pos: Default::default(),
            },
        );
        let html = render_markdown(&b, "../../", &all);
        assert!(
            html.contains("href=\"../../assets/2/%E8%B3%87%E6%96%99.pdf\""),
            "{html}"
        );
        assert!(html.contains("href=\"../../cohorts/2/teams/\""), "{html}");
    }

    #[test]
    fn links_to_what_the_build_does_not_show_are_their_text_alone() {
        let mut b =
            body("[最終報告](/reports/1/final-hold/) と [図](/assets/1/hold.png) と ![写真](/assets/1/hold.png)");
        b.links.insert(
            "/reports/1/final-hold/".into(),
            Link {
                target: Target::Report(CohortNo(1), "final-hold".into()),
                pos: Default::default(),
            },
        );
        b.links.insert(
            "/assets/1/hold.png".into(),
            Link {
                target: Target::Asset(AssetPath("1/hold.png".into())),
                pos: Default::default(),
            },
        );
        let html = render_markdown(&b, "../", &|_| false);
        assert!(!html.contains("final-hold") && !html.contains("hold.png"), "{html}");
        assert!(!html.contains("<a") && !html.contains("<img"), "{html}");
        assert!(
            html.contains("最終報告") && html.contains("図") && html.contains("写真"),
            "{html}"
        );
        let html = render_markdown(&b, "../", &all);
        assert!(html.contains("href=\"../reports/1/final-hold/\""), "{html}");
    }

    #[test]
    fn a_written_out_address_of_a_held_record_is_not_printed() {
        let dest = "https://www.example.go.jp/banso-shien/reports/1/final-hold/";
        let mut b = body(&format!("詳しくは <{dest}> を。<https://example.jp/> も。"));
        b.links.insert(
            dest.into(),
            Link {
                target: Target::Report(CohortNo(1), "final-hold".into()),
                pos: Default::default(),
            },
        );
        let html = render_markdown(&b, "../", &|_| false);
        assert!(!html.contains("final-hold"), "{html}");
        assert!(html.contains(&format!("詳しくは {HELD_AUTOLINK} を。")), "{html}");
        assert!(
            html.contains("<a href=\"https://example.jp/\">https://example.jp/</a>"),
            "{html}"
        );
        assert_eq!(
            plain_text(&b, &|_| false, 110),
            format!("詳しくは {HELD_AUTOLINK} を。https://example.jp/ も。")
        );
        let html = render_markdown(&b, "../", &all);
        assert!(html.contains(&format!("<a href=\"{dest}\">{dest}</a>")), "{html}");
        assert!(plain_text(&b, &all, 110).contains(dest));
    }

    #[test]
    fn tables_and_footnotes_render() {
        let html = render_markdown(
            &body("| a | b |\n| - | - |\n| 1 | 2 |\n\n本文[^1]\n\n[^1]: 注\n"),
            "",
            &all,
        );
        assert!(html.contains("<table>") && html.contains("<td>1</td>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn headings_get_safe_unique_ids() {
        let html = render_markdown(
            &body("## 取組の概要\n\n## 取組の概要\n\n### a\"onmouseover=\"x\n\n## ！？\n"),
            "",
            &all,
        );
        assert!(html.contains("<h2 id=\"h-取組の概要\">"), "{html}");
        assert!(html.contains("<h2 id=\"h-取組の概要-2\">"), "{html}");
        assert!(html.contains("<h3 id=\"h-a-onmouseover-x\">"), "{html}");
        assert!(html.contains("<h2 id=\"h-section\">"), "{html}");
    }

    #[test]
    fn images_with_unsafe_sources_become_their_description() {
        let html = render_markdown(
            &body("![地図](javascript:alert(1)) ![写真](data:image/png;base64,AAAA)"),
            "",
            &all,
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("地図") && html.contains("写真"), "{html}");
    }

    #[test]
    fn plain_text_is_cut() {
        assert_eq!(
            plain_text(&body("## 見出し\n\n本文です。"), &all, 100),
            "見出し 本文です。"
        );
        assert_eq!(plain_text(&body("あいうえお"), &all, 3), "あいう…");
    }
}
