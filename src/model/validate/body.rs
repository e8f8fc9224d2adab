//! Markdown bodies and attachments: every local link and image must resolve inside
//! content/assets/ (SPEC §2 "Asset references").

use std::collections::BTreeMap;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag};

use super::{Lookups, Validator};
use crate::diag::{Pos, closest};
use crate::links::{UNSAFE_SCHEMES, markdown_options, percent_decode, resolve, scheme};
use crate::load::de::Sp;
use crate::model::{AssetPath, Body};

fn strip_suffixes(dest: &str) -> &str {
    dest.split(['?', '#']).next().unwrap_or("")
}

/// Read a Markdown body: check its local links and images, record the assets they point to.
pub(super) fn body(v: &mut Validator, file: &Arc<str>, md: &str, first_line: u32, l: &Lookups) -> Option<Body> {
    let mut assets = BTreeMap::new();
    let mut ok = true;
    for (event, range) in Parser::new_ext(md, markdown_options()).into_offset_iter() {
        let (dest, is_image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
            _ => continue,
        };
        let pos = pos_in(md, first_line, range.start, &dest);
        if let Some(s) = scheme(&dest) {
            if UNSAFE_SCHEMES.contains(&s.as_str()) {
                v.warning(file, pos, format!("{s}: のリンクは安全のため出力しません"))
                    .help = Some("https:// のリンクか、assets/ のファイルへのリンクにしてください".into());
            }
            continue;
        }
        if dest.starts_with('#') || dest.starts_with('?') || dest.starts_with("//") || dest.is_empty() {
            continue;
        }
        let path = percent_decode(strip_suffixes(&dest));
        match resolve(file, &path) {
            Some(resolved) if resolved.starts_with("assets/") || is_image => {
                match lookup(v, file, pos, &dest, &resolved, l) {
                    Some(a) => {
                        assets.insert(dest.clone(), a);
                    }
                    None => ok = false,
                }
            }
            Some(_) => {}
            None => {
                v.error(file, pos, format!("リンク先「{dest}」が content/ の外を指しています"))
                    .help = Some("ファイルは content/assets/ に置き、/assets/… で参照してください".into());
                ok = false;
            }
        }
    }
    ok.then(|| Body {
        markdown: md.to_string(),
        assets,
    })
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
            v.error(
                file,
                dest.pos,
                format!("添付ファイル「{text}」は content/assets/ の中のファイルではありません"),
            )
            .help = Some("ファイルを content/assets/ に置き、/assets/2/資料.pdf のように書いてください".into());
            None
        }
    }
}

fn lookup(v: &mut Validator, file: &Arc<str>, pos: Pos, dest: &str, resolved: &str, l: &Lookups) -> Option<AssetPath> {
    let Some(rel) = resolved.strip_prefix("assets/") else {
        v.error(
            file,
            pos,
            format!("「{dest}」は content/assets/ の中のファイルではありません"),
        )
        .help = Some("画像や添付ファイルは content/assets/ に置いてください".into());
        return None;
    };
    let key = AssetPath(rel.to_string());
    let Some(asset) = l.assets.get(&key) else {
        let d = v.error(
            file,
            pos,
            format!("ファイル「{dest}」（content/{resolved}）がありません"),
        );
        d.label = closest(rel, l.assets.keys().map(|a| a.0.as_str())).map(|s| format!("もしかして: /assets/{s}"));
        d.help = Some("ファイル名と置き場所を確認してください".into());
        return None;
    };
    let inside = match (
        std::fs::canonicalize(&asset.source),
        std::fs::canonicalize(l.root.join("assets")),
    ) {
        (Ok(real), Ok(root)) => real.starts_with(root),
        _ => false,
    };
    if !inside {
        v.error(
            file,
            pos,
            format!("「{dest}」は content/assets/ の外を指すリンク（シンボリックリンク）です"),
        )
        .help = Some("ファイルそのものを content/assets/ に置いてください".into());
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
    fn positions_inside_the_body() {
        let md = "一行目\n\n[資料](/assets/x.pdf)\n";
        let start = md.find('[').unwrap();
        assert_eq!(pos_in(md, 5, start, "/assets/x.pdf"), Pos::new(7, 6, 13));
    }
}
