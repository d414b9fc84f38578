//! The reader's panes as components (see [`super::component`]). The reading
//! pane is [`super::doc::Doc`]; its [`Component`](super::component::Component)
//! impl is in `reading.rs`.

pub mod lines;
pub mod list;
mod reading;
pub mod results;
pub mod sidebar;
