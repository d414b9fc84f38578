//! Why an article could not be opened, worded for the person who asked.

use std::fmt;
use std::path::PathBuf;

/// Largest article file qari opens: 32 MiB. A long news feature is well under
/// 1 MiB; anything this big is a log, a dump or a mistake, and refusing it up
/// front (from the file's size, before reading) keeps memory and time bounded.
pub const MAX_ARTICLE_BYTES: u64 = 32 * 1024 * 1024;

/// The file extensions qari imports (lowercase, without the dot).
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm", "json"];

#[derive(Debug)]
pub enum ImportError {
    /// The extension is not one qari knows how to import.
    UnsupportedExtension { path: PathBuf, ext: Option<String> },
    /// A directory, FIFO, socket or device rather than a regular file.
    NotAFile { path: PathBuf, kind: &'static str },
    /// NUL bytes or other signs the file is not text.
    Binary { path: PathBuf },
    /// Bytes that do not decode as text in any supported encoding.
    Undecodable { path: PathBuf, detail: String },
    /// Nothing but whitespace (or nothing at all).
    Empty { path: PathBuf },
    /// Larger than [`MAX_ARTICLE_BYTES`].
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    /// A `.json` file that is not valid JSON or not an article object.
    MalformedJson {
        path: PathBuf,
        line: usize,
        column: usize,
        detail: String,
    },
    /// The operating system refused (missing file, permissions, I/O error).
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ImportError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            ImportError::UnsupportedExtension { path, .. }
            | ImportError::NotAFile { path, .. }
            | ImportError::Binary { path }
            | ImportError::Undecodable { path, .. }
            | ImportError::Empty { path }
            | ImportError::TooLarge { path, .. }
            | ImportError::MalformedJson { path, .. }
            | ImportError::Io { path, .. } => path,
        }
    }
}

fn human_size(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else if bytes >= 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

impl ImportError {
    /// The message without the path in front (for lists of notes that show
    /// the path separately).
    pub fn reason(&self) -> String {
        match self {
            ImportError::UnsupportedExtension { ext, .. } => {
                let what = match ext {
                    Some(e) => format!("the extension .{}", crate::text::sanitize_line(e)),
                    None => "a file without an extension".to_string(),
                };
                format!("cannot open {what}; qari reads .txt, .md, .html/.htm and .json articles")
            }
            ImportError::NotAFile { kind, .. } => format!("is a {kind}, not an article file"),
            ImportError::Binary { .. } => {
                "looks like a binary file (it contains NUL bytes or control data), not text".into()
            }
            ImportError::Undecodable { detail, .. } => format!("cannot decode the text: {detail}"),
            ImportError::Empty { .. } => "the file is empty".into(),
            ImportError::TooLarge { size, limit, .. } => format!(
                "the file is {}, larger than the {} qari opens as an article",
                human_size(*size),
                human_size(*limit)
            ),
            ImportError::MalformedJson {
                line,
                column,
                detail,
                ..
            } => format!(
                "not a valid JSON article (line {line}, column {column}): {}",
                crate::text::sanitize_line(detail)
            ),
            ImportError::Io { source, .. } => source.to_string(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Paths come from the file system and may hold control characters.
        let path = crate::text::sanitize_line(&self.path().display().to_string()).into_owned();
        write!(f, "{path}: {}", self.reason())
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
