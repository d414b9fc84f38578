//! Stage "shape": Arabic cursive joining in logical order, for terminals that
//! draw each code point in its own cell and do no shaping themselves.
//!
//! Each letter is replaced by the Arabic Presentation Forms (B, and A for
//! Persian/Urdu letters) glyph for its position in the word — isolated,
//! final, initial or medial — following the joining types of Unicode's
//! `ArabicShaping.txt` (R, L, D, C, T, U), and lam + alef become one of the
//! four lam-alef ligatures.
//!
//! Written by hand rather than wrapping `ar-reshaper` 1.5 (evaluated): its
//! API is String in, String out, so the per-character mapping the layout
//! needs for its column ↔ byte map is lost (it moves harakat and drops
//! ZWJ); it deletes harakat by default, panics (subtract overflow) on a
//! haraka at the start of text (`"\u{064E}ب"`), and forms a ligature for
//! the word الله by default. The tables come from the Unicode data by
//! `scripts/gen-shape-tables.py`.
//!
//! Where FriBidi 1.0.8 (the reference for the golden tests) differs on
//! purpose: a lam-alef ligature also forms with harakat between lam and
//! alef (لَا; FriBidi only ligates adjacent code points), and LRM, RLM, ALM,
//! embeddings and overrides are transparent to joining (general category
//! Cf, not listed in `ArabicShaping.txt`) where FriBidi breaks the join at
//! the level change they cause. The isolates (LRI, RLI, FSI, PDI) are
//! listed as Non_Joining there, so they do break it.

#[rustfmt::skip]
mod tables;

/// Unicode `Joining_Type`, from `ArabicShaping.txt` (characters not listed
/// there are Transparent if their general category is Mn, Me or Cf, else
/// Non_Joining).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JoiningType {
    /// Joins to the preceding character (logical order) only, e.g. alef, dal, reh.
    Right,
    /// Joins to the following character only (no Arabic letter is L).
    Left,
    /// Joins on both sides, e.g. beh, lam, yeh.
    Dual,
    /// Forces joining on both sides without changing shape: ZWJ, tatweel.
    Causing,
    /// Skipped when looking for neighbours: harakat, other marks, format controls.
    Transparent,
    /// Breaks joining: spaces, digits, Latin letters, ZWNJ, hamza.
    NonJoining,
}

impl JoiningType {
    /// Connects to the character after it (in logical order).
    fn joins_next(self) -> bool {
        matches!(
            self,
            JoiningType::Dual | JoiningType::Left | JoiningType::Causing
        )
    }

    /// Connects to the character before it (in logical order).
    fn joins_prev(self) -> bool {
        matches!(
            self,
            JoiningType::Dual | JoiningType::Right | JoiningType::Causing
        )
    }
}

