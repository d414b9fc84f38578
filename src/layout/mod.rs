//! The bidi layout engine: one paragraph of logical text in, visual lines out.
//!
//! Terminals lay text out left to right, one cell per character, and almost
//! none of them shape Arabic or apply the Unicode Bidirectional Algorithm.
//! This engine does both, with no terminal I/O, in named stages:
//!
//! 1. [`clean`]: controls and bidi formatting characters never reach the output.
//! 2. [`itemize`]: UAX #9 embedding levels for the whole paragraph, once.
//! 3. [`shape`]: Arabic joining into presentation forms (logical order).
//! 4. [`wrap`]: UAX #14 line breaks, measured in cells of the shaped text.
//! 5. [`reorder`]: per line, L1–L2 by grapheme cluster, marks kept on their
//!    base (L3) and mirrored glyphs at odd levels (L4).
//! 6. [`align`]: flush right for RTL paragraphs, flush left for LTR.
//!
//! Cells are counted per grapheme cluster exactly as ratatui's buffer draws
//! them ([`cells`]), and a segment never ends where the terminal would glue
//! its last cluster to the next one.
//!
//! Highlights are style spans over the *logical* text; they come out attached
//! to the cells their characters land on after reordering.

pub mod align;
pub mod cells;
pub mod clean;
pub mod itemize;
pub mod reorder;
pub mod shape;
pub mod wrap;

use std::ops::Range;

use unicode_bidi::BidiClass;

use clean::Kind;

/// A caller-chosen style, e.g. "entity: place" or "search hit".
pub type StyleId = u16;

/// Base paragraph direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BaseDirection {
    /// UAX #9 rules P2–P3: the first strong character decides; LTR if none.
    #[default]
    Auto,
    Rtl,
    Ltr,
}

/// Horizontal alignment of a paragraph's lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Alignment {
    /// Flush right for RTL paragraphs, flush left for LTR ones.
    #[default]
    Start,
    Left,
    Right,
}

/// Options that do not change per paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LayoutOptions {
    /// Join Arabic letters into presentation forms (for terminals that do not
    /// shape). On by default.
    pub shape: bool,
    /// Replace brackets and other mirrored characters by their mirror glyph at
    /// right-to-left levels (rule L4). On by default.
    pub mirror: bool,
    pub align: Alignment,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            shape: true,
            mirror: true,
            align: Alignment::Start,
        }
    }
}

/// A style over a byte range of the logical paragraph text. Where spans
/// overlap, the one later in the slice wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StyleSpan {
    pub range: Range<usize>,
    pub style: StyleId,
}

/// A laid-out paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphLayout {
    /// The resolved base direction (never `Auto`).
    pub direction: BaseDirection,
    /// Lines in reading order (top to bottom).
    pub lines: Vec<VisualLine>,
}

/// One screen line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisualLine {
    /// Bytes of the logical paragraph on this line.
    pub logical: Range<usize>,
    /// Leading blank cells that align the line (0 for left-aligned lines).
    pub indent: usize,
    /// Width of the content in cells, indent excluded, trailing spaces
    /// excluded. `indent + width <= ` the requested width.
    pub width: usize,
    /// Styled runs in screen order, left to right. `col` includes `indent`.
    pub segments: Vec<Segment>,
    /// Every visible grapheme cluster in screen order: the column map.
    pub clusters: Vec<Cluster>,
}

/// A run of text with one style, in screen order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// What to write to the terminal: visual order, shaped, mirrored, with no
    /// control or formatting characters.
    pub text: String,
    pub style: Option<StyleId>,
    /// First screen column (indent included).
    pub col: usize,
    /// Width in cells.
    pub width: usize,
}

/// One visible grapheme cluster on screen and the logical text behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// First screen column (indent included).
    pub col: usize,
    /// Width in cells: 1, or 2 for wide CJK and emoji; up to 4 for a tab,
    /// and more for an emoji sequence drawn apart once its ZWJs are removed.
    pub width: usize,
    /// Logical bytes it shows. A lam-alef ligature covers both letters.
    pub source: Range<usize>,
}

impl VisualLine {
    /// The logical bytes shown at screen column `col`, if any.
    pub fn source_at(&self, col: usize) -> Option<Range<usize>> {
        self.clusters
            .iter()
            .find(|c| c.col <= col && col < c.col + c.width)
            .map(|c| c.source.clone())
    }

