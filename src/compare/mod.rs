//! 公表前の確認 — two renderings of the site compared, as `banso diff` shows them for sign-off
//! and `release` counts them (SPEC §3 "Release").
//!
//! What a signer reads first is what becomes public, in the records' terms ([`public`]); then
//! the files: added and removed, and for each changed file what changes in the words a reader
//! sees. A page whose words stay the same and whose links point elsewhere (every page's menu
//! moving to the new cohort's list) is said as such, and the pages changing the same links are
//! one entry; a data file's rows come under its header; summary.json as named figures; the
//! prefecture map as 「北海道 11チーム」.

pub mod public;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::render::{Blob, Plan};
use crate::time::Instant;
pub use public::{Place, Public, PublicTeam, newly_public};

/// One changed file: the lines that go and come.
#[derive(Debug, Serialize)]
pub struct Changed {
    pub path: String,
    /// `page` (visible text of an HTML page), `links` (a page whose text is the same and whose
    /// link targets change), `chart` (an SVG's title and description), `rows` (CSV and text),
    /// `figures` (JSON, as named figures) or `file` (others).
    pub kind: &'static str,
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// For `links`: each link whose target changes, as (its words, old target, new target).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<(String, String, String)>,
    /// For `rows`: the file's header row, under which its rows are shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// Lines replaced one for one (「北海道 0チーム」 → 「北海道 11チーム」): also in `removed` and
    /// `added`, said as pairs in the text.
    #[serde(skip)]
    pairs: Vec<(String, String)>,
}

/// Two sites compared.
#[derive(Debug, Serialize)]
pub struct SiteDiff {
    #[serde(serialize_with = "crate::time::rfc3339")]
    pub from: Instant,
    /// `None` when nothing is held after `from`: no later site to compare with.
    #[serde(serialize_with = "crate::time::rfc3339_opt")]
    pub to: Option<Instant>,
    /// What becomes public between the two instants.
    pub public: Public,
    pub added: Vec<String>,
    pub changed: Vec<Changed>,
    pub removed: Vec<String>,
}

fn bytes(blob: &Blob) -> Vec<u8> {
    match blob {
        Blob::Bytes(b) => b.to_vec(),
        Blob::Copy(src) => std::fs::read(src).unwrap_or_default(),
    }
}

/// Compare two rendered sites file by file; `public` is what becomes public between them.
pub fn compare(from: Instant, to: Instant, a: &Plan, b: &Plan, public: Public) -> SiteDiff {
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
        public,
        added,
        changed,
        removed,
    }
}

fn changed(path: &str, old: &[u8], new: &[u8]) -> Changed {
    let mut c = Changed {
        path: path.to_string(),
        kind: "file",
        removed: Vec::new(),
        added: Vec::new(),
        links: Vec::new(),
        header: None,
        pairs: Vec::new(),
    };
    let (old_lines, new_lines) = if path.ends_with(".svg") {
        // A chart says all its numbers in its title and description: those two lines stand for it.
        c.kind = "chart";
        let chart = |b: &[u8]| text::visible_lines(b).into_iter().take(2).collect::<Vec<_>>();
        (chart(old), chart(new))
    } else if path.ends_with(".html") {
        let (old_lines, new_lines) = (text::visible_lines(old), text::visible_lines(new));
        c.kind = "page";
        c.links = moved_links(&text::links(old, path), &text::links(new, path));
        if old_lines == new_lines && !c.links.is_empty() {
            c.kind = "links";
        }
        (old_lines, new_lines)
    } else if path.ends_with(".json") {
        c.kind = "figures";
        (text::figures(old), text::figures(new))
    } else if [".csv", ".xml", ".txt"].iter().any(|e| path.ends_with(e)) {
        c.kind = "rows";
        let (old_rows, new_rows) = (text::rows(old), text::rows(new));
        if path.ends_with(".csv") {
            c.header = new_rows.first().or(old_rows.first()).cloned();
        }
        (old_rows, new_rows)
    } else {
        (Vec::new(), Vec::new())
    };
    (c.removed, c.added, c.pairs) = line_changes(&old_lines, &new_lines);
    c
}

/// Links whose words stay and whose target changes, as (words, old target, new target), each
/// once: a link is matched with the link of the same words (the n-th with the n-th), so a menu
/// that gains an item still shows which of its links moved.
fn moved_links(old: &[(String, String)], new: &[(String, String)]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (words, target) in new {
        let n = seen.entry(words).or_default();
        let before = old.iter().filter(|(w, _)| w == words).nth(*n);
        *n += 1;
        if let Some((_, was)) = before.filter(|(_, was)| was != target) {
            let moved = (words.clone(), was.clone(), target.clone());
            if !out.contains(&moved) {
                out.push(moved);
            }
        }
    }
    out
}

