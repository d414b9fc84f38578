//! Text utilities shared by the pure core.

pub mod direction;
pub mod fold;
pub mod sanitize;

pub use direction::{dominant_direction, Dominant};
pub use fold::{fold_arabic, Folded};
pub use sanitize::{is_bidi_format, is_stripped_control, sanitize_line};
