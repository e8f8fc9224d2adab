//! Link destinations in Markdown as written: schemes, percent-decoding, resolution inside
//! content/ (what a site link then points at is the parent module's [`super::classify`]).
//! Shared by validation (which checks them) and rendering (which rewrites them).

/// The Markdown extensions banso renders (render uses the same set).
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES | O::ENABLE_FOOTNOTES | O::ENABLE_STRIKETHROUGH
}

/// Schemes whose links are removed from the output.
pub const UNSAFE_SCHEMES: [&str; 4] = ["javascript", "vbscript", "data", "file"];

/// The URL scheme of a link destination (`https`, `mailto`, …), lower-cased.
pub fn scheme(dest: &str) -> Option<String> {
    // Browsers ignore leading spaces and control characters before a scheme.
    let dest = dest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    let colon = dest.find(':')?;
    let s = &dest[..colon];
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    (first_ok && cleaned.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| cleaned.to_ascii_lowercase())
}

/// `%E8%B3%87` → `資`; invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Resolve `dest` (without query or fragment) against the Markdown file `md_file`, both relative
/// to content/. `None` when it climbs out of content/.
pub fn resolve(md_file: &str, dest: &str) -> Option<String> {
    let mut parts: Vec<&str> = if dest.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = md_file.split('/').collect();
        p.pop();
        p
    };
    for seg in dest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_root_paths() {
        let md = "cohorts/2/reports/mori.md";
        assert_eq!(resolve(md, "/assets/2/a.pdf").as_deref(), Some("assets/2/a.pdf"));
        assert_eq!(
            resolve(md, "../../../assets/2/a.pdf").as_deref(),
            Some("assets/2/a.pdf")
        );
        assert_eq!(resolve(md, "img.png").as_deref(), Some("cohorts/2/reports/img.png"));
        assert_eq!(resolve(md, "../../../../etc/passwd"), None);
        assert_eq!(resolve("pages/about.md", "/assets/../../x"), None);
    }

    #[test]
    fn schemes_are_recognised_even_when_disguised() {
        assert_eq!(scheme("https://example.jp/").as_deref(), Some("https"));
        assert_eq!(scheme("JaVaScRiPt:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(scheme("java\tscript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(scheme("/assets/a:b.pdf"), None);
        assert_eq!(scheme("資料.pdf"), None);
        assert_eq!(scheme(" \u{1}javascript:alert(1)").as_deref(), Some("javascript"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%E8%B3%87%E6%96%99.pdf"), "資料.pdf");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
