//! What a reader sees of a file, as lines to compare: a page's visible text, its links' targets,
//! a data file's rows, summary.json's figures.

/// Elements that start a new line of text.
const BLOCKS: [&str; 24] = [
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "dt",
    "dd",
    "div",
    "section",
    "caption",
    "figcaption",
    "title",
    "nav",
    "header",
    "footer",
    "br",
    "text",
    "desc",
];

/// What a reader sees of an HTML page, a line per block: the title, then the body without
/// scripts and styles; tags dropped, entities decoded, blank lines left out. Inside a drawing, a
/// link with an `aria-label` (a tile of the prefecture map) is its label, 「北海道 11チーム」,
/// rather than its separate words; an element marked `data-line` is one line, led by its
/// `aria-label` (the map's legend).
pub fn visible_lines(html: &[u8]) -> Vec<String> {
    let html = String::from_utf8_lossy(html);
    let mut out = String::new();
    let mut rest: &str = &html;
    let mut in_svg = 0usize;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |i| lt + i + 1);
        let tag = &rest[lt + 1..tag_end.saturating_sub(1).max(lt + 1)];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[tag_end..];
        if (name == "script" || name == "style") && !closing {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
            continue;
        }
        if name == "svg" {
            in_svg = if closing { in_svg.saturating_sub(1) } else { in_svg + 1 };
        }
        let labelled = (name == "a" && in_svg > 0) || attr(tag, "data-line").is_some();
        if labelled && !closing {
            let close = format!("</{name}");
            let end = rest.find(&close).unwrap_or(rest.len());
            let inner = visible_lines(&rest.as_bytes()[..end]).join(" ");
            let line = match attr(tag, "aria-label") {
                Some(label) if name == "a" => label,
                Some(label) => format!("{label}: {inner}"),
                None => inner,
            };
            out.push('\n');
            out.push_str(&line);
            out.push('\n');
            rest = &rest[end..];
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        } else if name == "img" {
            // An image's words are its alt text.
            if let Some(alt) = attr(tag, "alt") {
                out.push_str(&alt);
            }
        }
    }
    out.push_str(rest);
    out.lines()
        .map(|l| decode(l.split_whitespace().collect::<Vec<_>>().join(" ").as_str()))
        .filter(|l| !l.is_empty())
        .collect()
}

/// The links of a page in order, each as (its words, its target as a site path): a relative
/// `href` is resolved against the page's own path, so the same link reads the same on every
/// page. Links out of the site are kept as written.
pub fn links(html: &[u8], page: &str) -> Vec<(String, String)> {
    let html = String::from_utf8_lossy(html);
    let base = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut out = Vec::new();
    let mut rest: &str = &html;
    while let Some(at) = rest.find("<a ") {
        rest = &rest[at..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[1..tag_end];
        let end = rest.find("</a>").unwrap_or(rest.len());
        let words = visible_lines(&rest.as_bytes()[tag_end + 1..end.max(tag_end + 1)]).join(" ");
        let words = attr(tag, "aria-label").unwrap_or(words);
        if let Some(href) = attr(tag, "href") {
            out.push((words, resolve(base, &href)));
        }
        rest = &rest[tag_end + 1..];
    }
    out
}

/// `href` as a site path (`/cohorts/3/teams/`), from a page in the folder `base`.
fn resolve(base: &str, href: &str) -> String {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with('#') {
        return href.to_string();
    }
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    let trailing = href.ends_with('/') || href.is_empty();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if trailing && !path.ends_with('/') {
        path.push('/');
    }
    path
}

/// The value of attribute `name` in a tag's text (quoted either way or not at all), entities
/// decoded.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let mut search = tag;
    loop {
        let at = search.find(name)?;
        let before = search[..at].chars().last();
        let after = &search[at + name.len()..];
        if before.is_some_and(char::is_whitespace) {
            if let Some(v) = after.strip_prefix('=') {
                let v = match v.chars().next()? {
                    q @ ('"' | '\'') => v[1..].split(q).next()?,
                    _ => v.split([' ', '>']).next()?,
                };
                return Some(decode(v));
            }
            if after.is_empty() || after.starts_with([' ', '/']) {
                return Some(String::new());
            }
        }
        search = after;
    }
}