/// The lines only in `old` and the lines only in `new`, in order (a line diff), and the lines
/// replaced one for one (a run of n lines replaced by n lines).
fn line_changes(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>, Vec<(String, String)>) {
    let old_s: Vec<&str> = old.iter().map(String::as_str).collect();
    let new_s: Vec<&str> = new.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::configure().diff_slices(&old_s, &new_s);
    let (mut removed, mut added, mut pairs) = (Vec::new(), Vec::new(), Vec::new());
    for op in diff.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        removed.extend(old[o.clone()].iter().cloned());
        added.extend(new[n.clone()].iter().cloned());
        if tag == similar::DiffTag::Replace && o.len() == n.len() {
            pairs.extend(old[o].iter().cloned().zip(new[n].iter().cloned()));
        }
    }
    (removed, added, pairs)
}

/// Pages listed by name in a summary before 「ほか N ページ」 (all of them with `--full`).
const SHOWN: usize = 5;
/// Lines of one file's change shown before 「ほか N 行」 (all with `--full`).
const LINES_SHOWN: usize = 30;

/// A file's change as the lines a person reads: `旧 → 新` for lines replaced one for one,
/// `- ` and `+ ` for the others. Figures (summary.json) of a record that is wholly new are one
/// line 「+ cohorts[第3期]（新しく加わる数値 N 項目）」 unless `full`.
fn change_lines(c: &Changed, full: bool) -> Vec<String> {
    let paired_old: Vec<&String> = c.pairs.iter().map(|p| &p.0).collect();
    let paired_new: Vec<&String> = c.pairs.iter().map(|p| &p.1).collect();
    let mut out: Vec<String> = Vec::new();
    if c.kind == "page" {
        out.extend(
            c.links
                .iter()
                .map(|(w, a, b)| format!("リンク「{w}」の行き先 {a} → {b}")),
        );
    }
    out.extend(c.pairs.iter().map(|(a, b)| format!("{a} → {b}")));
    let removed: Vec<&String> = c.removed.iter().filter(|l| !paired_old.contains(l)).collect();
    let added: Vec<&String> = c.added.iter().filter(|l| !paired_new.contains(l)).collect();
    out.extend(removed.iter().map(|l| format!("- {l}")));
    if c.kind == "figures" && !full {
        let record = |l: &str| {
            l.find(']').map_or_else(
                || l.split(" = ").next().unwrap_or(l).to_string(),
                |i| l[..=i].to_string(),
            )
        };
        let old_records: Vec<String> = c.removed.iter().map(|l| record(l)).collect();
        let mut new_records: Vec<(String, usize)> = Vec::new();
        for l in &added {
            let r = record(l);
            if old_records.contains(&r) {
                out.push(format!("+ {l}"));
            } else {
                match new_records.iter_mut().find(|(x, _)| *x == r) {
                    Some((_, n)) => *n += 1,
                    None => new_records.push((r, 1)),
                }
            }
        }
        out.extend(
            new_records
                .into_iter()
                .map(|(r, n)| format!("+ {r}（新しく加わる数値 {n} 項目）")),
        );
    } else {
        out.extend(added.iter().map(|l| format!("+ {l}")));
    }
    out
}

/// Whether two files change the same way (the same lines go and come).
fn same_change(a: &Changed, b: &Changed) -> bool {
    a.kind == b.kind && a.header == b.header && a.removed == b.removed && a.added == b.added && a.links == b.links
}

/// `/a/ /b/ … ほか N ページ（すべては --full）`
fn page_names(paths: &[&str], full: bool) -> String {
    let shown = if full { paths.len() } else { paths.len().min(SHOWN) };
    let names: Vec<String> = paths[..shown].iter().map(|p| format!("/{p}")).collect();
    let more = if shown < paths.len() {
        format!(" ほか {} ファイル（すべては --full）", paths.len() - shown)
    } else {
        String::new()
    };
    format!("{}{more}", names.join(" "))
}

impl SiteDiff {
    /// Nothing to compare with (nothing held after `from`).
    pub fn nothing_after(from: Instant) -> SiteDiff {
        SiteDiff {
            from,
            to: None,
            public: Public::default(),
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
        }
    }

