//! The bidi layout engine: one paragraph of logical text in, visual lines out.
//!
//! Terminals lay text out left to right, one cell per character, and almost
//! none of them shape Arabic or apply the Unicode Bidirectional Algorithm.
//! This engine does both, with no terminal I/O, in named stages
//! (`Prepared::new` runs 1–6, `layout_paragraph` the rest):
//!
//! 1. [`clean`]: controls and bidi formatting characters never reach the output.
//! 2. [`itemize`]: UAX #9 embedding levels for the whole paragraph, once.
//! 3. [`shape`]: Arabic joining into presentation forms (logical order).
//! 4. `measure`: grapheme clusters, what each draws and its cells.
//! 5. levels: each cluster's level, and rule L1 for separators.
//! 6. breaks, then [`wrap`]: UAX #14 opportunities on the clusters, then
//!    line ends chosen in cells of the shaped text.
//! 7. [`reorder`]: per line, L2 by grapheme cluster, marks kept on their
//!    base (L3) and mirrored glyphs at odd levels (L4). Skipped when the
//!    terminal reorders by itself ([`LayoutOptions::reorder`] off).
//! 8. [`align`]: flush right for RTL paragraphs, flush left for LTR.
//!
//! Cells are counted per grapheme cluster exactly as ratatui's buffer draws
//! them ([`cells`]), and a segment never ends where the terminal would glue
//! its last cluster to the next one.
//!
//! Highlights are style spans over the *logical* text; they come out attached
//! to the cells their characters land on after reordering. Styles that
//! change after layout go on the laid-out line instead:
//! [`VisualLine::cells_for`] gives the cells of a logical byte range.

pub mod align;
pub mod cells;
pub mod clean;
pub mod itemize;
mod measure;
pub mod reorder;
pub mod shape;
pub mod wrap;

use std::ops::Range;

use unicode_bidi::BidiClass;

use measure::{Measured, Unit};

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
    /// Put each line in screen order (UAX #9 rule L2). Off for terminals
    /// that reorder text themselves (`bidi = "terminal"`), which would
    /// reverse a reordered line a second time: lines then come out in
    /// logical order, clusters left to right from the indent, aligned as
    /// usual. On by default.
    pub reorder: bool,
    pub align: Alignment,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            shape: true,
            mirror: true,
            reorder: true,
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

/// Paragraphs laid out straight to the text of their lines, for output that
/// needs neither the column map nor styles (`qari render`): the same lines
/// as [`layout_paragraph`] with no style spans, each handed over as its
/// indent and its segments' text joined, without building a [`VisualLine`]
/// per line (its clusters and segments were a fifth of `qari render`).
/// Buffers are kept from one paragraph to the next.
#[derive(Default)]
pub struct TextLines {
    emitter: Emitter,
    line: String,
}

impl TextLines {
    pub fn new() -> Self {
        Self::default()
    }

