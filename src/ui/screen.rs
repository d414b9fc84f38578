//! The terminal as qari writes to it: the last frame's cells (and the link
//! under each), the next frame drawn by a closure, and only the difference
//! written, through one buffered writer flushed once per frame.
//!
//! It replaces `ratatui::Terminal`, whose previous buffer is private: a
//! terminal scroll (see [`ScrollHint`]) must move the lines of that buffer
//! as the terminal moves them, and a hyperlink is not part of a ratatui
//! cell, so links that move under unchanged glyphs would never be written
//! again. The cells that changed are those of ratatui's own diff; they are
//! written in fewer bytes than ratatui's backend writes them (one SGR
//! sequence per change with only what changed, short runs of unchanged
//! cells rewritten instead of moving the cursor over them), and the replay
//! test proves the terminal ends up showing the same thing. The
//! terminal is never asked for anything (no cursor position round trip).

use crate::reader::scroll::ScrollHint;
use crossterm::{cursor, queue, terminal};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};
use std::ops::Range;

/// What the terminal can do beyond plain cursor moves and colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// Scroll regions (DECSTBM) with scroll up / down (SU / SD).
    pub scroll: bool,
    /// Left and right margins (DECSLRM) that scrolls keep within, with
    /// left/right margin mode (DECLRMM) on for the session. Only from the
    /// terminal's own answer (see [`crate::term`]), never from `TERM`.
    pub margins: bool,
    /// OSC 8 hyperlinks.
    pub links: bool,
}

impl Caps {
    /// From `TERM` and the `links` setting. Scrolling is used only where
    /// the terminal is known to have it ([`crate::term::has_scroll_regions`]).
    /// Links are off where the sequence would be shown or dropped on the
    /// way (GNU screen, the console, `dumb`); others ignore what they do
    /// not know. Margins are off: only the terminal can tell.
    pub fn from_term(term: Option<&str>, links: bool) -> Caps {
        let scroll = crate::term::has_scroll_regions(term);
        let term = term.unwrap_or("").to_ascii_lowercase();
        let no_links = term.is_empty()
            || term == "dumb"
            || ["screen", "linux"].iter().any(|n| term.starts_with(n));
        Caps {
            scroll,
            margins: false,
            links: links && !no_links,
        }
    }

    /// Neither scrolling nor links: exactly what ratatui's diff would write.
    pub const PLAIN: Caps = Caps {
        scroll: false,
        margins: false,
        links: false,
    };
}

/// The link under each cell of a frame: 0 for none, else an index + 1
/// into the frame's addresses.
#[derive(Clone, Debug, Default)]
pub struct Links {
    width: u16,
    ids: Vec<u32>,
    urls: Vec<String>,
    /// False when the terminal gets no links: marks are then ignored.
    on: bool,
    /// The address last marked and its id (0: refused).
    last: Option<(String, u32)>,
}

impl Links {
    fn new(area: Rect, on: bool) -> Links {
        Links {
            width: area.width,
            ids: vec![0; area.area() as usize],
            urls: Vec::new(),
            on,
            last: None,
        }
    }

    fn reset(&mut self) {
        self.ids.fill(0);
        self.urls.clear();
        self.last = None;
    }

    fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }

    /// Whether marks are kept (the terminal gets links).
    pub fn on(&self) -> bool {
        self.on && self.width > 0
    }

    /// Link `width` cells from (x, y) to `url`. Only an address that
    /// [`link_target`] accepts is kept; anything else stays plain text.
    pub fn mark(&mut self, x: u16, y: u16, width: u16, url: &str) {
        if !self.on || self.width == 0 {
            return;
        }
        // A link's clusters come one after another: check and encode its
        // address once.
        let id = match &self.last {
            Some((raw, id)) if raw == url => *id,
            _ => {
                let id = match link_target(url) {
                    None => 0,
                    Some(target) => match self.urls.iter().position(|u| *u == target) {
                        Some(i) => i as u32 + 1,
                        None => {
                            self.urls.push(target);
                            self.urls.len() as u32
                        }
                    },
                };
                self.last = Some((url.to_string(), id));
                id
            }
        };
        if id == 0 {
            return;
        }
        let start = y as usize * self.width as usize + x as usize;
        let row_end = (y as usize + 1) * self.width as usize;
        let end = (start + width as usize).min(row_end).min(self.ids.len());
        if start < end {
            self.ids[start..end].fill(id);
        }
    }

    /// The address linked at cell index `i`.
    fn at(&self, i: usize) -> Option<&str> {
        match self.ids.get(i).copied().unwrap_or(0) {
            0 => None,
            id => self.urls.get(id as usize - 1).map(String::as_str),
        }
    }

    /// The address linked at (x, y), if any.
    pub fn get(&self, x: u16, y: u16) -> Option<&str> {
        self.at(y as usize * self.width as usize + x as usize)
    }

    fn shift(&mut self, rows: &Range<u16>, cols: &Range<u16>, by: i32) {
        let w = self.width as usize;
        shift_rect(&mut self.ids, w, rows, cols, by, || 0);
    }
}

/// `url` as it may go into an OSC 8 sequence, or `None`: http(s) only, no
/// control characters (ESC, BEL, C1), no whitespace and no bidi controls;
/// bytes outside ASCII are percent-encoded, so what is written is printable
/// ASCII and cannot end the sequence early.
pub fn link_target(url: &str) -> Option<String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_control()
            || c.is_whitespace()
            || crate::text::is_stripped_control(c)
            || crate::text::is_bidi_format(c)
        {
            return None;
        }
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut b = [0; 4];
            for byte in c.encode_utf8(&mut b).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    Some(out)
}

/// Move the cells of columns `cols` in rows `rows` of a row-major grid
/// `width` wide by `by` rows (up when positive), as a terminal scroll
/// within those margins does, filling the cells left behind with `blank`.
fn shift_rect<T>(
    cells: &mut [T],
    width: usize,
    rows: &Range<u16>,
    cols: &Range<u16>,
    by: i32,
    blank: impl Fn() -> T,
) {
    let (top, bottom) = (rows.start as usize, rows.end as usize);
    let (left, right) = (cols.start as usize, cols.end.min(width as u16) as usize);
    if top >= bottom || left >= right || bottom * width > cells.len() {
        return;
    }
    let n = (by.unsigned_abs() as usize).min(bottom - top);
    let span = |y: usize| y * width + left..y * width + right;
    // Row y takes row y + n's cells (up) or row y - n's (down); each swap
    // leaves the row it read from to be overwritten or blanked after.
    let mut swap = |lo: usize, hi: usize| {
        let (a, b) = cells.split_at_mut(span(hi).start);
        a[span(lo)].swap_with_slice(&mut b[..right - left]);
    };
    let fresh = if by > 0 {
        (top..bottom - n).for_each(|y| swap(y, y + n));
        bottom - n..bottom
    } else {
        (top + n..bottom).rev().for_each(|y| swap(y - n, y));
        top..top + n
    };
    for y in fresh {
        cells[span(y)].iter_mut().for_each(|c| *c = blank());
    }
}

/// What a frame is drawn on: the cells and the links under them.
pub struct Canvas<'a> {
    pub buf: &'a mut Buffer,
    pub links: &'a mut Links,
}

/// Bytes written by the last frame, and whether it scrolled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameStats {
    pub bytes: usize,
    pub scrolled: bool,
    /// Rows the terminal scrolled (up when positive).
    pub scroll_by: i32,
}

pub struct Screen<W: Write> {
    out: W,
    caps: Caps,
    prev: Buffer,
    next: Buffer,
    prev_links: Links,
    next_links: Links,
    /// Clear the terminal before the next frame (first frame, resize,
    /// Redraw, after Ctrl-Z).
    clear: bool,
    cursor_hidden: bool,
    last: FrameStats,
    /// Scroll whenever hinted, even where it writes more (tests of the
    /// scroll path with side panes).
    pub force_scroll: bool,
}

