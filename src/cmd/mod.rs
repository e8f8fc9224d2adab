//! Subcommands: glue between the command line and the library. Only this layer reads the
//! clock, prints, and chooses exit codes.

pub mod build;
pub mod check;
pub mod diff;
pub mod holdback;
pub mod import;
pub mod release;
mod report;
pub mod serve;

use crate::diag::Diagnostics;

/// Exit statuses of SPEC §1.
pub mod exit {
    pub const OK: i32 = 0;
    pub const INVALID: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const FAILURE: i32 = 3;
}

/// Whether stderr is a terminal that wants colour (and `NO_COLOR` is not set).
pub fn color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Print diagnostics (if any) to stderr.
pub fn print_diagnostics(diags: &Diagnostics) {
    if diags.error_count() + diags.warning_count() > 0 {
        eprint!("{}", diags.render_styled(color()));
    }
}

/// Load and validate `content`, printing every diagnostic; on failure, the exit status.
pub fn load_valid(content: &std::path::Path) -> Result<crate::model::Registry, i32> {
    let mut diags = Diagnostics::new();
    let registry = crate::load_registry(content, &mut diags);
    print_diagnostics(&diags);
    let registry = registry.map_err(|e| fail(&e))?;
    if diags.has_errors() {
        return Err(exit::INVALID);
    }
    Ok(registry)
}

/// Print `value` as pretty JSON on stdout; the exit status.
pub fn print_json(value: &impl serde::Serialize) -> i32 {
    match serde_json::to_string_pretty(value) {
        Ok(json) => {
            println!("{json}");
            exit::OK
        }
        Err(e) => {
            eprintln!("エラー: JSON を作れません: {e}");
            exit::FAILURE
        }
    }
}

/// Print an operational error and return its exit status.
pub fn fail(e: &crate::Error) -> i32 {
    eprintln!("エラー: {e}");
    match e {
        crate::Error::Output(crate::output::OutputError::PreviewIntoPublic(_)) => exit::USAGE,
        _ => exit::FAILURE,
    }
}
