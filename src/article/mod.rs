//! Articles: the model, decoding of bytes into text, importers per format,
//! cleaning of scraped text, and the library of a folder of articles.

pub mod model;

pub use model::{Article, Paragraph, ParagraphKind, Removed};
