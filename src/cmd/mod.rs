//! One module per subcommand. Each exposes `Args` (clap) and
//! `run(args) -> ExitCode`, printing a one-line message on stderr for bad
//! input instead of panicking.

pub mod entities;
pub mod list;
pub mod render;
pub mod show;
pub mod visual;
