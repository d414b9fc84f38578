//! `qari entities FILE [--json] [--raw]`: the named people, places and
//! organizations of an article, as a table or as JSON.

use clap::Args as ClapArgs;
use qari::entities::{Entity, EntityKind, Recognizer, UserEntities};
use qari::store::Dirs;
use qari::text::sanitize_line;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The article file.
    pub file: PathBuf,
    /// Print the entities as JSON (text, kind, count, mentions with
    /// paragraph and byte offsets).
    #[arg(long)]
    pub json: bool,
    /// Every line of the file is one paragraph, with no cleaning.
    #[arg(long)]
    pub raw: bool,
}

/// The paragraphs of the file. With `raw`, every line is a paragraph;
/// otherwise paragraphs are separated by blank lines and their lines joined.
// Interim reader until `qari::article::open` lands on main: UTF-8 text only.
fn paragraphs(path: &Path, raw: bool) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    if raw {
        return Ok(text
            .lines()
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect());
    }
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    Ok(out)
}

fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Place => "place",
        EntityKind::Org => "org",
    }
}

/// Pad `s` with spaces to `width` terminal columns.
fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn table(entities: &[Entity]) -> String {
    let names: Vec<String> = entities
        .iter()
        .map(|e| sanitize_line(&e.text).into_owned())
        .collect();
    let name_width = names
        .iter()
        .map(|n| UnicodeWidthStr::width(n.as_str()))
        .chain([4])
        .max()
        .unwrap_or(4);
    let mut out = format!(
        "{}  {}  count  first\n",
        pad("kind", 6),
        pad("name", name_width)
    );
    for (e, name) in entities.iter().zip(&names) {
        let first = e.mentions.first().map_or(0, |m| m.paragraph + 1);
        out.push_str(&format!(
            "{}  {}  {:>5}  ¶{first}\n",
            pad(kind_label(e.kind), 6),
            pad(name, name_width),
            e.count
        ));
    }
    out
}

pub fn run(args: Args) -> ExitCode {
    let shown = sanitize_line(&args.file.to_string_lossy()).into_owned();
    let paragraphs = match paragraphs(&args.file, args.raw) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("qari entities: {shown}: {}", sanitize_line(&e));
            return ExitCode::FAILURE;
        }
    };
    let user = match Dirs::discover() {
        Some(dirs) => {
            let (user, error) = UserEntities::load_or_default(&dirs);
            if let Some(e) = error {
                eprintln!("qari entities: warning: {e} (user entities ignored)");
            }
            user
        }
        None => UserEntities::default(),
    };
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let entities = Recognizer::new(user).recognize(&refs);
    let output = if args.json {
        match serde_json::to_string_pretty(&entities) {
            Ok(j) => j + "\n",
            Err(e) => {
                eprintln!("qari entities: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        table(&entities)
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qari entities: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs_and_raw_keeps_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "\u{FEFF}سطر أول\nتابع\n\n\nفقرة ثانية\r\n").unwrap();
        assert_eq!(
            paragraphs(&path, false).unwrap(),
            ["سطر أول تابع", "فقرة ثانية"]
        );
        assert_eq!(
            paragraphs(&path, true).unwrap(),
            ["سطر أول", "تابع", "", "", "فقرة ثانية"]
        );
        std::fs::write(&path, b"\xff\xfe\x00").unwrap();
        assert!(paragraphs(&path, false).unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn table_is_sanitized() {
        let e = Entity {
            text: "م\u{1b}[2Jصر".into(),
            kind: EntityKind::Place,
            count: 1,
            mentions: vec![qari::entities::Mention {
                paragraph: 0,
                start: 0,
                end: 1,
            }],
        };
        let t = table(&[e]);
        assert!(!t.contains('\u{1b}'));
        assert!(t.contains("place"));
    }
}
