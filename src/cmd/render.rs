//! `qari render`: lay text out and print the visual lines, for terminals
//! (and pipes) that do no bidi or shaping of their own.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use qari::article::{self, Article, Format, OpenError, Rules, MAX_ARTICLE_BYTES};
use qari::layout::{BaseDirection, LayoutOptions, TextLines};
use qari::text::sanitize_line;

/// Lay out Arabic (or any) text and print it in visual order.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Text file to render; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// Line width in cells [default: the terminal's width, or 80 when
    /// standard output is not a terminal].
    #[arg(long, short)]
    pub width: Option<usize>,
    /// Base direction of each paragraph: `auto` takes the first strong
    /// character (UAX #9 rules P2–P3).
    #[arg(long, value_enum, default_value_t = Dir::Auto)]
    pub dir: Dir,
    /// Every input line is one paragraph, with no article reading; empty
    /// lines stay empty lines.
    #[arg(long)]
    pub raw: bool,
    /// Do not join Arabic letters into presentation forms (for terminals
    /// that shape by themselves).
    #[arg(long)]
    pub no_shape: bool,
    /// Do not mirror brackets in right-to-left text.
    #[arg(long)]
    pub no_mirror: bool,
    /// No leading spaces to align right-to-left lines to the right.
    #[arg(long)]
    pub no_pad: bool,
    /// Escape codes (a bold title): `auto` only when standard output is a
    /// terminal.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Dir {
    Auto,
    Rtl,
    Ltr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Widest line `render` lays out: far beyond any terminal, and the most
/// padding `write!` can format (wider panicked with "Formatting argument out
/// of range", and `usize::MAX` would pad forever).
pub const MAX_WIDTH: usize = u16::MAX as usize;

pub fn run(args: Args, env: &super::Env) -> ExitCode {
    if let Some(w) = args.width.filter(|&w| w > MAX_WIDTH) {
        eprintln!("qari render: --width {w} is too wide; the most is {MAX_WIDTH}");
        return ExitCode::FAILURE;
    }
    let (name, bytes) = match read_input(args.file.as_ref()) {
        Ok(input) => input,
        Err(message) => {
            eprintln!("qari render: {message}");
            return ExitCode::FAILURE;
        }
    };
    // `--raw` text is taken as it is: UTF-8 or a clear refusal. Without it
    // the input is an article and goes through the importer, which also
    // decodes legacy Arabic encodings and drops scraped chrome.
    let input = if args.raw {
        match decode(&name, &bytes) {
            Ok(text) => Input::Raw(text),
            Err(message) => {
                eprintln!("qari render: {message}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        match import(args.file.as_deref(), &bytes, env.rules()) {
            Ok(Some(article)) => Input::Article(Box::new(article)),
            Ok(None) => return ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("qari render: {message}");
                return ExitCode::FAILURE;
            }
        }
    };

    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let width = args.width.unwrap_or_else(|| terminal_width(tty));
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => tty,
    };
    let direction = match args.dir {
        Dir::Auto => BaseDirection::Auto,
        Dir::Rtl => BaseDirection::Rtl,
        Dir::Ltr => BaseDirection::Ltr,
    };
    let options = LayoutOptions {
        shape: !args.no_shape,
        mirror: !args.no_mirror,
        ..LayoutOptions::default()
    };
    let mut printer = Printer {
        width,
        direction,
        options,
        pad: !args.no_pad,
        color,
        lines: TextLines::new(),
    };

    // One locked writer with a large buffer: a 4 MB render is then a few
    // dozen writes instead of hundreds.
    let mut out = io::BufWriter::with_capacity(OUT_BUFFER, stdout.lock());
    let result = match &input {
        Input::Raw(text) => printer.raw(&mut out, text),
        Input::Article(article) => printer.article(&mut out, article),
    };
    super::output_written(
        result.and_then(|()| out.flush()),
        "qari render: cannot write output",
    )
}

/// Bytes `render` collects before writing.
const OUT_BUFFER: usize = 256 << 10;

