//! The help and bookmarks overlays.

use crate::layout::BaseDirection;
use crate::reader::i18n::Msg;
use crate::reader::{Action, State};
use crate::theme::Role;
use crate::ui::paint::centered;
use crate::ui::paint::{fill, style, Painter};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn help(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, scroll: usize) {
    let entries: Vec<(String, &str)> = Action::ALL
        .iter()
        .map(|a| {
            let keys: Vec<String> = s
                .config
                .keymap
                .keys_for(*a)
                .iter()
                .map(|k| k.to_string())
                .collect();
            (keys.join(" "), p.lang.action(*a))
        })
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let r = centered(area, 64, entries.len() as u16 + 4);
    let inner = p.overlay_frame(buf, r, p.lang.text(Msg::Help));
    let key_w = 16.min(inner.width / 3);
    let desc_w = inner.width.saturating_sub(key_w + 2);
    let body_h = inner.height.saturating_sub(1) as usize;
    let scroll = scroll.min(entries.len().saturating_sub(body_h));
    for (dy, (keys, desc)) in entries.iter().skip(scroll).take(body_h).enumerate() {
        let y = inner.y + dy as u16;
        let key_st = p.st(Role::HelpKey);
        let desc_st = p.st(Role::Help);
        // Key names are Latin: always left to right, in their own column
        // on the far side from the reading start.
        if p.lang.is_rtl() {
            p.text(buf, (inner.x, y, key_w), keys, BaseDirection::Ltr, key_st);
            p.label(buf, inner.x + key_w + 2, y, desc_w, desc, desc_st);
        } else {
            p.text(buf, (inner.x, y, key_w), keys, BaseDirection::Ltr, key_st);
            p.text(
                buf,
                (inner.x + key_w + 2, y, desc_w),
                desc,
                BaseDirection::Ltr,
                desc_st,
            );
        }
    }
    let foot_y = inner.y + inner.height.saturating_sub(1);
    let mut foot = p.lang.text(Msg::HelpClose).to_string();
    if entries.len() > body_h {
        // Not everything fits: say how to see the rest.
        let (down, up) = (
            s.config.keymap.keys_for(Action::Next),
            s.config.keymap.keys_for(Action::Prev),
        );
        if let (Some(d), Some(u)) = (down.first(), up.first()) {
            let shown = format!(
                "{}-{}/{}",
                scroll + 1,
                (scroll + body_h).min(entries.len()),
                entries.len()
            );
            foot = format!("{foot} · {d} {u} · {}", p.lang.number_text(&shown));
        }
    }
    p.label(
        buf,
        inner.x,
        foot_y,
        inner.width,
        &foot,
        p.st(Role::Help).patch(p.st(Role::Meta)),
    );
}

pub fn bookmarks(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, cursor: usize) {
    let items = s.bookmark_items();
    let r = centered(area, 70, (items.len() as u16).max(1) + 2 + 2);
    let inner = p.overlay_frame(buf, r, p.lang.text(Msg::Bookmarks));
    if items.is_empty() {
        p.label(
            buf,
            inner.x,
            inner.y,
            inner.width,
            p.lang.text(Msg::NoBookmarks),
            p.st(Role::Help).patch(p.st(Role::Meta)),
        );
        return;
    }
    let h = inner.height as usize;
    let top = cursor.saturating_sub(h.saturating_sub(1));
    for (dy, (i, item)) in items.iter().enumerate().skip(top).take(h).enumerate() {
        let y = inner.y + dy as u16;
        let mut st = p.st(Role::Help);
        if i == cursor {
            st = st.patch(p.st(Role::ListSelected));
            fill(buf, Rect::new(inner.x, y, inner.width, 1), style(st));
        }
        let text = format!(
            "{} · {} {} · {}",
            item.title,
            p.lang.text(Msg::Paragraph),
            p.lang.number(item.bookmark.paragraph + 1),
            item.bookmark.snippet
        );
        p.label(buf, inner.x, y, inner.width, &text, st);
    }
}
