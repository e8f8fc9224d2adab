//! Names this build of banso by what it is made from (its sources, built-in theme and data, and
//! the locked dependencies), so that what one banso keeps on disk for its next build (search
//! parts, the pages' manifest) is never taken back by a banso built from other sources, even of
//! the same version, size and file time (`src/hash.rs`, `program`).

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

const INPUTS: [&str; 5] = ["src", "themes", "data", "Cargo.toml", "Cargo.lock"];

fn main() {
    let mut files = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        collect(Path::new(input), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        h.write(file.to_string_lossy().as_bytes());
        h.write_u8(0);
        h.write_usize(bytes.len());
        h.write(&bytes);
    }
    println!("cargo:rustc-env=BANSO_BUILD_ID={:016x}", h.finish());
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
        Err(_) if path.is_file() => out.push(path.to_path_buf()),
        Err(_) => {}
    }
}