    /// The screen column of the cluster showing logical byte `byte`, if it is
    /// on this line and visible.
    pub fn col_of(&self, byte: usize) -> Option<usize> {
        self.clusters
            .iter()
            .find(|c| c.source.start <= byte && byte < c.source.end)
            .map(|c| c.col)
    }

    /// The screen columns showing any byte of the logical range `range`,
    /// as maximal runs of adjacent cells, left to right: how styles are put
    /// on a laid-out line without laying it out again (an entity mention, a
    /// search hit). A cluster counts when its source overlaps `range`, so a
    /// lam-alef ligature is styled when either of its letters is; an empty
    /// range, or one off this line, gives no columns. In right-to-left text
    /// one logical range can give several runs (a number inside Arabic).
    pub fn cells_for(&self, range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
        let clusters = if range.is_empty() {
            &[][..]
        } else {
            &self.clusters[..]
        };
        let mut hits = clusters
            .iter()
            .filter(move |c| c.source.start < range.end && range.start < c.source.end)
            .map(|c| c.col..c.col + c.width)
            .peekable();
        std::iter::from_fn(move || {
            let mut run = hits.next()?;
            while let Some(next) = hits.next_if(|n| n.start == run.end) {
                run.end = next.end;
            }
            Some(run)
        })
    }
}

/// Lay out one paragraph of logical text into lines at most `width` cells
/// wide. Never panics on any input; a `width` of 0 is treated as 1.
pub fn layout_paragraph(
    text: &str,
    width: usize,
    direction: BaseDirection,
    styles: &[StyleSpan],
    options: &LayoutOptions,
) -> ParagraphLayout {
    let prep = Prepared::new(text, width, direction, styles, options);
    let lines = wrap::wrap(&prep.units, prep.width);
    let mut emitter = Emitter::default();
    let mut out = Vec::with_capacity(lines.len());
    for (k, line) in lines.iter().enumerate() {
        let start = match k {
            0 => 0,
            _ => prep.units[line.units.start].source.start,
        };
        let end = match lines.get(k + 1) {
            Some(next) => prep.units[next.units.start].source.start,
            None => text.len(),
        };
        out.push(emitter.line(
            &prep,
            &prep.units[line.shown.clone()],
            line.width,
            start..end,
            options,
        ));
    }
    ParagraphLayout {
        direction: prep.direction,
        lines: out,
    }
}

/// Lay out `text` on a single line at most `width` cells wide (list titles,
/// headers). What does not fit is cut at its logical end and replaced by an
/// ellipsis "…", which therefore sits on the left of right-to-left text; the
/// ellipsis cluster's source is the hidden text. `logical` covers the whole
/// text. A `width` of 0 is treated as 1.
pub fn layout_line_truncated(
    text: &str,
    width: usize,
    direction: BaseDirection,
    styles: &[StyleSpan],
    options: &LayoutOptions,
) -> VisualLine {
    let mut prep = Prepared::new(text, width, direction, styles, options);
    let mut shown = prep.units.len();
    while shown > 0 && wrap::WrapUnit::is_space(&prep.units[shown - 1]) {
        shown -= 1;
    }
    let total: usize = prep.units[..shown].iter().map(|u| u.width).sum();
    if total > prep.width {
        // Keep the longest logical prefix that leaves a cell for "…".
        let mut used = 0;
        let mut keep = 0;
        while used + prep.units[keep].width < prep.width {
            used += prep.units[keep].width;
            keep += 1;
        }
        let hidden = prep.units[keep].source.start..text.len();
        while keep > 0 && wrap::WrapUnit::is_space(&prep.units[keep - 1]) {
            keep -= 1;
        }
        prep.units.truncate(keep);
        let display = prep.display.len()..prep.display.len() + '…'.len_utf8();
        prep.display.push('…');
        prep.units.push(Unit {
            source: hidden,
            display,
            width: 1,
            level: prep.para_level,
            space: false,
            ghost: false,
            clean_start: true,
            prepend_end: false,
            mirror: false,
            glyph: None,
            break_before: false,
            style: None,
        });
        shown = prep.units.len();
    }
    let width = prep.units[..shown].iter().map(|u| u.width).sum();
    Emitter::default().line(&prep, &prep.units[..shown], width, 0..text.len(), options)
}

