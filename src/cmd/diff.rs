//! `banso diff`: the site at two instants, rendered in memory and compared — what a release
//! will add, change and remove, and for each changed page the visible text that changes.

use serde::Serialize;

use super::{exit, fail};
use crate::cli::{DiffArgs, Format};
use crate::render::{Blob, Plan};
use crate::time::Instant;

/// One changed file: for pages and text data, the lines that go and come.
#[derive(Debug, Serialize)]
pub struct Changed {
    pub path: String,
    /// `page` (visible text of an HTML page), `chart` (an SVG's title and description), `rows`
    /// (CSV, JSON, XML, text) or `file` (others).
    pub kind: &'static str,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SiteDiff {
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub from: Instant,
    /// `None` when nothing is held after `from`: no later site to compare with.
    #[serde(serialize_with = "crate::time::rfc3339_opt")]
    pub to: Option<Instant>,
    pub added: Vec<String>,
    pub changed: Vec<Changed>,
    pub removed: Vec<String>,
}

pub fn run(args: &DiffArgs) -> i32 {
    let from = args.from.unwrap_or_else(Instant::now);
    let registry = match super::load_valid(&args.content) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(to) = args
        .to
        .or_else(|| crate::publish::publish(&registry, from, false).holdback.next_release())
    else {
        let nothing = SiteDiff {
            from,
            to: None,
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
        };
        return show(&nothing, args.format);
    };
    let theme = match crate::render::Theme::load(None) {
        Ok(t) => t,
        Err(e) => return fail(&e.into()),
    };
    let site = |as_of| {
        let opts = crate::SiteOptions {
            as_of,
            preview: false,
            base_url: None,
            // The search index is rebuilt from the pages; comparing its shards says nothing more.
            render: crate::render::Options {
                search: crate::render::Search::Off,
            },
        };
        crate::render_site(&registry, opts, &theme)
    };
    let (a, b) = match (site(from), site(to)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return fail(&e),
    };
    show(&compare(from, to, &a.plan, &b.plan), args.format)
}

fn show(d: &SiteDiff, format: Format) -> i32 {
    match format {
        Format::Text => {
            print!("{}", d.text());
            exit::OK
        }
        Format::Json => super::print_json(d),
    }
}

fn bytes(blob: &Blob) -> Vec<u8> {
    match blob {
        Blob::Bytes(b) => b.to_vec(),
        Blob::Copy(src) => std::fs::read(src).unwrap_or_default(),
    }
}

/// Compare two rendered sites file by file.
pub fn compare(from: Instant, to: Instant, a: &Plan, b: &Plan) -> SiteDiff {
    let (fa, fb) = (a.files(), b.files());
    let added = fb.keys().filter(|k| !fa.contains_key(*k)).cloned().collect();
    let removed = fa.keys().filter(|k| !fb.contains_key(*k)).cloned().collect();
    let changed = fb
        .iter()
        .filter_map(|(path, blob)| {
            let (old, new) = (bytes(fa.get(path)?), bytes(blob));
            (old != new).then(|| changed(path, &old, &new))
        })
        .collect();
    SiteDiff {
        from,
        to: Some(to),
        added,
        changed,
        removed,
    }
}

fn changed(path: &str, old: &[u8], new: &[u8]) -> Changed {
    let text_kind = [".csv", ".json", ".xml", ".txt"].iter().any(|e| path.ends_with(e));
    // A chart says all its numbers in its title and description: those two lines stand for it.
    let chart = |b: &[u8]| visible_lines(b).into_iter().take(2).collect::<Vec<_>>();
    let (kind, old_lines, new_lines) = if path.ends_with(".svg") {
        ("chart", chart(old), chart(new))
    } else if path.ends_with(".html") {
        ("page", visible_lines(old), visible_lines(new))
    } else if text_kind {
        let lines = |b: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(b)
                .trim_start_matches('\u{feff}')
                .lines()
                .map(str::to_string)
                .collect()
        };
        ("rows", lines(old), lines(new))
    } else {
        ("file", Vec::new(), Vec::new())
    };
    let (removed, added) = line_changes(&old_lines, &new_lines);
    Changed {
        path: path.to_string(),
        kind,
        removed,
        added,
    }
}

/// The lines only in `old` and the lines only in `new`, in order (a line diff).
fn line_changes(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let old: Vec<&str> = old.iter().map(String::as_str).collect();
    let new: Vec<&str> = new.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::configure().diff_slices(&old, &new);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => removed.push(change.value().to_string()),
            similar::ChangeTag::Insert => added.push(change.value().to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

/// What a reader sees of an HTML page, a line per block: the title, then the body without
/// scripts and styles; tags dropped, entities decoded, blank lines left out.
pub fn visible_lines(html: &[u8]) -> Vec<String> {
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
    let html = String::from_utf8_lossy(html);
    let mut out = String::new();
    let mut rest: &str = &html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |i| lt + i + 1);
        let tag = &rest[lt + 1..tag_end.saturating_sub(1).max(lt + 1)];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[tag_end..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
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

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let v = &tag[at..];
    let v = match v.chars().next()? {
        q @ ('"' | '\'') => v[1..].split(q).next()?,
        _ => v.split([' ', '>']).next()?,
    };
    Some(decode(v))
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

impl SiteDiff {
    /// The summary first, then each file: what the person who signs off reads.
    pub fn text(&self) -> String {
        let Some(to) = self.to else {
            return format!(
                "{} より後に公表されるものはありません（変わるものはありません）\n",
                self.from.display_ja()
            );
        };
        let mut s = format!(
            "{} → {}（日本時間）：追加 {}・変更 {}・削除 {} ファイル\n",
            self.from.display_ja(),
            to.display_ja(),
            self.added.len(),
            self.changed.len(),
            self.removed.len()
        );
        if self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty() {
            s.push_str("変わるものはありません\n");
            return s;
        }
        let list = |s: &mut String, what: &str, paths: &[String]| {
            if !paths.is_empty() {
                s.push_str(&format!("\n{what} {} ファイル\n", paths.len()));
                for p in paths {
                    s.push_str(&format!("  /{p}\n"));
                }
            }
        };
        list(&mut s, "追加", &self.added);
        list(&mut s, "削除", &self.removed);
        if !self.changed.is_empty() {
            s.push_str(&format!(
                "\n変更 {} ファイル（- 消える行、+ 現れる行）\n",
                self.changed.len()
            ));
        }
        for c in &self.changed {
            s.push_str(&format!("  /{}\n", c.path));
            for l in &c.removed {
                s.push_str(&format!("    - {l}\n"));
            }
            for l in &c.added {
                s.push_str(&format!("    + {l}\n"));
            }
            if c.removed.is_empty() && c.added.is_empty() {
                s.push_str("    （文字は変わらず、ファイルの中身が変わります）\n");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_lines_are_the_words_a_reader_sees() {
        let html = b"<html><head><title>A &amp; B</title><style>p{x:1}</style></head><body><main><h1>\xe6\xa3\xae\xe7\x94\xba</h1><p>one <a href=x>two</a></p><script>var s='<p>no</p>';</script><img alt=\"chart title\" src=a.svg><ul><li>3</li></ul></main></body></html>";
        assert_eq!(visible_lines(html), ["A & B", "森町", "one two", "chart title", "3"]);
    }

    #[test]
    fn line_changes_keep_order_and_leave_common_lines_out() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (removed, added) = line_changes(&v(&["a", "b", "c"]), &v(&["a", "x", "c", "d"]));
        assert_eq!(removed, ["b"]);
        assert_eq!(added, ["x", "d"]);
    }
}
