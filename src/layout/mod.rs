//! The bidi layout engine: one paragraph of logical text in, visual lines out.
//!
//! Terminals lay text out left to right, one cell per character, and almost
//! none of them shape Arabic or apply the Unicode Bidirectional Algorithm.
//! This engine does both, with no terminal I/O, in named stages:
//!
//! 1. `clean`: controls and bidi formatting characters never reach the output.
//! 2. `itemize`: UAX #9 embedding levels for the whole paragraph, once.
//! 3. `shape`: Arabic joining into presentation forms (logical order).
//! 4. `wrap`: UAX #14 line breaks, measured in cells of the shaped text.
//! 5. `reorder`: per line, L1–L2 by grapheme cluster, marks kept on their
//!    base (L3) and mirrored glyphs at odd levels (L4).
//! 6. `align`: flush right for RTL paragraphs, flush left for LTR.
//!
//! Highlights are style spans over the *logical* text; they come out attached
//! to the cells their characters land on after reordering.

pub mod shape;

use std::ops::Range;

/// A caller-chosen style, e.g. "entity: place" or "search hit".
pub type StyleId = u16;

/// Base paragraph direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BaseDirection {
    /// UAX #9 rules P2–P3: the first strong character decides; LTR if none.
    #[default]
    Auto,
    Rtl,
    Ltr,
}

/// Horizontal alignment of a paragraph's lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Alignment {
    /// Flush right for RTL paragraphs, flush left for LTR ones.
    #[default]
    Start,
    Left,
    Right,
}

/// Options that do not change per paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LayoutOptions {
    /// Join Arabic letters into presentation forms (for terminals that do not
    /// shape). On by default.
    pub shape: bool,
    /// Replace brackets and other mirrored characters by their mirror glyph at
    /// right-to-left levels (rule L4). On by default.
    pub mirror: bool,
    pub align: Alignment,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            shape: true,
            mirror: true,
            align: Alignment::Start,
        }
    }
}

/// A style over a byte range of the logical paragraph text. Where spans
/// overlap, the one later in the slice wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StyleSpan {
    pub range: Range<usize>,
    pub style: StyleId,
}

/// A laid-out paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphLayout {
    /// The resolved base direction (never `Auto`).
    pub direction: BaseDirection,
    /// Lines in reading order (top to bottom).
    pub lines: Vec<VisualLine>,
}

/// One screen line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisualLine {
    /// Bytes of the logical paragraph on this line.
    pub logical: Range<usize>,
    /// Leading blank cells that align the line (0 for left-aligned lines).
    pub indent: usize,
    /// Width of the content in cells, indent excluded, trailing spaces
    /// excluded. `indent + width <= ` the requested width.
    pub width: usize,
    /// Styled runs in screen order, left to right. `col` includes `indent`.
    pub segments: Vec<Segment>,
    /// Every visible grapheme cluster in screen order: the column map.
    pub clusters: Vec<Cluster>,
}

/// A run of text with one style, in screen order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// What to write to the terminal: visual order, shaped, mirrored, with no
    /// control or formatting characters.
    pub text: String,
    pub style: Option<StyleId>,
    /// First screen column (indent included).
    pub col: usize,
    /// Width in cells.
    pub width: usize,
}

/// One visible grapheme cluster on screen and the logical text behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// First screen column (indent included).
    pub col: usize,
    /// Width in cells (1 or 2).
    pub width: usize,
    /// Logical bytes it shows. A lam-alef ligature covers both letters.
    pub source: Range<usize>,
}

impl VisualLine {
    /// The logical bytes shown at screen column `col`, if any.
    pub fn source_at(&self, col: usize) -> Option<Range<usize>> {
        self.clusters
            .iter()
            .find(|c| c.col <= col && col < c.col + c.width)
            .map(|c| c.source.clone())
    }

    /// The screen column of the cluster showing logical byte `byte`, if it is
    /// on this line and visible.
    pub fn col_of(&self, byte: usize) -> Option<usize> {
        self.clusters
            .iter()
            .find(|c| c.source.start <= byte && byte < c.source.end)
            .map(|c| c.col)
    }
}

/// Lay out one paragraph of logical text into lines at most `width` cells
/// wide. Never panics on any input; a `width` of 0 is treated as 1.
pub fn layout_paragraph(
    text: &str,
    width: usize,
    direction: BaseDirection,
    styles: &[StyleSpan],
    options: &LayoutOptions,
) -> ParagraphLayout {
    let _ = (text, width, direction, styles, options);
    todo!("the layout stages land with issue 2")
}