impl<W: Write> Screen<W> {
    pub fn new(out: W, (width, height): (u16, u16), caps: Caps) -> Screen<W> {
        let area = Rect::new(0, 0, width, height);
        Screen {
            out,
            caps,
            prev: Buffer::empty(area),
            next: Buffer::empty(area),
            prev_links: Links::new(area, caps.links),
            next_links: Links::new(area, caps.links),
            // The alternate screen starts blank, as an empty buffer is.
            clear: false,
            cursor_hidden: false,
            last: FrameStats::default(),
            force_scroll: false,
        }
    }

    pub fn size(&self) -> (u16, u16) {
        (self.prev.area.width, self.prev.area.height)
    }

    /// A new terminal size: the next frame clears and draws everything
    /// (as `Terminal::autoresize` did; the same size changes nothing).
    pub fn resize(&mut self, width: u16, height: u16) {
        if (width, height) == self.size() {
            return;
        }
        let area = Rect::new(0, 0, width, height);
        self.prev = Buffer::empty(area);
        self.next = Buffer::empty(area);
        self.prev_links = Links::new(area, self.caps.links);
        self.next_links = Links::new(area, self.caps.links);
        self.clear = true;
    }

    /// Clear the terminal and draw everything on the next frame.
    pub fn clear(&mut self) {
        self.clear = true;
    }

    /// Where raw sequences (OSC 52) go, between frames.
    pub fn writer(&mut self) -> &mut W {
        &mut self.out
    }

    /// The cells of the last frame, as the terminal now shows them.
    pub fn buffer(&self) -> &Buffer {
        &self.prev
    }

    /// The links of the last frame.
    pub fn links(&self) -> &Links {
        &self.prev_links
    }

