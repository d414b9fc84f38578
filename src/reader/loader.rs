//! The reader's one seam to the rest of qari: listing a library, opening an
//! article, finding its entities. Everything the reader needs from article
//! import and entity recognition goes through [`Loader`], so tests can feed
//! it articles built in memory.

use crate::article::Article;
use crate::entities::Entity;
use std::path::{Path, PathBuf};

/// One row of the article list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    pub title: String,
    pub date: Option<String>,
    pub section: Option<String>,
    pub words: usize,
}

/// An opened article with what the reader shows beside it.
#[derive(Clone, Debug)]
pub struct Opened {
    pub article: Article,
    pub entities: Vec<Entity>,
}

pub trait Loader {
    fn open(&self, path: &Path) -> Result<Opened, String>;
}

/// The loader used by the real program: article import from the file
/// system and the built-in entity recognizer.
#[derive(Clone, Copy, Debug, Default)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn open(&self, path: &Path) -> Result<Opened, String> {
        let article = open_article(path)?;
        let entities = find_entities(&article);
        Ok(Opened { article, entities })
    }
}

/// Open one article file.
pub fn open_article(path: &Path) -> Result<Article, String> {
    interim::open(path)
}

/// Entities of an article. Until the recognizer lands the article model
/// carries none, so the sidebar says so rather than inventing any.
pub fn find_entities(_article: &Article) -> Vec<Entity> {
    Vec::new()
}

/// List the articles in a folder, newest first.
pub fn list_library(dir: &Path) -> Result<Vec<Entry>, String> {
    interim::list(dir)
}

/// Plain-text reading used until article import (issue 3) is merged: UTF-8
/// text, first non-blank line the title, blank-line separated paragraphs.
/// It exists so the reader can be run end to end meanwhile; it is replaced,
/// not extended, when `qari::article::open` lands.
mod interim {
    use super::Entry;
    use crate::article::{Article, Paragraph};
    use std::path::Path;

    pub fn open(path: &Path) -> Result<Article, String> {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
        let mut blocks = text
            .split("\n\n")
            .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|b| !b.is_empty());
        let title = blocks
            .next()
            .ok_or_else(|| format!("{} is empty", path.display()))?;
        Ok(Article {
            path: path.to_path_buf(),
            title,
            paragraphs: blocks.map(Paragraph::body).collect(),
            ..Article::default()
        })
    }

    pub fn list(dir: &Path) -> Result<Vec<Entry>, String> {
        let rd =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut entries: Vec<Entry> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .filter_map(|p| {
                let a = open(&p).ok()?;
                Some(Entry {
                    words: a.word_count(),
                    title: a.title,
                    date: a.date,
                    section: a.section,
                    path: p,
                })
            })
            .collect();
        entries.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
        Ok(entries)
    }
}
