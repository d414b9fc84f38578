//! Text utilities shared by the pure core.

pub mod direction;
pub mod fold;
pub mod sanitize;

pub use direction::{dominant_direction, paragraph_direction, Dominant};
pub use fold::{fold_arabic, Folded};
pub use sanitize::{is_bidi_format, is_stripped_control, sanitize_line};

/// The message of a caught panic (`catch_unwind`'s payload), for a worker
/// that reports its failure instead of taking the reader down.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into())
}
