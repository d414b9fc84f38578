//! The reader's pure core: state, named actions and what they do.

pub mod action;
pub mod doc;
pub mod geometry;
pub mod i18n;
pub mod loader;

pub use action::Action;
