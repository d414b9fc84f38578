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
    import_bytes(path, &bytes, format, rules)
}

/// Import bytes already in memory as if read from `path` (whose name gives
/// the title fallback).
pub fn import_bytes(
    path: &Path,
    bytes: &[u8],
    format: Format,
    rules: &Rules,
) -> Result<Imported, OpenError> {
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
    let mut article = match format {
        Format::Text => import::txt::import(&decoded.text, rules),
        Format::Markdown => import::md::import(&decoded.text, rules),
        Format::Html => import::html::import(&decoded.text, rules),
        Format::Json => import::json::import(path, &decoded.text, rules, &mut warnings)?,
    };
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
        encoding: decoded.encoding,
        warnings,
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
}
