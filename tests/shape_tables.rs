//! The generated shaping tables (src/layout/shape/tables.rs, from
//! scripts/gen-shape-tables.py) checked in full against the Unicode
//! Character Database they were generated from, through the public API.
//!
//! Reads `$QARI_UCD_DIR` or /usr/share/unicode (Debian: unicode-data). Where
//! neither has the files, the test says so on stderr and checks nothing
//! more; the unit test `generated_tables_known_entries` in src/layout/shape.rs
//! pins known entries without any data files.

use std::collections::HashMap;
use std::path::PathBuf;

use qari::layout::shape::{joining_type, shape, JoiningType};

fn ucd_file(name: &str) -> Option<String> {
    let dir = std::env::var_os("QARI_UCD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/unicode"));
    std::fs::read_to_string(dir.join(name)).ok()
}

/// Fields of the data lines of a UCD file (comments and blanks dropped).
fn records(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().filter_map(|line| {
        let data = line.split('#').next().unwrap_or("").trim();
        (!data.is_empty()).then(|| data.split(';').map(str::trim).collect())
    })
}

fn code_point(hex: &str) -> char {
    char::from_u32(u32::from_str_radix(hex, 16).expect("hex code point")).expect("scalar value")
}

#[test]
fn tables_match_the_unicode_data() {
    let (Some(shaping), Some(unicode_data)) =
        (ucd_file("ArabicShaping.txt"), ucd_file("UnicodeData.txt"))
    else {
        eprintln!("ArabicShaping.txt/UnicodeData.txt not found: full table check skipped");
        return;
    };

    // Joining_Type: listed explicitly, else T for Mn/Me/Cf, else U.
    let mut expected: HashMap<u32, JoiningType> = HashMap::new();
    let mut range_start = None;
    let mut forms: Vec<(char, &str, char)> = Vec::new();
    for fields in records(&unicode_data) {
        let cp = u32::from_str_radix(fields[0], 16).unwrap();
        let name = fields[1];
        if name.ends_with(", First>") {
            range_start = Some(cp);
            continue;
        }
        let first = if name.ends_with(", Last>") {
            range_start.take().unwrap_or(cp)
        } else {
            cp
        };
        if matches!(fields[2], "Mn" | "Me" | "Cf") {
            for c in first..=cp {
                expected.insert(c, JoiningType::Transparent);
            }
        }
        let mut decomposition = fields[5].split(' ');
        if let (Some(tag), Some(base), None) = (
            decomposition.next(),
            decomposition.next(),
            decomposition.next(),
        ) {
            if matches!(tag, "<isolated>" | "<final>" | "<initial>" | "<medial>") {
                forms.push((code_point(base), tag, char::from_u32(cp).unwrap()));
            }
        }
    }
    let mut listed = 0;
    for fields in records(&shaping) {
        let kind = match fields[2] {
            "R" => JoiningType::Right,
            "L" => JoiningType::Left,
            "D" => JoiningType::Dual,
            "C" => JoiningType::Causing,
            "T" => JoiningType::Transparent,
            "U" => JoiningType::NonJoining,
            other => panic!("unknown joining type {other}"),
        };
        expected.insert(u32::from_str_radix(fields[0], 16).unwrap(), kind);
        listed += 1;
    }
    assert!(listed > 500, "ArabicShaping.txt looks truncated");
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let want = expected
            .get(&(c as u32))
            .copied()
            .unwrap_or(JoiningType::NonJoining);
        assert_eq!(joining_type(c), want, "U+{:04X}", c as u32);
    }

    // Every single-letter presentation form comes out of `shape` in its
    // position: the letter alone, after / before / between tatweels.
    assert!(forms.len() > 200, "UnicodeData.txt looks truncated");
    const TATWEEL: char = '\u{0640}';
    for (base, tag, form) in forms {
        let (text, at) = match tag {
            "<isolated>" => (vec![base], 0),
            "<final>" => (vec![TATWEEL, base], 1),
            "<initial>" => (vec![base, TATWEEL], 0),
            _ => (vec![TATWEEL, base, TATWEEL], 1),
        };
        // Hamza is non-joining and keeps its own code point, as in FriBidi.
        let want = if joining_type(base) == JoiningType::NonJoining {
            base
        } else {
            form
        };
        assert_eq!(
            shape(&text)[at],
            Some(want),
            "{tag} U+{:04X} -> U+{:04X}",
            base as u32,
            form as u32
        );
    }
}
