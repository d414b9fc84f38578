//! `qari entities FILE [--json] [--raw]`: the named people, places and
//! organizations of an article, as a table or as JSON.

use super::visual::Visual;
use clap::Args as ClapArgs;
use qari::article::decode::{decode, DecodeError};
use qari::article::{Rules, MAX_ARTICLE_BYTES};
use qari::entities::{Block, Entity, EntityKind, Recognizer, UserEntities};
use qari::text::sanitize_line;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unicode_width::UnicodeWidthStr;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The article file, or a folder for the entities of the whole library.
    pub file: PathBuf,
    /// Print the entities as JSON (text, kind, count, mentions with
    /// paragraph and byte offsets).
    #[arg(long)]
    pub json: bool,
    /// Every line of the file is one paragraph, with no cleaning.
    #[arg(long)]
    pub raw: bool,
    /// With a folder: only entities of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum KindArg {
    Person,
    Place,
    Org,
}

/// `qari entities DIR`: the entities of the whole library, from the search
/// index (built or refreshed first), most mentioned first.
fn run_library(args: &Args, env: &super::Env) -> ExitCode {
    let dirs = env.dirs();
    let (index, notes) = qari::search::Index::open(&args.file, &dirs, env.rules(), &|_, _| {});
    for n in &notes {
        eprintln!("qari entities: {n}");
    }
    let (user, _) = UserEntities::load_or_default(&dirs);
    let recognizer = Recognizer::new(user);
    let want = args.kind.map(|k| match k {
        KindArg::Person => EntityKind::Person,
        KindArg::Place => EntityKind::Place,
        KindArg::Org => EntityKind::Org,
    });
    let mut entities = index.entities(&recognizer);
    if index.damaged() {
        // As `qari search`: the file was set aside; build it again.
        eprintln!("qari entities: the search index was damaged; rebuilding it");
        let (again, _) = qari::search::Index::open(&args.file, &dirs, env.rules(), &|_, _| {});
        entities = again.entities(&recognizer);
    }
    let entities: Vec<_> = entities
        .into_iter()
        .filter(|e| want.is_none_or(|k| e.kind == k))
        .collect();
    let mut out = std::io::stdout().lock();
    let result = if args.json {
        match super::show::json_text(&entities, "the entities") {
            Ok(j) => writeln!(out, "{j}"),
            Err(code) => return code,
        }
    } else {
        let visual = Visual::for_stdout();
        let mut text = format!("{}  articles  mentions  name\n", pad("kind", 6));
        for e in &entities {
            text.push_str(&format!(
                "{}  {:>8}  {:>8}  {}\n",
                pad(kind_label(e.kind), 6),
                e.articles,
                e.mentions,
                visual.cell(&e.text, 40).trim_end()
            ));
        }
        out.write_all(text.as_bytes())
    };
    super::output_written(result.and_then(|()| out.flush()), "qari entities")
}

/// The title and paragraphs of the file: the cleaned article's (no title
/// when it was derived from the lead, see `Recognizer::recognize_article`),
/// or with `raw` every line of the decoded text as it is and no title.
fn blocks(path: &Path, raw: bool, rules: &Rules) -> Result<(Option<String>, Vec<String>), String> {
    if !raw {
        return qari::article::open_named(path, rules)
            .map(|i| {
                let a = i.article;
                let title = (!a.title_derived).then_some(a.title);
                (title, a.paragraphs.into_iter().map(|p| p.text).collect())
            })
            .map_err(|e| e.reason());
    }
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_ARTICLE_BYTES {
        return Err(format!("the file is larger than {MAX_ARTICLE_BYTES} bytes"));
    }
    // Bounded read as well: a device such as /dev/zero reports size 0.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(format!("the file is larger than {MAX_ARTICLE_BYTES} bytes"));
    }
    let decoded = decode(&bytes).map_err(|e| match e {
        DecodeError::Binary => "looks like a binary file, not text".to_string(),
        DecodeError::Undecodable(detail) => format!("cannot decode the text: {detail}"),
    })?;
    Ok((None, decoded.text.lines().map(str::to_string).collect()))
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

