//! Drawing: the core's state and the engine's visual lines into a ratatui
//! buffer. Every piece of text is placed segment by segment at the column
//! the layout engine chose; ratatui never wraps or reorders anything.

use crate::entities::EntityKind;
use crate::layout::{layout_line_truncated, BaseDirection, LayoutOptions, StyleSpan, VisualLine};
use crate::reader::doc::{base_direction, kind_role, EntityStatus};
use crate::reader::geometry::{Pane, Rect as CoreRect};
use crate::reader::i18n::{Lang, Msg};
use crate::reader::{Action, Layer, Prompt, SideRow, State, READER_MARGIN};
use crate::text::dominant_direction;
use crate::theme::{Color as TColor, Role, Style as TStyle, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Clear, Widget};
use ratatui::Frame;

fn color(c: TColor) -> Color {
    match c {
        TColor::Default => Color::Reset,
        TColor::Ansi(i) => Color::Indexed(i),
        TColor::Indexed(i) => Color::Indexed(i),
        TColor::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// A theme style as a ratatui style.
pub fn style(s: TStyle) -> Style {
    let mut out = Style::default();
    if let Some(fg) = s.fg {
        out = out.fg(color(fg));
    }
    if let Some(bg) = s.bg {
        out = out.bg(color(bg));
    }
    let m = s.mods;
    for (on, modifier) in [
        (m.bold, Modifier::BOLD),
        (m.dim, Modifier::DIM),
        (m.italic, Modifier::ITALIC),
        (m.underline, Modifier::UNDERLINED),
        (m.reverse, Modifier::REVERSED),
    ] {
        if on {
            out = out.add_modifier(modifier);
        }
    }
    out
}

fn rect(r: CoreRect) -> Rect {
    Rect::new(r.x, r.y, r.width, r.height)
}

/// Everything one frame needs besides the state.
pub struct Painter<'a> {
    pub theme: &'a Theme,
    pub options: LayoutOptions,
    pub lang: Lang,
}

impl Painter<'_> {
    /// One line of chrome text through the engine.
    fn line(&self, text: &str, width: usize, dir: BaseDirection) -> VisualLine {
        // (In logical order when the terminal reorders: `options.reorder`.)
        layout_line_truncated(text, width, dir, &[], &self.options)
    }

    fn st(&self, role: Role) -> TStyle {
        self.theme.style(role)
    }

    fn dir(&self) -> BaseDirection {
        if self.lang.is_rtl() {
            BaseDirection::Rtl
        } else {
            BaseDirection::Ltr
        }
    }

    /// Write a laid-out line at (x, y): each segment at x + its column,
    /// styled with `base` patched by the segment's style.
    fn put(&self, buf: &mut Buffer, x: u16, y: u16, line: &VisualLine, base: TStyle) {
        for seg in &line.segments {
            let s = match seg.style.and_then(Role::from_id) {
                Some(role) => base.patch(self.st(role)),
                None => base,
            };
            let sx = x.saturating_add(seg.col as u16);
            buf.set_span(
                sx,
                y,
                &Span::styled(seg.text.as_str(), style(s)),
                seg.width as u16,
            );
        }
    }

    /// Paint decorations over a line already written at (x, y): each
    /// cluster takes the style of the last span over its logical bytes,
    /// patched onto `base`. The clusters know their cells, so this needs no
    /// new layout.
    fn decorate(
        &self,
        buf: &mut Buffer,
        (x, y): (u16, u16),
        line: &VisualLine,
        spans: &[StyleSpan],
        base: TStyle,
    ) {
        if spans.is_empty() {
            return;
        }
        for c in &line.clusters {
            let Some(span) = spans
                .iter()
                .rev()
                .find(|s| s.range.start < c.source.end && c.source.start < s.range.end)
            else {
                continue;
            };
            let Some(role) = Role::from_id(span.style) else {
                continue;
            };
            let cx = x.saturating_add(c.col as u16);
            buf.set_style(
                Rect::new(cx, y, c.width as u16, 1),
                style(base.patch(self.st(role))),
            );
        }
    }

    /// Interface or title text on one line of `width` cells at (x, y),
    /// through the engine (shaped, reordered, cut with an ellipsis).
    fn text(
        &self,
        buf: &mut Buffer,
        (x, y, width): (u16, u16, u16),
        text: &str,
        dir: BaseDirection,
        base: TStyle,
    ) -> usize {
        if width == 0 {
            return 0;
        }
        let line = self.line(text, width as usize, dir);
        self.put(buf, x, y, &line, base);
        line.indent + line.width
    }

    /// A one-line text aligned to the interface's reading side.
    fn label(&self, buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, base: TStyle) {
        let line = self.line(text, width as usize, self.dir());
        let used = (line.width) as u16;
        // The engine aligns to the start of its own direction; chrome
        // follows the interface direction instead.
        let lx = if self.lang.is_rtl() {
            x + width.saturating_sub(used)
        } else {
            x
        };
        let shift = line.segments.first().map_or(0, |s| s.col) as u16;
        for seg in &line.segments {
            let s = match seg.style.and_then(Role::from_id) {
                Some(role) => base.patch(self.st(role)),
                None => base,
            };
            buf.set_span(
                lx + seg.col as u16 - shift,
                y,
                &Span::styled(seg.text.as_str(), style(s)),
                seg.width as u16,
            );
        }
    }

    fn pane_block(&self, buf: &mut Buffer, area: Rect, focused: bool, title: &str) {
        let border = if focused {
            Role::BorderFocus
        } else {
            Role::Border
        };
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(style(self.st(border)))
            .render(area, buf);
        self.border_title(buf, area, title, self.st(Role::PaneTitle));
    }

    /// A title in the top border on the reading side, with a space either
    /// side of it.
    fn border_title(&self, buf: &mut Buffer, area: Rect, title: &str, st: TStyle) {
        if area.width <= 6 {
            return;
        }
        let w = area.width - 6;
        let line = self.line(title, w as usize, self.dir());
        let used = line.width as u16;
        let x = if self.lang.is_rtl() {
            area.x + area.width - 3 - used
        } else {
            area.x + 3
        };
        buf.set_span(x - 1, area.y, &Span::styled(" ", style(st)), 1);
        buf.set_span(x + used, area.y, &Span::styled(" ", style(st)), 1);
        let shift = line.segments.first().map_or(0, |s| s.col) as u16;
        for seg in &line.segments {
            buf.set_span(
                x + seg.col as u16 - shift,
                area.y,
                &Span::styled(seg.text.as_str(), style(st)),
                seg.width as u16,
            );
        }
    }
}

