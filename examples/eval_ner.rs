//! Score the CRF tagger on the ANERcorp dev split (last 10% of
//! anercorp-train) and on the ANERcorp test split: precision, recall and F1
//! per kind, exact spans (conlleval reading), plus tagging speed.
//!
//!     cargo run --release --example eval_ner [-- DATA_DIR [MODEL]]
//!
//! DATA_DIR defaults to `$QARI_NER_DATA`, else `../shared/ner` or
//! `../../shared/ner`. MODEL defaults to the built-in model. When the corpus
//! is absent the example says so and exits successfully. The test split is
//! for reporting only: nothing is tuned on it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use qari::entities::conll::{read_conll, Sentence, SpanScores};
use qari::entities::crf::Tagger;

fn data_dir(arg: Option<String>) -> PathBuf {
    let given = arg.or_else(|| std::env::var("QARI_NER_DATA").ok());
    if let Some(dir) = given.filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    ["../shared/ner", "../../shared/ner"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("../shared/ner"))
}

fn load(dir: &Path, name: &str) -> Option<Vec<Sentence>> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(read_conll(&text).0),
        Err(e) => {
            println!("SKIPPED {name}: cannot read {} ({e})", path.display());
            None
        }
    }
}

fn score(tagger: &Tagger, name: &str, sentences: &[Sentence]) {
    let mut scores = SpanScores::default();
    let started = Instant::now();
    let mut tokens = 0;
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        tokens += toks.len();
        scores.add(&s.tags, &tagger.tag(&toks));
    }
    let took = started.elapsed();
    println!(
        "\n{name}: {} sentences, {tokens} tokens, tagged in {took:.1?} ({:.1} µs/token)",
        sentences.len(),
        took.as_secs_f64() * 1e6 / tokens.max(1) as f64
    );
    print!("{}", scores.table());
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = data_dir(args.next());
    let tagger: &Tagger = match args.next() {
        Some(path) => {
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("eval_ner: cannot read model {path}: {e}");
                    std::process::exit(1);
                }
            };
            match Tagger::from_bytes(&bytes) {
                Ok(t) => Box::leak(Box::new(t)),
                Err(e) => {
                    eprintln!("eval_ner: {path} is not a CRFsuite model: {e}");
                    std::process::exit(1);
                }
            }
        }
        None => Tagger::builtin(),
    };
    println!("corpus directory: {}", dir.display());
    if let Some(train) = load(&dir, "anercorp-train.conll") {
        let split = train.len() - train.len() / 10;
        score(
            tagger,
            "dev split (last 10% of anercorp-train)",
            &train[split..],
        );
    }
    if let Some(test) = load(&dir, "anercorp-test.conll") {
        score(tagger, "anercorp-test (reporting only)", &test);
    }
}
