//! How the reader's panes and layers take actions.
//!
//! Each pane (article list, reading pane, entity sidebar) is a component
//! that owns its own state and answers an action with an [`Outcome`]. A
//! component never reaches into another: what an action means beyond its
//! pane (open this article, highlight that entity) is in the outcome, and
//! [`super::State`] carries it out. Overlays and the prompt are
//! [`super::layers::Layer`]s on a stack above the panes; the top one sees a
//! key first.

use crate::action::Action;
use crate::reader::panes::results::ItemHits;
use std::path::PathBuf;

/// What a pane did with an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done within the pane.
    Handled,
    /// Not an action this pane takes.
    Ignored,
    /// Open this article.
    Open(PathBuf),
    /// The sidebar cursor is on this entity: highlight its mentions.
    SelectEntity(usize),
    /// Show this entity's mentions in the reading pane, from the first.
    JumpToEntity(usize),
    /// The reading pane moved; the reading position may need recording.
    Moved,
    /// Asked for the next or previous match and there is none.
    NoMatch,
    /// Open this article of the library results on its first hit.
    OpenResult(PathBuf, ItemHits),
}

/// One pane of the reader.
pub trait Component {
    /// Carry out `action`. `page` is how many rows (items, lines) one
    /// screenful of this pane holds.
    fn handle(&mut self, action: Action, page: usize) -> Outcome;
}

/// Move a cursor over `n` items by an action: the one place list-like
/// panes turn Next/Prev/PageDown/PageUp/Top/Bottom into a new position.
/// `None` when the action is not a movement.
pub fn moved_cursor(cursor: usize, n: usize, action: Action, page: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let page = page.max(1) as isize;
    let delta = match action {
        Action::Next => 1,
        Action::Prev => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::Top => -(n as isize),
        Action::Bottom => n as isize,
        _ => return None,
    };
    Some(step(cursor, n, delta))
}

/// `cursor + delta`, kept within `0..n` (`n > 0`).
pub fn step(cursor: usize, n: usize, delta: isize) -> usize {
    (cursor as isize + delta).clamp(0, n as isize - 1) as usize
}

/// Keep `top` so that `cursor` is within a window of `page` rows.
pub fn scroll_into_view(top: &mut usize, cursor: usize, page: usize) {
    let page = page.max(1);
    if cursor < *top {
        *top = cursor;
    } else if cursor >= *top + page {
        *top = cursor + 1 - page;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movement_stays_within_the_items() {
        assert_eq!(moved_cursor(0, 5, Action::Prev, 3), Some(0));
        assert_eq!(moved_cursor(4, 5, Action::Next, 3), Some(4));
        assert_eq!(moved_cursor(1, 5, Action::PageDown, 3), Some(4));
        assert_eq!(moved_cursor(4, 5, Action::PageUp, 3), Some(1));
        assert_eq!(moved_cursor(2, 5, Action::Top, 3), Some(0));
        assert_eq!(moved_cursor(2, 5, Action::Bottom, 3), Some(4));
        assert_eq!(moved_cursor(2, 0, Action::Next, 3), None);
        assert_eq!(moved_cursor(2, 5, Action::Open, 3), None);
    }

    #[test]
    fn the_window_follows_the_cursor() {
        let mut top = 0;
        scroll_into_view(&mut top, 7, 5);
        assert_eq!(top, 3);
        scroll_into_view(&mut top, 1, 5);
        assert_eq!(top, 1);
        scroll_into_view(&mut top, 4, 5);
        assert_eq!(top, 1);
    }
}
