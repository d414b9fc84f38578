//! Stage 1, clean: what each character of untrusted text becomes on screen.
//!
//! Nothing is deleted from the text itself: the bidi algorithm, the line
//! breaker and the shaper all read the original paragraph (bidi formatting
//! characters and joiners must take part in them), and every byte offset the
//! engine hands out refers to it. This stage only decides what gets *drawn*.

/// How a character of the logical text is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Drawn as itself (or as its shaped/mirrored form).
    Shown,
    /// Steers bidi or shaping but is never drawn: bidi embeddings,
    /// overrides, isolates, LRM/RLM/ALM, ZWJ/ZWNJ, and the other invisible
    /// format characters (ZWSP, word joiner, soft hyphen, BOM).
    Format,
    /// A C0/C1 control or DEL: never drawn (a terminal would act on it).
    Control,
    /// A tab: drawn as [`TAB_WIDTH`] spaces.
    Tab,
    /// A line or paragraph separator inside one paragraph (LF, VT, FF, NEL,
    /// U+2028, U+2029): drawn as one space, since the paragraph is one unit
    /// and hard-wrapped sources put newlines where spaces were meant.
    Break,
}

/// Cells a tab takes (fewer on a line narrower than this).
pub const TAB_WIDTH: usize = 4;

/// What becomes of `c` on screen.
#[inline]
pub fn kind(c: char) -> Kind {
    // The two common cases first: ASCII, and the Arabic block from its
    // first letter on (no controls or formatting characters there).
    if (' '..'\u{7F}').contains(&c) || ('\u{0620}'..='\u{06FF}').contains(&c) {
        return Kind::Shown;
    }
    match c {
        '\t' => Kind::Tab,
        '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Kind::Break,
        // CR is dropped rather than spaced so CRLF reads as one space.
        c if crate::text::is_stripped_control(c) => Kind::Control,
        c if crate::text::is_bidi_format(c) => Kind::Format,
        '\u{00AD}' // soft hyphen
        | '\u{180E}' // Mongolian vowel separator
        | '\u{200B}' // zero width space
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{206A}'..='\u{206F}' // deprecated format characters
        | '\u{FEFF}' // BOM / zero width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
        | '\u{E0000}'..='\u{E007F}' // tags
        => Kind::Format,
        _ => Kind::Shown,
    }
}

/// A drawn character that is blank space a line may end in (and that is
/// then not drawn). No-break spaces are glue, not line-end space.
#[inline]
pub fn is_space(c: char) -> bool {
    c == ' ' || (c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{202F}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind('ب'), Kind::Shown);
        assert_eq!(kind('\u{064E}'), Kind::Shown);
        assert_eq!(kind(' '), Kind::Shown);
        assert_eq!(kind('\t'), Kind::Tab);
        assert_eq!(kind('\n'), Kind::Break);
        assert_eq!(kind('\r'), Kind::Control);
        assert_eq!(kind('\u{1b}'), Kind::Control);
        assert_eq!(kind('\u{9b}'), Kind::Control);
        assert_eq!(kind('\u{7f}'), Kind::Control);
        for f in [
            '\u{200E}', '\u{200F}', '\u{061C}', '\u{202B}', '\u{2067}', '\u{2069}', '\u{200D}',
            '\u{200C}', '\u{200B}', '\u{FEFF}', '\u{AD}',
        ] {
            assert_eq!(kind(f), Kind::Format, "{:04X}", f as u32);
        }
    }

    #[test]
    fn spaces() {
        assert!(is_space(' '));
        assert!(is_space('\u{3000}'));
        assert!(!is_space('\u{A0}'));
        assert!(!is_space('ا'));
    }
}
