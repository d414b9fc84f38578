//! Which way a whole text reads, by majority rather than by its first letter.
//!
//! UAX #9 (rules P2–P3) gives a paragraph the direction of its first strong
//! character, so an Arabic news paragraph that opens with "Microsoft" or
//! "G42" would be laid out left to right. A reader knows better: the article
//! is Arabic. The reader takes the direction with the most strong letters
//! over the title and paragraphs and uses it as the base direction, which
//! still lays out each embedded English run correctly.

use unicode_bidi::{bidi_class, BidiClass};

/// The dominant direction of some text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dominant {
    Rtl,
    Ltr,
}

/// Strong letters of each direction in `text`: (right-to-left, left-to-right).
pub fn strong_counts(text: &str) -> (usize, usize) {
    let mut rtl = 0;
    let mut ltr = 0;
    for c in text.chars() {
        match bidi_class(c) {
            BidiClass::R | BidiClass::AL => rtl += 1,
            BidiClass::L => ltr += 1,
            _ => {}
        }
    }
    (rtl, ltr)
}

/// The direction with more strong letters over all `texts`; `None` when
/// there are no strong letters at all. Ties go to right-to-left, since a
/// reader for Arabic articles should lean that way.
pub fn dominant_direction<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Dominant> {
    let (rtl, ltr) = texts
        .into_iter()
        .map(strong_counts)
        .fold((0, 0), |(r, l), (r2, l2)| (r + r2, l + l2));
    match (rtl, ltr) {
        (0, 0) => None,
        (r, l) if r >= l => Some(Dominant::Rtl),
        _ => Some(Dominant::Ltr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_with_a_leading_english_name_is_rtl() {
        let title = "Microsoft تستثمر 1.5 مليار دولار في شركة G42";
        assert_eq!(dominant_direction([title]), Some(Dominant::Rtl));
    }

    #[test]
    fn english_with_an_arabic_word_is_ltr() {
        let text = "The word قارئ means reader";
        assert_eq!(dominant_direction([text]), Some(Dominant::Ltr));
    }

    #[test]
    fn digits_and_punctuation_have_no_direction() {
        assert_eq!(dominant_direction(["22/11/2024 — 25%", ""]), None);
    }

    #[test]
    fn hebrew_counts_as_rtl() {
        assert_eq!(dominant_direction(["שָׁלוֹם עולם"]), Some(Dominant::Rtl));
    }

    #[test]
    fn counts_add_up_over_texts() {
        assert_eq!(
            dominant_direction(["abc", "ابجد", "de"]),
            Some(Dominant::Ltr)
        );
    }
}
