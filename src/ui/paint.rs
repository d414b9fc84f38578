//! What every view paints with: theme styles as ratatui styles, and laid-out
//! lines written into the buffer at the columns the layout engine chose
//! (ratatui never wraps or reorders anything).

use crate::layout::{
    cells, layout_line_truncated, BaseDirection, LayoutOptions, StyleSpan, VisualLine,
};
use crate::reader::i18n::Lang;
use crate::reader::panes::lines::LineCache;
use crate::theme::{Color as TColor, Role, Style as TStyle, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::widgets::{Clear, Widget};
use std::rc::Rc;

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
    /// Where a pane keeps its laid-out lines between frames, if it does.
    pub lines: Option<&'a LineCache>,
}

impl<'a> Painter<'a> {
    /// The same painter, laying lines out through `cache`.
    pub fn cached<'b>(&self, cache: &'b LineCache) -> Painter<'b>
    where
        'a: 'b,
    {
        Painter {
            theme: self.theme,
            options: self.options.clone(),
            lang: self.lang,
            lines: Some(cache),
        }
    }

    /// One line of chrome text through the engine.
    pub fn line(&self, text: &str, width: usize, dir: BaseDirection) -> Rc<VisualLine> {
        // (In logical order when the terminal reorders: `options.reorder`.)
        match self.lines {
            Some(cache) => cache.line(text, width, dir, &self.options),
            None => Rc::new(layout_line_truncated(text, width, dir, &[], &self.options)),
        }
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
            put_str(buf, (sx, y), &seg.text, seg.width, style(s));
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
        // Only the spans over this line's bytes (most lines have none):
        // every cluster is then matched against a few spans, not all the
        // block's. The bytes are the clusters' own (the header's metadata
        // line points past the title's).
        let (lo, hi) = line.clusters.iter().fold((usize::MAX, 0), |(lo, hi), c| {
            (lo.min(c.source.start), hi.max(c.source.end))
        });
        let here: Vec<&StyleSpan> = spans
            .iter()
            .filter(|s| s.range.start < hi && lo < s.range.end)
            .collect();
        if here.is_empty() {
            return;
        }
        for c in &line.clusters {
            let Some(span) = here
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
            fill(
                buf,
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
        frame(buf, area, border::ROUNDED, style(self.st(border)));
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
        put_str(buf, (x - 1, area.y), " ", 1, style(st));
        put_str(buf, (x + used, area.y), " ", 1, style(st));
        self.put_flush(buf, x, area.y, &line, st);
    }

    /// An overlay's double border and title over what is below; returns
    /// the area inside it.
    pub fn overlay_frame(&self, buf: &mut Buffer, r: Rect, title: &str) -> Rect {
        Clear.render(r, buf);
        fill(buf, r, style(self.st(Role::Help)));
        frame(
            buf,
            r,
            border::DOUBLE,
            style(self.st(Role::Help).patch(self.st(Role::BorderFocus))),
        );
        self.border_title(
            buf,
            r,
            title,
            self.st(Role::Help).patch(self.st(Role::PaneTitle)),
        );
        r.inner(ratatui::layout::Margin::new(2, 1))
    }
}

/// Write `text` into the cells from `(x, y)` on, at most `max_width` cells,
/// exactly as `Buffer::set_stringn` does: one cell per grapheme cluster (the
/// cells a wide one covers reset), graphemes with a control character or no
/// width skipped, stopping at the first one that does not fit. The clusters
/// and widths come from the layout engine's own `cells` (which measure what
/// the buffer draws): `set_stringn` ran every grapheme through
/// unicode-segmentation's tables and measured it again, the largest cost of
/// a frame. Returns the column after the last cell written.
pub fn put_str(
    buf: &mut Buffer,
    (x, y): (u16, u16),
    text: &str,
    max_width: usize,
    st: Style,
) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x < area.left() {
        return x;
    }
    let max = u16::try_from(max_width).unwrap_or(u16::MAX);
    let mut remaining = area.right().saturating_sub(x).min(max) as usize;
    let row = (y - area.y) as usize * area.width as usize;
    let mut x = x;
    for (_, g) in cells::graphemes(text) {
        let mut chars = g.chars();
        let w = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii() => {
                if c.is_ascii_control() {
                    continue;
                }
                1
            }
            // One character (most Arabic cells): no need to look further
            // for a control.
            (Some(c), None) => {
                if c.is_control() {
                    continue;
                }
                cells::str_width(g)
            }
            _ => {
                if g.contains(char::is_control) {
                    continue;
                }
                cells::str_width(g)
            }
        };
        if w == 0 {
            continue;
        }
        let Some(rest) = remaining.checked_sub(w) else {
            break;
        };
        remaining = rest;
        let i = row + (x - area.x) as usize;
        buf.content[i].set_symbol(g).set_style(st);
        for cell in &mut buf.content[i + 1..i + w] {
            cell.reset();
        }
        x += w as u16;
    }
    x
}

/// Patch every cell of `area` with `st`, as `Buffer::set_style` does, a row
/// slice at a time instead of looking up every cell's position.
pub fn fill(buf: &mut Buffer, area: Rect, st: Style) {
    let area = buf.area.intersection(area);
    let (bx, by, bw) = (buf.area.x, buf.area.y, buf.area.width as usize);
    for y in area.top()..area.bottom() {
        let start = (y - by) as usize * bw + (area.x - bx) as usize;
        for cell in &mut buf.content[start..start + area.width as usize] {
            cell.set_style(st);
        }
    }
}

