//! Articles: the model, decoding of bytes into text, importers per format,
//! cleaning of scraped text, and the library of a folder of articles.
//!
//! Open one file with [`open`]; a folder with [`Library::open`].

pub mod clean;
pub mod dates;
pub mod decode;
pub mod error;
pub mod import;
pub mod library;
pub mod model;
pub mod rules;
pub mod titles;
pub mod units;

pub use error::{OpenError, MAX_ARTICLE_BYTES, SUPPORTED_EXTENSIONS};
pub use library::{Entry, Library, Note};
pub use model::{Article, Paragraph, ParagraphKind, Removed};
pub use rules::{Rules, RulesError};

use std::io::Read;
use std::path::Path;

/// An opened article with what was learned on the way.
#[derive(Debug, Clone)]
pub struct Imported {
    pub article: Article,
    /// The text encoding the file was decoded from (`UTF-8`, `windows-1256`…).
    pub encoding: &'static str,
    /// Things the user should know that did not stop the import
    /// (malformed bytes replaced, an unparseable date in a JSON file).
    pub warnings: Vec<String>,
}

/// The formats qari imports, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
}

impl Format {
    /// The format for a path's extension (case-insensitive), if supported.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        // Called once per file of a library scan: compare without allocating.
        const TABLE: &[(&str, Format)] = &[
            ("txt", Format::Text),
            ("text", Format::Text),
            ("md", Format::Markdown),
            ("markdown", Format::Markdown),
            ("html", Format::Html),
            ("htm", Format::Html),
            ("json", Format::Json),
        ];
        TABLE
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|&(_, f)| f)
    }

    /// The format of text with no name to go by (a pipe): JSON when it
    /// starts with `{`, HTML when it starts with a tag, else plain text
    /// (Markdown reads well as text).
    pub fn sniff(bytes: &[u8]) -> Format {
        let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
        let rest = &bytes[start.unwrap_or(bytes.len())..];
        match rest {
            [b'{', ..] => Format::Json,
            [b'<', c, ..] if c.is_ascii_alphabetic() || *c == b'!' => Format::Html,
            _ => Format::Text,
        }
    }
}

/// Open one article file, cleaned with `rules` (the program loads them
/// once, built-in plus the user's `cleaning.toml`; tests pass their own).
pub fn open(path: &Path, rules: &Rules) -> Result<Article, OpenError> {
    open_detailed(path, rules).map(|i| i.article)
}

/// Open a file the user named on the command line: like [`open_detailed`],
/// but a pipe is read, as the user asked for it (`qari show <(curl …)`,
/// `qari show -` for standard input); its format comes from its name, else
/// from its first bytes. A folder scan never comes here: there a FIFO is
/// skipped, never opened, so a pipe without a writer cannot hang it.
pub fn open_named(path: &Path, rules: &Rules) -> Result<Imported, OpenError> {
    let stdin = path.as_os_str() == "-";
    let is_pipe = stdin || std::fs::metadata(path).is_ok_and(|m| is_pipe(&m.file_type()));
    if !is_pipe {
        return open_detailed(path, rules);
    }
    let io_err = |source| OpenError::io(path, source);
    let reader: Box<dyn Read> = if stdin {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(io_err)?)
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(OpenError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_ARTICLE_BYTES,
        });
    }
    let format = Format::of(path).unwrap_or_else(|| Format::sniff(&bytes));
    import_bytes(path, &bytes, format, rules)
}

fn is_pipe(ft: &std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        ft.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = ft;
        false
    }
}

/// Open one article file with the given rules, keeping the encoding and any
/// warnings.
///
/// Checks, in order: the file is a regular file (a FIFO is never opened, so
/// this cannot hang), the extension is supported, the size is at most
/// [`MAX_ARTICLE_BYTES`] (checked before reading, and enforced while reading
/// in case the file grows), then the bytes decode as text.
pub fn open_detailed(path: &Path, rules: &Rules) -> Result<Imported, OpenError> {
    let (bytes, format) = read_article(path)?;
    import_bytes(path, &bytes, format, rules)
}

/// The checks of [`open_detailed`] and the file's bytes.
fn read_article(path: &Path) -> Result<(Vec<u8>, Format), OpenError> {
    let io_err = |source| OpenError::io(path, source);
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if !meta.is_file() {
        return Err(OpenError::NotAFile {
            path: path.to_path_buf(),
            kind: file_kind(&meta.file_type()),
        });
    }
    let format = Format::of(path).ok_or_else(|| OpenError::UnsupportedExtension {
        path: path.to_path_buf(),
        ext: path.extension().map(|e| e.to_string_lossy().into_owned()),
    })?;
    let too_large = |size| OpenError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: MAX_ARTICLE_BYTES,
    };
    if meta.len() > MAX_ARTICLE_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io_err)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok((bytes, format))
}

