//! Stage 4, measure: the paragraph cut into grapheme clusters, each with
//! what it draws (shaped, cleaned) and its width in cells, in logical order.
//!
//! Levels and break opportunities are not known here: the next stages put
//! them on the clusters ([`super::Prepared::new`]).

use std::ops::Range;

use super::cells;
use super::clean::{self, Kind};
use super::reorder;

/// One drawn grapheme cluster of the paragraph, in logical order.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    /// Logical bytes it shows (a lam-alef ligature covers both letters).
    pub source: Range<usize>,
    /// What it draws, in `Measured::display`: shaped, in logical order,
    /// without formatting characters, a dotted circle under a lone mark.
    pub display: Range<usize>,
    pub width: usize,
    /// Byte of the character whose embedding level the cluster takes: its
    /// first drawn character, or its first character if it draws nothing.
    pub base: usize,
    /// Embedding level of its base character, after rule L1 (set by the
    /// levels stage).
    pub level: u8,
    pub space: bool,
    /// Drawn as nothing (bidi controls, marks, joiners, controls) but kept
    /// for its level in rule L2.
    pub ghost: bool,
    /// Its drawn text starts with a character nothing before it can join
    /// into one grapheme, unless that ends in a Prepend character
    /// ([`cells::always_starts_grapheme`]), and whether it ends in one.
    pub clean_start: bool,
    pub prepend_end: bool,
    /// Its first drawn character has a mirror glyph (rule L4).
    pub mirror: bool,
    /// What it draws when that is one character (most clusters): saves
    /// slicing `display` when writing lines.
    pub glyph: Option<char>,
    /// UAX #14 allows a line to start here (set by the breaks stage).
    pub break_before: bool,
    pub style: Option<super::StyleId>,
}

impl super::wrap::WrapUnit for Unit {
    fn width(&self) -> usize {
        self.width
    }
    fn is_space(&self) -> bool {
        // Invisible units are free and may end a line like blanks.
        self.space || self.ghost
    }
    fn break_before(&self) -> bool {
        self.break_before
    }
}

/// The drawn clusters of a paragraph and the text they draw.
pub(crate) struct Measured {
    pub units: Vec<Unit>,
    pub display: String,
}

