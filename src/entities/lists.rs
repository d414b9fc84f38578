//! Splitting the compiled-in list files into lines and columns.
//!
//! The lists hold about 140,000 short lines; `str::lines` and
//! `str::split('\t')` set up a searcher on every call, which was most of
//! the start-up time. These do the same on bytes (the separators are ASCII,
//! so every cut is on a character boundary).

/// The lines of `text` exactly as [`str::lines`] gives them: split after
/// each `\n`, the `\n` and a `\r` before it removed, no empty last line.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = match rest.bytes().position(|b| b == b'\n') {
            Some(at) => {
                let line = &rest[..at];
                (line.strip_suffix('\r').unwrap_or(line), &rest[at + 1..])
            }
            None => (rest, ""),
        };
        rest = after;
        Some(line)
    })
}

/// The number of lines [`lines`] gives.
pub(crate) fn count_lines(text: &str) -> usize {
    let breaks = text.bytes().filter(|&b| b == b'\n').count();
    breaks + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// `s.split_once(sep)` for an ASCII separator.
pub(crate) fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    debug_assert!(sep.is_ascii());
    let at = s.bytes().position(|b| b == sep)?;
    Some((&s[..at], &s[at + 1..]))
}

/// `s.split(sep)` for an ASCII separator.
pub(crate) fn split(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match split_once(r, sep) {
            Some((col, after)) => {
                rest = Some(after);
                Some(col)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_split_as_std_does() {
        for text in [
            "",
            "a",
            "a\n",
            "a\r\nb\r\n",
            "\n\nx\ty\n",
            "lone\rcr\r",
            "end\r",
            "عربي\tPER\tambiguous\r\n# c\n\n",
        ] {
            let want: Vec<&str> = text.lines().collect();
            assert_eq!(lines(text).collect::<Vec<_>>(), want, "{text:?}");
            assert_eq!(count_lines(text), want.len(), "{text:?}");
            for line in &want {
                let cols: Vec<&str> = line.split('\t').collect();
                assert_eq!(split(line, b'\t').collect::<Vec<_>>(), cols);
                assert_eq!(split_once(line, b'\t'), line.split_once('\t'));
            }
        }
    }
}
