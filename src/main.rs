//! The `qari` command.

use clap::Parser;
use std::process::ExitCode;

/// A terminal reader for saved Arabic news articles.
#[derive(Parser, Debug)]
#[command(name = "qari", version, about)]
struct Cli {}

fn main() -> ExitCode {
    let _cli = Cli::parse();
    ExitCode::SUCCESS
}
