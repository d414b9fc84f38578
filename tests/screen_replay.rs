//! The bytes `ui::screen::Screen` writes, replayed in a terminal emulator
//! (`vt100`) frame after frame: after every frame the emulator's screen must
//! be the frame's buffer, cell for cell (glyph, colours, bold, italic,
//! underline, reverse), and the hyperlink under each cell the one drawn.
//! Covers plain diffs, terminal scrolls up and down with and without side
//! panes sharing the scrolled rows, scrolls between left/right margins,
//! resizes and full redraws.
//!
//! vt100 has no left/right margins (DECLRMM, DECSLRM): `Term` models them
//! itself. With margin mode on, `CSI l;r s` sets the margins and `CSI s`
//! resets them; a scroll (SU/SD) between margins moves only the cells
//! inside the margins and the scroll region, and leaves blank default cells
//! behind (what xterm does, checked by screenshot: scripts/margins-check.sh).

mod support;

use qari::keymap::Key;
use qari::reader::State;
use qari::theme::Theme;
use qari::ui::screen::{Caps, Screen};
use ratatui::style::{Color, Modifier};
use std::path::Path;
use unicode_width::UnicodeWidthChar;

const WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Sentences written for this test.
const SENTENCES: [&str; 5] = [
    "افتتحت البلدية حديقة جديدة على ضفة النهر، وزارها مئات السكان في يومها الأول.",
    "قال المهندس المسؤول إن المشروع استغرق عامين وإن الأشجار زرعت بأيدي متطوعين من الحي.",
    "وتضم الحديقة مكتبة صغيرة وملعباً للأطفال وممشى طوله ثلاثة كيلومترات.",
    "ويأمل القائمون على المشروع أن تصبح الحديقة مكاناً للقاء العائلات في المساء.",
    "وأكدت البلدية أن الدخول مجاني طوال العام، وأن الحديقة تفتح أبوابها من السادسة صباحاً.",
];

pub const PAGE_URL: &str = "https://example.org/news/park";
pub const TEXT_URL: &str = "https://example.org/guide/park?lang=ar";

/// A long article: paragraphs of one to five sentences, one with an
/// address in its text.
fn write_article(dir: &Path) {
    write_article_with(dir, PAGE_URL, TEXT_URL);
}

fn write_article_with(dir: &Path, page_url: &str, text_url: &str) {
    let mut text = format!(
        "---\ntitle: حديقة جديدة على ضفة النهر\ndate: 2026-03-01\nurl: {page_url}\n---\n\n"
    );
    for i in 0..40 {
        let n = i % 5 + 1;
        let body: Vec<&str> = (0..n).map(|k| SENTENCES[(i + k) % 5]).collect();
        text.push_str(&body.join(" "));
        if i == 3 {
            text.push_str(&format!(
                " التفاصيل في الدليل: {text_url} على موقع البلدية."
            ));
        }
        text.push_str(&format!(" ({i})\n\n"));
    }
    std::fs::write(dir.join("park.md"), text).unwrap();
}

fn new_state(lib: &Path, cache: &Path) -> State {
    support::reader_state(lib, cache)
}

/// An emulator with a hyperlink per cell: vt100 draws the glyphs; the
/// links are followed here from the OSC 8 sequences and the cursor, as a
/// terminal stores them (with the cell, moved by scrolls, wiped by a clear).
struct Term {
    parser: vt100::Parser,
    cols: usize,
    rows: usize,
    links: Vec<Option<String>>,
    current: Option<String>,
    region: (usize, usize),
    /// Left/right margin mode (DECLRMM) is on.
    lrmm: bool,
    /// The left and right margins (columns, end exclusive).
    margins: (usize, usize),
}

impl Term {
    fn new(cols: u16, rows: u16, lrmm: bool) -> Term {
        Term {
            parser: vt100::Parser::new(nonzero(rows), nonzero(cols), 0),
            cols: cols as usize,
            rows: rows as usize,
            links: vec![None; cols as usize * rows as usize],
            current: None,
            region: (0, rows as usize),
            lrmm,
            margins: (0, cols as usize),
        }
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        *self = Term::new(cols, rows, self.lrmm);
    }

    /// Whether a scroll now keeps within left/right margins.
    fn in_margins(&self) -> bool {
        self.margins != (0, self.cols)
    }

