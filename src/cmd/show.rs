//! `qari show FILE [--json]`: the article model of one file.

use super::visual::Visual;
use qari::article::{self, ParagraphKind};
use qari::text::sanitize_line;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The article file (.txt, .md, .html/.htm, .json).
    pub file: PathBuf,
    /// Print the whole model as JSON, `removed` lines included.
    #[arg(long)]
    pub json: bool,
}

/// JSON text is safe to print once the C1 controls (which serde_json writes
/// raw) and the bidi formatting characters are escaped too; C0 controls are
/// already escaped by serde_json. Only string contents can hold them, where
/// `\uXXXX` means the same character.
pub fn terminal_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if qari::text::is_stripped_control(c) && c != '\n' || qari::text::is_bidi_format(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `value` as pretty JSON made terminal-safe, for `--json`. Serializing
/// cannot fail on qari's own types; if it ever does, the message is printed
/// and the exit code returned.
pub fn json_text(value: &impl serde::Serialize, what: &str) -> Result<String, ExitCode> {
    match serde_json::to_string_pretty(value) {
        Ok(j) => Ok(terminal_safe_json(&j)),
        Err(e) => {
            eprintln!("qari: cannot write {what} as JSON: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

pub fn run(args: Args, env: &super::Env) -> ExitCode {
    env.rules_warning();
    let imported = match article::open_named(&args.file, env.rules()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("qari: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &imported.warnings {
        eprintln!(
            "qari: {}: {}",
            sanitize_line(&args.file.display().to_string()),
            sanitize_line(w)
        );
    }
    let a = &imported.article;
    // Stdout is line-buffered; a listing of thousands of lines should not
    // cost a write call each.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = if args.json {
        match json_text(a, "the article") {
            Ok(j) => writeln!(out, "{j}").and_then(|()| out.flush()),
            Err(code) => return code,
        }
    } else {
        write_plain(&mut out, a, imported.encoding).and_then(|()| out.flush())
    };
    super::output_written(result, "qari")
}

fn write_plain(out: &mut impl Write, a: &article::Article, encoding: &str) -> std::io::Result<()> {
    let visual = Visual::for_stdout();
    let mut print = |text: &str| -> std::io::Result<()> {
        for line in visual.paragraph(text) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    };
    print(&a.title)?;
    let fields = [
        ("date", &a.date),
        ("section", &a.section),
        ("source", &a.source),
        ("byline", &a.byline),
        ("url", &a.url),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            print(&format!("{name}: {v}"))?;
        }
    }
    if encoding != "UTF-8" {
        print(&format!("encoding: {encoding}"))?;
    }
    for p in &a.paragraphs {
        print("")?;
        let text = &p.text;
        match p.kind {
            ParagraphKind::Body => print(text)?,
            ParagraphKind::Heading => print(&format!("## {text}"))?,
            ParagraphKind::Quote => print(&format!("> {text}"))?,
            ParagraphKind::Caption => print(&format!("[caption] {text}"))?,
        }
    }
    if !a.removed.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "({} line(s) removed by the cleaner; `qari show --json` lists them)",
            a.removed.len()
        )?;
    }
    Ok(())
}
