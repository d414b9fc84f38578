//! Train the NER model shipped as `data/ner/model.crfsuite`.
//!
//!     cargo run --release --example train_ner [-- DATA_DIR [OUT]]
//!
//! DATA_DIR (default `$QARI_NER_DATA`, else `../shared/ner` or
//! `../../shared/ner`, whichever exists) holds the CoNLL
//! files described in `data/ner/README.md`. The last 10% of the sentences of
//! `anercorp-train.conll` are held out as the dev split and scored at the
//! end; `anercorp-test.conll` is never read here. Besides the model, the
//! list of names seen in training is written beside it
//! (`model.crfsuite` → `model.seen.tsv`); the tagger needs both. So is a
//! fingerprint of the lists the features read (`model.lists`), which a test
//! compares with the lists compiled in.
//!
//! Settings (environment), defaults chosen on the dev split: `QARI_NER_C1`
//! (L1, default 0.5), `QARI_NER_C2` (L2, default 0.01), `QARI_NER_ITERS`
//! (default 150), `QARI_NER_MINFREQ` (feature minimum frequency, default 2),
//! `QARI_NER_AQMAR` (1 to add the AQMAR Wikipedia corpus, 2 to add it with
//! domain-marked copies of its features; both lowered dev PER+LOC F1, so it
//! is off), `QARI_NER_FULL` (1 to
//! train on the dev split too, as for the shipped model once settings are
//! chosen; dev scores are then meaningless and not printed).

use std::path::{Path, PathBuf};
use std::time::Instant;

use crfs::train::Trainer;
use crfs::Attribute;
use qari::entities::conll::{data_dir, read_conll, Sentence, SpanScores};
use qari::entities::crf::{seen_names_path, Tagger};
use qari::entities::features::sentence_features;
use qari::entities::gazetteer::Gazetteer;
use qari::entities::lexicon::SeenNames;

/// Parts of the training data for the names-seen-in-training list.
const FOLDS: usize = 5;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn load(dir: &Path, name: &str) -> Result<Vec<Sentence>, String> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (sentences, bad) = read_conll(&text);
    if !bad.is_empty() {
        eprintln!(
            "warning: {}: {} unreadable lines skipped (first: line {})",
            path.display(),
            bad.len(),
            bad[0]
        );
    }
    Ok(sentences)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = data_dir(args.next());
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "data/ner/model.crfsuite".to_owned()),
    );
    if let Err(e) = run(&dir, &out) {
        eprintln!("train_ner: {e}");
        std::process::exit(1);
    }
}

fn run(dir: &Path, out: &Path) -> Result<(), String> {
    let c1: f64 = env_or("QARI_NER_C1", 0.5);
    let c2: f64 = env_or("QARI_NER_C2", 0.01);
    let iters: usize = env_or("QARI_NER_ITERS", 150);
    let minfreq: f64 = env_or("QARI_NER_MINFREQ", 2.0);
    let aqmar_mode: u8 = env_or("QARI_NER_AQMAR", 0);
    let use_aqmar = aqmar_mode != 0;
    let augment = aqmar_mode == 2;
    let full = env_or("QARI_NER_FULL", 0) != 0;

    let train = load(dir, "anercorp-train.conll")?;
    let split = train.len() - train.len() / 10;
    let (fit, dev) = train.split_at(split);
    let mut fit: Vec<&Sentence> = fit.iter().collect();
    if full {
        fit.extend(dev.iter());
    }
    let aqmar = if use_aqmar {
        load(dir, "aqmar.conll")?
    } else {
        Vec::new()
    };
    fit.extend(aqmar.iter());
    println!(
        "training on {} sentences (anercorp-train{}{}), dev split: {} sentences",
        fit.len(),
        if full { " incl. dev" } else { " minus dev" },
        if use_aqmar { " + aqmar" } else { "" },
        dev.len()
    );
    println!("c1={c1} c2={c2} max_iterations={iters} feature_minfreq={minfreq}");

    let started = Instant::now();
    let gaz = Gazetteer::builtin();
    let mut trainer = Trainer::lbfgs();
    trainer.verbose(false);
    {
        let p = trainer.params_mut();
        p.set_c1(c1).map_err(|e| e.to_string())?;
        p.set_c2(c2).map_err(|e| e.to_string())?;
        p.set_max_iterations(iters).map_err(|e| e.to_string())?;
    }
    trainer
        .set_feature_minfreq(minfreq)
        .map_err(|e| e.to_string())?;
    let news = fit.len() - aqmar.len();
    // Names seen in training, as the tagger will know them on new text: the
    // whole news part. Each news sentence is featurized with the list built
    // from the other folds only, so that words it has never seen look to
    // the model as unseen words will at tagging time.
    let fold_of = |n: usize| n * FOLDS / news.max(1);
    let mut full_seen = SeenNames::default();
    let mut fold_seen: Vec<SeenNames> = vec![SeenNames::default(); FOLDS];
    for (n, s) in fit[..news].iter().enumerate() {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let kinds: Vec<_> = s.tags.iter().map(|t| t.kind()).collect();
        full_seen.add_sentence(&toks, &kinds);
        for (k, seen) in fold_seen.iter_mut().enumerate() {
            if k != fold_of(n) {
                seen.add_sentence(&toks, &kinds);
            }
        }
    }
    for (n, s) in fit.iter().enumerate() {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let seen = if n < news {
            &fold_seen[fold_of(n)]
        } else {
            &full_seen
        };
        // Wikipedia sentences also get every feature under a `wiki:` copy:
        // weights for what is peculiar to that domain go there, and the
        // shared ones (the only ones the tagger sees on news) learn from
        // both ("frustratingly easy" domain adaptation, Daumé 2007).
        let wiki = n >= news && augment;
        let xseq: Vec<Vec<Attribute>> = sentence_features(&toks, gaz, seen)
            .into_iter()
            .map(|f| {
                let mut attrs: Vec<Attribute> = Vec::with_capacity(f.len() * 2);
                for name in f {
                    if wiki {
                        attrs.push(Attribute::new(format!("wiki:{name}"), 1.0));
                    }
                    attrs.push(Attribute::new(name, 1.0));
                }
                attrs
            })
            .collect();
        let yseq: Vec<&str> = s.tags.iter().map(|t| t.label()).collect();
        trainer.append(&xseq, &yseq).map_err(|e| e.to_string())?;
    }
    println!("features extracted in {:.1?}", started.elapsed());
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    trainer
        .train(out)
        .map_err(|e| format!("training failed: {e}"))?;
    let seen_path = seen_names_path(out);
    std::fs::write(&seen_path, full_seen.to_tsv())
        .map_err(|e| format!("cannot write {}: {e}", seen_path.display()))?;
    // Which lists the features read for this model (a test compares).
    let lists_path = out.with_extension("lists");
    std::fs::write(&lists_path, qari::entities::features::lists_fingerprint())
        .map_err(|e| format!("cannot write {}: {e}", lists_path.display()))?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "trained in {:.1?}; model {} ({:.2} MB)",
        started.elapsed(),
        out.display(),
        size as f64 / 1e6
    );

    if full {
        println!("(dev split was trained on: no dev scores)");
        return Ok(());
    }
    let tagger = Tagger::from_files(out).map_err(|e| e.to_string())?;
    let mut scores = SpanScores::default();
    for s in dev {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        scores.add(&s.tags, &tagger.tag(&toks));
    }
    println!("\ndev split (last 10% of anercorp-train), exact spans:");
    print!("{}", scores.table());
    Ok(())
}
