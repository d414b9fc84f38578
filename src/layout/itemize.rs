//! Stage 2, itemize: UAX #9 embedding levels for the whole paragraph, once.
//!
//! `unicode-bidi` computes the levels (rules P2–P3, X1–X10, W1–W7, N0–N2,
//! I1–I2) over the paragraph, bidi formatting characters included.
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
//! So no control is neutralised, which keeps conformance exact.
//!
//! Speed: the crate works byte by byte, which made it the largest cost of
//! laying out Arabic. It is handed a *condensed* paragraph instead: every
//! maximal run of characters of one class among L, R, AL, EN, AN and WS
//! becomes its first character, and so does a run of one strong class (L, R
//! or AL) with whitespace between its characters ("word word word"). No
//! rule of UAX #9 counts such a run or looks inside it: strong types are
//! read as "the nearest one", W4–W5 look only at a run's ends, N1–N2
//! resolve a whole neutral sequence at once, and whitespace between two
//! characters of the same strong class resolves to that class and level (L1
//! is applied later, on the original characters). Brackets, marks, controls
//! and all other classes are kept one for one. So every character of a run
//! gets the level of its first character, and a clause of Arabic prose is
//! handed over as one letter. The conformance test and a property test
//! against the uncondensed text check this.

use std::sync::LazyLock;

use unicode_bidi::{BidiClass, BidiDataSource, HardcodedBidiData, Level, ParagraphBidiInfo};

use super::BaseDirection;

/// Resolved levels of one paragraph (before rule L1).
pub struct Itemized {
    para_level: u8,
    /// Runs of the text in order, each with the level of all its characters.
    runs: Vec<Run>,
}

#[derive(Clone, Copy, Debug)]
struct Run {
    /// End (exclusive) in the original text's bytes.
    end: usize,
    /// Where its representative character is in the condensed text.
    at: usize,
    level: u8,
}

impl Itemized {
    pub fn new(text: &str, direction: BaseDirection) -> Self {
        let chars: Vec<char> = text.chars().collect();
        Self::from_chars(&chars, direction)
    }

    /// The same from the paragraph's characters (which the layout has at
    /// hand already).
    pub fn from_chars(chars: &[char], direction: BaseDirection) -> Self {
        let classes = FastClasses(&LOW_CLASSES);
        let level = match direction {
            BaseDirection::Auto => None,
            BaseDirection::Rtl => Some(Level::rtl()),
            BaseDirection::Ltr => Some(Level::ltr()),
        };
        let mut condensed = String::with_capacity(chars.len() / 2 + 8);
        let mut runs: Vec<Run> = Vec::with_capacity(chars.len() / 2 + 1);
        // Class of the last run if it may grow, and blanks seen after a
        // strong run that join it if the same strong class follows.
        let mut last: Option<BidiClass> = None;
        let mut blanks: Option<char> = None;
        let mut end = 0;
        // Every class met (a bit per class), for the one-level shortcut
        // (the fast path only runs once an AL has been met).
        let mut seen = 0u32;
        let mut rest = chars;
        while let Some((&c, tail)) = rest.split_first() {
            rest = tail;
            if last == Some(BidiClass::AL) && is_plain_arabic_letter(c) {
                // Fast path: plain Arabic letters (the bulk of a paragraph)
                // extend the run, and join the blanks before them to it,
                // with no class lookup; every one takes two bytes.
                let more = rest
                    .iter()
                    .take_while(|&&c| is_plain_arabic_letter(c))
                    .count();
                rest = &rest[more..];
                end += 2 * (1 + more);
                if let Some(run) = runs.last_mut() {
                    run.end = end;
                }
                blanks = None;
                continue;
            }
            let class = classes.bidi_class(c);
            seen |= 1 << class as u32;
            let i = end;
            end += c.len_utf8();
            if last == Some(class) {
                if let Some(run) = runs.last_mut() {
                    run.end = end;
                    blanks = None;
                    continue;
                }
            }
            if class == BidiClass::WS && last.is_some_and(is_strong) {
                blanks.get_or_insert(c);
                continue;
            }
            if let Some(blank) = blanks.take() {
                // The strong run ended otherwise: the blanks are a run.
                runs.push(Run {
                    end: i,
                    at: condensed.len(),
                    level: 0,
                });
                condensed.push(blank);
            }
            last = condensable(class).then_some(class);
            runs.push(Run {
                end,
                at: condensed.len(),
                level: 0,
            });
            condensed.push(c);
        }
        if let Some(blank) = blanks {
            runs.push(Run {
                end,
                at: condensed.len(),
                level: 0,
            });
            condensed.push(blank);
        }
        if let Some(para_level) = one_level(seen, direction) {
            for run in &mut runs {
                run.level = para_level;
            }
            return Itemized { para_level, runs };
        }
        let info = ParagraphBidiInfo::new_with_data_source(&classes, &condensed, level);
        for run in &mut runs {
            run.level = info.levels[run.at].number();
        }
        Itemized {
            para_level: info.paragraph_level.number(),
            runs,
        }
    }

