//! Finding an open article's entities without making the reader wait.
//!
//! The reader shows an article as soon as it is imported. Its entities are
//! found on one worker thread and handed back through a channel; the UI loop
//! picks them up with [`Recognition::try_recv`]. Results are kept for the
//! session under an [`ArticleId`] (file, size, modification time): opening
//! the same article again costs nothing, an edited file is looked at again,
//! and a result that arrives after the reader moved on is kept for later
//! but never shown on another article.

use super::loader::FindEntities;
pub use super::loader::Version;
use crate::article::Article;
use crate::entities::Entity;
use std::collections::{HashMap, HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

/// The worker thread's name; the UI's panic hook leaves the terminal alone
/// for it (a panic there becomes a message, the reader goes on).
pub const WORKER: &str = "qari-entities";

/// Whether the calling thread is the recognition worker.
pub fn on_worker_thread() -> bool {
    std::thread::current().name() == Some(WORKER)
}

/// Results kept per session. Entity lists are small (a few KB), so this is
/// generous; past it the least recently stored are dropped and found again
/// if reopened.
const CACHE_ARTICLES: usize = 512;

/// An article as the cache knows it: its reading-state key (the canonical
/// path) and the version of the file that was read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArticleId {
    pub key: crate::state::ArticleKey,
    pub version: Version,
}

/// What became of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Found(Vec<Entity>),
    /// The recognizer failed (a bug, reported, never a crash of the reader).
    Failed(String),
    /// Dropped unstarted because a newer request came in.
    Skipped,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    pub id: ArticleId,
    pub outcome: Outcome,
}

struct Job {
    id: ArticleId,
    article: Arc<Article>,
}

/// The worker, its channels and the session's cache.
pub struct Recognition {
    finder: Arc<dyn FindEntities>,
    jobs: Option<Sender<Job>>,
    done_tx: Sender<Done>,
    done_rx: Receiver<Done>,
    cache: HashMap<ArticleId, Vec<Entity>>,
    order: VecDeque<ArticleId>,
    in_flight: HashSet<ArticleId>,
}

impl Recognition {
    pub fn new(finder: Arc<dyn FindEntities>) -> Recognition {
        let (done_tx, done_rx) = mpsc::channel();
        Recognition {
            finder,
            jobs: None,
            done_tx,
            done_rx,
            cache: HashMap::new(),
            order: VecDeque::new(),
            in_flight: HashSet::new(),
        }
    }

    /// The entities of `id` if this session found them already; otherwise
    /// `None`, and the worker is asked for them (once: a request already
    /// under way is not repeated). The answer comes through
    /// [`Recognition::try_recv`].
    pub fn request(&mut self, id: &ArticleId, article: &Arc<Article>) -> Option<Vec<Entity>> {
        if let Some(found) = self.cache.get(id) {
            return Some(found.clone());
        }
        if self.in_flight.contains(id) {
            return None;
        }
        self.in_flight.insert(id.clone());
        let job = Job {
            id: id.clone(),
            article: article.clone(),
        };
        let job = match self.worker() {
            Some(tx) => match tx.send(job) {
                Ok(()) => return None,
                // The worker is gone (it never panics out of a job, so this
                // is not expected); do the work here rather than never.
                Err(mpsc::SendError(job)) => {
                    self.jobs = None;
                    job
                }
            },
            None => job,
        };
        // No thread could be started: the reader waits this once, but
        // still gets its entities.
        let _ = self.done_tx.send(Done {
            id: job.id,
            outcome: run(&*self.finder, &job.article),
        });
        None
    }

    /// Start the worker now (it gets the recognizer ready), rather than on
    /// the first request.
    pub fn warm_up(&mut self) {
        self.worker();
    }