/// Draw the whole screen.
pub fn draw(frame: &mut Frame, state: &mut State, theme: &Theme) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    draw_buffer(buf, area, state, theme);
}

/// Draw into a buffer (the terminal's, or a test's).
pub fn draw_buffer(buf: &mut Buffer, area: Rect, state: &mut State, theme: &Theme) {
    if state.size != (area.width, area.height) {
        state.resize(area.width, area.height);
    }
    let p = Painter {
        theme,
        options: state.layout_options(),
        lang: state.lang(),
    };
    buf.set_style(area, style(p.st(Role::Text)));
    let g = state.geometry();
    if g.too_small {
        let msg = p.lang.text(Msg::TooSmall);
        let y = area.height / 2;
        let line = p.line(msg, area.width as usize, p.dir());
        let x = area.width.saturating_sub(line.width as u16) / 2;
        let shift = line.segments.first().map_or(0, |s| s.col) as u16;
        p.put(buf, x.saturating_sub(shift), y, &line, p.st(Role::Warning));
        return;
    }
    let active = state.active_pane();
    if let Some(r) = g.list {
        draw_list(buf, rect(r), state, &p, active == Pane::List);
    }
    if let Some(r) = g.reader {
        draw_reader(buf, rect(r), state, &p, active == Pane::Reader);
    }
    if let Some(r) = g.entities {
        draw_entities(buf, rect(r), state, &p, active == Pane::Entities);
    }
    draw_status(buf, rect(g.status), state, &p);
    for layer in state.layers() {
        match *layer {
            Layer::Help { scroll } => draw_help(buf, area, state, &p, scroll),
            Layer::Bookmarks { cursor } => draw_bookmarks(buf, area, state, &p, cursor),
            // Drawn in the status line.
            Layer::Prompt(_) => {}
        }
    }
}

fn draw_list(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, focused: bool) {
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
        let selected = vi == s.list.cursor();
        let (title_st, meta_st) = if selected {
            let sel = p.st(Role::ListSelected);
            buf.set_style(Rect::new(inner.x, y, inner.width, rows), style(sel));
            (
                p.st(Role::ListTitle).patch(sel),
                p.st(Role::ListMeta).patch(sel),
            )
        } else {
            (p.st(Role::ListTitle), p.st(Role::ListMeta))
        };
        // Unread mark on the reading side, then the title.
        let mark_x = if p.lang.is_rtl() {
            inner.x + inner.width - 2
        } else {
            inner.x
        };
        if !s.is_read(i) {
            let mark = if selected {
                title_st.patch(p.st(Role::Unread))
            } else {
                p.st(Role::Unread)
            };
            buf.set_span(mark_x, y, &Span::styled("●", style(mark)), 1);
        }
        let tw = inner.width - 3;
        let tx = if p.lang.is_rtl() {
            inner.x + 1
        } else {
            inner.x + 2
        };
        // Each title in its own direction, by majority: an English title in
        // an Arabic list reads left to right with its ellipsis on the right,
        // and "Microsoft تستثمر…" reads right to left.
        let title_dir = base_direction(&e.title, dominant_direction([e.title.as_str()]));
        // A title cut from the lead (the page had none) is set in italics,
        // so it does not pass for the site's headline.
        let mut title_st = title_st;
        title_st.mods.italic |= e.title_derived;
        p.text(buf, (tx, y, tw), &e.title, title_dir, title_st);
        let meta: Vec<String> = [e.date.clone(), e.section.clone()]
            .into_iter()
            .flatten()
            .collect();
        p.text(
            buf,
            (tx, y + 1, tw),
            &meta.join(" · "),
            BaseDirection::Auto,
            meta_st,
        );
        y += rows;
    }
}

