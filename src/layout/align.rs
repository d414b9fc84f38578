//! Stage 8, align: right-to-left paragraphs flush right, left-to-right flush
//! left, as leading blank cells (`VisualLine::indent`).

use super::{Alignment, BaseDirection};

/// Leading cells for a line of `line_width` cells in a box `width` wide.
pub fn indent(
    line_width: usize,
    width: usize,
    direction: BaseDirection,
    align: Alignment,
) -> usize {
    let right = match align {
        Alignment::Right => true,
        Alignment::Left => false,
        Alignment::Start => direction == BaseDirection::Rtl,
    };
    if right {
        width.saturating_sub(line_width)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_follows_direction() {
        assert_eq!(indent(3, 10, BaseDirection::Rtl, Alignment::Start), 7);
        assert_eq!(indent(3, 10, BaseDirection::Ltr, Alignment::Start), 0);
        assert_eq!(indent(3, 10, BaseDirection::Ltr, Alignment::Right), 7);
        assert_eq!(indent(3, 10, BaseDirection::Rtl, Alignment::Left), 0);
        assert_eq!(indent(12, 10, BaseDirection::Rtl, Alignment::Start), 0);
    }
}
