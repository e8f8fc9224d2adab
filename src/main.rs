//! The `banso` binary: parse arguments, run a subcommand, exit with its status.

use clap::Parser;

use banso::cli::{Cli, Command, ImportCommand};
use banso::cmd;

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Holdback(a) => cmd::holdback::run(a),
        Command::Import(ImportCommand::Teams(a)) => cmd::import::run_teams(a),
        Command::Serve(a) => cmd::serve::run(a),
    };
    std::process::exit(code);
}
