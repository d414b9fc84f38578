//! The recognizer on the project's own evaluation set
//! (`tests/data/ner-eval/`) must stay above floors set a little below the
//! measured scores, so a change that makes recognition worse fails here.
//! The full report with per-kind figures and ANERcorp is
//! `cargo run --release --example eval_entities`.

use qari::entities::eval::{parse_markup, spans_of, Scores};
use qari::entities::{EntityKind, Recognizer};
use std::path::Path;

fn own_set_scores() -> Scores {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ner-eval");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "the evaluation set has {} articles",
        files.len()
    );
    let recognizer = Recognizer::builtin();
    let mut scores = Scores::default();
    for path in files {
        let doc = parse_markup(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let paragraphs: Vec<&str> = doc.paragraphs.iter().map(String::as_str).collect();
        let predicted = spans_of(&recognizer.recognize(&paragraphs));
        scores.add_doc(&paragraphs, &doc.gold, &predicted);
    }
    scores
}

#[test]
fn own_evaluation_set_stays_above_its_floor() {
    let scores = own_set_scores();
    let report = scores.report();
    let per_loc = scores
        .span_over(&[EntityKind::Person, EntityKind::Place])
        .f1();
    let org = scores.span(EntityKind::Org).f1();
    let names = scores
        .name_over(&[EntityKind::Person, EntityKind::Place])
        .f1();
    // Floors: measured minus about 0.02 (see the README for the figures).
    assert!(
        per_loc >= 0.84,
        "people+places span F1 {per_loc:.3}\n{report}"
    );
    assert!(names >= 0.83, "people+places name F1 {names:.3}\n{report}");
    assert!(org >= 0.71, "organizations span F1 {org:.3}\n{report}");
}

#[test]
fn gold_spans_are_well_formed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ner-eval");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let doc = parse_markup(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(doc.paragraphs.len() >= 4, "{}", path.display());
        for s in &doc.gold {
            let p = &doc.paragraphs[s.paragraph];
            let text = &p[s.start..s.end];
            assert!(!text.starts_with(' ') && !text.ends_with(' '), "{text}");
        }
    }
}
