//! Properties of the layout engine on generated text (proptest), with
//! ratatui's own `Buffer` as the judge of how many cells a segment takes.

use std::collections::BTreeMap;

use proptest::prelude::*;
use qari::layout::clean::{self, Kind};
use qari::layout::{
    layout_line_truncated, layout_paragraph, BaseDirection, LayoutOptions, ParagraphLayout,
    StyleSpan, VisualLine,
};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Pieces of real-looking mixed text: Arabic with harakat, Persian and Urdu
/// letters, Hebrew with niqqud, digits of three kinds, Latin, brackets and
/// quotes, spaces, tabs, and the hostile or invisible characters.
fn piece() -> impl Strategy<Value = String> {
    let arabic = prop::sample::select(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةى"
            .chars()
            .collect::<Vec<_>>(),
    );
    let harakat = prop::sample::select(
        "\u{064B}\u{064C}\u{064D}\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}\u{0670}"
            .chars()
            .collect::<Vec<_>>(),
    );
    let persian = prop::sample::select("پچژگیکٹڈڑںےۓھ".chars().collect::<Vec<_>>());
    let hebrew = prop::sample::select("אבגדהוזחטיכלמנסעפצקרשת".chars().collect::<Vec<_>>());
    let niqqud = prop::sample::select(
        "\u{05B0}\u{05B4}\u{05B7}\u{05B8}\u{05BC}"
            .chars()
            .collect::<Vec<_>>(),
    );
    let digits = prop::sample::select("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳".chars().collect::<Vec<_>>());
    let latin = prop::sample::select("abcdefgXYZ@.:/-_".chars().collect::<Vec<_>>());
    let punct = prop::sample::select("()[]{}<>«»“”\"',.،؛؟!%٪$€+=ـ".chars().collect::<Vec<_>>());
    let blank = prop::sample::select(vec![' ', ' ', ' ', '\t', '\n', '\u{A0}', '\u{3000}']);
    let invisible = prop::sample::select(
        "\u{200E}\u{200F}\u{061C}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200C}\u{200D}\u{200B}\u{FEFF}\u{AD}"
            .chars()
            .collect::<Vec<_>>(),
    );
    let control =
        prop::sample::select("\u{1b}\u{7}\u{0}\r\u{9b}\u{7f}".chars().collect::<Vec<_>>());
    let wide = prop::sample::select("中文字😀🇸🇦".chars().collect::<Vec<_>>());
    prop_oneof![
        10 => (arabic.clone(), prop::collection::vec(harakat.clone(), 0..3))
            .prop_map(|(c, m)| std::iter::once(c).chain(m).collect()),
        3 => Just("لا".to_string()),
        2 => harakat.prop_map(|m| format!("ل{m}ا")),
        2 => persian.prop_map(String::from),
        2 => (hebrew, prop::collection::vec(niqqud, 0..2))
            .prop_map(|(c, m)| std::iter::once(c).chain(m).collect()),
        3 => digits.prop_map(String::from),
        3 => latin.prop_map(String::from),
        3 => punct.prop_map(String::from),
        6 => blank.prop_map(String::from),
        2 => invisible.prop_map(String::from),
        1 => control.prop_map(String::from),
        1 => wide.prop_map(String::from),
        1 => harakat_alone(),
    ]
}

/// Fully vocalized Arabic: letters with up to three marks each (also on
/// the alef of a lam-alef and between lam and alef), spaces, digits and
/// punctuation.
fn vocalized() -> impl Strategy<Value = String> {
    let letter = prop::sample::select(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةىٱ"
            .chars()
            .collect::<Vec<_>>(),
    );
    let marks = prop::collection::vec(
        prop::sample::select(
            "\u{064B}\u{064C}\u{064D}\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}\u{0670}\u{0653}\u{0654}\u{0655}"
                .chars()
                .collect::<Vec<_>>(),
        ),
        0..3,
    );
    let alef = prop::sample::select(vec!['ا', 'أ', 'إ', 'آ']);
    let other = prop::sample::select(vec![" ", " ", "، ", ". ", "١٢", "(", ")", "ـ"]);
    let piece = prop_oneof![
        8 => (letter, marks.clone()).prop_map(|(c, m)| std::iter::once(c).chain(m).collect::<String>()),
        3 => (marks.clone(), alef, marks)
            .prop_map(|(between, a, on)| format!("ل{}{a}{}", String::from_iter(between), String::from_iter(on))),
        2 => other.prop_map(String::from),
    ];
    prop::collection::vec(piece, 1..50).prop_map(|v| v.concat())
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

fn harakat_alone() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["\u{064E}", "\u{0651}\u{064E}", "\u{0301}"]).prop_map(String::from)
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

