//! Search: Arabic-aware matching inside one article ([`article`], used by
//! the reader's `/`) and across the whole library ([`index`]: a compact
//! inverted index of folded words, cached beside the library cache).
//!
//! Both fold text with [`crate::text::fold_arabic`]; the library search also
//! matches whole words only, with the clitics و ف ب ل ك ال لل allowed in
//! front of a query word ([`query`]).

pub mod article;
pub mod index;
pub mod query;
pub mod snippet;

pub use article::{contains, find_in, fold_query, search, Hit};
pub use index::{
    ArticleHits, BuildNote, EntityArticle, Index, LibraryEntity, SearchResult, WordHit,
};
pub use query::{parse_query, tokenize, Query, QueryError, Term, Token};
