//! The reader's pure core: state, named actions and what they do.

pub mod action;

pub use action::Action;
