//! The `qari` command: the reader by default, plus batch subcommands that
//! expose the core (render, show, list, entities) for scripts and tests.

mod cmd;

use clap::{Parser, Subcommand, ValueEnum};
use qari::article::Rules;
use qari::config::BidiMode;
use std::path::PathBuf;
use std::process::ExitCode;

/// A terminal reader for saved Arabic news articles.
#[derive(Parser, Debug)]
#[command(name = "qari", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A folder of articles or one article file. Default: $QARI_LIBRARY,
    /// else ./articles, else the built-in samples.
    path: Option<PathBuf>,
    /// Colour theme: auto (from the terminal's background), dark, light,
    /// terminal, high-contrast, mono, or a file name in
    /// ~/.config/qari/themes/ (without .toml).
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
    /// Who reorders right-to-left text: qari ("app", the default) or a
    /// terminal that always does it itself ("terminal").
    #[arg(long, value_enum, value_name = "MODE")]
    bidi: Option<BidiArg>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum BidiArg {
    App,
    Terminal,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lay out text (bidi, Arabic joining, wrapping) and print visual lines.
    Render(cmd::render::Args),
    /// Print the article model of one file (title, metadata, paragraphs).
    Show(cmd::show::Args),
    /// List the articles of a folder, newest first.
    List(cmd::list::Args),
    /// Search the articles of a folder (Arabic-aware, whole words, "phrases").
    Search(cmd::search::Args),
    /// List the named people, places and organizations of an article.
    Entities(cmd::entities::Args),
    /// Check the terminal: a test line in both bidi modes, what was
    /// detected, and which --bidi mode and settings to use.
    Doctor(cmd::doctor::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = cmd::Env::discover();
    match cli.command {
        None => {
            let (rules, rules_error) = Rules::for_dirs(env.home.as_ref());
            qari::ui::run(qari::reader::start::Request {
                path: cli.path,
                theme: cli.theme,
                bidi: cli.bidi.map(|b| match b {
                    BidiArg::App => BidiMode::App,
                    BidiArg::Terminal => BidiMode::Terminal,
                }),
                dirs: env.home,
                rules,
                rules_error,
            })
        }
        Some(Command::Render(args)) => cmd::render::run(args, &env),
        Some(Command::Show(args)) => cmd::show::run(args, &env),
        Some(Command::List(args)) => cmd::list::run(args, &env),
        Some(Command::Search(args)) => cmd::search::run(args, &env),
        Some(Command::Entities(args)) => cmd::entities::run(args, &env),
        Some(Command::Doctor(args)) => cmd::doctor::run(args),
    }
}
