//! Single lines of text for the chrome (list titles, entity names, labels),
//! laid out by the engine and cut at their logical end with an ellipsis.

use crate::layout::{layout_line_truncated, BaseDirection, LayoutOptions, StyleSpan, VisualLine};

/// `text` on one line at most `width` cells wide, through the engine.
pub fn truncated(
    text: &str,
    width: usize,
    direction: BaseDirection,
    styles: &[StyleSpan],
    options: &LayoutOptions,
) -> VisualLine {
    layout_line_truncated(text, width, direction, styles, options)
}