/// One drawn grapheme cluster of the paragraph, in logical order.
#[derive(Clone, Debug)]
struct Unit {
    /// Logical bytes it shows (a lam-alef ligature covers both letters).
    source: Range<usize>,
    /// What it draws, in `Prepared::display`: shaped, in logical order,
    /// without formatting characters, a dotted circle under a lone mark.
    display: Range<usize>,
    width: usize,
    /// Embedding level of its base character, after rule L1 for tabs.
    level: u8,
    space: bool,
    /// Drawn as nothing (bidi controls, marks, joiners, controls) but kept
    /// for its level in rule L2.
    ghost: bool,
    /// Its drawn text starts with a character nothing before it can join
    /// into one grapheme, unless that ends in a Prepend character
    /// ([`cells::always_starts_grapheme`]), and whether it ends in one.
    clean_start: bool,
    prepend_end: bool,
    /// Its first drawn character has a mirror glyph (rule L4).
    mirror: bool,
    /// What it draws when that is one character (most clusters): saves
    /// slicing `display` when writing lines.
    glyph: Option<char>,
    break_before: bool,
    style: Option<StyleId>,
}

impl wrap::WrapUnit for Unit {
    fn width(&self) -> usize {
        self.width
    }
    fn is_space(&self) -> bool {
        // Invisible units are free and may end a line like blanks.
        self.space || self.ghost
    }
    fn break_before(&self) -> bool {
        self.break_before
    }
}

/// A paragraph through stages clean, itemize, shape and measure: its drawn
/// clusters with their levels, widths and break opportunities.
struct Prepared {
    direction: BaseDirection,
    para_level: u8,
    /// The box width, at least 1.
    width: usize,
    units: Vec<Unit>,
    display: String,
}

