//! The reader's one seam to the rest of qari: listing a library, opening an
//! article, finding its entities. Everything the reader needs from article
//! import and entity recognition goes through [`Loader`], so tests can feed
//! it articles built in memory.

use crate::article::{self, Article, Library, OpenError, Opening, Rules};
use crate::entities::{Entity, Recognizer, UserEntities};
use crate::store::Dirs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, TryRecvError};
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

/// What opening an article gave the reader to show first.
pub enum First {
    Whole(Opened),
    /// Its head, cleaned as the whole import cleans it; the whole article
    /// comes through `rest`.
    Head {
        head: Opened,
        rest: PendingRest,
    },
}

/// The whole import of an article shown head first, under way on a worker
/// thread ([`IMPORT_WORKER`]).
pub struct PendingRest {
    rx: Receiver<Result<Opened, String>>,
    /// Bytes of text of the whole article (for the percentage read).
    pub text_len: usize,
}

/// The import worker's thread name.
pub const IMPORT_WORKER: &str = "qari-import";

impl PendingRest {
    /// Run `work` on a worker thread; its result comes through
    /// [`PendingRest::poll`] or [`PendingRest::wait`]. A panic there (a
    /// bug) becomes an error message, never a crash of the reader.
    pub fn spawn(
        text_len: usize,
        work: impl FnOnce() -> Result<Opened, String> + Send + 'static,
    ) -> PendingRest {
        let (tx, rx) = mpsc::channel();
        let job = move || {
            let result = catch_unwind(AssertUnwindSafe(work))
                .unwrap_or_else(|_| Err("the import stopped on an internal error".to_string()));
            let _ = tx.send(result);
        };
        let spawned = std::thread::Builder::new()
            .name(IMPORT_WORKER.to_string())
            .spawn(job);
        if let Err(e) = spawned {
            // No thread: the result says so and the head stays shown.
            let (tx, rx2) = mpsc::channel();
            let _ = tx.send(Err(format!("cannot start the import: {e}")));
            return PendingRest { rx: rx2, text_len };
        }
        PendingRest { rx, text_len }
    }

    /// The result if it is there, without waiting.
    pub fn poll(&self) -> Option<Result<Opened, String>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(WORKER_GONE.to_string())),
        }
    }

    /// Wait for the result.
    pub fn wait(&self) -> Result<Opened, String> {
        self.rx
            .recv()
            .unwrap_or_else(|_| Err(WORKER_GONE.to_string()))
    }
}

const WORKER_GONE: &str = "the import stopped before it finished";

pub trait Loader {
    /// Import the article at `path`. Runs on the UI thread before the
    /// article is shown, so it does no more than that.
    fn open(&self, path: &Path) -> Result<Opened, OpenError>;
    /// Open the article at `path` for showing as soon as possible: a long
    /// one may come as its head first, the rest imported on a worker.
    fn open_first(&self, path: &Path) -> Result<First, OpenError> {
        self.open(path).map(First::Whole)
    }
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

    fn open_first(&self, path: &Path) -> Result<First, OpenError> {
        let version = std::fs::metadata(path)
            .map(|m| Version::of(&m))
            .unwrap_or_default();
        Ok(match article::open_head(path, &self.rules)? {
            Opening::Whole(i) => First::Whole(Opened {
                article: i.article,
                version,
            }),
            Opening::Head { head, rest } => First::Head {
                head: Opened {
                    article: head.article,
                    version,
                },
                rest: PendingRest::spawn(rest.text_len(), move || {
                    rest.import()
                        .map(|i| Opened {
                            article: i.article,
                            version,
                        })
                        .map_err(|e| e.to_string())
                }),
            },
        })
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
