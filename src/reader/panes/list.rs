//! The article list: the library's entries, a title filter and a cursor.

use crate::action::Action;
use crate::reader::component::{moved_cursor, scroll_into_view, Component, Outcome};
use crate::reader::loader::Entry;
use crate::reader::panes::lines::LineCache;
use crate::state::{article_key, ArticleKey};

pub struct ArticleList {
    entries: Vec<Entry>,
    /// Each entry's reading-state key, computed once (it canonicalizes).
    keys: Vec<ArticleKey>,
    filter: String,
    /// Indices into `entries` that pass the filter.
    visible: Vec<usize>,
    /// Index into `visible`.
    cursor: usize,
    /// First visible item shown.
    top: usize,
    /// Titles and metadata as laid out for the screen.
    pub lines: LineCache,
}

impl ArticleList {
    pub fn new(entries: Vec<Entry>) -> ArticleList {
        let keys = entries.iter().map(|e| article_key(&e.path)).collect();
        let visible = (0..entries.len()).collect();
        ArticleList {
            entries,
            keys,
            filter: String::new(),
            visible,
            cursor: 0,
            top: 0,
            lines: LineCache::default(),
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries that pass the filter, with their index in the library.
    pub fn visible(&self) -> impl Iterator<Item = (usize, &Entry)> + '_ {
        self.visible.iter().map(|&i| (i, &self.entries[i]))
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn top(&self) -> usize {
        self.top
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The reading-state key of library entry `i`.
    pub fn key(&self, i: usize) -> Option<&ArticleKey> {
        self.keys.get(i)
    }

    /// The library index of the entry under the cursor.
    pub fn selected(&self) -> Option<usize> {
        self.visible.get(self.cursor).copied()
    }

    /// Show only entries whose title contains `filter` (Arabic-aware
    /// folding); the cursor stays on the same entry when it still shows.
    pub fn set_filter(&mut self, filter: String) {
        let current = self.selected();
        let folded = crate::search::fold_query(&filter).unwrap_or_default();
        self.visible = (0..self.entries.len())
            .filter(|i| crate::search::contains(&self.entries[*i].title, &folded))
            .collect();
        self.filter = filter;
        self.cursor = current
            .and_then(|c| self.visible.iter().position(|v| *v == c))
            .unwrap_or(0);
        self.top = 0;
    }

    /// Move the cursor by `delta` items (the mouse wheel).
    pub fn scroll(&mut self, delta: isize) {
        if !self.visible.is_empty() {
            self.cursor = crate::reader::component::step(self.cursor, self.visible.len(), delta);
        }
    }

    /// Keep the cursor on an item and in view of `page` items.
    pub fn sync(&mut self, page: usize) {
        if self.cursor >= self.visible.len() {
            self.cursor = self.visible.len().saturating_sub(1);
        }
        scroll_into_view(&mut self.top, self.cursor, page);
    }
}

impl Component for ArticleList {
    fn handle(&mut self, action: Action, page: usize) -> Outcome {
        if action == Action::Open {
            return match self.selected() {
                Some(i) => Outcome::Open(self.entries[i].path.clone()),
                None => Outcome::Handled,
            };
        }
        match moved_cursor(self.cursor, self.visible.len(), action, page) {
            Some(c) => {
                self.cursor = c;
                Outcome::Handled
            }
            None => Outcome::Ignored,
        }
    }
}