    pub fn last_frame(&self) -> FrameStats {
        self.last
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    /// Draw a frame with `f` and write what changed. `f` returns how the
    /// reading pane scrolled since the last frame, if it did.
    pub fn draw(&mut self, f: impl FnOnce(&mut Canvas) -> Option<ScrollHint>) -> io::Result<()> {
        self.next.reset();
        self.next_links.reset();
        let hint = f(&mut Canvas {
            buf: &mut self.next,
            links: &mut self.next_links,
        });
        let mut frame = Vec::with_capacity(4096);
        if self.clear {
            // What Terminal::clear writes; the terminal is then all blank
            // default cells, as an empty buffer is.
            queue!(frame, terminal::Clear(terminal::ClearType::All))?;
            self.prev.reset();
            self.prev_links.reset();
        }
        let mut scroll_by = 0;
        let plain = encode(&self.prev, &self.prev_links, &self.next, &self.next_links)?;
        match hint.filter(|h| !self.clear && self.caps.scroll && self.scrollable(h)) {
            Some(h) => {
                let cols = self.scroll_columns(&h);
                let mut moved = self.prev.clone();
                let mut moved_links = self.prev_links.clone();
                let w = moved.area.width as usize;
                shift_rect(&mut moved.content, w, &h.rows, &cols, h.by, Cell::default);
                moved_links.shift(&h.rows, &cols, h.by);
                blank_like(&mut moved, &self.next, &h, &cols);
                let mut with_scroll = scroll_sequence(&h, &cols, self.prev.area.width);
                with_scroll.extend(encode(&moved, &moved_links, &self.next, &self.next_links)?);
                // A whole-row scroll moves side panes too: it is used only
                // when repainting what it disturbed still writes less.
                if with_scroll.len() < plain.len() || self.force_scroll {
                    frame.extend(with_scroll);
                    scroll_by = h.by;
                } else {
                    frame.extend(plain);
                }
            }
            None => frame.extend(plain),
        }
        if !self.cursor_hidden {
            queue!(frame, cursor::Hide)?;
            self.cursor_hidden = true;
        }
        self.clear = false;
        self.out.write_all(&frame)?;
        self.out.flush()?;
        self.last = FrameStats {
            bytes: frame.len(),
            scrolled: scroll_by != 0,
            scroll_by,
        };
        std::mem::swap(&mut self.prev, &mut self.next);
        std::mem::swap(&mut self.prev_links, &mut self.next_links);
        Ok(())
    }

    /// The columns a scroll moves: the hint's (the reading pane's text)
    /// where the terminal keeps scrolls within left/right margins, else
    /// whole rows. Whole rows too where a wide glyph on the terminal
    /// straddles a margin, which a terminal may split or erase.
    fn scroll_columns(&self, h: &ScrollHint) -> Range<u16> {
        let width = self.prev.area.width;
        let whole = 0..width;
        // DECSLRM needs two columns at least.
        if !self.caps.margins || h.cols.end > width || h.cols.start + 2 > h.cols.end {
            return whole;
        }
        if h.cols == whole {
            return whole;
        }
        let wide = |x: u16, y: u16| cell_width(&self.prev[(x, y)]) > 1;
        let straddled = h
            .rows
            .clone()
            .any(|y| (h.cols.start > 0 && wide(h.cols.start - 1, y)) || wide(h.cols.end - 1, y));
        if straddled {
            whole
        } else {
            h.cols.clone()
        }
    }

    /// A scroll within the screen, of fewer rows than the region has.
    fn scrollable(&self, h: &ScrollHint) -> bool {
        let height = self.prev.area.height;
        h.by != 0
            && h.rows.start < h.rows.end
            && h.rows.end <= height
            && (h.by.unsigned_abs() as u16) < h.rows.end - h.rows.start
    }
}

/// The cells a scroll brought in are blank default cells on the terminal.
/// A blank of the next frame that only differs from them in its foreground
/// colour looks the same, so it is taken as already there: the text's
/// colour on the leading spaces of a right-aligned line is not written.
fn blank_like(moved: &mut Buffer, next: &Buffer, h: &ScrollHint, cols: &Range<u16>) {
    let visible = Modifier::REVERSED
        | Modifier::UNDERLINED
        | Modifier::CROSSED_OUT
        | Modifier::SLOW_BLINK
        | Modifier::RAPID_BLINK;
    let n = h.by.unsigned_abs() as u16;
    let rows = if h.by > 0 {
        h.rows.end - n..h.rows.end
    } else {
        h.rows.start..h.rows.start + n
    };
    let w = next.area.width as usize;
    for y in rows {
        let row = y as usize * w;
        for i in row + cols.start as usize..row + cols.end as usize {
            let c = &next.content[i];
            if c.symbol() == " " && c.bg == Color::Reset && !c.modifier.intersects(visible) {
                moved.content[i] = c.clone();
            }
        }
    }
}

/// Set the scroll region to the hint's rows (and, within the screen's
/// `width`, to `cols` between left/right margins: DECLRMM is on for the
/// session then), scroll them, and reset the margins (`CSI s` is DECSLRM
/// while DECLRMM is on) and the region, which also homes the cursor; every
/// frame starts with a cursor move. Attributes are at their defaults here
/// (each run of cells ends with a reset), so the cells scrolled in are
/// blank default cells, as [`shift_rect`] makes them in the previous
/// buffer.
fn scroll_sequence(h: &ScrollHint, cols: &Range<u16>, width: u16) -> Vec<u8> {
    let n = h.by.unsigned_abs();
    let su_sd = if h.by > 0 { 'S' } else { 'T' };
    let (top, bottom) = (h.rows.start + 1, h.rows.end);
    if *cols == (0..width) {
        format!("\x1b[{top};{bottom}r\x1b[{n}{su_sd}\x1b[r")
    } else {
        let (left, right) = (cols.start + 1, cols.end);
        format!("\x1b[{top};{bottom}r\x1b[{left};{right}s\x1b[{n}{su_sd}\x1b[s\x1b[r")
    }
    .into_bytes()
}

const OSC8_END: &[u8] = b"\x1b]8;;\x07";

/// The bytes that turn `prev` (with its links) into `next`: ratatui's diff
/// of the cells, plus every cell whose link changed; a run of linked cells
/// is wrapped in OSC 8.
fn encode(
    prev: &Buffer,
    prev_links: &Links,
    next: &Buffer,
    next_links: &Links,
) -> io::Result<Vec<u8>> {
    let mut updates = prev.diff(next);
    let mut out = Vec::new();
    if updates.is_empty() && prev_links.is_empty() && next_links.is_empty() {
        return Ok(out);
    }
    let w = next.area.width as usize;
    if !(prev_links.is_empty() && next_links.is_empty()) {
        updates = with_relinked(updates, prev_links, next, next_links);
    }
    let updates = fill_gaps(updates, next, next_links);
    let link_of = |(x, y, _): &Update| next_links.at(*y as usize * w + *x as usize);
    let mut pen = Pen::default();
    let mut link = None;
    let mut last: Option<(u16, u16)> = None;
    for u in &updates {
        let (x, y, cell) = *u;
        let l = link_of(u);
        if l != link {
            if link.is_some() {
                out.extend_from_slice(OSC8_END);
            }
            if let Some(url) = l {
                out.extend_from_slice(b"\x1b]8;;");
                out.extend_from_slice(url.as_bytes());
                out.push(0x07);
            }
            link = l;
        }
        // As ratatui does: a move unless this cell follows the last one.
        if !matches!(last, Some((lx, ly)) if x == lx + 1 && y == ly) {
            queue!(out, cursor::MoveTo(x, y))?;
        }
        last = Some((x, y));
        pen.set(&mut out, cell);
        out.extend_from_slice(cell.symbol().as_bytes());
    }
    if link.is_some() {
        out.extend_from_slice(OSC8_END);
    }
    if pen != Pen::default() {
        out.extend_from_slice(b"\x1b[0m");
    }
    Ok(out)
}

/// The attributes the terminal is writing with. A change is written as one
/// SGR sequence with only what changed (ratatui's backend writes each
/// attribute as a sequence of its own and both colours when one changes):
/// the same attributes, in fewer bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Default for Pen {
    fn default() -> Pen {
        Pen {
            fg: Color::Reset,
            bg: Color::Reset,
            underline: Color::Reset,
            modifier: Modifier::empty(),
        }
    }
}

