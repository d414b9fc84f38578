//! Stage 7, reorder: one line from logical to screen order (UAX #9 L2), by
//! whole grapheme cluster so combining marks stay after their base (L3), with
//! mirrored glyphs at right-to-left levels (L4).

/// Screen order (left to right) of units with the given levels: indices into
/// `levels`. Rule L2: from the highest level down to the lowest odd level,
/// reverse every maximal run at that level or higher.
pub fn visual_order(levels: &[u8], order: &mut Vec<usize>) {
    order.clear();
    order.extend(0..levels.len());
    let (Some(&max), Some(&min)) = (levels.iter().max(), levels.iter().min()) else {
        return;
    };
    if max == min {
        if max % 2 == 1 {
            order.reverse();
        }
        return;
    }
    let lowest_odd = if min % 2 == 1 { min } else { min + 1 };
    // Each pass works on the current arrangement, as L2 prescribes: the
    // level at position k is that of the unit now there, `levels[order[k]]`.
    for level in (lowest_odd..=max).rev() {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
}

/// The mirror glyph shown for `c` at a right-to-left level (rule L4), if
/// Unicode's BidiMirroring.txt gives one.
#[inline]
pub fn mirrored(c: char) -> Option<char> {
    // Below U+2000 only these mirror (BidiMirroring.txt); skipping the
    // crate's binary search for letters was a measurable share of layout.
    if matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}') {
        // Arabic presentation forms: what shaped text is made of.
        return None;
    }
    if c < '\u{2000}'
        && !matches!(
            c,
            '(' | ')' | '<' | '>' | '[' | ']' | '{' | '}' | '«' | '»' | '\u{0F3A}'
                ..='\u{0F3D}' | '\u{169B}' | '\u{169C}'
        )
    {
        return None;
    }
    unicode_bidi_mirroring::get_mirrored(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(levels: &[u8]) -> Vec<usize> {
        let mut o = Vec::new();
        visual_order(levels, &mut o);
        o
    }

    #[test]
    fn l2_examples() {
        assert_eq!(order(&[]), Vec::<usize>::new());
        assert_eq!(order(&[0, 0, 0]), vec![0, 1, 2]);
        assert_eq!(order(&[1, 1, 1]), vec![2, 1, 0]);
        // Arabic with an English word and a number inside.
        assert_eq!(order(&[1, 1, 2, 2, 1, 2, 2]), vec![5, 6, 4, 2, 3, 1, 0]);
        // LTR paragraph with an RTL run holding a number.
        assert_eq!(order(&[0, 1, 1, 2, 2, 1, 0]), vec![0, 5, 3, 4, 2, 1, 6]);
    }

    #[test]
    fn deep_levels_do_not_overflow() {
        let levels: Vec<u8> = (0..=126).collect();
        assert_eq!(order(&levels).len(), 127);
        assert_eq!(order(&[126, 125]), vec![1, 0]);
    }

    #[test]
    fn fast_path_agrees_with_the_crate() {
        let low = 0..0x2000u32;
        for cp in low.chain(0xFB50..0xFF00) {
            let c = char::from_u32(cp).unwrap();
            assert_eq!(
                mirrored(c),
                unicode_bidi_mirroring::get_mirrored(c),
                "{cp:04X}"
            );
        }
    }

    #[test]
    fn mirrors() {
        assert_eq!(mirrored('('), Some(')'));
        assert_eq!(mirrored('«'), Some('»'));
        assert_eq!(mirrored('['), Some(']'));
        assert_eq!(mirrored('<'), Some('>'));
        assert_eq!(mirrored('“'), None);
        assert_eq!(mirrored('a'), None);
    }
}