/// A border all round `area` with the symbols of `set`, as ratatui's
/// `Block::bordered()` draws it (sides first, then the corners), without
/// the block's per-cell merging of box-drawing symbols.
fn frame(buf: &mut Buffer, area: Rect, set: border::Set, st: Style) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let (left, top) = (area.left(), area.top());
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let mut put = |x: u16, y: u16, symbol: &str| {
        buf[(x, y)].set_symbol(symbol).set_style(st);
    };
    for y in top..=bottom {
        put(left, y, set.vertical_left);
    }
    for x in left..=right {
        put(x, top, set.horizontal_top);
    }
    for y in top..=bottom {
        put(right, y, set.vertical_right);
    }
    for x in left..=right {
        put(x, bottom, set.horizontal_bottom);
    }
    put(right, bottom, set.bottom_right);
    put(right, top, set.top_right);
    put(left, bottom, set.bottom_left);
    put(left, top, set.top_left);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::Modifier;
    use ratatui::widgets::{Block, BorderType};

    /// A buffer that is not blank, so resets and skipped cells show.
    fn filled(w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(3, 2, w, h));
        let all = buf.area;
        buf.set_string(3, 2, "x".repeat((w * h) as usize), Style::default());
        for y in all.top()..all.bottom() {
            buf.set_string(all.x, y, "ab中cd".repeat(w as usize), Style::default());
        }
        buf.set_style(all, Style::default().bg(Color::Indexed(4)));
        buf
    }

    const HARD: &[&str] = &[
        "مُحَمَّدٌ في القاهرة",
        "\u{FEFB}\u{FE8E}\u{FEDF}",
        "a\u{0301}b\u{064E}",
        "\u{064E}lone mark",
        "中文 and 한국어",
        "👩\u{200D}👩\u{200D}👧 family 🇪🇬",
        "ｶﾞｷﾞ halfwidth",
        "tab\there\u{7}bell\u{1b}[31m\r\n",
        "\u{0600}\u{0661} prepend",
        "",
    ];

    fn same_as_set_stringn(text: &str, x: u16, max: usize) -> Result<(), TestCaseError> {
        let st = Style::default()
            .fg(Color::Indexed(2))
            .add_modifier(Modifier::BOLD);
        let (mut ours, mut theirs) = (filled(12, 2), filled(12, 2));
        let y = 3;
        let end = put_str(&mut ours, (x, y), text, max, st);
        let (their_end, _) = theirs.set_stringn(x, y, text, max, st);
        prop_assert_eq!(&ours, &theirs, "{:?} at {} max {}", text, x, max);
        prop_assert_eq!(end, their_end);
        Ok(())
    }

    #[test]
    fn writes_cells_as_set_stringn_does() {
        for text in HARD {
            for x in [3, 4, 9, 14] {
                for max in [0, 1, 2, 5, 40] {
                    same_as_set_stringn(text, x, max).unwrap();
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_text_writes_as_set_stringn_does(text in "\\PC{0,16}|.{0,16}", x in 3u16..16, max in 0usize..14) {
            // ratatui segments with an older Unicode than the engine (U+113D1,
            // a Unicode 16 prepend, joins the next character only in ours):
            // compare writing where both agree on the grapheme clusters.
            let ours: Vec<&str> = cells::graphemes(&text).map(|(_, g)| g).collect();
            let span = ratatui::text::Span::raw(text.as_str());
            let theirs: Vec<&str> = span.styled_graphemes(Style::default()).map(|g| g.symbol).collect();
            proptest::prop_assume!(ours == theirs);
            same_as_set_stringn(&text, x, max)?;
        }
    }

    #[test]
    fn fills_as_set_style_does() {
        let st = Style::default()
            .bg(Color::Indexed(1))
            .add_modifier(Modifier::REVERSED);
        for r in [
            Rect::new(3, 2, 12, 2),
            Rect::new(5, 3, 4, 1),
            Rect::new(0, 0, 5, 3),
            Rect::new(14, 3, 9, 9),
            Rect::new(20, 9, 2, 2),
            Rect::new(6, 2, 0, 2),
        ] {
            let (mut ours, mut theirs) = (filled(12, 2), filled(12, 2));
            fill(&mut ours, r, st);
            theirs.set_style(r, st);
            assert_eq!(ours, theirs, "{r:?}");
        }
    }

    #[test]
    fn frames_as_block_bordered_does() {
        let st = Style::default().fg(Color::Indexed(5));
        for (w, h) in [(12, 2), (1, 1), (2, 1), (1, 2), (5, 3)] {
            for (set, kind) in [
                (border::ROUNDED, BorderType::Rounded),
                (border::DOUBLE, BorderType::Double),
            ] {
                let area = Rect::new(4, 2, w, h);
                let (mut ours, mut theirs) = (filled(12, 2), filled(12, 2));
                frame(&mut ours, area, set, st);
                Block::bordered()
                    .border_type(kind)
                    .border_style(st)
                    .render(area, &mut theirs);
                assert_eq!(ours, theirs, "{w}x{h} {kind:?}");
            }
        }
    }
}
