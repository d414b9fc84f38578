//! Cell widths, measured exactly the way ratatui's `Buffer::set_stringn`
//! draws text: one cell group per extended grapheme cluster, 1 cell for a
//! one-byte grapheme, otherwise `unicode-width`'s width of the grapheme plus
//! one per halfwidth sound mark (U+FF9E, U+FF9F), and graphemes of width 0
//! dropped.
//!
//! Measuring a whole string with `unicode-width` is wrong here: it reads
//! "لا" as a one-cell ligature, while the buffer draws ل and ا in two cells.

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// U+25CC DOTTED CIRCLE: the base a lone combining mark is drawn on, as
/// fonts and shaping engines do, so that a haraka with no letter before it
/// still takes a cell instead of vanishing.
pub const DOTTED_CIRCLE: char = '\u{25CC}';

/// Shown instead of a cluster wider than the whole line (a wide CJK
/// character at width 1), so no line is ever wider than asked.
pub const TOO_WIDE: char = '\u{FFFD}';

/// Width in cells of one grapheme, as ratatui's buffer computes it.
pub fn grapheme_width(g: &str) -> usize {
    if g.len() == 1 {
        return 1;
    }
    let sound_marks = g
        .chars()
        .filter(|&c| c == '\u{FF9E}' || c == '\u{FF9F}')
        .count();
    g.width() + sound_marks
}

/// Width in cells of a string as the buffer draws it: the sum over its
/// graphemes, zero-width graphemes contributing nothing (the buffer skips
/// them).
pub fn str_width(s: &str) -> usize {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (None, _) => 0,
        // One char is one grapheme: skip the segmentation.
        (Some(c), None) => {
            if s.len() == 1 || is_narrow_letter(c) {
                1
            } else {
                grapheme_width_of_char(c)
            }
        }
        // A base with plain marks is one grapheme: skip the segmentation.
        (Some(c), Some(_))
            if always_starts_grapheme(c) && s[c.len_utf8()..].chars().all(is_plain_mark) =>
        {
            grapheme_width(s)
        }
        _ => s.graphemes(true).map(grapheme_width).sum(),
    }
}

/// Zero-width combining marks with Grapheme_Cluster_Break=Extend that
/// carry no conjunct behaviour: harakat, Hebrew points, Latin accents.
#[inline]
pub(crate) fn is_plain_mark(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{05B0}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}'
        | '\u{05C5}' | '\u{05C7}'
        | '\u{0300}'..='\u{036F}')
}

/// Letters that are one cell (checked against the table in the tests):
/// Arabic letters and their presentation forms, no marks among them.
#[inline]
pub(crate) fn is_narrow_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

fn grapheme_width_of_char(c: char) -> usize {
    let w = c.width().unwrap_or(0);
    if c == '\u{FF9E}' || c == '\u{FF9F}' {
        w + 1
    } else {
        w
    }
}

/// Extended grapheme clusters of `text` with their byte offsets, exactly as
/// `unicode-segmentation` finds them, with a shortcut: a boundary is certain
/// before a character that [`always_starts_grapheme`] unless a Prepend
/// character comes before it. Only clusters with more than one character
/// (harakat, emoji sequences, …) go through the crate's cursor; its table
/// searches per character were the largest cost of laying out plain Arabic.
pub fn graphemes(text: &str) -> Graphemes<'_> {
    Graphemes { text, pos: 0 }
}

pub struct Graphemes<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Graphemes<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let mut chars = self.text[start..].chars();
        let first = chars.next()?;
        let after_first = start + first.len_utf8();
        let end = match chars.next() {
            None => after_first,
            Some(next) if always_starts_grapheme(next) && !is_prepend(first) => after_first,
            // The whole text is the chunk: no context can be missing.
            Some(_) => grapheme_end(self.text, start),
        };
        self.pos = end;
        Some((start, &self.text[start..end]))
    }
}

/// End of the grapheme cluster that starts at `start` (a boundary).
pub fn grapheme_end(text: &str, start: usize) -> usize {
    let mut cursor = GraphemeCursor::new(start, text.len(), true);
    match cursor.next_boundary(text, 0) {
        Ok(Some(end)) if end > start => end,
        _ => text[start..]
            .chars()
            .next()
            .map_or(text.len(), |c| start + c.len_utf8()),
    }
}

/// Whether writing `left` then `right` keeps a grapheme boundary between
/// them, so a renderer that re-segments the concatenation draws them as the
/// separate cells they were measured as. Cheap for the common scripts.
pub fn joins_safely(left: &str, right: &str, scratch: &mut String) -> bool {
    let (Some(last), Some(first)) = (left.chars().next_back(), right.chars().next()) else {
        return true;
    };
    if always_starts_grapheme(first) && !is_prepend(last) {
        return true;
    }
    scratch.clear();
    scratch.push_str(left);
    scratch.push_str(right);
    let mut cursor = GraphemeCursor::new(left.len(), scratch.len(), true);
    // The whole string is one chunk, so no more context can be asked for.
    cursor.is_boundary(scratch, 0).unwrap_or(true)
}

/// Characters with Grapheme_Cluster_Break=Other that are neither
/// Extended_Pictographic nor Indic conjunct consonants: nothing before them
/// can pull them into its cluster except a Prepend character. Checked for
/// every character of a paragraph, hence the table for the low ones.
#[inline]
pub(crate) fn always_starts_grapheme(c: char) -> bool {
    match STARTS_LOW.get(c as usize) {
        Some(&starts) => starts,
        None => matches!(c,
            '\u{FE70}'..='\u{FEFC}' // Arabic Presentation Forms-B
            | '\u{FB50}'..='\u{FDFB}' // Arabic Presentation Forms-A
            | '\u{2010}'..='\u{2027}' // dashes, quotes, ellipsis
            | '\u{25CC}' | '\u{FFFD}'),
    }
}

