//! Named actions: what a key does, independent of which key it is.

/// Everything the user can ask the reader to do. Keys map to actions through
/// the keymap; [`crate::reader::State::apply`] carries them out. Movement actions
/// act on the focused pane (list rows, paragraphs or entities).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Next,
    Prev,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    Back,
    Quit,
    NextPane,
    PrevPane,
    ToggleEntities,
    NextMatch,
    PrevMatch,
    Search,
    Clear,
    Bookmark,
    Bookmarks,
    ToggleRead,
    Redraw,
    Suspend,
    Copy,
    OpenSource,
    Help,
}

impl Action {
    /// Every action, in the order the help overlay lists them.
    pub const ALL: [Action; 24] = [
        Action::Next,
        Action::Prev,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::Open,
        Action::Back,
        Action::Quit,
        Action::NextPane,
        Action::PrevPane,
        Action::ToggleEntities,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Search,
        Action::Clear,
        Action::Bookmark,
        Action::Bookmarks,
        Action::ToggleRead,
        Action::Redraw,
        Action::Suspend,
        Action::Copy,
        Action::OpenSource,
        Action::Help,
    ];

    /// The name used in the `[keys]` table of the config file.
    pub fn name(self) -> &'static str {
        match self {
            Action::Next => "next",
            Action::Prev => "prev",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::Back => "back",
            Action::Quit => "quit",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::ToggleEntities => "toggle_entities",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::Search => "search",
            Action::Clear => "clear",
            Action::Bookmark => "bookmark",
            Action::Bookmarks => "bookmarks",
            Action::ToggleRead => "toggle_read",
            Action::Redraw => "redraw",
            Action::Suspend => "suspend",
            Action::Copy => "copy",
            Action::OpenSource => "open_source",
            Action::Help => "help",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}
