//! The `banso` binary: parse arguments, run a subcommand, exit with its status.

use clap::Parser;

use banso::cli::{Cli, Command, ImportCommand};
use banso::cmd;

/// Rendering and indexing allocate many short-lived strings on every core; mimalloc keeps that
/// from contending on the system allocator's locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Holdback(a) => cmd::holdback::run(a),
        Command::Import(ImportCommand::Teams(a)) => cmd::import::run_teams(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Diff(a) => cmd::diff::run(a),
        Command::Release(a) => cmd::release::run(a),
        Command::ReadWorkbook(a) => banso::import::workbook::child_main(a.sheet.as_deref()),
    };
    std::process::exit(code);
}
