//! Unicode conformance: every case of BidiCharacterTest.txt (UCD 15.0.0,
//! vendored compressed in tests/data/ with its license note) through the
//! public layout API, shaping off, must come out in the expected visual
//! order.
//!
//! What the engine does on purpose and the test therefore expects:
//! - Rule L3: combining marks follow their base. The file gives the order of
//!   UAX #9 without L3, where the marks of a right-to-left letter come
//!   before it; the test puts each grapheme cluster's characters back in
//!   logical order wherever the file keeps them together.
//! - Characters never drawn (bidi formatting characters, LRM/RLM/ALM, ZWJ,
//!   ZWNJ and the other invisible format characters, controls) are left out
//!   of both orders: the file lists isolates and marks as if drawn.
//! - Blank space a line ends in is not drawn (the rule); by L1 it
//!   sits at the line's edge anyway, so it is left out of the expected order.
//!
//! Run with `--nocapture` to see the pass count.

use std::io::Read;

use flate2::read::GzDecoder;
use qari::layout::clean::{self, Kind};
use qari::layout::{layout_paragraph, BaseDirection, LayoutOptions};
use unicode_segmentation::UnicodeSegmentation;

const DATA: &[u8] = include_bytes!("data/BidiCharacterTest-15.0.0.txt.gz");

struct Case {
    line: usize,
    chars: Vec<char>,
    direction: BaseDirection,
    para_level: u8,
    order: Vec<usize>,
}

fn cases() -> Vec<Case> {
    let mut text = String::new();
    GzDecoder::new(DATA)
        .read_to_string(&mut text)
        .expect("vendored BidiCharacterTest decompresses");
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(';').collect();
        assert_eq!(fields.len(), 5, "line {}", n + 1);
        let chars = fields[0]
            .split_whitespace()
            .map(|h| char::from_u32(u32::from_str_radix(h, 16).unwrap()).unwrap())
            .collect();
        let direction = match fields[1] {
            "0" => BaseDirection::Ltr,
            "1" => BaseDirection::Rtl,
            "2" => BaseDirection::Auto,
            other => panic!("line {}: direction {other}", n + 1),
        };
        out.push(Case {
            line: n + 1,
            chars,
            direction,
            para_level: fields[2].parse().unwrap(),
            order: fields[4]
                .split_whitespace()
                .map(|i| i.parse().unwrap())
                .collect(),
        });
    }
    out
}

fn drawn(c: char) -> bool {
    !matches!(clean::kind(c), Kind::Format | Kind::Control)
}

fn blank(c: char) -> bool {
    match clean::kind(c) {
        Kind::Tab | Kind::Break => true,
        Kind::Shown => clean::is_space(c),
        _ => false,
    }
}

/// The file's order, restated for a renderer that applies L3 and does not
/// draw invisible characters or line-end blanks.
fn expected(case: &Case) -> Vec<usize> {
    let n = case.chars.len();
    let mut trailing = vec![false; n];
    for i in (0..n).rev() {
        if !drawn(case.chars[i]) {
            continue;
        }
        if !blank(case.chars[i]) {
            break;
        }
        trailing[i] = true;
    }
    let text: String = case.chars.iter().collect();
    let mut grapheme_of = Vec::with_capacity(n);
    for (g, cluster) in text.graphemes(true).enumerate() {
        grapheme_of.extend(std::iter::repeat_n(g, cluster.chars().count()));
    }
    let kept: Vec<usize> = case
        .order
        .iter()
        .copied()
        .filter(|&i| drawn(case.chars[i]) && !trailing[i])
        .collect();
    // L3: a cluster reversed by an odd level reads base first again.
    let mut out = Vec::with_capacity(kept.len());
    let mut i = 0;
    while i < kept.len() {
        let mut j = i + 1;
        while j < kept.len() && grapheme_of[kept[j]] == grapheme_of[kept[i]] {
            j += 1;
        }
        let mut group = kept[i..j].to_vec();
        group.sort_unstable();
        out.extend(group);
        i = j;
    }
    out
}

/// The engine's screen order, as indices of the characters each cluster
/// shows.
fn actual(case: &Case) -> Result<Vec<usize>, String> {
    let text: String = case.chars.iter().collect();
    let options = LayoutOptions {
        shape: false,
        ..LayoutOptions::default()
    };
    let layout = layout_paragraph(&text, 10_000, case.direction, &[], &options);
    let want_rtl = case.para_level == 1;
    if (layout.direction == BaseDirection::Rtl) != want_rtl {
        return Err(format!("paragraph direction {:?}", layout.direction));
    }
    if layout.lines.len() != 1 {
        return Err(format!("{} lines", layout.lines.len()));
    }
    let char_at: std::collections::HashMap<usize, usize> = text
        .char_indices()
        .enumerate()
        .map(|(i, (b, _))| (b, i))
        .collect();
    let mut out = Vec::new();
    for cluster in &layout.lines[0].clusters {
        for (b, c) in text[cluster.source.clone()].char_indices() {
            if drawn(c) {
                out.push(char_at[&(cluster.source.start + b)]);
            }
        }
    }
    Ok(out)
}

#[test]
fn bidi_character_test_visual_order() {
    let cases = cases();
    assert!(cases.len() > 90_000, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let want = expected(case);
        match actual(case) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!(
                "line {}: {:04X?} dir {:?}\n  want {want:?}\n  got  {got:?}",
                case.line,
                case.chars.iter().map(|&c| c as u32).collect::<Vec<_>>(),
                case.direction,
            )),
            Err(e) => failures.push(format!("line {}: {e}", case.line)),
        }
    }
    eprintln!(
        "BidiCharacterTest 15.0.0: {} of {} cases pass",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(15)].join("\n")
    );
}

/// The L3 restatement must matter: without it, marks after right-to-left
/// letters would be expected before their base, and the engine (which keeps
/// them after) would fail. Few cases of the file have combining marks (U+0301,
/// U+0331–U+0333, U+20D6); this guards against a vacuous `expected`.
#[test]
fn l3_is_the_difference_the_test_knows() {
    let cases = cases();
    let differing = cases
        .iter()
        .filter(|case| {
            let raw: Vec<usize> = case
                .order
                .iter()
                .copied()
                .filter(|&i| drawn(case.chars[i]))
                .collect();
            let restated = expected(case);
            raw.len() == restated.len() && raw != restated
        })
        .count();
    eprintln!("cases where L3 changes the expected order: {differing}");
    assert!(differing >= 10, "{differing}");
}