impl Prepared {
    fn new(
        text: &str,
        width: usize,
        direction: BaseDirection,
        styles: &[StyleSpan],
        options: &LayoutOptions,
    ) -> Prepared {
        let width = width.max(1);
        let tab_width = clean::TAB_WIDTH.min(width);
        // (Sized for the worst case: `collect` would grow it step by step.)
        let mut chars: Vec<char> = Vec::with_capacity(text.len());
        chars.extend(text.chars());
        let levels = itemize::Itemized::from_chars(&chars, direction);
        let mut level_at = levels.cursor();
        let para_level = levels.para_level();
        let shaped = shape_stage(&chars, options);
        let mut breaks = unicode_linebreak::linebreaks(text)
            .map(|(at, _)| at)
            .peekable();

        let mut units: Vec<Unit> = Vec::with_capacity(chars.len() + 1);
        // Shaped Arabic takes 3 bytes a letter where the text takes 2.
        let mut display = String::with_capacity(text.len() * 3 / 2 + 8);
        // Start of the run of blank units L1 may have to reset, and how far
        // back it has already been reset (keeps runs of tabs linear).
        let mut blank_run = 0;
        let mut reset_to = 0;
        // Index of the last unit that draws something.
        let mut last_drawn: Option<usize> = None;

        let mut char_index = 0;
        let mut start = 0;
        while char_index < chars.len() {
            let c = chars[char_index];
            let clen = c.len_utf8();
            let d_start = display.len();
            // (No character that always starts a grapheme is Prepend.)
            let simple = cells::always_starts_grapheme(c);
            let single = chars.get(char_index + 1).is_none_or(|&next| {
                cells::always_starts_grapheme(next) && (simple || !cells::is_prepend(c))
            });
            // Fast lane: a one-character cluster of a plain letter, digit,
            // punctuation or space (the bulk of prose), drawn in one cell.
            let form = match &shaped {
                Some(forms) => forms[char_index],
                None => Some(c),
            };
            if let (true, true, Some(f)) = (single, simple, form) {
                display.push(f);
                let w = if f == c || cells::is_narrow_letter(f) {
                    1
                } else {
                    cells::str_width(&display[d_start..])
                };
                let space = c == ' ';
                let prev_end = units.last().map_or(0, |u| u.source.end);
                while breaks.next_if(|&at| at < prev_end).is_some() {}
                let break_before =
                    !units.is_empty() && breaks.peek().is_some_and(|&at| at <= start);
                if !space {
                    blank_run = units.len() + 1;
                }
                last_drawn = Some(units.len());
                units.push(Unit {
                    source: start..start + clen,
                    display: d_start..display.len(),
                    width: w.min(width),
                    level: level_at.at(start),
                    space,
                    ghost: false,
                    clean_start: cells::always_starts_grapheme(f),
                    prepend_end: false,
                    // Of these characters and their shaped forms only the
                    // ASCII brackets and guillemets have mirror glyphs.
                    mirror: matches!(f, '(' | ')' | '<' | '>' | '[' | ']' | '{' | '}' | '«' | '»'),
                    glyph: Some(f),
                    break_before,
                    style: None,
                });
                char_index += 1;
                start += clen;
                continue;
            }
            let end = if single {
                start + clen
            } else if simple {
                // A letter with harakat or niqqud: its marks, then a
                // character that starts a grapheme, end it for certain.
                let marks = chars[char_index + 1..]
                    .iter()
                    .take_while(|&&m| cells::is_plain_mark(m))
                    .count();
                match chars.get(char_index + 1 + marks) {
                    Some(&next) if !cells::always_starts_grapheme(next) => {
                        cells::grapheme_end(text, start)
                    }
                    _ => {
                        start
                            + clen
                            + chars[char_index + 1..char_index + 1 + marks]
                                .iter()
                                .map(|m| m.len_utf8())
                                .sum::<usize>()
                    }
                }
            } else {
                cells::grapheme_end(text, start)
            };
            let grapheme = &text[start..end];
            let mut base: Option<usize> = None;
            let mut absorbed = false;
            let mut space = true;
            let mut tab = false;
            for (off, c) in grapheme.char_indices() {
                let form = match &shaped {
                    Some(forms) => forms[char_index],
                    None => Some(c),
                };
                char_index += 1;
                match clean::kind(c) {
                    Kind::Format | Kind::Control => continue,
                    Kind::Tab => {
                        tab = true;
                        display.extend(std::iter::repeat_n(' ', tab_width));
                    }
                    Kind::Break => display.push(' '),
                    Kind::Shown => match form {
                        Some(f) => {
                            display.push(f);
                            space &= clean::is_space(c);
                        }
                        // Absorbed into a ligature drawn before; without one
                        // (never from a correct shaper) draw it as it is.
                        None if last_drawn.is_some() => {
                            absorbed = true;
                            continue;
                        }
                        None => {
                            display.push(c);
                            space = false;
                        }
                    },
                }
                base.get_or_insert(start + off);
            }
            let grapheme_start = start;
            start = end;
            let start = grapheme_start;

            if let (true, Some(last)) = (absorbed, last_drawn) {
                // Holds the alef of a lam-alef drawn by the last drawn
                // cluster (with any harakat on it): merge into that cluster.
                // Invisible units in between (an LRM the shaper saw through)
                // are inside the ligature now and go.
                units.truncate(last + 1);
                blank_run = units.len();
                reset_to = reset_to.min(units.len());
                let prev = &mut units[last];
                prev.source.end = end;
                prev.display.end = display.len();
                prev.width = cells::str_width(&display[prev.display.clone()]).max(1);
                prev.prepend_end = display.chars().next_back().is_some_and(cells::is_prepend);
                // The harakat of the alef now follow the ligature: the
                // one-character shortcut would drop them.
                let mut drawn = display[prev.display.clone()].chars();
                prev.glyph = match (drawn.next(), drawn.next()) {
                    (Some(c), None) => prev.glyph.map(|_| c),
                    _ => None,
                };
                continue;
            }
            let prev_end = units.last().map_or(0, |u| u.source.end);
            while breaks.next_if(|&at| at < prev_end).is_some() {}
            let break_before = !units.is_empty() && breaks.peek().is_some_and(|&at| at <= start);

            let Some(base) = base else {
                // Nothing drawn (isolates, marks like LRM, controls): kept
                // as an empty unit, because its level still separates runs
                // in rule L2 (a PDI at the paragraph level between two
                // right-to-left runs keeps them apart).
                let class = grapheme
                    .chars()
                    .next()
                    .map_or(BidiClass::BN, itemize::class);
                let level = match class {
                    BidiClass::S | BidiClass::B => {
                        l1_reset(&mut units, blank_run.max(reset_to), para_level);
                        reset_to = units.len();
                        para_level
                    }
                    _ => level_at.at(start),
                };
                if !l1_blank(class) {
                    blank_run = units.len() + 1;
                }
                units.push(Unit {
                    source: start..end,
                    display: d_start..d_start,
                    width: 0,
                    level,
                    space: false,
                    ghost: true,
                    clean_start: true,
                    prepend_end: false,
                    mirror: false,
                    glyph: None,
                    break_before,
                    style: None,
                });
                continue;
            };

            let mut w = if tab {
                tab_width
            } else {
                cells::str_width(&display[d_start..])
            };
            if w == 0 {
                // A combining mark with no letter before it: draw it on a
                // dotted circle rather than lose it.
                display.insert(d_start, cells::DOTTED_CIRCLE);
                w = cells::str_width(&display[d_start..]);
                if w == 0 {
                    display.truncate(d_start);
                    continue;
                }
            }
            if w > width {
                display.truncate(d_start);
                display.push(cells::TOO_WIDE);
                w = 1;
            }

            let mut level = level_at.at(base);
            if !space {
                blank_run = units.len() + 1;
            }
            let base_char = text[base..].chars().next().unwrap_or(' ');
            if matches!(itemize::class(base_char), BidiClass::S | BidiClass::B) {
                // Rule L1: separators, and the blanks before them, go back
                // to the paragraph level.
                level = para_level;
                l1_reset(&mut units, blank_run.max(reset_to), para_level);
                reset_to = units.len();
            }
            let drawn = &display[d_start..];
            last_drawn = Some(units.len());
            units.push(Unit {
                source: start..end,
                display: d_start..display.len(),
                width: w,
                level,
                space,
                ghost: false,
                clean_start: drawn
                    .chars()
                    .next()
                    .is_some_and(cells::always_starts_grapheme),
                prepend_end: drawn.chars().next_back().is_some_and(cells::is_prepend),
                mirror: drawn
                    .chars()
                    .next()
                    .is_some_and(|c| reorder::mirrored(c).is_some()),
                glyph: None,
                break_before,
                style: None,
            });
        }

        if !styles.is_empty() {
            apply_styles(&mut units, styles, text.len());
        }
        Prepared {
            direction: levels.direction(),
            para_level,
            width,
            units,
            display,
        }
    }
}