    /// A scroll of `n` rows (up when `up`) between the margins, done on the
    /// vt100 screen by writing each cell of the rectangle again, from the
    /// row it comes from, or blank.
    fn margin_scroll(&mut self, up: bool, n: usize) {
        let screen = self.parser.screen().clone();
        let ((t, b), (l, r)) = (self.region, self.margins);
        let mut out = Vec::new();
        for y in t..b {
            let from = if up {
                (y + n < b).then_some(y + n)
            } else {
                (y >= t + n).then(|| y - n)
            };
            out.extend(format!("\x1b[{};{}H\x1b[m", y + 1, l + 1).bytes());
            for x in l..r {
                let cell = from.and_then(|f| screen.cell(f as u16, x as u16));
                match cell {
                    Some(c) if c.is_wide_continuation() => {}
                    Some(c) if c.has_contents() => {
                        out.extend(sgr_of(c).bytes());
                        out.extend(c.contents().bytes());
                    }
                    Some(c) => {
                        out.extend(sgr_of(c).bytes());
                        out.push(b' ');
                    }
                    None => out.extend(b"\x1b[m "),
                }
            }
        }
        out.extend(b"\x1b[m");
        self.parser.process(&out);
    }

    fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == 0x1b {
                let end = sequence_end(bytes, i);
                let seq = &bytes[i..end];
                if self.sequence(seq) {
                    self.parser.process(seq);
                }
                i = end;
            } else if bytes[i] < 0x20 {
                self.parser.process(&bytes[i..i + 1]);
                i += 1;
            } else {
                let len = utf8_len(bytes[i]);
                let ch = std::str::from_utf8(&bytes[i..i + len])
                    .expect("the screen writes UTF-8")
                    .chars()
                    .next()
                    .unwrap();
                let (row, col) = self.parser.screen().cursor_position();
                self.parser.process(&bytes[i..i + len]);
                let w = ch.width().unwrap_or(0);
                for c in col as usize..(col as usize + w).min(self.cols) {
                    self.links[row as usize * self.cols + c] = self.current.clone();
                }
                i += len;
            }
        }
    }

    /// What a sequence does to the links and margins; false when it was
    /// carried out here (a scroll between margins), not by vt100.
    fn sequence(&mut self, seq: &[u8]) -> bool {
        if let Some(rest) = seq.strip_prefix(b"\x1b]8;") {
            let body = rest
                .strip_suffix(b"\x07")
                .or_else(|| rest.strip_suffix(b"\x1b\\"))
                .expect("OSC 8 ends with BEL or ST");
            let (_, uri) = body
                .iter()
                .position(|b| *b == b';')
                .map(|p| body.split_at(p + 1))
                .expect("OSC 8 has params;URI");
            assert!(
                uri.iter().all(|b| (0x21..0x7f).contains(b)),
                "an OSC 8 address must be printable ASCII: {uri:?}"
            );
            self.current = (!uri.is_empty()).then(|| String::from_utf8(uri.to_vec()).unwrap());
            return true;
        }
        let Some(csi) = seq.strip_prefix(b"\x1b[") else {
            return true;
        };
        let (&last, params) = csi.split_last().unwrap();
        let params = std::str::from_utf8(params).unwrap();
        let nums: Vec<usize> = params.split(';').filter_map(|p| p.parse().ok()).collect();
        match last {
            b'J' if params == "2" => self.links.fill(None),
            b'r' => {
                self.region = match nums.as_slice() {
                    [t, b] => (t - 1, *b),
                    _ => (0, self.rows),
                }
            }
            b's' if self.lrmm => {
                self.margins = match nums.as_slice() {
                    [l, r] => (l - 1, *r),
                    _ => (0, self.cols),
                }
            }
            b'S' | b'T' => {
                let n = nums.first().copied().unwrap_or(1);
                let ((t, b), (l, r)) = (self.region, self.margins);
                let up = last == b'S';
                // Row by row within the margins: the links of each cell.
                let n = n.min(b - t);
                let old = self.links.clone();
                for y in t..b {
                    let from = if up {
                        (y + n < b).then_some(y + n)
                    } else {
                        (y >= t + n).then(|| y - n)
                    };
                    for x in l..r {
                        self.links[y * self.cols + x] =
                            from.and_then(|f| old[f * self.cols + x].clone());
                    }
                }
                if self.in_margins() {
                    self.margin_scroll(up, n);
                    return false;
                }
            }
            _ => {}
        }
        true
    }

    fn link(&self, x: u16, y: u16) -> Option<&str> {
        self.links[y as usize * self.cols + x as usize].as_deref()
    }
}

