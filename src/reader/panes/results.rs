//! Library results: the articles that match a library search, or that
//! mention one entity. Shown in the article list's place; Enter opens an
//! article on its first hit, Back returns to the list.

use crate::action::Action;
use crate::entities::EntityKind;
use crate::reader::component::{moved_cursor, scroll_into_view, Component, Outcome};
use crate::reader::panes::lines::LineCache;
use crate::search::{Hit, WordHit};
use std::path::PathBuf;

/// What the results answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asked {
    /// A library search for this query.
    Query(String),
    /// The articles mentioning this entity.
    Entity { kind: EntityKind, name: String },
}

/// Where an article matched, as the index knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemHits {
    /// Query matches as word positions: turned into byte ranges of the
    /// paragraphs once the article is open (its text as read then).
    Words(Vec<WordHit>),
    /// An entity's mentions as byte ranges of the paragraphs.
    Ranges(Vec<Hit>),
}

impl ItemHits {
    pub fn len(&self) -> usize {
        match self {
            ItemHits::Words(h) => h.len(),
            ItemHits::Ranges(h) => h.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hits as byte ranges of `paragraphs`.
    pub fn ranges(&self, paragraphs: &[&str]) -> Vec<Hit> {
        match self {
            ItemHits::Words(h) => crate::search::index::word_ranges(h, paragraphs),
            ItemHits::Ranges(h) => h.clone(),
        }
    }
}

/// One article in the results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultItem {
    pub path: PathBuf,
    pub title: String,
    pub date: Option<String>,
    /// Matches (or mentions) in the article's paragraphs, in reading order,
    /// as they were when the library was indexed.
    pub hits: ItemHits,
    /// The query matched the title.
    pub in_title: bool,
}

impl ResultItem {
    /// How many times it matched: body hits, or 1 for a title-only match.
    pub fn count(&self) -> usize {
        self.hits.len().max(usize::from(self.in_title))
    }
}

pub struct Results {
    asked: Asked,
    items: Vec<ResultItem>,
    cursor: usize,
    top: usize,
    /// Titles and metadata as laid out for the screen.
    pub lines: LineCache,
}

impl Results {
    pub fn new(asked: Asked, items: Vec<ResultItem>) -> Results {
        Results {
            asked,
            items,
            cursor: 0,
            top: 0,
            lines: LineCache::default(),
        }
    }

    pub fn asked(&self) -> &Asked {
        &self.asked
    }

    pub fn items(&self) -> &[ResultItem] {
        &self.items
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn top(&self) -> usize {
        self.top
    }

    /// All the hits of all the articles.
    pub fn total(&self) -> usize {
        self.items.iter().map(ResultItem::count).sum()
    }

    pub fn selected(&self) -> Option<&ResultItem> {
        self.items.get(self.cursor)
    }

    /// Move the cursor by `delta` items (the mouse wheel).
    pub fn scroll(&mut self, delta: isize) {
        if !self.items.is_empty() {
            self.cursor = crate::reader::component::step(self.cursor, self.items.len(), delta);
        }
    }

    /// Keep the cursor in view of `page` items.
    pub fn sync(&mut self, page: usize) {
        scroll_into_view(&mut self.top, self.cursor, page);
    }
}

impl Component for Results {
    fn handle(&mut self, action: Action, page: usize) -> Outcome {
        match action {
            Action::Open => match self.selected() {
                Some(item) => Outcome::OpenResult(item.path.clone(), item.hits.clone()),
                None => Outcome::Handled,
            },
            _ => match moved_cursor(self.cursor, self.items.len(), action, page) {
                Some(c) => {
                    self.cursor = c;
                    Outcome::Handled
                }
                None => Outcome::Ignored,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, hits: usize) -> ResultItem {
        ResultItem {
            path: PathBuf::from(name),
            title: name.into(),
            date: None,
            hits: ItemHits::Ranges(
                (0..hits)
                    .map(|i| Hit {
                        paragraph: i,
                        range: 0..2,
                    })
                    .collect(),
            ),
            in_title: hits == 0,
        }
    }

    #[test]
    fn enter_opens_the_article_under_the_cursor_with_its_hits() {
        let mut r = Results::new(
            Asked::Query("x".into()),
            vec![item("a", 2), item("b", 0), item("c", 1)],
        );
        assert_eq!(r.total(), 4);
        assert_eq!(r.handle(Action::Next, 5), Outcome::Handled);
        assert_eq!(r.handle(Action::Next, 5), Outcome::Handled);
        assert_eq!(r.handle(Action::Next, 5), Outcome::Handled);
        assert_eq!(r.cursor(), 2);
        match r.handle(Action::Open, 5) {
            Outcome::OpenResult(path, hits) => {
                assert_eq!(path, PathBuf::from("c"));
                assert_eq!(hits.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.handle(Action::ToggleRead, 5), Outcome::Ignored);
    }
}