    /// The paragraph embedding level (0 or 1).
    pub fn para_level(&self) -> u8 {
        self.para_level
    }

    /// The resolved direction (never `Auto`).
    pub fn direction(&self) -> BaseDirection {
        if self.para_level % 2 == 1 {
            BaseDirection::Rtl
        } else {
            BaseDirection::Ltr
        }
    }

    /// Resolved level of the character at `byte` (before rule L1).
    pub fn level(&self, byte: usize) -> u8 {
        let i = self.runs.partition_point(|r| r.end <= byte);
        self.runs.get(i).map_or(self.para_level, |r| r.level)
    }

    /// Levels for increasing byte offsets, in amortised constant time.
    pub fn cursor(&self) -> LevelCursor<'_> {
        LevelCursor {
            runs: &self.runs,
            next: 0,
            para_level: self.para_level,
        }
    }
}

pub struct LevelCursor<'a> {
    runs: &'a [Run],
    next: usize,
    para_level: u8,
}

impl LevelCursor<'_> {
    /// Level of the character at `byte`; `byte` must not decrease between
    /// calls.
    #[inline]
    pub fn at(&mut self, byte: usize) -> u8 {
        while self.next < self.runs.len() && self.runs[self.next].end <= byte {
            self.next += 1;
        }
        self.runs
            .get(self.next)
            .map_or(self.para_level, |r| r.level)
    }
}

/// The paragraph level when every character of a paragraph whose classes
/// are `seen` (a bit per class) resolves to it, so the crate need not run:
/// one strong direction (L, or R and AL) that is also the paragraph's, with
/// only neutrals (WS, ON, S, and CS, ET, ES and NSM, which W1–W7 make
/// neutral or the strong type before them when no number is near), and in
/// left-to-right text European digits (which W7 makes L). Nothing there
/// opens an embedding, and N0–N2 resolve neutrals between or beside the one
/// strong type (or sos/eos, which are the paragraph's direction) to it. Most
/// paragraphs of Arabic prose with no digits or Latin are such.
fn one_level(seen: u32, direction: BaseDirection) -> Option<u8> {
    use BidiClass::*;
    let bits = |classes: &[BidiClass]| classes.iter().fold(0u32, |m, &c| m | 1 << c as u32);
    let neutral = bits(&[WS, ON, S, CS, ET, ES, NSM]);
    if seen & !neutral == 0 {
        // No strong character: P3 gives level 0 unless told otherwise.
        return Some(u8::from(direction == BaseDirection::Rtl));
    }
    if seen & !(neutral | bits(&[R, AL])) == 0 && direction != BaseDirection::Ltr {
        return Some(1);
    }
    if seen & !(neutral | bits(&[L, EN])) == 0 && direction != BaseDirection::Rtl {
        return Some(0);
    }
    None
}

/// U+0620–U+064A: Arabic letters and tatweel, all of class AL.
#[inline]
fn is_plain_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}')
}

fn is_strong(class: BidiClass) -> bool {
    matches!(class, BidiClass::L | BidiClass::R | BidiClass::AL)
}

/// Classes whose runs are condensed (see the module notes).
fn condensable(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(class, L | R | AL | EN | AN | WS)
}

/// The bidi class of `c`.
#[inline]
pub fn class(c: char) -> BidiClass {
    FastClasses(&LOW_CLASSES).bidi_class(c)
}

/// `unicode-bidi`'s own character data, with the first 0x800 code points
/// (Latin, Hebrew, Arabic) looked up in a table built from it once: the
/// crate binary-searches its range table for every character. (Holds the
/// table so the lazy initialisation is checked once per paragraph.)
struct FastClasses<'a>(&'a [BidiClass; TABLE_LEN]);

const TABLE_LEN: usize = 0x800;

static LOW_CLASSES: LazyLock<[BidiClass; TABLE_LEN]> = LazyLock::new(|| {
    std::array::from_fn(|cp| {
        char::from_u32(cp as u32).map_or(BidiClass::L, |c| HardcodedBidiData.bidi_class(c))
    })
});