/// The SGR sequence that writes with `c`'s attributes.
fn sgr_of(c: &vt100::Cell) -> String {
    let mut p = vec!["0".to_string()];
    for (on, code) in [
        (c.bold(), "1"),
        (c.dim(), "2"),
        (c.italic(), "3"),
        (c.underline(), "4"),
        (c.inverse(), "7"),
    ] {
        if on {
            p.push(code.into());
        }
    }
    for (color, base) in [(c.fgcolor(), 38), (c.bgcolor(), 48)] {
        match color {
            vt100::Color::Default => {}
            vt100::Color::Idx(i) => p.push(format!("{base};5;{i}")),
            vt100::Color::Rgb(r, g, b) => p.push(format!("{base};2;{r};{g};{b}")),
        }
    }
    format!("\x1b[{}m", p.join(";"))
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// Where the escape sequence starting at `i` ends (exclusive).
fn sequence_end(b: &[u8], i: usize) -> usize {
    match b.get(i + 1) {
        Some(b'[') => {
            let mut j = i + 2;
            while j < b.len() && !(0x40..=0x7e).contains(&b[j]) {
                j += 1;
            }
            j + 1
        }
        Some(b']') => {
            let mut j = i + 2;
            while j < b.len() {
                if b[j] == 0x07 {
                    return j + 1;
                }
                if b[j] == 0x1b && b.get(j + 1) == Some(&b'\\') {
                    return j + 2;
                }
                j += 1;
            }
            panic!("unterminated OSC")
        }
        _ => i + 2,
    }
}

fn vt_color(c: Color) -> vt100::Color {
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        named => {
            let order = [
                Color::Black,
                Color::Red,
                Color::Green,
                Color::Yellow,
                Color::Blue,
                Color::Magenta,
                Color::Cyan,
                Color::Gray,
                Color::DarkGray,
                Color::LightRed,
                Color::LightGreen,
                Color::LightYellow,
                Color::LightBlue,
                Color::LightMagenta,
                Color::LightCyan,
                Color::White,
            ];
            vt100::Color::Idx(order.iter().position(|o| *o == named).unwrap() as u8)
        }
    }
}

/// The emulator shows exactly the screen's last frame.
fn assert_same(term: &Term, screen: &Screen<Vec<u8>>, what: &str) {
    let buf = screen.buffer();
    let vt = term.parser.screen();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let v = vt.cell(y, x).unwrap();
            if v.is_wide_continuation() {
                continue;
            }
            let want = if cell.symbol() == " " {
                ""
            } else {
                cell.symbol()
            };
            let at = format!("{what}: cell ({x}, {y})");
            // A space written and a cell never written look the same.
            let got = if v.contents() == " " {
                ""
            } else {
                v.contents()
            };
            assert_eq!(got, want, "{at}: glyph");
            let m = cell.modifier;
            let blank = want.is_empty()
                && !m.intersects(Modifier::UNDERLINED | Modifier::REVERSED | Modifier::CROSSED_OUT);
            // A blank shows no foreground colour, weight or slant: the
            // screen may leave one that differs only in those.
            if !blank {
                assert_eq!(v.fgcolor(), vt_color(cell.fg), "{at} {want:?}: foreground");
                assert_eq!(v.bold(), m.contains(Modifier::BOLD), "{at}: bold");
                assert_eq!(v.italic(), m.contains(Modifier::ITALIC), "{at}: italic");
            }
            assert_eq!(v.bgcolor(), vt_color(cell.bg), "{at} {want:?}: background");
            assert_eq!(
                v.underline(),
                m.contains(Modifier::UNDERLINED),
                "{at}: underline"
            );
            assert_eq!(v.inverse(), m.contains(Modifier::REVERSED), "{at}: reverse");
            assert_eq!(
                term.link(x, y),
                screen.links().get(x, y),
                "{at} {want:?}: link"
            );
        }
    }
}