fn width() -> impl Strategy<Value = usize> {
    prop_oneof![8 => 1usize..40, 1 => Just(0usize), 1 => Just(10_000usize)]
}

fn direction() -> impl Strategy<Value = BaseDirection> {
    prop::sample::select(vec![
        BaseDirection::Auto,
        BaseDirection::Rtl,
        BaseDirection::Ltr,
    ])
}

fn options() -> impl Strategy<Value = LayoutOptions> {
    (any::<bool>(), any::<bool>()).prop_map(|(shape, mirror)| LayoutOptions {
        shape,
        mirror,
        ..LayoutOptions::default()
    })
}

/// Style spans over char boundaries of `text`.
fn spans(text: &str, picks: &[(usize, usize, u16)]) -> Vec<StyleSpan> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    picks
        .iter()
        .map(|&(a, b, style)| {
            let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            StyleSpan {
                range: a.min(b)..a.max(b),
                style,
            }
        })
        .collect()
}

fn drawn_nonblank(c: char) -> bool {
    clean::kind(c) == Kind::Shown && !clean::is_space(c)
}

/// Draw a line into a ratatui buffer exactly as the TUI will, checking that
/// each segment ends where the engine says.
fn draw(line: &VisualLine, width: usize) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, width as u16, 1));
    for seg in &line.segments {
        let (x, _) = buf.set_stringn(seg.col as u16, 0, &seg.text, usize::MAX, Style::default());
        assert_eq!(
            x as usize,
            seg.col + seg.width,
            "ratatui drew {:?} in {} cells, the engine said {}",
            seg.text,
            x as usize - seg.col,
            seg.width
        );
    }
    buf
}

fn check_lines(text: &str, width: usize, layout: &ParagraphLayout) {
    let w = width.max(1);
    assert_ne!(layout.direction, BaseDirection::Auto);
    assert!(!layout.lines.is_empty());
    // Lines partition the logical text in order.
    assert_eq!(layout.lines[0].logical.start, 0);
    assert_eq!(layout.lines.last().unwrap().logical.end, text.len());
    for pair in layout.lines.windows(2) {
        assert_eq!(pair[0].logical.end, pair[1].logical.start);
    }
    let mut sources = Vec::new();
    for line in &layout.lines {
        check_line(line, w);
        for c in &line.clusters {
            assert!(line.logical.start <= c.source.start && c.source.end <= line.logical.end);
            sources.push(c.source.clone());
        }
    }
    // No byte is shown twice.
    sources.sort_by_key(|r| r.start);
    for pair in sources.windows(2) {
        assert!(pair[0].end <= pair[1].start, "{pair:?}");
    }
}

