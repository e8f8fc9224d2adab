//! Phase timing for profiling a build: a leaf module any phase may call.

/// With `BANSO_TIMINGS` set, print how long a phase took to stderr (for profiling builds).
pub fn timed<T>(phase: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("BANSO_TIMINGS").is_none() {
        return f();
    }
    let started = std::time::Instant::now();
    let out = f();
    eprintln!("timing {phase}: {:.3}s", started.elapsed().as_secs_f64());
    out
}
