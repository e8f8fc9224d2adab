//! A pause at a named point, for tests that must force a race (an edit while `release` stages,
//! a build that finishes after a release swapped) the same way on a loaded machine as on an idle
//! one. Nothing happens unless `BANSO_TEST_PAUSE_DIR` names a folder and `BANSO_TEST_PAUSE_AT`
//! lists the point (comma-separated).
//!
//! At a listed point the process writes `<point>.reached` into the folder and waits until the
//! test writes `<point>.go`; it then removes both and goes on. A point passed again pauses again.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The points a writer passes: after `release` has read the content it will stage
/// (`after-load`), after each restaging while it waits (`restaged`), before any swap
/// (`before-swap`).
pub fn pause(point: &str) {
    let Some(dir) = std::env::var_os("BANSO_TEST_PAUSE_DIR").map(PathBuf::from) else {
        return;
    };
    let listed = std::env::var("BANSO_TEST_PAUSE_AT").is_ok_and(|at| at.split(',').any(|p| p.trim() == point));
    if !listed {
        return;
    }
    let (reached, go) = (dir.join(format!("{point}.reached")), dir.join(format!("{point}.go")));
    if std::fs::write(&reached, b"").is_err() {
        return;
    }
    // A test that never answers does not hang the process for ever.
    let give_up = Instant::now() + Duration::from_secs(120);
    while !go.exists() && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = std::fs::remove_file(&go);
    let _ = std::fs::remove_file(&reached);
}