/// How many frames scrolled the terminal up and down.
#[derive(Debug, Default)]
struct Scrolls {
    up: usize,
    down: usize,
    frames: usize,
}

/// Run `keys` at `size`, replaying every frame; returns the scrolls used.
fn replay(size: (u16, u16), caps: Caps, force: bool, keys: &[&str]) -> Scrolls {
    replay_with(size, caps, force, keys, write_article, |_, _, _| {})
}

/// The same on the article `write` makes, `check` called after each frame
/// with the key, the screen and the bytes it wrote.
fn replay_with(
    size: (u16, u16),
    caps: Caps,
    force: bool,
    keys: &[&str],
    write: impl Fn(&Path),
    mut check: impl FnMut(&str, &Screen<Vec<u8>>, &[u8]),
) -> Scrolls {
    let lib = tempfile::tempdir().unwrap();
    write(lib.path());
    let cache = tempfile::tempdir().unwrap();
    let mut state = new_state(lib.path(), cache.path());
    let theme = Theme::dark();
    let mut screen = Screen::new(Vec::new(), size, caps);
    screen.force_scroll = force;
    let mut term = Term::new(size.0, size.1, caps.margins);
    state.resize(size.0, size.1);
    let mut shown = None;
    let mut scrolls = Scrolls::default();
    let mut frame = |state: &mut State,
                     screen: &mut Screen<Vec<u8>>,
                     term: &mut Term,
                     what: &str,
                     key: &str| {
        screen
            .draw(|c| {
                qari::ui::draw::draw_canvas(c, state, &theme);
                let hint = shown.as_ref().and_then(|v| state.scroll_hint(v));
                shown = state.reading_view();
                hint
            })
            .unwrap();
        let bytes = std::mem::take(screen.writer());
        term.feed(&bytes);
        assert_same(term, screen, what);
        check(key, screen, &bytes);
    };
    frame(&mut state, &mut screen, &mut term, "first frame", "");
    for (n, k) in keys.iter().enumerate() {
        let what = format!("{}x{} key {n} {k:?}", size.0, size.1);
        match *k {
            "resize" => {
                let (w, h) = (size.0 + 7, size.1 + 3);
                state.resize(w, h);
                screen.resize(w, h);
                term.resize(w, h);
            }
            "redraw" => screen.clear(),
            k => {
                state.handle_key(Key::parse(k).unwrap());
                assert!(state.wait_for_entities(WAIT), "entities never came");
            }
        }
        frame(&mut state, &mut screen, &mut term, &what, k);
        let stats = screen.last_frame();
        if stats.scrolled {
            let d = stats.scroll_by;
            if d > 0 {
                scrolls.up += 1;
            } else {
                scrolls.down += 1;
            }
        }
        scrolls.frames += 1;
    }
    scrolls
}

const READ: &[&str] = &[
    "Enter", "j", "j", "j", "j", "j", "j", "Space", "Space", "k", "k", "b", "j", "Space", "b", "b",
    "k", "G", "k", "k", "b", "g", "j", "Space", "redraw", "j", "resize", "j", "Space", "b",
];

#[test]
fn plain_diff_frames_replay_exactly() {
    for size in [(50, 16), (80, 24), (120, 36)] {
        let s = replay(size, Caps::PLAIN, false, READ);
        assert_eq!(
            (s.up, s.down),
            (0, 0),
            "{size:?}: no scroll without the caps"
        );
    }
}

const CAPS: Caps = Caps {
    scroll: true,
    margins: false,
    links: true,
};

const CAPS_MARGINS: Caps = Caps {
    margins: true,
    ..CAPS
};

#[test]
fn scrolled_frames_replay_exactly_without_side_panes() {
    // At 50 columns the reading pane is the whole width. Forced: every
    // hinted scroll is used, even where plain diff would write less.
    let s = replay((50, 16), CAPS, true, READ);
    assert!(s.up > 0 && s.down > 0, "{s:?}");
    // Unforced, the scroll is used where it writes less (a short move).
    let s = replay((50, 16), CAPS, false, READ);
    assert!(s.up + s.down > 0, "{s:?}");
}

