//! Entity recognition speed: a 5,000-word article (target: under 20 ms).
//!
//! `cargo bench --bench entities` prints the one-off start-up cost (loading
//! the model, gazetteers and rules) and the median, minimum and maximum time
//! to recognize the article once everything is loaded.

use qari::entities::eval::parse_markup;
use qari::entities::Recognizer;
use std::time::{Duration, Instant};

/// A 5,000-word article made of the evaluation set's paragraphs (the same
/// prose the recognizer is scored on), cycling until the count is reached.
fn article(words: usize) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ner-eval");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("evaluation set")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut pool = Vec::new();
    for f in files {
        let doc = parse_markup(&std::fs::read_to_string(f).expect("readable")).expect("valid");
        pool.extend(doc.paragraphs);
    }
    let mut out = Vec::new();
    let mut count = 0;
    for p in pool.iter().cycle() {
        if count >= words {
            break;
        }
        count += p.split_whitespace().count();
        out.push(p.clone());
    }
    out
}

/// CPU time this process has used (user + system), where the OS tells
/// (Linux `/proc/self/stat`): on a loaded machine, wall-clock time includes
/// waiting for a core, CPU time does not.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(Duration::from_millis(ticks * 10))
}

fn main() {
    let paragraphs = article(5_000);
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let words: usize = refs.iter().map(|p| p.split_whitespace().count()).sum();

    // Each built-in list on its own (the target: load < 30 ms).
    let timed = |f: &dyn Fn()| {
        let t = Instant::now();
        f();
        t.elapsed()
    };
    let load_cpu_before = cpu_time();
    let loads = [
        (
            "gazetteers",
            timed(&|| {
                std::hint::black_box(qari::entities::gazetteer::Gazetteer::builtin());
            }),
        ),
        (
            "word lists",
            timed(&|| {
                std::hint::black_box(qari::entities::lexicon::Lexicon::builtin());
            }),
        ),
        (
            "CRF model",
            timed(&|| {
                std::hint::black_box(qari::entities::crf::Tagger::builtin());
            }),
        ),
    ];
    let load_cpu = load_cpu_before.zip(cpu_time()).map(|(a, b)| b - a);
    let started = Instant::now();
    let recognizer = Recognizer::builtin();
    let first = recognizer.recognize(&refs);
    let cold = started.elapsed();

    let runs = 30;
    let cpu_before = cpu_time();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let e = recognizer.recognize(&refs);
            let d = t.elapsed();
            assert_eq!(e.len(), first.len());
            d
        })
        .collect();
    let cpu_per_run = cpu_before
        .zip(cpu_time())
        .map(|(a, b)| (b - a) / runs as u32);
    times.sort();
    // The statistical tagger's share (features + Viterbi), for comparison.
    let tagger = qari::entities::crf::Tagger::builtin();
    let mut tag_times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            for p in &refs {
                std::hint::black_box(tagger.tag_text(p));
            }
            t.elapsed()
        })
        .collect();
    tag_times.sort();
    println!(
        "entities: {words} words, {} paragraphs, {} entities",
        refs.len(),
        first.len()
    );
    let load: std::time::Duration = loads.iter().map(|l| l.1).sum();
    let parts: Vec<String> = loads.iter().map(|(n, d)| format!("{n} {d:.2?}")).collect();
    println!("  load: {load:.2?} ({}) (target < 30 ms)", parts.join(", "));
    if let Some(cpu) = load_cpu {
        println!("  load CPU time (not counting waits for a core): {cpu:.2?}");
    }
    println!("  first call after that (rules, first recognition): {cold:.2?}");
    println!(
        "  recognize, {runs} runs: median {:.2?}, min {:.2?}, max {:.2?} (target < 20 ms)",
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
    if let Some(cpu) = cpu_per_run {
        println!("  CPU time per run (not counting waits for a core): {cpu:.2?}");
    }
    println!(
        "  of which the CRF tagger alone: median {:.2?}, min {:.2?}",
        tag_times[runs / 2],
        tag_times[0]
    );
}
