//! Words and queries for the library search.
//!
//! A word is a run of letters and digits of the folded text (harakat,
//! tatweel and letter variants folded as in the reader), with the
//! Arabic-Indic and Persian digits read as ASCII digits. Each token keeps
//! the byte range of the original text it came from, so hits can be
//! highlighted in the paragraph as it is shown.

use crate::text::fold_arabic;
use std::ops::Range;

/// One word of a text: its folded form and where it is in the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub word: String,
    pub range: Range<usize>,
}

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => None,
    }
}

/// The words of `text`, folded, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let folded = fold_arabic(text);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut word = String::new();
    let mut flush = |start: &mut Option<usize>, end: usize, word: &mut String| {
        if let Some(s) = start.take() {
            out.push(Token {
                word: std::mem::take(word),
                range: folded.original_range(s..end),
            });
        }
    };
    for (at, c) in folded.text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(at);
            word.push(ascii_digit(c).unwrap_or(c));
        } else {
            flush(&mut start, at, &mut word);
        }
    }
    flush(&mut start, folded.text.len(), &mut word);
    out
}

/// Clitics a query word may carry in the text: a conjunction (و ف), then a
/// preposition (ب ل ك), then the article (ال, or ل after ل: لل).
pub const CLITICS: &[&str] = &[
    "و", "ف", "ب", "ل", "ك", "ال", "لل", "وال", "فال", "بال", "كال", "ولل", "فلل", "وب", "ول",
    "وك", "فب", "فل", "فك", "وبال", "وكال", "فبال", "فكال",
];

/// Whether the text word `word` is the query word `q` with clitics in front.
/// The rest must keep two letters, so "ب" + "ل" never passes for "بل".
pub fn matches_word(word: &str, q: &str) -> bool {
    if word == q {
        return true;
    }
    let Some(prefix) = word.strip_suffix(q) else {
        return false;
    };
    q.chars().count() >= 2 && CLITICS.contains(&prefix)
}

/// One part of a query: a word, or several words in quotes that must come
/// one after the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Phrase(Vec<String>),
}

impl Term {
    pub fn words(&self) -> &[String] {
        match self {
            Term::Word(w) => std::slice::from_ref(w),
            Term::Phrase(ws) => ws,
        }
    }
}

/// A parsed query: every term must be found in an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// Why a query cannot be searched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// Nothing but harakat, punctuation or spaces.
    NoWords,
    /// More words than any real query has.
    TooManyWords(usize),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::NoWords => write!(
                f,
                "the query has no words to search for (only marks, punctuation or spaces)"
            ),
            QueryError::TooManyWords(n) => write!(
                f,
                "the query has {n} words; at most {MAX_QUERY_WORDS} are searched for"
            ),
        }
    }
}

impl std::error::Error for QueryError {}

/// More than this is a pasted text, not a query.
pub const MAX_QUERY_WORDS: usize = 32;

/// Parse a query: words, and "phrases in quotes" (straight or curly
/// quotes, « » too). An unclosed quote runs to the end.
pub fn parse_query(text: &str) -> Result<Query, QueryError> {
    let mut terms = Vec::new();
    let mut words = 0;
    for (i, part) in text
        .split(['"', '\u{201C}', '\u{201D}', '\u{AB}', '\u{BB}'])
        .enumerate()
    {
        let toks: Vec<String> = tokenize(part).into_iter().map(|t| t.word).collect();
        words += toks.len();
        if words > MAX_QUERY_WORDS {
            // Count the rest only to say how many there were.
            let rest: usize = text.split_whitespace().count();
            return Err(QueryError::TooManyWords(rest.max(words)));
        }
        if i % 2 == 1 && toks.len() > 1 {
            terms.push(Term::Phrase(toks));
        } else {
            terms.extend(toks.into_iter().map(Term::Word));
        }
    }
    if terms.is_empty() {
        return Err(QueryError::NoWords);
    }
    // A word given twice counts once.
    let mut seen = Vec::new();
    terms.retain(|t| {
        let fresh = !seen.contains(t);
        if fresh {
            seen.push(t.clone());
        }
        fresh
    });
    Ok(Query { terms })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_folded_words_with_original_ranges() {
        let text = "وصلَ الرئيسُ، إلى «القاهرة» عام ٢٠٢٤ و۱۵";
        let toks = tokenize(text);
        let words: Vec<&str> = toks.iter().map(|t| t.word.as_str()).collect();
        assert_eq!(
            words,
            ["وصل", "الرئيس", "الي", "القاهره", "عام", "2024", "و15"]
        );
        assert_eq!(&text[toks[1].range.clone()], "الرئيسُ");
        assert_eq!(&text[toks[3].range.clone()], "القاهرة");
        assert_eq!(&text[toks[5].range.clone()], "٢٠٢٤");
    }

    #[test]
    fn clitics_in_front_only_and_whole_words() {
        assert!(matches_word("والقاهره", "القاهره"));
        assert!(matches_word("بالقاهره", "القاهره"));
        assert!(matches_word("للقاهره", "قاهره"));
        assert!(matches_word("وغزه", "غزه"));
        assert!(!matches_word("القاهرهان", "القاهره"));
        assert!(!matches_word("مغزه", "غزه"));
        // "بل" is not "ب" + "ل".
        assert!(!matches_word("بل", "ل"));
    }

    #[test]
    fn phrases_words_and_bad_queries() {
        let q = parse_query("غزة \"عبد الفتاح السيسي\" «مصر»").unwrap();
        assert_eq!(
            q.terms,
            vec![
                Term::Word("غزه".into()),
                Term::Phrase(vec!["عبد".into(), "الفتاح".into(), "السيسي".into()]),
                Term::Word("مصر".into()),
            ]
        );
        assert_eq!(
            parse_query("\u{064E}\u{0650} ،.!"),
            Err(QueryError::NoWords)
        );
        assert_eq!(parse_query("\"\""), Err(QueryError::NoWords));
        let long = "كلمة ".repeat(2000);
        assert!(matches!(
            parse_query(&long),
            Err(QueryError::TooManyWords(n)) if n == 2000
        ));
        // Bidi controls and escapes are not words.
        let q = parse_query("\u{202E}\u{1b}[31m غزة").unwrap();
        assert_eq!(q.terms.len(), 2, "{q:?}");
        assert!(q.terms.contains(&Term::Word("غزه".into())));
    }
}
