//! 文字コード — what a file's bytes are. Content files must be UTF-8; a roster exported from
//! Excel may also be Shift_JIS (CP932) or UTF-16. Both readers ask here, so a file is never
//! called one encoding by `check` and another by `import`.

use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// With a byte-order mark: Excel's 「Unicode テキスト」.
    Utf16,
    /// Shift_JIS as Windows writes it (CP932).
    ShiftJis,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16 => "UTF-16",
            Encoding::ShiftJis => "Shift_JIS",
        }
    }
}

/// The text `bytes` hold and its encoding: UTF-8 (a BOM is dropped), UTF-16 when it starts
/// with a byte-order mark, or else Shift_JIS. `None` when none of them reads the bytes.
pub fn decode(bytes: &[u8]) -> Option<(Cow<'_, str>, Encoding)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some((Cow::Borrowed(text), Encoding::Utf8));
    }
    for (bom, utf16) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = utf16.decode_without_bom_handling(rest);
            return (!had_errors).then_some((text, Encoding::Utf16));
        }
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    (!had_errors).then_some((text, Encoding::ShiftJis))
}

/// The line (from 1) holding the first byte that is not UTF-8, for pointing at it.
pub fn first_non_utf8_line(bytes: &[u8]) -> u32 {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes,
        Err(e) => &bytes[..e.valid_up_to()],
    };
    valid.iter().filter(|b| **b == b'\n').count() as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_encoding_is_told_apart() {
        // 森町 in each encoding, written out by hand from the code tables.
        let utf8 = "\u{FEFF}森町".as_bytes();
        let sjis = [0x90, 0x58, 0x92, 0xAC];
        let utf16le = [0xFF, 0xFE, 0xEE, 0x68, 0x3A, 0x75];
        assert_eq!(decode(utf8), Some((Cow::Borrowed("森町"), Encoding::Utf8)));
        assert_eq!(
            decode(&sjis).map(|(t, e)| (t.into_owned(), e)),
            Some(("森町".into(), Encoding::ShiftJis))
        );
        assert_eq!(
            decode(&utf16le).map(|(t, e)| (t.into_owned(), e)),
            Some(("森町".into(), Encoding::Utf16))
        );
        assert_eq!(decode(&[0x82, 0xFF]), None, "0x82 0xFF is not Shift_JIS");
    }

    #[test]
    fn the_line_of_the_first_bad_byte() {
        assert_eq!(first_non_utf8_line(b"a: 1\nb: 2\nc: \x90\x58\n"), 3);
        assert_eq!(first_non_utf8_line(b"\xEF\xBB\xBF\x90\x58"), 1);
    }
}
