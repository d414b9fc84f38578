//! The reader's pure core: state, named actions and what they do.

pub mod component;
pub mod copy;
pub mod doc;
pub mod geometry;
pub mod i18n;
pub mod layers;
pub mod library_index;
mod library_search;
pub mod links;
pub mod loader;

pub use crate::action::Action;
pub mod panes;
pub mod recognition;
pub mod scroll;
pub mod stamp;
pub mod start;
#[cfg(test)]
mod tests;

use crate::config::{Config, LangPref};
use crate::keymap::Key;
use crate::layout::LayoutOptions;
use crate::state::{article_key, ArticleKey, Bookmark, StateFile};
use component::{Component, Outcome};
use doc::{Doc, EntityStatus, LayoutFn};
use geometry::{Geometry, Pane, Rect};
use i18n::{looks_arabic, Lang, Msg};
pub use layers::{Layer, LayerOutcome, Prompt};
use library_index::LibraryIndex;
use loader::{Entry, First, Loader, PendingRest};
use panes::list::ArticleList;
use panes::results::{Asked, Results};
pub use panes::sidebar::{SideRow, Sidebar};
use recognition::{ArticleId, Done, Outcome as Recognized, Recognition};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A bookmark as listed in the bookmarks overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookmarkItem {
    pub key: ArticleKey,
    pub title: String,
    pub bookmark: Bookmark,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub warning: bool,
}

/// Everything the reader shows and remembers during a session.
pub struct State {
    pub config: Config,
    /// The library listing (empty when a single file was opened).
    pub list: ArticleList,
    /// Whether qari was started on a single file (no list to go back to).
    pub single: bool,
    /// The reading pane: the open article.
    pub doc: Option<Doc>,
    pub sidebar: Sidebar,
    /// Library search results or the articles mentioning an entity, shown
    /// in the list's place until Back.
    pub results: Option<Results>,
    /// The library's search index (none for a single file).
    library_index: Option<LibraryIndex>,
    /// A library request waiting for the index to be built.
    pending: Option<Asked>,
    pub focus: Pane,
    /// The pane shown when the terminal is too narrow for more than one.
    pub screen: Pane,
    entities_pref: Option<bool>,
    /// Overlays and the prompt, bottom first; the last one takes keys.
    layers: Vec<Layer>,
    pub message: Option<Message>,
    pub size: (u16, u16),
    pub store: StateFile,
    /// The open article's position as last put in `store`: only a move
    /// made here is recorded, so another instance's later move of the same
    /// article is not overwritten by a stale one.
    remembered: Option<usize>,
    loader: Box<dyn Loader>,
    /// Finds entities off the UI thread and keeps them for the session.
    recognition: Recognition,
    /// Which version of which file `doc` is: results for anything else are
    /// cached but not applied.
    doc_id: Option<ArticleId>,
    /// The whole import of `doc` when only its head is shown.
    loading: Option<PendingRest>,
    layout_fn: LayoutFn,
    pub quit: bool,
    /// Set by Redraw: the UI clears the terminal before the next frame.
    pub full_redraw: bool,
    /// Set by Suspend: the UI stops the process (Ctrl-Z) and resumes.
    pub suspend: bool,
    /// Set by Copy: text the UI puts on the clipboard (OSC 52).
    pub clipboard: Option<String>,
    /// Set by OpenSource: the address the UI opens or shows.
    pub open_request: Option<String>,
}

/// Paragraphs a head must have past the saved position to be shown
/// before the whole article: enough to fill a tall screen below it.
const HEAD_MARGIN: usize = 48;

/// Cells between the reading pane's border and its text on each side: the
/// focus bar and a space.
pub const READER_MARGIN: u16 = 2;