/// Cut `text` (whose characters are `chars`) into drawn clusters at most
/// `width` cells wide. `forms` are the shaped forms of the characters, one
/// per character (`None` in it for an alef absorbed into a lam-alef), or
/// `None` to draw letters as they are.
pub(crate) fn measure(
    text: &str,
    chars: &[char],
    forms: Option<&[Option<char>]>,
    width: usize,
) -> Measured {
    let tab_width = clean::TAB_WIDTH.min(width);
    let mut units: Vec<Unit> = Vec::with_capacity(chars.len() + 1);
    // Shaped Arabic takes 3 bytes a letter where the text takes 2.
    let mut display = String::with_capacity(text.len() * 3 / 2 + 8);
    // Index of the last unit that draws something.
    let mut last_drawn: Option<usize> = None;

    let mut char_index = 0;
    let mut start = 0;
    while char_index < chars.len() {
        let c = chars[char_index];
        let clen = c.len_utf8();
        let d_start = display.len();
        // (No character that always starts a grapheme is Prepend.)
        let simple = cells::always_starts_grapheme(c);
        let single = chars.get(char_index + 1).is_none_or(|&next| {
            cells::always_starts_grapheme(next) && (simple || !cells::is_prepend(c))
        });
        // Fast lane: a one-character cluster of a plain letter, digit,
        // punctuation or space (the bulk of prose), drawn in one cell.
        let form = match forms {
            Some(forms) => forms[char_index],
            None => Some(c),
        };
        if let (true, true, Some(f)) = (single, simple, form) {
            display.push(f);
            let w = if f == c || cells::is_narrow_letter(f) {
                1
            } else {
                cells::str_width(&display[d_start..])
            };
            last_drawn = Some(units.len());
            units.push(Unit {
                source: start..start + clen,
                display: d_start..display.len(),
                width: w.min(width),
                base: start,
                level: 0,
                space: c == ' ',
                ghost: false,
                clean_start: cells::always_starts_grapheme(f),
                prepend_end: false,
                // Of these characters and their shaped forms only the
                // ASCII brackets and guillemets have mirror glyphs.
                mirror: matches!(f, '(' | ')' | '<' | '>' | '[' | ']' | '{' | '}' | '«' | '»'),
                glyph: Some(f),
                break_before: false,
                style: None,
            });
            char_index += 1;
            start += clen;
            continue;
        }
        let end = if single {
            start + clen
        } else if simple {
            // A letter with harakat or niqqud: its marks, then a
            // character that starts a grapheme, end it for certain.
            let marks = chars[char_index + 1..]
                .iter()
                .take_while(|&&m| cells::is_plain_mark(m))
                .count();
            match chars.get(char_index + 1 + marks) {
                Some(&next) if !cells::always_starts_grapheme(next) => {
                    cells::grapheme_end(text, start)
                }
                _ => {
                    start
                        + clen
                        + chars[char_index + 1..char_index + 1 + marks]
                            .iter()
                            .map(|m| m.len_utf8())
                            .sum::<usize>()
                }
            }
        } else {
            cells::grapheme_end(text, start)
        };
        let grapheme = &text[start..end];
        let mut base: Option<usize> = None;
        let mut absorbed = false;
        let mut space = true;
        let mut tab = false;
        for (off, c) in grapheme.char_indices() {
            let form = match forms {
                Some(forms) => forms[char_index],
                None => Some(c),
            };
            char_index += 1;
            match clean::kind(c) {
                Kind::Format | Kind::Control => continue,
                Kind::Tab => {
                    tab = true;
                    display.extend(std::iter::repeat_n(' ', tab_width));
                }
                Kind::Break => display.push(' '),
                Kind::Shown => match form {
                    Some(f) => {
                        display.push(f);
                        space &= clean::is_space(c);
                    }
                    // Absorbed into a ligature drawn before; without one
                    // (never from a correct shaper) draw it as it is.
                    None if last_drawn.is_some() => {
                        absorbed = true;
                        continue;
                    }
                    None => {
                        display.push(c);
                        space = false;
                    }
                },
            }
            base.get_or_insert(start + off);
        }
        let grapheme_start = start;
        start = end;
        let start = grapheme_start;

        if let (true, Some(last)) = (absorbed, last_drawn) {
            // Holds the alef of a lam-alef drawn by the last drawn
            // cluster (with any harakat on it): merge into that cluster.
            // Invisible units in between (an LRM the shaper saw through)
            // are inside the ligature now and go.
            units.truncate(last + 1);
            let prev = &mut units[last];
            prev.source.end = end;
            prev.display.end = display.len();
            prev.width = cells::str_width(&display[prev.display.clone()]).max(1);
            prev.prepend_end = display.chars().next_back().is_some_and(cells::is_prepend);
            // The harakat of the alef now follow the ligature: the
            // one-character shortcut would drop them.
            let mut drawn = display[prev.display.clone()].chars();
            prev.glyph = match (drawn.next(), drawn.next()) {
                (Some(c), None) => prev.glyph.map(|_| c),
                _ => None,
            };
            continue;
        }

        let Some(base) = base else {
            // Nothing drawn (isolates, marks like LRM, controls): kept
            // as an empty unit, because its level still separates runs
            // in rule L2 (a PDI at the paragraph level between two
            // right-to-left runs keeps them apart).
            units.push(Unit {
                source: start..end,
                display: d_start..d_start,
                width: 0,
                base: start,
                level: 0,
                space: false,
                ghost: true,
                clean_start: true,
                prepend_end: false,
                mirror: false,
                glyph: None,
                break_before: false,
                style: None,
            });
            continue;
        };

        let mut w = if tab {
            tab_width
        } else {
            cells::str_width(&display[d_start..])
        };
        if w == 0 {
            // A combining mark with no letter before it: draw it on a
            // dotted circle rather than lose it.
            display.insert(d_start, cells::DOTTED_CIRCLE);
            w = cells::str_width(&display[d_start..]);
            if w == 0 {
                display.truncate(d_start);
                continue;
            }
        }
        if w > width {
            display.truncate(d_start);
            display.push(cells::TOO_WIDE);
            w = 1;
        }

        let drawn = &display[d_start..];
        last_drawn = Some(units.len());
        units.push(Unit {
            source: start..end,
            display: d_start..display.len(),
            width: w,
            base,
            level: 0,
            space,
            ghost: false,
            clean_start: drawn
                .chars()
                .next()
                .is_some_and(cells::always_starts_grapheme),
            prepend_end: drawn.chars().next_back().is_some_and(cells::is_prepend),
            mirror: drawn
                .chars()
                .next()
                .is_some_and(|c| reorder::mirrored(c).is_some()),
            glyph: None,
            break_before: false,
            style: None,
        });
    }
    Measured { units, display }
}
