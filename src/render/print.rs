//! What a page needs on paper that the screen does not show: where each link goes. Links stay
//! relative on screen (the site works from any folder); a printed page names the absolute
//! address (from `base_url`):
//!
//! - a link in running text gets `data-print="<address>"`, which the print stylesheet writes
//!   after the link text (generated content: no text is added to the page, its search index or
//!   what a screen reader reads);
//! - a link in a table, a drawing or a heading (a team list has hundreds) is listed once, with
//!   its text (its `aria-label` if it has one), in a list at the end of `<main>` that only
//!   print shows (「表・図・見出しのリンク先」);
//! - links within the page (`#…`, or the page's own address with a fragment), and links in the
//!   site's navigation, get neither.
//!
//! It works on the HTML the site's templates and its Markdown renderer write (tera and
//! pulldown-cmark escape `<` and `>` in attribute values; raw HTML in Markdown is shown as
//! text): tags are found by `<` and `>`, attributes as `banso diff` reads them
//! ([`crate::compare::text`]); `<script>` and `<style>` bodies are skipped.

use std::collections::{HashMap, HashSet};

use url::Url;

use super::shortcuts::strip_tags;
use super::xml::escape;
use crate::compare::text::{attr, decode};

/// `html` with print addresses added to the links in its `<main>`; `page` is the page's own
/// absolute address, the base of its relative links. Unchanged when `page` is not a URL or the
/// page has no `<main>`.
pub fn link_addresses(html: String, page: &str) -> String {
    let Ok(base) = Url::parse(page) else {
        return html;
    };
    let Some(start) = html.find("<main") else {
        return html;
    };
    let Some(end) = html.rfind("</main>").filter(|end| *end > start) else {
        return html;
    };
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    out.push_str(&html[..start]);
    let mut listed: Vec<(String, String)> = Vec::new();
    let mut in_list: HashSet<String> = HashSet::new();
    // A team list links each prefecture, 課題分野 and cohort many times: each address is
    // worked out once.
    let mut resolved: HashMap<String, Option<String>> = HashMap::new();
    let mut boxed = 0usize; // depth of <table> and <svg> around the current tag
    let mut nav = 0usize; // depth of <nav>: navigation prints no addresses
    let body = &html[start..end];
    let mut at = 0;
    while let Some(lt) = body[at..].find('<').map(|i| at + i) {
        out.push_str(&body[at..lt]);
        let Some(gt) = body[lt..].find('>').map(|i| lt + i + 1) else {
            at = lt;
            break;
        };
        let tag = &body[lt..gt];
        let lower;
        let mut name = tag_name(tag);
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = name.to_ascii_lowercase();
            name = &lower;
        }
        match name {
            "script" | "style" => {
                let close = if name == "script" { "</script" } else { "</style" };
                let stop = body[gt..].find(close).map_or(body.len(), |i| gt + i);
                out.push_str(&body[lt..stop]);
                at = stop;
                continue;
            }
            "svg" if tag.ends_with("/>") => {}
            "table" | "svg" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => boxed += 1,
            "/table" | "/svg" | "/h1" | "/h2" | "/h3" | "/h4" | "/h5" | "/h6" => boxed = boxed.saturating_sub(1),
            "nav" => nav += 1,
            "/nav" => nav = nav.saturating_sub(1),
            _ => {}
        }
        at = gt;
        if name != "a" || nav > 0 {
            out.push_str(tag);
            continue;
        }
        let address = attr(tag, "href").and_then(|href| {
            resolved
                .entry(href)
                .or_insert_with_key(|href| absolute(&base, href))
                .clone()
        });
        let Some(address) = address else {
            out.push_str(tag);
            continue;
        };
        let text_end = body[gt..].find("</a>").map_or(gt, |i| gt + i);
        let text = plain_text(&body[gt..text_end]);
        if text == address {
            // An address written out as its own link text says itself on paper.
            out.push_str(tag);
        } else if boxed == 0 {
            out.push_str(&tag[..tag.len() - 1]);
            out.push_str(" data-print=\"");
            out.push_str(&escape(&address));
            out.push_str("\">");
        } else {
            out.push_str(tag);
            let text = attr(tag, "aria-label").unwrap_or(text);
            if in_list.insert(address.clone()) {
                listed.push((address, text));
            }
        }
    }
    out.push_str(&body[at..]);
    if !listed.is_empty() {
        out.push_str("<div class=\"print-links\" data-pagefind-ignore>\n<p class=\"print-links-title\">表・図・見出しのリンク先</p>\n<ul>\n");
        for (address, text) in &listed {
            out.push_str("<li>");
            out.push_str(&escape(text));
            out.push('：');
            out.push_str(&escape(address));
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n</div>\n");
    }
    out.push_str(&html[end..]);
    out
}

/// The content of the `@page` footer (a CSS value): the page's address, then who publishes the
/// site and its name, the date the page's records last changed, and the page number.
pub fn footer(page: &str, publisher: &str, site: &str, updated: Option<&str>) -> String {
    let mut second = format!("{publisher}「{site}」");
    if let Some(date) = updated {
        second.push_str("　更新：");
        second.push_str(date);
    }
    second.push('　');
    format!(
        "{} \"\\A \" {} counter(page) \" / \" counter(pages)",
        css_string(page),
        css_string(&second)
    )
}

