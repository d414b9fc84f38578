//! Single lines of text for the chrome (list titles, entity names, labels),
//! laid out by the engine (`layout_line_truncated`), for terminals that
//! reorder text themselves.

use crate::layout::VisualLine;

/// The same line with its clusters in logical order, for terminals that
/// reorder text themselves (`bidi = "terminal"`): they would reverse a
/// visually ordered line a second time. Expects a line laid out without
/// shaping and mirroring (those terminals do both). Columns start at the
/// line's indent, so alignment is kept.
pub fn logical_order(line: VisualLine) -> VisualLine {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    // What is drawn at each column, from the visual segments.
    let mut glyphs: Vec<(usize, String, Option<crate::layout::StyleId>)> = Vec::new();
    for seg in &line.segments {
        let mut col = seg.col;
        for g in seg.text.graphemes(true) {
            let w = g.width();
            glyphs.push((col, g.to_string(), seg.style));
            col += w.max(1);
        }
    }
    let mut order: Vec<&crate::layout::Cluster> = line.clusters.iter().collect();
    order.sort_by_key(|c| (c.source.start, c.col));
    let mut segments: Vec<crate::layout::Segment> = Vec::new();
    let mut col = line.indent;
    for c in order {
        let Some((_, g, style)) = glyphs.iter().find(|(gc, _, _)| *gc == c.col) else {
            continue;
        };
        match segments.last_mut() {
            Some(last) if last.style == *style && last.col + last.width == col => {
                last.text.push_str(g);
                last.width += c.width;
            }
            _ => segments.push(crate::layout::Segment {
                text: g.clone(),
                style: *style,
                col,
                width: c.width,
            }),
        }
        col += c.width;
    }
    let mut clusters = line.clusters.clone();
    clusters.sort_by_key(|c| c.source.start);
    let mut x = line.indent;
    for c in &mut clusters {
        c.col = x;
        x += c.width;
    }
    VisualLine {
        segments,
        clusters,
        ..line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{layout_line_truncated, BaseDirection, LayoutOptions};

    #[test]
    fn logical_order_undoes_the_reordering() {
        let options = LayoutOptions {
            shape: false,
            mirror: false,
            ..LayoutOptions::default()
        };
        let text = "قال (مرحبا) 2024 كتاب";
        let line = layout_line_truncated(text, 40, BaseDirection::Rtl, &[], &options);
        let logical = logical_order(line.clone());
        let shown: String = logical.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(shown, text);
        assert_eq!(logical.width, line.width);
        assert_eq!(logical.segments[0].col, line.indent);
        let cut = logical_order(layout_line_truncated(
            text,
            8,
            BaseDirection::Rtl,
            &[],
            &options,
        ));
        let shown: String = cut.segments.iter().map(|s| s.text.as_str()).collect();
        assert!(shown.starts_with("قال") && shown.ends_with('…'), "{shown}");
    }
}
