//! The reading pane's answer to actions: paragraph and page moves, and
//! stepping through search hits or an entity's mentions.

use crate::action::Action;
use crate::reader::component::{Component, Outcome};
use crate::reader::doc::Doc;

impl Component for Doc {
    fn handle(&mut self, action: Action, _page: usize) -> Outcome {
        match action {
            Action::Next => self.next(),
            Action::Prev => self.prev(),
            Action::PageDown => self.page_down(),
            Action::PageUp => self.page_up(),
            Action::Top => self.go_top(),
            Action::Bottom => self.go_bottom(),
            Action::NextMatch | Action::PrevMatch => {
                return if self.step_match(action == Action::NextMatch) {
                    Outcome::Handled
                } else {
                    Outcome::NoMatch
                };
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Moved
    }
}