fn terminal_width(tty: bool) -> usize {
    if tty {
        if let Ok((cols, _)) = crossterm::terminal::size() {
            if cols > 0 {
                return cols as usize;
            }
        }
    }
    80
}

/// The input's display name and bytes, at most [`MAX_ARTICLE_BYTES`] of
/// them: `qari render /dev/zero` or a 100 MB log would otherwise be read into
/// memory whole before anything is printed.
fn read_input(file: Option<&PathBuf>) -> Result<(String, Vec<u8>), String> {
    let (name, reader): (String, Box<dyn Read>) = match file {
        Some(path) if path.as_os_str() != "-" => {
            let name = sanitize_line(&path.to_string_lossy()).into_owned();
            match std::fs::File::open(path) {
                // A regular file's size is known: refuse before reading.
                Ok(file)
                    if file
                        .metadata()
                        .is_ok_and(|m| m.is_file() && m.len() > MAX_ARTICLE_BYTES) =>
                {
                    return Err(too_large(&name));
                }
                Ok(file) => (name, Box::new(file)),
                Err(e) => return Err(format!("cannot read {name}: {}", io_reason(&e))),
            }
        }
        _ => ("standard input".to_string(), Box::new(io::stdin())),
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name}: {}", io_reason(&e)))?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(too_large(&name));
    }
    Ok((name, bytes))
}

fn too_large(name: &str) -> String {
    format!(
        "{name} is larger than {} MiB, the most qari renders at once; split it (e.g. with `split -C 16M`)",
        MAX_ARTICLE_BYTES >> 20
    )
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "it is a directory".to_string(),
        _ => e.to_string(),
    }
}

/// UTF-8 text without its byte-order mark, or why not.
fn decode<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, String> {
    if bytes.contains(&0) {
        return Err(format!("{name} looks like binary data, not text"));
    }
    // (The SIMD check is several times faster than std's on Arabic; std's
    // tells where the bad byte is.)
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text)),
        Err(e) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let guess = detector.guess(None, chardetng::Utf8Detection::Deny).name();
            Err(format!(
                "{name} is not valid UTF-8 (bad byte at offset {}); it looks like {guess}: \
                 convert it with `iconv -f {guess} -t UTF-8`",
                e.valid_up_to()
            ))
        }
    }
}

enum Input<'a> {
    Raw(&'a str),
    // Boxed: an article is much larger than a borrowed string.
    Article(Box<Article>),
}

/// The input read as an article by the importer: the format from the file's
/// extension (plain text for standard input and unknown extensions). `None`
/// for input with no text at all, which renders as nothing.
fn import(file: Option<&Path>, bytes: &[u8], rules: &Rules) -> Result<Option<Article>, String> {
    let path = match file {
        Some(p) if p.as_os_str() != "-" => p,
        _ => Path::new("standard input"),
    };
    let format = Format::of(path).unwrap_or(Format::Text);
    match article::import_bytes(path, bytes, format, rules) {
        Ok(imported) => {
            for warning in &imported.warnings {
                eprintln!("qari render: {}", sanitize_line(warning));
            }
            Ok(Some(imported.article))
        }
        Err(OpenError::Empty { .. }) => Ok(None),
        Err(e) => Err(sanitize_line(&e.to_string()).into_owned()),
    }
}

/// Paragraphs longer than this many bytes are laid out in pieces.
const PIECE: usize = 1 << 20;

/// Where to cut `text` into a piece of at most `max` bytes: after the last
/// space before the limit, or at a character boundary if there is none.
fn piece_end(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    match text[..cut].rfind(' ') {
        Some(space) if space > 0 => space + 1,
        _ => cut.max(text.chars().next().map_or(1, char::len_utf8)),
    }
}

const SPACES: [u8; 256] = [b' '; 256];

struct Printer {
    width: usize,
    direction: BaseDirection,
    options: LayoutOptions,
    pad: bool,
    color: bool,
    /// The engine's buffers, kept across paragraphs.
    lines: TextLines,
}

impl Printer {
    fn raw(&mut self, out: &mut impl Write, text: &str) -> io::Result<()> {
        for line in text.lines() {
            self.paragraph(out, line, false)?;
        }
        Ok(())
    }

