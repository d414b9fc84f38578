//! Why an article could not be opened, worded for the person who asked.

use std::fmt;
use std::path::PathBuf;

/// Largest article file qari opens: 32 MiB. A long news feature is well under
/// 1 MiB; anything this big is a log, a dump or a mistake, and refusing it up
/// front (from the file's size, before reading) keeps memory and time bounded.
pub const MAX_ARTICLE_BYTES: u64 = 32 * 1024 * 1024;

/// The file extensions qari imports (lowercase, without the dot).
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm", "json"];

/// Why an article could not be opened or imported. `Display` gives the
/// message shown to the user: the path, then [`OpenError::reason`].
#[derive(Debug)]
pub enum OpenError {
    /// No file at that path.
    NotFound { path: PathBuf },
    /// The file exists but qari may not read it.
    PermissionDenied { path: PathBuf },
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
    /// Any other failure of the operating system (an I/O error).
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl OpenError {
    /// The error for a failed file-system call on `path`, with missing and
    /// forbidden files told apart from other I/O errors.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> OpenError {
        let path = path.to_path_buf();
        match source.kind() {
            std::io::ErrorKind::NotFound => OpenError::NotFound { path },
            std::io::ErrorKind::PermissionDenied => OpenError::PermissionDenied { path },
            _ => OpenError::Io { path, source },
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            OpenError::NotFound { path }
            | OpenError::PermissionDenied { path }
            | OpenError::UnsupportedExtension { path, .. }
            | OpenError::NotAFile { path, .. }
            | OpenError::Binary { path }
            | OpenError::Undecodable { path, .. }
            | OpenError::Empty { path }
            | OpenError::TooLarge { path, .. }
            | OpenError::MalformedJson { path, .. }
            | OpenError::Io { path, .. } => path,
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

impl OpenError {
    /// The message without the path in front (for lists of notes that show
    /// the path separately).
    pub fn reason(&self) -> String {
        match self {
            OpenError::UnsupportedExtension { ext, .. } => {
                let what = match ext {
                    Some(e) => format!("the extension .{}", crate::text::sanitize_line(e)),
                    None => "a file without an extension".to_string(),
                };
                format!("cannot open {what}; qari reads .txt, .md, .html/.htm and .json articles")
            }
            OpenError::NotFound { .. } => "No such file or directory".into(),
            OpenError::PermissionDenied { .. } => "Permission denied".into(),
            OpenError::NotAFile { kind, .. } => format!("is a {kind}, not an article file"),
            OpenError::Binary { .. } => {
                "looks like a binary file (it contains NUL bytes or control data), not text".into()
            }
            OpenError::Undecodable { detail, .. } => format!("cannot decode the text: {detail}"),
            OpenError::Empty { .. } => "the file is empty".into(),
            OpenError::TooLarge { size, limit, .. } => format!(
                "the file is {}, larger than the {} qari opens as an article",
                human_size(*size),
                human_size(*limit)
            ),
            OpenError::MalformedJson {
                line,
                column,
                detail,
                ..
            } => format!(
                "not a valid JSON article (line {line}, column {column}): {}",
                crate::text::sanitize_line(detail)
            ),
            OpenError::Io { source, .. } => source.to_string(),
        }
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Paths come from the file system and may hold control characters.
        let path = crate::text::sanitize_line(&self.path().display().to_string()).into_owned();
        write!(f, "{path}: {}", self.reason())
    }
}

impl std::error::Error for OpenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OpenError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn io_errors_are_told_apart_and_worded_as_before() {
        let p = std::path::Path::new("a/خبر.txt");
        let e = OpenError::io(p, Error::from(ErrorKind::NotFound));
        assert!(matches!(e, OpenError::NotFound { .. }), "{e:?}");
        assert_eq!(e.to_string(), "a/خبر.txt: No such file or directory");
        let e = OpenError::io(p, Error::from(ErrorKind::PermissionDenied));
        assert!(matches!(e, OpenError::PermissionDenied { .. }), "{e:?}");
        assert_eq!(e.to_string(), "a/خبر.txt: Permission denied");
        let e = OpenError::io(p, Error::other("disk on fire"));
        assert!(matches!(e, OpenError::Io { .. }), "{e:?}");
        assert_eq!(e.to_string(), "a/خبر.txt: disk on fire");
        assert_eq!(e.path(), p);
    }
}
