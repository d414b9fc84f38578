//! A problem found in a file the user wrote (config, theme, keymap), with
//! where it is. Its own module so that config, theme and keymap can all
//! report problems without depending on each other.

use std::fmt;
use std::path::PathBuf;

/// A problem in a config or theme file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole (unreadable).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = crate::text::sanitize_line(&self.file.to_string_lossy()).into_owned();
        let message = crate::text::sanitize_line(&self.message).into_owned();
        if self.line == 0 {
            write!(f, "{file}: {message}")
        } else {
            write!(f, "{file}:{}:{}: {message}", self.line, self.column)
        }
    }
}
