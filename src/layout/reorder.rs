//! Stage 5, reorder: one line from logical to screen order (UAX #9 L2), by
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
    // Reversing positions of `order` while reading levels through it: each
    // pass works on the current arrangement, as L2 prescribes.
    let mut run_levels: Vec<u8> = levels.to_vec();
    for level in (lowest_odd..=max).rev() {
        let mut i = 0;
        while i < run_levels.len() {
            if run_levels[i] >= level {
                let start = i;
                while i < run_levels.len() && run_levels[i] >= level {
                    i += 1;
                }
                order[start..i].reverse();
                run_levels[start..i].reverse();
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
    if c.is_ascii_alphanumeric() || c == ' ' {
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
    fn mirrors() {
        assert_eq!(mirrored('('), Some(')'));
        assert_eq!(mirrored('«'), Some('»'));
        assert_eq!(mirrored('['), Some(']'));
        assert_eq!(mirrored('<'), Some('>'));
        assert_eq!(mirrored('“'), None);
        assert_eq!(mirrored('a'), None);
    }
}