fn table(entities: &[Entity], visual: &Visual) -> String {
    let name_width = entities
        .iter()
        .map(|e| UnicodeWidthStr::width(sanitize_line(&e.text).as_ref()))
        .chain([4])
        .max()
        .unwrap_or(4)
        .min(40);
    // On a terminal each name is laid out (joined, in visual order) and set
    // flush right in its column; piped, it stays logical.
    let names: Vec<String> = entities
        .iter()
        .map(|e| visual.cell(&e.text, name_width))
        .collect();
    let mut out = format!(
        "{}  {}  count  first\n",
        pad("kind", 6),
        pad("name", name_width)
    );
    for (e, name) in entities.iter().zip(&names) {
        let first = match e.mentions.first().map(|m| m.block) {
            Some(Block::Title) => "title".to_string(),
            Some(Block::Paragraph(p)) => format!("¶{}", p + 1),
            None => "¶0".to_string(),
        };
        out.push_str(&format!(
            "{}  {}  {:>5}  {first}\n",
            pad(kind_label(e.kind), 6),
            pad(name, name_width),
            e.count
        ));
    }
    out
}

/// An entity as `--json` gives it: with the distinct surface forms of its
/// mentions, so a scorer (or a user) sees every way the article names it.
#[derive(serde::Serialize)]
struct WithForms<'a> {
    #[serde(flatten)]
    entity: &'a Entity,
    forms: Vec<&'a str>,
}

/// The distinct texts of an entity's mentions, in order of first use.
fn forms<'a>(entity: &Entity, title: &'a str, paragraphs: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for m in &entity.mentions {
        let block = match m.block {
            Block::Title => Some(title),
            Block::Paragraph(p) => paragraphs.get(p).copied(),
        };
        let text = block.and_then(|b| b.get(m.start..m.end));
        if let Some(text) = text.filter(|t| !out.contains(t)) {
            out.push(text);
        }
    }
    out
}

pub fn run(args: Args, env: &super::Env) -> ExitCode {
    // A folder named like an article (`news.txt/`) is refused as before
    // (tests/hostile.rs): it is more likely a mistake than a library.
    if args.file.is_dir() && qari::article::Format::of(&args.file).is_none() {
        return run_library(&args, env);
    }
    let shown = sanitize_line(&args.file.to_string_lossy()).into_owned();
    let (title, paragraphs) = match blocks(&args.file, args.raw, env.rules()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("qari entities: {shown}: {}", sanitize_line(&e));
            return ExitCode::FAILURE;
        }
    };
    let user = match &env.home {
        Some(dirs) => {
            let (user, error) = UserEntities::load_or_default(dirs);
            if let Some(e) = error {
                eprintln!("qari entities: warning: {e} (user entities ignored)");
            }
            user
        }
        None => UserEntities::default(),
    };
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let title = title.as_deref();
    let all: Vec<&str> = title.into_iter().chain(refs.iter().copied()).collect();
    if qari::entities::recognize::is_persian(&all) {
        eprintln!(
            "qari entities: {shown} looks Persian; entities are recognized in Arabic text only"
        );
    }
    let entities = Recognizer::new(user).recognize_blocks(title, &refs);
    let output = if args.json {
        let with_forms: Vec<WithForms> = entities
            .iter()
            .map(|entity| WithForms {
                entity,
                forms: forms(entity, title.unwrap_or(""), &refs),
            })
            .collect();
        match super::show::json_text(&with_forms, "the entities") {
            Ok(j) => j + "\n",
            Err(code) => return code,
        }
    } else {
        table(&entities, &Visual::for_stdout())
    };
    let mut stdout = std::io::stdout().lock();
    super::output_written(
        stdout
            .write_all(output.as_bytes())
            .and_then(|()| stdout.flush()),
        "qari entities",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_keeps_every_line_and_decodes_legacy_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "\u{FEFF}سطر أول\nتابع\n\n\nفقرة ثانية\r\n").unwrap();
        assert_eq!(
            blocks(&path, true, &Rules::default()).unwrap(),
            (
                None,
                ["سطر أول", "تابع", "", "", "فقرة ثانية"]
                    .map(String::from)
                    .to_vec()
            )
        );
        // windows-1256 "مصر".
        std::fs::write(&path, b"\xe3\xd5\xd1 \xe3\xd5\xd1 \xe3\xd5\xd1\n").unwrap();
        assert_eq!(
            blocks(&path, true, &Rules::default()).unwrap().1,
            ["مصر مصر مصر"]
        );
        std::fs::write(&path, b"\x00\x01\x02\x00").unwrap();
        assert!(blocks(&path, true, &Rules::default()).is_err());
        assert!(blocks(&path, false, &Rules::default()).is_err());
    }

    #[test]
    fn table_is_sanitized() {
        let e = Entity {
            text: "م\u{1b}[2Jصر".into(),
            kind: EntityKind::Place,
            count: 1,
            mentions: vec![qari::entities::Mention {
                block: Block::Paragraph(0),
                start: 0,
                end: 1,
            }],
        };
        let t = table(&[e], &Visual::logical());
        assert!(!t.contains('\u{1b}'));
        assert!(t.contains("place"));
    }
}
