//! The reading pane: the open article's laid-out lines, the focus bar and
//! the decorations (entity kinds, the selected entity, search hits) painted
//! over the clusters that show them.

use crate::layout::{BaseDirection, StyleSpan};
use crate::reader::i18n::Msg;
use crate::reader::State;
use crate::theme::Role;
use crate::ui::paint::{fill, put_str, rect, style, Painter};
use crate::ui::screen::Links;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// `unchanged(area, stamp)`: whether a row's text may be left as the last
/// frame drew it (there, or where a scroll moved it from).
pub fn draw(
    buf: &mut Buffer,
    links: &mut Links,
    area: Rect,
    s: &mut State,
    p: &Painter,
    focused: bool,
    unchanged: &mut dyn FnMut(Rect, u64) -> bool,
) {
    p.pane_block(buf, area, focused, p.lang.text(Msg::Article));
    let Some(text) = s.reader_text_rect() else {
        return;
    };
    let text = rect(text);
    let Some(doc) = s.doc.as_mut() else {
        if text.width > 0 && text.height > 0 {
            p.label(
                buf,
                text.x,
                text.y,
                text.width,
                p.lang.text(Msg::NoArticle),
                p.st(Role::Meta),
            );
        }
        return;
    };
    let focused_block = doc.focused + 1;
    let has_paragraphs = doc.paragraph_count() > 0;
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    // A block's decorations, computed once per block on screen.
    let mut decorations: Option<(usize, Vec<StyleSpan>)> = None;
    let mut block_links = None;
    for (dy, row) in doc.rows().into_iter().enumerate() {
        let y = text.y + dy as u16;
        let is_focus = has_paragraphs && row.block == focused_block;
        let focus_st = p.st(Role::Focus);
        if is_focus {
            fill(
                buf,
                Rect::new(inner.x, y, inner.width, 1),
                style(p.st(Role::Text).patch(focus_st)),
            );
        }
        let Some((block, row_part, line_i)) = &row.content else {
            continue;
        };
        let row_part = *row_part;
        let part = &block.parts[row_part];
        let mut base = p.st(part.role);
        if is_focus {
            base = base.patch(focus_st);
            // The margin bar goes on the paragraph's reading side.
            let bar_x = if block.direction() == BaseDirection::Ltr {
                inner.x
            } else {
                inner.x + inner.width - 1
            };
            let bar_st = style(focus_st.patch(p.st(Role::FocusBar)));
            put_str(buf, (bar_x, y), "▌", 1, bar_st);
        }
        if decorations.as_ref().is_none_or(|(b, _)| *b != row.block) {
            decorations = Some((row.block, doc.decorations(row.block)));
        }
        let spans = decorations.as_ref().map_or(&[][..], |(_, s)| s.as_slice());
        let part_line = Some((row_part, *line_i));
        let stamp = doc.row_stamp(row.block, part_line, is_focus, spans) ^ links.on() as u64;
        if unchanged(Rect::new(text.x, y, text.width, 1), stamp) {
            continue;
        }
        let line = &part.layout.lines[*line_i];
        p.put(buf, text.x, y, line, base);
        p.decorate(buf, (text.x, y), line, spans, base);
        // Web addresses: the clusters that show their bytes link there.
        if links.on() {
            if block_links.as_ref().is_none_or(|(b, _)| *b != row.block) {
                block_links = Some((row.block, doc.links(row.block)));
            }
            for link in block_links.iter().flat_map(|(_, l)| l) {
                for c in line
                    .clusters
                    .iter()
                    .filter(|c| link.range.start < c.source.end && c.source.start < link.range.end)
                {
                    links.mark(text.x + c.col as u16, y, c.width as u16, link.url);
                }
            }
        }
    }
}