/// The Unicode joining type of `c`.
pub fn joining_type(c: char) -> JoiningType {
    let cp = c as u32;
    if cp < 0x80 {
        return JoiningType::NonJoining;
    }
    if (tables::DENSE_START..=tables::DENSE_END).contains(&cp) {
        return tables::JOINING_DENSE[(cp - tables::DENSE_START) as usize];
    }
    match tables::JOINING_RANGES.binary_search_by(|&(lo, hi, _)| {
        if hi < cp {
            std::cmp::Ordering::Less
        } else if lo > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => tables::JOINING_RANGES[i].2,
        Err(_) => JoiningType::NonJoining,
    }
}

/// Position of a letter in its joined run; the index into `tables::FORMS`.
#[derive(Clone, Copy)]
enum Form {
    Isolated = 0,
    Final = 1,
    Initial = 2,
    Medial = 3,
}

impl Form {
    fn of(joined_prev: bool, joined_next: bool) -> Form {
        match (joined_prev, joined_next) {
            (false, false) => Form::Isolated,
            (true, false) => Form::Final,
            (false, true) => Form::Initial,
            (true, true) => Form::Medial,
        }
    }
}

/// The presentation form of `c` at `form`, or `c` itself where Unicode has
/// none (tatweel, ZWJ, most Arabic Extended letters).
fn presentation_form(c: char, form: Form) -> char {
    let cp = c as u32;
    if !(tables::FORMS_START..=tables::FORMS_END).contains(&cp) {
        return c;
    }
    let shaped = tables::FORMS[(cp - tables::FORMS_START) as usize][form as usize];
    if shaped == 0 {
        c
    } else {
        char::from_u32(u32::from(shaped)).unwrap_or(c)
    }
}

const LAM: char = '\u{0644}';

/// The lam-alef ligature for `alef` after a lam: (isolated, final).
fn lam_alef(alef: char) -> Option<(char, char)> {
    match alef {
        '\u{0622}' => Some(('\u{FEF5}', '\u{FEF6}')), // alef with madda above
        '\u{0623}' => Some(('\u{FEF7}', '\u{FEF8}')), // alef with hamza above
        '\u{0625}' => Some(('\u{FEF9}', '\u{FEFA}')), // alef with hamza below
        '\u{0627}' => Some(('\u{FEFB}', '\u{FEFC}')), // alef
        _ => None,
    }
}

/// The last non-transparent character seen, whose form is decided once the
/// next non-transparent character is known.
#[derive(Clone, Copy)]
struct Pending {
    index: usize,
    char: char,
    kind: JoiningType,
    joined_prev: bool,
}

/// Arabic joining for logical text. One entry per input char, same order:
/// Some(c): show c (a presentation form, or the char itself when it has no form / does not join);
/// None: absorbed into the ligature shown by an earlier entry (the alef of a lam-alef).
/// Marks between lam and alef stay as their own entries after the ligature.
///
/// ZWJ, ZWNJ, tatweel and bidi formatting characters come back as
/// themselves: they steer joining, and the caller decides what to draw (ZWJ,
/// ZWNJ and bidi controls must never reach the terminal). Never panics; runs
/// in one pass with table lookups and no allocation besides the result.
pub fn shape(chars: &[char]) -> Vec<Option<char>> {
    let mut out: Vec<Option<char>> = chars.iter().map(|&c| Some(c)).collect();
    let mut pending: Option<Pending> = None;
    for (index, &c) in chars.iter().enumerate() {
        let kind = joining_type(c);
        if kind == JoiningType::Transparent {
            continue;
        }
        let mut joined_prev = false;
        if let Some(prev) = pending {
            let joined = prev.kind.joins_next() && kind.joins_prev();
            joined_prev = joined;
            if joined && prev.char == LAM {
                if let Some((isolated, fin)) = lam_alef(c) {
                    out[prev.index] = Some(if prev.joined_prev { fin } else { isolated });
                    out[index] = None;
                    // An alef is right-joining: nothing after it joins to the
                    // ligature, and its own entry is already decided.
                    pending = None;
                    continue;
                }
            }
            finish(&mut out, prev, joined);
        }
        pending = Some(Pending {
            index,
            char: c,
            kind,
            joined_prev,
        });
    }
    if let Some(prev) = pending {
        finish(&mut out, prev, false);
    }
    out
}

fn finish(out: &mut [Option<char>], letter: Pending, joined_next: bool) {
    // Non-joining characters (hamza, digits, spaces) keep their code point,
    // as FriBidi does; join-causing ones (tatweel, ZWJ) have no forms.
    if matches!(
        letter.kind,
        JoiningType::Dual | JoiningType::Right | JoiningType::Left
    ) {
        let form = Form::of(letter.joined_prev, joined_next);
        out[letter.index] = Some(presentation_form(letter.char, form));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shaped(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        shape(&chars).into_iter().flatten().collect()
    }

    fn entries(text: &str) -> Vec<Option<char>> {
        let chars: Vec<char> = text.chars().collect();
        shape(&chars)
    }

    #[test]
    fn empty_and_non_arabic_unchanged() {
        assert_eq!(entries(""), vec![]);
        let latin = "Hello, world! 3.5% — naïve café";
        assert_eq!(shaped(latin), latin);
        assert_eq!(shaped("שָׁלוֹם"), "שָׁלוֹם");
    }

    #[test]
    fn joining_types_from_the_unicode_data() {
        use JoiningType::*;
        assert_eq!(joining_type('ب'), Dual);
        assert_eq!(joining_type('ا'), Right);
        assert_eq!(joining_type('ء'), NonJoining);
        assert_eq!(joining_type('\u{0640}'), Causing); // tatweel
        assert_eq!(joining_type('\u{200D}'), Causing); // ZWJ
        assert_eq!(joining_type('\u{200C}'), NonJoining); // ZWNJ
        assert_eq!(joining_type('\u{064E}'), Transparent); // fatha
        assert_eq!(joining_type('\u{0670}'), Transparent); // superscript alef
        assert_eq!(joining_type('\u{200F}'), Transparent); // RLM (Cf)
        assert_eq!(joining_type('\u{061C}'), Transparent); // ALM (Cf)

        // Isolates are listed as U in ArabicShaping.txt: an isolate's
        // content is separate text, so joining does not reach across.
        assert_eq!(joining_type('\u{2067}'), NonJoining); // RLI
        assert_eq!(joining_type('\u{202B}'), Transparent); // RLE (Cf)
        assert_eq!(joining_type('\u{0301}'), Transparent); // combining acute (Mn)
        assert_eq!(joining_type('\u{05B8}'), Transparent); // Hebrew qamats (Mn)
        assert_eq!(joining_type('\u{A872}'), Left); // Phags-pa superfixed ra
        assert_eq!(joining_type('\u{1E900}'), Dual); // Adlam (outside the dense table)
        assert_eq!(joining_type('a'), NonJoining);
        assert_eq!(joining_type('\u{10FFFF}'), NonJoining);
    }

    /// Generated tables agree with a few entries checked by hand in the
    /// Unicode charts, so a broken regeneration cannot go unnoticed.
    #[test]
    fn generated_tables_known_entries() {
        assert_eq!(
            tables::FORMS[(0x0628 - tables::FORMS_START) as usize],
            [0xFE8F, 0xFE90, 0xFE91, 0xFE92] // beh
        );
        assert_eq!(
            tables::FORMS[(0x0627 - tables::FORMS_START) as usize],
            [0xFE8D, 0xFE8E, 0, 0] // alef: right-joining
        );
        assert_eq!(
            tables::FORMS[(0x06AF - tables::FORMS_START) as usize],
            [0xFB92, 0xFB93, 0xFB94, 0xFB95] // gaf (Forms-A)
        );
        assert_eq!(
            tables::FORMS[(0x0640 - tables::FORMS_START) as usize],
            [0, 0, 0, 0] // tatweel
        );
        assert_eq!(
            tables::FORMS[(0x0649 - tables::FORMS_START) as usize],
            [0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9] // alef maksura (dual-joining)
        );
        let ranges = &tables::JOINING_RANGES;
        assert!(ranges.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(ranges.iter().all(|r| r.0 <= r.1));
        assert!(ranges
            .iter()
            .all(|r| r.1 < tables::DENSE_START || r.0 > tables::DENSE_END));
        // Every form listed is a presentation form, and every letter that has
        // forms joins.
        for (i, forms) in tables::FORMS.iter().enumerate() {
            let base = char::from_u32(tables::FORMS_START + i as u32).unwrap();
            for &f in forms.iter().filter(|&&f| f != 0) {
                assert!((0xFB50..=0xFEFC).contains(&f), "U+{f:04X} for {base}");
            }
            if forms.iter().any(|&f| f != 0) && base != 'ء' {
                assert!(
                    matches!(joining_type(base), JoiningType::Dual | JoiningType::Right),
                    "{base}"
                );
            }
        }
    }

    #[test]
    fn four_forms_of_beh() {
        assert_eq!(shaped("ب"), "\u{FE8F}");
        assert_eq!(shaped("بب"), "\u{FE91}\u{FE90}");
        assert_eq!(shaped("ببب"), "\u{FE91}\u{FE92}\u{FE90}");
    }

    #[test]
    fn right_joining_letter_breaks_the_run_after_it() {
        // د joins only to the letter before it; the next ب starts again.
        assert_eq!(shaped("بدب"), "\u{FE91}\u{FEAA}\u{FE8F}");
    }

    #[test]
    fn hamza_does_not_join_and_keeps_its_code_point() {
        assert_eq!(shaped("ماء"), "\u{FEE3}\u{FE8E}\u{0621}");
        assert_eq!(shaped("بءب"), "\u{FE8F}\u{0621}\u{FE8F}");
    }

    #[test]
    fn harakat_are_transparent() {
        // مُحَمَّدٌ: shadda + fatha between meem and dal do not break the join.
        assert_eq!(
            shaped("مُحَمَّدٌ"),
            "\u{FEE3}\u{064F}\u{FEA4}\u{064E}\u{FEE4}\u{064E}\u{0651}\u{FEAA}\u{064C}"
        );
    }

    #[test]
    fn haraka_first_lone_marks_and_only_marks() {
        assert_eq!(shaped("\u{064E}ب"), "\u{064E}\u{FE8F}");
        assert_eq!(shaped("\u{064E}"), "\u{064E}");
        assert_eq!(
            shaped("\u{064E}\u{0651}\u{0652}"),
            "\u{064E}\u{0651}\u{0652}"
        );
        assert_eq!(shaped(" \u{0651}ب \u{064B}"), " \u{0651}\u{FE8F} \u{064B}");
    }

    #[test]
    fn lam_alef_ligatures() {
        assert_eq!(entries("لا"), vec![Some('\u{FEFB}'), None]);
        assert_eq!(entries("لآ"), vec![Some('\u{FEF5}'), None]);
        assert_eq!(entries("لأ"), vec![Some('\u{FEF7}'), None]);
        assert_eq!(entries("لإ"), vec![Some('\u{FEF9}'), None]);
        // After a joining letter, the final forms.
        assert_eq!(shaped("سلا"), "\u{FEB3}\u{FEFC}");
        assert_eq!(shaped("سلآ"), "\u{FEB3}\u{FEF6}");
        assert_eq!(shaped("سلأ"), "\u{FEB3}\u{FEF8}");
        assert_eq!(shaped("سلإ"), "\u{FEB3}\u{FEFA}");
        // After a right-joining letter, isolated again: دلا.
        assert_eq!(shaped("دلا"), "\u{FEA9}\u{FEFB}");
        // Alef wasla has no ligature: lam initial, alef wasla final.
        assert_eq!(shaped("لٱ"), "\u{FEDF}\u{FB51}");
        // Nothing joins to the ligature's left side: the meem after it is
        // isolated.
        assert_eq!(shaped("سلام"), "\u{FEB3}\u{FEFC}\u{FEE1}");
    }

    #[test]
    fn lam_alef_with_harakat_between() {
        // لَا: ligature, then the fatha as its own entry, the alef absorbed.
        assert_eq!(entries("لَا"), vec![Some('\u{FEFB}'), Some('\u{064E}'), None]);
        // السَّلَامُ: fatha + shadda on the seen, fatha between lam and alef.
        assert_eq!(
            entries("السَّلَامُ"),
            vec![
                Some('\u{FE8D}'),
                Some('\u{FEDF}'),
                Some('\u{FEB4}'),
                Some('\u{064E}'),
                Some('\u{0651}'),
                Some('\u{FEFC}'),
                Some('\u{064E}'),
                None,
                Some('\u{FEE1}'),
                Some('\u{064F}'),
            ]
        );
        // Shadda + fatha between lam and alef with hamza above.
        assert_eq!(
            entries("ال\u{0651}\u{064E}أ"),
            vec![
                Some('\u{FE8D}'),
                Some('\u{FEF7}'),
                Some('\u{0651}'),
                Some('\u{064E}'),
                None
            ]
        );
    }

    #[test]
    fn tatweel_joins_both_sides_and_blocks_the_ligature() {
        assert_eq!(shaped("ـبـ"), "\u{0640}\u{FE92}\u{0640}");
        assert_eq!(shaped("بـ"), "\u{FE91}\u{0640}");
        assert_eq!(shaped("ـا"), "\u{0640}\u{FE8E}");
        // لـا: tatweel between lam and alef is the usual way to avoid the
        // ligature.
        assert_eq!(shaped("لـا"), "\u{FEDF}\u{0640}\u{FE8E}");
        // Kashida-stretched word: كـتـاب
        assert_eq!(
            shaped("كـتـاب"),
            "\u{FEDB}\u{0640}\u{FE98}\u{0640}\u{FE8E}\u{FE8F}"
        );
    }

    #[test]
    fn zwj_forces_joining_and_zwnj_prevents_it() {
        assert_eq!(shaped("ب\u{200D}"), "\u{FE91}\u{200D}");
        assert_eq!(shaped("\u{200D}ب"), "\u{200D}\u{FE90}");
        assert_eq!(shaped("\u{200D}ب\u{200D}"), "\u{200D}\u{FE92}\u{200D}");
        assert_eq!(shaped("ب\u{200C}ب"), "\u{FE8F}\u{200C}\u{FE8F}");
        // Persian: می‌خواهم keeps می apart from خواهم.
        assert_eq!(
            shaped("می\u{200C}خواهم"),
            "\u{FEE3}\u{FBFD}\u{200C}\u{FEA7}\u{FEEE}\u{FE8D}\u{FEEB}\u{FEE2}"
        );
        // ZWNJ between lam and alef: no ligature, no joining.
        assert_eq!(
            entries("ل\u{200C}ا"),
            vec![Some('\u{FEDD}'), Some('\u{200C}'), Some('\u{FE8D}')]
        );
    }

    #[test]
    fn bidi_marks_and_embeddings_are_transparent() {
        for control in [
            '\u{200E}', '\u{200F}', '\u{061C}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{202E}',
        ] {
            let text = format!("ب{control}ب");
            assert_eq!(
                shaped(&text),
                format!("\u{FE91}{control}\u{FE90}"),
                "U+{:04X}",
                control as u32
            );
        }
        assert_eq!(
            entries("ل\u{200F}ا"),
            vec![Some('\u{FEFB}'), Some('\u{200F}'), None]
        );
        // Isolates (LRI, RLI, FSI, PDI) are non-joining per ArabicShaping.txt.
        for isolate in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(
                shaped(&format!("ب{isolate}ب")),
                format!("\u{FE8F}{isolate}\u{FE8F}")
            );
        }
    }

    #[test]
    fn persian_and_urdu_letters_use_forms_a() {
        // پ چ ژ گ ک ی
        assert_eq!(shaped("پپپ"), "\u{FB58}\u{FB59}\u{FB57}");
        assert_eq!(shaped("چ"), "\u{FB7A}");
        assert_eq!(shaped("بژ"), "\u{FE91}\u{FB8B}");
        assert_eq!(shaped("گک"), "\u{FB94}\u{FB8F}");
        assert_eq!(shaped("ی"), "\u{FBFC}");
        // Urdu ٹ ڈ ڑ ں ہ ے
        assert_eq!(shaped("ٹٹ"), "\u{FB68}\u{FB67}");
        assert_eq!(shaped("بڈ"), "\u{FE91}\u{FB89}");
        assert_eq!(shaped("بڑ"), "\u{FE91}\u{FB8D}");
        assert_eq!(shaped("بں"), "\u{FE91}\u{FB9F}");
        assert_eq!(shaped("ہہہ"), "\u{FBA8}\u{FBA9}\u{FBA7}");
        assert_eq!(shaped("بے"), "\u{FE91}\u{FBAF}");
    }

    #[test]
    fn letters_without_forms_stay_but_still_join() {
        // ݐ (U+0750, Arabic Supplement, dual-joining) has no presentation
        // form: it stays, and its neighbours take joined forms.
        assert_eq!(shaped("بݐب"), "\u{FE91}\u{0750}\u{FE90}");
        // ڤ has forms (Forms-A); ࢠ (U+08A0, dual) does not.
        assert_eq!(shaped("ࢠا"), "\u{08A0}\u{FE8E}");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// Characters that exercise every joining rule, plus any char at all.
        fn interesting_char() -> impl Strategy<Value = char> {
            let pool: Vec<char> = "بلاأإآٱدرءةىيمهپچژگکیٹڈڑںہےھݐࢠ ـ.1٣aשׁ"
                .chars()
                .chain([
                    '\u{064E}',
                    '\u{0651}',
                    '\u{0652}',
                    '\u{0670}',
                    '\u{200C}',
                    '\u{200D}',
                    '\u{200E}',
                    '\u{200F}',
                    '\u{061C}',
                    '\u{202B}',
                    '\u{2067}',
                    '\u{2069}',
                    '\u{FEFB}',
                    '\u{0301}',
                    '\u{10FFFF}',
                ])
                .collect();
            prop_oneof![4 => proptest::sample::select(pool), 1 => any::<char>()]
        }

        fn is_alef_with_ligature(c: char) -> bool {
            matches!(c, '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0627}')
        }

        /// A deliberately naive oracle: neighbours found by scanning, form
        /// looked up per char.
        fn oracle(chars: &[char]) -> Vec<Option<char>> {
            let kind = |i: usize| joining_type(chars[i]);
            let prev = |i: usize| (0..i).rev().find(|&j| kind(j) != JoiningType::Transparent);
            let next =
                |i: usize| (i + 1..chars.len()).find(|&j| kind(j) != JoiningType::Transparent);
            let joins_prev =
                |i: usize| kind(i).joins_prev() && prev(i).is_some_and(|j| kind(j).joins_next());
            let joins_next =
                |i: usize| kind(i).joins_next() && next(i).is_some_and(|j| kind(j).joins_prev());
            let mut out = Vec::new();
            for (i, &c) in chars.iter().enumerate() {
                let entry = match kind(i) {
                    JoiningType::Dual | JoiningType::Right | JoiningType::Left => {
                        let lam_before = prev(i).is_some_and(|j| chars[j] == LAM);
                        let alef_after = next(i).is_some_and(|j| is_alef_with_ligature(chars[j]));
                        if is_alef_with_ligature(c) && lam_before {
                            None
                        } else if c == LAM && alef_after {
                            let (isolated, fin) = lam_alef(chars[next(i).unwrap()]).unwrap();
                            Some(if joins_prev(i) { fin } else { isolated })
                        } else {
                            Some(presentation_form(c, Form::of(joins_prev(i), joins_next(i))))
                        }
                    }
                    _ => Some(c),
                };
                out.push(entry);
            }
            out
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn one_entry_per_char_and_matches_the_oracle(
                chars in proptest::collection::vec(interesting_char(), 0..40)
            ) {
                let out = shape(&chars);
                prop_assert_eq!(out.len(), chars.len());
                prop_assert_eq!(&out, &oracle(&chars));
            }

            #[test]
            fn none_only_for_an_alef_after_a_lam_ligature(
                chars in proptest::collection::vec(interesting_char(), 0..40)
            ) {
                let out = shape(&chars);
                for (i, entry) in out.iter().enumerate() {
                    if entry.is_none() {
                        prop_assert!(is_alef_with_ligature(chars[i]));
                        let lam = (0..i)
                            .rev()
                            .find(|&j| joining_type(chars[j]) != JoiningType::Transparent);
                        let lam = lam.expect("a lam before the alef");
                        prop_assert_eq!(chars[lam], LAM);
                        let ligature = matches!(out[lam], Some('\u{FEF5}'..='\u{FEFC}'));
                        prop_assert!(ligature);
                    }
                }
            }

            #[test]
            fn only_joining_letters_change(
                chars in proptest::collection::vec(interesting_char(), 0..40)
            ) {
                for (&c, entry) in chars.iter().zip(shape(&chars)) {
                    match joining_type(c) {
                        JoiningType::Dual | JoiningType::Right | JoiningType::Left => {}
                        _ => prop_assert_eq!(entry, Some(c)),
                    }
                }
            }

            #[test]
            fn text_without_joining_letters_is_unchanged(text in "[^\u{0600}-\u{08FF}]{0,60}") {
                let chars: Vec<char> = text.chars().collect();
                let out: Vec<Option<char>> = chars.iter().map(|&c| Some(c)).collect();
                prop_assert_eq!(shape(&chars), out);
            }

            /// A space never joins, so words shape independently.
            #[test]
            fn a_space_separates_shaping(
                a in proptest::collection::vec(interesting_char(), 0..20),
                b in proptest::collection::vec(interesting_char(), 0..20),
            ) {
                let mut joined = a.clone();
                joined.push(' ');
                joined.extend(&b);
                let mut expected = shape(&a);
                expected.push(Some(' '));
                expected.extend(shape(&b));
                prop_assert_eq!(shape(&joined), expected);
            }
        }
    }
}
