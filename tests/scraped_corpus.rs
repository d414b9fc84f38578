//! Two corpora of scraped-looking articles, each with what a reader would
//! take from it in expected.toml: tests/data/scraped, which the rules are
//! tuned on, and tests/data/scraped-heldout, written blind to the rules and
//! never tuned on. Measures and prints, per corpus, the shares the import is
//! judged by (run with `--nocapture` to see them): title right, no markup
//! left in the text, longest reading unit within the limit, date/dateline/
//! source right, page furniture removed and body starting right. Floors keep
//! them from sliding.

use qari::article::{self, decode, ParagraphKind, Rules};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Manifest {
    article: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    file: String,
    title: String,
    #[serde(default)]
    derived: bool,
    date: Option<String>,
    dateline: Option<String>,
    source: Option<String>,
    /// Lines of page chrome that must not be in the title or a paragraph.
    #[serde(default)]
    furniture: Vec<String>,
    /// The first words of the first body paragraph.
    body_starts: Option<String>,
}

/// Pieces of HTML that must never reach the reader as text.
const MARKUP: &[&str] = &[
    "<p", "</", "<h", "<br", "<div", "<span", "dir=\"", "&nbsp;", "&quot;", "&amp;", "&#",
];

fn has_markup(s: &str) -> bool {
    MARKUP.iter().any(|m| s.contains(m))
}

struct Shares {
    total: usize,
    title: usize,
    clean: usize,
    units: usize,
    meta: usize,
    /// Articles with a `furniture` list, and those with none of it left.
    furnished: usize,
    furniture: usize,
    /// Articles with `body_starts`, and those whose body starts there.
    started: usize,
    starts: usize,
}

impl Shares {
    fn print(&self, name: &str) {
        let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
        println!(
            "{name}, {} articles: title right {:.0}%, no markup {:.0}%, \
             longest unit within the limit {:.0}%, date/dateline/source right {:.0}%, \
             furniture removed {:.0}% (of {}), body starts right {:.0}% (of {})",
            self.total,
            pct(self.title, self.total),
            pct(self.clean, self.total),
            pct(self.units, self.total),
            pct(self.meta, self.total),
            pct(self.furniture, self.furnished),
            self.furnished,
            pct(self.starts, self.started),
            self.started,
        );
    }
}

fn measure(corpus: &str) -> Shares {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(corpus);
    let manifest: Manifest =
        toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();
    let rules = Rules::builtin();
    let limit = rules.unit_max_words();
    let mut s = Shares {
        total: 0,
        title: 0,
        clean: 0,
        units: 0,
        meta: 0,
        furnished: 0,
        furniture: 0,
        started: 0,
        starts: 0,
    };
    for e in &manifest.article {
        let a = article::open_detailed(&dir.join(&e.file), rules)
            .unwrap_or_else(|err| panic!("{}: {err}", e.file))
            .article;
        // Read the fields as `qari show --json` writes them, so the fields
        // an older model lacks count as missing instead of failing to build.
        let v = serde_json::to_value(&a).unwrap();
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let derived = v
            .get("title_derived")
            .and_then(|x| x.as_bool())
            .unwrap_or(false);
        let title_ok = a.title == e.title && derived == e.derived;
        let clean = !has_markup(&a.title) && a.paragraphs.iter().all(|p| !has_markup(&p.text));
        let longest = a
            .paragraphs
            .iter()
            .map(|p| p.text.split_whitespace().count())
            .max()
            .unwrap_or(0);
        let units_ok = longest <= limit;
        let meta_ok = field("date") == e.date
            && field("dateline") == e.dateline
            && field("source") == e.source;
        let left: Vec<&str> = e
            .furniture
            .iter()
            .map(String::as_str)
            .filter(|f| a.title.contains(f) || a.paragraphs.iter().any(|p| p.text.contains(f)))
            .collect();
        let first_body = a
            .paragraphs
            .iter()
            .find(|p| p.kind == ParagraphKind::Body)
            .map_or("", |p| p.text.trim());
        let starts_ok = e
            .body_starts
            .as_ref()
            .is_none_or(|b| first_body.starts_with(b.as_str()));
        // Only the tuning corpus tells what went wrong: the held-out set's
        // misses are never read, so no rule is written for them.
        let tuning = corpus == "scraped";
        if tuning && !(title_ok && clean && units_ok && meta_ok && left.is_empty() && starts_ok) {
            println!(
                "{corpus}/{}: title {:?} (derived {derived}){}{} date {:?} dateline {:?} source {:?}{}{}",
                e.file,
                a.title,
                if clean { "" } else { ", markup left" },
                if units_ok {
                    String::new()
                } else {
                    format!(", longest unit {longest} words")
                },
                field("date"),
                field("dateline"),
                field("source"),
                if left.is_empty() {
                    String::new()
                } else {
                    format!(", furniture left {left:?}")
                },
                if starts_ok {
                    String::new()
                } else {
                    format!(", body starts {:?}", first_body.chars().take(40).collect::<String>())
                },
            );
        }
        // Lossless: every word of a plain text file is somewhere in the
        // model (title, section, byline, a paragraph or `removed`).
        let bytes = std::fs::read(dir.join(&e.file)).unwrap();
        let input = decode::decode(&bytes).unwrap().text;
        if e.file.ends_with(".txt") && !input.contains('<') {
            let mut kept: std::collections::HashSet<&str> = std::collections::HashSet::new();
            if !a.title_derived {
                kept.extend(a.title.split_whitespace());
            }
            for t in [&a.section, &a.byline].into_iter().flatten() {
                kept.extend(t.split_whitespace());
            }
            for p in &a.paragraphs {
                kept.extend(p.text.split_whitespace());
            }
            for r in &a.removed {
                kept.extend(r.text.split_whitespace());
            }
            for w in input.split_whitespace() {
                assert!(kept.contains(w), "{}: {w:?} is lost", e.file);
            }
        }
        s.total += 1;
        s.title += title_ok as usize;
        s.clean += clean as usize;
        s.units += units_ok as usize;
        s.meta += meta_ok as usize;
        if !e.furniture.is_empty() {
            s.furnished += 1;
            s.furniture += left.is_empty() as usize;
        }
        if e.body_starts.is_some() {
            s.started += 1;
            s.starts += starts_ok as usize;
        }
    }
    s
}

