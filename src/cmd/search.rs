//! `qari search QUERY [DIR] [--json]`: the articles of a folder matching a
//! query, best first, with the best passage of each.

use super::visual::Visual;
use qari::article::Rules;
use qari::search::{parse_query, snippet::snippet, Hit, Index, SearchResult};
use qari::text::sanitize_line;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Words to find (all of them), "phrases in quotes". Folded as in the
    /// reader: harakat, tatweel and letter variants do not matter, and و ف
    /// ب ل ك ال لل may come in front of a word.
    pub query: String,
    /// The folder to search (scanned recursively).
    #[arg(default_value = "articles")]
    pub dir: PathBuf,
    /// Print a JSON array of `{path, title, date, score, hits}` (hits with
    /// paragraph and byte offsets).
    #[arg(long)]
    pub json: bool,
    /// Show at most this many articles (0: all of them).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

#[derive(Serialize)]
struct JsonHit {
    paragraph: usize,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonResult<'a> {
    #[serde(serialize_with = "serialize_path")]
    path: &'a Path,
    title: &'a str,
    date: Option<&'a str>,
    score: f64,
    hits: Vec<JsonHit>,
}

fn serialize_path<S: serde::Serializer>(p: &&Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

/// The article's paragraphs now and the hits in them (empty when the file
/// can no longer be read).
fn paragraphs_and_hits(r: &SearchResult, rules: &Rules) -> (Vec<String>, Vec<Hit>) {
    match qari::article::open_named(&r.path, rules) {
        Ok(i) => {
            let paras: Vec<String> = i.article.paragraphs.into_iter().map(|p| p.text).collect();
            let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
            let hits = r.ranges(&refs);
            (paras, hits)
        }
        Err(_) => (Vec::new(), Vec::new()),
    }
}

/// [`paragraphs_and_hits`] of every result, the files read on all cores
/// (opening the shown articles was a fifth of a warm search, one by one).
/// `keep` takes what is needed of each, so `--json --limit 0` does not
/// hold every matching article's text at once.
fn open_all<T: Send>(
    results: &[SearchResult],
    rules: &Rules,
    keep: impl Fn((Vec<String>, Vec<Hit>)) -> T + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    if threads == 1 || results.len() < 2 {
        return results
            .iter()
            .map(|r| keep(paragraphs_and_hits(r, rules)))
            .collect();
    }
    let chunk = results.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = results
            .chunks(chunk)
            .map(|part| {
                let keep = &keep;
                s.spawn(move || {
                    part.iter()
                        .map(|r| keep(paragraphs_and_hits(r, rules)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// A progress bar on stderr while articles are read, when it is a terminal.
fn progress_bar() -> impl Fn(usize, usize) + Sync {
    let tty = std::io::stderr().is_terminal();
    move |done: usize, total: usize| {
        if !tty || total < 50 {
            return;
        }
        // Redrawn at each percent only.
        if done != total && done * 100 / total == (done - 1) * 100 / total {
            return;
        }
        let filled = done * 30 / total;
        eprint!(
            "\rindexing [{}{}] {done}/{total}",
            "#".repeat(filled),
            " ".repeat(30 - filled)
        );
        if done == total {
            eprint!("\r\x1b[K");
        }
    }
}

pub fn run(args: Args, env: &super::Env) -> ExitCode {
    env.rules_warning();
    let query = match parse_query(&args.query) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("qari: {e}");
            return ExitCode::from(2);
        }
    };
    if !args.dir.is_dir() {
        eprintln!(
            "qari: {}: not a folder",
            sanitize_line(&args.dir.display().to_string())
        );
        return ExitCode::from(2);
    }
    let (mut index, notes) = Index::open(&args.dir, &env.dirs(), env.rules(), &progress_bar());
    for n in &notes {
        eprintln!("qari: {n}");
    }
    let (mut results, mut total) = index.search_top(&query, args.limit);
    if index.damaged() {
        // A record did not read back (the file was set aside): build it
        // again and ask again, rather than answer without those articles.
        eprintln!("qari: the search index was damaged; rebuilding it");
        (index, _) = Index::open(&args.dir, &env.dirs(), env.rules(), &progress_bar());
        (results, total) = index.search_top(&query, args.limit);
    }
    if results.is_empty() {
        eprintln!("qari: no article matches");
        return ExitCode::FAILURE;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = if args.json {
        let opened = open_all(&results, env.rules(), |(_, hits)| hits);
        let json: Vec<JsonResult> = results
            .iter()
            .zip(&opened)
            .map(|(r, hits)| JsonResult {
                path: &r.path,
                title: &r.title,
                date: r.date.as_deref(),
                score: r.score,
                hits: hits
                    .iter()
                    .map(|h| JsonHit {
                        paragraph: h.paragraph,
                        start: h.range.start,
                        end: h.range.end,
                    })
                    .collect(),
            })
            .collect();
        match super::show::json_text(&json, "the results") {
            Ok(j) => writeln!(out, "{j}").and_then(|()| out.flush()),
            Err(code) => return code,
        }
    } else {
        let visual = Visual::for_stdout();
        let opened = open_all(&results, env.rules(), |opened| opened);
        (|| {
            for (r, (paras, hits)) in results.iter().zip(opened) {
                writeln!(
                    out,
                    "{:.3}\t{}\t{}\t{}",
                    r.score,
                    r.date.as_deref().unwrap_or("----------"),
                    sanitize_line(&r.title),
                    sanitize_line(&r.path.display().to_string()),
                )?;
                // The paragraph with the most hits, the first of equals.
                let mut best: Option<(usize, usize)> = None;
                for h in &hits {
                    let n = hits.iter().filter(|o| o.paragraph == h.paragraph).count();
                    if best.is_none_or(|(_, m)| n > m) {
                        best = Some((h.paragraph, n));
                    }
                }
                if let Some((p, _)) = best {
                    let ranges: Vec<_> = hits
                        .iter()
                        .filter(|h| h.paragraph == p)
                        .map(|h| h.range.clone())
                        .collect();
                    let (text, _) = snippet(&paras[p], &ranges, 70);
                    for line in visual.paragraph(&text) {
                        writeln!(out, "    {line}")?;
                    }
                }
            }
            out.flush()
        })()
    };
    if total > results.len() {
        eprintln!(
            "qari: {} of {total} matching articles shown (--limit 0 shows all)",
            results.len()
        );
    }
    super::output_written(result, "qari")
}
