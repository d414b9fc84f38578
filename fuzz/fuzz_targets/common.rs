//! Shared pieces of the fuzz targets: a token alphabet that reaches deep
//! bidi nesting and Arabic joining far more often than random UTF-8 does,
//! and the layout invariants every target checks on what it renders.

#![allow(dead_code)]

use arbitrary::Arbitrary;
use qari::layout::{BaseDirection, ParagraphLayout, VisualLine};

/// Characters that matter to layout and recognition: every bidi control,
/// joiners, Arabic letters and marks, mirrored brackets, wide and
/// zero-width clusters, line and paragraph separators, C0/C1 controls.
pub const TOKENS: &[&str] = &[
    "\u{202A}",
    "\u{202B}",
    "\u{202C}",
    "\u{202D}",
    "\u{202E}", // LRE RLE PDF LRO RLO
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}", // LRI RLI FSI PDI
    "\u{200E}",
    "\u{200F}",
    "\u{061C}", // LRM RLM ALM
    "\u{200C}",
    "\u{200D}",
    "\u{200B}",
    "\u{2060}",
    "\u{FEFF}", // ZWNJ ZWJ ZWSP WJ BOM
    "ل",
    "ا",
    "م",
    "ع",
    "ب",
    "ه",
    "ي",
    "ة",
    "ى",
    "أ",
    "إ",
    "آ",
    "لا",
    "ـ",
    "\u{064E}",
    "\u{0651}",
    "\u{0670}",
    "\u{0653}",
    "\u{0300}",
    "\u{FE0F}", // marks
    "٣",
    "۴",
    "7",
    "1,5",
    "%",
    "$",
    "-",
    "+",
    ".",
    "،",
    "؟",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "«",
    "»",
    "<",
    ">",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{A0}",
    "\u{AD}",
    "\u{1B}",
    "\u{1B}]0;x\u{7}",
    "\u{1B}[2J",
    "\u{9B}",
    "\u{0}",
    "\u{7F}",
    "\u{8}",
    "中",
    "👍",
    "👨\u{200D}👩\u{200D}👧",
    "🇸🇦",
    "\u{1100}\u{1161}",
    "א",
    "a",
    "Z",
    "word",
    "https://x.y/z",
    "محمد",
    "بن",
    "سلمان",
    "عبد",
    "الله",
    "أبو",
    "ظبي",
    "القاهرة",
    "مصر",
    "وزير",
    "الخارجية",
    "شركة",
    "الأمم",
    "المتحدة",
    "قال",
    "في",
    "و",
    "ب",
    "لل",
    "رئيس",
];

/// A piece of fuzzed text: a run of one token or free text.
#[derive(Arbitrary, Debug)]
pub enum Piece {
    Token { index: u8, repeat: u8 },
    Text(String),
}

pub fn build_text(pieces: &[Piece]) -> String {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Token { index, repeat } => {
                let token = TOKENS[*index as usize % TOKENS.len()];
                // Up to 256 copies: deep enough to pass UAX #9's 125 levels.
                for _ in 0..=*repeat {
                    text.push_str(token);
                }
            }
            Piece::Text(s) => text.push_str(s),
        }
        if text.len() > 64 * 1024 {
            break;
        }
    }
    text
}

/// What the engine promises about a paragraph's lines (see
/// `tests/layout_props.rs`, which checks the same on proptest's inputs).
pub fn check_paragraph(text: &str, width: usize, layout: &ParagraphLayout) {
    let w = width.max(1);
    assert_ne!(layout.direction, BaseDirection::Auto);
    assert!(!layout.lines.is_empty());
    assert_eq!(layout.lines[0].logical.start, 0);
    assert_eq!(layout.lines.last().unwrap().logical.end, text.len());
    for pair in layout.lines.windows(2) {
        assert_eq!(pair[0].logical.end, pair[1].logical.start);
    }
    let mut sources = Vec::new();
    for line in &layout.lines {
        check_line(text, line, w);
        for c in &line.clusters {
            assert!(line.logical.start <= c.source.start && c.source.end <= line.logical.end);
            sources.push(c.source.clone());
        }
    }
    sources.sort_by_key(|r| r.start);
    for pair in sources.windows(2) {
        assert!(pair[0].end <= pair[1].start, "{pair:?} shown twice");
    }
}

pub fn check_line(text: &str, line: &VisualLine, w: usize) {
    let right = line
        .indent
        .checked_add(line.width)
        .expect("indent + width overflows");
    assert!(right <= w, "{} + {} > {w}", line.indent, line.width);
    assert!(text.is_char_boundary(line.logical.start) && text.is_char_boundary(line.logical.end));
    let mut col = line.indent;
    for seg in &line.segments {
        assert_eq!(seg.col, col);
        assert!(seg.width > 0 && !seg.text.is_empty());
        for c in seg.text.chars() {
            assert!(
                !c.is_control()
                    && !qari::text::is_bidi_format(c)
                    && c != '\u{200C}'
                    && c != '\u{200D}',
                "U+{:04X} written to the terminal",
                c as u32
            );
        }
        col += seg.width;
    }
    assert_eq!(col, right);
    let mut col = line.indent;
    for c in &line.clusters {
        assert_eq!(c.col, col);
        assert!(c.width >= 1 && !c.source.is_empty());
        assert!(c.source.end <= text.len());
        assert!(text.is_char_boundary(c.source.start) && text.is_char_boundary(c.source.end));
        col += c.width;
    }
    assert_eq!(col, right);
}

/// Import `data` as a file named `name` the way `qari show` and the reader
/// do (decoder, importer, cleaning rules), then lay the result out.
pub fn import_and_render(data: &[u8], name: &str) {
    use qari::article::{import_bytes, Format, Rules};
    let path = std::path::Path::new(name);
    let format = Format::of(path).expect("a supported extension");
    match import_bytes(path, data, format, Rules::builtin()) {
        Ok(imported) => {
            let article = &imported.article;
            let opts = qari::layout::LayoutOptions::default();
            let title = qari::layout::layout_line_truncated(
                &article.title,
                30,
                BaseDirection::Auto,
                &[],
                &opts,
            );
            check_line(&article.title, &title, 30);
            for p in &article.paragraphs {
                let layout =
                    qari::layout::layout_paragraph(&p.text, 40, BaseDirection::Auto, &[], &opts);
                check_paragraph(&p.text, 40, &layout);
            }
            for w in &imported.warnings {
                assert_clean_message(w);
            }
        }
        Err(e) => assert_clean_message(&e.to_string()),
    }
}

/// An error or warning line for the terminal: no control characters (the
/// caller prints it as is).
pub fn assert_clean_message(message: &str) {
    assert!(!message.trim().is_empty(), "empty message");
    for c in message.chars() {
        assert!(
            !(c.is_control() && c != '\n') && !qari::text::is_bidi_format(c),
            "U+{:04X} in message {message:?}",
            c as u32
        );
    }
}
