//! What every view paints with: theme styles as ratatui styles, and laid-out
//! lines written into the buffer at the columns the layout engine chose
//! (ratatui never wraps or reorders anything).

use crate::layout::{layout_line_truncated, BaseDirection, LayoutOptions, StyleSpan, VisualLine};
use crate::reader::i18n::Lang;
use crate::theme::{Color as TColor, Role, Style as TStyle, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Clear, Widget};

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

/// Everything one frame needs besides the state.
pub struct Painter<'a> {
    pub theme: &'a Theme,
    pub options: LayoutOptions,
    pub lang: Lang,
}

impl Painter<'_> {
    /// One line of chrome text through the engine.
    pub fn line(&self, text: &str, width: usize, dir: BaseDirection) -> VisualLine {
        // (In logical order when the terminal reorders: `options.reorder`.)
        layout_line_truncated(text, width, dir, &[], &self.options)
    }

    pub fn st(&self, role: Role) -> TStyle {
        self.theme.style(role)
    }

    /// The interface's reading direction.
    pub fn dir(&self) -> BaseDirection {
        if self.lang.is_rtl() {
            BaseDirection::Rtl
        } else {
            BaseDirection::Ltr
        }
    }

    /// The one place a laid-out line reaches the buffer: each segment at
    /// `x + its column - shift` on row `y`, styled with `base` patched by
    /// the segment's own style.
    pub fn write(
        &self,
        buf: &mut Buffer,
        (x, y): (u16, u16),
        line: &VisualLine,
        base: TStyle,
        shift: u16,
    ) {
        for seg in &line.segments {
            let s = match seg.style.and_then(Role::from_id) {
                Some(role) => base.patch(self.st(role)),
                None => base,
            };
            let sx = x.saturating_add(seg.col as u16).saturating_sub(shift);
            buf.set_span(
                sx,
                y,
                &Span::styled(seg.text.as_str(), style(s)),
                seg.width as u16,
            );
        }
    }

    /// Write a laid-out line with its columns as they are.
    pub fn put(&self, buf: &mut Buffer, x: u16, y: u16, line: &VisualLine, base: TStyle) {
        self.write(buf, (x, y), line, base, 0);
    }

    /// Write a line flush against `x` (its alignment indent dropped).
    fn put_flush(&self, buf: &mut Buffer, x: u16, y: u16, line: &VisualLine, base: TStyle) {
        let shift = line.segments.first().map_or(0, |s| s.col) as u16;
        self.write(buf, (x, y), line, base, shift);
    }

    /// Paint decorations over a line already written at (x, y): each
    /// cluster takes the style of the last span over its logical bytes,
    /// patched onto `base`. The clusters know their cells, so this needs no
    /// new layout.
    pub fn decorate(
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
    /// Returns the cells used.
    pub fn text(
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
    pub fn label(&self, buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str, base: TStyle) {
        self.aligned(buf, (x, y, width), text, base, self.lang.is_rtl());
    }

    /// A one-line text in the interface's direction, against the right edge
    /// of its `width` cells or the left one.
    pub fn aligned(
        &self,
        buf: &mut Buffer,
        (x, y, width): (u16, u16, u16),
        text: &str,
        base: TStyle,
        right: bool,
    ) {
        let line = self.line(text, width as usize, self.dir());
        let used = line.width as u16;
        let lx = if right {
            x + width.saturating_sub(used)
        } else {
            x
        };
        self.put_flush(buf, lx, y, &line, base);
    }

    /// A pane's rounded border with its title.
    pub fn pane_block(&self, buf: &mut Buffer, area: Rect, focused: bool, title: &str) {
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
    pub fn border_title(&self, buf: &mut Buffer, area: Rect, title: &str, st: TStyle) {
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
        self.put_flush(buf, x, area.y, &line, st);
    }

    /// An overlay's double border and title over what is below; returns
    /// the area inside it.
    pub fn overlay_frame(&self, buf: &mut Buffer, r: Rect, title: &str) -> Rect {
        Clear.render(r, buf);
        buf.set_style(r, style(self.st(Role::Help)));
        Block::bordered()
            .border_type(BorderType::Double)
            .border_style(style(self.st(Role::Help).patch(self.st(Role::BorderFocus))))
            .render(r, buf);
        self.border_title(
            buf,
            r,
            title,
            self.st(Role::Help).patch(self.st(Role::PaneTitle)),
        );
        r.inner(ratatui::layout::Margin::new(2, 1))
    }
}

/// A core rectangle as a ratatui one.
pub fn rect(r: crate::reader::geometry::Rect) -> Rect {
    Rect::new(r.x, r.y, r.width, r.height)
}

/// A box of `width`×`height` in the middle of `area` (shrunk to fit).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2)).max(1);
    let h = height.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
