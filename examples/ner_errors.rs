//! List a model's mistakes on the dev split (last 10% of anercorp-train),
//! for error analysis. Never run against the test split: that would be
//! tuning on it.
//!
//!     cargo run --release --example ner_errors -- MODEL [KIND]
//!
//! MODEL is a model trained without the dev split (`train_ner` without
//! `QARI_NER_FULL`). KIND (PER, LOC or ORG) limits the listing to one kind.
//! Each line is `missed`, `spurious` or `wrong` with the span, its kind(s)
//! and a few words of context.

use qari::entities::conll::{data_dir, read_conll, spans};
use qari::entities::crf::Tagger;
use qari::entities::gazetteer::parse_kind;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(model) = args.next() else {
        eprintln!("usage: ner_errors MODEL [PER|LOC|ORG]");
        std::process::exit(2);
    };
    let only = args.next().and_then(|k| parse_kind(&k));
    // `EXPLAIN=word`: print the weighted features of every dev token
    // spelled so, instead of the error list.
    let explain = std::env::var("EXPLAIN").ok();
    let tagger = Tagger::from_files(std::path::Path::new(&model)).unwrap_or_else(|e| {
        eprintln!("ner_errors: {model}: {e}");
        std::process::exit(1)
    });
    let path = data_dir(None).join("anercorp-train.conll");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("ner_errors: cannot read {}: {e}", path.display());
        std::process::exit(1)
    });
    let (train, _) = read_conll(&text);
    let dev = &train[train.len() - train.len() / 10..];
    if explain.is_some() {
        use qari::entities::crf::Tag;
        use qari::entities::EntityKind::*;
        let tags = [
            Tag::O,
            Tag::B(Person),
            Tag::I(Person),
            Tag::B(Place),
            Tag::I(Place),
            Tag::B(Org),
            Tag::I(Org),
        ];
        for from in tags {
            let row: Vec<String> = tags
                .iter()
                .map(|&to| {
                    format!(
                        "{}:{:+.2}",
                        to.label(),
                        tagger.transition(from, to).unwrap_or(f64::NAN)
                    )
                })
                .collect();
            println!("{:>6} → {}", from.label(), row.join(" "));
        }
    }
    for s in dev {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        if let Some(word) = &explain {
            for (at, _) in toks.iter().enumerate().filter(|(_, t)| *t == word) {
                let tags = tagger.tag(&toks);
                let shown: Vec<String> = toks
                    .iter()
                    .zip(&tags)
                    .map(|(w, t)| format!("{w}/{}", t.label()))
                    .collect();
                println!("{}", shown.join(" "));
                let mut total: std::collections::BTreeMap<&str, f32> = Default::default();
                for (_, weights) in tagger.explain(&toks, at) {
                    for (t, w) in weights {
                        *total.entry(t.label()).or_default() += w;
                    }
                }
                println!("  total {total:.2?}");
                for (name, weights) in tagger.explain(&toks, at) {
                    let w: Vec<String> = weights
                        .iter()
                        .map(|(t, w)| format!("{}:{w:+.2}", t.label()))
                        .collect();
                    println!("  {name:<28} {}", w.join(" "));
                }
            }
            continue;
        }
        let gold = spans(&s.tags);
        let pred = spans(&tagger.tag(&toks));
        let show = |a: usize, b: usize| toks[a..b].join(" ");
        let context = |a: usize, b: usize| {
            format!(
                "{} [{}] {}",
                show(a.saturating_sub(4), a),
                show(a, b),
                show(b, (b + 4).min(toks.len()))
            )
        };
        let wanted = |k| only.is_none_or(|o| o == k);
        for &(a, b, k) in &gold {
            if pred.contains(&(a, b, k)) || !wanted(k) {
                continue;
            }
            match pred.iter().find(|&&(pa, pb, _)| pa == a && pb == b) {
                Some(&(_, _, pk)) => println!("wrong    {k:?}→{pk:?}\t{}", context(a, b)),
                None => println!("missed   {k:?}\t{}", context(a, b)),
            }
        }
        for &(a, b, k) in &pred {
            let same_range = gold.iter().any(|&(ga, gb, _)| ga == a && gb == b);
            if !same_range && wanted(k) {
                println!("spurious {k:?}\t{}", context(a, b));
            }
        }
    }
}
