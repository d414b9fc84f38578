//! The article model every other part of qari reads.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// One article, cleaned and ready to read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Written lossily when it is not UTF-8 (JSON has no other way).
    #[serde(serialize_with = "serialize_path_lossy")]
    pub path: PathBuf,
    pub title: String,
    /// The page had no headline: the title was derived from the lead (its
    /// first sentence), so lists can show it as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub title_derived: bool,
    /// ISO 8601 date (`2024-11-22`), when one was found.
    pub date: Option<String>,
    pub section: Option<String>,
    pub source: Option<String>,
    /// The city of the dateline that opened the body ("بغداد" from
    /// "بغداد (أ ف ب) -"); its agency is the `source` when none was known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    pub url: Option<String>,
    pub byline: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    /// Every input line the cleaner dropped, with the reason, so nothing is
    /// lost silently.
    pub removed: Vec<Removed>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    pub kind: ParagraphKind,
    /// For a reading unit cut from a longer paragraph: the index of that
    /// source paragraph (the same for all of its units), so the original
    /// boundaries stay recoverable. See [`crate::article::units`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<usize>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphKind {
    #[default]
    Body,
    Heading,
    Quote,
    Caption,
}

/// A line the cleaner dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// The line as it was in the input (after decoding).
    pub text: String,
    /// Why it was dropped, e.g. `masthead`, `duplicate`, `promo`.
    pub reason: String,
}

/// Serialize a path as text, replacing bytes that are not UTF-8 with U+FFFD
/// instead of failing the whole document.
pub fn serialize_path_lossy<S: serde::Serializer>(
    path: &std::path::Path,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

impl Paragraph {
    pub fn new(text: impl Into<String>, kind: ParagraphKind) -> Paragraph {
        Paragraph {
            text: text.into(),
            kind,
            part_of: None,
        }
    }

    pub fn body(text: impl Into<String>) -> Paragraph {
        Paragraph::new(text, ParagraphKind::Body)
    }
}

impl Article {
    /// Number of words in the title and paragraphs (whitespace separated).
    pub fn word_count(&self) -> usize {
        std::iter::once(self.title.as_str())
            .chain(self.paragraphs.iter().map(|p| p.text.as_str()))
            .map(|t| t.split_whitespace().count())
            .sum()
    }
}