/// `s` as a CSS string, safe inside `<style>` (no `</style>` can end it).
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3C "),
            '\n' => out.push_str("\\A "),
            '\r' => out.push_str("\\D "),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `a`, `/table`, `svg` for `<a href=…>`, `</table>`, `<svg …>`, as written (the caller lowers
/// the rare upper-case name, from a custom theme).
fn tag_name(tag: &str) -> &str {
    let rest = &tag[1..];
    let len = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'/' || *c == b'!' || *c == b'-')
        .count();
    &rest[..len]
}

/// The absolute address of `href` from `base` as a reader types it (`#h-お問い合わせ`, not
/// `%E3%81…`), or `None` for a place on the same page, an address that is not http(s)
/// (`mailto:` says itself) or one that does not parse.
fn absolute(base: &Url, href: &str) -> Option<String> {
    if href.starts_with('#') {
        return None;
    }
    let url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let mut without_fragment = url.clone();
    without_fragment.set_fragment(None);
    if without_fragment.as_str() == base.as_str() {
        return None;
    }
    Some(
        percent_encoding::percent_decode_str(url.as_str())
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The text of some HTML: tags dropped, character references unescaped, spaces collapsed.
fn plain_text(html: &str) -> String {
    decode(&strip_tags(html))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_is_one_css_value_that_cannot_end_its_style_element() {
        let f = footer(
            "https://example.jp/a/",
            "内閣府",
            "x</style>\"y",
            Some("令和8年3月27日（2026年3月27日）"),
        );
        assert_eq!(
            f,
            "\"https://example.jp/a/\" \"\\A \" \"内閣府「x\\3C /style>\\\"y」　更新：令和8年3月27日（2026年3月27日）　\" counter(page) \" / \" counter(pages)"
        );
        assert!(!f.contains("</"));
    }

    const PAGE: &str = "https://example.jp/banso/prefectures/nagano/";

    fn page(main: &str) -> String {
        format!(
            "<html><body><nav><a href=\"../../\">ホーム</a></nav><main id=\"main\">{main}</main><footer><a href=\"../../about/\">概要</a></footer></body></html>"
        )
    }

    #[test]
    fn a_link_in_text_carries_its_absolute_address() {
        let out = link_addresses(page("<p><a href=\"../../cohorts/2/\">第2期</a>の</p>"), PAGE);
        assert!(
            out.contains("<a href=\"../../cohorts/2/\" data-print=\"https://example.jp/banso/cohorts/2/\">第2期</a>"),
            "{out}"
        );
        assert!(!out.contains("print-links"), "no table, no list: {out}");
    }

    #[test]
    fn links_outside_main_and_within_the_page_are_left_alone() {
        let out = link_addresses(
            page("<p><a href=\"#team-2-40\">40</a> <a href=\"../../prefectures/nagano/#x\">x</a></p>"),
            PAGE,
        );
        assert_eq!(out.matches("data-print").count(), 0, "{out}");
        assert!(out.contains("<nav><a href=\"../../\">ホーム</a></nav>"));
        assert!(out.contains("<footer><a href=\"../../about/\">概要</a></footer>"));
    }

    #[test]
    fn table_links_are_listed_once_at_the_end_of_main() {
        let table = "<table><tr><th><a href=\"../../municipalities/20214/\">茅野<b>市</b></a></th>\
                     <td><a href=\"../../ministries/mlit/\">国土交通省</a></td></tr>\
                     <tr><td><a href=\"../../ministries/mlit/\">国土交通省</a></td></tr></table>";
        let out = link_addresses(
            page(&format!(
                "{table}<p><a href=\"https://www.chisou.go.jp/?a=1&amp;b=2\">外部</a></p>"
            )),
            PAGE,
        );
        assert!(out.contains(table), "the table itself is unchanged: {out}");
        let list = &out[out.find("print-links").expect("a list")..];
        assert!(
            list.contains("<li>茅野市：https://example.jp/banso/municipalities/20214/</li>"),
            "{list}"
        );
        assert_eq!(list.matches("ministries/mlit/").count(), 1, "{list}");
        assert!(list.find("print-links").is_some() && out.find("</main>") > out.find("print-links"));
        assert!(
            out.contains("data-print=\"https://www.chisou.go.jp/?a=1&amp;b=2\""),
            "{out}"
        );
    }

    #[test]
    fn addresses_print_as_typed_and_mail_links_and_spelled_out_addresses_get_none() {
        let out = link_addresses(
            page(
                "<p><a href=\"../../about/#h-%E5%95%8F%E5%90%88%E3%81%9B\">問合せ</a> \
                  <a href=\"mailto:x@example.jp\">x@example.jp</a> \
                  <a href=\"https://www.chisou.go.jp/\">https://www.chisou.go.jp/</a></p>",
            ),
            PAGE,
        );
        assert!(
            out.contains("data-print=\"https://example.jp/banso/about/#h-問合せ\""),
            "{out}"
        );
        assert_eq!(out.matches("data-print").count(), 1, "{out}");
    }

    #[test]
    fn a_page_whose_main_is_out_of_order_is_left_as_it_is() {
        let html = "<p></main></p><main><a href=\"../x/\">x</a>".to_string();
        assert_eq!(link_addresses(html.clone(), PAGE), html);
    }

    #[test]
    fn scripts_are_copied_as_they_are() {
        let script = "<script>if (a < b && c > d) { x = \"<a href='y'>\"; }</script>";
        let out = link_addresses(page(script), PAGE);
        assert!(out.contains(script), "{out}");
        assert!(!out.contains("data-print"));
    }
}
