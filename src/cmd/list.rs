//! `qari list [DIR] [--json]`: the articles of a folder, newest first.

use super::visual::Visual;
use qari::article::Library;
use qari::text::sanitize_line;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to list (scanned recursively).
    #[arg(default_value = "articles")]
    pub dir: PathBuf,
    /// Print a JSON array of `{path, title, date, section, words}`.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, env: &super::Env) -> ExitCode {
    env.rules_warning();
    if !args.dir.is_dir() {
        eprintln!(
            "qari: {}: not a folder",
            sanitize_line(&args.dir.display().to_string())
        );
        return ExitCode::FAILURE;
    }
    let (library, notes) = Library::open(&args.dir, &env.dirs(), env.rules());
    for n in &notes {
        eprintln!("qari: {n}");
    }
    // Stdout is line-buffered; a listing of thousands of lines should not
    // cost a write call each.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = if args.json {
        match super::show::json_text(&library.entries, "the list") {
            Ok(j) => writeln!(out, "{j}").and_then(|()| out.flush()),
            Err(code) => return code,
        }
    } else {
        let visual = Visual::for_stdout();
        (|| {
            for e in &library.entries {
                let date = e.date.as_deref().unwrap_or("----------");
                let section = e.section.as_deref().unwrap_or("-");
                let path = e.path.display().to_string();
                if visual.is_visual() {
                    // A table for people: fixed columns, titles laid out.
                    writeln!(
                        out,
                        "{date}  {}  {}  {}",
                        visual.cell(section, 12),
                        visual.cell(&e.title, 56),
                        sanitize_line(&path),
                    )?;
                } else {
                    // Tab-separated, logical order: for cut, sort and awk.
                    writeln!(
                        out,
                        "{date}\t{}\t{}\t{}",
                        sanitize_line(section),
                        sanitize_line(&e.title),
                        sanitize_line(&path),
                    )?;
                }
            }
            out.flush()
        })()
    };
    super::output_written(result, "qari")
}
