//! Score the CRF tagger on the ANERcorp dev split (last 10% of
//! anercorp-train) and on the ANERcorp test split: precision, recall and F1
//! per kind, exact spans (conlleval reading), plus tagging speed.
//!
//!     cargo run --release --example eval_ner [-- DATA_DIR [MODEL]]
//!
//! DATA_DIR defaults to `$QARI_NER_DATA`, else `../shared/ner` or
//! `../../shared/ner`. MODEL defaults to the built-in model. When the corpus
//! is absent the example says so and exits successfully. With
//! `QARI_NER_ERRORS=1` it lists the dev split's missed (-) and spurious (+)
//! spans. The test split is
//! for reporting only: nothing is tuned on it.

use std::path::Path;
use std::time::Instant;

use qari::entities::conll::{data_dir, read_conll, spans, Sentence, SpanScores};
use qari::entities::crf::{Tag, Tagger};

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

fn score(tagger: &Tagger, name: &str, sentences: &[Sentence], show_errors: bool) {
    let mut scores = SpanScores::default();
    let started = Instant::now();
    let mut tokens = 0;
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        tokens += toks.len();
        let predicted = tagger.tag(&toks);
        if show_errors {
            print_errors(&toks, &s.tags, &predicted);
        }
        scores.add(&s.tags, &predicted);
    }
    let took = started.elapsed();
    println!(
        "\n{name}: {} sentences, {tokens} tokens, tagged in {took:.1?} ({:.1} µs/token)",
        sentences.len(),
        took.as_secs_f64() * 1e6 / tokens.max(1) as f64
    );
    print!("{}", scores.table());
}

/// Missed (`-`) and spurious (`+`) spans of one sentence.
fn print_errors(toks: &[&str], gold: &[Tag], predicted: &[Tag]) {
    let g = spans(gold);
    let p = spans(predicted);
    for (mark, list, other) in [("-", &g, &p), ("+", &p, &g)] {
        for s in list.iter().filter(|s| !other.contains(s)) {
            let lo = s.0.saturating_sub(3);
            let hi = (s.1 + 3).min(toks.len());
            println!(
                "{mark} {:?} {} | {} [{}] {}",
                s.2,
                toks[s.0..s.1].join(" "),
                toks[lo..s.0].join(" "),
                toks[s.0..s.1].join(" "),
                toks[s.1..hi].join(" ")
            );
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = data_dir(args.next());
    let model_arg = args.next();
    let builtin = model_arg.is_none();
    let tagger: &Tagger = match model_arg {
        Some(path) => match Tagger::from_files(std::path::Path::new(&path)) {
            Ok(t) => Box::leak(Box::new(t)),
            Err(e) => {
                eprintln!("eval_ner: cannot load model {path} (and the names list beside it): {e}");
                std::process::exit(1);
            }
        },
        None => Tagger::builtin(),
    };
    println!("corpus directory: {}", dir.display());
    if let Some(train) = load(&dir, "anercorp-train.conll") {
        let split = train.len() - train.len() / 10;
        // Error listings only for the dev split: the test split is not
        // looked at in detail.
        let show = std::env::var("QARI_NER_ERRORS").is_ok_and(|v| v == "1");
        let name = if builtin {
            // Settings were chosen on the held-out split first, then the
            // shipped model was retrained on all of anercorp-train.
            "dev split (last 10% of anercorp-train; the built-in model was trained on it \
             too, held-out figures are in data/ner/README.md)"
        } else {
            "dev split (last 10% of anercorp-train)"
        };
        score(tagger, name, &train[split..], show);
    }
    if let Some(test) = load(&dir, "anercorp-test.conll") {
        score(tagger, "anercorp-test (reporting only)", &test, false);
    }
}