    /// The worker's job channel, starting the thread on first use.
    fn worker(&mut self) -> Option<&Sender<Job>> {
        if self.jobs.is_none() {
            let (tx, rx) = mpsc::channel::<Job>();
            let finder = self.finder.clone();
            let done = self.done_tx.clone();
            let spawned = std::thread::Builder::new()
                .name(WORKER.into())
                .spawn(move || work(&*finder, &rx, &done));
            if spawned.is_ok() {
                self.jobs = Some(tx);
            }
        }
        self.jobs.as_ref()
    }

    /// Whether a request for `id` is under way.
    pub fn is_pending(&self, id: &ArticleId) -> bool {
        self.in_flight.contains(id)
    }

    /// A result that has arrived, if any (never blocks). Found entities are
    /// cached before they are returned.
    pub fn try_recv(&mut self) -> Option<Done> {
        let done = self.done_rx.try_recv().ok()?;
        Some(self.settle(done))
    }

    /// The next result, waiting at most `timeout` for it.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<Done> {
        match self.done_rx.recv_timeout(timeout) {
            Ok(done) => Some(self.settle(done)),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    fn settle(&mut self, done: Done) -> Done {
        self.in_flight.remove(&done.id);
        if let Outcome::Found(entities) = &done.outcome {
            if self
                .cache
                .insert(done.id.clone(), entities.clone())
                .is_none()
            {
                self.order.push_back(done.id.clone());
                while self.order.len() > CACHE_ARTICLES {
                    if let Some(old) = self.order.pop_front() {
                        self.cache.remove(&old);
                    }
                }
            }
        }
        done
    }

    /// Number of articles whose entities are cached (for tests).
    pub fn cached(&self) -> usize {
        self.cache.len()
    }
}

/// The worker's loop: one job at a time, only the newest of those waiting
/// (the reader has moved on from the others; they are reported skipped so
/// they can be asked for again). Ends when either side hangs up.
fn work(finder: &dyn FindEntities, jobs: &Receiver<Job>, done: &Sender<Done>) {
    // A failure here shows again, and is reported, on the first job.
    let _ = catch_unwind(AssertUnwindSafe(|| finder.prepare()));
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            let skipped = Done {
                id: std::mem::replace(&mut job, newer).id,
                outcome: Outcome::Skipped,
            };
            if done.send(skipped).is_err() {
                return;
            }
        }
        let outcome = run(finder, &job.article);
        // Let go of the article before reporting, so a closed reader's text
        // is not kept alive by the worker.
        let Job { id, article } = job;
        drop(article);
        if done.send(Done { id, outcome }).is_err() {
            return;
        }
    }
}

