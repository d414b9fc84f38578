//! Precision, recall and F1 of the entity recognizer, per kind, for exact
//! spans and for distinct names, on the project's two own sets and on the
//! ANERcorp test split:
//! - the tuning set (`tests/data/ner-eval/*.txt`, 22 articles the rules
//!   were shaped on);
//! - the held-out set (`tests/data/ner-heldout/*.txt`, articles with
//!   headlines from sites of every region, never tuned on: only its totals
//!   are printed, never its errors);
//! - the second held-out set (`tests/data/ner-heldout2/*.txt`, 24 articles
//!   written after every rule of the first round, likewise totals only);
//! - the third held-out set (`tests/data/ner-heldout3/*.txt`, 15 articles
//!   written and committed before any run on them, likewise totals only);
//! - the fourth held-out set (`tests/data/ner-heldout4/*.txt`, 20 articles
//!   written and committed before any run on them, likewise totals only).
//!
//! ```sh
//! cargo run --release --example eval_entities            # both own sets + ANERcorp test
//! cargo run --release --example eval_entities -- --dev   # ANERcorp dev (last 10% of train) instead of test
//! cargo run --release --example eval_entities -- --dev --model M  # the pipeline with a held-out model
//! cargo run --release --example eval_entities -- --errors  # also list tuning-set misses
//! cargo run --release --example eval_entities -- --window 20  # ANERcorp in 20-sentence articles
//! cargo run --release --example eval_entities -- --tagger-only  # ANERcorp, CRF alone
//! ```
//!
//! ANERcorp is looked for in `shared/ner/` beside the repository (or any of
//! its parents), or in `$QARI_NER_DATA`; when it is absent that part is
//! skipped with a message. The test split is for reporting only: nothing in
//! qari is tuned on it.

use qari::entities::crf::{Tag, Tagger};
use qari::entities::eval::{conll_paragraph, parse_markup, snap_to_tokens, spans_of, Scores, Span};
use qari::entities::{Block, Recognizer};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn ner_data_dir() -> Option<PathBuf> {
    Some(qari::entities::conll::data_dir(None)).filter(|d| d.join("anercorp-test.conll").is_file())
}