impl State {
    pub fn new(
        config: Config,
        library: Vec<Entry>,
        store: StateFile,
        loader: Box<dyn Loader>,
        recognition: Recognition,
    ) -> State {
        State {
            config,
            list: ArticleList::new(library),
            single: false,
            doc: None,
            sidebar: Sidebar::default(),
            results: None,
            library_index: None,
            pending: None,
            focus: Pane::List,
            screen: Pane::List,
            entities_pref: None,
            layers: Vec::new(),
            message: None,
            remembered: None,
            size: (80, 24),
            store,
            loader,
            recognition,
            doc_id: None,
            loading: None,
            layout_fn: crate::layout::layout_paragraph,
            quit: false,
            full_redraw: false,
            suspend: false,
            clipboard: None,
            open_request: None,
        }
    }

    /// Search the library through `index` (built on first use).
    pub fn with_library_index(mut self, index: LibraryIndex) -> State {
        self.library_index = Some(index);
        self
    }

    /// Use another layout function (tests of the core only).
    pub fn with_layout_fn(mut self, f: LayoutFn) -> State {
        self.layout_fn = f;
        self
    }

    /// Whether the terminal reorders text itself (`bidi = "terminal"`):
    /// lines are then written in logical order, unshaped and unmirrored.
    pub fn logical_output(&self) -> bool {
        self.config.bidi == crate::config::BidiMode::Terminal
    }