fn draw_reader(buf: &mut Buffer, area: Rect, s: &mut State, p: &Painter, focused: bool) {
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
    for (dy, row) in doc.rows().into_iter().enumerate() {
        let y = text.y + dy as u16;
        let is_focus = has_paragraphs && row.block == focused_block;
        let focus_st = p.st(Role::Focus);
        if is_focus {
            buf.set_style(
                Rect::new(inner.x, y, inner.width, 1),
                style(p.st(Role::Text).patch(focus_st)),
            );
        }
        let Some((block, part, line)) = &row.content else {
            continue;
        };
        let part = &block.parts[*part];
        let mut base = p.st(part.role);
        if is_focus {
            base = base.patch(focus_st);
            // The margin bar goes on the paragraph's reading side.
            let bar_x = if block.direction() == BaseDirection::Ltr {
                inner.x
            } else {
                inner.x + inner.width - 1
            };
            buf.set_span(
                bar_x,
                y,
                &Span::styled("▌", style(focus_st.patch(p.st(Role::FocusBar)))),
                1,
            );
        }
        let line = &part.layout.lines[*line];
        p.put(buf, text.x, y, line, base);
        if decorations.as_ref().is_none_or(|(b, _)| *b != row.block) {
            decorations = Some((row.block, doc.decorations(row.block)));
        }
        if let Some((_, spans)) = &decorations {
            p.decorate(buf, (text.x, y), line, spans, base);
        }
    }
    let _ = READER_MARGIN;
}

fn draw_entities(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, focused: bool) {
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
                    buf.set_style(Rect::new(inner.x, y, inner.width, 1), style(sel));
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
                    buf.set_span(
                        inner.x + 1,
                        y,
                        &Span::styled(count, style(count_st)),
                        count_w,
                    );
                } else {
                    p.text(
                        buf,
                        (inner.x + 1, y, name_w),
                        &e.text,
                        BaseDirection::Ltr,
                        base,
                    );
                    let cw = count.chars().count() as u16;
                    buf.set_span(
                        inner.x + inner.width - 1 - cw,
                        y,
                        &Span::styled(count, style(count_st)),
                        count_w,
                    );
                }
            }
        }
    }
    let _ = EntityKind::Person;
}

fn draw_status(buf: &mut Buffer, area: Rect, s: &State, p: &Painter) {
    let st = p.st(Role::Status);
    buf.set_style(area, style(st));
    let w = area.width.saturating_sub(2);
    if let Some(prompt) = s.prompt() {
        let (label, text) = match prompt {
            Prompt::Search(t) => (p.lang.text(Msg::Search), t),
            Prompt::Filter(t) => (p.lang.text(Msg::Filter), t),
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
    if s.active_pane() == Pane::List {
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
    let hl = p.line(hint, hint_w as usize, p.dir());
    let shift = hl.segments.first().map_or(0, |s| s.col) as u16;
    let hx = if p.lang.is_rtl() {
        hint_x
    } else {
        hint_x + hint_w.saturating_sub(hl.width as u16)
    };
    for seg in &hl.segments {
        buf.set_span(
            hx + seg.col as u16 - shift,
            area.y,
            &Span::styled(seg.text.as_str(), style(st.patch(p.st(Role::Meta)))),
            seg.width as u16,
        );
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2)).max(1);
    let h = height.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn overlay_frame(buf: &mut Buffer, r: Rect, p: &Painter, title: &str) -> Rect {
    Clear.render(r, buf);
    buf.set_style(r, style(p.st(Role::Help)));
    Block::bordered()
        .border_type(BorderType::Double)
        .border_style(style(p.st(Role::Help).patch(p.st(Role::BorderFocus))))
        .render(r, buf);
    p.border_title(buf, r, title, p.st(Role::Help).patch(p.st(Role::PaneTitle)));
    r.inner(ratatui::layout::Margin::new(2, 1))
}

fn draw_help(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, scroll: usize) {
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
    let inner = overlay_frame(buf, r, p, p.lang.text(Msg::Help));
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

fn draw_bookmarks(buf: &mut Buffer, area: Rect, s: &State, p: &Painter, cursor: usize) {
    let items = s.bookmark_items();
    let r = centered(area, 70, (items.len() as u16).max(1) + 2 + 2);
    let inner = overlay_frame(buf, r, p, p.lang.text(Msg::Bookmarks));
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
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style(st));
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
