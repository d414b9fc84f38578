//! Every sample in `articles/` opens cleanly: a title, paragraphs, no
//! warnings; the set covers the formats and encodings the README promises.

use qari::article::{self, Library, ParagraphKind, Rules};
use qari::store::Dirs;
use std::path::Path;

fn samples() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    v.sort();
    v
}

#[test]
fn every_sample_imports_cleanly() {
    let all = samples();
    assert!(all.len() >= 10, "{} samples", all.len());
    for p in &all {
        let imp = article::open_detailed(p, Rules::builtin()).unwrap_or_else(|e| panic!("{e}"));
        let a = &imp.article;
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(!a.title.is_empty(), "{name}: no title");
        assert!(
            a.paragraphs.len() >= 3,
            "{name}: {} paragraphs",
            a.paragraphs.len()
        );
        assert!(a.date.is_some(), "{name}: no date");
        assert!(a.section.is_some(), "{name}: no section");
        assert!(imp.warnings.is_empty(), "{name}: {:?}", imp.warnings);
        // The title is not repeated as the first paragraph.
        assert_ne!(a.paragraphs[0].text, a.title, "{name}");
        assert!(
            !a.paragraphs.iter().any(|p| p.text.contains('\u{FFFD}')),
            "{name}"
        );
    }
}

#[test]
fn the_samples_cover_formats_encodings_and_scripts() {
    let all = samples();
    let ext = |e: &str| all.iter().filter(|p| p.extension().unwrap() == e).count();
    assert!(ext("txt") >= 4 && ext("md") >= 2 && ext("html") >= 1 && ext("json") >= 1);
    let imports: Vec<_> = all
        .iter()
        .map(|p| article::open_detailed(p, Rules::builtin()).unwrap())
        .collect();
    assert!(imports.iter().any(|i| i.encoding == "windows-1256"));
    // A scraped sample with a masthead and a duplicated caption.
    assert!(imports.iter().any(|i| {
        i.article.removed.iter().any(|r| r.reason == "masthead")
            && i.article.removed.iter().any(|r| r.reason == "duplicate")
            && i.article.paragraphs[0].kind == ParagraphKind::Caption
    }));
    // Full harakat, Persian letters, Latin words with URLs and percentages.
    let text = |i: &article::Imported| {
        i.article
            .paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(imports.iter().any(|i| {
        let t = text(i);
        let harakat = t
            .chars()
            .filter(|c| ('\u{064B}'..='\u{0652}').contains(c))
            .count();
        harakat * 3 > t.chars().filter(|c| c.is_alphabetic()).count()
    }));
    assert!(imports
        .iter()
        .any(|i| text(i).contains('گ') && text(i).contains('\u{200C}')));
    assert!(imports.iter().any(|i| {
        let t = text(i);
        t.contains("https://") && t.contains('%') && t.contains("Microsoft")
    }));
    // One long read of 5,000+ words.
    assert!(imports.iter().any(|i| i.article.word_count() >= 5000));
    // HTML chrome went to `removed`.
    assert!(imports
        .iter()
        .any(|i| i.article.removed.iter().any(|r| r.reason == "html nav")));
}

#[test]
fn the_sample_library_lists_newest_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let (lib, notes) = Library::open(&dir, &Dirs::under(tmp.path()), Rules::builtin());
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(lib.entries.len(), samples().len());
    let dates: Vec<_> = lib
        .entries
        .iter()
        .map(|e| e.date.clone().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}
