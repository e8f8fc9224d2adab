//! タイル地図 — Japan's 47 prefectures as equal tiles laid out roughly geographically, shaded by
//! the published team count, each tile a link to its prefecture page. The count is written on
//! every tile, so the shade never carries the number alone.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::charts::FONT;
use super::colors::{MAP_OUTLINE, MAP_SHADES};
use crate::model::reference::PREFECTURES;

/// (column, row) of each prefecture by JIS code order, on a 13 × 11 grid.
const TILES: [(u8, u8); 47] = [
    (12, 0), // 北海道
    (12, 2), // 青森
    (12, 3), // 岩手
    (12, 4), // 宮城
    (11, 3), // 秋田
    (11, 4), // 山形
    (12, 5), // 福島
    (12, 6), // 茨城
    (11, 5), // 栃木
    (10, 5), // 群馬
    (11, 6), // 埼玉
    (12, 7), // 千葉
    (11, 7), // 東京
    (10, 7), // 神奈川
    (10, 4), // 新潟
    (9, 4),  // 富山
    (8, 4),  // 石川
    (7, 5),  // 福井
    (10, 6), // 山梨
    (9, 5),  // 長野
    (8, 5),  // 岐阜
    (9, 6),  // 静岡
    (8, 6),  // 愛知
    (7, 6),  // 三重
    (6, 6),  // 滋賀
    (6, 5),  // 京都
    (5, 6),  // 大阪
    (5, 5),  // 兵庫
    (6, 7),  // 奈良
    (5, 7),  // 和歌山
    (4, 5),  // 鳥取
    (3, 5),  // 島根
    (4, 6),  // 岡山
    (3, 6),  // 広島
    (2, 6),  // 山口
    (4, 9),  // 徳島
    (4, 8),  // 香川
    (3, 8),  // 愛媛
    (3, 9),  // 高知
    (1, 7),  // 福岡
    (0, 7),  // 佐賀
    (0, 8),  // 長崎
    (1, 8),  // 熊本
    (2, 8),  // 大分
    (2, 9),  // 宮崎
    (1, 9),  // 鹿児島
    (0, 10), // 沖縄
];

const TILE: u32 = 56;
const GAP: u32 = 4;

/// `東京` for 東京都, `北海道` as it is.
pub(super) fn short_name(name: &str) -> &str {
    if name == "北海道" {
        return name;
    }
    name.strip_suffix(['県', '府', '都']).unwrap_or(name)
}

/// The shade (0..=4) of a count, with `step` teams per shade above zero.
fn shade(count: u32, step: u32) -> usize {
    if count == 0 {
        0
    } else {
        (((count - 1) / step) as usize + 1).min(MAP_SHADES.len() - 1)
    }
}

/// The legend's ranges, one per shade.
pub fn legend(step: u32) -> Vec<(String, usize)> {
    let mut v = vec![("0".to_string(), 0)];
    for i in 1..MAP_SHADES.len() as u32 {
        let lo = (i - 1) * step + 1;
        let hi = i * step;
        let label = if i as usize == MAP_SHADES.len() - 1 {
            format!("{lo}以上")
        } else if lo == hi {
            lo.to_string()
        } else {
            format!("{lo}～{hi}")
        };
        v.push((label, i as usize));
    }
    v
}

/// Teams per shade step, so the darkest shade starts near the largest count.
pub fn step_for(max: u32) -> u32 {
    max.div_ceil(MAP_SHADES.len() as u32 - 1).max(1)
}

/// The map as inline SVG; `counts` are team counts by prefecture code, links start at `root`.
pub fn tile_map(counts: &BTreeMap<u8, u32>, root: &str) -> String {
    let step = step_for(counts.values().copied().max().unwrap_or(0));
    let cols = 13;
    let rows = 11;
    let (w, h) = (cols * (TILE + GAP), rows * (TILE + GAP));
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"tile-map\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" aria-labelledby=\"tile-map-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"tile-map-title\">都道府県別の伴走支援チーム数（タイル地図）</title>"
    );
    for (pref, (col, row)) in PREFECTURES.iter().zip(TILES) {
        let n = counts.get(&pref.code).copied().unwrap_or(0);
        let (fill, text) = MAP_SHADES[shade(n, step)];
        let (x, y) = (u32::from(col) * (TILE + GAP), u32::from(row) * (TILE + GAP));
        // The accessible name begins with the visible text (WCAG 2.5.3): 「宮城 1チーム（宮城県）」.
        // No <title> inside the link: its text counts as the link's visible text, which would
        // then no longer be contained in the name.
        let short = short_name(pref.name);
        let label = if short == pref.name {
            format!("{short} {n}チーム")
        } else {
            format!("{short} {n}チーム（{}）", pref.name)
        };
        let _ = write!(
            s,
            "<a href=\"{root}prefectures/{slug}/\" aria-label=\"{label}\"><rect x=\"{x}\" y=\"{y}\" width=\"{TILE}\" height=\"{TILE}\" rx=\"4\" fill=\"{fill}\" stroke=\"{outline}\"/><text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" font-size=\"{fs}\" fill=\"{text}\" font-family=\"{FONT}\">{short}</text><text x=\"{cx}\" y=\"{cy}\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"{text}\" font-family=\"{FONT}\">{n}</text></a>",
            slug = pref.slug,
            fill = fill.hex(),
            outline = MAP_OUTLINE.hex(),
            cx = x + TILE / 2,
            ty = y + 23,
            cy = y + 44,
            fs = if short.chars().count() > 2 { 13 } else { 14 },
            text = text.hex(),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_do_not_overlap_and_fit_the_grid() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, t) in TILES.iter().enumerate() {
            assert!(t.0 < 13 && t.1 < 11);
            assert!(seen.insert(*t), "tile {i} overlaps");
        }
    }

    #[test]
    fn every_prefecture_is_a_link_with_its_count() {
        let counts = BTreeMap::from([(1u8, 11u32), (47, 2)]);
        let svg = tile_map(&counts, "./");
        assert_eq!(svg.matches("<a href=").count(), 47);
        assert!(svg.contains("<a href=\"./prefectures/hokkaido/\" aria-label=\"北海道 11チーム\">"));
        assert!(
            svg.contains("aria-label=\"宮城 0チーム（宮城県）\">"),
            "the name begins with the tile's text"
        );
        assert_eq!(
            svg.matches("<title").count(),
            1,
            "only the map has a title; a tile's would join its visible text"
        );
        assert!(svg.contains(">沖縄</text>") && svg.contains(">東京</text>") && svg.contains(">北海道</text>"));
    }

    #[test]
    fn shades_and_legend_follow_the_largest_count() {
        assert_eq!(step_for(11), 3);
        assert_eq!(shade(0, 3), 0);
        assert_eq!(shade(1, 3), 1);
        assert_eq!(shade(4, 3), 2);
        assert_eq!(shade(11, 3), 4);
        assert_eq!(
            legend(3).iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
            ["0", "1～3", "4～6", "7～9", "10以上"]
        );
        assert_eq!(
            legend(1).iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
            ["0", "1", "2", "3", "4以上"]
        );
    }
}
