//! Word tokens and clitic analyses for entity recognition.
//!
//! Tokens are byte ranges of the original paragraph, so every later stage
//! (gazetteer, tagger, grouping) reports offsets the layout engine can
//! highlight. Word boundaries follow what Arabic news NER corpora use:
//! letters (with their harakat and tatweel) form a word, digit runs form a
//! number, every punctuation character is a token of its own. This is
//! hand-written rather than `unicode-segmentation`'s word breaker because
//! UAX #29 keeps things like `3.5` and `U.S.` together and splits nothing
//! inside Arabic words either, but treats punctuation runs and marks after
//! spaces differently from the corpora the model was trained on.

use std::borrow::Cow;

use crate::text::fold::{fold_char, is_folded_away};

/// A token: a byte range in the paragraph text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `paragraph`.
    pub fn text<'a>(&self, paragraph: &'a str) -> &'a str {
        &paragraph[self.start..self.end]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Punct,
    Space,
    /// Harakat, tatweel, joiners: part of the word they sit in.
    Mark,
}

fn class(c: char) -> Class {
    // Fast paths for the common cases: Unicode property lookups outside
    // ASCII are slow and this runs on every character of every article.
    match c {
        'ء'..='ي' | 'ٱ'..='ۓ' | 'a'..='z' | 'A'..='Z' => return Class::Letter,
        '0'..='9' | '٠'..='٩' | '۰'..='۹' => return Class::Digit,
        ' ' | '\n' | '\t' => return Class::Space,
        _ => {}
    }
    if is_folded_away(c) || matches!(c, '\u{200C}' | '\u{200D}') || is_combining(c) {
        Class::Mark
    } else if c.is_whitespace() {
        Class::Space
    } else if c.is_numeric() {
        Class::Digit
    } else if c.is_alphabetic() {
        Class::Letter
    } else if c.is_control() {
        Class::Space
    } else {
        Class::Punct
    }
}

/// Combining marks outside the Arabic harakat range (Latin accents written
/// as separate code points, Arabic small high letters).
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{06D6}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}')
}

/// Split a paragraph into word, number and punctuation tokens.
///
/// Marks (harakat, tatweel, joiners) stay inside the word they follow; a
/// mark with no letter before it starts a word. A decimal or thousands
/// separator between digits (`3.5`, `1,000`, `٣٫٥`) stays in the number.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
    let mut current: Option<(usize, Class)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let mut cls = class(c);
        if let Some((start, cur)) = current {
            let joins = match (cur, cls) {
                (Class::Letter, Class::Letter | Class::Mark) => true,
                (Class::Digit, Class::Digit) => true,
                (Class::Digit, Class::Punct) => {
                    matches!(c, '.' | ',' | '٫' | '٬')
                        && chars.peek().is_some_and(|&(_, n)| class(n) == Class::Digit)
                }
                _ => false,
            };
            if joins {
                continue;
            }
            tokens.push(Token { start, end: at });
            current = None;
        }
        if cls == Class::Mark {
            cls = Class::Letter;
        }
        match cls {
            Class::Space => {}
            Class::Punct => tokens.push(Token {
                start: at,
                end: at + c.len_utf8(),
            }),
            _ => current = Some((at, cls)),
        }
    }
    if let Some((start, _)) = current {
        tokens.push(Token {
            start,
            end: text.len(),
        });
    }
    tokens
}

/// Fold a word for matching (see [`crate::text::fold`]) without keeping the
/// offset map: the tagger and gazetteer only need the folded string.
pub fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if let Some(f) = fold_char(c) {
            if crate::text::fold::is_uppercase(f) {
                out.extend(f.to_lowercase());
            } else {
                out.push(f);
            }
        }
    }
    out
}

/// One way to read a folded word as clitic prefix + stem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis<'a> {
    /// The proclitics removed, as written (`و`, `وب`, `ل`, `وال` …).
    pub prefix: &'a str,
    /// The stem to look up. Usually a suffix of the word; for `لل` it is
    /// `ال` + the rest (للصين → الصين), which is not a substring.
    pub stem: Cow<'a, str>,
    /// Byte offset in the word where the stem's surface starts (للصين: after
    /// the first ل, so the highlight covers لصين).
    pub offset: usize,
    /// Whether the definite article ال was removed too (القاهرة → قاهرة).
    pub article: bool,
}