/// Rule L1 resets blanks before a separator; these classes are such
/// blanks (whitespace, isolate controls, and what X9 removed).
fn l1_blank(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(
        class,
        WS | FSI | LRI | RLI | PDI | BN | LRE | RLE | LRO | RLO | PDF
    )
}

fn l1_reset(units: &mut [Unit], from: usize, para_level: u8) {
    for u in &mut units[from..] {
        u.level = para_level;
    }
}

/// Stage 3, shape: presentation forms for each character of the paragraph
/// (`None` for an alef absorbed into a lam-alef ligature), or `None` when
/// letters are drawn as they are (shaping off, or nothing that joins).
fn shape_stage(chars: &[char], options: &LayoutOptions) -> Option<Vec<Option<char>>> {
    if !options.shape || !chars.iter().any(|c| ('\u{0600}'..='\u{08FF}').contains(c)) {
        return None;
    }
    let forms = shape::shape(chars);
    // The contract is one entry per character; anything else is ignored
    // rather than trusted.
    (forms.len() == chars.len()).then_some(forms)
}

/// Give each unit the style of the last span overlapping its source.
fn apply_styles(units: &mut [Unit], styles: &[StyleSpan], len: usize) {
    // Paint the winning span (index + 1) on every byte, later spans over
    // earlier ones; a unit takes the highest index found in its bytes.
    let mut painted = vec![0u32; len];
    for (i, span) in styles.iter().enumerate() {
        let end = span.range.end.min(len);
        let start = span.range.start.min(end);
        painted[start..end].fill(i as u32 + 1);
    }
    for u in units {
        let winner = painted[u.source.clone()].iter().copied().max().unwrap_or(0);
        u.style = winner.checked_sub(1).map(|i| styles[i as usize].style);
    }
}

/// Stages reorder and align for one line, with buffers reused across lines.
#[derive(Default)]
struct Emitter {
    levels: Vec<u8>,
    order: Vec<usize>,
    scratch: String,
}