/// Scores of the recognizer on a directory of inline-markup articles; with
/// `show_errors`, every miss and false hit is printed (tuning set only).
fn markup_set(recognizer: &Recognizer, dir: &str, show_errors: bool) -> Scores {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut scores = Scores::default();
    let mut title_gold = 0;
    for path in &files {
        let source = std::fs::read_to_string(path).expect("readable eval file");
        let doc = parse_markup(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let paragraphs = doc.paragraph_refs();
        let title = doc.title_ref();
        let predicted = spans_of(&recognizer.recognize_blocks(doc.title.as_deref(), &paragraphs));
        scores.add_doc(title, &paragraphs, &doc.gold, &predicted);
        title_gold += doc.gold.iter().filter(|s| s.block == Block::Title).count();
        if show_errors {
            let name = path.file_name().unwrap().to_string_lossy();
            let show = |s: &Span| {
                let text = qari::entities::eval::block_text(title, &paragraphs, s.block);
                format!("{:?} «{}»", s.kind, &text[s.start..s.end])
            };
            for s in predicted.iter().filter(|s| !doc.gold.contains(s)) {
                println!("{name}: FP {}", show(s));
            }
            for s in doc.gold.iter().filter(|s| !predicted.contains(s)) {
                println!("{name}: FN {}", show(s));
            }
        }
    }
    let all = scores.span_over(&qari::entities::eval::KINDS);
    println!(
        "{}: {} articles, {} gold mentions ({title_gold} in headlines)",
        dir.file_name().unwrap().to_string_lossy(),
        files.len(),
        all.tp + all.fn_
    );
    scores
}

/// The statistical tagger's spans alone, for comparison (`--tagger-only`).
fn tagger_spans(tagger: &Tagger, paragraph: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for (tok, tag) in tagger.tag_text(paragraph) {
        match tag {
            Tag::B(kind) => out.push(Span {
                block: Block::Paragraph(0),
                start: tok.start,
                end: tok.end,
                kind,
            }),
            Tag::I(_) => {
                if let Some(last) = out.last_mut() {
                    last.end = tok.end;
                }
            }
            Tag::O => {}
        }
    }
    out
}

fn conll(recognizer: &Recognizer, tagger: &Tagger, path: &Path, dev_only: bool) -> Scores {
    let text = std::fs::read_to_string(path).expect("readable CoNLL file");
    let (mut sentences, _) = qari::entities::conll::read_conll(&text);
    if dev_only {
        // The same dev split as train_ner: the last len / 10 sentences.
        let cut = sentences.len() - sentences.len() / 10;
        sentences.drain(..cut);
    }
    let mut scores = Scores::default();
    let started = Instant::now();
    // `--window N`: N consecutive sentences form one article (a paragraph
    // each), so document-level propagation can work; the default, one
    // sentence at a time, is the reported protocol.
    let window = std::env::args()
        .skip_while(|a| a != "--window")
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    for chunk in sentences.chunks(window) {
        let mut paragraphs = Vec::new();
        let mut gold = Vec::new();
        let mut ranges = Vec::new();
        for (i, s) in chunk.iter().enumerate() {
            let (paragraph, g, r) = conll_paragraph(s);
            gold.extend(g.into_iter().map(|mut span| {
                span.block = Block::Paragraph(i);
                span
            }));
            paragraphs.push(paragraph);
            ranges.push(r);
        }
        let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let raw = if std::env::args().any(|a| a == "--tagger-only") {
            let mut out = Vec::new();
            for (i, p) in refs.iter().enumerate() {
                out.extend(tagger_spans(tagger, p).into_iter().map(|mut span| {
                    span.block = Block::Paragraph(i);
                    span
                }));
            }
            out
        } else {
            spans_of(&recognizer.recognize(&refs))
        };
        let mut predicted = Vec::new();
        for (i, r) in ranges.iter().enumerate() {
            let mine: Vec<Span> = raw
                .iter()
                .filter(|s| s.block == Block::Paragraph(i))
                .cloned()
                .collect();
            predicted.extend(snap_to_tokens(&mine, r));
        }
        scores.add_doc("", &refs, &gold, &predicted);
        // Error listings only for the dev split: the test split is never
        // looked at closely.
        if dev_only && std::env::args().any(|a| a == "--errors") {
            let show =
                |s: &Span| &qari::entities::eval::block_text("", &refs, s.block)[s.start..s.end];
            for p in predicted.iter().filter(|p| !gold.contains(p)) {
                println!("dev FP {:?} «{}»", p.kind, show(p));
            }
            for g in gold.iter().filter(|g| !predicted.contains(g)) {
                println!("dev FN {:?} «{}»", g.kind, show(g));
            }
        }
    }
    println!(
        "{}: {} sentences in {:.2?}",
        path.file_name().unwrap().to_string_lossy(),
        sentences.len(),
        started.elapsed()
    );
    scores
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--model PATH`: a model trained without the dev split, to score the
    // whole pipeline on held-out dev sentences (`--dev`).
    let tagger: &'static Tagger = match args.iter().skip_while(|a| *a != "--model").nth(1) {
        Some(path) => {
            let tagger = Tagger::from_files(Path::new(path)).expect("model and names list");
            Box::leak(Box::new(tagger))
        }
        None => Tagger::builtin(),
    };
    let recognizer = Recognizer::builtin().with_tagger(tagger);
    let tuning = markup_set(
        &recognizer,
        "tests/data/ner-eval",
        args.iter().any(|a| a == "--errors"),
    );
    println!("{}", tuning.report());
    // Never with errors: looking at them would make it a tuning set.
    let heldout = markup_set(&recognizer, "tests/data/ner-heldout", false);
    println!("{}", heldout.report());
    let heldout2 = markup_set(&recognizer, "tests/data/ner-heldout2", false);
    println!("{}", heldout2.report());
    let heldout3 = markup_set(&recognizer, "tests/data/ner-heldout3", false);
    println!("{}", heldout3.report());
    let heldout4 = markup_set(&recognizer, "tests/data/ner-heldout4", false);
    println!("{}", heldout4.report());
    let Some(dir) = ner_data_dir() else {
        println!("ANERcorp not found (shared/ner/anercorp-test.conll beside the repository, or $QARI_NER_DATA): skipped");
        return;
    };
    if args.iter().any(|a| a == "--dev") {
        println!("ANERcorp dev (last 10% of anercorp-train.conll):");
        let s = conll(&recognizer, tagger, &dir.join("anercorp-train.conll"), true);
        println!("{}", s.report());
        // Choosing between models looks at dev only: the test split is
        // scored in a run of its own, once the choice is made.
        return;
    }
    println!("ANERcorp test (report only, never tuned on):");
    let s = conll(&recognizer, tagger, &dir.join("anercorp-test.conll"), false);
    println!("{}", s.report());
}
