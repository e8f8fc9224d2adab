//! 配色 — chart and map colours, chosen so that neighbours and background differ by at least
//! 3:1 (WCAG 2.2 1.4.11) and text by at least 4.5:1; a fill too light for that gets an outline.

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#0017c1`
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

pub const BACKGROUND: Rgb = Rgb(0xff, 0xff, 0xff);
pub const TEXT: Rgb = Rgb(0x1a, 0x1a, 0x1a);
pub const TEXT_SUB: Rgb = Rgb(0x59, 0x59, 0x59);
/// デジタル庁 key colour.
pub const KEY: Rgb = Rgb(0x00, 0x17, 0xc1);

/// How a bar is painted: a fill, and an outline where the fill alone would not stand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BarPaint {
    pub fill: Rgb,
    pub outline: Option<Rgb>,
}

/// Series paints, used in turn: solid key blue, then light blue with a key-blue outline, so
/// that any two neighbouring bars differ by more than 3:1 and each stands out from the white.
pub const SERIES: [BarPaint; 2] = [
    BarPaint {
        fill: KEY,
        outline: None,
    },
    BarPaint {
        fill: Rgb(0xc5, 0xd7, 0xfb),
        outline: Some(KEY),
    },
];

/// The 未登録 bar: white with a grey outline, so it never looks like a recorded value.
pub const UNRECORDED: BarPaint = BarPaint {
    fill: BACKGROUND,
    outline: Some(TEXT_SUB),
};

/// Tile-map shades from none to most teams, each with its text colour.
pub const MAP_SHADES: [(Rgb, Rgb); 5] = [
    (BACKGROUND, TEXT),
    (Rgb(0xd9, 0xe6, 0xff), TEXT),
    (Rgb(0x9d, 0xb7, 0xf9), TEXT),
    (Rgb(0x26, 0x4a, 0xf4), BACKGROUND),
    (KEY, BACKGROUND),
];

/// The outline every map tile has (so even the white ones stand out from the page).
pub const MAP_OUTLINE: Rgb = Rgb(0x59, 0x59, 0x59);

#[cfg(test)]
mod tests {
    use super::*;

    fn visible(p: BarPaint) -> f64 {
        contrast(p.outline.unwrap_or(p.fill), BACKGROUND)
    }

    #[test]
    fn contrast_matches_known_values() {
        assert!((contrast(Rgb(0, 0, 0), BACKGROUND) - 21.0).abs() < 1e-9);
        assert!((contrast(Rgb(0x76, 0x76, 0x76), BACKGROUND) - 4.54).abs() < 0.01);
    }

    #[test]
    fn bars_stand_out_from_the_background_and_from_each_other() {
        for p in SERIES.iter().chain([&UNRECORDED]) {
            assert!(visible(*p) >= 3.0, "{p:?}");
        }
        assert!(contrast(SERIES[0].fill, SERIES[1].fill) >= 3.0);
    }

    #[test]
    fn map_text_is_readable_on_every_shade_and_tiles_are_outlined() {
        for (fill, text) in MAP_SHADES {
            assert!(contrast(fill, text) >= 4.5, "{} on {}", text.hex(), fill.hex());
        }
        assert!(contrast(MAP_OUTLINE, BACKGROUND) >= 3.0);
        assert!(contrast(TEXT_SUB, BACKGROUND) >= 4.5);
    }
}
