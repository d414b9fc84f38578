//! The reader's questions to the whole library: a search of every
//! article's text (Enter in the list's prompt) and the other articles that
//! mention an entity (Enter on a name in the sidebar). Both answer with a
//! [`Results`] pane in the list's place, from the library index; while the
//! index is being built the request waits and the status line shows the
//! progress.

use super::i18n::Msg;
use super::library_index::IndexStatus;
use super::panes::results::{Asked, ItemHits, ResultItem, Results};
use super::State;
use crate::search::{parse_query, Hit};
use crate::state::article_key;
use std::path::Path;

impl State {
    /// Ask the library; answered at once when the index is there, else
    /// when it is built.
    pub(super) fn ask_library(&mut self, asked: Asked) {
        if let Asked::Query(q) = &asked {
            if let Err(e) = parse_query(q) {
                self.warn(e.to_string());
                return;
            }
        }
        let Some(index) = &mut self.library_index else {
            return;
        };
        index.start();
        if index.ready().is_some() {
            self.answer(asked);
        } else {
            self.pending = Some(asked);
            self.show_index_status();
        }
    }

    /// Whether something is being worked on off the UI thread (the UI then
    /// wakes up to pick it up).
    pub fn busy(&self) -> bool {
        self.awaiting_entities() || self.library_index.as_ref().is_some_and(|i| i.building())
    }

    /// Take in what the workers sent (entities, the index), without
    /// waiting. Returns whether the screen changed.
    pub fn receive(&mut self) -> bool {
        let mut changed = self.receive_entities();
        if self.library_index.as_mut().is_some_and(|i| i.receive()) {
            changed = true;
            let notes = self
                .library_index
                .as_mut()
                .map(|i| i.take_notes())
                .unwrap_or_default();
            if let Some(first) = notes.first() {
                self.warn(first.clone());
            }
            match self.library_index.as_ref().map(|i| i.status()) {
                Some(IndexStatus::Ready(_)) => {
                    if let Some(asked) = self.pending.take() {
                        self.answer(asked);
                    }
                }
                Some(IndexStatus::Failed(why)) => {
                    let why = why.clone();
                    self.pending = None;
                    let lang = self.lang();
                    self.warn(format!("{}: {why}", lang.text(Msg::IndexFailed)));
                }
                _ => self.show_index_status(),
            }
        }
        changed
    }

    /// Wait up to `timeout` for the library index and any request waiting
    /// on it (tests; the UI never waits).
    pub fn wait_for_library(&mut self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        let Some(index) = &mut self.library_index else {
            return false;
        };
        index.start();
        loop {
            self.receive();
            if !self.library_index.as_ref().is_some_and(|i| i.building()) {
                return true;
            }
            if std::time::Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// `(done, total)` while the index is being built for a request.
    pub fn indexing(&self) -> Option<(usize, usize)> {
        match self.library_index.as_ref()?.status() {
            IndexStatus::Building { done, total } if self.pending.is_some() => {
                Some((*done, *total))
            }
            _ => None,
        }
    }

    fn show_index_status(&mut self) {
        if let Some((done, total)) = self.indexing() {
            let lang = self.lang();
            let text = if total == 0 {
                format!("{}…", lang.text(Msg::Indexing))
            } else {
                format!(
                    "{}… {}/{}",
                    lang.text(Msg::Indexing),
                    lang.number(done),
                    lang.number(total)
                )
            };
            self.note(text);
        }
    }

    /// Answer a request from the built index.
    fn answer(&mut self, asked: Asked) {
        let Some(ready) = self.library_index.as_ref().and_then(|i| i.ready()) else {
            return;
        };
        let items: Vec<ResultItem> = match &asked {
            Asked::Query(q) => {
                let Ok(query) = parse_query(q) else { return };
                ready
                    .index
                    .search(&query)
                    .into_iter()
                    .map(|r| ResultItem {
                        path: r.path,
                        title: r.title,
                        date: r.date,
                        hits: ItemHits::Words(r.hits),
                        in_title: r.title_match,
                    })
                    .collect()
            }
            Asked::Entity { kind, name } => {
                let open = self.doc.as_ref().map(|d| d.key.clone());
                ready
                    .index
                    .articles_mentioning(&ready.recognizer, *kind, name)
                    .into_iter()
                    .filter(|a| Some(article_key(&a.path)) != open)
                    .map(|a| ResultItem {
                        in_title: a.mentions.iter().any(|m| m.paragraph().is_none()),
                        // The title's mentions are in the title row; the
                        // hits step through the text.
                        hits: ItemHits::Ranges(
                            a.mentions
                                .iter()
                                .filter_map(|m| {
                                    Some(Hit {
                                        paragraph: m.paragraph()?,
                                        range: m.start..m.end,
                                    })
                                })
                                .collect(),
                        ),
                        path: a.path,
                        title: a.title,
                        date: a.date,
                    })
                    .collect()
            }
        };
        let lang = self.lang();
        if items.is_empty() {
            match &asked {
                Asked::Query(_) => self.warn(lang.text(Msg::NoMatches)),
                Asked::Entity { name, .. } => {
                    self.note(format!("{} {name}", lang.text(Msg::NoOtherArticles)))
                }
            }
            return;
        }
        match &asked {
            // The results stand for the filter: the list comes back whole.
            Asked::Query(_) => {
                self.list.set_filter(String::new());
                self.message = None;
            }
            Asked::Entity { name, .. } => {
                let count = lang.number(items.len());
                self.note(format!("{} {name} ({count})", lang.text(Msg::Mentioning)));
            }
        }
        self.results = Some(Results::new(asked, items));
        self.sync();
    }

    /// Open an article from the results on its first hit, with every hit
    /// highlighted and `n`/`N` stepping through them.
    pub(super) fn open_result(&mut self, path: &Path, hits: &ItemHits) {
        let label = match self.results.as_ref().map(|r| r.asked()) {
            Some(Asked::Query(q)) => q.clone(),
            Some(Asked::Entity { name, .. }) => name.clone(),
            None => String::new(),
        };
        if !self.open_path(path) {
            return;
        }
        // The hits are of the whole text.
        self.finish_loading();
        let Some(doc) = &mut self.doc else { return };
        let paragraphs: Vec<&str> = doc
            .article
            .paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        let ranges = hits.ranges(&paragraphs);
        doc.set_hits(&label, ranges);
        self.sync();
    }
}
