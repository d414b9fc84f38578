//! The terminal as qari writes to it: the last frame's cells (and the link
//! under each), the next frame drawn by a closure, and only the difference
//! written, through one buffered writer flushed once per frame.
//!
//! It replaces `ratatui::Terminal`, whose previous buffer is private: a
//! terminal scroll (see [`ScrollHint`]) must move the lines of that buffer
//! as the terminal moves them, and a hyperlink is not part of a ratatui
//! cell, so links that move under unchanged glyphs would never be written
//! again. The cells that changed are those ratatui's `Buffer::diff` finds
//! (a property test holds the two together), found here through the
//! scroll without copying the last frame, with widths from a table, and a
//! few rows at a time, so a diff that has grown longer than the scroll's
//! stops early. They are
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

    /// The kept area's links of `from` (a frame of the same size) into
    /// these.
    fn copy_rect(&mut self, from: &Links, k: &Kept) {
        let w = self.width as usize;
        if from.is_empty() || w == 0 {
            return;
        }
        for (y, src, cols) in k.rows(w, self.ids.len() / w) {
            for x in cols {
                if let Some(url) = from.at(src * w + x) {
                    let url = url.to_string();
                    // Already a checked target: `mark` keeps it as it is.
                    self.mark(x as u16, y as u16, 1, &url);
                }
            }
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
/// within those margins does, filling the cells left behind with `blank`:
/// the model [`Shown`] looks cells up by (the tests check one against the
/// other).
#[cfg(test)]
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

/// An area of the next frame whose cells are those of the area `from`
/// (its size and columns) in the last.
#[derive(Clone, Copy, Debug)]
struct Kept {
    to: Rect,
    from: Rect,
}

impl Kept {
    /// Per row of `to` (within `rows` rows and `width` columns): the row,
    /// the row of the last frame it comes from, and its columns.
    fn rows(
        &self,
        width: usize,
        rows: usize,
    ) -> impl Iterator<Item = (usize, usize, Range<usize>)> {
        let x = self.to.x as usize;
        let cols = x.min(width)..(x + self.to.width as usize).min(width);
        let (to, from) = (self.to.y as usize, self.from.y as usize);
        (0..self.to.height as usize)
            .map(move |dy| (to + dy, from + dy, cols.clone()))
            .filter(move |(y, from, _)| *y < rows && *from < rows)
    }
}

/// The kept area's cells of `from` into `to` (buffers of one size).
fn copy_rect(from: &Buffer, to: &mut Buffer, k: &Kept) {
    let (w, h) = (to.area.width as usize, to.area.height as usize);
    for (y, src, cols) in k.rows(w, h) {
        let span = |row: usize| row * w + cols.start..row * w + cols.end;
        to.content[span(y)].clone_from_slice(&from.content[span(src)]);
    }
}

/// What a frame is drawn on: the cells and the links under them.
pub struct Canvas<'a> {
    pub buf: &'a mut Buffer,
    pub links: &'a mut Links,
    /// The last frame's stamps, when the terminal shows that frame.
    last: Option<&'a [Stamp]>,
    /// This frame's stamps.
    stamps: &'a mut Vec<Stamp>,
}

/// A rectangle of the frame and what its picture depends on (see
/// [`Canvas::unchanged`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub area: Rect,
    pub stamp: u64,
}

impl Canvas<'_> {
    /// The cells, the links and [`Canvas::unchanged`], borrowed apart.
    pub fn split(&mut self) -> (&mut Buffer, &mut Links, impl FnMut(Rect, u64) -> bool + '_) {
        let (last, stamps, area) = (self.last, &mut *self.stamps, self.buf.area);
        let unchanged = move |r: Rect, stamp: u64| unchanged(last, stamps, area, r, stamp);
        (&mut *self.buf, &mut *self.links, unchanged)
    }

    /// Whether `area` would be drawn as the last frame drew it or an area
    /// of its size and columns: the same stamp, and the terminal shows
    /// that frame. If so its cells (and links) are taken from the last
    /// frame as they are (from the same area if it had the stamp, else
    /// from where it was: rows a scroll moved), and the diff does not
    /// compare them where the terminal shows them already: the caller
    /// draws nothing there. Either way the stamp is kept for the next
    /// frame. The caller must draw nothing else over `area` in this frame.
    pub fn unchanged(&mut self, area: Rect, stamp: u64) -> bool {
        unchanged(self.last, self.stamps, self.buf.area, area, stamp)
    }
}

fn unchanged(
    last: Option<&[Stamp]>,
    stamps: &mut Vec<Stamp>,
    screen: Rect,
    area: Rect,
    stamp: u64,
) -> bool {
    let area = area.intersection(screen);
    let s = Stamp { area, stamp };
    stamps.push(s);
    !area.is_empty() && last.is_some_and(|last| kept_from(last, &s).is_some())
}

