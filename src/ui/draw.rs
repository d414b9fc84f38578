//! A frame: the screen's geometry from the core, then each pane's view and
//! the layers over them (see `views/`).

pub use super::paint::style;
use super::paint::{fill, rect, Painter};
use super::screen::{Canvas, Links};
use super::views;
use crate::reader::geometry::Pane;
use crate::reader::i18n::Msg;
use crate::reader::{Layer, State};
use crate::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::Frame;

/// Draw the whole screen.
pub fn draw(frame: &mut Frame, state: &mut State, theme: &Theme) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    draw_buffer(buf, area, state, theme);
}

/// Draw a frame on the screen's canvas.
/// A pane whose stamp is the last frame's keeps its cells: it is not drawn.
pub fn draw_canvas(c: &mut Canvas, state: &mut State, theme: &Theme) {
    let (buf, links, mut unchanged) = c.split();
    let area = buf.area;
    draw_links(buf, links, area, state, theme, &mut unchanged);
}

/// Draw into a buffer (the terminal's, or a test's), without links, every
/// pane drawn.
pub fn draw_buffer(buf: &mut Buffer, area: Rect, state: &mut State, theme: &Theme) {
    draw_links(
        buf,
        &mut Links::default(),
        area,
        state,
        theme,
        &mut |_, _| false,
    );
}

/// Draw into a buffer, the cells that show a web address marked in
/// `links`; `unchanged(area, stamp)` says whether a pane may be left as
/// the last frame drew it.
fn draw_links(
    buf: &mut Buffer,
    links: &mut Links,
    area: Rect,
    state: &mut State,
    theme: &Theme,
    unchanged: &mut dyn FnMut(Rect, u64) -> bool,
) {
    if state.size != (area.width, area.height) {
        state.resize(area.width, area.height);
    }
    let p = Painter {
        theme,
        options: state.layout_options(),
        lang: state.lang(),
        lines: None,
    };
    fill(buf, area, style(p.st(Role::Text)));
    let g = state.geometry();
    if g.too_small {
        let msg = p.lang.text(Msg::TooSmall);
        let line = p.line(msg, area.width as usize, p.dir());
        let x = area.width.saturating_sub(line.width as u16) / 2;
        let shift = line.segments.first().map_or(0, |s| s.col) as u16;
        p.put(
            buf,
            x.saturating_sub(shift),
            area.height / 2,
            &line,
            p.st(Role::Warning),
        );
        return;
    }
    let active = state.active_pane();
    // Under a layer nothing is kept, nor stamped: the frame after it draws
    // every pane again.
    let layered = !state.layers().is_empty();
    if let Some(r) = g.list {
        match &state.results {
            Some(_) => views::results::draw(buf, rect(r), state, &p, active == Pane::List),
            None => views::list::draw(buf, rect(r), state, &p, active == Pane::List),
        }
    }
    if let Some(r) = g.reader {
        let unchanged: &mut dyn FnMut(Rect, u64) -> bool = match layered {
            true => &mut |_, _| false,
            false => unchanged,
        };
        views::reading::draw(
            buf,
            links,
            rect(r),
            state,
            &p,
            active == Pane::Reader,
            unchanged,
        );
    }
    if let Some(r) = g.entities {
        if layered || !unchanged(rect(r), state.sidebar_stamp()) {
            views::sidebar::draw(buf, rect(r), state, &p, active == Pane::Entities);
        }
    }
    views::status::draw(buf, rect(g.status), state, &p);
    for layer in state.layers() {
        match *layer {
            Layer::Help { scroll } => views::overlays::help(buf, area, state, &p, scroll),
            Layer::Bookmarks { cursor } => views::overlays::bookmarks(buf, area, state, &p, cursor),
            // Drawn in the status line.
            Layer::Prompt(_) => {}
        }
    }
}
