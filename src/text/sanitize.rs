//! Keeping untrusted text from reaching the terminal raw.
//!
//! The layout engine has its own clean stage; this module is for the plain
//! outputs that do not go through it (tables from `qari list`, error messages
//! that quote a title or a file name).

use std::borrow::Cow;

/// C0 and C1 control characters, DEL included. A terminal acts on these
/// (ESC starts an escape sequence, CSI/OSC in C1 do the same), so they must
/// never be written from article text.
pub fn is_stripped_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// Bidi formatting characters (UAX #9 explicit formatting plus the implicit
/// marks) and the joiners. They steer layout and shaping but are invisible,
/// and a terminal that does its own bidi would act on them a second time.
pub fn is_bidi_format(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' // LRM, RLM, ALM
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
            | '\u{200C}' | '\u{200D}' // ZWNJ, ZWJ
    )
}

/// One line of text safe to print: controls and bidi formatting characters
/// removed, tabs and line breaks turned into single spaces. Borrowed when
/// nothing had to change, which is the common case.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    let needs_work = s
        .chars()
        .any(|c| is_stripped_control(c) || is_bidi_format(c) || is_line_separator(c));
    if !needs_work {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\t' || c == '\n' || c == '\r' || is_line_separator(c) {
            out.push(' ');
        } else if !(is_stripped_control(c) || is_bidi_format(c)) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize_line("مرحبا hello"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_lose_their_introducer() {
        let hostile = "عنوان\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
        let safe = sanitize_line(hostile);
        assert!(!safe.chars().any(is_stripped_control), "{safe:?}");
        assert!(safe.starts_with("عنوان"));
    }

    #[test]
    fn bidi_controls_and_joiners_are_removed() {
        let s = "\u{202E}abc\u{202C} \u{2067}د\u{2069}\u{200F}\u{200D}";
        assert_eq!(sanitize_line(s), "abc د");
    }

    #[test]
    fn tabs_and_newlines_become_spaces() {
        assert_eq!(sanitize_line("a\tb\nc\r\nd"), "a b c  d");
    }
}