impl BidiDataSource for FastClasses<'_> {
    #[inline]
    fn bidi_class(&self, c: char) -> BidiClass {
        match self.0.get(c as usize) {
            Some(&class) => class,
            None => HardcodedBidiData.bidi_class(c),
        }
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
    fn fast_classes_agree_with_the_crate() {
        for cp in 0..0x3000u32 {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(class(c), HardcodedBidiData.bidi_class(c), "{cp:04X}");
            }
        }
    }

    #[test]
    fn plain_arabic_letters_are_al() {
        for cp in 0..0x800u32 {
            let c = char::from_u32(cp).unwrap();
            if is_plain_arabic_letter(c) {
                assert_eq!(class(c), BidiClass::AL, "{cp:04X}");
                assert_eq!(c.len_utf8(), 2);
            }
        }
    }

    #[test]
    fn levels_per_byte() {
        let it = Itemized::new("ab جد 12", BaseDirection::Rtl);
        assert_eq!(it.para_level(), 1);
        assert_eq!(it.level(0), 2); // a
        assert_eq!(it.level(1), 2); // b
        assert_eq!(it.level(3), 1); // ج
        assert_eq!(it.level(8), 2); // 1
        let mut cursor = it.cursor();
        assert_eq!([0, 3, 8, 9].map(|b| cursor.at(b)), [2, 1, 2, 2]);
    }

    #[test]
    fn one_level_only_where_nothing_else_can_come_out() {
        let seen = |text: &str| text.chars().fold(0u32, |m, c| m | 1 << class(c) as u32);
        let rtl = seen("قال، «نعم» (حقاً): ٪ + - .\t\u{064E}");
        assert_eq!(one_level(rtl, BaseDirection::Auto), Some(1));
        assert_eq!(one_level(rtl, BaseDirection::Rtl), Some(1));
        assert_eq!(one_level(rtl, BaseDirection::Ltr), None);
        let ltr = seen("It cost $5, (or 6%).");
        assert_eq!(one_level(ltr, BaseDirection::Auto), Some(0));
        assert_eq!(one_level(ltr, BaseDirection::Rtl), None);
        assert_eq!(one_level(seen(" . "), BaseDirection::Rtl), Some(1));
        assert_eq!(one_level(seen(" . "), BaseDirection::Auto), Some(0));
        for mixed in [
            "عام 2024",
            "قال BBC",
            "١٢ ب",
            "ب\u{200D}ب",
            "a\u{202B}b",
            "ب\u{2069}",
        ] {
            for d in [BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr] {
                assert_eq!(one_level(seen(mixed), d), None, "{mixed:?}");
            }
        }
        // Same levels as the crate wherever it applies.
        for text in [
            "قال، «نعم» (حقاً): ٪ + - .\t\u{064E}",
            "It cost $5, (or 6%).",
            " . ",
            "\u{064E}ب",
        ] {
            for d in [BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr] {
                same_levels_as_uncondensed(text, d);
            }
        }
    }

    /// Condensing runs gives every character the level the crate gives it
    /// on the whole text.
    fn same_levels_as_uncondensed(text: &str, direction: BaseDirection) {
        let level = match direction {
            BaseDirection::Auto => None,
            BaseDirection::Rtl => Some(Level::rtl()),
            BaseDirection::Ltr => Some(Level::ltr()),
        };
        let full = ParagraphBidiInfo::new(text, level);
        let ours = Itemized::new(text, direction);
        assert_eq!(ours.para_level(), full.paragraph_level.number(), "{text:?}");
        let mut cursor = ours.cursor();
        for (i, _) in text.char_indices() {
            assert_eq!(
                cursor.at(i),
                full.levels[i].number(),
                "byte {i} of {text:?}"
            );
        }
    }

    #[test]
    fn condensing_keeps_levels_on_real_text() {
        for text in [
            "قال المتحدث إن نسبة النمو بلغت 25% في عام 2024، أي 3.5 مليار دولار.",
            "Apple أعلنت عن iPhone 15 Pro (بسعر $999) في 22/11/2024",
            "١٢٣ و٤٥٦٫٧ abc 1,234.5 def «نص» (a [b] c) \u{2067}x 12\u{2069} y",
            "a\u{202B}b 12 c\u{202C} d \u{202E}e f\u{202C} g\u{2068}ح 1\u{2069}",
            "",
            "   ",
        ] {
            for d in [BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr] {
                same_levels_as_uncondensed(text, d);
            }
        }
    }

    fn alphabet() -> Vec<char> {
        "aZ بج١٢12.,:/%$+-()[]«»\u{05D0}\u{064E}\u{0301}\t\n\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}\u{200D}"
            .chars()
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn condensing_keeps_levels(
            chars in proptest::collection::vec(proptest::sample::select(alphabet()), 0..60),
            d in proptest::sample::select(vec![BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr]),
        ) {
            let text: String = chars.into_iter().collect();
            same_levels_as_uncondensed(&text, d);
        }

        /// Text of one strong direction, mostly taking the one-level path.
        #[test]
        fn one_level_keeps_levels(
            chars in proptest::collection::vec(proptest::sample::select(
                "بجا\u{200F}\u{061C}\u{05D0} .,:%$+-()[]«»\t\u{064E}\u{0301}".chars().collect::<Vec<_>>()), 0..40),
            latin in proptest::bool::ANY,
            d in proptest::sample::select(vec![BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr]),
        ) {
            let text: String = chars
                .into_iter()
                .map(|c| match c { 'ب' if latin => 'x', 'ج' if latin => '7', 'ا' if latin => 'Q', c => c })
                .collect();
            same_levels_as_uncondensed(&text, d);
        }
    }
}