const fn starts_low(c: u32) -> bool {
    matches!(c,
        0x20..=0x7E
        | 0x05D0..=0x05EA // Hebrew letters
        | 0x060C..=0x060F | 0x061B | 0x061D..=0x061F // ، ؛ ؟
        | 0x0620..=0x064A // Arabic letters, tatweel
        | 0x0660..=0x066D // Arabic-Indic digits, ٪ ٫ ٬
        | 0x066E..=0x066F
        | 0x0671..=0x06D3 // extended Arabic letters
        | 0x06D4
        | 0x06F0..=0x06F9 // Persian digits
        | 0x00A0..=0x00A8 | 0x00AA | 0x00AB | 0x00B0..=0x00FF)
}

static STARTS_LOW: [bool; 0x800] = {
    let mut table = [false; 0x800];
    let mut c = 0;
    while c < 0x800 {
        table[c] = starts_low(c as u32);
        c += 1;
    }
    table
};

/// Grapheme_Cluster_Break=Prepend (Unicode 15): these join the *following*
/// character into their cluster.
#[inline]
pub(crate) fn is_prepend(c: char) -> bool {
    c >= '\u{0600}'
        && matches!(c,
        '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{0890}'..='\u{0891}'
        | '\u{08E2}' | '\u{0D4E}' | '\u{110BD}' | '\u{110CD}' | '\u{111C2}'..='\u{111C3}'
        | '\u{1193F}' | '\u{11941}' | '\u{11A3A}' | '\u{11A84}'..='\u{11A89}'
        | '\u{11D46}' | '\u{11F02}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lam_alef_unshaped_is_two_cells_not_one() {
        // unicode-width assumes a ligature for the string…
        assert_eq!("لا".width(), 1);
        // …but a terminal buffer draws two graphemes.
        assert_eq!(str_width("لا"), 2);
    }

    #[test]
    fn harakat_stay_in_their_letter_cell() {
        assert_eq!(str_width("مُحَمَّدٌ"), 4);
    }

    #[test]
    fn lone_mark_is_zero_and_dotted_circle_gives_it_a_cell() {
        assert_eq!(str_width("\u{064E}"), 0);
        assert_eq!(str_width("\u{25CC}\u{064E}"), 1);
    }

    #[test]
    fn narrow_letters_agree_with_the_table() {
        for cp in (0x0620..=0x064A)
            .chain(0xFB50..=0xFDFF)
            .chain(0xFE70..=0xFEFC)
        {
            let c = char::from_u32(cp).unwrap();
            assert_eq!(str_width(&c.to_string()), 1, "{cp:04X}");
            assert_eq!(grapheme_width_of_char(c), 1, "{cp:04X}");
        }
    }

    #[test]
    fn wide_and_ascii() {
        assert_eq!(str_width("a"), 1);
        assert_eq!(str_width("中"), 2);
        assert_eq!(str_width(""), 0);
    }

    #[test]
    fn plain_marks_are_zero_width_extenders() {
        let marks = (0x0300..=0x036F)
            .chain(0x05B0..=0x05C7)
            .chain(0x064B..=0x0670)
            .filter_map(char::from_u32)
            .filter(|&m| is_plain_mark(m));
        for m in marks {
            let s = format!("ب{m}");
            assert_eq!(s.graphemes(true).count(), 1, "{:04X}", m as u32);
            assert_eq!(str_width(&s), 1, "{:04X}", m as u32);
            assert_eq!(s.graphemes(true).map(grapheme_width).sum::<usize>(), 1);
        }
    }

    #[test]
    fn graphemes_match_unicode_segmentation() {
        let samples = [
            "",
            "a",
            "مُحَمَّدٌ لا، «نعم» ؟",
            "\u{064E}ب",
            "\r\n\n\r",
            "\u{0600}١٢ \u{06DD}٣",
            "🇸🇦🇪🇬🇸",
            "👨\u{200D}👩\u{200D}👧 ❤\u{FE0F}",
            "क्षि नमस्ते",
            "한국어 \u{1100}\u{1161}\u{11A8}",
            "a\u{200F}\u{0301}b\u{2067}\u{064E}",
            "שָׁלוֹם",
        ];
        for s in samples {
            let ours: Vec<(usize, &str)> = graphemes(s).collect();
            let theirs: Vec<(usize, &str)> = s.grapheme_indices(true).collect();
            assert_eq!(ours, theirs, "{s:?}");
        }
    }

    #[test]
    fn boundaries_between_clusters() {
        let mut s = String::new();
        assert!(joins_safely("ب", "ت", &mut s));
        assert!(joins_safely("a", "(", &mut s));
        // A haraka would be pulled into the letter before it.
        assert!(!joins_safely("ب", "\u{064E}", &mut s));
        // An Arabic number sign prepends itself to what follows.
        assert!(!joins_safely("\u{0600}", "١", &mut s));
        // Regional indicators pair up.
        assert!(!joins_safely("\u{1F1F8}", "\u{1F1E6}", &mut s));
        assert!(joins_safely("\u{1F1F8}\u{1F1E6}", "\u{1F1EA}", &mut s));
    }
}
