//! The `qari` command: the reader by default, plus batch subcommands that
//! expose the core (render, show, list, entities) for scripts and tests.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// A terminal reader for saved Arabic news articles.
#[derive(Parser, Debug)]
#[command(name = "qari", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the article model of one file (title, metadata, paragraphs).
    Show(cmd::show::Args),
    /// List the articles of a folder, newest first.
    List(cmd::list::Args),
    /// List the named people, places and organizations of an article.
    Entities(cmd::entities::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => ExitCode::SUCCESS,
        Some(Command::Show(args)) => cmd::show::run(args),
        Some(Command::List(args)) => cmd::list::run(args),
        Some(Command::Entities(args)) => cmd::entities::run(args),
    }
}
