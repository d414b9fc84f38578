//! Text utilities shared by the pure core.

pub mod fold;
pub mod sanitize;

pub use fold::{fold_arabic, Folded};
pub use sanitize::{is_bidi_format, is_stripped_control, sanitize_line};
