//! Arabic-aware folding for matching: search and entity lookup compare folded
//! copies while every result is reported in offsets of the original text.
//!
//! Folding removes harakat (U+0610–061A, U+064B–065F, U+0670) and tatweel,
//! unifies the alef forms (أ إ آ ٱ → ا), ى → ي, ة → ه, the Persian ک ی → ك ي,
//! drops bidi formatting characters and joiners, and lowercases other scripts.

use super::sanitize::is_bidi_format;

/// A folded copy of a text with a map back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `origin[i]` is the byte offset in the original text of the character
    /// that produced folded byte `i`; `origin[text.len()]` is the original
    /// length. Length is always `text.len() + 1`.
    origin: Vec<usize>,
}

impl Folded {
    /// The original byte range behind a folded byte range. The end extends
    /// over anything folding removed after the last character (its harakat),
    /// so a highlight covers the marks of the last letter too.
    pub fn original_range(&self, folded: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.origin[folded.start.min(self.text.len())];
        let end = self.origin[folded.end.min(self.text.len())];
        start..end.max(start)
    }

    /// The original byte offset of a folded byte offset.
    pub fn original_offset(&self, folded: usize) -> usize {
        self.origin[folded.min(self.text.len())]
    }
}

/// Whether folding drops `c` entirely.
pub fn is_folded_away(c: char) -> bool {
    is_haraka(c) || c == '\u{0640}' || is_bidi_format(c)
}

/// Arabic combining marks (harakat, Quranic annotation marks, superscript alef).
pub fn is_haraka(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}')
}

/// `c.is_uppercase()`, without the Unicode table look-up for the Arabic
/// block (which has no case): folding asks it of every letter.
pub fn is_uppercase(c: char) -> bool {
    !matches!(c, '\u{0600}'..='\u{06FF}') && c.is_uppercase()
}

/// `c.is_alphabetic()`, answered at once for Arabic and ASCII letters.
pub fn is_alphabetic(c: char) -> bool {
    matches!(c, 'ء'..='ي' | 'a'..='z' | 'A'..='Z') || c.is_alphabetic()
}

/// The folded form of a single character, or `None` when it is dropped.
pub fn fold_char(c: char) -> Option<char> {
    if is_folded_away(c) {
        return None;
    }
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        _ => c,
    })
}

/// Fold `text` for matching. See the module documentation for the rules.
pub fn fold_arabic(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        let Some(f) = fold_char(c) else { continue };
        let before = out.len();
        if is_uppercase(f) {
            out.extend(f.to_lowercase());
        } else {
            out.push(f);
        }
        origin.resize(origin.len() + (out.len() - before), at);
    }
    origin.push(text.len());
    Folded { text: out, origin }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_case_and_letter_tests_agree_with_unicode() {
        for c in ('\u{0}'..='\u{2FFF}').chain(['\u{1D400}', '\u{10400}']) {
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn harakat_tatweel_and_letter_variants_fold() {
        assert_eq!(fold_arabic("مُحَمَّدٌ").text, "محمد");
        assert_eq!(fold_arabic("أحمد إبراهيم آمنة").text, "احمد ابراهيم امنه");
        assert_eq!(fold_arabic("مصطفى").text, "مصطفي");
        assert_eq!(fold_arabic("كـــتاب").text, "كتاب");
        assert_eq!(fold_arabic("ایران کابل").text, "ايران كابل");
        assert_eq!(fold_arabic("Reuters").text, "reuters");
    }

    #[test]
    fn ranges_map_back_to_the_original() {
        let original = "قال مُحَمَّدٌ اليوم";
        let folded = fold_arabic(original);
        let start = folded.text.find("محمد").unwrap();
        let range = folded.original_range(start..start + "محمد".len());
        assert_eq!(&original[range], "مُحَمَّدٌ");
    }

    #[test]
    fn origin_covers_every_folded_byte() {
        let original = "ÀB\u{202B}ـة";
        let folded = fold_arabic(original);
        assert_eq!(folded.origin.len(), folded.text.len() + 1);
        assert_eq!(folded.original_offset(folded.text.len()), original.len());
    }
}
