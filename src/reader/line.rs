//! Single lines of text for the chrome (list titles, entity names, labels)
//! laid out by the engine and cut to a width with an ellipsis at their
//! logical end.

use crate::layout::{layout_paragraph, BaseDirection, LayoutOptions, StyleSpan, VisualLine};

const ELLIPSIS: &str = "…";

/// `text` on one line at most `width` cells wide. If it does not fit, it is
/// cut at a line-break opportunity or grapheme boundary and ends (logically)
/// with "…", which puts the ellipsis on the left of right-to-left text.
pub fn truncated(
    text: &str,
    width: usize,
    direction: BaseDirection,
    styles: &[StyleSpan],
    options: &LayoutOptions,
) -> VisualLine {
    let width = width.max(1);
    let whole = layout_paragraph(text, width, direction, styles, options);
    if whole.lines.len() <= 1 {
        return whole.lines.into_iter().next().unwrap_or_else(empty_line);
    }
    // Keep the paragraph's direction for the shortened text: cutting must
    // not flip which side it is aligned to.
    let dir = whole.direction;
    let mut cut = whole.lines[0].logical.end.min(text.len());
    loop {
        let head = text[..cut].trim_end();
        let candidate = format!("{head}{ELLIPSIS}");
        let laid = layout_paragraph(&candidate, width, dir, styles, options);
        if laid.lines.len() <= 1 || head.is_empty() {
            return laid.lines.into_iter().next().unwrap_or_else(empty_line);
        }
        // Drop one grapheme-ish step (a char and any marks after it).
        cut = prev_boundary(text, head.len());
    }
}

fn prev_boundary(text: &str, at: usize) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text[..at]
        .grapheme_indices(true)
        .next_back()
        .map_or(0, |(i, _)| i)
}

fn empty_line() -> VisualLine {
    VisualLine {
        logical: 0..0,
        indent: 0,
        width: 0,
        segments: Vec::new(),
        clusters: Vec::new(),
    }
}
