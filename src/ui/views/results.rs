//! Library results in the list's place: the articles matching a library
//! search, or mentioning an entity, each with its number of hits.

use super::list::{item, Item};
use crate::reader::i18n::Msg;
use crate::reader::panes::results::Asked;
use crate::reader::State;
use crate::ui::paint::Painter;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn draw(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, focused: bool) {
    let Some(results) = &s.results else { return };
    let p = &p.cached(&results.lines);
    let lang = p.lang;
    let title = match results.asked() {
        Asked::Query(q) => format!(
            "{} «{}» ({})",
            lang.text(Msg::Results),
            q.trim(),
            lang.number(results.items().len())
        ),
        Asked::Entity { name, .. } => format!(
            "{} {} ({})",
            lang.text(Msg::Mentioning),
            name,
            lang.number(results.items().len())
        ),
    };
    p.pane_block(buf, area, focused, &title);
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    if inner.width < 4 || inner.height == 0 {
        return;
    }
    let rows = State::LIST_ITEM_ROWS as u16;
    let mut y = inner.y;
    for (i, r) in results.items().iter().enumerate().skip(results.top()) {
        if y + rows > inner.y + inner.height {
            break;
        }
        let hits = format!("{} {}", lang.text(Msg::Hits), lang.number(r.count()));
        let meta: Vec<&str> = r
            .date
            .as_deref()
            .into_iter()
            .chain([hits.as_str()])
            .collect();
        let unread = !s
            .store
            .article(&crate::state::article_key(&r.path))
            .is_some_and(|a| a.read);
        item(
            buf,
            p,
            Rect::new(inner.x, y, inner.width, rows),
            &Item {
                title: &r.title,
                derived: false,
                meta: &meta.join(" · "),
                selected: i == results.cursor(),
                unread,
            },
        );
        y += rows;
    }
}