    /// Lay out `text` as [`layout_paragraph`] does (no styles) and call
    /// `each` with every line's indent and text, top to bottom; the text is
    /// empty for a line with nothing drawn. Stops at the first error.
    /// Returns the resolved direction.
    pub fn paragraph<E>(
        &mut self,
        text: &str,
        width: usize,
        direction: BaseDirection,
        options: &LayoutOptions,
        mut each: impl FnMut(usize, &str) -> Result<(), E>,
    ) -> Result<BaseDirection, E> {
        let prep = Prepared::new(text, width, direction, &[], options);
        for line in wrap::wrap(&prep.units, prep.width) {
            let indent = align::indent(line.width, prep.width, prep.direction, options.align);
            self.emitter.text(
                &prep.units[line.shown],
                &prep.display,
                options,
                &mut self.line,
            );
            each(indent, &self.line)?;
        }
        Ok(prep.direction)
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
            base: hidden.start,
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

/// A paragraph through the stages before wrapping: its drawn clusters in
/// logical order with their levels, widths and break opportunities.
struct Prepared {
    direction: BaseDirection,
    para_level: u8,
    /// The box width, at least 1.
    width: usize,
    units: Vec<Unit>,
    display: String,
}

impl Prepared {
    /// The stages up to wrapping, in order.
    fn new(
        text: &str,
        width: usize,
        direction: BaseDirection,
        styles: &[StyleSpan],
        options: &LayoutOptions,
    ) -> Prepared {
        let width = width.max(1);
        // (Sized for the worst case: `collect` would grow it step by step.)
        let mut chars: Vec<char> = Vec::with_capacity(text.len());
        chars.extend(text.chars());
        let itemized = itemize::Itemized::from_chars(&chars, direction);
        let forms = shape_stage(&chars, options);
        let Measured { mut units, display } =
            measure::measure(text, &chars, forms.as_deref(), width);
        drop(chars);
        resolve_levels(&mut units, text, &itemized);
        mark_breaks(&mut units, text);
        if !styles.is_empty() {
            apply_styles(&mut units, styles, text.len());
        }
        Prepared {
            direction: itemized.direction(),
            para_level: itemized.para_level(),
            width,
            units,
            display,
        }
    }
}

/// Stage 5, levels: each cluster takes the embedding level of its base
/// character, then rule L1 puts segment and paragraph separators, and the
/// blanks and invisible controls before them, back at the paragraph level.
/// (L1 for blanks at a line's end is not needed: they are not drawn.)
fn resolve_levels(units: &mut [Unit], text: &str, itemized: &itemize::Itemized) {
    let para_level = itemized.para_level();
    let mut level_at = itemized.cursor();
    // Start of the run of blank units L1 may have to reset, and how far
    // back it has already been reset (keeps runs of tabs linear).
    let mut blank_run = 0;
    let mut reset_to = 0;
    for i in 0..units.len() {
        let (base, ghost, space) = (units[i].base, units[i].ghost, units[i].space);
        let class = if units[i].glyph.is_some() {
            // A one-character cluster of a plain letter, digit, punctuation
            // or space (or a ligature of them): never a separator, and only
            // `space` decides whether it is blank.
            BidiClass::L
        } else {
            text[base..]
                .chars()
                .next()
                .map_or(BidiClass::BN, itemize::class)
        };
        let separator = matches!(class, BidiClass::S | BidiClass::B);
        // Whether it ends the run of blanks before a separator.
        let blank = if ghost { l1_blank(class) } else { space };
        let level = if separator {
            para_level
        } else {
            level_at.at(base)
        };
        // A drawn separator (always a blank) cannot end the run it ends;
        // an invisible one is not blank.
        if !ghost && !blank {
            blank_run = i + 1;
        }
        if separator {
            let from = blank_run.max(reset_to).min(i);
            for earlier in &mut units[from..i] {
                earlier.level = para_level;
            }
            reset_to = i;
        }
        if ghost && !blank {
            blank_run = i + 1;
        }
        units[i].level = level;
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

/// Stage 6, breaks: UAX #14 opportunities (`unicode-linebreak`) onto the
/// clusters. A line may start at a cluster when an opportunity falls after
/// the end of the cluster before it and no later than its own start (the
/// invisible characters between them have no cluster of their own).
fn mark_breaks(units: &mut [Unit], text: &str) {
    let mut breaks = unicode_linebreak::linebreaks(text)
        .map(|(at, _)| at)
        .peekable();
    for i in 1..units.len() {
        let prev_end = units[i - 1].source.end;
        while breaks.next_if(|&at| at < prev_end).is_some() {}
        let start = units[i].source.start;
        units[i].break_before = breaks.peek().is_some_and(|&at| at <= start);
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
        if options.reorder {
            self.levels.clear();
            self.levels.extend(units.iter().map(|u| u.level));
            reorder::visual_order(&self.levels, &mut self.order);
        } else {
            self.order.clear();
            self.order.extend(0..units.len());
        }
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

impl Emitter {
    /// The text of one line in screen order into `out` (cleared first):
    /// what [`Emitter::line`]'s segments hold, joined.
    fn text(&mut self, units: &[Unit], display: &str, options: &LayoutOptions, out: &mut String) {
        out.clear();
        // Display ranges are contiguous in logical order: the bytes written.
        if let (Some(a), Some(b)) = (units.first(), units.last()) {
            out.reserve(b.display.end.saturating_sub(a.display.start));
        }
        let mirror = options.mirror;
        let level = units.first().map_or(0, |u| u.level);
        let uniform = units.iter().all(|u| u.level == level);
        if !options.reorder || uniform && level.is_multiple_of(2) {
            units
                .iter()
                .for_each(|u| push_unit(u, display, mirror, out));
        } else if uniform {
            // One right-to-left run (most lines of Arabic): L2 reverses it.
            units
                .iter()
                .rev()
                .for_each(|u| push_unit(u, display, mirror, out));
        } else {
            self.levels.clear();
            self.levels.extend(units.iter().map(|u| u.level));
            reorder::visual_order(&self.levels, &mut self.order);
            for &i in &self.order {
                push_unit(&units[i], display, mirror, out);
            }
        }
    }
}

/// What unit `u` draws, mirrored at odd levels if `mirror` (rule L4).
#[inline(always)]
fn push_unit(u: &Unit, display: &str, mirror: bool, out: &mut String) {
    if u.ghost {
        return;
    }
    let mirror = u.mirror && mirror && u.level % 2 == 1;
    match u.glyph {
        Some(g) if mirror => out.push(reorder::mirrored(g).unwrap_or(g)),
        Some(g) => out.push(g),
        None if mirror => {
            let mut chars = display[u.display.clone()].chars();
            if let Some(c) = chars.next() {
                out.push(reorder::mirrored(c).unwrap_or(c));
            }
            out.push_str(chars.as_str());
        }
        None => out.push_str(&display[u.display.clone()]),
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
    #[allow(clippy::single_range_in_vec_init)] // (lists of column runs)
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
    #[allow(clippy::single_range_in_vec_init)] // (lists of column runs)
    fn cells_for_covers_a_ligature_from_either_letter() {
        let layout = layout_paragraph("لا", 10, BaseDirection::Auto, &[], &LayoutOptions::default());
        let line = &layout.lines[0];
        assert_eq!(line.clusters.len(), 1);
        let cell = line.clusters[0].col..line.clusters[0].col + 1;
        for letter in [0..2, 2..4] {
            assert_eq!(
                line.cells_for(letter).collect::<Vec<_>>(),
                vec![cell.clone()]
            );
        }
    }

    #[test]
    fn without_reorder_lines_stay_in_logical_order() {
        // For terminals that reorder by themselves.
        let options = LayoutOptions {
            shape: false,
            mirror: false,
            reorder: false,
            ..LayoutOptions::default()
        };
        let text = "قال (مرحبا) 2024 كتاب\tب";
        let line = layout_line_truncated(text, 40, BaseDirection::Rtl, &[], &options);
        let shown: String = line.segments.iter().map(|s| s.text.as_str()).collect();
        // The tab is drawn as its four cells of blanks.
        assert_eq!(shown, text.replace('\t', "    "));
        let visual = layout_line_truncated(text, 40, BaseDirection::Rtl, &[], &plain());
        assert_eq!((line.indent, line.width), (visual.indent, visual.width));
        assert_eq!(line.segments[0].col, line.indent);
        assert!(line
            .clusters
            .windows(2)
            .all(|p| p[0].source.end <= p[1].source.start));
        let cut = layout_line_truncated(text, 8, BaseDirection::Rtl, &[], &options);
        let shown: String = cut.segments.iter().map(|s| s.text.as_str()).collect();
        assert!(shown.starts_with("قال") && shown.ends_with('…'), "{shown}");
    }

    fn text_lines_agree(text: &str, width: usize, dir: BaseDirection, options: &LayoutOptions) {
        let full = layout_paragraph(text, width, dir, &[], options);
        let mut lines = Vec::new();
        let direction = TextLines::new()
            .paragraph(text, width, dir, options, |indent, line| {
                lines.push((indent, line.to_string()));
                Ok::<(), ()>(())
            })
            .unwrap();
        assert_eq!(direction, full.direction, "{text:?}");
        let expected: Vec<(usize, String)> = full
            .lines
            .iter()
            .map(|l| {
                (
                    l.indent,
                    l.segments.iter().map(|s| s.text.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(lines, expected, "{text:?} at width {width}");
    }

    fn alphabet() -> Vec<char> {
        "aZ 1.,:()[]«»بجلاأمة،١٢\u{064E}\u{0651}\u{0301}\t\u{0600}\u{200D}\u{200C}\u{200F}\u{202B}\u{202C}\u{2067}\u{2069}中😀\u{FE0F}\u{1F1F8}\u{1F1E6}\u{0915}\u{094D}\u{05D0}"
            .chars()
            .collect()
    }

    #[test]
    fn text_lines_on_real_text() {
        let samples = [
            "",
            "   ",
            "قال المتحدث إن نسبة النمو بلغت 25% في عام 2024، أي (3.5 مليار) دولار.",
            "Apple أعلنت عن iPhone 15 Pro «بسعر $999» في 22/11/2024\tلا لَا",
            "\u{064E}ب \u{0600}١٢ 中文 😀\u{FE0F} a\u{202B}b [c] d\u{202C}",
        ];
        for text in samples {
            for width in [1, 3, 10, 80] {
                for dir in [BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr] {
                    text_lines_agree(text, width, dir, &LayoutOptions::default());
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn text_lines_are_the_segments_joined(
            chars in proptest::collection::vec(proptest::sample::select(alphabet()), 0..80),
            width in 1usize..30,
            dir in proptest::sample::select(vec![BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr]),
            flags in 0u8..16,
        ) {
            let text: String = chars.into_iter().collect();
            let options = LayoutOptions {
                shape: flags & 1 != 0,
                mirror: flags & 2 != 0,
                reorder: flags & 4 != 0,
                align: if flags & 8 != 0 { Alignment::Right } else { Alignment::Start },
            };
            text_lines_agree(&text, width, dir, &options);
        }

        #[test]
        fn text_lines_on_any_string(text in ".{0,60}", width in 1usize..20) {
            text_lines_agree(&text, width, BaseDirection::Auto, &LayoutOptions::default());
        }
    }

    #[test]
    fn arabic_reverses_and_aligns_right() {
        assert_eq!(show("سلام عليكم", 12, BaseDirection::Auto), ["  مكيلع مالس"]);
    }
}