    fn article(&mut self, out: &mut impl Write, article: &Article) -> io::Result<()> {
        let mut first = true;
        if !article.title.trim().is_empty() {
            self.paragraph(out, &article.title, true)?;
            first = false;
        }
        for paragraph in &article.paragraphs {
            if !first {
                writeln!(out)?;
            }
            first = false;
            self.paragraph(out, &paragraph.text, false)?;
        }
        Ok(())
    }

    fn paragraph(&mut self, out: &mut impl Write, text: &str, bold: bool) -> io::Result<()> {
        if text.len() <= PIECE {
            return self.piece(out, text, self.direction, bold);
        }
        // A huge paragraph (a whole file on one line): laid out in pieces
        // cut at a space, all in the paragraph's direction, so memory stays
        // bounded (the engine needs about 60 bytes per byte of a paragraph).
        let direction = match self.direction {
            BaseDirection::Auto => match unicode_bidi::get_base_direction(text) {
                unicode_bidi::Direction::Rtl => BaseDirection::Rtl,
                _ => BaseDirection::Ltr,
            },
            forced => forced,
        };
        let mut rest = text;
        while !rest.is_empty() {
            let (piece, tail) = rest.split_at(piece_end(rest, PIECE));
            self.piece(out, piece, direction, bold)?;
            rest = tail;
        }
        Ok(())
    }

    fn piece(
        &mut self,
        out: &mut impl Write,
        text: &str,
        direction: BaseDirection,
        bold: bool,
    ) -> io::Result<()> {
        let (pad, color) = (self.pad, self.color);
        self.lines.paragraph(
            text,
            self.width,
            direction,
            &self.options,
            |indent, line| Self::line(out, indent, line, pad, bold && color),
        )?;
        Ok(())
    }

    fn line(
        out: &mut impl Write,
        indent: usize,
        text: &str,
        pad: bool,
        bold: bool,
    ) -> io::Result<()> {
        if text.is_empty() {
            return out.write_all(b"\n");
        }
        if pad {
            // (`write!` padding goes through the formatter char by char.)
            let mut indent = indent;
            while indent > 0 {
                let n = indent.min(SPACES.len());
                out.write_all(&SPACES[..n])?;
                indent -= n;
            }
        }
        if bold {
            out.write_all(b"\x1b[1m")?;
        }
        out.write_all(text.as_bytes())?;
        if bold {
            out.write_all(b"\x1b[0m")?;
        }
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_go_through_the_importer() {
        let text = "العنوان\r\n\r\nسطر أول\n\n\n  فقرة ثانية  \n";
        let a = import(None, text.as_bytes(), &Rules::default())
            .unwrap()
            .unwrap();
        assert_eq!(a.title, "العنوان");
        let paragraphs: Vec<_> = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(paragraphs, ["سطر أول", "فقرة ثانية"]);
        assert!(import(None, b"\n \n", &Rules::default()).unwrap().is_none());
        let binary = import(
            Some(Path::new("x.txt")),
            b"\x7fELF\0\0\0",
            &Rules::default(),
        )
        .unwrap_err();
        assert!(!binary.contains('\n'), "{binary}");
    }

    #[test]
    fn huge_paragraphs_are_cut_after_a_space() {
        assert_eq!(piece_end("abc def", 100), 7);
        assert_eq!(piece_end("abc def ghi", 9), 8);
        assert_eq!(piece_end("بببب", 3), 2);
        assert_eq!(piece_end("بببب", 1), 2);
    }

    #[test]
    fn decoding_errors_are_one_line() {
        assert!(decode("f", b"ab\0c").unwrap_err().contains("binary"));
        let e = decode("f", b"\xc7\xe1\xd3\xe1\xc7\xe3 \xda\xe1\xed\xdf\xe3").unwrap_err();
        assert!(e.contains("not valid UTF-8"), "{e}");
        assert!(!e.contains('\n'));
        assert_eq!(decode("f", "\u{FEFF}نص".as_bytes()).unwrap(), "نص");
    }
}