#[test]
fn scraped_corpus_shares() {
    let s = measure("scraped");
    assert!(s.total >= 15, "the corpus has {} articles", s.total);
    let pct = |n: usize| 100.0 * n as f64 / s.total as f64;
    s.print("scraped corpus (tuning)");
    // Baseline before titles and datelines (commit 4533d66): title 50%,
    // no markup 100%, units 100%, date/dateline/source 10%.
    // Floors: raise them as the import improves, never lower them.
    // Ten tuning articles with `furniture` (site names over the headline,
    // related lists, agencies between slashes…) took title/metadata to 73%
    // and 76%; the rules written for them brought 100% and 100%, furniture
    // 20% -> 100%, body start 20% -> 100%.
    assert!(pct(s.title) >= 95.0, "title share {:.0}%", pct(s.title));
    assert!(pct(s.clean) >= 100.0, "markup share {:.0}%", pct(s.clean));
    assert!(pct(s.units) >= 100.0, "unit share {:.0}%", pct(s.units));
    assert!(pct(s.meta) >= 95.0, "metadata share {:.0}%", pct(s.meta));
    let of = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    assert!(
        of(s.furniture, s.furnished) >= 95.0,
        "furniture share {:.0}%",
        of(s.furniture, s.furnished)
    );
    assert!(
        of(s.starts, s.started) >= 95.0,
        "body-start share {:.0}%",
        of(s.starts, s.started)
    );
}

#[test]
fn scraped_heldout_shares() {
    let s = measure("scraped-heldout");
    assert!(s.total >= 20, "the held-out set has {} articles", s.total);
    s.print("scraped held-out set");
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    // Held-out figures: the set was written and committed before the
    // importer ever ran on it, and no rule may be tuned on it, so these are
    // the import's honest scores. Measured on main when the set was added
    // (489e2ce): title 45%, no markup 100%, units 100%, date/dateline/source
    // 30%, furniture removed 10%, body starts right 15%. After the rules
    // for the tuning corpus's site names, datelines and furniture (rules
    // written on tuning articles only): title 75%, metadata 40%, furniture
    // 55%, body starts 40%. Floors sit one article under; raise them as the
    // import improves, never lower them.
    assert!(pct(s.title, s.total) >= 70.0, "held-out title share");
    assert!(pct(s.clean, s.total) >= 95.0, "held-out markup share");
    assert!(pct(s.units, s.total) >= 95.0, "held-out unit share");
    assert!(pct(s.meta, s.total) >= 35.0, "held-out metadata share");
    assert!(
        pct(s.furniture, s.furnished) >= 50.0,
        "held-out furniture share"
    );
    assert!(
        pct(s.starts, s.started) >= 35.0,
        "held-out body-start share"
    );
}
