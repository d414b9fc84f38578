//! Stage 6, wrap: choose where lines end, in logical order, before any
//! reordering, so that reading flows from one line to the next.
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`), mapped onto
//! the drawn clusters by the caller; widths are the cells of the *shaped*
//! clusters. Greedy filling: a line ends at the last opportunity that keeps
//! it within the width; a word wider than a whole line is split between
//! grapheme clusters. Spaces a line ends in are neither counted nor drawn.

use std::ops::Range;

/// What the wrapper needs to know of one drawn cluster.
pub trait WrapUnit {
    fn width(&self) -> usize;
    /// Blank space: free at the end of a line, dropped there.
    fn is_space(&self) -> bool;
    /// UAX #14 allows a line to start with this cluster.
    fn break_before(&self) -> bool;
}

/// One wrapped line: `units` are the clusters it holds, `shown` the ones
/// drawn (its trailing spaces removed), `width` the cells of `shown`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub units: Range<usize>,
    pub shown: Range<usize>,
    pub width: usize,
}

/// Split `units` into lines of at most `width` cells (`width >= 1`; every
/// unit must be at most `width` wide, the caller substitutes wider ones).
/// Always returns at least one line.
pub fn wrap<U: WrapUnit>(units: &[U], width: usize) -> Vec<Line> {
    // About one line per `width` units of prose.
    let mut lines = Vec::with_capacity(units.len() / width + 2);
    let mut start = 0;
    let mut i = 0;
    // Cells up to the last non-space unit, and blank cells after it.
    let mut content = 0;
    let mut pending = 0;
    let mut last_break: Option<usize> = None;
    while i < units.len() {
        let u = &units[i];
        if i > start && u.break_before() {
            last_break = Some(i);
        }
        if u.is_space() {
            pending += u.width();
            i += 1;
            continue;
        }
        let need = content + pending + u.width();
        if need <= width || i == start {
            content = need;
            pending = 0;
            i += 1;
            continue;
        }
        // Overflow: end at the last opportunity, or split the word here.
        let cut = last_break.unwrap_or(i);
        lines.push(finish(units, start..cut));
        start = cut;
        i = cut;
        content = 0;
        pending = 0;
        last_break = None;
    }
    if start < units.len() || lines.is_empty() {
        lines.push(finish(units, start..units.len()));
    }
    lines
}

fn finish<U: WrapUnit>(units: &[U], range: Range<usize>) -> Line {
    let mut end = range.end;
    while end > range.start && units[end - 1].is_space() {
        end -= 1;
    }
    let width = units[range.start..end].iter().map(|u| u.width()).sum();
    Line {
        shown: range.start..end,
        units: range,
        width,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct U(usize, bool, bool);
    impl WrapUnit for U {
        fn width(&self) -> usize {
            self.0
        }
        fn is_space(&self) -> bool {
            self.1
        }
        fn break_before(&self) -> bool {
            self.2
        }
    }

    /// Words of one-cell letters separated by single spaces, with UAX #14's
    /// opportunities (after each space).
    fn words(s: &str) -> Vec<U> {
        let chars: Vec<char> = s.chars().collect();
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| U(1, c == ' ', i > 0 && chars[i - 1] == ' ' && c != ' '))
            .collect()
    }

    fn lines(s: &str, width: usize) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        wrap(&words(s), width)
            .into_iter()
            .map(|l| chars[l.shown].iter().collect())
            .collect()
    }

    #[test]
    fn greedy_at_spaces() {
        assert_eq!(lines("aaa bb cccc d", 6), ["aaa bb", "cccc d"]);
        assert_eq!(lines("aaa bb cccc d", 7), ["aaa bb", "cccc d"]);
        assert_eq!(lines("aaa bb cccc d", 100), ["aaa bb cccc d"]);
    }

    #[test]
    fn trailing_spaces_are_free_and_dropped() {
        assert_eq!(lines("aaa    bbb", 3), ["aaa", "bbb"]);
        assert_eq!(lines("aaa   ", 3), ["aaa"]);
        let l = wrap(&words("ab   "), 2);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].units, 0..5);
        assert_eq!(l[0].width, 2);
    }

    #[test]
    fn long_words_split_between_clusters() {
        assert_eq!(lines("abcdefg hi", 3), ["abc", "def", "g", "hi"]);
        assert_eq!(lines("ab abcdefg", 3), ["ab", "abc", "def", "g"]);
        assert_eq!(lines("abc", 1), ["a", "b", "c"]);
    }

    #[test]
    fn wide_units() {
        let units = [U(2, false, false), U(2, false, false), U(1, false, false)];
        let l = wrap(&units, 3);
        assert_eq!(l.iter().map(|l| l.width).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn empty_input_gives_one_empty_line() {
        let l = wrap::<U>(&[], 10);
        assert_eq!(
            l,
            [Line {
                units: 0..0,
                shown: 0..0,
                width: 0
            }]
        );
        assert_eq!(lines("   ", 10), [""]);
    }

    #[test]
    fn linear_in_long_paragraphs() {
        let s = "ab ".repeat(200_000);
        assert_eq!(lines(&s, 80).len(), 200_000 * 3 / 81 + 1);
    }
}