const MIN_STEM_LETTERS: usize = 3;

fn long_enough(s: &str) -> bool {
    s.chars().nth(MIN_STEM_LETTERS - 1).is_some()
}

/// At most four prefix lengths, without allocating.
#[derive(Clone, Copy, Default)]
struct Bases {
    at: [usize; 4],
    len: usize,
}

impl Bases {
    fn push(&mut self, base: usize) {
        // Four is the most strip_clitics can push: 0, و/ف, and ب/ل/ك after
        // each of those.
        if let Some(slot) = self.at.get_mut(self.len) {
            *slot = base;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[usize] {
        &self.at[..self.len]
    }
}

/// Candidate analyses of a folded word, most literal first: the whole word,
/// then with و/ف removed, then with ب/ل/ك removed (after an optional و/ف),
/// where لل becomes ال, then with the definite article ال removed. A stem
/// always keeps at least three letters.
pub fn strip_clitics(folded_word: &str) -> Vec<Analysis<'_>> {
    let w = folded_word;
    // Sized for the usual few readings, and `bases` on the stack: this runs
    // for every word, more than once, and reallocating was a real cost.
    let mut out = Vec::with_capacity(4);
    out.push(Analysis {
        prefix: "",
        stem: Cow::Borrowed(w),
        offset: 0,
        article: false,
    });
    // Stems that may still carry ال, with their prefix length in bytes
    // (the whole word, after و/ف, after ب/ل/ك with or without و/ف).
    let mut bases = Bases::default();
    bases.push(0);
    let conj = ['و', 'ف'];
    if let Some(c) = w.chars().next().filter(|c| conj.contains(c)) {
        let n = c.len_utf8();
        if long_enough(&w[n..]) {
            out.push(Analysis {
                prefix: &w[..n],
                stem: Cow::Borrowed(&w[n..]),
                offset: n,
                article: false,
            });
            bases.push(n);
        }
    }
    let before_prepositions = bases;
    for &base in before_prepositions.as_slice() {
        let rest = &w[base..];
        let Some(c) = rest.chars().next().filter(|c| matches!(c, 'ب' | 'ل' | 'ك')) else {
            continue;
        };
        let n = c.len_utf8();
        let after = &rest[n..];
        if c == 'ل' && after.starts_with('ل') {
            // لل = ل + ال with the alef dropped in writing.
            let stem = format!("ا{after}");
            if long_enough(&stem) {
                out.push(Analysis {
                    prefix: &w[..base + n],
                    stem: Cow::Owned(stem),
                    offset: base + n,
                    article: false,
                });
                // Without the article: للصين → صين.
                let bare = &after['ل'.len_utf8()..];
                if long_enough(bare) {
                    out.push(Analysis {
                        prefix: &w[..base + n + 'ل'.len_utf8()],
                        stem: Cow::Borrowed(bare),
                        offset: base + n + 'ل'.len_utf8(),
                        article: true,
                    });
                }
            }
        } else if long_enough(after) {
            out.push(Analysis {
                prefix: &w[..base + n],
                stem: Cow::Borrowed(after),
                offset: base + n,
                article: false,
            });
            bases.push(base + n);
        }
    }
    for &base in bases.as_slice() {
        let rest = &w[base..];
        if let Some(bare) = rest.strip_prefix("ال") {
            if long_enough(bare) {
                let offset = base + "ال".len();
                out.push(Analysis {
                    prefix: &w[..offset],
                    stem: Cow::Borrowed(bare),
                    offset,
                    article: true,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    fn stems(word: &str) -> Vec<String> {
        strip_clitics(word)
            .into_iter()
            .map(|a| a.stem.into_owned())
            .collect()
    }

    #[test]
    fn arabic_with_harakat_and_punctuation() {
        let text = "قالَ مُحَمَّدٌ: «السلامُ عليكم»، ثم ذهبَ.";
        assert_eq!(
            words(text),
            [
                "قالَ",
                "مُحَمَّدٌ",
                ":",
                "«",
                "السلامُ",
                "عليكم",
                "»",
                "،",
                "ثم",
                "ذهبَ",
                "."
            ]
        );
    }

    #[test]
    fn offsets_are_byte_ranges_of_the_original() {
        let text = "زار «بكين» عام 2024.";
        for t in tokenize(text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            assert!(t.start < t.end);
        }
        let toks = tokenize(text);
        assert_eq!(toks[2], Token { start: 9, end: 17 });
        assert_eq!(&text[toks[2].start..toks[2].end], "بكين");
    }

    #[test]
    fn latin_digits_and_numbers_with_separators() {
        assert_eq!(
            words("CNN قالت 3.5% و1,000 دولار (٢٠٢٤)"),
            [
                "CNN",
                "قالت",
                "3.5",
                "%",
                "و",
                "1,000",
                "دولار",
                "(",
                "٢٠٢٤",
                ")"
            ]
        );
        assert_eq!(words("2024."), ["2024", "."]);
        assert_eq!(words("عام2024"), ["عام", "2024"]);
    }

    #[test]
    fn tatweel_and_joiners_stay_in_the_word() {
        assert_eq!(
            words("الـــقاهرة مي\u{200C}خواهم"),
            ["الـــقاهرة", "مي\u{200C}خواهم"]
        );
    }

    #[test]
    fn hostile_input_does_not_panic() {
        assert!(tokenize("").is_empty());
        assert_eq!(words("!!؟،..."), ["!", "!", "؟", "،", ".", ".", "."]);
        assert_eq!(words("\u{064E}\u{064E}ب"), ["\u{064E}\u{064E}ب"]);
        let long = "ب".repeat(100_000);
        assert_eq!(
            tokenize(&long),
            [Token {
                start: 0,
                end: long.len()
            }]
        );
        assert_eq!(words("a\u{0}b\u{1b}[31m"), ["a", "b", "[", "31", "m"]);
    }

    proptest::proptest! {
        /// Any text: tokens are ordered, disjoint, non-empty, on character
        /// boundaries, never contain whitespace, and every letter or digit
        /// of the text is inside some token.
        #[test]
        fn tokens_partition_the_text(text in "[ \\n.,«»؟،0-9a-zA-Z\u{0621}-\u{065F}\u{0640}\u{200C}-\u{200F}!-/]{0,80}") {
            let toks = tokenize(&text);
            let mut last = 0;
            for t in &toks {
                proptest::prop_assert!(t.start >= last && t.start < t.end && t.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                proptest::prop_assert!(!t.text(&text).chars().any(char::is_whitespace));
                last = t.end;
            }
            for (at, c) in text.char_indices() {
                if c.is_alphanumeric() {
                    proptest::prop_assert!(toks.iter().any(|t| t.start <= at && at < t.end));
                }
            }
            // Every analysis is a prefix of the word plus a stem whose
            // surface is the rest of the word (with ا restored for لل).
            for t in &toks {
                let word = t.text(&text);
                for a in strip_clitics(word) {
                    let surface = &word[a.offset..];
                    proptest::prop_assert!(word.starts_with(a.prefix));
                    let restored = format!("ا{}", surface);
                    proptest::prop_assert!(a.stem == surface || a.stem == restored);
                    proptest::prop_assert!(a.stem.chars().count() >= 3 || a.prefix.is_empty());
                }
            }
        }
    }

    #[test]
    fn clitics_are_stripped_in_order() {
        assert_eq!(stems("وروسيا"), ["وروسيا", "روسيا"]);
        assert_eq!(
            stems(&fold_word("بالقاهرة")),
            ["بالقاهره", "القاهره", "قاهره"]
        );
        assert_eq!(stems("للصين"), ["للصين", "الصين", "صين"]);
        assert_eq!(stems("وبالصين"), ["وبالصين", "بالصين", "الصين", "صين"]);
        assert_eq!(stems("والصين"), ["والصين", "الصين", "صين"]);
    }

    #[test]
    fn stems_keep_three_letters() {
        assert_eq!(stems("وقت"), ["وقت"]);
        assert_eq!(stems("بلد"), ["بلد"]);
        assert_eq!(stems("ولد"), ["ولد"]);
    }

    #[test]
    fn lam_lam_maps_to_the_article() {
        let a = &strip_clitics("وللصين")[2];
        assert_eq!(a.prefix, "ول");
        assert_eq!(a.stem, "الصين");
        assert_eq!(&"وللصين"[a.offset..], "لصين");
    }
}
