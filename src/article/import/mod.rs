//! One importer per format. Each turns decoded text into an [`Article`]
//! (without `path`, which [`crate::article::open`] fills in).
//!
//! [`Article`]: crate::article::Article

pub mod html;
mod html_depth;
pub mod json;
pub mod md;
pub mod txt;