    /// What the person who signs off reads: the counts, what becomes public, then each file
    /// (with `full`, every page of a group and every line).
    pub fn text(&self, full: bool) -> String {
        let Some(to) = self.to else {
            return format!(
                "{} より後に公表されるものはありません（変わるものはありません）\n",
                self.from.display_ja()
            );
        };
        let mut s = format!(
            "{} → {}（日本時間）：追加 {}・変更 {}・削除 {} ファイル（検索の索引は含みません）\n",
            self.from.display_ja(),
            to.display_ja(),
            self.added.len(),
            self.changed.len(),
            self.removed.len()
        );
        s.push_str(&public_text(&self.public));
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
        self.link_groups_text(&mut s, full);
        // Files changing the same lines (every page's menu gaining an item) are one entry.
        let mut groups: Vec<(&Changed, Vec<&str>)> = Vec::new();
        for c in self.changed.iter().filter(|c| c.kind != "links") {
            match groups.iter_mut().find(|(first, _)| same_change(first, c)) {
                Some((_, paths)) => paths.push(&c.path),
                None => groups.push((c, vec![&c.path])),
            }
        }
        if !groups.is_empty() {
            let files: usize = groups.iter().map(|(_, p)| p.len()).sum();
            s.push_str(&format!("\n変更 {files} ファイル（- 消える行、+ 現れる行）\n"));
        }
        for (c, paths) in groups {
            if paths.len() == 1 {
                s.push_str(&format!("  /{}{}\n", c.path, kind_note(c.kind)));
            } else {
                s.push_str(&format!(
                    "  {} ファイルで同じ変更: {}\n",
                    paths.len(),
                    page_names(&paths, full)
                ));
            }
            if let Some(h) = &c.header {
                s.push_str(&format!("    列: {h}\n"));
            }
            let limit = if full { usize::MAX } else { LINES_SHOWN };
            let lines = change_lines(c, full);
            let total = lines.len();
            for l in lines.iter().take(limit) {
                s.push_str(&format!("    {l}\n"));
            }
            if total > limit {
                s.push_str(&format!("    …ほか {} 行（すべては --full）\n", total - limit));
            }
            if total == 0 {
                let why = match c.kind {
                    "page" => "文字は変わらず、リンクの数か、ページの作りが変わります",
                    _ => "文字は変わらず、ファイルの中身が変わります",
                };
                s.push_str(&format!("    （{why}）\n"));
            }
        }
        s
    }

    /// Pages whose only change is where links point, grouped by the links that change.
    fn link_groups_text(&self, s: &mut String, full: bool) {
        let mut groups: BTreeMap<&[(String, String, String)], Vec<&str>> = BTreeMap::new();
        for c in self.changed.iter().filter(|c| c.kind == "links") {
            groups.entry(&c.links).or_default().push(&c.path);
        }
        if groups.is_empty() {
            return;
        }
        let pages: usize = groups.values().map(Vec::len).sum();
        s.push_str(&format!(
            "\nリンク先だけが変わるページ {pages} ファイル（文字は変わりません）\n"
        ));
        for (links, paths) in groups {
            for (words, old, new) in links {
                s.push_str(&format!("  「{words}」 {old} → {new}\n"));
            }
            s.push_str(&format!("    {} ファイル: {}\n", paths.len(), page_names(&paths, full)));
        }
    }
}

fn kind_note(kind: &str) -> &'static str {
    match kind {
        "rows" => "（データ）",
        "figures" => "（数値）",
        "chart" => "（図）",
        _ => "",
    }
}

/// The first block of the sign-off: what becomes public, each kind with its count and names
/// (teams and towns a line per prefecture, as the official list groups them).
pub fn public_text(p: &Public) -> String {
    let mut s = String::from("\n公表されるもの\n");
    if p.is_empty() {
        s.push_str("  なし（公表される記録はありません）\n");
        return s;
    }
    let line = |s: &mut String, what: &str, unit: &str, names: &[String]| {
        if names.is_empty() {
            s.push_str(&format!("  {what} 0{unit}\n"));
        } else {
            s.push_str(&format!("  {what} {}{unit}: {}\n", names.len(), names.join("、")));
        }
    };
    line(&mut s, "期", "", &p.cohorts);
    s.push_str(&format!("  チーム {}\n", p.teams.len()));
    for (pref, teams) in by_prefecture(&p.teams, |t| &t.place) {
        let names: Vec<String> = teams
            .iter()
            .map(|t| format!("{}チーム{} {}", t.cohort, t.number, t.place.name))
            .collect();
        s.push_str(&format!("    {pref}: {}\n", names.join("、")));
    }
    let named = if p.member_names.is_empty() {
        "（氏名の公表はありません）".to_string()
    } else {
        format!("（うち氏名 {}名: {}）", p.member_names.len(), p.member_names.join("、"))
    };
    s.push_str(&format!("  支援官 {}名{named}\n", p.members));
    s.push_str(&format!("  市町村のページ {}\n", p.municipalities.len()));
    for (pref, places) in by_prefecture(&p.municipalities, |m| m) {
        let names: Vec<&str> = places.iter().map(|m| m.name.as_str()).collect();
        s.push_str(&format!("    {pref}: {}\n", names.join("、")));
    }
    line(&mut s, "報告", "件", &p.reports);
    line(&mut s, "ページ", "", &p.pages);
    if !p.programs.is_empty() {
        line(&mut s, "関連する伴走支援", "", &p.programs);
    }
    s
}

/// `items` grouped by their place's prefecture, prefectures in the order they first appear.
fn by_prefecture<T>(items: &[T], place: impl Fn(&T) -> &Place) -> Vec<(&'static str, Vec<&T>)> {
    let mut groups: Vec<(&'static str, Vec<&T>)> = Vec::new();
    for item in items {
        let pref = place(item).prefecture;
        match groups.iter_mut().find(|(p, _)| *p == pref) {
            Some((_, v)) => v.push(item),
            None => groups.push((pref, vec![item])),
        }
    }
    groups
}
