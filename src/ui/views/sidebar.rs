//! The entity sidebar: people, places and organizations of the open
//! article, grouped by kind, with their number of mentions.

use crate::layout::BaseDirection;
use crate::reader::doc::{kind_role, EntityStatus};
use crate::reader::i18n::Msg;
use crate::reader::{SideRow, State};
use crate::theme::Role;
use crate::ui::paint::{fill, put_str, style, Painter};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn draw(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, focused: bool) {
    let p = &p.cached(&s.sidebar.lines);
    p.pane_block(buf, area, focused, p.lang.text(Msg::Entities));
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    if inner.width < 6 || inner.height == 0 {
        return;
    }
    let Some(doc) = &s.doc else {
        p.label(
            buf,
            inner.x + 1,
            inner.y,
            inner.width - 2,
            p.lang.text(Msg::NoArticle),
            p.st(Role::Meta),
        );
        return;
    };
    let rows = s.side_rows();
    if rows.is_empty() {
        let msg = match doc.entity_status {
            EntityStatus::Finding => Msg::FindingNames,
            EntityStatus::Found => Msg::NoEntities,
            EntityStatus::Failed(_) => Msg::EntitiesFailed,
        };
        p.label(
            buf,
            inner.x + 1,
            inner.y,
            inner.width - 2,
            p.lang.text(msg),
            p.st(Role::Meta),
        );
        return;
    }
    let count_w: u16 = 4;
    for (dy, row) in rows
        .iter()
        .skip(s.sidebar.top())
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + dy as u16;
        match *row {
            SideRow::Group(kind, n) => {
                let t = format!("{} ({})", p.lang.kind(kind), p.lang.number(n));
                p.label(
                    buf,
                    inner.x + 1,
                    y,
                    inner.width - 2,
                    &t,
                    p.st(Role::PaneTitle),
                );
            }
            SideRow::Entity(i) => {
                let e = &doc.entities[i];
                let selected = doc.selected_entity == Some(i);
                let cursor = focused && s.sidebar.cursor() == i;
                let mut base = p.st(kind_role(e.kind));
                if selected || cursor {
                    let sel = p.st(Role::ListSelected);
                    fill(buf, Rect::new(inner.x, y, inner.width, 1), style(sel));
                    base = base.patch(sel);
                }
                let n = if e.mentions.is_empty() {
                    e.count
                } else {
                    e.mentions.len()
                };
                let count = p.lang.number(n);
                let name_w = inner.width - count_w - 2;
                let count_st = if selected || cursor {
                    p.st(Role::ListMeta).patch(p.st(Role::ListSelected))
                } else {
                    p.st(Role::ListMeta)
                };
                if p.lang.is_rtl() {
                    // Name on the right, count on the left.
                    p.text(
                        buf,
                        (inner.x + 1 + count_w, y, name_w),
                        &e.text,
                        BaseDirection::Rtl,
                        base,
                    );
                    let at = (inner.x + 1, y);
                    put_str(buf, at, &count, count_w.into(), style(count_st));
                } else {
                    p.text(
                        buf,
                        (inner.x + 1, y, name_w),
                        &e.text,
                        BaseDirection::Ltr,
                        base,
                    );
                    let cw = count.chars().count() as u16;
                    let at = (inner.x + inner.width - 1 - cw, y);
                    put_str(buf, at, &count, count_w.into(), style(count_st));
                }
            }
        }
    }
}
