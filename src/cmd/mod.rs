//! One module per subcommand. Each exposes `Args` (clap) and
//! `run(args) -> ExitCode`, printing a one-line message on stderr for bad
//! input instead of panicking.

pub mod doctor;
pub mod entities;
pub mod list;
pub mod render;
pub mod search;
pub mod show;
pub mod visual;

use qari::article::{Rules, RulesError};
use qari::store::Dirs;
use std::cell::OnceCell;
use std::process::ExitCode;

/// The user's setup, found once by `main` and handed to each command:
/// library code never looks up `~/.config` or `~/.cache` by itself.
pub struct Env {
    /// The user's XDG directories, `None` when no home directory is known.
    pub home: Option<Dirs>,
    /// Loaded on first use: `render --raw` and `doctor` never clean text.
    rules: OnceCell<(Rules, Option<RulesError>)>,
}

impl Env {
    /// From the environment (`$XDG_CONFIG_HOME`, `$HOME`, …).
    pub fn discover() -> Env {
        Env {
            home: Dirs::discover(),
            rules: OnceCell::new(),
        }
    }

    /// Where caches go: the user's, else a per-user temporary one that
    /// still makes the second run fast.
    pub fn dirs(&self) -> Dirs {
        self.home
            .clone()
            .unwrap_or_else(|| Dirs::under(&std::env::temp_dir().join("qari-no-home")))
    }

    fn loaded(&self) -> &(Rules, Option<RulesError>) {
        self.rules
            .get_or_init(|| Rules::for_dirs(self.home.as_ref()))
    }

    /// The cleaning rules: built-in plus the user's `cleaning.toml`.
    pub fn rules(&self) -> &Rules {
        &self.loaded().0
    }

    /// Why the user's `cleaning.toml` was ignored, if it was.
    pub fn rules_error(&self) -> Option<&RulesError> {
        self.loaded().1.as_ref()
    }

    /// Say on stderr that the user's cleaning rules were ignored.
    pub fn rules_warning(&self) {
        if let Some(e) = self.rules_error() {
            eprintln!("qari: {e}");
        }
    }
}

/// The exit code once a command's output is written: a closed pipe
/// (`qari show x | head`) is not an error worth a word; any other write
/// error is reported on stderr after `prefix`.
fn output_written(result: std::io::Result<()>, prefix: &str) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{prefix}: {e}");
            ExitCode::FAILURE
        }
    }
}