#[test]
fn scrolled_frames_replay_exactly_with_side_panes() {
    // The list (80) and the list and the sidebar (120) share the scrolled
    // rows: they move too and are repainted.
    for size in [(80, 24), (120, 36)] {
        let s = replay(size, CAPS, true, READ);
        assert!(s.up > 0 && s.down > 0, "{size:?}: {s:?}");
        replay(size, CAPS, false, READ);
    }
}

#[test]
fn margin_scrolled_frames_replay_exactly_with_side_panes() {
    // The reading pane scrolls alone: the list (80) and the list and the
    // sidebar (120) are not written again, and the terminal still ends up
    // showing every frame; at 50 columns the pane is the whole width and
    // the scroll is one of whole rows.
    for size in [(50, 16), (80, 24), (120, 36)] {
        let s = replay(size, CAPS_MARGINS, true, READ);
        assert!(s.up > 0 && s.down > 0, "{size:?}: {s:?}");
    }
    for size in [(80, 24), (120, 36)] {
        let bytes = |caps| {
            let mut total = 0;
            let mut margin_scrolls = 0;
            let s = replay_with(size, caps, false, READ, write_article, |_, _, b| {
                total += b.len();
                // Margins reset (CSI s) with the region: a margin scroll.
                let reset = b"\x1b[s\x1b[r";
                margin_scrolls += usize::from(b.windows(reset.len()).any(|w| w == reset));
            });
            (total, margin_scrolls, s)
        };
        let (rows, none, _) = bytes(CAPS);
        let (within, some, s) = bytes(CAPS_MARGINS);
        assert_eq!(none, 0, "{size:?}: no margins without the cap");
        assert!(some > 0 && s.up + s.down > 0, "{size:?}: {s:?}");
        assert!(
            within < rows,
            "{size:?}: {within} bytes with margins, {rows} without"
        );
    }
}

/// The text of the cells linked to `url`, top to bottom, left to right.
fn linked_text(screen: &Screen<Vec<u8>>, url: &str) -> String {
    let buf = screen.buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            if screen.links().get(x, y) == Some(url) {
                out.push_str(buf[(x, y)].symbol());
            }
        }
    }
    out
}

#[test]
fn web_addresses_are_links_around_their_cells() {
    let mut title_linked = false;
    let mut text_linked = false;
    for size in [(50, 16), (120, 36)] {
        replay_with(
            size,
            CAPS,
            false,
            READ,
            write_article,
            |key, screen, bytes| {
                if key == "Enter" {
                    // The title links to the article's own address, and the
                    // sequence is in the bytes written.
                    assert!(!linked_text(screen, PAGE_URL).is_empty());
                    let open = format!("\x1b]8;;{PAGE_URL}\x07");
                    assert!(bytes.windows(open.len()).any(|w| w == open.as_bytes()));
                    title_linked = true;
                }
                let shown = linked_text(screen, TEXT_URL);
                if !shown.is_empty() {
                    // Only the address's own cells: the text around it is not
                    // linked.
                    assert_eq!(shown.replace(' ', ""), TEXT_URL, "{key}");
                    text_linked = true;
                }
            },
        );
    }
    assert!(title_linked && text_linked);
    // Links off: no OSC 8 at all, the same screens.
    replay_with(
        (50, 16),
        CAPS_NO_LINKS,
        false,
        READ,
        write_article,
        |_, screen, bytes| {
            assert!(!bytes.windows(4).any(|w| w == b"\x1b]8;"));
            assert!(linked_text(screen, PAGE_URL).is_empty());
        },
    );
}

const CAPS_NO_LINKS: Caps = Caps {
    links: false,
    ..CAPS
};

#[test]
fn a_hostile_address_never_reaches_the_terminal() {
    // A page address that is not a web one, and an address in the text
    // with a bidi override and an escape sequence after it.
    let write = |dir: &Path| {
        write_article_with(
            dir,
            "javascript:alert(1)",
            "https://evil.example/\u{202e}gpj.exe\u{1b}]8;;https://x\u{7}",
        )
    };
    let mut seen = 0;
    replay_with((120, 36), CAPS, false, READ, write, |_, screen, bytes| {
        // No link on the title; any link written is plain printable ASCII
        // (the emulator checks every OSC 8 it is sent) with no override.
        let buf = screen.buffer();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                if let Some(url) = screen.links().get(x, y) {
                    assert!(url.starts_with("https://"), "{url:?}");
                    assert!(!url.contains("javascript"), "{url:?}");
                    assert!(url.bytes().all(|b| (0x21..0x7f).contains(&b)), "{url:?}");
                    seen += 1;
                }
            }
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("javascript"), "the page address is written");
        assert!(!text.contains('\u{202e}'));
    });
    // The address up to the override is still a link.
    assert!(seen > 0);
}

