//! Stage 2, itemize: UAX #9 embedding levels for the whole paragraph, once.
//!
//! `unicode-bidi` computes the levels (rules P2–P3, X1–X10, W1–W7, N0–N2,
//! I1–I2) over the original text, bidi formatting characters included.
//! Everything after that — L1 at line ends, L2 reversal, L3 and L4 — is done
//! by our own `reorder` stage on line ranges, because the crate's per-line
//! API copies the paragraph's levels for every line (O(paragraph × lines)),
//! reverses runs char by char (harakat land before their letter) and does
//! not mirror.
//!
//! Deep nesting: `unicode-bidi` 0.3.18 panics on level overflow (its issue
//! #145), but the panic is in `visual_runs`/`reorder_line` (the L2 step,
//! where a level-126 line asks for the next odd level), which qari never
//! calls. Computing the levels themselves follows X1–X8's overflow counters
//! (depth capped at 125) and does not panic: `tests/layout_props.rs` runs 500
//! nested RLE, RLO, RLI and LRI and random control soup through the engine.
//! So the text is handed over untouched, which keeps conformance exact.

use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo};

use super::BaseDirection;

/// Resolved levels of one paragraph, per byte of its text.
pub struct Itemized<'a> {
    info: ParagraphBidiInfo<'a>,
}

impl<'a> Itemized<'a> {
    pub fn new(text: &'a str, direction: BaseDirection) -> Self {
        let level = match direction {
            BaseDirection::Auto => None,
            BaseDirection::Rtl => Some(Level::rtl()),
            BaseDirection::Ltr => Some(Level::ltr()),
        };
        Itemized {
            info: ParagraphBidiInfo::new(text, level),
        }
    }

    /// The paragraph embedding level (0 or 1).
    pub fn para_level(&self) -> u8 {
        self.info.paragraph_level.number()
    }

    /// The resolved direction (never `Auto`).
    pub fn direction(&self) -> BaseDirection {
        if self.info.paragraph_level.is_rtl() {
            BaseDirection::Rtl
        } else {
            BaseDirection::Ltr
        }
    }

    /// Resolved level of the character starting at `byte` (before L1).
    #[inline]
    pub fn level(&self, byte: usize) -> u8 {
        self.info.levels[byte].number()
    }

    /// Original bidi class of the character starting at `byte`.
    #[inline]
    pub fn class(&self, byte: usize) -> BidiClass {
        self.info.original_classes[byte]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_takes_the_first_strong_character() {
        assert_eq!(
            Itemized::new("25% من", BaseDirection::Auto).direction(),
            BaseDirection::Rtl
        );
        assert_eq!(
            Itemized::new("BBC قالت", BaseDirection::Auto).direction(),
            BaseDirection::Ltr
        );
        assert_eq!(
            Itemized::new("123", BaseDirection::Auto).direction(),
            BaseDirection::Ltr
        );
        assert_eq!(
            Itemized::new("", BaseDirection::Rtl).direction(),
            BaseDirection::Rtl
        );
    }

    #[test]
    fn levels_per_byte() {
        let it = Itemized::new("ab جد 12", BaseDirection::Rtl);
        assert_eq!(it.para_level(), 1);
        assert_eq!(it.level(0), 2); // a
        assert_eq!(it.level(3), 1); // ج
        assert_eq!(it.level(8), 2); // 1
    }
}
