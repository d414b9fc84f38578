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

use std::process::ExitCode;

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
