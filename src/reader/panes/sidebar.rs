//! The entity sidebar: the open article's people, places and organizations
//! in groups, with a cursor.

use crate::action::Action;
use crate::entities::{Entity, EntityKind};
use crate::reader::component::{moved_cursor, Component, Outcome};
use crate::reader::panes::lines::LineCache;

/// A row of the entity sidebar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideRow {
    /// A group heading: the kind and how many entities it has.
    Group(EntityKind, usize),
    /// An entity, by its index in the article's (sorted) entity list.
    Entity(usize),
}

#[derive(Default)]
pub struct Sidebar {
    rows: Vec<SideRow>,
    entities: usize,
    /// Index into the article's entities.
    cursor: usize,
    /// First row shown.
    top: usize,
    /// The rows as laid out for the screen.
    pub lines: LineCache,
    /// Changes with every new list of entities (see [`Sidebar::generation`]).
    generation: u64,
}

/// Generations are drawn from one counter, so no two lists of entities
/// (of this article or another) share one.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Sidebar {
    /// The rows for a list of entities sorted by kind; the cursor goes back
    /// to the first.
    pub fn set_entities(&mut self, entities: &[Entity]) {
        self.rows.clear();
        let mut i = 0;
        while i < entities.len() {
            let kind = entities[i].kind;
            let n = entities[i..].iter().take_while(|e| e.kind == kind).count();
            self.rows.push(SideRow::Group(kind, n));
            self.rows.extend((i..i + n).map(SideRow::Entity));
            i += n;
        }
        self.entities = entities.len();
        self.cursor = 0;
        self.top = 0;
        self.generation = GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Which list of entities the rows are: a new one each
    /// [`Sidebar::set_entities`], 0 before the first.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn rows(&self) -> &[SideRow] {
        &self.rows
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn top(&self) -> usize {
        self.top
    }

    /// Move by `delta` entities (the mouse wheel).
    pub fn scroll(&mut self, delta: isize) -> Outcome {
        if self.entities == 0 {
            return Outcome::Handled;
        }
        self.cursor = crate::reader::component::step(self.cursor, self.entities, delta);
        Outcome::SelectEntity(self.cursor)
    }

    /// Keep the cursor's row in view of `page` rows, with its group heading
    /// when there is room.
    pub fn sync(&mut self, page: usize) {
        let pos = self
            .rows
            .iter()
            .position(|r| *r == SideRow::Entity(self.cursor))
            .unwrap_or(0);
        let page = page.max(1);
        if pos < self.top {
            self.top = pos.saturating_sub(1);
        } else if pos >= self.top + page {
            self.top = pos + 1 - page;
        }
    }
}

impl Component for Sidebar {
    fn handle(&mut self, action: Action, page: usize) -> Outcome {
        if action == Action::Open {
            return if self.entities == 0 {
                Outcome::Handled
            } else {
                Outcome::JumpToEntity(self.cursor)
            };
        }
        match moved_cursor(self.cursor, self.entities, action, page) {
            // Moving through the sidebar highlights as it goes.
            Some(c) => {
                self.cursor = c;
                Outcome::SelectEntity(c)
            }
            None if self.entities == 0 && is_movement(action) => Outcome::Handled,
            None => Outcome::Ignored,
        }
    }
}

fn is_movement(action: Action) -> bool {
    matches!(
        action,
        Action::Next
            | Action::Prev
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom
    )
}