impl Pen {
    fn set(&mut self, out: &mut Vec<u8>, cell: &Cell) {
        let to = Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        };
        if to == *self {
            return;
        }
        let mut params: Vec<String> = Vec::new();
        let (from_m, to_m) = (self.modifier, to.modifier);
        let removed = from_m - to_m;
        let added = to_m - from_m;
        let intensity = Modifier::BOLD | Modifier::DIM;
        // SGR 22 ends bold and dim together: the one kept is set again.
        if removed.intersects(intensity) {
            params.push("22".into());
            for (m, p) in [(Modifier::BOLD, "1"), (Modifier::DIM, "2")] {
                if to_m.contains(m) {
                    params.push(p.into());
                }
            }
        } else {
            for (m, p) in [(Modifier::BOLD, "1"), (Modifier::DIM, "2")] {
                if added.contains(m) {
                    params.push(p.into());
                }
            }
        }
        for (m, off) in [
            (Modifier::ITALIC, "23"),
            (Modifier::UNDERLINED, "24"),
            (Modifier::REVERSED, "27"),
            (Modifier::HIDDEN, "28"),
            (Modifier::CROSSED_OUT, "29"),
        ] {
            if removed.contains(m) {
                params.push(off.into());
            }
        }
        let blink = Modifier::SLOW_BLINK | Modifier::RAPID_BLINK;
        if removed.intersects(blink) {
            params.push("25".into());
        }
        for (m, on) in [
            (Modifier::ITALIC, "3"),
            (Modifier::UNDERLINED, "4"),
            (Modifier::REVERSED, "7"),
            (Modifier::HIDDEN, "8"),
            (Modifier::CROSSED_OUT, "9"),
        ] {
            if added.contains(m) {
                params.push(on.into());
            }
        }
        // After SGR 25 both blinks are off: set again the one kept.
        for (m, on) in [(Modifier::SLOW_BLINK, "5"), (Modifier::RAPID_BLINK, "6")] {
            if to_m.contains(m) && (added.contains(m) || removed.intersects(blink)) {
                params.push(on.into());
            }
        }
        for (from, to, base) in [
            (self.fg, to.fg, 38),
            (self.bg, to.bg, 48),
            (self.underline, to.underline, 58),
        ] {
            if from != to {
                params.push(color_param(to, base));
            }
        }
        out.extend_from_slice(b"\x1b[");
        out.extend_from_slice(params.join(";").as_bytes());
        out.push(b'm');
        *self = to;
    }
}