/// HTML's character references as the characters they stand for: the named ones a page of
/// this site can hold, and every numeric one.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is at most `&#x10FFFF;` long; look no further (by find, not by slicing a
        // byte count, which could cut a character in two).
        let Some(semi) = rest.find(';').filter(|&i| i < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The rows of a CSV or text file, BOM left out.
pub fn rows(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string)
        .collect()
}

/// A JSON file's figures, one line each: `cohorts[第2期].headline.members = 97`. An array of
/// objects that carry `number`, `code` or `id` is keyed by it, so one cohort's figures keep
/// their names when another cohort is added before them.
pub fn figures(bytes: &[u8]) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return rows(bytes);
    };
    let mut out = Vec::new();
    flatten(&value, String::new(), &mut out);
    out
}

fn flatten(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                flatten(v, key, out);
            }
        }
        // A list of plain values (a chart's categories, a series' values) is one figure.
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            out.push(format!("{at} = {v}"));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = ["number", "code", "id", "label", "name"]
                    .iter()
                    .find_map(|k| item.get(*k).filter(|v| !v.is_object() && !v.is_array()))
                    .map(|v| v.to_string().trim_matches('"').to_string())
                    .unwrap_or_else(|| i.to_string());
                flatten(item, format!("{at}[{name}]"), out);
            }
        }
        other => out.push(format!("{at} = {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_lines_are_the_words_a_reader_sees() {
        let html = "<html><head><title>A &amp; B</title><style>p{x:1}</style></head><body><main><h1>森町</h1><p>one <a href=x>two</a> It&apos;s &#x2713;&#39;</p><script>var s='<p>no</p>';</script><img alt=\"chart title\" src=a.svg><ul><li>3</li></ul></main></body></html>";
        assert_eq!(
            visible_lines(html.as_bytes()),
            ["A & B", "森町", "one two It's ✓'", "chart title", "3"]
        );
    }

    #[test]
    fn a_map_tile_is_its_label_and_a_legend_is_one_line() {
        let html = r#"<svg><title>地図</title><a href="p/hokkaido/" aria-label="北海道 11チーム"><rect/><text>北海道</text><text>11</text></a></svg><ul class="map-legend" data-line aria-label="地図の凡例"><li>チーム数</li><li>0</li><li>1～3</li></ul><p>後</p>"#;
        assert_eq!(
            visible_lines(html.as_bytes()),
            ["地図", "北海道 11チーム", "地図の凡例: チーム数 0 1～3", "後"]
        );
    }

    #[test]
    fn links_are_resolved_against_the_page_so_they_compare_across_pages() {
        let html = r#"<a href="../../cohorts/3/teams/">チーム一覧</a> <a class="x" href="https://e.jp/">外</a> <a href="./">この期</a>"#;
        assert_eq!(
            links(html.as_bytes(), "cohorts/2/index.html"),
            [
                ("チーム一覧".to_string(), "/cohorts/3/teams/".to_string()),
                ("外".to_string(), "https://e.jp/".to_string()),
                ("この期".to_string(), "/cohorts/2/".to_string()),
            ]
        );
        assert_eq!(resolve("", "cohorts/2/teams/"), "/cohorts/2/teams/");
        assert_eq!(resolve("reports/2", "../../"), "/");
    }

    #[test]
    fn figures_are_named_by_their_records_not_their_place_in_a_list() {
        let json = br#"{"cohorts":[{"number":2,"headline":{"members":278,"teams":97}}],"min_group_size":10}"#;
        assert_eq!(
            figures(json),
            [
                "cohorts[2].headline.members = 278",
                "cohorts[2].headline.teams = 97",
                "cohorts[2].number = 2",
                "min_group_size = 10"
            ]
        );
    }

    #[test]
    fn text_after_a_reference_is_never_cut_inside_a_character() {
        // `&amp;` then Japanese: twelve bytes from the `&` fall inside 「う」.
        assert_eq!(decode("&amp;あいうえお"), "&あいうえお");
        assert_eq!(decode("&あいうえお;"), "&あいうえお;");
    }

    #[test]
    fn unknown_or_broken_references_are_left_as_written() {
        assert_eq!(
            decode("a & b &unknown; &#xZZ; &#1114112;"),
            "a & b &unknown; &#xZZ; &#1114112;"
        );
        assert_eq!(decode("&lt;&gt;&quot;&#12354;"), "<>\"あ");
    }
}