/// Where the last frame had `s`'s stamp on an area of its size and
/// columns: `s`'s own area first.
fn kept_from(last: &[Stamp], s: &Stamp) -> Option<Rect> {
    let fits = |l: &&Stamp| {
        l.stamp == s.stamp
            && (l.area.x, l.area.width, l.area.height) == (s.area.x, s.area.width, s.area.height)
    };
    match last.iter().find(|l| l == &s) {
        Some(l) => Some(l.area),
        None => last.iter().find(fits).map(|l| l.area),
    }
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
    widths: Widths,
    /// The stamps of the last frame (see [`Canvas::unchanged`]), and of
    /// the one being drawn.
    stamps: Vec<Stamp>,
    next_stamps: Vec<Stamp>,
    /// The terminal shows the last frame drawn: `prev` holds what a
    /// stamp stood for (false before the first frame and after a clear).
    drawn: bool,
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
            widths: Widths::default(),
            stamps: Vec::new(),
            next_stamps: Vec::new(),
            drawn: false,
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
        self.next_stamps.clear();
        let retained = self.drawn && !self.clear;
        let hint = f(&mut Canvas {
            buf: &mut self.next,
            links: &mut self.next_links,
            last: retained.then_some(self.stamps.as_slice()),
            stamps: &mut self.next_stamps,
        });
        // The areas kept from the last frame: their cells as they were.
        let kept: Vec<Kept> = match retained {
            true => self
                .next_stamps
                .iter()
                .filter(|s| !s.area.is_empty())
                .filter_map(|s| {
                    let from = kept_from(&self.stamps, s)?;
                    Some(Kept { to: s.area, from })
                })
                .collect(),
            false => Vec::new(),
        };
        for k in &kept {
            copy_rect(&self.prev, &mut self.next, k);
            self.next_links.copy_rect(&self.prev_links, k);
        }
        let mut frame = Vec::with_capacity(4096);
        if self.clear {
            // What Terminal::clear writes; the terminal is then all blank
            // default cells, as an empty buffer is.
            queue!(frame, terminal::Clear(terminal::ClearType::All))?;
            self.prev.reset();
            self.prev_links.reset();
        }
        let mut scroll_by = 0;
        let shown = Shown {
            buf: &self.prev,
            links: &self.prev_links,
            scroll: None,
            cols: 0..self.prev.area.width as usize,
            kept: &kept,
        };
        match hint.filter(|h| !self.clear && self.caps.scroll && self.scrollable(h)) {
            Some(h) => {
                let cols = scroll_columns(&self.prev, self.caps, &mut self.widths, &h);
                let moved = Shown {
                    scroll: Some(&h),
                    cols: cols.start as usize..cols.end as usize,
                    ..shown.clone()
                };
                let mut with_scroll = scroll_sequence(&h, &cols, self.prev.area.width);
                let mut enc = Encoder::new(&moved, &self.next, &self.next_links, &mut self.widths);
                enc.write(&mut with_scroll, usize::MAX);
                // A whole-row scroll moves side panes too: it is used only
                // when repainting what it disturbed still writes less. The
                // plain diff is written only as far as that length.
                let mut plain = Vec::new();
                let plain_fits = !self.force_scroll && {
                    let mut enc =
                        Encoder::new(&shown, &self.next, &self.next_links, &mut self.widths);
                    enc.write(&mut plain, with_scroll.len())
                };
                if plain_fits {
                    frame.extend(plain);
                } else {
                    frame.extend(with_scroll);
                    scroll_by = h.by;
                }
            }
            None => {
                let mut enc = Encoder::new(&shown, &self.next, &self.next_links, &mut self.widths);
                enc.write(&mut frame, usize::MAX);
            }
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
        std::mem::swap(&mut self.stamps, &mut self.next_stamps);
        self.drawn = true;
        Ok(())
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

/// The columns a scroll moves: the hint's (the reading pane's text) where
/// the terminal keeps scrolls within left/right margins, else whole rows.
/// Whole rows too where a wide glyph on the terminal straddles a margin,
/// which a terminal may split or erase.
fn scroll_columns(prev: &Buffer, caps: Caps, widths: &mut Widths, h: &ScrollHint) -> Range<u16> {
    let width = prev.area.width;
    let whole = 0..width;
    // DECSLRM needs two columns at least.
    if !caps.margins || h.cols.end > width || h.cols.start + 2 > h.cols.end || h.cols == whole {
        return whole;
    }
    let mut wide = |x: u16, y: u16| widths.cell(&prev[(x, y)]) > 1;
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

/// What the terminal shows before a frame is written: the last frame's
/// cells and links, moved as the terminal moved them when it scrolled
/// (looked up through the scroll, not copied).
#[derive(Clone)]
struct Shown<'a> {
    buf: &'a Buffer,
    links: &'a Links,
    scroll: Option<&'a ScrollHint>,
    /// The columns the scroll moved (all of them for a whole-row scroll,
    /// the reading pane's between left/right margins); the cells outside
    /// stay where they were.
    cols: Range<usize>,
    /// Areas whose cells in the next frame are the last frame's (see
    /// [`Canvas::unchanged`]): where the terminal shows them there
    /// already, they are the same and are not compared.
    kept: &'a [Kept],
}

/// Where a row of the screen shows from: a row of the last frame, or the
/// blank line a scroll brought in.
#[derive(Clone, Copy)]
enum Source {
    Row(usize),
    Blank,
}

impl Shown<'_> {
    /// Row `y`'s source, as [`shift_rect`] would move it.
    fn source(&self, y: usize) -> Source {
        match self.scroll {
            Some(h) if (h.rows.start as usize..h.rows.end as usize).contains(&y) => {
                let from = y as i64 + h.by as i64;
                if (h.rows.start as i64..h.rows.end as i64).contains(&from) {
                    Source::Row(from as usize)
                } else {
                    Source::Blank
                }
            }
            _ => Source::Row(y),
        }
    }
}

/// The empty cell a scroll leaves behind.
static BLANK: Cell = Cell::EMPTY;

/// The rows a scroll brought in are blank default cells on the terminal. A
/// blank of the next frame that only differs from them in its foreground
/// colour looks the same, so it is taken as already there: the text's
/// colour on the leading spaces of a right-aligned line is not written.
fn blank_like(c: &Cell) -> bool {
    let visible = Modifier::REVERSED
        | Modifier::UNDERLINED
        | Modifier::CROSSED_OUT
        | Modifier::SLOW_BLINK
        | Modifier::RAPID_BLINK;
    c.symbol() == " " && c.bg == Color::Reset && !c.modifier.intersects(visible)
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

/// Widths of cell symbols. A frame's cells are mostly single characters of
/// a few scripts: their widths are looked up once per character in a table
/// instead of through unicode-width's on every cell of every frame.
#[derive(Default)]
struct Widths {
    /// Per character of the Basic Multilingual Plane: 0 not known yet,
    /// else its `unicode-width` width + 1.
    bmp: Vec<u8>,
}

impl Widths {
    /// `unicode_width` of a one-character symbol below U+10000, else `None`.
    fn single(&mut self, s: &str) -> Option<usize> {
        // One character of one to three bytes, decoded from its bytes
        // (`s` is UTF-8): the lead byte says how long the character is.
        let c = match *s.as_bytes() {
            [a] => a as u32,
            [a, b] if a >= 0xC0 => (a as u32 & 0x1F) << 6 | (b as u32 & 0x3F),
            [a, b, c] if a >= 0xE0 => {
                (a as u32 & 0x0F) << 12 | (b as u32 & 0x3F) << 6 | (c as u32 & 0x3F)
            }
            _ => return None,
        };
        if self.bmp.is_empty() {
            self.bmp = vec![0; 0x10000];
        }
        let slot = &mut self.bmp[c as usize];
        if *slot == 0 {
            *slot = unicode_width::UnicodeWidthStr::width(s).min(254) as u8 + 1;
        }
        Some(*slot as usize - 1)
    }

    /// The symbol's width as `unicode-width` measures it (what the
    /// terminal's cursor is expected to move).
    fn text(&mut self, s: &str) -> usize {
        match self.single(s) {
            Some(w) => w,
            None => unicode_width::UnicodeWidthStr::width(s),
        }
    }

    /// The cell's width as ratatui's diff measures it
    /// ([`ratatui::buffer::CellWidth`]): a one-byte symbol is one cell,
    /// halfwidth sound marks one each.
    fn cell(&mut self, c: &Cell) -> usize {
        use ratatui::buffer::{CellDiffOption, CellWidth};
        if let CellDiffOption::ForcedWidth(w) = c.diff_option {
            return w.get() as usize;
        }
        let s = c.symbol();
        if s.len() == 1 {
            return 1;
        }
        match self.single(s) {
            Some(w) => w + matches!(s, "\u{FF9E}" | "\u{FF9F}") as usize,
            None => s.cell_width() as usize,
        }
    }
}

/// Whether ratatui's diff leaves the cell out.
#[allow(deprecated)]
fn is_skip(c: &Cell) -> bool {
    use ratatui::buffer::CellDiffOption;
    matches!(c.diff_option, CellDiffOption::Skip)
        || (c.skip && matches!(c.diff_option, CellDiffOption::None))
}

/// Modifiers that show on a blank cell (ratatui's diff's list).
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

/// The bytes that turn what the terminal shows into the next frame, found
/// and written a few rows at a time: a write given a limit stops finding
/// changes once it is over it.
struct Encoder<'a> {
    shown: &'a Shown<'a>,
    next: &'a Buffer,
    next_links: &'a Links,
    widths: &'a mut Widths,
    /// Per row of the screen, where it shows from.
    sources: Vec<Source>,
    width: usize,
    /// Cells compared: the rows of both frames.
    len: usize,
    /// Where the diff goes on (past the cells a wide glyph covers).
    pos: usize,
    /// Cells still covered by a wide glyph in the scan for new links.
    covered: usize,
    /// Runs of cells (indexes, in screen order) kept from the last frame
    /// where the terminal still shows them: the same, not compared.
    same: Vec<Range<usize>>,
    /// The first run of `same` not yet passed by the diff.
    next_same: usize,
}

impl<'a> Encoder<'a> {
    fn new(
        shown: &'a Shown<'a>,
        next: &'a Buffer,
        next_links: &'a Links,
        widths: &'a mut Widths,
    ) -> Encoder<'a> {
        let rows = next.area.height.min(shown.buf.area.height) as usize;
        let width = next.area.width as usize;
        let sources: Vec<Source> = (0..rows).map(|y| shown.source(y)).collect();
        let mut same = Vec::new();
        for k in shown.kept {
            for (y, from, cols) in k.rows(width, rows) {
                // Row y shows row `from` of the last frame in the columns
                // the scroll moved, and row y itself beside them.
                let beside = cols.end <= shown.cols.start || shown.cols.end <= cols.start;
                let within = shown.cols.start <= cols.start && cols.end <= shown.cols.end;
                let moved_from = match sources[y] {
                    Source::Row(r) => r,
                    Source::Blank => usize::MAX,
                };
                let there = if from == y {
                    beside || moved_from == y
                } else {
                    within && moved_from == from
                };
                if there && !cols.is_empty() {
                    same.push(y * width + cols.start..y * width + cols.end);
                }
            }
        }
        same.sort_by_key(|r| r.start);
        Encoder {
            shown,
            next,
            next_links,
            widths,
            sources,
            width,
            len: rows * width,
            pos: 0,
            covered: 0,
            same,
            next_same: 0,
        }
    }

    /// Whether cell `i` is in a run of `same`.
    fn is_same(&self, i: usize) -> bool {
        let k = self.same.partition_point(|r| r.end <= i);
        self.same.get(k).is_some_and(|r| r.start <= i)
    }

    /// Row `y`'s source at index `i`: outside the scroll's columns, the
    /// row itself.
    fn source_at(&self, source: Source, y: usize, i: usize) -> Source {
        if self.shown.cols.contains(&(i - y * self.width)) {
            source
        } else {
            Source::Row(y)
        }
    }

    /// The cell the terminal shows at index `i` of row `y`'s `source`.
    fn shown_in(&self, source: Source, y: usize, i: usize) -> &'a Cell {
        match self.source_at(source, y, i) {
            Source::Row(r) => &self.shown.buf.content[r * self.width + i - y * self.width],
            Source::Blank if blank_like(&self.next.content[i]) => &self.next.content[i],
            Source::Blank => &BLANK,
        }
    }

    /// The cell the terminal shows at index `i`.
    fn before(&self, i: usize) -> &'a Cell {
        let y = i / self.width;
        self.shown_in(self.sources[y], y, i)
    }

    /// The address linked at index `i` on the terminal.
    fn before_link(&self, i: usize) -> Option<&'a str> {
        let (y, x) = (i / self.width, i % self.width);
        match self.source_at(self.sources[y], y, i) {
            Source::Row(r) => self.shown.links.at(r * self.width + x),
            Source::Blank => None,
        }
    }

    /// Every change, as [`Encoder::diff_rows`] finds them.
    #[cfg(test)]
    fn diff(&mut self) -> Vec<usize> {
        let mut updates = Vec::new();
        while self.pos < self.len {
            self.diff_rows(&mut updates);
        }
        updates
    }

    /// The cells that changed from the next row on, in screen order,
    /// exactly as ratatui's `Buffer::diff` finds them (wide glyphs, their
    /// trailing cells, skipped cells), with rows taken through the scroll
    /// and widths from the table. Stops at the first row end it reaches
    /// (a wide glyph may carry it into the next row).
    fn diff_rows(&mut self, updates: &mut Vec<usize>) {
        use ratatui::buffer::CellDiffOption;
        let next = &self.next.content;
        let (w, len) = (self.width, self.len);
        let mut pos = self.pos;
        let mut same_at = self
            .same
            .get(self.next_same)
            .map_or(usize::MAX, |r| r.start);
        while pos < len {
            let y = pos / w;
            let source = self.sources[y];
            let end = ((y + 1) * w).min(len);
            while pos < end {
                if pos >= same_at {
                    let run = &self.same[self.next_same];
                    pos = pos.max(run.end);
                    self.next_same += 1;
                    same_at = self
                        .same
                        .get(self.next_same)
                        .map_or(usize::MAX, |r| r.start);
                    continue;
                }
                let i = pos;
                pos += 1;
                let current = &next[i];
                let previous = self.shown_in(source, y, i);
                match current.diff_option {
                    CellDiffOption::Skip => {}
                    _ if is_skip(current) => {}
                    CellDiffOption::ForcedWidth(fw) => {
                        pos = pos.saturating_add(fw.get().saturating_sub(1) as usize);
                        if current != previous {
                            updates.push(i);
                        }
                    }
                    CellDiffOption::None | CellDiffOption::AlwaysUpdate => {
                        let none = matches!(current.diff_option, CellDiffOption::None);
                        if none && current == previous {
                            pos += self.widths.cell(current).saturating_sub(1);
                            continue;
                        }
                        let cell_width = self.widths.cell(current);
                        let previous_width = self.widths.cell(previous);
                        // (ratatui's reasons: some terminals leave the
                        // trailing cell of a VS16 emoji, or a wide glyph's
                        // visible style, behind.)
                        let trailing = if cell_width > 1 && current.symbol().contains('\u{FE0F}') {
                            Some((i + cell_width, false))
                        } else if cell_width > 1 {
                            pos += cell_width - 1;
                            None
                        } else if previous_width > cell_width
                            && (previous.bg != Color::Reset
                                || previous.modifier.intersects(VISIBLE_ON_BLANK))
                        {
                            Some((i + previous_width, true))
                        } else {
                            None
                        };
                        updates.push(i);
                        if let Some((end, force)) = trailing {
                            let mut end = end.min(len);
                            let mut j = i + 1;
                            while j < end {
                                let cell = &next[j];
                                let k = j;
                                j += self.widths.cell(cell).max(1);
                                end = end.max(j).min(len);
                                if !is_skip(cell)
                                    && (force || self.before(k).symbol() != cell.symbol())
                                {
                                    updates.push(k);
                                }
                            }
                            pos = end.max(pos);
                        }
                    }
                }
            }
            if pos.is_multiple_of(w) {
                break;
            }
        }
        self.pos = pos.min(len);
    }

    /// `updates` (the diff of the cells `range`) plus the cells there
    /// whose glyph is unchanged but whose link is not, in screen order,
    /// skipping the cells a wide glyph covers.
    fn with_relinked(&mut self, range: std::ops::Range<usize>, updates: &[usize]) -> Vec<usize> {
        let next = &self.next.content;
        let mut relinked = Vec::new();
        for i in range {
            if self.covered > 0 {
                self.covered -= 1;
                continue;
            }
            self.covered = self.widths.text(next[i].symbol()).saturating_sub(1);
            if !self.is_same(i) && self.before_link(i) != self.next_links.at(i) {
                relinked.push(i);
            }
        }
        let mut all = Vec::with_capacity(updates.len() + relinked.len());
        let mut extra = relinked.into_iter().peekable();
        for &i in updates {
            while let Some(j) = extra.next_if(|j| *j <= i) {
                if j < i {
                    all.push(j);
                }
            }
            all.push(i);
        }
        all.extend(extra);
        all
    }

    /// Rewrite a short run of unchanged cells between two changed ones on
    /// a row when that is shorter than moving the cursor over it (a word
    /// space costs one byte, a cursor move eight): only cells of one width
    /// in the style and link of the cell before them, so no colour or link
    /// changes.
    fn fill_gaps(&mut self, updates: &[usize], out: &mut Vec<usize>) {
        let w = self.width;
        let next = &self.next.content;
        let links = self.next_links;
        for &i in updates {
            if let Some(&p) = out.last() {
                let (y, x) = (i / w, i % w);
                let (py, px) = (p / w, p % w);
                let end = px + 1;
                let pc = &next[p];
                if py == y && x > end && self.widths.text(pc.symbol()) == 1 {
                    let row = y * w;
                    let gap = row + end..row + x;
                    let move_len = move_to_len(x as u16, y as u16);
                    let link = links.at(p);
                    let fits = next[gap.clone()]
                        .iter()
                        .map(|g| g.symbol().len())
                        .sum::<usize>()
                        <= move_len
                        && gap.clone().all(|j| {
                            let g = &next[j];
                            self.widths.text(g.symbol()) == 1
                                && g.fg == pc.fg
                                && g.bg == pc.bg
                                && g.modifier == pc.modifier
                                && g.underline_color == pc.underline_color
                                && links.at(j) == link
                        });
                    if fits {
                        out.extend(gap);
                    }
                }
            }
            out.push(i);
        }
    }

    /// Append the bytes to `out`. Stops, returning false, as soon as `out`
    /// holds more than `limit` bytes.
    fn write(&mut self, out: &mut Vec<u8>, limit: usize) -> bool {
        let next_links = self.next_links;
        let linked = !(self.shown.links.is_empty() && next_links.is_empty());
        let w = self.width;
        let mut pen = Pen::default();
        let mut link = None;
        let mut last: Option<usize> = None;
        let (mut changed, mut cells) = (Vec::new(), Vec::new());
        while self.pos < self.len {
            let start = self.pos;
            changed.clear();
            self.diff_rows(&mut changed);
            if linked {
                changed = self.with_relinked(start..self.pos, &changed);
            }
            // Gaps are filled within a row: rows are written one by one.
            cells.clear();
            self.fill_gaps(&changed, &mut cells);
            for &i in &cells {
                let (x, y) = ((i % w) as u16, (i / w) as u16);
                let cell = &self.next.content[i];
                let l = next_links.at(i);
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
                // As ratatui does: a move unless this cell follows the last
                // one on its row.
                if !matches!(last, Some(j) if i == j + 1 && j % w + 1 < w) {
                    move_to(out, x, y);
                }
                last = Some(i);
                pen.set(out, cell);
                out.extend_from_slice(cell.symbol().as_bytes());
            }
            if out.len() > limit {
                return false;
            }
        }
        if link.is_some() {
            out.extend_from_slice(OSC8_END);
        }
        if pen != Pen::default() {
            out.extend_from_slice(b"\x1b[0m");
        }
        out.len() <= limit
    }
}