/// A colour as SGR parameters for `base` (38 foreground, 48 background, 58
/// underline), as crossterm writes it: named colours by their palette
/// index, so they look the same as before.
fn color_param(c: Color, base: u8) -> String {
    let named = |i: u8| format!("{base};5;{i}");
    match c {
        Color::Reset => format!("{}", base + 1),
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Indexed(i) => named(i),
        Color::Rgb(r, g, b) => format!("{base};2;{r};{g};{b}"),
    }
}

type Update<'a> = (u16, u16, &'a Cell);

/// The diff plus the cells whose glyph is unchanged but whose link is not,
/// in screen order, skipping the cells a wide glyph covers (as the diff
/// does).
fn with_relinked<'a>(
    updates: Vec<Update<'a>>,
    prev_links: &Links,
    next: &'a Buffer,
    next_links: &Links,
) -> Vec<Update<'a>> {
    let w = next.area.width as usize;
    let mut relinked = Vec::new();
    let mut covered = 0;
    for (i, c) in next.content.iter().enumerate() {
        if covered > 0 {
            covered -= 1;
            continue;
        }
        covered = cell_width(c).saturating_sub(1);
        if prev_links.at(i) != next_links.at(i) {
            relinked.push(i);
        }
    }
    let at = |j: usize| ((j % w) as u16, (j / w) as u16, &next.content[j]);
    let mut all = Vec::with_capacity(updates.len() + relinked.len());
    let mut extra = relinked.into_iter().peekable();
    for (x, y, c) in updates {
        let i = y as usize * w + x as usize;
        while let Some(j) = extra.next_if(|j| *j <= i) {
            if j < i {
                all.push(at(j));
            }
        }
        all.push((x, y, c));
    }
    all.extend(extra.map(at));
    all
}

fn cell_width(c: &Cell) -> usize {
    unicode_width::UnicodeWidthStr::width(c.symbol())
}

