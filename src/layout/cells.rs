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
            if s.len() == 1 {
                1
            } else {
                grapheme_width_of_char(c)
            }
        }
        _ => s.graphemes(true).map(grapheme_width).sum(),
    }
}

fn grapheme_width_of_char(c: char) -> usize {
    let w = c.width().unwrap_or(0);
    if c == '\u{FF9E}' || c == '\u{FF9F}' {
        w + 1
    } else {
        w
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
/// can pull them into its cluster except a Prepend character.
fn always_starts_grapheme(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{05D0}'..='\u{05EA}' // Hebrew letters
        | '\u{0620}'..='\u{064A}' // Arabic letters
        | '\u{0660}'..='\u{066D}' // Arabic-Indic digits, ٪ ٫ ٬
        | '\u{0671}'..='\u{06D3}' // extended Arabic letters
        | '\u{06F0}'..='\u{06F9}' // Persian digits
        | '\u{FB50}'..='\u{FDFB}' // Arabic Presentation Forms-A
        | '\u{FE70}'..='\u{FEFC}' // Arabic Presentation Forms-B
        | '\u{00A0}'..='\u{00A8}' | '\u{00AA}' | '\u{00AB}' | '\u{00B0}'..='\u{00FF}'
        | '\u{2010}'..='\u{2027}' // dashes, quotes, ellipsis
        | '\u{25CC}' | '\u{FFFD}')
}

/// Grapheme_Cluster_Break=Prepend (Unicode 15): these join the *following*
/// character into their cluster.
fn is_prepend(c: char) -> bool {
    matches!(c,
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
    fn wide_and_ascii() {
        assert_eq!(str_width("a"), 1);
        assert_eq!(str_width("中"), 2);
        assert_eq!(str_width(""), 0);
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
