//! Plain and scraped text: one paragraph a line, cleaned by the rules.

use crate::article::clean::clean_lines;
use crate::article::{Article, Rules};

pub fn import(text: &str, rules: &Rules) -> Article {
    let c = clean_lines(text.lines(), rules);
    Article {
        title: c.title.unwrap_or_default(),
        date: c.date,
        section: c.section,
        source: c.source,
        byline: c.byline,
        paragraphs: c.paragraphs,
        removed: c.removed,
        ..Article::default()
    }
}