/// Rewrite a short run of unchanged cells between two changed ones on a
/// row when that is shorter than moving the cursor over it (a word space
/// costs one byte, a cursor move eight): only cells of one width in the
/// style and link of the cell before them, so no colour or link changes.
fn fill_gaps<'a>(updates: Vec<Update<'a>>, next: &'a Buffer, links: &Links) -> Vec<Update<'a>> {
    let w = next.area.width as usize;
    let mut out: Vec<Update<'a>> = Vec::with_capacity(updates.len() * 2);
    for (x, y, c) in updates {
        if let Some(&(px, py, pc)) = out.last() {
            let end = px + 1;
            if py == y && x > end && cell_width(pc) == 1 {
                let row = y as usize * w;
                let gap = row + end as usize..row + x as usize;
                let move_len = format!("\x1b[{};{}H", y + 1, x + 1).len();
                let link = links.at(row + px as usize);
                let fits = next.content[gap.clone()]
                    .iter()
                    .map(|g| g.symbol().len())
                    .sum::<usize>()
                    <= move_len
                    && gap.clone().all(|i| {
                        let g = &next.content[i];
                        cell_width(g) == 1
                            && g.fg == pc.fg
                            && g.bg == pc.bg
                            && g.modifier == pc.modifier
                            && g.underline_color == pc.underline_color
                            && links.at(i) == link
                    });
                if fits {
                    for i in gap {
                        out.push(((i - row) as u16, y, &next.content[i]));
                    }
                }
            }
        }
        out.push((x, y, c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clean_web_addresses_become_links() {
        assert_eq!(
            link_target("https://example.org/a?b=1#c").as_deref(),
            Some("https://example.org/a?b=1#c")
        );
        // Non-ASCII is percent-encoded: what goes out is printable ASCII.
        assert_eq!(
            link_target("https://ar.example.org/مصر").as_deref(),
            Some("https://ar.example.org/%D9%85%D8%B5%D8%B1")
        );
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://a b",
            "https://a\x1b]8;;https://evil\x07",
            "https://a\x07",
            "https://a\u{9c}",
            "https://a\u{202e}b",
            "https://a\n",
            "ftp://example.org",
        ] {
            assert_eq!(link_target(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn capabilities_follow_term() {
        let caps = |t: Option<&str>, links| Caps::from_term(t, links);
        assert_eq!(
            caps(Some("xterm-256color"), true),
            Caps {
                scroll: true,
                margins: false,
                links: true
            }
        );
        assert_eq!(
            caps(Some("tmux-256color"), true),
            Caps {
                scroll: true,
                margins: false,
                links: true
            }
        );
        assert_eq!(
            caps(Some("screen.xterm-256color"), true),
            Caps {
                scroll: true,
                margins: false,
                links: false
            }
        );
        for t in [Some("linux"), Some("dumb"), None] {
            assert_eq!(caps(t, true), Caps::PLAIN, "{t:?}");
        }
        // An unknown terminal is not trusted with scroll regions; one that
        // does not know OSC 8 ignores it.
        assert_eq!(
            caps(Some("nonesuch"), true),
            Caps {
                scroll: false,
                margins: false,
                links: true
            }
        );
        assert!(!caps(Some("xterm"), false).links);
    }

    #[test]
    fn rows_shift_within_their_region_only() {
        // Four rows of two cells: 0 1 / 2 3 / 4 5 / 6 7.
        let mut cells: Vec<u8> = (0..8).collect();
        shift_rect(&mut cells, 2, &(1..4), &(0..2), 1, || 9);
        assert_eq!(cells, [0, 1, 4, 5, 6, 7, 9, 9]);
        shift_rect(&mut cells, 2, &(0..3), &(0..2), -2, || 9);
        assert_eq!(cells, [9, 9, 9, 9, 0, 1, 9, 9]);
    }

    #[test]
    fn cells_shift_within_their_margins_only() {
        // Four rows of three cells; columns 1..3 move, column 0 stays.
        let grid = |v: &[u8]| v.to_vec();
        let mut cells: Vec<u8> = (0..12).collect();
        shift_rect(&mut cells, 3, &(0..4), &(1..3), 1, || 99);
        assert_eq!(cells, grid(&[0, 4, 5, 3, 7, 8, 6, 10, 11, 9, 99, 99]));
        let mut cells: Vec<u8> = (0..12).collect();
        shift_rect(&mut cells, 3, &(1..4), &(1..3), -2, || 99);
        assert_eq!(cells, grid(&[0, 1, 2, 3, 99, 99, 6, 99, 99, 9, 4, 5]));
        // A move as tall as the region blanks it; a bad rectangle is left.
        let mut cells: Vec<u8> = (0..12).collect();
        shift_rect(&mut cells, 3, &(0..2), &(0..1), 5, || 99);
        assert_eq!(cells, grid(&[99, 1, 2, 99, 4, 5, 6, 7, 8, 9, 10, 11]));
        shift_rect(&mut cells, 3, &(0..9), &(0..3), 1, || 0);
        assert_eq!(cells[1], 1);
    }

    #[test]
    fn a_scroll_between_margins_sets_and_resets_them() {
        let h = ScrollHint {
            rows: 1..29,
            cols: 26..98,
            by: 3,
        };
        assert_eq!(
            scroll_sequence(&h, &(26..98), 100),
            b"\x1b[2;29r\x1b[27;98s\x1b[3S\x1b[s\x1b[r"
        );
        let down = ScrollHint { by: -1, ..h };
        assert_eq!(
            scroll_sequence(&down, &(0..100), 100),
            b"\x1b[2;29r\x1b[1T\x1b[r"
        );
    }

    /// A screen 12 wide: a side pane in columns 0..3 that never changes,
    /// text lines (AAAAAAAA, BBBBBBBB, ...) in columns 4..12 that move up
    /// by `by` rows; the bytes of the second frame and its cells.
    fn side_pane_frames(caps: Caps, by: i32) -> (Vec<u8>, Buffer) {
        let mut screen = Screen::new(Vec::new(), (12, 6), caps);
        let frame = |top: i32| {
            move |c: &mut Canvas| {
                let side = ["ab|", "cd|", "ef|", "gh|", "ij|", "kl|"];
                for y in 0..6u16 {
                    let style = ratatui::style::Style::default();
                    c.buf.set_string(0, y, side[y as usize], style);
                    let line = (top + i32::from(y)) as u8;
                    let text = char::from(b'A' + line).to_string().repeat(8);
                    c.buf.set_string(4, y, text, style);
                }
                (top > 0).then_some(ScrollHint {
                    rows: 0..6,
                    cols: 4..12,
                    by,
                })
            }
        };
        screen.draw(frame(0)).unwrap();
        std::mem::take(screen.writer());
        screen.draw(frame(by)).unwrap();
        (std::mem::take(screen.writer()), screen.buffer().clone())
    }

    #[test]
    fn with_margins_only_the_text_scrolls() {
        let rows = Caps {
            scroll: true,
            margins: false,
            links: false,
        };
        let margins = Caps {
            margins: true,
            ..rows
        };
        let (plain, plain_buf) = side_pane_frames(Caps::PLAIN, 1);
        let (whole, whole_buf) = side_pane_frames(rows, 1);
        let (within, within_buf) = side_pane_frames(margins, 1);
        // The same frame in the end, in fewer bytes each time: the whole-row
        // scroll repaints the side pane, the margin scroll leaves it.
        assert_eq!(plain_buf, whole_buf);
        assert_eq!(plain_buf, within_buf);
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        assert!(
            text(&within).starts_with("\x1b[1;6r\x1b[5;12s\x1b[1S\x1b[s\x1b[r"),
            "{}",
            text(&within)
        );
        assert!(!text(&within).contains("ab"), "{}", text(&within));
        assert!(text(&whole).contains("ab"), "{}", text(&whole));
        assert!(
            within.len() < whole.len() && whole.len() <= plain.len(),
            "{} {} {}",
            within.len(),
            whole.len(),
            plain.len()
        );
    }

    #[test]
    fn a_frame_without_change_writes_nothing() {
        let mut screen = Screen::new(Vec::new(), (10, 3), Caps::PLAIN);
        let draw = |c: &mut Canvas| {
            c.buf
                .set_string(0, 0, "abc", ratatui::style::Style::default());
            None
        };
        screen.draw(draw).unwrap();
        let first = std::mem::take(screen.writer());
        assert!(first.ends_with(b"\x1b[?25l"), "hides the cursor once");
        screen.draw(draw).unwrap();
        assert!(screen.writer().is_empty());
    }

    #[test]
    fn a_link_moved_under_the_same_glyphs_is_written_again() {
        let caps = Caps {
            links: true,
            ..Caps::PLAIN
        };
        let mut screen = Screen::new(Vec::new(), (10, 1), caps);
        let at = |x: u16| {
            move |c: &mut Canvas| {
                c.buf
                    .set_string(0, 0, "aaaaaaaaaa", ratatui::style::Style::default());
                c.links.mark(x, 0, 3, "https://example.org/x");
                None
            }
        };
        screen.draw(at(0)).unwrap();
        std::mem::take(screen.writer());
        screen.draw(at(4)).unwrap();
        let out = String::from_utf8(std::mem::take(screen.writer())).unwrap();
        // Cells 0..3 lose the link, 4..7 get it: same glyphs, new link.
        assert!(out.contains("\x1b]8;;https://example.org/x\x07"), "{out:?}");
        assert_eq!(screen.links().get(4, 0), Some("https://example.org/x"));
        assert_eq!(screen.links().get(0, 0), None);
        assert!(out.contains('a'), "{out:?}");
    }
}
