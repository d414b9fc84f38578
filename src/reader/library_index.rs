//! The library's search index for the reader, built off the UI thread.
//!
//! The index ([`crate::search::Index`]) is opened (from its cache, reading
//! only new or changed articles) on a worker thread the first time the
//! reader needs it: a library search or "which articles mention this name".
//! The UI polls [`LibraryIndex::receive`] while it is being built and shows
//! the progress; keys keep working meanwhile.

use crate::article::Rules;
use crate::entities::{Recognizer, UserEntities};
use crate::search::Index;
use crate::store::Dirs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;

/// How long a built index is used as it is: a library question after that
/// opens it again (only new or changed articles are read), so articles saved
/// during a long session are found too.
pub const REFRESH_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// The worker thread's name (the panic hook leaves its panics alone: they
/// are reported in the reader).
pub const WORKER: &str = "qari-index";

/// Whether the calling thread is the index worker.
pub fn on_worker_thread() -> bool {
    std::thread::current().name() == Some(WORKER)
}

/// The index with the recognizer that groups its names (a surname joins
/// the full name), as the worker hands them over.
pub struct Ready {
    pub index: Index,
    pub recognizer: Recognizer,
}

/// Where the index is.
pub enum IndexStatus {
    /// Not asked for yet.
    Idle,
    /// Being opened: `done` of `total` changed articles read.
    Building {
        done: usize,
        total: usize,
    },
    Ready(Arc<Ready>),
    /// The worker could not start or failed; the message says why.
    Failed(String),
}

enum Event {
    Progress(usize, usize),
    Done(Box<Ready>, Vec<String>),
    Failed(String),
}

/// The reader's handle on the library index of one folder.
pub struct LibraryIndex {
    dir: PathBuf,
    dirs: Dirs,
    /// The cleaning rules articles are imported with (as the reader's).
    rules: Rules,
    status: IndexStatus,
    /// When the index in `status` was built.
    built_at: Option<std::time::Instant>,
    events: Option<Receiver<Event>>,
    /// Notes from building (files skipped, a cache set aside), to show once.
    notes: Vec<String>,
}

impl LibraryIndex {
    pub fn new(dir: PathBuf, dirs: Dirs, rules: Rules) -> LibraryIndex {
        LibraryIndex {
            dir,
            dirs,
            rules,
            status: IndexStatus::Idle,
            built_at: None,
            events: None,
            notes: Vec::new(),
        }
    }

    pub fn status(&self) -> &IndexStatus {
        &self.status
    }

    /// The index, once built.
    pub fn ready(&self) -> Option<Arc<Ready>> {
        match &self.status {
            IndexStatus::Ready(r) => Some(r.clone()),
            _ => None,
        }
    }

    /// Whether the worker is still at it (the UI then wakes up for it).
    pub fn building(&self) -> bool {
        matches!(self.status, IndexStatus::Building { .. })
    }

    /// Start building, unless it is under way or was built less than
    /// [`REFRESH_AFTER`] ago.
    pub fn start(&mut self) {
        let fresh = self.built_at.is_some_and(|t| t.elapsed() < REFRESH_AFTER);
        match self.status {
            IndexStatus::Building { .. } => return,
            IndexStatus::Ready(_) if fresh => return,
            _ => {}
        }
        let (tx, rx) = mpsc::channel();
        let (dir, dirs, rules) = (self.dir.clone(), self.dirs.clone(), self.rules.clone());
        let spawned = std::thread::Builder::new()
            .name(WORKER.into())
            .spawn(move || {
                let progress_tx = tx.clone();
                // Progress comes from the builder's own threads; a channel
                // sender is cheap to clone, one per call keeps it Sync.
                let progress = std::sync::Mutex::new(progress_tx);
                let report = |done: usize, total: usize| {
                    if let Ok(tx) = progress.lock() {
                        let _ = tx.send(Event::Progress(done, total));
                    }
                };
                let built = catch_unwind(AssertUnwindSafe(|| {
                    let (index, notes) = Index::open(&dir, &dirs, &rules, &report);
                    let (user, _) = UserEntities::load_or_default(&dirs);
                    let notes = notes
                        .iter()
                        .map(|n| {
                            format!(
                                "{}: {}",
                                crate::text::sanitize_line(&n.path.to_string_lossy()),
                                n.message
                            )
                        })
                        .collect();
                    (index, Recognizer::new(user), notes)
                }));
                let event = match built {
                    Ok((index, recognizer, notes)) => {
                        Event::Done(Box::new(Ready { index, recognizer }), notes)
                    }
                    Err(payload) => Event::Failed(crate::text::panic_message(&*payload)),
                };
                let _ = tx.send(event);
            });
        match spawned {
            Ok(_) => {
                self.status = IndexStatus::Building { done: 0, total: 0 };
                self.events = Some(rx);
            }
            Err(e) => self.status = IndexStatus::Failed(e.to_string()),
        }
    }

    /// Take in what the worker sent, without waiting. Returns whether the
    /// status changed.
    pub fn receive(&mut self) -> bool {
        let Some(rx) = &self.events else {
            return false;
        };
        let mut changed = false;
        loop {
            match rx.try_recv() {
                Ok(Event::Progress(done, total)) => {
                    // Worth a new frame only when the shown percentage
                    // moves: a redraw per article would keep the UI thread
                    // busy for nothing.
                    let percent = |d: usize, t: usize| (d * 100).checked_div(t).unwrap_or(0);
                    if let IndexStatus::Building {
                        done: d0,
                        total: t0,
                    } = self.status
                    {
                        changed |= t0 != total || percent(d0, t0) != percent(done, total);
                    }
                    self.status = IndexStatus::Building { done, total };
                }
                Ok(Event::Done(ready, notes)) => {
                    self.status = IndexStatus::Ready(Arc::from(ready));
                    self.built_at = Some(std::time::Instant::now());
                    self.notes = notes;
                    self.events = None;
                    return true;
                }
                Ok(Event::Failed(why)) => {
                    self.status = IndexStatus::Failed(why);
                    self.events = None;
                    return true;
                }
                Err(TryRecvError::Empty) => return changed,
                Err(TryRecvError::Disconnected) => {
                    self.status = IndexStatus::Failed("the index worker stopped".into());
                    self.events = None;
                    return true;
                }
            }
        }
    }

    /// Treat the index as old, so the next question opens it again (tests).
    #[cfg(test)]
    pub fn expire(&mut self) {
        self.built_at = None;
    }

    /// Notes from the build, once.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }
}
