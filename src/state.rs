//! What the reader remembers between runs: per article, the paragraph the
//! reader was on, whether it was read, and its bookmarks.
//!
//! One JSON file in the XDG state directory, written with
//! [`crate::store::write_atomic`]. A file that cannot be parsed is moved
//! aside (never silently dropped) and qari starts afresh with a warning.

use crate::store::{set_aside, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    pub paragraph: usize,
    /// The start of the paragraph, so the bookmark list can show it
    /// without opening the article.
    pub snippet: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleState {
    #[serde(default)]
    pub position: usize,
    #[serde(default)]
    pub read: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bookmarks: Vec<Bookmark>,
    /// The article title, to list bookmarks across articles.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingState {
    #[serde(default)]
    pub articles: BTreeMap<String, ArticleState>,
}

/// The state file and what is in it.
#[derive(Debug)]
pub struct StateFile {
    path: Option<PathBuf>,
    pub data: ReadingState,
    dirty: bool,
}

/// The key for an article: its absolute path, so the same file opened
/// through different relative paths shares one state.
pub fn article_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

impl StateFile {
    /// State kept only in memory (no state directory known).
    pub fn in_memory() -> StateFile {
        StateFile {
            path: None,
            data: ReadingState::default(),
            dirty: false,
        }
    }

    /// Load `dir/reading.json`. Returns a warning when the file was corrupt
    /// and had to be moved aside.
    pub fn load(dir: &Path) -> (StateFile, Option<String>) {
        let path = dir.join("reading.json");
        let mut file = StateFile {
            path: Some(path.clone()),
            data: ReadingState::default(),
            dirty: false,
        };
        let bytes = match crate::store::read_regular(&path, crate::store::MAX_STATE_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (file, None),
            Err(e) => {
                // Unreadable (permissions): keep it, work in memory.
                file.path = None;
                return (
                    file,
                    Some(format!(
                        "cannot read {}: {e}; reading positions will not be saved",
                        path.display()
                    )),
                );
            }
        };
        match serde_json::from_slice::<ReadingState>(&bytes) {
            Ok(data) => {
                file.data = data;
                (file, None)
            }
            Err(e) => {
                let warning = match set_aside(&path) {
                    Ok(moved) => format!(
                        "reading state {} was corrupt ({e}); moved to {} and starting afresh",
                        path.display(),
                        moved.display()
                    ),
                    Err(move_err) => {
                        file.path = None;
                        format!(
                            "reading state {} is corrupt ({e}) and could not be moved aside ({move_err}); not saving this session",
                            path.display()
                        )
                    }
                };
                (file, Some(warning))
            }
        }
    }

    pub fn article(&self, key: &str) -> Option<&ArticleState> {
        self.data.articles.get(key)
    }

    pub fn article_mut(&mut self, key: &str) -> &mut ArticleState {
        self.dirty = true;
        self.data.articles.entry(key.to_string()).or_default()
    }

    /// Where the state is saved (`None` when kept in memory only).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Write the file if anything changed.
    pub fn save(&mut self) -> std::io::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        if let Some(path) = &self.path {
            let json = serde_json::to_vec_pretty(&self.data).map_err(std::io::Error::other)?;
            write_atomic(path, &json)?;
        }
        self.dirty = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, w) = StateFile::load(dir.path());
        assert!(w.is_none());
        let a = f.article_mut("/a.txt");
        a.position = 4;
        a.read = true;
        a.bookmarks.push(Bookmark {
            paragraph: 2,
            snippet: "قال الوزير".into(),
        });
        f.save().unwrap();
        let (g, w) = StateFile::load(dir.path());
        assert!(w.is_none());
        assert_eq!(g.data, f.data);
    }

    #[test]
    fn corrupt_file_is_moved_aside_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("reading.json"), b"{\"articles\": [1,").unwrap();
        let (mut f, w) = StateFile::load(dir.path());
        let w = w.unwrap();
        assert!(w.contains("corrupt"), "{w}");
        assert!(f.data.articles.is_empty());
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read(dir.path().join(&aside[0])).unwrap(),
            b"{\"articles\": [1,"
        );
        f.article_mut("x").read = true;
        f.save().unwrap();
        assert!(dir.path().join("reading.json").exists());
    }
}
