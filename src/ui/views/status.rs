//! The status line: position, matches, messages, or the open prompt.

use crate::reader::geometry::Pane;
use crate::reader::i18n::Msg;
use crate::reader::{Prompt, State};
use crate::theme::Role;
use crate::ui::paint::{fill, style, Painter};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn draw(buf: &mut Buffer, area: Rect, s: &State, p: &Painter) {
    let st = p.st(Role::Status);
    fill(buf, area, style(st));
    let w = area.width.saturating_sub(2);
    if let Some(prompt) = s.prompt() {
        let (label, text) = match prompt {
            Prompt::Search(t) => (p.lang.text(Msg::Search), t),
            Prompt::Filter(t) => (p.lang.text(Msg::FindArticles), t),
        };
        let mut line = format!("{label}{text}_");
        if let (Prompt::Search(_), Some(doc)) = (prompt, &s.doc) {
            if let Some((c, n)) = doc.match_position() {
                line.push_str(&format!("  ({}/{})", p.lang.number(c), p.lang.number(n)));
            }
        }
        p.label(buf, area.x + 1, area.y, w, &line, p.st(Role::Prompt));
        return;
    }
    let hint = p.lang.text(Msg::HelpHint);
    let hint_w = (hint.chars().count() as u16 + 2).min(w / 3);
    let main_w = w.saturating_sub(hint_w + 1);
    let (main_x, hint_x) = if p.lang.is_rtl() {
        (area.x + 1 + hint_w + 1, area.x + 1)
    } else {
        (area.x + 1, area.x + 1 + main_w + 1)
    };
    let mut parts = Vec::new();
    if let (Pane::List, Some(r)) = (s.active_pane(), &s.results) {
        parts.push(format!(
            "{}/{}",
            p.lang.number(r.cursor() + 1),
            p.lang.number(r.items().len())
        ));
        parts.push(p.lang.text(Msg::BackToList).to_string());
    } else if s.active_pane() == Pane::List {
        if s.list.visible_len() > 0 {
            parts.push(format!(
                "{}/{}",
                p.lang.number(s.list.cursor() + 1),
                p.lang.number(s.list.visible_len())
            ));
        }
        if !s.list.filter().is_empty() {
            parts.push(format!("{}{}", p.lang.text(Msg::Filter), s.list.filter()));
        }
    } else if let Some(doc) = &s.doc {
        let n = doc.paragraph_count();
        parts.push(
            p.lang
                .progress(if n == 0 { 0 } else { doc.focused + 1 }, n, doc.percent()),
        );
        if let Some((c, total)) = doc.match_position() {
            // Before the first n/N there is no current one: just the count.
            parts.push(match c {
                0 => format!("[{}]", p.lang.number(total)),
                c => format!("[{}/{}]", p.lang.number(c), p.lang.number(total)),
            });
        }
    }
    let (text, role) = match &s.message {
        Some(m) => {
            parts.push(m.text.clone());
            (
                parts.join("  "),
                if m.warning {
                    Role::Warning
                } else {
                    Role::Status
                },
            )
        }
        None => (parts.join("  "), Role::Status),
    };
    if !text.is_empty() {
        p.label(buf, main_x, area.y, main_w, &text, st.patch(p.st(role)));
    }
    // The hint's own alignment is the opposite side.
    p.aligned(
        buf,
        (hint_x, area.y, hint_w),
        hint,
        st.patch(p.st(Role::StatusMeta)),
        !p.lang.is_rtl(),
    );
}
