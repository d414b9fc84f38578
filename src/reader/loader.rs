//! The reader's one seam to the rest of qari: listing a library, opening an
//! article, finding its entities. Everything the reader needs from article
//! import and entity recognition goes through [`Loader`], so tests can feed
//! it articles built in memory.

use crate::article::{self, Article, Library, OpenError, Rules};
use crate::entities::{Entity, Recognizer, UserEntities};
use crate::store::Dirs;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

pub use crate::article::Entry;

/// Which version of a file was read: its size and modification time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Version {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl Version {
    pub fn of(meta: &std::fs::Metadata) -> Version {
        Version {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// An imported article and the version of the file it was read from (the
/// key its entities are cached under).
#[derive(Clone, Debug)]
pub struct Opened {
    pub article: Article,
    pub version: Version,
}

/// Finds an article's entities. Runs on the recognition worker thread,
/// hence `Send + Sync`.
pub trait FindEntities: Send + Sync {
    fn find(&self, article: &Article) -> Vec<Entity>;
    /// Get ready to find (load models); called on the worker thread when
    /// it starts, while the UI thread imports the first article.
    fn prepare(&self) {}
}

pub trait Loader {
    /// Import the article at `path`. Runs on the UI thread before the
    /// article is shown, so it does no more than that.
    fn open(&self, path: &Path) -> Result<Opened, OpenError>;
    /// What finds the entities of the articles this loader opens.
    fn finder(&self) -> Arc<dyn FindEntities>;
}

/// The loader used by the real program: article import from the file
/// system and the entity recognizer with the user's own names.
pub struct FsLoader {
    finder: Arc<LazyRecognizer>,
    rules: Rules,
}

/// The recognizer, built on first use: its model and gazetteers load on the
/// worker thread, not before the first frame.
struct LazyRecognizer {
    user: UserEntities,
    recognizer: OnceLock<Recognizer>,
}

impl LazyRecognizer {
    fn get(&self) -> &Recognizer {
        self.recognizer
            .get_or_init(|| Recognizer::new(self.user.clone()))
    }
}

impl FindEntities for LazyRecognizer {
    fn find(&self, article: &Article) -> Vec<Entity> {
        self.get().recognize_article(article)
    }

    fn prepare(&self) {
        self.get();
    }
}

impl FsLoader {
    /// Cleaning articles with `rules`, with the user's entity list from
    /// `dirs`; a broken list is reported in the returned warning and the
    /// built-in knowledge used alone.
    pub fn new(dirs: Option<&Dirs>, rules: Rules) -> (FsLoader, Option<String>) {
        let (user, warning) = match dirs {
            Some(d) => {
                let (user, err) = UserEntities::load_or_default(d);
                (user, err.map(|e| e.to_string()))
            }
            None => (UserEntities::default(), None),
        };
        (
            FsLoader {
                finder: Arc::new(LazyRecognizer {
                    user,
                    recognizer: OnceLock::new(),
                }),
                rules,
            },
            warning,
        )
    }
}

impl Loader for FsLoader {
    fn open(&self, path: &Path) -> Result<Opened, OpenError> {
        // Taken before reading: if the file changes while it is read, the
        // next open sees a new version and finds its entities again.
        let version = std::fs::metadata(path)
            .map(|m| Version::of(&m))
            .unwrap_or_default();
        let article = article::open(path, &self.rules)?;
        Ok(Opened { article, version })
    }

    fn finder(&self) -> Arc<dyn FindEntities> {
        self.finder.clone()
    }
}

/// The articles of a folder, newest first, with notes about files that
/// could not be read (shown to the user, never silently dropped).
pub fn list_library(dir: &Path, dirs: &Dirs, rules: &Rules) -> (Vec<Entry>, Vec<String>) {
    let (library, notes) = Library::open(dir, dirs, rules);
    (
        library.entries,
        notes.iter().map(|n| n.to_string()).collect(),
    )
}