/// Decimal digits of `n`, appended.
fn push_num(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    let mut n = n;
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}

fn digits(n: u32) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

/// `cursor::MoveTo(x, y)` as crossterm writes it.
fn move_to(out: &mut Vec<u8>, x: u16, y: u16) {
    out.extend_from_slice(b"\x1b[");
    push_num(out, y as u32 + 1);
    out.push(b';');
    push_num(out, x as u32 + 1);
    out.push(b'H');
}

/// The bytes of [`move_to`].
fn move_to_len(x: u16, y: u16) -> usize {
    4 + digits(y as u32 + 1) + digits(x as u32 + 1)
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

/// SGR parameters being written: each after a `;` but the first.
struct Params<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Params<'_> {
    fn sep(&mut self) {
        if !self.first {
            self.out.push(b';');
        }
        self.first = false;
    }

    fn push(&mut self, p: &str) {
        self.sep();
        self.out.extend_from_slice(p.as_bytes());
    }

    /// A colour for `base` (38 foreground, 48 background, 58 underline),
    /// as crossterm writes it: named colours by their palette index, so
    /// they look the same as before.
    fn color(&mut self, c: Color, base: u8) {
        self.sep();
        let out = &mut *self.out;
        let named = |out: &mut Vec<u8>, i: u8| {
            push_num(out, base as u32);
            out.extend_from_slice(b";5;");
            push_num(out, i as u32);
        };
        match c {
            Color::Reset => push_num(out, base as u32 + 1),
            Color::Black => named(out, 0),
            Color::Red => named(out, 1),
            Color::Green => named(out, 2),
            Color::Yellow => named(out, 3),
            Color::Blue => named(out, 4),
            Color::Magenta => named(out, 5),
            Color::Cyan => named(out, 6),
            Color::Gray => named(out, 7),
            Color::DarkGray => named(out, 8),
            Color::LightRed => named(out, 9),
            Color::LightGreen => named(out, 10),
            Color::LightYellow => named(out, 11),
            Color::LightBlue => named(out, 12),
            Color::LightMagenta => named(out, 13),
            Color::LightCyan => named(out, 14),
            Color::White => named(out, 15),
            Color::Indexed(i) => named(out, i),
            Color::Rgb(r, g, b) => {
                push_num(out, base as u32);
                out.extend_from_slice(b";2;");
                push_num(out, r as u32);
                out.push(b';');
                push_num(out, g as u32);
                out.push(b';');
                push_num(out, b as u32);
            }
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
        out.extend_from_slice(b"\x1b[");
        let mut params = Params { out, first: true };
        let (from_m, to_m) = (self.modifier, to.modifier);
        let removed = from_m - to_m;
        let added = to_m - from_m;
        let intensity = Modifier::BOLD | Modifier::DIM;
        // SGR 22 ends bold and dim together: the one kept is set again.
        if removed.intersects(intensity) {
            params.push("22");
            for (m, p) in [(Modifier::BOLD, "1"), (Modifier::DIM, "2")] {
                if to_m.contains(m) {
                    params.push(p);
                }
            }
        } else {
            for (m, p) in [(Modifier::BOLD, "1"), (Modifier::DIM, "2")] {
                if added.contains(m) {
                    params.push(p);
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
                params.push(off);
            }
        }
        let blink = Modifier::SLOW_BLINK | Modifier::RAPID_BLINK;
        if removed.intersects(blink) {
            params.push("25");
        }
        for (m, on) in [
            (Modifier::ITALIC, "3"),
            (Modifier::UNDERLINED, "4"),
            (Modifier::REVERSED, "7"),
            (Modifier::HIDDEN, "8"),
            (Modifier::CROSSED_OUT, "9"),
        ] {
            if added.contains(m) {
                params.push(on);
            }
        }
        // After SGR 25 both blinks are off: set again the one kept.
        for (m, on) in [(Modifier::SLOW_BLINK, "5"), (Modifier::RAPID_BLINK, "6")] {
            if to_m.contains(m) && (added.contains(m) || removed.intersects(blink)) {
                params.push(on);
            }
        }
        for (from, to, base) in [
            (self.fg, to.fg, 38),
            (self.bg, to.bg, 48),
            (self.underline, to.underline, 58),
        ] {
            if from != to {
                params.color(to, base);
            }
        }
        out.push(b'm');
        *self = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    /// Symbols of every kind the diff treats apart: narrow, Arabic,
    /// wide, an emoji with VS16, a halfwidth sound mark, a combining
    /// sequence, a zero-width one.
    const SYMBOLS: &[&str] = &[
        " ",
        "a",
        "ب",
        "\u{FEB3}",
        "中",
        "\u{2764}\u{FE0F}",
        "\u{FF9E}",
        "e\u{301}",
        "",
    ];

    fn styled(cell: &mut Cell, k: u8) {
        let colors = [Color::Reset, Color::Indexed(3), Color::Rgb(1, 200, 3)];
        cell.fg = colors[(k % 3) as usize];
        cell.bg = colors[(k / 3 % 3) as usize];
        cell.modifier = [
            Modifier::empty(),
            Modifier::BOLD,
            Modifier::REVERSED,
            Modifier::UNDERLINED,
        ][(k / 9 % 4) as usize];
    }

    /// A buffer of `w`×`h` from (symbol, style, option) per cell; the last
    /// cell of each row narrow (ratatui's diff indexes past the end after a
    /// wide last cell, and a scroll may bring any row last).
    fn buffer(w: u16, h: u16, cells: &[(usize, u8, u8)]) -> Buffer {
        use ratatui::buffer::CellDiffOption;
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        let w = w as usize;
        for (i, c) in buf.content.iter_mut().enumerate() {
            let (sym, st, mut opt) = cells[i % cells.len()];
            let last = (i + 1).is_multiple_of(w);
            if last {
                opt = 9;
            }
            c.set_symbol(if last {
                "a"
            } else {
                SYMBOLS[sym % SYMBOLS.len()]
            });
            styled(c, st);
            c.diff_option = match opt {
                0 => CellDiffOption::Skip,
                1 => CellDiffOption::AlwaysUpdate,
                2 => CellDiffOption::ForcedWidth(std::num::NonZeroU16::new(2).unwrap()),
                _ => CellDiffOption::None,
            };
        }
        buf
    }

    fn cells(n: usize) -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
        prop::collection::vec((0..SYMBOLS.len(), 0u8..36, 0u8..40), n)
    }

    /// The next frame: `prev` with some cells replaced.
    fn changed(prev: &Buffer, edits: &[(usize, usize, u8)]) -> Buffer {
        let mut next = prev.clone();
        let n = next.content.len();
        let w = next.area.width as usize;
        for &(i, sym, st) in edits {
            let i = i % n;
            let c = &mut next.content[i];
            let last = (i + 1).is_multiple_of(w);
            c.set_symbol(if last {
                "b"
            } else {
                SYMBOLS[sym % SYMBOLS.len()]
            });
            styled(c, st);
        }
        next
    }

    fn indices(buf: &Buffer, updates: Vec<(u16, u16, &Cell)>) -> Vec<usize> {
        let w = buf.area.width as usize;
        updates
            .into_iter()
            .map(|(x, y, _)| y as usize * w + x as usize)
            .collect()
    }

    fn our_diff(shown: &Shown, next: &Buffer) -> Vec<usize> {
        let mut widths = Widths::default();
        Encoder::new(shown, next, &Links::default(), &mut widths).diff()
    }

    /// The last frame moved as a scroll within columns `cols` moves it,
    /// copied (as the screen once did): cells shifted, the cells brought
    /// in blank, the blanks of the next frame that look the same taken as
    /// there.
    fn scrolled_copy(
        prev: &Buffer,
        links: &Links,
        next: &Buffer,
        h: &ScrollHint,
        cols: &Range<u16>,
    ) -> (Buffer, Links) {
        let mut moved = prev.clone();
        let mut moved_links = links.clone();
        let w = moved.area.width as usize;
        shift_rect(&mut moved.content, w, &h.rows, cols, h.by, Cell::default);
        shift_rect(&mut moved_links.ids, w, &h.rows, cols, h.by, || 0);
        for y in h.rows.clone() {
            let from = y as i32 + h.by;
            if !(h.rows.start as i32..h.rows.end as i32).contains(&from) {
                let row = y as usize * w;
                for i in row + cols.start as usize..row + cols.end as usize {
                    if blank_like(&next.content[i]) {
                        moved.content[i] = next.content[i].clone();
                    }
                }
            }
        }
        (moved, moved_links)
    }

    proptest! {
        #[test]
        fn the_diff_is_ratatuis(
            w in 1u16..9,
            h in 1u16..5,
            prev in cells(40),
            other in cells(40),
            edits in prop::collection::vec((0usize..64, 0..SYMBOLS.len(), 0u8..36), 0..12),
        ) {
            let prev = buffer(w, h, &prev);
            let next = changed(&prev, &edits);
            let links = Links::default();
            let shown = Shown { buf: &prev, links: &links, scroll: None, cols: 0..w as usize, kept: &[] };
            prop_assert_eq!(our_diff(&shown, &next), indices(&next, prev.diff(&next)));
            // Unrelated frames too.
            let other = buffer(w, h, &other);
            let shown = Shown { buf: &other, ..shown.clone() };
            prop_assert_eq!(our_diff(&shown, &next), indices(&next, other.diff(&next)));
        }

        #[test]
        fn a_scroll_is_looked_through_as_the_copy_was_made(
            w in 1u16..7,
            h in 2u16..7,
            prev in cells(30),
            edits in prop::collection::vec((0usize..64, 0..SYMBOLS.len(), 0u8..36), 0..12),
            top in 0u16..6,
            len in 2u16..7,
            by in 1i32..6,
            up in any::<bool>(),
            linked in prop::collection::vec(0u16..64, 0..4),
            margins in any::<bool>(),
            left in 0u16..7,
            right in 0u16..7,
        ) {
            let prev = buffer(w, h, &prev);
            let next = changed(&prev, &edits);
            let top = top.min(h - 2);
            let rows = top..(top + len).min(h);
            let by = by.min((rows.end - rows.start) as i32 - 1).max(1) * if up { 1 } else { -1 };
            // Whole rows, or the columns between two margins.
            let cols = if margins {
                let (a, b) = (left.min(w - 1), right.min(w - 1));
                a.min(b)..a.max(b) + 1
            } else {
                0..w
            };
            let hint = ScrollHint { rows, by, cols: cols.clone() };
            let area = prev.area;
            let (mut prev_links, mut next_links) = (Links::new(area, true), Links::new(area, true));
            for (k, &at) in linked.iter().enumerate() {
                let (x, y) = (at % w, at / w % h);
                let url = ["https://a.example/", "https://b.example/"][k % 2];
                prev_links.mark(x, y, 2, url);
                next_links.mark((x + 1) % w, y, 2, url);
            }
            let (moved, moved_links) = scrolled_copy(&prev, &prev_links, &next, &hint, &cols);
            let all = 0..w as usize;
            let through = Shown {
                buf: &prev,
                links: &prev_links,
                scroll: Some(&hint),
                cols: cols.start as usize..cols.end as usize,
                kept: &[],
            };
            let copy = Shown { buf: &moved, links: &moved_links, scroll: None, cols: all, kept: &[] };
            prop_assert_eq!(our_diff(&through, &next), indices(&next, moved.diff(&next)));
            let bytes = |shown: &Shown| {
                let mut widths = Widths::default();
                let mut out = Vec::new();
                Encoder::new(shown, &next, &next_links, &mut widths).write(&mut out, usize::MAX);
                out
            };
            prop_assert_eq!(bytes(&through), bytes(&copy));
        }

        #[test]
        fn a_write_given_a_limit_stops_only_past_it(
            w in 1u16..9,
            h in 1u16..6,
            prev in cells(40),
            edits in prop::collection::vec((0usize..64, 0..SYMBOLS.len(), 0u8..36), 0..20),
            limit in 0usize..200,
        ) {
            let prev = buffer(w, h, &prev);
            let next = changed(&prev, &edits);
            let links = Links::default();
            let shown = Shown { buf: &prev, links: &links, scroll: None, cols: 0..w as usize, kept: &[] };
            let write = |limit| {
                let mut widths = Widths::default();
                let mut out = Vec::new();
                let fits = Encoder::new(&shown, &next, &links, &mut widths).write(&mut out, limit);
                (fits, out)
            };
            let (all_fits, all) = write(usize::MAX);
            prop_assert!(all_fits);
            let (fits, out) = write(limit);
            prop_assert_eq!(fits, all.len() <= limit);
            if fits {
                prop_assert_eq!(out, all);
            }
        }

        #[test]
        fn widths_are_ratatuis_and_unicode_widths(
            sym in 0..SYMBOLS.len(),
            // (Cells never hold controls: ratatui asserts so.)
            c in any::<char>().prop_filter("no control", |c| !c.is_control()),
        ) {
            use ratatui::buffer::CellWidth;
            let mut widths = Widths::default();
            let mut cell = Cell::default();
            for s in [SYMBOLS[sym].to_string(), c.to_string()] {
                cell.set_symbol(&s);
                prop_assert_eq!(widths.cell(&cell), s.as_str().cell_width() as usize, "{:?}", s);
                prop_assert_eq!(widths.text(&s), unicode_width::UnicodeWidthStr::width(s.as_str()));
                // From the table the second time.
                prop_assert_eq!(widths.cell(&cell), s.as_str().cell_width() as usize, "{:?}", s);
            }
        }
    }

    #[test]
    fn moves_and_colours_are_written_as_crossterm_writes_them() {
        for (x, y) in [
            (0, 0),
            (8, 9),
            (9, 10),
            (99, 29),
            (120, 999),
            (65534, 65534),
        ] {
            let mut ours = Vec::new();
            move_to(&mut ours, x, y);
            let mut theirs = Vec::new();
            queue!(theirs, cursor::MoveTo(x, y)).unwrap();
            assert_eq!(ours, theirs);
            assert_eq!(move_to_len(x, y), theirs.len());
        }
        let mut pen = Pen::default();
        let mut out = Vec::new();
        let mut cell = Cell::default();
        cell.fg = Color::Rgb(255, 0, 10);
        cell.bg = Color::LightCyan;
        cell.modifier = Modifier::BOLD | Modifier::SLOW_BLINK;
        pen.set(&mut out, &cell);
        cell.fg = Color::Indexed(200);
        cell.bg = Color::Reset;
        cell.modifier = Modifier::DIM;
        pen.set(&mut out, &cell);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[1;5;38;2;255;0;10;48;5;14m\x1b[22;2;25;38;5;200;49m"
        );
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
    fn widths_of_single_characters_are_unicode_widths() {
        let mut widths = Widths::default();
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            let s = c.to_string();
            let want = unicode_width::UnicodeWidthStr::width(s.as_str());
            assert_eq!(widths.single(&s), Some(want), "{c:?}");
        }
        for s in [
            "ab",
            "a\u{64B}",
            "\u{644}\u{627}",
            "\u{1F600}",
            "e\u{301}",
            "",
        ] {
            assert_eq!(widths.single(s), None, "{s:?}");
        }
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
