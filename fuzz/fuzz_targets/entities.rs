//! The entity recognizer on paragraphs built from Arabic names, clitics,
//! marks, joiners and free text; folding and the user entity file parser
//! on the same text.

#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use qari::entities::{Recognizer, UserEntities};

#[derive(Arbitrary, Debug)]
struct Input {
    paragraphs: Vec<Vec<common::Piece>>,
    user_file: String,
}

fn recognizer() -> &'static Recognizer {
    static R: OnceLock<Recognizer> = OnceLock::new();
    R.get_or_init(Recognizer::builtin)
}

fuzz_target!(|input: Input| {
    let texts: Vec<String> = input
        .paragraphs
        .iter()
        .take(16)
        .map(|p| common::build_text(p))
        .collect();
    let paragraphs: Vec<&str> = texts.iter().map(String::as_str).collect();
    for entity in recognizer().recognize(&paragraphs) {
        assert!(!entity.text.trim().is_empty());
        assert!(entity.count >= 1 && !entity.mentions.is_empty());
        for m in &entity.mentions {
            let text = paragraphs[m.paragraph];
            assert!(
                m.start < m.end && m.end <= text.len(),
                "{m:?} in {} bytes",
                text.len()
            );
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
    for text in &paragraphs {
        let folded = qari::text::fold::fold_arabic(text);
        for (i, _) in folded.text.char_indices() {
            let r = folded.original_range(i..folded.text.len());
            assert!(r.start <= r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        let clean = qari::text::sanitize_line(text);
        assert!(!clean
            .chars()
            .any(|c| c.is_control() || qari::text::is_bidi_format(c)));
    }
    match UserEntities::parse(&input.user_file, std::path::Path::new("entities.toml")) {
        Ok(user) => {
            let r = Recognizer::new(user);
            r.recognize(&paragraphs);
        }
        Err(e) => common::assert_clean_message(&e.to_string()),
    }
});