impl Emitter {
    fn line(
        &mut self,
        prep: &Prepared,
        units: &[Unit],
        width: usize,
        logical: Range<usize>,
        options: &LayoutOptions,
    ) -> VisualLine {
        self.levels.clear();
        self.levels.extend(units.iter().map(|u| u.level));
        reorder::visual_order(&self.levels, &mut self.order);
        let indent = align::indent(width, prep.width, prep.direction, options.align);

        let mut segments: Vec<Segment> = Vec::with_capacity(1);
        let mut clusters = Vec::with_capacity(units.len());
        // Display ranges are contiguous in logical order: a good guess of
        // the bytes this line writes.
        let bytes = match (units.first(), units.last()) {
            (Some(a), Some(b)) => b.display.end.saturating_sub(a.display.start),
            _ => 0,
        };
        let mut prev: Option<&Unit> = None;
        let mut col = indent;
        for &i in &self.order {
            let u = &units[i];
            if u.ghost {
                continue;
            }
            clusters.push(Cluster {
                col,
                width: u.width,
                source: u.source.clone(),
            });
            let glued = match (segments.last(), prev) {
                (Some(seg), Some(p)) if seg.style == u.style => {
                    (u.clean_start && !p.prepend_end)
                        // Mirroring only swaps brackets, which never join
                        // graphemes: the unmirrored texts decide.
                        || cells::joins_safely(
                            &prep.display[p.display.clone()],
                            &prep.display[u.display.clone()],
                            &mut self.scratch,
                        )
                }
                _ => false,
            };
            if !glued {
                segments.push(Segment {
                    text: String::with_capacity(if segments.is_empty() { bytes } else { 16 }),
                    style: u.style,
                    col,
                    width: 0,
                });
            }
            let seg = segments.last_mut().expect("a segment was just pushed");
            let mirror = u.mirror && options.mirror && u.level % 2 == 1;
            if let Some(g) = u.glyph {
                seg.text.push(if mirror {
                    reorder::mirrored(g).unwrap_or(g)
                } else {
                    g
                });
            } else if mirror {
                let mut chars = prep.display[u.display.clone()].chars();
                if let Some(c) = chars.next() {
                    seg.text.push(reorder::mirrored(c).unwrap_or(c));
                }
                seg.text.push_str(chars.as_str());
            } else {
                seg.text.push_str(&prep.display[u.display.clone()]);
            }
            seg.width += u.width;
            col += u.width;
            prev = Some(u);
        }
        VisualLine {
            logical,
            indent,
            width,
            segments,
            clusters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain() -> LayoutOptions {
        LayoutOptions {
            shape: false,
            ..LayoutOptions::default()
        }
    }

    /// Lines as a terminal shows them (indent as spaces).
    fn show(text: &str, width: usize, dir: BaseDirection) -> Vec<String> {
        layout_paragraph(text, width, dir, &[], &plain())
            .lines
            .iter()
            .map(|l| {
                let mut s = " ".repeat(l.indent);
                for seg in &l.segments {
                    s.push_str(&seg.text);
                }
                s
            })
            .collect()
    }

    #[test]
    fn cells_for_maps_logical_bytes_to_screen_runs() {
        // "كتب 2024 نص" at width 11: the RTL line reads, left to right,
        // "صن 2024 بتك" (indent 0).
        let text = "كتب 2024 نص";
        let layout = layout_paragraph(text, 11, BaseDirection::Auto, &[], &plain());
        let line = &layout.lines[0];
        let cells = |r: Range<usize>| line.cells_for(r).collect::<Vec<_>>();
        // The first word is the rightmost three cells.
        assert_eq!(cells(0..6), [8..11]);
        // Its middle letter only.
        assert_eq!(cells(2..4), [9..10]);
        // The number keeps its left-to-right order in the middle.
        assert_eq!(cells(7..11), [3..7]);
        // Through the space after the number (byte 11, drawn at column 2).
        assert_eq!(cells(0..12), [2..11]);
        // The last word alone, then from the middle of the number on: one
        // logical range, two runs (the number reads left to right).
        let last = text.find("نص").unwrap();
        assert_eq!(cells(last..text.len()), [0..2]);
        assert_eq!(cells(9..text.len()), [0..3, 5..7]);
        assert!(cells(3..3).is_empty());
        assert!(cells(100..200).is_empty());
    }

    #[test]
    fn cells_for_covers_a_ligature_from_either_letter() {
        let layout = layout_paragraph("لا", 10, BaseDirection::Auto, &[], &LayoutOptions::default());
        let line = &layout.lines[0];
        assert_eq!(line.clusters.len(), 1);
        let cell = line.clusters[0].col..line.clusters[0].col + 1;
        assert_eq!(line.cells_for(0..2).collect::<Vec<_>>(), [cell.clone()]);
        assert_eq!(line.cells_for(2..4).collect::<Vec<_>>(), [cell]);
    }

    #[test]
    fn arabic_reverses_and_aligns_right() {
        assert_eq!(show("سلام عليكم", 12, BaseDirection::Auto), ["  مكيلع مالس"]);
    }
}
