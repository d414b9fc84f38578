//! The reader's one seam to the rest of qari: listing a library, opening an
//! article, finding its entities. Everything the reader needs from article
//! import and entity recognition goes through [`Loader`], so tests can feed
//! it articles built in memory.

use crate::article::{self, Article, Library};
use crate::entities::{Entity, Recognizer, UserEntities};
use crate::store::Dirs;
use std::path::Path;

pub use crate::article::Entry;

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
/// system and the entity recognizer with the user's own names.
pub struct FsLoader {
    recognizer: Recognizer,
}

impl FsLoader {
    /// With the user's entity list from `dirs`; a broken list is reported
    /// in the returned warning and the built-in knowledge used alone.
    pub fn new(dirs: Option<&Dirs>) -> (FsLoader, Option<String>) {
        let (user, warning) = match dirs {
            Some(d) => {
                let (user, err) = UserEntities::load_or_default(d);
                (user, err.map(|e| e.to_string()))
            }
            None => (UserEntities::default(), None),
        };
        (
            FsLoader {
                recognizer: Recognizer::new(user),
            },
            warning,
        )
    }
}

impl Loader for FsLoader {
    fn open(&self, path: &Path) -> Result<Opened, String> {
        let article = article::open(path).map_err(|e| e.to_string())?;
        let entities = self.recognizer.recognize_article(&article);
        Ok(Opened { article, entities })
    }
}

/// The articles of a folder, newest first, with notes about files that
/// could not be read (shown to the user, never silently dropped).
pub fn list_library(dir: &Path, dirs: &Dirs) -> (Vec<Entry>, Vec<String>) {
    let (library, notes) = Library::open(dir, dirs);
    (
        library.entries,
        notes.iter().map(|n| n.to_string()).collect(),
    )
}