fn check_line(line: &VisualLine, w: usize) {
    // Never wider than the width.
    assert!(
        line.indent + line.width <= w,
        "{} + {} > {w}",
        line.indent,
        line.width
    );
    let seg_total: usize = line.segments.iter().map(|s| s.width).sum();
    assert_eq!(seg_total, line.width);
    // Segments and clusters tile [indent, indent + width) left to right.
    let mut col = line.indent;
    for seg in &line.segments {
        assert_eq!(seg.col, col);
        assert!(seg.width > 0 && !seg.text.is_empty());
        for c in seg.text.chars() {
            assert!(
                !c.is_control() && !qari::text::is_bidi_format(c),
                "{:04X} written",
                c as u32
            );
        }
        col += seg.width;
    }
    let mut col = line.indent;
    for c in &line.clusters {
        assert_eq!(c.col, col);
        assert!(c.width >= 1 && !c.source.is_empty());
        col += c.width;
    }
    assert_eq!(col, line.indent + line.width);
    if w <= u16::MAX as usize {
        draw(line, w);
    }
    // The column map is a bijection between columns and visible clusters.
    for c in &line.clusters {
        for x in c.col..c.col + c.width {
            assert_eq!(line.source_at(x), Some(c.source.clone()));
        }
        assert_eq!(line.col_of(c.source.start), Some(c.col));
        assert_eq!(line.col_of(c.source.end - 1), Some(c.col));
    }
    assert_eq!(line.source_at(line.indent + line.width), None);
    if line.indent > 0 {
        assert_eq!(line.source_at(line.indent - 1), None);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn lines_fit_and_the_column_map_is_a_bijection(
        text in text(), width in width(), dir in direction(), opts in options()
    ) {
        let layout = layout_paragraph(&text, width, dir, &[], &opts);
        check_lines(&text, width, &layout);
    }

    /// Every drawn grapheme of the input is on screen exactly once: its
    /// bytes belong to exactly one cluster, and the characters written are
    /// the input's (shaping and mirroring off), blanks at line ends aside,
    /// plus a dotted circle under each lone mark.
    #[test]
    fn every_grapheme_appears_exactly_once(
        text in text(), width in 2usize..50, dir in direction()
    ) {
        let opts = LayoutOptions { shape: false, mirror: false, ..LayoutOptions::default() };
        let layout = layout_paragraph(&text, width, dir, &[], &opts);
        let mut covered = vec![0u8; text.len()];
        let mut written: BTreeMap<char, usize> = BTreeMap::new();
        for line in &layout.lines {
            for c in &line.clusters {
                for b in c.source.clone() {
                    covered[b] += 1;
                }
            }
            for seg in &line.segments {
                for c in seg.text.chars().filter(|&c| !clean::is_space(c) && c != '\u{25CC}') {
                    *written.entry(c).or_default() += 1;
                }
            }
        }
        let mut expected: BTreeMap<char, usize> = BTreeMap::new();
        for (i, c) in text.char_indices() {
            if drawn_nonblank(c) {
                prop_assert_eq!(covered[i], 1, "{:04X} at {} in {:?}", c as u32, i, text);
                if c != '\u{FFFD}' {
                    *expected.entry(c).or_default() += 1;
                }
            } else {
                prop_assert!(covered[i] <= 1);
            }
        }
        let wide_replaced = written.remove(&'\u{FFFD}').unwrap_or(0);
        prop_assert_eq!(wide_replaced, 0);
        prop_assert_eq!(written, expected);
    }

    /// Vocalized text loses no mark: with shaping and joining on, the marks
    /// written are exactly the input's, each once.
    #[test]
    fn every_haraka_is_written_once(text in vocalized(), width in 1usize..40) {
        let layout = layout_paragraph(&text, width, BaseDirection::Auto, &[], &LayoutOptions::default());
        let mut written: BTreeMap<char, usize> = BTreeMap::new();
        for line in &layout.lines {
            for c in line.segments.iter().flat_map(|s| s.text.chars()).filter(|&c| is_mark(c)) {
                *written.entry(c).or_default() += 1;
            }
        }
        let mut expected: BTreeMap<char, usize> = BTreeMap::new();
        for c in text.chars().filter(|&c| is_mark(c)) {
            *expected.entry(c).or_default() += 1;
        }
        prop_assert_eq!(written, expected, "{:?}", text);
    }

    /// A style range covers exactly the cells of its characters after
    /// reordering: each cluster is drawn in the style of the last span that
    /// overlaps its characters, and nothing else is styled.
    #[test]
    fn styles_follow_their_characters(
        text in text(),
        width in width(),
        dir in direction(),
        opts in options(),
        picks in prop::collection::vec((0usize..400, 0usize..400, 1u16..5), 0..5),
    ) {
        let styles = spans(&text, &picks);
        let layout = layout_paragraph(&text, width, dir, &styles, &opts);
        for line in &layout.lines {
            for c in &line.clusters {
                let want = styles
                    .iter()
                    .rev()
                    .find(|s| {
                        // An empty range has no characters to cover.
                        !s.range.is_empty()
                            && s.range.start < c.source.end
                            && c.source.start < s.range.end
                    })
                    .map(|s| s.style);
                let seg = line
                    .segments
                    .iter()
                    .find(|s| s.col <= c.col && c.col < s.col + s.width)
                    .expect("every cluster is inside a segment");
                prop_assert!(c.col + c.width <= seg.col + seg.width, "cluster split across segments");
                prop_assert_eq!(seg.style, want, "cluster {:?} of {:?}", c.source, text);
            }
        }
    }

    /// Arbitrary Unicode, not just the friendly mix: nothing panics and the
    /// geometry holds.
    #[test]
    fn any_string_any_width(text in any::<String>(), width in width(), dir in direction(), opts in options()) {
        let layout = layout_paragraph(&text, width, dir, &[], &opts);
        check_lines(&text, width, &layout);
        let line = layout_line_truncated(&text, width, dir, &[], &opts);
        check_line(&line, width.max(1));
    }

    #[test]
    fn truncated_line_fits_and_keeps_the_logical_start(
        text in text(), width in 1usize..30, dir in direction(), opts in options()
    ) {
        let full = layout_paragraph(&text, 100_000, dir, &[], &opts);
        let line = layout_line_truncated(&text, width, dir, &[], &opts);
        check_line(&line, width);
        let total = full.lines[0].width;
        let ellipsis = line.segments.iter().any(|s| s.text.contains('…'));
        // (The generated text never holds an ellipsis of its own.)
        prop_assert_eq!(ellipsis, total > width);
        if total <= width {
            // Fits: the same line as an unwrapped layout, realigned.
            prop_assert_eq!(line.width, total);
        }
    }
}

/// Text nested deeper than UAX #9's 125 levels: `unicode-bidi` 0.3.18 panics
/// on this in its per-line reordering (its issue #145); the engine must not.
#[test]
fn five_hundred_nested_embeddings_and_isolates() {
    let controls = [
        ('\u{202B}', '\u{202C}'), // RLE … PDF
        ('\u{202A}', '\u{202C}'), // LRE
        ('\u{202E}', '\u{202C}'), // RLO
        ('\u{202D}', '\u{202C}'), // LRO
        ('\u{2067}', '\u{2069}'), // RLI … PDI
        ('\u{2066}', '\u{2069}'), // LRI
        ('\u{2068}', '\u{2069}'), // FSI
    ];
    for (open, close) in controls {
        for inner in ["ب", "a", "1", "ب1 (x) "] {
            let mut text = String::new();
            for _ in 0..500 {
                text.push(open);
                text.push_str(inner);
            }
            for _ in 0..500 {
                text.push(close);
                text.push_str(inner);
            }
            for width in [1, 7, 80, 10_000] {
                for dir in [BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr] {
                    let layout =
                        layout_paragraph(&text, width, dir, &[], &LayoutOptions::default());
                    check_lines(&text, width, &layout);
                    let shown: usize = layout
                        .lines
                        .iter()
                        .flat_map(|l| &l.clusters)
                        .filter(|c| !text[c.source.clone()].starts_with(' '))
                        .count();
                    let expected = inner.chars().filter(|&c| c != ' ').count() * 1000;
                    assert_eq!(
                        shown, expected,
                        "{:04X} {inner:?} width {width}",
                        open as u32
                    );
                }
            }
        }
    }
}

#[test]
fn width_one_replaces_wide_clusters_and_keeps_the_rest() {
    let text = "中ب😀a";
    let layout = layout_paragraph(text, 1, BaseDirection::Ltr, &[], &LayoutOptions::default());
    check_lines(text, 1, &layout);
    let shown: Vec<String> = layout
        .lines
        .iter()
        .map(|l| l.segments.iter().map(|s| s.text.as_str()).collect())
        .collect();
    assert_eq!(shown, ["\u{FFFD}", "\u{FE8F}", "\u{FFFD}", "a"]);
}

#[test]
fn width_ten_thousand_is_one_line() {
    let text = "كلمة ".repeat(1500);
    let layout = layout_paragraph(
        &text,
        10_000,
        BaseDirection::Auto,
        &[],
        &LayoutOptions::default(),
    );
    check_lines(&text, 10_000, &layout);
    assert_eq!(layout.lines.len(), 1);
    assert_eq!(layout.lines[0].width, 1500 * 5 - 1);
    assert_eq!(layout.lines[0].indent, 10_000 - (1500 * 5 - 1));
}

/// The `bidi = terminal` path as it was before the engine could write
/// logical order itself: lay out in screen order, then put the clusters
/// back in logical order by looking each one up by column (quadratic).
/// Kept verbatim as the oracle, with one fix marked below.
fn reordered_then_unreordered(line: VisualLine) -> VisualLine {
    use qari::layout::{Cluster, Segment, StyleId};
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    let mut glyphs: Vec<(usize, String, Option<StyleId>)> = Vec::new();
    for seg in &line.segments {
        let mut col = seg.col;
        for g in seg.text.graphemes(true) {
            let w = g.width();
            glyphs.push((col, g.to_string(), seg.style));
            col += w.max(1);
        }
    }
    let mut order: Vec<&Cluster> = line.clusters.iter().collect();
    order.sort_by_key(|c| (c.source.start, c.col));
    let mut segments: Vec<Segment> = Vec::new();
    let mut col = line.indent;
    for c in order {
        // Fix: the old code took only the grapheme at the cluster's first
        // column, so a tab (several blank graphemes) was written as one
        // space in four cells; take every grapheme inside the cluster.
        let mut inside = glyphs
            .iter()
            .filter(|(gc, _, _)| c.col <= *gc && *gc < c.col + c.width);
        let Some((_, first, style)) = inside.next() else {
            continue;
        };
        let mut g = first.clone();
        for (_, more, _) in inside {
            g.push_str(more);
        }
        match segments.last_mut() {
            Some(last) if last.style == *style && last.col + last.width == col => {
                last.text.push_str(&g);
                last.width += c.width;
            }
            _ => segments.push(Segment {
                text: g,
                style: *style,
                col,
                width: c.width,
            }),
        }
        col += c.width;
    }
    let mut clusters = line.clusters.clone();
    clusters.sort_by_key(|c| c.source.start);
    let mut x = line.indent;
    for c in &mut clusters {
        c.col = x;
        x += c.width;
    }
    VisualLine {
        segments,
        clusters,
        ..line
    }
}

/// What a line shows, style by style: runs of (style, text) with adjacent
/// runs of one style merged, since where a run is cut in two does not show.
fn styled_runs(line: &VisualLine) -> Vec<(Option<u16>, usize, String)> {
    let mut runs: Vec<(Option<u16>, usize, String)> = Vec::new();
    for seg in &line.segments {
        match runs.last_mut() {
            Some((style, _, text)) if *style == seg.style => text.push_str(&seg.text),
            _ => runs.push((seg.style, seg.col, seg.text.clone())),
        }
    }
    runs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// `bidi = terminal`: the engine's own logical-order lines show what
    /// the old reorder-then-unreorder path showed, cluster for cluster.
    #[test]
    fn logical_order_equals_the_old_terminal_path(
        text in text(), width in width(), dir in direction(), mirror in any::<bool>(),
        picks in prop::collection::vec((0usize..200, 0usize..200, 1u16..4), 0..4),
    ) {
        let styles = spans(&text, &picks);
        let visual = LayoutOptions { shape: false, mirror, ..LayoutOptions::default() };
        let old = layout_paragraph(&text, width, dir, &styles, &visual);
        let new = terminal_paragraph(&text, width, dir, &styles, &visual);
        prop_assert_eq!(old.direction, new.direction);
        prop_assert_eq!(old.lines.len(), new.lines.len());
        for (o, n) in old.lines.into_iter().zip(&new.lines) {
            let o = reordered_then_unreordered(o);
            prop_assert_eq!(&o.logical, &n.logical);
            prop_assert_eq!((o.indent, o.width), (n.indent, n.width));
            prop_assert_eq!(&o.clusters, &n.clusters);
            prop_assert_eq!(styled_runs(&o), styled_runs(n));
        }
        let old = layout_line_truncated(&text, width, dir, &styles, &visual);
        let new = terminal_line(&text, width, dir, &styles, &visual);
        let old = reordered_then_unreordered(old);
        prop_assert_eq!(&old.clusters, &new.clusters);
        prop_assert_eq!(styled_runs(&old), styled_runs(&new));
    }
}

/// The `bidi = terminal` path under test: the engine writing logical order.
fn terminal_options(visual: &LayoutOptions) -> LayoutOptions {
    LayoutOptions {
        reorder: false,
        ..visual.clone()
    }
}

fn terminal_paragraph(
    text: &str,
    width: usize,
    dir: BaseDirection,
    styles: &[StyleSpan],
    visual: &LayoutOptions,
) -> ParagraphLayout {
    layout_paragraph(text, width, dir, styles, &terminal_options(visual))
}

fn terminal_line(
    text: &str,
    width: usize,
    dir: BaseDirection,
    styles: &[StyleSpan],
    visual: &LayoutOptions,
) -> VisualLine {
    layout_line_truncated(text, width, dir, styles, &terminal_options(visual))
}
