//! Named people, places and organizations in Arabic text.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Org,
}

/// A block of an article: its title, or paragraph `i` of its body. In JSON
/// `"title"` or `{"paragraph": 3}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    Title,
    Paragraph(usize),
}

/// Where an entity is mentioned: byte offsets in the text of one block
/// (the title or a paragraph).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mention {
    pub block: Block,
    pub start: usize,
    pub end: usize,
}

impl Mention {
    /// The paragraph the mention is in, `None` for the title.
    pub fn paragraph(&self) -> Option<usize> {
        match self.block {
            Block::Title => None,
            Block::Paragraph(i) => Some(i),
        }
    }
}

/// An entity with all of its mentions in an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Surface form without attached clitics (و ف ب ل ك).
    pub text: String,
    pub kind: EntityKind,
    pub count: usize,
    pub mentions: Vec<Mention>,
}

pub mod conll;
pub mod crf;
pub mod eval;
pub mod features;
pub mod gazetteer;
pub mod lexicon;
mod lists;
pub mod recognize;
pub mod rules;
pub mod token;
pub mod user;

pub use recognize::{recognize_article, Recognizer};
pub use user::{UserEntities, UserEntitiesError, UserName};
