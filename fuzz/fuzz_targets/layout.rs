//! The layout engine on any text, width, direction, style spans (including
//! out-of-range, reversed and mid-character ones) and options.

#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use qari::layout::{
    layout_line_truncated, layout_paragraph, Alignment, BaseDirection, LayoutOptions, StyleSpan,
};

#[derive(Arbitrary, Debug)]
enum Width {
    Zero,
    One,
    Two,
    Small(u8),
    Medium(u16),
    HalfMax,
    Max,
}

#[derive(Arbitrary, Debug)]
struct Input {
    pieces: Vec<common::Piece>,
    width: Width,
    direction: u8,
    /// Byte offsets taken modulo `text.len() + 8`, so spans land inside,
    /// past the end and in the middle of characters.
    spans: Vec<(u32, u32, u16)>,
    shape: bool,
    mirror: bool,
    align: u8,
    truncated: bool,
}

fuzz_target!(|input: Input| {
    let text = common::build_text(&input.pieces);
    let width = match input.width {
        Width::Zero => 0,
        Width::One => 1,
        Width::Two => 2,
        Width::Small(n) => n as usize,
        Width::Medium(n) => n as usize,
        Width::HalfMax => usize::MAX / 2,
        Width::Max => usize::MAX,
    };
    let direction = match input.direction % 3 {
        0 => BaseDirection::Auto,
        1 => BaseDirection::Rtl,
        _ => BaseDirection::Ltr,
    };
    let modulus = text.len() as u64 + 8;
    let spans: Vec<StyleSpan> = input
        .spans
        .iter()
        .take(64)
        .map(|&(a, b, style)| StyleSpan {
            range: (a as u64 % modulus) as usize..(b as u64 % modulus) as usize,
            style,
        })
        .collect();
    let options = LayoutOptions {
        shape: input.shape,
        mirror: input.mirror,
        align: match input.align % 3 {
            0 => Alignment::Start,
            1 => Alignment::Left,
            _ => Alignment::Right,
        },
    };
    if input.truncated {
        let line = layout_line_truncated(&text, width, direction, &spans, &options);
        assert_eq!(line.logical, 0..text.len());
        common::check_line(&text, &line, width.max(1));
    } else {
        let layout = layout_paragraph(&text, width, direction, &spans, &options);
        common::check_paragraph(&text, width, &layout);
    }
});