/// Import bytes already in memory as if read from `path` (whose name gives
/// the title fallback).
pub fn import_bytes(
    path: &Path,
    bytes: &[u8],
    format: Format,
    rules: &Rules,
) -> Result<Imported, OpenError> {
    let (decoded, warnings) = decode_article(path, bytes)?;
    import_text(
        path,
        &decoded.text,
        decoded.encoding,
        warnings,
        format,
        rules,
    )
}

/// Decoded text that is not blank, and the warnings decoding gave.
fn decode_article(path: &Path, bytes: &[u8]) -> Result<(decode::Decoded, Vec<String>), OpenError> {
    let decoded = decode::decode(bytes).map_err(|e| match e {
        decode::DecodeError::Binary => OpenError::Binary {
            path: path.to_path_buf(),
        },
        decode::DecodeError::Undecodable(detail) => OpenError::Undecodable {
            path: path.to_path_buf(),
            detail,
        },
    })?;
    if decoded.text.trim().is_empty() {
        return Err(OpenError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mut warnings = Vec::new();
    if decoded.replaced > 0 {
        warnings.push(format!(
            "{} malformed byte sequence(s) in the {} text were replaced by �",
            decoded.replaced, decoded.encoding
        ));
    }
    Ok((decoded, warnings))
}

/// Import decoded text: the format's importer, then titles, reading units
/// and the title fallback.
fn import_text(
    path: &Path,
    text: &str,
    encoding: &'static str,
    mut warnings: Vec<String>,
    format: Format,
    rules: &Rules,
) -> Result<Imported, OpenError> {
    let article = match format {
        Format::Text => import::txt::import(text, rules),
        Format::Markdown => import::md::import(text, rules),
        Format::Html => import::html::import(text, rules),
        Format::Json => import::json::import(path, text, rules, &mut warnings)?,
    };
    finish_import(path, article, encoding, warnings, rules)
}

fn finish_import(
    path: &Path,
    mut article: Article,
    encoding: &'static str,
    warnings: Vec<String>,
    rules: &Rules,
) -> Result<Imported, OpenError> {
    article.path = path.to_path_buf();
    titles::finish(&mut article, rules);
    article.paragraphs = units::split(std::mem::take(&mut article.paragraphs), rules);
    if article.title.trim().is_empty() {
        article.title = title_from_path(path);
    }
    if article.paragraphs.is_empty() && article.title.trim().is_empty() {
        return Err(OpenError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Imported {
        article,
        encoding,
        warnings,
    })
}

/// How much text [`open_head`] cleans first: many screens of the largest
/// terminal, a millisecond of cleaning.
pub const HEAD_BYTES: usize = 128 * 1024;

/// An article opened head first (see [`open_head`]).
pub enum Opening {
    /// The whole article: it is small, or only all of it says how to read
    /// it (HTML, JSON, Markdown, a text with markup in it).
    Whole(Imported),
    /// The article's first part, cleaned exactly as the whole import
    /// cleans it (the same title, metadata and first paragraphs), and the
    /// import of the whole text, to run on a worker.
    Head { head: Imported, rest: Box<Rest> },
}

/// The import of the whole text of an article opened head first. The text
/// was read and decoded once: a file that changes meanwhile is imported as
/// it was read.
pub struct Rest {
    path: std::path::PathBuf,
    text: String,
    encoding: &'static str,
    warnings: Vec<String>,
    rules: Rules,
}

impl Rest {
    /// Bytes of decoded text the whole article has.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Import the whole article (the same as [`open_detailed`] would).
    pub fn import(self) -> Result<Imported, OpenError> {
        import_text(
            &self.path,
            &self.text,
            self.encoding,
            self.warnings,
            Format::Text,
            &self.rules,
        )
    }
}

/// Open an article so that its first screen can be shown before the whole
/// text is cleaned: a text file of more than four heads is read and decoded
/// whole (fast), then only its first [`HEAD_BYTES`] (to a line end) are
/// cleaned here; [`Rest::import`] does the whole. Everything else, and any
/// text whose head alone cannot decide what the whole import would make of
/// its title and metadata, is imported whole.
pub fn open_head(path: &Path, rules: &Rules) -> Result<Opening, OpenError> {
    open_head_sized(path, rules, HEAD_BYTES, 4 * HEAD_BYTES)
}

/// [`open_head`] with a head of `head_bytes` for files of at least
/// `min_bytes` (tests cut small articles).
pub fn open_head_sized(
    path: &Path,
    rules: &Rules,
    head_bytes: usize,
    min_bytes: usize,
) -> Result<Opening, OpenError> {
    let (bytes, format) = read_article(path)?;
    if format != Format::Text || bytes.len() < min_bytes.max(head_bytes) {
        return import_bytes(path, &bytes, format, rules).map(Opening::Whole);
    }
    let (decoded, warnings) = decode_article(path, &bytes)?;
    drop(bytes);
    let text = decoded.text;
    let whole = |text: &str, warnings| {
        import_text(path, text, decoded.encoding, warnings, format, rules).map(Opening::Whole)
    };
    let Some(cut) = head_cut(&text, head_bytes) else {
        return whole(&text, warnings);
    };
    // Markup anywhere makes the whole text an HTML fragment.
    if import::html::looks_like_markup(&text) {
        return whole(&text, warnings);
    }
    let head = import::txt::import(&text[..cut], rules);
    if !head_decides(&head, &text[cut..], rules) {
        return whole(&text, warnings);
    }
    let head = finish_import(path, head, decoded.encoding, warnings.clone(), rules)?;
    Ok(Opening::Head {
        head,
        rest: Box::new(Rest {
            path: path.to_path_buf(),
            text,
            encoding: decoded.encoding,
            warnings,
            rules: rules.clone(),
        }),
    })
}

/// Where the head ends: after the first line end at or past `head_bytes`,
/// if there is one before twice that (a text of few, huge lines is
/// imported whole: its units are cut across the whole paragraph).
fn head_cut(text: &str, head_bytes: usize) -> Option<usize> {
    let from = head_bytes.min(text.len());
    let to = head_bytes.saturating_mul(2).min(text.len());
    let at = text.as_bytes()[from..to].iter().position(|&b| b == b'\n')?;
    Some(from + at + 1)
}

/// Whether the cleaned head says all the whole import would about the
/// title and metadata:
/// - it is past the header (a body paragraph, and two paragraphs: the
///   title, section and byline are decided);
/// - a date or source the head lacks is not on a later line (the cleaner
///   takes the first anywhere, and a source changes the title's site
///   prefix);
/// - of the paragraphs the title and dateline rules look at (the first
///   three, the first body one), none that is short enough for a caption
///   is repeated later (that would make it a caption).
fn head_decides(head: &Article, rest: &str, rules: &Rules) -> bool {
    let ps = &head.paragraphs;
    let Some(first_body) = ps.iter().position(|p| p.kind == ParagraphKind::Body) else {
        return false;
    };
    if ps.len() < 2 {
        return false;
    }
    let watched: Vec<std::borrow::Cow<str>> = ps
        .iter()
        .take(3)
        .chain(ps.get(first_body).filter(|_| first_body >= 3))
        .filter(|p| p.kind == ParagraphKind::Body && clean::caption_like(&p.text, rules))
        .map(|p| clean::dup_key(&p.text))
        .collect();
    let (date, source) = (head.date.is_some(), head.source.is_some());
    if date && source && watched.is_empty() {
        return true;
    }
    // Each check rejects a long line by its first words or bytes.
    !rest.lines().map(str::trim).any(|l| {
        (!date && dates::parse_date_line(l, rules).is_some())
            || (!source && rules.source_value(l).is_some())
            || (!watched.is_empty()
                && clean::caption_like(l, rules)
                && watched.contains(&clean::dup_key(l)))
    })
}

/// A readable title from a file name: `cairo-metro_line.txt` → `cairo metro line`.
pub fn title_from_path(path: &Path) -> String {
    path.file_stem()
        .map(|s| {
            s.to_string_lossy()
                .replace(['-', '_'], " ")
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

/// What kind of non-regular file this is, for messages.
pub(crate) fn file_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    if ft.is_dir() {
        "directory"
    } else if ft.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

impl Article {
    /// An article from text taken as it is: every line is a paragraph (blank
    /// lines included, so paragraph `i` is line `i`), nothing is cleaned, the
    /// title is empty. For `--raw` in the render and entity commands.
    pub fn from_raw_text(text: &str) -> Article {
        let text = decode::normalize_newlines(text.to_string());
        let text = text.strip_suffix('\n').unwrap_or(&text);
        Article {
            paragraphs: if text.is_empty() {
                Vec::new()
            } else {
                text.split('\n').map(Paragraph::body).collect()
            },
            ..Article::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_text_keeps_every_line() {
        let a = Article::from_raw_text("رئيس التحرير\r\n\r\nسطر ثانٍ\n");
        let texts: Vec<&str> = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["رئيس التحرير", "", "سطر ثانٍ"]);
        assert!(a.removed.is_empty());
        assert_eq!(a.title, "");
    }

    /// Every text article shipped or in the scraped corpus, opened head
    /// first with small heads, against its whole import.
    fn head_cases() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        for dir in ["articles", "tests/data/scraped"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = e.unwrap().path();
                if Format::of(&p) == Some(Format::Text) {
                    paths.push(p);
                }
            }
        }
        paths.sort();
        paths
    }

    #[test]
    fn a_head_agrees_with_the_whole_import() {
        let rules = Rules::builtin();
        let mut heads = 0;
        for path in head_cases() {
            let whole = open_detailed(&path, rules).unwrap().article;
            for size in [64, 160, 320, 640, 1280] {
                let Opening::Head { head, rest } = open_head_sized(&path, rules, size, 0).unwrap()
                else {
                    continue;
                };
                heads += 1;
                let (h, at) = (&head.article, path.display());
                assert!(rest.text_len() > size, "{at}");
                assert_eq!(
                    rest.import().unwrap().article,
                    whole,
                    "{at}: the rest is the whole"
                );
                assert_eq!(
                    (
                        &h.title,
                        h.title_derived,
                        &h.date,
                        &h.section,
                        &h.source,
                        &h.dateline,
                        &h.byline
                    ),
                    (
                        &whole.title,
                        whole.title_derived,
                        &whole.date,
                        &whole.section,
                        &whole.source,
                        &whole.dateline,
                        &whole.byline
                    ),
                    "{at}, head of {size} bytes"
                );
                assert!(
                    !h.paragraphs.is_empty() && h.paragraphs.len() <= whole.paragraphs.len(),
                    "{at}"
                );
                for (a, b) in h.paragraphs.iter().zip(&whole.paragraphs) {
                    assert_eq!(
                        (&a.text, a.part_of),
                        (&b.text, b.part_of),
                        "{at}, head of {size} bytes"
                    );
                    // A line repeated after the head is a caption only
                    // once the whole text is known.
                    if b.kind != ParagraphKind::Caption {
                        assert_eq!(a.kind, b.kind, "{at}: {}", a.text);
                    }
                }
            }
        }
        assert!(heads >= 10, "only {heads} articles were opened head first");
    }

    #[test]
    fn what_the_head_cannot_decide_is_imported_whole() {
        let dir = tempfile::tempdir().unwrap();
        let body: String = (0..40)
            .map(|i| format!("الفقرة رقم {i} من نص طويل يكفي لأكثر من رأس واحد.\n"))
            .collect();
        let cases = [
            // A source line after the head: its name would strip the
            // title's "رويترز:" only in the whole import.
            (
                "late-source.txt",
                format!("رويترز: عنوان الخبر الطويل هنا\n{body}المصدر: رويترز\n"),
            ),
            // A date line after the head.
            (
                "late-date.txt",
                format!("عنوان الخبر\n{body}الخميس 5 ديسمبر 2024\n"),
            ),
            // Markup after the head: the whole text is an HTML fragment.
            (
                "late-markup.txt",
                format!("عنوان الخبر\n{body}<p>فقرة</p>\n"),
            ),
            // One long line: its units are cut across all of it.
            (
                "one-line.txt",
                format!("عنوان الخبر\n{}", body.replace('\n', " ")),
            ),
        ];
        for (name, text) in &cases {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let opened = open_head_sized(&path, Rules::builtin(), 400, 0).unwrap();
            let Opening::Whole(w) = opened else {
                panic!("{name} was opened head first");
            };
            assert_eq!(
                w.article,
                open_detailed(&path, Rules::builtin()).unwrap().article
            );
        }
        // The same text with the late line early enough: head first.
        let path = dir.path().join("early-date.txt");
        std::fs::write(&path, format!("عنوان الخبر\nالخميس 5 ديسمبر 2024\n{body}")).unwrap();
        let Opening::Head { head, .. } = open_head_sized(&path, Rules::builtin(), 400, 0).unwrap()
        else {
            panic!("early-date.txt was imported whole");
        };
        assert_eq!(head.article.date.as_deref(), Some("2024-12-05"));
    }
}