    pub fn layout_options(&self) -> LayoutOptions {
        let app = !self.logical_output();
        LayoutOptions {
            shape: self.config.shaping && app,
            mirror: app,
            reorder: app,
            ..LayoutOptions::default()
        }
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            warning: true,
        });
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            warning: false,
        });
    }

    /// The interface language.
    pub fn lang(&self) -> Lang {
        match self.config.lang {
            LangPref::Ar => Lang::Ar,
            LangPref::En => Lang::En,
            LangPref::Auto => {
                let arabic = match &self.doc {
                    Some(d) => looks_arabic(&d.article.title),
                    None if self.list.is_empty() => true,
                    None => {
                        let sample: String = self
                            .list
                            .entries()
                            .iter()
                            .take(20)
                            .map(|e| e.title.as_str())
                            .collect();
                        looks_arabic(&sample)
                    }
                };
                if arabic {
                    Lang::Ar
                } else {
                    Lang::En
                }
            }
        }
    }

    pub fn text(&self, msg: Msg) -> &'static str {
        self.lang().text(msg)
    }

    pub fn is_read(&self, library_index: usize) -> bool {
        self.list
            .key(library_index)
            .and_then(|k| self.store.article(k))
            .is_some_and(|a| a.read)
    }

    pub fn entities_visible(&self) -> bool {
        self.entities_pref
            .unwrap_or(self.size.0 >= geometry::ENTITIES_WIDTH)
    }

    pub fn narrow(&self) -> bool {
        Geometry::narrow(self.size.0)
    }

    pub fn geometry(&self) -> Geometry {
        let screen = if self.single && self.screen == Pane::List {
            Pane::Reader
        } else {
            self.screen
        };
        Geometry::compute(
            self.size.0,
            self.size.1,
            self.config.layout,
            !self.single,
            self.entities_visible(),
            screen,
        )
    }

    /// The reading pane's text area (inside the border and the margins).
    pub fn reader_text_rect(&self) -> Option<Rect> {
        let inner = self.geometry().reader?.inner();
        Some(Rect {
            x: inner.x + READER_MARGIN,
            y: inner.y,
            width: inner.width.saturating_sub(2 * READER_MARGIN),
            height: inner.height,
        })
    }

    /// Rows per list item (title and metadata line).
    pub const LIST_ITEM_ROWS: usize = 2;

    fn list_page(&self) -> usize {
        let h = self
            .geometry()
            .list
            .map_or(10, |r| r.inner().height as usize);
        // One row is the pane heading.
        (h.saturating_sub(1) / Self::LIST_ITEM_ROWS).max(1)
    }

    fn side_page(&self) -> usize {
        let h = self
            .geometry()
            .entities
            .map_or(10, |r| r.inner().height as usize);
        h.saturating_sub(1).max(1)
    }

    /// Bring the core's idea of sizes in line with the screen.
    pub fn sync(&mut self) {
        let text = self.reader_text_rect();
        let show = self.entities_visible() && !self.narrow() || self.screen == Pane::Entities;
        if let Some(doc) = &mut self.doc {
            if let Some(r) = text {
                doc.set_viewport(r.width as usize, r.height as usize);
            }
            doc.set_show_kinds(show);
        }
        let page = self.list_page();
        self.list.sync(page);
        if let Some(r) = &mut self.results {
            r.sync(page);
        }
        let page = self.side_page();
        self.sidebar.sync(page);
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        if self.narrow() {
            self.screen = if self.focus == Pane::List && !self.single {
                Pane::List
            } else {
                self.focus
            };
        } else if self.focus == Pane::Entities && !self.entities_visible() {
            self.focus = Pane::Reader;
        }
        self.sync();
    }

    /// The entity sidebar's rows (none when no article is open).
    pub fn side_rows(&self) -> &[SideRow] {
        match self.doc {
            Some(_) => self.sidebar.rows(),
            None => &[],
        }
    }

    /// The top layer, if any (the one that takes keys).
    pub fn top_layer(&self) -> Option<&Layer> {
        self.layers.last()
    }

    /// The layers over the panes, bottom first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The open prompt, if the top layer is one.
    pub fn prompt(&self) -> Option<&Prompt> {
        match self.layers.last() {
            Some(Layer::Prompt(p)) => Some(p),
            _ => None,
        }
    }

    fn push_layer(&mut self, layer: Layer) {
        self.layers.push(layer);
    }

    /// All bookmarks, grouped by article.
    pub fn bookmark_items(&self) -> Vec<BookmarkItem> {
        let mut items: Vec<BookmarkItem> = self
            .store
            .articles()
            .flat_map(|(key, a)| {
                a.bookmarks.iter().map(move |b| BookmarkItem {
                    key: key.clone(),
                    title: a.title.clone(),
                    bookmark: b.clone(),
                })
            })
            .collect();
        items.sort_by(|a, b| {
            a.title
                .cmp(&b.title)
                .then(a.bookmark.paragraph.cmp(&b.bookmark.paragraph))
        });
        items
    }

    // --- opening and closing ------------------------------------------

    /// Open the article at `path`. On failure the message says why and the
    /// current view stays as it was. The article is shown at once; its
    /// entities come from this session's cache or, later, from the worker
    /// (see [`State::receive_entities`]).
    pub fn open_path(&mut self, path: &std::path::Path) -> bool {
        let (opened, rest) = match self.loader.open_first(path) {
            Ok(First::Whole(opened)) => (opened, None),
            Ok(First::Head { head, rest }) => (head, Some(rest)),
            Err(e) => {
                self.warn(e.to_string());
                return false;
            }
        };
        self.close_doc();
        let key = article_key(path);
        // Bookmarks or positions another instance saved meanwhile.
        self.refresh_store();
        // A head is shown only when the saved position is in it (not on
        // its last paragraph, which the whole text may continue) and the
        // positions already count reading units; otherwise the reader
        // waits for the whole article, as before heads.
        let (opened, rest) = match rest {
            Some(rest) => {
                let fits = self.store.article(&key).is_none_or(|a| {
                    a.units && a.position + HEAD_MARGIN < opened.article.paragraphs.len()
                });
                if fits {
                    (opened, Some(rest))
                } else {
                    match rest.wait() {
                        Ok(whole) => (whole, None),
                        Err(why) => {
                            let lang = self.lang();
                            self.warn(format!("{}: {why}", lang.text(Msg::LoadFailed)));
                            return false;
                        }
                    }
                }
            }
            None => (opened, None),
        };
        let id = ArticleId {
            key: key.clone(),
            version: opened.version,
        };
        let article = Arc::new(opened.article);
        let options = self.layout_options();
        let mut doc = Doc::new(article.clone(), key.clone(), self.layout_fn, options);
        doc.set_logical(self.logical_output());
        match &rest {
            // Entities are found in the whole text, once it is here.
            Some(rest) => doc.set_partial(rest.text_len),
            None => {
                if let Some(entities) = self.recognition.request(&id, &article) {
                    doc.set_entities(entities);
                }
            }
        }
        self.sidebar.set_entities(&doc.entities);
        let title = doc.article.title.clone();
        if self.store.article(&key).is_none_or(|a| a.title != title) {
            self.store.article_mut(&key).title = title;
        }
        // A position or bookmark saved before long paragraphs were
        // cut into reading units points at the unit it was in.
        if self.store.article(&key).is_some_and(|a| !a.units) {
            let sources = crate::article::units::sources(&doc.article.paragraphs);
            self.store.article_mut(&key).count_units(&sources);
        }
        let saved = self.store.article(&key).map_or(0, |a| a.position);
        if let Some(r) = self.reader_text_rect() {
            doc.set_viewport(r.width as usize, r.height as usize);
        }
        doc.focus(saved);
        self.remembered = Some(doc.focused);
        self.doc = Some(doc);
        self.doc_id = Some(id);
        // A note was about what was on screen before; a warning stays until
        // Esc or the next message replaces it.
        if self.message.as_ref().is_some_and(|m| !m.warning) {
            self.message = None;
        }
        if rest.is_some() {
            let lang = self.lang();
            self.note(lang.text(Msg::LoadingRest));
        }
        self.loading = rest;
        self.focus = Pane::Reader;
        self.screen = Pane::Reader;
        self.sync();
        true
    }

    // --- the rest of an article shown head first ----------------------

    /// Whether the open article is still being imported.
    pub fn loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Take in the whole article if the worker has it, without waiting.
    /// Returns whether the screen changed.
    fn receive_rest(&mut self) -> bool {
        let Some(result) = self.loading.as_ref().and_then(|r| r.poll()) else {
            return false;
        };
        self.loading = None;
        self.finish_rest(result);
        true
    }

    /// Wait for the whole article if only its head is here (for what
    /// needs all of it: search, the last page, bookmarks, entities).
    pub fn finish_loading(&mut self) {
        if let Some(rest) = self.loading.take() {
            let result = rest.wait();
            self.finish_rest(result);
        }
    }

    /// The whole article replaces its head where the reader is, and its
    /// entities are asked for. On failure the head stays, marked partial
    /// (nothing is marked read from it), and the message says why.
    fn finish_rest(&mut self, result: Result<loader::Opened, String>) {
        let lang = self.lang();
        let Some(doc) = &mut self.doc else { return };
        let loading_note = lang.text(Msg::LoadingRest);
        match result {
            Ok(whole) => {
                let id = ArticleId {
                    key: doc.key.clone(),
                    version: whole.version,
                };
                let article = Arc::new(whole.article);
                doc.replace_article(article.clone());
                if let Some(entities) = self.recognition.request(&id, &article) {
                    doc.set_entities(entities);
                }
                self.sidebar.set_entities(&doc.entities);
                self.doc_id = Some(id);
                if self
                    .message
                    .as_ref()
                    .is_some_and(|m| m.text == loading_note)
                {
                    self.message = None;
                }
                self.sync();
            }
            Err(why) => {
                doc.set_entities_failed(why.clone());
                self.warn(format!("{}: {why}", lang.text(Msg::LoadFailed)));
            }
        }
    }

    /// Whether `action` needs the whole article: everything but moving
    /// about the head's first part (and quitting, redrawing, suspending).
    fn needs_whole(&self, action: Action) -> bool {
        let Some(doc) = &self.doc else {
            return false;
        };
        match action {
            Action::Quit | Action::Redraw | Action::Suspend | Action::Help => false,
            Action::Next | Action::Prev | Action::PageDown | Action::PageUp | Action::Top => {
                // Within a few screens of the head's end, the whole text
                // decides where a move lands.
                let (_, height) = doc.viewport();
                let left = doc.paragraph_count().saturating_sub(doc.focused + 1);
                left < 2 * height + 8
            }
            _ => true,
        }
    }

    // --- entities found off the UI thread ------------------------------

    /// Whether the open article's entities are still being looked for (the
    /// UI then wakes up for them; see [`State::receive_entities`]).
    pub fn awaiting_entities(&self) -> bool {
        self.doc
            .as_ref()
            .is_some_and(|d| d.entity_status == EntityStatus::Finding)
    }

    /// Take in whatever results the worker has sent, without waiting.
    /// Returns whether the screen changed.
    pub fn receive_entities(&mut self) -> bool {
        let mut changed = self.receive_rest();
        while let Some(done) = self.recognition.try_recv() {
            changed |= self.apply_entities(done);
        }
        changed
    }

    /// Wait up to `timeout` for the open article's entities (for callers
    /// that need them before going on: tests and snapshots; the UI never
    /// waits). Returns whether they are there (found or failed).
    pub fn wait_for_entities(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        self.finish_loading();
        self.receive_entities();
        while self.awaiting_entities() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            if let Some(done) = self.recognition.recv_timeout(left) {
                self.apply_entities(done);
            }
        }
        true
    }

    /// A result from the worker: applied if it is for the open article (the
    /// same file in the same version) and that one is still waiting;
    /// otherwise only cached (by [`Recognition`]).
    fn apply_entities(&mut self, done: Done) -> bool {
        let waiting = self.awaiting_entities() && self.doc_id.as_ref() == Some(&done.id);
        if !waiting {
            return false;
        }
        let Some(doc) = &mut self.doc else {
            return false;
        };
        match done.outcome {
            Recognized::Found(entities) => {
                doc.set_entities(entities);
                self.sidebar.set_entities(&doc.entities);
                self.sync();
            }
            Recognized::Failed(why) => {
                doc.set_entities_failed(why.clone());
                let lang = self.lang();
                self.warn(format!("{}: {why}", lang.text(Msg::EntitiesFailed)));
            }
            // Dropped for a newer request while this article was left; it
            // is open again, so ask again.
            Recognized::Skipped => {
                let article = doc.article.clone();
                if let Some(entities) = self.recognition.request(&done.id, &article) {
                    doc.set_entities(entities);
                    self.sidebar.set_entities(&doc.entities);
                    return true;
                }
                return false;
            }
        }
        true
    }

    /// Remember the open article's position and close it.
    fn close_doc(&mut self) {
        self.remember_position();
        // A head's whole import still under way is dropped with it.
        self.loading = None;
        self.doc = None;
        self.doc_id = None;
        self.sidebar = Sidebar::default();
    }

    /// Record the open article's position in the reading state (memory
    /// only; [`State::save`] writes it).
    pub fn remember(&mut self) {
        self.remember_position();
    }

    fn remember_position(&mut self) {
        if let Some(doc) = &self.doc {
            let (key, pos, end) = (doc.key.clone(), doc.focused, doc.at_end());
            let moved = self.remembered != Some(pos);
            let unread = end && !self.store.article(&key).is_some_and(|a| a.read);
            if moved || unread {
                let a = self.store.article_mut(&key);
                if moved {
                    a.set_position(pos);
                }
                // Reaching the last paragraph marks the article read.
                a.read |= end;
                self.remembered = Some(pos);
            }
        }
    }

    /// Save the reading state (on quit, on signals, after changes).
    pub fn save(&mut self) -> Result<(), String> {
        self.remember_position();
        let result = self.store.save();
        for w in self.store.take_warnings() {
            self.warn(w);
        }
        result.map_err(|e| crate::state::not_saved(&e, self.store.unsaved_articles()))
    }

    /// Save after a change. A failure is shown once in the status line
    /// (not again while it keeps failing the same way); what is in memory
    /// stays and the next change tries again. Returns whether it saved.
    fn save_now(&mut self) -> bool {
        let before = self.store.failure().map(str::to_owned);
        match self.save() {
            Ok(()) => {
                if before.is_some() {
                    let lang = self.lang();
                    self.note(lang.text(Msg::StateSaved));
                }
                true
            }
            Err(e) => {
                if before.as_deref() != self.store.failure() {
                    self.warn(e);
                }
                false
            }
        }
    }

    /// Take in what other instances saved (the bookmark list, the list's
    /// read marks).
    pub fn refresh_store(&mut self) {
        self.store.refresh();
        for w in self.store.take_warnings() {
            self.warn(w);
        }
    }

    // --- input --------------------------------------------------------

    /// A key press: goes to the top layer if there is one, else through
    /// the keymap to the active pane.
    pub fn handle_key(&mut self, key: Key) {
        let action = self.config.keymap.action(&key);
        if self.layers.is_empty() {
            if let Some(action) = action {
                self.apply(action);
            }
        } else {
            self.layer_key(&key, action);
        }
        self.sync();
    }

    fn layer_key(&mut self, key: &Key, action: Option<Action>) {
        let items = match self.layers.last() {
            Some(Layer::Bookmarks { .. }) => self.bookmark_items().len(),
            _ => 0,
        };
        let Some(layer) = self.layers.last_mut() else {
            return;
        };
        match layer.handle_key(key, action, items) {
            LayerOutcome::Stay => {}
            LayerOutcome::Close => {
                self.layers.pop();
            }
            LayerOutcome::Global(action) => self.apply(action),
            LayerOutcome::Edited(Prompt::Filter(t)) => {
                if self.results.is_none() {
                    self.list.set_filter(t)
                }
            }
            LayerOutcome::Edited(Prompt::Search(t)) => self.run_search(&t, false),
            LayerOutcome::Submitted(prompt) => {
                self.layers.pop();
                match prompt {
                    Prompt::Search(q) => self.run_search(&q, true),
                    Prompt::Filter(q) if !q.trim().is_empty() => {
                        self.ask_library(Asked::Query(q));
                    }
                    Prompt::Filter(_) => {}
                }
            }
            LayerOutcome::Cancelled(prompt) => {
                self.layers.pop();
                match prompt {
                    Prompt::Filter(_) => self.list.set_filter(String::new()),
                    Prompt::Search(_) => {
                        if let Some(doc) = &mut self.doc {
                            doc.clear_highlights();
                        }
                    }
                }
            }
            LayerOutcome::OpenBookmark(cursor) => {
                self.layers.pop();
                self.open_bookmark(cursor);
            }
        }
    }

    fn open_bookmark(&mut self, cursor: usize) {
        let Some(item) = self.bookmark_items().get(cursor).cloned() else {
            return;
        };
        let same = self.doc.as_ref().is_some_and(|d| d.key == item.key);
        if same || self.open_path(item.key.path()) {
            self.finish_loading();
            if let Some(doc) = &mut self.doc {
                doc.focus(item.bookmark.paragraph);
            }
            self.set_pane(Pane::Reader);
        }
    }

    fn run_search(&mut self, query: &str, submitted: bool) {
        let lang = self.lang();
        let Some(doc) = &mut self.doc else { return };
        if query.trim().is_empty() {
            doc.clear_highlights();
            return;
        }
        let from = doc.focused;
        let n = doc.set_search(query, from);
        if submitted && n == 0 {
            self.warn(lang.text(Msg::NoMatches));
        }
    }

    /// Mouse wheel over the screen at column `x`, row `y`.
    pub fn wheel(&mut self, x: u16, y: u16, down: bool) {
        if !self.layers.is_empty() {
            return;
        }
        let g = self.geometry();
        let inside = |r: Option<Rect>| {
            r.is_some_and(|r| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)
        };
        let step = if down { 1 } else { -1 };
        if inside(g.reader) {
            if let Some(doc) = &mut self.doc {
                doc.scroll(3 * step);
            }
        } else if inside(g.list) {
            match &mut self.results {
                Some(r) => r.scroll(step),
                None => self.list.scroll(step),
            }
        } else if inside(g.entities) {
            let outcome = self.sidebar.scroll(step);
            self.carry_out(outcome);
        }
        self.sync();
    }

    // --- actions ------------------------------------------------------

    /// The pane actions go to.
    pub fn active_pane(&self) -> Pane {
        if self.narrow() {
            self.geometry_screen()
        } else if self.single && self.focus == Pane::List {
            Pane::Reader
        } else {
            self.focus
        }
    }

    fn geometry_screen(&self) -> Pane {
        if self.single && self.screen == Pane::List {
            Pane::Reader
        } else {
            self.screen
        }
    }

    fn panes(&self) -> Vec<Pane> {
        let mut panes = Vec::new();
        if !self.single {
            panes.push(Pane::List);
        }
        panes.push(Pane::Reader);
        if self.entities_visible() || self.narrow() {
            panes.push(Pane::Entities);
        }
        panes
    }

    fn set_pane(&mut self, pane: Pane) {
        self.focus = pane;
        self.screen = pane;
    }

    /// Carry out one action: first what works anywhere, then the active
    /// pane's component, then what it asked for beyond itself.
    pub fn apply(&mut self, action: Action) {
        if self.loading.is_some() && self.needs_whole(action) {
            self.finish_loading();
        }
        if self.apply_global(action) {
            return;
        }
        let outcome = match self.active_pane() {
            Pane::List => {
                let page = self.list_page();
                match &mut self.results {
                    Some(r) => r.handle(action, page),
                    None => self.list.handle(action, page),
                }
            }
            Pane::Entities => {
                let page = self.side_page();
                match self.doc {
                    Some(_) => self.sidebar.handle(action, page),
                    None => Outcome::Ignored,
                }
            }
            Pane::Reader => match &mut self.doc {
                Some(doc) => doc.handle(action, 0),
                None => Outcome::Ignored,
            },
        };
        self.carry_out(outcome);
    }

    /// What a pane asked for beyond itself.
    fn carry_out(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Handled | Outcome::Ignored => {}
            Outcome::Open(path) => {
                self.open_path(&path);
            }
            Outcome::SelectEntity(i) => {
                if let Some(doc) = &mut self.doc {
                    doc.select_entity(Some(i));
                }
            }
            Outcome::JumpToEntity(i) => {
                let Some(doc) = &mut self.doc else { return };
                doc.select_entity(Some(i));
                doc.jump_to_mention();
                let asked = doc.entities.get(i).map(|e| Asked::Entity {
                    kind: e.kind,
                    name: e.text.clone(),
                });
                self.set_pane(Pane::Reader);
                // The other articles about it fill the list's place.
                if let Some(asked) = asked.filter(|_| !self.single) {
                    self.ask_library(asked);
                }
            }
            Outcome::OpenResult(path, hits) => self.open_result(&path, &hits),
            Outcome::Moved => {
                if self.doc.as_ref().is_some_and(|d| d.at_end()) {
                    self.remember_position();
                }
            }
            Outcome::NoMatch => {
                let lang = self.lang();
                self.warn(lang.text(Msg::NoMatches));
            }
        }
    }

    /// Actions that are not one pane's: quitting, layers, pane focus,
    /// marks. Returns whether `action` was one.
    fn apply_global(&mut self, action: Action) -> bool {
        let pane = self.active_pane();
        match action {
            Action::Quit => self.quit = true,
            Action::Redraw => self.full_redraw = true,
            Action::Suspend => self.suspend = true,
            Action::Copy => self.copy(),
            Action::OpenSource => self.open_source(),
            Action::Help => self.push_layer(Layer::Help { scroll: 0 }),
            Action::Bookmarks => {
                self.refresh_store();
                self.push_layer(Layer::Bookmarks { cursor: 0 });
            }
            Action::NextPane | Action::PrevPane => {
                let panes = self.panes();
                let at = panes.iter().position(|p| *p == pane).unwrap_or(0);
                let n = panes.len();
                let next = if action == Action::NextPane {
                    (at + 1) % n
                } else {
                    (at + n - 1) % n
                };
                self.set_pane(panes[next]);
            }
            Action::ToggleEntities => {
                if self.narrow() {
                    let back = if self.doc.is_some() || self.single {
                        Pane::Reader
                    } else {
                        Pane::List
                    };
                    self.set_pane(if pane == Pane::Entities {
                        back
                    } else {
                        Pane::Entities
                    });
                } else {
                    let now = !self.entities_visible();
                    self.entities_pref = Some(now);
                    if !now && self.focus == Pane::Entities {
                        self.focus = Pane::Reader;
                    }
                }
            }
            Action::Search => match pane {
                Pane::List => {
                    let filter = self.list.filter().to_owned();
                    self.push_layer(Layer::Prompt(Prompt::Filter(filter)));
                }
                _ if self.doc.is_some() => {
                    self.push_layer(Layer::Prompt(Prompt::Search(String::new())))
                }
                _ => {}
            },
            Action::Clear => {
                if let Some(doc) = &mut self.doc {
                    doc.clear_highlights();
                }
                if pane == Pane::List && !self.list.filter().is_empty() {
                    self.list.set_filter(String::new());
                } else if pane == Pane::List {
                    self.results = None;
                }
                self.message = None;
            }
            // Matches step in the reading pane whichever pane is focused.
            Action::NextMatch | Action::PrevMatch => {
                if let Some(doc) = &mut self.doc {
                    let outcome = doc.handle(action, 0);
                    self.carry_out(outcome);
                }
            }
            Action::Back => match pane {
                Pane::List if self.results.is_some() => self.results = None,
                Pane::List => self.quit = true,
                _ if self.single => self.quit = true,
                _ => {
                    self.save_now();
                    self.refresh_store();
                    self.set_pane(Pane::List);
                }
            },
            Action::ToggleRead => self.toggle_read(pane),
            Action::Bookmark => self.toggle_bookmark(),
            _ => return false,
        }
        true
    }

    fn toggle_read(&mut self, pane: Pane) {
        let key = match pane {
            Pane::List if self.results.is_some() => self
                .results
                .as_ref()
                .and_then(|r| r.selected())
                .map(|item| article_key(&item.path)),
            Pane::List => self.list.selected().and_then(|i| self.list.key(i)).cloned(),
            _ => self.doc.as_ref().map(|d| d.key.clone()),
        };
        if let Some(key) = key {
            let lang = self.lang();
            let a = self.store.article_mut(&key);
            a.read = !a.read;
            let msg = if a.read { Msg::Read } else { Msg::Unread };
            if self.save_now() {
                self.note(lang.text(msg));
            }
        }
    }

    fn toggle_bookmark(&mut self) {
        let lang = self.lang();
        let Some(doc) = &self.doc else { return };
        if doc.paragraph_count() == 0 {
            return;
        }
        let p = doc.focused;
        let snippet: String = doc.article.paragraphs[p].text.chars().take(80).collect();
        let key = doc.key.clone();
        // Another instance may have set or removed this one: toggle what
        // is saved now.
        self.refresh_store();
        let a = self.store.article_mut(&key);
        let msg = if a.toggle_bookmark(p, snippet) {
            Msg::Bookmarked
        } else {
            Msg::BookmarkRemoved
        };
        if self.save_now() {
            self.note(lang.text(msg));
        }
    }
}
