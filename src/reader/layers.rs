//! What is drawn over the panes, as a stack: the help and bookmarks
//! overlays and the one-line prompt. The top layer takes every key; keys it
//! does not use go nowhere (a key typed into a prompt never moves a pane).

use crate::action::Action;
use crate::keymap::{Key, KeyCode};

/// A one-line text input at the bottom of the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// Search in the open article.
    Search(String),
    /// Filter the article list by title.
    Filter(String),
}

impl Prompt {
    pub fn text(&self) -> &str {
        match self {
            Prompt::Search(t) | Prompt::Filter(t) => t,
        }
    }

    fn text_mut(&mut self) -> &mut String {
        match self {
            Prompt::Search(t) | Prompt::Filter(t) => t,
        }
    }
}

/// A layer over the panes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layer {
    Prompt(Prompt),
    Help { scroll: usize },
    Bookmarks { cursor: usize },
}

/// What a layer did with a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerOutcome {
    /// Nothing for anyone else to do.
    Stay,
    /// The layer is done: take it off the stack.
    Close,
    /// The prompt's text changed (search as you type).
    Edited(Prompt),
    /// The prompt was submitted with Enter (and closes).
    Submitted(Prompt),
    /// The prompt was abandoned with Esc (and closes).
    Cancelled(Prompt),
    /// Open the bookmark at this index of the bookmark list (and close).
    OpenBookmark(usize),
    /// An action that is not the layer's own but works everywhere (quit,
    /// redraw, suspend).
    Global(Action),
}

impl Layer {
    /// Take a key. `action` is what the keymap makes of it; `items` is how
    /// many rows a list layer has.
    pub fn handle_key(&mut self, key: &Key, action: Option<Action>, items: usize) -> LayerOutcome {
        match self {
            Layer::Prompt(prompt) => prompt_key(prompt, key),
            Layer::Help { scroll } => {
                if closes(key, action, Action::Help) {
                    return LayerOutcome::Close;
                }
                match action {
                    Some(Action::Next) => *scroll += 1,
                    Some(Action::Prev) => *scroll = scroll.saturating_sub(1),
                    Some(Action::Top) => *scroll = 0,
                    Some(a) => return global(a),
                    None => {}
                }
                LayerOutcome::Stay
            }
            Layer::Bookmarks { cursor } => {
                if closes(key, action, Action::Bookmarks) {
                    return LayerOutcome::Close;
                }
                match action {
                    Some(Action::Next) => *cursor = (*cursor + 1).min(items.saturating_sub(1)),
                    Some(Action::Prev) => *cursor = cursor.saturating_sub(1),
                    Some(Action::Open) => return LayerOutcome::OpenBookmark(*cursor),
                    Some(a) => return global(a),
                    None => {}
                }
                LayerOutcome::Stay
            }
        }
    }
}

/// Esc, Back, Clear or the key that opened an overlay close it.
fn closes(key: &Key, action: Option<Action>, own: Action) -> bool {
    key.code == KeyCode::Esc
        || matches!(action, Some(Action::Back | Action::Clear))
        || action == Some(own)
}

fn global(action: Action) -> LayerOutcome {
    match action {
        Action::Quit | Action::Redraw | Action::Suspend => LayerOutcome::Global(action),
        _ => LayerOutcome::Stay,
    }
}

fn prompt_key(prompt: &mut Prompt, key: &Key) -> LayerOutcome {
    match key.code {
        KeyCode::Esc => return LayerOutcome::Cancelled(prompt.clone()),
        KeyCode::Enter => return LayerOutcome::Submitted(prompt.clone()),
        KeyCode::Backspace => {
            prompt.text_mut().pop();
        }
        KeyCode::Char('u') if key.ctrl => prompt.text_mut().clear(),
        KeyCode::Char(c) if !key.ctrl && !key.alt && !c.is_control() => prompt.text_mut().push(c),
        _ => return LayerOutcome::Stay,
    }
    LayerOutcome::Edited(prompt.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_edits_submits_and_cancels() {
        let mut p = Layer::Prompt(Prompt::Search(String::new()));
        assert_eq!(
            p.handle_key(&Key::char('ق'), None, 0),
            LayerOutcome::Edited(Prompt::Search("ق".into()))
        );
        assert_eq!(
            p.handle_key(&Key::parse("Enter").unwrap(), None, 0),
            LayerOutcome::Submitted(Prompt::Search("ق".into()))
        );
        assert_eq!(
            p.handle_key(&Key::parse("Esc").unwrap(), None, 0),
            LayerOutcome::Cancelled(Prompt::Search("ق".into()))
        );
        // A key bound to an action is text in a prompt.
        assert_eq!(
            p.handle_key(&Key::char('q'), Some(Action::Quit), 0),
            LayerOutcome::Edited(Prompt::Search("قq".into()))
        );
    }

    #[test]
    fn an_overlay_closes_on_its_own_key_and_passes_quit_on() {
        let mut h = Layer::Help { scroll: 0 };
        assert_eq!(
            h.handle_key(&Key::char('j'), Some(Action::Next), 0),
            LayerOutcome::Stay
        );
        assert_eq!(h, Layer::Help { scroll: 1 });
        assert_eq!(
            h.handle_key(&Key::char('q'), Some(Action::Quit), 0),
            LayerOutcome::Global(Action::Quit)
        );
        assert_eq!(
            h.handle_key(&Key::char('?'), Some(Action::Help), 0),
            LayerOutcome::Close
        );
        let mut b = Layer::Bookmarks { cursor: 0 };
        b.handle_key(&Key::char('j'), Some(Action::Next), 2);
        b.handle_key(&Key::char('j'), Some(Action::Next), 2);
        assert_eq!(
            b.handle_key(&Key::parse("Enter").unwrap(), Some(Action::Open), 2),
            LayerOutcome::OpenBookmark(1)
        );
    }
}
