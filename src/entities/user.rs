//! The user's own entity list: `~/.config/qari/entities.toml`.
//!
//! ```toml
//! # Names the recognizer should always find.
//! suppress = ["الأمل"]           # never report these as entities
//!
//! [[names]]
//! text = "نجيب محفوظ"
//! kind = "person"               # person | place | org
//!
//! [aliases]                     # alias = canonical name
//! "أبو مازن" = "محمود عباس"
//! ```
//!
//! A file that does not parse is reported with its path, line and column and
//! ignored (the recognizer then runs with no user entities). It is not moved
//! aside: it is a file the user writes by hand, and they will fix it.

use super::EntityKind;
use crate::store::Dirs;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// File name of the user's entity list inside the config directory.
pub const FILE_NAME: &str = "entities.toml";

/// A name the user wants recognized.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserName {
    pub text: String,
    pub kind: EntityKind,
}

/// The user's names, aliases and suppressions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntities {
    #[serde(default)]
    pub names: Vec<UserName>,
    /// Alias → canonical name: mentions of the alias count for the
    /// canonical entity.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Names that are never reported.
    #[serde(default)]
    pub suppress: Vec<String>,
}

/// Why the user's entity file could not be used.
#[derive(Debug)]
pub struct UserEntitiesError {
    pub path: PathBuf,
    /// 1-based line and column, when the error has a position.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for UserEntitiesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = crate::text::sanitize_line(&self.path.to_string_lossy()).into_owned();
        match self.position {
            Some((line, col)) => write!(f, "{path}:{line}:{col}: {}", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

impl std::error::Error for UserEntitiesError {}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl UserEntities {
    /// Parse the TOML text of an entity file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<UserEntities, UserEntitiesError> {
        let err = |position, message: String| UserEntitiesError {
            path: path.to_path_buf(),
            position,
            message: crate::text::sanitize_line(&message).into_owned(),
        };
        let parsed: UserEntities = toml::from_str(text).map_err(|e| {
            let position = e.span().map(|s| line_col(text, s.start));
            err(position, e.message().to_string())
        })?;
        if let Some(i) = parsed.names.iter().position(|n| n.text.trim().is_empty()) {
            return Err(err(None, format!("names[{i}]: text is empty")));
        }
        Ok(parsed)
    }

    /// Read and parse an entity file. A missing file is an empty list.
    pub fn load(path: &Path) -> Result<UserEntities, UserEntitiesError> {
        let bytes = match crate::store::read_regular(path, crate::store::MAX_SETTINGS_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(UserEntities::default())
            }
            Err(e) => {
                return Err(UserEntitiesError {
                    path: path.to_path_buf(),
                    position: None,
                    message: e.to_string(),
                })
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, col) = line_col(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            );
            UserEntitiesError {
                path: path.to_path_buf(),
                position: Some((line, col)),
                message: "not valid UTF-8".to_string(),
            }
        })?;
        UserEntities::parse(&text, path)
    }

    /// The path of the user's entity file.
    pub fn path(dirs: &Dirs) -> PathBuf {
        dirs.config.join(FILE_NAME)
    }

    /// The user's entities, falling back to none with the error when the
    /// file is broken (the caller shows the error as a warning).
    pub fn load_or_default(dirs: &Dirs) -> (UserEntities, Option<UserEntitiesError>) {
        match UserEntities::load(&UserEntities::path(dirs)) {
            Ok(u) => (u, None),
            Err(e) => (UserEntities::default(), Some(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_aliases_and_suppressions() {
        let text = r#"
suppress = ["الأمل"]

[[names]]
text = "نجيب محفوظ"
kind = "person"

[aliases]
"أبو مازن" = "محمود عباس"
"#;
        let u = UserEntities::parse(text, Path::new("e.toml")).unwrap();
        assert_eq!(u.names[0].kind, EntityKind::Person);
        assert_eq!(u.aliases["أبو مازن"], "محمود عباس");
        assert_eq!(u.suppress, vec!["الأمل"]);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = "[[names]]\ntext = \"x\"\nkind = \"planet\"\n";
        let e = UserEntities::parse(text, Path::new("/h/entities.toml")).unwrap_err();
        let shown = e.to_string();
        assert!(shown.starts_with("/h/entities.toml:3:8: "), "{shown}");
        let e = UserEntities::parse("names = [\n", Path::new("e.toml")).unwrap_err();
        assert!(e.position.is_some());
    }

    #[test]
    fn missing_file_is_empty_and_broken_file_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = Dirs::under(dir.path());
        let (u, e) = UserEntities::load_or_default(&dirs);
        assert!(e.is_none() && u == UserEntities::default());
        std::fs::create_dir_all(&dirs.config).unwrap();
        std::fs::write(UserEntities::path(&dirs), b"\xff\xfe garbage").unwrap();
        let (u, e) = UserEntities::load_or_default(&dirs);
        assert_eq!(u, UserEntities::default());
        assert!(e.unwrap().to_string().contains("UTF-8"));
    }
}
