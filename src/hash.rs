//! 128-bit content hashes (XXH3) for caches and fingerprints: fast and well spread, not meant
//! to resist an attacker (nothing here is security-relevant: a cache entry is only ever taken
//! for bytes banso made itself or checked against the file it names).

use std::hash::Hasher;

use xxhash_rust::xxh3::Xxh3;

/// A hash being computed; bytes go in through [`Hash128::bytes`] or `std::io::Write` (so a
/// serializer can write into it without building the text).
pub struct Hash128(Xxh3);

impl Default for Hash128 {
    fn default() -> Self {
        Hash128(Xxh3::new())
    }
}

impl Hash128 {
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(bytes);
        self
    }

    /// Writes `value` by its `Hash` (a derived one takes every field, in order, strings ended
    /// and sequences counted, so different values write different bytes).
    pub fn value(&mut self, value: &impl std::hash::Hash) -> &mut Self {
        struct Feed<'a>(&'a mut Hash128);
        impl Hasher for Feed<'_> {
            fn write(&mut self, bytes: &[u8]) {
                self.0.bytes(bytes);
            }
            fn finish(&self) -> u64 {
                self.0.finish() as u64
            }
        }
        value.hash(&mut Feed(self));
        self
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

impl std::io::Write for Hash128 {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Which banso is running: its version, what it was built from (`build.rs` names each build by
/// its sources, theme, data and locked dependencies) and the size and time of its program file.
/// What one banso kept on disk for the next build (search parts, pages) is taken back only by
/// the same banso, so a changed indexer or renderer never reuses an earlier one's output.
pub fn program() -> u128 {
    static PROGRAM: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    *PROGRAM.get_or_init(|| {
        let mut h = Hash128::default();
        h.bytes(env!("CARGO_PKG_VERSION").as_bytes()).bytes(&[0]);
        h.bytes(env!("BANSO_BUILD_ID").as_bytes()).bytes(&[0]);
        let program = std::env::current_exe().and_then(std::fs::metadata);
        if let Ok(meta) = program {
            h.bytes(&meta.len().to_le_bytes());
            if let Ok(t) = meta.modified().map(|t| t.duration_since(std::time::UNIX_EPOCH)) {
                h.bytes(&format!("{t:?}").into_bytes());
            }
        }
        h.finish()
    })
}

/// The hash of `bytes`.
pub fn of(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_of_the_bytes_not_of_how_they_were_fed() {
        let whole = of(b"<p>report</p>");
        assert_eq!(whole, Hash128::default().bytes(b"<p>rep").bytes(b"ort</p>").finish());
        assert_ne!(whole, of(b"<p>report</p>\n"));
        assert_ne!(of(b""), of(b"\0"));
    }
}
