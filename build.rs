//! Embeds the sample articles so that `qari` with no argument always has
//! something to show: every article file in `articles/`, or the reader's
//! test fixtures when that folder holds none.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm", "json"];

fn article_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    files.sort();
    files
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let articles = root.join("articles");
    let fixtures = root.join("tests/fixtures/library");
    println!("cargo:rerun-if-changed={}", articles.display());
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut files = article_files(&articles);
    if files.is_empty() {
        files = article_files(&fixtures);
    }
    let mut out = String::from(
        "/// Sample articles: (file name, bytes).\npub static SAMPLES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("sample.txt");
        writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            f.display().to_string()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("samples.rs");
    std::fs::write(dest, out).expect("write samples.rs");
}