/// Keys that move, focus, fold and highlight, and the frame-level events.
const ANY_KEY: &[&str] = &[
    "j",
    "k",
    "Space",
    "b",
    "g",
    "G",
    "Enter",
    "q",
    "Tab",
    "S-Tab",
    "e",
    "n",
    "N",
    "Esc",
    "r",
    "m",
    "'",
    "?",
    "/",
    "ح",
    "Backspace",
    "redraw",
    "resize",
    "j",
    "j",
    "k",
];

/// The panes a frame keeps from the last one (the sidebar, the reading
/// pane's rows, moved by a scroll or not) are what a full redraw would
/// draw: after every key the terminal, replayed, shows a frame drawn from
/// nothing, cell for cell, with its links.
fn retained_equals_full_redraw(size: (u16, u16), caps: Caps, keys: &[&str]) {
    let lib = tempfile::tempdir().unwrap();
    write_article(lib.path());
    let cache = tempfile::tempdir().unwrap();
    let mut state = new_state(lib.path(), cache.path());
    let theme = Theme::dark();
    let mut screen = Screen::new(Vec::new(), size, caps);
    let mut term = Term::new(size.0, size.1, caps.margins);
    state.resize(size.0, size.1);
    let mut shown = None;
    let mut now = size;
    for (n, k) in std::iter::once(&"Enter").chain(keys).enumerate() {
        match *k {
            "resize" => {
                now = if now == size {
                    (size.0 + 7, size.1 + 3)
                } else {
                    size
                };
                state.resize(now.0, now.1);
                screen.resize(now.0, now.1);
                term.resize(now.0, now.1);
            }
            "redraw" => screen.clear(),
            k => {
                state.handle_key(Key::parse(k).unwrap());
                assert!(state.wait_for_entities(WAIT), "entities never came");
            }
        }
        screen
            .draw(|c| {
                qari::ui::draw::draw_canvas(c, &mut state, &theme);
                let hint = shown.as_ref().and_then(|v| state.scroll_hint(v));
                shown = state.reading_view();
                hint
            })
            .unwrap();
        term.feed(&std::mem::take(screen.writer()));
        let mut full = Screen::new(Vec::new(), now, caps);
        full.draw(|c| {
            qari::ui::draw::draw_canvas(c, &mut state, &theme);
            None
        })
        .unwrap();
        let what = format!("{size:?} {caps:?} key {n} {k:?} of {keys:?}");
        assert_same(&term, &full, &what);
    }
}

/// A search and its current hit stepped (one range, another style), the
/// sidebar focused and moved, folded and shown again.
const HIGHLIGHT: &[&str] = &[
    "/", "ح", "Enter", "n", "n", "N", "j", "n", "Esc", "Tab", "j", "j", "k", "Enter", "Esc", "e",
    "j", "e", "S-Tab", "j",
];

#[test]
fn a_retained_frame_is_a_full_redraw_on_reading_keys() {
    for size in [(100, 30), (120, 36), (80, 24), (50, 16)] {
        for caps in [Caps::PLAIN, CAPS, CAPS_MARGINS] {
            retained_equals_full_redraw(size, caps, READ);
            retained_equals_full_redraw(size, caps, HIGHLIGHT);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    #[test]
    fn a_retained_frame_is_a_full_redraw_after_any_keys(
        keys in proptest::collection::vec(proptest::sample::select(ANY_KEY), 1..40),
        size in proptest::sample::select(vec![(100u16, 30u16), (120, 36), (80, 24)]),
        caps in proptest::sample::select(vec![Caps::PLAIN, CAPS, CAPS_MARGINS]),
    ) {
        retained_equals_full_redraw(size, caps, &keys);
    }
}
