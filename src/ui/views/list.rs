//! The article list: titles with their date and section, unread marks.

use crate::layout::BaseDirection;
use crate::reader::doc::base_direction;
use crate::reader::i18n::Msg;
use crate::reader::State;
use crate::text::dominant_direction;
use crate::theme::Role;
use crate::ui::paint::{fill, put_str, style, Painter};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn draw(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, focused: bool) {
    let p = &p.cached(&s.list.lines);
    let title = format!(
        "{} ({})",
        p.lang.text(Msg::Articles),
        p.lang.number(s.list.visible_len())
    );
    p.pane_block(buf, area, focused, &title);
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    if inner.width < 4 || inner.height == 0 {
        return;
    }
    if s.list.visible_len() == 0 {
        let msg = if s.list.is_empty() {
            p.lang.text(Msg::EmptyLibrary)
        } else {
            p.lang.text(Msg::NoMatches)
        };
        p.label(
            buf,
            inner.x + 1,
            inner.y,
            inner.width - 2,
            msg,
            p.st(Role::Meta),
        );
        return;
    }
    let rows = State::LIST_ITEM_ROWS as u16;
    let mut y = inner.y;
    for (vi, (i, e)) in s.list.visible().enumerate().skip(s.list.top()) {
        if y + rows > inner.y + inner.height {
            break;
        }
        let meta: Vec<String> = [e.date.clone(), e.section.clone()]
            .into_iter()
            .flatten()
            .collect();
        item(
            buf,
            p,
            Rect::new(inner.x, y, inner.width, rows),
            &Item {
                title: &e.title,
                derived: e.title_derived,
                meta: &meta.join(" · "),
                selected: vi == s.list.cursor(),
                unread: !s.is_read(i),
            },
        );
        y += rows;
    }
}

/// One row pair of a list of articles: the title, then its metadata.
pub struct Item<'a> {
    pub title: &'a str,
    /// The title was cut from the lead: set in italics, so it does not
    /// pass for the site's headline.
    pub derived: bool,
    pub meta: &'a str,
    pub selected: bool,
    pub unread: bool,
}

/// Draw an article item in `area` (two rows): an unread mark on the reading
/// side, the title in its own direction, the metadata under it.
pub fn item(buf: &mut Buffer, p: &Painter, area: Rect, it: &Item) {
    let (x, y, width) = (area.x, area.y, area.width);
    let (mut title_st, meta_st) = if it.selected {
        let sel = p.st(Role::ListSelected);
        fill(buf, area, style(sel));
        (
            p.st(Role::ListTitle).patch(sel),
            p.st(Role::ListMeta).patch(sel),
        )
    } else {
        (p.st(Role::ListTitle), p.st(Role::ListMeta))
    };
    let mark_x = if p.lang.is_rtl() { x + width - 2 } else { x };
    if it.unread {
        let mark = if it.selected {
            title_st.patch(p.st(Role::Unread))
        } else {
            p.st(Role::Unread)
        };
        put_str(buf, (mark_x, y), "●", 1, style(mark));
    }
    let tw = width - 3;
    let tx = if p.lang.is_rtl() { x + 1 } else { x + 2 };
    // Each title in its own direction, by majority: an English title in
    // an Arabic list reads left to right with its ellipsis on the right,
    // and "Microsoft تستثمر…" reads right to left.
    let title_dir = base_direction(it.title, dominant_direction([it.title]));
    title_st.mods.italic |= it.derived;
    p.text(buf, (tx, y, tw), it.title, title_dir, title_st);
    p.text(buf, (tx, y + 1, tw), it.meta, BaseDirection::Auto, meta_st);
}