/// Run the finder; a panic becomes a failure with its message.
fn run(finder: &dyn FindEntities, article: &Article) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| finder.find(article))) {
        Ok(entities) => Outcome::Found(entities),
        Err(payload) => Outcome::Failed(crate::text::panic_message(&*payload)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Paragraph;
    use crate::entities::EntityKind;
    use std::sync::Mutex;

    /// A finder that names the article's first word as a place and counts
    /// its calls; with a gate, each call waits for the test to open it.
    struct Counting {
        started: Mutex<usize>,
        calls: Mutex<usize>,
        gate: Option<Mutex<Receiver<()>>>,
    }

    impl Counting {
        fn new(gate: Option<Receiver<()>>) -> Arc<Counting> {
            Arc::new(Counting {
                started: Mutex::new(0),
                calls: Mutex::new(0),
                gate: gate.map(Mutex::new),
            })
        }
    }

    impl FindEntities for Counting {
        fn find(&self, article: &Article) -> Vec<Entity> {
            *self.started.lock().unwrap() += 1;
            if let Some(gate) = &self.gate {
                let _ = gate.lock().unwrap().recv_timeout(Duration::from_secs(10));
            }
            *self.calls.lock().unwrap() += 1;
            let text = &article.paragraphs[0].text;
            if text == "panic" {
                panic!("recognizer bug");
            }
            let word = text.split(' ').next().unwrap_or_default();
            vec![Entity {
                text: word.into(),
                kind: EntityKind::Place,
                count: 1,
                mentions: Vec::new(),
            }]
        }
    }

    fn article(text: &str) -> Arc<Article> {
        Arc::new(Article {
            paragraphs: vec![Paragraph::body(text)],
            ..Article::default()
        })
    }

    fn id(key: &str, len: u64) -> ArticleId {
        ArticleId {
            key: crate::state::ArticleKey::new(key),
            version: Version {
                len,
                modified: None,
            },
        }
    }

    fn recv(r: &mut Recognition) -> Done {
        r.recv_timeout(Duration::from_secs(10))
            .expect("a result within 10 s")
    }

    #[test]
    fn found_once_then_cached_and_edits_are_looked_at_again() {
        let finder = Counting::new(None);
        let mut r = Recognition::new(finder.clone());
        let a = id("/a.txt", 10);
        assert_eq!(r.request(&a, &article("القاهرة مدينة")), None);
        assert!(r.is_pending(&a));
        // Asking again while it runs does not start a second job.
        assert_eq!(r.request(&a, &article("القاهرة مدينة")), None);
        let done = recv(&mut r);
        assert_eq!(done.id, a);
        let Outcome::Found(found) = &done.outcome else {
            panic!("{done:?}")
        };
        assert_eq!(found[0].text, "القاهرة");
        assert!(!r.is_pending(&a));
        let again = r.request(&a, &article("القاهرة مدينة")).unwrap();
        assert_eq!(&again, found);
        assert_eq!(*finder.calls.lock().unwrap(), 1);
        assert!(r.try_recv().is_none());
        // Same path, other size: an edited file, found again.
        let edited = id("/a.txt", 12);
        assert_eq!(r.request(&edited, &article("دمشق مدينة")), None);
        let done = recv(&mut r);
        assert_eq!(done.id, edited);
        assert!(matches!(&done.outcome, Outcome::Found(e) if e[0].text == "دمشق"));
        assert_eq!(*finder.calls.lock().unwrap(), 2);
        assert_eq!(r.cached(), 2);
    }

    #[test]
    fn only_the_newest_waiting_request_runs() {
        let (open, gate) = mpsc::channel();
        let finder = Counting::new(Some(gate));
        let mut r = Recognition::new(finder.clone());
        let (a, b, c) = (id("/a", 1), id("/b", 1), id("/c", 1));
        // a starts and waits at the gate; b and c queue behind it.
        r.request(&a, &article("a"));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while *finder.started.lock().unwrap() == 0 {
            assert!(std::time::Instant::now() < deadline, "a never started");
            std::thread::sleep(Duration::from_millis(1));
        }
        r.request(&b, &article("b"));
        r.request(&c, &article("c"));
        for _ in 0..3 {
            open.send(()).unwrap();
        }
        let mut outcomes = HashMap::new();
        for _ in 0..3 {
            let d = recv(&mut r);
            outcomes.insert(d.id.key.path().to_str().unwrap().to_string(), d.outcome);
        }
        assert!(matches!(outcomes["/a"], Outcome::Found(_)));
        assert_eq!(outcomes["/b"], Outcome::Skipped);
        assert!(matches!(outcomes["/c"], Outcome::Found(_)));
        assert!(!r.is_pending(&b));
        assert_eq!(*finder.calls.lock().unwrap(), 2);
        // A skipped request can be made again.
        assert_eq!(r.request(&b, &article("b")), None);
        open.send(()).unwrap();
        assert!(matches!(recv(&mut r).outcome, Outcome::Found(_)));
    }

    #[test]
    fn a_panicking_recognizer_is_a_failure_and_the_worker_goes_on() {
        let finder = Counting::new(None);
        let mut r = Recognition::new(finder);
        let bad = id("/bad", 1);
        r.request(&bad, &article("panic"));
        let done = recv(&mut r);
        assert_eq!(done.outcome, Outcome::Failed("recognizer bug".into()));
        assert_eq!(r.cached(), 0);
        let good = id("/good", 1);
        r.request(&good, &article("بغداد"));
        assert!(matches!(recv(&mut r).outcome, Outcome::Found(_)));
    }
}
